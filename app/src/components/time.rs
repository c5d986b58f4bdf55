//! Times in the user's time zone, with the zone and UTC on hover.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::session::use_session;
use crate::model::time::{local_minutes, zone_label};

#[component]
pub fn Time(at: DateTime<Utc>) -> impl IntoView {
    let session = use_session();
    let zone = move || session.current().map(|u| u.time_zone).unwrap_or_else(|| "UTC".into());
    view! {
        <time
            datetime=at.to_rfc3339()
            title=move || format!("{} · {} UTC", zone_label(at, &zone()), at.format("%Y-%m-%d %H:%M"))
        >
            {move || local_minutes(at, &zone())}
        </time>
    }
}
