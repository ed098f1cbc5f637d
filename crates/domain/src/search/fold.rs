//! Folding: the one function that turns text into what the search index holds and what a query
//! is matched as — the same on SQLite (FTS5) and PostgreSQL (`tsvector`, `simple` configuration).
//!
//! Folding lowercases, transliterates Serbian Cyrillic to Serbian Latin (so "Београд" and
//! "Beograd" are one word), turns every letter into ASCII without its diacritics (also letters
//! that have no Unicode decomposition, such as ł, đ, ø, ß), and replaces everything that is not a
//! letter or digit by a space. Because both the indexed text and the query are folded here, in
//! Rust, neither engine needs to know about accents: PostgreSQL's `unaccent` extension is not
//! used, and both engines see the same plain ASCII words.

/// `text` folded: lowercase ASCII words separated by single spaces (see the module documentation).
#[must_use]
pub fn fold(text: &str) -> String {
    fold_latin(&latin(text))
}

/// Serbian Cyrillic as Serbian Latin, the rest as it is: the generic transliteration of
/// [`fold_latin`] spells ђ "dj", ћ "tsh" and џ "dzh" where Serbian Latin has đ, ć and dž (folded
/// to d, c and dz).
fn latin(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    for c in text.chars() {
        match crate::serbian::latin_letter(c) {
            Some(s) => latin.push_str(s),
            None => latin.push(c),
        }
    }
    latin
}

/// The words a text is found by: its folded words and, where Serbian is typed in two ways
/// without diacritics, the other spelling too. Serbian Latin's đ (Cyrillic ђ) is written "dj"
/// on a keyboard without it, so a word with đ is also indexed with "dj" ("Đorđe": "dorde" and
/// "djordje"); in `serbian` text a word written with "dj" is also indexed as folding would spell
/// its đ ("Djordje": "djordje" and "dorde"). Queries are folded with [`fold`] alone, so "dorde",
/// "djordje" and "Đorđe" each find both spellings.
#[must_use]
pub fn index_words(text: &str, serbian: bool) -> Vec<String> {
    let latin = latin(text);
    let mut out = words_of(&fold_latin(&latin));
    if latin.contains(['đ', 'Đ']) {
        let dj = latin.replace('đ', "dj").replace('Đ', "Dj");
        for w in words_of(&fold_latin(&dj)) {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    if serbian {
        let extra: Vec<String> = out
            .iter()
            .filter(|w| w.contains("dj"))
            .map(|w| w.replace("dj", "d"))
            .filter(|w| !out.contains(w))
            .collect();
        out.extend(extra);
    }
    out
}

fn words_of(folded: &str) -> Vec<String> {
    folded.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Latin text as lowercase ASCII words.
fn fold_latin(latin: &str) -> String {
    let ascii = deunicode::deunicode_with_tofu(latin, " ");
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The folded words of `text`, in order.
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    words_of(&fold(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slovak_and_polish_letters_lose_their_diacritics() {
        assert_eq!(fold("Banská Bystrica"), "banska bystrica");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Będzin, Sosnowiec, Gdańsk, Świecie, Żywiec"), "bedzin sosnowiec gdansk swiecie zywiec");
        assert_eq!(fold("ľúbiť ťava ďateľ ôsmy äno ŕ ĺ"), "lubit tava datel osmy ano r l");
    }

    #[test]
    fn letters_without_a_decomposition_are_folded_too() {
        assert_eq!(fold("ł Ł đ Đ ø Ø ß"), "l l d d o o ss");
    }

    #[test]
    fn serbian_cyrillic_becomes_the_same_words_as_serbian_latin() {
        assert_eq!(fold("Београд"), "beograd");
        assert_eq!(fold("Шумадија"), fold("Šumadija"));
        assert_eq!(fold("Шумадија"), "sumadija");
        assert_eq!(fold("Љубљана њива џеп Ђорђе ћуприја"), "ljubljana njiva dzep dorde cuprija");
        assert_eq!(fold("Љубљана њива џеп Ђорђе ћуприја"), fold("Ljubljana njiva džep Đorđe ćuprija"));
        assert_eq!(fold("Власотинце"), "vlasotince");
    }

    #[test]
    fn serbian_dj_is_indexed_in_both_spellings() {
        assert_eq!(index_words("Ђорђе Đorđe", false), vec!["dorde", "dorde", "djordje"]);
        assert_eq!(index_words("Djordje i Đurđevdan", true), vec!["djordje", "i", "durdevdan", "djurdjevdan", "dorde"]);
        assert_eq!(index_words("Djibouti adjust", false), vec!["djibouti", "adjust"], "only Serbian text");
        assert_eq!(index_words("Banská Bystrica", true), vec!["banska", "bystrica"]);
    }

    #[test]
    fn punctuation_separates_words_and_case_is_ignored() {
        assert_eq!(fold("  Co-creation: „OGP“ (2021–2022)!  "), "co creation ogp 2021 2022");
        assert_eq!(words("e-mail; MESTO"), vec!["e", "mail", "mesto"]);
        assert_eq!(fold("—…"), "");
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        assert_eq!(fold("Banska\u{301}"), fold("Banská"));
    }
}

#[cfg(test)]
mod deunicode_alone {
    /// Why Serbian Cyrillic is mapped first: the generic transliteration spells some letters
    /// otherwise than Serbian Latin does, so "Ђорђе" would not find "Đorđe".
    #[test]
    fn spells_some_serbian_letters_otherwise_than_serbian_latin() {
        assert_eq!(deunicode::deunicode("љ њ џ"), "lj nj dzh");
        assert_eq!(deunicode::deunicode("ђ ћ"), "dj tsh");
        assert_eq!(deunicode::deunicode("đ ć dž"), "d c dz");
        assert_eq!(deunicode::deunicode("ł ø"), "l o");
    }
}
