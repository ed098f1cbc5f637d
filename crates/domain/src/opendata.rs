//! Open data: every public collection of an organisation as a dataset anyone may download whole,
//! and the catalogue that describes them (rendered as DCAT-AP by the API). A dataset is a table:
//! fixed columns ([`Dataset::columns`]) and rows read page by page in id order from the
//! [`OpenDataRepo`], so an export of any size is written as it is read and never held whole.
//! Only what residents can see is published, and never a resident's identity: no names, e-mail
//! addresses or account ids; opinions only where the consultation shows them and not hidden;
//! survey results only where they are public, as the aggregates the results page shows.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::{Action, AuthzError, Caller};
use crate::budget::{BudgetError, BudgetService, ResultsQuery};
use crate::i18n::{Locale, LocalizedText};
use crate::ids::{BudgetId, OrgId, SurveyId};
use crate::org::Organisation;
use crate::repo::{RepoError, RepoResult};
use crate::surveys::SurveyService;

/// The licence an organisation's data is published under unless its admins choose another.
pub const DEFAULT_LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";

/// Rows read from the database per query while an export streams, unless set otherwise.
pub const PAGE_ROWS: u64 = 500;

/// What a column holds; a [`Kind::I18n`] column is one column per locale in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Id,
    Text,
    /// An object of locale → text.
    I18n,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
    /// A structured value (a list, an object), written as JSON text in CSV.
    Json,
}

/// One column of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

/// One row: a value per column, in [`Dataset::columns`] order.
pub type Row = Vec<Value>;

/// Every dataset an organisation publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    ActionPlans,
    Commitments,
    Milestones,
    Progress,
    Meetings,
    Consultations,
    Opinions,
    SurveyResults,
    Budgets,
    BudgetProposals,
    /// The vote's outcome per project of each process whose results are public.
    BudgetResults,
    Reports,
}

use Kind::{Boolean, Date, DateTime as Dt, I18n, Id, Integer, Json, Number, Text};

const ACTION_PLANS: &[Column] = &[
    col("id", Id),
    col("title", I18n),
    col("description", I18n),
    col("status", Text),
    col("start_date", Date),
    col("end_date", Date),
    col("created_at", Dt),
    col("updated_at", Dt),
];
const COMMITMENTS: &[Column] = &[
    col("id", Id),
    col("action_plan_id", Id),
    col("title", I18n),
    col("lead", Text),
    col("supporting_actors", Json),
    col("problem", I18n),
    col("status_quo", I18n),
    col("objective", I18n),
    col("ogp_values", Json),
    col("theme", Text),
    col("budget", Integer),
    col("irm", Json),
    col("created_at", Dt),
    col("updated_at", Dt),
];
const MILESTONES: &[Column] = &[
    col("id", Id),
    col("commitment_id", Id),
    col("position", Integer),
    col("title", I18n),
    col("deliverable", I18n),
    col("start_date", Date),
    col("end_date", Date),
    col("status", Text),
    col("completed_on", Date),
    col("updated_at", Dt),
];
const PROGRESS: &[Column] = &[
    col("id", Id),
    col("subject_type", Text),
    col("subject_id", Id),
    col("parent_id", Id),
    col("occurred_on", Date),
    col("entry", Json),
    col("recorded_at", Dt),
];
const MEETINGS: &[Column] = &[
    col("id", Id),
    col("title", I18n),
    col("description", I18n),
    col("kind", Text),
    col("address", Text),
    col("latitude", Number),
    col("longitude", Number),
    col("online_url", Text),
    col("starts_at", Dt),
    col("ends_at", Dt),
    col("organiser", Text),
    col("status", Text),
    col("cancel_reason", Text),
    col("capacity", Integer),
    col("registrations", Integer),
    col("attendance", Integer),
    col("updated_at", Dt),
];
const CONSULTATIONS: &[Column] = &[
    col("id", Id),
    col("title", I18n),
    col("summary", I18n),
    col("subject", Text),
    col("opens_at", Dt),
    col("closes_at", Dt),
    col("allow_anonymous", Boolean),
    col("opinions_public", Boolean),
    col("survey_id", Id),
    col("report", I18n),
    col("report_published_at", Dt),
    col("updated_at", Dt),
];
const OPINIONS: &[Column] = &[
    col("id", Id),
    col("consultation_id", Id),
    col("section", Text),
    col("text", Text),
    col("answer", Text),
    col("answered_at", Dt),
    col("given_at", Dt),
];
const SURVEY_RESULTS: &[Column] = &[
    col("survey_id", Id),
    col("survey_title", I18n),
    col("question_id", Text),
    col("question_type", Text),
    col("shown", Integer),
    col("respondents", Integer),
    col("summary", Json),
];
const BUDGETS: &[Column] = &[
    col("id", Id),
    col("title", I18n),
    col("total", Integer),
    col("currency", Text),
    col("phase", Text),
    col("outcome_rule", Text),
    col("ballot_rule", Json),
    col("districts", Json),
    col("categories", Json),
    col("schedule", Json),
    col("updated_at", Dt),
];
const BUDGET_PROPOSALS: &[Column] = &[
    col("id", Id),
    col("budget_id", Id),
    col("code", Text),
    col("title", I18n),
    col("description", I18n),
    col("category", Text),
    col("district", Text),
    col("location", Text),
    col("estimated_cost", Integer),
    col("review", Text),
    col("review_reason", Text),
    col("validated_cost", Integer),
    col("supports", Integer),
    col("works", Text),
    col("amount_spent", Integer),
    col("submitted_at", Dt),
    col("updated_at", Dt),
];
const BUDGET_RESULTS: &[Column] = &[
    col("budget_id", Id),
    col("budget_title", I18n),
    col("outcome_rule", Text),
    col("voters", Integer),
    col("proposal_id", Id),
    col("code", Text),
    col("title", I18n),
    col("cost", Integer),
    col("votes", Integer),
    col("score", Text),
    col("eligible", Boolean),
    col("selected", Boolean),
    col("selection_order", Integer),
];
const REPORTS: &[Column] = &[
    col("id", Id),
    col("kind", Text),
    col("category_id", Id),
    col("title", Text),
    col("description", Text),
    col("locale", Text),
    col("latitude", Number),
    col("longitude", Number),
    col("address", Text),
    col("status", Text),
    col("duplicate_of", Id),
    col("supports", Integer),
    col("first_answer_at", Dt),
    col("resolved_at", Dt),
    col("received_at", Dt),
    col("updated_at", Dt),
];

