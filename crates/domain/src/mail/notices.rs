//! The texts of notification e-mails (one event at once, or the daily digest) in each language.
//! Each kind of notification has one line, with the resource's title put in; the message links
//! to the notifications page and carries the one-click unsubscribe link.

use super::{OutboxMail, RenderError, RenderedMail, kind};
use crate::i18n::Locale;
use crate::notifications::kind as nk;

/// The line saying what happened, `{title}` standing for the resource's title.
fn line(k: &str, locale: Locale) -> &'static str {
    let locale = if locale == Locale::SrCyrl { Locale::SrLatn } else { locale };
    match (k, locale) {
        (nk::MEETING_CHANGED, Locale::En) => "The meeting “{title}” has changed.",
        (nk::MEETING_CHANGED, Locale::Sk) => "Stretnutie „{title}“ sa zmenilo.",
        (nk::MEETING_CHANGED, Locale::Pl) => "Spotkanie „{title}” zostało zmienione.",
        (nk::MEETING_CHANGED, _) => "Sastanak „{title}“ je izmenjen.",
        (nk::MEETING_CANCELLED, Locale::En) => "The meeting “{title}” has been cancelled.",
        (nk::MEETING_CANCELLED, Locale::Sk) => "Stretnutie „{title}“ bolo zrušené.",
        (nk::MEETING_CANCELLED, Locale::Pl) => "Spotkanie „{title}” zostało odwołane.",
        (nk::MEETING_CANCELLED, _) => "Sastanak „{title}“ je otkazan.",
        (nk::MEETING_REGISTERED, Locale::En) => "Your seat at the meeting “{title}” is confirmed.",
        (nk::MEETING_REGISTERED, Locale::Sk) => "Vaše miesto na stretnutí „{title}“ je potvrdené.",
        (nk::MEETING_REGISTERED, Locale::Pl) => "Twoje miejsce na spotkaniu „{title}” jest potwierdzone.",
        (nk::MEETING_REGISTERED, _) => "Vaše mesto na sastanku „{title}“ je potvrđeno.",
        (nk::MEETING_SEAT_CONFIRMED, Locale::En) => {
            "A seat was freed: you are now registered for the meeting “{title}”."
        }
        (nk::MEETING_SEAT_CONFIRMED, Locale::Sk) => "Uvoľnilo sa miesto: na stretnutie „{title}“ ste teraz prihlásený.",
        (nk::MEETING_SEAT_CONFIRMED, Locale::Pl) => {
            "Zwolniło się miejsce: jesteś teraz zapisany na spotkanie „{title}”."
        }
        (nk::MEETING_SEAT_CONFIRMED, _) => "Oslobodilo se mesto: sada ste prijavljeni na sastanak „{title}“.",
        (nk::CONSULTATION_REPORT_PUBLISHED, Locale::En) => "The consultation “{title}” published its report.",
        (nk::CONSULTATION_REPORT_PUBLISHED, Locale::Sk) => "Konzultácia „{title}“ zverejnila správu.",
        (nk::CONSULTATION_REPORT_PUBLISHED, Locale::Pl) => "Konsultacje „{title}” opublikowały raport.",
        (nk::CONSULTATION_REPORT_PUBLISHED, _) => "Javna rasprava „{title}“ objavila izveštaj.",
        (nk::OPINION_ANSWERED, Locale::En) => "Your opinion in the consultation “{title}” was answered.",
        (nk::OPINION_ANSWERED, Locale::Sk) => "Na váš názor v konzultácii „{title}“ prišla odpoveď.",
        (nk::OPINION_ANSWERED, Locale::Pl) => "Twoja opinia w konsultacjach „{title}” otrzymała odpowiedź.",
        (nk::OPINION_ANSWERED, _) => "Na vaše mišljenje u javnoj raspravi „{title}“ stigao je odgovor.",
        (nk::PROPOSAL_REVIEWED, Locale::En) => "The proposal “{title}” has been reviewed.",
        (nk::PROPOSAL_REVIEWED, Locale::Sk) => "Návrh „{title}“ bol posúdený.",
        (nk::PROPOSAL_REVIEWED, Locale::Pl) => "Projekt „{title}” został oceniony.",
        (nk::PROPOSAL_REVIEWED, _) => "Predlog „{title}“ je ocenjen.",
        (nk::BUDGET_PHASE_CHANGED, Locale::En) => "The participatory budget “{title}” has moved to its next phase.",
        (nk::BUDGET_PHASE_CHANGED, Locale::Sk) => "Participatívny rozpočet „{title}“ prešiel do ďalšej fázy.",
        (nk::BUDGET_PHASE_CHANGED, Locale::Pl) => "Budżet obywatelski „{title}” przeszedł do kolejnego etapu.",
        (nk::BUDGET_PHASE_CHANGED, _) => "Participativni budžet „{title}“ je prešao u sledeću fazu.",
        (nk::COMMITMENT_PROGRESS, Locale::En) => "The commitment “{title}” reported progress.",
        (nk::COMMITMENT_PROGRESS, Locale::Sk) => "Záväzok „{title}“ hlási pokrok.",
        (nk::COMMITMENT_PROGRESS, Locale::Pl) => "Zobowiązanie „{title}” zgłosiło postęp.",
        (nk::COMMITMENT_PROGRESS, _) => "Obaveza „{title}“ je prijavila napredak.",
        (nk::COMMITMENT_STATUS_CHANGED, Locale::En) => "A milestone of the commitment “{title}” changed status.",
        (nk::COMMITMENT_STATUS_CHANGED, Locale::Sk) => "Míľnik záväzku „{title}“ zmenil stav.",
        (nk::COMMITMENT_STATUS_CHANGED, Locale::Pl) => "Etap zobowiązania „{title}” zmienił status.",
        (nk::COMMITMENT_STATUS_CHANGED, _) => "Korak obaveze „{title}“ je promenio status.",
        (nk::CO_OWNER_ACCEPTED, Locale::En) => "You are now a co-owner of the commitment “{title}”.",
        (nk::CO_OWNER_ACCEPTED, Locale::Sk) => "Stali ste sa spoluvlastníkom záväzku „{title}“.",
        (nk::CO_OWNER_ACCEPTED, Locale::Pl) => "Jesteś teraz współwłaścicielem zobowiązania „{title}”.",
        (nk::CO_OWNER_ACCEPTED, _) => "Sada ste suvlasnik obaveze „{title}“.",
        (nk::REPORT_STATUS_CHANGED, Locale::En) => "Your report “{title}” has a new status or answer.",
        (nk::REPORT_STATUS_CHANGED, Locale::Sk) => "Podnet „{title}“ má nový stav alebo odpoveď.",
        (nk::REPORT_STATUS_CHANGED, Locale::Pl) => "Zgłoszenie „{title}” ma nowy status lub odpowiedź.",
        (nk::REPORT_STATUS_CHANGED, _) => "Prijava „{title}“ ima novi status ili odgovor.",
        (nk::CONSULTATION_OPENED, Locale::En) => "The consultation “{title}” is open: you can give your opinion.",
        (nk::CONSULTATION_OPENED, Locale::Sk) => "Konzultácia „{title}“ je otvorená: môžete sa vyjadriť.",
        (nk::CONSULTATION_OPENED, Locale::Pl) => "Konsultacje „{title}” są otwarte: możesz wyrazić opinię.",
        (nk::CONSULTATION_OPENED, _) => "Javna rasprava „{title}“ je otvorena: možete dati mišljenje.",
        (nk::RESIDENCY_APPROVED, Locale::En) => "{title} has verified your residency.",
        (nk::RESIDENCY_APPROVED, Locale::Sk) => "{title} overila váš pobyt.",
        (nk::RESIDENCY_APPROVED, Locale::Pl) => "{title} zweryfikowała Twoje miejsce zamieszkania.",
        (nk::RESIDENCY_APPROVED, _) => "{title} je potvrdila vaše prebivalište.",
        (nk::RESIDENCY_REFUSED, Locale::En) => "{title} did not verify your residency.",
        (nk::RESIDENCY_REFUSED, Locale::Sk) => "{title} neoverila váš pobyt.",
        (nk::RESIDENCY_REFUSED, Locale::Pl) => "{title} nie zweryfikowała Twojego miejsca zamieszkania.",
        (nk::RESIDENCY_REFUSED, _) => "{title} nije potvrdila vaše prebivalište.",
        (nk::WEBHOOK_DISABLED, Locale::En) => "The webhook to {title} was disabled: its deliveries kept failing.",
        (nk::WEBHOOK_DISABLED, Locale::Sk) => "Webhook na {title} bol vypnutý: doručovanie opakovane zlyhávalo.",
        (nk::WEBHOOK_DISABLED, Locale::Pl) => {
            "Webhook do {title} został wyłączony: dostarczanie wielokrotnie się nie udało."
        }
        (nk::WEBHOOK_DISABLED, _) => "Webhook ka {title} je isključen: isporuke su stalno bile neuspešne.",
        (_, Locale::En) => "Something you follow has changed: “{title}”.",
        (_, Locale::Sk) => "Niečo, čo sledujete, sa zmenilo: „{title}“.",
        (_, Locale::Pl) => "Coś, co obserwujesz, się zmieniło: „{title}”.",
        (_, _) => "Nešto što pratite se promenilo: „{title}“.",
    }
}

