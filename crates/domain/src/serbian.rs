//! Serbian in both of its scripts. Serbian is written in Cyrillic (the official script) and in
//! Latin (Gaj's alphabet); the two map one to one, letter for letter, except that three Latin
//! letters are written with two characters (`lj`, `nj`, `dž`). Text written in one script is shown
//! in the reader's by this deterministic mapping.
//!
//! Latin to Cyrillic reads `lj`, `nj` and `dž` as one letter (љ, њ, џ) — right for nearly every
//! Serbian word; the few where they are two letters (`injekcija`) need an author's own Cyrillic.
//! Characters outside the Serbian alphabets (digits, punctuation, other letters) pass unchanged,
//! and so do web addresses, e-mail addresses and `{{placeholders}}`, which must keep working.

/// Cyrillic letter → Latin, lower case.
const CYRILLIC: [(char, &str); 30] = [
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('ђ', "đ"),
    ('е', "e"),
    ('ж', "ž"),
    ('з', "z"),
    ('и', "i"),
    ('ј', "j"),
    ('к', "k"),
    ('л', "l"),
    ('љ', "lj"),
    ('м', "m"),
    ('н', "n"),
    ('њ', "nj"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('ћ', "ć"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('ц', "c"),
    ('ч', "č"),
    ('џ', "dž"),
    ('ш', "š"),
];

/// The Serbian Latin spelling, in lower case, of a Serbian Cyrillic letter of either case
/// (`Љ` → `lj`); `None` for any other character.
#[must_use]
pub fn latin_letter(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    CYRILLIC.iter().find(|(k, _)| *k == lower).map(|(_, latin)| *latin)
}

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

fn is_upper(c: char) -> bool {
    c.is_uppercase()
}

/// Spans that must not be transliterated: URLs, e-mail addresses and `{{…}}` placeholders, as
/// byte ranges of `s`.
fn protected(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("{{") {
            let end = rest.find("}}").map_or(s.len(), |e| i + e + 2);
            out.push((i, end));
            i = end;
            continue;
        }
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        if at_word_start && (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www."))
        {
            let end = rest.find(char::is_whitespace).map_or(s.len(), |e| i + e);
            out.push((i, end));
            i = end;
            continue;
        }
        if bytes[i] == b'@' {
            // An e-mail address: the ASCII word around the `@`.
            let start = s[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || ".-_+".contains(c))).map_or(0, |p| p + 1);
            let end =
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || ".-_@".contains(c))).map_or(s.len(), |e| i + e);
            if start < i && end > i + 1 {
                // Drop anything already transliterable in the local part by extending backwards.
                while let Some(&(a, _)) = out.last() {
                    if a >= start {
                        out.pop();
                    } else {
                        break;
                    }
                }
                out.push((start, end));
                i = end;
                continue;
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Applies `f` to the parts of `s` outside protected spans.
fn outside_protected(s: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut last = 0;
    for (a, b) in protected(s) {
        out.push_str(&f(&s[last..a]));
        out.push_str(&s[a..b]);
        last = b;
    }
    out.push_str(&f(&s[last..]));
    out
}

/// Serbian Cyrillic as Serbian Latin: `Шумадија` → `Šumadija`, `Љубав` → `Ljubav`, `ЊЕГОШ` →
/// `NJEGOŠ`.
#[must_use]
pub fn to_latin(s: &str) -> String {
    outside_protected(s, |part| {
        let chars: Vec<char> = part.chars().collect();
        let mut out = String::with_capacity(part.len());
        for (i, &c) in chars.iter().enumerate() {
            let Some(latin) = latin_letter(c) else {
                out.push(c);
                continue;
            };
            if !is_upper(c) {
                out.push_str(latin);
                continue;
            }
            // A capital digraph letter is `Lj` in a word written in lower case, `LJ` in capitals.
            let next_upper = chars.get(i + 1).is_some_and(|n| is_upper(*n));
            let prev_upper = i > 0 && chars.get(i - 1).is_some_and(|p| is_upper(*p));
            let mut letters = latin.chars();
            if let Some(first) = letters.next() {
                out.push(upper(first));
            }
            for l in letters {
                out.push(if next_upper || (prev_upper && chars.get(i + 1).is_none_or(|n| !n.is_alphabetic())) {
                    upper(l)
                } else {
                    l
                });
            }
        }
        out
    })
}

/// Serbian Latin as Serbian Cyrillic: `Šumadija` → `Шумадија`, `Ljubav` → `Љубав`, `džep` → `џеп`.
#[must_use]
pub fn to_cyrillic(s: &str) -> String {
    outside_protected(s, |part| {
        let chars: Vec<char> = part.chars().collect();
        let mut out = String::with_capacity(part.len() * 2);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let lower = c.to_lowercase().next().unwrap_or(c);
            let next = chars.get(i + 1).map(|n| n.to_lowercase().next().unwrap_or(*n));
            let digraph = match (lower, next) {
                ('l', Some('j')) => Some('љ'),
                ('n', Some('j')) => Some('њ'),
                ('d', Some('ž')) => Some('џ'),
                _ => None,
            };
            if let Some(cyr) = digraph {
                out.push(if is_upper(c) { upper(cyr) } else { cyr });
                i += 2;
                continue;
            }
            let single = CYRILLIC.iter().find(|(_, latin)| {
                let mut l = latin.chars();
                l.next() == Some(lower) && l.next().is_none()
            });
            match single {
                Some((cyr, _)) => out.push(if is_upper(c) { upper(*cyr) } else { *cyr }),
                None => out.push(c),
            }
            i += 1;
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_becomes_cyrillic_with_the_three_digraphs_as_one_letter() {
        assert_eq!(to_cyrillic("Opština Vlasotince"), "Општина Власотинце");
        assert_eq!(
            to_cyrillic("Ljubav, njiva, džep, Đorđe, ćevap, Čačak, Žiča"),
            "Љубав, њива, џеп, Ђорђе, ћевап, Чачак, Жича"
        );
        assert_eq!(to_cyrillic("LJUBLJANA NJEGOŠ DŽEP"), "ЉУБЉАНА ЊЕГОШ ЏЕП");
        assert_eq!(to_cyrillic("Lokalni akcioni plan 2019–2020."), "Локални акциони план 2019–2020.");
    }

    #[test]
    fn cyrillic_becomes_latin_with_capitals_as_written() {
        assert_eq!(to_latin("Шумадија"), "Šumadija");
        assert_eq!(to_latin("Љубав и Његош"), "Ljubav i Njegoš");
        assert_eq!(to_latin("ЉУБЉАНА, ЏЕП"), "LJUBLJANA, DŽEP");
        assert_eq!(to_latin("Ђорђе Ћурчић"), "Đorđe Ćurčić");
    }

    #[test]
    fn a_round_trip_gives_back_the_text() {
        for s in
            ["Građani oblikuju opštinski budžet i prate njegovo izvršenje.", "Jelena Džaković, Ljig", "ŠTA JE NOVO"]
        {
            assert_eq!(to_latin(&to_cyrillic(s)), s);
        }
    }

    #[test]
    fn addresses_placeholders_and_foreign_letters_are_left_alone() {
        assert_eq!(
            to_cyrillic("Vidi https://vlasotince.rs/budzet ili piši na info@vlasotince.rs"),
            "Види https://vlasotince.rs/budzet или пиши на info@vlasotince.rs"
        );
        assert_eq!(to_cyrillic("Ostalo {{count}} dana"), "Остало {{count}} дана");
        assert_eq!(to_cyrillic("Wifi, Quark, Yes"), "Wифи, Qуарк, Yес");
        assert_eq!(to_latin("Москва 2026, Ђ"), "Moskva 2026, Đ");
    }
}
