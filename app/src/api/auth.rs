//! Signing in and out, and the signed-in user.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::user::UserDto;

/// The signed-in user, or `None`.
#[server(prefix = "/rpc", endpoint = "auth/current_user")]
pub async fn current_user() -> Result<Option<UserDto>, AppError> {
    use super::ctx;
    ctx::respond(
        async {
            let state = ctx::state()?;
            match ctx::optional_actor()? {
                Some(actor) => crate::server::users::find(&state.db, &actor, actor.user_id).await.map(Some),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// Signs in with a browser session cookie and goes to the home page.
#[server(prefix = "/rpc", endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::server::{auth, state};
    ctx::respond(
        async {
            let app = ctx::state()?;
            let signed_in = auth::sign_in(&app.db, &email, &password, auth::Issue::BrowserSession).await?;
            ctx::set_cookie(&state::session_cookie(&signed_in.token, signed_in.expires_at, app.settings.cookie_secure));
            ctx::set_cookie(&state::locale_cookie(&signed_in.user.locale));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Ends the browser session and goes to the sign-in page.
#[server(prefix = "/rpc", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx;
    use crate::server::{auth, state};
    ctx::respond(
        async {
            let app = ctx::state()?;
            if let Some(actor) = ctx::optional_actor()? {
                auth::sign_out(&app.db, &actor).await?;
            }
            ctx::set_cookie(&state::clear_session_cookie(app.settings.cookie_secure));
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// Remembers the interface language for the signed-in user (the switch also
/// sets the language cookie in the browser).
#[server(prefix = "/rpc", endpoint = "auth/set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use super::ctx;
    use crate::model::user::UserPatch;
    ctx::respond(
        async {
            let app = ctx::state()?;
            ctx::set_cookie(&crate::server::state::locale_cookie(&locale));
            if let Some(actor) = ctx::optional_actor()? {
                let patch = UserPatch { locale: Some(locale), ..Default::default() };
                crate::server::users::update(&app.db, &actor, actor.user_id, patch).await?;
            }
            Ok(())
        }
        .await,
    )
}
