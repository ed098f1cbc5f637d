//! Demo reports and proposals for Vlasotince (Serbian, written in Latin) and Banská Bystrica
//! (Slovak): categories with their departments and deadlines, residents' reports, and the
//! municipality's answers in their histories.

use chrono::{DateTime, Duration, Utc};
use pnyx_domain::accounts::Email;
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{ReportCategoryId, ReportId, UserId};
use pnyx_domain::org::{Area, Organisation};
use pnyx_domain::repo::{RepoError, Store};
use pnyx_domain::reports::{Category, Report, ReportKind, Status, StatusEntry};
use uuid::Uuid;

/// The demo municipalities' areas: reports must lie in them.
#[must_use]
pub fn area_of(slug: &str) -> Option<Area> {
    match slug {
        "vlasotince" => Some(Area { south: 42.85, west: 21.95, north: 43.08, east: 22.35 }),
        "banska-bystrica" => Some(Area { south: 48.65, west: 19.02, north: 48.82, east: 19.30 }),
        _ => None,
    }
}

struct Cat {
    name: &'static str,
    name_en: &'static str,
    department: &'static str,
    days: u32,
}

struct Demo {
    kind: ReportKind,
    /// Index into the categories.
    cat: usize,
    title: &'static str,
    description: &'static str,
    at: Option<(f64, f64)>,
    address: Option<&'static str>,
    show_name: bool,
    /// Days ago it was filed.
    days_ago: i64,
    /// Status changes: (days after filing, status, answer).
    answers: &'static [(i64, Status, &'static str)],
    supports: usize,
}

const VL_CATS: [Cat; 4] = [
    Cat { name: "Javna rasveta", name_en: "Street lighting", department: "JKP „Komunalac“ Vlasotince", days: 8 },
    Cat {
        name: "Putevi i ulice",
        name_en: "Roads and streets",
        department: "Odeljenje za urbanizam i imovinsko-pravne poslove",
        days: 15,
    },
    Cat {
        name: "Divlje deponije i otpad",
        name_en: "Illegal dumps and waste",
        department: "Odeljenje za zaštitu životne sredine",
        days: 10,
    },
    Cat {
        name: "Predlozi građana",
        name_en: "Residents' proposals",
        department: "Kabinet predsednika opštine",
        days: 30,
    },
];

const VL: [Demo; 5] = [
    Demo {
        kind: ReportKind::Report,
        cat: 0,
        title: "Ne radi ulična rasveta u Nemanjinoj ulici",
        description: "Već dve nedelje ne rade tri svetiljke kod Osnovne škole „Sinadin Janković“. Deca se uveče vraćaju sa treninga po mraku.",
        at: Some((42.9707, 22.1291)),
        address: Some("Nemanjina ulica, kod OŠ „Sinadin Janković“"),
        show_name: true,
        days_ago: 24,
        answers: &[
            (
                2,
                Status::Accepted,
                "Prijava je primljena i prosleđena JKP „Komunalac“. Ekipa će izaći na teren u toku nedelje.",
            ),
            (5, Status::Resolved, "Zamenjene su tri sijalice i jedan prigušivač. Hvala na prijavi."),
        ],
        supports: 2,
    },
    Demo {
        kind: ReportKind::Report,
        cat: 1,
        title: "Udarna rupa na mostu preko Vlasine",
        description: "Na prilazu mostu u centru, iz pravca Ulice 22. decembra, nastala je duboka rupa. Automobili je zaobilaze preko suprotne trake.",
        at: Some((42.9662, 22.1275)),
        address: Some("Ulica 22. decembra, prilaz mostu"),
        show_name: false,
        days_ago: 12,
        answers: &[(
            3,
            Status::InProgress,
            "Sanacija je uvrštena u plan krpljenja udarnih rupa; radovi počinju kada temperatura pređe 5 °C.",
        )],
        supports: 2,
    },
    Demo {
        kind: ReportKind::Report,
        cat: 2,
        title: "Divlja deponija pored reke kod Gornjeg Striževca",
        description: "Pored puta uz reku neko redovno istovara građevinski šut i kućni otpad. Gomila je sve veća.",
        at: Some((42.9881, 22.1512)),
        address: None,
        show_name: false,
        days_ago: 15,
        answers: &[],
        supports: 1,
    },
    Demo {
        kind: ReportKind::Proposal,
        cat: 3,
        title: "Klupe i česma u parku kod Doma kulture",
        description: "Predlažem da se u parku postave nove klupe i javna česma. Park koriste penzioneri i roditelji sa decom, a klupe su dotrajale.",
        at: None,
        address: Some("Park kod Doma kulture, Vlasotince"),
        show_name: true,
        days_ago: 40,
        answers: &[(
            20,
            Status::Accepted,
            "Predlog je uvršten u nacrt budžeta za sledeću godinu u okviru programa uređenja zelenih površina; o njemu će se izjasniti građani na javnoj raspravi o budžetu.",
        )],
        supports: 2,
    },
    Demo {
        kind: ReportKind::Report,
        cat: 0,
        title: "Svetiljka kod autobuske stanice",
        description: "Ne radi svetiljka na stubu kod perona 3 na autobuskoj stanici.",
        at: Some((42.9651, 22.1302)),
        address: None,
        show_name: false,
        days_ago: 10,
        answers: &[(
            1,
            Status::Declined,
            "Stub i svetiljka su u vlasništvu prevoznika, a ne opštine; prijava je prosleđena upravi autobuske stanice.",
        )],
        supports: 0,
    },
];

