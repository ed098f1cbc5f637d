//! Full-text search over everything an organisation shows the public: action plans, commitments
//! (with their milestones), meetings, consultations, surveys, budget processes and proposals.
//!
//! The domain decides what is indexed and how: [`Document`]'s constructors say which resources
//! an anonymous visitor may see (a draft plan and its commitments are not indexed) and what text
//! each contributes in every language it holds; [`fold`] is the one folding applied to the
//! indexed text and to the query; [`snippet`] highlights the original text. Persistence keeps the
//! index in the same transaction as every write (a SQLite FTS5 table or a PostgreSQL `tsvector`
//! with a GIN index) and answers [`SearchRepo::search`].

mod fold;
mod service;
mod snippet;

pub use fold::{fold, index_words, words};
pub use service::{DEFAULT_CACHED_PAGES, Hit, SearchParams, SearchResults, SearchService};
pub use snippet::{Segment, snippet};

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::action_plans::records::{ActionPlan, Commitment, Milestone};
use crate::budget::process::{Budget, Proposal};
use crate::consultations::Consultation;
use crate::i18n::{Locale, LocalizedText};
use crate::ids::OrgId;
use crate::meetings::records::Meeting;
use crate::repo::{RepoError, RepoResult};
use crate::surveys::records::Survey;

/// The version of what [`Document`] indexes and how [`fold`] folds: raise it when either changes,
/// and the server rebuilds the index after migrating.
pub const INDEX_VERSION: i32 = 3;

/// The longest query, in characters.
pub const QUERY_MAX: usize = 200;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ActionPlan,
    Commitment,
    Meeting,
    Consultation,
    Survey,
    Budget,
    Proposal,
    Report,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::ActionPlan,
        Kind::Commitment,
        Kind::Meeting,
        Kind::Consultation,
        Kind::Survey,
        Kind::Budget,
        Kind::Proposal,
        Kind::Report,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ActionPlan => "action_plan",
            Kind::Commitment => "commitment",
            Kind::Meeting => "meeting",
            Kind::Consultation => "consultation",
            Kind::Survey => "survey",
            Kind::Budget => "budget",
            Kind::Proposal => "proposal",
            Kind::Report => "report",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A query as the index matches it: folded words, all required, the last one also as a prefix
/// (search as you type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<String>,
}

/// Why a query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query must contain a letter or a digit")]
    Empty,
    #[error("the query is longer than {QUERY_MAX} characters")]
    TooLong,
}

impl SearchQuery {
    /// # Errors
    /// [`QueryError::Empty`] when `q` has no letter or digit; [`QueryError::TooLong`] past
    /// [`QUERY_MAX`] characters.
    pub fn parse(q: &str) -> Result<Self, QueryError> {
        if q.chars().count() > QUERY_MAX {
            return Err(QueryError::TooLong);
        }
        let terms = words(q);
        if terms.is_empty() { Err(QueryError::Empty) } else { Ok(SearchQuery { terms }) }
    }

    /// The folded words, never empty; each is ASCII letters and digits only.
    #[must_use]
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Whether a folded word matches a term: a whole term, or a prefix for the last one.
    #[must_use]
    pub fn matches_word(&self, folded: &str) -> bool {
        match self.terms.split_last() {
            Some((last, rest)) => folded.starts_with(last.as_str()) || rest.iter().any(|t| t == folded),
            None => false,
        }
    }
}

/// What one public resource puts in the index: its title and its other text, each in every
/// language it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: Kind,
    pub id: Uuid,
    pub org_id: OrgId,
    /// What the resource's page is under: a commitment's plan, a proposal's budget.
    pub parent_id: Option<Uuid>,
    pub title: LocalizedText,
    pub body: LocalizedText,
}

/// Collects a body per language from localized and plain parts (plain ones, such as an address
/// or a department's name, go into every language).
#[derive(Default)]
struct Body {
    parts: BTreeMap<Locale, Vec<String>>,
    plain: Vec<String>,
}

impl Body {
    fn text(mut self, t: &LocalizedText) -> Self {
        for l in t.locales() {
            if let Some(s) = t.get(l).filter(|s| !s.trim().is_empty()) {
                self.parts.entry(l).or_default().push(s.to_owned());
            }
        }
        self
    }

    fn plain(mut self, s: Option<&str>) -> Self {
        if let Some(s) = s.filter(|s| !s.trim().is_empty()) {
            self.plain.push(s.to_owned());
        }
        self
    }

    fn build(self, title: &LocalizedText) -> LocalizedText {
        let mut out = LocalizedText::default();
        let mut locales: Vec<Locale> = self.parts.keys().copied().collect();
        for l in title.locales() {
            if !locales.contains(&l) {
                locales.push(l);
            }
        }
        for l in locales {
            let mut all = self.parts.get(&l).cloned().unwrap_or_default();
            all.extend(self.plain.iter().cloned());
            if !all.is_empty() {
                out.insert(l, all.join("\n"));
            }
        }
        out
    }
}

impl Document {
    fn new(kind: Kind, id: Uuid, org_id: OrgId, parent_id: Option<Uuid>, title: &LocalizedText, body: Body) -> Self {
        Document { kind, id, org_id, parent_id, body: body.build(title), title: title.clone() }
    }

