use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "warranty_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub oem_id: i64,
    pub model_id: Option<i64>,
    pub component_category: String,
    pub months: i32,
    pub km: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
