//! Early warning (DESIGN §10): per OEM and causal part (its supersession
//! chain as one), the latest 3 matured cohorts against the 12 before. An
//! alert is raised once per part and latest cohort, kept, and acknowledged
//! with a comment; both are ledger entries.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, Mutex, PoisonError};

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use super::chain::Chains;
use super::sql::{Sql, get};
use crate::model::field::{self, ALERT_MIS, BASELINE_COHORTS, RECENT_COHORTS, YearMonth};
use crate::model::reporting::{AcknowledgeInput, AlertDto, AlertFilter, CohortSpan};
use crate::model::{AppError, Role};
use crate::server::auth::Actor;
use crate::server::entities::{alert, oem, part, user};
use crate::server::ledger::{Change, LedgerTx};
use crate::server::reader::Reader;

/// Longest acknowledgement comment.
const MAX_COMMENT: usize = 2000;

/// An alert the data calls for.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub oem_id: i64,
    pub part_id: i64,
    pub part_number: String,
    pub from: YearMonth,
    pub to: YearMonth,
    pub vehicles: u64,
    pub claims: u64,
    pub verdict: field::Verdict,
}

/// The cohorts compared on `today`: (recent from, latest), (baseline from, to).
pub fn windows(today: NaiveDate) -> ((YearMonth, YearMonth), (YearMonth, YearMonth)) {
    let latest = field::latest_matured_cohort(today, ALERT_MIS);
    let recent_from = latest.plus(1 - RECENT_COHORTS);
    ((recent_from, latest), (recent_from.plus(-BASELINE_COHORTS), recent_from.plus(-1)))
}

/// What the rule says for one OEM on `today`: every chain that alerts.
///
/// # Errors
/// When the database is unavailable.
pub async fn evaluate(db: &impl ConnectionTrait, oem_id: i64, today: NaiveDate) -> Result<Vec<Candidate>, AppError> {
    let ((recent_from, latest), (base_from, _)) = windows(today);
    let (start, recent_start, end) = (base_from.first_day(), recent_from.first_day(), latest.last_day());
    let mut vehicles = Sql::new(
        "SELECT CAST(SUM(CASE WHEN v.in_service_date >= ? THEN 1 ELSE 0 END) AS BIGINT) AS recent, COUNT(*) AS n \
         FROM vehicles v WHERE v.oem_id = ? AND v.in_service_date >= ? AND v.in_service_date <= ?",
    );
    vehicles.push("", [recent_start.into(), oem_id.into(), start.into(), end.into()]);
    let rows = vehicles.all(db).await?;
    let Some(row) = rows.first() else { return Ok(Vec::new()) };
    let all: i64 = get(row, "n")?;
    let recent: i64 = get::<Option<i64>>(row, "recent")?.unwrap_or(0);
    let (n, n0) = (recent.max(0) as u64, (all - recent).max(0) as u64);
    if n == 0 || n0 == 0 {
        return Ok(Vec::new());
    }
    let mut claims = Sql::new(
        "SELECT c.causal_part_id AS part, CASE WHEN v.in_service_date >= ? THEN 1 ELSE 0 END AS recent, COUNT(*) AS n \
         FROM claims c JOIN vehicles v ON v.id = c.vehicle_id \
         WHERE c.oem_id = ? AND c.submitted_at IS NOT NULL AND c.status <> 'withdrawn' AND c.mis <= ? \
         AND v.in_service_date >= ? AND v.in_service_date <= ? \
         GROUP BY 1, 2",
    );
    // Grouped by position: PostgreSQL would not match a second `?` to the first.
    claims.push("", [recent_start.into(), oem_id.into(), ALERT_MIS.into(), start.into(), end.into()]);
    let chains = Chains::load(db, Some(oem_id)).await?;
    let mut counts: HashMap<i64, (u64, u64)> = HashMap::new();
    for row in claims.all(db).await? {
        let entry = counts.entry(chains.head(get(&row, "part")?)).or_default();
        let n = get::<i64>(&row, "n")?.max(0) as u64;
        if get::<i32>(&row, "recent")? == 1 {
            entry.0 += n;
        } else {
            entry.1 += n;
        }
    }
    let mut alerting: Vec<(i64, u64, field::Verdict)> = counts
        .into_iter()
        .filter_map(|(part, (x, x0))| {
            let verdict = field::judge(n0, x0, n, x)?;
            verdict.alert.then_some((part, x, verdict))
        })
        .collect();
    alerting.sort_by_key(|(part, _, _)| *part);
    let numbers: HashMap<i64, String> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::PartNumber])
        .filter(part::Column::Id.is_in(alerting.iter().map(|(p, _, _)| *p)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(alerting
        .into_iter()
        .map(|(part_id, x, verdict)| Candidate {
            oem_id,
            part_id,
            part_number: numbers.get(&part_id).cloned().unwrap_or_default(),
            from: recent_from,
            to: latest,
            vehicles: n,
            claims: x,
            verdict,
        })
        .collect())
}

/// What the rule reads, as of now: the day (cohorts mature with it), the
/// ledger's last entry (every change of a claim or a vehicle makes one) and
/// the newest claim and vehicle (seeds and imports load rows in bulk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DataVersion {
    today: NaiveDate,
    seq: Option<i64>,
    claim: Option<i64>,
    vehicle: Option<i64>,
}

