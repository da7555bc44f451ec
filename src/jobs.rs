//! Background work without a daemon: the delivery queue, drained by
//! `affiche queue run` from cron, or by a detached worker that a CGI request
//! starts after it has answered. A lease in the database lets at most one
//! worker run; each has a time budget.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};

use crate::config::Config;
use crate::federation::documents::Endpoints;
use crate::federation::fetch::UrlPolicy;
use crate::federation::signer::SiteSigner;
use crate::store::{Delivery, DeliveryOutcome, Store};

const LEASE: &str = "queue";
/// How long a claimed delivery stays ours: longer than one attempt can take.
const CLAIM_SECONDS: i64 = 120;
/// Deliveries sent at once: remote servers answer slowly, cores are few.
const PARALLEL: usize = 8;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    pub delivered: usize,
    pub retried: usize,
    pub dropped: usize,
    /// Received activities processed late.
    pub inbox: usize,
    /// False when another worker held the lease.
    pub ran: bool,
}

fn holder() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    format!(
        "{}-{}",
        std::process::id(),
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Delivers what is due until nothing is, or `budget` is spent.
pub fn run(config: &Config, budget: Duration) -> Result<RunReport> {
    let store = Store::open(&config.database_path(), false)?;
    let me = holder();
    let started = Instant::now();
    let now = || jiff::Timestamp::now().as_second();
    let budget_seconds = i64::try_from(budget.as_secs()).unwrap_or(i64::MAX / 2);
    if !store.take_lease(LEASE, &me, now() + budget_seconds + CLAIM_SECONDS, now())? {
        return Ok(RunReport::default());
    }
    let leftovers = finish_inbox(config, now());
    let result = drain(config, &store, started, budget);
    store.release_lease(LEASE, &me)?;
    let mut report = result?;
    report.inbox = leftovers?;
    Ok(report)
}

/// Activities the inbox stored but could not process.
fn finish_inbox(config: &Config, now: i64) -> Result<usize> {
    let ctx = crate::context::Context::from_config(config.clone())?;
    crate::federation::inbox::process_leftovers(&ctx, now)
}

fn drain(config: &Config, store: &Store, started: Instant, budget: Duration) -> Result<RunReport> {
    let signer = SiteSigner::from_store(store, &Endpoints::new(config))?;
    let policy = UrlPolicy::from_config(config);
    let agent = agent(config, policy);
    let mut report = RunReport {
        ran: true,
        ..RunReport::default()
    };
    while started.elapsed() < budget {
        let now = jiff::Timestamp::now().as_second();
        let batch = store.claim_deliveries(now, CLAIM_SECONDS, PARALLEL * 4)?;
        if batch.is_empty() {
            break;
        }
        let outcomes = crate::parallel::map(&batch, PARALLEL, |d| {
            (d.clone(), deliver(&agent, policy, &signer, d))
        })?;
        let now = jiff::Timestamp::now().as_second();
        for (delivery, outcome) in &outcomes {
            match outcome {
                DeliveryOutcome::Delivered => report.delivered += 1,
                DeliveryOutcome::Retry(_) => report.retried += 1,
                DeliveryOutcome::Drop(_) => report.dropped += 1,
            }
            store.finish_delivery(delivery, outcome, now)?;
        }
    }
    Ok(report)
}

/// The client of deliveries: it connects only to addresses the URL policy
/// vetted, from the very DNS answer it connects with.
fn agent(config: &Config, policy: UrlPolicy) -> ureq::Agent {
    let builder = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .https_only(false)
        .user_agent(crate::federation::fetch::user_agent(&config.base_url))
        .timeout_connect(Some(Duration::from_secs(5)))
        .timeout_global(Some(Duration::from_secs(15)));
    crate::federation::fetch::vetting_agent(policy, builder)
}

/// One signed POST, judged as Mastodon judges its own deliveries: 2xx done;
/// 4xx other than 401, 408 and 429 (and 501) final; anything else retried.
fn deliver(
    agent: &ureq::Agent,
    policy: UrlPolicy,
    signer: &SiteSigner,
    delivery: &Delivery,
) -> DeliveryOutcome {
    let url = match policy.check_url(&delivery.inbox) {
        Ok(url) => url,
        Err(err) => return DeliveryOutcome::Drop(err.to_string()),
    };
    let body = delivery.body.as_bytes();
    let headers = match signer.post_headers(url.as_str(), body) {
        Ok(headers) => headers,
        Err(err) => return DeliveryOutcome::Drop(format!("cannot sign: {err:#}")),
    };
    let mut request = agent.post(url.as_str());
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_str());
    }
    match request.send(body) {
        Ok(response) => {
            let status = response.status().as_u16();
            match status {
                200..=299 => DeliveryOutcome::Delivered,
                401 | 408 | 429 => DeliveryOutcome::Retry(format!("HTTP {status}")),
                400..=499 | 501 => DeliveryOutcome::Drop(format!("HTTP {status}")),
                _ => DeliveryOutcome::Retry(format!("HTTP {status}")),
            }
        }
        Err(err) => DeliveryOutcome::Retry(err.to_string()),
    }
}

/// Starts a detached worker when deliveries are due and no worker runs.
/// Never fails the request that calls it: the next request, or cron, will.
pub fn kick(config_path: &Path) {
    if let Err(err) = try_kick(config_path) {
        eprintln!("affiche: cannot start the queue worker: {err:#}");
    }
}

fn try_kick(config_path: &Path) -> Result<()> {
    let config = Config::load(config_path)?;
    let store = Store::open(&config.database_path(), false)?;
    let now = jiff::Timestamp::now().as_second();
    let due = store.next_delivery_at()?.is_some_and(|at| at <= now);
    if !due || store.lease_held(LEASE, now)? {
        return Ok(());
    }
    let program = std::env::current_exe().context("cannot find this program's path")?;
    use std::os::unix::process::CommandExt as _;
    std::process::Command::new(program)
        .arg("--config")
        .arg(config_path)
        .args(["queue", "run", "--budget", "25"])
        .env_remove("GATEWAY_INTERFACE")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        // Its own process group: the web server waits for the request's
        // output to close, and may signal the request's group.
        .process_group(0)
        .spawn()
        .context("cannot start `affiche queue run`")?;
    Ok(())
}
