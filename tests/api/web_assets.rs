//! The built web app's assets: each is written at build also compressed (`.br`, `.gz` beside it)
//! and the server sends the form the request accepts (brotli first, then gzip, else the file
//! itself) with its encoding, its own type, `Vary: Accept-Encoding` and a year of immutable
//! caching; `index.html` is revalidated on each use. Not database-specific: run on SQLite.

use std::path::PathBuf;

use reqwest::Response;

use crate::helpers::{Backend, TestApp, spawn_app_with};

const SCRIPT: &str = "index-abc123.js";

/// A built web app in a fresh folder: an index, and one script with distinguishable compressed
/// forms (their bytes say which one was sent).
async fn app_with_web_app() -> (TestApp, PathBuf) {
    let dir = std::env::temp_dir().join(format!("pnyx-test-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Pnyx</title>").unwrap();
    std::fs::write(dir.join("assets").join(SCRIPT), "console.log('plain');").unwrap();
    std::fs::write(dir.join("assets").join(format!("{SCRIPT}.br")), "brotli bytes").unwrap();
    std::fs::write(dir.join("assets").join(format!("{SCRIPT}.gz")), "gzip bytes").unwrap();
    std::fs::write(dir.join("assets").join("only-plain-def456.css"), "body { color: black }").unwrap();
    std::fs::create_dir_all(dir.join(".vite")).unwrap();
    let manifest = serde_json::json!({
        "index.html": {"file": format!("assets/{SCRIPT}"), "isEntry": true},
        "src/locales/pl.json": {"file": "assets/pl-Pl12.js", "isDynamicEntry": true},
        "src/locales/en.json": {"file": "assets/en-En12.js", "isDynamicEntry": true},
    });
    std::fs::write(dir.join(".vite").join("manifest.json"), manifest.to_string()).unwrap();
    let static_dir = dir.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.static_dir = static_dir).await.expect("SQLite");
    (app, dir)
}

fn header(res: &Response, name: &str) -> Option<String> {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
}

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> Response {
    let mut req = app.client.get(format!("{}{path}", app.address));
    if let Some(value) = accept_encoding {
        req = req.header("accept-encoding", value);
    }
    req.send().await.unwrap()
}

fn assert_asset_headers(res: &Response, content_type: &str) {
    assert_eq!(res.status(), 200);
    assert!(header(res, "content-type").unwrap().starts_with(content_type), "{:?}", res.headers());
    assert_eq!(header(res, "cache-control").as_deref(), Some("public, max-age=31536000, immutable"));
    let vary = header(res, "vary").expect("a Vary header");
    assert!(vary.to_ascii_lowercase().contains("accept-encoding"), "{vary}");
}

#[tokio::test]
async fn brotli_is_sent_when_accepted() {
    let (app, dir) = app_with_web_app().await;
    for accepted in ["gzip, deflate, br, zstd", "br", "gzip;q=0.5, br;q=0.5"] {
        let res = get(&app, &format!("/assets/{SCRIPT}"), Some(accepted)).await;
        assert_asset_headers(&res, "text/javascript");
        assert_eq!(header(&res, "content-encoding").as_deref(), Some("br"), "{accepted}");
        assert_eq!(res.text().await.unwrap(), "brotli bytes", "{accepted}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn gzip_is_sent_when_only_gzip_is_accepted() {
    let (app, dir) = app_with_web_app().await;
    for accepted in ["gzip", "gzip, deflate", "br;q=0, gzip", "gzip;q=1, br;q=0.5"] {
        let res = get(&app, &format!("/assets/{SCRIPT}"), Some(accepted)).await;
        assert_asset_headers(&res, "text/javascript");
        assert_eq!(header(&res, "content-encoding").as_deref(), Some("gzip"), "{accepted}");
        // Sent as stored: not compressed a second time on the way out.
        assert_eq!(res.text().await.unwrap(), "gzip bytes", "{accepted}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn the_file_itself_is_sent_otherwise() {
    let (app, dir) = app_with_web_app().await;
    for accepted in [None, Some("identity"), Some("br;q=0, gzip;q=0, identity")] {
        let res = get(&app, &format!("/assets/{SCRIPT}"), accepted).await;
        assert_asset_headers(&res, "text/javascript");
        assert_eq!(header(&res, "content-encoding"), None, "{accepted:?}");
        assert_eq!(res.text().await.unwrap(), "console.log('plain');", "{accepted:?}");
    }
    // A range is of the file itself, whatever is accepted.
    let res = app
        .client
        .get(format!("{}/assets/{SCRIPT}", app.address))
        .header("accept-encoding", "br, gzip")
        .header("range", "bytes=0-6")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_ne!(header(&res, "content-encoding").as_deref(), Some("br"));
    assert_eq!(res.text().await.unwrap(), "console");
    // An asset without compressed forms is sent as it is to a client that accepts only those.
    let res = get(&app, "/assets/only-plain-def456.css", Some("br")).await;
    assert_asset_headers(&res, "text/css");
    assert_eq!(header(&res, "content-encoding"), None);
    assert_eq!(res.text().await.unwrap(), "body { color: black }");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn the_index_is_revalidated_and_a_missing_asset_is_a_404() {
    let (app, dir) = app_with_web_app().await;
    for path in ["/", "/o/banska-bystrica"] {
        let res = get(&app, path, Some("br, gzip")).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"), "{path}");
        assert!(header(&res, "content-type").unwrap().starts_with("text/html"), "{path}");
    }
    for path in ["/assets/missing-0000.js", "/assets/.hidden", "/assets/index-abc123.js.map"] {
        let res = get(&app, path, Some("br")).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(header(&res, "content-type").unwrap().starts_with("application/problem+json"), "{path}");
    }
    // Other methods than GET and HEAD are not served files.
    let res = app.client.post(format!("{}/assets/{SCRIPT}", app.address)).send().await.unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_page_names_the_readers_language_chunk_for_the_browser_to_fetch_beside_the_script() {
    let (app, dir) = app_with_web_app().await;
    let page = |path: &'static str, lang: Option<&'static str>| {
        let mut req = app.client.get(format!("{}{path}", app.address));
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        req.send()
    };
    for path in ["/", "/o/banska-bystrica/budgets"] {
        let res = page(path, Some("pl-PL,pl;q=0.9,en;q=0.8")).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "link").as_deref(), Some("</assets/pl-Pl12.js>; rel=modulepreload"), "{path}");
        // A language the build has no chunk of, or none asked for: the app's English.
        for lang in [Some("sk"), None] {
            let res = page(path, lang).await.unwrap();
            assert_eq!(header(&res, "link").as_deref(), Some("</assets/en-En12.js>; rel=modulepreload"), "{lang:?}");
        }
    }
    // Not on the API, the assets, or an error.
    for path in ["/api/v1/orgs", "/assets/only-plain-def456.css", "/assets/missing-0000.js"] {
        let res = page(path, Some("pl")).await.unwrap();
        assert_eq!(header(&res, "link"), None, "{path}");
    }
    // The manifest itself is not served.
    let res = page("/.vite/manifest.json", None).await.unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert!(!res.text().await.unwrap().contains("pl-Pl12"));
    std::fs::remove_dir_all(dir).ok();
}
