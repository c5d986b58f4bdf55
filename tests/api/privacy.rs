//! Drafts are the dealer's alone (DESIGN.md §13): nothing of a claim that
//! was never submitted reaches the OEM's service managers, the ledger
//! included. And an `Idempotency-Key` names a claim within its dealer only.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::claims::submit;
use crate::helpers::{PASSWORD, TestApp, json, spawn_app};
use crate::parts::create_part;
use crate::vehicles::{model, vin};

/// The OEM's side: the admin, a service manager, a model under the OEM's
/// policies and a warranty-eligible HV pack.
struct Oem {
    admin: String,
    manager: String,
    model_id: i64,
    pack: i64,
}

/// One dealer's workshop: its user, a vehicle and a completed repair that
/// swapped the pack.
struct Workshop {
    token: String,
    vin: String,
    repair_id: i64,
}

async fn oem(app: &TestApp) -> Oem {
    let admin = app.admin_token().await;
    app.create_user(json!({"email": "sm@test.example", "display_name": "Greta Lind", "role": "service_manager",
        "password": PASSWORD, "oem_id": app.oem}))
        .await;
    let manager = app.token("sm@test.example", PASSWORD).await;
    for (category, months, km) in [("vehicle_basic", 36, 100_000), ("hv_battery", 96, 160_000)] {
        let policy = json!({"oem_id": app.oem, "component_category": category, "months": months, "km": km});
        assert_eq!(app.post(&admin, "/warranty-policies", &policy).await.status(), StatusCode::CREATED);
    }
    let model_id = model(app, &admin).await;
    let pack = json!({"oem_id": app.oem, "part_number": "NVX-PACK", "description": "HV pack",
        "component_category": "hv_battery", "list_price": {"amount_minor": 2_000_000, "currency": "NOK"},
        "serialized": true, "warranty_eligible": true});
    let pack = create_part(app, &admin, &pack).await["id"].as_i64().expect("id");
    Oem { admin, manager, model_id, pack }
}

/// Dealer `dealer_id`, authorized by the OEM, repairs its own vehicle
/// (in service on `in_service`); `n` keeps its user, VIN and serials apart
/// from another dealer's.
async fn workshop(app: &TestApp, o: &Oem, dealer_id: i64, n: u8, in_service: &str) -> Workshop {
    let (_, token) = app.dealer_user(&format!("dealer{n}@test.example"), dealer_id).await;
    let grant = json!({"oem_id": app.oem, "dealer_id": dealer_id, "service_types": ["warranty_repair", "hv_battery"],
        "valid_from": "2020-01-01", "valid_to": "2035-12-31"});
    assert_eq!(app.post(&o.admin, "/authorizations", &grant).await.status(), StatusCode::CREATED);
    let vin = vin(&format!("lsvau2180n218362{n}"));
    let year: i32 = in_service[..4].parse().expect("a year");
    let vehicle = json!({"vin": vin, "oem_id": app.oem, "model_id": o.model_id, "model_year": year,
        "in_service_date": in_service, "country": "NO"});
    assert_eq!(app.post(&token, "/vehicles", &vehicle).await.status(), StatusCode::CREATED);
    let receipt = json!({"part_id": o.pack, "kind": "receipt", "quantity": 1, "serials": [format!("PK-NEW-{n}")]});
    assert_eq!(app.post(&token, "/stock/movements", &receipt).await.status(), StatusCode::CREATED);
    let repair = json!({"vin": vin, "odometer_km": 42000, "complaint": "HV isolation fault",
        "cause": "Cell module breakdown", "correction": "Pack replaced"});
    let repair_id = json(app.post(&token, "/repairs", &repair).await).await["id"].as_i64().expect("repair");
    let path = format!("/repairs/{repair_id}");
    for (suffix, body) in [
        ("labor", json!({"labor_code": "HV-PACK-RR", "description": "Pack remove and refit", "hours": 1.5})),
        ("parts", json!({"part_id": o.pack, "quantity": 1, "serial": format!("PK-OLD-{n}"), "direction": "removed"})),
        ("parts", json!({"part_id": o.pack, "quantity": 1, "serial": format!("PK-NEW-{n}"), "direction": "installed"})),
    ] {
        assert_eq!(app.post(&token, &format!("{path}/{suffix}"), &body).await.status(), StatusCode::CREATED);
    }
    assert_eq!(app.post(&token, &format!("{path}/complete"), &json!({})).await.status(), StatusCode::OK);
    Workshop { token, vin, repair_id }
}

