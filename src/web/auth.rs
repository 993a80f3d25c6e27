//! `--auth FILE`: who may use the pages when the server listens beyond 127.0.0.1. One user a
//! line, `name:role:hash`, the hash an argon2 PHC string (`$argon2id$v=19$...`, as
//! `comptrace serve --hash-password` prints it); `#` starts a comment line. Roles, each able to do what
//! the ones before it can: reader (look), investigator (log findings, amend and retract),
//! reviewer (merge, keep apart, undo merges).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;

use super::page::{layout, WebError};
use super::session::{cookie_id, set_cookie, Session};
use super::Shared;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Investigator,
    Reviewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Investigator, Role::Reviewer];

    pub fn name(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Investigator => "investigator",
            Role::Reviewer => "reviewer",
        }
    }
}

/// The users file, read at start.
#[derive(Debug)]
pub struct Users {
    by_name: HashMap<String, (Role, String)>,
}

impl Users {
    pub fn load(path: &Path) -> Result<Users> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("--auth {}: cannot read", path.display()))?;
        Users::parse(&text).with_context(|| format!("--auth {}", path.display()))
    }

    /// Reads `name:role:hash` lines; refuses a line it cannot read, naming it, so a typo never
    /// silently locks a user out or lets one in with another role.
    pub fn parse(text: &str) -> Result<Users> {
        let mut by_name = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ':');
            let (Some(name), Some(role), Some(hash)) = (parts.next(), parts.next(), parts.next())
            else {
                bail!("line {}: expected name:role:argon2-hash", n + 1);
            };
            let Some(role) = Role::ALL.into_iter().find(|r| r.name() == role.trim()) else {
                bail!(
                    "line {}: role {role:?} is not reader, investigator or reviewer",
                    n + 1
                );
            };
            if PasswordHash::new(hash.trim()).is_err() {
                bail!(
                    "line {}: the hash is not an argon2 PHC string ($argon2id$...)",
                    n + 1
                );
            }
            if by_name
                .insert(name.trim().to_string(), (role, hash.trim().to_string()))
                .is_some()
            {
                bail!("line {}: user {:?} is listed twice", n + 1, name.trim());
            }
        }
        if by_name.is_empty() {
            bail!("no users: nobody could log in");
        }
        Ok(Users { by_name })
    }

    /// The role of `name` when `password` is theirs.
    pub fn check(&self, name: &str, password: &str) -> Option<Role> {
        let (role, hash) = self.by_name.get(name)?;
        let parsed = PasswordHash::new(hash).ok()?;
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .ok()
            .map(|()| *role)
    }
}

/// An argon2id hash of a password (random salt), for a users file line.
pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
}

pub async fn login_form(session: Session) -> Response {
    login_page(&session, None).into_response()
}

fn login_page(session: &Session, problem: Option<&str>) -> axum::response::Html<String> {
    layout(
        "Log in",
        session,
        html! {
            @if let Some(p) = problem { p.problem { (p) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "Name " input name="name" autocomplete="username" required; }
                label { "Password " input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { "Log in" }
            }
        },
    )
}

#[derive(serde::Deserialize)]
pub struct Login {
    csrf: Option<String>,
    name: String,
    password: String,
}

pub async fn login(
    State(app): State<Shared>,
    session: Session,
    headers: axum::http::HeaderMap,
    Form(form): Form<Login>,
) -> Result<Response, WebError> {
    session.check_csrf(form.csrf.as_deref())?;
    if app.config.users.is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    // argon2 is slow on purpose: off the runtime's thread
    let users_check = {
        let app = app.clone();
        let (name, password) = (form.name.clone(), form.password.clone());
        super::blocking(move || {
            Ok(app
                .config
                .users
                .as_ref()
                .and_then(|u| u.check(&name, &password)))
        })
    };
    match users_check.await? {
        Some(role) => {
            let id =
                app.sessions
                    .log_in(cookie_id(&headers).as_deref(), form.name.clone(), role)?;
            let mut response = Redirect::to("/").into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(&id));
            Ok(response)
        }
        None => Ok((
            axum::http::StatusCode::UNAUTHORIZED,
            login_page(&session, Some("unknown name or wrong password")),
        )
            .into_response()),
    }
}

#[derive(serde::Deserialize)]
pub struct Logout {
    csrf: Option<String>,
}

pub async fn logout(
    State(app): State<Shared>,
    session: Session,
    headers: axum::http::HeaderMap,
    Form(form): Form<Logout>,
) -> Result<Response, WebError> {
    session.check_csrf(form.csrf.as_deref())?;
    if let Some(id) = cookie_id(&headers) {
        app.sessions.log_out(&id);
    }
    Ok(Redirect::to("/login").into_response())
}
