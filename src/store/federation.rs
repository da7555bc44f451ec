//! Federation state: the raw inbox, remote actors and their keys,
//! followers, the delivery queue with per-host health, and leases.

use anyhow::Result;
use rusqlite::{OptionalExtension as _, params};

use super::{Store, count_param};

/// An activity as received, before or after processing.
#[derive(Debug, Clone)]
pub struct InboxEntry {
    pub id: i64,
    pub body: String,
    /// The request headers the signature covers, as a JSON object.
    pub headers: String,
    pub received_at: i64,
}

/// What we know of a remote actor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteActor {
    pub id: String,
    pub key_id: String,
    pub public_key: String,
    pub inbox: String,
    pub shared_inbox: String,
    pub handle: String,
    pub name: String,
    pub icon: String,
    pub url: String,
    pub fetched_at: i64,
}

impl RemoteActor {
    /// Where to send what is for this account alone (a DM, an Accept):
    /// its own inbox, else its server's shared one.
    pub fn personal_inbox(&self) -> String {
        if self.inbox.is_empty() {
            self.shared_inbox.clone()
        } else {
            self.inbox.clone()
        }
    }

    /// Where to send what is for its server (a forwarded report): the
    /// shared inbox, else its own.
    pub fn server_inbox(&self) -> String {
        if self.shared_inbox.is_empty() {
            self.inbox.clone()
        } else {
            self.shared_inbox.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follower {
    pub actor_id: String,
    pub follow_id: String,
    pub created_at: i64,
}

/// One delivery claimed by a worker.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub activity_id: String,
    pub body: String,
    pub inbox: String,
    pub host: String,
    pub attempts: i64,
    pub created_at: i64,
}

/// The terms of one [`Store::claim_deliveries_capped`].
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub now: i64,
    pub lease_seconds: i64,
    /// Deliveries claimed at most.
    pub limit: usize,
    /// Deliveries in flight to one host at most.
    pub per_host: usize,
    /// Due rows looked at, oldest first.
    pub window: usize,
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Try again later (5xx, timeouts, 401/408/429).
    Retry(String),
    /// Give up (4xx the remote server means, or too old).
    Drop(String),
}

/// What `affiche queue status` shows.
#[derive(Debug, Clone, Default)]
pub struct QueueStatus {
    pub pending: usize,
    pub due: usize,
    pub done: usize,
    pub dropped: usize,
    /// (host, consecutive failures, skipped until, last error)
    pub failing_hosts: Vec<(String, i64, i64, String)>,
    /// (inbox, attempts, last error) of the pending deliveries that failed.
    pub recent_errors: Vec<(String, i64, String)>,
}

/// Retries stop after this long: Mastodon's own schedule spans about that.
pub const GIVE_UP_AFTER: i64 = 3 * 24 * 3600;

/// Seconds before attempt `attempts + 1`: grows as attempts⁴, like Mastodon's.
pub fn retry_delay(attempts: i64) -> i64 {
    let n = attempts.clamp(1, 40);
    n.pow(4) + 15
}

/// A host is skipped after this many failures in a row...
const HOST_FAILURES_BEFORE_SKIP: i64 = 5;
/// ...for this long (growing with the failures, capped).
fn host_skip(failures: i64) -> i64 {
    (failures * failures * 60).min(6 * 3600)
}

/// `host[:port]` of a URL, lowercase, as the delivery queue groups
/// deliveries and the owner's blocks name servers; empty for what is not
/// an absolute URL.
pub fn url_host(url: &str) -> String {
    let Some(authority) = url
        .parse::<http::Uri>()
        .ok()
        .and_then(|uri| uri.authority().cloned())
    else {
        return String::new();
    };
    match authority.port() {
        Some(port) => format!("{}:{port}", authority.host()),
        None => authority.host().to_string(),
    }
    .to_ascii_lowercase()
}

impl Store {
    /// Stores a received activity; `None` when its id was already received.
    pub fn inbox_insert(
        &self,
        activity_id: Option<&str>,
        actor: &str,
        kind: &str,
        body: &str,
        headers: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        self.inbox_insert_as(activity_id, actor, kind, body, headers, now, "new")
    }

