//! People management (admin) and one's own profile.

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::user::{OrgOption, Page, UserDto, UserFilter};

#[server(prefix = "/rpc", endpoint = "users/list", input = leptos::server_fn::codec::Json)]
pub async fn list_users(filter: UserFilter) -> Result<Page<UserDto>, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::users::list(&ctx::state()?.db, &ctx::actor()?, &filter).await }.await)
}

#[server(prefix = "/rpc", endpoint = "users/get")]
pub async fn get_user(id: i64) -> Result<UserDto, AppError> {
    use super::ctx;
    ctx::respond(async { crate::server::users::find(&ctx::state()?.db, &ctx::actor()?, id).await }.await)
}

/// Dealers and OEMs to choose from in the new-user form.
#[server(prefix = "/rpc", endpoint = "users/org_options")]
pub async fn org_options() -> Result<(Vec<OrgOption>, Vec<OrgOption>), AppError> {
    use super::ctx;
    ctx::respond(
        async {
            let (db, actor) = (ctx::state()?.db, ctx::actor()?);
            let dealers = crate::server::network::dealer_options(&db, &actor).await?;
            let oems = crate::server::network::oem_options(&db, &actor).await?;
            Ok((dealers, oems))
        }
        .await,
    )
}

/// Form fields arrive as text; an empty dealer or OEM means none.
#[server(prefix = "/rpc", endpoint = "users/create")]
pub async fn create_user(
    email: String,
    display_name: String,
    role: String,
    password: String,
    dealer_id: Option<String>,
    oem_id: Option<String>,
) -> Result<UserDto, AppError> {
    use super::ctx;
    use crate::model::user::NewUser;
    use crate::model::validate::optional_id;
    ctx::respond(
        async {
            let mut errors = crate::model::FieldErrors::new();
            let dealer_id = errors.check("dealer_id", optional_id(dealer_id.as_deref())).flatten();
            let oem_id = errors.check("oem_id", optional_id(oem_id.as_deref())).flatten();
            errors.finish()?;
            let input = NewUser { email, display_name, role, password, dealer_id, oem_id, ..Default::default() };
            crate::server::users::create(&ctx::state()?.db, &ctx::actor()?, input).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "users/set_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<UserDto, AppError> {
    use super::ctx;
    use crate::model::user::UserPatch;
    ctx::respond(
        async {
            let patch = UserPatch { active: Some(active), ..Default::default() };
            crate::server::users::update(&ctx::state()?.db, &ctx::actor()?, id, patch).await
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "users/reset_password")]
pub async fn reset_user_password(id: i64, password: String) -> Result<UserDto, AppError> {
    use super::ctx;
    ctx::respond(
        async { crate::server::users::reset_password(&ctx::state()?.db, &ctx::actor()?, id, password).await }.await,
    )
}

#[server(prefix = "/rpc", endpoint = "me/update")]
pub async fn update_profile(display_name: String, locale: String, time_zone: String) -> Result<UserDto, AppError> {
    use super::ctx;
    use crate::model::user::UserPatch;
    ctx::respond(
        async {
            let actor = ctx::actor()?;
            let patch = UserPatch {
                display_name: Some(display_name),
                locale: Some(locale.clone()),
                time_zone: Some(time_zone),
                active: None,
            };
            let user = crate::server::users::update(&ctx::state()?.db, &actor, actor.user_id, patch).await?;
            ctx::set_cookie(&crate::server::state::locale_cookie(&user.locale));
            Ok(user)
        }
        .await,
    )
}

#[server(prefix = "/rpc", endpoint = "me/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use super::ctx;
    ctx::respond(
        async {
            crate::server::users::change_password(&ctx::state()?.db, &ctx::actor()?, current_password, new_password)
                .await
        }
        .await,
    )
}
