//! Events: the fields an article of kind 'event' adds, and who takes part.

use anyhow::{Context as _, Result};
use rusqlite::types::ToSqlOutput;
use rusqlite::{OptionalExtension as _, Row, ToSql, params};
use serde::Serialize;

use super::articles::{COLUMNS, from_row};
use super::{Article, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "confirmed",
            EventStatus::Tentative => "tentative",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<EventStatus> {
        match text {
            "confirmed" => Some(EventStatus::Confirmed),
            "tentative" => Some(EventStatus::Tentative),
            "cancelled" => Some(EventStatus::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinMode {
    /// Joins are accepted at once (Mobilizon's `free`).
    Free,
    /// The organizer approves each (Mobilizon's `restricted`).
    Restricted,
    /// Participation happens elsewhere (`external_url`).
    External,
}

impl JoinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinMode::Free => "free",
            JoinMode::Restricted => "restricted",
            JoinMode::External => "external",
        }
    }

    pub fn parse(text: &str) -> Option<JoinMode> {
        match text {
            "free" => Some(JoinMode::Free),
            "restricted" => Some(JoinMode::Restricted),
            "external" => Some(JoinMode::External),
            _ => None,
        }
    }
}

/// What an event adds to an article. Times are UTC seconds, shown in
/// `time_zone`; an all-day event runs from the start of its first day to
/// the end of its last, in that zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventFields {
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub all_day: bool,
    pub place_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub online_url: String,
    pub capacity: Option<i64>,
    pub status: EventStatus,
    pub category: String,
    pub join_mode: JoinMode,
    pub external_url: String,
}

impl EventFields {
    /// The article id and the fields, as ?1 to ?19 of the statements that
    /// store an event (the INSERT and the UPDATE take them in this order).
    fn params<'a>(&'a self, article_id: &'a i64) -> [&'a dyn ToSql; 19] {
        [
            article_id,
            &self.starts_at,
            &self.ends_at,
            &self.time_zone,
            &self.all_day,
            &self.place_name,
            &self.street,
            &self.postal_code,
            &self.city,
            &self.region,
            &self.country,
            &self.latitude,
            &self.longitude,
            &self.online_url,
            &self.capacity,
            &self.status,
            &self.category,
            &self.join_mode,
            &self.external_url,
        ]
    }
}

impl ToSql for EventStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl ToSql for JoinMode {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

const EVENT_COLUMNS: &str = "e.starts_at, e.ends_at, e.time_zone, e.all_day, e.place_name,
    e.street, e.postal_code, e.city, e.region, e.country, e.latitude, e.longitude, e.online_url,
    e.capacity, e.event_status, e.category, e.join_mode, e.external_url, e.sequence";

fn fields_from_row(row: &Row<'_>, at: usize) -> rusqlite::Result<(EventFields, i64)> {
    let status: String = row.get(at + 14)?;
    let join: String = row.get(at + 16)?;
    Ok((
        EventFields {
            starts_at: row.get(at)?,
            ends_at: row.get(at + 1)?,
            time_zone: row.get(at + 2)?,
            all_day: row.get(at + 3)?,
            place_name: row.get(at + 4)?,
            street: row.get(at + 5)?,
            postal_code: row.get(at + 6)?,
            city: row.get(at + 7)?,
            region: row.get(at + 8)?,
            country: row.get(at + 9)?,
            latitude: row.get(at + 10)?,
            longitude: row.get(at + 11)?,
            online_url: row.get(at + 12)?,
            capacity: row.get(at + 13)?,
            status: EventStatus::parse(&status).unwrap_or(EventStatus::Confirmed),
            category: row.get(at + 15)?,
            join_mode: JoinMode::parse(&join).unwrap_or(JoinMode::Free),
            external_url: row.get(at + 17)?,
        },
        row.get(at + 18)?,
    ))
}

/// An article row followed by its event columns (`COLUMNS`, then
/// `EVENT_COLUMNS`, which start at column 21).
fn event_row(row: &Row<'_>) -> rusqlite::Result<EventRow> {
    let article = from_row(row)?;
    let (fields, sequence) = fields_from_row(row, 21)?;
    Ok(EventRow {
        article,
        fields,
        sequence,
    })
}

/// A published event with its fields and iCalendar sequence.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub article: Article,
    pub fields: EventFields,
    pub sequence: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParticipantState {
    Pending,
    Accepted,
    Rejected,
}

impl ParticipantState {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipantState::Pending => "pending",
            ParticipantState::Accepted => "accepted",
            ParticipantState::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    pub id: i64,
    pub event_id: i64,
    pub actor_id: String,
    pub handle: String,
    pub name: String,
    pub join_id: String,
    /// `fediverse` or `web`.
    pub via: String,
    pub state: ParticipantState,
    pub created_at: i64,
}

/// What a join request became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    Accepted,
    Pending,
    /// No place left.
    Full,
    /// Already in the list (in this state).
    AlreadyThere(ParticipantState),
}

