//! The content page use cases: anyone reads the menu and a page (its Markdown rendered to
//! sanitised HTML); staff who write content create, edit and delete pages, each save appending a
//! revision in the same unit of work as the page, and read a page's history.

use crate::audit::Audit;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ContentPage, PageError, PageRevision, invalid, render_markdown};
use crate::auth::{Action, Caller, Principal, Role};
use crate::clock::Clock;
use crate::i18n::LocalizedText;
use crate::ids::{ContentPageId, OrgId, UserId};
use crate::org::Organisation;
use crate::repo::{RepoError, Store};
use crate::version::Version;

const SLUG_MAX: usize = 80;
const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 50_000;
/// The largest menu position.
pub const POSITION_MAX: i32 = 1000;

/// A new page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    pub slug: String,
    pub title: LocalizedText,
    pub body: LocalizedText,
    pub position: i32,
}

/// Changes to a page: `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageChanges {
    pub title: Option<LocalizedText>,
    pub body: Option<LocalizedText>,
    pub position: Option<i32>,
}

/// A page with its body rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageView {
    pub page: ContentPage,
    /// The body of each language as sanitised HTML.
    pub html: LocalizedText,
}

impl PageView {
    fn of(page: ContentPage) -> Self {
        let mut html = LocalizedText::default();
        for l in page.body.locales() {
            if let Some(md) = page.body.get(l) {
                html.insert(l, render_markdown(md));
            }
        }
        PageView { page, html }
    }
}

/// The content page use cases.
pub struct ContentPageService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// Lower-case ASCII letters and digits in words joined by single hyphens.
fn check_slug(s: &str) -> Result<String, PageError> {
    let ok = !s.is_empty()
        && s.len() <= SLUG_MAX
        && s.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(invalid("slug", format!("must be lower-case letters and digits joined by hyphens, at most {SLUG_MAX}")))
    }
}

fn check_position(p: i32) -> Result<i32, PageError> {
    if (0..=POSITION_MAX).contains(&p) {
        Ok(p)
    } else {
        Err(invalid("position", format!("must be between 0 and {POSITION_MAX}")))
    }
}

/// The role a revision records: the highest the author holds.
fn role_of(p: &Principal, org: OrgId) -> &'static str {
    if p.has_role(org, Role::Admin) {
        "admin"
    } else if p.has_role(org, Role::Official) {
        "official"
    } else {
        "platform_admin"
    }
}

fn revision(p: &ContentPage, author: UserId, role: &str) -> PageRevision {
    PageRevision {
        id: Uuid::now_v7(),
        page_id: p.id,
        title: p.title.clone(),
        body: p.body.clone(),
        position: p.position,
        author_id: Some(author),
        author_role: role.to_owned(),
        created_at: p.updated_at,
    }
}

