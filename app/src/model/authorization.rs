//! OEM authorizations: which dealer may do which work, for which models, when.
//!
//! The rule lives here, in one function, so the browser, the API and claim
//! checks all answer "is this dealer authorized on day D?" the same way.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kinds of work an authorization covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    WarrantyRepair,
    HvBattery,
    BodyPaint,
    RecallCampaign,
    Maintenance,
}

impl ServiceType {
    pub const ALL: [ServiceType; 5] = [
        ServiceType::WarrantyRepair,
        ServiceType::HvBattery,
        ServiceType::BodyPaint,
        ServiceType::RecallCampaign,
        ServiceType::Maintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::WarrantyRepair => "warranty_repair",
            ServiceType::HvBattery => "hv_battery",
            ServiceType::BodyPaint => "body_paint",
            ServiceType::RecallCampaign => "recall_campaign",
            ServiceType::Maintenance => "maintenance",
        }
    }
}

impl fmt::Display for ServiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ServiceType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ServiceType::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            "must be one of warranty_repair, hv_battery, body_paint, recall_campaign, maintenance".to_string()
        })
    }
}

/// What an admin does to an authorization after creating it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatusChangeKind {
    Suspended,
    Reinstated,
    Revoked,
}

/// The status shown for an authorization on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationStatus {
    Active,
    Suspended,
    Revoked,
    Expired,
    /// Valid from a day still to come.
    Pending,
}

/// One suspension, reinstatement or revocation, effective from a day on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub kind: StatusChangeKind,
    pub effective: NaiveDate,
}

/// The terms of one authorization, as the rule needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub oem_id: i64,
    pub dealer_id: i64,
    pub service_types: Vec<ServiceType>,
    /// Empty: every model of the OEM.
    pub model_ids: Vec<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// In the order they were made.
    pub changes: Vec<StatusChange>,
}

/// What is asked: this dealer, this OEM's model, this work, on this day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub dealer_id: i64,
    pub oem_id: i64,
    pub model_id: i64,
    pub service_type: ServiceType,
    pub day: NaiveDate,
}

impl Terms {
    /// The status on `day`: revoked from the revocation's effective day on
    /// (a revocation is final), suspended from a suspension's effective day
    /// until a later-effective reinstatement, expired after `valid_to`,
    /// pending before `valid_from`, otherwise active.
    pub fn status_on(&self, day: NaiveDate) -> AuthorizationStatus {
        if self.changes.iter().any(|c| c.kind == StatusChangeKind::Revoked && c.effective <= day) {
            return AuthorizationStatus::Revoked;
        }
        // Of the changes already effective on `day`, the one effective last
        // wins; among changes effective the same day, the one made last.
        let latest = self
            .changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.effective <= day)
            .max_by_key(|(order, c)| (c.effective, *order))
            .map(|(_, c)| c.kind);
        if latest == Some(StatusChangeKind::Suspended) {
            return AuthorizationStatus::Suspended;
        }
        if day > self.valid_to {
            AuthorizationStatus::Expired
        } else if day < self.valid_from {
            AuthorizationStatus::Pending
        } else {
            AuthorizationStatus::Active
        }
    }

    /// Whether these terms authorize the work asked about.
    pub fn covers(&self, q: &Question) -> bool {
        self.dealer_id == q.dealer_id
            && self.oem_id == q.oem_id
            && self.service_types.contains(&q.service_type)
            && (self.model_ids.is_empty() || self.model_ids.contains(&q.model_id))
            && self.status_on(q.day) == AuthorizationStatus::Active
    }
}

/// Is the dealer authorized for this OEM, model and service type on that
/// day? Yes when any one authorization covers it (they may overlap).
pub fn is_authorized<'a>(authorizations: impl IntoIterator<Item = &'a Terms>, q: &Question) -> bool {
    authorizations.into_iter().any(|terms| terms.covers(q))
}

/// An authorization as the API and the UI show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuthorizationDto {
    pub id: i64,
    pub number: String,
    pub oem_id: i64,
    pub oem_name: String,
    pub dealer_id: i64,
    pub dealer_name: String,
    pub service_types: Vec<ServiceType>,
    /// Empty: every model of the OEM.
    pub model_ids: Vec<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    /// The status today.
    pub status: AuthorizationStatus,
    pub status_changes: Vec<StatusChangeDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChangeDto {
    pub kind: StatusChangeKind,
    pub effective_date: NaiveDate,
    pub reason: String,
    pub actor_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `POST /authorizations`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAuthorization {
    pub oem_id: i64,
    pub dealer_id: i64,
    pub service_types: Vec<String>,
    #[serde(default)]
    pub model_ids: Vec<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

/// `POST /authorizations/{id}/suspend|reinstate|revoke`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChangeRequest {
    pub effective_date: NaiveDate,
    pub reason: String,
}

/// Filters of `GET /authorizations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
pub struct AuthorizationFilter {
    #[serde(default)]
    pub dealer_id: Option<i64>,
    #[serde(default)]
    pub oem_id: Option<i64>,
    /// active, suspended, revoked, expired or pending (as of today).
    #[serde(default)]
    pub status: Option<String>,
    /// Valid today and ending within this many days.
    #[serde(default)]
    pub expiring_within_days: Option<i64>,
    #[serde(default)]
    pub limit: Option<u64>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// What needs an admin's attention in the network today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOverview {
    /// Active authorizations ending within 30, 60 and 90 days.
    pub expiring: [(i64, usize); 3],
    pub suspended: usize,
    /// Active dealers without any authorization active today: `(id, code, name)`.
    pub dealers_without_active: Vec<(i64, String, String)>,
}

impl AuthorizationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizationStatus::Active => "active",
            AuthorizationStatus::Suspended => "suspended",
            AuthorizationStatus::Revoked => "revoked",
            AuthorizationStatus::Expired => "expired",
            AuthorizationStatus::Pending => "pending",
        }
    }

    /// # Errors
    /// A message naming the statuses.
    pub fn parse(raw: &str) -> Result<Self, String> {
        [Self::Active, Self::Suspended, Self::Revoked, Self::Expired, Self::Pending]
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| "must be one of active, suspended, revoked, expired, pending".into())
    }
}

