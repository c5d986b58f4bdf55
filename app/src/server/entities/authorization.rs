use sea_orm::entity::prelude::*;

/// An OEM authorization. `service_types` is a comma-separated list; the
/// models are in `authorization_models` (none: every model of the OEM).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authorizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub number: String,
    pub oem_id: i64,
    pub dealer_id: i64,
    pub service_types: String,
    pub valid_from: Date,
    pub valid_to: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::authorization_model::Entity")]
    Models,
    #[sea_orm(has_many = "super::authorization_status_change::Entity")]
    Changes,
}

impl Related<super::authorization_model::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Models.def()
    }
}

impl Related<super::authorization_status_change::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Changes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
