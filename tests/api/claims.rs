use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, json, spawn_app};
use crate::parts::create_part;
use crate::vehicles::{model, vin};

/// A dealer authorized by the OEM, its policies, a vehicle and a completed
/// repair: an HV pack swapped and an hour and a half of labour.
pub(crate) struct Case {
    pub(crate) admin: String,
    pub(crate) dealer: String,
    pub(crate) manager: String,
    pub(crate) repair_id: i64,
    pub(crate) pack: i64,
    pub(crate) model_id: i64,
}

fn priced(app: &TestApp, number: &str, currency: &str, serialized: bool) -> Value {
    json!({"oem_id": app.oem, "part_number": number, "description": format!("Part {number}"),
        "component_category": "hv_battery", "list_price": {"amount_minor": 2_000_000, "currency": currency},
        "serialized": serialized, "warranty_eligible": true})
}

pub(crate) async fn case(app: &TestApp, in_service: &str, currency: &str) -> Case {
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("a@test.example", app.dealer_a).await;
    app.create_user(json!({"email": "sm@test.example", "display_name": "Greta Lind", "role": "service_manager",
        "password": PASSWORD, "oem_id": app.oem}))
        .await;
    let manager = app.token("sm@test.example", PASSWORD).await;
    let grant = json!({"oem_id": app.oem, "dealer_id": app.dealer_a, "service_types": ["warranty_repair", "hv_battery"],
        "valid_from": "2020-01-01", "valid_to": "2035-12-31"});
    assert_eq!(app.post(&admin, "/authorizations", &grant).await.status(), StatusCode::CREATED);
    for (category, months, km) in [("vehicle_basic", 36, 100_000), ("hv_battery", 96, 160_000)] {
        let policy = json!({"oem_id": app.oem, "component_category": category, "months": months, "km": km});
        assert_eq!(app.post(&admin, "/warranty-policies", &policy).await.status(), StatusCode::CREATED);
    }
    let model_id = model(app, &admin).await;
    let vin = vin("lsvau2180n2183624");
    let year: i32 = in_service[..4].parse().expect("a year");
    let vehicle = json!({"vin": vin, "oem_id": app.oem, "model_id": model_id, "model_year": year,
        "in_service_date": in_service, "country": "NO"});
    assert_eq!(app.post(&dealer, "/vehicles", &vehicle).await.status(), StatusCode::CREATED);
    let pack = create_part(app, &admin, &priced(app, "NVX-PACK", currency, true)).await["id"].as_i64().expect("id");
    let receipt = json!({"part_id": pack, "kind": "receipt", "quantity": 1, "serials": ["PK-NEW"]});
    assert_eq!(app.post(&dealer, "/stock/movements", &receipt).await.status(), StatusCode::CREATED);
    let repair = json!({"vin": vin, "odometer_km": 42000, "complaint": "HV isolation fault",
        "cause": "Cell module breakdown", "correction": "Pack replaced"});
    let repair_id = json(app.post(&dealer, "/repairs", &repair).await).await["id"].as_i64().expect("repair");
    let path = format!("/repairs/{repair_id}");
    for (suffix, body) in [
        ("labor", json!({"labor_code": "HV-PACK-RR", "description": "Pack remove and refit", "hours": 1.5})),
        ("parts", json!({"part_id": pack, "quantity": 1, "serial": "PK-OLD", "direction": "removed"})),
        ("parts", json!({"part_id": pack, "quantity": 1, "serial": "PK-NEW", "direction": "installed"})),
    ] {
        assert_eq!(app.post(&dealer, &format!("{path}/{suffix}"), &body).await.status(), StatusCode::CREATED);
    }
    assert_eq!(app.post(&dealer, &format!("{path}/complete"), &json!({})).await.status(), StatusCode::OK);
    Case { admin, dealer, manager, repair_id, pack, model_id }
}

pub(crate) async fn submit(app: &TestApp, token: &str, id: i64, key: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/claims/{id}/submit")))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .send()
        .await
        .expect("request")
}

