//! Status chips: colour with text, never colour alone.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::model::authorization::AuthorizationStatus;

#[component]
pub fn AuthorizationChip(status: AuthorizationStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match status {
        AuthorizationStatus::Active => ("chip chip-ok", t!(i18n, status_active).into_any()),
        AuthorizationStatus::Suspended => ("chip chip-warn", t!(i18n, status_suspended).into_any()),
        AuthorizationStatus::Revoked => ("chip chip-error", t!(i18n, status_revoked).into_any()),
        AuthorizationStatus::Expired => ("chip chip-muted", t!(i18n, status_expired).into_any()),
        AuthorizationStatus::Pending => ("chip chip-muted", t!(i18n, status_pending).into_any()),
    };
    view! { <span class=class>{label}</span> }
}
