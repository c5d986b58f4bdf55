use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicle_models")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub oem_id: i64,
    pub code: String,
    pub name: String,
    pub powertrain: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
