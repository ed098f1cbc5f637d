//! The file use cases: upload to a resource (streamed, typed from the content, limited per kind),
//! list a resource's files, download one (whole or a range) and delete one. Who may attach and
//! who may read follow the resource: staff attach to meetings; a proposal's author attaches to it
//! while proposals are open, staff at any time; a file of a proposal that a moderator hid is seen
//! by staff and its author only.

use std::ops::Range;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

use super::kinds::{FileKind, SNIFF_BYTES, detect, display_name};
use super::{
    FileError, FileStorage, ImageProcessor, Owner, StorageUpload, StoredBytes, StoredFile, UploadStream, Variant,
    invalid, key_of, put,
};
use crate::audit::Audit;
use crate::auth::{Action, Caller};
use crate::budget::process::Phase;
use crate::clock::Clock;
use crate::comments::ItemKind;
use crate::ids::{FileId, OrgId, UserId};
use crate::org::Organisation;
use crate::repo::{RepoError, Store};
use crate::version::Version;

/// The widths images are resized to, in pixels.
pub const IMAGE_WIDTHS: [u32; 3] = [320, 640, 1280];

/// The most files one resource holds.
pub const MAX_FILES_PER_OWNER: u64 = 20;

/// How old an object without a record must be before the sweep removes it: longer than any
/// upload takes between storing its bytes and inserting its record.
pub const ORPHAN_GRACE: chrono::Duration = chrono::Duration::hours(6);

/// How often the server sweeps the storage for objects without a record.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// The largest upload of each kind, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLimits {
    pub image: u64,
    pub document: u64,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits { image: 15 * 1024 * 1024, document: 100 * 1024 * 1024 }
    }
}

/// A single byte range a client asked for (`Range: bytes=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// `start-` or `start-end` (inclusive).
    From { start: u64, end: Option<u64> },
    /// `-n`: the last `n` bytes.
    Last(u64),
}

impl RangeRequest {
    /// The bytes this asks for in an object of `size` bytes (an end past the size is cut to it).
    ///
    /// # Errors
    /// When no byte of the object is in the range.
    pub fn resolve(self, size: u64) -> Result<Range<u64>, FileError> {
        let unsatisfiable = FileError::RangeNotSatisfiable { size };
        match self {
            RangeRequest::From { start, end } => {
                let end = end.map_or(size, |e| e.saturating_add(1).min(size));
                if start >= size || end <= start { Err(unsatisfiable) } else { Ok(start..end) }
            }
            RangeRequest::Last(n) => {
                if n == 0 || size == 0 {
                    Err(unsatisfiable)
                } else {
                    Ok(size.saturating_sub(n)..size)
                }
            }
        }
    }
}

/// A file's bytes on their way to a client.
pub struct Download {
    pub file: StoredFile,
    pub variant: Variant,
    /// Set when a range was asked for (a `206`).
    pub partial: bool,
    pub bytes: StoredBytes,
}

/// What the caller may do with a resource's files.
struct Access {
    read: bool,
    attach: bool,
}

/// The file use cases.
pub struct FileService {
    store: Arc<dyn Store>,
    storage: Arc<dyn FileStorage>,
    images: Arc<dyn ImageProcessor>,
    clock: Arc<dyn Clock>,
    limits: FileLimits,
    /// Where a changed logo drops the organisation from (shared with the organisation service).
    org_contexts: crate::org::OrgContexts,
}

impl FileService {
    #[must_use]
    pub fn new(
        store: Arc<dyn Store>,
        storage: Arc<dyn FileStorage>,
        images: Arc<dyn ImageProcessor>,
        clock: Arc<dyn Clock>,
        limits: FileLimits,
    ) -> Self {
        // Nothing to drop from until the organisation service's contexts are shared.
        let org_contexts = crate::org::OrgContexts::new(std::time::Duration::ZERO);
        FileService { store, storage, images, clock, limits, org_contexts }
    }

    /// Shares the organisation service's `contexts`: a logo set or removed here drops the
    /// organisation from them.
    #[must_use]
    pub fn with_org_contexts(mut self, contexts: crate::org::OrgContexts) -> Self {
        self.org_contexts = contexts;
        self
    }

