//! Content pages of an organisation: how to propose and vote, the budget's rules, education,
//! contact. Staff write them in Markdown in the organisation's languages; the server renders them
//! to HTML and sanitises it (no scripts, event handlers or `javascript:` links survive), so the
//! web app shows the HTML as it comes. Pages are ordered in a menu by their position, and every
//! save appends a revision to the page's own history (what it said, who saved it by role, when).

mod service;

pub use service::{ContentPageService, NewPage, PageChanges, PageView};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::AuthzError;
use crate::i18n::LocalizedText;
use crate::ids::{ContentPageId, OrgId, UserId};
use crate::repo::{RepoError, RepoResult};

/// A content page: Markdown in one or more languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContentPage {
    pub id: ContentPageId,
    pub org_id: OrgId,
    /// Its address under the organisation: lower-case letters, digits and hyphens.
    pub slug: String,
    pub title: LocalizedText,
    /// Markdown.
    pub body: LocalizedText,
    /// Its place in the menu (smallest first).
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRevision {
    pub id: Uuid,
    pub page_id: ContentPageId,
    pub title: LocalizedText,
    pub body: LocalizedText,
    pub position: i32,
    pub author_id: Option<UserId>,
    /// The author's role when they saved it: `admin` or `official` (or `platform_admin`).
    pub author_role: String,
    pub created_at: DateTime<Utc>,
}

/// Persistence of content pages and their revisions.
#[async_trait::async_trait]
pub trait ContentPageRepo: Send + Sync {
    /// `Conflict` on `slug` when the organisation has a page with that slug.
    async fn create_page(&self, p: &ContentPage) -> RepoResult<()>;
    /// `Conflict` when `updated_at` is no longer `expected`.
    async fn update_page(&self, p: &ContentPage, expected: DateTime<Utc>) -> RepoResult<()>;
    async fn page_by_slug(&self, org_id: OrgId, slug: &str) -> RepoResult<Option<ContentPage>>;
    /// The organisation's pages by position, then slug.
    async fn pages(&self, org_id: OrgId) -> RepoResult<Vec<ContentPage>>;
    /// Deletes the page and its revisions; `false` when it was gone.
    async fn delete_page(&self, id: ContentPageId) -> RepoResult<bool>;
    async fn add_page_revision(&self, r: &PageRevision) -> RepoResult<()>;
    /// Newest first.
    async fn page_revisions(&self, id: ContentPageId) -> RepoResult<Vec<PageRevision>>;
}

/// Why a content page use case failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    Authz(#[from] AuthzError),
    #[error("no such page")]
    NotFound,
    #[error("the organisation already has a page at this address")]
    SlugTaken,
    #[error("the page was changed by someone else; reload and try again")]
    Stale,
    /// A field breaks a rule: its name in the request and what is wrong.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error(transparent)]
    Repo(RepoError),
}

crate::stale_converts!(PageError);

impl From<RepoError> for PageError {
    fn from(e: RepoError) -> Self {
        PageError::Repo(e)
    }
}

pub(crate) fn invalid(field: impl Into<String>, message: impl ToString) -> PageError {
    PageError::Invalid { field: field.into(), message: message.to_string() }
}

/// Markdown (CommonMark with tables, strikethrough and task lists) to sanitised HTML: raw HTML
/// in the Markdown goes through the same sanitiser, which keeps only harmless tags and
/// attributes, drops scripts and event handlers, allows `http`, `https` and `mailto` links only
/// and marks links `rel="noopener noreferrer"`.
#[must_use]
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(md, opts));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let html = render_markdown(
            "# Jak głosować\n\nWybierz **trzy** projekty:\n\n- park\n- [szkoła](https://sosnowiec.pl/szkola)\n",
        );
        assert!(html.contains("<h1>Jak głosować</h1>"), "{html}");
        assert!(html.contains("<strong>trzy</strong>"), "{html}");
        assert!(html.contains("<li>park</li>"), "{html}");
        assert!(html.contains("href=\"https://sosnowiec.pl/szkola\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_stripped() {
        let md = "Hello <script>alert('x')</script>\n\n<img src=\"https://a.example/p.png\" onerror=\"alert(1)\">\n\n<a href=\"javascript:alert(2)\" onclick=\"steal()\">click</a>\n\n[link](javascript:alert(3)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n<p style=\"position:fixed\">styled</p>";
        let html = render_markdown(md);
        let lower = html.to_lowercase();
        for bad in
            ["<script", "alert(", "onerror", "onclick", "javascript:", "data:text", "<iframe", "<style", "style="]
        {
            assert!(!lower.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("Hello"), "the text stays: {html}");
        assert!(html.contains("click") && html.contains("link"), "the link texts stay: {html}");
        assert!(html.contains("src=\"https://a.example/p.png\""), "a plain image stays: {html}");
    }
}
