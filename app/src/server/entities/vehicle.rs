use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub vin: String,
    pub oem_id: i64,
    pub model_id: i64,
    pub model_year: i32,
    pub in_service_date: Date,
    pub country: String,
    pub last_odometer_km: Option<i64>,
    pub registered_by_dealer_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::vehicle_model::Entity",
        from = "Column::ModelId",
        to = "super::vehicle_model::Column::Id"
    )]
    VehicleModel,
}

impl Related<super::vehicle_model::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::VehicleModel.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
