//! What is left when things go wrong: an upload that fails half way (a body cut short, a client
//! that goes away mid-upload) leaves no object and no row; and the periodic sweep removes stored
//! objects that have had no row for longer than the grace period (an upload killed between
//! storing its bytes and inserting its row), on the folder storage and on a real S3 server.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use chrono::Duration;
use pnyx_domain::files::{FileLimits, FileService, FileStorage, ORPHAN_GRACE, StorageError, put};

use crate::files::{BUCKET, S3Server, files_in, form, pdf, upload};
use crate::helpers::{Backend, TestApp, json_of, spawn_app_with};
use crate::on_both_databases;

async fn meeting_files_url(app: &TestApp) -> (crate::helpers::User, String) {
    let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
    let id = crate::meetings::create(app, &official, &crate::meetings::meeting(-3, None)).await;
    (official, format!("/api/v1/orgs/mesto/meetings/{id}/files"))
}

on_both_databases! {
    async fn an_upload_that_fails_half_way_leaves_no_file_and_no_row(app) {
        let (official, url) = meeting_files_url(&app).await;
        // A body that ends before the form's closing boundary, after enough bytes that the
        // document was being streamed to the storage.
        let big = pdf(20_000);
        assert!(big.len() > 256 * 1024);
        let (ct, body) = form("zapisnica.pdf", &big);
        let cut = body[..body.len() - 200_000].to_vec();
        let res = app
            .request(reqwest::Method::POST, &url, Some(&official.token))
            .header("content-type", ct.clone())
            .body(cut)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{:?}", res.text().await);

        // A client that goes away mid-upload: the connection closes with the body unfinished.
        let addr = app.address.trim_start_matches("http://").to_owned();
        let token = official.token.clone();
        let path = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            let head = format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).unwrap();
            s.write_all(&body[..body.len() / 2]).unwrap();
            s.flush().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(s);
        })
        .await
        .unwrap();
        // The server notices the closed connection and aborts the upload.
        let mut left = Vec::new();
        for _ in 0..50 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            left = files_in(&app.files_dir());
            if left.is_empty() {
                break;
            }
        }
        assert_eq!(left, Vec::<PathBuf>::new(), "no file, not even a staging part");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 0, "no row");
        // The same upload whole goes through.
        assert_eq!(upload(&app, &url, Some(&official), "zapisnica.pdf", &big).await.status(), 201);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM files").await, 1);
    }
}

fn sweeper(app: &TestApp, storage: Arc<dyn FileStorage>) -> FileService {
    FileService::new(
        Arc::new(app.db.clone()),
        storage,
        Arc::new(pnyx_files::ImageResizer),
        app.clock.clone(),
        FileLimits::default(),
    )
}

/// Stores an uploaded file's object and an orphan, and sweeps: nothing young goes, the old
/// orphan does, the file with a row and a key that is not a file's stay.
async fn sweep_suite(app: &TestApp, storage: Arc<dyn FileStorage>) {
    let (official, url) = meeting_files_url(app).await;
    let kept = json_of(upload(app, &url, Some(&official), "zapisnica.pdf", &pdf(3)).await, 201).await;
    let org = json_of(app.get("/api/v1/orgs/mesto", None).await, 200).await;
    let org_id = org["id"].as_str().unwrap();
    // An upload killed after storing its bytes, before inserting its row.
    let orphan = format!("{org_id}/{}/document", uuid::Uuid::now_v7());
    let orphan_image = format!("{org_id}/{}/w320", uuid::Uuid::now_v7());
    put(storage.as_ref(), &orphan, Bytes::from(pdf(1))).await.unwrap();
    put(storage.as_ref(), &orphan_image, Bytes::from_static(b"\x89PNG...")).await.unwrap();
    put(storage.as_ref(), "backups/readme.txt", Bytes::from_static(b"not a file of ours")).await.unwrap();
    assert_eq!(storage.list().await.unwrap().len(), 4);

    let files = sweeper(app, storage.clone());
    assert_eq!(files.sweep_orphans(ORPHAN_GRACE).await.unwrap(), 0, "within the grace period nothing goes");
    assert!(storage.size(&orphan).await.is_ok());

    app.clock.advance(ORPHAN_GRACE + Duration::minutes(1));
    assert_eq!(files.sweep_orphans(ORPHAN_GRACE).await.unwrap(), 2, "the two orphans go");
    assert_eq!(storage.size(&orphan).await, Err(StorageError::NotFound));
    assert_eq!(storage.size(&orphan_image).await, Err(StorageError::NotFound));
    assert!(storage.size("backups/readme.txt").await.is_ok(), "a key that is not a file's is left alone");
    let content = app.get(kept["url"].as_str().unwrap(), None).await;
    assert_eq!(content.status(), 200, "the file with a row stays");
    assert_eq!(content.bytes().await.unwrap().as_ref(), pdf(3).as_slice());
    assert_eq!(files.sweep_orphans(ORPHAN_GRACE).await.unwrap(), 0, "a second sweep finds nothing");
}

on_both_databases! {
    async fn the_sweep_removes_old_objects_without_a_row_from_the_folder(app) {
        let storage: Arc<dyn FileStorage> = Arc::new(pnyx_files::ObjectStorage::local(&app.files_dir()).unwrap());
        sweep_suite(&app, storage).await;
        let left: Vec<String> = files_in(&app.files_dir()).iter().map(|p| p.display().to_string()).collect();
        assert_eq!(left.len(), 2, "the kept file and the foreign key: {left:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_removes_old_objects_without_a_row_from_an_s3_bucket() {
    let server = S3Server::start().await;
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.s3_bucket = Some(BUCKET.into());
        s.s3_endpoint = Some(server.endpoint());
        s.s3_access_key_id = Some("testing".into());
        s.s3_secret_access_key = Some(secrecy::SecretString::from("testing".to_owned()));
    })
    .await
    .unwrap();
    let storage: Arc<dyn FileStorage> = Arc::new(pnyx_files::ObjectStorage::s3(&server.config()).unwrap());
    sweep_suite(&app, storage).await;
}
