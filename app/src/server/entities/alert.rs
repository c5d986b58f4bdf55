use sea_orm::entity::prelude::*;

/// An early-warning alert: a causal part's latest matured cohorts against
/// the twelve before (DESIGN §10). One per OEM, part and latest cohort.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "alerts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub oem_id: i64,
    /// The current part of the supersession chain.
    pub part_id: i64,
    pub cohort_from: String,
    pub cohort_to: String,
    pub vehicles: i64,
    pub claims: i64,
    pub expected: f64,
    pub baseline_per_1000: f64,
    pub p_value: f64,
    pub explanation: String,
    /// `open` or `acknowledged`.
    pub status: String,
    pub raised_at: DateTimeUtc,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub ack_comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
