//! Demo data: the municipalities of the seed texts (Banská Bystrica, Będzin, Sosnowiec,
//! Vlasotince) with an admin, an official and a few residents each.

pub mod bench;
pub mod budget_execution;
pub mod budgets;
pub mod content;
pub mod library;
pub mod plans;
pub mod programmes;
pub mod reports;
pub mod surveys;

use std::collections::BTreeSet;

use pnyx_domain::accounts::{Email, User};
use pnyx_domain::auth::{Membership, Role};
use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::{OrgId, UserId};
use pnyx_domain::org::Organisation;
use pnyx_domain::repo::{RepoError, Store};
use rand::Rng;

/// One demo account, with its password in clear (printed once).
pub struct DemoAccount {
    pub org: &'static str,
    pub role: &'static str,
    pub email: String,
    pub password: String,
}

struct DemoOrg {
    slug: &'static str,
    locale: Locale,
    tz: &'static str,
    currency: &'static str,
    name: &'static str,
    name_en: &'static str,
    description: &'static str,
    description_en: &'static str,
    residents: &'static [&'static str],
}

const ORGS: [DemoOrg; 4] = [
    DemoOrg {
        slug: "banska-bystrica",
        locale: Locale::Sk,
        tz: "Europe/Bratislava",
        currency: "EUR",
        name: "Mesto Banská Bystrica",
        name_en: "City of Banská Bystrica",
        description: "Akčný plán OGP Local 2021–2022: záväzky spoluvytvárané s mimovládnymi organizáciami, univerzitou a občanmi, diskusné podujatia a participatívny rozpočet.",
        description_en: "OGP Local action plan 2021–2022: commitments co-created with NGOs, the university and residents, discussion events and a participatory budget.",
        residents: &["Jana Nováková", "Peter Kováč", "Zuzana Horváthová"],
    },
    DemoOrg {
        slug: "bedzin",
        locale: Locale::Pl,
        tz: "Europe/Warsaw",
        currency: "PLN",
        name: "Miasto Będzin",
        name_en: "City of Będzin",
        description: "Platforma konsultacji społecznych: kalendarz konsultacji trwających i planowanych, opinie mieszkańców, ankiety i raporty.",
        description_en: "Public consultation platform: a calendar of ongoing and planned consultations, residents' opinions, surveys and reports.",
        residents: &["Anna Kowalska", "Tomasz Nowak", "Agnieszka Wójcik", "Piotr Lewandowski", "Magdalena Kamińska"],
    },
    DemoOrg {
        slug: "sosnowiec",
        locale: Locale::Pl,
        tz: "Europe/Warsaw",
        currency: "PLN",
        name: "Miasto Sosnowiec",
        name_en: "City of Sosnowiec",
        description: "Budżet obywatelski: mieszkańcy zgłaszają projekty, głosują i śledzą ich realizację; konsultacje zasad budżetu.",
        description_en: "Participatory budget: residents propose projects, vote and follow how the winners are built; consultations on the budget's rules.",
        residents: &["Katarzyna Wiśniewska", "Marek Zieliński"],
    },
    DemoOrg {
        slug: "vlasotince",
        locale: Locale::SrLatn,
        tz: "Europe/Belgrade",
        currency: "RSD",
        name: "Opština Vlasotince",
        name_en: "Municipality of Vlasotince",
        description: "Lokalni akcioni plan OGP 2019–2020: građani oblikuju opštinski budžet i prate njegovo izvršenje, javne konsultacije i prijave komunalnih problema.",
        description_en: "Local OGP action plan 2019–2020: residents shape the municipal budget and monitor its execution, public consultations and reports of communal problems.",
        residents: &["Milica Jovanović", "Nikola Petrović"],
    },
];

fn random_password() -> String {
    const WORDS: [&str; 16] = [
        "hron", "urpin", "vistula", "morava", "bridge", "linden", "meadow", "square", "tower", "river", "garden",
        "market", "library", "harbour", "orchard", "lantern",
    ];
    let mut rng = rand::rng();
    let w: Vec<&str> = (0..3).map(|_| WORDS[rng.random_range(0..WORDS.len())]).collect();
    format!("{}-{}-{}-{}", w[0], w[1], w[2], rng.random_range(10..100))
}

fn slugify(name: &str) -> String {
    let map = |c: char| match c {
        'á' | 'ä' | 'ą' => 'a',
        'č' | 'ć' => 'c',
        'ď' => 'd',
        'é' | 'ě' | 'ę' => 'e',
        'í' => 'i',
        'ľ' | 'ĺ' | 'ł' => 'l',
        'ň' | 'ń' => 'n',
        'ó' | 'ô' => 'o',
        'ŕ' | 'ř' => 'r',
        'š' | 'ś' => 's',
        'ť' => 't',
        'ú' | 'ů' => 'u',
        'ý' => 'y',
        'ž' | 'ź' | 'ż' => 'z',
        other => other,
    };
    name.to_lowercase().chars().map(map).map(|c| if c == ' ' { '.' } else { c }).collect()
}

