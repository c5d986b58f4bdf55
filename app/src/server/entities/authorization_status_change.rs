use sea_orm::entity::prelude::*;

/// A suspension, reinstatement or revocation, effective from a day on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorization_status_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub authorization_id: i64,
    pub kind: String,
    pub effective_date: Date,
    pub reason: String,
    pub actor_id: i64,
    pub created_at: DateTimeUtc,
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
