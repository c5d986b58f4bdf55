//! Money at its edges (DESIGN.md §13): an amount too large to record is a
//! 422 naming the field that made it — never a 500 (a debug build's
//! overflow panic) or a silently wrapped total (a release build's).

use reqwest::StatusCode;
use serde_json::json;

use crate::claims::{case, new_claim};
use crate::helpers::{TestApp, json, spawn_app};
use crate::parts::{create_part, part_body};
use crate::vehicles::{body as vehicle_body, model, vin};

/// The most one line may carry, in minor units.
const LINE_LIMIT: i64 = 1_000_000_000_000;

#[tokio::test]
async fn a_sublet_line_too_large_to_add_up_is_a_field_error_and_the_total_stays() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    // i64::MAX would wrap the claim's total (2,150,000 already) to a negative amount.
    for amount in [i64::MAX, i64::MAX - 2_149_999, LINE_LIMIT + 1] {
        let towing = json!({"kind": "sublet", "description": "Towing", "requested_minor": amount});
        let response = app.post(&c.dealer, &format!("/claims/{id}/lines"), &towing).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{amount}");
        let body = json(response).await;
        assert!(body["error"]["fields"]["requested_minor"].is_string(), "{amount}: {body}");
    }
    let at_the_limit = json!({"kind": "sublet", "description": "Towing", "requested_minor": LINE_LIMIT});
    let added = app.post(&c.dealer, &format!("/claims/{id}/lines"), &at_the_limit).await;
    assert!(added.status().is_success(), "{}", added.status());
    assert_eq!(json(added).await["requested_total"]["amount_minor"], 2_150_000 + LINE_LIMIT);

    // Lines given with a new claim are named by their place in the list.
    let given = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "hv-iso-01", "lines": [
        {"kind": "sublet", "description": "Towing", "requested_minor": 80_000},
        {"kind": "sublet", "description": "Ferry", "requested_minor": i64::MAX},
    ]});
    let refused = app.post(&c.dealer, "/claims", &given).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(refused).await;
    assert!(body["error"]["fields"]["lines[1].requested_minor"].is_string(), "{body}");
}

/// A dealer user, a registered vehicle and an open repair at dealer A.
async fn open_repair(app: &TestApp) -> (String, String, i64) {
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("a@test.example", app.dealer_a).await;
    let model_id = model(app, &admin).await;
    let vin = vin("lsvau2180n2183624");
    assert_eq!(app.post(&dealer, "/vehicles", &vehicle_body(app, model_id, &vin)).await.status(), StatusCode::CREATED);
    let repair = json!({"vin": vin, "odometer_km": 15000, "complaint": "Warning lamp: HV isolation fault"});
    let response = app.post(&dealer, "/repairs", &repair).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let id = json(response).await["id"].as_i64().expect("id");
    (admin, dealer, id)
}

#[tokio::test]
async fn a_part_line_whose_price_times_quantity_is_too_large_names_the_quantity_and_moves_nothing() {
    let app = spawn_app().await;
    let (admin, dealer, repair) = open_repair(&app).await;
    let mut part = part_body(app.oem, "NVX-PACK-XL", false);
    part["list_price"] = json!({"amount_minor": LINE_LIMIT, "currency": "NOK"});
    let pack = create_part(&app, &admin, &part).await["id"].as_i64().expect("id");
    let receipt = json!({"part_id": pack, "kind": "receipt", "quantity": 3});
    assert_eq!(app.post(&dealer, "/stock/movements", &receipt).await.status(), StatusCode::CREATED);

    let path = format!("/repairs/{repair}/parts");
    let two = json!({"part_id": pack, "quantity": 2, "direction": "installed"});
    let refused = app.post(&dealer, &path, &two).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(refused).await;
    assert!(body["error"]["fields"]["quantity"].as_str().unwrap_or_default().contains("1,000,000,000,000"), "{body}");

    let one = json!({"part_id": pack, "quantity": 1, "direction": "installed"});
    assert_eq!(app.post(&dealer, &path, &one).await.status(), StatusCode::CREATED);
    let stock = json(app.get(&dealer, &format!("/stock?part_id={pack}")).await).await;
    assert_eq!(stock["items"][0]["on_hand"], 2, "only the accepted line took stock");
    let shown = json(app.get(&dealer, &format!("/repairs/{repair}")).await).await;
    assert_eq!(shown["parts_total_minor"], LINE_LIMIT);
}

#[tokio::test]
async fn a_labour_line_too_large_at_the_dealers_rate_names_the_hours() {
    let app = spawn_app().await;
    let (admin, dealer, repair) = open_repair(&app).await;
    let rate = json!({"labor_rate": {"amount_minor": LINE_LIMIT, "currency": "NOK"}});
    let patched = app.patch(&admin, &format!("/dealers/{}", app.dealer_a), &rate).await;
    assert!(patched.status().is_success(), "{}", patched.status());

    let path = format!("/repairs/{repair}/labor");
    let long = json!({"labor_code": "HV-PACK-RR", "description": "Pack remove and refit", "hours": 999.99});
    let refused = app.post(&dealer, &path, &long).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(refused).await["error"]["fields"]["hours"].is_string());

    let hour = json!({"labor_code": "HV-PACK-RR", "description": "Pack remove and refit", "hours": 1});
    assert_eq!(app.post(&dealer, &path, &hour).await.status(), StatusCode::CREATED);
}
