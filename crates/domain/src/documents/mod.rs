//! An organisation's documents library: legal acts, reports, publications, minutes and education
//! materials, each with a title and description in the organisation's languages, a publication
//! date and its files (uploaded through the file service, owned by the document). A document is
//! public from its publication date (staff see it before). Staff link documents to the action
//! plans, meetings, consultations and budgets they belong with; those resources list them.

mod service;

pub use service::{DocumentChanges, DocumentQuery, DocumentService, DocumentView, NewDocument};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::i18n::LocalizedText;
use crate::ids::{BudgetId, ConsultationId, DocumentId, MeetingId, OrgId, PlanId, UserId};
use crate::repo::{RepoError, RepoResult};

/// The library's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LegalActs,
    Reports,
    Publications,
    Minutes,
    Education,
}

impl Category {
    pub const ALL: [Category; 5] =
        [Category::LegalActs, Category::Reports, Category::Publications, Category::Minutes, Category::Education];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::LegalActs => "legal_acts",
            Category::Reports => "reports",
            Category::Publications => "publications",
            Category::Minutes => "minutes",
            Category::Education => "education",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A document of the library (its files are in the file service, owned by it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    pub id: DocumentId,
    pub org_id: OrgId,
    pub category: Category,
    pub title: LocalizedText,
    pub description: LocalizedText,
    /// Public from this day (in the organisation's time zone).
    pub published_on: NaiveDate,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Document {
    /// The text the `?q=` filter searches: every title and description, folded to lower-case
    /// ASCII (accents and scripts ignored).
    #[must_use]
    pub fn search_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for t in [&self.title, &self.description] {
            for l in t.locales() {
                if let Some(s) = t.get(l) {
                    parts.push(fold(s));
                }
            }
        }
        parts.join(" ")
    }
}

/// Lower-case ASCII of `s`, as the `?q=` filter compares.
#[must_use]
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// A resource documents are linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    ActionPlan(PlanId),
    Meeting(MeetingId),
    Consultation(ConsultationId),
    Budget(BudgetId),
}

impl LinkTarget {
    #[must_use]
    pub fn type_str(self) -> &'static str {
        match self {
            LinkTarget::ActionPlan(_) => "action_plan",
            LinkTarget::Meeting(_) => "meeting",
            LinkTarget::Consultation(_) => "consultation",
            LinkTarget::Budget(_) => "budget",
        }
    }

    #[must_use]
    pub fn id(self) -> Uuid {
        match self {
            LinkTarget::ActionPlan(id) => id.into(),
            LinkTarget::Meeting(id) => id.into(),
            LinkTarget::Consultation(id) => id.into(),
            LinkTarget::Budget(id) => id.into(),
        }
    }

    /// Reads a target back from its stored parts.
    #[must_use]
    pub fn from_parts(kind: &str, id: Uuid) -> Option<Self> {
        match kind {
            "action_plan" => Some(LinkTarget::ActionPlan(id.into())),
            "meeting" => Some(LinkTarget::Meeting(id.into())),
            "consultation" => Some(LinkTarget::Consultation(id.into())),
            "budget" => Some(LinkTarget::Budget(id.into())),
            _ => None,
        }
    }

    /// What "not found" names.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            LinkTarget::ActionPlan(_) => "action plan",
            LinkTarget::Meeting(_) => "meeting",
            LinkTarget::Consultation(_) => "consultation",
            LinkTarget::Budget(_) => "budget",
        }
    }
}

/// What the repository selects; the service orders and pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    pub category: Option<Category>,
    /// Published in this calendar year.
    pub year: Option<i32>,
    /// Every word in the folded [`Document::search_text`].
    pub words: Vec<String>,
    /// Only those published on or before this day (`None`: staff see every one).
    pub published_by: Option<NaiveDate>,
}

/// Persistence of documents and their links.
#[async_trait::async_trait]
pub trait DocumentRepo: Send + Sync {
    async fn create_document(&self, d: &Document) -> RepoResult<()>;
    /// `Conflict` when `updated_at` is no longer `expected`.
    async fn update_document(&self, d: &Document, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn document(&self, org_id: OrgId, id: DocumentId) -> RepoResult<Option<Document>>;
    /// [`Self::document`] with its files (by id) and what it is linked to (as
    /// [`Self::document_links`]), in one statement.
    async fn document_read(
        &self,
        org_id: OrgId,
        id: DocumentId,
    ) -> RepoResult<Option<(Document, Vec<crate::files::StoredFile>, Vec<LinkTarget>)>>;
    /// The organisation's documents matching `filter`, newest publication first (then newest id).
    async fn documents(&self, org_id: OrgId, filter: &DocumentFilter) -> RepoResult<Vec<Document>>;
    /// Deletes the document with its links; `false` when it was gone.
    async fn delete_document(&self, id: DocumentId) -> RepoResult<bool>;
    /// Links once (a repeat changes nothing); `true` when the link is new.
    async fn link_document(
        &self,
        org_id: OrgId,
        id: DocumentId,
        target: LinkTarget,
        at: DateTime<Utc>,
    ) -> RepoResult<bool>;
    /// `false` when there was no such link.
    async fn unlink_document(&self, id: DocumentId, target: LinkTarget) -> RepoResult<bool>;
    /// The documents linked to `target`, newest publication first.
    async fn linked_documents(&self, org_id: OrgId, target: LinkTarget) -> RepoResult<Vec<Document>>;
    /// What a document is linked to.
    async fn document_links(&self, id: DocumentId) -> RepoResult<Vec<LinkTarget>>;
    /// What each of several documents is linked to, in one statement.
    async fn documents_links(&self, ids: &[DocumentId]) -> RepoResult<Vec<(DocumentId, LinkTarget)>>;
}

/// Why a document use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `document`, `link`, or the linked resource.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the document was changed by someone else; reload and try again")]
    Stale,
    /// A field breaks a rule: its name in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(DocumentError);

impl From<RepoError> for DocumentError {
    fn from(e: RepoError) -> Self {
        DocumentError::Repo(e)
    }
}

pub(crate) fn invalid(field: impl Into<String>, message: impl ToString) -> DocumentError {
    DocumentError::Invalid { field: field.into(), message: message.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn categories_and_targets_round_trip_through_their_names() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("leaflets"), None);
        let id = Uuid::now_v7();
        for t in ["action_plan", "meeting", "consultation", "budget"] {
            assert_eq!(LinkTarget::from_parts(t, id).map(LinkTarget::type_str), Some(t));
        }
        assert_eq!(LinkTarget::from_parts("survey", id), None);
    }

    #[test]
    fn the_search_text_folds_every_language() {
        let d = Document {
            id: DocumentId::new_v7(),
            org_id: OrgId::new_v7(),
            category: Category::LegalActs,
            title: LocalizedText::from([(Locale::Pl, "Uchwała Rady Miejskiej"), (Locale::En, "Council resolution")]),
            description: LocalizedText::from([(Locale::SrCyrl, "Одлука о буџету")]),
            published_on: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default(),
            created_by: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let s = d.search_text();
        assert!(s.contains("uchwala rady miejskiej") && s.contains("council resolution"), "{s}");
        assert!(s.contains("odluka o budzhetu") || s.contains("odluka o budzetu"), "{s}");
        assert_eq!(fold("Zápisnica"), "zapisnica");
    }
}
