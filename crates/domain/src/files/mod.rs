//! Files attached to resources: a meeting's minutes and presentations (staff), a budget proposal's
//! photos (its author, and staff; staff also add the works' implementation photos), a library
//! document's file, a consultation's drafts and a commitment's documents and progress evidence
//! (staff). Uploads are streamed to the file storage, their type decided
//! from the content and checked against an allow-list, their size against a limit per kind;
//! images are resized to a few widths with their metadata (EXIF, GPS position) stripped, and
//! their original is not kept. A file is as visible as the resource it belongs to.
//!
//! The storage is a port ([`FileStorage`]): a folder on the server or an S3-compatible bucket,
//! chosen by the server crate; image processing is another ([`ImageProcessor`]).

pub mod kinds;
mod service;

pub use kinds::{Detected, FileKind, SNIFF_BYTES, detect, display_name};
pub use service::{
    Download, FileLimits, FileService, IMAGE_WIDTHS, MAX_FILES_PER_OWNER, ORPHAN_GRACE, RangeRequest, SWEEP_EVERY,
};

use std::ops::Range;
use std::pin::Pin;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::ids::{
    BudgetId, CommitmentId, ConsultationId, DocumentId, FileId, MeetingId, OrgId, ProposalId, ReportId, UserId,
};
use crate::repo::{RepoError, RepoResult};

/// What a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// A public meeting (minutes, visual minutes, presentations): staff attach.
    Meeting(MeetingId),
    /// A participatory-budget proposal (photos, plans): its author while proposals are open, and
    /// staff.
    Proposal(BudgetId, ProposalId),
    /// The organisation itself: its logo (an image; its admins set it).
    Organisation(OrgId),
    /// A document of the organisation's library: staff attach.
    Document(DocumentId),
    /// A consultation (the drafts it asks about): staff attach.
    Consultation(ConsultationId),
    /// An action plan's commitment (its documents, progress photos and evidence): staff attach.
    Commitment(CommitmentId),
    /// A resident's report (photos of the problem): its author while it is still `received`, and
    /// staff. Public, as the report.
    Report(ReportId),
}

impl Owner {
    #[must_use]
    pub fn type_str(self) -> &'static str {
        match self {
            Owner::Meeting(_) => "meeting",
            Owner::Proposal(..) => "budget_proposal",
            Owner::Organisation(_) => "organisation",
            Owner::Document(_) => "document",
            Owner::Consultation(_) => "consultation",
            Owner::Commitment(_) => "commitment",
            Owner::Report(_) => "report",
        }
    }

    /// What "not found" names when the owner is missing or hidden.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Owner::Meeting(_) => "meeting",
            Owner::Proposal(..) => "proposal",
            Owner::Organisation(_) => "organisation",
            Owner::Document(_) => "document",
            Owner::Consultation(_) => "consultation",
            Owner::Commitment(_) => "commitment",
            Owner::Report(_) => "report",
        }
    }

    #[must_use]
    pub fn id(self) -> Uuid {
        match self {
            Owner::Meeting(id) => id.into(),
            Owner::Proposal(_, id) => id.into(),
            Owner::Organisation(id) => id.into(),
            Owner::Document(id) => id.into(),
            Owner::Consultation(id) => id.into(),
            Owner::Commitment(id) => id.into(),
            Owner::Report(id) => id.into(),
        }
    }

    /// The resource the owner belongs to (a proposal's budget).
    #[must_use]
    pub fn parent(self) -> Option<Uuid> {
        match self {
            Owner::Proposal(b, _) => Some(b.into()),
            Owner::Meeting(_)
            | Owner::Report(_)
            | Owner::Organisation(_)
            | Owner::Document(_)
            | Owner::Consultation(_)
            | Owner::Commitment(_) => None,
        }
    }

    /// Reads an owner back from its stored parts.
    #[must_use]
    pub fn from_parts(kind: &str, id: Uuid, parent: Option<Uuid>) -> Option<Self> {
        match (kind, parent) {
            ("meeting", _) => Some(Owner::Meeting(id.into())),
            ("budget_proposal", Some(b)) => Some(Owner::Proposal(b.into(), id.into())),
            ("organisation", _) => Some(Owner::Organisation(id.into())),
            ("document", _) => Some(Owner::Document(id.into())),
            ("consultation", _) => Some(Owner::Consultation(id.into())),
            ("commitment", _) => Some(Owner::Commitment(id.into())),
            ("report", _) => Some(Owner::Report(id.into())),
            _ => None,
        }
    }
}

