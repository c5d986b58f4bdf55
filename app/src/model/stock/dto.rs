//! What the stock API and pages send and receive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{MovementKind, UnitStatus};
use crate::model::ledger::LedgerEntryDto;
use crate::model::policy::ComponentCategory;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StockLevelDto {
    pub dealer_id: i64,
    pub dealer_code: String,
    pub part_id: i64,
    pub part_number: String,
    pub description: String,
    pub component_category: ComponentCategory,
    pub serialized: bool,
    pub on_hand: i64,
    pub reorder_point: i64,
    pub below_reorder: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StockFilter {
    pub dealer_id: Option<i64>,
    pub part_id: Option<i64>,
    /// Only rows whose on-hand is below their reorder point.
    pub below_reorder: Option<bool>,
    /// A part-number prefix or description words.
    pub q: Option<String>,
    pub component_category: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MovementDto {
    pub id: i64,
    pub dealer_id: i64,
    pub part_id: i64,
    pub part_number: String,
    pub kind: MovementKind,
    /// Signed: negative when stock left.
    pub quantity: i64,
    pub serial: Option<String>,
    pub repair_id: Option<i64>,
    pub transfer_id: Option<i64>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct MovementFilter {
    pub dealer_id: Option<i64>,
    pub part_id: Option<i64>,
    pub kind: Option<String>,
    pub serial: Option<String>,
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// `POST /stock/movements`. `direction` applies to adjustments only:
/// `increase` (the default) or `decrease`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMovement {
    #[serde(default)]
    pub dealer_id: Option<i64>,
    pub part_id: i64,
    pub kind: String,
    pub quantity: i64,
    #[serde(default)]
    pub serials: Option<Vec<String>>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
}

/// What a posted movement did: its rows (one per serial for serialized
/// parts) and the stock level after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MovementResult {
    pub movements: Vec<MovementDto>,
    pub stock: StockLevelDto,
}

/// `POST /stock/transfers`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTransfer {
    #[serde(default)]
    pub from_dealer_id: Option<i64>,
    pub to_dealer_id: i64,
    pub part_id: i64,
    pub quantity: i64,
    #[serde(default)]
    pub serials: Option<Vec<String>>,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TransferResult {
    pub transfer_id: i64,
    pub movements: Vec<MovementDto>,
    pub from: StockLevelDto,
    pub to: StockLevelDto,
}

/// `PUT /stock/reorder-point`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReorderPointInput {
    #[serde(default)]
    pub dealer_id: Option<i64>,
    pub part_id: i64,
    pub reorder_point: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartUnitDto {
    pub id: i64,
    pub serial: String,
    pub part_id: i64,
    pub part_number: String,
    pub description: String,
    pub status: UnitStatus,
    pub dealer_id: Option<i64>,
    pub dealer_code: Option<String>,
    pub vehicle_id: Option<i64>,
    pub repair_id: Option<i64>,
    /// The unit's life, oldest first, from the ledger.
    pub timeline: Vec<LedgerEntryDto>,
}

/// The stock CSV's columns (receipts import; export adds the levels).
pub const RECEIPT_COLUMNS: [&str; 5] = ["part_number", "quantity", "serials", "reference", "oem"];
pub const EXPORT_COLUMNS: [&str; 8] =
    ["dealer", "oem", "part_number", "description", "component_category", "on_hand", "reorder_point", "below_reorder"];
