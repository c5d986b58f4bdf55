//! SeaORM entities: data only. Behaviour lives in the services.

pub mod api_token;
pub mod authorization;
pub mod authorization_model;
pub mod authorization_status_change;
pub mod dealer;
pub mod ledger_entry;
pub mod ledger_head;
pub mod login_failure;
pub mod odometer_reading;
pub mod oem;
pub mod part;
pub mod part_unit;
pub mod part_word;
pub mod repair_labor;
pub mod repair_order;
pub mod repair_part;
pub mod session;
pub mod stock_level;
pub mod stock_movement;
pub mod user;
pub mod vehicle;
pub mod vehicle_model;
pub mod warranty_policy;
