//! Route guards for the UI. The server is the authority; these only spare a
//! person a page they cannot use.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::session::use_session;
use crate::i18n::{t, use_i18n};
use crate::model::Role;
use crate::model::user::UserDto;

/// Renders `children` for a signed-in user with one of `roles` (any role when
/// empty); sends others to the sign-in page or shows "no access".
#[component]
pub fn RequireRole(#[prop(optional)] roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let user: Option<UserDto> = session.signed_in().await;
                match user {
                    None => view! { <Redirect path="/login" /> }.into_any(),
                    Some(user) if roles.is_empty() || roles.contains(&user.role) => {
                        children.read_value()().into_any()
                    }
                    Some(_) => view! {
                        <section class="page">
                            <h1>{t!(i18n, forbidden_title)}</h1>
                            <p>{t!(i18n, forbidden_body)}</p>
                            <a href="/">{t!(i18n, back_home)}</a>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
