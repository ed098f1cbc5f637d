use super::*;

fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

fn approval(projects: &[(&str, &str)], budget: &str, ballots: &[&[&str]]) -> Election {
    let projects = projects.iter().map(|(id, c)| ElectionProject { id: (*id).into(), cost: amount(c) }).collect();
    let ballots = ballots.iter().map(|b| b.iter().map(|s| (*s).to_owned()).collect()).collect();
    Election::new(projects, amount(budget), Ballots::Approval(ballots)).unwrap()
}

fn points(projects: &[(&str, &str)], budget: &str, ballots: &[&[(&str, &str)]]) -> Election {
    let projects = projects.iter().map(|(id, c)| ElectionProject { id: (*id).into(), cost: amount(c) }).collect();
    let ballots = ballots.iter().map(|b| b.iter().map(|(id, p)| ((*id).to_owned(), amount(p))).collect()).collect();
    Election::new(projects, amount(budget), Ballots::Points(ballots)).unwrap()
}

fn ids(o: &Outcome) -> Vec<&str> {
    o.winners.iter().map(|w| w.id.as_str()).collect()
}

#[test]
fn greedy_takes_the_most_voted_projects_that_still_fit() {
    // a: 3 votes, b and c: 2 each; after a (6) only 4 is left: b (5) is skipped, c (4) fits.
    let e = approval(&[("a", "6"), ("b", "5"), ("c", "4")], "10", &[&["a", "b"], &["a", "c"], &["a", "b", "c"]]);
    let o = compute(OutcomeRule::Greedy, &e);
    assert_eq!(ids(&o), ["a", "c"]);
    assert_eq!(o.money_left, amount("0"));
    assert_eq!(o.projects[1].votes, 2);
    assert!(o.winners.iter().all(|w| w.stage == Stage::Greedy && w.share.is_none()));
}

#[test]
fn greedy_breaks_ties_by_id_string_order() {
    // Equal votes and only room for one: "c10" < "c2" as strings.
    let e = approval(&[("c2", "5"), ("c10", "5")], "7", &[&["c2", "c10"]]);
    assert_eq!(ids(&compute(OutcomeRule::Greedy, &e)), ["c10"]);
}

fn ranked(projects: &[(&str, &str)], budget: &str, ballots: &[&[(&str, u64)]]) -> Election {
    let projects = projects.iter().map(|(id, c)| ElectionProject { id: (*id).into(), cost: amount(c) }).collect();
    let ballots = ballots.iter().map(|b| b.iter().map(|(id, s)| ((*id).to_owned(), *s)).collect()).collect();
    Election::new(projects, amount(budget), Ballots::Ranked(ballots)).unwrap()
}

#[test]
fn greedy_with_points_ranks_by_the_sum_of_points_as_cities_do() {
    // x: 10 points for 10, y: 6 points for 3, z: 0 points but it fits. By points x comes first
    // (Częstochowa, Katowice); by points per cost (pabutools) y would.
    let e =
        points(&[("x", "10"), ("y", "3"), ("z", "1")], "14", &[&[("x", "7"), ("y", "3")], &[("x", "3"), ("y", "3")]]);
    let o = compute(OutcomeRule::Greedy, &e);
    assert_eq!(ids(&o), ["x", "y", "z"]);
    assert_eq!(o.projects[0].score, amount("10"));
    // Budget 12: after x (10) y (3) no longer fits and is skipped; z (1) still fits.
    let tight = points(&[("x", "10"), ("y", "3"), ("z", "1")], "12", &[&[("x", "7"), ("y", "3"), ("z", "1")]]);
    assert_eq!(ids(&compute(OutcomeRule::Greedy, &tight)), ["x", "z"]);
}

#[test]
fn greedy_per_cost_ranks_points_by_points_per_unit_of_cost() {
    // The same election: y (2 points per unit) before x (1 per unit) before z (0).
    let e =
        points(&[("x", "10"), ("y", "3"), ("z", "1")], "14", &[&[("x", "7"), ("y", "3")], &[("x", "3"), ("y", "3")]]);
    assert_eq!(ids(&compute(OutcomeRule::GreedyPerCost, &e)), ["y", "x", "z"]);
    // For approval ballots it is greedy by approvals.
    let a = approval(&[("a", "6"), ("b", "5"), ("c", "4")], "10", &[&["a", "b"], &["a", "c"], &["a", "b", "c"]]);
    assert_eq!(ids(&compute(OutcomeRule::GreedyPerCost, &a)), ids(&compute(OutcomeRule::Greedy, &a)));
}

