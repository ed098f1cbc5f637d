//! The search use case: public, the same answer for every caller.

use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use uuid::Uuid;

use super::{Document, Kind, QueryError, SearchError, SearchQuery, Segment, snippet};
use crate::i18n::{Locale, LocalizedText};
use crate::ids::OrgId;
use crate::org::Organisation;
use crate::repo::Store;

/// Characters of a snippet, about two lines on a phone.
const SNIPPET_CHARS: usize = 160;

/// A search request, parsed by the API from its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchParams {
    /// As typed; checked and folded here.
    pub q: String,
    pub kind: Option<Kind>,
    /// The language the snippet is preferably taken from (the organisation's default otherwise).
    pub locale: Option<Locale>,
    pub limit: u64,
    pub offset: u64,
}

/// One hit: what it is, how to link to it, its title and a highlighted snippet of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: LocalizedText,
    pub snippet: Vec<Segment>,
}

/// A page of hits, best first, with the count of every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    pub counts: Vec<(Kind, u64)>,
    /// Hits across all pages (of the requested kind, when one was asked for).
    pub total: u64,
    /// Where the next page starts, if there is one.
    pub next_offset: Option<u64>,
}

impl From<QueryError> for SearchError {
    fn from(e: QueryError) -> Self {
        SearchError::Invalid { field: "q".into(), message: e.to_string() }
    }
}

/// Pages of results kept by default (a page with its snippets is a few kilobytes).
pub const DEFAULT_CACHED_PAGES: u64 = 10_000;

/// What a page of results depends on: the organisation's index as of a version, the folded
/// words (so "Lavičky" and "lavicky" share an entry) and the page asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    org: OrgId,
    version: i64,
    terms: Vec<String>,
    kind: Option<Kind>,
    locale: Locale,
    limit: u64,
    offset: u64,
}

/// Full-text search over an organisation's public resources.
///
/// Pages of results are cached in memory under the organisation's index version
/// ([`super::SearchRepo::index_version`]), which every change raises in its own transaction: a
/// search reads the version first (one primary-key read) and answers from the cache when the
/// same page was computed at that version, on this server; a change committed by any server
/// sharing the database makes the next search compute afresh. Concurrent requests for a page
/// not cached yet share one computation.
pub struct SearchService {
    store: Arc<dyn Store>,
    pages: Cache<PageKey, Arc<SearchResults>>,
}

