//! Reusable UI pieces. They render and collect input; rules live in services.

pub mod chart;
pub mod form;
pub mod guard;
pub mod layout;
pub mod session;
pub mod status;
pub mod time;
pub mod upload;
