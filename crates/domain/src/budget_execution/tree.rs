//! The figures of a year: lines summed into sub-programmes, programmes and the whole budget, per
//! period; and the changes between two revisions.

use std::collections::BTreeMap;

use super::{Line, LineAmounts};
use crate::i18n::LocalizedText;

/// Sums of a group of lines (or one line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub planned: i64,
    /// In force: amended where amended, planned elsewhere.
    pub current: i64,
    /// Per period; `None` where no line of the group reported the period.
    pub executed: Vec<Option<i64>>,
    pub executed_total: i64,
}

impl Totals {
    fn new(periods: usize) -> Self {
        Totals { executed: vec![None; periods], ..Totals::default() }
    }

    fn add_line(&mut self, l: &Line) {
        self.planned += l.planned;
        self.current += l.current();
        for (slot, v) in self.executed.iter_mut().zip(&l.executed) {
            if let Some(v) = v {
                *slot = Some(slot.unwrap_or(0) + v);
            }
        }
        self.executed_total += l.executed_total();
    }

    fn add(&mut self, t: &Totals) {
        self.planned += t.planned;
        self.current += t.current;
        for (slot, v) in self.executed.iter_mut().zip(&t.executed) {
            if let Some(v) = v {
                *slot = Some(slot.unwrap_or(0) + v);
            }
        }
        self.executed_total += t.executed_total;
    }
}

/// A programme (with sub-programmes as children) or a sub-programme (with line codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub code: String,
    pub name: LocalizedText,
    pub totals: Totals,
    pub children: Vec<Node>,
    /// For a sub-programme: the codes of its lines, in order.
    pub lines: Vec<String>,
}

/// The programmes of `lines` with their sub-programmes, in the order they first appear, and the
/// whole budget's totals.
#[must_use]
pub fn tree(lines: &[Line], periods: usize) -> (Vec<Node>, Totals) {
    let mut programmes: Vec<Node> = Vec::new();
    let mut total = Totals::new(periods);
    for l in lines {
        let p = match programmes.iter().position(|p| p.code == l.programme_code) {
            Some(i) => i,
            None => {
                programmes.push(Node {
                    code: l.programme_code.clone(),
                    name: l.programme_name.clone(),
                    totals: Totals::new(periods),
                    children: Vec::new(),
                    lines: Vec::new(),
                });
                programmes.len() - 1
            }
        };
        let prog = &mut programmes[p];
        let s = match prog.children.iter().position(|s| s.code == l.subprogramme_code) {
            Some(i) => i,
            None => {
                prog.children.push(Node {
                    code: l.subprogramme_code.clone(),
                    name: l.subprogramme_name.clone(),
                    totals: Totals::new(periods),
                    children: Vec::new(),
                    lines: Vec::new(),
                });
                prog.children.len() - 1
            }
        };
        let sub = &mut prog.children[s];
        sub.totals.add_line(l);
        sub.lines.push(l.code.clone());
        total.add_line(l);
    }
    for p in &mut programmes {
        let mut t = Totals::new(periods);
        for s in &p.children {
            t.add(&s.totals);
        }
        p.totals = t;
    }
    (programmes, total)
}

/// How a line differs between two revisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub code: String,
    pub name: LocalizedText,
    /// The amount in force before (`None`: the line was added).
    pub before: Option<i64>,
    /// The amount in force after (`None`: the line was removed).
    pub after: Option<i64>,
}

/// The lines whose amount in force differs between `before` and `after`, added or removed, in the
/// order of their codes.
#[must_use]
pub fn changes(before: &[LineAmounts], after: &[LineAmounts]) -> Vec<Change> {
    let cur = |l: &LineAmounts| l.amended.unwrap_or(l.planned);
    let old: BTreeMap<&str, &LineAmounts> = before.iter().map(|l| (l.code.as_str(), l)).collect();
    let new: BTreeMap<&str, &LineAmounts> = after.iter().map(|l| (l.code.as_str(), l)).collect();
    let mut codes: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(|c| {
            let (b, a) = (old.get(c).copied(), new.get(c).copied());
            let (bv, av) = (b.map(cur), a.map(cur));
            (bv != av).then(|| Change {
                code: c.to_owned(),
                name: a.or(b).map(|l| l.name.clone()).unwrap_or_default(),
                before: bv,
                after: av,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, prog: &str, sub: &str, planned: i64, amended: Option<i64>, ex: &[Option<i64>]) -> Line {
        Line {
            code: code.into(),
            programme_code: prog.into(),
            programme_name: LocalizedText::default(),
            subprogramme_code: sub.into(),
            subprogramme_name: LocalizedText::default(),
            economic_code: "423".into(),
            name: LocalizedText::default(),
            planned,
            amended,
            executed: ex.to_vec(),
            commitment_id: None,
            participatory_budget_id: None,
        }
    }

    #[test]
    fn lines_sum_into_sub_programmes_programmes_and_the_whole() {
        let lines = [
            line("a", "1", "x", 100, None, &[Some(10), Some(20), None, None]),
            line("b", "2", "y", 50, Some(70), &[Some(5), None, None, None]),
            line("c", "1", "x", 30, Some(20), &[None, Some(1), None, None]),
            line("d", "1", "z", 1, None, &[None, None, None, None]),
        ];
        let (t, total) = tree(&lines, 4);
        assert_eq!(t.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(t[0].children.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["x", "z"]);
        assert_eq!(t[0].children[0].lines, ["a", "c"]);
        assert_eq!((t[0].totals.planned, t[0].totals.current, t[0].totals.executed_total), (131, 121, 31));
        assert_eq!(t[0].totals.executed, [Some(10), Some(21), None, None]);
        assert_eq!((total.planned, total.current, total.executed_total), (181, 191, 36));
        assert_eq!(total.executed, [Some(15), Some(21), None, None]);
    }

    #[test]
    fn changes_name_lines_added_removed_and_amended() {
        let amounts = |c: &str, p: i64, a: Option<i64>| LineAmounts {
            code: c.into(),
            name: LocalizedText::default(),
            planned: p,
            amended: a,
        };
        let before = [amounts("a", 10, None), amounts("b", 10, None), amounts("c", 5, None)];
        let after = [amounts("a", 10, Some(10)), amounts("b", 10, Some(12)), amounts("d", 3, None)];
        let ch = changes(&before, &after);
        let got: Vec<_> = ch.iter().map(|c| (c.code.as_str(), c.before, c.after)).collect();
        assert_eq!(got, [("b", Some(10), Some(12)), ("c", Some(5), None), ("d", None, Some(3))]);
    }
}
