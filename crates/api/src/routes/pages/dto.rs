//! Bodies of the content page endpoints, and the mapping of page errors to problems.

use chrono::{DateTime, Utc};
use pnyx_domain::pages::{ContentPage, NewPage, PageChanges, PageError, PageRevision, PageView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::dto::LocalizedTextDto;
use crate::error::{ApiError, ErrorCode};

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        use PageError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound => ApiError::not_found("page"),
            E::SlugTaken => ApiError::conflict(ErrorCode::SlugTaken, e.to_string()),
            E::Stale => ApiError::precondition_failed(),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

/// A page in the menu.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageSummary {
    pub id: Uuid,
    pub slug: String,
    pub title: LocalizedTextDto,
    pub position: i32,
}

/// The organisation's pages in menu order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageMenu {
    pub items: Vec<PageSummary>,
}

#[must_use]
pub fn summary_dto(p: &ContentPage) -> PageSummary {
    PageSummary { id: p.id.into(), slug: p.slug.clone(), title: (&p.title).into(), position: p.position }
}

/// A content page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageResponse {
    pub id: Uuid,
    pub slug: String,
    pub title: LocalizedTextDto,
    /// The Markdown as written, in each language.
    pub body: LocalizedTextDto,
    /// The body of each language rendered to sanitised HTML (no scripts, event handlers,
    /// styles or `javascript:` links), to show as it comes.
    pub html: LocalizedTextDto,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[must_use]
pub fn page_dto(v: &PageView) -> PageResponse {
    let p = &v.page;
    PageResponse {
        id: p.id.into(),
        slug: p.slug.clone(),
        title: (&p.title).into(),
        body: (&p.body).into(),
        html: (&v.html).into(),
        position: p.position,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

/// One saved version of a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageRevisionResponse {
    pub id: Uuid,
    pub title: LocalizedTextDto,
    /// The Markdown as saved.
    pub body: LocalizedTextDto,
    pub position: i32,
    /// Who saved it, by role: `admin`, `official` or `platform_admin`.
    pub author_role: String,
    pub created_at: DateTime<Utc>,
}

#[must_use]
pub fn revision_dto(r: &PageRevision) -> PageRevisionResponse {
    PageRevisionResponse {
        id: r.id,
        title: (&r.title).into(),
        body: (&r.body).into(),
        position: r.position,
        author_role: r.author_role.clone(),
        created_at: r.created_at,
    }
}

/// A page's history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageRevisionList {
    pub items: Vec<PageRevisionResponse>,
}

/// A new page.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "slug": "jak-dzialaja-konsultacje",
    "title": {"pl": "Jak działają konsultacje"},
    "body": {"pl": "Każdy mieszkaniec może wyrazić swą opinię na temat **konsultowanego projektu**."},
    "position": 10
}))]
pub struct CreatePageRequest {
    /// Its address: lower-case letters and digits joined by hyphens.
    #[validate(length(min = 1, max = 80))]
    #[schema(min_length = 1, max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    /// At most 200 characters in each language; the organisation's default language is required.
    pub title: LocalizedTextDto,
    /// Markdown, at most 50,000 characters in each language; the default language is required.
    pub body: LocalizedTextDto,
    /// Its place in the menu, smallest first.
    #[serde(default)]
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: i32,
}

impl From<CreatePageRequest> for NewPage {
    fn from(b: CreatePageRequest) -> Self {
        NewPage { slug: b.slug, title: b.title.into(), body: b.body.into(), position: b.position }
    }
}

/// Changes to a page; absent fields stay. Each save is a new revision.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": {"pl": "Nowa treść strony."}}))]
pub struct UpdatePageRequest {
    pub title: Option<LocalizedTextDto>,
    pub body: Option<LocalizedTextDto>,
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i32>,
}

impl From<UpdatePageRequest> for PageChanges {
    fn from(b: UpdatePageRequest) -> Self {
        PageChanges { title: b.title.map(Into::into), body: b.body.map(Into::into), position: b.position }
    }
}
