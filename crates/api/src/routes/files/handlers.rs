//! The file handlers: each extracts, calls one service method and maps to DTOs or bytes.

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    self, ByteRangeSpec, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue, HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use futures_util::StreamExt;
use pnyx_domain::files::{Download, Owner, RangeRequest, UploadStream};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{Auth, OrgRef};
use crate::state::AppState;

#[allow(unused_imports)]
use super::*;

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the file as multipart/form-data, in a part named `file`.",
        ),
        other => ApiError::bad_request(format!("The form cannot be read: {other}")),
    }
}

/// The form's one part, named `file`: its file name and the part itself, to be streamed. A
/// part by another name is refused (422 naming it), as the schema says. `mp` must live while
/// the part is read.
pub(super) async fn file_part(mp: &mut Multipart) -> Result<(String, Field), ApiError> {
    if let Some(field) = mp.next().await {
        let field = field.map_err(multipart_error)?;
        if field.name() != Some("file") {
            let part = field.name().unwrap_or_default().to_owned();
            return Err(ApiError::field(part, "is not a part of this form: send only the part `file`"));
        }
        let name = field.content_disposition().and_then(|cd| cd.get_filename()).unwrap_or("file").to_owned();
        return Ok((name, field));
    }
    Err(ApiError::field("file", "is missing: send the file as the form part `file`"))
}

/// The part's bytes, then the end of the form: a part after `file` fails the upload (nothing is
/// kept), as the schema allows no other part.
pub(super) fn stream(field: Field, mut mp: Multipart) -> UploadStream<'static> {
    let end = futures_util::stream::once(async move {
        match mp.next().await {
            None => None,
            Some(Ok(part)) => Some(Err(format!(
                "the form has a part `{}` after `file`: send only the part `file`",
                part.name().unwrap_or_default()
            ))),
            Some(Err(e)) => Some(Err(e.to_string())),
        }
    })
    .filter_map(std::future::ready);
    Box::pin(field.map(|r| r.map_err(|e| e.to_string())).chain(end))
}

/// The files of `owner`, as the caller may see them: every owner's list operation.
pub(super) async fn list(
    org: &OrgRef,
    st: &AppState,
    who: &Auth,
    owner: Owner,
) -> Result<web::Json<FileList>, ApiError> {
    let files = st.files.list(&who.0, &org.0, owner).await?;
    Ok(web::Json(FileList { items: files.iter().map(|f| file_dto(org.0.slug.as_str(), f)).collect() }))
}

/// The form's file stored for `owner`: every owner's upload operation.
pub(super) async fn upload(
    org: &OrgRef,
    st: &AppState,
    who: &Auth,
    owner: Owner,
    mut mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    let (name, field) = file_part(&mut mp).await?;
    let f = st.files.upload(&who.0, &org.0, owner, &name, stream(field, mp)).await?;
    Ok(created(org.0.slug.as_str(), &f))
}

pub(super) fn created(slug: &str, f: &pnyx_domain::files::StoredFile) -> HttpResponse {
    let dto = file_dto(slug, f);
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("{}/orgs/{slug}/files/{}", crate::API_PREFIX, dto.id)))
        .json(dto)
}

/// List a meeting's files
///
/// Public, as the meeting: its minutes, visual minutes and presentations, oldest first.
#[utoipa::path(
    tag = "files", operation_id = "meeting_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/meetings/{id}/files")]
pub async fn meeting_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    list(&org, &st, &who, Owner::Meeting(path.into_inner().1.into())).await
}

/// Attach a file to a meeting
///
/// Requires: admin or official. `multipart/form-data` with the file in the part `file`, streamed
/// to storage. The type is decided from the content: PDF, JPEG, PNG, WebP, OpenDocument, Office
/// Open XML, CSV or plain text (anything else: 415 naming the detected type); images are resized
/// to a few widths without their metadata, and their original is not kept. Past the size limit of
/// its kind: 413. At most 20 files per meeting.
#[utoipa::path(
    tag = "files", operation_id = "meeting_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The meeting")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such meeting", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/meetings/{id}/files")]
pub async fn meeting_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    upload(&org, &st, &who, Owner::Meeting(path.into_inner().1.into()), mp).await
}

/// List a report's files
///
/// Public, as the report: the photos of the problem, oldest first.
#[utoipa::path(
    tag = "files", operation_id = "report_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/resident-reports/{id}/files")]
pub async fn report_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    list(&org, &st, &who, Owner::Report(path.into_inner().1.into())).await
}