    #[must_use]
    pub fn limits(&self) -> FileLimits {
        self.limits
    }

    /// Whether the owner exists in the organisation, and what the caller may do with its files.
    async fn access(&self, caller: &Caller, org: &Organisation, owner: Owner) -> Result<Access, FileError> {
        let writer = caller.authorize(org.id, Action::WriteContent).is_ok();
        match owner {
            Owner::Meeting(id) => {
                self.store.meeting(org.id, id).await?.ok_or(FileError::NotFound("meeting"))?;
                Ok(Access { read: true, attach: writer })
            }
            Owner::Document(id) => {
                let d = self.store.document(org.id, id).await?.ok_or(FileError::NotFound("document"))?;
                let today = self.clock.now().with_timezone(&org.time_zone.tz()).date_naive();
                Ok(Access { read: d.published_on <= today || caller.is_staff_of(org.id), attach: writer })
            }
            Owner::Consultation(id) => {
                self.store.consultation(org.id, id).await?.ok_or(FileError::NotFound("consultation"))?;
                Ok(Access { read: true, attach: writer })
            }
            Owner::Commitment(id) => {
                let c = self.store.commitment(org.id, id).await?.ok_or(FileError::NotFound("commitment"))?;
                let plan = self.store.plan(org.id, c.action_plan_id).await?;
                let public = plan.is_some_and(|p| p.status.is_public());
                Ok(Access { read: public || caller.is_staff_of(org.id), attach: writer })
            }
            Owner::Proposal(bid, pid) => {
                let b = self.store.budget(org.id, bid).await?.ok_or(FileError::NotFound("budget"))?;
                let p = self.store.proposal(bid, pid).await?.ok_or(FileError::NotFound("proposal"))?;
                let id = uuid::Uuid::from(pid);
                let hidden = self.store.hidden_reasons(ItemKind::BudgetProposal, &[id]).await?.contains_key(&id);
                let author = caller.user_id().is_some() && caller.user_id() == p.author_id;
                let may_participate = caller.authorize(org.id, Action::Participate).is_ok();
                Ok(Access {
                    read: !hidden || caller.is_staff_of(org.id) || author,
                    attach: writer || (author && may_participate && b.phase == Phase::Proposals),
                })
            }
            Owner::Organisation(id) => {
                if id != org.id {
                    return Err(FileError::NotFound("organisation"));
                }
                Ok(Access { read: true, attach: caller.authorize(org.id, Action::EditOrganisation).is_ok() })
            }
            Owner::Report(id) => {
                let r = self.store.report(org.id, id).await?.ok_or(FileError::NotFound("report"))?;
                let author = caller.user_id() == Some(r.author_id);
                let may_participate = caller.authorize(org.id, Action::Participate).is_ok();
                Ok(Access {
                    read: true,
                    attach: writer || (author && may_participate && r.status == crate::reports::Status::Received),
                })
            }
        }
    }

    /// Refuses an attachment with the right reason: sign in, confirm the e-mail, or forbidden.
    fn refuse(caller: &Caller, org: OrgId) -> FileError {
        match caller.authorize(org, Action::Participate) {
            Err(e) => e.into(),
            Ok(_) => crate::auth::AuthzError::Forbidden.into(),
        }
    }

    /// Uploads a file to `owner`: the first bytes decide its type (415 outside the allow-list),
    /// its kind's limit its size (413 past it, found while streaming); a document is streamed to
    /// the storage as it arrives, an image (limited to a few megabytes) is decoded, turned
    /// upright and stored at [`IMAGE_WIDTHS`] without its metadata, its original dropped. A
    /// failure at any point leaves no object and no record.
    ///
    /// # Errors
    /// Unauthenticated, forbidden, not found, too large, unsupported type, a broken upload,
    /// too many files, the storage or the database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id, owner = %owner.id()))]
    pub async fn upload(
        &self,
        caller: &Caller,
        org: &Organisation,
        owner: Owner,
        name: &str,
        body: UploadStream<'_>,
    ) -> Result<StoredFile, FileError> {
        let file = self.receive(caller, org, owner, name, body, false).await?;
        if let Err(e) = self.store.create_file(&file).await {
            self.remove_objects(&file).await;
            return Err(e.into());
        }
        tracing::info!(file = %file.id, kind = file.kind.as_str(), size = file.size(), "file uploaded");
        Ok(file)
    }