impl StatusChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusChangeKind::Suspended => "suspended",
            StatusChangeKind::Reinstated => "reinstated",
            StatusChangeKind::Revoked => "revoked",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Suspended, Self::Reinstated, Self::Revoked].into_iter().find(|k| k.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn terms() -> Terms {
        Terms {
            oem_id: 1,
            dealer_id: 10,
            service_types: vec![ServiceType::WarrantyRepair, ServiceType::HvBattery],
            model_ids: vec![],
            valid_from: day("2026-01-01"),
            valid_to: day("2026-12-31"),
            changes: vec![],
        }
    }

    fn ask(on: &str) -> Question {
        Question { dealer_id: 10, oem_id: 1, model_id: 5, service_type: ServiceType::HvBattery, day: day(on) }
    }

    #[test]
    fn the_first_and_last_valid_days_are_covered_and_the_days_around_them_are_not() {
        let t = terms();
        assert!(t.covers(&ask("2026-01-01")));
        assert!(t.covers(&ask("2026-12-31")));
        assert!(!t.covers(&ask("2025-12-31")));
        assert!(!t.covers(&ask("2027-01-01")));
        assert_eq!(t.status_on(day("2027-01-01")), AuthorizationStatus::Expired);
        assert_eq!(t.status_on(day("2025-12-31")), AuthorizationStatus::Pending);
    }

    #[test]
    fn a_suspension_counts_from_its_effective_day() {
        let mut t = terms();
        t.changes.push(StatusChange { kind: StatusChangeKind::Suspended, effective: day("2026-06-01") });
        assert!(t.covers(&ask("2026-05-31")));
        assert!(!t.covers(&ask("2026-06-01")));
        assert_eq!(t.status_on(day("2026-07-01")), AuthorizationStatus::Suspended);
    }

    #[test]
    fn a_reinstatement_restores_from_its_effective_day() {
        let mut t = terms();
        t.changes.push(StatusChange { kind: StatusChangeKind::Suspended, effective: day("2026-06-01") });
        t.changes.push(StatusChange { kind: StatusChangeKind::Reinstated, effective: day("2026-07-01") });
        assert!(!t.covers(&ask("2026-06-30")));
        assert!(t.covers(&ask("2026-07-01")));
        assert!(t.covers(&ask("2026-05-15")), "the days before the suspension stay covered");
    }

    #[test]
    fn a_revocation_after_the_repair_date_leaves_the_repair_covered() {
        let mut t = terms();
        t.changes.push(StatusChange { kind: StatusChangeKind::Revoked, effective: day("2026-09-01") });
        assert!(t.covers(&ask("2026-08-31")));
        assert!(!t.covers(&ask("2026-09-01")));
        assert_eq!(t.status_on(day("2026-10-01")), AuthorizationStatus::Revoked);
    }

    #[test]
    fn a_revocation_is_final_even_after_a_later_reinstatement() {
        let mut t = terms();
        t.changes.push(StatusChange { kind: StatusChangeKind::Revoked, effective: day("2026-03-01") });
        t.changes.push(StatusChange { kind: StatusChangeKind::Reinstated, effective: day("2026-04-01") });
        assert!(!t.covers(&ask("2026-05-01")));
    }

    #[test]
    fn a_model_outside_the_list_is_not_covered() {
        let mut t = terms();
        t.model_ids = vec![4, 6];
        assert!(!t.covers(&ask("2026-05-01")));
        t.model_ids.push(5);
        assert!(t.covers(&ask("2026-05-01")));
    }

    #[test]
    fn another_dealer_oem_or_service_type_is_not_covered() {
        let t = terms();
        assert!(!t.covers(&Question { dealer_id: 11, ..ask("2026-05-01") }));
        assert!(!t.covers(&Question { oem_id: 2, ..ask("2026-05-01") }));
        assert!(!t.covers(&Question { service_type: ServiceType::BodyPaint, ..ask("2026-05-01") }));
    }

    #[test]
    fn overlapping_authorizations_cover_where_any_one_does() {
        let mut suspended = terms();
        suspended.changes.push(StatusChange { kind: StatusChangeKind::Suspended, effective: day("2026-01-01") });
        let mut later = terms();
        later.valid_from = day("2026-06-01");
        later.valid_to = day("2027-05-31");
        assert!(!is_authorized([&suspended, &later], &ask("2026-05-01")));
        assert!(is_authorized([&suspended, &later], &ask("2026-06-01")));
        assert!(is_authorized([&suspended, &later], &ask("2027-05-31")));
        assert!(!is_authorized(std::iter::empty::<&Terms>(), &ask("2026-06-01")));
    }

    #[test]
    fn service_types_parse_from_their_names() {
        for t in ServiceType::ALL {
            assert_eq!(t.as_str().parse::<ServiceType>(), Ok(t));
        }
        assert!("oil_change".parse::<ServiceType>().is_err());
    }
}
