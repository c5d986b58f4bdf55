//! OEMs with their models and warranty policies; admins add to them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::network::{
    CreateModel, CreateOem, CreatePolicy, UpdateOem, UpdatePolicy, list_policies, oems_with_models,
};
use crate::components::form::{ErrorAlert, FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::components::status::category_label;
use crate::i18n::{t, t_string, use_i18n};
use crate::model::Role;
use crate::model::network::Powertrain;
use crate::model::policy::ComponentCategory;

#[derive(Clone, Copy)]
struct Actions {
    oem: ServerAction<CreateOem>,
    model: ServerAction<CreateModel>,
    policy: ServerAction<CreatePolicy>,
    rename: ServerAction<UpdateOem>,
    coverage: ServerAction<UpdatePolicy>,
}

#[component]
pub fn OemsPage() -> impl IntoView {
    let actions = Actions {
        oem: ServerAction::new(),
        model: ServerAction::new(),
        policy: ServerAction::new(),
        rename: ServerAction::new(),
        coverage: ServerAction::new(),
    };
    view! { <RequireRole roles=&[Role::Admin, Role::ServiceManager]><Oems actions /></RequireRole> }
}

#[component]
fn Oems(actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = move || session.current().is_some_and(|u| u.role == Role::Admin);
    let versions = move || {
        (
            actions.oem.version().get(),
            actions.model.version().get(),
            actions.policy.version().get(),
            actions.rename.version().get(),
            actions.coverage.version().get(),
        )
    };
    let data = Resource::new(versions, |_| async {
        Ok::<_, crate::model::AppError>((oems_with_models().await?, list_policies().await?))
    });
    let model_result = Signal::derive(move || actions.model.value().get());
    let policy_result = Signal::derive(move || actions.policy.value().get());
    let rename_result = Signal::derive(move || actions.rename.value().get());
    let coverage_result = Signal::derive(move || actions.coverage.value().get());
    view! {
        <Title text=move || t_string!(i18n, nav_oems).to_string() />
        <section class="page">
            <h1>{t!(i18n, nav_oems)}</h1>
            <FormError result=model_result />
            <FormError result=policy_result />
            <FormError result=rename_result />
            <FormError result=coverage_result />
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(err) => view! { <ErrorAlert error=err /> }.into_any(),
                        Ok((oems, policies)) => oems.into_iter().map(|(oem, models)| {
                            let oem_policies: Vec<_> = policies.iter().filter(|p| p.oem_id == oem.id).cloned().collect();
                            let oem_id = oem.id;
                            let (oem_name, oem_country, oem_reporting) = (oem.name.clone(), oem.country.clone(), oem.reporting_currency.clone());
                            let admin = is_admin();
                            view! {
                                <article class="card">
                                    <h2>{format!("{} · {} ({})", oem.code, oem.name, oem.country)}</h2>
                                    <p class="muted">{t!(i18n, oem_reporting_currency)} ": " {oem.reporting_currency.clone()}</p>
                                    <h3>{t!(i18n, oem_models)}</h3>
                                    <ul class="timeline">
                                        {models.into_iter().map(|m| view! { <li>{format!("{} · {} · {}", m.code, m.name, m.powertrain.as_str())}</li> }).collect_view()}
                                    </ul>
                                    <h3>{t!(i18n, oem_policies)}</h3>
                                    <ul class="timeline">
                                        {oem_policies.into_iter().map(|p| {
                                            let (policy_id, months, km) = (p.id, p.months, p.km);
                                            view! {
                                            <li>
                                                {category_label(p.component_category)} " · " {p.months} " " {t!(i18n, oem_months)} " · " {p.km} " km"
                                                {admin.then(|| view! {
                                                    <ActionForm action=actions.coverage attr:class="inline-fields">
                                                        <input type="hidden" name="id" value=policy_id />
                                                        <label>{t!(i18n, oem_months)}<input name="months" required size="4" value=months /></label>
                                                        <label>{t!(i18n, oem_km)}<input name="km" required size="8" value=km /></label>
                                                        <button type="submit" class="btn btn-small">{t!(i18n, save)}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }}).collect_view()}
                                    </ul>
                                    {admin.then(|| view! {
                                        <div class="forms-row">
                                            <ActionForm action=actions.rename attr:class="inline-fields">
                                                <input type="hidden" name="id" value=oem_id />
                                                <label>{t!(i18n, users_col_name)}<input name="name" required value=oem_name.clone() /></label>
                                                <label>{t!(i18n, dealer_country)}<input name="country" required size="3" value=oem_country.clone() /></label>
                                                <label>{t!(i18n, oem_reporting_currency)}<input name="reporting_currency" required size="4" value=oem_reporting.clone() /></label>
                                                <button type="submit" class="btn">{t!(i18n, save)}</button>
                                            </ActionForm>
                                            <ActionForm action=actions.model attr:class="inline-fields">
                                                <input type="hidden" name="oem_id" value=oem_id />
                                                <label>{t!(i18n, dealer_code)}<input name="code" required size="6" /></label>
                                                <label>{t!(i18n, oem_model_name)}<input name="name" required /></label>
                                                <label>{t!(i18n, oem_powertrain)}
                                                    <select name="powertrain">
                                                        {Powertrain::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.as_str()}</option> }).collect_view()}
                                                    </select>
                                                </label>
                                                <button type="submit" class="btn">{t!(i18n, oem_add_model)}</button>
                                            </ActionForm>
                                            <ActionForm action=actions.policy attr:class="inline-fields">
                                                <input type="hidden" name="oem_id" value=oem_id />
                                                <label>{t!(i18n, oem_category)}
                                                    <select name="component_category">
                                                        {ComponentCategory::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{category_label(c)}</option> }).collect_view()}
                                                    </select>
                                                </label>
                                                <label>{t!(i18n, oem_months)}<input name="months" required size="4" /></label>
                                                <label>{t!(i18n, oem_km)}<input name="km" required size="8" /></label>
                                                <button type="submit" class="btn">{t!(i18n, oem_add_policy)}</button>
                                            </ActionForm>
                                        </div>
                                    })}
                                </article>
                            }
                        }).collect_view().into_any(),
                    }
                })}
            </Transition>
            <Show when=is_admin>
                <NewOemForm action=actions.oem />
            </Show>
        </section>
    }
}

#[component]
fn NewOemForm(action: ServerAction<CreateOem>) -> impl IntoView {
    let i18n = use_i18n();
    let result = Signal::derive(move || action.value().get());
    view! {
        <h2>{t!(i18n, oem_new)}</h2>
        <FormError result />
        <ActionForm action attr:class="narrow">
            <div class="field">
                <label for="oem-code">{t!(i18n, dealer_code)}</label>
                <input id="oem-code" name="code" required />
                <FieldError result field="code" />
            </div>
            <div class="field">
                <label for="oem-name">{t!(i18n, users_col_name)}</label>
                <input id="oem-name" name="name" required />
                <FieldError result field="name" />
            </div>
            <div class="field">
                <label for="oem-country">{t!(i18n, dealer_country)}</label>
                <input id="oem-country" name="country" required placeholder="CN" />
                <FieldError result field="country" />
            </div>
            <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>{t!(i18n, oem_create)}</button>
        </ActionForm>
    }
}
