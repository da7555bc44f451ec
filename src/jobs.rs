//! Background work without a daemon: the delivery queue, drained by
//! `affiche queue run` from cron, or by a detached worker that a CGI request
//! starts after it has answered. A lease in the database lets at most one
//! worker run; each has a time budget.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow};

use crate::config::{Config, Federation};
use crate::federation::blocking;
use crate::federation::documents::Endpoints;
use crate::federation::fetch::UrlPolicy;
use crate::federation::signer::SiteSigner;
use crate::store::{Claim, Delivery, DeliveryOutcome, Store};

const LEASE: &str = "queue";
/// How long a claimed delivery stays ours: longer than one attempt can take.
const CLAIM_SECONDS: i64 = 120;
/// Threads sending deliveries: they mostly wait on remote servers, so many
/// more than the cores.
const SENDERS: usize = 32;
/// Deliveries in flight to one host at most: a slow host holds that many
/// senders, not all of them.
const PER_HOST: usize = 4;
/// Due rows one claim looks at, oldest first.
const CLAIM_WINDOW: usize = 1024;
/// Idle senders worth a claim...
const CLAIM_MIN: usize = 8;
/// ...or fewer, after this long without an answer.
const CLAIM_WAIT: Duration = Duration::from_millis(20);

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
    let mut report = RunReport {
        ran: true,
        ..RunReport::default()
    };
    let mut idle_rounds = 0;
    loop {
        let result = drain(config, &store, started, budget);
        store.release_lease(LEASE, &me)?;
        let round = result?;
        report.delivered += round.delivered;
        report.retried += round.retried;
        report.dropped += round.dropped;
        // A request that queued work while this worker was finishing saw
        // the lease held and started nobody: look once more before leaving.
        // (Twice at most without sending anything: deliveries to a host
        // being skipped stay due, and must not keep the worker spinning.)
        if round.delivered + round.retried + round.dropped == 0 {
            idle_rounds += 1;
        }
        let due = store.next_delivery_at()?.is_some_and(|at| at <= now());
        if idle_rounds > 2 || !due || started.elapsed() >= budget {
            break;
        }
        if !store.take_lease(LEASE, &me, now() + budget_seconds + CLAIM_SECONDS, now())? {
            break;
        }
    }
    report.inbox = leftovers?;
    Ok(report)
}

/// Activities the inbox stored but could not process, then the replies
/// collections to read for replies that were never delivered to us.
fn finish_inbox(config: &Config, now: i64) -> Result<usize> {
    // After an update (a new binary, a changed template), the whole site,
    // before anything else: a page rendered now with new templates beside
    // old ones would be worse than a little delay.
    if crate::render::fingerprint::is_stale(config) {
        let renderer = crate::render::Renderer::new(config)?;
        crate::render::rebuild(config, &renderer, crate::parallel::cores(), false)
            .context("re-rendering the site after an update")?;
    }
    let ctx = crate::context::Context::from_config(config.clone())?;
    let leftovers = crate::federation::inbox::process_leftovers(&ctx, now)?;
    if let Err(err) = crate::comments::walk_replies(&ctx, now) {
        eprintln!("affiche: walking replies: {err:#}");
    }
    // Events that ended since the last run move from "upcoming" to "past".
    if let Err(err) = crate::render::refresh_event_lists(&ctx, jiff::Timestamp::now().as_second()) {
        eprintln!("affiche: refreshing the event lists: {err:#}");
    }
    Ok(leftovers)
}

