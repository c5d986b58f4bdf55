//! Forward-only schema migrations, valid on SQLite and PostgreSQL. Every CLI
//! subcommand and `serve` apply the pending ones first.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261124_000002_network;
mod m20261125_000003_stock;
mod m20261125_000004_vehicles;
mod m20261125_000005_repairs;
mod m20261125_000006_claims;
mod m20261125_000007_claim_indexes;
mod m20261125_000008_claim_check_once;
mod m20261203_000009_reporting;
mod m20261203_000010_cycle_days;
mod m20261203_000011_stock_levels_by_dealer;

pub use m20261124_000001_foundation::GENESIS_HASH;
pub use m20261203_000010_cycle_days::fill_cycle_days;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261124_000002_network::Migration),
            Box::new(m20261125_000003_stock::Migration),
            Box::new(m20261125_000004_vehicles::Migration),
            Box::new(m20261125_000005_repairs::Migration),
            Box::new(m20261125_000006_claims::Migration),
            Box::new(m20261125_000007_claim_indexes::Migration),
            Box::new(m20261125_000008_claim_check_once::Migration),
            Box::new(m20261203_000009_reporting::Migration),
            Box::new(m20261203_000010_cycle_days::Migration),
            Box::new(m20261203_000011_stock_levels_by_dealer::Migration),
        ]
    }
}
