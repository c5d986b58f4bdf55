use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, json, spawn_app};

#[tokio::test]
async fn an_admin_creates_a_dealer_user_and_the_ledger_records_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            &admin,
            "/users",
            &json!({
                "email": "Kari@Test.Example", "display_name": "Kari", "role": "dealer",
                "password": PASSWORD, "dealer_id": app.dealer_a,
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user = json(response).await;
    assert_eq!(user["email"], "kari@test.example");
    assert_eq!(user["dealer_name"], "Fjord Elbil");
    assert_eq!(user["time_zone"], "Europe/Oslo", "a dealer user starts in the dealer's time zone");

    let entries = json(app.get(&admin, &format!("/ledger?entity=user&entity_id={}", user["id"])).await).await;
    let actions: Vec<&str> =
        entries["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["user.created"]);
}

#[tokio::test]
async fn a_dealer_user_needs_a_dealer_and_a_service_manager_an_oem() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let no_dealer = app
        .post(
            &admin,
            "/users",
            &json!({"email": "a@test.example", "display_name": "A", "role": "dealer", "password": PASSWORD}),
        )
        .await;
    assert_eq!(no_dealer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(no_dealer).await["error"]["fields"]["dealer_id"], "is required for a dealer user");

    let no_oem = app
        .post(
            &admin,
            "/users",
            &json!({"email": "b@test.example", "display_name": "B", "role": "service_manager", "password": PASSWORD}),
        )
        .await;
    assert_eq!(json(no_oem).await["error"]["fields"]["oem_id"], "is required for a service manager");

    let unknown_dealer = app
        .post(&admin, "/users", &json!({"email": "c@test.example", "display_name": "C", "role": "dealer", "password": PASSWORD, "dealer_id": 999_999}))
        .await;
    assert_eq!(json(unknown_dealer).await["error"]["fields"]["dealer_id"], "is not a known dealer");
}

#[tokio::test]
async fn every_bad_field_is_named_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .post(
            &admin,
            "/users",
            &json!({"email": "not-an-email", "display_name": " ", "role": "boss", "password": "short"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json(response).await["error"]["fields"].clone();
    for field in ["email", "display_name", "role", "password"] {
        assert!(fields[field].is_string(), "{field} in {fields}");
    }
}

#[tokio::test]
async fn a_taken_email_is_a_conflict() {
    let app = spawn_app().await;
    app.dealer_user("same@test.example", app.dealer_a).await;
    let admin = app.admin_token().await;
    let again = app
        .post(&admin, "/users", &json!({"email": "SAME@test.example", "display_name": "Again", "role": "dealer", "password": PASSWORD, "dealer_id": app.dealer_b}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(json(again).await["error"]["code"], "conflict");
}

#[tokio::test]
async fn a_dealer_cannot_list_users_or_read_another_user() {
    let app = spawn_app().await;
    let (_, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    let (other_id, _) = app.dealer_user("d2@test.example", app.dealer_b).await;
    assert_eq!(app.get(&dealer, "/users").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&dealer, &format!("/users/{other_id}")).await.status(), StatusCode::NOT_FOUND);
    let create = app
        .post(
            &dealer,
            "/users",
            &json!({"email": "x@test.example", "display_name": "X", "role": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(create.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_dealer_edits_their_own_profile_but_not_their_active_flag() {
    let app = spawn_app().await;
    let (id, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    let ok = app.patch(&dealer, &format!("/users/{id}"), &json!({"locale": "zh", "time_zone": "Asia/Shanghai"})).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(json(ok).await["locale"], "zh");
    let bad_zone = app.patch(&dealer, &format!("/users/{id}"), &json!({"time_zone": "Mars/Olympus"})).await;
    assert_eq!(json(bad_zone).await["error"]["fields"]["time_zone"], "must be an IANA time zone such as Europe/Oslo");
    let activate = app.patch(&dealer, &format!("/users/{id}"), &json!({"active": false})).await;
    assert_eq!(activate.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_and_blocks_sign_in() {
    let app = spawn_app().await;
    let (id, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    let admin = app.admin_token().await;
    let response = app.patch(&admin, &format!("/users/{id}"), &json!({"active": false})).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await["active"], false);
    assert_eq!(app.get(&dealer, "/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("d1@test.example", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_cannot_deactivate_themselves() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me = json(app.get(&admin, "/me").await).await;
    let response = app.patch(&admin, &format!("/users/{}", me["id"]), &json!({"active": false})).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_the_new_password_works() {
    let app = spawn_app().await;
    let (id, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    let admin = app.admin_token().await;
    let weak = app.post(&admin, &format!("/users/{id}/reset-password"), &json!({"password": "123456789012"})).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reset =
        app.post(&admin, &format!("/users/{id}/reset-password"), &json!({"password": "fresh-start-2026"})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    assert_eq!(app.get(&dealer, "/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("d1@test.example", "fresh-start-2026").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_users_list_filters_and_pages_with_a_cursor() {
    let app = spawn_app().await;
    for i in 0..3 {
        app.create_user(json!({"email": format!("page{i}@test.example"), "display_name": format!("Pager {i}"), "role": "dealer", "password": PASSWORD, "dealer_id": app.dealer_a})).await;
    }
    app.create_user(json!({"email": "sm@test.example", "display_name": "Manager", "role": "service_manager", "password": PASSWORD, "oem_id": app.oem})).await;
    let admin = app.admin_token().await;

    let first = json(app.get(&admin, "/users?role=dealer&limit=2").await).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    let cursor = first["next_cursor"].as_str().expect("a next page").to_string();
    let second = json(app.get(&admin, &format!("/users?role=dealer&limit=2&cursor={cursor}")).await).await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert!(second["next_cursor"].is_null());

    let search = json(app.get(&admin, "/users?q=PAGER%201").await).await;
    assert_eq!(search["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(search["items"][0]["email"], "page1@test.example");

    let by_oem = json(app.get(&admin, &format!("/users?oem_id={}", app.oem)).await).await;
    assert_eq!(by_oem["items"][0]["email"], "sm@test.example");

    let bad_limit = app.get(&admin, "/users?limit=501").await;
    assert_eq!(bad_limit.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
