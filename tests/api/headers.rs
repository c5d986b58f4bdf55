//! The headers pages carry: a CSP without `'unsafe-inline'` whose nonce is the one on every
//! script of the page, a new one per response; HSTS only behind HTTPS.

use reqwest::{Response, StatusCode};

use crate::helpers::{ADMIN_EMAIL, PASSWORD, spawn_app};

/// The response's `Content-Security-Policy` and the nonce it names.
fn csp_and_nonce(response: &Response) -> (String, String) {
    let csp = response.headers()["content-security-policy"].to_str().expect("an ASCII CSP").to_string();
    let nonce = csp
        .split_once("'nonce-")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(nonce, _)| nonce.to_string())
        .unwrap_or_else(|| panic!("the CSP names no nonce: {csp}"));
    (csp, nonce)
}

/// The sources of one directive of `csp` (`""` when it has none).
fn directive<'a>(csp: &'a str, name: &str) -> &'a str {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map_or("", str::trim)
}

/// The opening tags of the page's scripts that have code, inline or loaded. An empty
/// `<script></script>` (leptos_i18n renders one) runs nothing and needs no nonce.
fn scripts_with_code(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (tag, after) = rest.split_once('>')?;
            let body = after.split_once("</script>").map_or(after, |(body, _)| body);
            (tag.contains("src=") || !body.trim().is_empty()).then_some(tag)
        })
        .collect()
}

/// Reads a page answered with `status` and checks its CSP against its HTML; returns the
/// nonce. The body is kept in `received` as it arrives (what a stalled page had sent).
async fn page_checked(mut response: Response, status: StatusCode, received: &std::sync::Mutex<Vec<u8>>) -> String {
    let url = response.url().to_string();
    assert_eq!(response.status(), status, "{url}");
    let (csp, nonce) = csp_and_nonce(&response);
    assert!(!csp.contains("unsafe-inline"), "{url}: {csp}");
    assert!(directive(&csp, "script-src").contains(&format!("'nonce-{nonce}'")), "{url}: {csp}");
    assert!(directive(&csp, "style-src").contains(&format!("'nonce-{nonce}'")), "{url}: {csp}");
    if std::env::var_os("LEPTOS_WATCH").is_none() {
        assert_eq!(directive(&csp, "connect-src"), "'self'", "{url}: no live-reload socket unless watching");
    }
    assert!(!response.headers().contains_key("strict-transport-security"), "{url}: HSTS without HTTPS");

    while let Some(chunk) = response.chunk().await.expect("the body's next chunk") {
        received.lock().expect("not poisoned").extend_from_slice(&chunk);
    }
    let html = String::from_utf8(received.lock().expect("not poisoned").clone()).expect("UTF-8 HTML");
    let scripts = scripts_with_code(&html);
    assert!(!scripts.is_empty(), "{url}: the page has its hydration script");
    let attribute = format!("nonce=\"{nonce}\"");
    for tag in scripts {
        assert!(tag.contains(&attribute), "{url}: <script{tag}> lacks the response's nonce {nonce}");
    }
    // Without 'unsafe-inline' the browser refuses style attributes, nonce or not.
    assert!(!html.contains(" style="), "{url}: a style attribute the CSP refuses");
    nonce
}

/// Reads `url` as [`page_checked`] does, giving it 30 s.
/// A page that stalls is asked for once more: in about one full run of the
/// suite in five, a streamed page stops after its HTML, before the data of
/// its resources, and never finishes (not seen on a release build under
/// load; see the README's Tests). The stall is printed, so it stays in
/// sight; a second one fails the test and shows what arrived.
async fn page(client: &reqwest::Client, url: &str, status: StatusCode) -> String {
    let mut stalled = String::new();
    for attempt in 1..=2 {
        let received = std::sync::Mutex::default();
        let read = async {
            let response = client.get(url).send().await.expect("request");
            page_checked(response, status, &received).await
        };
        match tokio::time::timeout(std::time::Duration::from_secs(30), read).await {
            Ok(nonce) => return nonce,
            Err(_) => {
                let body = String::from_utf8_lossy(&received.lock().expect("not poisoned")).into_owned();
                let tail: String = body.chars().rev().take(600).collect::<Vec<_>>().into_iter().rev().collect();
                stalled = format!("{url} stalled (attempt {attempt}) after {} bytes, ending with: {tail}", body.len());
                eprintln!("{stalled}");
            }
        }
    }
    panic!("{stalled}");
}

#[tokio::test]
async fn the_sign_in_page_runs_only_scripts_with_the_nonce_of_its_response() {
    let app = spawn_app().await;
    let login = format!("{}/login", app.base);
    let client = reqwest::Client::new();
    let first = page(&client, &login, StatusCode::OK).await;
    let second = page(&client, &login, StatusCode::OK).await;
    assert_ne!(first, second, "every response has a nonce of its own");
}

// On the multi-threaded runtime the server runs on in production.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_pages_of_a_signed_in_person_carry_the_nonce_on_every_script() {
    let app = spawn_app().await;
    assert_eq!(app.browser_login(ADMIN_EMAIL, PASSWORD).await.status(), StatusCode::OK);
    // Pages whose data streams in after the shell (resources and out-of-order fragments
    // arrive in scripts of their own), and the not-found page, rendered by the fallback.
    let pages = [
        ("/", StatusCode::OK),
        ("/admin/users", StatusCode::OK),
        ("/dealers", StatusCode::OK),
        ("/no-such-page", StatusCode::NOT_FOUND),
    ];
    for (path, status) in pages {
        page(&app.http, &format!("{}{path}", app.base), status).await;
    }
}

#[tokio::test]
async fn api_answers_allow_no_inline_code_either() {
    let app = spawn_app().await;
    let response = reqwest::get(app.url("/health")).await.expect("request");
    let (csp, _) = csp_and_nonce(&response);
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!response.headers().contains_key("strict-transport-security"));
}