/// Greeting, "open", "why you get this", "stop these", digest subject, by language.
struct Frame {
    greeting: &'static str,
    open: &'static str,
    why: &'static str,
    manage: &'static str,
    stop: &'static str,
    digest_subject: &'static str,
    digest_intro: &'static str,
    reason: &'static str,
    answer: &'static str,
}

fn frame(locale: Locale) -> Frame {
    match locale {
        Locale::En => Frame {
            greeting: "Hello {name},",
            open: "See it in Pnyx",
            why: "You receive this because you follow it or take part in it.",
            manage: "Choose which notifications reach you and how:",
            stop: "Stop these e-mails:",
            digest_subject: "Your daily summary from Pnyx",
            digest_intro: "here is what happened yesterday and today in what you follow:",
            reason: "Reason:",
            answer: "Answer:",
        },
        Locale::Sk => Frame {
            greeting: "Dobrý deň, {name},",
            open: "Zobraziť v Pnyx",
            why: "Túto správu dostávate, pretože to sledujete alebo sa toho zúčastňujete.",
            manage: "Ktoré upozornenia a ako k vám prichádzajú, si nastavíte tu:",
            stop: "Zrušiť tieto e-maily:",
            digest_subject: "Váš denný prehľad z Pnyx",
            digest_intro: "toto sa zmenilo v tom, čo sledujete:",
            reason: "Dôvod:",
            answer: "Odpoveď:",
        },
        Locale::Pl => Frame {
            greeting: "Dzień dobry, {name},",
            open: "Zobacz w Pnyx",
            why: "Otrzymujesz tę wiadomość, ponieważ to obserwujesz lub bierzesz w tym udział.",
            manage: "Wybierz, które powiadomienia i jak do Ciebie docierają:",
            stop: "Zrezygnuj z tych e-maili:",
            digest_subject: "Twoje dzienne podsumowanie z Pnyx",
            digest_intro: "oto co się zmieniło w tym, co obserwujesz:",
            reason: "Powód:",
            answer: "Odpowiedź:",
        },
        _ => Frame {
            greeting: "Zdravo, {name},",
            open: "Pogledaj u Pnyx",
            why: "Ovu poruku dobijate jer to pratite ili u tome učestvujete.",
            manage: "Izaberite koja obaveštenja i kako vam stižu:",
            stop: "Odjavite se od ovih e-poruka:",
            digest_subject: "Vaš dnevni pregled iz Pnyx",
            digest_intro: "evo šta se promenilo u onome što pratite:",
            reason: "Razlog:",
            answer: "Odgovor:",
        },
    }
}

