use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub claim_id: i64,
    pub kind: String,
    pub part_id: Option<i64>,
    pub description: String,
    pub quantity: i64,
    pub requested_minor: i64,
    pub approved_minor: Option<i64>,
    pub decision: String,
    pub reason_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::part::Entity", from = "Column::PartId", to = "super::part::Column::Id")]
    Part,
}

impl Related<super::part::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Part.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