#[test]
fn greedy_no_skip_stops_at_the_first_project_that_does_not_fit() {
    // a (6) fits, b (5) does not fit in the 4 left: the selection ends there, c (4) is not taken
    // although it would fit (Gdynia, Wrocław); greedy skips b and takes c.
    let e = approval(&[("a", "6"), ("b", "5"), ("c", "4")], "10", &[&["a", "b"], &["a", "c"], &["a", "b", "c"]]);
    assert_eq!(ids(&compute(OutcomeRule::GreedyNoSkip, &e)), ["a"]);
    assert_eq!(ids(&compute(OutcomeRule::Greedy, &e)), ["a", "c"]);
    // Everything fits: both rules take everything, in score order.
    let all = approval(&[("a", "1"), ("b", "1")], "10", &[&["b"], &["a", "b"]]);
    assert_eq!(ids(&compute(OutcomeRule::GreedyNoSkip, &all)), ["b", "a"]);
}

#[test]
fn ranked_ballots_score_the_points_of_each_rank() {
    // Kraków's 3/2/1. p: 3 + 1 = 4, q: 2 + 3 = 5, r: 1 + 2 = 3. Approvals alone would tie all three.
    let e = ranked(
        &[("p", "5"), ("q", "5"), ("r", "5")],
        "10",
        &[&[("p", 3), ("q", 2), ("r", 1)], &[("q", 3), ("r", 2), ("p", 1)]],
    );
    let o = compute(OutcomeRule::Greedy, &e);
    assert_eq!(ids(&o), ["q", "p"]);
    let score = |id: &str| o.projects.iter().find(|t| t.id == id).unwrap().score;
    assert_eq!((score("p"), score("q"), score("r")), (amount("4"), amount("5"), amount("3")));
    assert!(o.projects.iter().all(|t| t.votes == 2));
    // Equal Shares reads rankings as approval: three equal projects, ties by id.
    assert_eq!(ids(&compute(OutcomeRule::EqualSharesPlain, &e)), ["p", "q"]);
}

#[test]
fn the_minimum_score_applies_to_points_and_positional_points() {
    // x: 7 + 3 = 10 points, y: 3 + 3 = 6: a threshold of 7 points leaves y out under every rule.
    let e = points(&[("x", "10"), ("y", "3")], "14", &[&[("x", "7"), ("y", "3")], &[("x", "3"), ("y", "3")]])
        .with_min_score(7);
    for rule in OutcomeRule::ALL {
        let o = compute(rule, &e);
        assert!(!ids(&o).contains(&"y"), "{}", rule.as_str());
        assert_eq!(o.projects.iter().map(|t| t.eligible).collect::<Vec<_>>(), [true, false]);
    }
    assert_eq!(e.min_score(), 7);
    // Decimal points: the threshold is in whole points.
    let d = points(&[("x", "1"), ("y", "1")], "5", &[&[("x", "1.5"), ("y", "0.5")], &[("x", "0.5")]]).with_min_score(2);
    assert_eq!(ids(&compute(OutcomeRule::Greedy, &d)), ["x"]);
    let r = ranked(&[("p", "1"), ("q", "1")], "5", &[&[("p", 3), ("q", 2)], &[("q", 3)]]).with_min_score(4);
    assert_eq!(ids(&compute(OutcomeRule::Greedy, &r)), ["q"]);
}

#[test]
fn rule_names_read_back() {
    for rule in OutcomeRule::ALL {
        assert_eq!(OutcomeRule::parse(rule.as_str()), Some(rule));
    }
    assert_eq!(OutcomeRule::parse("greedy-no-skip"), None);
}

