//! The signed-in user as the UI knows it, refreshed after sign-in and out.

use leptos::prelude::*;

use crate::api::auth::{Login, Logout, current_user};
use crate::model::AppError;
use crate::model::user::UserDto;

#[derive(Clone, Copy)]
pub struct SessionContext {
    pub user: Resource<Result<Option<UserDto>, AppError>>,
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

pub fn provide_session() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(move || (login.version().get(), logout.version().get()), |_| current_user());
    provide_context(SessionContext { user, login, logout });
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

impl SessionContext {
    /// The signed-in user, once loaded (`None`: signed out). Awaited inside
    /// a `Suspend`, the one way several boundaries of a page read this one
    /// resource without racing each other on the server (leptos#4578).
    pub async fn signed_in(self) -> Option<UserDto> {
        self.user.await.ok().flatten()
    }

    /// The user once loaded (`None` while loading or signed out).
    pub fn current(&self) -> Option<UserDto> {
        self.user.get().and_then(Result::ok).flatten()
    }
}
