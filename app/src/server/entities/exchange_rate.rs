use sea_orm::entity::prelude::*;

/// Units of `currency` per 1 EUR on a working day, as exact decimal text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_rates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub currency: String,
    pub on_date: Date,
    pub per_eur: String,
    /// `ecb` or `manual`.
    pub source: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