/// One stored rendition of a file: the document itself, or an image at one width.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Pixels, for an image.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub content_type: String,
    pub size: u64,
    /// SHA-256 of the bytes, hex: the `ETag`.
    pub sha256: String,
}

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: FileId,
    pub org_id: OrgId,
    pub owner: Owner,
    /// The uploader's file name, for display (and `Content-Disposition`) only.
    pub name: String,
    /// The type detected from the content (of the upload; an image's variants say their own).
    pub content_type: String,
    pub kind: FileKind,
    /// Smallest first; exactly one for a document.
    pub variants: Vec<Variant>,
    pub uploaded_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl StoredFile {
    /// The storage key of a variant: made of ids only.
    #[must_use]
    pub fn key(&self, v: &Variant) -> String {
        key_of(self.org_id, self.id, v.width)
    }

    /// The largest variant (the document itself).
    #[must_use]
    pub fn main(&self) -> Option<&Variant> {
        self.variants.last()
    }

    /// The size shown: the document's, or an image's largest variant's.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.main().map_or(0, |v| v.size)
    }
}

/// The storage key of a file's variant: `{org}/{file}/{width}` or `{org}/{file}/document`.
#[must_use]
pub fn key_of(org: OrgId, id: FileId, width: Option<u32>) -> String {
    match width {
        Some(w) => format!("{org}/{id}/w{w}"),
        None => format!("{org}/{id}/document"),
    }
}

/// Persistence of file records (the bytes are in the [`FileStorage`]).
#[async_trait::async_trait]
pub trait FileRepo: Send + Sync {
    async fn create_file(&self, f: &StoredFile) -> RepoResult<()>;
    async fn file(&self, org_id: OrgId, id: FileId) -> RepoResult<Option<StoredFile>>;
    /// The owner's files, oldest first.
    async fn files_of(&self, owner: Owner) -> RepoResult<Vec<StoredFile>>;
    /// The files of several owners in one statement, each owner's oldest first (a page of a
    /// list: no query per row).
    async fn files_of_many(&self, owners: &[Owner]) -> RepoResult<Vec<StoredFile>>;
    async fn count_files_of(&self, owner: Owner) -> RepoResult<u64>;
    /// Deletes the record; `false` when it was gone.
    async fn delete_file(&self, id: FileId) -> RepoResult<bool>;
    /// Which of `ids` have a record (in any organisation).
    async fn existing_files(&self, ids: &[FileId]) -> RepoResult<std::collections::HashSet<FileId>>;
}

/// An object in the storage, as a listing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub key: String,
    pub size: u64,
    pub last_modified: DateTime<Utc>,
}

impl ObjectInfo {
    /// The file a key of ours belongs to (`{org}/{file}/…`); `None` for any other key.
    #[must_use]
    pub fn file_id(&self) -> Option<FileId> {
        let mut parts = self.key.split('/');
        let _org: Uuid = parts.next()?.parse().ok()?;
        let file: Uuid = parts.next()?.parse().ok()?;
        parts.next()?;
        Some(file.into())
    }
}

/// Why the storage failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("no such object")]
    NotFound,
    #[error("storage failed: {0}")]
    Failed(String),
}

/// Bytes from the storage, or from a client.
pub type ByteStream<'a, E> = Pin<Box<dyn Stream<Item = Result<Bytes, E>> + Send + 'a>>;

/// An upload's bytes as they arrive from the client (not `Send`: actix's multipart fields live on
/// one worker thread); an `Err` is the client's failure, its message for the log.
pub type UploadStream<'a> = Pin<Box<dyn Stream<Item = Result<Bytes, String>> + 'a>>;

