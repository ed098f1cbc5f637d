//! The public, append-only history of anything whose progress residents follow: a commitment
//! and its milestones, a winning budget project under construction. Entries are progress updates
//! (dated text with evidence) or status changes (from → to, by whom, when). Nothing here can be
//! edited or deleted: a mistake is corrected by a new entry that says so.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{OrgId, UserId};

use crate::i18n::LocalizedText;
use crate::repo::{Page, PageRequest, RepoResult};

/// What kind of thing an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Commitment,
    Milestone,
    BudgetProject,
}

impl SubjectKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Commitment => "commitment",
            SubjectKind::Milestone => "milestone",
            SubjectKind::BudgetProject => "budget_project",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [SubjectKind::Commitment, SubjectKind::Milestone, SubjectKind::BudgetProject]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A link offered as evidence of progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub url: String,
    pub title: Option<String>,
}

/// What an entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EntryKind {
    /// A progress update written by staff.
    Update {
        text: LocalizedText,
        evidence: Vec<Evidence>,
        /// Money spent so far, in minor units, where the subject has a budget.
        amount_spent: Option<i64>,
    },
    /// A status change, written by the system when staff change the status.
    StatusChange { from: Option<String>, to: String, reason: Option<String> },
}

/// One line of a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: Uuid,
    pub org_id: OrgId,
    pub subject: SubjectKind,
    pub subject_id: Uuid,
    /// The commitment or project the subject belongs to, so a commitment's history includes
    /// its milestones' entries.
    pub parent_id: Option<Uuid>,
    pub entry: EntryKind,
    /// The day the update is about (may be earlier than when it was written).
    pub occurred_on: NaiveDate,
    pub author_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// Why an update was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error("an evidence link must be an http(s) URL of at most 2000 characters")]
    BadEvidence,
    #[error("at most 20 evidence links")]
    TooMuchEvidence,
    #[error("the amount spent cannot be negative")]
    NegativeAmount,
    #[error("an update cannot be dated in the future")]
    FutureDate,
}

/// Checks an update's evidence, amount and date.
///
/// # Errors
/// The first rule broken.
pub fn check_update(
    evidence: &[Evidence],
    amount_spent: Option<i64>,
    occurred_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), UpdateError> {
    if evidence.len() > 20 {
        return Err(UpdateError::TooMuchEvidence);
    }
    if evidence.iter().any(|e| {
        !(e.url.starts_with("https://") || e.url.starts_with("http://"))
            || e.url.len() > 2000
            || e.url.contains(char::is_whitespace)
    }) {
        return Err(UpdateError::BadEvidence);
    }
    if amount_spent.is_some_and(|a| a < 0) {
        return Err(UpdateError::NegativeAmount);
    }
    if occurred_on > today {
        return Err(UpdateError::FutureDate);
    }
    Ok(())
}

/// Persistence of histories: append and read, nothing else.
#[async_trait::async_trait]
pub trait HistoryRepo: Send + Sync {
    async fn append_history(&self, entry: &HistoryEntry) -> RepoResult<()>;
    /// Entries about `subject_id` or whose parent it is, oldest first.
    async fn history(&self, subject_id: Uuid, page: PageRequest) -> RepoResult<Page<HistoryEntry>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn evidence_must_be_web_links() {
        let ok = [Evidence { url: "https://www.banskabystrica.sk/ogp".into(), title: None }];
        assert!(check_update(&ok, None, d("2022-01-01"), d("2022-01-02")).is_ok());
        let bad = [Evidence { url: "javascript:alert(1)".into(), title: None }];
        assert_eq!(check_update(&bad, None, d("2022-01-01"), d("2022-01-02")), Err(UpdateError::BadEvidence));
        let many = vec![ok[0].clone(); 21];
        assert_eq!(check_update(&many, None, d("2022-01-01"), d("2022-01-02")), Err(UpdateError::TooMuchEvidence));
    }

    #[test]
    fn amounts_are_not_negative_and_dates_not_in_the_future() {
        assert_eq!(check_update(&[], Some(-1), d("2022-01-01"), d("2022-01-02")), Err(UpdateError::NegativeAmount));
        assert_eq!(check_update(&[], Some(0), d("2022-01-03"), d("2022-01-02")), Err(UpdateError::FutureDate));
    }

    #[test]
    fn subject_kinds_round_trip_through_their_names() {
        for k in [SubjectKind::Commitment, SubjectKind::Milestone, SubjectKind::BudgetProject] {
            assert_eq!(SubjectKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(SubjectKind::parse("meeting"), None);
    }
}
