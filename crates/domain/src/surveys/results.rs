//! Results of a survey, computed in one pass over its responses.
//!
//! Feed responses to a [`Tally`] (page by page, in any order) and [`Tally::finish`] it; or call
//! [`aggregate`] on a slice. Work is linear in the number of answers.
//!
//! - `shown` counts responses for which a question was shown; `respondents` those that answered
//!   it. A hidden question is neither, so conditional questions are not diluted.
//! - Shares are basis points of the question's respondents (10 000 = 100 %), rounded half up;
//!   the exact share is `count / respondents`, both of which are given. Multiple-choice shares
//!   add up to more than 10 000.
//! - Number and scale averages are exact: `sum` and `count`, plus `mean` rendered with two
//!   decimals, rounded half away from zero (`null` with no answers).
//! - Ranking scores are Borda counts over the options offered: with `n` options, the option
//!   ranked `r`-th (from 1) on a response gets `n − r` points — the number of options ranked
//!   below it — and an option left out of a top-k ranking gets 0. `rank_counts[i]` is how often
//!   the option was ranked `i + 1`-th, from which any other scoring can be computed.
//! - Free texts are collected in the order responses were fed; who may see them is the API's
//!   decision.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::answers::{Answer, ValidAnswers};
use super::definition::{OptionId, QuestionId, QuestionKind, SurveyDefinition};
use super::visibility::visibility;

/// The results of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResults {
    /// Responses counted.
    pub respondents: u64,
    /// In survey order.
    pub questions: Vec<QuestionResults>,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResults {
    pub question: QuestionId,
    /// Responses for which the question was shown.
    pub shown: u64,
    /// Responses that answered it.
    pub respondents: u64,
    pub summary: Summary,
}

/// A question's results, tagged with its question type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Summary {
    SingleChoice {
        options: Vec<OptionCount>,
    },
    MultipleChoice {
        options: Vec<OptionCount>,
    },
    ShortText {
        texts: Vec<String>,
    },
    LongText {
        texts: Vec<String>,
    },
    Number {
        stats: Stats,
    },
    Scale {
        stats: Stats,
        points: Vec<PointCount>,
    },
    /// Options in the survey's order (sort by `score` to show a ranking).
    Ranking {
        options: Vec<RankingScore>,
    },
}

/// How often an option was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCount {
    pub option: OptionId,
    pub count: u64,
    /// `count / respondents` in basis points, rounded half up.
    pub share_bp: u32,
}

/// How often a scale point was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointCount {
    pub point: u32,
    pub count: u64,
    pub share_bp: u32,
}

/// Exact statistics of number or scale answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub count: u64,
    pub sum: i64,
    /// `sum / count` with two decimals, e.g. `"3.67"`; `null` when `count` is 0.
    pub mean: Option<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// An option's Borda score and how often it got each rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankingScore {
    pub option: OptionId,
    pub score: u64,
    /// `rank_counts[i]`: responses that ranked the option `i + 1`-th.
    pub rank_counts: Vec<u64>,
}

enum Acc {
    Choice { multiple: bool, counts: Vec<u64> },
    Text { long: bool, texts: Vec<String> },
    Number(NumberAcc),
    Scale { stats: NumberAcc, counts: Vec<u64> },
    Ranking { n: u64, ranks: Vec<Vec<u64>>, scores: Vec<u64> },
}

#[derive(Default)]
struct NumberAcc {
    count: u64,
    sum: i64,
    min: Option<i64>,
    max: Option<i64>,
}

impl NumberAcc {
    fn add(&mut self, v: i64) {
        self.count += 1;
        self.sum = self.sum.saturating_add(v);
        self.min = Some(self.min.map_or(v, |m| m.min(v)));
        self.max = Some(self.max.map_or(v, |m| m.max(v)));
    }

    fn stats(&self) -> Stats {
        Stats { count: self.count, sum: self.sum, mean: mean(self.sum, self.count), min: self.min, max: self.max }
    }
}

struct QuestionAcc {
    shown: u64,
    respondents: u64,
    /// Option index by id (choice and ranking questions).
    options: HashMap<OptionId, usize>,
    acc: Acc,
}

/// Results being accumulated.
pub struct Tally<'a> {
    survey: &'a SurveyDefinition,
    respondents: u64,
    questions: Vec<QuestionAcc>,
}

impl<'a> Tally<'a> {
    #[must_use]
    pub fn new(survey: &'a SurveyDefinition) -> Self {
        let questions = survey
            .questions()
            .iter()
            .map(|q| {
                let options: HashMap<OptionId, usize> =
                    q.kind.options().iter().enumerate().map(|(i, o)| (o.id.clone(), i)).collect();
                let n = options.len();
                let acc = match &q.kind {
                    QuestionKind::SingleChoice { .. } => Acc::Choice { multiple: false, counts: vec![0; n] },
                    QuestionKind::MultipleChoice { .. } => Acc::Choice { multiple: true, counts: vec![0; n] },
                    QuestionKind::ShortText { .. } => Acc::Text { long: false, texts: Vec::new() },
                    QuestionKind::LongText { .. } => Acc::Text { long: true, texts: Vec::new() },
                    QuestionKind::Number { .. } => Acc::Number(NumberAcc::default()),
                    QuestionKind::Scale { points, .. } => Acc::Scale {
                        stats: NumberAcc::default(),
                        counts: vec![0; usize::try_from(*points).unwrap_or(0)],
                    },
                    QuestionKind::Ranking { .. } => {
                        Acc::Ranking { n: n as u64, ranks: vec![vec![0; n]; n], scores: vec![0; n] }
                    }
                };
                QuestionAcc { shown: 0, respondents: 0, options, acc }
            })
            .collect();
        Tally { survey, respondents: 0, questions }
    }

