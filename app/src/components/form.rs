//! Form helpers: the server's field errors shown beside the field.

use leptos::prelude::*;

use crate::model::AppError;

/// The message for `field` from the last result of an action, if any.
#[component]
pub fn FieldError<T: Send + Sync + Clone + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    #[prop(into)] field: String,
) -> impl IntoView {
    let id = format!("{field}-error");
    let message = Signal::derive(move || result.get().and_then(Result::err).and_then(|err| err.field_message(&field)));
    view! {
        <Show when=move || message.get().is_some()>
            <p class="field-error" id=id.clone() role="alert">{message}</p>
        </Show>
    }
}

/// An error that belongs to no field (wrong password, no access…).
#[component]
pub fn FormError<T: Send + Sync + Clone + 'static>(result: Signal<Option<Result<T, AppError>>>) -> impl IntoView {
    let message = move || match result.get() {
        Some(Err(err)) if err.fields().is_empty() => Some(err.to_string()),
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <Show when=move || message().is_some()>
            <div class="alert alert-error" role="alert">{message}</div>
        </Show>
    }
}

/// Asks before a destructive action (always yes where there is no window).
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        window().confirm_with_message(message).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        true
    }
}

/// Percent-encodes a query-string value.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A labelled filter select over `(id, label)` choices with an "any" first
/// option; the current choice comes from the URL.
#[component]
pub fn IdFilter(
    id: &'static str,
    label: AnyView,
    any: AnyView,
    choices: Vec<(i64, String)>,
    #[prop(into)] selected: Signal<Option<i64>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id>
                <option value="">{any}</option>
                {choices
                    .into_iter()
                    .map(|(value, text)| view! { <option value=value selected=move || selected.get() == Some(value)>{text}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A failed load, shown where the content would have been.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    view! { <div class="alert alert-error" role="alert">{error.to_string()}</div> }
}

/// The link to a list's next page, when there is one.
#[component]
pub fn NextPage(href: Option<String>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    href.map(|href| view! { <p><a class="btn" href=href>{crate::i18n::t!(i18n, users_more)}</a></p> })
}

/// The `from` and `to` date fields of a GET filter form, filled from the URL.
#[component]
pub fn DateRange(
    #[prop(into)] from: Signal<Option<chrono::NaiveDate>>,
    #[prop(into)] to: Signal<Option<chrono::NaiveDate>>,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let text = |date: Option<chrono::NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <div class="field">
            <label for="from">{crate::i18n::t!(i18n, report_from)}</label>
            <input id="from" name="from" type="date" prop:value=move || text(from.get()) />
        </div>
        <div class="field">
            <label for="to">{crate::i18n::t!(i18n, report_to)}</label>
            <input id="to" name="to" type="date" prop:value=move || text(to.get()) />
        </div>
    }
}