/// Bytes read from the storage: a range of an object.
pub struct StoredBytes {
    /// The whole object's size.
    pub size: u64,
    /// The bytes in `body`.
    pub range: Range<u64>,
    pub body: ByteStream<'static, StorageError>,
}

/// An object being written: chunks go out as they come (a multipart upload on S3, a staging file
/// on disk); it appears under its key only at [`StorageUpload::finish`], and
/// [`StorageUpload::abort`] leaves nothing.
#[async_trait::async_trait]
pub trait StorageUpload: Send {
    async fn write(&mut self, chunk: Bytes) -> Result<(), StorageError>;
    async fn finish(self: Box<Self>) -> Result<(), StorageError>;
    async fn abort(self: Box<Self>) -> Result<(), StorageError>;
}

/// Where the bytes of files live.
#[async_trait::async_trait]
pub trait FileStorage: Send + Sync {
    /// Starts writing the object `key` (replacing it when it is finished).
    async fn start(&self, key: &str) -> Result<Box<dyn StorageUpload>, StorageError>;
    /// The object, or the range of it (within its size: check it with [`FileStorage::size`] or the
    /// record first).
    async fn get(&self, key: &str, range: Option<Range<u64>>) -> Result<StoredBytes, StorageError>;
    /// The object's size.
    async fn size(&self, key: &str) -> Result<u64, StorageError>;
    /// Deletes the object; deleting a missing one is fine.
    async fn delete(&self, key: &str) -> Result<(), StorageError>;
    /// Every finished object (uploads in progress are not listed).
    async fn list(&self) -> Result<Vec<ObjectInfo>, StorageError>;
}

/// Writes `bytes` as the object `key` in one go.
///
/// # Errors
/// When the storage fails (the object is then not there).
pub async fn put(storage: &dyn FileStorage, key: &str, bytes: Bytes) -> Result<(), StorageError> {
    let mut up = storage.start(key).await?;
    if let Err(e) = up.write(bytes).await {
        let _ = up.abort().await;
        return Err(e);
    }
    up.finish().await
}

/// An image re-encoded at one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedImage {
    pub width: u32,
    pub height: u32,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Resizes images.
pub trait ImageProcessor: Send + Sync {
    /// Decodes `bytes`, turns the picture upright by its EXIF orientation, and encodes it at each
    /// of `widths` not wider than the picture (at its own width when it is narrower than all of
    /// them), smallest first, with no metadata at all.
    ///
    /// # Errors
    /// When the image cannot be decoded or is too large in pixels; the message says why.
    fn variants(&self, bytes: &[u8], widths: &[u32]) -> Result<Vec<EncodedImage>, String>;
}

/// Why a file use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    /// What was not found: `file`, `meeting`, `budget`, `proposal`, `document`, `consultation`,
    /// `commitment`.
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("the file is larger than {limit} bytes, the limit for {kind}s")]
    TooLarge { kind: &'static str, limit: u64 },
    #[error(
        "files of type {0} cannot be uploaded; allowed: PDF, JPEG, PNG, WebP, OpenDocument, Office Open XML, CSV and plain text"
    )]
    UnsupportedType(String),
    #[error("the logo must be a JPEG, PNG or WebP image, not {0}")]
    NotAnImage(String),
    #[error("the organisation was changed by someone else meanwhile; try again")]
    Stale,
    #[error("the requested range is outside the file's {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    /// A field breaks a rule: its name in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The upload could not be read to its end (the client went away, a malformed body).
    #[error("the upload could not be read: {0}")]
    Upload(String),
    #[error(transparent)]
    Storage(StorageError),
    #[error(transparent)]
    Repo(RepoError),
}

impl From<RepoError> for FileError {
    fn from(e: RepoError) -> Self {
        FileError::Repo(e)
    }
}

impl From<StorageError> for FileError {
    fn from(e: StorageError) -> Self {
        FileError::Storage(e)
    }
}

pub(crate) fn invalid(field: impl Into<String>, message: impl ToString) -> FileError {
    FileError::Invalid { field: field.into(), message: message.to_string() }
}
