//! Snippets: a short window of a hit's ORIGINAL text (accents, script and case as written)
//! around the first matched word, as segments a client renders with its own markup. Words are
//! matched by folding each one with [`fold`](super::fold::fold), so what is highlighted is exactly
//! what the index matched.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::SearchQuery;
use super::fold::index_words;

/// A piece of a snippet; `highlight` marks words the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub highlight: bool,
}

/// Characters of context shown before the first match.
const LEAD: usize = 40;

/// Whether the original word `w` matches a term of the query, in any spelling it is indexed by.
fn matches(w: &str, q: &SearchQuery) -> bool {
    index_words(w, true).iter().any(|f| q.matches_word(f))
}

/// Up to about `max_chars` characters of `text` around its first word the query matches, with
/// every matching word highlighted and "…" where the text was cut. `None` when no word matches.
#[must_use]
pub fn snippet(text: &str, q: &SearchQuery, max_chars: usize) -> Option<Vec<Segment>> {
    let tokens: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
    let first = tokens.iter().position(|(_, w)| matches(w, q))?;
    // Start up to LEAD characters before the first match, on a word boundary.
    let mut start = first;
    let mut lead = 0;
    while start > 0 {
        let len = tokens[start - 1].1.chars().count();
        if lead + len > LEAD {
            break;
        }
        lead += len;
        start -= 1;
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut push = |text: &str, highlight: bool| match out.last_mut() {
        Some(last) if last.highlight == highlight => last.text.push_str(text),
        _ => out.push(Segment { text: text.to_owned(), highlight }),
    };
    if start > 0 {
        push("…", false);
    }
    let mut used = 0;
    let mut end = start;
    for (_, w) in &tokens[start..] {
        let len = w.chars().count();
        if used + len > max_chars && end > first {
            break;
        }
        used += len;
        end += 1;
        let hl = matches(w, q);
        // A line break inside a snippet reads as a space.
        let shown = if w.chars().all(char::is_whitespace) { " " } else { w };
        push(shown, hl);
    }
    if end < tokens.len() {
        push("…", false);
    }
    if let Some(first) = out.first_mut()
        && !first.highlight
    {
        first.text = first.text.trim_start().to_owned();
    }
    out.retain(|s| !s.text.is_empty());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> SearchQuery {
        SearchQuery::parse(s).unwrap()
    }

    fn render(segs: &[Segment]) -> String {
        segs.iter().map(|s| if s.highlight { format!("[{}]", s.text) } else { s.text.clone() }).collect()
    }

    #[test]
    fn the_original_words_are_highlighted_whatever_their_accents_or_script() {
        let s = snippet("Rekonštrukcia námestia v Banskej Bystrici", &q("namestia banskej"), 200).unwrap();
        assert_eq!(render(&s), "Rekonštrukcia [námestia] v [Banskej] Bystrici");
        let s = snippet("Парк у Шумадији и Београду", &q("beogr"), 200).unwrap();
        assert_eq!(render(&s), "Парк у Шумадији и [Београду]");
        let s = snippet("Łódź i Będzin", &q("lodz"), 200).unwrap();
        assert_eq!(render(&s), "[Łódź] i Będzin");
    }

    #[test]
    fn only_the_last_term_matches_as_a_prefix() {
        let s = snippet("park parking parkovisko", &q("park"), 200).unwrap();
        assert_eq!(render(&s), "[park] [parking] [parkovisko]");
        let s = snippet("park parking zeleň", &q("park zel"), 200).unwrap();
        assert_eq!(render(&s), "[park] parking [zeleň]", "a term before the last must be a whole word");
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = format!("{} chodník {}", "slovo ".repeat(50), "ďalšie ".repeat(50));
        let s = snippet(&text, &q("chodnik"), 80).unwrap();
        let r = render(&s);
        assert!(r.starts_with('…') && r.ends_with('…'), "{r}");
        assert!(r.contains("[chodník]"));
        assert!(r.chars().count() < 130, "{r}");
    }

    #[test]
    fn no_match_gives_no_snippet() {
        assert_eq!(snippet("nothing here", &q("park"), 100), None);
    }
}
