//! Demo programme: seed 004 is one OGP Local programme of five Serbian towns (Sombor, Lapovo,
//! Bela Palanka, Vlasotince, Novi Pazar). Of them the demo data has Vlasotince, which joined; the
//! programme page shows its action plan, reports and budget.

use pnyx_domain::i18n::{Locale, LocalizedText};
use pnyx_domain::ids::ProgrammeId;
use pnyx_domain::programmes::{Member, MemberStatus, Programme};
use pnyx_domain::repo::{RepoError, Store};

/// The demo programme's slug.
pub const SLUG: &str = "ogp-local-srbija";

/// The Serbian demo municipalities that are members.
const MEMBERS: [&str; 1] = ["vlasotince"];

/// Adds the programme with its members when it is missing.
///
/// # Errors
/// When the database fails.
pub async fn seed_programmes(store: &dyn Store) -> Result<(), RepoError> {
    if store.programme_by_slug(SLUG).await?.is_some() {
        return Ok(());
    }
    let now = pnyx_domain::now();
    let p = Programme {
        id: ProgrammeId::new_v7(),
        slug: SLUG.parse().map_err(|e: pnyx_domain::org::InvalidSlug| RepoError::Unavailable(e.to_string()))?,
        name: LocalizedText::from([(Locale::En, "OGP Local in Serbia"), (Locale::SrLatn, "OGP Local u Srbiji")]),
        description: LocalizedText::from([
            (
                Locale::En,
                "Sombor, Lapovo, Bela Palanka, Vlasotince and Novi Pazar open their local governments together: action plans, answers to residents and the budget in the open.",
            ),
            (
                Locale::SrLatn,
                "Sombor, Lapovo, Bela Palanka, Vlasotince i Novi Pazar zajedno otvaraju lokalnu samoupravu: akcioni planovi, odgovori građanima i budžet na uvid javnosti.",
            ),
        ]),
        created_by: None,
        created_at: now,
        updated_at: now,
    };
    let tx = store.begin().await?;
    tx.create_programme(&p).await?;
    for slug in MEMBERS {
        let Some(org) = tx.org_by_slug(slug).await? else { continue };
        let m = Member {
            programme_id: p.id,
            org_id: org.id,
            status: MemberStatus::Joined,
            invited_by: None,
            invited_at: now,
            decided_by: None,
            decided_at: Some(now),
        };
        tx.add_programme_member(&m).await?;
    }
    tx.commit().await
}