    /// Checks the caller may attach to `owner`, then reads, types and stores the upload's bytes
    /// (only an image when `images_only`), and returns its record, not yet stored: the caller
    /// stores it, or removes its objects.
    async fn receive(
        &self,
        caller: &Caller,
        org: &Organisation,
        owner: Owner,
        name: &str,
        body: UploadStream<'_>,
        images_only: bool,
    ) -> Result<StoredFile, FileError> {
        // A finished stream answers `None` again (actix's multipart field panics if polled then).
        let mut body: UploadStream<'_> = Box::pin(body.fuse());
        let access = self.access(caller, org, owner).await?;
        if !access.read {
            return Err(FileError::NotFound(owner.noun()));
        }
        if !access.attach {
            return Err(Self::refuse(caller, org.id));
        }
        if self.store.count_files_of(owner).await? >= MAX_FILES_PER_OWNER {
            return Err(invalid("file", format!("a resource holds at most {MAX_FILES_PER_OWNER} files")));
        }
        let name = display_name(name);
        let mut head = BytesMut::new();
        while head.len() < SNIFF_BYTES {
            match body.next().await {
                Some(chunk) => head.extend_from_slice(&chunk.map_err(FileError::Upload)?),
                None => break,
            }
        }
        if head.is_empty() {
            return Err(invalid("file", "is empty"));
        }
        let detected = detect(&head, &name).map_err(FileError::UnsupportedType)?;
        if images_only && detected.kind != FileKind::Image {
            return Err(FileError::NotAnImage(detected.content_type));
        }
        let id = FileId::new_v7();
        let variants = match detected.kind {
            FileKind::Image => self.store_image(org.id, id, head.freeze(), body).await?,
            FileKind::Document => {
                vec![self.store_document(org.id, id, &detected.content_type, head.freeze(), body).await?]
            }
        };
        let file = StoredFile {
            id,
            org_id: org.id,
            owner,
            name,
            content_type: detected.content_type,
            kind: detected.kind,
            variants,
            uploaded_by: caller.user_id(),
            created_at: self.clock.now(),
        };
        Ok(file)
    }