/// A title in the recipient's language: a string, or a map of languages.
fn title_of(payload: &serde_json::Value, locale: Locale) -> String {
    let t = &payload["title"];
    if let Some(s) = t.as_str() {
        return s.to_owned();
    }
    let lang = locale.as_str();
    let base = lang.split('-').next().unwrap_or(lang);
    [lang, base, "sr-Latn", "en", "sk"]
        .iter()
        .find_map(|l| t[*l].as_str())
        .or_else(|| t.as_object().and_then(|o| o.values().find_map(|v| v.as_str())))
        .unwrap_or("Pnyx")
        .to_owned()
}

/// A user-written text (a reason, an answer): a string or a map of languages.
fn text_of(v: &serde_json::Value, locale: Locale) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        other => Some(title_of(&serde_json::json!({ "title": other }), locale)),
    }
}

/// One notification in a message: what happened, and its reason or answer if it has one.
struct Entry {
    lines: Vec<String>,
}

impl Entry {
    fn new(k: &str, payload: &serde_json::Value, locale: Locale, f: &Frame) -> Self {
        let script = |s: &str| if locale == Locale::SrCyrl { crate::serbian::to_cyrillic(s) } else { s.to_owned() };
        // The title is put in after transliteration, so it stays as written.
        let title = title_of(payload, locale);
        let mut lines = vec![line(k, locale).split("{title}").map(script).collect::<Vec<_>>().join(&title)];
        if let Some(r) = text_of(&payload["reason"], locale) {
            lines.push(format!("{} {r}", script(f.reason)));
        }
        if let Some(a) = text_of(&payload["answer"], locale) {
            lines.push(format!("{} {a}", script(f.answer)));
        }
        Entry { lines }
    }
}