const BB_CATS: [Cat; 3] = [
    Cat {
        name: "Verejné osvetlenie",
        name_en: "Street lighting",
        department: "Oddelenie správy verejného osvetlenia",
        days: 10,
    },
    Cat {
        name: "Komunikácie a chodníky",
        name_en: "Roads and pavements",
        department: "Odbor dopravy a komunikácií",
        days: 15,
    },
    Cat { name: "Návrhy občanov", name_en: "Residents' proposals", department: "Kancelária primátora", days: 30 },
];

const BB: [Demo; 4] = [
    Demo {
        kind: ReportKind::Report,
        cat: 1,
        title: "Výtlk na Tajovského ulici pri zastávke",
        description: "Pri autobusovej zastávke Tajovského – Univerzita je hlboký výtlk, do ktorého za dažďa stojí voda a autobusy ošpliechajú cestujúcich.",
        at: Some((48.7325, 19.1228)),
        address: Some("Tajovského, zastávka Univerzita"),
        show_name: true,
        days_ago: 20,
        answers: &[
            (4, Status::Accepted, "Podnet sme preverili na mieste a zaradili do plánu opráv výtlkov."),
            (9, Status::Resolved, "Výtlk bol opravený technológiou tryskovej metódy."),
        ],
        supports: 3,
    },
    Demo {
        kind: ReportKind::Report,
        cat: 0,
        title: "Nesvieti lampa na Námestí SNP",
        description: "Na Námestí SNP pri Kostole Panny Márie nesvietia dve lampy verejného osvetlenia.",
        at: Some((48.7364, 19.1460)),
        address: Some("Námestie SNP"),
        show_name: false,
        days_ago: 14,
        answers: &[],
        supports: 1,
    },
    Demo {
        kind: ReportKind::Report,
        cat: 0,
        title: "Nesvietia lampy na Námestí SNP",
        description: "Pri kostole sú dve lampy bez svetla.",
        at: Some((48.7363, 19.1462)),
        address: None,
        show_name: false,
        days_ago: 13,
        answers: &[],
        supports: 0,
    },
    Demo {
        kind: ReportKind::Proposal,
        cat: 2,
        title: "Stojany na bicykle pri Európe SC",
        description: "Navrhujem osadiť kryté stojany na bicykle pri nákupnom centre a pri autobusovej stanici, aby sa dalo bezpečne prestúpiť z bicykla na autobus.",
        at: None,
        address: Some("Na Troskách, Európa SC"),
        show_name: true,
        days_ago: 35,
        answers: &[(
            12,
            Status::InProgress,
            "Návrh posudzujeme spolu s Generelom dopravy; umiestnenie stojanov preveruje odbor dopravy.",
        )],
        supports: 2,
    },
];

async fn user(store: &dyn Store, email: &str) -> Result<Option<(UserId, String)>, RepoError> {
    let e = Email::parse(email).map_err(|e| RepoError::Unavailable(e.to_string()))?;
    Ok(store.user_by_email(&e).await?.map(|u| (u.id, u.display_name)))
}

