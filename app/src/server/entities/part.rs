use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "parts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub oem_id: i64,
    pub part_number: String,
    pub description: String,
    pub component_category: String,
    pub list_price_minor: i64,
    pub currency: String,
    pub serialized: bool,
    pub warranty_eligible: bool,
    pub dangerous_goods: bool,
    pub active: bool,
    pub superseded_by_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