    /// As [`Store::inbox_insert`], in a final `state` at once: an activity
    /// there is nothing to do about costs one write, not two.
    #[allow(clippy::too_many_arguments)]
    pub fn inbox_insert_as(
        &self,
        activity_id: Option<&str>,
        actor: &str,
        kind: &str,
        body: &str,
        headers: &str,
        now: i64,
        state: &str,
    ) -> Result<Option<i64>> {
        let inserted = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO inbox (activity_id, actor, type, body, headers, received_at, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![activity_id, actor, kind, body, headers, now, state])?;
        Ok((inserted == 1).then(|| self.conn.last_insert_rowid()))
    }

    pub fn inbox_set_state(&self, id: i64, state: &str, error: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE inbox SET state = ?2, error = ?3 WHERE id = ?1",
            params![id, state, error],
        )?;
        Ok(())
    }

    /// Activities received before `before` but not processed (the process
    /// was killed, or processing failed), oldest first.
    pub fn inbox_unprocessed(&self, before: i64, limit: usize) -> Result<Vec<InboxEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, body, headers, received_at FROM inbox
             WHERE state = 'new' AND received_at < ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![before, count_param(limit)], |row| {
                Ok(InboxEntry {
                    id: row.get(0)?,
                    body: row.get(1)?,
                    headers: row.get(2)?,
                    received_at: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn save_remote_actor(&self, actor: &RemoteActor) -> Result<()> {
        self.conn.execute(
            "INSERT INTO remote_actors (id, key_id, public_key, inbox, shared_inbox, handle, name, icon, url, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key,
                inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, handle = excluded.handle,
                name = excluded.name, icon = excluded.icon, url = excluded.url, fetched_at = excluded.fetched_at",
            params![
                actor.id,
                actor.key_id,
                actor.public_key,
                actor.inbox,
                actor.shared_inbox,
                actor.handle,
                actor.name,
                actor.icon,
                actor.url,
                actor.fetched_at
            ],
        )?;
        Ok(())
    }

    pub fn remote_actor(&self, id: &str) -> Result<Option<RemoteActor>> {
        self.remote_actor_where("id = ?1", id)
    }

    pub fn remote_actor_by_key(&self, key_id: &str) -> Result<Option<RemoteActor>> {
        self.remote_actor_where("key_id = ?1", key_id)
    }

    fn remote_actor_where(&self, condition: &str, value: &str) -> Result<Option<RemoteActor>> {
        let sql = format!(
            "SELECT id, key_id, public_key, inbox, shared_inbox, handle, name, icon, url, fetched_at
             FROM remote_actors WHERE {condition}"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([value], |row| {
                Ok(RemoteActor {
                    id: row.get(0)?,
                    key_id: row.get(1)?,
                    public_key: row.get(2)?,
                    inbox: row.get(3)?,
                    shared_inbox: row.get(4)?,
                    handle: row.get(5)?,
                    name: row.get(6)?,
                    icon: row.get(7)?,
                    url: row.get(8)?,
                    fetched_at: row.get(9)?,
                })
            })
            .optional()?)
    }

    /// Adds or refreshes a follower; true when it is new.
    pub fn add_follower(&self, actor_id: &str, follow_id: &str, now: i64) -> Result<bool> {
        let existed: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM followers WHERE actor_id = ?1)",
            [actor_id],
            |row| row.get(0),
        )?;
        self.conn.execute(
            "INSERT INTO followers (actor_id, follow_id, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (actor_id) DO UPDATE SET follow_id = excluded.follow_id",
            params![actor_id, follow_id, now],
        )?;
        Ok(!existed)
    }

    /// Removes a follower; true when there was one.
    pub fn remove_follower(&self, actor_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM followers WHERE actor_id = ?1", [actor_id])?
            > 0)
    }

    pub fn follower(&self, actor_id: &str) -> Result<Option<Follower>> {
        Ok(self
            .conn
            .query_row(
                "SELECT actor_id, follow_id, created_at FROM followers WHERE actor_id = ?1",
                [actor_id],
                |row| {
                    Ok(Follower {
                        actor_id: row.get(0)?,
                        follow_id: row.get(1)?,
                        created_at: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn follower_count(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM followers", [], |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Where to deliver to every follower: each one's shared inbox when it
    /// has one, else its own, each inbox once.
    pub fn follower_inboxes(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT CASE WHEN r.shared_inbox != '' THEN r.shared_inbox ELSE r.inbox END
             FROM followers f JOIN remote_actors r ON r.id = f.actor_id
             WHERE r.inbox != '' OR r.shared_inbox != '' ORDER BY 1",
        )?;
        let rows = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// Every follower with the inbox a delivery to it goes to (its shared
    /// inbox when it has one): `(actor id, handle, inbox)`, for the blocks
    /// to be applied before [`Store::enqueue`].
    pub fn follower_routes(&self) -> Result<Vec<(String, String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT f.actor_id, r.handle,
                    CASE WHEN r.shared_inbox != '' THEN r.shared_inbox ELSE r.inbox END
             FROM followers f JOIN remote_actors r ON r.id = f.actor_id
             WHERE r.inbox != '' OR r.shared_inbox != '' ORDER BY 3, 1",
        )?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The known actors whose own (not shared) inbox this is: `(actor id,
    /// handle)`. A delivery there reaches them only.
    pub fn actors_with_inbox(&self, inbox: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, handle FROM remote_actors WHERE inbox = ?1 ORDER BY id")?;
        let rows = stmt
            .query_map([inbox], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Queues an activity for each inbox (once per inbox, whatever happens).
    pub fn enqueue(
        &self,
        activity_id: &str,
        body: &str,
        inboxes: &[String],
        now: i64,
    ) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO deliveries (activity_id, body, inbox, host, next_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        )?;
        let mut queued = 0;
        for inbox in inboxes {
            queued += stmt.execute(params![activity_id, body, inbox, url_host(inbox), now])?;
        }
        Ok(queued)
    }

    /// Claims up to `limit` due deliveries for `lease_seconds`, skipping
    /// hosts that keep failing. A worker killed mid-delivery loses nothing:
    /// the lease expires and another worker claims the row again.
    pub fn claim_deliveries(
        &self,
        now: i64,
        lease_seconds: i64,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let mut stmt = self.conn.prepare_cached(
            "UPDATE deliveries SET lease_until = ?1 + ?2
             WHERE id IN (
                SELECT d.id FROM deliveries d LEFT JOIN hosts h ON h.host = d.host
                WHERE d.state = 'pending' AND d.next_at <= ?1 AND d.lease_until <= ?1
                  AND coalesce(h.skip_until, 0) <= ?1
                ORDER BY d.next_at, d.id LIMIT ?3)
             RETURNING id, activity_id, body, inbox, host, attempts, created_at",
        )?;
        let rows = stmt
            .query_map(params![now, lease_seconds, count_param(limit)], |row| {
                Ok(Delivery {
                    id: row.get(0)?,
                    activity_id: row.get(1)?,
                    body: row.get(2)?,
                    inbox: row.get(3)?,
                    host: row.get(4)?,
                    attempts: row.get(5)?,
                    created_at: row.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// As [`Store::claim_deliveries`], but never more than `per_host` in
    /// flight to one host, counting the `busy` ones a worker already sends
    /// (host → how many): a slow host cannot take every sending thread.
    ///
    /// Only the first `window` due rows are looked at, so a claim costs the
    /// same whatever the queue's length; when all of them belong to busy
    /// hosts, nothing is claimed until one of those answers.
    pub fn claim_deliveries_capped(
        &self,
        claim: Claim,
        busy: &std::collections::HashMap<String, usize>,
    ) -> Result<Vec<Delivery>> {
        let busy = serde_json::to_string(busy)?;
        let mut stmt = self.conn.prepare_cached(
            "WITH candidates AS (
                SELECT d.id, d.host, d.next_at FROM deliveries d LEFT JOIN hosts h ON h.host = d.host
                WHERE d.state = 'pending' AND d.next_at <= ?1 AND d.lease_until <= ?1
                  AND coalesce(h.skip_until, 0) <= ?1
                ORDER BY d.next_at, d.id LIMIT ?4),
             ranked AS (
                SELECT c.id, c.next_at,
                       row_number() OVER (PARTITION BY c.host ORDER BY c.next_at, c.id)
                         + coalesce(b.value, 0) AS slot
                FROM candidates c LEFT JOIN json_each(?5) b ON b.key = c.host)
             UPDATE deliveries SET lease_until = ?1 + ?2
             WHERE id IN (SELECT id FROM ranked WHERE slot <= ?6 ORDER BY next_at, id LIMIT ?3)
             RETURNING id, activity_id, body, inbox, host, attempts, created_at",
        )?;
        let rows = stmt
            .query_map(
                params![
                    claim.now,
                    claim.lease_seconds,
                    count_param(claim.limit),
                    count_param(claim.window),
                    busy,
                    count_param(claim.per_host)
                ],
                |row| {
                    Ok(Delivery {
                        id: row.get(0)?,
                        activity_id: row.get(1)?,
                        body: row.get(2)?,
                        inbox: row.get(3)?,
                        host: row.get(4)?,
                        attempts: row.get(5)?,
                        created_at: row.get(6)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records how an attempt ended, and the host's health.
    pub fn finish_delivery(
        &self,
        delivery: &Delivery,
        outcome: &DeliveryOutcome,
        now: i64,
    ) -> Result<()> {
        let attempts = delivery.attempts + 1;
        match outcome {
            DeliveryOutcome::Delivered => {
                self.conn.execute(
                    "UPDATE deliveries SET state = 'done', attempts = ?2, lease_until = 0, last_error = '' WHERE id = ?1",
                    params![delivery.id, attempts],
                )?;
                self.conn.execute(
                    "INSERT INTO hosts (host, failures, skip_until, last_error) VALUES (?1, 0, 0, '')
                     ON CONFLICT (host) DO UPDATE SET failures = 0, skip_until = 0",
                    [&delivery.host],
                )?;
            }
            DeliveryOutcome::Retry(error) if now - delivery.created_at < GIVE_UP_AFTER => {
                self.conn.execute(
                    "UPDATE deliveries SET attempts = ?2, next_at = ?3, lease_until = 0, last_error = ?4 WHERE id = ?1",
                    params![delivery.id, attempts, now + retry_delay(attempts), error],
                )?;
                self.host_failed(&delivery.host, error, now)?;
            }
            DeliveryOutcome::Retry(error) | DeliveryOutcome::Drop(error) => {
                self.conn.execute(
                    "UPDATE deliveries SET state = 'dropped', attempts = ?2, lease_until = 0, last_error = ?3 WHERE id = ?1",
                    params![delivery.id, attempts, error],
                )?;
            }
        }
        Ok(())
    }

    fn host_failed(&self, host: &str, error: &str, now: i64) -> Result<()> {
        let failures: i64 = self.conn.query_row(
            "INSERT INTO hosts (host, failures, skip_until, last_error) VALUES (?1, 1, 0, ?2)
             ON CONFLICT (host) DO UPDATE SET failures = failures + 1, last_error = excluded.last_error
             RETURNING failures",
            params![host, error],
            |row| row.get(0),
        )?;
        if failures >= HOST_FAILURES_BEFORE_SKIP {
            self.conn.execute(
                "UPDATE hosts SET skip_until = ?2 WHERE host = ?1",
                params![host, now + host_skip(failures)],
            )?;
        }
        Ok(())
    }

    /// When the next delivery is due, if any is pending.
    pub fn next_delivery_at(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT min(max(d.next_at, d.lease_until, coalesce(h.skip_until, 0)))
             FROM deliveries d LEFT JOIN hosts h ON h.host = d.host WHERE d.state = 'pending'",
            [],
            |row| row.get(0),
        )?)
    }

    pub fn queue_status(&self, now: i64) -> Result<QueueStatus> {
        let count = |sql: &str| -> Result<usize> {
            let n: i64 = self.conn.query_row(sql, [now], |row| row.get(0))?;
            Ok(usize::try_from(n).unwrap_or(0))
        };
        let mut status = QueueStatus {
            pending: count("SELECT count(*) FROM deliveries WHERE state = 'pending' AND ?1 = ?1")?,
            due: count(
                "SELECT count(*) FROM deliveries WHERE state = 'pending' AND next_at <= ?1",
            )?,
            done: count("SELECT count(*) FROM deliveries WHERE state = 'done' AND ?1 = ?1")?,
            dropped: count("SELECT count(*) FROM deliveries WHERE state = 'dropped' AND ?1 = ?1")?,
            ..QueueStatus::default()
        };
        let mut stmt = self.conn.prepare(
            "SELECT host, failures, skip_until, last_error FROM hosts WHERE failures > 0 ORDER BY failures DESC LIMIT 20",
        )?;
        status.failing_hosts = stmt
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT inbox, attempts, last_error FROM deliveries WHERE last_error != ''
             ORDER BY id DESC LIMIT 20",
        )?;
        status.recent_errors = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(status)
    }

    /// Takes the named lease until `until` unless someone else holds it.
    pub fn take_lease(&self, name: &str, holder: &str, until: i64, now: i64) -> Result<bool> {
        let taken = self.conn.execute(
            "INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE leases.until <= ?4 OR leases.holder = excluded.holder",
            params![name, holder, until, now],
        )?;
        Ok(taken == 1)
    }

    /// Whether someone holds the named lease now.
    pub fn lease_held(&self, name: &str, now: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM leases WHERE name = ?1 AND until > ?2)",
            params![name, now],
            |row| row.get(0),
        )?)
    }

    pub fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM leases WHERE name = ?1 AND holder = ?2",
            params![name, holder],
        )?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_read_by_a_uri_parser() {
        assert_eq!(url_host("https://Social.Example/inbox"), "social.example");
        assert_eq!(
            url_host("http://127.0.0.1:8443/users/a/inbox"),
            "127.0.0.1:8443"
        );
        // A user part is not the host: mallory@ must not pass for a server.
        assert_eq!(
            url_host("https://mallory@good.example/inbox"),
            "good.example"
        );
        assert_eq!(url_host("not a url"), "");
        assert_eq!(url_host("/relative/inbox"), "");
    }

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), true).unwrap();
        (dir, store)
    }

    #[test]
    fn a_duplicate_activity_is_stored_once() {
        let (_dir, store) = store();
        assert!(
            store
                .inbox_insert(Some("https://a/1"), "a", "Follow", "{}", "{}", 1)
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .inbox_insert(Some("https://a/1"), "a", "Follow", "{}", "{}", 2)
                .unwrap()
                .is_none()
        );
        // Activities without an id cannot be de-duplicated, but are kept.
        assert!(
            store
                .inbox_insert(None, "a", "Like", "{}", "{}", 3)
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .inbox_insert(None, "a", "Like", "{}", "{}", 3)
                .unwrap()
                .is_some()
        );
        assert_eq!(store.inbox_unprocessed(4, 10).unwrap().len(), 3);
        assert_eq!(
            store.inbox_unprocessed(3, 10).unwrap().len(),
            1,
            "the newest may still be in the hands of their request"
        );
    }

    #[test]
    fn deliveries_retry_with_growing_delays_then_give_up() {
        let (_dir, store) = store();
        store
            .enqueue("act", "{}", &["https://b.example/inbox".into()], 100)
            .unwrap();
        assert_eq!(
            store
                .enqueue("act", "{}", &["https://b.example/inbox".into()], 100)
                .unwrap(),
            0
        );
        let claimed = store.claim_deliveries(100, 60, 10).unwrap();
        assert_eq!(claimed.len(), 1);
        // Leased: a second worker does not get it.
        assert!(store.claim_deliveries(100, 60, 10).unwrap().is_empty());
        store
            .finish_delivery(&claimed[0], &DeliveryOutcome::Retry("503".into()), 100)
            .unwrap();
        assert!(store.claim_deliveries(100, 60, 10).unwrap().is_empty());
        assert_eq!(
            store.next_delivery_at().unwrap(),
            Some(100 + retry_delay(1))
        );
        let again = store
            .claim_deliveries(100 + retry_delay(1), 60, 10)
            .unwrap();
        assert_eq!(again[0].attempts, 1);
        let late = 100 + GIVE_UP_AFTER + 1;
        store
            .finish_delivery(&again[0], &DeliveryOutcome::Retry("503".into()), late)
            .unwrap();
        let status = store.queue_status(late).unwrap();
        assert_eq!((status.pending, status.dropped), (0, 1));
    }

    #[test]
    fn a_killed_worker_loses_nothing() {
        let (_dir, store) = store();
        store
            .enqueue("act", "{}", &["https://b.example/inbox".into()], 100)
            .unwrap();
        assert_eq!(store.claim_deliveries(100, 60, 10).unwrap().len(), 1);
        // The worker dies without finishing: after the lease, it is claimed again.
        assert!(store.claim_deliveries(159, 60, 10).unwrap().is_empty());
        assert_eq!(store.claim_deliveries(160, 60, 10).unwrap().len(), 1);
    }

    #[test]
    fn a_capped_claim_leaves_busy_hosts_their_share() {
        let (_dir, store) = store();
        let inboxes: Vec<String> = (0..6)
            .map(|i| format!("https://big.example/u/{i}/inbox"))
            .chain((0..2).map(|i| format!("https://small{i}.example/inbox")))
            .collect();
        store.enqueue("act", "{}", &inboxes, 100).unwrap();
        let claim = |limit, window, busy: &[(&str, usize)]| {
            let busy = busy.iter().map(|(h, n)| (h.to_string(), *n)).collect();
            store
                .claim_deliveries_capped(
                    Claim {
                        now: 100,
                        lease_seconds: 60,
                        limit,
                        per_host: 4,
                        window,
                    },
                    &busy,
                )
                .unwrap()
                .into_iter()
                .map(|d| d.host)
                .collect::<Vec<_>>()
        };
        // One already in flight to big.example: three more of its six.
        let first = claim(10, 100, &[("big.example", 1)]);
        assert_eq!(first.iter().filter(|h| *h == "big.example").count(), 3);
        assert_eq!(first.len(), 5, "{first:?}");
        // Its other three wait until it has room; the limit holds too.
        assert!(claim(10, 100, &[("big.example", 4)]).is_empty());
        assert_eq!(claim(1, 100, &[("big.example", 2)]), ["big.example"]);
        assert_eq!(claim(10, 100, &[("big.example", 3)]), ["big.example"]);
        assert_eq!(claim(10, 100, &[]), ["big.example"]);
        assert!(claim(10, 100, &[]).is_empty(), "all claimed");
    }

    #[test]
    fn a_capped_claim_looks_at_its_window_only() {
        let (_dir, store) = store();
        let inboxes: Vec<String> = (0..6)
            .map(|i| format!("https://big.example/u/{i}/inbox"))
            .chain(["https://small.example/inbox".to_string()])
            .collect();
        store.enqueue("act", "{}", &inboxes, 100).unwrap();
        let busy = [("big.example".to_string(), 4)].into_iter().collect();
        let claim = |window| Claim {
            now: 100,
            lease_seconds: 60,
            limit: 10,
            per_host: 4,
            window,
        };
        assert!(
            store
                .claim_deliveries_capped(claim(6), &busy)
                .unwrap()
                .is_empty()
        );
        let claimed = store.claim_deliveries_capped(claim(7), &busy).unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].host, "small.example");
    }

    #[test]
    fn a_failing_host_is_skipped_for_a_while() {
        let (_dir, store) = store();
        let inboxes: Vec<String> = (0..6)
            .map(|i| format!("https://down.example/u/{i}/inbox"))
            .collect();
        store.enqueue("act", "{}", &inboxes, 100).unwrap();
        store
            .enqueue("act", "{}", &["https://up.example/inbox".into()], 100)
            .unwrap();
        for delivery in store.claim_deliveries(100, 60, 5).unwrap() {
            store
                .finish_delivery(&delivery, &DeliveryOutcome::Retry("timeout".into()), 100)
                .unwrap();
        }
        let hosts: Vec<String> = store
            .claim_deliveries(100, 60, 10)
            .unwrap()
            .into_iter()
            .map(|d| d.host)
            .collect();
        assert_eq!(hosts, ["up.example"], "down.example should be skipped");
    }

    #[test]
    fn one_lease_holder_at_a_time() {
        let (_dir, store) = store();
        assert!(store.take_lease("queue", "a", 200, 100).unwrap());
        assert!(!store.take_lease("queue", "b", 200, 150).unwrap());
        assert!(store.take_lease("queue", "b", 300, 200).unwrap());
        store.release_lease("queue", "b").unwrap();
        assert!(store.take_lease("queue", "c", 300, 201).unwrap());
    }

    #[test]
    fn followers_are_reached_through_shared_inboxes_once() {
        let (_dir, store) = store();
        for (i, shared) in [
            (1, "https://m.example/inbox"),
            (2, "https://m.example/inbox"),
            (3, ""),
        ] {
            let id = format!("https://m.example/users/u{i}");
            store
                .save_remote_actor(&RemoteActor {
                    id: id.clone(),
                    inbox: format!("{id}/inbox"),
                    shared_inbox: shared.into(),
                    fetched_at: 1,
                    ..Default::default()
                })
                .unwrap();
            assert!(store.add_follower(&id, &format!("{id}#follow"), 1).unwrap());
        }
        assert!(
            !store
                .add_follower("https://m.example/users/u1", "again", 2)
                .unwrap()
        );
        assert_eq!(
            store.follower_inboxes().unwrap(),
            [
                "https://m.example/inbox",
                "https://m.example/users/u3/inbox"
            ]
        );
        assert!(store.remove_follower("https://m.example/users/u3").unwrap());
        assert_eq!(store.follower_count().unwrap(), 2);
    }
}
