//! Bodies of the file endpoints, and the mapping of file errors to problems.

use actix_web::http::StatusCode;
use chrono::{DateTime, Utc};
use pnyx_domain::files::{FileError, FileKind, StoredFile};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

impl From<FileError> for ApiError {
    fn from(e: FileError) -> Self {
        use FileError as E;
        match e {
            E::Authz(a) => a.into(),
            E::NotFound(what) => ApiError::not_found(what),
            E::TooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, e.to_string())
            }
            E::UnsupportedType(_) | E::NotAnImage(_) => {
                ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, e.to_string())
            }
            E::RangeNotSatisfiable { size } => {
                let mut err =
                    ApiError::new(StatusCode::RANGE_NOT_SATISFIABLE, ErrorCode::RangeNotSatisfiable, e.to_string());
                if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&format!("bytes */{size}")) {
                    err = err.with_header(actix_web::http::header::CONTENT_RANGE, v);
                }
                err
            }
            E::Invalid { field, message } => ApiError::field(field, message),
            E::Stale => ApiError::precondition_failed(),
            E::Upload(m) => ApiError::bad_request(format!("The upload could not be read: {m}")),
            E::Storage(s) => ApiError::internal(s),
            E::Repo(r) => r.into(),
        }
    }
}

/// The form of an upload: one part named `file` (its file name is kept for display only), and
/// no other part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadForm {
    #[schema(value_type = String, format = Binary, min_length = 1)]
    #[allow(dead_code)]
    pub file: Vec<u8>,
}

/// `document` (stored as uploaded) or `image` (resized, without metadata; the original is not kept).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FileKindDto {
    Document,
    Image,
}

/// One stored rendition: the document, or the image at one width.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileVariantResponse {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Where to download it.
    pub url: String,
}

/// An uploaded file.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileResponse {
    pub id: Uuid,
    /// The uploader's file name, for display.
    pub name: String,
    /// Decided from the content. For an image, the type of its variants may differ (JPEG, or PNG
    /// with transparency).
    pub content_type: String,
    pub kind: FileKindDto,
    /// Bytes: the document's, or the image's largest variant's.
    pub size: u64,
    /// `meeting`, `budget_proposal`, `organisation` (its logo), `document`, `consultation`, `commitment` or `report`.
    pub owner_type: String,
    pub owner_id: Uuid,
    /// Where to download it (an image: its largest variant; `?width=` picks a smaller one).
    pub url: String,
    /// Smallest first.
    pub variants: Vec<FileVariantResponse>,
    pub created_at: DateTime<Utc>,
}

/// A resource's files, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileList {
    pub items: Vec<FileResponse>,
}

/// Which rendition to download, and how.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FileContentParams {
    /// An image's smallest variant at least this wide (the largest when none is).
    pub width: Option<u32>,
    /// `true`: `Content-Disposition: attachment` (save), else `inline` for images and PDF.
    pub download: Option<bool>,
}

#[must_use]
pub fn file_dto(slug: &str, f: &StoredFile) -> FileResponse {
    let base = format!("{}/orgs/{slug}/files/{}/content", crate::API_PREFIX, f.id);
    FileResponse {
        id: f.id.into(),
        name: f.name.clone(),
        content_type: f.content_type.clone(),
        kind: match f.kind {
            FileKind::Image => FileKindDto::Image,
            FileKind::Document => FileKindDto::Document,
        },
        size: f.size(),
        owner_type: f.owner.type_str().to_owned(),
        owner_id: f.owner.id(),
        url: base.clone(),
        variants: f
            .variants
            .iter()
            .map(|v| FileVariantResponse {
                width: v.width,
                height: v.height,
                content_type: v.content_type.clone(),
                size: v.size,
                url: v.width.map_or_else(|| base.clone(), |w| format!("{base}?width={w}")),
            })
            .collect(),
        created_at: f.created_at,
    }
}
