use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "repair_parts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub repair_id: i64,
    pub part_id: i64,
    pub quantity: i64,
    pub serial: Option<String>,
    pub direction: String,
    pub price_minor: i64,
    pub currency: String,
    pub movement_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
