//! Server-only code: entities, the domain services, the database. The wasm
//! build cannot reach any of it by construction.

pub mod auth;
pub mod authorizations;
pub mod backup;
pub mod bulk;
pub mod claims;
pub mod csv_export;
pub mod db;
pub mod dealers;
pub mod entities;
pub mod error;
pub mod ledger;
pub mod network;
pub mod oems;
pub mod pagination;
pub mod parts;
pub mod policies;
pub mod rates;
pub mod reader;
pub mod repairs;
pub mod reports;
pub mod secrets;
pub mod seed;
pub mod seed_bench;
pub mod seed_claims;
pub mod seed_field;
pub mod seed_fleet;
pub mod seed_repairs;
pub mod seed_stock;
pub mod state;
pub mod stock;
pub mod trace;
pub mod users;
pub mod vehicles;

pub use auth::Actor;
pub use state::AppState;
