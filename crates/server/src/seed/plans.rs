//! Demo action plans from the municipalities' own texts: Banská Bystrica's first OGP Local plan
//! (8/2021–8/2022, seeds 000 and 001: the participation strategy, digital tools support, plain and
//! gender-sensitive language, the "what's happening in the city" register, placing OGP among the
//! city's strategies) and Vlasotince's 2019–2020 plan (seed 004: following the budget's
//! execution, reporting communal problems, social-protection measures, the library app, open
//! data). Milestones are in several states, with progress updates and the status changes that
//! led there in the public history.

use chrono::{NaiveDate, TimeZone, Utc};
use pnyx_domain::action_plans::records::{ActionPlan, Commitment, DocumentLink, IrmAssessment, Milestone};
use pnyx_domain::action_plans::rules::{DateSpan, MilestoneStatus, OgpValue, PlanStatus};
use pnyx_domain::history::{EntryKind, Evidence, HistoryEntry, SubjectKind};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{CommitmentId, PlanId};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{RepoError, Store};
use uuid::Uuid;

/// A milestone of the demo data: title, start, end, status, completion date.
type M = (&'static str, &'static str, &'static str, MilestoneStatus, Option<&'static str>);

/// A commitment of the demo data.
struct C {
    title: &'static str,
    title_en: &'static str,
    lead: &'static str,
    supporting: &'static [&'static str],
    values: &'static [OgpValue],
    problem: &'static str,
    objective: &'static str,
    milestones: &'static [M],
    /// A progress update: date and text.
    update: Option<(&'static str, &'static str)>,
    irm: Option<(&'static str, &'static str)>,
}

fn day(s: &str) -> Result<NaiveDate, RepoError> {
    s.parse().map_err(|e: chrono::ParseError| RepoError::Unavailable(e.to_string()))
}

fn one(locale: Locale, s: &str) -> LocalizedText {
    let mut t = LocalizedText::default();
    if !s.is_empty() {
        t.insert(locale, s);
    }
    t
}

fn span(a: &str, b: &str) -> Result<DateSpan, RepoError> {
    DateSpan::new(day(a)?, day(b)?).map_err(|e| RepoError::Unavailable(e.to_string()))
}

async fn plan(
    store: &dyn Store,
    org: &Organisation,
    title: LocalizedText,
    description: LocalizedText,
    period: DateSpan,
    document: DocumentLink,
    commitments: &[C],
) -> Result<(), RepoError> {
    let locale = org.default_locale;
    let now = pnyx_domain::now();
    let p = ActionPlan {
        id: PlanId::new_v7(),
        org_id: org.id,
        title,
        description,
        period,
        status: PlanStatus::Completed,
        documents: vec![document],
        created_at: now,
        updated_at: now,
    };
    store.create_plan(&p).await?;
    for c in commitments {
        let mut title = one(locale, c.title);
        title.insert(Locale::En, c.title_en);
        let commitment = Commitment {
            id: CommitmentId::new_v7(),
            org_id: org.id,
            action_plan_id: p.id,
            title,
            lead: c.lead.to_owned(),
            supporting_actors: c.supporting.iter().map(|s| (*s).to_owned()).collect(),
            problem: one(locale, c.problem),
            status_quo: LocalizedText::default(),
            objective: one(locale, c.objective),
            ogp_values: c.values.iter().copied().collect(),
            theme: None,
            budget: None,
            irm: c.irm.map(|(completion, evidence)| IrmAssessment {
                verifiable: Some(true),
                potential_for_results: Some("modest".into()),
                completion: Some(completion.into()),
                did_it_open_government: None,
                evidence: Some(evidence.into()),
            }),
            created_at: now,
            updated_at: now,
        };
        store.create_commitment(&commitment).await?;
        for (position, (title, start, end, status, done_on)) in (0u32..).zip(c.milestones) {
            let m = Milestone {
                id: Uuid::now_v7(),
                commitment_id: commitment.id,
                position,
                title: one(locale, title),
                deliverable: LocalizedText::default(),
                dates: span(start, end)?,
                status: *status,
                completed_on: done_on.map(day).transpose()?,
                created_at: now,
                updated_at: now,
            };
            store.add_milestone(&m).await?;
            if *status != MilestoneStatus::NotStarted {
                let on = m.completed_on.unwrap_or(m.dates.end());
                history(
                    store,
                    org,
                    &m,
                    on,
                    EntryKind::StatusChange {
                        from: Some(MilestoneStatus::NotStarted.as_str().to_owned()),
                        to: status.as_str().to_owned(),
                        reason: None,
                    },
                )
                .await?;
            }
        }
        if let Some((on, text)) = c.update {
            store
                .append_history(&HistoryEntry {
                    id: Uuid::now_v7(),
                    org_id: org.id,
                    subject: SubjectKind::Commitment,
                    subject_id: commitment.id.into(),
                    parent_id: None,
                    entry: EntryKind::Update {
                        text: one(locale, text),
                        evidence: Vec::<Evidence>::new(),
                        amount_spent: None,
                    },
                    occurred_on: day(on)?,
                    author_id: None,
                    created_at: at_noon(day(on)?),
                })
                .await?;
        }
    }
    Ok(())
}

