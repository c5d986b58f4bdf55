//! Sign-in under hostile load: parallel guesses, malformed emails, and
//! signed-in requests while a long write holds the writers' turn.

use std::time::Duration;

use app::server::entities::login_failure;
use app::server::ledger::{Change, LedgerTx};
use chrono::Utc;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, json, spawn_app};

/// Twenty wrong passwords for one email at once: (verified, refused).
async fn burst(app: &crate::helpers::TestApp) -> (usize, usize) {
    let guesses = (0..20).map(|i| app.login(ADMIN_EMAIL, if i % 2 == 0 { "wrong-password-1" } else { "wrong-2" }));
    let statuses: Vec<StatusCode> =
        futures::future::join_all(guesses).await.into_iter().map(|response| response.status()).collect();
    // A 401 is an answer argon2 gave; a 429 was refused before verifying.
    let verified = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(verified + refused, 20, "{statuses:?}");
    (verified, refused)
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_get_at_most_five_verifications() {
    let app = spawn_app().await;
    let (first, _) = burst(&app).await;
    assert!(first <= 5, "{first} guesses were verified");
    // Attempts refused while others were in flight do not count as
    // failures, so a second burst may verify what is left of the five.
    let (second, _) = burst(&app).await;
    assert!(first + second <= 5, "{first} + {second} guesses were verified in one window");
    let (third, _) = burst(&app).await;
    let failures = first + second + third;
    assert!(failures <= 5, "{failures} guesses were verified in one window");
    // Even the right password is refused once five failures count.
    let expected = if failures == 5 { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::OK };
    assert_eq!(app.login(ADMIN_EMAIL, PASSWORD).await.status(), expected);
}

#[tokio::test]
async fn an_overlong_or_malformed_email_is_refused_before_anything_is_hashed_or_counted() {
    let app = spawn_app().await;
    let long = format!("{}@test.example", "a".repeat(250));
    for email in [long.as_str(), "not-an-email", "a@b@c"] {
        let response = app.login(email, "wrong-password-1").await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{email}");
        let body = json(response).await;
        assert!(body["error"]["fields"]["email"].is_string(), "{body}");
    }
    let counted = login_failure::Entity::find().count(&app.db).await.expect("counts");
    assert_eq!(counted, 0, "no attempt was counted for a malformed email");
    let huge = "p".repeat(2000);
    let response = app.login(ADMIN_EMAIL, &huge).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(response).await["error"]["fields"]["password"].is_string());
}

#[tokio::test]
async fn a_signed_in_request_does_not_wait_for_a_long_write() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    // A change that holds the writers' turn, as a long import does. On a
    // SQLite file every writer of this process queues behind it.
    let held = LedgerTx::begin(&app.db, None).await.expect("begins");
    // The token was never used: this request writes its last-used time.
    let me = tokio::time::timeout(Duration::from_secs(10), app.get(&token, "/me")).await;
    let mut held = held;
    held.record(Change::new("user", 1, "user.updated", json!({"test": "held"})));
    held.commit().await.expect("the held change commits");
    let me = me.expect("GET /me answered while a change held the writers' turn");
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn failed_attempts_older_than_the_window_are_pruned() {
    let app = spawn_app().await;
    let now = Utc::now();
    for (email, minutes_ago) in [("old@test.example", 16), ("old@test.example", 60 * 24), ("new@test.example", 1)] {
        login_failure::ActiveModel {
            email: Set(email.into()),
            at: Set(now - chrono::Duration::minutes(minutes_ago)),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("writes a failure");
    }
    let pruned = app::server::auth::prune_login_failures(&app.db, now).await.expect("prunes");
    assert_eq!(pruned, 2);
    let left = login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq("new@test.example"))
        .count(&app.db)
        .await
        .expect("counts");
    assert_eq!(left, 1, "a failure inside the window still counts");
}