impl DataVersion {
    async fn of(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Self, AppError> {
        let rows = Sql::new(
            "SELECT (SELECT MAX(seq) FROM ledger_entries) AS seq, (SELECT MAX(id) FROM claims) AS claim, \
             (SELECT MAX(id) FROM vehicles) AS vehicle",
        )
        .all(db)
        .await?;
        let mut version = Self { today, seq: None, claim: None, vehicle: None };
        if let Some(row) = rows.first() {
            version =
                Self { seq: get(row, "seq")?, claim: get(row, "claim")?, vehicle: get(row, "vehicle")?, ..version };
        }
        Ok(version)
    }
}

/// The database a connection is to (`None` for SQLite in memory), so the
/// versions of several databases served by one process stay apart.
fn database_of(db: &DatabaseConnection) -> Option<String> {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let options = db.get_postgres_connection_pool().connect_options();
            Some(format!("{}:{}/{}", options.get_host(), options.get_port(), options.get_database().unwrap_or("")))
        }
        _ => crate::server::db::sqlite_file(db).map(|file| file.display().to_string()),
    }
}

/// Runs the rule for the OEMs read (every OEM for `None`) unless nothing it
/// reads changed since this process last ran it for them today: a list of
/// alerts then costs one query, and a new alert still shows on the first
/// read after the claim or vehicle that calls for it.
///
/// # Errors
/// When the database is unavailable.
async fn refresh_if_changed(db: &DatabaseConnection, oem_id: Option<i64>, today: NaiveDate) -> Result<(), AppError> {
    static EVALUATED: LazyLock<Mutex<HashMap<(String, Option<i64>), DataVersion>>> = LazyLock::new(Default::default);
    let Some(database) = database_of(db) else {
        refresh(db, oem_id.map(|o| vec![o]), today).await?;
        return Ok(());
    };
    let version = DataVersion::of(&Reader::of(db).await?, today).await?;
    let key = (database, oem_id);
    if EVALUATED.lock().unwrap_or_else(PoisonError::into_inner).get(&key) == Some(&version) {
        return Ok(());
    }
    // Raising alerts appends to the ledger, a change of its own: the next
    // read runs the rule once more (and raises nothing) before it is kept.
    if refresh(db, oem_id.map(|o| vec![o]), today).await? == 0 {
        EVALUATED.lock().unwrap_or_else(PoisonError::into_inner).insert(key, version);
    }
    Ok(())
}

