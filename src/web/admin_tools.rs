//! Two admin tools: the host doctor (`/admin/doctor`, the checks of
//! `affiche doctor` run from the CGI) and the export download
//! (`/admin/export`, the archive of `affiche export`). The admin module
//! has already checked the session, the admin and the CSRF token.

use std::sync::mpsc;
use std::time::Duration;

use http::{HeaderValue, Response, StatusCode, header};
use minijinja::context;
use serde::Serialize;

use crate::context::Context;
use crate::doctor::{self, Outcome};
use crate::store::Author;
use crate::web::pages::{Answer, message};
use crate::web::session::Visitor;

/// Each request of the doctor waits this long at most.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// All the checks together: under the usual 60 s a web server gives a CGI
/// before it gives up on it.
const DOCTOR_BUDGET: Duration = Duration::from_secs(40);

#[derive(Serialize)]
struct Shown {
    name: &'static str,
    title: &'static str,
    /// `pass`, `warn` or `fail`.
    state: &'static str,
    what: String,
    advice: String,
    /// What differs when the check runs from the site itself.
    note: String,
}

/// GET /admin/doctor (no results yet) and POST /admin/doctor (run them).
pub fn doctor(ctx: &Context, visitor: &Visitor, admin: &Author, run: bool) -> Answer {
    let words = ctx.words();
    let (checks, timed_out) = if run {
        match run_checks(ctx) {
            Some(checks) => (checks, false),
            None => (Vec::new(), true),
        }
    } else {
        (Vec::new(), false)
    };
    if run {
        eprintln!(
            "affiche: @{} ran the doctor: {}",
            admin.handle,
            if timed_out {
                "not finished in time".to_string()
            } else {
                format!(
                    "{} failure(s)",
                    checks.iter().filter(|c| c.state == "fail").count()
                )
            }
        );
    }
    let failed = checks.iter().filter(|c| c.state == "fail").count();
    let warned = checks.iter().filter(|c| c.state == "warn").count();
    Answer::page(
        ctx,
        StatusCode::OK,
        "admin_doctor.html",
        &words.t("doctor-title"),
        "admin/doctor",
        context! {
            admin,
            csrf => &visitor.csrf,
            ran => run,
            timed_out,
            checks,
            failed,
            warned,
            budget => DOCTOR_BUDGET.as_secs(),
            base_url => ctx.renderer.site_url().base,
        },
    )
}

/// Runs the checks on a thread of their own, and gives up on them after
/// the budget: the process ends with the answer, taking the thread along.
fn run_checks(ctx: &Context) -> Option<Vec<Shown>> {
    let words = ctx.words();
    let config = ctx.config.clone();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let options = doctor::Options {
            timeout: CHECK_TIMEOUT,
            ..doctor::Options::default()
        };
        let _ = sender.send(doctor::run(&config, &options));
    });
    let checks = receiver.recv_timeout(DOCTOR_BUDGET).ok()?;
    Some(
        checks
            .into_iter()
            .map(|check| {
                let (state, what, advice) = match check.outcome {
                    Outcome::Pass => ("pass", String::new(), String::new()),
                    Outcome::Warn(why) => ("warn", why, String::new()),
                    Outcome::Fail { what, advice } => ("fail", what, advice),
                };
                Shown {
                    // The answers compared come from this very host: a
                    // clock wrong on all of it agrees with itself.
                    note: if check.name == "clock" {
                        words.t("doctor-clock-inside")
                    } else {
                        String::new()
                    },
                    name: check.name,
                    title: check.title,
                    state,
                    what,
                    advice,
                }
            })
            .collect(),
    )
}

/// GET /admin/export: what the archive holds, the warning, the button.
pub fn export_page(ctx: &Context, visitor: &Visitor, admin: &Author) -> Answer {
    let words = ctx.words();
    Answer::page(
        ctx,
        StatusCode::OK,
        "admin_export.html",
        &words.t("export-title"),
        "admin/export",
        context! { admin, csrf => &visitor.csrf },
    )
}

/// POST /admin/export: the whole site as `affiche export` makes it, as a
/// download that no cache keeps (it holds the site's secret key).
pub fn export(ctx: &Context, admin: &Author) -> anyhow::Result<Answer> {
    let words = ctx.words();
    if !ctx.config.path.is_file() {
        return Ok(message(
            ctx,
            StatusCode::INTERNAL_SERVER_ERROR,
            &words.t("export-failed"),
            &[&words.t("export-no-config")],
            None,
            true,
        ));
    }
    let (bytes, outcome) = crate::export::export_to_bytes(ctx, &ctx.config.path)?;
    eprintln!(
        "affiche: @{} downloaded an export ({} article(s), {} event(s), {} bytes)",
        admin.handle,
        outcome.articles,
        outcome.events,
        bytes.len()
    );
    let day = jiff::Timestamp::now().strftime("%Y%m%d").to_string();
    let host: String = ctx
        .renderer
        .site_url()
        .host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut response = Response::new(bytes);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"affiche-export-{host}-{day}.zip\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, private"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(Answer::Response(response))
}
