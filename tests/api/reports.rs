//! The OEM's numbers (issue 17): exchange rates from the ECB's files, a
//! claim's frozen reporting amounts, the three reports with numbers worked
//! out by hand, their scope, CSV = JSON, and the early warning.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::claims::{Case, case, new_claim, submit};
use crate::helpers::{TestApp, json, spawn_app};
use crate::parts::post_csv;

const HISTORY: &str = "Date,USD,JPY,HUF,NOK,BRL,CYP,\n\
    2024-11-25,1.0479,161.56,409.38,11.5865,6.0941,N/A,\n\
    2024-11-22,1.0412,161.12,410.63,11.5465,6.0614,N/A,\n";

const DAILY: &str = "Date, USD, JPY, HUF, NOK, \n30 October 2026, 1.1172, 175.68, 366.33, 10.3120, \n";

#[tokio::test]
async fn both_ecb_files_import_and_a_bad_row_is_named_by_line_and_column() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let first = json(post_csv(&app, &admin, "/exchange-rates/import", HISTORY).await).await;
    assert_eq!(
        (first["created"].as_u64(), first["updated"].as_u64(), first["unchanged"].as_u64()),
        (Some(10), Some(0), Some(0))
    );
    let again = json(post_csv(&app, &admin, "/exchange-rates/import", HISTORY).await).await;
    assert_eq!((again["created"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(10)));
    let daily = json(post_csv(&app, &admin, "/exchange-rates/import", DAILY).await).await;
    assert_eq!(daily["created"].as_u64(), Some(4));

    let listed = json(app.get(&admin, "/exchange-rates?currency=huf").await).await;
    let dates: Vec<&str> =
        listed["items"].as_array().into_iter().flatten().filter_map(|r| r["on_date"].as_str()).collect();
    assert_eq!(dates, ["2026-10-30", "2024-11-25", "2024-11-22"]);
    assert_eq!(listed["items"][1]["per_eur"], "409.38");
    assert_eq!(listed["items"][1]["source"], "ecb");

    let bad = "Date,USD,HUF,\n2024-11-26,1.05,409.1,\n2024-11-25,1.04,abc,\n2024-13-01,1.0,400,\n";
    let refused = post_csv(&app, &admin, "/exchange-rates/import", bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let errors = json(refused).await["error"]["errors"].clone();
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["field"].as_str()), (Some(3), Some("HUF")), "{errors}");
    assert_eq!((errors[1]["line"].as_u64(), errors[1]["field"].as_str()), (Some(4), Some("Date")), "{errors}");
    // All or nothing: the good first row was not written.
    let none = json(app.get(&admin, "/exchange-rates?currency=HUF&from=2024-11-26&to=2024-11-26").await).await;
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));

    let (_, dealer) = app.dealer_user("d@test.example", app.dealer_a).await;
    assert_eq!(post_csv(&app, &dealer, "/exchange-rates/import", DAILY).await.status(), StatusCode::FORBIDDEN);
    let egp = json!({"currency": "EGP", "on_date": "2026-10-30", "per_eur": "54.2110"});
    assert_eq!(app.post(&dealer, "/exchange-rates", &egp).await.status(), StatusCode::FORBIDDEN);
    let set = app.post(&admin, "/exchange-rates", &egp).await;
    assert_eq!(set.status(), StatusCode::CREATED);
    assert_eq!(json(set).await["per_eur"], "54.211");
    let tomorrow = (Utc::now().date_naive() + Duration::days(1)).to_string();
    let future =
        app.post(&admin, "/exchange-rates", &json!({"currency": "EGP", "on_date": tomorrow, "per_eur": "54"})).await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(future).await["error"]["fields"]["on_date"].is_string());
}

