use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use app::model::authorization::{Question, ServiceType};
use app::server::authorizations::is_authorized;

use crate::helpers::{TestApp, json, spawn_app};

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

fn grant(app: &TestApp, dealer_id: i64) -> Value {
    json!({
        "oem_id": app.oem, "dealer_id": dealer_id,
        "service_types": ["warranty_repair", "hv_battery"],
        "valid_from": today() - Duration::days(30), "valid_to": today() + Duration::days(45),
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = app.post(token, "/authorizations", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

async fn vehicle_model(app: &TestApp, oem_id: i64, code: &str) -> i64 {
    use app::server::entities::vehicle_model;
    use sea_orm::{ActiveModelTrait, Set};
    vehicle_model::ActiveModel {
        oem_id: Set(oem_id),
        code: Set(code.into()),
        name: Set(format!("Model {code}")),
        powertrain: Set("BEV".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("model")
    .id
}

#[tokio::test]
async fn an_admin_grants_an_authorization_with_a_number_and_a_ledger_entry() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let auth = create(&app, &admin, &grant(&app, app.dealer_a)).await;
    let number = auth["number"].as_str().expect("number");
    assert!(number.starts_with("AUTH-") && number.len() == "AUTH-2026-000001".len(), "{number}");
    assert_eq!(auth["status"], "active");
    assert_eq!(auth["dealer_name"], "Fjord Elbil");
    assert_eq!(auth["service_types"], json!(["warranty_repair", "hv_battery"]));
    let history = json(app.get(&admin, &format!("/ledger?entity=authorization&entity_id={}", auth["id"])).await).await;
    assert_eq!(history["items"][0]["action"], "authorization.created");
}

#[tokio::test]
async fn bad_terms_are_refused_field_by_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let other = app::model::network::OemInput {
        code: Some("PRE".into()),
        name: Some("Pearl River EV".into()),
        country: Some("CN".into()),
        reporting_currency: None,
    };
    let other_oem = app::server::oems::create_unchecked(&app.db, None, other).await.expect("oem").id;
    let foreign_model = vehicle_model(&app, other_oem, "PR1").await;
    let response = app
        .post(
            &admin,
            "/authorizations",
            &json!({
                "oem_id": app.oem, "dealer_id": 999_999, "service_types": ["oil_change"], "model_ids": [foreign_model],
                "valid_from": "2026-06-01", "valid_to": "2026-05-01",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json(response).await["error"]["fields"].clone();
    for field in ["dealer_id", "service_types", "model_ids", "valid_to"] {
        assert!(fields[field].is_string(), "{field} in {fields}");
    }
    let bad_date = app.post(&admin, "/authorizations", &json!({"oem_id": app.oem, "dealer_id": app.dealer_a, "service_types": ["maintenance"], "valid_from": "01.06.2026", "valid_to": "2026-05-01"})).await;
    assert_eq!(bad_date.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(bad_date).await["error"]["fields"]["valid_from"].is_string());
}

#[tokio::test]
async fn dealers_see_only_their_own_and_service_managers_their_oems() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mine = create(&app, &admin, &grant(&app, app.dealer_a)).await;
    let theirs = create(&app, &admin, &grant(&app, app.dealer_b)).await;
    let (_, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;

    let list = json(app.get(&dealer, "/authorizations").await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["items"][0]["id"], mine["id"]);
    assert_eq!(app.get(&dealer, &format!("/authorizations/{}", theirs["id"])).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.post(&dealer, "/authorizations", &grant(&app, app.dealer_a)).await.status(), StatusCode::FORBIDDEN);
    let suspend = app
        .post(
            &dealer,
            &format!("/authorizations/{}/suspend", mine["id"]),
            &json!({"effective_date": today(), "reason": "x"}),
        )
        .await;
    assert_eq!(suspend.status(), StatusCode::FORBIDDEN);

    app.create_user(json!({"email": "sm@test.example", "display_name": "SM", "role": "service_manager", "password": crate::helpers::PASSWORD, "oem_id": app.oem})).await;
    let manager = app.token("sm@test.example", crate::helpers::PASSWORD).await;
    let seen = json(app.get(&manager, "/authorizations").await).await;
    assert_eq!(seen["items"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn suspend_reinstate_and_revoke_follow_the_rules() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let auth = create(&app, &admin, &grant(&app, app.dealer_a)).await;
    let path = |action: &str| format!("/authorizations/{}/{action}", auth["id"]);
    let change = |date: chrono::NaiveDate, reason: &str| json!({"effective_date": date, "reason": reason});

    let no_reason = app.post(&admin, &path("suspend"), &change(today(), "  ")).await;
    assert_eq!(json(no_reason).await["error"]["fields"]["reason"], "is required (at most 500 characters)");

    let suspended = json(app.post(&admin, &path("suspend"), &change(today(), "Audit of HV bay")).await).await;
    assert_eq!(suspended["status"], "suspended");
    let again = app.post(&admin, &path("suspend"), &change(today(), "again")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(json(again).await["error"]["message"].as_str().is_some_and(|m| m.contains("already suspended")));

    let reinstated = json(app.post(&admin, &path("reinstate"), &change(today(), "Audit passed")).await).await;
    assert_eq!(reinstated["status"], "active");
    assert_eq!(reinstated["status_changes"].as_array().map(Vec::len), Some(2));

    let revoked = json(app.post(&admin, &path("revoke"), &change(today(), "Contract ended")).await).await;
    assert_eq!(revoked["status"], "revoked");
    let after = app.post(&admin, &path("reinstate"), &change(today() + Duration::days(1), "no")).await;
    assert_eq!(after.status(), StatusCode::CONFLICT);

    let history = json(app.get(&admin, &format!("/ledger?entity=authorization&entity_id={}", auth["id"])).await).await;
    let actions: Vec<&str> =
        history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["authorization.created", "authorization.suspended", "authorization.reinstated", "authorization.revoked"]
    );
}

#[tokio::test]
async fn lists_filter_by_status_and_expiry() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let soon = create(&app, &admin, &grant(&app, app.dealer_a)).await;
    let mut long = grant(&app, app.dealer_b);
    long["valid_to"] = json!(today() + Duration::days(400));
    let later = create(&app, &admin, &long).await;
    app.post(
        &admin,
        &format!("/authorizations/{}/suspend", later["id"]),
        &json!({"effective_date": today(), "reason": "Audit"}),
    )
    .await;

    let expiring = json(app.get(&admin, "/authorizations?expiring_within_days=60").await).await;
    assert_eq!(expiring["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(expiring["items"][0]["id"], soon["id"]);
    let suspended = json(app.get(&admin, "/authorizations?status=suspended").await).await;
    assert_eq!(suspended["items"][0]["id"], later["id"]);
    assert_eq!(suspended["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.get(&admin, "/authorizations?status=sleeping").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_rule_answers_for_a_model_a_service_type_and_a_day() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let model = vehicle_model(&app, app.oem, "NV5").await;
    let other_model = vehicle_model(&app, app.oem, "NV7").await;
    let third_model = vehicle_model(&app, app.oem, "NV9").await;
    let mut body = grant(&app, app.dealer_a);
    body["model_ids"] = json!([model, third_model]);
    let auth = create(&app, &admin, &body).await;
    let ask = |model_id, service_type, day| Question {
        dealer_id: app.dealer_a,
        oem_id: app.oem,
        model_id,
        service_type,
        day,
    };

    assert!(is_authorized(&app.db, &ask(model, ServiceType::HvBattery, today())).await.expect("answers"));
    assert!(!is_authorized(&app.db, &ask(other_model, ServiceType::HvBattery, today())).await.expect("answers"));
    assert!(!is_authorized(&app.db, &ask(model, ServiceType::BodyPaint, today())).await.expect("answers"));
    assert!(
        !is_authorized(&app.db, &ask(model, ServiceType::HvBattery, today() + Duration::days(46)))
            .await
            .expect("answers")
    );

    let tomorrow = today() + Duration::days(1);
    app.post(
        &admin,
        &format!("/authorizations/{}/suspend", auth["id"]),
        &json!({"effective_date": tomorrow, "reason": "Audit"}),
    )
    .await;
    assert!(is_authorized(&app.db, &ask(model, ServiceType::HvBattery, today())).await.expect("answers"));
    assert!(!is_authorized(&app.db, &ask(model, ServiceType::HvBattery, tomorrow)).await.expect("answers"));

    // Two models and two changes: each change counts once for each model.
    let back = today() + Duration::days(10);
    app.post(
        &admin,
        &format!("/authorizations/{}/reinstate", auth["id"]),
        &json!({"effective_date": back, "reason": "Audit passed"}),
    )
    .await;
    for model in [model, third_model] {
        assert!(
            !is_authorized(&app.db, &ask(model, ServiceType::HvBattery, back - Duration::days(1)))
                .await
                .expect("answers")
        );
        assert!(is_authorized(&app.db, &ask(model, ServiceType::HvBattery, back)).await.expect("answers"));
    }
    assert!(!is_authorized(&app.db, &ask(other_model, ServiceType::HvBattery, back)).await.expect("answers"));
}