async fn ensure_user(
    store: &dyn Store,
    email: &str,
    name: &str,
    locale: Locale,
    password: &str,
) -> Result<UserId, RepoError> {
    let parsed = Email::parse(email).map_err(|e| RepoError::Unavailable(e.to_string()))?;
    if let Some(u) = store.user_by_email(&parsed).await? {
        return Ok(u.id);
    }
    let now = pnyx_domain::now();
    let user = User {
        id: UserId::new_v7(),
        email: parsed.as_str().to_owned(),
        password_hash: pnyx_api::security::hash_password(password)
            .map_err(|e| RepoError::Unavailable(e.to_string()))?,
        display_name: name.to_owned(),
        locale,
        platform_admin: false,
        // Demo accounts take part at once.
        email_verified_at: Some(now),
        created_at: now,
        updated_at: now,
    };
    store.create_user(&user).await?;
    Ok(user.id)
}

/// Creates the demo organisations and accounts that are missing. With `password` every demo
/// account gets it; otherwise each gets a random one. Returns the accounts it created.
///
/// # Errors
/// When the database fails.
pub async fn seed_demo(store: &dyn Store, password: Option<&str>) -> Result<Vec<DemoAccount>, RepoError> {
    let mut created = Vec::new();
    for o in &ORGS {
        if store.org_by_slug(o.slug).await?.is_some() {
            continue;
        }
        let now = pnyx_domain::now();
        // Serbian municipalities publish in Cyrillic, the official script, and in Latin: their
        // texts here are written in Latin and read in either script (transliterated).
        let (default_locale, locales) = match o.locale.other_script() {
            Some(_) => (Locale::SrCyrl, vec![Locale::SrCyrl, Locale::SrLatn, Locale::En]),
            None => (o.locale, vec![o.locale, Locale::En]),
        };
        let org = Organisation {
            id: OrgId::new_v7(),
            slug: o.slug.parse().map_err(|e: pnyx_domain::org::InvalidSlug| RepoError::Unavailable(e.to_string()))?,
            name: LocalizedText::from([(o.locale, o.name), (Locale::En, o.name_en)]),
            description: LocalizedText::from([(o.locale, o.description), (Locale::En, o.description_en)]),
            default_locale,
            locales,
            time_zone: o
                .tz
                .parse()
                .map_err(|e: pnyx_domain::org::InvalidTimeZone| RepoError::Unavailable(e.to_string()))?,
            currency: o
                .currency
                .parse()
                .map_err(|e: pnyx_domain::money::InvalidCurrency| RepoError::Unavailable(e.to_string()))?,
            area: reports::area_of(o.slug),
            accent_color: None,
            logo_file_id: None,
            created_at: now,
            updated_at: now,
        };
        store.create_org(&org).await?;
        let staff: [(&'static str, Role); 2] = [("admin", Role::Admin), ("official", Role::Official)];
        for (label, role) in staff {
            let email = format!("{label}@{}.demo.pnyx.eu", o.slug);
            let pw = password.map_or_else(random_password, str::to_owned);
            let name = format!("{} ({label})", o.name_en);
            let id = ensure_user(store, &email, &name, o.locale, &pw).await?;
            store
                .put_membership(org.id, id, &Membership { roles: BTreeSet::from([role]), verified: true }, now)
                .await?;
            created.push(DemoAccount { org: o.slug, role: label, email, password: pw });
        }
        for (i, resident) in o.residents.iter().enumerate() {
            let email = format!("{}@{}.demo.pnyx.eu", slugify(resident), o.slug);
            let pw = password.map_or_else(random_password, str::to_owned);
            let id = ensure_user(store, &email, resident, o.locale, &pw).await?;
            // The first resident of each municipality has verified residency.
            if i == 0 {
                store.put_membership(org.id, id, &Membership { roles: BTreeSet::new(), verified: true }, now).await?;
            }
            created.push(DemoAccount { org: o.slug, role: "resident", email, password: pw });
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn resident_names_become_ascii_mailbox_names() {
        assert_eq!(slugify("Zuzana Horváthová"), "zuzana.horvathova");
        assert_eq!(slugify("Katarzyna Wiśniewska"), "katarzyna.wisniewska");
        assert_eq!(slugify("Marek Zieliński"), "marek.zielinski");
    }
}
