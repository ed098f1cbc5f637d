//! The web app's interface texts are one chunk per language, which the app imports only once its
//! own script runs: a second round trip before the first paint. The page's response names the
//! reader's language chunk in a `Link: rel=modulepreload` header, so the browser fetches it beside
//! the app's script. The chunks' hashed names come from Vite's manifest of the build.

use std::path::Path;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptLanguage, Header, HeaderValue, Preference};
use actix_web::web;

/// Each interface language's chunk, as a `Link` header value, by the language's primary subtag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocaleChunks(Vec<(&'static str, HeaderValue)>);

/// The app's sources of its languages (`frontend/src/lib/i18n.ts`), by primary subtag. Serbian is
/// one chunk for both scripts; English is the app's last resort, as here.
const SOURCES: [(&str, &str); 4] = [
    ("sk", "src/locales/sk.json"),
    ("pl", "src/locales/pl.json"),
    ("sr", "src/locales/sr-Latn.json"),
    ("en", "src/locales/en.json"),
];

impl LocaleChunks {
    /// Reads `.vite/manifest.json` in the built app's folder; none when the build has no manifest
    /// (the page then loads as before, the chunk after the script).
    #[must_use]
    pub fn read(dir: &Path) -> Self {
        let path = dir.join(".vite").join("manifest.json");
        let Ok(text) = std::fs::read_to_string(&path) else { return Self::default() };
        let manifest: serde_json::Value = match serde_json::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "the web app's manifest is not JSON; no preloads");
                return Self::default();
            }
        };
        Self(
            SOURCES
                .iter()
                .filter_map(|(lang, src)| {
                    let file = manifest.get(*src)?.get("file")?.as_str()?;
                    // Vite's own names: nothing that could break out of the header's brackets.
                    let safe =
                        file.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
                    let value = HeaderValue::from_str(&format!("</{file}>; rel=modulepreload")).ok();
                    Some((*lang, value.filter(|_| safe)?))
                })
                .collect(),
        )
    }

    /// The chunk of the first language the request accepts that the app speaks (by `q`), else
    /// English's, as the app chooses from the browser's languages.
    fn for_request(&self, req: &actix_web::HttpRequest) -> Option<&HeaderValue> {
        let wanted = AcceptLanguage::parse(req).map(|a| a.ranked()).unwrap_or_default();
        wanted
            .iter()
            .find_map(|p| match p {
                Preference::Specific(tag) => {
                    let primary = tag.primary_language().to_ascii_lowercase();
                    self.0.iter().find(|(lang, _)| *lang == primary)
                }
                Preference::Any => None,
            })
            .or_else(|| self.0.iter().find(|(lang, _)| *lang == "en"))
            .map(|(_, v)| v)
    }
}

/// Adds the reader's language chunk to every page of the app (a successful HTML response outside
/// the API).
///
/// # Errors
/// The inner service's.
pub async fn preload_locale(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let mut res = next.call(req).await?;
    let page = res.status().is_success()
        && !res.request().path().starts_with("/api")
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if page {
        let link = res
            .request()
            .app_data::<web::Data<LocaleChunks>>()
            .and_then(|chunks| chunks.for_request(res.request()).cloned());
        if let Some(link) = link {
            res.headers_mut().append(header::LINK, link);
        }
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    /// A fresh folder, removed when dropped.
    struct Dir(std::path::PathBuf);
    impl Dir {
        fn new() -> Self {
            let d = std::env::temp_dir().join(format!("pnyx-preload-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&d).unwrap();
            Self(d)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    fn chunks() -> LocaleChunks {
        let dir = Dir::new();
        std::fs::create_dir(dir.path().join(".vite")).unwrap();
        let manifest = serde_json::json!({
            "index.html": {"file": "assets/index-AbC1.js", "isEntry": true},
            "src/locales/sk.json": {"file": "assets/sk-Sk1.js", "isDynamicEntry": true},
            "src/locales/pl.json": {"file": "assets/pl-Pl1.js", "isDynamicEntry": true},
            "src/locales/sr-Latn.json": {"file": "assets/sr-Latn-Sr1.js", "isDynamicEntry": true},
            "src/locales/en.json": {"file": "assets/en-En1.js", "isDynamicEntry": true},
        });
        std::fs::write(dir.path().join(".vite/manifest.json"), manifest.to_string()).unwrap();
        LocaleChunks::read(dir.path())
    }

    fn link(chunks: &LocaleChunks, accept: Option<&str>) -> Option<String> {
        let mut req = TestRequest::get().uri("/o/mesto");
        if let Some(a) = accept {
            req = req.insert_header((header::ACCEPT_LANGUAGE, a));
        }
        chunks.for_request(&req.to_http_request()).map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn the_readers_first_spoken_language_is_preloaded() {
        let c = chunks();
        assert_eq!(
            link(&c, Some("pl-PL,pl;q=0.9,en;q=0.8")).as_deref(),
            Some("</assets/pl-Pl1.js>; rel=modulepreload")
        );
        assert_eq!(
            link(&c, Some("de-DE, sk;q=0.5, en;q=0.7")).as_deref(),
            Some("</assets/en-En1.js>; rel=modulepreload")
        );
        assert_eq!(link(&c, Some("sr-Cyrl-RS")).as_deref(), Some("</assets/sr-Latn-Sr1.js>; rel=modulepreload"));
        assert_eq!(link(&c, Some("SK")).as_deref(), Some("</assets/sk-Sk1.js>; rel=modulepreload"));
        // A language the app does not speak, none, or a header that does not parse: English.
        for accept in [Some("de"), None, Some(";;;")] {
            assert_eq!(link(&c, accept).as_deref(), Some("</assets/en-En1.js>; rel=modulepreload"), "{accept:?}");
        }
    }

    #[test]
    fn no_manifest_or_a_broken_one_means_no_preload() {
        let dir = Dir::new();
        assert_eq!(LocaleChunks::read(dir.path()), LocaleChunks::default());
        std::fs::create_dir(dir.path().join(".vite")).unwrap();
        std::fs::write(dir.path().join(".vite/manifest.json"), "{not json").unwrap();
        let c = LocaleChunks::read(dir.path());
        assert_eq!(link(&c, Some("pl")), None);
        let odd = serde_json::json!({"src/locales/pl.json": {"file": "assets/pl>; rel=preload, <x.js"}});
        std::fs::write(dir.path().join(".vite/manifest.json"), odd.to_string()).unwrap();
        assert_eq!(LocaleChunks::read(dir.path()), LocaleChunks::default(), "a name that would break the header");
    }
}
