//! Bodies of the documents endpoints, and the mapping of document errors to problems.

use chrono::{DateTime, NaiveDate, Utc};
use pnyx_domain::documents::{
    Category, DocumentChanges, DocumentError, DocumentQuery, DocumentView, LinkTarget, NewDocument,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::dto::LocalizedTextDto;
use crate::error::ApiError;
use crate::list_response;
use crate::routes::files::{FileResponse, file_dto};

impl From<DocumentError> for ApiError {
    fn from(e: DocumentError) -> Self {
        use DocumentError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::Stale => ApiError::precondition_failed(),
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Repo(r) => r.into(),
        }
    }
}

crate::dto_enum!(
    /// The library's sections.
    DocumentCategoryDto => Category { LegalActs, Reports, Publications, Minutes, Education }
);

/// The kinds of resources documents are linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentLinkTypeDto {
    ActionPlan,
    Meeting,
    Consultation,
    Budget,
}

impl DocumentLinkTypeDto {
    #[must_use]
    pub fn target(self, id: Uuid) -> LinkTarget {
        match self {
            DocumentLinkTypeDto::ActionPlan => LinkTarget::ActionPlan(id.into()),
            DocumentLinkTypeDto::Meeting => LinkTarget::Meeting(id.into()),
            DocumentLinkTypeDto::Consultation => LinkTarget::Consultation(id.into()),
            DocumentLinkTypeDto::Budget => LinkTarget::Budget(id.into()),
        }
    }

    fn of(t: LinkTarget) -> Self {
        match t {
            LinkTarget::ActionPlan(_) => DocumentLinkTypeDto::ActionPlan,
            LinkTarget::Meeting(_) => DocumentLinkTypeDto::Meeting,
            LinkTarget::Consultation(_) => DocumentLinkTypeDto::Consultation,
            LinkTarget::Budget(_) => DocumentLinkTypeDto::Budget,
        }
    }
}

/// A resource a document is linked to.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentLinkResponse {
    pub resource_type: DocumentLinkTypeDto,
    pub resource_id: Uuid,
}

/// A document of the library.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentResponse {
    pub id: Uuid,
    pub category: DocumentCategoryDto,
    pub title: LocalizedTextDto,
    pub description: LocalizedTextDto,
    /// Public from this day.
    pub published_on: NaiveDate,
    /// The publication date is still ahead: only staff see it.
    pub scheduled: bool,
    /// Its files (upload with `POST …/documents/{id}/files`).
    pub files: Vec<FileResponse>,
    pub links: Vec<DocumentLinkResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[must_use]
pub fn document_dto(slug: &str, v: &DocumentView) -> DocumentResponse {
    let d = &v.document;
    DocumentResponse {
        id: d.id.into(),
        category: d.category.into(),
        title: (&d.title).into(),
        description: (&d.description).into(),
        published_on: d.published_on,
        scheduled: v.scheduled,
        files: v.files.iter().map(|f| file_dto(slug, f)).collect(),
        links: v
            .links
            .iter()
            .map(|t| DocumentLinkResponse { resource_type: DocumentLinkTypeDto::of(*t), resource_id: t.id() })
            .collect(),
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

list_response!(DocumentList, DocumentResponse, "A page of the library, newest publication first.");

/// The documents linked to a resource, newest publication first.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedDocumentList {
    pub items: Vec<DocumentResponse>,
}

/// The library's filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentFilterParams {
    pub category: Option<DocumentCategoryDto>,
    /// Published in this year.
    #[param(minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
    /// Words in the title or description (any language; accents and case ignored).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

impl DocumentFilterParams {
    pub(crate) fn query(&self) -> DocumentQuery {
        DocumentQuery { category: self.category.map(Into::into), year: self.year, text: self.q.clone() }
    }
}

/// A new document; its file is uploaded after, to `…/documents/{id}/files`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "category": "legal_acts",
    "title": {"pl": "Uchwała w sprawie budżetu obywatelskiego", "en": "Resolution on the participatory budget"},
    "description": {"pl": "Zasady budżetu obywatelskiego na rok 2025."},
    "published_on": "2024-11-20"
}))]
pub struct CreateDocumentRequest {
    pub category: DocumentCategoryDto,
    /// At most 300 characters in each language; the organisation's default language is required.
    pub title: LocalizedTextDto,
    /// At most 5000 characters in each language.
    #[serde(default)]
    pub description: LocalizedTextDto,
    pub published_on: NaiveDate,
}

impl From<CreateDocumentRequest> for NewDocument {
    fn from(b: CreateDocumentRequest) -> Self {
        NewDocument {
            category: b.category.into(),
            title: b.title.into(),
            description: b.description.into(),
            published_on: b.published_on,
        }
    }
}

/// Changes to a document; absent fields stay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"published_on": "2024-12-01"}))]
pub struct UpdateDocumentRequest {
    pub category: Option<DocumentCategoryDto>,
    pub title: Option<LocalizedTextDto>,
    pub description: Option<LocalizedTextDto>,
    pub published_on: Option<NaiveDate>,
}

impl From<UpdateDocumentRequest> for DocumentChanges {
    fn from(b: UpdateDocumentRequest) -> Self {
        DocumentChanges {
            category: b.category.map(Into::into),
            title: b.title.map(Into::into),
            description: b.description.map(Into::into),
            published_on: b.published_on,
        }
    }
}