#[test]
fn equal_shares_charges_supporters_equally_and_the_poor_pay_what_they_have() {
    // 4 voters with 25 each. a (60) by v1..v3: 20 each. c (30) by v1, v4: v1 has 5 left and pays
    // it, v4 pays 25. b (40) by v4 alone is never affordable.
    let e = approval(&[("a", "60"), ("b", "40"), ("c", "30")], "100", &[&["a", "c"], &["a"], &["a"], &["b", "c"]]);
    let o = compute(OutcomeRule::EqualSharesPlain, &e);
    assert_eq!(ids(&o), ["a", "c"]);
    assert_eq!(o.winners[0].share.as_ref().unwrap().to_string(), "20");
    assert_eq!(o.winners[1].share.as_ref().unwrap().to_string(), "25");
    assert_eq!(o.voter_budget.as_ref().unwrap().to_string(), "25");
    assert_eq!(o.money_left, amount("10"));
    // Greedy completion has nothing that fits in 10.
    assert_eq!(ids(&compute(OutcomeRule::EqualSharesGreedy, &e)), ["a", "c"]);
}

#[test]
fn equal_shares_shares_can_be_fractions() {
    // 3 voters with 10/3 each; a (4) by all three costs 4/3 each.
    let e = approval(&[("a", "4")], "10", &[&["a"], &["a"], &["a"]]);
    let o = compute(OutcomeRule::EqualSharesPlain, &e);
    assert_eq!(o.winners[0].share, Some(Fraction { numerator: "4".into(), denominator: "3".into() }));
    assert_eq!(o.voter_budget.unwrap().to_string(), "10/3");
}

#[test]
fn equal_shares_ties_go_to_the_smaller_id() {
    // Both cost 4 and are approved by both voters: same price; only one fits in 5 each... both fit
    // the money, so both are taken, "p10" first.
    let e = approval(&[("p2", "4"), ("p10", "4")], "10", &[&["p2", "p10"], &["p2", "p10"]]);
    assert_eq!(ids(&compute(OutcomeRule::EqualSharesPlain, &e)), ["p10", "p2"]);
}

#[test]
fn equal_shares_with_points_uses_point_utilities() {
    // 2 voters with 5 each. q (6): v1 gives 1 point, v2 gives 2: price per point 2 (v1 pays 2, v2 4).
    // r (4): v1 gives 3 points: 3 left for v1 < 4, unaffordable after q; before q its price per
    // point is 4/3 < 2, so r goes first (v1 pays 4) and then q costs v1 1 (all it has) and v2 5.
    let e = points(&[("q", "6"), ("r", "4")], "10", &[&[("q", "1"), ("r", "3")], &[("q", "2")]]);
    let o = compute(OutcomeRule::EqualSharesPlain, &e);
    assert_eq!(ids(&o), ["r", "q"]);
    assert_eq!(o.winners[0].share.as_ref().unwrap().to_string(), "4/3");
    assert_eq!(o.winners[1].share.as_ref().unwrap().to_string(), "5/2");
}

#[test]
fn equal_shares_raises_the_voter_budget_while_the_outcome_fits() {
    // 2 voters, budget 10. With 5 each only y (3) is affordable; with 6 each x (6) too, both at
    // price 1 per unit (tie: x first), costing 9 <= 10 and leaving nothing that fits.
    let e = approval(&[("x", "6"), ("y", "3")], "10", &[&["x"], &["y"]]);
    assert_eq!(ids(&compute(OutcomeRule::EqualSharesPlain, &e)), ["y"]);
    assert_eq!(ids(&compute(OutcomeRule::EqualSharesGreedy, &e)), ["y", "x"]);
    let o = compute(OutcomeRule::EqualShares, &e);
    assert_eq!(ids(&o), ["x", "y"]);
    // Raising further never goes over the budget: it stops once one voter could pay for everything.
    assert_eq!(o.voter_budget.unwrap().to_string(), "11");
}

#[test]
fn equal_shares_keeps_the_last_feasible_outcome_then_completes_greedily() {
    // 2 voters, budget 10, x (6) and y (6). With 5 each nothing is affordable; with 6 each both are,
    // costing 12 > 10: keep the empty outcome, then greedy picks x (tie by id); y no longer fits.
    let e = approval(&[("x", "6"), ("y", "6")], "10", &[&["x"], &["y"]]);
    let o = compute(OutcomeRule::EqualShares, &e);
    assert_eq!(ids(&o), ["x"]);
    assert_eq!(o.winners[0].stage, Stage::Greedy);
    assert_eq!(o.voter_budget.unwrap().to_string(), "5");
}

