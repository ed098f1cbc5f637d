//! Demo content drawn from the municipalities' own texts (`shared/seeds/`): Banská Bystrica's
//! discussion event of 31 March 2021 with its six activities, Vlasotince's round table of
//! 11 March 2019 and public meeting of 17 May 2019, Będzin's consultation on its online
//! platform, and Sosnowiec's consultations on its participatory-budget rules (one closed with a
//! report, one open), the open ones with their surveys ([`crate::seed::surveys`]); and, through
//! [`crate::seed::plans`] and [`crate::seed::budgets`], the action plans and participatory budgets.

use chrono::{DateTime, Duration, Utc};
use pnyx_domain::consultations::{Consultation, Document, Period, Report, Section, Subject};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{ConsultationId, MeetingId};
use pnyx_domain::meetings::records::{Activity, AgendaItem, Attachment, Meeting};
use pnyx_domain::meetings::rules::{Kind, RegistrationRules, Status, Window};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{RepoError, Store};
use uuid::Uuid;

fn t(s: &str) -> Result<DateTime<Utc>, RepoError> {
    s.parse().map_err(|e: chrono::ParseError| RepoError::Unavailable(e.to_string()))
}

fn text(pairs: &[(Locale, &str)]) -> LocalizedText {
    let mut t = LocalizedText::default();
    for (l, s) in pairs {
        t.insert(*l, *s);
    }
    t
}

