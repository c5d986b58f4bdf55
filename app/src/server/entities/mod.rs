//! SeaORM entities: data only. Behaviour lives in the services.

pub mod api_token;
pub mod dealer;
pub mod ledger_entry;
pub mod ledger_head;
pub mod login_failure;
pub mod oem;
pub mod session;
pub mod user;
