use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claims")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub year: i32,
    pub seq: i64,
    pub dealer_id: i64,
    pub oem_id: i64,
    pub repair_id: i64,
    pub vehicle_id: i64,
    pub authorization_id: Option<i64>,
    pub causal_part_id: i64,
    pub failure_code: String,
    pub status: String,
    pub currency: String,
    pub requested_minor: i64,
    pub approved_minor: Option<i64>,
    pub version: i32,
    pub idempotency_key: Option<String>,
    pub appealed: bool,
    pub info_answered: bool,
    pub reviewer_id: Option<i64>,
    pub payment_reference: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
    /// Tenths of a day from the first submission to the last decision.
    pub decision_tenths: Option<i64>,
    /// Tenths of a day from the first submission to the payment.
    pub payment_tenths: Option<i64>,
    /// Months in service at the repair (DESIGN §10), fixed when created.
    pub mis: Option<i32>,
    /// The vehicle's model, kept on the claim for reports (never changes).
    pub model_id: Option<i64>,
    /// Frozen at submission (DESIGN §9); all `None` when no rate was found.
    pub reporting_currency: Option<String>,
    pub reporting_requested_minor: Option<i64>,
    pub reporting_approved_minor: Option<i64>,
    pub rate_date: Option<Date>,
    pub claim_per_eur: Option<String>,
    pub reporting_per_eur: Option<String>,
    /// `ecb`, `manual` or `same_currency`.
    pub rate_source: Option<String>,
    pub created_by: i64,
    pub updated_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::dealer::Entity", from = "Column::DealerId", to = "super::dealer::Column::Id")]
    Dealer,
    #[sea_orm(
        belongs_to = "super::repair_order::Entity",
        from = "Column::RepairId",
        to = "super::repair_order::Column::Id"
    )]
    RepairOrder,
}

impl Related<super::dealer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Dealer.def()
    }
}

impl Related<super::repair_order::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RepairOrder.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