fn window(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Window, RepoError> {
    Window::new(start, end).map_err(|e| RepoError::Unavailable(e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn meeting(
    org: &Organisation,
    title: LocalizedText,
    description: LocalizedText,
    kind: Kind,
    address: Option<&str>,
    online_url: Option<&str>,
    w: Window,
    organiser: &str,
    status: Status,
    registration: RegistrationRules,
) -> Meeting {
    let now = pnyx_domain::now();
    Meeting {
        id: MeetingId::new_v7(),
        org_id: org.id,
        title,
        description,
        kind,
        address: address.map(str::to_owned),
        latitude: None,
        longitude: None,
        online_url: online_url.map(str::to_owned),
        link_for_registrants_only: online_url.is_some(),
        window: w,
        organiser: organiser.to_owned(),
        agenda: Vec::new(),
        links: Vec::new(),
        status,
        cancel_reason: None,
        registration,
        confirmed_count: 0,
        minutes: None,
        attendance: None,
        attachments: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

const CLOSED: RegistrationRules =
    RegistrationRules { open: false, capacity: None, deadline: None, waiting_list: false };

/// Adds the demo meetings and consultations to the organisations that have none.
///
/// # Errors
/// When the database fails.
pub async fn seed_content(store: &dyn Store) -> Result<(), RepoError> {
    super::reports::seed_reports(store).await?;
    super::budget_execution::seed_budget_execution(store).await?;
    super::programmes::seed_programmes(store).await?;
    let now = pnyx_domain::now();
    let page = pnyx_domain::repo::PageRequest { limit: 1, after: None };
    if let Some(bb) = store.org_by_slug("banska-bystrica").await?
        && store.meetings(bb.id, &Default::default(), page).await?.total == 0
    {
        let sk = Locale::Sk;
        let mut m = meeting(
            &bb,
            text(&[
                (sk, "Druhé diskusné podujatie OGP Local: Jadro+"),
                (Locale::En, "Second OGP Local discussion event: Core+"),
            ]),
            text(&[(
                sk,
                "Stretnutie aktérov z mestského úradu a občianskej spoločnosti o úlohách členov tzv. Jadra+ a o platforme Partnerstva pre otvorené vládnutie.",
            )]),
            Kind::Online,
            None,
            Some("https://meet.banskabystrica.sk/ogp-jadro"),
            window(t("2021-03-31T15:00:00Z")?, t("2021-03-31T17:30:00Z")?)?,
            "Mesto Banská Bystrica a Iniciatíva pre lokálne otvorené vládnutie",
            Status::Held,
            CLOSED,
        );
        m.agenda = vec![
            AgendaItem { title: text(&[(sk, "Platforma Partnerstva pre otvorené vládnutie")]), duration_minutes: 30 },
            AgendaItem { title: text(&[(sk, "Úlohy členov Jadra+")]), duration_minutes: 90 },
        ];
        m.minutes = Some(text(&[(
            sk,
            "<p>Na druhom diskusnom podujatí sa stretli aktéri z mestského úradu a občianskej spoločnosti, spolu <strong>22</strong> účastníkov a účastníčok. Výstupy sme spracovali vo forme vizuálneho grafického zápisu a zoznamu aktivít, ktorých sa môžete stať spolu-vlastníkmi.</p>",
        )]));
        m.attendance = Some(22);
        m.attachments = vec![Attachment {
            title: "Vizualizovaný zápis zo stretnutia".into(),
            url: "https://www.banskabystrica.sk/ogp/vizualny-zapis-2021-03-31.png".into(),
            kind: "image".into(),
        }];
        store.create_meeting(&m).await?;
        for title in [
            "Stratégia pre zapájanie širokej verejnosti – mladých ľudí, zraniteľných skupín, podnikateľov, poslancov a vedenia MsÚ",
            "Technická podpora pri online stretnutiach a pri využívaní digitálnych nástrojov a platforiem",
            "Používanie jednoduchšieho a rodovo citlivého jazyka",
            "Spoločné „zbieranie úrody“: zápisy zo stretnutí a interpretácia toho, čo na nich odznieva",
            "Zber informácií „Čo sa deje v meste“ – prebiehajúce projekty na MsÚ aj v občianskom sektore",
            "Lokalizácia OGP zo strategického hľadiska (UMR, Smart samospráva, národné a EÚ koncepcie)",
        ] {
            store
                .add_activity(&Activity {
                    id: Uuid::now_v7(),
                    meeting_id: m.id,
                    title: text(&[(sk, title)]),
                    description: LocalizedText::default(),
                    co_owners: Vec::new(),
                    created_at: now,
                })
                .await?;
        }
        let next = now + Duration::days(14);
        let upcoming = meeting(
            &bb,
            text(&[
                (sk, "Tretie diskusné podujatie OGP Local: návrh akčného plánu"),
                (Locale::En, "Third OGP Local discussion event: the draft action plan"),
            ]),
            text(&[(sk, "Predstavenie návrhu záväzkov akčného plánu a diskusia o ich míľnikoch.")]),
            Kind::Hybrid,
            Some("Mestský úrad, Československej armády 26, Banská Bystrica"),
            Some("https://meet.banskabystrica.sk/ogp-akcny-plan"),
            window(next, next + Duration::hours(2))?,
            "Mesto Banská Bystrica",
            Status::Scheduled,
            RegistrationRules {
                open: true,
                capacity: Some(30),
                deadline: Some(next - Duration::days(1)),
                waiting_list: true,
            },
        );
        store.create_meeting(&upcoming).await?;
    }
    if let Some(vl) = store.org_by_slug("vlasotince").await?
        && store.meetings(vl.id, &Default::default(), page).await?.total == 0
    {
        let sr = Locale::SrLatn;
        let round_table = meeting(
            &vl,
            text(&[
                (sr, "Okrugli sto: Nedelja Partnerstva za otvorenu upravu"),
                (Locale::En, "Round table: Open Government Partnership week"),
            ]),
            text(&[(
                sr,
                "Dijalog između građana, civilnog društva, poslovnog sektora i lokalne samouprave o aktivnostima koje odgovaraju na stvarne potrebe građana.",
            )]),
            Kind::InPerson,
            Some("Opština Vlasotince, Trg oslobođenja 16"),
            None,
            window(t("2019-03-11T10:00:00Z")?, t("2019-03-11T13:00:00Z")?)?,
            "Opština Vlasotince",
            Status::Held,
            CLOSED,
        );
        store.create_meeting(&round_table).await?;
        let mut public = meeting(
            &vl,
            text(&[
                (sr, "Javni skup: Nacrt Akcionog plana POU 2019–2020"),
                (Locale::En, "Public meeting: draft OGP action plan 2019–2020"),
            ]),
            text(&[(
                sr,
                "Predstavljanje predloga mera koje treba da dovedu do unapređenja rada opštinske uprave i kvaliteta života građana Vlasotinca.",
            )]),
            Kind::InPerson,
            Some("Opština Vlasotince, velika sala"),
            None,
            window(t("2019-05-17T10:00:00Z")?, t("2019-05-17T12:00:00Z")?)?,
            "Opština Vlasotince",
            Status::Held,
            CLOSED,
        );
        public.minutes = Some(text(&[(
            sr,
            "<p>Prisutnim predstavnicima udruženja građana, poslovnog i javnog sektora predstavljeni su predlozi mera za Akcioni plan: praćenje izvršenja budžeta, prijava komunalnih problema i obaveštavanje korisnika biblioteke.</p>",
        )]));
        store.create_meeting(&public).await?;
    }
    if let Some(bd) = store.org_by_slug("bedzin").await?
        && store.consultations(bd.id, &Default::default(), now, page).await?.total == 0
    {
        let pl = Locale::Pl;
        let survey_id = crate::seed::surveys::bedzin_platform_survey(store, &bd, now).await?;
        store
            .create_consultation(&Consultation {
                id: ConsultationId::new_v7(),
                org_id: bd.id,
                title: text(&[(pl, "Konsultacje: platforma konsultacji społecznych online"), (Locale::En, "Consultation: the online public-consultation platform")]),
                summary: text(&[(pl, "Jak ma działać platforma konsultacji w Będzinie? Wyraź opinię przez formularz i wypełnij ankietę.")]),
                body: text(&[(pl, "Miasto Będzin wdraża platformę do konsultacji online. Na tej stronie mieszkańcy znajdą kalendarz konsultacji oraz szczegółowe informacje o konsultacjach trwających i planowanych. Prosimy o opinie o funkcjach platformy.")]),
                subject: Subject::Other,
                documents: vec![Document { title: text(&[(pl, "Ulotka projektu")]), url: "https://konsultacje.bedzin.pl/ulotka.pdf".into() }],
                sections: vec![
                    Section { key: "kalendarz".into(), title: text(&[(pl, "Kalendarz konsultacji")]) },
                    Section { key: "formularz".into(), title: text(&[(pl, "Formularz opinii")]) },
                ],
                period: Period::new(now - Duration::days(3), now + Duration::days(25)).map_err(|e| RepoError::Unavailable(e.to_string()))?,
                allow_anonymous: true,
                opinions_public: true,
                survey_id: Some(survey_id),
                about: None,
                report: None,
                created_at: now,
                updated_at: now,
            })
            .await?;
    }
    if let Some(so) = store.org_by_slug("sosnowiec").await?
        && store.consultations(so.id, &Default::default(), now, page).await?.total == 0
    {
        let pl = Locale::Pl;
        let rules = |title: &str, period: Period, report: Option<Report>| Consultation {
            id: ConsultationId::new_v7(),
            org_id: so.id,
            title: text(&[(pl, title)]),
            summary: text(&[(
                pl,
                "Projekt uchwały w sprawie zasad przeprowadzania budżetu obywatelskiego w Sosnowcu.",
            )]),
            body: text(&[(
                pl,
                "Konsultacje dotyczą zasad zgłaszania projektów, ich weryfikacji, głosowania i realizacji zwycięskich projektów budżetu obywatelskiego.",
            )]),
            subject: Subject::DraftAct,
            documents: vec![Document {
                title: text(&[(pl, "Projekt uchwały")]),
                url: "https://bo.sosnowiec.pl/projekt-uchwaly.pdf".into(),
            }],
            sections: vec![
                Section { key: "§3".into(), title: text(&[(pl, "Zgłaszanie projektów")]) },
                Section { key: "§5".into(), title: text(&[(pl, "Głosowanie")]) },
            ],
            period,
            allow_anonymous: false,
            opinions_public: true,
            survey_id: None,
            about: None,
            report,
            created_at: now,
            updated_at: now,
        };
        let p = |a, b| Period::new(a, b).map_err(|e| RepoError::Unavailable(e.to_string()));
        store
            .create_consultation(&rules(
                "Konsultacje zasad budżetu obywatelskiego 2026",
                p(t("2025-03-01T00:00:00Z")?, t("2025-03-31T00:00:00Z")?)?,
                Some(Report {
                    text: text(&[(pl, "Otrzymaliśmy 48 opinii. Wydłużyliśmy termin zgłaszania projektów do sześciu tygodni (§3) i wprowadziliśmy głosowanie papierowe w punktach obsługi mieszkańców (§5).")]),
                    published_at: t("2025-04-20T10:00:00Z")?,
                }),
            ))
            .await?;
        let mut open = rules(
            "Konsultacje zasad budżetu obywatelskiego 2027",
            p(now - Duration::days(5), now + Duration::days(23))?,
            None,
        );
        open.survey_id = Some(crate::seed::surveys::sosnowiec_rules_survey(store, &so, now).await?);
        store.create_consultation(&open).await?;
    }
    crate::seed::plans::seed_plans(store).await?;
    crate::seed::budgets::seed_budgets(store).await?;
    Ok(())
}
