use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, json, spawn_app};

pub fn part_body(oem: i64, number: &str, serialized: bool) -> Value {
    json!({
        "oem_id": oem, "part_number": number, "description": format!("HV battery pack {number}"),
        "component_category": "hv_battery", "list_price": {"amount_minor": 1_250_000, "currency": "EUR"},
        "serialized": serialized, "warranty_eligible": true,
    })
}

/// Creates a part as the admin and returns it.
pub async fn create_part(app: &TestApp, admin: &str, body: &Value) -> Value {
    let response = app.post(admin, "/parts", body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating {body}");
    json(response).await
}

pub async fn post_csv(app: &TestApp, token: &str, path: &str, csv: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn an_admin_adds_parts_and_everyone_reads_the_catalogue() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let part = create_part(&app, &admin, &part_body(app.oem, " nvx-hv-77 ", true)).await;
    assert_eq!(part["part_number"], "NVX-HV-77");
    assert_eq!(part["oem_code"], "NVX");
    assert_eq!(part["current_part_number"], "NVX-HV-77");
    assert_eq!(app.post(&admin, "/parts", &part_body(app.oem, "NVX-HV-77", true)).await.status(), StatusCode::CONFLICT);

    let bad = app
        .post(
            &admin,
            "/parts",
            &json!({"oem_id": 999_999, "part_number": "a b", "description": "", "component_category": "engine",
            "list_price": {"amount_minor": -1, "currency": "EUR"}}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = json(bad).await["error"]["fields"].clone();
    for field in
        ["oem_id", "part_number", "description", "component_category", "list_price", "serialized", "warranty_eligible"]
    {
        assert!(fields[field].is_string(), "{field} in {fields}");
    }

    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    assert_eq!(app.post(&dealer, "/parts", &part_body(app.oem, "NVX-X", false)).await.status(), StatusCode::FORBIDDEN);
    let mut wiper = part_body(app.oem, "NVX-WB-01", false);
    wiper["description"] = json!("Wiper blade, driver side");
    wiper["component_category"] = json!("vehicle_basic");
    create_part(&app, &admin, &wiper).await;

    let by_prefix = json(app.get(&dealer, "/parts?q=nvx-hv").await).await;
    let numbers: Vec<&str> =
        by_prefix["items"].as_array().expect("items").iter().filter_map(|p| p["part_number"].as_str()).collect();
    assert_eq!(numbers, vec!["NVX-HV-77"]);
    let by_words = json(app.get(&dealer, "/parts?q=blade%20wip").await).await;
    assert_eq!(by_words["items"][0]["part_number"], "NVX-WB-01");
    assert_eq!(by_words["items"].as_array().map(Vec::len), Some(1));
    let nothing = json(app.get(&dealer, "/parts?q=blade%20pack").await).await;
    assert_eq!(nothing["items"], json!([]));

    let first = json(app.get(&dealer, "/parts?limit=1").await).await;
    assert_eq!(first["items"][0]["part_number"], "NVX-HV-77");
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = json(app.get(&dealer, &format!("/parts?limit=1&cursor={cursor}")).await).await;
    assert_eq!(second["items"][0]["part_number"], "NVX-WB-01");
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(app.get(&dealer, "/parts?limit=abc").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn supersession_leads_to_the_current_part_and_cycles_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let a = create_part(&app, &admin, &part_body(app.oem, "NVX-A", false)).await;
    let b = create_part(&app, &admin, &part_body(app.oem, "NVX-B", false)).await;
    let mut c_body = part_body(app.oem, "NVX-C", false);
    c_body["superseded_by_id"] = json!(null);
    let c = create_part(&app, &admin, &c_body).await;
    let (a_id, b_id, c_id) =
        (a["id"].as_i64().unwrap_or(0), b["id"].as_i64().unwrap_or(0), c["id"].as_i64().unwrap_or(0));

    assert_eq!(
        app.patch(&admin, &format!("/parts/{a_id}"), &json!({"superseded_by_id": b_id})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.patch(&admin, &format!("/parts/{b_id}"), &json!({"superseded_by_id": c_id})).await.status(),
        StatusCode::OK
    );
    let old = json(app.get(&admin, &format!("/parts/{a_id}")).await).await;
    assert_eq!(old["superseded_by_id"], b_id);
    assert_eq!(old["current_part_number"], "NVX-C");

    let cycle = app.patch(&admin, &format!("/parts/{c_id}"), &json!({"superseded_by_id": a_id})).await;
    assert_eq!(cycle.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = json(cycle).await["error"]["fields"]["superseded_by_id"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("NVX-C → NVX-A → NVX-B → NVX-C"), "{message}");
    let itself = app.patch(&admin, &format!("/parts/{c_id}"), &json!({"superseded_by_id": c_id})).await;
    assert_eq!(itself.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renumber = app.patch(&admin, &format!("/parts/{c_id}"), &json!({"part_number": "NVX-D"})).await;
    assert_eq!(renumber.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

const HEADER: &str =
    "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible";

#[tokio::test]
async fn a_csv_with_a_bad_row_imports_nothing_and_names_the_line() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let csv = format!(
        "{HEADER}\nNVX-1,Pack,hv_battery,100,EUR,true,true\nNVX-2,Motor,drive_unit,abc,EUR,false,true\nNVX-3,Cable,electronics,5,EUR,maybe,true\n"
    );
    let response = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &csv).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "validation");
    let errors: Vec<(i64, String)> = body["error"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["line"].as_i64().unwrap_or(0), e["field"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(errors, vec![(3, "list_price_minor".to_string()), (4, "serialized".to_string())]);
    let none = json(app.get(&admin, &format!("/parts?oem_id={}", app.oem)).await).await;
    assert_eq!(none["items"], json!([]), "nothing was imported");

    let cycle = format!(
        "{HEADER},superseded_by\nNVX-1,Pack,hv_battery,100,EUR,true,true,NVX-2\nNVX-2,Pack,hv_battery,100,EUR,true,true,NVX-1\n"
    );
    let refused = json(post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &cycle).await).await;
    assert_eq!(refused["error"]["errors"][0]["field"], "superseded_by");
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let forbidden = post_csv(&app, &dealer, &format!("/parts/import?oem_id={}", app.oem), &csv).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let no_oem = post_csv(&app, &admin, "/parts/import", &csv).await;
    assert!(json(no_oem).await["error"]["fields"]["oem_id"].is_string());
}

#[tokio::test]
async fn a_good_csv_creates_and_updates_by_part_number_and_exports_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    create_part(&app, &admin, &part_body(app.oem, "NVX-1", true)).await;
    let csv = format!(
        "\u{feff}{HEADER},superseded_by\nnvx-1,\"Pack, 77 kWh\",hv_battery,200,EUR,true,true,\nNVX-2,Motor,drive_unit,300,EUR,false,true,\nNVX-OLD,Old motor,drive_unit,250,EUR,false,true,NVX-2\n"
    );
    let response = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &csv).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json(response).await, json!({"created": 2, "updated": 1}));
    let pack = json(app.get(&admin, "/parts?q=NVX-1").await).await;
    assert_eq!(pack["items"][0]["description"], "Pack, 77 kWh");
    assert_eq!(pack["items"][0]["list_price"]["amount_minor"], 200);
    let old = json(app.get(&admin, "/parts?q=NVX-OLD").await).await;
    assert_eq!(old["items"][0]["current_part_number"], "NVX-2");

    let export = app.get(&admin, &format!("/parts/export?oem_id={}", app.oem)).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    let text = export.text().await.expect("csv");
    assert!(text.starts_with("part_number,description,component_category,list_price_minor,currency"), "{text}");
    assert!(text.contains("NVX-OLD,Old motor,drive_unit,250,EUR,false,true,false,true,NVX-2"), "{text}");
    // The export imports back unchanged.
    let again = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &text).await;
    assert_eq!(json(again).await, json!({"created": 0, "updated": 0}));
    let ledger = json(app.get(&admin, "/ledger?entity=part&limit=500").await).await;
    assert_eq!(ledger["items"].as_array().map(Vec::len), Some(4), "one entry per created or updated part");
    let verify = json(app.get(&admin, "/ledger/verify").await).await;
    assert_eq!(verify["ok"], true);
}

/// Every page of `/parts?q=…` followed by its cursor: the part numbers found, in order.
async fn search_all(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/parts?q={q}&limit=50");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = json(app.get(token, &path).await).await;
        for item in page["items"].as_array().expect("items") {
            numbers.push(item["part_number"].as_str().expect("a number").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return numbers,
        }
    }
}

#[tokio::test]
async fn searching_a_large_catalogue_finds_common_and_rare_words_in_part_number_order() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // 3,000 parts: "pack" starts a word of 2,505 descriptions (read by
    // walking the catalogue), "packing" of 5 of them (looked up), "module" of
    // every other one (1,500, looked up); "bench" of all. Part numbers run
    // against the order the rows are written in.
    let mut csv = format!("{HEADER}\n");
    for i in 0..3_000 {
        let noun = if i % 600 == 0 {
            "packing"
        } else if i % 6 != 0 {
            "pack"
        } else {
            "cover"
        };
        let extra = if i % 2 == 0 { "module" } else { "bracket" };
        csv.push_str(&format!("ZS-{:05},Bench {noun} {extra} {i},hv_battery,100,EUR,false,true\n", 9_999 - i));
    }
    let response = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &csv).await;
    assert_eq!(response.status(), StatusCode::OK);
    let expect = |keep: &dyn Fn(usize) -> bool| {
        let mut numbers: Vec<String> =
            (0..3_000).filter(|i| keep(*i)).map(|i| format!("ZS-{:05}", 9_999 - i)).collect();
        numbers.sort();
        numbers
    };
    let pack = |i: usize| i.is_multiple_of(600) || !i.is_multiple_of(6);

    assert_eq!(search_all(&app, &admin, "pack").await, expect(&pack), "pack and packing, sorted, every page once");
    assert_eq!(search_all(&app, &admin, "bench%20PA").await, expect(&pack), "two common words");
    assert_eq!(search_all(&app, &admin, "packi").await, expect(&|i| i % 600 == 0));
    assert_eq!(search_all(&app, &admin, "pack%20mod").await, expect(&|i| pack(i) && i % 2 == 0));
    assert_eq!(search_all(&app, &admin, "nothing").await, Vec::<String>::new());
    // A part-number prefix matches on its own, and together with words.
    assert_eq!(search_all(&app, &admin, "zs-075").await, expect(&|i| (9_999 - i) / 100 == 75));
    let zs = search_all(&app, &admin, "zs").await;
    assert_eq!(zs.len(), 3_000, "every part number starts with ZS");
}