pub(crate) async fn new_claim(app: &TestApp, c: &Case) -> Value {
    let body = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "hv-iso-01"});
    let response = app.post(&c.dealer, "/claims", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

#[tokio::test]
async fn a_claim_is_filed_checked_partially_approved_and_paid() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let claim = new_claim(&app, &c).await;
    let id = claim["id"].as_i64().expect("id");
    assert_eq!(claim["status"], "draft");
    assert!(claim["number"].as_str().unwrap_or_default().starts_with("CLM-"));
    assert_eq!(claim["failure_code"], "HV-ISO-01");
    let kinds: Vec<&str> =
        claim["lines"].as_array().expect("lines").iter().filter_map(|l| l["kind"].as_str()).collect();
    assert_eq!(kinds, ["part", "labor"]);
    assert_eq!(claim["requested_total"], json!({"amount_minor": 2_150_000, "currency": "NOK"}));

    let towing = json!({"kind": "sublet", "description": "Towing to workshop", "requested_minor": 80_000});
    let with_sublet = json(app.post(&c.dealer, &format!("/claims/{id}/lines"), &towing).await).await;
    assert_eq!(with_sublet["requested_total"]["amount_minor"], 2_230_000);
    let sublet = with_sublet["lines"][2]["id"].as_i64().expect("line");
    assert_eq!(app.delete(&c.dealer, &format!("/claims/{id}/lines/{sublet}")).await.status(), StatusCode::OK);
    let part_line = json!({"kind": "part", "description": "x", "requested_minor": 1});
    assert_eq!(
        app.post(&c.dealer, &format!("/claims/{id}/lines"), &part_line).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get(&c.manager, &format!("/claims/{id}")).await.status(),
        StatusCode::NOT_FOUND,
        "drafts stay with the dealer"
    );

    let submitted = submit(&app, &c.dealer, id, "key-1").await;
    assert_eq!(submitted.status(), StatusCode::OK);
    let submitted = json(submitted).await;
    assert_eq!(submitted["status"], "submitted");
    let results: Vec<(&str, &str)> = submitted["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| (c["check"].as_str().unwrap_or_default(), c["result"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        results,
        [
            ("authorization", "pass"),
            ("coverage_time", "pass"),
            ("coverage_mileage", "pass"),
            ("part_eligibility", "pass"),
            ("duplicate", "pass"),
            ("odometer", "pass")
        ]
    );
    assert!(
        submitted["checks"][1]["explanation"].as_str().unwrap_or_default().contains("96-month HV battery warranty")
    );
    let again = submit(&app, &c.dealer, id, "key-1").await;
    assert_eq!(again.status(), StatusCode::OK, "the same key gives the same claim");
    assert_eq!(json(again).await["version"], submitted["version"]);
    assert_eq!(submit(&app, &c.dealer, id, "key-2").await.status(), StatusCode::CONFLICT);

    let version = submitted["version"].as_i64().expect("version");
    let taken = app.post(&c.manager, &format!("/claims/{id}/take"), &json!({"version": version})).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let taken = json(taken).await;
    assert_eq!(taken["status"], "in_review");
    let stale = app.post(&c.manager, &format!("/claims/{id}/take"), &json!({"version": version})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(json(stale).await["error"]["message"].as_str().unwrap_or_default().contains("Greta Lind"));

    let lines = taken["lines"].as_array().expect("lines");
    let review = json!({"version": taken["version"], "comment": "Labour time per the guide is 1.0 h", "lines": [
        {"line_id": lines[0]["id"], "decision": "approved"},
        {"line_id": lines[1]["id"], "decision": "adjusted", "approved_minor": 100_000, "reason_code": "labor_time_exceeded"},
    ]});
    let decided = app.post(&c.manager, &format!("/claims/{id}/review"), &review).await;
    assert_eq!(decided.status(), StatusCode::OK);
    let decided = json(decided).await;
    assert_eq!(decided["status"], "partially_approved");
    assert_eq!(decided["approved_total"]["amount_minor"], 2_100_000);
    assert_eq!(decided["lines"][1]["reason_code"], "labor_time_exceeded");

    let seen = json(app.get(&c.dealer, &format!("/claims/{id}")).await).await;
    assert_eq!(seen["status"], "partially_approved");
    assert_eq!(seen["comments"][0]["body"], "Labour time per the guide is 1.0 h");
    let actions: Vec<&str> =
        seen["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "claim.created",
            "claim.line_added",
            "claim.line_removed",
            "claim.submitted",
            "claim.taken",
            "claim.partially_approved"
        ]
    );

    let paid = app
        .post(
            &c.manager,
            &format!("/claims/{id}/mark-paid"),
            &json!({"version": decided["version"], "reference": "PAY-2026-0042"}),
        )
        .await;
    assert_eq!(paid.status(), StatusCode::OK);
    assert_eq!(json(paid).await["status"], "paid");
    let withdraw = app.post(&c.dealer, &format!("/claims/{id}/withdraw"), &json!({})).await;
    assert_eq!(withdraw.status(), StatusCode::CONFLICT);
    assert!(
        json(withdraw).await["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("is paid, so it cannot be withdrawn")
    );
    assert_eq!(json(app.get(&c.admin, "/ledger/verify").await).await["ok"], true);
    let car = json(app.get(&c.dealer, &format!("/vehicles/{}", vin("lsvau2180n2183624"))).await).await;
    assert_eq!(car["claims"][0]["status"], "paid", "the vehicle page lists its claims");
    let queue = json(app.get(&c.manager, "/claims?queue=true").await).await;
    assert_eq!(queue["items"], json!([]));
    let listed = json(app.get(&c.manager, "/claims?status=paid").await).await;
    assert_eq!(listed["items"][0]["id"], id);
    let export = app.get(&c.manager, "/claims/export?status=paid").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    let csv = export.text().await.expect("csv");
    let mut rows = csv.lines();
    assert!(rows.next().unwrap_or_default().starts_with("number,status,dealer,vin"));
    let row = rows.next().unwrap_or_default();
    assert!(row.contains(",paid,NO001,") && row.contains(",2150000,2100000,"), "{row}");
    assert_eq!(app.get(&c.manager, "/claims/export?status=nope").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_failing_check_keeps_the_claim_draft_and_says_why() {
    let app = spawn_app().await;
    let c = case(&app, "2016-01-10", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let refused = submit(&app, &c.dealer, id, "k").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(refused).await;
    let failing: Vec<&str> =
        body["error"]["checks"].as_array().expect("checks").iter().filter_map(|c| c["check"].as_str()).collect();
    assert_eq!(failing, ["coverage_time"]);
    assert!(
        body["error"]["checks"][0]["explanation"]
            .as_str()
            .unwrap_or_default()
            .contains("after the 96-month HV battery warranty ended on 2024-01-10")
    );
    let claim = json(app.get(&c.dealer, &format!("/claims/{id}")).await).await;
    assert_eq!(claim["status"], "draft");
    assert_eq!(claim["checks"].as_array().map(Vec::len), Some(6), "the checks are kept for the dealer to read");
}

#[tokio::test]
async fn the_model_s_own_policy_comes_before_the_oem_s() {
    let app = spawn_app().await;
    // The OEM's 96-month HV battery warranty runs to 2030; the model's own, of 48 months, ended in 2026.
    let c = case(&app, "2022-01-10", "NOK").await;
    let own = json!({"oem_id": app.oem, "model_id": c.model_id, "component_category": "hv_battery",
        "months": 48, "km": 160_000});
    assert_eq!(app.post(&c.admin, "/warranty-policies", &own).await.status(), StatusCode::CREATED);
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let refused = submit(&app, &c.dealer, id, "k").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(refused).await;
    let explanation = body["error"]["checks"][0]["explanation"].as_str().unwrap_or_default().to_string();
    assert!(explanation.contains("after the 48-month HV battery warranty ended on 2026-01-10"), "{explanation}");
}

#[tokio::test]
async fn an_export_of_more_claims_than_one_statement_may_bind_is_whole() {
    use app::server::entities::claim;
    use sea_orm::{EntityTrait, IntoActiveModel, NotSet, Set};

    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let original = claim::Entity::find_by_id(id).one(&app.db).await.expect("read").expect("the claim");
    // More claims than SQLite binds in one statement (32,766), written directly
    // (500 rows of some 40 columns per insert).
    const COPIES: usize = 33_000;
    for batch in (0..COPIES).collect::<Vec<_>>().chunks(500) {
        let rows = batch.iter().map(|n| {
            let mut row = original.clone().into_active_model();
            row.id = NotSet;
            row.number = Set(format!("CLM-COPY-{n:06}"));
            row.seq = Set(1_000_000 + i64::try_from(*n).expect("small"));
            row
        });
        claim::Entity::insert_many(rows).exec_without_returning(&app.db).await.expect("copies written");
    }
    let response = app.get(&c.dealer, "/claims/export").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.expect("body");
    assert_eq!(body.lines().count(), COPIES + 2, "a header, the claim and its copies");
    let newest = body.lines().nth(1).unwrap_or_default();
    assert!(newest.starts_with("CLM-COPY-032999,draft,") && newest.contains(",Nordvolt 5,"), "{newest}");
}

#[tokio::test]
async fn lines_in_another_currency_must_be_given() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "EUR").await;
    let body = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "HV-ISO-01"});
    let refused = app.post(&c.dealer, "/claims", &body).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(refused).await["error"]["fields"]["lines"].as_str().unwrap_or_default().contains("priced in EUR"));
    let given = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "HV-ISO-01",
        "lines": [{"kind": "part", "part_id": c.pack, "description": "HV pack", "requested_minor": 22_000_000}]});
    assert_eq!(app.post(&c.dealer, "/claims", &given).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn another_dealer_gets_404_everywhere_and_dealers_cannot_review() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    let comment = json!({"comment": "x"});
    let version = json!({"version": 1});
    let calls: Vec<(&str, String, Value)> = vec![
        ("GET", format!("/claims/{id}"), json!(null)),
        ("PATCH", format!("/claims/{id}"), json!({"failure_code": "X1"})),
        ("POST", format!("/claims/{id}/lines"), json!({"kind": "sublet", "description": "x", "requested_minor": 1})),
        ("DELETE", format!("/claims/{id}/lines/1"), json!(null)),
        ("POST", format!("/claims/{id}/submit"), json!({})),
        ("POST", format!("/claims/{id}/withdraw"), json!({})),
        ("POST", format!("/claims/{id}/respond"), comment.clone()),
        ("POST", format!("/claims/{id}/appeal"), comment.clone()),
        ("POST", format!("/claims/{id}/take"), version.clone()),
        ("POST", format!("/claims/{id}/review"), json!({"version": 1, "lines": []})),
        ("POST", format!("/claims/{id}/request-info"), json!({"version": 1, "comment": "x"})),
        ("POST", format!("/claims/{id}/mark-paid"), json!({"version": 1, "reference": "x"})),
        ("POST", format!("/claims/{id}/comments"), json!({"body": "x"})),
    ];
    for (method, path, body) in &calls {
        let response = match *method {
            "GET" => app.get(&other, path).await,
            "PATCH" => app.patch(&other, path, body).await,
            "DELETE" => app.delete(&other, path).await,
            _ => app.post(&other, path, body).await,
        };
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    assert_eq!(json(app.get(&other, "/claims").await).await["items"], json!([]));
    assert_eq!(app.post(&c.dealer, &format!("/claims/{id}/take"), &version).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(&c.dealer, &format!("/claims/{id}/review"), &json!({"version": 1, "lines": []})).await.status(),
        StatusCode::FORBIDDEN
    );
    let body = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "HV-ISO-01"});
    assert_eq!(app.post(&c.admin, "/claims", &body).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post(&other, "/claims", &body).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "not its repair");
}