/// Raises the alerts the data calls for that were not raised yet, for the
/// OEMs given (every OEM for `None`). Answers how many were raised.
///
/// # Errors
/// When the database is unavailable.
pub async fn refresh(db: &DatabaseConnection, oem_ids: Option<Vec<i64>>, today: NaiveDate) -> Result<usize, AppError> {
    let oem_ids = match oem_ids {
        Some(ids) => ids,
        None => oem::Entity::find().select_only().column(oem::Column::Id).into_tuple().all(db).await?,
    };
    let mut fresh = Vec::new();
    {
        let reader = Reader::of(db).await?;
        for oem_id in oem_ids {
            let found = evaluate(&reader, oem_id, today).await?;
            if found.is_empty() {
                continue;
            }
            let raised: HashSet<(i64, String)> = alert::Entity::find()
                .select_only()
                .columns([alert::Column::PartId, alert::Column::CohortTo])
                .filter(alert::Column::OemId.eq(oem_id))
                .into_tuple()
                .all(&reader)
                .await?
                .into_iter()
                .collect();
            fresh.extend(found.into_iter().filter(|c| !raised.contains(&(c.part_id, c.to.to_string()))));
        }
    }
    if fresh.is_empty() {
        return Ok(0);
    }
    let mut tx = LedgerTx::begin(db, None).await?;
    let mut raised = 0;
    for candidate in fresh {
        // Another instance may have raised it since it was read.
        let taken = alert::Entity::find()
            .filter(alert::Column::OemId.eq(candidate.oem_id))
            .filter(alert::Column::PartId.eq(candidate.part_id))
            .filter(alert::Column::CohortTo.eq(candidate.to.to_string()))
            .one(&*tx)
            .await?;
        if taken.is_some() {
            continue;
        }
        let row = raise(&*tx, &candidate).await?;
        tx.record(
            Change::new(
                "alert",
                row.id,
                "alert.raised",
                json!({"part_id": row.part_id, "part_number": candidate.part_number, "cohorts": {"from": row.cohort_from, "to": row.cohort_to},
                    "vehicles": row.vehicles, "claims": row.claims, "expected": row.expected, "p_value": row.p_value}),
            )
            .scoped(None, Some(row.oem_id)),
        );
        raised += 1;
    }
    tx.commit().await?;
    Ok(raised)
}

