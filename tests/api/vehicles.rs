use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, json, spawn_app};

/// A VIN with a correct check digit, from 16 chosen characters.
pub fn vin(base: &str) -> String {
    let mut chars: Vec<char> = base.to_uppercase().chars().collect();
    chars[8] = '0';
    let draft: String = chars.iter().collect();
    chars[8] = app::model::vin::check_digit(&draft);
    chars.into_iter().collect()
}

pub async fn model(app: &TestApp, admin: &str) -> i64 {
    let body = json!({"code": "NV5", "name": "Nordvolt 5", "powertrain": "BEV"});
    let response = app.post(admin, &format!("/oems/{}/models", app.oem), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await["id"].as_i64().expect("id")
}

pub fn body(app: &TestApp, model_id: i64, vin: &str) -> Value {
    json!({"vin": vin, "oem_id": app.oem, "model_id": model_id, "model_year": 2025,
        "in_service_date": "2025-03-01", "country": "no", "odometer_km": 12000})
}

#[tokio::test]
async fn a_dealer_registers_a_vehicle_that_other_dealers_cannot_see() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let model_id = model(&app, &admin).await;
    let (_, a) = app.dealer_user("a@test.example", app.dealer_a).await;
    let (_, b) = app.dealer_user("b@test.example", app.dealer_b).await;
    let vin = vin("lsvau2180n2183624");

    let created = app.post(&a, "/vehicles", &body(&app, model_id, &vin.to_lowercase())).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let vehicle = json(created).await;
    assert_eq!(vehicle["vin"], vin.as_str());
    assert_eq!(vehicle["country"], "NO");
    assert_eq!(vehicle["model_code"], "NV5");
    assert_eq!(vehicle["odometer"][0]["km"], 12000);
    assert_eq!(app.post(&a, "/vehicles", &body(&app, model_id, &vin)).await.status(), StatusCode::CONFLICT);

    assert_eq!(app.get(&a, &format!("/vehicles/{vin}")).await.status(), StatusCode::OK);
    assert_eq!(app.get(&b, &format!("/vehicles/{vin}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(app.get(&b, "/vehicles").await).await["items"], json!([]));
    let listed = json(app.get(&a, &format!("/vehicles?q={}", &vin[..5])).await).await;
    assert_eq!(listed["items"][0]["vin"], vin.as_str());
    app.create_user(json!({"email": "sm@test.example", "display_name": "SM", "role": "service_manager", "password": PASSWORD, "oem_id": app.oem})).await;
    let sm = app.token("sm@test.example", PASSWORD).await;
    assert_eq!(app.get(&sm, &format!("/vehicles/{vin}")).await.status(), StatusCode::OK);
    assert_eq!(
        app.post(&sm, "/vehicles", &body(&app, model_id, &self::vin("WVWZZZ1JZXW000001"))).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_bad_vin_says_exactly_what_is_wrong() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let model_id = model(&app, &admin).await;
    let good = vin("LSVAU2180N2183624");
    let wrong_digit = format!("{}{}{}", &good[..8], if &good[8..9] == "1" { "2" } else { "1" }, &good[9..]);
    for (raw, expected) in [
        ("LSVAU2180N218362", "must be 17 characters, not 16"),
        ("LSVAU2180N21836O4", "must not contain I, O or Q (position 16 is O)"),
        (wrong_digit.as_str(), "has a wrong check digit"),
    ] {
        let response = app.post(&admin, "/vehicles", &body(&app, model_id, raw)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{raw}");
        let message = json(response).await["error"]["fields"]["vin"].as_str().unwrap_or_default().to_string();
        assert!(message.contains(expected), "{raw}: {message}");
    }
    let mut future = body(&app, model_id, &good);
    future["in_service_date"] = json!("2099-01-01");
    future["model_year"] = json!(1980);
    let fields = json(app.post(&admin, "/vehicles", &future).await).await["error"]["fields"].clone();
    assert!(fields["model_year"].is_string(), "{fields}");
}