    /// An action plan, unless it is a draft (residents do not see drafts).
    #[must_use]
    pub fn plan(p: &ActionPlan) -> Option<Self> {
        p.status.is_public().then(|| {
            Self::new(Kind::ActionPlan, p.id.into(), p.org_id, None, &p.title, Body::default().text(&p.description))
        })
    }

    /// A commitment with its milestones' titles and deliverables, when its plan is public.
    #[must_use]
    pub fn commitment(c: &Commitment, plan_public: bool, milestones: &[Milestone]) -> Option<Self> {
        if !plan_public {
            return None;
        }
        let mut body = Body::default().text(&c.problem).text(&c.status_quo).text(&c.objective).plain(Some(&c.lead));
        for a in &c.supporting_actors {
            body = body.plain(Some(a));
        }
        body = body.plain(c.theme.as_deref());
        for m in milestones {
            body = body.text(&m.title).text(&m.deliverable);
        }
        Some(Self::new(Kind::Commitment, c.id.into(), c.org_id, Some(c.action_plan_id.into()), &c.title, body))
    }

    /// A meeting (all are public, cancelled ones too, with their reason).
    #[must_use]
    pub fn meeting(m: &Meeting) -> Self {
        let mut body = Body::default().text(&m.description);
        for a in &m.agenda {
            body = body.text(&a.title);
        }
        if let Some(minutes) = &m.minutes {
            body = body.text(&html_text(minutes));
        }
        body = body.plain(Some(&m.organiser)).plain(m.address.as_deref()).plain(m.cancel_reason.as_deref());
        Self::new(Kind::Meeting, m.id.into(), m.org_id, None, &m.title, body)
    }

    /// A consultation (all are public, planned ones too) with its report once published.
    #[must_use]
    pub fn consultation(c: &Consultation) -> Self {
        let mut body = Body::default().text(&c.summary).text(&c.body);
        for s in &c.sections {
            body = body.text(&s.title);
        }
        if let Some(r) = &c.report {
            body = body.text(&r.text);
        }
        Self::new(Kind::Consultation, c.id.into(), c.org_id, None, &c.title, body)
    }

    /// A survey (surveys are public).
    #[must_use]
    pub fn survey(s: &Survey) -> Self {
        Self::new(Kind::Survey, s.id.into(), s.org_id, None, &s.title, Body::default().text(&s.description))
    }

    /// A participatory-budget process (all are public).
    #[must_use]
    pub fn budget(b: &Budget) -> Self {
        let mut body = Body::default().text(&b.rules_text);
        for d in &b.districts {
            body = body.text(&d.name);
        }
        Self::new(Kind::Budget, b.id.into(), b.org_id, None, &b.title, body)
    }

    /// A budget proposal (all are public, as the proposal list shows them).
    #[must_use]
    pub fn proposal(p: &Proposal) -> Self {
        let body = Body::default()
            .text(&p.description)
            .plain(p.location.as_deref())
            .plain(p.district.as_deref())
            .plain(p.category.as_deref())
            .plain(Some(p.code.as_str()).filter(|c| c.len() < 36));
        Self::new(Kind::Proposal, p.id.into(), p.org_id, Some(p.budget_id.into()), &p.title, body)
    }

    /// A resident's report or proposal (all are public), in the language it was written in.
    #[must_use]
    pub fn report(r: &crate::reports::Report) -> Self {
        let title = LocalizedText::from([(r.locale, r.title.as_str())]);
        let body = Body::default()
            .text(&LocalizedText::from([(r.locale, r.description.as_str())]))
            .plain(r.address.as_deref());
        Self::new(Kind::Report, r.id.into(), r.org_id, None, &title, body)
    }

    /// Every title translation, folded: what the index weighs highest.
    #[must_use]
    pub fn folded_title(&self) -> String {
        fold_all(&self.title)
    }

    /// Every body translation, folded.
    #[must_use]
    pub fn folded_body(&self) -> String {
        fold_all(&self.body)
    }
}

