//! `/me`: one's own details, language, time zone and password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::{ChangePassword, UpdateProfile};
use crate::components::form::{FieldError, FormError};
use crate::components::guard::RequireRole;
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};

#[component]
pub fn ProfilePage() -> impl IntoView {
    // The actions live outside the guard: saving refreshes the session, which
    // re-renders the guarded form, and the outcome must survive that.
    let update = ServerAction::<UpdateProfile>::new();
    let change = ServerAction::<ChangePassword>::new();
    view! { <RequireRole><Profile update change /></RequireRole> }
}

#[component]
fn Profile(update: ServerAction<UpdateProfile>, change: ServerAction<ChangePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let update_result = Signal::derive(move || update.value().get());
    let change_result = Signal::derive(move || change.value().get());
    Effect::new(move |_| {
        if let Some(Ok(user)) = update.value().get() {
            if session.current().as_ref() == Some(&user) {
                return;
            }
            let locale = if user.locale == "zh" { crate::i18n::Locale::zh } else { crate::i18n::Locale::en };
            i18n.set_locale(locale);
            session.user.refetch();
        }
    });
    let Some(user) = session.current() else {
        return ().into_any();
    };
    view! {
        <Title text=move || t_string!(i18n, profile_title).to_string() />
        <section class="page narrow">
            <h1>{t!(i18n, profile_title)}</h1>
            <h2>{t!(i18n, profile_details)}</h2>
            <Show when=move || matches!(update.value().get(), Some(Ok(_)))>
                <div class="alert alert-ok" role="status">{t!(i18n, profile_saved)}</div>
            </Show>
            <FormError result=update_result />
            <ActionForm action=update>
                <div class="field">
                    <label for="email">{t!(i18n, email)}</label>
                    <input id="email" type="email" value=user.email.clone() readonly />
                </div>
                <div class="field">
                    <label for="display_name">{t!(i18n, user_display_name)}</label>
                    <input id="display_name" name="display_name" type="text" required value=user.display_name.clone() />
                    <FieldError result=update_result field="display_name" />
                </div>
                <div class="field">
                    <label for="locale">{t!(i18n, language)}</label>
                    <select id="locale" name="locale">
                        <option value="en" selected=user.locale == "en">"English"</option>
                        <option value="zh" selected=user.locale == "zh">"中文"</option>
                    </select>
                    <FieldError result=update_result field="locale" />
                </div>
                <div class="field">
                    <label for="time_zone">{t!(i18n, profile_time_zone)}</label>
                    <input id="time_zone" name="time_zone" type="text" required value=user.time_zone.clone() />
                    <FieldError result=update_result field="time_zone" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || update.pending().get()>{t!(i18n, save)}</button>
            </ActionForm>

            <h2>{t!(i18n, password_title)}</h2>
            <Show when=move || matches!(change.value().get(), Some(Ok(_)))>
                <div class="alert alert-ok" role="status">{t!(i18n, password_changed)}</div>
            </Show>
            <FormError result=change_result />
            <ActionForm action=change>
                <div class="field">
                    <label for="current_password">{t!(i18n, password_current)}</label>
                    <input id="current_password" name="current_password" type="password" required autocomplete="current-password" />
                    <FieldError result=change_result field="current_password" />
                </div>
                <div class="field">
                    <label for="new_password">{t!(i18n, password_new)}</label>
                    <input id="new_password" name="new_password" type="password" required autocomplete="new-password" />
                    <p class="hint">{t!(i18n, user_password_hint)}</p>
                    <FieldError result=change_result field="new_password" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>{t!(i18n, password_change)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
