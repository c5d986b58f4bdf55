//! The life cycle of a serialized part unit: in stock, installed, removed,
//! returned to the OEM, recycled or scrapped.

use serde::{Deserialize, Serialize};

use super::MovementKind;

/// Where a serialized unit is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    InStock,
    Installed,
    Removed,
    ReturnedToOem,
    Recycled,
    Scrapped,
}

impl UnitStatus {
    pub const ALL: [UnitStatus; 6] = [
        UnitStatus::InStock,
        UnitStatus::Installed,
        UnitStatus::Removed,
        UnitStatus::ReturnedToOem,
        UnitStatus::Recycled,
        UnitStatus::Scrapped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::InStock => "in_stock",
            UnitStatus::Installed => "installed",
            UnitStatus::Removed => "removed",
            UnitStatus::ReturnedToOem => "returned_to_oem",
            UnitStatus::Recycled => "recycled",
            UnitStatus::Scrapped => "scrapped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    fn words(self) -> &'static str {
        match self {
            UnitStatus::InStock => "in stock",
            UnitStatus::Installed => "installed in a vehicle",
            UnitStatus::Removed => "removed from a vehicle",
            UnitStatus::ReturnedToOem => "returned to the OEM",
            UnitStatus::Recycled => "recycled",
            UnitStatus::Scrapped => "scrapped",
        }
    }
}

/// What happens to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitEvent {
    /// Delivered to a dealer (a receipt, or a unit found at stock-take).
    Received,
    /// Moved to another dealer of the network.
    Transferred,
    IssuedToRepair,
    ReturnedFromRepair,
    /// Taken out of a vehicle (a failed part).
    Removed,
    /// A removal recorded by mistake (or on a cancelled repair): the unit
    /// is in the vehicle after all.
    RemovalUndone,
    ReturnedToOem,
    Scrapped,
    Recycled,
}

impl UnitEvent {
    /// The event a stock movement of `kind` means for its units.
    pub fn of_movement(kind: MovementKind) -> Self {
        match kind {
            MovementKind::Receipt | MovementKind::Adjustment => UnitEvent::Received,
            MovementKind::TransferOut | MovementKind::TransferIn => UnitEvent::Transferred,
            MovementKind::IssueToRepair => UnitEvent::IssuedToRepair,
            MovementKind::ReturnFromRepair => UnitEvent::ReturnedFromRepair,
            MovementKind::ReturnToOem => UnitEvent::ReturnedToOem,
            MovementKind::Scrap => UnitEvent::Scrapped,
            MovementKind::Recycle => UnitEvent::Recycled,
        }
    }

    fn words(self) -> &'static str {
        match self {
            UnitEvent::Received => "received",
            UnitEvent::Transferred => "transferred",
            UnitEvent::IssuedToRepair => "issued to a repair",
            UnitEvent::ReturnedFromRepair => "returned from a repair",
            UnitEvent::Removed => "recorded as removed",
            UnitEvent::RemovalUndone => "put back in its vehicle",
            UnitEvent::ReturnedToOem => "returned to the OEM",
            UnitEvent::Scrapped => "scrapped",
            UnitEvent::Recycled => "recycled",
        }
    }

    /// The `part_unit.<verb>` ledger action.
    pub fn action(self) -> &'static str {
        match self {
            UnitEvent::Received => "part_unit.received",
            UnitEvent::Transferred => "part_unit.transferred",
            UnitEvent::IssuedToRepair => "part_unit.installed",
            UnitEvent::ReturnedFromRepair => "part_unit.returned_from_repair",
            UnitEvent::Removed => "part_unit.removed",
            UnitEvent::RemovalUndone => "part_unit.removal_undone",
            UnitEvent::ReturnedToOem => "part_unit.returned_to_oem",
            UnitEvent::Scrapped => "part_unit.scrapped",
            UnitEvent::Recycled => "part_unit.recycled",
        }
    }
}

/// The status a unit has after `event`, from `from` (`None`: a serial the
/// ledger has not seen yet).
///
/// # Errors
/// A sentence naming the serial's current status, e.g. "is installed in a
/// vehicle, so it cannot be scrapped".
pub fn unit_transition(from: Option<UnitStatus>, event: UnitEvent) -> Result<UnitStatus, String> {
    use UnitStatus as S;
    let to = match (from, event) {
        (None | Some(S::ReturnedToOem), UnitEvent::Received) => S::InStock,
        (Some(S::InStock), UnitEvent::Transferred) => S::InStock,
        (Some(S::InStock), UnitEvent::IssuedToRepair) => S::Installed,
        (Some(S::Installed), UnitEvent::ReturnedFromRepair) => S::InStock,
        (None | Some(S::Installed), UnitEvent::Removed) => S::Removed,
        (Some(S::Removed), UnitEvent::RemovalUndone) => S::Installed,
        (Some(S::InStock | S::Removed), UnitEvent::ReturnedToOem) => S::ReturnedToOem,
        (Some(S::InStock | S::Removed), UnitEvent::Scrapped) => S::Scrapped,
        (Some(S::InStock | S::Removed | S::ReturnedToOem), UnitEvent::Recycled) => S::Recycled,
        (None, _) => return Err(format!("is not known, so it cannot be {}", event.words())),
        (Some(status), _) => return Err(format!("is {}, so it cannot be {}", status.words(), event.words())),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_status_follows_its_life() {
        use UnitEvent as E;
        use UnitStatus as S;
        let legal = [
            (None, E::Received, S::InStock),
            (Some(S::ReturnedToOem), E::Received, S::InStock),
            (Some(S::InStock), E::Transferred, S::InStock),
            (Some(S::InStock), E::IssuedToRepair, S::Installed),
            (Some(S::Installed), E::ReturnedFromRepair, S::InStock),
            (Some(S::Installed), E::Removed, S::Removed),
            (None, E::Removed, S::Removed),
            (Some(S::Removed), E::RemovalUndone, S::Installed),
            (Some(S::Removed), E::ReturnedToOem, S::ReturnedToOem),
            (Some(S::InStock), E::ReturnedToOem, S::ReturnedToOem),
            (Some(S::InStock), E::Scrapped, S::Scrapped),
            (Some(S::Removed), E::Recycled, S::Recycled),
            (Some(S::ReturnedToOem), E::Recycled, S::Recycled),
        ];
        for (from, event, to) in legal {
            assert_eq!(unit_transition(from, event), Ok(to), "{from:?} + {event:?}");
        }
        let illegal = [
            (Some(S::InStock), E::Received),
            (Some(S::Installed), E::Received),
            (Some(S::Installed), E::Scrapped),
            (Some(S::Installed), E::Transferred),
            (Some(S::Removed), E::IssuedToRepair),
            (Some(S::Recycled), E::Received),
            (Some(S::Scrapped), E::Recycled),
            (None, E::IssuedToRepair),
            (None, E::Scrapped),
            (Some(S::ReturnedToOem), E::RemovalUndone),
            (None, E::RemovalUndone),
        ];
        for (from, event) in illegal {
            assert!(unit_transition(from, event).is_err(), "{from:?} + {event:?} must be refused");
        }
        assert_eq!(
            unit_transition(Some(S::Installed), E::Scrapped),
            Err("is installed in a vehicle, so it cannot be scrapped".into())
        );
    }
}
