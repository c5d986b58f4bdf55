//! DESIGN.md §13: imports, searches and exports are bounded, the role is
//! known before a file is read, and exports are streamed and safe to open
//! in a spreadsheet.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, json, spawn_app};
use crate::parts::{create_part, part_body, post_csv};

const CATALOGUE_HEADER: &str =
    "part_number,description,component_category,list_price_minor,currency,serialized,warranty_eligible";

/// A service manager of the test OEM; returns its token.
async fn service_manager(app: &TestApp) -> String {
    app.create_user(json!({"email": "sm@test.example", "display_name": "Greta Lind", "role": "service_manager",
        "password": PASSWORD, "oem_id": app.oem}))
        .await;
    app.token("sm@test.example", PASSWORD).await
}

#[tokio::test]
async fn an_actor_who_may_not_import_is_refused_before_the_file_is_read() {
    let app = spawn_app().await;
    let manager = service_manager(&app).await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    // Every line is bad, the header first: read, it would be a 422 listing them.
    let mut bad = String::from("part_number,quantity,colour\n");
    bad.push_str(&"not a part,many,red\n".repeat(1_000));

    let refused = post_csv(&app, &manager, "/stock/import", &bad).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(json(refused).await["error"].get("errors").is_none());
    let elsewhere = post_csv(&app, &dealer, &format!("/stock/import?dealer_id={}", app.dealer_b), &bad).await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    let catalogue = post_csv(&app, &dealer, &format!("/parts/import?oem_id={}", app.oem), &bad).await;
    assert_eq!(catalogue.status(), StatusCode::FORBIDDEN);
    let admin = app.admin_token().await;
    let no_oem = post_csv(&app, &admin, "/parts/import?oem_id=999999", &bad).await;
    assert_eq!(no_oem.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(no_oem).await;
    assert!(body["error"]["fields"]["oem_id"].is_string(), "{body}");
    assert!(body["error"].get("errors").is_none(), "the file was not read: {body}");

    let own = post_csv(&app, &dealer, "/stock/import", &bad).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY, "the dealer's own file is read");
}

#[tokio::test]
async fn a_file_of_more_than_200_000_rows_is_refused_naming_the_limit() {
    let app = spawn_app().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let mut file = String::from("part_number,quantity\n");
    file.push_str(&"NVX-1,1\n".repeat(200_001));
    let response = post_csv(&app, &dealer, "/stock/import", &file).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("more than 200,000 rows"), "{message}");
    assert_eq!(body["error"]["errors"][0]["field"], "file");
    assert_eq!(body["error"]["errors"][0]["line"], 200_002);
}

#[tokio::test]
async fn a_file_with_1_500_bad_rows_lists_1_000_and_counts_1_500() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut file = format!("{CATALOGUE_HEADER}\n");
    for n in 0..1_500 {
        file.push_str(&format!("NVX-{n},Pack,rocket,100,EUR,true,true\n"));
    }
    let response = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &file).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json(response).await;
    let errors = body["error"]["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1_000);
    assert_eq!(body["error"]["errors_total"], 1_500);
    assert_eq!((errors[0]["line"].as_i64(), errors[999]["line"].as_i64()), (Some(2), Some(1_001)));
    assert_eq!(errors[0]["field"], "component_category");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("1,500 errors") && message.contains("first 1,000"), "{message}");
}

#[tokio::test]
async fn a_search_of_more_than_10_words_or_200_characters_is_refused_on_q() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let eleven = ["w"; 11].join("%20");
    let ten = ["w"; 10].join("%20");
    let long = "a".repeat(201);
    let lists = [
        "/parts".to_string(),
        format!("/stock?dealer_id={}", app.dealer_a),
        "/users".to_string(),
        "/vehicles".to_string(),
        "/dealers".to_string(),
    ];
    for list in &lists {
        let join = if list.contains('?') { '&' } else { '?' };
        let words = app.get(&admin, &format!("{list}{join}q={eleven}")).await;
        assert_eq!(words.status(), StatusCode::UNPROCESSABLE_ENTITY, "{list}");
        assert_eq!(json(words).await["error"]["fields"]["q"], "Search for at most 10 words.", "{list}");
        let chars = app.get(&admin, &format!("{list}{join}q={long}")).await;
        assert_eq!(chars.status(), StatusCode::UNPROCESSABLE_ENTITY, "{list}");
        assert_eq!(json(chars).await["error"]["fields"]["q"], "Search for at most 200 characters.", "{list}");
        assert_eq!(app.get(&admin, &format!("{list}{join}q={ten}")).await.status(), StatusCode::OK, "{list}");
    }
    let trace = app.get(&admin, &format!("/trace?q={eleven}")).await;
    assert_eq!(trace.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(trace).await["error"]["fields"]["q"], "Search for at most 10 words.");
}

