//! The Aftermarket Ledger server: configuration, the HTTP router (pages,
//! server functions, REST API v1) and its security layers. Thin: every rule
//! lives in `app::server`.

pub mod config;
pub mod net;
pub mod rest;
pub mod router;
pub mod security;

pub use router::build_router;