fn at_noon(d: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default())
}

async fn history(
    store: &dyn Store,
    org: &Organisation,
    m: &Milestone,
    on: NaiveDate,
    entry: EntryKind,
) -> Result<(), RepoError> {
    store
        .append_history(&HistoryEntry {
            id: Uuid::now_v7(),
            org_id: org.id,
            subject: SubjectKind::Milestone,
            subject_id: m.id,
            parent_id: Some(m.commitment_id.into()),
            entry,
            occurred_on: on,
            author_id: None,
            created_at: at_noon(on),
        })
        .await
}

use MilestoneStatus::{Cancelled, Delayed, Done, InProgress, NotStarted};
use OgpValue::{
    AccessToInformation as Info, CivicParticipation as Part, PublicAccountability as Acc,
    TechnologyAndInnovation as Tech,
};

const BANSKA_BYSTRICA: &[C] = &[
    C {
        title: "Stratégia zapájania širokej verejnosti",
        title_en: "A strategy for involving the wider public",
        lead: "Mestský úrad Banská Bystrica, oddelenie strategického rozvoja",
        supporting: &["Dialogue Centre, n. o.", "Interaktívna škola urbanizmu a územného plánovania, n. o."],
        values: &[Part],
        problem: "Do tvorby politík sa zapája stále ten istý úzky okruh ľudí; mladí ľudia, zraniteľné skupiny, podnikatelia a poslanci chýbajú.",
        objective: "Stratégia, ako zapájať mladých ľudí, zraniteľné skupiny, podnikateľov, poslancov a vedenie MsÚ do tvorby politík.",
        milestones: &[
            ("Analýza doterajšieho zapájania verejnosti", "2021-08-01", "2021-10-31", Done, Some("2021-10-28")),
            ("Spoluvytvorenie návrhu stratégie s Jadrom+", "2021-11-01", "2022-02-28", Done, Some("2022-03-10")),
            ("Schválenie stratégie mestským zastupiteľstvom", "2022-03-01", "2022-06-30", Done, Some("2022-06-21")),
        ],
        update: Some((
            "2022-06-22",
            "Mestské zastupiteľstvo schválilo Stratégiu otvoreného vládnutia na miestnej úrovni; dokument je v priečinku Dokumenty.",
        )),
        irm: Some(("complete", "Stratégia bola schválená a zverejnená.")),
    },
    C {
        title: "Podpora pri využívaní digitálnych nástrojov",
        title_en: "Support in using digital tools",
        lead: "Mestský úrad Banská Bystrica, oddelenie informatiky",
        supporting: &["Univerzita Mateja Bela"],
        values: &[Tech, Part],
        problem: "Počas pandémie sa stretnutia presunuli do Zoomu a na tabuľu Miro; časť obyvateľov a zamestnancov s nimi nevie pracovať.",
        objective: "Technická podpora pri online stretnutiach a podpora používateľov digitálnych nástrojov a platforiem.",
        milestones: &[
            ("Školenie zamestnancov MsÚ k online stretnutiam", "2021-09-01", "2021-11-30", Done, Some("2021-11-25")),
            ("Príručka k digitálnym nástrojom pre verejnosť", "2021-12-01", "2022-04-30", Delayed, None),
            ("Pravidelná online poradňa pre obyvateľov", "2022-03-01", "2022-08-31", NotStarted, None),
        ],
        update: Some(("2022-05-15", "Príručka je v korektúrach; vydanie sa posúva pre nedostatok kapacít oddelenia.")),
        irm: Some(("limited", "Školenia prebehli, príručka do konca obdobia nevyšla.")),
    },
    C {
        title: "Jednoduchší a rodovo citlivý jazyk",
        title_en: "Plain and gender-sensitive language",
        lead: "Mestský úrad Banská Bystrica, oddelenie komunikácie",
        supporting: &["Univerzita Mateja Bela", "Dialogue Centre, n. o."],
        values: &[Info],
        problem: "Texty úradu sú pre mnohých obyvateľov ťažko zrozumiteľné a oslovujú len mužov.",
        objective: "Používanie jednoduchšieho a rodovo citlivého jazyka vo výstupoch mesta.",
        milestones: &[
            ("Štýlová príručka jednoduchého jazyka", "2021-09-01", "2021-12-31", Done, Some("2021-12-15")),
            ("Školenie redaktorov webu a sociálnych sietí", "2022-01-01", "2022-03-31", Done, Some("2022-03-30")),
            ("Prepis 20 najpoužívanejších formulárov", "2022-02-01", "2022-08-31", InProgress, None),
        ],
        update: None,
        irm: Some(("substantial", "Príručka a školenia sú hotové, formuláre sa prepisujú.")),
    },
    C {
        title: "Register „Čo sa deje v meste“",
        title_en: "The \"What's happening in the city\" register",
        lead: "Kancelária primátora",
        supporting: &["Interaktívna škola urbanizmu a územného plánovania, n. o.", "občianske združenia"],
        values: &[Info, Acc],
        problem: "Obyvatelia ani samotný úrad nemajú prehľad o prebiehajúcich projektoch mesta a občianskeho sektora.",
        objective: "Zber informácií o prebiehajúcich projektoch na MsÚ aj v občianskom sektore a ich verejný prehľad.",
        milestones: &[
            ("Zmapovanie prebiehajúcich projektov MsÚ", "2021-09-01", "2021-12-31", Done, Some("2022-01-20")),
            ("Zber projektov občianskeho sektora", "2022-01-01", "2022-04-30", Delayed, None),
            ("Zverejnenie registra na webe mesta", "2022-05-01", "2022-08-31", NotStarted, None),
        ],
        update: Some((
            "2022-02-01",
            "Zmapovali sme 64 projektov mestského úradu; zber v občianskom sektore pokračuje cez Jadro+.",
        )),
        irm: None,
    },
    C {
        title: "Lokalizácia OGP v stratégiách mesta",
        title_en: "Placing OGP in the city's strategies",
        lead: "Mestský úrad Banská Bystrica, oddelenie strategického rozvoja",
        supporting: &["Jadro+"],
        values: &[Acc],
        problem: "Otvorené vládnutie nie je prepojené s rozvojovými stratégiami mesta (UMR, Smart samospráva).",
        objective: "Umiestniť OGP v súčasných stratégiách mesta a v národných, európskych a globálnych koncepciách.",
        milestones: &[
            (
                "Mapa prepojení OGP so stratégiami UMR a Smart samospráva",
                "2021-10-01",
                "2022-01-31",
                Done,
                Some("2022-01-31"),
            ),
            ("Samostatná kapitola OGP v Operačnom programe", "2022-02-01", "2022-06-30", Cancelled, None),
        ],
        update: None,
        irm: None,
    },
];