impl Dataset {
    pub const ALL: [Dataset; 12] = [
        Dataset::ActionPlans,
        Dataset::Commitments,
        Dataset::Milestones,
        Dataset::Progress,
        Dataset::Meetings,
        Dataset::Consultations,
        Dataset::Opinions,
        Dataset::SurveyResults,
        Dataset::Budgets,
        Dataset::BudgetProposals,
        Dataset::BudgetResults,
        Dataset::Reports,
    ];

    /// The dataset's name in URLs (`/open-data/{slug}.csv`).
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Dataset::ActionPlans => "action-plans",
            Dataset::Commitments => "commitments",
            Dataset::Milestones => "milestones",
            Dataset::Progress => "progress",
            Dataset::Meetings => "meetings",
            Dataset::Consultations => "consultations",
            Dataset::Opinions => "opinions",
            Dataset::SurveyResults => "survey-results",
            Dataset::Budgets => "budgets",
            Dataset::BudgetProposals => "budget-proposals",
            Dataset::BudgetResults => "budget-results",
            Dataset::Reports => "reports",
        }
    }

    #[must_use]
    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.slug() == slug)
    }

    #[must_use]
    pub fn columns(self) -> &'static [Column] {
        match self {
            Dataset::ActionPlans => ACTION_PLANS,
            Dataset::Commitments => COMMITMENTS,
            Dataset::Milestones => MILESTONES,
            Dataset::Progress => PROGRESS,
            Dataset::Meetings => MEETINGS,
            Dataset::Consultations => CONSULTATIONS,
            Dataset::Opinions => OPINIONS,
            Dataset::SurveyResults => SURVEY_RESULTS,
            Dataset::Budgets => BUDGETS,
            Dataset::BudgetProposals => BUDGET_PROPOSALS,
            Dataset::BudgetResults => BUDGET_RESULTS,
            Dataset::Reports => REPORTS,
        }
    }

    /// The dataset's title and description in `locale` (Serbian Cyrillic transliterated from
    /// the Latin text, as the rest of the product does).
    #[must_use]
    pub fn text(self, locale: Locale) -> (String, String) {
        let l = if locale == Locale::SrCyrl { Locale::SrLatn } else { locale };
        let (t, d) = texts(self, l);
        if locale == Locale::SrCyrl {
            (crate::serbian::to_cyrillic(t), crate::serbian::to_cyrillic(d))
        } else {
            (t.to_owned(), d.to_owned())
        }
    }

    /// Title and description in each of `locales`.
    #[must_use]
    pub fn texts(self, locales: &[Locale]) -> (LocalizedText, LocalizedText) {
        let mut title = LocalizedText::default();
        let mut description = LocalizedText::default();
        for &l in locales {
            let (t, d) = self.text(l);
            title.insert(l, t);
            description.insert(l, d);
        }
        (title, description)
    }

    /// Keywords (English, as harvesting portals index them).
    #[must_use]
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            Dataset::ActionPlans | Dataset::Commitments | Dataset::Milestones | Dataset::Progress => {
                &["open government", "OGP Local", "action plan"]
            }
            Dataset::Meetings => &["public meetings", "participation"],
            Dataset::Consultations | Dataset::Opinions => &["public consultation", "participation"],
            Dataset::SurveyResults => &["survey", "participation"],
            Dataset::Budgets | Dataset::BudgetProposals | Dataset::BudgetResults => {
                &["participatory budget", "participation", "election results"]
            }
            Dataset::Reports => &["residents' reports", "municipal services"],
        }
    }
}

