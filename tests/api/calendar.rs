//! The iCalendar feed, checked by parsing it back with a real iCalendar parser.

use chrono::{Duration, Utc};
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{Value, json};

use crate::helpers::assert_problem;
use crate::on_both_databases;

fn parse(text: &str) -> Calendar {
    text.parse::<Calendar>().expect("a valid iCalendar document")
}

on_both_databases! {
    async fn the_feed_lists_consultation_periods_with_stable_uids(app) {
        let official = app.org_with_member("mesto", "official@mesto.sk", &["official"]).await;
        let opens = Utc::now() + Duration::days(3);
        let body = json!({
            "title": {"sk": "Konzultácia; návrh, \"rozpočtu\"", "en": "Budget consultation"},
            "summary": {"sk": &"Dlhý popis s diakritikou a čiarkami, ktorý presahuje 75 oktetov na riadok. ".repeat(3)},
            "subject": "budget", "opens_at": opens, "closes_at": opens + Duration::days(14)
        });
        let res = app.post("/api/v1/orgs/mesto/consultations", Some(&official.token), &body).await;
        let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

        let res = app.get("/api/v1/orgs/mesto/calendar.ics", None).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/calendar"));
        let text = res.text().await.unwrap();
        assert!(text.lines().all(|l| l.len() <= 75), "lines are folded at 75 octets");
        let cal = parse(&text);
        let events: Vec<_> = cal.components.iter().filter_map(|c| match c { CalendarComponent::Event(e) => Some(e), _ => None }).collect();
        assert_eq!(events.len(), 1);
        let e = events[0];
        assert_eq!(e.get_uid(), Some(format!("consultation-{id}@pnyx").as_str()));
        assert_eq!(e.get_summary(), Some("Konzultácia; návrh, \"rozpočtu\""), "escaping round-trips");
        assert!(e.get_description().unwrap().contains("diakritikou"));
        assert!(e.get_start().is_some() && e.get_end().is_some());

        // English on request; the UID does not change between fetches.
        let en = parse(&app.get("/api/v1/orgs/mesto/calendar.ics?lang=en", None).await.text().await.unwrap());
        let en_event = en.components.iter().find_map(|c| match c { CalendarComponent::Event(e) => Some(e), _ => None }).unwrap();
        assert_eq!(en_event.get_summary(), Some("Budget consultation"));
        assert_eq!(en_event.get_uid(), e.get_uid());
        assert_problem(app.get("/api/v1/orgs/nowhere/calendar.ics", None).await, 404).await;
    }
}

on_both_databases! {
    async fn serbian_is_served_in_the_script_asked_for(app) {
        let admin = app.platform_admin("root-lapovo@example.org").await;
        // A Serbian municipality whose default is Cyrillic; its officials may write in either script.
        let org = json!({
            "slug": "lapovo", "name": {"sr-Latn": "Opština Lapovo", "en": "Municipality of Lapovo"},
            "default_locale": "sr-Cyrl", "locales": ["sr-Cyrl", "sr-Latn", "en"],
            "time_zone": "Europe/Belgrade", "currency": "RSD"
        });
        let res = app.post("/api/v1/orgs", Some(&admin.token), &org).await;
        assert_eq!(res.status(), 201, "{:?}", res.text().await);
        let official = app.register("official@lapovo.rs").await;
        app.grant("lapovo", official.id, &["official"]).await;
        let stored: Value = app.get("/api/v1/orgs/lapovo", None).await.json().await.unwrap();
        assert_eq!(stored["name"], json!({"sr-Latn": "Opština Lapovo", "en": "Municipality of Lapovo"}), "what the author wrote is kept");

        let opens = Utc::now() + Duration::days(3);
        let body = json!({
            "title": {"sr-Latn": "Javna rasprava o budžetu za 2027. godinu"},
            "subject": "budget", "opens_at": opens, "closes_at": opens + Duration::days(14)
        });
        assert_eq!(app.post("/api/v1/orgs/lapovo/consultations", Some(&official.token), &body).await.status(), 201);
        // English only is not the municipality's language in either script.
        let english = json!({"title": {"en": "Budget"}, "subject": "budget", "opens_at": opens, "closes_at": opens + Duration::days(14)});
        let problem = assert_problem(app.post("/api/v1/orgs/lapovo/consultations", Some(&official.token), &english).await, 422).await;
        assert!(problem.to_string().contains("sr-Cyrl"), "{problem}");

        let summary = |text: &str| {
            let cal = parse(text);
            cal.components.iter().find_map(|c| match c { CalendarComponent::Event(e) => e.get_summary().map(str::to_owned), _ => None }).unwrap()
        };
        // By default the municipality's own script: Cyrillic, transliterated from what was written.
        let default = app.get("/api/v1/orgs/lapovo/calendar.ics", None).await.text().await.unwrap();
        assert_eq!(summary(&default), "Јавна расправа о буџету за 2027. годину");
        // A Latin reader by `?lang=`; a browser saying plain `sr` gets Cyrillic, `sr-Latn` Latin.
        let latin = app.get("/api/v1/orgs/lapovo/calendar.ics?lang=sr-Latn", None).await.text().await.unwrap();
        assert_eq!(summary(&latin), "Javna rasprava o budžetu za 2027. godinu");
        let asked = |lang: &'static str| app.request(reqwest::Method::GET, "/api/v1/orgs/lapovo/calendar.ics", None).header("Accept-Language", lang).send();
        assert_eq!(summary(&asked("sr-Latn-RS, en;q=0.5").await.unwrap().text().await.unwrap()), "Javna rasprava o budžetu za 2027. godinu");
        assert_eq!(summary(&asked("sr, en;q=0.5").await.unwrap().text().await.unwrap()), "Јавна расправа о буџету за 2027. годину");
    }
}
