//! Sessions: a random id in a cookie (HttpOnly, SameSite=Strict), and for each a random CSRF
//! token that every form carries and every POST is checked against. With `--auth`, a session
//! also says who logged in and with which role; without it, every visitor (on 127.0.0.1 only)
//! acts as the configured investigator with every role.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::auth::Role;
use super::{Shared, WebError};

const COOKIE: &str = "comptrace_session";
/// Sessions kept at most; past it the oldest anonymous ones are forgotten, so visitors who
/// never log in cannot grow the server's memory without end.
const MAX_SESSIONS: usize = 10_000;

/// One visitor's session, as a request sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub csrf: String,
    /// with --auth: who logged in (None: no one yet)
    pub user: Option<(String, Role)>,
    /// without --auth: everyone acts with every role
    open: bool,
}

impl Session {
    /// The role this session acts with: the logged-in user's, or every role without --auth.
    pub fn role(&self) -> Option<Role> {
        if self.open {
            Some(Role::Reviewer)
        } else {
            self.user.as_ref().map(|(_, r)| *r)
        }
    }

    /// Refuses unless the session acts with at least `needed`.
    pub fn require(&self, needed: Role) -> Result<(), WebError> {
        match self.role() {
            Some(r) if r >= needed => Ok(()),
            _ => Err(WebError::forbidden(format!(
                "this needs the {} role; you are logged in as {}",
                needed.name(),
                self.role().map_or("no one", |r| r.name())
            ))),
        }
    }

    /// Checks a form's CSRF token against the session's: a form posted from another site
    /// cannot know it. Compared in constant time.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), WebError> {
        let given = given.unwrap_or("").as_bytes();
        let ours = self.csrf.as_bytes();
        let same = given.len() == ours.len()
            && given
                .iter()
                .zip(ours)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if same {
            Ok(())
        } else {
            Err(WebError::forbidden(
                "the form's security token is missing or stale (was it sent from another page or an old tab?); reload the page and send it again; nothing was changed".to_string(),
            ))
        }
    }

    /// The name a write is recorded under: the logged-in user, else the configured
    /// investigator by the CLI's rules (`decide::author`), which refuse when there is none.
    pub fn author(&self, configured: Option<&str>) -> Result<String, WebError> {
        match &self.user {
            Some((name, _)) => Ok(name.clone()),
            None => crate::usecase::decide::author(configured).map_err(WebError::refused),
        }
    }
}

#[derive(Debug)]
struct Stored {
    csrf: String,
    user: Option<(String, Role)>,
    /// when it was made, to forget the oldest anonymous sessions first
    serial: u64,
}

/// Every live session, by id.
#[derive(Default)]
pub struct Sessions {
    inner: Mutex<(HashMap<String, Stored>, u64)>,
}

impl Sessions {
    fn get(&self, id: &str, open: bool) -> Option<Session> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.get(id).map(|s| Session {
            csrf: s.csrf.clone(),
            user: s.user.clone(),
            open,
        })
    }

    /// A new session with a fresh id and token; returns its id.
    fn create(&self, open: bool) -> Result<(String, Session), WebError> {
        let id = random_token()?;
        let csrf = random_token()?;
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, serial) = &mut *guard;
        if map.len() >= MAX_SESSIONS {
            forget_oldest_anonymous(map);
        }
        *serial += 1;
        map.insert(
            id.clone(),
            Stored {
                csrf: csrf.clone(),
                user: None,
                serial: *serial,
            },
        );
        Ok((
            id,
            Session {
                csrf,
                user: None,
                open,
            },
        ))
    }

    /// Logs a user in: a new session id and token (the old id, which a visitor may have been
    /// handed before logging in, no longer counts). Returns the new id.
    pub fn log_in(&self, old: Option<&str>, name: String, role: Role) -> Result<String, WebError> {
        let id = random_token()?;
        let csrf = random_token()?;
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, serial) = &mut *guard;
        if let Some(old) = old {
            map.remove(old);
        }
        *serial += 1;
        map.insert(
            id.clone(),
            Stored {
                csrf,
                user: Some((name, role)),
                serial: *serial,
            },
        );
        Ok(id)
    }

    pub fn log_out(&self, id: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.remove(id);
    }
}

fn forget_oldest_anonymous(map: &mut HashMap<String, Stored>) {
    let mut anonymous: Vec<(u64, String)> = map
        .iter()
        .filter(|(_, s)| s.user.is_none())
        .map(|(id, s)| (s.serial, id.clone()))
        .collect();
    anonymous.sort();
    for (_, id) in anonymous.into_iter().take(MAX_SESSIONS / 10 + 1) {
        map.remove(&id);
    }
}

/// 256 bits from the operating system's random source, as hex.
fn random_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        WebError::internal(anyhow::anyhow!("no random bytes for a session token: {e}"))
    })?;
    Ok(crate::evidence::hex(&bytes))
}

/// The session id a request's cookie carries.
pub fn cookie_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The Set-Cookie header for a session id: unreadable by script, never sent from other sites.
pub fn set_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict"))
        .expect("a hex id is a valid header value")
}

/// Paths anyone may reach before logging in.
fn open_to_all(path: &str) -> bool {
    path == "/login" || path.starts_with("/static/")
}

/// Gives every request its session (a new one, with its cookie, when it has none), sends
/// visitors who have not logged in to the login form when --auth is on, and refuses every
/// POST from a session that may only read.
pub async fn attach(State(app): State<Shared>, mut request: Request, next: Next) -> Response {
    let open = app.config.users.is_none();
    let known = cookie_id(request.headers()).and_then(|id| app.sessions.get(&id, open));
    let (session, new_id) = match known {
        Some(s) => (s, None),
        None => match app.sessions.create(open) {
            Ok((id, s)) => (s, Some(id)),
            Err(e) => return e.into_response(),
        },
    };
    let path = request.uri().path().to_string();
    let mut response = if session.role().is_none() && !open_to_all(&path) {
        if request.method() == Method::GET {
            Redirect::to("/login").into_response()
        } else {
            WebError::forbidden("log in first".to_string()).into_response()
        }
    } else if request.method() == Method::POST
        && !open_to_all(&path)
        && path != "/logout"
        && session.role() == Some(Role::Reader)
    {
        WebError::forbidden(
            "you are logged in as a reader, who may look but not change anything; nothing was changed"
                .to_string(),
        )
        .into_response()
    } else {
        request.extensions_mut().insert(session);
        next.run(request).await
    };
    if let Some(id) = new_id {
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(&id));
    }
    response
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| WebError::internal(anyhow::anyhow!("a request without a session")))
    }
}
