//! The texts of each kind of message in each language, and rendering a stored message into a
//! plain-text body with an HTML alternative. Serbian Cyrillic is the Latin text transliterated;
//! names and links are put in after transliteration, so they stay as they are.

use super::{OutboxMail, RenderedMail, kind};
use crate::i18n::Locale;

/// Why a stored message cannot be rendered (it is given up, not retried).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    #[error("unknown message kind `{0}`")]
    UnknownKind(String),
    #[error("the payload of a `{kind}` message lacks `{field}`")]
    MissingField { kind: String, field: &'static str },
}

/// One message's texts in one language.
struct Texts {
    subject: &'static str,
    greeting: &'static str,
    intro: &'static str,
    action: &'static str,
    outro: &'static str,
}

fn texts(kind: &str, locale: Locale) -> Option<Texts> {
    // Serbian Cyrillic: the Latin texts, transliterated by the caller.
    let locale = if locale == Locale::SrCyrl { Locale::SrLatn } else { locale };
    let t = |subject, greeting, intro, action, outro| Some(Texts { subject, greeting, intro, action, outro });
    match (kind, locale) {
        (kind::VERIFY_EMAIL, Locale::En) => t(
            "Confirm your e-mail address",
            "Hello {name},",
            "welcome to Pnyx. To finish creating your account, confirm your e-mail address by opening this link:",
            "Confirm e-mail address",
            "The link works once, for 48 hours. If you did not create an account, ignore this message.",
        ),
        (kind::VERIFY_EMAIL, Locale::Sk) => t(
            "Potvrďte svoju e-mailovú adresu",
            "Dobrý deň, {name},",
            "vitajte v Pnyx. Registráciu dokončíte potvrdením e-mailovej adresy – otvorte tento odkaz:",
            "Potvrdiť e-mailovú adresu",
            "Odkaz funguje raz, 48 hodín. Ak ste si účet nevytvorili, túto správu ignorujte.",
        ),
        (kind::VERIFY_EMAIL, Locale::Pl) => t(
            "Potwierdź swój adres e-mail",
            "Dzień dobry, {name},",
            "witamy w Pnyx. Aby dokończyć zakładanie konta, potwierdź adres e-mail, otwierając ten link:",
            "Potwierdź adres e-mail",
            "Link działa jeden raz przez 48 godzin. Jeśli nie zakładałeś konta, zignoruj tę wiadomość.",
        ),
        (kind::VERIFY_EMAIL, _) => t(
            "Potvrdite svoju adresu e-pošte",
            "Zdravo, {name},",
            "dobro došli. Da biste završili otvaranje naloga, potvrdite adresu e-pošte otvaranjem ovog linka:",
            "Potvrdi adresu e-pošte",
            "Link važi jednom, 48 sati. Ako niste otvorili nalog, zanemarite ovu poruku.",
        ),
        (kind::PASSWORD_RESET, Locale::En) => t(
            "Reset your password",
            "Hello {name},",
            "someone (hopefully you) asked to reset the password of your account. To choose a new password, open this link:",
            "Choose a new password",
            "The link works once, for 30 minutes, and signs out your other sessions. If you did not ask for it, ignore this message: your password stays as it is.",
        ),
        (kind::PASSWORD_RESET, Locale::Sk) => t(
            "Obnovenie hesla",
            "Dobrý deň, {name},",
            "niekto (dúfame, že vy) požiadal o obnovenie hesla k vášmu účtu. Nové heslo si zvolíte otvorením tohto odkazu:",
            "Zvoliť nové heslo",
            "Odkaz funguje raz, 30 minút, a odhlási vaše ostatné relácie. Ak ste o to nežiadali, správu ignorujte: heslo zostáva nezmenené.",
        ),
        (kind::PASSWORD_RESET, Locale::Pl) => t(
            "Resetowanie hasła",
            "Dzień dobry, {name},",
            "ktoś (mamy nadzieję, że Ty) poprosił o zresetowanie hasła do Twojego konta. Aby ustawić nowe hasło, otwórz ten link:",
            "Ustaw nowe hasło",
            "Link działa jeden raz przez 30 minut i wylogowuje pozostałe sesje. Jeśli to nie Ty, zignoruj tę wiadomość: hasło pozostaje bez zmian.",
        ),
        (kind::PASSWORD_RESET, _) => t(
            "Promena lozinke",
            "Zdravo, {name},",
            "neko (nadamo se vi) je zatražio promenu lozinke vašeg naloga. Novu lozinku birate otvaranjem ovog linka:",
            "Izaberi novu lozinku",
            "Link važi jednom, 30 minuta, i odjavljuje vaše ostale sesije. Ako to niste tražili, zanemarite ovu poruku: lozinka ostaje ista.",
        ),
        (kind::REGISTRATION_ATTEMPT, Locale::En) => t(
            "Someone tried to register with your address",
            "Hello {name},",
            "someone tried to create a new account with this e-mail address, which already has one. If it was you, sign in, or reset your password if you forgot it:",
            "Reset password",
            "If it was not you, ignore this message: nothing has changed.",
        ),
        (kind::REGISTRATION_ATTEMPT, Locale::Sk) => t(
            "Niekto sa pokúsil zaregistrovať s vašou adresou",
            "Dobrý deň, {name},",
            "niekto sa pokúsil vytvoriť nový účet s touto e-mailovou adresou, ktorá už účet má. Ak ste to boli vy, prihláste sa, alebo si obnovte heslo, ak ste ho zabudli:",
            "Obnoviť heslo",
            "Ak ste to neboli vy, správu ignorujte: nič sa nezmenilo.",
        ),
        (kind::REGISTRATION_ATTEMPT, Locale::Pl) => t(
            "Ktoś próbował zarejestrować się z Twoim adresem",
            "Dzień dobry, {name},",
            "ktoś próbował założyć nowe konto z tym adresem e-mail, do którego konto już istnieje. Jeśli to Ty, zaloguj się lub zresetuj hasło, jeśli go nie pamiętasz:",
            "Zresetuj hasło",
            "Jeśli to nie Ty, zignoruj tę wiadomość: nic się nie zmieniło.",
        ),
        (kind::REGISTRATION_ATTEMPT, _) => t(
            "Neko je pokušao da se registruje sa vašom adresom",
            "Zdravo, {name},",
            "neko je pokušao da otvori novi nalog sa ovom adresom e-pošte, koja već ima nalog. Ako ste to bili vi, prijavite se ili promenite lozinku ako ste je zaboravili:",
            "Promeni lozinku",
            "Ako to niste bili vi, zanemarite ovu poruku: ništa se nije promenilo.",
        ),
        (kind::CONFIRM_NEW_EMAIL, Locale::En) => t(
            "Confirm your new e-mail address",
            "Hello {name},",
            "you asked to change the e-mail address of your account to this one. To confirm, open this link:",
            "Confirm the new address",
            "The link works once, for 24 hours; until then the account keeps its old address. If you did not ask for it, ignore this message.",
        ),
        (kind::CONFIRM_NEW_EMAIL, Locale::Sk) => t(
            "Potvrďte svoju novú e-mailovú adresu",
            "Dobrý deň, {name},",
            "požiadali ste o zmenu e-mailovej adresy vášho účtu na túto. Zmenu potvrdíte otvorením tohto odkazu:",
            "Potvrdiť novú adresu",
            "Odkaz funguje raz, 24 hodín; dovtedy si účet ponecháva starú adresu. Ak ste o to nežiadali, správu ignorujte.",
        ),
        (kind::CONFIRM_NEW_EMAIL, Locale::Pl) => t(
            "Potwierdź nowy adres e-mail",
            "Dzień dobry, {name},",
            "poprosiłeś o zmianę adresu e-mail Twojego konta na ten. Aby potwierdzić, otwórz ten link:",
            "Potwierdź nowy adres",
            "Link działa jeden raz przez 24 godziny; do tego czasu konto zachowuje stary adres. Jeśli to nie Ty, zignoruj tę wiadomość.",
        ),
        (kind::CONFIRM_NEW_EMAIL, _) => t(
            "Potvrdite novu adresu e-pošte",
            "Zdravo, {name},",
            "zatražili ste da adresa e-pošte vašeg naloga bude ova. Da biste potvrdili, otvorite ovaj link:",
            "Potvrdi novu adresu",
            "Link važi jednom, 24 sata; do tada nalog zadržava staru adresu. Ako to niste tražili, zanemarite ovu poruku.",
        ),
        (kind::STAFF_INVITATION, Locale::En) => t(
            "{org} invites you to its team on Pnyx",
            "Hello {name},",
            "{org} invites you to join its staff on Pnyx. To accept, sign in (or create an account) with this e-mail address and open this link:",
            "Accept the invitation",
            "The link works once, for 7 days. If you do not expect this invitation, ignore this message.",
        ),
        (kind::STAFF_INVITATION, Locale::Sk) => t(
            "{org} vás pozýva do svojho tímu v Pnyx",
            "Dobrý deň, {name},",
            "{org} vás pozýva medzi svojich pracovníkov v Pnyx. Pozvánku prijmete, keď sa prihlásite (alebo si vytvoríte účet) s touto e-mailovou adresou a otvoríte tento odkaz:",
            "Prijať pozvánku",
            "Odkaz funguje raz, 7 dní. Ak pozvánku nečakáte, správu ignorujte.",
        ),
        (kind::STAFF_INVITATION, Locale::Pl) => t(
            "{org} zaprasza Cię do swojego zespołu w Pnyx",
            "Dzień dobry, {name},",
            "{org} zaprasza Cię do grona swoich pracowników w Pnyx. Aby przyjąć zaproszenie, zaloguj się (lub załóż konto) z tym adresem e-mail i otwórz ten link:",
            "Przyjmij zaproszenie",
            "Link działa jeden raz przez 7 dni. Jeśli nie spodziewasz się tego zaproszenia, zignoruj tę wiadomość.",
        ),
        (kind::STAFF_INVITATION, _) => t(
            "{org} vas poziva u svoj tim na Pnyx",
            "Zdravo, {name},",
            "{org} vas poziva među svoje zaposlene na Pnyx. Da biste prihvatili, prijavite se (ili otvorite nalog) sa ovom adresom e-pošte i otvorite ovaj link:",
            "Prihvati poziv",
            "Link važi jednom, 7 dana. Ako ne očekujete ovaj poziv, zanemarite ovu poruku.",
        ),
        (kind::RESIDENCY_APPROVED, Locale::En) => t(
            "{org} verified your residency",
            "Hello {name},",
            "{org} verified that you are its resident. You can now take part where verified residency is asked for:",
            "Open {org}",
            "You are receiving this because you asked to be verified.",
        ),
        (kind::RESIDENCY_APPROVED, Locale::Sk) => t(
            "{org} overila váš pobyt",
            "Dobrý deň, {name},",
            "{org} overila, že ste jej obyvateľom. Odteraz sa môžete zapojiť aj tam, kde sa vyžaduje overený pobyt:",
            "Otvoriť {org}",
            "Túto správu dostávate, pretože ste požiadali o overenie.",
        ),
        (kind::RESIDENCY_APPROVED, Locale::Pl) => t(
            "{org} potwierdza Twoje zamieszkanie",
            "Dzień dobry, {name},",
            "{org} potwierdza, że jesteś jej mieszkańcem. Możesz teraz brać udział także tam, gdzie wymagane jest potwierdzone zamieszkanie:",
            "Otwórz {org}",
            "Otrzymujesz tę wiadomość, ponieważ poprosiłeś o weryfikację.",
        ),
        (kind::RESIDENCY_APPROVED, _) => t(
            "{org} je potvrdila vaše prebivalište",
            "Zdravo, {name},",
            "{org} je potvrdila da ste njen stanovnik. Sada možete učestvovati i tamo gde se traži potvrđeno prebivalište:",
            "Otvori {org}",
            "Ovu poruku dobijate jer ste zatražili potvrdu.",
        ),
        (kind::RESIDENCY_REFUSED, Locale::En) => t(
            "{org} could not verify your residency",
            "Hello {name},",
            "{org} could not verify your residency. The reason given: {reason}. You can ask again with other details:",
            "Ask again",
            "You are receiving this because you asked to be verified.",
        ),
        (kind::RESIDENCY_REFUSED, Locale::Sk) => t(
            "{org} nemohla overiť váš pobyt",
            "Dobrý deň, {name},",
            "{org} nemohla overiť váš pobyt. Uvedený dôvod: {reason}. O overenie môžete požiadať znova s inými údajmi:",
            "Požiadať znova",
            "Túto správu dostávate, pretože ste požiadali o overenie.",
        ),
        (kind::RESIDENCY_REFUSED, Locale::Pl) => t(
            "{org} nie mogła potwierdzić Twojego zamieszkania",
            "Dzień dobry, {name},",
            "{org} nie mogła potwierdzić Twojego zamieszkania. Podany powód: {reason}. Możesz poprosić ponownie, podając inne dane:",
            "Poproś ponownie",
            "Otrzymujesz tę wiadomość, ponieważ poprosiłeś o weryfikację.",
        ),
        (kind::RESIDENCY_REFUSED, _) => t(
            "{org} nije mogla da potvrdi vaše prebivalište",
            "Zdravo, {name},",
            "{org} nije mogla da potvrdi vaše prebivalište. Navedeni razlog: {reason}. Možete ponovo zatražiti sa drugim podacima:",
            "Zatraži ponovo",
            "Ovu poruku dobijate jer ste zatražili potvrdu.",
        ),
        _ => None,
    }
}

