use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "repair_labor")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub repair_id: i64,
    pub labor_code: String,
    pub description: String,
    pub hours_hundredths: i64,
    pub rate_minor: i64,
    pub currency: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
