use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::{json, spawn_app};

#[tokio::test]
async fn an_admin_verifies_an_intact_chain() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let report = json(app.get(&admin, "/ledger/verify").await).await;
    assert_eq!(report["ok"], true);
    assert!(report["entries"].as_i64().is_some_and(|n| n >= 4), "{report}");
    assert_eq!(report["head"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn only_admins_verify_the_ledger() {
    let app = spawn_app().await;
    let (_, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    assert_eq!(app.get(&dealer, "/ledger/verify").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_row_changed_with_sql_is_found_and_named() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.db
        .execute_unprepared("UPDATE ledger_entries SET data = '{\"email\":\"mallory@test.example\"}' WHERE seq = 3")
        .await
        .expect("tampers");
    let report = json(app.get(&admin, "/ledger/verify").await).await;
    assert_eq!(report, json!({"ok": false, "first_bad_seq": 3}));
}

#[tokio::test]
async fn a_deleted_last_row_is_found() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let before = json(app.get(&admin, "/ledger/verify").await).await;
    let last = before["entries"].as_i64().expect("entries");
    app.db.execute_unprepared(&format!("DELETE FROM ledger_entries WHERE seq = {last}")).await.expect("tampers");
    let report = json(app.get(&admin, "/ledger/verify").await).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["first_bad_seq"], last);
}

#[tokio::test]
async fn a_dealer_reads_only_their_dealers_entries() {
    let app = spawn_app().await;
    let (_, dealer) = app.dealer_user("d1@test.example", app.dealer_a).await;
    app.dealer_user("d2@test.example", app.dealer_b).await;
    let page = json(app.get(&dealer, "/ledger?limit=500").await).await;
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for entry in items {
        assert!(entry["dealer_id"] == json!(app.dealer_a) || entry["actor_id"].is_i64(), "{entry}");
        assert_ne!(entry["dealer_id"], json!(app.dealer_b), "{entry}");
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (base, token, dealer) = (app.url("/users"), admin.clone(), app.dealer_a);
        tasks.push(tokio::spawn(async move {
            reqwest::Client::new()
                .post(base)
                .bearer_auth(token)
                .json(&json!({"email": format!("c{i}@test.example"), "display_name": "C", "role": "dealer", "password": "correct-horse-battery", "dealer_id": dealer}))
                .send()
                .await
                .expect("request")
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("joins"), StatusCode::CREATED);
    }
    let report = json(app.get(&admin, "/ledger/verify").await).await;
    assert_eq!(report["ok"], true, "{report}");
}
