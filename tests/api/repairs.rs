use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, json, spawn_app};
use crate::parts::{create_part, part_body};
use crate::vehicles::{body as vehicle_body, model, vin};

/// A dealer's workshop: a registered vehicle, packs and fuses in stock.
struct Workshop {
    admin: String,
    dealer: String,
    vin: String,
    pack: i64,
    fuse: i64,
}

async fn workshop(app: &TestApp) -> Workshop {
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("a@test.example", app.dealer_a).await;
    let model_id = model(app, &admin).await;
    let vin = vin("lsvau2180n2183624");
    assert_eq!(app.post(&dealer, "/vehicles", &vehicle_body(app, model_id, &vin)).await.status(), StatusCode::CREATED);
    let pack = create_part(app, &admin, &part_body(app.oem, "NVX-PACK", true)).await["id"].as_i64().expect("id");
    let fuse = create_part(app, &admin, &part_body(app.oem, "NVX-FUSE", false)).await["id"].as_i64().expect("id");
    for body in [
        json!({"part_id": pack, "kind": "receipt", "quantity": 2, "serials": ["PK-1", "PK-2"]}),
        json!({"part_id": fuse, "kind": "receipt", "quantity": 5}),
    ] {
        assert_eq!(app.post(&dealer, "/stock/movements", &body).await.status(), StatusCode::CREATED);
    }
    Workshop { admin, dealer, vin, pack, fuse }
}