const VLASOTINCE: &[C] = &[
    C {
        title: "Građani prate izvršenje opštinskog budžeta",
        title_en: "Residents follow the execution of the municipal budget",
        lead: "Opštinska uprava Vlasotince, Odeljenje za budžet i finansije",
        supporting: &["udruženja građana"],
        values: &[Acc, Info],
        problem: "Građani mogu da utiču na izradu budžeta, ali ne i da prate njegovo izvršenje.",
        objective: "Redovno objavljivanje izvršenja budžeta u obliku razumljivom građanima.",
        milestones: &[
            ("Građanski vodič kroz budžet 2020", "2019-09-01", "2019-12-31", Done, Some("2019-12-20")),
            ("Kvartalni izveštaji o izvršenju budžeta na sajtu", "2020-01-01", "2020-12-31", Done, Some("2020-12-30")),
        ],
        update: Some(("2020-12-30", "Objavljen je četvrti kvartalni izveštaj o izvršenju budžeta za 2020.")),
        irm: Some(("complete", "Izveštaji su objavljeni za sva četiri kvartala.")),
    },
    C {
        title: "Servis za prijavljivanje komunalnih problema",
        title_en: "A service for reporting communal problems",
        lead: "JP Komunalac Vlasotince",
        supporting: &["Opštinska uprava Vlasotince"],
        values: &[Tech, Part],
        problem: "Građani nemaju jednostavan način da prijave komunalne probleme i dobiju odgovor.",
        objective: "Servis za prijavljivanje lokalnih komunalnih problema sa povratnim odgovorom građanima.",
        milestones: &[
            ("Izbor rešenja i javna nabavka", "2019-09-01", "2019-12-31", Done, Some("2020-02-14")),
            ("Puštanje servisa u rad", "2020-03-01", "2020-06-30", Delayed, None),
            ("Izveštaj o rešenim prijavama", "2020-09-01", "2020-12-31", NotStarted, None),
        ],
        update: Some(("2020-04-10", "Puštanje u rad je odloženo zbog vanrednog stanja.")),
        irm: None,
    },
    C {
        title: "Praćenje mera socijalne zaštite",
        title_en: "Monitoring social-protection measures",
        lead: "Centar za socijalni rad Vlasotince",
        supporting: &["udruženja građana"],
        values: &[Acc],
        problem: "Mere socijalne zaštite koje opština preduzima nisu vidljive javnosti.",
        objective: "Omogućiti praćenje mera koje se preduzimaju na polju socijalne zaštite.",
        milestones: &[
            ("Godišnji pregled mera socijalne zaštite", "2019-10-01", "2020-03-31", Done, Some("2020-03-31")),
            ("Javna rasprava o merama za 2021.", "2020-09-01", "2020-11-30", InProgress, None),
        ],
        update: None,
        irm: None,
    },
    C {
        title: "Mobilna aplikacija gradske biblioteke",
        title_en: "The town library's mobile app",
        lead: "Narodna biblioteka „Desanka Maksimović“ Vlasotince",
        supporting: &[],
        values: &[Tech, Info],
        problem: "Korisnici biblioteke ne saznaju na vreme za nove knjige.",
        objective: "Obaveštavanje korisnika o novim knjigama preko mobilne aplikacije i mogućnost da preporuče sadržaje.",
        milestones: &[
            ("Aplikacija sa obaveštenjima o novim knjigama", "2019-10-01", "2020-05-31", Done, Some("2020-05-12")),
            ("Preporuke sadržaja od korisnika", "2020-06-01", "2020-12-31", Done, Some("2020-11-02")),
        ],
        update: None,
        irm: None,
    },
    C {
        title: "Objavljivanje baza podataka opštine",
        title_en: "Publishing the municipality's datasets",
        lead: "Opštinska uprava Vlasotince",
        supporting: &[],
        values: &[Info],
        problem: "Baze podataka opštine nisu dostupne javnosti.",
        objective: "Objavljivanje različitih baza podataka u otvorenom formatu.",
        milestones: &[
            ("Popis baza podataka opštine", "2019-11-01", "2020-02-29", InProgress, None),
            ("Objava prvih pet skupova podataka", "2020-03-01", "2020-12-31", NotStarted, None),
        ],
        update: None,
        irm: None,
    },
];

