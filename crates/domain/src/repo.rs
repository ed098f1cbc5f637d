//! What every repository port returns: the errors persistence maps its own failures into, and
//! cursor pagination.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ids::UserId;

/// A persistence failure, in terms the services and the API understand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepoError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or state conflict, naming the field where there is one.
    #[error("conflict on {field}: {message}")]
    Conflict { field: String, message: String },
    /// The database failed; the cause goes to the log, never to the client.
    #[error("database error: {0}")]
    Unavailable(String),
    /// The database could not be reached: connection refused or lost, or no connection came
    /// free in time. Worth retrying shortly; the cause goes to the log.
    #[error("database unreachable: {0}")]
    Unreachable(String),
}

pub type RepoResult<T> = Result<T, RepoError>;

/// `err` and its sources, outermost first, as one line (a source whose text the line already
/// holds is not repeated): the cause chain an operator reads in the log.
#[must_use]
pub fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut line = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = s.source();
    }
    line
}

/// A page request: items after `after` (ids are UUID v7, so they sort by creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub after: Option<Uuid>,
}

/// One page of a list, with the total across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_after: Option<Uuid>,
    pub total: u64,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows: the extra row only says a next page exists.
    pub fn from_overfetch<I: Into<Uuid>>(mut rows: Vec<T>, limit: u64, total: u64, id_of: impl Fn(&T) -> I) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let next_after = if has_more { rows.last().map(|r| id_of(r).into()) } else { None };
        Page { items: rows, next_after, total }
    }

    /// Pages a list already filtered and ordered in memory (small per-organisation collections
    /// whose filters are computed, not stored): the items after `page.after`, `limit` of them.
    pub fn of_list<I: Into<Uuid>>(items: Vec<T>, page: PageRequest, id_of: impl Fn(&T) -> I) -> Self {
        let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
        let start = match page.after {
            Some(after) => items.iter().position(|x| id_of(x).into() == after).map_or(items.len(), |i| i + 1),
            None => 0,
        };
        let take = usize::try_from(page.limit.saturating_add(1)).unwrap_or(usize::MAX);
        Self::from_overfetch(items.into_iter().skip(start).take(take).collect(), page.limit, total, id_of)
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_after: self.next_after, total: self.total }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overfetched_row_means_there_is_a_next_page() {
        let ids: Vec<Uuid> = (1..=4).map(Uuid::from_u128).collect();
        let page = Page::from_overfetch(ids.clone(), 3, 10, |u| *u);
        assert_eq!(page.items.len(), 3);
        assert_eq!(page.next_after, Some(Uuid::from_u128(3)));
        let last = Page::from_overfetch(ids[..2].to_vec(), 3, 10, |u| *u);
        assert_eq!(last.next_after, None);
        assert_eq!(last.total, 10);
    }

    #[test]
    fn an_in_memory_list_pages_after_the_cursor_and_counts_everything() {
        let ids: Vec<Uuid> = (1..=5).map(Uuid::from_u128).collect();
        let first = Page::of_list(ids.clone(), PageRequest { limit: 2, after: None }, |u| *u);
        assert_eq!((first.items.len(), first.total, first.next_after), (2, 5, Some(Uuid::from_u128(2))));
        let last = Page::of_list(ids.clone(), PageRequest { limit: 3, after: first.next_after }, |u| *u);
        assert_eq!(last.items, ids[2..].to_vec());
        assert_eq!(last.next_after, None);
        let gone = Page::of_list(ids, PageRequest { limit: 3, after: Some(Uuid::from_u128(99)) }, |u| *u);
        assert!(gone.items.is_empty(), "an unknown cursor is past the end");
    }
}

/// A response stored under an `Idempotency-Key`, replayed when the same key comes again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// Hash of the method, path and body that first used the key: a different request under the
    /// same key is refused rather than answered with the wrong response.
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// Persistence of idempotency records, per user and key.
#[async_trait::async_trait]
pub trait IdempotencyRepo: Send + Sync {
    /// The response stored under the key on or after `since`.
    async fn stored_response(
        &self,
        user_id: UserId,
        key: &str,
        since: DateTime<Utc>,
    ) -> RepoResult<Option<StoredResponse>>;
    /// Stores the response unless the key was stored meanwhile; `false` then.
    async fn store_response(
        &self,
        user_id: UserId,
        key: &str,
        response: &StoredResponse,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// Deletes the responses stored before `before`.
    async fn purge_responses(&self, before: DateTime<Utc>) -> RepoResult<u64>;
}

/// Every repository port, as one bound: what a [`Store`] and a [`UnitOfWork`] both offer.
pub trait Repos:
    crate::accounts::AccountRepo
    + crate::org::OrgRepo
    + IdempotencyRepo
    + crate::history::HistoryRepo
    + crate::notifications::NotificationRepo
    + crate::consultations::ConsultationRepo
    + crate::meetings::records::MeetingRepo
    + crate::action_plans::records::ActionPlanRepo
    + crate::budget::process::BudgetRepo
    + crate::surveys::SurveyRepo
    + crate::search::SearchRepo
    + crate::comments::CommentRepo
    + crate::mail::OutboxRepo
    + crate::reports::ReportRepo
    + crate::rate_limit::RateLimitRepo
    + crate::budget_execution::BudgetExecutionRepo
    + crate::files::FileRepo
    + crate::documents::DocumentRepo
    + crate::pages::ContentPageRepo
    + crate::invitations::InvitationRepo
    + crate::residency::ResidencyRepo
    + crate::webhooks::WebhookRepo
    + crate::privacy::PrivacyRepo
    + crate::programmes::ProgrammeRepo
    + Send
    + Sync
{
}

impl<T> Repos for T where
    T: crate::accounts::AccountRepo
        + crate::org::OrgRepo
        + IdempotencyRepo
        + crate::history::HistoryRepo
        + crate::notifications::NotificationRepo
        + crate::consultations::ConsultationRepo
        + crate::meetings::records::MeetingRepo
        + crate::action_plans::records::ActionPlanRepo
        + crate::budget::process::BudgetRepo
        + crate::surveys::SurveyRepo
        + crate::search::SearchRepo
        + crate::comments::CommentRepo
        + crate::mail::OutboxRepo
        + crate::reports::ReportRepo
        + crate::rate_limit::RateLimitRepo
        + crate::budget_execution::BudgetExecutionRepo
        + crate::files::FileRepo
        + crate::documents::DocumentRepo
        + crate::pages::ContentPageRepo
        + crate::invitations::InvitationRepo
        + crate::residency::ResidencyRepo
        + crate::webhooks::WebhookRepo
        + crate::privacy::PrivacyRepo
        + crate::programmes::ProgrammeRepo
        + Send
        + Sync
        + ?Sized
{
}

/// Everything the application needs from its database.
#[async_trait::async_trait]
pub trait Store: Repos {
    /// Checks that the database answers.
    async fn ping(&self) -> RepoResult<()>;

    /// Starts a unit of work: every write through it is committed together by
    /// [`UnitOfWork::commit`], or none is (dropping it uncommitted rolls back). On SQLite it takes
    /// the write lock at once, so its reads stay valid until it commits.
    async fn begin(&self) -> RepoResult<Box<dyn UnitOfWork>>;
}

/// The repository ports inside one database transaction: a use case that writes several rows
/// makes all of its writes through one of these.
#[async_trait::async_trait]
pub trait UnitOfWork: Repos {
    /// Makes every write of this unit of work durable and visible at once.
    async fn commit(self: Box<Self>) -> RepoResult<()>;
}