fn texts(d: Dataset, l: Locale) -> (&'static str, &'static str) {
    use Locale::{En, Pl, Sk};
    match (d, l) {
        (Dataset::ActionPlans, Sk) => ("Akčné plány", "Akčné plány otvoreného vládnutia s ich stavom a obdobím."),
        (Dataset::ActionPlans, Pl) => ("Plany działania", "Plany działania otwartego rządu z ich stanem i okresem."),
        (Dataset::ActionPlans, En) => ("Action plans", "Open government action plans with their status and period."),
        (Dataset::ActionPlans, _) => ("Akcioni planovi", "Akcioni planovi otvorene uprave sa statusom i periodom."),
        (Dataset::Commitments, Sk) => ("Záväzky", "Záväzky akčných plánov so všetkými poliami záväzku OGP."),
        (Dataset::Commitments, Pl) => {
            ("Zobowiązania", "Zobowiązania planów działania ze wszystkimi polami zobowiązania OGP.")
        }
        (Dataset::Commitments, En) => {
            ("Commitments", "The action plans' commitments with every field of an OGP commitment.")
        }
        (Dataset::Commitments, _) => ("Obaveze", "Obaveze akcionih planova sa svim poljima OGP obaveze."),
        (Dataset::Milestones, Sk) => ("Míľniky", "Míľniky záväzkov s termínmi a stavom."),
        (Dataset::Milestones, Pl) => ("Kamienie milowe", "Kamienie milowe zobowiązań z terminami i stanem."),
        (Dataset::Milestones, En) => ("Milestones", "The commitments' milestones with their dates and state."),
        (Dataset::Milestones, _) => ("Ključne tačke", "Ključne tačke obaveza sa rokovima i stanjem."),
        (Dataset::Progress, Sk) => {
            ("Priebeh plnenia", "História pokroku záväzkov a míľnikov: správy o pokroku a zmeny stavu.")
        }
        (Dataset::Progress, Pl) => {
            ("Postęp realizacji", "Historia postępu zobowiązań i kamieni milowych: raporty i zmiany stanu.")
        }
        (Dataset::Progress, En) => {
            ("Progress history", "Progress of commitments and milestones: progress updates and changes of state.")
        }
        (Dataset::Progress, _) => {
            ("Tok sprovođenja", "Istorija napretka obaveza i ključnih tačaka: izveštaji i promene stanja.")
        }
        (Dataset::Meetings, Sk) => ("Verejné stretnutia", "Verejné stretnutia s počtom prihlásených a prítomných."),
        (Dataset::Meetings, Pl) => ("Spotkania publiczne", "Spotkania publiczne z liczbą zapisanych i obecnych."),
        (Dataset::Meetings, En) => {
            ("Public meetings", "Public meetings with the number of registrations and the attendance.")
        }
        (Dataset::Meetings, _) => ("Javni sastanci", "Javni sastanci sa brojem prijavljenih i prisutnih."),
        (Dataset::Consultations, Sk) => ("Konzultácie", "Verejné konzultácie s obdobím a záverečnou správou."),
        (Dataset::Consultations, Pl) => ("Konsultacje", "Konsultacje społeczne z okresem i raportem końcowym."),
        (Dataset::Consultations, En) => ("Consultations", "Public consultations with their period and final report."),
        (Dataset::Consultations, _) => ("Konsultacije", "Javne konsultacije sa periodom i završnim izveštajem."),
        (Dataset::Opinions, Sk) => {
            ("Pripomienky a odpovede", "Zverejnené pripomienky ku konzultáciám a odpovede úradu, bez mien.")
        }
        (Dataset::Opinions, Pl) => {
            ("Opinie i odpowiedzi", "Publiczne opinie w konsultacjach i odpowiedzi urzędu, bez nazwisk.")
        }
        (Dataset::Opinions, En) => (
            "Opinions and answers",
            "Published opinions given in consultations and the staff's answers, without names.",
        ),
        (Dataset::Opinions, _) => {
            ("Mišljenja i odgovori", "Objavljena mišljenja u konsultacijama i odgovori uprave, bez imena.")
        }
        (Dataset::SurveyResults, Sk) => {
            ("Výsledky prieskumov", "Súhrnné výsledky prieskumov so zverejnenými výsledkami, po otázkach.")
        }
        (Dataset::SurveyResults, Pl) => {
            ("Wyniki ankiet", "Zbiorcze wyniki ankiet z publicznymi wynikami, według pytań.")
        }
        (Dataset::SurveyResults, En) => {
            ("Survey results", "Aggregated results of the surveys whose results are public, per question.")
        }
        (Dataset::SurveyResults, _) => {
            ("Rezultati anketa", "Zbirni rezultati anketa sa javnim rezultatima, po pitanjima.")
        }
        (Dataset::Budgets, Sk) => {
            ("Participatívne rozpočty", "Procesy participatívneho rozpočtu s pravidlami a fázou.")
        }
        (Dataset::Budgets, Pl) => ("Budżety obywatelskie", "Procesy budżetu obywatelskiego z zasadami i etapem."),
        (Dataset::Budgets, En) => {
            ("Participatory budgets", "Participatory budget processes with their rules and phase.")
        }
        (Dataset::Budgets, _) => ("Participativni budžeti", "Procesi participativnog budžeta sa pravilima i fazom."),
        (Dataset::BudgetProposals, Sk) => {
            ("Projekty participatívneho rozpočtu", "Návrhy projektov s posúdením, podporou a realizáciou.")
        }
        (Dataset::BudgetProposals, Pl) => {
            ("Projekty budżetu obywatelskiego", "Propozycje projektów z oceną, poparciem i realizacją.")
        }
        (Dataset::BudgetProposals, En) => {
            ("Budget proposals", "Project proposals with their review, supports and implementation.")
        }
        (Dataset::BudgetProposals, _) => {
            ("Predlozi projekata", "Predlozi projekata sa ocenom, podrškom i realizacijom.")
        }
        (Dataset::BudgetResults, Sk) => (
            "Výsledky hlasovania o participatívnom rozpočte",
            "Hlasy a výber každého projektu podľa pravidla procesu, po skončení hlasovania.",
        ),
        (Dataset::BudgetResults, Pl) => (
            "Wyniki głosowania budżetu obywatelskiego",
            "Głosy i wybór każdego projektu według zasady procesu, po zakończeniu głosowania.",
        ),
        (Dataset::BudgetResults, En) => (
            "Participatory budget results",
            "Each project's votes and whether it was selected under the process's rule, once the vote has closed.",
        ),
        (Dataset::BudgetResults, _) => (
            "Rezultati glasanja o participativnom budžetu",
            "Glasovi i izbor svakog projekta po pravilu procesa, nakon završetka glasanja.",
        ),
        (Dataset::Reports, Sk) => ("Podnety obyvateľov", "Podnety a návrhy obyvateľov so stavom vybavenia, bez mien."),
        (Dataset::Reports, Pl) => {
            ("Zgłoszenia mieszkańców", "Zgłoszenia i propozycje mieszkańców ze stanem załatwienia, bez nazwisk.")
        }
        (Dataset::Reports, En) => {
            ("Residents' reports", "Residents' reports and proposals with how they were handled, without names.")
        }
        (Dataset::Reports, _) => ("Prijave građana", "Prijave i predlozi građana sa stanjem rešavanja, bez imena."),
    }
}

