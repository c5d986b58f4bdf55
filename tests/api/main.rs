//! HTTP integration tests: a real server on a fresh database per test.
//! `TEST_DATABASE=sqlite` (default) or a PostgreSQL URL (each test creates
//! its own database there). `scripts/test` runs this binary on both.

mod helpers;

mod auth;
mod authorizations;
mod claims;
mod errors;
mod headers;
mod integrity;
mod ledger;
mod limits;
mod money;
mod network;
mod parts;
mod privacy;
mod repairs;
mod reports;
mod signin;
mod stock;
mod users;
mod vehicles;
