//! Full-text search over an organisation's public resources.

use actix_web::{get, web};
use pnyx_domain::search::{Hit, Kind, SearchError, SearchParams, SearchResults, Segment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::dto::{LocaleDto, LocalizedTextDto};
use crate::error::{ApiError, Problem};
use crate::extract::OrgRef;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_get);
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Invalid { field, message } => ApiError::field(field, message),
            SearchError::Repo(r) => r.into(),
        }
    }
}

crate::dto_enum!(
    /// What a hit is.
    SearchKindDto => Kind { ActionPlan, Commitment, Meeting, Consultation, Survey, Budget, Proposal, Report }
);

/// The query string of a search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQueryParams {
    /// The words to find (1–200 characters; without a letter or digit nothing is found). Every
    /// word must match; the last one also matches as a prefix. Accents, case and script (Serbian
    /// Cyrillic or Latin) are ignored: `lodz` finds "Łódź", `beograd` finds "Београд".
    #[param(example = "namestie", required = true, min_length = 1, max_length = 200)]
    pub q: Option<String>,
    /// Only hits of this kind (the `groups` still count every kind).
    pub kind: Option<SearchKindDto>,
    /// The language snippets are preferably taken from (default: the organisation's).
    pub lang: Option<LocaleDto>,
    /// How many hits to return (1–100, default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = "^[0-9]{1,19}$")]
    pub cursor: Option<String>,
}

/// A piece of a snippet: the text as written, and whether the query matched it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SnippetSegmentDto {
    #[schema(example = "námestia")]
    pub text: String,
    pub highlight: bool,
}

/// One hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitDto {
    pub kind: SearchKindDto,
    pub id: Uuid,
    /// A commitment's action plan (its page is under the plan).
    pub action_plan_id: Option<Uuid>,
    /// A proposal's budget process (its page is under the process).
    pub budget_id: Option<Uuid>,
    /// Every translation held.
    pub title: LocalizedTextDto,
    /// Text around the first match (in `lang` where it matches there), cut at word boundaries,
    /// with "…" where cut; render highlighted segments with `<mark>`.
    pub snippet: Vec<SnippetSegmentDto>,
}

/// How many hits a kind has.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchGroupDto {
    pub kind: SearchKindDto,
    pub count: u64,
}

/// A page of hits, best first (title matches above text-only matches).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "kind": "proposal",
        "id": "0192f0c4-6c1e-7cc3-9d2b-5f0e8e0b7a10",
        "action_plan_id": null,
        "budget_id": "0192f0c4-5a00-7cc3-9d2b-5f0e8e0b7a10",
        "title": {"sk": "Obnova námestia SNP"},
        "snippet": [
            {"text": "Obnova ", "highlight": false},
            {"text": "námestia", "highlight": true},
            {"text": " s lavičkami a zeleňou…", "highlight": false}
        ]
    }],
    "groups": [{"kind": "proposal", "count": 1}],
    "next_cursor": null,
    "total": 1
}))]
pub struct SearchResponse {
    pub items: Vec<SearchHitDto>,
    /// Hits per kind across all pages, whatever `kind` filters; kinds without hits are left out.
    pub groups: Vec<SearchGroupDto>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// Hits across all pages (of `kind`, when given).
    pub total: u64,
}

fn hit_dto(h: &Hit) -> SearchHitDto {
    let (action_plan_id, budget_id) = match h.kind {
        Kind::Commitment => (h.parent_id, None),
        Kind::Proposal => (None, h.parent_id),
        _ => (None, None),
    };
    SearchHitDto {
        kind: h.kind.into(),
        id: h.id,
        action_plan_id,
        budget_id,
        title: (&h.title).into(),
        snippet: h
            .snippet
            .iter()
            .map(|Segment { text, highlight }| SnippetSegmentDto { text: text.clone(), highlight: *highlight })
            .collect(),
    }
}

fn response(r: &SearchResults) -> SearchResponse {
    SearchResponse {
        items: r.hits.iter().map(hit_dto).collect(),
        groups: r.counts.iter().map(|&(k, count)| SearchGroupDto { kind: k.into(), count }).collect(),
        next_cursor: r.next_offset.map(|o| o.to_string()),
        total: r.total,
    }
}

impl SearchQueryParams {
    fn params(&self) -> Result<SearchParams, ApiError> {
        let limit = self.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::field("limit", "must be between 1 and 100"));
        }
        let offset = match &self.cursor {
            None => 0,
            Some(c) => c.parse::<u64>().map_err(|_| ApiError::field("cursor", "is not a valid cursor"))?,
        };
        Ok(SearchParams {
            q: self.q.clone().unwrap_or_default(),
            kind: self.kind.map(Into::into),
            locale: self.lang.map(Into::into),
            limit,
            offset,
        })
    }
}

/// Search the organisation
///
/// Public. Full-text search over the organisation's public action plans, commitments (with their
/// milestones), meetings, consultations, surveys, budget processes and proposals — drafts are
/// not found. Every word must match, the last also as a prefix (search as you type); accents,
/// case and script are ignored. Hits come best first, those matching in the title above those
/// matching only in the text, with a highlighted snippet and the count of every kind.
#[utoipa::path(
    tag = "search", operation_id = "search_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), SearchQueryParams),
    responses(
        (status = 200, description = "A page of hits", body = SearchResponse),
        (status = 400, description = "Unknown kind or language", body = Problem, content_type = "application/problem+json"),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(())
)]
#[get("/orgs/{org}/search")]
pub async fn search_get(
    org: OrgRef,
    st: web::Data<AppState>,
    q: web::Query<SearchQueryParams>,
) -> Result<web::Json<SearchResponse>, ApiError> {
    let results = st.search.search(&org.0, q.params()?).await?;
    Ok(web::Json(response(&results)))
}