/// How big a dataset is and when it last changed: what `ETag` and `Last-Modified` are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub rows: u64,
    /// Rows of other tables the dataset shows (registrations, supports, answers): a withdrawn
    /// support changes a count without a newer change time.
    pub others: u64,
    pub modified: Option<DateTime<Utc>>,
}

/// One page of rows: each with the id the next page starts after.
pub type RowPage = Vec<(Uuid, Row)>;

/// The open-data queries.
#[async_trait::async_trait]
pub trait OpenDataRepo: Send + Sync {
    /// How many rows `dataset` has and the latest change to anything it is made of. For
    /// [`Dataset::SurveyResults`] the rows are the surveys with public results.
    async fn stamp(&self, org: OrgId, dataset: Dataset) -> RepoResult<Stamp>;

    /// Up to `limit` rows after the one with id `after`, in id order. For
    /// [`Dataset::SurveyResults`] each row is a survey with public results: `[id, title]`.
    async fn page(&self, org: OrgId, dataset: Dataset, after: Option<Uuid>, limit: u64) -> RepoResult<RowPage>;

    /// The licence the organisation chose (`None`: the default).
    async fn licence(&self, org: OrgId) -> RepoResult<Option<String>>;

    /// Stores the organisation's licence (`None`: back to the default).
    async fn set_licence(&self, org: OrgId, licence: Option<String>, now: DateTime<Utc>) -> RepoResult<()>;
}

