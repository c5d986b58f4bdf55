use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, spawn_app};
use crate::parts::{create_part, part_body, post_csv};

async fn part(app: &TestApp, admin: &str, number: &str, serialized: bool) -> i64 {
    create_part(app, admin, &part_body(app.oem, number, serialized)).await["id"].as_i64().expect("id")
}

async fn move_stock(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post(token, "/stock/movements", &body).await
}

async fn on_hand(app: &TestApp, token: &str, part_id: i64) -> i64 {
    let page = json(app.get(token, &format!("/stock?part_id={part_id}")).await).await;
    page["items"][0]["on_hand"].as_i64().unwrap_or(0)
}

async fn authorize(app: &TestApp, admin: &str, dealer: i64) {
    let body = json!({"oem_id": app.oem, "dealer_id": dealer, "service_types": ["warranty_repair"],
        "valid_from": "2026-01-01", "valid_to": "2030-12-31"});
    assert_eq!(app.post(admin, "/authorizations", &body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn movements_keep_on_hand_and_it_never_goes_below_zero() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let fuse = part(&app, &admin, "NVX-FUSE", false).await;

    let received =
        move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "receipt", "quantity": 5, "reference": "DN-1"}))
            .await;
    assert_eq!(received.status(), StatusCode::CREATED);
    let received = json(received).await;
    assert_eq!(received["stock"]["on_hand"], 5);
    assert_eq!(received["movements"][0]["quantity"], 5);

    let no_reason = move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "scrap", "quantity": 1})).await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(no_reason).await["error"]["fields"]["reason"].is_string());
    let zero = move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "receipt", "quantity": 0})).await;
    assert!(json(zero).await["error"]["fields"]["quantity"].is_string());
    let scrapped =
        move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "scrap", "quantity": 2, "reason": "water damage"}))
            .await;
    assert_eq!(json(scrapped).await["stock"]["on_hand"], 3);

    let too_many = move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "return_to_oem", "quantity": 10})).await;
    assert_eq!(too_many.status(), StatusCode::CONFLICT);
    let message = json(too_many).await["error"]["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("3 on hand"), "{message}");
    assert_eq!(on_hand(&app, &dealer, fuse).await, 3, "a refused movement changes nothing");
    let down = move_stock(
        &app,
        &dealer,
        json!({"part_id": fuse, "kind": "adjustment", "direction": "decrease", "quantity": 1, "reason": "count"}),
    )
    .await;
    assert_eq!(json(down).await["stock"]["on_hand"], 2);

    let transfer_kind =
        move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "transfer_out", "quantity": 1})).await;
    assert!(json(transfer_kind).await["error"]["fields"]["kind"].is_string());
    let history = json(app.get(&dealer, &format!("/stock/movements?part_id={fuse}")).await).await;
    let kinds: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|m| m["kind"].as_str()).collect();
    assert_eq!(kinds, vec!["adjustment", "scrap", "receipt"], "newest first");
}

#[tokio::test]
async fn twenty_concurrent_requests_for_the_last_three_units_leave_exactly_zero() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let fuse = part(&app, &admin, "NVX-FUSE", false).await;
    move_stock(&app, &dealer, json!({"part_id": fuse, "kind": "receipt", "quantity": 3})).await;

    let requests = (0..20).map(|_| {
        let (client, url, token) = (reqwest::Client::new(), app.url("/stock/movements"), dealer.clone());
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"part_id": fuse, "kind": "return_to_oem", "quantity": 1}))
                .send()
                .await
                .expect("request")
                .status()
        })
    });
    let mut statuses = Vec::new();
    for request in requests.collect::<Vec<_>>() {
        statuses.push(request.await.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 17, "{statuses:?}");
    assert_eq!(on_hand(&app, &dealer, fuse).await, 0);
}

#[tokio::test]
async fn a_dealer_cannot_read_or_move_another_dealers_stock() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, a) = app.dealer_user("a@test.example", app.dealer_a).await;
    let (_, b) = app.dealer_user("b@test.example", app.dealer_b).await;
    let pack = part(&app, &admin, "NVX-PACK", true).await;
    move_stock(&app, &a, json!({"part_id": pack, "kind": "receipt", "quantity": 1, "serials": ["SN-A1"]})).await;

    assert_eq!(app.get(&b, &format!("/stock?dealer_id={}", app.dealer_a)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&b, &format!("/stock/movements?dealer_id={}", app.dealer_a)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(json(app.get(&b, "/stock").await).await["items"], json!([]));
    let moved = move_stock(&app, &b, json!({"dealer_id": app.dealer_a, "part_id": pack, "kind": "scrap", "quantity": 1, "serials": ["SN-A1"], "reason": "x"})).await;
    assert_eq!(moved.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&b, "/part-units/SN-A1").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&b, &format!("/stock/export?dealer_id={}", app.dealer_a)).await.status(), StatusCode::NOT_FOUND);
    // B holds none of that serial, so it cannot scrap it either.
    let scrap_own = move_stock(
        &app,
        &b,
        json!({"part_id": pack, "kind": "scrap", "quantity": 1, "serials": ["SN-A1"], "reason": "x"}),
    )
    .await;
    assert_eq!(scrap_own.status(), StatusCode::CONFLICT);
    assert_eq!(on_hand(&app, &a, pack).await, 1);
}