    /// Sets the organisation's logo: the upload must be a JPEG, PNG or WebP image (415
    /// otherwise), stored resized without its metadata like any image; the previous logo goes.
    /// The file's record, the organisation's new version and the audit entry are written
    /// together; the bytes of a refused or failed upload are removed.
    ///
    /// # Errors
    /// Unauthenticated, forbidden unless the organisation's admin (or a platform admin), not an
    /// image, too large, a broken upload, [`FileError::Stale`] when the organisation changed in
    /// between, the storage or the database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn set_logo(
        &self,
        caller: &Caller,
        org: &Organisation,
        name: &str,
        body: UploadStream<'_>,
    ) -> Result<Organisation, FileError> {
        let actor = caller.authorize(org.id, Action::EditOrganisation)?;
        let file = self.receive(caller, org, Owner::Organisation(org.id), name, body, true).await?;
        match self.swap_logo(org, actor.user_id, Some(&file)).await {
            Ok((updated, old)) => {
                if let Some(old) = old {
                    self.remove_objects(&old).await;
                }
                tracing::info!(file = %file.id, "logo set");
                Ok(updated)
            }
            Err(e) => {
                self.remove_objects(&file).await;
                Err(e)
            }
        }
    }

    /// Removes the organisation's logo (none: nothing changes).
    ///
    /// # Errors
    /// Unauthenticated, forbidden unless the organisation's admin, stale, the database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn remove_logo(&self, caller: &Caller, org: &Organisation) -> Result<Organisation, FileError> {
        let actor = caller.authorize(org.id, Action::EditOrganisation)?;
        if org.logo_file_id.is_none() {
            return Ok(org.clone());
        }
        let (updated, old) = self.swap_logo(org, actor.user_id, None).await?;
        if let Some(old) = old {
            self.remove_objects(&old).await;
        }
        Ok(updated)
    }

    /// In one unit of work: records `new` (if any), deletes the current logo's record, points the
    /// organisation at `new` (a new version) and writes the audit entry. Returns the organisation
    /// and the old logo, whose bytes the caller removes once this is committed.
    async fn swap_logo(
        &self,
        org: &Organisation,
        actor: UserId,
        new: Option<&StoredFile>,
    ) -> Result<(Organisation, Option<StoredFile>), FileError> {
        let now = self.clock.now();
        let tx = self.store.begin().await?;
        let current = tx.org_by_slug(org.slug.as_str()).await?.ok_or(FileError::NotFound("organisation"))?;
        let old = match current.logo_file_id {
            Some(id) => tx.file(org.id, id).await?,
            None => None,
        };
        if let Some(f) = new {
            tx.create_file(f).await?;
        }
        if let Some(o) = &old {
            tx.delete_file(o.id).await?;
        }
        let mut updated = current.clone();
        updated.logo_file_id = new.map(|f| f.id);
        updated.updated_at = Version::next_after(current.updated_at, now);
        tx.update_org(&updated, current.updated_at).await.map_err(|e| match e {
            RepoError::Conflict { .. } => FileError::Stale,
            other => other.into(),
        })?;
        let action = if new.is_some() { "organisation.logo_set" } else { "organisation.logo_removed" };
        Audit::new(org.id, actor, action, ("organisation", org.id), now)
            .change("logo_file_id", current.logo_file_id, updated.logo_file_id)
            .record(&*tx)
            .await?;
        tx.commit().await?;
        self.org_contexts.forget(org.slug.as_str()).await;
        Ok((updated, old))
    }

    /// Streams a document to the storage, counting and hashing; aborts past the limit or when
    /// the client's stream fails.
    async fn store_document(
        &self,
        org: OrgId,
        id: FileId,
        content_type: &str,
        head: Bytes,
        mut body: UploadStream<'_>,
    ) -> Result<Variant, FileError> {
        let limit = self.limits.document;
        let too_large = FileError::TooLarge { kind: "document", limit };
        if head.len() as u64 > limit {
            return Err(too_large);
        }
        let mut up = self.storage.start(&key_of(org, id, None)).await?;
        let mut hash = Sha256::new();
        let mut size = head.len() as u64;
        hash.update(&head);
        let mut next = Some(head);
        let outcome: Result<(), FileError> = async {
            while let Some(chunk) = next.take() {
                up.write(chunk).await?;
                match body.next().await {
                    Some(Ok(c)) => {
                        size += c.len() as u64;
                        if size > limit {
                            return Err(too_large.clone());
                        }
                        hash.update(&c);
                        next = Some(c);
                    }
                    Some(Err(e)) => return Err(FileError::Upload(e)),
                    None => {}
                }
            }
            Ok(())
        }
        .await;
        match outcome {
            Ok(()) => up.finish().await?,
            Err(e) => {
                abort(up).await;
                return Err(e);
            }
        }
        Ok(Variant {
            width: None,
            height: None,
            content_type: content_type.to_owned(),
            size,
            sha256: hex::encode(hash.finalize()),
        })
    }

    /// Reads an image whole (it must be decoded anyway; its limit is small), then stores its
    /// resized variants; the original is never written.
    async fn store_image(
        &self,
        org: OrgId,
        id: FileId,
        head: Bytes,
        mut body: UploadStream<'_>,
    ) -> Result<Vec<Variant>, FileError> {
        let limit = self.limits.image;
        let too_large = FileError::TooLarge { kind: "image", limit };
        let mut all = BytesMut::from(head.as_ref());
        if all.len() as u64 > limit {
            return Err(too_large);
        }
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(FileError::Upload)?;
            if (all.len() + chunk.len()) as u64 > limit {
                return Err(too_large);
            }
            all.extend_from_slice(&chunk);
        }
        let images = self.images.clone();
        let bytes = all.freeze();
        let encoded = tokio::task::spawn_blocking(move || images.variants(&bytes, &IMAGE_WIDTHS))
            .await
            .map_err(|e| FileError::Storage(super::StorageError::Failed(format!("image worker: {e}"))))?
            .map_err(|e| invalid("file", format!("is not a readable image: {e}")))?;
        let mut variants: Vec<Variant> = Vec::with_capacity(encoded.len());
        for img in encoded {
            let key = key_of(org, id, Some(img.width));
            let v = Variant {
                width: Some(img.width),
                height: Some(img.height),
                content_type: img.content_type,
                size: img.bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&img.bytes)),
            };
            if let Err(e) = put(self.storage.as_ref(), &key, Bytes::from(img.bytes)).await {
                for done in &variants {
                    self.delete_object(&key_of(org, id, done.width)).await;
                }
                return Err(e.into());
            }
            variants.push(v);
        }
        Ok(variants)
    }

    async fn delete_object(&self, key: &str) {
        if let Err(e) = self.storage.delete(key).await {
            tracing::warn!(key, error = %e, "could not delete a stored file; it is left over");
        }
    }

    async fn remove_objects(&self, f: &StoredFile) {
        for v in &f.variants {
            self.delete_object(&f.key(v)).await;
        }
    }

    /// Removes the stored bytes of files whose records a use case has deleted (after its unit of
    /// work committed); a failure is logged and left to [`FileService::sweep_orphans`].
    pub async fn remove_stored(&self, files: &[StoredFile]) {
        for f in files {
            self.remove_objects(f).await;
        }
    }

    /// Deletes every stored object that has had no record for longer than `grace`: the bytes of
    /// an upload whose server stopped between storing them and inserting the record, or whose
    /// deletion failed half way. Keys that are not of a file are left alone. Returns how many
    /// objects went.
    ///
    /// # Errors
    /// The storage or the database failed.
    #[tracing::instrument(skip_all)]
    pub async fn sweep_orphans(&self, grace: chrono::Duration) -> Result<u64, FileError> {
        let cutoff = self.clock.now() - grace;
        let old: Vec<(String, FileId)> = self
            .storage
            .list()
            .await?
            .into_iter()
            .filter(|o| o.last_modified < cutoff)
            .filter_map(|o| o.file_id().map(|id| (o.key, id)))
            .collect();
        let mut removed = 0;
        for chunk in old.chunks(500) {
            let ids: Vec<FileId> = chunk.iter().map(|(_, id)| *id).collect();
            let existing = self.store.existing_files(&ids).await?;
            for (key, id) in chunk {
                if !existing.contains(id) {
                    self.storage.delete(key).await?;
                    removed += 1;
                }
            }
        }
        if removed > 0 {
            tracing::info!(removed, "removed stored files that had no record");
        }
        Ok(removed)
    }

    async fn load(&self, caller: &Caller, org: &Organisation, id: FileId) -> Result<(StoredFile, Access), FileError> {
        let f = self.store.file(org.id, id).await?.ok_or(FileError::NotFound("file"))?;
        let access = match self.access(caller, org, f.owner).await {
            Ok(a) => a,
            // The resource went away: so did its files.
            Err(FileError::NotFound(_)) => return Err(FileError::NotFound("file")),
            Err(e) => return Err(e),
        };
        if !access.read {
            return Err(FileError::NotFound("file"));
        }
        Ok((f, access))
    }

    /// A resource's files, oldest first; as visible as the resource.
    ///
    /// # Errors
    /// Not found (also a resource the caller may not see).
    #[tracing::instrument(skip_all, fields(org = %org.id, owner = %owner.id()))]
    pub async fn list(&self, caller: &Caller, org: &Organisation, owner: Owner) -> Result<Vec<StoredFile>, FileError> {
        let access = self.access(caller, org, owner).await?;
        if !access.read {
            return Err(FileError::NotFound(owner.noun()));
        }
        Ok(self.store.files_of(owner).await?)
    }

    /// One file's record.
    ///
    /// # Errors
    /// Not found (also a file of a resource the caller may not see).
    pub async fn get(&self, caller: &Caller, org: &Organisation, id: FileId) -> Result<StoredFile, FileError> {
        Ok(self.load(caller, org, id).await?.0)
    }

    /// A file's bytes: a document, or an image at the smallest width at least `width` (the
    /// largest without one); the whole or one range.
    ///
    /// # Errors
    /// Not found; a range outside the file; the storage failed.
    #[tracing::instrument(skip_all, fields(org = %org.id, file = %id))]
    pub async fn download(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: FileId,
        width: Option<u32>,
        range: Option<RangeRequest>,
    ) -> Result<Download, FileError> {
        let (file, _) = self.load(caller, org, id).await?;
        let variant = match width {
            Some(w) => file.variants.iter().find(|v| v.width.is_some_and(|vw| vw >= w)).or(file.main()),
            None => file.main(),
        }
        .cloned()
        .ok_or(FileError::NotFound("file"))?;
        let range = range.map(|r| r.resolve(variant.size)).transpose()?;
        let partial = range.is_some();
        let bytes = match self.storage.get(&file.key(&variant), range).await {
            Ok(b) => b,
            Err(super::StorageError::NotFound) => {
                tracing::error!(file = %file.id, "a file's record has no stored bytes");
                return Err(FileError::NotFound("file"));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Download { file, variant, partial, bytes })
    }

    /// Deletes a file: its uploader while they may still attach to the resource, or staff who
    /// write content. The record goes first; the stored bytes after it.
    ///
    /// # Errors
    /// Unauthenticated, forbidden, not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, file = %id))]
    pub async fn delete(&self, caller: &Caller, org: &Organisation, id: FileId) -> Result<(), FileError> {
        let (file, access) = self.load(caller, org, id).await?;
        let own = file.uploaded_by.is_some() && file.uploaded_by == caller.user_id();
        let writer = caller.authorize(org.id, Action::WriteContent).is_ok();
        if !(writer || (own && access.attach)) {
            return Err(Self::refuse(caller, org.id));
        }
        if matches!(file.owner, Owner::Organisation(_)) {
            return Err(invalid(
                "file",
                "is the organisation's logo: remove it as the logo (DELETE /api/v1/orgs/{org}/logo)",
            ));
        }
        if self.store.delete_file(file.id).await? {
            self.remove_objects(&file).await;
        }
        Ok(())
    }

    /// Deletes every file of a resource being deleted (records, then bytes).
    ///
    /// # Errors
    /// The database failed.
    pub async fn delete_all_of(&self, owner: Owner) -> Result<u64, FileError> {
        let files = self.store.files_of(owner).await?;
        let mut n = 0;
        for f in files {
            if self.store.delete_file(f.id).await? {
                self.remove_objects(&f).await;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// What is "not found" when the owner is missing or hidden.
async fn abort(up: Box<dyn StorageUpload>) {
    if let Err(e) = up.abort().await {
        tracing::warn!(error = %e, "could not abort a partial upload");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_within_the_size_or_are_refused() {
        let r = |start, end| RangeRequest::From { start, end };
        assert_eq!(r(0, Some(9)).resolve(100).ok(), Some(0..10));
        assert_eq!(r(90, None).resolve(100).ok(), Some(90..100));
        assert_eq!(r(90, Some(500)).resolve(100).ok(), Some(90..100), "an end past the size is cut");
        assert_eq!(RangeRequest::Last(10).resolve(100).ok(), Some(90..100));
        assert_eq!(RangeRequest::Last(500).resolve(100).ok(), Some(0..100));
        for bad in [r(100, None), r(5, Some(4))] {
            assert_eq!(bad.resolve(100), Err(FileError::RangeNotSatisfiable { size: 100 }));
        }
        assert!(RangeRequest::Last(0).resolve(100).is_err());
        assert!(r(0, None).resolve(0).is_err(), "nothing to send from an empty object");
    }
}