    /// Counts one response. Answers that do not fit their question (which validated answers
    /// never are) are skipped rather than counted.
    pub fn add(&mut self, answers: &ValidAnswers) {
        self.respondents += 1;
        let shown = visibility(self.survey, answers.as_map());
        for ((q, qa), shown) in self.survey.questions().iter().zip(&mut self.questions).zip(shown) {
            if !shown {
                continue;
            }
            qa.shown += 1;
            let Some(answer) = answers.get(&q.id) else { continue };
            if qa.add(answer) {
                qa.respondents += 1;
            }
        }
    }

    #[must_use]
    pub fn finish(self) -> SurveyResults {
        let questions = self
            .survey
            .questions()
            .iter()
            .zip(self.questions)
            .map(|(q, qa)| {
                let option_ids = || q.kind.options().iter().map(|o| o.id.clone());
                let respondents = qa.respondents;
                let summary = match qa.acc {
                    Acc::Choice { multiple, counts } => {
                        let options = option_ids()
                            .zip(counts)
                            .map(|(option, count)| OptionCount {
                                option,
                                count,
                                share_bp: share_bp(count, respondents),
                            })
                            .collect();
                        if multiple { Summary::MultipleChoice { options } } else { Summary::SingleChoice { options } }
                    }
                    Acc::Text { long: false, texts } => Summary::ShortText { texts },
                    Acc::Text { long: true, texts } => Summary::LongText { texts },
                    Acc::Number(n) => Summary::Number { stats: n.stats() },
                    Acc::Scale { stats, counts } => Summary::Scale {
                        stats: stats.stats(),
                        points: (1..)
                            .zip(counts)
                            .map(|(point, count)| PointCount { point, count, share_bp: share_bp(count, respondents) })
                            .collect(),
                    },
                    Acc::Ranking { ranks, scores, .. } => Summary::Ranking {
                        options: option_ids()
                            .zip(ranks.into_iter().zip(scores))
                            .map(|(option, (rank_counts, score))| RankingScore { option, score, rank_counts })
                            .collect(),
                    },
                };
                QuestionResults { question: q.id.clone(), shown: qa.shown, respondents, summary }
            })
            .collect();
        SurveyResults { respondents: self.respondents, questions }
    }
}

impl QuestionAcc {
    /// Adds the answer; `false` when it does not fit the question.
    fn add(&mut self, answer: &Answer) -> bool {
        let options = &self.options;
        match (&mut self.acc, answer) {
            (Acc::Choice { multiple: false, counts }, Answer::SingleChoice { option }) => {
                match options.get(option).and_then(|&i| counts.get_mut(i)) {
                    Some(c) => *c += 1,
                    None => return false,
                }
            }
            (Acc::Choice { multiple: true, counts }, Answer::MultipleChoice { options: chosen }) => {
                let mut any = false;
                for option in chosen {
                    if let Some(c) = options.get(option).and_then(|&i| counts.get_mut(i)) {
                        *c += 1;
                        any = true;
                    }
                }
                return any;
            }
            (Acc::Text { long: false, texts }, Answer::ShortText { text })
            | (Acc::Text { long: true, texts }, Answer::LongText { text }) => texts.push(text.clone()),
            (Acc::Number(n), Answer::Number { value }) => n.add(*value),
            (Acc::Scale { stats, counts }, Answer::Scale { value }) => {
                let slot = usize::try_from(*value).ok().and_then(|v| v.checked_sub(1)).and_then(|i| counts.get_mut(i));
                match slot {
                    Some(c) => *c += 1,
                    None => return false,
                }
                stats.add(i64::from(*value));
            }
            (Acc::Ranking { n, ranks, scores }, Answer::Ranking { options: ranked }) => {
                let mut any = false;
                for (rank, option) in ranked.iter().enumerate() {
                    let Some(&i) = options.get(option) else { continue };
                    if let Some(slot) = ranks.get_mut(i).and_then(|r| r.get_mut(rank)) {
                        *slot += 1;
                    }
                    if let Some(s) = scores.get_mut(i) {
                        *s += n.saturating_sub(rank as u64 + 1);
                    }
                    any = true;
                }
                return any;
            }
            _ => return false,
        }
        true
    }
}

/// Aggregates a slice of responses (see [`Tally`] to feed them in pages).
#[must_use]
pub fn aggregate<'r>(
    survey: &SurveyDefinition,
    responses: impl IntoIterator<Item = &'r ValidAnswers>,
) -> SurveyResults {
    let mut tally = Tally::new(survey);
    for r in responses {
        tally.add(r);
    }
    tally.finish()
}

/// `count / total` in basis points, rounded half up; 0 when `total` is 0.
#[must_use]
pub fn share_bp(count: u64, total: u64) -> u32 {
    if total == 0 {
        return 0;
    }
    let bp = (u128::from(count) * 20_000 + u128::from(total)) / (u128::from(total) * 2);
    u32::try_from(bp).unwrap_or(u32::MAX)
}

/// `sum / count` with two decimals, rounded half away from zero; `None` when `count` is 0.
#[must_use]
pub fn mean(sum: i64, count: u64) -> Option<String> {
    if count == 0 {
        return None;
    }
    let num = i128::from(sum) * 100;
    let den = i128::from(count);
    let mut q = num / den;
    if (num % den).abs() * 2 >= den {
        q += num.signum();
    }
    let sign = if q < 0 { "-" } else { "" };
    let a = q.unsigned_abs();
    Some(format!("{sign}{}.{:02}", a / 100, a % 100))
}