impl SearchService {
    /// A service caching up to [`DEFAULT_CACHED_PAGES`] pages of results.
    #[must_use]
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self::with_cache(store, DEFAULT_CACHED_PAGES)
    }

    /// A service caching up to `pages` pages of results (0: none; requests for a page being
    /// computed still share that computation).
    #[must_use]
    pub fn with_cache(store: Arc<dyn Store>, pages: u64) -> Self {
        let pages = Cache::builder().max_capacity(pages).time_to_idle(Duration::from_secs(600)).build();
        SearchService { store, pages }
    }

    /// Parses a `?q=` of a list: `None` when absent.
    ///
    /// # Errors
    /// [`SearchError::Invalid`] for a blank query or one over 200 characters.
    pub fn list_query(q: Option<&str>) -> Result<Option<SearchQuery>, SearchError> {
        q.map(SearchQuery::parse).transpose().map_err(Into::into)
    }

    /// The organisation's public resources matching `p.q`: every word required, the last also as
    /// a prefix, accents, case and script ignored; title matches rank above body-only ones.
    ///
    /// # Errors
    /// [`SearchError::Invalid`] naming `q` when it is blank or over 200 characters; a database failure.
    #[tracing::instrument(skip_all, fields(org = %org.id))]
    pub async fn search(&self, org: &Organisation, p: SearchParams) -> Result<Arc<SearchResults>, SearchError> {
        let q = match SearchQuery::parse(&p.q) {
            // Text without a word (spaces, punctuation) finds nothing; an empty `q` is refused.
            Err(QueryError::Empty) if !p.q.is_empty() => {
                return Ok(Arc::new(SearchResults {
                    hits: Vec::new(),
                    counts: Vec::new(),
                    total: 0,
                    next_offset: None,
                }));
            }
            other => other?,
        };
        let key = PageKey {
            org: org.id,
            version: self.store.index_version(org.id).await?,
            terms: q.terms().to_vec(),
            kind: p.kind,
            locale: p.locale.unwrap_or(org.default_locale),
            limit: p.limit,
            offset: p.offset,
        };
        // Requests for a page being computed wait for that computation instead of each running
        // their own (a popular query right after a change, or many at once on a cold server).
        self.pages
            .try_get_with(key, async { self.compute(org, &q, &p).await.map(Arc::new) })
            .await
            .map_err(|e| (*e).clone())
    }

    async fn compute(
        &self,
        org: &Organisation,
        q: &SearchQuery,
        p: &SearchParams,
    ) -> Result<SearchResults, SearchError> {
        let q = q.clone();
        let found = self.store.search(org.id, &q, p.kind, p.limit.saturating_add(1), p.offset).await?;
        let total = match p.kind {
            Some(k) => found.counts.iter().find(|(c, _)| *c == k).map_or(0, |(_, n)| *n),
            None => found.counts.iter().map(|(_, n)| n).sum(),
        };
        let more = found.documents.len() as u64 > p.limit;
        let locale = p.locale.unwrap_or(org.default_locale);
        let hits = found
            .documents
            .into_iter()
            .take(usize::try_from(p.limit).unwrap_or(usize::MAX))
            .map(|d| hit(d, &q, locale, org.default_locale))
            .collect();
        Ok(SearchResults {
            hits,
            counts: found.counts,
            total,
            next_offset: more.then_some(p.offset.saturating_add(p.limit)),
        })
    }
}

/// The texts of `t`, the preferred language first.
fn in_order(t: &LocalizedText, locale: Locale, fallback: Locale) -> Vec<&str> {
    let mut order = vec![locale, fallback];
    order.extend(t.locales());
    let mut seen = Vec::new();
    order
        .into_iter()
        .filter(|l| {
            !seen.contains(l) && {
                seen.push(*l);
                true
            }
        })
        .filter_map(|l| t.get(l))
        .collect()
}

fn hit(d: Document, q: &SearchQuery, locale: Locale, fallback: Locale) -> Hit {
    let bodies = in_order(&d.body, locale, fallback);
    let found = bodies
        .iter()
        .chain(in_order(&d.title, locale, fallback).iter())
        .find_map(|text| snippet(text, q, SNIPPET_CHARS));
    let snippet = found.unwrap_or_else(|| {
        // Matched through a word split differently than here: show the start of the text.
        let start: String = bodies.first().map(|b| b.chars().take(SNIPPET_CHARS).collect()).unwrap_or_default();
        if start.is_empty() { Vec::new() } else { vec![Segment { text: start, highlight: false }] }
    });
    Hit { kind: d.kind, id: d.id, parent_id: d.parent_id, title: d.title, snippet }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;

    #[test]
    fn the_snippet_comes_from_the_preferred_language_that_matches_else_from_the_title() {
        let d = Document {
            kind: Kind::Proposal,
            id: Uuid::nil(),
            org_id: OrgId::new_v7(),
            parent_id: None,
            title: LocalizedText::from([(Locale::Pl, "Ławki w parku"), (Locale::En, "Benches")]),
            body: LocalizedText::from([
                (Locale::Pl, "Nowe ławki przy stawie"),
                (Locale::En, "New benches by the pond"),
            ]),
        };
        let q = SearchQuery::parse("lawki").unwrap();
        let h = hit(d.clone(), &q, Locale::En, Locale::Pl);
        assert_eq!(h.snippet[1], Segment { text: "ławki".into(), highlight: true }, "English has no match");
        let q = SearchQuery::parse("parku").unwrap();
        let h = hit(d, &q, Locale::Pl, Locale::Pl);
        assert_eq!(
            h.snippet,
            vec![
                Segment { text: "Ławki w ".into(), highlight: false },
                Segment { text: "parku".into(), highlight: true }
            ]
        );
    }
}