/// Attach a photo to a report
///
/// Requires: the report's author while it is still `received` (as they file it), or an admin or
/// official. `multipart/form-data` with the file in the part `file`; the type is decided from the
/// content (images are resized without their metadata, such as the GPS position, and their
/// original is not kept); past the size limit of its kind: 413. At most 20 files per report.
#[utoipa::path(
    tag = "files", operation_id = "report_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The report")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/resident-reports/{id}/files")]
pub async fn report_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    upload(&org, &st, &who, Owner::Report(path.into_inner().1.into()), mp).await
}

/// List a proposal's files
///
/// As visible as the proposal: the files of one a moderator hid are shown to staff and its
/// author only.
#[utoipa::path(
    tag = "files", operation_id = "proposal_file_list",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 200, description = "The files", body = FileList),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/files")]
pub async fn proposal_file_list(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
) -> Result<web::Json<FileList>, ApiError> {
    let (_, id, pid) = path.into_inner();
    list(&org, &st, &who, Owner::Proposal(id.into(), pid.into())).await
}

/// Attach a file to a proposal
///
/// Its author while proposals are open, and admins and officials at any time (e.g. photos of the
/// works). Otherwise as for meetings: `multipart/form-data`, part `file`, types decided from the
/// content (415), a limit per kind (413), images resized without metadata, at most 20 files.
#[utoipa::path(
    tag = "files", operation_id = "proposal_file_upload",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The process"), ("proposal_id" = Uuid, Path, description = "The proposal")),
    responses(
        (status = 201, description = "Stored", body = FileResponse),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such proposal", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the limit for its kind", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or a type that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[post("/orgs/{org}/budgets/{id}/proposals/{proposal_id}/files")]
pub async fn proposal_file_upload(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid, Uuid)>,
    mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    let (_, id, pid) = path.into_inner();
    upload(&org, &st, &who, Owner::Proposal(id.into(), pid.into()), mp).await
}

/// Get a file's record
///
/// As visible as the resource it belongs to.
#[utoipa::path(
    tag = "files", operation_id = "file_get",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The file")),
    responses(
        (status = 200, description = "The file", body = FileResponse),
        (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/files/{id}")]
pub async fn file_get(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<web::Json<FileResponse>, ApiError> {
    let (_, id) = path.into_inner();
    let f = st.files.get(&who.0, &org.0, id.into()).await?;
    Ok(web::Json(file_dto(org.0.slug.as_str(), &f)))
}

/// The one byte range asked for; several ranges or another unit: the whole file (RFC 9110 lets a
/// server ignore `Range`).
fn range_of(req: &HttpRequest) -> Option<RangeRequest> {
    let raw = req.headers().get(header::RANGE)?.to_str().ok()?;
    match raw.parse::<header::Range>().ok()? {
        header::Range::Bytes(specs) if specs.len() == 1 => Some(match specs[0] {
            ByteRangeSpec::FromTo(start, end) => RangeRequest::From { start, end: Some(end) },
            ByteRangeSpec::From(start) => RangeRequest::From { start, end: None },
            ByteRangeSpec::Last(n) => RangeRequest::Last(n),
        }),
        _ => None,
    }
}

fn etag_matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == "*" || t == etag))
}

/// `Content-Disposition` with the original name (RFC 6266): an ASCII `filename` for old clients
/// and `filename*` in UTF-8.
fn disposition(name: &str, inline: bool) -> ContentDisposition {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    ContentDisposition {
        disposition: if inline { DispositionType::Inline } else { DispositionType::Attachment },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

fn respond(req: &HttpRequest, d: Download, force_download: bool) -> HttpResponse {
    let etag = format!("\"{}\"", d.variant.sha256);
    let etag_value = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    if etag_matches(req, &etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag_value))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .finish();
    }
    let inline = !force_download
        && (d.variant.content_type.starts_with("image/") || d.variant.content_type == "application/pdf");
    let mut res = HttpResponse::build(if d.partial { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK });
    res.insert_header((header::CONTENT_TYPE, d.variant.content_type.clone()))
        .insert_header((header::ETAG, etag_value))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        // Files of a resource that is not public must not stay in shared caches.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        // Already compressed or binary: the compression middleware leaves it alone.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((header::CONTENT_DISPOSITION, disposition(&d.file.name, inline)));
    if d.partial {
        let r = &d.bytes.range;
        res.insert_header((
            header::CONTENT_RANGE,
            format!("bytes {}-{}/{}", r.start, r.end.saturating_sub(1), d.bytes.size),
        ));
    }
    let len = d.bytes.range.end - d.bytes.range.start;
    let body = d.bytes.body.map(|r| r.map_err(actix_web::error::ErrorInternalServerError));
    res.no_chunking(len).streaming(body)
}