/// One dataset of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEntry {
    pub dataset: Dataset,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub rows: u64,
    /// The latest change, or the organisation's creation when the dataset is empty.
    pub modified: DateTime<Utc>,
}

/// An organisation's open-data catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub licence: String,
    pub datasets: Vec<CatalogueEntry>,
    /// Processes whose pabulib file (projects and anonymous ballots) is public: those in the
    /// results or implementation phase.
    pub pabulib_budgets: Vec<Uuid>,
}

/// Why a licence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenDataError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("licence: must be an http(s) address of at most 500 characters")]
    BadLicence,
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// The open-data use cases. Reading is public; choosing the licence is for the organisation's
/// admins.
pub struct OpenDataService {
    repo: Arc<dyn OpenDataRepo>,
    surveys: Arc<SurveyService>,
    budgets: Arc<BudgetService>,
    clock: Arc<dyn crate::clock::Clock>,
    page_rows: u64,
}

impl OpenDataService {
    #[must_use]
    pub fn new(
        repo: Arc<dyn OpenDataRepo>,
        surveys: Arc<SurveyService>,
        budgets: Arc<BudgetService>,
        clock: Arc<dyn crate::clock::Clock>,
    ) -> Self {
        OpenDataService { repo, surveys, budgets, clock, page_rows: PAGE_ROWS }
    }

    /// Reads `rows` records per query (at least 1) while an export streams.
    #[must_use]
    pub fn with_page_rows(mut self, rows: u64) -> Self {
        self.page_rows = rows.max(1);
        self
    }