async fn raise(db: &impl ConnectionTrait, c: &Candidate) -> Result<alert::Model, AppError> {
    let explanation =
        field::explain(&c.part_number, c.claims, c.vehicles, c.from, c.to, c.verdict.expected, c.verdict.p_value);
    Ok(alert::ActiveModel {
        oem_id: Set(c.oem_id),
        part_id: Set(c.part_id),
        cohort_from: Set(c.from.to_string()),
        cohort_to: Set(c.to.to_string()),
        vehicles: Set(c.vehicles as i64),
        claims: Set(c.claims as i64),
        expected: Set(c.verdict.expected),
        baseline_per_1000: Set(c.verdict.baseline_per_1000),
        p_value: Set(c.verdict.p_value),
        explanation: Set(explanation),
        status: Set("open".into()),
        raised_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The OEM an actor's alerts come from (`None`: every OEM, for an admin).
fn oem_scope(actor: &Actor, asked: Option<i64>) -> Result<Option<i64>, AppError> {
    match actor.role {
        Role::Admin => Ok(asked),
        Role::ServiceManager => {
            let own = actor.oem_id.ok_or(AppError::Forbidden)?;
            if asked.is_some_and(|a| a != own) { Err(AppError::NotFound) } else { Ok(Some(own)) }
        }
        Role::Dealer => Err(AppError::Forbidden),
    }
}

/// Alerts, open first then newest; the rule is run first when its data
/// changed, so a new one shows as soon as the data calls for it.
///
/// # Errors
/// `Forbidden` for dealers; `NotFound` for another OEM; `Validation` on
/// `status`.
pub async fn list(db: &DatabaseConnection, actor: &Actor, filter: &AlertFilter) -> Result<Vec<AlertDto>, AppError> {
    let oem_id = oem_scope(actor, filter.oem_id)?;
    let status = match filter.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s @ ("open" | "acknowledged")) => Some(s.to_string()),
        Some(_) => return Err(AppError::field("status", "must be open or acknowledged")),
    };
    refresh_if_changed(db, oem_id, Utc::now().date_naive()).await?;
    let mut query = alert::Entity::find();
    if let Some(oem) = oem_id {
        query = query.filter(alert::Column::OemId.eq(oem));
    }
    if let Some(status) = status {
        query = query.filter(alert::Column::Status.eq(status));
    }
    let rows = query
        // `open` sorts after `acknowledged`: descending puts it first.
        .order_by_desc(alert::Column::Status)
        .order_by_desc(alert::Column::RaisedAt)
        .order_by_desc(alert::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    dtos(db, rows).await
}

/// A service manager of the OEM (or an admin) acknowledges an open alert.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Validation` for an empty comment; `Conflict`
/// when already acknowledged.
pub async fn acknowledge(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: AcknowledgeInput,
) -> Result<AlertDto, AppError> {
    let oem_id = oem_scope(actor, None)?;
    let comment = crate::model::repair::text(&input.comment, MAX_COMMENT).map_err(|m| AppError::field("comment", m))?;
    let mut tx = LedgerTx::begin(db, Some(actor.user_id)).await?;
    let row = alert::Entity::find_by_id(id)
        .one(&*tx)
        .await?
        .filter(|a| oem_id.is_none_or(|o| o == a.oem_id))
        .ok_or(AppError::NotFound)?;
    if row.status != "open" {
        return Err(AppError::conflict("This alert was already acknowledged."));
    }
    let mut active: alert::ActiveModel = row.into();
    active.status = Set("acknowledged".into());
    active.acknowledged_by = Set(Some(actor.user_id));
    active.acknowledged_at = Set(Some(Utc::now()));
    active.ack_comment = Set(Some(comment.clone()));
    let row = active.update(&*tx).await?;
    tx.record(
        Change::new("alert", row.id, "alert.acknowledged", json!({"comment": comment})).scoped(None, Some(row.oem_id)),
    );
    tx.commit().await?;
    dtos(db, vec![row]).await?.pop().ok_or(AppError::NotFound)
}

async fn dtos(db: &DatabaseConnection, rows: Vec<alert::Model>) -> Result<Vec<AlertDto>, AppError> {
    let part_numbers: HashMap<i64, String> = part::Entity::find()
        .select_only()
        .columns([part::Column::Id, part::Column::PartNumber])
        .filter(part::Column::Id.is_in(rows.iter().map(|r| r.part_id)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let oem_codes: HashMap<i64, String> = oem::Entity::find()
        .select_only()
        .columns([oem::Column::Id, oem::Column::Code])
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.acknowledged_by)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| AlertDto {
            id: r.id,
            oem_id: r.oem_id,
            oem_code: oem_codes.get(&r.oem_id).cloned().unwrap_or_default(),
            part_id: r.part_id,
            part_number: part_numbers.get(&r.part_id).cloned().unwrap_or_default(),
            cohorts: CohortSpan { from: r.cohort_from, to: r.cohort_to },
            vehicles: r.vehicles,
            claims: r.claims,
            expected: r.expected,
            baseline_per_1000: r.baseline_per_1000,
            p_value: r.p_value,
            explanation: r.explanation,
            status: r.status,
            raised_at: r.raised_at,
            acknowledged_by_name: r.acknowledged_by.and_then(|u| names.get(&u).cloned()),
            acknowledged_at: r.acknowledged_at,
            comment: r.ack_comment,
        })
        .collect())
}
