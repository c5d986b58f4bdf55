//! Demo warranty claims: filed by each demo dealer on its completed repairs
//! of the last year and taken through every state by the OEMs' service
//! managers — approved, partially approved with reasons, rejected and
//! appealed, waiting for information, paid, withdrawn, and drafts whose
//! checks failed — all through the claim services, as those people.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::auth::Actor;
use super::claims;
use super::entities::{dealer, repair_order, user};
use crate::model::claim::{
    ClaimDto, ClaimStatus, CommentInput, LineDecisionInput, MarkPaidInput, NewClaim, NewClaimLine, NewPartReturn,
    PartReturnPatch, RequestInfoInput, ReviewInput, VersionInput,
};
use crate::model::repair::{PartDirection, RepairStatus};
use crate::model::{AppError, Role};

/// Demo exchange rates from EUR (the catalogue's currency), only to let
/// dealers price parts in their own currency when they file.
fn eur_rate(currency: &str) -> f64 {
    match currency {
        "NOK" => 11.6,
        "SEK" => 11.4,
        "HUF" => 395.0,
        "THB" => 38.0,
        "BRL" => 6.1,
        "MXN" => 19.5,
        "EGP" => 52.0,
        _ => 1.0,
    }
}

const FAILURE_CODES: [&str; 6] = ["HV-ISO-01", "P0AA6", "OBC-NOCHG", "DU-NOISE", "BRK-SQL", "P1A10"];

/// # Errors
/// When a service refuses something the demo expects to work.
pub async fn seed_claims(db: &DatabaseConnection, data_dir: &std::path::Path) -> Result<(), AppError> {
    let since = Utc::now().date_naive() - Duration::days(330);
    let managers = user::Entity::find().filter(user::Column::Role.eq(Role::ServiceManager.as_str())).all(db).await?;
    let mut n = 0usize;
    for d in dealer::Entity::find().order_by_asc(dealer::Column::Id).all(db).await? {
        let Some(login) = user::Entity::find()
            .filter(user::Column::DealerId.eq(d.id))
            .filter(user::Column::Role.eq(Role::Dealer.as_str()))
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(dealer_actor) = Actor::command_line_as(&login) else { continue };
        let repairs = repair_order::Entity::find()
            .filter(repair_order::Column::DealerId.eq(d.id))
            .filter(repair_order::Column::Status.eq(RepairStatus::Completed.as_str()))
            .filter(repair_order::Column::OpenedOn.gte(since))
            .order_by_asc(repair_order::Column::Id)
            .all(db)
            .await?;
        for repair in repairs {
            let full = super::repairs::get(db, &dealer_actor, repair.id).await?;
            let installed: Vec<_> = full.parts.iter().filter(|p| p.direction == PartDirection::Installed).collect();
            let Some(causal) =
                full.parts.iter().find(|p| p.direction == PartDirection::Removed).or(installed.first().copied())
            else {
                continue;
            };
            n += 1;
            let mut lines: Vec<NewClaimLine> = installed
                .iter()
                .map(|p| {
                    // Demo prices converted once, rounded to whole units.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
                    let amount =
                        ((p.price_minor * p.quantity) as f64 * eur_rate(&d.currency) / 100.0).round() as i64 * 100;
                    #[allow(clippy::cast_precision_loss)]
                    let quantity = Some(p.quantity as f64);
                    NewClaimLine {
                        kind: "part".into(),
                        description: format!("{} {}", p.part_number, p.description),
                        part_id: Some(p.part_id),
                        quantity,
                        requested_minor: amount,
                    }
                })
                .collect();
            lines.extend(full.labor.iter().map(|l| NewClaimLine {
                kind: "labor".into(),
                description: format!("{} {}", l.labor_code, l.description),
                part_id: None,
                quantity: Some(l.hours),
                requested_minor: l.amount_minor,
            }));
            if n.is_multiple_of(7) {
                lines.push(NewClaimLine {
                    kind: "sublet".into(),
                    description: "Towing to the workshop".into(),
                    part_id: None,
                    quantity: None,
                    requested_minor: 150_000,
                });
            }
            let input = NewClaim {
                repair_id: repair.id,
                causal_part_id: causal.part_id,
                failure_code: FAILURE_CODES[n % FAILURE_CODES.len()].into(),
                lines: Some(lines),
            };
            let claim = claims::create(db, &dealer_actor, input).await?;
            if n.is_multiple_of(11) {
                continue; // a draft, not submitted yet
            }
            let claim = match claims::submit(db, &dealer_actor, claim.id, Some(format!("demo-{}", claim.id))).await {
                Ok(c) => c,
                Err(AppError::SubmissionBlocked { .. }) => continue, // stays a draft with its failed checks
                Err(other) => return Err(other),
            };
            if n.is_multiple_of(4) {
                let name = format!("failed-part-label-{}.png", claim.number);
                claims::attach(db, data_dir, &dealer_actor, claim.id, &name, tiny_png(n)).await?;
            }
            if n.is_multiple_of(9) {
                // Filed twice by mistake: the second one carries a duplicate warning for the reviewer.
                let again = NewClaim {
                    repair_id: repair.id,
                    causal_part_id: claim.causal_part_id,
                    failure_code: claim.failure_code.clone(),
                    lines: Some(vec![NewClaimLine {
                        kind: "sublet".into(),
                        description: "Road test after repair".into(),
                        part_id: None,
                        quantity: None,
                        requested_minor: 50_000,
                    }]),
                };
                let twin = claims::create(db, &dealer_actor, again).await?;
                claims::submit(db, &dealer_actor, twin.id, Some(format!("demo-{}", twin.id))).await?;
            }
            let Some(manager) =
                managers.iter().find(|m| m.oem_id == Some(claim.oem_id)).and_then(Actor::command_line_as)
            else {
                continue;
            };
            review_demo(db, &dealer_actor, &manager, claim, n).await?;
        }
    }
    Ok(())
}

