//! Stock at scale for `scripts/bench`: movements spread over the demo
//! dealers and the first OEM's catalogue, written in bulk with their stock
//! levels and one ledger entry per movement, so the data is what the
//! services would have written.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;

use super::entities::{dealer, part, stock_level, stock_movement};
use super::ledger::{Change, LedgerTx};
use crate::model::AppError;

/// Writes `movements` receipts and issues in batches of 20,000.
///
/// # Errors
/// When the demo network or catalogue is missing, or the database fails.
pub async fn seed_movements(db: &DatabaseConnection, movements: u64) -> Result<(), AppError> {
    let dealers = dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await?;
    let parts: Vec<(i64, i64)> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::OemId])
        .filter(part::Column::Serialized.eq(false))
        .order_by_asc(part::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if dealers.is_empty() || parts.is_empty() {
        return Err(AppError::conflict("Run seed-demo (and import a catalogue) first."));
    }
    // Each dealer stocks a slice of the catalogue: 5,000 parts at most.
    let per_dealer = parts.len().min(5000);
    let mut on_hand: HashMap<(i64, i64), i64> = HashMap::new();
    const BATCH: u64 = 20_000;
    let mut written = 0u64;
    while written < movements {
        let n = std::cmp::min(BATCH, movements - written);
        let mut tx = LedgerTx::begin(db, None).await?;
        let last: Option<i64> = stock_movement::Entity::find()
            .select_only()
            .column_as(Expr::from(Func::max(Expr::col(stock_movement::Column::Id))), "last")
            .into_tuple()
            .one(&*tx)
            .await?
            .flatten();
        let now = Utc::now();
        let mut rows = Vec::with_capacity(n as usize);
        let mut facts = Vec::with_capacity(n as usize);
        for i in written..written + n {
            let d = &dealers[(i as usize) % dealers.len()];
            let offset = (i as usize / dealers.len()) % per_dealer;
            let (part_id, oem_id) = parts[(offset + d.id as usize * 97) % parts.len()];
            let level = on_hand.entry((d.id, part_id)).or_insert(0);
            // Receipts of 1–10, and issues of one whenever there is stock.
            let (kind, quantity) =
                if *level > 0 && i % 3 == 0 { ("issue_to_repair", -1) } else { ("receipt", 1 + (i % 10) as i64) };
            *level += quantity;
            rows.push(vec![
                d.id.into(),
                part_id.into(),
                kind.into(),
                quantity.into(),
                Some(format!("BENCH-{i}")).into(),
                now.into(),
            ]);
            facts.push((d.id, part_id, oem_id, kind, quantity));
        }
        super::bulk::insert(
            &*tx,
            "stock_movements",
            &["dealer_id", "part_id", "kind", "quantity", "reference", "created_at"],
            rows,
        )
        .await?;
        let ids: Vec<i64> = stock_movement::Entity::find()
            .select_only()
            .column(stock_movement::Column::Id)
            .filter(stock_movement::Column::Id.gt(last.unwrap_or(0)))
            .order_by_asc(stock_movement::Column::Id)
            .into_tuple()
            .all(&*tx)
            .await?;
        let changes = ids
            .into_iter()
            .zip(&facts)
            .map(|(id, (dealer_id, part_id, oem_id, kind, quantity))| {
                Change::new(
                    "stock_movement",
                    id,
                    "stock_movement.recorded",
                    json!({"kind": kind, "part_id": part_id, "quantity": quantity}),
                )
                .scoped(Some(*dealer_id), Some(*oem_id))
            })
            .collect();
        tx.record_all(changes).await?;
        tx.commit().await?;
        written += n;
    }
    // The levels, equal to the sum of the movements just written.
    let txn = LedgerTx::begin(db, None).await?;
    let levels: Vec<stock_level::ActiveModel> = on_hand
        .into_iter()
        .map(|((dealer_id, part_id), quantity)| stock_level::ActiveModel {
            dealer_id: Set(dealer_id),
            part_id: Set(part_id),
            on_hand: Set(quantity),
            reorder_point: Set(std::cmp::min(part_id % 7, 5)),
            ..Default::default()
        })
        .collect();
    let mut chunks = levels.into_iter().peekable();
    while chunks.peek().is_some() {
        let chunk: Vec<_> = chunks.by_ref().take(2000).collect();
        stock_level::Entity::insert_many(chunk)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([stock_level::Column::DealerId, stock_level::Column::PartId])
                    .value(
                        stock_level::Column::OnHand,
                        Expr::col((stock_level::Entity, stock_level::Column::OnHand))
                            .add(Expr::cust("excluded.on_hand")),
                    )
                    .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
    }
    let mut txn = txn;
    txn.record(Change::new("stock_level", 0, "stock_level.bench_seeded", json!({"movements": movements}))).await?;
    txn.commit().await
}