fn drain(config: &Config, store: &Store, started: Instant, budget: Duration) -> Result<RunReport> {
    let signer = SiteSigner::from_store(store, &Endpoints::new(config))?;
    let policy = UrlPolicy::from_config(config);
    let agent = agent(config, policy);
    let (work_tx, work_rx) = mpsc::channel::<Delivery>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(Delivery, DeliveryOutcome)>();
    std::thread::scope(|scope| {
        for _ in 0..SENDERS {
            let done_tx = done_tx.clone();
            let (work_rx, agent, signer) = (&work_rx, &agent, &signer);
            scope.spawn(move || {
                loop {
                    // The lock is held while waiting: the one idle sender
                    // that holds it takes the next delivery.
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(delivery) = next else { return };
                    // A panic would leave the delivery counted in flight
                    // forever and the dispatcher waiting for it.
                    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        deliver(agent, policy, signer, &delivery)
                    }))
                    .unwrap_or_else(|_| DeliveryOutcome::Retry("the sender panicked".into()));
                    if done_tx.send((delivery, outcome)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Whatever happens, closing the work channel lets the senders end
        // once their current delivery is done; an unrecorded one is sent
        // again when its claim expires.
        let result = dispatch(
            store,
            &config.federation,
            started,
            budget,
            &work_tx,
            &done_rx,
        );
        drop(work_tx);
        result
    })
}

/// Feeds the senders one delivery at a time, as they free up, and records
/// what they report: the only thread that touches the database.
fn dispatch(
    store: &Store,
    federation: &Federation,
    started: Instant,
    budget: Duration,
    work: &mpsc::Sender<Delivery>,
    done: &mpsc::Receiver<(Delivery, DeliveryOutcome)>,
) -> Result<RunReport> {
    let mut report = RunReport {
        ran: true,
        ..RunReport::default()
    };
    let mut busy: HashMap<String, usize> = HashMap::new();
    let mut in_flight = 0usize;
    let mut claiming = true;
    // A claim costs a query: it waits until a few senders are idle, unless
    // no answer came for a while (slow hosts hold the others).
    let mut quiet = true;
    loop {
        if claiming && started.elapsed() >= budget {
            claiming = false;
        }
        let idle = SENDERS - in_flight;
        let mut blocked = 0;
        if claiming && idle > 0 && (idle >= CLAIM_MIN || quiet) {
            let claim = Claim {
                now: jiff::Timestamp::now().as_second(),
                lease_seconds: CLAIM_SECONDS,
                limit: idle,
                per_host: PER_HOST,
                window: CLAIM_WINDOW,
            };
            let batch = store.claim_deliveries_capped(claim, &busy)?;
            if batch.is_empty() && in_flight == 0 {
                break;
            }
            for delivery in batch {
                // Blocked since it was queued: dropped with the reason,
                // never sent nor retried.
                if let Some(why) = blocking::why_not_send(federation, store, &delivery)? {
                    let now = jiff::Timestamp::now().as_second();
                    store.finish_delivery(&delivery, &DeliveryOutcome::Drop(why), now)?;
                    report.dropped += 1;
                    blocked += 1;
                    continue;
                }
                *busy.entry(delivery.host.clone()).or_default() += 1;
                in_flight += 1;
                work.send(delivery)
                    .map_err(|_| anyhow!("the delivery threads are gone"))?;
            }
        }
        if in_flight == 0 && blocked > 0 {
            // A claim of blocked rows only: claim again.
            continue;
        }
        if in_flight == 0 {
            // Only reached once claiming stopped: an empty claim with
            // nothing in flight has already ended the loop.
            break;
        }
        let first = match done.recv_timeout(CLAIM_WAIT) {
            Ok(first) => first,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                quiet = true;
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(anyhow!("the delivery threads are gone"));
            }
        };
        quiet = false;
        let mut finished = vec![first];
        finished.extend(done.try_iter());
        let now = jiff::Timestamp::now().as_second();
        // One transaction for all that came in: one WAL append, not many.
        store.transaction(|store| {
            for (delivery, outcome) in &finished {
                store.finish_delivery(delivery, outcome, now)?;
            }
            Ok(())
        })?;
        for (delivery, outcome) in &finished {
            match outcome {
                DeliveryOutcome::Delivered => report.delivered += 1,
                DeliveryOutcome::Retry(_) => report.retried += 1,
                DeliveryOutcome::Drop(_) => report.dropped += 1,
            }
            in_flight -= 1;
            if let Some(count) = busy.get_mut(&delivery.host) {
                *count -= 1;
                if *count == 0 {
                    busy.remove(&delivery.host);
                }
            }
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
    let due = store.next_delivery_at()?.is_some_and(|at| at <= now)
        || crate::render::fingerprint::is_stale(&config);
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
