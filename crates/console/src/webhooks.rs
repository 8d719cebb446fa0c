//! A seller's webhook endpoints on the Integrations page: registered (the URL and subscription
//! checked by the rules the Bird door registers endpoints with, the signing secret shown once),
//! switched on or off, deleted, sent a test message; and each endpoint's delivery log, newest
//! first, where a finished delivery can be sent again. Who may do what is the use cases'
//! (an owner writes, any of the seller's users reads).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use entrepot_app::{DeliveryStatus, NewWebhook, WebhookStatus, DELIVERY_PAGE, MAX_DELIVERY_PAGE};
use entrepot_core::{actor::Role, CoreError};
use entrepot_dialect_bird::webhook::{
    types::{topic, TOPICS},
    DIALECT,
};
use serde::Deserialize;

use crate::{
    failure::{Failure, OrPage},
    format,
    i18n::Tr,
    integrations::{render, Shown},
    page::{html, Chrome},
    scan::Outcome,
    state::ConsoleState,
    viewer::Viewer,
};

/// Every subscription an endpoint may have, `RESOURCE.ACTION`, as the create form offers them.
pub(crate) fn topics() -> Vec<String> {
    TOPICS.iter().flat_map(|(r, actions)| actions.iter().map(move |a| format!("{r}.{a}"))).collect()
}