/// A paid claim of dealer A whose payment reference is `reference`;
/// returns the dealer's token.
async fn paid_claim(app: &TestApp, reference: &str) -> String {
    let c = crate::claims::case(app, "2024-03-01", "NOK").await;
    let (dealer, manager) = (c.dealer.clone(), c.manager.clone());
    let id = crate::claims::new_claim(app, &c).await["id"].as_i64().expect("claim");
    let submitted = crate::claims::submit(app, &dealer, id, "limits-1").await;
    assert_eq!(submitted.status(), StatusCode::OK);
    let version = json(submitted).await["version"].clone();
    let taken = json(app.post(&manager, &format!("/claims/{id}/take"), &json!({"version": version})).await).await;
    let lines: Vec<Value> = taken["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| json!({"line_id": l["id"], "decision": "approved"}))
        .collect();
    let review = json!({"version": taken["version"], "lines": lines});
    let decided = app.post(&manager, &format!("/claims/{id}/review"), &review).await;
    assert_eq!(decided.status(), StatusCode::OK);
    let version = json(decided).await["version"].clone();
    let paid = json!({"version": version, "reference": reference});
    assert_eq!(app.post(&manager, &format!("/claims/{id}/mark-paid"), &paid).await.status(), StatusCode::OK);
    dealer
}

#[tokio::test]
async fn a_payment_reference_that_is_a_formula_reaches_the_claims_export_as_text() {
    let app = spawn_app().await;
    let dealer = paid_claim(&app, "=HYPERLINK(\"http://x\",\"click\")").await;
    let export = app.get(&dealer, "/claims/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.content_length(), None, "streamed, without a length");
    let csv = export.text().await.expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].ends_with(",paid_at,payment_reference"), "{csv}");
    // Quoted by CSV (it has quotes and a comma), prefixed with ' inside.
    assert!(lines[1].ends_with(",\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""), "{csv}");
    assert!(lines[1].contains(",2150000,2150000,"), "amounts stay numbers: {csv}");
}

#[tokio::test]
async fn the_catalogue_export_is_streamed_whole_prefixes_formulas_and_imports_back_unchanged() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // More parts than one page of the export.
    let mut file = format!("{CATALOGUE_HEADER}\nNVX-FORMULA,=1+1 pack,hv_battery,100,EUR,false,true\n");
    for n in 0..1_200 {
        file.push_str(&format!("NVX-{n:04},Pack {n},hv_battery,100,EUR,false,true\n"));
    }
    file.push_str("-NVX-MINUS,@cmd,hv_battery,100,EUR,false,true\n");
    let imported = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &file).await;
    let imported_body = json(imported).await;
    assert_eq!(imported_body["created"], 1_202, "{imported_body}");

    let export = app.get(&admin, &format!("/parts/export?oem_id={}", app.oem)).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.content_length(), None, "streamed, without a length");
    let text = export.text().await.expect("csv");
    assert_eq!(text.lines().count(), 1 + 1_202, "a header and every part");
    assert!(text.contains("\n'-NVX-MINUS,'@cmd,hv_battery,100,EUR,false,true,false,true,\n"), "{text}");
    assert!(text.contains("\nNVX-0007,Pack 7,hv_battery,100,EUR,"), "{text}");
    assert!(text.contains("\nNVX-FORMULA,'=1+1 pack,hv_battery,"), "{text}");
    assert!(!text.contains("\n=") && !text.contains(",=") && !text.contains(",-") && !text.contains(",@"), "{text}");

    let again = post_csv(&app, &admin, &format!("/parts/import?oem_id={}", app.oem), &text).await;
    assert_eq!(json(again).await, json!({"created": 0, "updated": 0}), "what was exported reads back as it was");
    let part = json(app.get(&admin, "/parts?q=-NVX-MINUS").await).await;
    assert_eq!(part["items"][0]["description"], "@cmd");
}

#[tokio::test]
async fn the_stock_export_prefixes_a_formula_description_and_keeps_quantities_numbers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    let mut body = part_body(app.oem, "NVX-FUSE", false);
    body["description"] = json!("+1 fuse");
    let fuse = create_part(&app, &admin, &body).await["id"].as_i64().expect("id");
    let receipt = json!({"part_id": fuse, "kind": "receipt", "quantity": 4});
    assert_eq!(app.post(&dealer, "/stock/movements", &receipt).await.status(), StatusCode::CREATED);
    let scrap = json!({"part_id": fuse, "kind": "scrap", "quantity": 1, "reason": "-1 cracked"});
    assert_eq!(app.post(&dealer, "/stock/movements", &scrap).await.status(), StatusCode::CREATED);

    let export = app.get(&dealer, "/stock/export").await;
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.content_length(), None, "streamed, without a length");
    let text = export.text().await.expect("csv");
    assert!(text.contains("NO001,NVX,NVX-FUSE,'+1 fuse,hv_battery,3,0,false"), "{text}");
}