/// Renders a notification message (`notification` or `notification.digest`).
///
/// # Errors
/// A payload without what the kind needs.
pub(super) fn render_notice(
    mail: &OutboxMail,
    base: &str,
    esc: fn(&str) -> String,
) -> Result<RenderedMail, RenderError> {
    let missing = |field| RenderError::MissingField { kind: mail.kind.clone(), field };
    let name = mail.payload["name"].as_str().ok_or_else(|| missing("name"))?.to_owned();
    let token = mail.payload["unsubscribe_token"].as_str().ok_or_else(|| missing("unsubscribe_token"))?;
    let locale = mail.locale;
    let f = frame(if locale == Locale::SrCyrl { Locale::SrLatn } else { locale });
    let script = |s: &str| if locale == Locale::SrCyrl { crate::serbian::to_cyrillic(s) } else { s.to_owned() };
    let digest = mail.kind == kind::DIGEST;
    let entries: Vec<Entry> = if digest {
        let items = mail.payload["items"].as_array().ok_or_else(|| missing("items"))?;
        items.iter().map(|i| Entry::new(i["kind"].as_str().unwrap_or_default(), &i["payload"], locale, &f)).collect()
    } else {
        let k = mail.payload["kind"].as_str().ok_or_else(|| missing("kind"))?;
        vec![Entry::new(k, &mail.payload["payload"], locale, &f)]
    };
    let subject = if digest {
        script(f.digest_subject)
    } else {
        entries.first().and_then(|e| e.lines.first()).cloned().unwrap_or_default()
    };
    let link = format!("{base}/notifications");
    let manage_url = format!("{base}/settings/notifications");
    let unsubscribe_url = format!("{base}/api/v1/unsubscribe?token={token}");
    let greeting = f.greeting.split("{name}").map(script).collect::<Vec<_>>().join(&name);
    let mut text = format!("{greeting}\n\n");
    let mut html_items = String::new();
    if digest {
        text.push_str(&script(f.digest_intro));
        text.push_str("\n\n");
    }
    for e in &entries {
        for l in &e.lines {
            text.push_str(if digest { "- " } else { "" });
            text.push_str(l);
            text.push('\n');
        }
        text.push('\n');
        html_items.push_str("<p>");
        html_items.push_str(&e.lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>\n"));
        html_items.push_str("</p>\n");
    }
    let (open, why, manage, stop) = (script(f.open), script(f.why), script(f.manage), script(f.stop));
    text.push_str(&format!("{open}: {link}\n\n-- \n{why}\n{manage} {manage_url}\n{stop} {unsubscribe_url}\n"));
    let intro = if digest { format!("<p>{}</p>\n", esc(&script(f.digest_intro))) } else { String::new() };
    let lang = locale.as_str();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\">\n<p>{greeting}</p>\n{intro}{html_items}\
         <p><a href=\"{href}\" style=\"display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;\
         text-decoration:none;border-radius:4px\">{open}</a></p>\n\
         <hr>\n<p style=\"font-size:.85em;color:#444\">{why}<br>\n{manage} <a href=\"{manage_href}\">{manage_href}</a><br>\n\
         <a href=\"{unsub_href}\">{stop}</a></p>\n</body></html>\n",
        title = esc(&subject),
        greeting = esc(&greeting),
        href = esc(&link),
        open = esc(&open),
        why = esc(&why),
        manage = esc(&manage),
        manage_href = esc(&manage_url),
        unsub_href = esc(&unsubscribe_url),
        stop = esc(&stop),
    );
    Ok(RenderedMail {
        to: mail.recipient.clone(),
        subject,
        text,
        html,
        language: lang.to_owned(),
        unsubscribe_url: Some(unsubscribe_url),
        link: Some(link),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::render;
    use chrono::Utc;
    use serde_json::json;

    fn mail(k: &str, locale: Locale, payload: serde_json::Value) -> OutboxMail {
        OutboxMail::new(k, "jana@example.sk", locale, None, payload, Utc::now())
    }

    #[test]
    fn every_notification_kind_speaks_every_language_with_its_title_and_an_unsubscribe_link() {
        for k in nk::ALL {
            let mut subjects = std::collections::BTreeSet::new();
            for l in Locale::ALL {
                let payload = json!({
                    "name": "Jana", "kind": k, "unsubscribe_token": "tok",
                    "payload": {"title": {"sk": "Park <Hron>", "en": "Park <Hron>"}, "reason": "Povodeň"},
                });
                let r = render(&mail(kind::NOTIFICATION, l, payload), "https://pnyx.example/").unwrap();
                assert!(r.subject.contains("Park <Hron>"), "{k} {l:?}: {}", r.subject);
                assert!(r.text.contains("Povodeň") && r.text.contains("https://pnyx.example/notifications"), "{k}");
                assert!(r.html.contains("Park &lt;Hron&gt;") && !r.html.contains("<Hron>"), "escaped");
                assert_eq!(r.unsubscribe_url.as_deref(), Some("https://pnyx.example/api/v1/unsubscribe?token=tok"));
                assert!(
                    r.text.contains("https://pnyx.example/api/v1/unsubscribe?token=tok"),
                    "the link is in the body too"
                );
                subjects.insert(r.subject);
            }
            assert_eq!(subjects.len(), 5, "{k}: a subject of its own in each language");
        }
    }

    #[test]
    fn the_digest_lists_each_item_and_serbian_cyrillic_keeps_titles_as_written() {
        let payload = json!({
            "name": "Milan", "unsubscribe_token": "t", "day": "2026-12-01",
            "items": [
                {"kind": nk::MEETING_CANCELLED, "payload": {"title": "Šetnja Novi Sad"}},
                {"kind": nk::COMMITMENT_PROGRESS, "payload": {"title": {"sr-Latn": "Otvoreni budžet"}}},
            ],
        });
        let r = render(&mail(kind::DIGEST, Locale::SrCyrl, payload), "http://h").unwrap();
        assert!(r.subject.contains("Ваш дневни преглед"), "{}", r.subject);
        assert!(r.text.contains("„Šetnja Novi Sad“") && r.text.contains("„Otvoreni budžet“"), "{}", r.text);
        assert!(r.text.contains("Састанак"), "the sentence is transliterated: {}", r.text);
        assert_eq!(r.text.matches("\n- ").count(), 2);
    }

    #[test]
    fn a_notification_without_its_unsubscribe_token_is_not_rendered() {
        let payload = json!({"name": "Jana", "kind": nk::MEETING_CANCELLED, "payload": {"title": "x"}});
        assert!(matches!(
            render(&mail(kind::NOTIFICATION, Locale::En, payload), "http://h"),
            Err(RenderError::MissingField { field: "unsubscribe_token", .. })
        ));
    }
}