#[tokio::test]
async fn serialized_units_follow_their_movements_with_a_timeline() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let pack = part(&app, &admin, "NVX-PACK", true).await;

    let missing =
        move_stock(&app, &dealer, json!({"part_id": pack, "kind": "receipt", "quantity": 2, "serials": ["PK-1"]}))
            .await;
    assert!(json(missing).await["error"]["fields"]["serials"].is_string());
    let received = move_stock(
        &app,
        &dealer,
        json!({"part_id": pack, "kind": "receipt", "quantity": 2, "serials": ["pk-1", "PK-2"], "reference": "DN-7"}),
    )
    .await;
    assert_eq!(received.status(), StatusCode::CREATED);
    assert_eq!(json(received).await["movements"].as_array().map(Vec::len), Some(2), "one movement per unit");
    let again =
        move_stock(&app, &dealer, json!({"part_id": pack, "kind": "receipt", "quantity": 1, "serials": ["PK-1"]}))
            .await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "a serial is unique per part");

    let returned = move_stock(
        &app,
        &dealer,
        json!({"part_id": pack, "kind": "return_to_oem", "quantity": 1, "serials": ["PK-2"]}),
    )
    .await;
    assert_eq!(json(returned).await["stock"]["on_hand"], 1);
    let unit = json(app.get(&dealer, "/part-units/pk-2").await).await;
    assert_eq!(unit["status"], "returned_to_oem");
    assert_eq!(unit["part_number"], "NVX-PACK");
    let actions: Vec<&str> =
        unit["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, vec!["part_unit.received", "part_unit.returned_to_oem"]);
    assert_eq!(json(app.get(&dealer, "/part-units/PK-1").await).await["status"], "in_stock");
    let again = move_stock(
        &app,
        &dealer,
        json!({"part_id": pack, "kind": "return_to_oem", "quantity": 1, "serials": ["PK-2"]}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // The same serial on another part: ambiguous without part_id.
    let other = part(&app, &admin, "NVX-MOTOR", true).await;
    move_stock(&app, &dealer, json!({"part_id": other, "kind": "receipt", "quantity": 1, "serials": ["PK-1"]})).await;
    let ambiguous = app.get(&dealer, "/part-units/PK-1").await;
    assert_eq!(ambiguous.status(), StatusCode::CONFLICT);
    assert!(json(ambiguous).await["error"]["message"].as_str().unwrap_or_default().contains("NVX-MOTOR"));
    let named = json(app.get(&dealer, &format!("/part-units/PK-1?part_id={other}")).await).await;
    assert_eq!(named["part_number"], "NVX-MOTOR");
}

#[tokio::test]
async fn transfers_move_stock_between_network_dealers_in_one_step() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, a) = app.dealer_user("a@test.example", app.dealer_a).await;
    let (_, b) = app.dealer_user("b@test.example", app.dealer_b).await;
    let pack = part(&app, &admin, "NVX-PACK", true).await;
    move_stock(&app, &a, json!({"part_id": pack, "kind": "receipt", "quantity": 2, "serials": ["T-1", "T-2"]})).await;

    let outside = app
        .post(
            &a,
            "/stock/transfers",
            &json!({"to_dealer_id": app.dealer_b, "part_id": pack, "quantity": 1, "serials": ["T-1"]}),
        )
        .await;
    assert_eq!(outside.status(), StatusCode::UNPROCESSABLE_ENTITY, "neither dealer is in the OEM's network yet");
    authorize(&app, &admin, app.dealer_a).await;
    authorize(&app, &admin, app.dealer_b).await;

    let short = app
        .post(
            &a,
            "/stock/transfers",
            &json!({"to_dealer_id": app.dealer_b, "part_id": pack, "quantity": 1, "serials": ["T-9"]}),
        )
        .await;
    assert_eq!(short.status(), StatusCode::CONFLICT);
    let moved = app.post(&a, "/stock/transfers", &json!({"to_dealer_id": app.dealer_b, "part_id": pack, "quantity": 1, "serials": ["T-1"], "reference": "TR-1"})).await;
    assert_eq!(moved.status(), StatusCode::CREATED);
    let moved = json(moved).await;
    assert_eq!((moved["from"]["on_hand"].as_i64(), moved["to"]["on_hand"].as_i64()), (Some(1), Some(1)));
    assert_eq!(on_hand(&app, &a, pack).await, 1);
    assert_eq!(on_hand(&app, &b, pack).await, 1);
    let unit = json(app.get(&b, "/part-units/T-1").await).await;
    assert_eq!(unit["dealer_id"], app.dealer_b);
    assert_eq!(app.get(&a, "/part-units/T-1").await.status(), StatusCode::NOT_FOUND, "A no longer holds it");
    let same = app
        .post(
            &a,
            "/stock/transfers",
            &json!({"to_dealer_id": app.dealer_a, "part_id": pack, "quantity": 1, "serials": ["T-2"]}),
        )
        .await;
    assert!(json(same).await["error"]["fields"]["to_dealer_id"].is_string());
}

