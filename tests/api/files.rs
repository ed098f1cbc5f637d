//! Files: the storage port against both adapters (a folder, and a real S3-compatible server,
//! moto, started per test from `tests/s3/.venv`), and the API on both databases: uploads typed
//! from their content (415), limited per kind (413), images without metadata, downloads with the
//! original name, `ETag` and ranges, and files as private as their resource.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use bytes::Bytes;
use futures_util::StreamExt;
use pnyx_domain::files::{FileStorage, StorageError, put};
use reqwest::{Method, Response};
use serde_json::json;

use crate::helpers::{Backend, TestApp, User, assert_problem, json_of, spawn_app_with};
use crate::on_both_databases;

/// A running moto S3 server with one bucket; killed on drop.
pub(crate) struct S3Server {
    child: Child,
    port: u16,
}

pub(crate) const BUCKET: &str = "pnyx-files";

impl S3Server {
    pub(crate) async fn start() -> Self {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("s3/.venv/bin/moto_server");
        assert!(bin.exists(), "run scripts/setup.sh: it makes tests/s3/.venv with moto[server]");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let server = S3Server { child, port };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            // moto takes any credentials; a plain PUT of the bucket's path creates it.
            if let Ok(res) = client.put(format!("{}/{BUCKET}", server.endpoint())).send().await
                && res.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("moto did not start on port {port}");
    }

