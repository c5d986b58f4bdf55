//! An admin edits a dealer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::network::{UpdateDealer, get_dealer};
use crate::components::form::{ErrorAlert, FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::i18n::{t, use_i18n};
use crate::model::Role;
use crate::model::network::format_amount;

#[component]
pub fn DealerPage() -> impl IntoView {
    let update = ServerAction::<UpdateDealer>::new();
    view! { <RequireRole roles=&[Role::Admin]><DealerForm update /></RequireRole> }
}

#[component]
fn DealerForm(update: ServerAction<UpdateDealer>) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let dealer = Resource::new(move || (id(), update.version().get()), |(id, _)| get_dealer(id));
    let result = Signal::derive(move || update.value().get());
    view! {
        <section class="page narrow">
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match dealer.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(d) => {
                            let rate = format_amount(d.labor_rate.amount_minor, &d.currency);
                            let rate = rate.split(' ').next().unwrap_or_default().to_string();
                            let input = move |name: &'static str, label: AnyView, value: String| view! {
                                <div class="field">
                                    <label for=name>{label}</label>
                                    <input id=name name=name type="text" required value=value />
                                    <FieldError result field=name />
                                </div>
                            };
                            view! {
                                <Title text=d.name.clone() />
                                <h1>{format!("{} · {}", d.code, d.name)}</h1>
                                <Show when=move || matches!(update.value().get(), Some(Ok(_)))>
                                    <div class="alert alert-ok" role="status">{t!(i18n, changes_saved)}</div>
                                </Show>
                                <FormError result />
                                <ActionForm action=update>
                                    <input type="hidden" name="id" value=d.id />
                                    {input("name", t!(i18n, users_col_name).into_any(), d.name.clone())}
                                    {input("country", t!(i18n, dealer_country).into_any(), d.country.clone())}
                                    {input("city", t!(i18n, dealer_city).into_any(), d.city.clone())}
                                    {input("time_zone", t!(i18n, dealer_time_zone).into_any(), d.time_zone.clone())}
                                    {input("currency", t!(i18n, dealer_currency).into_any(), d.currency.clone())}
                                    {input("labor_rate", t!(i18n, dealer_labor_rate).into_any(), rate)}
                                    <label class="check">
                                        <input type="checkbox" name="active" value="true" checked=d.active />
                                        {t!(i18n, users_active)}
                                    </label>
                                    <div class="actions">
                                        <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>{t!(i18n, save)}</button>
                                        <a class="btn btn-quiet" href="/dealers">{t!(i18n, cancel)}</a>
                                    </div>
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