async fn open_repair(app: &TestApp, token: &str, vin: &str) -> Value {
    let body = json!({"vin": vin, "odometer_km": 15000, "complaint": "Warning lamp: HV isolation fault"});
    let response = app.post(token, "/repairs", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

async fn on_hand(app: &TestApp, token: &str, part_id: i64) -> i64 {
    let page = json(app.get(token, &format!("/stock?part_id={part_id}")).await).await;
    page["items"][0]["on_hand"].as_i64().unwrap_or(0)
}

async fn unit(app: &TestApp, token: &str, serial: &str, part_id: i64) -> Value {
    json(app.get(token, &format!("/part-units/{serial}?part_id={part_id}")).await).await
}

#[tokio::test]
async fn a_repair_issues_stock_records_the_failed_unit_and_completes() {
    let app = spawn_app().await;
    let w = workshop(&app).await;
    let repair = open_repair(&app, &w.dealer, &w.vin).await;
    let id = repair["id"].as_i64().expect("id");
    assert_eq!(repair["number"], "RO-NO001-000001");
    assert_eq!(repair["status"], "open");
    assert_eq!(repair["odometer_flagged"], false);
    let path = format!("/repairs/{id}");

    let labor = json!({"labor_code": "hv-iso-diag", "description": "Isolation fault diagnosis", "hours": 1.5});
    let added = app.post(&w.dealer, &format!("{path}/labor"), &labor).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let added = json(added).await;
    assert_eq!(added["labor"][0]["labor_code"], "HV-ISO-DIAG");
    assert_eq!(added["labor"][0]["amount_minor"], 150_000);
    assert_eq!(added["labor_total_minor"], 150_000);

    let too_many = app
        .post(&w.dealer, &format!("{path}/parts"), &json!({"part_id": w.fuse, "quantity": 6, "direction": "installed"}))
        .await;
    assert_eq!(too_many.status(), StatusCode::CONFLICT);
    assert!(json(too_many).await["error"]["message"].as_str().unwrap_or_default().contains("5 on hand"));
    assert_eq!(on_hand(&app, &w.dealer, w.fuse).await, 5, "a refused install changes nothing");
    assert_eq!(json(app.get(&w.dealer, &path).await).await["parts"], json!([]));

    let fuses = app
        .post(&w.dealer, &format!("{path}/parts"), &json!({"part_id": w.fuse, "quantity": 2, "direction": "installed"}))
        .await;
    assert_eq!(fuses.status(), StatusCode::CREATED);
    assert_eq!(on_hand(&app, &w.dealer, w.fuse).await, 3);
    let pack = json!({"part_id": w.pack, "quantity": 1, "serial": "pk-1", "direction": "installed"});
    assert_eq!(app.post(&w.dealer, &format!("{path}/parts"), &pack).await.status(), StatusCode::CREATED);
    let installed = unit(&app, &w.dealer, "PK-1", w.pack).await;
    assert_eq!(installed["status"], "installed");
    assert_eq!(installed["repair_id"], id);
    assert_eq!(
        app.post(&w.dealer, &format!("{path}/parts"), &pack).await.status(),
        StatusCode::CONFLICT,
        "PK-1 is in the car"
    );

    let failed = json!({"part_id": w.pack, "quantity": 1, "serial": "OLD-77", "direction": "removed"});
    assert_eq!(app.post(&w.dealer, &format!("{path}/parts"), &failed).await.status(), StatusCode::CREATED);
    let removed = unit(&app, &w.dealer, "OLD-77", w.pack).await;
    assert_eq!(removed["status"], "removed");
    assert_eq!(removed["vehicle_id"], repair["vehicle_id"]);
    assert_eq!(on_hand(&app, &w.dealer, w.pack).await, 1, "a removed unit is not stock");

    let early = app.post(&w.dealer, &format!("{path}/complete"), &json!({})).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json(early).await["error"]["fields"].clone();
    assert!(
        fields["cause"].is_string() && fields["correction"].is_string() && fields["complaint"].is_null(),
        "{fields}"
    );
    let story = json!({"cause": "Cell module 7 isolation breakdown", "correction": "Replaced HV pack"});
    assert_eq!(app.patch(&w.dealer, &path, &story).await.status(), StatusCode::OK);
    let done = app.post(&w.dealer, &format!("{path}/complete"), &json!({})).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done = json(done).await;
    assert_eq!(done["status"], "completed");
    assert!(done["completed_on"].is_string());
    let actions: Vec<&str> =
        done["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "repair.opened",
            "repair.labor_added",
            "repair.part_installed",
            "repair.part_installed",
            "repair.part_removed",
            "repair.updated",
            "repair.completed"
        ]
    );
    assert_eq!(done["movements"].as_array().map(Vec::len), Some(2));

    let late = app.post(&w.dealer, &format!("{path}/labor"), &labor).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(app.post(&w.dealer, &format!("{path}/cancel"), &json!({})).await.status(), StatusCode::CONFLICT);

    let policy = json!({"oem_id": app.oem, "component_category": "vehicle_basic", "months": 36, "km": 100000});
    assert_eq!(app.post(&w.admin, "/warranty-policies", &policy).await.status(), StatusCode::CREATED);
    let vehicle = json(app.get(&w.dealer, &format!("/vehicles/{}", w.vin)).await).await;
    let coverage = vehicle["coverage"].as_array().expect("coverage");
    assert_eq!(coverage.len(), 5, "every category, the basic warranty standing in for the rest");
    assert_eq!(coverage[0]["component_category"], "vehicle_basic");
    assert_eq!(coverage[0]["ends_on"], "2028-03-01");
    assert_eq!(coverage[0]["km_left"], 85000);
    assert_eq!(coverage[1]["basic_fallback"], true);
    assert_eq!(vehicle["repairs"][0]["number"], "RO-NO001-000001");
    let serials: Vec<&str> =
        vehicle["parts"].as_array().expect("parts").iter().filter_map(|p| p["serial"].as_str()).collect();
    assert_eq!(serials, ["PK-1", "OLD-77"]);
    assert_eq!(json(app.get(&w.admin, "/ledger/verify").await).await["ok"], true);

    let by_serial = json(app.get(&w.dealer, "/trace?q=pk-1").await).await;
    assert_eq!(by_serial["found"], "serial");
    assert_eq!(by_serial["unit"]["status"], "installed");
    assert_eq!(by_serial["vehicle"]["vin"], w.vin.as_str());
    assert_eq!(by_serial["repairs"][0]["number"], "RO-NO001-000001");
    let by_number = json(app.get(&w.dealer, "/trace?q=ro-no001-000001").await).await;
    assert_eq!((by_number["found"].as_str(), by_number["repairs"].as_array().map(Vec::len)), (Some("repair"), Some(1)));
    let by_vin = json(app.get(&w.dealer, &format!("/trace?q={}", w.vin)).await).await;
    assert_eq!(by_vin["found"], "vin");
    assert_eq!(by_vin["repairs"][0]["parts"].as_array().map(Vec::len), Some(3));
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    for q in ["PK-1", "RO-NO001-000001", w.vin.as_str()] {
        assert_eq!(app.get(&other, &format!("/trace?q={q}")).await.status(), StatusCode::NOT_FOUND, "{q}");
    }
    assert_eq!(app.get(&w.dealer, "/trace?q=").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let listed = json(app.get(&w.dealer, "/repairs?status=completed").await).await;
    assert_eq!(listed["items"][0]["id"], id);
    assert_eq!(json(app.get(&w.dealer, "/repairs?status=open").await).await["items"], json!([]));

    // The failed pack leaves the workshop for the scrapyard: it was never stock.
    let before = on_hand(&app, &w.dealer, w.pack).await;
    let scrap = json!({"part_id": w.pack, "kind": "scrap", "quantity": 1, "serials": ["OLD-77"], "reason": "Failed pack, not asked back"});
    let scrapped = app.post(&w.dealer, "/stock/movements", &scrap).await;
    assert_eq!(scrapped.status(), StatusCode::CREATED);
    assert_eq!(json(scrapped).await["movements"][0]["quantity"], 0, "no unit left the shelf");
    assert_eq!(on_hand(&app, &w.dealer, w.pack).await, before);
    assert_eq!(unit(&app, &w.dealer, "OLD-77", w.pack).await["status"], "scrapped");
    assert_eq!(json(app.get(&w.admin, "/ledger/verify").await).await["ok"], true);
}

#[tokio::test]
async fn cancelling_returns_issued_stock_and_undoes_removals() {
    let app = spawn_app().await;
    let w = workshop(&app).await;
    let id = open_repair(&app, &w.dealer, &w.vin).await["id"].as_i64().expect("id");
    let path = format!("/repairs/{id}");
    for body in [
        json!({"part_id": w.fuse, "quantity": 3, "direction": "installed"}),
        json!({"part_id": w.pack, "quantity": 1, "serial": "PK-2", "direction": "installed"}),
        json!({"part_id": w.pack, "quantity": 1, "serial": "OLD-1", "direction": "removed"}),
    ] {
        assert_eq!(app.post(&w.dealer, &format!("{path}/parts"), &body).await.status(), StatusCode::CREATED);
    }
    assert_eq!(on_hand(&app, &w.dealer, w.fuse).await, 2);
    // Deleting a line while open gives its stock back too.
    let lines = json(app.get(&w.dealer, &path).await).await["parts"].clone();
    let fuse_line = lines[0]["id"].as_i64().expect("line id");
    assert_eq!(app.delete(&w.dealer, &format!("{path}/parts/{fuse_line}")).await.status(), StatusCode::OK);
    assert_eq!(on_hand(&app, &w.dealer, w.fuse).await, 5);
    assert_eq!(app.delete(&w.dealer, &format!("{path}/parts/{fuse_line}")).await.status(), StatusCode::NOT_FOUND);

    let cancelled = app.post(&w.dealer, &format!("{path}/cancel"), &json!({})).await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let cancelled = json(cancelled).await;
    assert_eq!(cancelled["status"], "cancelled");
    let kinds: Vec<&str> =
        cancelled["movements"].as_array().expect("movements").iter().filter_map(|m| m["kind"].as_str()).collect();
    assert_eq!(kinds, ["issue_to_repair", "issue_to_repair", "return_from_repair", "return_from_repair"]);
    assert_eq!(on_hand(&app, &w.dealer, w.pack).await, 2);
    assert_eq!(unit(&app, &w.dealer, "PK-2", w.pack).await["status"], "in_stock");
    assert_eq!(unit(&app, &w.dealer, "OLD-1", w.pack).await["status"], "installed", "the removal was undone");
    assert_eq!(app.post(&w.dealer, &format!("{path}/complete"), &json!({})).await.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn repairs_and_vehicles_stay_with_their_dealer() {
    let app = spawn_app().await;
    let w = workshop(&app).await;
    let repair = open_repair(&app, &w.dealer, &w.vin).await;
    let id = repair["id"].as_i64().expect("id");
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    let path = format!("/repairs/{id}");
    assert_eq!(app.get(&other, &path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.patch(&other, &path, &json!({"cause": "x"})).await.status(), StatusCode::NOT_FOUND);
    let labor = json!({"labor_code": "X", "description": "x", "hours": 1});
    assert_eq!(app.post(&other, &format!("{path}/labor"), &labor).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.post(&other, &format!("{path}/cancel"), &json!({})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&other, &format!("/vehicles/{}", w.vin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(app.get(&other, "/repairs").await).await["items"], json!([]));
    let by_id = json!({"vehicle_id": repair["vehicle_id"], "odometer_km": 16000, "complaint": "Noise"});
    let refused = app.post(&other, "/repairs", &by_id).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown vehicle id is not probed");

    // The car visits the other dealer: it may open a repair by VIN, then sees the car but not the first repair.
    let theirs = open_repair(&app, &other, &w.vin).await;
    assert_eq!(theirs["number"], "RO-TH001-000001");
    let seen = json(app.get(&other, &format!("/vehicles/{}", w.vin)).await).await;
    let numbers: Vec<&str> =
        seen["repairs"].as_array().expect("repairs").iter().filter_map(|r| r["number"].as_str()).collect();
    assert_eq!(numbers, ["RO-TH001-000001"]);

    app.create_user(json!({"email": "sm@test.example", "display_name": "SM", "role": "service_manager", "password": PASSWORD, "oem_id": app.oem})).await;
    let manager = app.token("sm@test.example", PASSWORD).await;
    assert_eq!(app.get(&manager, &path).await.status(), StatusCode::OK, "the OEM reads repairs on its vehicles");
    assert_eq!(app.post(&manager, &format!("{path}/labor"), &labor).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post(&w.admin, "/repairs", &by_id).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(json(app.get(&w.admin, "/repairs").await).await["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn bad_repair_input_names_the_field() {
    let app = spawn_app().await;
    let w = workshop(&app).await;
    let bad_vin =
        app.post(&w.dealer, "/repairs", &json!({"vin": "LSVAU2180N218362I", "odometer_km": 1, "complaint": "x"})).await;
    assert_eq!(bad_vin.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(bad_vin).await["error"]["fields"]["vin"].as_str().unwrap_or_default().contains('I'));
    let unknown = app
        .post(&w.dealer, "/repairs", &json!({"vin": vin("lsvau2180n2999999"), "odometer_km": 1, "complaint": "x"}))
        .await;
    assert!(json(unknown).await["error"]["fields"]["vin"].as_str().unwrap_or_default().contains("not registered"));
    let empty = app.post(&w.dealer, "/repairs", &json!({"vin": w.vin, "odometer_km": -5, "complaint": " "})).await;
    let fields = json(empty).await["error"]["fields"].clone();
    assert!(fields["odometer_km"].is_string() && fields["complaint"].is_string(), "{fields}");

    let id = open_repair(&app, &w.dealer, &w.vin).await["id"].as_i64().expect("id");
    let path = format!("/repairs/{id}");
    let hours = app
        .post(&w.dealer, &format!("{path}/labor"), &json!({"labor_code": "A1", "description": "x", "hours": 1.234}))
        .await;
    assert_eq!(json(hours).await["error"]["fields"]["hours"], "must have at most two decimals");
    let no_serial = app
        .post(&w.dealer, &format!("{path}/parts"), &json!({"part_id": w.pack, "quantity": 1, "direction": "installed"}))
        .await;
    assert!(json(no_serial).await["error"]["fields"]["serial"].is_string());
    let direction = app
        .post(&w.dealer, &format!("{path}/parts"), &json!({"part_id": w.fuse, "quantity": 1, "direction": "fitted"}))
        .await;
    assert_eq!(json(direction).await["error"]["fields"]["direction"], "must be installed or removed");
    let plain = app
        .post(&w.dealer, "/stock/movements", &json!({"part_id": w.fuse, "kind": "issue_to_repair", "quantity": 1}))
        .await;
    assert!(json(plain).await["error"]["fields"]["kind"].as_str().unwrap_or_default().contains("/repairs"));

    let other_oem = json(
        app.post(&w.admin, "/oems", &json!({"code": "PRX", "name": "Pearl X", "country": "CN"})).await,
    )
    .await["id"]
        .as_i64()
        .expect("oem");
    let foreign =
        create_part(&app, &w.admin, &part_body(other_oem, "PRX-FUSE", false)).await["id"].as_i64().expect("id");
    let mismatch = app
        .post(&w.dealer, &format!("{path}/parts"), &json!({"part_id": foreign, "quantity": 1, "direction": "removed"}))
        .await;
    assert!(json(mismatch).await["error"]["fields"]["part_id"].as_str().unwrap_or_default().contains("maker"));

    // A lower odometer is kept, but flagged.
    let lower =
        app.post(&w.dealer, "/repairs", &json!({"vin": w.vin, "odometer_km": 9000, "complaint": "Wipers"})).await;
    assert_eq!(json(lower).await["odometer_flagged"], true);
    assert_eq!(
        json(app.get(&w.dealer, "/repairs?from=2020-13-01").await).await["error"]["fields"]["from"],
        "must be a date like 2026-11-24"
    );
}
