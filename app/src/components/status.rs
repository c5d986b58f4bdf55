//! Status chips: colour with text, never colour alone.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::model::authorization::{AuthorizationStatus, ServiceType};
use crate::model::policy::ComponentCategory;

#[component]
pub fn AuthorizationChip(status: AuthorizationStatus) -> impl IntoView {
    let class = match status {
        AuthorizationStatus::Active => "chip chip-ok",
        AuthorizationStatus::Suspended => "chip chip-warn",
        AuthorizationStatus::Revoked => "chip chip-error",
        AuthorizationStatus::Expired | AuthorizationStatus::Pending => "chip chip-muted",
    };
    view! { <span class=class>{status_label(status)}</span> }
}

/// A service type's name in the current language.
pub fn service_type_label(service_type: ServiceType) -> AnyView {
    let i18n = use_i18n();
    match service_type {
        ServiceType::WarrantyRepair => t!(i18n, st_warranty_repair).into_any(),
        ServiceType::HvBattery => t!(i18n, st_hv_battery).into_any(),
        ServiceType::BodyPaint => t!(i18n, st_body_paint).into_any(),
        ServiceType::RecallCampaign => t!(i18n, st_recall_campaign).into_any(),
        ServiceType::Maintenance => t!(i18n, st_maintenance).into_any(),
    }
}

/// Several service types, comma-separated.
#[component]
pub fn ServiceTypes(types: Vec<ServiceType>) -> impl IntoView {
    types
        .into_iter()
        .enumerate()
        .map(|(i, t)| view! { {(i > 0).then_some(", ")}{service_type_label(t)} })
        .collect_view()
}

/// A component category's name in the current language.
pub fn category_label(category: ComponentCategory) -> AnyView {
    let i18n = use_i18n();
    match category {
        ComponentCategory::VehicleBasic => t!(i18n, cat_vehicle_basic).into_any(),
        ComponentCategory::HvBattery => t!(i18n, cat_hv_battery).into_any(),
        ComponentCategory::DriveUnit => t!(i18n, cat_drive_unit).into_any(),
        ComponentCategory::Electronics => t!(i18n, cat_electronics).into_any(),
        ComponentCategory::BodyPaint => t!(i18n, cat_body_paint).into_any(),
    }
}

/// A status's name in the current language (for filters).
pub fn status_label(status: AuthorizationStatus) -> AnyView {
    let i18n = use_i18n();
    match status {
        AuthorizationStatus::Active => t!(i18n, status_active).into_any(),
        AuthorizationStatus::Suspended => t!(i18n, status_suspended).into_any(),
        AuthorizationStatus::Revoked => t!(i18n, status_revoked).into_any(),
        AuthorizationStatus::Expired => t!(i18n, status_expired).into_any(),
        AuthorizationStatus::Pending => t!(i18n, status_pending).into_any(),
    }
}