/// Adds the demo action plans to Banská Bystrica and Vlasotince when they have none.
///
/// # Errors
/// When the database fails.
pub async fn seed_plans(store: &dyn Store) -> Result<(), RepoError> {
    if let Some(bb) = store.org_by_slug("banska-bystrica").await?
        && store.plans(bb.id, true).await?.is_empty()
    {
        let mut title = one(Locale::Sk, "Akčný plán otvoreného vládnutia na miestnej úrovni 2021–2022");
        title.insert(Locale::En, "Open government action plan at the local level 2021–2022");
        plan(
            store,
            &bb,
            title,
            one(
                Locale::Sk,
                "Prvý akčný plán otvoreného vládnutia v samospráve Banská Bystrica (8/2021–8/2022), predložený 31. 7. 2021. Na príprave sa podieľali Dialogue Centre, n. o., Interaktívna škola urbanizmu a územného plánovania, n. o., zástupcovia verejnosti, mestského úradu, Univerzity Mateja Bela, experti a občania.",
            ),
            span("2021-08-01", "2022-08-31")?,
            DocumentLink {
                title: "Akčný plán otvoreného vládnutia na miestnej úrovni (PDF)".into(),
                url: "https://www.banskabystrica.sk/ogp/akcny-plan-2021-2022.pdf".into(),
            },
            BANSKA_BYSTRICA,
        )
        .await?;
    }
    if let Some(vl) = store.org_by_slug("vlasotince").await?
        && store.plans(vl.id, true).await?.is_empty()
    {
        let mut title = one(Locale::SrLatn, "Lokalni akcioni plan Partnerstva za otvorenu upravu 2019–2020");
        title.insert(Locale::En, "Local Open Government Partnership action plan 2019–2020");
        plan(
            store,
            &vl,
            title,
            one(
                Locale::SrLatn,
                "Akcioni plan POU opštine Vlasotince za 2019–2020, izrađen uz javne konsultacije i javni skup održan 17. maja 2019.",
            ),
            span("2019-06-01", "2020-12-31")?,
            DocumentLink {
                title: "Lokalni akcioni plan POU 2019–2020 (PDF)".into(),
                url: "https://www.vlasotince.org.rs/pou/akcioni-plan-2019-2020.pdf".into(),
            },
            VLASOTINCE,
        )
        .await?;
    }
    Ok(())
}
