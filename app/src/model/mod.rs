//! Types shared by the server and the browser: DTOs, enums and validation.
//! Everything here compiles to wasm, so the browser validates with the same code.

pub mod authorization;
pub mod battery;
pub mod campaign;
pub mod chart;
pub mod claim;
pub mod error;
pub mod field;
pub mod ledger;
pub mod limits;
pub mod money;
pub mod network;
pub mod parts;
pub mod policy;
pub mod repair;
pub mod reporting;
pub mod role;
pub mod stock;
pub mod time;
pub mod user;
pub mod validate;
pub mod vehicle;
pub mod vin;

pub use error::{AppError, FieldErrors};
pub use role::Role;