    pub(crate) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub(crate) fn config(&self) -> pnyx_files::S3Config {
        pnyx_files::S3Config {
            bucket: BUCKET.into(),
            endpoint: Some(self.endpoint()),
            region: "us-east-1".into(),
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn read_all(s: &dyn FileStorage, key: &str, range: Option<std::ops::Range<u64>>) -> (u64, Vec<u8>) {
    let got = s.get(key, range).await.unwrap();
    let size = got.size;
    let mut out = Vec::new();
    let mut body = got.body;
    while let Some(chunk) = body.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    (size, out)
}

/// The same behaviour asked of every storage: streamed multipart writes that appear only when
/// finished, whole and ranged reads, aborts and deletes that leave nothing.
async fn storage_suite(s: &dyn FileStorage) {
    let data: Vec<u8> = (0..6 * 1024 * 1024 + 123u32).map(|i| (i * 31 % 251) as u8).collect();
    let key = "org/file/document";
    let mut up = s.start(key).await.unwrap();
    for chunk in data.chunks(700_000) {
        up.write(Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    assert_eq!(s.size(key).await, Err(StorageError::NotFound), "nothing is visible before the upload finishes");
    up.finish().await.unwrap();
    assert_eq!(s.size(key).await.unwrap(), data.len() as u64);
    let (size, whole) = read_all(s, key, None).await;
    assert_eq!((size, whole.len()), (data.len() as u64, data.len()));
    assert!(whole == data, "the bytes come back as written");
    let (size, part) = read_all(s, key, Some(5_242_870..5_242_890)).await;
    assert_eq!(size, data.len() as u64, "a range still tells the whole size");
    assert_eq!(part, data[5_242_870..5_242_890], "a range across the part boundary");

    let other = "org/other/document";
    let mut up = s.start(other).await.unwrap();
    up.write(Bytes::from_static(b"half an upload")).await.unwrap();
    up.abort().await.unwrap();
    assert_eq!(s.size(other).await, Err(StorageError::NotFound), "an aborted upload leaves nothing");
    assert!(matches!(s.get(other, None).await, Err(StorageError::NotFound)));

    put(s, key, Bytes::from_static(b"replaced")).await.unwrap();
    assert_eq!(read_all(s, key, None).await.1, b"replaced");
    s.delete(key).await.unwrap();
    s.delete(key).await.unwrap();
    assert_eq!(s.size(key).await, Err(StorageError::NotFound), "deleted");
}

pub(crate) fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() { out.extend(files_in(&p)) } else { out.push(p) }
    }
    out
}

#[tokio::test]
async fn the_folder_storage_passes_the_storage_suite_and_leaves_no_staging_files() {
    let dir = std::env::temp_dir().join(format!("pnyx-storage-{}", uuid::Uuid::new_v4()));
    let s = pnyx_files::ObjectStorage::local(&dir).unwrap();
    storage_suite(&s).await;
    assert_eq!(files_in(&dir), Vec::<PathBuf>::new(), "aborted and deleted objects leave no file behind");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_s3_storage_passes_the_storage_suite_against_a_real_s3_server() {
    let server = S3Server::start().await;
    let s = pnyx_files::ObjectStorage::s3(&server.config()).unwrap();
    storage_suite(&s).await;
}

/// A `multipart/form-data` body with `bytes` as the part `file` named `name` (raw UTF-8, as
/// browsers send it).
pub(crate) fn form(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    form_after("", name, bytes)
}

/// [`form`] with `before` (whole parts, each starting with the boundary line) ahead of `file`.
fn form_after(before: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "pnyx-test-boundary-7MA4YWxkTrZu0gW";
    let before = before.replace("{b}", b);
    let mut body = format!(
        "{before}--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

pub(crate) async fn upload(app: &TestApp, path: &str, who: Option<&User>, name: &str, bytes: &[u8]) -> Response {
    post_form(app, path, who, form(name, bytes)).await
}

/// POSTs a multipart form made by [`form`] or [`form_after`] (or edited after).
async fn post_form(app: &TestApp, path: &str, who: Option<&User>, (ct, body): (String, Vec<u8>)) -> Response {
    app.request(Method::POST, path, who.map(|u| u.token.as_str()))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A download's status, headers and bytes.
pub(crate) struct Got {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
}

impl Got {
    pub(crate) fn h(&self, k: &str) -> String {
        self.headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }
}

pub(crate) async fn bytes_of(app: &TestApp, url: &str, who: Option<&User>) -> (Got, Vec<u8>) {
    let res = app.request(Method::GET, url, who.map(|u| u.token.as_str())).send().await.unwrap();
    let got = Got { status: res.status().as_u16(), headers: res.headers().clone() };
    (got, res.bytes().await.unwrap().to_vec())
}

pub(crate) fn pdf(pages: usize) -> Vec<u8> {
    let mut s = String::from("%PDF-1.4\n");
    for i in 0..pages {
        s.push_str(&format!("{} 0 obj\n<< /Type /Page /Contents (Zápisnica strana {i}) >>\nendobj\n", i + 1));
    }
    s.push_str("%%EOF\n");
    s.into_bytes()
}

/// A JPEG of `w`×`h` with an EXIF segment holding a GPS position (48° 44' 12.34" N).
pub(crate) fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
    let mut t: Vec<u8> = Vec::new();
    t.extend(b"MM\0\x2a");
    t.extend(8u32.to_be_bytes());
    t.extend(1u16.to_be_bytes()); // IFD0: one entry, the GPS IFD's offset
    t.extend(0x8825u16.to_be_bytes());
    t.extend(4u16.to_be_bytes());
    t.extend(1u32.to_be_bytes());
    t.extend(26u32.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    t.extend(2u16.to_be_bytes()); // GPS IFD: latitude reference and latitude
    t.extend(1u16.to_be_bytes());
    t.extend(2u16.to_be_bytes());
    t.extend(2u32.to_be_bytes());
    t.extend(b"N\0\0\0");
    t.extend(2u16.to_be_bytes());
    t.extend(5u16.to_be_bytes());
    t.extend(3u32.to_be_bytes());
    t.extend(56u32.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    for (n, d) in [(48u32, 1u32), (44, 1), (1234, 100)] {
        t.extend(n.to_be_bytes());
        t.extend(d.to_be_bytes());
    }
    let mut seg = vec![0xFF, 0xE1];
    seg.extend(u16::try_from(2 + 6 + t.len()).unwrap().to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(t);
    let mut out = plain[..2].to_vec();
    out.extend(seg);
    out.extend(&plain[2..]);
    out
}

/// The markers of a JPEG's segments before the image data.
fn jpeg_segments(b: &[u8]) -> Vec<u8> {
    assert_eq!(&b[..2], &[0xFF, 0xD8], "a JPEG");
    let mut i = 2;
    let mut out = Vec::new();
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        out.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        i += 2 + len;
    }
    out
}

pub(crate) const GPS_LATITUDE: [u8; 16] = [0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 44, 0, 0, 0, 1];

pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn meeting(app: &TestApp, official: &User) -> String {
    crate::meetings::create(app, official, &crate::meetings::meeting(-3, None)).await
}

on_both_databases! {
    async fn an_official_attaches_minutes_that_anyone_downloads_by_name_with_ranges_and_etag(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let id = meeting(&app, &official).await;
        let url = format!("/api/v1/orgs/mesto/meetings/{id}/files");
        let minutes = pdf(400);
        let name = "Zápisnica č. 3 — ÚZ.pdf";
        let f = json_of(upload(&app, &url, Some(&official), &format!("../../{name}"), &minutes).await, 201).await;
        assert_eq!(f["name"], name, "the last segment of the name, for display");
        assert_eq!((f["kind"].as_str(), f["content_type"].as_str()), (Some("document"), Some("application/pdf")));
        assert_eq!(f["size"], minutes.len());
        let list = json_of(app.get(&url, None).await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "listed publicly with the meeting");

        let content = f["url"].as_str().unwrap().to_owned();
        let (res, body) = bytes_of(&app, &content, None).await;
        assert_eq!(res.status, 200);
        assert!(body == minutes, "the bytes round-trip");
        let h = |k: &str| res.h(k);
        assert_eq!(h("content-type"), "application/pdf");
        assert_eq!(h("content-length"), minutes.len().to_string());
        assert_eq!(h("accept-ranges"), "bytes");
        let cd = h("content-disposition");
        assert!(cd.starts_with("inline; filename=\""), "{cd}");
        assert!(cd.contains("filename*=UTF-8''Z%C3%A1pisnica%20%C4%8D.%203%20%E2%80%94%20%C3%9AZ.pdf"), "RFC 6266 with the UTF-8 name: {cd}");
        assert!(!cd.contains('á'), "the ASCII fallback has no raw non-ASCII: {cd}");
        let etag = h("etag");
        assert!(etag.starts_with('"') && etag.len() == 66, "a strong ETag of the content: {etag}");

        let again = app.request(Method::GET, &content, None).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), 304);
        let attach = app.request(Method::GET, &format!("{content}?download=true"), None).send().await.unwrap();
        assert!(attach.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));

        let part = app.request(Method::GET, &content, None).header("range", "bytes=100-199").send().await.unwrap();
        assert_eq!(part.status(), 206);
        assert_eq!(part.headers()["content-range"], format!("bytes 100-199/{}", minutes.len()).as_str());
        assert_eq!(part.bytes().await.unwrap().as_ref(), &minutes[100..200]);
        let tail = app.request(Method::GET, &content, None).header("range", "bytes=-10").send().await.unwrap();
        assert_eq!(tail.status(), 206);
        assert_eq!(tail.bytes().await.unwrap().as_ref(), &minutes[minutes.len() - 10..]);
        let outside = app.request(Method::GET, &content, None).header("range", format!("bytes={}-", minutes.len() + 5)).send().await.unwrap();
        assert_eq!(outside.headers()["content-range"], format!("bytes */{}", minutes.len()).as_str());
        let p = assert_problem(outside, 416).await;
        assert_eq!(p["code"], "range-not-satisfiable");

        // Deleting removes the record and the bytes.
        let fid = f["id"].as_str().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/orgs/mesto/files/{fid}"), Some(&official.token)).await.status(), 204);
        assert_eq!(app.get(&content, None).await.status(), 404);
        assert_eq!(files_in(&app.files_dir()), Vec::<PathBuf>::new(), "no bytes left behind");
    }
}

on_both_databases! {
    async fn a_residents_photo_loses_its_gps_position_and_its_original(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let b = crate::budgets::create(&app, &official, &crate::budgets::process(json!({"kind": "approval", "max_projects": 3}), None)).await;
        crate::budgets::to(&app, &official, &b, "proposals").await;
        let jana = app.register("jana@mesto.sk").await;
        let p = crate::budgets::propose(&app, &jana, &b, "Lavičky v parku", 500_000).await;
        let url = format!("/api/v1/orgs/mesto/budgets/{b}/proposals/{p}/files");
        let photo = jpeg_with_gps(1600, 1200);
        assert!(contains(&photo, b"Exif\0\0") && contains(&photo, &GPS_LATITUDE), "the test photo carries a GPS position");
        assert!(jpeg_segments(&photo).contains(&0xE1));

        let f = json_of(upload(&app, &url, Some(&jana), "IMG_2041.jpg", &photo).await, 201).await;
        assert_eq!(f["kind"], "image");
        let widths: Vec<u64> = f["variants"].as_array().unwrap().iter().map(|v| v["width"].as_u64().unwrap()).collect();
        assert_eq!(widths, vec![320, 640, 1280], "resized; the 1600 px original is not among them");
        for v in f["variants"].as_array().unwrap() {
            let (res, body) = bytes_of(&app, v["url"].as_str().unwrap(), None).await;
            assert_eq!(res.status, 200);
            assert_eq!(res.h("content-type"), "image/jpeg");
            assert!(!contains(&body, b"Exif"), "no EXIF in the {} px variant", v["width"]);
            assert!(!contains(&body, &GPS_LATITUDE), "no GPS position in the {} px variant", v["width"]);
            assert!(!jpeg_segments(&body).contains(&0xE1), "no APP1 segment");
            let img = image::load_from_memory(&body).unwrap();
            assert_eq!((u64::from(img.width()), u64::from(img.height())), (v["width"].as_u64().unwrap(), v["height"].as_u64().unwrap()));
        }
        let (_, largest) = bytes_of(&app, &format!("{}?width=5000", f["url"].as_str().unwrap()), None).await;
        assert_eq!(image::load_from_memory(&largest).unwrap().width(), 1280, "the original is never served");
        let (_, small) = bytes_of(&app, &format!("{}?width=300", f["url"].as_str().unwrap()), None).await;
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 320);
        let stored: Vec<Vec<u8>> = files_in(&app.files_dir()).iter().map(|p| std::fs::read(p).unwrap()).collect();
        assert_eq!(stored.len(), 3, "three variants stored, no original");
        assert!(stored.iter().all(|s| !contains(s, &GPS_LATITUDE)), "the position is not stored either");
    }
}

on_both_databases! {
    async fn others_may_not_attach_and_a_hidden_proposals_files_are_as_hidden_as_it(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let moderator = app.register("moderator@mesto.sk").await;
        app.grant("mesto", moderator.id, &["moderator"]).await;
        let id = meeting(&app, &official).await;
        let jana = app.register("jana@mesto.sk").await;
        let murl = format!("/api/v1/orgs/mesto/meetings/{id}/files");
        assert_problem(upload(&app, &murl, None, "a.pdf", &pdf(1)).await, 401).await;
        assert_problem(upload(&app, &murl, Some(&jana), "a.pdf", &pdf(1)).await, 403).await;

        let b = crate::budgets::create(&app, &official, &crate::budgets::process(json!({"kind": "approval", "max_projects": 3}), None)).await;
        crate::budgets::to(&app, &official, &b, "proposals").await;
        let p = crate::budgets::propose(&app, &jana, &b, "Lavičky v parku", 500_000).await;
        let purl = format!("/api/v1/orgs/mesto/budgets/{b}/proposals/{p}/files");
        let peter = app.register("peter@mesto.sk").await;
        assert_problem(upload(&app, &purl, Some(&peter), "plan.pdf", &pdf(1)).await, 403).await;
        let f = json_of(upload(&app, &purl, Some(&jana), "plan.pdf", &pdf(1)).await, 201).await;
        let fid = f["id"].as_str().unwrap().to_owned();
        assert_problem(app.delete(&format!("/api/v1/orgs/mesto/files/{fid}"), Some(&peter.token)).await, 403).await;
        let other = format!("/api/v1/orgs/mesto/budgets/{b}/proposals/{}/files", uuid::Uuid::now_v7());
        assert_problem(upload(&app, &other, Some(&jana), "plan.pdf", &pdf(1)).await, 404).await;

        let hide = app
            .post(
                &format!("/api/v1/orgs/mesto/moderation/items/budget_proposal/{p}/decisions"),
                Some(&moderator.token),
                &json!({"decision": "hide", "reason": "Osobné údaje"}),
            )
            .await;
        assert_eq!(hide.status(), 204, "{:?}", hide.text().await);
        let content = f["url"].as_str().unwrap();
        assert_problem(app.get(content, None).await, 404).await;
        assert_problem(app.get(content, Some(&peter.token)).await, 404).await;
        assert_problem(app.get(&purl, None).await, 404).await;
        assert_eq!(app.get(content, Some(&jana.token)).await.status(), 200, "the author still sees it");
        assert_eq!(app.get(content, Some(&official.token)).await.status(), 200, "staff see it");

        // Once review starts, the author may no longer attach; staff still may.
        crate::budgets::to(&app, &official, &b, "review").await;
        assert_problem(upload(&app, &purl, Some(&jana), "more.pdf", &pdf(1)).await, 403).await;
        assert_eq!(upload(&app, &purl, Some(&official), "review.pdf", &pdf(1)).await.status(), 201);
    }
}

/// Limits of 64 KiB for images and 128 KiB for documents.
async fn small_limits(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |s| {
        s.max_image_bytes = 64 * 1024;
        s.max_document_bytes = 128 * 1024;
    })
    .await
}

async fn refused_uploads_leave_nothing(app: TestApp) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let id = meeting(&app, &official).await;
    let url = format!("/api/v1/orgs/mesto/meetings/{id}/files");

    let exe = [b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".as_slice(), &[0u8; 4000]].concat();
    let p = assert_problem(upload(&app, &url, Some(&official), "minutes.pdf", &exe).await, 415).await;
    assert_eq!(p["code"], "unsupported-media-type");
    assert!(
        p["detail"].as_str().unwrap().contains("application/vnd.microsoft.portable-executable"),
        "names the detected type: {p}"
    );
    let gif =
        b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
    let p = assert_problem(upload(&app, &url, Some(&official), "a.png", gif).await, 415).await;
    assert!(p["detail"].as_str().unwrap().contains("image/gif"), "{p}");

    let big_pdf = pdf(4000);
    assert!(big_pdf.len() > 128 * 1024);
    let p = assert_problem(upload(&app, &url, Some(&official), "big.pdf", &big_pdf).await, 413).await;
    assert_eq!(p["code"], "payload-too-large");
    let big_photo = jpeg_with_gps(1200, 900);
    assert!(
        big_photo.len() > 64 * 1024 && big_photo.len() < 128 * 1024,
        "over the image limit, under the document one"
    );
    assert_problem(upload(&app, &url, Some(&official), "big.jpg", &big_photo).await, 413).await;

    let not_multipart = app.post(&url, Some(&official.token), &json!({"file": "x"})).await;
    assert_problem(not_multipart, 415).await;
    let empty = assert_problem(upload(&app, &url, Some(&official), "empty.txt", b"").await, 422).await;
    assert_eq!(empty["errors"][0]["field"], "file");
    // The form has one part, `file`: another one is refused, naming it (the schema says so).
    let (ct, body) =
        form_after("--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n", "a.csv", b"a;b\n1;2\n");
    let res = post_form(&app, &url, Some(&official), (ct, body)).await;
    let extra = assert_problem(res, 422).await;
    assert_eq!(extra["errors"][0]["field"], "note");
    // Nor after it: the upload fails and nothing of it is kept.
    let (ct, mut body) = form("a.csv", b"a;b\n1;2\n");
    let end = body.len() - "--\r\n".len();
    body.truncate(end);
    body.extend_from_slice(
        b"\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--pnyx-test-boundary-7MA4YWxkTrZu0gW--\r\n",
    );
    let res = post_form(&app, &url, Some(&official), (ct, body)).await;
    let after = assert_problem(res, 400).await;
    assert!(after["detail"].as_str().unwrap().contains("note"), "{after}");

    assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 0, "no row");
    assert_eq!(files_in(&app.files_dir()), Vec::<PathBuf>::new(), "no file, not even a partial one");

    // Under the limits, the same kinds go through.
    let ok =
        json_of(upload(&app, &url, Some(&official), "data.csv", "obvod;suma\nFončorda;12000\n".as_bytes()).await, 201)
            .await;
    assert_eq!(ok["content_type"], "text/csv");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_leave_no_file_and_no_row_on_sqlite() {
    refused_uploads_leave_nothing(small_limits(Backend::Sqlite).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_leave_no_file_and_no_row_on_postgres() {
    if let Some(app) = small_limits(Backend::Postgres).await {
        refused_uploads_leave_nothing(app).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_round_trip_through_an_s3_bucket() {
    let server = S3Server::start().await;
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.s3_bucket = Some(BUCKET.into());
        s.s3_endpoint = Some(server.endpoint());
        s.s3_access_key_id = Some("testing".into());
        s.s3_secret_access_key = Some(secrecy::SecretString::from("testing".to_owned()));
    })
    .await
    .unwrap();
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let id = meeting(&app, &official).await;
    let url = format!("/api/v1/orgs/mesto/meetings/{id}/files");
    let minutes = pdf(20_000);
    let f = json_of(upload(&app, &url, Some(&official), "zápisnica.pdf", &minutes).await, 201).await;
    let (res, body) = bytes_of(&app, f["url"].as_str().unwrap(), None).await;
    assert_eq!(res.status, 200);
    assert!(body == minutes, "the bytes round-trip through the bucket");
    let photo = json_of(upload(&app, &url, Some(&official), "foto.jpg", &jpeg_with_gps(700, 500)).await, 201).await;
    let (_, small) = bytes_of(&app, photo["variants"][0]["url"].as_str().unwrap(), None).await;
    assert!(!contains(&small, &GPS_LATITUDE));
    assert_eq!(image::load_from_memory(&small).unwrap().width(), 320);
    let fid = f["id"].as_str().unwrap();
    assert_eq!(app.delete(&format!("/api/v1/orgs/mesto/files/{fid}"), Some(&official.token)).await.status(), 204);
    let s = pnyx_files::ObjectStorage::s3(&server.config()).unwrap();
    let org = json_of(app.get("/api/v1/orgs/mesto", None).await, 200).await;
    let key = format!("{}/{fid}/document", org["id"].as_str().unwrap());
    assert_eq!(s.size(&key).await, Err(StorageError::NotFound), "the bucket's object went with the record");
}

on_both_databases! {
    async fn a_resident_attaches_photos_to_their_report_as_they_file_it_and_everyone_sees_them_without_gps(app) {
        let p = crate::reports::people(&app).await;
        let cat = crate::reports::category(&app, &p.official, "Osvetlenie", 10).await;
        let r = crate::reports::file(&app, &p.jana, &crate::reports::report(&cat, "Nesvieti lampa")).await;
        let id = r["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/orgs/mesto/resident-reports/{id}/files");
        let photo = jpeg_with_gps(800, 600);
        assert_problem(upload(&app, &url, None, "lampa.jpg", &photo).await, 401).await;
        assert_problem(upload(&app, &url, Some(&p.peter), "lampa.jpg", &photo).await, 403).await;
        let missing = format!("/api/v1/orgs/mesto/resident-reports/{}/files", uuid::Uuid::now_v7());
        assert_problem(upload(&app, &missing, Some(&p.jana), "lampa.jpg", &photo).await, 404).await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 0, "nothing stored on refusal");

        let f = json_of(upload(&app, &url, Some(&p.jana), "lampa.jpg", &photo).await, 201).await;
        assert_eq!((f["kind"].as_str(), f["owner_type"].as_str()), (Some("image"), Some("report")));
        assert_eq!(f["owner_id"], id.as_str());
        // Public as the report: anyone lists and downloads it, without the GPS position.
        let list = json_of(app.get(&url, None).await, 200).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
        let (got, body) = bytes_of(&app, f["url"].as_str().unwrap(), None).await;
        assert_eq!(got.status, 200);
        assert!(!contains(&body, b"Exif") && !contains(&body, &GPS_LATITUDE), "no metadata in the stored photo");

        // Once staff answered, the resident adds no more; staff still may.
        json_of(crate::reports::move_to(&app, &p.official, &id, &json!({"status": "accepted", "answer": "Prijaté"})).await, 200).await;
        assert_problem(upload(&app, &url, Some(&p.jana), "druha.jpg", &photo).await, 403).await;
        json_of(upload(&app, &url, Some(&p.official), "obhliadka.jpg", &photo).await, 201).await;
        assert_eq!(json_of(app.get(&url, None).await, 200).await["items"].as_array().unwrap().len(), 2);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 2);
    }
}
