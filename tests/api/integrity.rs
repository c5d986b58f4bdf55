//! One user action, one transaction: nothing half-written when a step of it
//! is refused, and concurrent steps applied once.

use reqwest::StatusCode;

use crate::helpers::{ADMIN_EMAIL, PASSWORD, TestApp, json, spawn_app};
use crate::vehicles::{model, vin};

/// Opens a repair the browser's way: the repair form's server function,
/// registering the VIN from the form's vehicle fields when it is new.
async fn open_from_form(app: &TestApp, vin: &str, model_id: i64, complaint: &str) -> reqwest::Response {
    let model_id = model_id.to_string();
    app.http
        .post(format!("{}/rpc/repairs/open", app.base))
        .header("Origin", &app.base)
        .form(&[
            ("vin", vin),
            ("odometer_km", "1200"),
            ("complaint", complaint),
            ("model_id", model_id.as_str()),
            ("model_year", "2025"),
            ("in_service_date", "2025-03-01"),
            ("country", "NO"),
        ])
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_refused_repair_for_a_new_vin_registers_no_vehicle() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let model_id = model(&app, &admin).await;
    let vin = vin("lsvau2180n2183624");
    // Admins may register vehicles but open no repairs: before, the vehicle
    // was registered in a transaction of its own and stayed.
    assert_eq!(app.browser_login(ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK);
    let refused = open_from_form(&app, &vin, model_id, "Charging stops at 80 %").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&admin, &format!("/vehicles/{vin}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_dealer_opens_a_repair_for_a_new_vin_in_one_step() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let model_id = model(&app, &admin).await;
    let (_, _) = app.dealer_user("a@test.example", app.dealer_a).await;
    let vin = vin("lsvau2180n2183624");
    assert_eq!(app.browser_login("a@test.example", PASSWORD).await.status(), StatusCode::OK);
    let opened = open_from_form(&app, &vin, model_id, "Charging stops at 80 %").await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(json(opened).await["vin"], vin.as_str());
    let vehicle = json(app.get(&admin, &format!("/vehicles/{vin}")).await).await;
    assert_eq!(vehicle["repairs"].as_array().map(Vec::len), Some(1), "{vehicle}");
}

#[tokio::test]
async fn concurrent_requests_for_one_part_return_step_apply_it_once() {
    let app = spawn_app().await;
    let c = crate::claims::case(&app, "2024-03-01", "NOK").await;
    let id = crate::claims::new_claim(&app, &c).await["id"].as_i64().expect("id");
    assert_eq!(crate::claims::submit(&app, &c.dealer, id, "k").await.status(), StatusCode::OK);
    let asked = json(app.post(&c.manager, &format!("/claims/{id}/part-returns"), &serde_json::json!({})).await).await;
    let return_id = asked["part_returns"][0]["id"].as_i64().expect("a part return");
    let path = format!("/part-returns/{return_id}");

    let shipped = serde_json::json!({"status": "shipped", "tracking": "DHL 1234567890"});
    let requests = (0..8).map(|_| app.patch(&c.dealer, &path, &shipped));
    let statuses: Vec<StatusCode> =
        futures::future::join_all(requests).await.into_iter().map(|response| response.status()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");

    let entries = json(app.get(&c.admin, &format!("/ledger?entity=part_return&entity_id={return_id}")).await).await;
    let shipped_entries =
        entries["items"].as_array().expect("entries").iter().filter(|e| e["action"] == "part_return.shipped").count();
    assert_eq!(shipped_entries, 1, "{entries}");
}

/// Where the server keeps a file with these bytes (tests serve from the
/// system's temporary directory).
fn stored(bytes: &[u8]) -> std::path::PathBuf {
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(bytes));
    std::env::temp_dir().join("attachments").join(&sha[..2]).join(sha)
}

async fn attach(app: &TestApp, token: &str, claim_id: i64, bytes: Vec<u8>) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/claims/{claim_id}/attachments?name=notes.txt")))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_claim_takes_at_most_fifty_files_and_a_refused_one_leaves_no_bytes_behind() {
    let app = spawn_app().await;
    let c = crate::claims::case(&app, "2024-03-01", "NOK").await;
    let id = crate::claims::new_claim(&app, &c).await["id"].as_i64().expect("id");
    let run: u64 = rand::random();
    for n in 0..50 {
        let text = format!("diagnostic {run} #{n}\n").into_bytes();
        assert_eq!(attach(&app, &c.dealer, id, text).await.status(), StatusCode::CREATED, "file {n}");
    }
    let one_more = format!("diagnostic {run} one too many\n").into_bytes();
    let refused = attach(&app, &c.dealer, id, one_more.clone()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(refused).await["error"]["fields"]["file"].as_str().unwrap_or_default().contains("50 files"));
    assert!(!stored(&one_more).exists(), "the refused file's bytes were removed");
}

#[tokio::test]
async fn a_file_for_a_withdrawn_claim_is_refused_and_its_bytes_removed() {
    let app = spawn_app().await;
    let c = crate::claims::case(&app, "2024-03-01", "NOK").await;
    let id = crate::claims::new_claim(&app, &c).await["id"].as_i64().expect("id");
    assert_eq!(
        app.post(&c.dealer, &format!("/claims/{id}/withdraw"), &serde_json::json!({})).await.status(),
        StatusCode::OK
    );
    let bytes = format!("late diagnostic {}\n", rand::random::<u64>()).into_bytes();
    assert_eq!(attach(&app, &c.dealer, id, bytes.clone()).await.status(), StatusCode::CONFLICT);
    assert!(!stored(&bytes).exists());
}
