//! One module per page.

pub mod authorization;
pub mod authorizations;
pub mod dealer;
pub mod dealers;
pub mod home;
pub mod ledger;
pub mod login;
pub mod not_found;
pub mod oems;
pub mod profile;
pub mod users;
