//! One part: its terms and supersession; admins edit it, dealers go on to
//! their stock of it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::parts::{UpdatePart, get_part};
use crate::components::form::{ErrorAlert, FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::status::category_label;
use crate::i18n::{t, use_i18n};
use crate::model::Role;
use crate::model::network::format_amount;
use crate::model::parts::PartDto;
use crate::model::policy::ComponentCategory;
use crate::pages::parts::PartFlags;

#[component]
pub fn PartPage() -> impl IntoView {
    let update = ServerAction::<UpdatePart>::new();
    view! { <RequireRole><Part update /></RequireRole> }
}

#[component]
fn Part(update: ServerAction<UpdatePart>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let part = Resource::new(move || (id(), update.version().get()), |(id, _)| get_part(id));
    let role = move || session.current().map(|u| u.role);
    view! {
        <section class="page narrow">
            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match part.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok(p) => view! {
                            <Title text=p.part_number.clone() />
                            <h1>{format!("{} · {}", p.part_number, p.description)}</h1>
                            <dl class="facts">
                                <div><dt>{t!(i18n, user_oem)}</dt><dd>{p.oem_code.clone()}</dd></div>
                                <div><dt>{t!(i18n, oem_category)}</dt><dd>{category_label(p.component_category)}</dd></div>
                                <div><dt>{t!(i18n, part_list_price)}</dt><dd>{format_amount(p.list_price.amount_minor, &p.list_price.currency)}</dd></div>
                                <div><dt>{t!(i18n, part_flags)}</dt><dd><PartFlags part=p.clone() /></dd></div>
                            </dl>
                            {(p.current_part_id != p.id).then(|| view! {
                                <div class="alert alert-warn" role="status">
                                    {t!(i18n, part_superseded_by)} " "
                                    <a href=format!("/parts/{}", p.current_part_id)>{p.current_part_number.clone()}</a>
                                </div>
                            })}
                            {(role() == Some(Role::Dealer)).then(|| view! {
                                <p><a class="btn btn-primary" href=format!("/stock/items/{}", p.id)>{t!(i18n, stock_item_open)}</a></p>
                            })}
                            {(role() == Some(Role::Admin)).then(|| view! { <EditPart part=p.clone() update /> })}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EditPart(part: PartDto, update: ServerAction<UpdatePart>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || update.value().get());
    let price = format_amount(part.list_price.amount_minor, &part.list_price.currency);
    let price = price.split(' ').next().unwrap_or_default().to_string();
    let successor = if part.superseded_by_id.is_some() { part.current_part_number.clone() } else { String::new() };
    let input = move |name: &'static str, label: AnyView, value: String, required: bool| {
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name name=name type="text" required=required value=value />
                <FieldError result field=name />
            </div>
        }
    };
    view! {
        <h2>{t!(i18n, part_edit)}</h2>
        <Show when=move || matches!(update.value().get(), Some(Ok(_)))>
            <div class="alert alert-ok" role="status">{t!(i18n, changes_saved)}</div>
        </Show>
        <FormError result />
        <ActionForm action=update>
            <input type="hidden" name="id" value=part.id />
            {input("description", t!(i18n, part_description).into_any(), part.description.clone(), true)}
            <div class="field">
                <label for="component_category">{t!(i18n, oem_category)}</label>
                <select id="component_category" name="component_category">
                    {ComponentCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=c == part.component_category>{category_label(c)}</option>
                    }).collect_view()}
                </select>
            </div>
            {input("list_price", t!(i18n, part_list_price).into_any(), price, true)}
            {input("currency", t!(i18n, dealer_currency).into_any(), part.list_price.currency.clone(), true)}
            {input("superseded_by", t!(i18n, part_superseded_by_field).into_any(), successor, false)}
            <label class="check"><input type="checkbox" name="warranty_eligible" value="true" checked=part.warranty_eligible />{t!(i18n, part_warranty)}</label>
            <label class="check"><input type="checkbox" name="dangerous_goods" value="true" checked=part.dangerous_goods />{t!(i18n, part_dangerous)}</label>
            <label class="check"><input type="checkbox" name="active" value="true" checked=part.active />{t!(i18n, users_active)}</label>
            <div class="actions">
                <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>{t!(i18n, save)}</button>
                <a class="btn btn-quiet" href="/parts">{t!(i18n, cancel)}</a>
            </div>
        </ActionForm>
    }
}
