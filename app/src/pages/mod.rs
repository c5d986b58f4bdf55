//! One module per page.

pub mod authorization;
pub mod authorizations;
pub mod claim;
pub mod claims;
pub mod dealer;
pub mod dealers;
pub mod home;
pub mod imports;
pub mod ledger;
pub mod login;
pub mod movements;
pub mod not_found;
pub mod oems;
pub mod part;
pub mod parts;
pub mod profile;
pub mod receive;
pub mod repair;
pub mod repairs;
pub mod stock;
pub mod stock_item;
pub mod trace;
pub mod users;
pub mod vehicles;