fn participant_from_row(row: &Row<'_>) -> rusqlite::Result<Participant> {
    let state: String = row.get(7)?;
    Ok(Participant {
        id: row.get(0)?,
        event_id: row.get(1)?,
        actor_id: row.get(2)?,
        handle: row.get(3)?,
        name: row.get(4)?,
        join_id: row.get(5)?,
        via: row.get(6)?,
        state: match state.as_str() {
            "accepted" => ParticipantState::Accepted,
            "pending" => ParticipantState::Pending,
            _ => ParticipantState::Rejected,
        },
        created_at: row.get(8)?,
    })
}

const PARTICIPANT_COLUMNS: &str =
    "id, event_id, actor_id, handle, name, join_id, via, state, created_at";

impl Store {
    /// Makes an article an event with these fields.
    pub fn insert_event(&self, article_id: i64, fields: &EventFields) -> Result<()> {
        self.conn.execute(
            "UPDATE articles SET kind = 'event' WHERE id = ?1",
            [article_id],
        )?;
        self.conn.execute(
            "INSERT INTO events (article_id, starts_at, ends_at, time_zone, all_day, place_name,
                street, postal_code, city, region, country, latitude, longitude, online_url,
                capacity, event_status, category, join_mode, external_url)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            fields.params(&article_id),
        )
        .context("cannot store the event")?;
        // An event is not in the article lists.
        self.relist(article_id)?;
        Ok(())
    }

    pub fn event_fields(&self, article_id: i64) -> Result<Option<(EventFields, i64)>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events e WHERE e.article_id = ?1"
            ))?
            .query_row([article_id], |row| fields_from_row(row, 0))
            .optional()?)
    }

    /// Replaces an event's fields; when they changed, the iCalendar
    /// sequence and the article's version go up (calendars and the
    /// fediverse must hear of it). True when something changed.
    pub fn update_event(&self, article_id: i64, fields: &EventFields, now: i64) -> Result<bool> {
        let Some((before, _)) = self.event_fields(article_id)? else {
            anyhow::bail!("article {article_id} is not an event");
        };
        if &before == fields {
            return Ok(false);
        }
        self.conn.execute(
            "UPDATE events SET starts_at = ?2, ends_at = ?3, time_zone = ?4, all_day = ?5,
                place_name = ?6, street = ?7, postal_code = ?8, city = ?9, region = ?10,
                country = ?11, latitude = ?12, longitude = ?13, online_url = ?14, capacity = ?15,
                event_status = ?16, category = ?17, join_mode = ?18, external_url = ?19,
                sequence = sequence + 1
             WHERE article_id = ?1",
            fields.params(&article_id),
        )?;
        self.conn.execute(
            "UPDATE articles SET version = version + 1, updated_at = ?2 WHERE id = ?1",
            params![article_id, now],
        )?;
        Ok(true)
    }

    /// Published events, soonest first, ending after `now` (upcoming) or
    /// latest first, ended before it (past).
    pub fn published_events(
        &self,
        now: i64,
        upcoming: bool,
        limit: usize,
    ) -> Result<Vec<EventRow>> {
        let condition = if upcoming {
            "e.ends_at >= ?1 ORDER BY e.starts_at ASC, a.id ASC"
        } else {
            "e.ends_at < ?1 ORDER BY e.starts_at DESC, a.id DESC"
        };
        // CROSS JOIN keeps events as the outer loop, read in start order by
        // its index: left to itself, SQLite walked every published article
        // to find the events (a 10,000-article site paid it in each publish,
        // since the home page shows the next events).
        let sql = format!(
            "SELECT {COLUMNS}, {EVENT_COLUMNS} FROM events e CROSS JOIN articles a ON a.id = e.article_id
             WHERE a.status = 'published' AND {condition} LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![now, super::count_param(limit)], event_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One event with its fields, whatever its status.
    pub fn event(&self, article_id: i64) -> Result<Option<EventRow>> {
        let sql = format!(
            "SELECT {COLUMNS}, {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id
             WHERE a.id = ?1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([article_id], event_row)
            .optional()?)
    }

    pub fn participants(&self, event_id: i64) -> Result<Vec<Participant>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE event_id = ?1 ORDER BY created_at, id"
        ))?;
        let rows = stmt
            .query_map([event_id], participant_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn participant(&self, id: i64) -> Result<Option<Participant>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE id = ?1"
            ))?
            .query_row([id], participant_from_row)
            .optional()?)
    }

    pub fn participant_by_actor(
        &self,
        event_id: i64,
        actor_id: &str,
    ) -> Result<Option<Participant>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE event_id = ?1 AND actor_id = ?2"
            ))?
            .query_row(params![event_id, actor_id], participant_from_row)
            .optional()?)
    }

    /// Accepted participants (what takes a place).
    pub fn accepted_count(&self, event_id: i64) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM participants WHERE event_id = ?1 AND state = 'accepted'",
            [event_id],
            |row| row.get(0),
        )?)
    }

    /// Registers a participant, accepted at once or pending, or refuses
    /// when the event is full. Call inside a transaction: the count and
    /// the insert must see the same list.
    #[allow(clippy::too_many_arguments)]
    pub fn join_event(
        &self,
        event_id: i64,
        actor_id: &str,
        handle: &str,
        name: &str,
        join_id: &str,
        via: &str,
        approve_first: bool,
        capacity: Option<i64>,
        now: i64,
    ) -> Result<JoinOutcome> {
        if let Some(existing) = self.participant_by_actor(event_id, actor_id)? {
            if existing.state != ParticipantState::Rejected {
                return Ok(JoinOutcome::AlreadyThere(existing.state));
            }
            self.conn
                .execute("DELETE FROM participants WHERE id = ?1", [existing.id])?;
        }
        if capacity.is_some_and(|c| self.accepted_count(event_id).is_ok_and(|n| n >= c)) {
            return Ok(JoinOutcome::Full);
        }
        let state = if approve_first {
            ParticipantState::Pending
        } else {
            ParticipantState::Accepted
        };
        self.conn.execute(
            "INSERT INTO participants (event_id, actor_id, handle, name, join_id, via, state, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![event_id, actor_id, handle, name, join_id, via, state.as_str(), now],
        )?;
        Ok(if approve_first {
            JoinOutcome::Pending
        } else {
            JoinOutcome::Accepted
        })
    }

    pub fn set_participant_state(
        &self,
        id: i64,
        state: ParticipantState,
        now: i64,
    ) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE participants SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), now],
        )? == 1)
    }

    /// Removes a participant (Leave, Undo Join, cancelled on the page, or
    /// removed by the organizer); returns the one removed.
    pub fn remove_participant(&self, event_id: i64, actor_id: &str) -> Result<Option<Participant>> {
        let found = self.participant_by_actor(event_id, actor_id)?;
        if let Some(p) = &found {
            self.conn
                .execute("DELETE FROM participants WHERE id = ?1", [p.id])?;
        }
        Ok(found)
    }

    /// The participant a Join activity made, by its id.
    pub fn participant_by_join(&self, join_id: &str) -> Result<Option<Participant>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE join_id = ?1 AND join_id != ''"
            ))?
            .query_row([join_id], participant_from_row)
            .optional()?)
    }
}