    /// The catalogue: every dataset with its texts in the organisation's languages, size and
    /// last change, and the licence.
    ///
    /// # Errors
    /// The database failed.
    pub async fn catalogue(&self, org: &Organisation) -> Result<Catalogue, OpenDataError> {
        let licence = self.repo.licence(org.id).await?.unwrap_or_else(|| DEFAULT_LICENCE.to_owned());
        let mut datasets = Vec::with_capacity(Dataset::ALL.len());
        for d in Dataset::ALL {
            let stamp = self.stamp(org, d).await?;
            let (title, description) = d.texts(&org.locales);
            datasets.push(CatalogueEntry {
                dataset: d,
                title,
                description,
                rows: stamp.rows,
                modified: stamp.modified.unwrap_or(org.created_at),
            });
        }
        let mut pabulib_budgets = Vec::new();
        let mut after = None;
        loop {
            let (rows, next) = self.page(org, Dataset::Budgets, after).await?;
            for r in rows {
                let phase = r.get(4).and_then(Value::as_str);
                if matches!(phase, Some("results" | "implementation"))
                    && let Some(id) = r.first().and_then(Value::as_str).and_then(|s| s.parse().ok())
                {
                    pabulib_budgets.push(id);
                }
            }
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        Ok(Catalogue { licence, datasets, pabulib_budgets })
    }

    /// The dataset's size and last change; the organisation's own settings (its languages,
    /// which make the CSV's columns) count as a change.
    ///
    /// # Errors
    /// The database failed.
    pub async fn stamp(&self, org: &Organisation, dataset: Dataset) -> Result<Stamp, OpenDataError> {
        let s = self.repo.stamp(org.id, dataset).await?;
        Ok(Stamp {
            rows: s.rows,
            others: s.others,
            modified: Some(s.modified.map_or(org.updated_at, |m| m.max(org.updated_at))),
        })
    }

    /// The rows after `after` (at most a page of records of the dataset) and the cursor of
    /// the next page (`None` at the end).
    ///
    /// # Errors
    /// The database failed.
    pub async fn page(
        &self,
        org: &Organisation,
        dataset: Dataset,
        after: Option<Uuid>,
    ) -> Result<(Vec<Row>, Option<Uuid>), OpenDataError> {
        let rows = self.repo.page(org.id, dataset, after, self.page_rows).await?;
        let next = if rows.len() as u64 == self.page_rows { rows.last().map(|(id, _)| *id) } else { None };
        match dataset {
            Dataset::SurveyResults => Ok((self.survey_results(org, rows).await?, next)),
            Dataset::BudgetResults => Ok((self.budget_results(org, rows).await?, next)),
            _ => Ok((rows.into_iter().map(|(_, r)| r).collect(), next)),
        }
    }

    /// Rows of survey results: each survey (`[id, title]`) becomes a row per question.
    async fn survey_results(&self, org: &Organisation, rows: RowPage) -> Result<Vec<Row>, OpenDataError> {
        let mut out = Vec::new();
        for (id, survey) in rows {
            // Read as a resident would: only public results (checked again here).
            let Ok(results) = self.surveys.results(&Caller::Anonymous, org.id, SurveyId::from(id)).await else {
                continue;
            };
            let title = survey.get(1).cloned().unwrap_or(Value::Null);
            for q in &results.questions {
                let summary = serde_json::to_value(&q.summary).map_err(|e| RepoError::Unavailable(e.to_string()))?;
                let kind = summary.get("type").cloned().unwrap_or(Value::Null);
                out.push(vec![
                    Value::String(id.to_string()),
                    title.clone(),
                    Value::String(q.question.to_string()),
                    kind,
                    Value::from(q.shown),
                    Value::from(q.respondents),
                    summary,
                ]);
            }
        }
        Ok(out)
    }

    /// Rows of budget results: each process (`[id, title]`) becomes a row per project on its
    /// ballot, under the process's own rule and threshold, as anyone reads its results.
    async fn budget_results(&self, org: &Organisation, rows: RowPage) -> Result<Vec<Row>, OpenDataError> {
        let mut out = Vec::new();
        for (id, budget) in rows {
            let results = match self
                .budgets
                .results(&Caller::Anonymous, org, BudgetId::from(id), ResultsQuery::default())
                .await
            {
                Ok(r) => r,
                Err(BudgetError::Repo(e)) => return Err(e.into()),
                // A computation still running, or a fault: the dataset is not cut short silently.
                Err(e @ (BudgetError::Busy { .. } | BudgetError::Internal(_))) => {
                    return Err(RepoError::Unavailable(e.to_string()).into());
                }
                // Counted only once the vote has closed (checked again here).
                Err(_) => continue,
            };
            let title = budget.get(1).cloned().unwrap_or(Value::Null);
            for p in &results.projects {
                let order = results.winners.iter().position(|w| w.proposal_id == p.proposal_id);
                out.push(vec![
                    Value::String(id.to_string()),
                    title.clone(),
                    Value::String(results.rule.as_str().to_owned()),
                    Value::from(results.voters),
                    Value::String(p.proposal_id.to_string()),
                    Value::String(p.code.clone()),
                    serde_json::to_value(&p.title).map_err(|e| RepoError::Unavailable(e.to_string()))?,
                    Value::from(p.cost),
                    Value::from(p.votes),
                    Value::String(p.score.clone()),
                    Value::Bool(p.eligible),
                    Value::Bool(p.selected),
                    order.map_or(Value::Null, |o| Value::from(o + 1)),
                ]);
            }
        }
        Ok(out)
    }

    /// The licence the organisation's data is published under.
    ///
    /// # Errors
    /// The database failed.
    pub async fn licence(&self, org: OrgId) -> Result<String, OpenDataError> {
        Ok(self.repo.licence(org).await?.unwrap_or_else(|| DEFAULT_LICENCE.to_owned()))
    }

    /// Chooses the licence (`None`: CC BY 4.0). The organisation's admins only.
    ///
    /// # Errors
    /// Not an admin; not an http(s) address; the database failed.
    pub async fn set_licence(
        &self,
        caller: &Caller,
        org: OrgId,
        licence: Option<String>,
    ) -> Result<String, OpenDataError> {
        caller.authorize(org, Action::EditOrganisation)?;
        let licence = licence.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
        if let Some(l) = &licence
            && !valid_licence(l)
        {
            return Err(OpenDataError::BadLicence);
        }
        self.repo.set_licence(org, licence.clone(), self.clock.now()).await?;
        Ok(licence.unwrap_or_else(|| DEFAULT_LICENCE.to_owned()))
    }
}

fn valid_licence(l: &str) -> bool {
    (l.starts_with("https://") || l.starts_with("http://"))
        && l.len() <= 500
        && l.len() > "https://".len()
        && !l.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
}

/// A CSV header: I18n columns become one column per locale (`title_sk`, `title_en`).
#[must_use]
pub fn csv_header(columns: &[Column], locales: &[Locale]) -> Vec<String> {
    let mut out = Vec::new();
    for c in columns {
        if c.kind == Kind::I18n {
            out.extend(locales.iter().map(|l| format!("{}_{}", c.name, l.as_str())));
        } else {
            out.push(c.name.to_owned());
        }
    }
    out
}

/// A row's CSV cells, matching [`csv_header`].
#[must_use]
pub fn csv_cells(columns: &[Column], locales: &[Locale], row: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for (c, v) in columns.iter().zip(row) {
        if c.kind == Kind::I18n {
            out.extend(
                locales.iter().map(|l| v.get(l.as_str()).and_then(Value::as_str).unwrap_or_default().to_owned()),
            );
        } else {
            out.push(match v {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                other => other.to_string(),
            });
        }
    }
    out
}

/// A row as a JSON object of column → value.
#[must_use]
pub fn json_object(columns: &[Column], row: Row) -> serde_json::Map<String, Value> {
    columns.iter().zip(row).map(|(c, v)| (c.name.to_owned(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_a_unique_slug_that_parses_back() {
        for d in Dataset::ALL {
            assert_eq!(Dataset::parse(d.slug()), Some(d));
        }
        let mut slugs: Vec<_> = Dataset::ALL.iter().map(|d| d.slug()).collect();
        slugs.dedup();
        assert_eq!(slugs.len(), Dataset::ALL.len());
        assert_eq!(Dataset::parse("users"), None);
    }

    #[test]
    fn every_dataset_has_a_title_and_description_in_every_locale() {
        for d in Dataset::ALL {
            for l in [Locale::Sk, Locale::Pl, Locale::SrLatn, Locale::SrCyrl, Locale::En] {
                let (t, desc) = d.text(l);
                assert!(!t.is_empty() && !desc.is_empty(), "{d:?} {l:?}");
            }
        }
        assert_eq!(Dataset::Meetings.text(Locale::SrCyrl).0, "Јавни састанци");
    }

    #[test]
    fn no_dataset_has_a_column_naming_a_person() {
        for d in Dataset::ALL {
            for c in d.columns() {
                for banned in ["email", "author", "user", "respondent_id", "name"] {
                    assert!(!c.name.contains(banned), "{d:?}.{}", c.name);
                }
            }
        }
    }

    #[test]
    fn multilingual_columns_are_one_csv_column_per_locale() {
        let cols = [col("id", Id), col("title", I18n), col("n", Integer), col("ok", Boolean), col("x", Json)];
        let locales = [Locale::Sk, Locale::En];
        assert_eq!(csv_header(&cols, &locales), ["id", "title_sk", "title_en", "n", "ok", "x"]);
        let row = vec![
            Value::from("a"),
            serde_json::json!({"sk": "Plán"}),
            Value::from(-5),
            Value::Bool(true),
            serde_json::json!(["a", "b"]),
        ];
        assert_eq!(csv_cells(&cols, &locales, &row), ["a", "Plán", "", "-5", "true", "[\"a\",\"b\"]"]);
    }

    #[test]
    fn a_licence_is_an_http_address() {
        assert!(valid_licence("https://creativecommons.org/publicdomain/zero/1.0/"));
        assert!(!valid_licence("CC0"));
        assert!(!valid_licence("https://"));
        assert!(!valid_licence("https://x.example/a b"));
        assert!(!valid_licence(&format!("https://{}", "a".repeat(500))));
    }
}
