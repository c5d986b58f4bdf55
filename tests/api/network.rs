use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, json, spawn_app};

fn dealer_body(code: &str) -> Value {
    json!({
        "code": code, "name": "Nile EV Service", "country": "EG", "city": "Cairo",
        "time_zone": "Africa/Cairo", "currency": "EGP",
        "labor_rate": {"amount_minor": 150000, "currency": "EGP"},
    })
}

/// Tokens for an admin, a dealer of dealer A, a dealer of dealer B and a service manager.
async fn people(app: &TestApp) -> (String, String, String, String) {
    let admin = app.admin_token().await;
    let (_, a) = app.dealer_user("a@test.example", app.dealer_a).await;
    let (_, b) = app.dealer_user("b@test.example", app.dealer_b).await;
    app.create_user(json!({"email": "sm@test.example", "display_name": "SM", "role": "service_manager", "password": PASSWORD, "oem_id": app.oem})).await;
    let sm = app.token("sm@test.example", PASSWORD).await;
    (admin, a, b, sm)
}

#[tokio::test]
async fn an_admin_records_a_dealer_validated_with_iso_codes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app.post(&admin, "/dealers", &dealer_body("eg001")).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let dealer = json(created).await;
    assert_eq!(dealer["code"], "EG001");
    assert_eq!(dealer["labor_rate"], json!({"amount_minor": 150000, "currency": "EGP"}));

    let bad = app
        .post(&admin, "/dealers", &json!({
            "code": "X", "name": "", "country": "XX", "city": "Cairo", "time_zone": "Africa/Atlantis", "currency": "EGX",
            "labor_rate": {"amount_minor": -5, "currency": "EGP"},
        }))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json(bad).await["error"]["fields"].clone();
    for field in ["code", "name", "country", "time_zone", "currency", "labor_rate"] {
        assert!(fields[field].is_string(), "{field} in {fields}");
    }
    assert_eq!(app.post(&admin, "/dealers", &dealer_body("EG001")).await.status(), StatusCode::CONFLICT);

    let wrong_currency = app
        .patch(
            &admin,
            &format!("/dealers/{}", dealer["id"]),
            &json!({"labor_rate": {"amount_minor": 5, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(json(wrong_currency).await["error"]["fields"]["labor_rate"], "must be in the dealer's currency");
    let renamed = json(
        app.patch(&admin, &format!("/dealers/{}", dealer["id"]), &json!({"city": "Alexandria", "active": false})).await,
    )
    .await;
    assert_eq!(renamed["city"], "Alexandria");
    assert_eq!(renamed["active"], false);
}

#[tokio::test]
async fn an_admin_records_oems_models_and_policies() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let oem =
        json(app.post(&admin, "/oems", &json!({"code": "SVM", "name": "Sinovolt Motors", "country": "CN"})).await)
            .await;
    let model = app
        .post(
            &admin,
            &format!("/oems/{}/models", oem["id"]),
            &json!({"code": "SV5", "name": "Sinovolt S5", "powertrain": "BEV"}),
        )
        .await;
    assert_eq!(model.status(), StatusCode::CREATED);
    let again = app
        .post(
            &admin,
            &format!("/oems/{}/models", oem["id"]),
            &json!({"code": "SV5", "name": "Dup", "powertrain": "BEV"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let bad = app
        .post(&admin, &format!("/oems/{}/models", oem["id"]), &json!({"code": "SV6", "name": "X", "powertrain": "ICE"}))
        .await;
    assert_eq!(json(bad).await["error"]["fields"]["powertrain"], "must be BEV, PHEV or EREV");
    let models = json(app.get(&admin, &format!("/oems/{}/models", oem["id"])).await).await;
    assert_eq!(models["items"][0]["powertrain"], "BEV");

    let policy = app
        .post(
            &admin,
            "/warranty-policies",
            &json!({"oem_id": oem["id"], "component_category": "hv_battery", "months": 96, "km": 160000}),
        )
        .await;
    assert_eq!(policy.status(), StatusCode::CREATED);
    let policy = json(policy).await;
    let changed =
        json(app.patch(&admin, &format!("/warranty-policies/{}", policy["id"]), &json!({"months": 120})).await).await;
    assert_eq!(changed["months"], 120);
    let bad = app
        .post(
            &admin,
            "/warranty-policies",
            &json!({"oem_id": oem["id"], "component_category": "tyres", "months": 0, "km": 1}),
        )
        .await;
    let fields = json(bad).await["error"]["fields"].clone();
    assert!(fields["component_category"].is_string() && fields["months"].is_string(), "{fields}");
}

#[tokio::test]
async fn each_role_gets_403_for_writes_it_may_not_make() {
    let app = spawn_app().await;
    let (_, dealer, _, manager) = people(&app).await;
    let writes: [(&str, Value); 4] = [
        ("/oems", json!({"code": "ZZ", "name": "Z", "country": "CN"})),
        ("/dealers", dealer_body("ZZ001")),
        ("/warranty-policies", json!({"oem_id": app.oem, "component_category": "hv_battery", "months": 1, "km": 1})),
        (
            "/authorizations",
            json!({"oem_id": app.oem, "dealer_id": app.dealer_a, "service_types": ["maintenance"], "valid_from": "2026-01-01", "valid_to": "2026-12-31"}),
        ),
    ];
    let admin = app.admin_token().await;
    let policy = json(app.post(&admin, "/warranty-policies", &writes[2].1).await).await;
    let grant = json(app.post(&admin, "/authorizations", &writes[3].1).await).await;
    let change = json!({"effective_date": "2026-06-01", "reason": "x"});
    let more_posts: [(String, Value); 5] = [
        (format!("/oems/{}/models", app.oem), json!({"code": "M1", "name": "M", "powertrain": "BEV"})),
        (format!("/authorizations/{}/suspend", grant["id"]), change.clone()),
        (format!("/authorizations/{}/reinstate", grant["id"]), change.clone()),
        (format!("/authorizations/{}/revoke", grant["id"]), change.clone()),
        (
            "/users".to_string(),
            json!({"email": "x@test.example", "display_name": "X", "role": "admin", "password": PASSWORD}),
        ),
    ];
    let patches: [(String, Value); 3] = [
        (format!("/dealers/{}", app.dealer_a), json!({"city": "X"})),
        (format!("/oems/{}", app.oem), json!({"name": "X"})),
        (format!("/warranty-policies/{}", policy["id"]), json!({"months": 12})),
    ];
    for token in [&dealer, &manager] {
        for (path, body) in &writes {
            assert_eq!(app.post(token, path, body).await.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
        for (path, body) in &more_posts {
            assert_eq!(app.post(token, path, body).await.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
        for (path, body) in &patches {
            assert_eq!(app.patch(token, path, body).await.status(), StatusCode::FORBIDDEN, "PATCH {path}");
        }
    }
}

#[tokio::test]
async fn reads_are_scoped_and_out_of_scope_ids_are_404() {
    let app = spawn_app().await;
    let (admin, dealer_a, dealer_b, manager) = people(&app).await;
    // Only dealer A holds an authorization of the OEM.
    let body = json!({"oem_id": app.oem, "dealer_id": app.dealer_a, "service_types": ["maintenance"], "valid_from": "2026-01-01", "valid_to": "2027-12-31"});
    assert_eq!(app.post(&admin, "/authorizations", &body).await.status(), StatusCode::CREATED);

    let ids = |page: Value| {
        page["items"]
            .as_array()
            .map(|items| items.iter().map(|i| i["id"].clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(ids(json(app.get(&dealer_a, "/dealers").await).await), [json!(app.dealer_a)]);
    assert_eq!(app.get(&dealer_a, &format!("/dealers/{}", app.dealer_b)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ids(json(app.get(&manager, "/dealers").await).await), [json!(app.dealer_a)]);
    assert_eq!(app.get(&manager, &format!("/dealers/{}", app.dealer_b)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ids(json(app.get(&admin, "/dealers").await).await).len(), 2);

    assert_eq!(ids(json(app.get(&dealer_a, "/oems").await).await), [json!(app.oem)]);
    assert!(ids(json(app.get(&dealer_b, "/oems").await).await).is_empty());
    assert_eq!(app.get(&dealer_b, &format!("/oems/{}", app.oem)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&dealer_b, &format!("/oems/{}/models", app.oem)).await.status(), StatusCode::NOT_FOUND);
    assert!(ids(json(app.get(&dealer_b, "/authorizations").await).await).is_empty());
    assert_eq!(app.get(&manager, &format!("/oems/{}", app.oem)).await.status(), StatusCode::OK);

    // Policies follow the OEMs in scope.
    let policy = json!({"oem_id": app.oem, "component_category": "hv_battery", "months": 96, "km": 160000});
    assert_eq!(app.post(&admin, "/warranty-policies", &policy).await.status(), StatusCode::CREATED);
    assert_eq!(json(app.get(&dealer_a, "/warranty-policies").await).await["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(json(app.get(&dealer_b, "/warranty-policies").await).await["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(json(app.get(&manager, "/warranty-policies").await).await["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_dealer_list_searches_and_pages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for code in ["EG001", "EG002", "EG003"] {
        assert_eq!(app.post(&admin, "/dealers", &dealer_body(code)).await.status(), StatusCode::CREATED);
    }
    let first = json(app.get(&admin, "/dealers?q=nile&limit=2").await).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    let cursor = first["next_cursor"].as_str().expect("another page").to_string();
    let second = json(app.get(&admin, &format!("/dealers?q=nile&limit=2&cursor={cursor}")).await).await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert!(second["next_cursor"].is_null());
    let by_country = json(app.get(&admin, "/dealers?country=no").await).await;
    assert_eq!(by_country["items"][0]["code"], "NO001");
}