#[test]
fn decimal_budgets_raise_the_voter_budget_in_whole_currency_units() {
    // Budget 10.50 for 2 voters: start at floor(5.25) = 5.00, then 6.00.
    let e = approval(&[("x", "6"), ("y", "3")], "10.50", &[&["x"], &["y"]]);
    let o = compute(OutcomeRule::EqualShares, &e);
    assert_eq!(ids(&o), ["x", "y"]);
    assert_eq!(o.voter_budget.unwrap().to_string(), "11");
    assert_eq!(o.money_left, amount("1.50"));
}

#[test]
fn an_election_without_ballots_selects_greedily_only() {
    let e = approval(&[("x", "6")], "10", &[]);
    assert!(compute(OutcomeRule::EqualSharesPlain, &e).winners.is_empty());
    assert_eq!(ids(&compute(OutcomeRule::EqualShares, &e)), ["x"]);
}

#[test]
fn bad_elections_are_refused() {
    let p = |id: &str| ElectionProject { id: id.into(), cost: amount("1") };
    assert_eq!(
        Election::new(vec![p("a"), p("a")], amount("1"), Ballots::Approval(vec![])).unwrap_err(),
        ElectionError::DuplicateProject("a".into())
    );
    assert_eq!(
        Election::new(vec![p("a")], amount("1"), Ballots::Approval(vec![vec!["b".into()]])).unwrap_err(),
        ElectionError::UnknownProject { ballot: 0, id: "b".into() }
    );
    assert_eq!(
        Election::new(vec![p("a")], amount("1"), Ballots::Approval(vec![vec!["a".into(), "a".into()]])).unwrap_err(),
        ElectionError::RepeatedProject { ballot: 0, id: "a".into() }
    );
}

// ---- The reference outcomes computed by pabutools 1.2.3 -------------------------------------------

#[derive(Clone, Copy)]
enum Only {
    All,
    EqualShares,
    NotEqualShares,
}

fn instances() -> std::path::PathBuf {
    crate::budget::pabulib::tests::instances_dir()
}