#[tokio::test]
async fn information_requests_answers_and_a_single_appeal() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let submitted = json(submit(&app, &c.dealer, id, "k1").await).await;
    let asked = app
        .post(
            &c.manager,
            &format!("/claims/{id}/request-info"),
            &json!({"version": submitted["version"], "comment": "Send the isolation test log"}),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert_eq!(json(asked).await["status"], "info_requested");
    let answered =
        json(app.post(&c.dealer, &format!("/claims/{id}/respond"), &json!({"comment": "Log attached: 12 kΩ"})).await)
            .await;
    assert_eq!((answered["status"].as_str(), answered["info_answered"].as_bool()), (Some("submitted"), Some(true)));

    let reject_all = |claim: &Value| {
        let lines: Vec<Value> = claim["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| json!({"line_id": l["id"], "decision": "rejected", "reason_code": "insufficient_evidence"}))
            .collect();
        json!({"version": claim["version"], "lines": lines})
    };
    let missing = app
        .post(&c.manager, &format!("/claims/{id}/review"), &json!({"version": answered["version"], "lines": []}))
        .await;
    assert!(
        json(missing).await["error"]["fields"]["lines"]
            .as_str()
            .unwrap_or_default()
            .contains("every line needs a decision")
    );
    let rejected = json(app.post(&c.manager, &format!("/claims/{id}/review"), &reject_all(&answered)).await).await;
    assert_eq!(rejected["status"], "rejected", "a review on a submitted claim takes it first");
    assert_eq!(rejected["approved_total"]["amount_minor"], 0);
    let appealed = json(
        app.post(
            &c.dealer,
            &format!("/claims/{id}/appeal"),
            &json!({"comment": "The fault code was logged in warranty"}),
        )
        .await,
    )
    .await;
    assert_eq!(appealed["status"], "submitted");
    let again = json(app.post(&c.manager, &format!("/claims/{id}/review"), &reject_all(&appealed)).await).await;
    assert_eq!(again["status"], "rejected");
    let twice = app.post(&c.dealer, &format!("/claims/{id}/appeal"), &json!({"comment": "Please"})).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let thread = json(app.post(&c.manager, &format!("/claims/{id}/comments"), &json!({"body": "Final."})).await).await;
    assert_eq!(thread["comments"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn attachments_are_typed_by_their_bytes_and_served_only_in_scope() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    let client = reqwest::Client::new();
    let upload = |name: &str, bytes: Vec<u8>, token: String| {
        let request =
            client.post(app.url(&format!("/claims/{id}/attachments?name={name}"))).bearer_auth(token).body(bytes);
        async move { request.send().await.expect("request") }
    };
    let png = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], &[0u8; 64][..]].concat();
    let added = upload("label.png", png.clone(), c.dealer.clone()).await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let added = json(added).await;
    assert_eq!(added["attachments"][0]["content_type"], "image/png");
    let file = added["attachments"][0]["id"].as_i64().expect("file id");

    let part = reqwest::multipart::Part::bytes(b"cell,volts\n1,3.91\n".to_vec()).file_name("cells.csv");
    let form = reqwest::multipart::Form::new().part("file", part);
    let multipart = client
        .post(app.url(&format!("/claims/{id}/attachments")))
        .bearer_auth(&c.dealer)
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(multipart.status(), StatusCode::CREATED);
    assert_eq!(json(multipart).await["attachments"][1]["content_type"], "text/csv");

    let exe = upload("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00".to_vec(), c.dealer.clone()).await;
    assert_eq!(exe.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(exe).await["error"]["fields"]["file"].as_str().unwrap_or_default().contains("JPEG, PNG"));
    let huge = upload("big.txt", vec![b'a'; 10 * 1024 * 1024 + 1], c.dealer.clone()).await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let download = app.get(&c.dealer, &format!("/attachments/{file}")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment; filename=\"label.png\"")
    );
    assert_eq!(download.bytes().await.expect("bytes").to_vec(), png);
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    assert_eq!(app.get(&other, &format!("/attachments/{file}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(upload("x.txt", b"hello".to_vec(), other).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&c.manager, &format!("/attachments/{file}")).await.status(),
        StatusCode::NOT_FOUND,
        "a draft's files stay with the dealer"
    );
}

#[tokio::test]
async fn the_oem_asks_for_the_failed_part_back_and_follows_it() {
    let app = spawn_app().await;
    let c = case(&app, "2024-03-01", "NOK").await;
    let id = new_claim(&app, &c).await["id"].as_i64().expect("id");
    assert_eq!(
        app.post(&c.manager, &format!("/claims/{id}/part-returns"), &json!({})).await.status(),
        StatusCode::NOT_FOUND,
        "not on a draft"
    );
    assert_eq!(submit(&app, &c.dealer, id, "k").await.status(), StatusCode::OK);
    assert_eq!(
        app.post(&c.dealer, &format!("/claims/{id}/part-returns"), &json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let asked = app
        .post(&c.manager, &format!("/claims/{id}/part-returns"), &json!({"note": "Ship the pack in its HV crate"}))
        .await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let asked = json(asked).await;
    assert_eq!(asked["part_returns"][0]["status"], "requested");
    assert_eq!(asked["part_returns"][0]["serial"], "PK-OLD", "the unit the repair took out");
    let path = format!("/part-returns/{}", asked["part_returns"][0]["id"]);

    let untracked = app.patch(&c.dealer, &path, &json!({"status": "shipped"})).await;
    assert!(json(untracked).await["error"]["fields"]["tracking"].is_string());
    assert_eq!(
        app.patch(&c.manager, &path, &json!({"status": "received"})).await.status(),
        StatusCode::CONFLICT,
        "not shipped yet"
    );
    let shipped = app.patch(&c.dealer, &path, &json!({"status": "shipped", "tracking": "DHL 1234567890"})).await;
    let shipped = json(shipped).await;
    assert_eq!(shipped["part_returns"][0]["tracking"], "DHL 1234567890");
    let pack = shipped["part_returns"][0]["part_id"].as_i64().expect("part");
    let unit = json(app.get(&c.dealer, &format!("/part-units/PK-OLD?part_id={pack}")).await).await;
    assert_eq!(unit["status"], "returned_to_oem", "the failed unit is on its way to the OEM");
    let actions: Vec<&str> =
        unit["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions.last(), Some(&"part_unit.returned_to_oem"));
    assert_eq!(
        app.patch(&c.dealer, &path, &json!({"status": "received"})).await.status(),
        StatusCode::CONFLICT,
        "the OEM receives"
    );
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    assert_eq!(app.patch(&other, &path, &json!({"status": "received"})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.patch(&c.manager, &path, &json!({"status": "received"})).await.status(), StatusCode::OK);
    let inspected = json(
        app.patch(
            &c.manager,
            &path,
            &json!({"status": "inspected", "note": "Cell 7 burnt: warranty failure confirmed"}),
        )
        .await,
    )
    .await;
    assert_eq!(inspected["part_returns"][0]["status"], "inspected");
    assert_eq!(inspected["part_returns"][0]["note"], "Cell 7 burnt: warranty failure confirmed");
}
