use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{json, spawn_app};

#[tokio::test]
async fn an_unknown_json_field_is_a_422_naming_it() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/auth/login"))
        .json(&json!({"email": "a@b.example", "password": "x", "remember_me": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "validation");
    assert_eq!(body["error"]["fields"]["remember_me"], "is not a field of this request");
}

#[tokio::test]
async fn malformed_json_is_a_400_with_the_json_error_body() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(response).await["error"]["code"], "bad_request");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let big = format!("{{\"display_name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let response = reqwest::Client::new()
        .patch(app.url("/users/1"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(response).await["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_404() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/no-such-thing")).await.expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(response).await["error"]["code"], "not_found");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/api/v1/health", "/login", "/api/v1/nothing"] {
        let response = reqwest::get(format!("{}{path}", app.base)).await.expect("request");
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let body = json(reqwest::get(app.url("/health")).await.expect("request")).await;
    assert_eq!(body, json!({"status": "ok", "db": "ok"}));
}

#[tokio::test]
async fn the_openapi_document_is_generated_and_lists_the_routes() {
    let app = spawn_app().await;
    let doc = json(reqwest::get(app.url("/openapi.json")).await.expect("request")).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
    for path in
        ["/api/v1/auth/login", "/api/v1/users", "/api/v1/users/{id}", "/api/v1/ledger/verify", "/api/v1/me/password"]
    {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

#[tokio::test]
async fn the_login_page_renders_on_the_server() {
    let app = spawn_app().await;
    let mut page = app.http.get(format!("{}/login", app.base)).send().await.expect("request");
    assert_eq!(page.status(), StatusCode::OK);
    // The rendered document, up to its end; the resources' data streamed
    // after it is not what this test is about (see `headers::page`).
    let mut html = Vec::new();
    while !String::from_utf8_lossy(&html).contains("</html>") {
        let chunk = page.chunk().await.expect("the next chunk").expect("the document before the body ends");
        html.extend_from_slice(&chunk);
    }
    let html = String::from_utf8_lossy(&html);
    assert!(html.contains("Sign in to Aftermarket Ledger"));
    assert!(html.contains("<label for=\"email\">"));
}

#[tokio::test]
async fn a_server_function_with_malformed_arguments_is_a_4xx() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(format!("{}/rpc/users/get", app.base))
        .header("Origin", &app.base)
        .form(&[("id", "not-a-number")])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_id_that_is_no_number_names_no_record_with_the_json_error_body() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for path in ["/claims/9223372036854775808", "/users/abc", "/repairs/-9223372036854775808/labor/x"] {
        let response = if path.ends_with("/x") { app.delete(&admin, path).await } else { app.get(&admin, path).await };
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(json(response).await["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn every_operation_documents_the_errors_it_can_answer() {
    let app = spawn_app().await;
    let doc = json(reqwest::get(app.url("/openapi.json")).await.expect("request")).await;
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths.iter().filter(|(path, _)| !path.ends_with("/health")) {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["400", "401", "403", "404", "422"] {
                assert!(responses.contains_key(status), "{method} {path} documents {status}");
            }
            if method != "get" {
                assert!(responses.contains_key("409"), "{method} {path} documents 409");
            }
        }
    }
}