/// Download a file
///
/// As visible as the resource it belongs to. A document as uploaded; an image at its largest
/// width, or `?width=` for the smallest variant at least that wide. `Content-Disposition` carries
/// the original name (`filename*` in UTF-8); `?download=true` makes it an attachment. One byte
/// range per request (`Range: bytes=…`, 206 with `Content-Range`; outside the file: 416);
/// `If-None-Match` with the `ETag`: 304.
#[utoipa::path(
    tag = "files", operation_id = "file_content",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The file"), FileContentParams,
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag held")),
    responses(
        (status = 200, description = "The bytes, in the file's own type (an image, a PDF, an office document, CSV or text)", content_type = "*/*"),
        (status = 206, description = "The range asked for", content_type = "*/*"),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range is outside the file", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer_auth" = []))
)]
#[get("/orgs/{org}/files/{id}/content")]
pub async fn file_content(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
    q: web::Query<FileContentParams>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    let d = st.files.download(&who.0, &org.0, id.into(), q.width, range_of(&req)).await?;
    Ok(respond(&req, d, q.download.unwrap_or(false)))
}

/// Delete a file
///
/// Its uploader while they may still attach files to the resource, or an admin or official.
/// The record goes at once, the stored bytes with it.
#[utoipa::path(
    tag = "files", operation_id = "file_delete",
    params(("org" = String, Path, description = "The organisation's slug or id"), ("id" = Uuid, Path, description = "The file")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, description = "No such file", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/files/{id}")]
pub async fn file_delete(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    path: web::Path<(String, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (_, id) = path.into_inner();
    st.files.delete(&who.0, &org.0, id.into()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set the organisation's logo
///
/// Requires: platform admin or the organisation's admin. `multipart/form-data` with the image in
/// the part `file`: JPEG, PNG or WebP, decided from the content (anything else: 415), resized to
/// a few widths without its metadata, the original not kept; past the image size limit: 413.
/// Replaces the previous logo. The organisation gets a new version (`ETag`); the audit log
/// records it. Shown in the organisation's header; its `logo.url` in the organisation.
#[utoipa::path(
    tag = "organisations", operation_id = "org_logo_put",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "Set; the organisation", body = crate::routes::orgs::OrgResponse, headers(("ETag" = String, description = "The organisation's new version"))),
        (status = 400, description = "The form cannot be read", body = Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 412, response = crate::error::problems::Stale),
        (status = 413, description = "Larger than the limit for images", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not multipart, or not a JPEG, PNG or WebP image", body = Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::error::problems::Invalid),
    ),
    security(("bearer_auth" = []))
)]
#[put("/orgs/{org}/logo")]
pub async fn org_logo_put(
    org: OrgRef,
    st: web::Data<AppState>,
    who: Auth,
    mut mp: Multipart,
) -> Result<HttpResponse, ApiError> {
    let (name, field) = file_part(&mut mp).await?;
    let o = st.files.set_logo(&who.0, &org.0, &name, stream(field, mp)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, crate::extract::etag(o.updated_at)))
        .json(crate::routes::orgs::org_dto(&o)))
}

/// Remove the organisation's logo
///
/// Requires: platform admin or the organisation's admin. The image goes with it; without a logo
/// nothing changes. The audit log records it.
#[utoipa::path(
    tag = "organisations", operation_id = "org_logo_delete",
    params(("org" = String, Path, description = "The organisation's slug or id")),
    responses(
        (status = 200, description = "Removed; the organisation", body = crate::routes::orgs::OrgResponse, headers(("ETag" = String, description = "The organisation's new version"))),
        (status = 401, response = crate::error::problems::Unauthorized),
        (status = 403, response = crate::error::problems::Forbidden),
        (status = 404, response = crate::error::problems::NoSuchOrganisation),
        (status = 412, response = crate::error::problems::Stale),
    ),
    security(("bearer_auth" = []))
)]
#[delete("/orgs/{org}/logo")]
pub async fn org_logo_delete(org: OrgRef, st: web::Data<AppState>, who: Auth) -> Result<HttpResponse, ApiError> {
    let o = st.files.remove_logo(&who.0, &org.0).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, crate::extract::etag(o.updated_at)))
        .json(crate::routes::orgs::org_dto(&o)))
}