/// A small valid PNG (a 2×2 grey square), different per claim.
fn tiny_png(n: usize) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let chunk = |kind: &[u8], data: &[u8], out: &mut Vec<u8>| {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0], &mut bytes);
    // Stored (uncompressed) deflate of two scanlines: filter byte 0, two grey pixels.
    #[allow(clippy::cast_possible_truncation)]
    let grey = (n * 37 % 256) as u8;
    let raw = [0, grey, grey, 0, grey, grey];
    let mut zlib = vec![0x78, 0x01, 0x01, 6, 0, 0xF9, 0xFF];
    zlib.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for byte in raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    chunk(b"IDAT", &zlib, &mut bytes);
    chunk(b"IEND", &[], &mut bytes);
    bytes
}

/// Moves a submitted claim on, by its running number: some stay waiting.
async fn review_demo(
    db: &DatabaseConnection,
    dealer: &Actor,
    manager: &Actor,
    claim: ClaimDto,
    n: usize,
) -> Result<(), AppError> {
    let comment = |text: &str| CommentInput { comment: text.into(), attachment_ids: None };
    match n % 10 {
        0 | 1 => Ok(()), // waiting in the queue
        2 => {
            let request = RequestInfoInput {
                version: claim.version,
                comment: "Please attach the isolation test log and a photo of the failed part label.".into(),
            };
            claims::request_info(db, manager, claim.id, request).await.map(|_| ())
        }
        3 => claims::withdraw(db, dealer, claim.id).await.map(|_| ()),
        4 => claims::take(db, manager, claim.id, VersionInput { version: claim.version }).await.map(|_| ()),
        _ => {
            let taken = claims::get(db, manager, claim.id).await?;
            let decisions: Vec<LineDecisionInput> = taken
                .lines
                .iter()
                .enumerate()
                .map(|(i, line)| match (n % 10, i) {
                    (7, _) => LineDecisionInput {
                        line_id: line.id,
                        decision: "rejected".into(),
                        approved_minor: None,
                        reason_code: Some("not_covered".into()),
                    },
                    (8, 1) => LineDecisionInput {
                        line_id: line.id,
                        decision: "adjusted".into(),
                        approved_minor: Some(line.requested_minor * 3 / 4),
                        reason_code: Some("labor_time_exceeded".into()),
                    },
                    _ => LineDecisionInput {
                        line_id: line.id,
                        decision: "approved".into(),
                        approved_minor: None,
                        reason_code: None,
                    },
                })
                .collect();
            let note = match n % 10 {
                7 => Some("Damage from an accident repair, not a warranty failure.".to_string()),
                8 => Some("Labour per the OEM time guide.".to_string()),
                _ => None,
            };
            let decided = claims::review(
                db,
                manager,
                claim.id,
                ReviewInput { version: taken.version, lines: decisions, comment: note },
            )
            .await?;
            if n % 4 == 1 || n % 10 == 6 {
                // The OEM wants the failed part for analysis; some are already on their way.
                let asked = NewPartReturn {
                    note: Some("Return in the original packaging for analysis.".into()),
                    ..Default::default()
                };
                let with_return = claims::request_part_return(db, manager, claim.id, asked).await?;
                if let Some(back) = with_return.part_returns.first().filter(|_| !n.is_multiple_of(3)) {
                    let shipped = PartReturnPatch {
                        status: "shipped".into(),
                        tracking: Some(format!("DHL {:010}", 4_000_000_000 + n)),
                        note: None,
                    };
                    claims::update_part_return(db, dealer, back.id, shipped).await?;
                }
            }
            match (decided.status, n % 3) {
                (ClaimStatus::Rejected, 0) => claims::appeal(
                    db,
                    dealer,
                    claim.id,
                    comment("The pack was never opened before; see the repair history."),
                )
                .await
                .map(|_| ()),
                (ClaimStatus::Approved | ClaimStatus::PartiallyApproved, 0 | 1) => {
                    let paid = MarkPaidInput { version: decided.version, reference: format!("PAY-{}", decided.number) };
                    claims::mark_paid(db, manager, claim.id, paid).await.map(|_| ())
                }
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_photo_is_a_png() {
        assert_eq!(crate::model::claim::sniff(&super::tiny_png(3), "label.png"), Ok("image/png"));
    }
}