#[tokio::test]
async fn stock_levels_equal_the_sum_of_movements_after_a_mixed_workload() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, a) = app.dealer_user("a@test.example", app.dealer_a).await;
    let (_, b) = app.dealer_user("b@test.example", app.dealer_b).await;
    authorize(&app, &admin, app.dealer_a).await;
    authorize(&app, &admin, app.dealer_b).await;
    let fuse = part(&app, &admin, "NVX-FUSE", false).await;
    let cable = part(&app, &admin, "NVX-CABLE", false).await;

    let mut tasks = Vec::new();
    for i in 0..30i64 {
        let (client, base) = (reqwest::Client::new(), app.url(""));
        let (token, part_id) = if i % 2 == 0 { (a.clone(), fuse) } else { (b.clone(), cable) };
        let (to, other_part) = if i % 2 == 0 { (app.dealer_b, cable) } else { (app.dealer_a, fuse) };
        tasks.push(tokio::spawn(async move {
            let post =
                |path: &str, body: Value| client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send();
            let _ =
                post("/stock/movements", json!({"part_id": part_id, "kind": "receipt", "quantity": 1 + i % 4})).await;
            let _ = post(
                "/stock/movements",
                json!({"part_id": part_id, "kind": "scrap", "quantity": 1 + i % 3, "reason": "test"}),
            )
            .await;
            let _ = post("/stock/transfers", json!({"to_dealer_id": to, "part_id": part_id, "quantity": 1})).await;
            let _ =
                post("/stock/movements", json!({"part_id": other_part, "kind": "return_to_oem", "quantity": 1})).await;
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    use app::server::entities::{stock_level, stock_movement};
    use sea_orm::EntityTrait;
    let levels = stock_level::Entity::find().all(&app.db).await.expect("levels");
    let movements = stock_movement::Entity::find().all(&app.db).await.expect("movements");
    assert!(!levels.is_empty());
    for level in levels {
        let sum: i64 = movements
            .iter()
            .filter(|m| m.dealer_id == level.dealer_id && m.part_id == level.part_id)
            .map(|m| m.quantity)
            .sum();
        assert_eq!(level.on_hand, sum, "dealer {} part {}", level.dealer_id, level.part_id);
        assert!(level.on_hand >= 0);
    }
    assert_eq!(json(app.get(&admin, "/ledger/verify").await).await["ok"], true);
}

#[tokio::test]
async fn receipts_import_from_csv_all_or_nothing_and_reorder_points_flag_low_stock() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    part(&app, &admin, "NVX-PACK", true).await;
    let fuse = part(&app, &admin, "NVX-FUSE", false).await;

    let bad = "part_number,quantity,serials,reference\nNVX-FUSE,4,,DN-1\nNVX-PACK,2,P-1,DN-1\nNVX-NOPE,1,,DN-1\n";
    let response = post_csv(&app, &dealer, "/stock/import", bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = json(response).await["error"]["errors"].clone();
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["field"], "serials");
    assert_eq!(errors[1]["line"], 4);
    assert_eq!(json(app.get(&dealer, "/stock").await).await["items"], json!([]), "nothing was received");

    let good = "part_number,quantity,serials,reference\nNVX-FUSE,4,,DN-1\nnvx-pack,2,\"P-1 P-2\",DN-1\n";
    let response = post_csv(&app, &dealer, "/stock/import", good).await;
    assert_eq!(json(response).await, json!({"created": 3, "updated": 2}));
    assert_eq!(json(app.get(&dealer, "/part-units/P-2").await).await["status"], "in_stock");

    let set = reqwest::Client::new()
        .put(app.url("/stock/reorder-point"))
        .bearer_auth(&dealer)
        .json(&json!({"part_id": fuse, "reorder_point": 10}))
        .send()
        .await
        .expect("request");
    assert_eq!(set.status(), StatusCode::OK);
    assert_eq!(json(set).await["below_reorder"], true);
    let low = json(app.get(&dealer, "/stock?below_reorder=true").await).await;
    let numbers: Vec<&str> =
        low["items"].as_array().expect("items").iter().filter_map(|l| l["part_number"].as_str()).collect();
    assert_eq!(numbers, vec!["NVX-FUSE"]);
    let export = app.get(&dealer, "/stock/export").await.text().await.expect("csv");
    assert!(export.contains("NO001,NVX,NVX-FUSE,HV battery pack NVX-FUSE,hv_battery,4,10,true"), "{export}");
    let admin_without_dealer =
        app.post(&admin, "/stock/movements", &json!({"part_id": fuse, "kind": "receipt", "quantity": 1})).await;
    assert!(json(admin_without_dealer).await["error"]["fields"]["dealer_id"].is_string());
}
