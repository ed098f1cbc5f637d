//! An organisation's branding: the accent colour is refused below WCAG 2.x's 4.5:1 (naming the
//! ratios, changing nothing) and stored otherwise; the logo is an uploaded image (a document is
//! refused with 415 and leaves nothing), replaced and removed by the organisation's admins only,
//! shown in the organisation and never deletable as a plain file.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, User, assert_problem, error_fields, json_of, org_body};
use crate::on_both_databases;

const ORG: &str = "/api/v1/orgs/mesto";

fn form(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "pnyx-branding-boundary-Qx81";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn put_logo(app: &TestApp, who: Option<&User>, name: &str, bytes: &[u8]) -> reqwest::Response {
    let (ct, body) = form(name, bytes);
    app.request(Method::PUT, &format!("{ORG}/logo"), who.map(|u| u.token.as_str()))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, _| image::Rgb([(x % 256) as u8, 80, 140]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn org(app: &TestApp) -> (Value, String) {
    let res = app.get(ORG, None).await;
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    (json_of(res, 200).await, etag)
}

on_both_databases! {
    async fn an_accent_colour_below_the_contrast_ratio_is_refused_naming_it_and_changes_nothing(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let official = app.register("official@mesto.sk").await;
        app.grant("mesto", official.id, &["official"]).await;
        let (before, etag) = org(&app).await;
        assert_eq!(before["accent_color"], Value::Null);

        // Yellow under white text: 1.51:1.
        let p = assert_problem(app.patch(ORG, Some(&admin.token), &json!({"accent_color": "#ffcc00"})).await, 422).await;
        assert_eq!(error_fields(&p), ["accent_color"]);
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("1.51:1") && message.contains("1.38:1") && message.contains("4.5:1"), "{message}");
        // Legible under white text (4.54:1) but not as a link on the page background (4.16:1).
        let p = assert_problem(app.patch(ORG, Some(&admin.token), &json!({"accent_color": "#767676"})).await, 422).await;
        assert!(p["errors"][0]["message"].as_str().unwrap().contains("4.16:1"), "{p}");
        for bad in ["red", "#abc", "1d4e89", "#1d4e89ff"] {
            let p = assert_problem(app.patch(ORG, Some(&admin.token), &json!({"accent_color": bad})).await, 422).await;
            assert_eq!(error_fields(&p), ["accent_color"], "{bad}");
        }
        let (after, etag_after) = org(&app).await;
        assert_eq!((after, etag_after), (before, etag.clone()), "a refused colour changes nothing");

        // Only the organisation's admins set it.
        assert_problem(app.patch(ORG, Some(&official.token), &json!({"accent_color": "#0b6e4f"})).await, 403).await;
        let saved = json_of(app.patch(ORG, Some(&admin.token), &json!({"accent_color": "#0B6E4F"})).await, 200).await;
        assert_eq!(saved["accent_color"], "#0b6e4f");
        assert_eq!(org(&app).await.0["accent_color"], "#0b6e4f");
        // Other settings leave it alone; `null` goes back to the app's own colour.
        json_of(app.patch(ORG, Some(&admin.token), &json!({"description": {"sk": "Nový popis"}})).await, 200).await;
        assert_eq!(org(&app).await.0["accent_color"], "#0b6e4f");
        json_of(app.patch(ORG, Some(&admin.token), &json!({"accent_color": null})).await, 200).await;
        assert_eq!(org(&app).await.0["accent_color"], Value::Null);

        // A new organisation is checked the same way.
        let root = app.platform_admin("root2@example.org").await;
        let mut body = org_body("druhe");
        body["accent_color"] = json!("#f0f0f0");
        assert_eq!(error_fields(&assert_problem(app.post("/api/v1/orgs", Some(&root.token), &body).await, 422).await), ["accent_color"]);
        body["accent_color"] = json!("#1d4e89");
        assert_eq!(json_of(app.post("/api/v1/orgs", Some(&root.token), &body).await, 201).await["accent_color"], "#1d4e89");
    }
}

on_both_databases! {
    async fn the_logo_is_an_image_the_admins_set_replace_and_remove(app) {
        let admin = app.org_with_member("mesto", "admin@mesto.sk", &["admin"]).await;
        let official = app.register("official@mesto.sk").await;
        app.grant("mesto", official.id, &["official"]).await;
        let files = || app.scalar("SELECT COUNT(*) FROM files");

        assert_problem(put_logo(&app, None, "logo.png", &png(400, 200)).await, 401).await;
        assert_problem(put_logo(&app, Some(&official), "logo.png", &png(400, 200)).await, 403).await;
        // A document is not a logo, whatever its name says.
        let p = assert_problem(put_logo(&app, Some(&admin), "logo.png", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n").await, 415).await;
        assert!(p["detail"].as_str().unwrap().contains("application/pdf"), "{p}");
        assert_eq!(files().await, 0);
        assert_eq!(org(&app).await.0["logo"], Value::Null);

        let (_, etag) = org(&app).await;
        let res = put_logo(&app, Some(&admin), "grb.png", &png(400, 200)).await;
        let new_etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let set = json_of(res, 200).await;
        assert_ne!(new_etag, etag, "the organisation has a new version");
        let first = set["logo"]["file_id"].as_str().unwrap().to_owned();
        let url = set["logo"]["url"].as_str().unwrap().to_owned();
        assert_eq!(url, format!("{ORG}/files/{first}/content"));
        assert_eq!(org(&app).await.0["logo"], set["logo"]);
        // Anyone sees it, at a small width too.
        let small = app.get(&format!("{url}?width=320"), None).await;
        assert_eq!(small.status(), 200);
        let img = image::load_from_memory(&small.bytes().await.unwrap()).unwrap();
        assert_eq!(img.width(), 320);
        // A PATCH with the old ETag now fails: the logo changed the organisation.
        let stale = app.request(Method::PATCH, ORG, Some(&admin.token)).header("If-Match", &etag).json(&json!({"accent_color": "#1d4e89"})).send().await.unwrap();
        assert_problem(stale, 412).await;

        // It is no plain file to delete.
        assert_eq!(error_fields(&assert_problem(app.delete(&format!("{ORG}/files/{first}"), Some(&admin.token)).await, 422).await), ["file"]);

        // Replacing it removes the old one.
        let second = json_of(put_logo(&app, Some(&admin), "grb2.png", &png(300, 300)).await, 200).await;
        let second_id = second["logo"]["file_id"].as_str().unwrap().to_owned();
        assert_ne!(second_id, first);
        assert_eq!(files().await, 1);
        assert_eq!(app.get(&format!("{ORG}/files/{first}/content"), None).await.status(), 404);

        assert_problem(app.delete(&format!("{ORG}/logo"), Some(&official.token)).await, 403).await;
        assert_eq!(files().await, 1);
        let removed = json_of(app.delete(&format!("{ORG}/logo"), Some(&admin.token)).await, 200).await;
        assert_eq!(removed["logo"], Value::Null);
        assert_eq!(files().await, 0);
        assert_eq!(app.get(&format!("{ORG}/files/{second_id}/content"), None).await.status(), 404);
        // Removing no logo changes nothing.
        json_of(app.delete(&format!("{ORG}/logo"), Some(&admin.token)).await, 200).await;

        let log = json_of(app.get(&format!("{ORG}/audit-log?limit=100"), None).await, 200).await;
        let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "organisation.logo_set").count(), 2, "{actions:?}");
        assert_eq!(actions.iter().filter(|a| **a == "organisation.logo_removed").count(), 1, "{actions:?}");
    }
}