impl ContentPageService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        ContentPageService { store, clock }
    }

    async fn load(&self, org: &Organisation, slug: &str) -> Result<ContentPage, PageError> {
        self.store.page_by_slug(org.id, slug).await?.ok_or(PageError::NotFound)
    }

    /// The menu: every page by position. Public.
    ///
    /// # Errors
    /// The database failed.
    pub async fn menu(&self, org: &Organisation) -> Result<Vec<ContentPage>, PageError> {
        Ok(self.store.pages(org.id).await?)
    }

    /// A page with its body rendered. Public.
    ///
    /// # Errors
    /// Not found.
    pub async fn get(&self, org: &Organisation, slug: &str) -> Result<PageView, PageError> {
        Ok(PageView::of(self.load(org, slug).await?))
    }

    /// Writes a new page and its first revision.
    ///
    /// # Errors
    /// Forbidden unless admin or official; invalid fields; a slug already taken.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn create(&self, caller: &Caller, org: &Organisation, n: NewPage) -> Result<PageView, PageError> {
        let p = caller.authorize(org.id, Action::WriteContent)?;
        let (actor, role) = (p.user_id, role_of(p, org.id));
        let slug = check_slug(&n.slug)?;
        let title = org.check_text("title", n.title, TITLE_MAX).map_err(|e| invalid(e.field, e.message))?;
        let body = org.check_text("body", n.body, BODY_MAX).map_err(|e| invalid(e.field, e.message))?;
        let now = self.clock.now();
        let page = ContentPage {
            id: ContentPageId::new_v7(),
            org_id: org.id,
            slug,
            title,
            body,
            position: check_position(n.position)?,
            created_at: now,
            updated_at: now,
        };
        let uow = self.store.begin().await?;
        uow.create_page(&page).await.map_err(|e| match e {
            RepoError::Conflict { .. } => PageError::SlugTaken,
            other => other.into(),
        })?;
        uow.add_page_revision(&revision(&page, actor, role)).await?;
        Audit::new(org.id, actor, "content_page.created", ("content_page", page.id), now)
            .created(&page)
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        Ok(PageView::of(page))
    }

    /// Applies `changes` if the page is still at version `expected` (when given), appending a
    /// revision.
    ///
    /// # Errors
    /// Forbidden; not found; stale; invalid fields.
    #[tracing::instrument(skip_all, fields(org = %org.id, slug))]
    pub async fn update(
        &self,
        caller: &Caller,
        org: &Organisation,
        slug: &str,
        expected: Option<DateTime<Utc>>,
        ch: PageChanges,
    ) -> Result<PageView, PageError> {
        let p = caller.authorize(org.id, Action::WriteContent)?;
        let (actor, role) = (p.user_id, role_of(p, org.id));
        let mut page = self.load(org, slug).await?;
        Version::check(expected, page.updated_at)?;
        let before = page.clone();
        if let Some(t) = ch.title {
            page.title = org.check_text("title", t, TITLE_MAX).map_err(|e| invalid(e.field, e.message))?;
        }
        if let Some(b) = ch.body {
            page.body = org.check_text("body", b, BODY_MAX).map_err(|e| invalid(e.field, e.message))?;
        }
        if let Some(pos) = ch.position {
            page.position = check_position(pos)?;
        }
        let previous = page.updated_at;
        let now = self.clock.now();
        page.updated_at = Version::next_after(previous, now);
        let uow = self.store.begin().await?;
        uow.update_page(&page, previous).await.map_err(|e| match e {
            RepoError::Conflict { .. } => PageError::Stale,
            other => other.into(),
        })?;
        uow.add_page_revision(&revision(&page, actor, role)).await?;
        Audit::new(org.id, actor, "content_page.updated", ("content_page", page.id), now)
            .updated(&before, &page)
            .context("slug", &page.slug)
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        Ok(PageView::of(page))
    }

    /// Deletes a page with its history.
    ///
    /// # Errors
    /// Forbidden; not found.
    #[tracing::instrument(skip_all, fields(org = %org.id, slug))]
    pub async fn delete(&self, caller: &Caller, org: &Organisation, slug: &str) -> Result<(), PageError> {
        let actor = caller.authorize(org.id, Action::WriteContent)?.user_id;
        let page = self.load(org, slug).await?;
        let now = self.clock.now();
        let uow = self.store.begin().await?;
        if !uow.delete_page(page.id).await? {
            return Err(PageError::NotFound);
        }
        Audit::new(org.id, actor, "content_page.deleted", ("content_page", page.id), now)
            .deleted(&page)
            .record(uow.as_ref())
            .await?;
        uow.commit().await?;
        Ok(())
    }

    /// A page's revisions, newest first: staff only.
    ///
    /// # Errors
    /// Forbidden; not found.
    pub async fn revisions(
        &self,
        caller: &Caller,
        org: &Organisation,
        slug: &str,
    ) -> Result<Vec<PageRevision>, PageError> {
        caller.authorize(org.id, Action::WriteContent)?;
        let page = self.load(org, slug).await?;
        Ok(self.store.page_revisions(page.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_hyphens() {
        for ok in ["jak-glosowac", "kontakt", "zasady-2025"] {
            assert_eq!(check_slug(ok).ok().as_deref(), Some(ok));
        }
        for bad in ["", "Jak", "a--b", "-a", "a-", "a b", "a/b", "čč", &"a".repeat(81)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert!(check_position(-1).is_err() && check_position(POSITION_MAX + 1).is_err());
    }
}
