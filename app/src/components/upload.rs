//! Uploading a CSV file to the REST API with a progress bar, and the bad
//! lines a refused file comes back with.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::model::error::{ErrorBody, LineError};

/// What an upload came back with.
#[derive(Debug, Clone)]
pub enum UploadOutcome {
    /// The body of a 200: `{created, updated}`.
    Done(crate::model::parts::ImportReport),
    /// The error body of a refused file (or any other error).
    Refused(ErrorBody),
}

/// A file input that sends the chosen file as `text/csv` to `endpoint`
/// (the session cookie and our Origin go with it), showing the bytes sent.
#[component]
pub fn CsvUpload(
    #[prop(into)] endpoint: Signal<String>,
    #[prop(into)] label: Signal<String>,
    outcome: RwSignal<Option<UploadOutcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<(f64, f64)>);
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        start(
            input,
            Upload { endpoint: endpoint.get_untracked(), content_type: Some("text/csv"), progress, busy },
            move |status, text| {
                let result = if status == 200 {
                    serde_json::from_str(&text).map(UploadOutcome::Done).ok()
                } else {
                    serde_json::from_str(&text).map(UploadOutcome::Refused).ok()
                };
                outcome.set(Some(result.unwrap_or_else(|| UploadOutcome::Refused(unreadable(&text)))));
            },
        );
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = (input, endpoint, outcome);
    view! {
        <form class="upload" on:submit=send>
            <div class="field">
                <label for="csv-file">{move || label.get()}</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" required node_ref=input />
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || busy.get()>{t!(i18n, upload_send)}</button>
            <Show when=move || progress.get().is_some()>
                <div class="progress">
                    <label for="upload-progress">{t!(i18n, upload_progress)}</label>
                    <progress
                        id="upload-progress"
                        max=move || progress.get().map_or(1.0, |p| p.1)
                        value=move || progress.get().map_or(0.0, |p| p.0)
                    ></progress>
                    <span class="muted">{move || progress.get().map(|(sent, total)| format!("{:.0} %", 100.0 * sent / total.max(1.0)))}</span>
                </div>
            </Show>
        </form>
    }
}

/// Where and how a file goes.
#[cfg(feature = "hydrate")]
struct Upload {
    /// The URL, query included.
    endpoint: String,
    /// `None`: the file's own type.
    content_type: Option<&'static str>,
    progress: RwSignal<Option<(f64, f64)>>,
    busy: RwSignal<bool>,
}

/// Sends the chosen file as the request body, showing progress; `done`
/// gets the status and the response text.
#[cfg(feature = "hydrate")]
fn start(input: NodeRef<leptos::html::Input>, upload: Upload, done: impl Fn(u16, String) + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    let Upload { endpoint, content_type, progress, busy } = upload;
    let Some(file) = input.get_untracked().and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
    let endpoint = if content_type.is_none() {
        format!("{endpoint}?name={}", crate::components::form::url_encode(&file.name()))
    } else {
        endpoint
    };
    if xhr.open("POST", &endpoint).is_err() {
        return;
    }
    let kind = content_type.map(str::to_string).unwrap_or_else(|| {
        let own = file.type_();
        if own.is_empty() { "application/octet-stream".into() } else { own }
    });
    let _ = xhr.set_request_header("Content-Type", &kind);
    busy.set(true);
    progress.set(Some((0.0, file.size())));
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() {
            progress.set(Some((e.loaded(), e.total())));
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    on_progress.forget();
    let done = std::rc::Rc::new(done);
    let done_xhr = xhr.clone();
    let on_loaded = done.clone();
    let on_load = Closure::<dyn FnMut()>::new(move || {
        busy.set(false);
        let text = done_xhr.response_text().ok().flatten().unwrap_or_default();
        on_loaded(done_xhr.status().unwrap_or(0), text);
    });
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    on_load.forget();
    let on_error = Closure::<dyn FnMut()>::new(move || {
        busy.set(false);
        done(0, "The upload did not reach the server.".into());
    });
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    if xhr.send_with_opt_blob(Some(&file)).is_err() {
        busy.set(false);
    }
}

/// A file input that sends any one file (its name in `?name=`) to
/// `endpoint`; `done` is told when the server took it, `error` shows why not.
#[component]
pub fn FileUpload(#[prop(into)] endpoint: String, #[prop(into)] label: String, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<(f64, f64)>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        #[cfg(feature = "hydrate")]
        {
            let upload = Upload { endpoint: endpoint.clone(), content_type: None, progress, busy };
            start(input, upload, move |status, text| {
                if (200..300).contains(&status) {
                    progress.set(None);
                    if let Some(form) = input.get_untracked() {
                        form.set_value("");
                    }
                    done.run(());
                } else {
                    let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
                    error.set(Some(body.map_or(text, |b| {
                        let fields: Vec<String> = b.error.fields.values().cloned().collect();
                        if fields.is_empty() {
                            b.error.message
                        } else {
                            format!("{} {}", b.error.message, fields.join(" "))
                        }
                    })));
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&endpoint, done);
    };
    view! {
        <form class="upload" on:submit=send>
            <div class="field">
                <label for="attachment-file">{label}</label>
                <input id="attachment-file" type="file" accept="image/jpeg,image/png,application/pdf,text/plain,text/csv,.csv,.txt,.log" required node_ref=input />
            </div>
            <button type="submit" class="btn" disabled=move || busy.get()>{t!(i18n, upload_send)}</button>
            <Show when=move || progress.get().is_some()>
                <progress max=move || progress.get().map_or(1.0, |p| p.1) value=move || progress.get().map_or(0.0, |p| p.0)></progress>
            </Show>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </form>
    }
}

#[cfg(feature = "hydrate")]
fn unreadable(text: &str) -> ErrorBody {
    ErrorBody {
        error: crate::model::error::ErrorDetail {
            code: "unavailable".into(),
            message: text.chars().take(200).collect(),
            fields: Default::default(),
            errors: Vec::new(),
            errors_total: None,
            checks: Vec::new(),
        },
    }
}

/// The result of an upload: counts, or the message and every bad line.
#[component]
pub fn UploadResult(outcome: RwSignal<Option<UploadOutcome>>) -> impl IntoView {
    let i18n = use_i18n();
    move || match outcome.get() {
        None => ().into_any(),
        Some(UploadOutcome::Done(report)) => view! {
            <div class="alert alert-ok" role="status">
                {t!(i18n, upload_done, created = report.created, updated = report.updated)}
            </div>
        }
        .into_any(),
        Some(UploadOutcome::Refused(body)) => view! {
            <div class="alert alert-error" role="alert">
                {body.error.message.clone()}
                {body.error.fields.iter().map(|(f, m)| view! { <div>{format!("{f}: {m}")}</div> }).collect_view()}
            </div>
            <LineErrors errors=body.error.errors.clone() />
        }
        .into_any(),
    }
}

/// The bad lines of a refused file or form, as a table.
#[component]
pub fn LineErrors(errors: Vec<LineError>) -> impl IntoView {
    let i18n = use_i18n();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="table-wrap">
                <table class="data">
                    <caption>{t!(i18n, upload_errors)}</caption>
                    <thead><tr>
                        <th scope="col" class="num">{t!(i18n, upload_line)}</th>
                        <th scope="col">{t!(i18n, upload_field)}</th>
                        <th scope="col">{t!(i18n, upload_message)}</th>
                    </tr></thead>
                    <tbody>
                        {errors.into_iter().map(|e| view! {
                            <tr><td class="num">{e.line}</td><td>{e.field}</td><td>{e.message}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}