/// A draft with its lines given (dealers price in their own currency).
async fn draft(app: &TestApp, o: &Oem, w: &Workshop) -> Value {
    let body = json!({"repair_id": w.repair_id, "causal_part_id": o.pack, "failure_code": "HV-ISO-01",
        "lines": [{"kind": "part", "part_id": o.pack, "description": "HV pack", "requested_minor": 2_000_000}]});
    let response = app.post(&w.token, "/claims", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

/// Uploads a small PNG to the claim; returns the file's id.
async fn attach_photo(app: &TestApp, token: &str, id: i64) -> i64 {
    let png = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], &[0u8; 64][..]].concat();
    let response = reqwest::Client::new()
        .post(app.url(&format!("/claims/{id}/attachments?name=isolation-log.png")))
        .bearer_auth(token)
        .body(png)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let claim = json(response).await;
    claim["attachments"].as_array().and_then(|files| files.last()).and_then(|f| f["id"].as_i64()).expect("file id")
}

/// The actions, in ledger order, of the entries about claim `id` or its
/// files, or naming its number, that `token` reads: in the whole ledger
/// and filtered by entity.
async fn entries_about(app: &TestApp, token: &str, id: i64, number: &str) -> Vec<String> {
    let mut actions = BTreeMap::new();
    for entity in ["", "&entity=claim", "&entity=attachment"] {
        let page = app.get(token, &format!("/ledger?limit=500{entity}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = json(page).await;
        for e in page["items"].as_array().cloned().unwrap_or_default() {
            let about = (e["entity"] == "claim" && e["entity_id"] == id)
                || e["data"]["claim_id"] == id
                || e["data"]["number"] == number;
            if let (true, Some(seq), Some(action)) = (about, e["seq"].as_i64(), e["action"].as_str()) {
                actions.insert(seq, action.to_string());
            }
        }
    }
    actions.into_values().collect()
}

/// The claim's timeline as `token` reads it on the claim.
async fn timeline(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let claim = app.get(token, &format!("/claims/{id}")).await;
    assert_eq!(claim.status(), StatusCode::OK);
    let claim = json(claim).await;
    claim["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_service_manager_sees_no_ledger_entry_of_a_draft() {
    let app = spawn_app().await;
    let o = oem(&app).await;
    let w = workshop(&app, &o, app.dealer_a, 1, "2024-03-01").await;
    let claim = draft(&app, &o, &w).await;
    let id = claim["id"].as_i64().expect("id");
    let number = claim["number"].as_str().expect("number").to_string();
    let towing = json!({"kind": "sublet", "description": "Towing to workshop", "requested_minor": 80_000});
    assert_eq!(app.post(&w.token, &format!("/claims/{id}/lines"), &towing).await.status(), StatusCode::CREATED);
    let file = attach_photo(&app, &w.token, id).await;
    let note = json!({"body": "Isolation log attached before we send it"});
    assert_eq!(app.post(&w.token, &format!("/claims/{id}/comments"), &note).await.status(), StatusCode::CREATED);

    assert_eq!(
        entries_about(&app, &o.manager, id, &number).await,
        Vec::<String>::new(),
        "no VIN, failure code, amount or file name of a draft reaches the OEM"
    );
    let dealers = entries_about(&app, &w.token, id, &number).await;
    for action in ["claim.created", "claim.line_added", "attachment.added", "claim.commented"] {
        assert!(dealers.iter().any(|a| a == action), "the dealer reads its own {action}: {dealers:?}");
    }
    let admins = entries_about(&app, &o.admin, id, &number).await;
    assert!(admins.iter().any(|a| a == "claim.created") && admins.iter().any(|a| a == "attachment.added"));

    assert_eq!(submit(&app, &w.token, id, "k-1").await.status(), StatusCode::OK);
    assert_eq!(
        entries_about(&app, &o.manager, id, &number).await,
        ["claim.submitted"],
        "from submission on the OEM reads the claim's entries"
    );
    assert_eq!(timeline(&app, &o.manager, id).await, ["claim.submitted"], "the draft's history stays the dealer's");
    assert_eq!(
        timeline(&app, &w.token, id).await,
        ["claim.created", "claim.line_added", "claim.commented", "claim.submitted"]
    );
    let download = app.get(&o.manager, &format!("/attachments/{file}")).await;
    assert_eq!(download.status(), StatusCode::OK, "a submitted claim's files are the reviewer's to read");
}

#[tokio::test]
async fn a_refused_submission_leaves_a_draft_the_oem_does_not_see() {
    let app = spawn_app().await;
    let o = oem(&app).await;
    // In service in 2016: the 96-month HV battery warranty has ended.
    let w = workshop(&app, &o, app.dealer_a, 1, "2016-01-10").await;
    let claim = draft(&app, &o, &w).await;
    let id = claim["id"].as_i64().expect("id");
    let number = claim["number"].as_str().expect("number").to_string();
    assert_eq!(submit(&app, &w.token, id, "k-1").await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(entries_about(&app, &o.manager, id, &number).await, Vec::<String>::new());
    assert!(
        entries_about(&app, &w.token, id, &number).await.iter().any(|a| a == "claim.submission_refused"),
        "the dealer reads why its submission was refused"
    );
    assert_eq!(app.get(&o.manager, &format!("/claims/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_draft_withdrawn_before_submission_stays_the_dealers() {
    let app = spawn_app().await;
    let o = oem(&app).await;
    let w = workshop(&app, &o, app.dealer_a, 1, "2024-03-01").await;
    let claim = draft(&app, &o, &w).await;
    let id = claim["id"].as_i64().expect("id");
    let number = claim["number"].as_str().expect("number").to_string();
    let file = attach_photo(&app, &w.token, id).await;
    let withdrawn = app.post(&w.token, &format!("/claims/{id}/withdraw"), &json!({})).await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    assert_eq!(json(withdrawn).await["status"], "withdrawn");

    let m = &o.manager;
    assert_eq!(app.get(m, &format!("/claims/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(m, &format!("/attachments/{file}")).await.status(), StatusCode::NOT_FOUND);
    let comment = json!({"body": "Why was this withdrawn?"});
    assert_eq!(app.post(m, &format!("/claims/{id}/comments"), &comment).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.post(m, &format!("/claims/{id}/part-returns"), &json!({})).await.status(), StatusCode::NOT_FOUND);
    for path in ["/claims", "/claims?status=withdrawn"] {
        let listed = json(app.get(m, path).await).await;
        assert_eq!(listed["items"], json!([]), "{path}");
    }
    let export = app.get(m, "/claims/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(!export.text().await.expect("csv").contains(&number), "not in the OEM's export");
    let car = app.get(m, &format!("/vehicles/{}", w.vin)).await;
    assert_eq!(car.status(), StatusCode::OK, "the OEM reads its vehicle");
    assert_eq!(json(car).await["claims"], json!([]), "but not the dealer's withdrawn draft on it");
    let traced = app.get(m, &format!("/trace?q={}", w.vin)).await;
    assert_eq!(traced.status(), StatusCode::OK);
    assert_eq!(json(traced).await["vehicle"]["claims"], json!([]));
    assert_eq!(entries_about(&app, m, id, &number).await, Vec::<String>::new());

    for (who, token) in [("dealer", &w.token), ("admin", &o.admin)] {
        let seen = app.get(token, &format!("/claims/{id}")).await;
        assert_eq!(seen.status(), StatusCode::OK, "the {who} still reads it");
        let seen = json(seen).await;
        assert_eq!(seen["status"], "withdrawn");
        assert_eq!(seen["attachments"].as_array().map(Vec::len), Some(1));
        assert_eq!(app.get(token, &format!("/attachments/{file}")).await.status(), StatusCode::OK, "{who}");
    }
    let car = json(app.get(&w.token, &format!("/vehicles/{}", w.vin)).await).await;
    assert_eq!(car["claims"][0]["id"], id, "the dealer's vehicle page lists it");
    let admins = entries_about(&app, &o.admin, id, &number).await;
    assert!(admins.iter().any(|a| a == "claim.withdrawn"), "{admins:?}");
}

#[tokio::test]
async fn two_dealers_may_use_the_same_idempotency_key() {
    let app = spawn_app().await;
    let o = oem(&app).await;
    let a = workshop(&app, &o, app.dealer_a, 1, "2024-03-01").await;
    let b = workshop(&app, &o, app.dealer_b, 2, "2024-03-01").await;
    let first = draft(&app, &o, &a).await["id"].as_i64().expect("id");
    let theirs = draft(&app, &o, &b).await["id"].as_i64().expect("id");

    let submitted = submit(&app, &a.token, first, "k-1").await;
    assert_eq!(submitted.status(), StatusCode::OK);
    assert_eq!(json(submitted).await["id"], first);
    let other_dealer = submit(&app, &b.token, theirs, "k-1").await;
    assert_eq!(other_dealer.status(), StatusCode::OK, "another dealer's key is none of this dealer's business");
    let other_dealer = json(other_dealer).await;
    assert_eq!((other_dealer["id"].as_i64(), other_dealer["status"].as_str()), (Some(theirs), Some("submitted")));

    let again = submit(&app, &a.token, first, "k-1").await;
    assert_eq!(again.status(), StatusCode::OK, "the same key on the same claim is the same submission");
    assert_eq!(json(again).await["id"], first);
    let second = draft(&app, &o, &a).await["id"].as_i64().expect("id");
    let reused = submit(&app, &a.token, second, "k-1").await;
    assert_eq!(reused.status(), StatusCode::CONFLICT, "within a dealer a key names one claim");
    let message = json(reused).await["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("Idempotency-Key"), "{message}");
    let still = json(app.get(&a.token, &format!("/claims/{second}")).await).await;
    assert_eq!(still["status"], "draft", "the refused key left the second claim a draft");
}
