use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{FieldError, FormError};
use crate::components::session::use_session;
use crate::i18n::{t, t_string, use_i18n};

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let login = session.login;
    let result = Signal::derive(move || login.value().get());
    view! {
        <Title text=move || t_string!(i18n, sign_in).to_string() />
        <section class="login-card">
            <h1>{t!(i18n, login_title)}</h1>
            <p class="muted">{t!(i18n, login_intro)}</p>
            <FormError result />
            <ActionForm action=login>
                <div class="field">
                    <label for="email">{t!(i18n, email)}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                    <FieldError result field="email" />
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                    <FieldError result field="password" />
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { t_string!(i18n, signing_in) } else { t_string!(i18n, sign_in) }}
                </button>
            </ActionForm>
        </section>
    }
}