/// A fresh one-time key for a test form: 32 hexadecimal characters.
pub(crate) fn nonce() -> String {
    rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// A page's answer to a refused form: the page again with the reason, 422. Refusals of the
/// person (403) and failures inside stay error pages.
fn refusal(t: Tr, e: CoreError) -> Result<String, Failure> {
    match e {
        e @ (CoreError::Internal | CoreError::Forbidden(_) | CoreError::NotFound { .. }) => Err(Failure::core(t, e)),
        e => Ok(Outcome::refused(t, &e).message().to_owned()),
    }
}

#[derive(Deserialize)]
pub(crate) struct NewHook {
    csrf: String,
    #[serde(default)]
    url: String,
    /// `RESOURCE.ACTION`.
    #[serde(default)]
    topic: String,
}

/// Registers an endpoint; the page shows its signing secret once.
pub(crate) async fn create(
    State(st): State<ConsoleState>,
    v: Viewer,
    headers: HeaderMap,
    Form(f): Form<NewHook>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let t = v.tr;
    // The person first: nobody but an owner gets the URL looked up.
    st.app.may_manage_seller_webhooks(&v.actor).or_page(t)?;
    let url = f.url.trim().to_owned();
    let checked = match st.webhook_destinations.check_url(&url).await {
        Err(e) => Err(CoreError::invalid("url", e)),
        Ok(()) => {
            let (r, a) = f.topic.split_once('.').unwrap_or((f.topic.as_str(), ""));
            topic(r, a).map_err(|e| CoreError::invalid("topic", e.message))
        }
    };
    let made = match checked {
        Err(e) => Err(e),
        Ok((resource_type, action)) => {
            let secret = entrepot_ops::new_secret();
            let n = NewWebhook {
                dialect: DIALECT.into(),
                url,
                resource_type,
                action,
                secret: secret.clone(),
                status: WebhookStatus::Active,
            };
            st.app.create_seller_webhook(&v.actor, n).await.map(|_| secret)
        }
    };
    match made {
        Ok(new_secret) => render(&st, &v, &headers, Shown { new_secret, ..Shown::default() }).await,
        Err(e) => {
            let error = refusal(t, e)?;
            let mut r = render(&st, &v, &headers, Shown { error, ..Shown::default() }).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// An endpoint's id in a path: a number, else "not found".
fn hook_id(t: Tr, raw: &str) -> Result<i64, Failure> {
    raw.parse().map_err(|_| Failure::not_found(t))
}

#[derive(Deserialize)]
pub(crate) struct Switch {
    csrf: String,
    /// `true` to switch on, anything else off.
    #[serde(default)]
    active: String,
}

pub(crate) async fn set_active(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Switch>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let id = hook_id(v.tr, &id)?;
    st.app.set_seller_webhook_active(&v.actor, id, f.active == "true").await.or_page(v.tr)?;
    Ok(Redirect::to("/console/integrations?done=hook-switched#webhooks").into_response())
}

#[derive(Deserialize)]
pub(crate) struct Plain {
    csrf: String,
    /// A test form's one-time key.
    #[serde(default)]
    nonce: String,
}

pub(crate) async fn delete(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Plain>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let id = hook_id(v.tr, &id)?;
    st.app.delete_seller_webhook(&v.actor, id).await.or_page(v.tr)?;
    Ok(Redirect::to("/console/integrations?done=hook-deleted#webhooks").into_response())
}

/// Queues a test message and lands on the endpoint's log, where it appears.
pub(crate) async fn test(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<Plain>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let id = hook_id(v.tr, &id)?;
    let said = match st.app.test_seller_webhook(&v.actor, id, &f.nonce).await {
        Ok(true) => "test-queued",
        Ok(false) => "test-already",
        Err(e) => return log_page(&st, &v, id, 1, LogFlash::Bad(refusal(v.tr, e)?)).await.map(unprocessable),
    };
    Ok(Redirect::to(&format!("/console/integrations/webhooks/{id}?done={said}")).into_response())
}

/// Sends a finished delivery again and lands back on the log.
pub(crate) async fn replay(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path((id, delivery)): Path<(String, String)>,
    Form(f): Form<Plain>,
) -> Result<Response, Failure> {
    v.check_csrf(&f.csrf)?;
    let id = hook_id(v.tr, &id)?;
    let delivery = hook_id(v.tr, &delivery)?;
    let said = match st.app.replay_seller_delivery(&v.actor, id, delivery).await {
        Ok(true) => "replay-queued",
        Ok(false) => "replay-already",
        Err(e) => return log_page(&st, &v, id, 1, LogFlash::Bad(refusal(v.tr, e)?)).await.map(unprocessable),
    };
    Ok(Redirect::to(&format!("/console/integrations/webhooks/{id}?done={said}")).into_response())
}

fn unprocessable(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// One line of the log.
pub(crate) struct LogRow {
    id: i64,
    event: String,
    status: String,
    class: &'static str,
    attempts: i64,
    code: String,
    error: String,
    created: String,
    last_attempt: String,
    /// Finished (sent or given up): it may be sent again.
    finished: bool,
}

/// The line above the log.
enum LogFlash {
    None,
    Good(String),
    Bad(String),
}

#[derive(Template)]
#[template(path = "webhook_log.html")]
struct LogPage {
    c: Chrome,
    t: Tr,
    owner: bool,
    id: i64,
    url: String,
    topic: String,
    active: bool,
    rows: Vec<LogRow>,
    total: i64,
    page: i64,
    pages: i64,
    nonce: String,
    flash_class: &'static str,
    flash: String,
}

impl LogPage {
    fn link(&self, page: i64) -> String {
        format!("/console/integrations/webhooks/{}?page={page}", self.id)
    }

    fn page_of(&self) -> String {
        self.t.t2("page-of", ("page", self.page), ("pages", self.pages))
    }
}

async fn log_page(st: &ConsoleState, v: &Viewer, id: i64, page: i64, flash: LogFlash) -> Result<Response, Failure> {
    let t = v.tr;
    let w = st.app.seller_webhook(&v.actor, id).await.or_page(t)?;
    let page = page.clamp(1, MAX_DELIVERY_PAGE);
    let (log, total) = st.app.seller_webhook_log(&v.actor, id, page).await.or_page(t)?;
    let when = |ms: Option<i64>| ms.map(|ms| format::local_time(None, ms)).unwrap_or_default();
    let rows = log
        .into_iter()
        .map(|d| LogRow {
            id: d.id,
            event: d.event_type,
            status: t.t(&format!("delivery-{}", d.status.as_str().to_ascii_lowercase())),
            class: match d.status {
                DeliveryStatus::Success => "good",
                DeliveryStatus::Failed => "bad",
                DeliveryStatus::Pending => "busy",
            },
            attempts: d.attempts,
            code: d.response_code.map(|c| c.to_string()).unwrap_or_default(),
            error: d.last_error.unwrap_or_default().chars().take(300).collect(),
            created: format::local_time(None, d.created_at_ms),
            last_attempt: when(d.last_attempt_at_ms),
            finished: d.status != DeliveryStatus::Pending,
        })
        .collect();
    let pages =
        total.saturating_add(DELIVERY_PAGE - 1).checked_div(DELIVERY_PAGE).unwrap_or(1).clamp(1, MAX_DELIVERY_PAGE);
    let (flash_class, flash) = match flash {
        LogFlash::None => ("", String::new()),
        LogFlash::Good(s) => ("good", s),
        LogFlash::Bad(s) => ("bad", s),
    };
    let here = format!("/console/integrations/webhooks/{id}");
    let c = Chrome::new(v, "/console/integrations", "webhook-log-title", &here);
    let page = LogPage {
        c,
        t,
        owner: matches!(v.actor.role, Role::Seller { owner: true, .. }),
        id,
        topic: format!("{}.{}", w.resource_type, w.action),
        url: w.url,
        active: w.status == WebhookStatus::Active,
        rows,
        total,
        page,
        pages,
        nonce: nonce(),
        flash_class,
        flash,
    };
    html(t, &page)
}

/// `?page=` and `?done=` of the log.
#[derive(Deserialize, Default)]
pub(crate) struct LogQuery {
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    done: String,
}

/// What each `?done=` of the log says (a message key each).
const DONE: &[&str] = &["test-queued", "test-already", "replay-queued", "replay-already"];

/// An endpoint's delivery log.
pub(crate) async fn log(
    State(st): State<ConsoleState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<LogQuery>,
) -> Result<Response, Failure> {
    let id = hook_id(v.tr, &id)?;
    let page = q.page.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1);
    let flash = match DONE.iter().find(|d| **d == q.done) {
        Some(d) => LogFlash::Good(v.tr.t(&format!("done-{d}"))),
        None => LogFlash::None,
    };
    log_page(&st, &v, id, page, flash).await
}