/// The text of sanitised HTML (a meeting's minutes): tags dropped, the few entities the sanitiser
/// writes decoded, so neither the index nor a snippet shows markup.
fn html_text(html: &LocalizedText) -> LocalizedText {
    let mut out = LocalizedText::default();
    for l in html.locales() {
        let Some(h) = html.get(l) else { continue };
        let mut text = String::with_capacity(h.len());
        let mut in_tag = false;
        for c in h.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    if !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        out.insert(l, text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

fn fold_all(t: &LocalizedText) -> String {
    t.locales()
        .into_iter()
        .filter_map(|l| t.get(l).map(|text| index_words(text, matches!(l, Locale::SrLatn | Locale::SrCyrl)).join(" ")))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A page of matching documents, best first, with how many match of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    pub documents: Vec<Document>,
    /// Matches per kind across all pages (kinds with none are left out), whatever the kind filter.
    pub counts: Vec<(Kind, u64)>,
}

/// The search index.
#[async_trait::async_trait]
pub trait SearchRepo: Send + Sync {
    /// The organisation's documents matching `q`, ranked (title matches first), `limit` of them
    /// after skipping `offset`, only of `kind` when given.
    async fn search(
        &self,
        org_id: OrgId,
        q: &SearchQuery,
        kind: Option<Kind>,
        limit: u64,
        offset: u64,
    ) -> RepoResult<Found>;

    /// The ids of the organisation's indexed resources of `kind` that match `q` (a list's `?q=`).
    async fn matching(&self, org_id: OrgId, kind: Kind, q: &SearchQuery) -> RepoResult<Vec<Uuid>>;

    /// A number that grows with every committed change to the organisation's indexed documents
    /// (0 before the first): what a cached search result is keyed by.
    async fn index_version(&self, org_id: OrgId) -> RepoResult<i64>;
}

/// What a list's `?q=` keeps: `None` without one, else the ids of the matching resources of
/// `kind`. Only public resources are indexed, so a staff member's `?q=` does not find drafts.
///
/// # Errors
/// `invalid(message)` for a `q` over 200 characters (the caller names the field `q`); a
/// database failure. A `q` without a word (blank, punctuation) keeps everything, as none.
pub async fn list_matches<E: From<RepoError>>(
    store: &dyn crate::repo::Store,
    org_id: OrgId,
    kind: Kind,
    q: Option<&str>,
    invalid: impl Fn(String) -> E,
) -> Result<Option<std::collections::HashSet<Uuid>>, E> {
    let Some(q) = q else { return Ok(None) };
    let q = match SearchQuery::parse(q) {
        Ok(q) => q,
        // A filter box left blank or holding only punctuation filters nothing out: the list as
        // without `q` (an over-long `q` is still refused).
        Err(QueryError::Empty) => return Ok(None),
        Err(e) => return Err(invalid(e.to_string())),
    };
    Ok(Some(store.matching(org_id, kind, &q).await?.into_iter().collect()))
}

/// Why a search failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// A parameter breaks a rule: its name and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(#[from] RepoError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_needs_a_word_and_at_most_200_characters() {
        assert_eq!(SearchQuery::parse("   "), Err(QueryError::Empty));
        assert_eq!(SearchQuery::parse(" – … "), Err(QueryError::Empty));
        assert_eq!(SearchQuery::parse(&"a".repeat(201)), Err(QueryError::TooLong));
        assert!(SearchQuery::parse(&"á".repeat(200)).is_ok(), "characters, not bytes");
        assert_eq!(SearchQuery::parse("Banská  Bystrica").unwrap().terms(), ["banska", "bystrica"]);
    }

    #[test]
    fn the_last_term_matches_as_a_prefix_the_others_whole() {
        let q = SearchQuery::parse("park zel").unwrap();
        assert!(q.matches_word("zelen"));
        assert!(q.matches_word("park"));
        assert!(!q.matches_word("parking"));
    }

    fn plan(status: crate::action_plans::rules::PlanStatus) -> ActionPlan {
        let day = |s: &str| s.parse().unwrap();
        ActionPlan {
            id: crate::ids::PlanId::new_v7(),
            org_id: OrgId::new_v7(),
            title: LocalizedText::from([(Locale::Sk, "Akčný plán")]),
            description: LocalizedText::from([(Locale::Sk, "Záväzky mesta")]),
            period: crate::action_plans::rules::DateSpan::new(day("2021-08-01"), day("2022-08-31")).unwrap(),
            status,
            documents: Vec::new(),
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_draft_plan_is_not_indexed_and_a_public_one_is_with_its_folded_text() {
        use crate::action_plans::rules::PlanStatus;
        assert_eq!(Document::plan(&plan(PlanStatus::Draft)), None);
        let d = Document::plan(&plan(PlanStatus::CoCreation)).unwrap();
        assert_eq!((d.kind, d.parent_id), (Kind::ActionPlan, None));
        assert_eq!(d.folded_title(), "akcny plan");
        assert_eq!(d.folded_body(), "zavazky mesta");
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for s in ["Łódź", "Шумадија", "Banská Bystrica", "Đorđe – ćuprija", "ß ø"] {
            assert_eq!(fold(&fold(s)), fold(s), "{s}");
        }
    }

    #[test]
    fn minutes_are_indexed_as_text_without_markup() {
        let html = LocalizedText::from([(
            Locale::Sk,
            "<p>Spolu <strong>22</strong> účastníkov &amp; hostí.</p><ul><li>Jadro+</li></ul>",
        )]);
        assert_eq!(html_text(&html).get(Locale::Sk), Some("Spolu 22 účastníkov & hostí. Jadro+"));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("comment"), None);
    }

    #[test]
    fn a_body_holds_each_language_with_the_plain_parts() {
        let title = LocalizedText::from([(Locale::Sk, "Park"), (Locale::En, "Park")]);
        let body = Body::default()
            .text(&LocalizedText::from([(Locale::Sk, "Nový park")]))
            .plain(Some("Námestie SNP"))
            .build(&title);
        assert_eq!(body.get(Locale::Sk), Some("Nový park\nNámestie SNP"));
        assert_eq!(body.get(Locale::En), Some("Námestie SNP"));
    }
}