/// A rate for today (the tests' repairs are opened today).
async fn rate_today(app: &TestApp, admin: &str, currency: &str, per_eur: &str) {
    let body = json!({"currency": currency, "on_date": Utc::now().date_naive().to_string(), "per_eur": per_eur});
    assert_eq!(app.post(admin, "/exchange-rates", &body).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_submitted_claim_freezes_its_rate_and_its_approval_is_converted_at_it() {
    let app = spawn_app().await;
    let c = case(&app, "2025-01-10", "NOK").await;
    rate_today(&app, &c.admin, "NOK", "10").await;
    let draft = new_claim(&app, &c).await;
    assert!(draft["reporting"].is_null(), "a draft has no reporting amounts yet");
    let id = draft["id"].as_i64().unwrap_or_default();
    let requested = draft["requested_total"]["amount_minor"].as_i64().unwrap_or_default();
    let submitted = json(submit(&app, &c.dealer, id, "k-1").await).await;
    let reporting = &submitted["reporting"];
    assert_eq!(reporting["currency"], "EUR");
    assert_eq!(reporting["requested_minor"].as_i64(), Some((requested + 5) / 10), "{reporting}");
    assert_eq!((reporting["claim_per_eur"].as_str(), reporting["reporting_per_eur"].as_str()), (Some("10"), Some("1")));
    assert_eq!((reporting["source"].as_str(), reporting["rate"].as_str()), (Some("manual"), Some("0.1")));

    // A later correction of the rate does not move a submitted claim.
    rate_today(&app, &c.admin, "NOK", "12").await;
    let taken =
        json(app.post(&c.manager, &format!("/claims/{id}/take"), &json!({"version": submitted["version"]})).await)
            .await;
    let lines: Vec<Value> = taken["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| json!({"line_id": l["id"], "decision": "approved"}))
        .collect();
    let review = json!({"version": taken["version"], "lines": lines});
    let decided = json(app.post(&c.manager, &format!("/claims/{id}/review"), &review).await).await;
    assert_eq!(decided["status"], "approved", "{decided}");
    assert_eq!(decided["reporting"]["claim_per_eur"], "10");
    assert_eq!(decided["reporting"]["approved_minor"].as_i64(), Some((requested + 5) / 10));
}

#[tokio::test]
async fn parts_priced_in_another_currency_are_converted_and_late_rates_convert_waiting_claims() {
    let app = spawn_app().await;
    let c = case(&app, "2025-01-10", "EUR").await;
    let body = json!({"repair_id": c.repair_id, "causal_part_id": c.pack, "failure_code": "HV-ISO-01"});
    let refused = app.post(&c.dealer, "/claims", &body).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "no NOK rate yet");
    rate_today(&app, &c.admin, "NOK", "11.5").await;
    let created = json(app.post(&c.dealer, "/claims", &body).await).await;
    let part_line = created["lines"].as_array().into_iter().flatten().find(|l| l["kind"] == "part").cloned();
    // EUR 20 000.00 at 11.5 NOK per euro.
    assert_eq!(part_line.map(|l| l["requested_minor"].clone()), Some(json!(23_000_000)), "{created}");

    // The OEM reports in THB, which has no rate: the claim is submitted unconverted…
    let patch = app.patch(&c.admin, &format!("/oems/{}", app.oem), &json!({"reporting_currency": "THB"})).await;
    assert_eq!(patch.status(), StatusCode::OK);
    let id = created["id"].as_i64().unwrap_or_default();
    let submitted = json(submit(&app, &c.dealer, id, "k-2").await).await;
    assert!(submitted["reporting"].is_null(), "{submitted}");
    let report = json(app.get(&c.manager, "/reports/claims-cost").await).await;
    assert_eq!(report["currency"], "THB");
    assert_eq!(report["totals"]["unconverted"].as_i64(), Some(1));
    assert!(report["notes"][0].as_str().unwrap_or_default().contains("1 of 1 claims"), "{report}");
    // …and converted when the rate arrives.
    rate_today(&app, &c.admin, "THB", "36.057").await;
    let converted = json(app.get(&c.dealer, &format!("/claims/{id}")).await).await;
    assert_eq!(converted["reporting"]["currency"], "THB", "{converted}");
}

/// Another vehicle of the case's model, a pack swapped on it today, and
/// the claim submitted. Answers the claim.
async fn second_claim(app: &TestApp, c: &Case, vin: &str, in_service: &str) -> Value {
    let vehicle = json!({"vin": vin, "oem_id": app.oem, "model_id": c.model_id, "model_year": 2025,
        "in_service_date": in_service, "country": "NO"});
    assert_eq!(app.post(&c.dealer, "/vehicles", &vehicle).await.status(), StatusCode::CREATED);
    let receipt = json!({"part_id": c.pack, "kind": "receipt", "quantity": 1, "serials": ["PK-NEW-2"]});
    assert_eq!(app.post(&c.dealer, "/stock/movements", &receipt).await.status(), StatusCode::CREATED);
    let repair = json!({"vin": vin, "odometer_km": 9000, "complaint": "No charge", "cause": "Pack", "correction": "Pack replaced"});
    let repair_id = json(app.post(&c.dealer, "/repairs", &repair).await).await["id"].as_i64().unwrap_or_default();
    for body in [
        json!({"part_id": c.pack, "quantity": 1, "serial": "PK-OLD-2", "direction": "removed"}),
        json!({"part_id": c.pack, "quantity": 1, "serial": "PK-NEW-2", "direction": "installed"}),
    ] {
        assert_eq!(
            app.post(&c.dealer, &format!("/repairs/{repair_id}/parts"), &body).await.status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        app.post(&c.dealer, &format!("/repairs/{repair_id}/complete"), &json!({})).await.status(),
        StatusCode::OK
    );
    let body = json!({"repair_id": repair_id, "causal_part_id": c.pack, "failure_code": "HV-ISO-02"});
    let draft = json(app.post(&c.dealer, "/claims", &body).await).await;
    json(submit(app, &c.dealer, draft["id"].as_i64().unwrap_or_default(), vin).await).await
}

async fn decide(app: &TestApp, c: &Case, claim: &Value, decision: &str) {
    let id = claim["id"].as_i64().unwrap_or_default();
    let taken =
        json(app.post(&c.manager, &format!("/claims/{id}/take"), &json!({"version": claim["version"]})).await).await;
    let lines: Vec<Value> = taken["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| match decision {
            "rejected" => json!({"line_id": l["id"], "decision": decision, "reason_code": "not_covered"}),
            _ => json!({"line_id": l["id"], "decision": decision}),
        })
        .collect();
    let review = json!({"version": taken["version"], "lines": lines});
    assert_eq!(app.post(&c.manager, &format!("/claims/{id}/review"), &review).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn claims_cost_and_cycle_time_give_the_numbers_worked_out_by_hand_in_json_and_csv() {
    let app = spawn_app().await;
    let c = case(&app, "2025-01-10", "NOK").await;
    rate_today(&app, &c.admin, "NOK", "10").await;
    let first =
        json(submit(&app, &c.dealer, new_claim(&app, &c).await["id"].as_i64().unwrap_or_default(), "k-3").await).await;
    let second = second_claim(&app, &c, &crate::vehicles::vin("lsvau2180n2183625"), "2025-01-20").await;
    decide(&app, &c, &first, "approved").await;
    decide(&app, &c, &second, "rejected").await;
    let eur = |claim: &Value| claim["reporting"]["requested_minor"].as_i64().unwrap_or_default();
    let (a, b) = (eur(&first), eur(&second));
    assert!(a > 0 && b > 0, "{first} {second}");

    let cost = json(app.get(&c.manager, "/reports/claims-cost?group_by=model").await).await;
    assert_eq!(cost["columns"][0], "group");
    let approval = ((a as f64 / (a + b) as f64) * 10_000.0).round() / 10_000.0;
    assert_eq!(cost["rows"], json!([["Nordvolt 5", 2, a + b, a, approval, 0.5, 0]]), "{cost}");
    assert_eq!(cost["totals"]["claims"].as_i64(), Some(2));
    let csv = app.get(&c.manager, "/reports/claims-cost.csv?group_by=model").await.text().await.unwrap_or_default();
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "group,claims,requested_minor,approved_minor,approval_rate_amount,approval_rate_claims,unconverted"
                .to_string(),
            format!("Nordvolt 5,2,{},{a},{approval},0.5,0", a + b),
        ]
    );

    let cycle = json(app.get(&c.manager, "/reports/cycle-time?group_by=dealer").await).await;
    assert_eq!(cycle["rows"][0][0], "NO001");
    assert_eq!((cycle["rows"][0][1].as_i64(), cycle["rows"][0][4].as_i64()), (Some(2), Some(0)), "{cycle}");
    let waiting: u64 = cycle["queue"].as_array().into_iter().flatten().filter_map(|q| q["claims"].as_u64()).sum();
    assert_eq!(waiting, 0);

    // Scope: a dealer sees its own numbers and nobody else's.
    let (_, other) = app.dealer_user("b@test.example", app.dealer_b).await;
    let theirs = json(app.get(&other, "/reports/claims-cost").await).await;
    assert_eq!(theirs["rows"], json!([]));
    let asked = app.get(&other, &format!("/reports/claims-cost?dealer_id={}", app.dealer_a)).await;
    assert_eq!(asked.status(), StatusCode::NOT_FOUND);
    let own = json(app.get(&c.dealer, "/reports/claims-cost").await).await;
    assert_eq!(own["totals"]["claims"].as_i64(), Some(2));
    for bad in [
        "/reports/claims-cost?group_by=colour",
        "/reports/failure-rate?mis=0",
        "/reports/cycle-time?from=2026-02-01&to=2026-01-01",
    ] {
        assert_eq!(app.get(&c.manager, bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(app.get(&c.manager, "/reports/battery-dreams").await.status(), StatusCode::NOT_FOUND);
}

/// The dealer of the case, acting in-process: repairs dated in the past go
/// through the services as the dealer would have written them then.
async fn dealer_actor(app: &TestApp) -> app::server::Actor {
    use app::server::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let person = user::Entity::find()
        .filter(user::Column::Email.eq("a@test.example"))
        .one(&app.db)
        .await
        .ok()
        .flatten()
        .expect("the case's dealer login");
    app::server::Actor::command_line_as(&person).expect("an actor")
}

/// `count` vehicles of the model delivered on `day`, numbered from `first`.
async fn deliver(app: &TestApp, model_id: i64, day: chrono::NaiveDate, first: u32, count: u32) -> Vec<String> {
    use app::server::vehicles::fleet::{Delivered, register_unchecked};
    let delivered: Vec<Delivered> = (first..first + count)
        .map(|n| Delivered {
            vin: app::server::seed_repairs::demo_vin("NVX", "NV5", 2025, n),
            oem_id: app.oem,
            model_id,
            model_year: 2025,
            in_service_date: day,
            country: "NO".into(),
        })
        .collect();
    let vins = delivered.iter().map(|d| d.vin.clone()).collect();
    register_unchecked(&app.db, None, delivered).await.expect("the fleet is written");
    vins
}

async fn inverter(app: &TestApp, admin: &str) -> app::server::entities::part::Model {
    use app::server::entities::part;
    use sea_orm::EntityTrait;
    let body = json!({"oem_id": app.oem, "part_number": "NVX-INV", "description": "Traction inverter",
        "component_category": "electronics", "list_price": {"amount_minor": 1_480_000, "currency": "NOK"},
        "serialized": true, "warranty_eligible": true});
    let id = crate::parts::create_part(app, admin, &body).await["id"].as_i64().unwrap_or_default();
    part::Entity::find_by_id(id).one(&app.db).await.ok().flatten().expect("the inverter")
}

#[tokio::test]
async fn failure_rate_counts_claims_per_thousand_matured_vehicles_per_cohort() {
    use app::server::seed_field::replaced_under_warranty;
    let app = spawn_app().await;
    let c = case(&app, "2025-01-10", "NOK").await;
    let part = inverter(&app, &c.admin).await;
    let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("a date");
    let january = deliver(&app, c.model_id, day("2025-01-15"), 900_001, 8).await;
    deliver(&app, c.model_id, day("2025-03-15"), 900_101, 5).await;
    let actor = dealer_actor(&app).await;
    // MIS 2 (45 days) and MIS 4 (100 days) in January's cohort.
    replaced_under_warranty(&app.db, &actor, &part, &january[0], day("2025-03-01"), 1).await.expect("claim 1");
    replaced_under_warranty(&app.db, &actor, &part, &january[1], day("2025-04-25"), 2).await.expect("claim 2");

    // January: the 8 delivered and the case's vehicle; March: 5.
    let path = format!("/reports/failure-rate?model_id={}&mis=3&from=2025-01-01&to=2025-03-31", c.model_id);
    let at3 = json(app.get(&c.manager, &path).await).await;
    assert_eq!(at3["columns"], json!(["cohort", "vehicles", "claims", "per_1000", "cost_per_vehicle_minor"]));
    assert_eq!(at3["rows"][0], json!(["2025-01", 9, 1, 111.11, 0]), "{at3}");
    assert_eq!(at3["rows"][1], json!(["2025-02", 0, 0, null, null]));
    assert_eq!(at3["rows"][2], json!(["2025-03", 5, 0, 0.0, 0]));
    let at6 = json(app.get(&c.manager, &path.replace("mis=3", "mis=6")).await).await;
    assert_eq!(at6["rows"][0], json!(["2025-01", 9, 2, 222.22, 0]), "{at6}");
    // By part, its chain counted as one; without part or model, the top parts.
    let by_part = json(
        app.get(&c.manager, &format!("/reports/failure-rate?part_id={}&mis=6&from=2025-01-01&to=2025-01-31", part.id))
            .await,
    )
    .await;
    assert_eq!(by_part["rows"][0], json!(["2025-01", 9, 2, 222.22, 0]), "{by_part}");
    let top = json(app.get(&c.manager, "/reports/failure-rate?mis=6&from=2025-01-01&to=2025-03-31").await).await;
    assert_eq!(top["rows"], json!([["NVX-INV", 14, 2, 142.86]]), "{top}");
    let csv = app
        .get(&c.manager, "/reports/failure-rate.csv?mis=6&from=2025-01-01&to=2025-03-31")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(csv.lines().collect::<Vec<_>>(), ["part_number,vehicles,claims,per_1000", "NVX-INV,14,2,142.86"]);
}

#[tokio::test]
async fn an_emerging_part_raises_one_alert_that_its_manager_acknowledges() {
    use app::model::field::YearMonth;
    use app::server::reports::alerts::windows;
    use app::server::seed_field::replaced_under_warranty;
    let app = spawn_app().await;
    let c = case(&app, "2025-01-10", "NOK").await;
    let part = inverter(&app, &c.admin).await;
    let ((recent_from, latest), (base_from, _)) = windows(Utc::now().date_naive());
    // 100 vehicles in each of the 12 baseline and 3 recent cohorts.
    let mut cohorts: Vec<(YearMonth, Vec<String>)> = Vec::new();
    for i in 0..15 {
        let month = base_from.plus(i);
        let vins =
            deliver(&app, c.model_id, month.first_day() + Duration::days(4), 910_000 + 100 * i as u32, 100).await;
        cohorts.push((month, vins));
    }
    let actor = dealer_actor(&app).await;
    let mut n = 0;
    let mut claim_on = |month: YearMonth, k: usize| {
        n += 1;
        let vin = cohorts.iter().find(|(m, _)| *m == month).map(|(_, v)| v[k].clone()).unwrap_or_default();
        (vin, month.first_day() + Duration::days(30), n)
    };
    // Baseline: 2 claims on 1 200 vehicles; recent: 3 on 300 (E = 0.5, p = 0.014: no alert).
    let mut planned = vec![claim_on(base_from.plus(2), 0), claim_on(base_from.plus(7), 1)];
    planned.extend((0..3).map(|k| claim_on(recent_from.plus(k as i32), k)));
    for (vin, day, n) in &planned {
        replaced_under_warranty(&app.db, &actor, &part, vin, *day, *n).await.expect("a claim");
    }
    assert_eq!(json(app.get(&c.manager, "/alerts").await).await, json!([]));
    // Two more in the latest cohort: 5 where 0.5 were due (p = 0.00017).
    for k in 10..12 {
        let (vin, day, n) = claim_on(latest, k);
        replaced_under_warranty(&app.db, &actor, &part, &vin, day, n).await.expect("a claim");
    }
    let alerts = json(app.get(&c.manager, "/alerts?status=open").await).await;
    let alert = alerts[0].clone();
    assert_eq!(alerts.as_array().map(Vec::len), Some(1), "{alerts}");
    assert_eq!(
        (alert["part_number"].as_str(), alert["vehicles"].as_i64(), alert["claims"].as_i64()),
        (Some("NVX-INV"), Some(300), Some(5))
    );
    assert_eq!(alert["cohorts"], json!({"from": recent_from.to_string(), "to": latest.to_string()}));
    let explanation = alert["explanation"].as_str().unwrap_or_default();
    assert!(explanation.starts_with("NVX-INV: 5 claims within 3 months in service on 300 vehicles"), "{explanation}");
    assert!(explanation.contains("would predict 0.5 (p = 0.0002)"), "{explanation}");
    // Reading again raises nothing new.
    assert_eq!(json(app.get(&c.manager, "/alerts").await).await.as_array().map(Vec::len), Some(1));

    let id = alert["id"].as_i64().unwrap_or_default();
    assert_eq!(app.get(&c.dealer, "/alerts").await.status(), StatusCode::FORBIDDEN);
    let empty = app.post(&c.manager, &format!("/alerts/{id}/acknowledge"), &json!({"comment": "  "})).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json!({"comment": "Supplier lot 2026-14 quarantined; 8D opened."});
    let acknowledged = json(app.post(&c.manager, &format!("/alerts/{id}/acknowledge"), &body).await).await;
    assert_eq!(
        (acknowledged["status"].as_str(), acknowledged["acknowledged_by_name"].as_str()),
        (Some("acknowledged"), Some("Greta Lind"))
    );
    assert_eq!(app.post(&c.manager, &format!("/alerts/{id}/acknowledge"), &body).await.status(), StatusCode::CONFLICT);
    assert_eq!(json(app.get(&c.manager, "/alerts?status=open").await).await, json!([]));
    let entries = json(app.get(&c.manager, &format!("/ledger?entity=alert&entity_id={id}")).await).await;
    let actions: Vec<&str> =
        entries["items"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["alert.raised", "alert.acknowledged"]);
}
