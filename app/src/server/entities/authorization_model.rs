use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorization_models")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub authorization_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub model_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::authorization::Entity",
        from = "Column::AuthorizationId",
        to = "super::authorization::Column::Id"
    )]
    Authorization,
}

impl Related<super::authorization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Authorization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
