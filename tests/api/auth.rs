use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, json, spawn_app, spawn_on};

#[tokio::test]
async fn login_with_the_right_password_returns_a_token_and_the_user() {
    let app = spawn_app().await;
    let body = json(app.login(ADMIN_EMAIL, PASSWORD).await).await;
    assert_eq!(body["user"]["email"], ADMIN_EMAIL);
    assert_eq!(body["user"]["role"], "admin");
    assert!(body["user"].get("password_hash").is_none());
    assert_eq!(body["token"].as_str().map(str::len), Some(43));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_answer_the_same_401() {
    let app = spawn_app().await;
    let wrong_password = app.login(ADMIN_EMAIL, "not-the-password").await;
    let unknown_email = app.login("nobody@test.example", "not-the-password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(wrong_password).await, json(unknown_email).await);
}

#[tokio::test]
async fn five_failures_throttle_an_email_with_429_and_retry_after_but_not_others() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login(ADMIN_EMAIL, "wrong-password-1").await.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while throttled.
    let throttled = app.login(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_eq!(json(throttled).await["error"]["code"], "rate_limited");

    // An unknown email is throttled the same way, and does not block others.
    for _ in 0..5 {
        app.login("ghost@test.example", "wrong-password-1").await;
    }
    assert_eq!(app.login("ghost@test.example", "x-wrong-password").await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_throttled_email_never_blocks_another() {
    let app = spawn_app().await;
    let (_, _) = app.dealer_user("other@test.example", app.dealer_a).await;
    for _ in 0..6 {
        app.login(ADMIN_EMAIL, "wrong-password-1").await;
    }
    assert_eq!(app.login("other@test.example", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_throttle_survives_a_restart_and_spans_instances() {
    let app = spawn_app().await;
    for _ in 0..5 {
        app.login(ADMIN_EMAIL, "wrong-password-1").await;
    }
    let second_instance = spawn_on(&app.database_url).await;
    assert_eq!(second_instance.login(ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_bearer_token_authenticates_and_logout_revokes_it() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let me = app.get(&token, "/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(json(me).await["email"], ADMIN_EMAIL);

    let logout =
        reqwest::Client::new().post(app.url("/auth/logout")).bearer_auth(&token).send().await.expect("request");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&token, "/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn requests_without_credentials_or_with_a_bad_token_are_401() {
    let app = spawn_app().await;
    let anonymous = reqwest::get(app.url("/me")).await.expect("request");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(anonymous).await["error"]["code"], "unauthenticated");
    assert_eq!(app.get("made-up-token", "/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_browser_session_is_an_httponly_cookie_kept_in_the_database() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let response = client
        .post(format!("{}/rpc/auth/login", app.base))
        .header("Origin", &app.base)
        .form(&[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert!(response.status().is_redirection() || response.status().is_success(), "{}", response.status());
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("al_session="))
        .expect("a session cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let token = cookie.trim_start_matches("al_session=").split(';').next().expect("value").to_string();

    // Only the SHA-256 of the token is stored.
    use app::server::entities::session;
    use sea_orm::EntityTrait;
    let sessions = session::Entity::find().all(&app.db).await.expect("reads sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].token_hash, app::server::auth::token_hash(&token));
    assert_ne!(sessions[0].token_hash, token);

    let me = client.get(app.url("/me")).header("Cookie", format!("al_session={token}")).send().await.expect("request");
    assert_eq!(me.status(), StatusCode::OK);

    // Logout deletes the session.
    let logout = client
        .post(format!("{}/rpc/auth/logout", app.base))
        .header("Origin", &app.base)
        .header("Cookie", format!("al_session={token}"))
        .send()
        .await
        .expect("request");
    assert!(logout.status().is_redirection() || logout.status().is_success());
    assert!(session::Entity::find().all(&app.db).await.expect("reads").is_empty());
    let after =
        client.get(app.url("/me")).header("Cookie", format!("al_session={token}")).send().await.expect("request");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookie_requests_that_change_state_must_come_from_our_origin() {
    let app = spawn_app().await;
    app.browser_login(ADMIN_EMAIL, PASSWORD).await;
    let body = json!({"current_password": PASSWORD, "new_password": "another-long-secret-9"});

    let foreign = app
        .http
        .post(app.url("/me/password"))
        .header("Origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let missing = app.http.post(app.url("/me/password")).json(&body).send().await.expect("request");
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let reads_are_fine = app.http.get(app.url("/me")).send().await.expect("request");
    assert_eq!(reads_are_fine.status(), StatusCode::OK);
    let ours =
        app.http.post(app.url("/me/password")).header("Origin", &app.base).json(&body).send().await.expect("request");
    assert_eq!(ours.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bearer_requests_need_no_origin() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let body = json!({"current_password": PASSWORD, "new_password": "another-long-secret-9"});
    assert_eq!(app.post(&token, "/me/password", &body).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn changing_the_password_checks_the_current_one_and_the_policy() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let wrong = app
        .post(
            &token,
            "/me/password",
            &json!({"current_password": "nope-nope-nope", "new_password": "another-long-secret-9"}),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(wrong).await["error"]["fields"]["current_password"], "is not your current password");
    let weak =
        app.post(&token, "/me/password", &json!({"current_password": PASSWORD, "new_password": "password1234"})).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(weak).await["error"]["fields"]["new_password"].is_string());

    let ok = app
        .post(&token, "/me/password", &json!({"current_password": PASSWORD, "new_password": "another-long-secret-9"}))
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.login(ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login(ADMIN_EMAIL, "another-long-secret-9").await.status(), StatusCode::OK);
}