/// Checks the rules the reference gives for `file` (all of them, or only `equal_shares` with
/// `Only::EqualShares`, or all but it): same winners in the same selection order.
fn matches_reference(file: &str, only: Only) {
    let dir = instances();
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference-outcomes.json")).unwrap()).unwrap();
    let rules = reference["instances"][file]["rules"].as_object().unwrap();
    let pb = crate::budget::pabulib::parse(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
    let election = Election::from_pb(&pb).unwrap();
    assert!(!rules.is_empty());
    for (name, expected) in rules {
        let wanted = match only {
            Only::All => true,
            Only::EqualShares => name == "equal_shares",
            Only::NotEqualShares => name != "equal_shares",
        };
        // The reference's `greedy` is pabutools' greedy_utilitarian_welfare, our `greedy_per_cost`;
        // for ordinal files it is computed on the approval view, which no rule of ours counts.
        let ordinal = pb.vote_type == crate::budget::pabulib::VoteType::Ordinal;
        if !wanted || (name == "greedy" && ordinal) {
            continue;
        }
        let rule = if name == "greedy" { OutcomeRule::GreedyPerCost } else { OutcomeRule::parse(name).unwrap() };
        let started = std::time::Instant::now();
        let outcome = compute(rule, &election);
        let order: Vec<String> =
            expected["selection_order"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        let mut winners: Vec<String> =
            expected["winners"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        let got: Vec<String> = outcome.winners.iter().map(|w| w.id.clone()).collect();
        assert_eq!(got, order, "{file} {name}: selection order");
        let mut got_set = got.clone();
        got_set.sort();
        winners.sort();
        assert_eq!(got_set, winners, "{file} {name}: winners");
        assert!(outcome.spent <= outcome.budget);
        eprintln!("{file} {name}: {} winners in {:?}", got.len(), started.elapsed());
    }
}

// ---- The cities' own results ------------------------------------------------------------------

fn official() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/pb-official"))
}

fn pb_files(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    files.sort();
    files
}

/// The winners of the process a file imports as, under its own rule and threshold, in
/// selection order.
fn city_winners(text: &str) -> (crate::budget::process::Budget, Vec<String>) {
    let org = crate::org::Organisation {
        id: crate::ids::OrgId::from_uuid(uuid::Uuid::from_u128(7)),
        slug: "mesto".parse().unwrap(),
        name: crate::i18n::LocalizedText::default(),
        description: crate::i18n::LocalizedText::default(),
        default_locale: crate::i18n::Locale::Pl,
        locales: vec![crate::i18n::Locale::Pl],
        time_zone: "Europe/Warsaw".parse().unwrap(),
        currency: "PLN".parse().unwrap(),
        area: None,
        accent_color: None,
        logo_file_id: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    let (b, proposals, ballots) = crate::budget::exchange::import(&org, text, chrono::Utc::now()).unwrap();
    let on: Vec<&crate::budget::process::Proposal> = proposals.iter().collect();
    let election = crate::budget::results::election_of(&b, &on, &ballots, None, b.min_score).unwrap();
    let o = compute(b.outcome_rule, &election);
    (b, o.winners.into_iter().map(|w| w.id).collect())
}

#[test]
fn every_official_file_gives_the_winners_the_city_funded() {
    let files = pb_files(&official());
    assert_eq!(files.len(), 18);
    for file in files {
        let text = std::fs::read_to_string(official().join(&file)).unwrap();
        let pb = crate::budget::pabulib::parse(&text).unwrap();
        let mut funded: Vec<String> = (0..pb.projects.len())
            .filter(|&i| pb.project_field(i, "selected").is_some_and(|s| s.trim() == "1"))
            .map(|i| pb.projects[i].id.clone())
            .collect();
        assert!(!funded.is_empty(), "{file}: no selected column");
        let (b, got) = city_winners(&text);
        let mut set = got.clone();
        set.sort();
        funded.sort();
        assert_eq!(set, funded, "{file}: {} (threshold {})", b.outcome_rule.as_str(), b.min_score);
    }
}

#[test]
fn every_reference_instance_gives_the_city_rule_winners_in_order() {
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(instances().join("reference-outcomes.json")).unwrap()).unwrap();
    let files = pb_files(&instances());
    assert_eq!(files.len(), 12);
    for file in files {
        let city = &reference["instances"][&file]["city_rule"];
        let want: Vec<String> =
            city["winners"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        let (b, got) = city_winners(&std::fs::read_to_string(instances().join(&file)).unwrap());
        assert_eq!(b.outcome_rule.as_str(), city["rule"].as_str().unwrap(), "{file}: the rule");
        assert_eq!(b.min_score, city["min_score"].as_u64().unwrap(), "{file}: the threshold");
        assert_eq!(got, want, "{file}: the city's winners in selection order");
    }
}

#[test]
fn reference_czestochowa_2020_grabowka() {
    matches_reference("Poland_Czestochowa_2020_Grabowka.pb", Only::All);
}
#[test]
fn reference_warszawa_2019_las() {
    matches_reference("Poland_Warszawa_2019_Las.pb", Only::All);
}
#[test]
fn reference_gdansk_2020_oliwa() {
    matches_reference("Poland_Gdansk_2020_Oliwa.pb", Only::All);
}
#[test]
fn reference_krakow_2024_stare_miasto() {
    matches_reference("Poland_Krakow_2024_Stare_Miasto.pb", Only::NotEqualShares);
}
#[test]
fn reference_equal_shares_krakow_2024_stare_miasto() {
    matches_reference("Poland_Krakow_2024_Stare_Miasto.pb", Only::EqualShares);
}
#[test]
fn reference_swiecie_2023() {
    matches_reference("Poland_Swiecie_2023.pb", Only::NotEqualShares);
}
#[test]
fn reference_equal_shares_swiecie_2023() {
    matches_reference("Poland_Swiecie_2023.pb", Only::EqualShares);
}
#[test]
fn reference_wieliczka_2023_green_budget() {
    matches_reference("Poland_Wieliczka_2023_Green_Budget.pb", Only::NotEqualShares);
}
#[test]
fn reference_equal_shares_wieliczka_2023_green_budget() {
    matches_reference("Poland_Wieliczka_2023_Green_Budget.pb", Only::EqualShares);
}
#[test]
fn reference_warszawa_2026_mokotow() {
    matches_reference("Poland_Warszawa_2026_Mokotow.pb", Only::NotEqualShares);
}
#[test]
fn reference_equal_shares_warszawa_2026_mokotow() {
    matches_reference("Poland_Warszawa_2026_Mokotow.pb", Only::EqualShares);
}
#[test]
fn reference_gdansk_2020() {
    matches_reference("Poland_Gdansk_2020.pb", Only::All);
}
#[test]
fn reference_czestochowa_2024() {
    matches_reference("Poland_Czestochowa_2024.pb", Only::All);
}
#[test]
fn reference_krakow_2024() {
    matches_reference("Poland_Krakow_2024.pb", Only::All);
}
#[test]
fn reference_warszawa_2026() {
    matches_reference("Poland_Warszawa_2026.pb", Only::All);
}
#[test]
fn reference_lodz_2022() {
    matches_reference("Poland_Lodz_2022.pb", Only::All);
}

#[test]
#[ignore = "exploration"]
fn explore_equal_shares() {
    let dir = instances();
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference-outcomes.json")).unwrap()).unwrap();
    for file in ["Poland_Swiecie_2023.pb", "Poland_Warszawa_2026_Mokotow.pb", "Poland_Wieliczka_2023_Green_Budget.pb"] {
        let pb = crate::budget::pabulib::parse(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let e = Election::from_pb(&pb).unwrap();
        let want: Vec<String> = reference["instances"][file]["rules"]["equal_shares"]["selection_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let mes = Mes::new(&e, true);
        let mut b = e.budget / e.voters;
        let unsupported: Vec<&str> =
            (0..e.ids.len()).filter(|j| !mes.candidates.contains(j)).map(|j| e.ids[j].as_str()).collect();
        eprintln!("{file}: start {b}, unsupported {unsupported:?}");
        let mut last = String::new();
        loop {
            let run = mes.run(&BigRational::from_integer(BigInt::from(b)), false).0;
            let cost: u64 = run.iter().map(|(j, _)| e.costs[*j]).sum();
            let taken: Vec<usize> = run.iter().map(|(j, _)| *j).collect();
            let mut full: Vec<String> = taken.iter().map(|&j| e.ids[j].clone()).collect();
            full.extend(greedy_per_cost(&e, &taken, e.points).into_iter().map(|j| e.ids[j].clone()));
            let exh_all = !(0..e.ids.len()).any(|j| !taken.contains(&j) && e.costs[j] + cost <= e.budget);
            let exh_sup = !mes.candidates.iter().any(|&j| !taken.contains(&j) && e.costs[j] + cost <= e.budget);
            let line = format!(
                "n={} cost={cost} exh_all={exh_all} exh_sup={exh_sup} match={} {:?}",
                run.len(),
                full == want,
                &full[..run.len()]
            );
            if line != last {
                eprintln!("  b={b} {line}");
                last = line;
            }
            if cost > e.budget {
                break;
            }
            b += 1;
        }
    }
}

/// Release-mode timing on the largest instance: `cargo test --release -p pnyx-domain lodz_timing -- --ignored --nocapture`.
#[test]
#[ignore = "timing, meant for release mode"]
fn lodz_timing() {
    let text = std::fs::read_to_string(instances().join("Poland_Lodz_2022.pb")).unwrap();
    let cpu = cpu_ns();
    let pb = crate::budget::pabulib::parse(&text).unwrap();
    let parsed = cpu_ns();
    let election = Election::from_pb(&pb).unwrap();
    let ms = |ns: u64| ns as f64 / 1e6;
    eprintln!("cpu: parse {:.1} ms, build {:.1} ms", ms(parsed - cpu), ms(cpu_ns() - parsed));
    for rule in OutcomeRule::ALL {
        let started = std::time::Instant::now();
        let o = compute(rule, &election);
        eprintln!("{}: {} winners, {:?}", rule.as_str(), o.winners.len(), started.elapsed());
    }
}

/// Writes every rule's full outcome on every instance as JSON into `$PNYX_OUTCOME_DUMP` (a
/// directory), to compare two implementations byte for byte (shares and voter budgets included):
/// `PNYX_OUTCOME_DUMP=/tmp/x cargo test --release -p pnyx-domain dump_outcomes -- --ignored`.
#[test]
#[ignore = "tooling, meant for release mode"]
fn dump_outcomes() {
    let Ok(out) = std::env::var("PNYX_OUTCOME_DUMP") else { return };
    let out = std::path::PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(instances())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    files.sort();
    for file in files {
        let pb = crate::budget::pabulib::parse(&std::fs::read_to_string(instances().join(&file)).unwrap()).unwrap();
        let election = Election::from_pb(&pb).unwrap();
        for rule in OutcomeRule::ALL {
            let started = std::time::Instant::now();
            let o = compute(rule, &election);
            eprintln!("{file} {}: {:?}", rule.as_str(), started.elapsed());
            let path = out.join(format!("{file}.{}.json", rule.as_str()));
            std::fs::write(path, serde_json::to_string_pretty(&o).unwrap()).unwrap();
        }
    }
}

/// This thread's time on the CPU in nanoseconds (Linux; 0 elsewhere): less disturbed than wall
/// time by other processes on a shared machine.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
        .unwrap_or(0)
}

/// Release-mode timing of every rule on one instance named by `$PNYX_TIMING_FILE`.
#[test]
#[ignore = "timing, meant for release mode"]
fn rule_timing() {
    let Ok(file) = std::env::var("PNYX_TIMING_FILE") else { return };
    let pb = crate::budget::pabulib::parse(&std::fs::read_to_string(instances().join(file)).unwrap()).unwrap();
    let election = Election::from_pb(&pb).unwrap();
    for rule in OutcomeRule::ALL {
        let (started, cpu) = (std::time::Instant::now(), cpu_ns());
        let o = compute(rule, &election);
        let cpu_ms = (cpu_ns() - cpu) as f64 / 1e6;
        eprintln!("{}: {} winners, {:?} wall, {cpu_ms:.1} ms cpu", rule.as_str(), o.winners.len(), started.elapsed());
    }
}

/// A small deterministic pseudo-random generator (xorshift) for the differential tests.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A random small approval election built to produce exact ties and voters short of money: few
/// cost values, ids whose string order differs from their numeric order.
fn random_election(rng: &mut Rng) -> Election {
    let projects = 1 + rng.below(7) as usize;
    let costs = [1u64, 2, 3, 4, 6, 12, 30];
    let list: Vec<(String, String)> =
        (0..projects).map(|i| (format!("p{}", i * 5), costs[rng.below(7) as usize].to_string())).collect();
    let voters = rng.below(12) as usize;
    let ballots: Vec<Vec<String>> =
        (0..voters).map(|_| (0..projects).filter(|_| rng.below(3) == 0).map(|i| list[i].0.clone()).collect()).collect();
    let budget = (1 + rng.below(40)).to_string();
    let projects = list.iter().map(|(id, c)| ElectionProject { id: id.clone(), cost: amount(c) }).collect();
    Election::new(projects, amount(&budget), Ballots::Approval(ballots)).unwrap()
}

#[test]
fn the_fast_equal_shares_matches_the_exact_one_on_random_elections() {
    // More rounds with `PNYX_DIFF_ROUNDS` (in release mode).
    let rounds = std::env::var("PNYX_DIFF_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(800);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..rounds {
        let e = random_election(&mut rng);
        let exact = Mes::new(&e, true);
        let fast = cost_mes::CostMes::new(&e).unwrap();
        // Per-voter budgets around the fair share, whole and fractional.
        for x in [(1, 1), (2, 1), (3, 1), (5, 2), (7, 3), (4, 1), (13, 4), (6, 1), (11, 1)] {
            let x = BigRational::new(BigInt::from(x.0), BigInt::from(x.1));
            let want = exact.run(&x, false).0;
            let Some(mut run) = fast.run(&x) else { continue };
            assert_eq!(fast.prices(&mut run), want, "per-voter budget {x}");
        }
        if e.voters > 0 {
            let (fast_run, fast_b) = equal_shares_raised(&e);
            let (exact_run, exact_b) = equal_shares_raised_exact(&e);
            assert_eq!(
                fast_run.iter().map(|r| r.0).collect::<Vec<_>>(),
                exact_run.iter().map(|r| r.0).collect::<Vec<_>>()
            );
            if fast_b == exact_b {
                assert_eq!(fast_run, exact_run);
            }
        }
    }
}
