//! Case endings, for languages that inflect place names: "umowa z Moskwą",
//! "delegacja z Krakowa", "przed Sankt Petersburgiem", "мэр Львова",
//! "договор с Омском". The gazetteer holds nominatives only, so a
//! capitalised word that is no name as it stands is tried again with one case
//! ending taken off and a nominative ending put back.
//!
//! The rules work on folded text (`gazetteer::fold`), where ą is a, ó is o, ń
//! is n, ї is і and й is и; so "Moskwą" already folds to "moskwa", and
//! "Krakowa" needs only its "a" taken off to meet "Kraków". Cyrillic words are
//! always tried (Russian, Ukrainian and Belarusian inflect); Latin ones only
//! in documents written in a Slavic language (see [`latin_text_inflects`]),
//! as English "Mariana" or "Roberta" must not become places.
//!
//! Adjectival names ("Нижний Новгород", "Кривий Ріг") and stem changes beyond
//! the Ukrainian о/е → і ("Львова" → "Львів") are not handled.

/// Case endings of Russian, Ukrainian and Belarusian nouns, folded (so "ой"
/// is "ои"); longest first, so that "Смоленском" loses "ом", not only "м".
const CYRILLIC_ENDINGS: &[&str] = &[
    "ами", "ями", "ові", "еві", "ом", "ем", "ои", "ою", "еи", "ею", "ах", "ях", "ам", "ям", "ів",
    "а", "я", "у", "ю", "е", "і", "и", "ы",
];

/// Nominative endings a Cyrillic stem may take back: "Москв-ой" → "Москва",
/// "Ярославл-ем" → "Ярославль".
const CYRILLIC_NOMINATIVES: &[&str] = &["", "а", "я", "ь", "о"];

/// Case endings of Polish, Czech, Slovak and South Slavic nouns, folded
/// ("ou": Czech and Slovak instrumental, "s Ostravou").
const LATIN_ENDINGS: &[&str] = &[
    "ami", "ach", "iem", "owi", "em", "ie", "iu", "ia", "om", "ou", "a", "u", "y", "i", "e",
];

/// "Warszaw-ie" → "Warszawa". Neuter "-o" ("Brna" → "Brno") is left out: it
/// turns too many plurals into places ("Porty" → "Porto").
const LATIN_NOMINATIVES: &[&str] = &["", "a"];

/// Letters of Slavic Latin alphabets that English, German, French, Spanish
/// and Italian do not use.
const SLAVIC_LATIN_LETTERS: &str = "ąęłńśźżćřěůťďňľĺŕčšžĄĘŁŃŚŹŻĆŘĚŮŤĎŇĽĹŔČŠŽ";

/// Stems shorter than this (in letters) are not tried: "Ul-a" is no Ula.
const MIN_STEM_LETTERS: usize = 3;

pub(super) fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Whether a document's Latin-script words are in an inflecting Slavic
/// language: some of its letters (at least 3, and 1 in 200) are ones that
/// only such alphabets use. One "Gdańsk" in an English text is not enough.
pub(super) fn latin_text_inflects(text: &str) -> bool {
    let (mut letters, mut slavic) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        slavic += usize::from(SLAVIC_LATIN_LETTERS.contains(c));
    }
    slavic >= 3 && slavic * 200 >= letters
}

/// The nominatives a folded word may be an inflected form of, in the order
/// to try them (longest ending off first). The word itself is not among them.
pub(super) fn lemmas(folded_word: &str, cyrillic: bool) -> Vec<String> {
    let (endings, nominatives) = if cyrillic {
        (CYRILLIC_ENDINGS, CYRILLIC_NOMINATIVES)
    } else {
        (LATIN_ENDINGS, LATIN_NOMINATIVES)
    };
    let mut out: Vec<String> = Vec::new();
    for ending in endings {
        let Some(stem) = folded_word.strip_suffix(ending) else {
            continue;
        };
        if stem.chars().count() < MIN_STEM_LETTERS {
            continue;
        }
        let mut stems = vec![stem.to_string()];
        if cyrillic {
            stems.extend(ukrainian_i_stem(stem));
        }
        for stem in &stems {
            for nominative in nominatives {
                let lemma = format!("{stem}{nominative}");
                if lemma != folded_word && !out.contains(&lemma) {
                    out.push(lemma);
                }
            }
        }
    }
    out
}

/// Ukrainian turns the і of a name's last closed syllable into о or е (є)
/// when an ending follows: "Львів" → "Львова", "Харків" → "Харкова",
/// "Київ" → "Києва". Gives the stem with і back, if the stem has that shape.
fn ukrainian_i_stem(stem: &str) -> Option<String> {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    // A vowel, then one consonant (a soft sign may follow it): "харк-о-в", "ірп-е-н".
    let consonant_at = if n >= 2 && chars[n - 1] == 'ь' {
        n - 2
    } else {
        n - 1
    };
    if consonant_at < 2 || "аеєиіоуюяь".contains(chars[consonant_at]) {
        return None;
    }
    let vowel_at = consonant_at - 1;
    match chars[vowel_at] {
        'о' | 'е' | 'є' => {
            let mut changed = chars.clone();
            changed[vowel_at] = 'і';
            // "Києв": є after и stands for the ї of "Київ", which folds to і.
            Some(changed.into_iter().collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lemmas_cover_the_common_cases() {
        let has = |word: &str, cyrillic: bool, lemma: &str| {
            assert!(
                lemmas(word, cyrillic).iter().any(|l| l == lemma),
                "{word} -> {lemma}: {:?}",
                lemmas(word, cyrillic)
            )
        };
        has("krakowa", false, "krakow");
        has("warszawie", false, "warszawa");
        has("poznaniu", false, "poznan");
        has("petersburgiem", false, "petersburg");
        has("ostravou", false, "ostrava"); // Czech instrumental
        has("москвои", true, "москва"); // "Москвой", й folded to и
        has("смоленском", true, "смоленск");
        has("ярославлем", true, "ярославль");
        has("харкова", true, "харків");
        has("львова", true, "львів");
        has("києва", true, "киів"); // "Київ" folds to "киів"
        assert!(lemmas("ula", false).is_empty());
        assert!(!lemmas("krakow", false).contains(&"krakow".to_string()));
    }

    #[test]
    fn only_slavic_texts_inflect_latin_words() {
        assert!(latin_text_inflects(
            "Delegacja z Gdańska przyjechała wczoraj na targi do Łodzi."
        ));
        assert!(!latin_text_inflects(
            "The mayor of Gdańsk met Roberta Mariana, who chairs the twinning committee in Bremen."
        ));
    }
}