/// `template` with each `{key}` of `vars` filled in; the template's own words go through
/// `script` (transliteration), the filled-in values do not.
fn fill(template: &str, vars: &[(&str, String)], script: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let found = rest[start..].find('}').and_then(|end| {
            let key = &rest[start + 1..start + end];
            vars.iter().find(|(k, _)| *k == key).map(|(_, v)| (v, start + end + 1))
        });
        match found {
            Some((value, after)) => {
                out.push_str(&script(&rest[..start]));
                out.push_str(value);
                rest = &rest[after..];
            }
            None => {
                out.push_str(&script(&rest[..=start]));
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(&script(rest));
    out
}

/// The web app's path a kind's link opens (its token appended).
fn link_path(kind: &str) -> Option<&'static str> {
    match kind {
        kind::VERIFY_EMAIL => Some("/verify-email?token="),
        kind::PASSWORD_RESET => Some("/reset-password?token="),
        kind::REGISTRATION_ATTEMPT => Some("/forgot-password"),
        kind::CONFIRM_NEW_EMAIL => Some("/confirm-email?token="),
        kind::STAFF_INVITATION => Some("/invitations/accept?token="),
        kind::RESIDENCY_APPROVED | kind::RESIDENCY_REFUSED => Some("/o/{org_slug}/residency"),
        _ => None,
    }
}

/// Whether a kind is about the account itself, or answers something the recipient asked or was
/// asked personally (no unsubscribe link), as every kind so far is.
fn is_transactional(kind: &str) -> bool {
    kind.starts_with("account.") || kind.starts_with("staff.") || kind.starts_with("residency.")
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders a stored message in its recipient's language, with links under `public_url` (the
/// configured address of the site, never a request's `Host`).
///
/// # Errors
/// An unknown kind, or a payload without what the kind needs.
pub fn render(mail: &OutboxMail, public_url: &str) -> Result<RenderedMail, RenderError> {
    let base = public_url.trim_end_matches('/');
    if mail.kind == kind::NOTIFICATION || mail.kind == kind::DIGEST {
        return super::notices::render_notice(mail, base, escape_html);
    }
    let texts = texts(&mail.kind, mail.locale).ok_or_else(|| RenderError::UnknownKind(mail.kind.clone()))?;
    let field = |name: &'static str| {
        mail.payload[name]
            .as_str()
            .map(str::to_owned)
            .ok_or(RenderError::MissingField { kind: mail.kind.clone(), field: name })
    };
    let name = field("name")?;
    let mut vars = vec![("name", name)];
    for (key, needed) in [("org", texts.subject.contains("{org}")), ("reason", texts.intro.contains("{reason}"))] {
        if needed {
            vars.push((key, field(key)?));
        }
    }
    let path = link_path(&mail.kind).ok_or_else(|| RenderError::UnknownKind(mail.kind.clone()))?;
    let path =
        if path.contains("{org_slug}") { path.replace("{org_slug}", &field("org_slug")?) } else { path.to_owned() };
    let link = if path.ends_with('=') { format!("{base}{path}{}", field("token")?) } else { format!("{base}{path}") };
    let unsubscribe_url = if is_transactional(&mail.kind) {
        None
    } else {
        Some(format!("{base}/api/v1/unsubscribe?token={}", field("unsubscribe_token")?))
    };
    let script = |s: &str| if mail.locale == Locale::SrCyrl { crate::serbian::to_cyrillic(s) } else { s.to_owned() };
    let fill = |t: &str| fill(t, &vars, &script);
    let greeting = fill(texts.greeting);
    let (intro, action, outro, subject) =
        (fill(texts.intro), fill(texts.action), fill(texts.outro), fill(texts.subject));
    let text = format!("{greeting}\n\n{intro}\n\n{link}\n\n{outro}\n\n-- \nPnyx\n");
    let lang = mail.locale.as_str();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:36em\">\n\
         <p>{greeting}</p>\n<p>{intro}</p>\n\
         <p><a href=\"{href}\" style=\"display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;\
         text-decoration:none;border-radius:4px\">{action}</a></p>\n\
         <p style=\"word-break:break-all;font-size:.9em\">{href}</p>\n<p>{outro}</p>\n<p>Pnyx</p>\n</body></html>\n",
        title = escape_html(&subject),
        greeting = escape_html(&greeting),
        intro = escape_html(&intro),
        href = escape_html(&link),
        action = escape_html(&action),
        outro = escape_html(&outro),
    );
    Ok(RenderedMail {
        to: mail.recipient.clone(),
        subject,
        text,
        html,
        language: lang.to_owned(),
        unsubscribe_url,
        link: Some(link),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::json;

    fn mail(kind: &str, locale: Locale, payload: serde_json::Value) -> OutboxMail {
        OutboxMail::new(kind, "jana@example.sk", locale, None, payload, Utc::now())
    }

    #[test]
    fn every_account_kind_speaks_every_language() {
        for k in [kind::VERIFY_EMAIL, kind::PASSWORD_RESET, kind::REGISTRATION_ATTEMPT, kind::CONFIRM_NEW_EMAIL] {
            let mut subjects = std::collections::BTreeSet::new();
            for l in Locale::ALL {
                let r = render(&mail(k, l, json!({"name": "Jana", "token": "abc"})), "https://pnyx.example/").unwrap();
                assert!(r.text.contains("Jana") && r.html.contains("Jana"), "{k} {l:?}");
                assert!(r.link.as_deref().is_some_and(|l| l.starts_with("https://pnyx.example/")), "{k}");
                assert_eq!(r.unsubscribe_url, None, "account mail is transactional");
                assert_eq!(r.language, l.as_str());
                subjects.insert(r.subject);
            }
            assert_eq!(subjects.len(), 5, "{k}: a subject of its own in each language");
        }
    }

    #[test]
    fn serbian_cyrillic_is_transliterated_but_names_and_links_are_not() {
        let r = render(
            &mail(kind::VERIFY_EMAIL, Locale::SrCyrl, json!({"name": "Jana", "token": "tok-en"})),
            "http://localhost:8080",
        )
        .unwrap();
        assert!(r.subject.contains("Потврдите"), "{}", r.subject);
        assert!(r.text.contains("Jana") && r.text.contains("http://localhost:8080/verify-email?token=tok-en"));
    }

    #[test]
    fn staff_and_residency_mail_speaks_every_language_and_fills_in_the_organisation() {
        let payload =
            json!({"name": "Jana", "token": "abc", "org": "Mesto Šala", "org_slug": "sala", "reason": "No address"});
        for k in [kind::STAFF_INVITATION, kind::RESIDENCY_APPROVED, kind::RESIDENCY_REFUSED] {
            let mut subjects = std::collections::BTreeSet::new();
            for l in Locale::ALL {
                let r = render(&mail(k, l, payload.clone()), "https://pnyx.example").unwrap();
                assert!(r.subject.contains("Mesto Šala"), "{k} {l:?}: {}", r.subject);
                assert!(!r.text.contains('{'), "{k} {l:?}: a placeholder left: {}", r.text);
                assert_eq!(r.unsubscribe_url, None);
                subjects.insert(r.subject);
            }
            assert_eq!(subjects.len(), 5, "{k}");
        }
        let r = render(&mail(kind::STAFF_INVITATION, Locale::En, payload.clone()), "https://pnyx.example").unwrap();
        assert_eq!(r.link.as_deref(), Some("https://pnyx.example/invitations/accept?token=abc"));
        let r = render(&mail(kind::RESIDENCY_REFUSED, Locale::SrCyrl, payload), "https://pnyx.example").unwrap();
        assert_eq!(r.link.as_deref(), Some("https://pnyx.example/o/sala/residency"));
        assert!(r.text.contains("No address") && r.text.contains("Mesto Šala"), "values are not transliterated");
    }

    #[test]
    fn html_escapes_what_it_inserts() {
        let r = render(
            &mail(kind::PASSWORD_RESET, Locale::En, json!({"name": "<b>Eve</b>", "token": "t"})),
            "http://localhost:8080",
        )
        .unwrap();
        assert!(r.html.contains("&lt;b&gt;Eve&lt;/b&gt;") && !r.html.contains("<b>Eve"));
    }

    #[test]
    fn unknown_kinds_and_missing_fields_are_refused() {
        assert!(matches!(render(&mail("x.y", Locale::En, json!({})), "http://h"), Err(RenderError::UnknownKind(_))));
        assert!(matches!(
            render(&mail(kind::VERIFY_EMAIL, Locale::En, json!({"name": "J"})), "http://h"),
            Err(RenderError::MissingField { field: "token", .. })
        ));
    }
}
