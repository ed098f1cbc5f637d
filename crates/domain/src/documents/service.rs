//! The documents use cases: anyone reads the library (filtered by category, year and text, in
//! pages) and the documents linked to a resource; staff who write content create, edit and delete
//! documents and link them to resources. Deleting a document deletes its files (records in the
//! same unit of work, bytes after it commits).

use crate::audit::Audit;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Category, Document, DocumentError, DocumentFilter, LinkTarget, fold, invalid};
use crate::auth::{Action, Caller};
use crate::clock::Clock;
use crate::files::{FileService, Owner, StoredFile};
use crate::i18n::LocalizedText;
use crate::ids::DocumentId;
use crate::org::Organisation;
use crate::repo::{Page, PageRequest, RepoError, Store};
use crate::version::Version;

const TITLE_MAX: usize = 300;
const DESCRIPTION_MAX: usize = 5000;
const QUERY_MAX: usize = 200;

/// A new document (its file is uploaded after, to the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub category: Category,
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub published_on: NaiveDate,
}

/// Changes to a document: `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentChanges {
    pub category: Option<Category>,
    pub title: Option<LocalizedText>,
    pub description: Option<LocalizedText>,
    pub published_on: Option<NaiveDate>,
}

/// The library's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentQuery {
    pub category: Option<Category>,
    pub year: Option<i32>,
    /// Words to find in the titles and descriptions (any language, accents ignored).
    pub text: Option<String>,
}

/// A document with its files and what it is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentView {
    pub document: Document,
    pub files: Vec<StoredFile>,
    pub links: Vec<LinkTarget>,
    /// Not public yet (staff only see it).
    pub scheduled: bool,
}

/// The documents use cases.
pub struct DocumentService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    files: Arc<FileService>,
}

fn check_date(d: NaiveDate) -> Result<NaiveDate, DocumentError> {
    use chrono::Datelike;
    if !(1900..=2200).contains(&d.year()) {
        return Err(invalid("published_on", "must be a date between the years 1900 and 2200"));
    }
    Ok(d)
}