#[allow(clippy::too_many_arguments)]
async fn seed_org(
    store: &dyn Store,
    org: &Organisation,
    locale: Locale,
    cats: &[Cat],
    demos: &[Demo],
    residents: &[&str],
    now: DateTime<Utc>,
) -> Result<(), RepoError> {
    let Some((official, _)) = user(store, &format!("official@{}.demo.pnyx.eu", org.slug)).await? else { return Ok(()) };
    let mut people = Vec::new();
    for r in residents {
        if let Some(u) = user(store, &format!("{r}@{}.demo.pnyx.eu", org.slug)).await? {
            people.push(u);
        }
    }
    if people.is_empty() {
        return Ok(());
    }
    let created = now - Duration::days(60);
    let mut ids = Vec::new();
    for c in cats {
        let cat = Category {
            id: ReportCategoryId::new_v7(),
            org_id: org.id,
            name: LocalizedText::from([(locale, c.name), (Locale::En, c.name_en)]),
            department: c.department.to_owned(),
            answer_days: c.days,
            created_at: created,
            updated_at: created,
        };
        store.create_report_category(&cat).await?;
        ids.push(cat.id);
    }
    for (i, d) in demos.iter().enumerate() {
        let (author_id, author_name) = people[i % people.len()].clone();
        let filed = now - Duration::days(d.days_ago);
        let mut r = Report {
            id: ReportId::new_v7(),
            org_id: org.id,
            kind: d.kind,
            category_id: ids[d.cat],
            title: d.title.to_owned(),
            description: d.description.to_owned(),
            locale,
            latitude: d.at.map(|(lat, _)| lat),
            longitude: d.at.map(|(_, lon)| lon),
            address: d.address.map(str::to_owned),
            author_id,
            author_name,
            show_name: d.show_name,
            status: Status::Received,
            duplicate_of: None,
            support_count: 0,
            first_answer_at: None,
            resolved_at: None,
            created_at: filed,
            updated_at: filed,
        };
        let first = StatusEntry {
            id: Uuid::now_v7(),
            report_id: r.id,
            from: None,
            to: Status::Received,
            answer: LocalizedText::default(),
            duplicate_of: None,
            author_id: Some(author_id),
            created_at: filed,
        };
        store.create_report(&r, &first).await?;
        for (after, to, answer) in d.answers {
            let at = filed + Duration::days(*after);
            let previous = r.updated_at;
            let from = r.status;
            r.status = *to;
            r.first_answer_at.get_or_insert(at);
            r.resolved_at = (*to == Status::Resolved).then_some(at);
            r.updated_at = at;
            let entry = StatusEntry {
                id: Uuid::now_v7(),
                report_id: r.id,
                from: Some(from),
                to: *to,
                answer: LocalizedText::from([(locale, *answer)]),
                duplicate_of: None,
                author_id: Some(official),
                created_at: at,
            };
            store.change_report_status(&r, previous, &entry).await?;
        }
        for (supporter, _) in people.iter().filter(|(id, _)| *id != author_id).take(d.supports) {
            store.support_report(r.id, *supporter, filed + Duration::days(1)).await?;
        }
    }
    Ok(())
}

/// Adds the demo reports to Vlasotince and Banská Bystrica when they have no categories yet.
///
/// # Errors
/// When the database fails.
pub async fn seed_reports(store: &dyn Store) -> Result<(), RepoError> {
    let now = pnyx_domain::now();
    if let Some(vl) = store.org_by_slug("vlasotince").await?
        && store.report_categories(vl.id).await?.is_empty()
    {
        seed_org(store, &vl, Locale::SrLatn, &VL_CATS, &VL, &["milica.jovanovic", "nikola.petrovic"], now).await?;
    }
    if let Some(bb) = store.org_by_slug("banska-bystrica").await?
        && store.report_categories(bb.id).await?.is_empty()
    {
        let people = ["jana.novakova", "peter.kovac", "zuzana.horvathova"];
        seed_org(store, &bb, Locale::Sk, &BB_CATS, &BB, &people, now).await?;
    }
    Ok(())
}
