//! Demo budget execution: Vlasotince's 2025 budget (seed 004: residents "follow how the municipal
//! budget is executed"), 32 lines in RSD across thirteen programmes, four quarters executed, in
//! two revisions — the budget as adopted, then the rebalance that amended six lines. The lines
//! are read from `data/vlasotince-budget-2025.csv`, a file in the documented import layout.

use chrono::Duration;
use pnyx_domain::budget_execution::{BudgetYear, LineAmounts, Revision, parse_csv};
use pnyx_domain::repo::{RepoError, Store};
use uuid::Uuid;

const VLASOTINCE_2025: &[u8] = include_bytes!("data/vlasotince-budget-2025.csv");

/// Adds Vlasotince's 2025 budget when it has none.
///
/// # Errors
/// When the database fails (or the bundled file breaks the layout, a bug).
pub async fn seed_budget_execution(store: &dyn Store) -> Result<(), RepoError> {
    let Some(vl) = store.org_by_slug("vlasotince").await? else { return Ok(()) };
    if store.budget_year(vl.id, 2025).await?.is_some() {
        return Ok(());
    }
    let parsed = parse_csv(&vl, VLASOTINCE_2025).map_err(|e| RepoError::Unavailable(format!("demo budget: {e:?}")))?;
    let lines: Vec<_> = parsed.lines.into_iter().map(|l| l.line).collect();
    let adopted: Vec<_> = lines
        .iter()
        .cloned()
        .map(|mut l| {
            l.amended = None;
            l
        })
        .collect();
    let now = pnyx_domain::now();
    let adopted_at = now - Duration::days(330);
    let amounts = |ls: &[pnyx_domain::budget_execution::Line]| -> Vec<LineAmounts> {
        ls.iter()
            .map(|l| LineAmounts { code: l.code.clone(), name: l.name.clone(), planned: l.planned, amended: l.amended })
            .collect()
    };
    let mut year = BudgetYear {
        id: Uuid::now_v7(),
        org_id: vl.id,
        year: 2025,
        periods: parsed.periods,
        currency: vl.currency,
        revision: 1,
        created_at: adopted_at,
        updated_at: adopted_at,
    };
    let first = Revision {
        id: Uuid::now_v7(),
        year_id: year.id,
        number: 1,
        note: "Odluka o budžetu opštine Vlasotince za 2025. godinu".into(),
        source: "import".into(),
        author_id: None,
        lines: amounts(&adopted),
        created_at: adopted_at,
    };
    store.save_budget_year(&year, None, &adopted, &first).await?;
    let expected = year.updated_at;
    year.revision = 2;
    year.updated_at = now;
    let second = Revision {
        id: Uuid::now_v7(),
        year_id: year.id,
        number: 2,
        note: "Odluka o prvom rebalansu budžeta za 2025. godinu; izvršenje za četiri kvartala".into(),
        source: "import".into(),
        author_id: None,
        lines: amounts(&lines),
        created_at: now,
    };
    store.save_budget_year(&year, Some(expected), &lines, &second).await
}