impl DocumentService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, files: Arc<FileService>) -> Self {
        DocumentService { store, clock, files }
    }

    fn today(&self, org: &Organisation) -> NaiveDate {
        self.clock.now().with_timezone(&org.time_zone.tz()).date_naive()
    }

    async fn view(&self, org: &Organisation, d: Document) -> Result<DocumentView, DocumentError> {
        let files = self.store.files_of(Owner::Document(d.id)).await?;
        let links = self.store.document_links(d.id).await?;
        let scheduled = d.published_on > self.today(org);
        Ok(DocumentView { document: d, files, links, scheduled })
    }

    /// The library: newest publication first, filtered by category, year and words; staff also
    /// see documents whose publication date is still ahead.
    ///
    /// # Errors
    /// A query too long; the database failed.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn list(
        &self,
        caller: &Caller,
        org: &Organisation,
        q: &DocumentQuery,
        page: PageRequest,
    ) -> Result<Page<DocumentView>, DocumentError> {
        let text = q.text.as_deref().map(str::trim).unwrap_or_default();
        if text.chars().count() > QUERY_MAX {
            return Err(invalid("q", format!("is longer than {QUERY_MAX} characters")));
        }
        if let Some(y) = q.year
            && !(1900..=2200).contains(&y)
        {
            return Err(invalid("year", "must be between 1900 and 2200"));
        }
        let filter = DocumentFilter {
            category: q.category,
            year: q.year,
            // Punctuation alone is no word: a `q` of only that filters nothing out.
            words: fold(text)
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .map(str::to_owned)
                .collect(),
            published_by: (!caller.is_staff_of(org.id)).then(|| self.today(org)),
        };
        let all = self.store.documents(org.id, &filter).await?;
        let page = Page::of_list(all, page, |d| d.id);
        // The page's files and links in one statement each, not two per document.
        let ids: Vec<DocumentId> = page.items.iter().map(|d| d.id).collect();
        let owners: Vec<Owner> = ids.iter().map(|id| Owner::Document(*id)).collect();
        let mut files = self.store.files_of_many(&owners).await?;
        let mut links = self.store.documents_links(&ids).await?;
        let today = self.today(org);
        let mut items = Vec::with_capacity(page.items.len());
        for d in page.items {
            let (mine, rest): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.owner == Owner::Document(d.id));
            files = rest;
            let (my_links, rest): (Vec<_>, Vec<_>) = links.into_iter().partition(|(id, _)| *id == d.id);
            links = rest;
            let scheduled = d.published_on > today;
            items.push(DocumentView {
                document: d,
                files: mine,
                links: my_links.into_iter().map(|(_, l)| l).collect(),
                scheduled,
            });
        }
        Ok(Page { items, next_after: page.next_after, total: page.total })
    }

    /// One document with its files and links.
    ///
    /// # Errors
    /// Not found (also before its publication date, unless staff).
    pub async fn get(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: DocumentId,
    ) -> Result<DocumentView, DocumentError> {
        let (d, files, links) =
            self.store.document_read(org.id, id).await?.ok_or(DocumentError::NotFound("document"))?;
        let scheduled = d.published_on > self.today(org);
        // Staff see a document before its publication date; nobody else does.
        if scheduled && !caller.is_staff_of(org.id) {
            return Err(DocumentError::NotFound("document"));
        }
        Ok(DocumentView { document: d, files, links, scheduled })
    }

    /// Adds a document to the library.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(
        &self,
        caller: &Caller,
        org: &Organisation,
        n: NewDocument,
    ) -> Result<DocumentView, DocumentError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let title = org.check_text("title", n.title, TITLE_MAX).map_err(|e| invalid(e.field, e.message))?;
        let description = org
            .check_optional_text("description", n.description, DESCRIPTION_MAX)
            .map_err(|e| invalid(e.field, e.message))?;
        let now = self.clock.now();
        let d = Document {
            id: DocumentId::new_v7(),
            org_id: org.id,
            category: n.category,
            title,
            description,
            published_on: check_date(n.published_on)?,
            created_by: Some(actor),
            created_at: now,
            updated_at: now,
        };
        let uow = self.store.begin().await?;
        uow.create_document(&d).await?;
        Audit::new(org.id, actor, "document.created", ("document", d.id), now).created(&d).record(uow.as_ref()).await?;
        uow.commit().await?;
        self.view(org, d).await
    }

    /// Applies `changes` if the document is still at version `expected` (when given).
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, document = %id))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: DocumentId,
        expected: Option<DateTime<Utc>>,
        ch: DocumentChanges,
    ) -> Result<DocumentView, DocumentError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let mut d = self.store.document(org.id, id).await?.ok_or(DocumentError::NotFound("document"))?;
        Version::check(expected, d.updated_at)?;
        let before = d.clone();
        if let Some(c) = ch.category {
            d.category = c;
        }
        if let Some(t) = ch.title {
            d.title = org.check_text("title", t, TITLE_MAX).map_err(|e| invalid(e.field, e.message))?;
        }
        if let Some(t) = ch.description {
            d.description =
                org.check_optional_text("description", t, DESCRIPTION_MAX).map_err(|e| invalid(e.field, e.message))?;
        }
        if let Some(p) = ch.published_on {
            d.published_on = check_date(p)?;
        }
        let previous = d.updated_at;
        let now = self.clock.now();
        d.updated_at = Version::next_after(previous, now);
        let uow = self.store.begin().await?;
        uow.update_document(&d, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => DocumentError::Stale,
            other => other.into(),
        })?;
        Audit::new(org.id, actor, "document.updated", ("document", d.id), now)
            .updated(&before, &d)
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        self.view(org, d).await
    }

    /// Deletes a document, its links and its files.
    ///
    /// # Errors
    /// Forbidden; not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, document = %id))]
    pub async fn delete(&self, caller: &Caller, org: &Organisation, id: DocumentId) -> Result<(), DocumentError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let d = self.store.document(org.id, id).await?.ok_or(DocumentError::NotFound("document"))?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        let files = uow.files_of(Owner::Document(d.id)).await?;
        for f in &files {
            uow.delete_file(f.id).await?;
        }
        if !uow.delete_document(d.id).await? {
            return Err(DocumentError::NotFound("document"));
        }
        Audit::new(org.id, actor, "document.deleted", ("document", d.id), now)
            .deleted(&d)
            .context("files", files.len())
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        self.files.remove_stored(&files).await;
        Ok(())
    }

    /// Whether `target` is a resource of the organisation the caller may see.
    async fn check_target(&self, caller: &Caller, org: &Organisation, target: LinkTarget) -> Result<(), DocumentError> {
        let missing = DocumentError::NotFound(target.noun());
        let found = match target {
            LinkTarget::ActionPlan(id) => {
                self.store.plan(org.id, id).await?.is_some_and(|p| p.status.is_public() || caller.is_staff_of(org.id))
            }
            LinkTarget::Meeting(id) => self.store.meeting(org.id, id).await?.is_some(),
            LinkTarget::Consultation(id) => self.store.consultation(org.id, id).await?.is_some(),
            LinkTarget::Budget(id) => self.store.budget(org.id, id).await?.is_some(),
        };
        if found { Ok(()) } else { Err(missing) }
    }

    /// The documents linked to a resource the caller may see (published ones, or all for staff).
    ///
    /// # Errors
    /// Not found (the resource).
    pub async fn linked(
        &self,
        caller: &Caller,
        org: &Organisation,
        target: LinkTarget,
    ) -> Result<Vec<DocumentView>, DocumentError> {
        self.check_target(caller, org, target).await?;
        let staff = caller.is_staff_of(org.id);
        let today = self.today(org);
        let mut out = Vec::new();
        for d in self.store.linked_documents(org.id, target).await? {
            if staff || d.published_on <= today {
                out.push(self.view(org, d).await?);
            }
        }
        Ok(out)
    }

    /// Links a document to a resource (a repeat changes nothing).
    ///
    /// # Errors
    /// Forbidden; not found (the document or the resource).
    #[tracing::instrument(skip_all, fields(org = %org.id, document = %id))]
    pub async fn link(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: DocumentId,
        target: LinkTarget,
    ) -> Result<(), DocumentError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        self.store.document(org.id, id).await?.ok_or(DocumentError::NotFound("document"))?;
        self.check_target(caller, org, target).await?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        if uow.link_document(org.id, id, target, now).await? {
            let details = json!({"resource_type": target.type_str(), "resource_id": target.id()});
            Audit::new(org.id, actor, "document.linked", ("document", id), now)
                .extra(details)
                .record(uow.as_ref())
                .await?;
        }
        uow.commit().await?;
        Ok(())
    }

    /// Removes a link.
    ///
    /// # Errors
    /// Forbidden; not found (the document or the link).
    #[tracing::instrument(skip_all, fields(org = %org.id, document = %id))]
    pub async fn unlink(
        &self,
        caller: &Caller,
        org: &Organisation,
        id: DocumentId,
        target: LinkTarget,
    ) -> Result<(), DocumentError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        self.store.document(org.id, id).await?.ok_or(DocumentError::NotFound("document"))?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        if !uow.unlink_document(id, target).await? {
            return Err(DocumentError::NotFound("link"));
        }
        let details = json!({"resource_type": target.type_str(), "resource_id": target.id()});
        Audit::new(org.id, actor, "document.unlinked", ("document", id), now)
            .extra(details)
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        Ok(())
    }
}
