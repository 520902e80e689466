//! Stage 3: places. Tags place names in sentences with the gazetteer and links
//! every mention to one GeoNames place.
//!
//! Rules, in order:
//! 1. A name must stand as whole words (scripts without spaces, such as
//!    Chinese, are matched inside text).
//! 2. In cased text the first letter must be upper case; all-caps datelines
//!    pass. A text with no upper-case letter at all is matched as it is.
//! 3. The longest name wins where names overlap ("San Jose" over "San",
//!    "Mexico City" over the country "Mexico").
//! 4. Stop policy for names that are common words or given names (see
//!    `data/ambiguous-names.txt`).
//! 5. "Khabarovsk Territory", "Leningrad Region": a region named after its
//!    capital is not the city, and this gazetteer has no such regions, so the
//!    mention is dropped.
//! 6. Inflected forms ("Krakowa", "с Москвой", "Львова") are found through
//!    their nominatives (see `inflection`), in Cyrillic words and in the
//!    Latin words of Slavic-language documents.
//! 7. Linking: population, main name versus alternate name, and context:
//!    a country named in the same sentence or the document ("Portland, Oregon",
//!    "American Portland", "X, Russia", "Albany (New York State)").

mod inflection;

use crate::gazetteer::{fold, fold_char, Gazetteer, NameEntry, PlaceKind};
use crate::sentences::{Sentence, SentenceKind};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Index of the sentence the mention is in.
    pub sentence: usize,
    /// Code-point offsets into the document text (into the title for a title
    /// given as a separate field).
    pub start: usize,
    pub end: usize,
    pub surface: String,
    /// Index into `Gazetteer::places`.
    pub place: u32,
}

#[derive(Debug, Clone, PartialEq)]
struct Hit {
    start: usize, // char offsets within the sentence
    end: usize,
    name: usize,
    /// Set for a misspelt name recovered from its country ("Limeria, Brazil").
    place: Option<u32>,
}

const PLACE_CUES: &[&str] = &[
    "in",
    "at",
    "from",
    "to",
    "of",
    "with",
    "and",
    "near",
    "city",
    "town",
    "village",
    "twin",
    "twinned",
    "partner",
    "sister",
    "mayor",
    "between",
    "visit",
    "visited",
    "&",
    "und",
    "mit",
    "nach",
    "aus",
    "von",
    "stadt",
    "et",
    "à",
    "de",
    "avec",
    "ville",
    "y",
    "en",
    "con",
    "ciudad",
    "e",
    "a",
    "di",
    "città",
    "w",
    "z",
    "i",
    "miasto",
    "и",
    "і",
    "та",
    "в",
    "з",
    "с",
    "город",
    "місто",
    "partnerstadt",
    "partnerstädte",
];

const REGION_SUFFIXES: &[&str] = &[
    "region",
    "oblast",
    "oblast'",
    "territory",
    "krai",
    "kray",
    "province",
    "voivodeship",
    "governorate",
    "county",
    "prefecture",
    "district",
    "область",
    "край",
    "oblast’",
];

/// Titles before a person's name: the capitalised words right after one are
/// the name, not places ("DC Mayor Muriel Bowser", "Mayor Laura Miller",
/// "Governor Jerry Brown").
const PERSON_TITLES: &[&str] = &[
    "mayor",
    "governor",
    "president",
    "senator",
    "sen",
    "rep",
    "gov",
    "chairman",
    "chairwoman",
    "minister",
    "premier",
    "councillor",
    "councilman",
    "councilwoman",
    "councilor",
    "alderman",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "bürgermeister",
    "oberbürgermeister",
    "herr",
    "frau",
    "maire",
    "sindaco",
    "alcalde",
    "alcaldesa",
    "prezydent",
    "burmistrz",
];

/// Words after a person-like name that still show a place: "London Mayor".
const PLACE_FOLLOWERS: &[&str] = &[
    "mayor",
    "city",
    "council",
    "officials",
    "residents",
    "authorities",
    "region",
    "airport",
    "university",
    "state",
    "county",
    "district",
    "oblast",
    "governor",
    "deputy",
    "hall",
    "assembly",
    "borough",
    "municipality",
    "town",
    "township",
    "parish",
    "village",
    "harbour",
    "station",
    "twinning",
    "partnership",
];

/// Tags every non-boilerplate sentence of a document.
pub fn tag_document(gazetteer: &Gazetteer, sentences: &[Sentence], doc_text: &str) -> Vec<Mention> {
    let cased = doc_text.chars().any(char::is_uppercase);
    let latin_inflects = inflection::latin_text_inflects(doc_text);
    let mut hits_per_sentence = Vec::with_capacity(sentences.len());
    let mut doc_countries = BTreeSet::new();
    for s in sentences {
        if s.kind == SentenceKind::Boilerplate {
            hits_per_sentence.push((Vec::new(), BTreeSet::new()));
            continue;
        }
        let (hits, countries) = find_names(gazetteer, &s.text, cased, latin_inflects);
        doc_countries.extend(countries.iter().cloned());
        hits_per_sentence.push((hits, countries));
    }
    let mut mentions = Vec::new();
    // (name, ranked places, qualified) of each mention, for the namesake rule.
    let mut linking: Vec<(usize, Vec<u32>, bool)> = Vec::new();
    for (index, (s, (hits, countries))) in sentences.iter().zip(&hits_per_sentence).enumerate() {
        let chars: Vec<char> = s.text.chars().collect();
        for hit in hits {
            let entry = &gazetteer.names[hit.name];
            if entry.places.is_empty() && hit.place.is_none() {
                continue;
            }
            let after: String = chars[hit.end..].iter().take(40).collect();
            let (ranked, qualified) = match hit.place {
                Some(place) => (vec![place], true),
                None => link(gazetteer, entry, countries, &doc_countries, &after),
            };
            if let Some(&place) = ranked.first() {
                mentions.push(Mention {
                    sentence: index,
                    start: s.start + hit.start,
                    end: s.start + hit.end,
                    surface: chars[hit.start..hit.end].iter().collect(),
                    place,
                });
                linking.push((hit.name, ranked, qualified));
            }
        }
    }
    // Namesakes: "Warminster Town Council welcomed guests from Warminster,
    // Pennsylvania". When a sentence names a place once with a qualifier and
    // once without, the writer means two places: the bare one is the other.
    for i in 0..mentions.len() {
        if linking[i].2 {
            continue;
        }
        let namesake = (0..mentions.len()).any(|j| {
            j != i
                && mentions[j].sentence == mentions[i].sentence
                && linking[j].0 == linking[i].0
                && linking[j].2
                && mentions[j].place == mentions[i].place
        });
        if namesake {
            if let Some(&other) = linking[i].1.get(1) {
                mentions[i].place = other;
            }
        }
    }
    mentions
}

/// Finds place and country names in one sentence. Returns the accepted hits
/// (places and countries; countries have empty `places`) and the set of
/// country codes named in the sentence.
fn find_names(
    gazetteer: &Gazetteer,
    sentence: &str,
    cased: bool,
    latin_inflects: bool,
) -> (Vec<Hit>, BTreeSet<String>) {
    let chars: Vec<char> = sentence.chars().collect();
    // Folded text and, for every byte of it, the char it came from.
    let mut folded = String::with_capacity(sentence.len() + 8);
    let mut origin: Vec<usize> = Vec::with_capacity(sentence.len() + 8);
    let mut piece = String::new();
    let repaired = repair_thai_mojibake(&chars);
    for (ci, &c) in chars.iter().enumerate() {
        piece.clear();
        match repaired.get(&ci) {
            Some(&Some(fixed)) => fold_char(fixed, &mut piece),
            Some(None) => continue, // the second half of a repaired pair
            None => fold_char(c, &mut piece),
        }
        for pc in piece.chars() {
            if pc == ' ' && (folded.is_empty() || folded.ends_with(' ')) {
                continue;
            }
            let mut buf = [0u8; 4];
            let bytes = pc.encode_utf8(&mut buf);
            folded.push_str(bytes);
            origin.extend(std::iter::repeat_n(ci, bytes.len()));
        }
    }
    let fb = folded.as_bytes();
    let mut candidates = Vec::new();
    for m in gazetteer.matcher().find_overlapping_iter(&folded) {
        let (bs, be) = (m.start(), m.end());
        let start = origin[bs];
        let mut end = origin[be - 1] + 1;
        while matches!(repaired.get(&end), Some(None)) {
            end += 1;
        }
        let cjk = is_cjk(chars[start]) || is_cjk(chars[end - 1]);
        if !cjk {
            let before_ok = bs == 0 || !is_word_byte(fb, bs - 1, true);
            let after_ok = be == fb.len() || !is_word_byte(fb, be, false);
            if !(before_ok && after_ok)
                || (end < chars.len() && chars[end].is_alphanumeric())
                || (start > 0 && chars[start - 1].is_alphanumeric())
            {
                continue;
            }
        }
        // An abbreviation keeps its final dot: "D.C.", not "D.C".
        let single_letter_end = end >= 2 && !chars[end - 2].is_alphanumeric();
        let end = if single_letter_end && chars.get(end) == Some(&'.') {
            end + 1
        } else {
            end
        };
        candidates.push(Hit {
            start,
            end,
            name: m.pattern().as_usize(),
            place: None,
        });
    }
    // "Dallas City Council" is Dallas's council, not the town of Dallas City.
    candidates.retain(|h| {
        let surface: String = chars[h.start..h.end].iter().collect();
        let last = surface.rsplit(' ').next().unwrap_or("");
        !(matches!(last, "City" | "Town")
            && surface.contains(' ')
            && PLACE_FOLLOWERS.contains(&word_after(&chars, h.end).to_lowercase().as_str()))
    });
    if cased {
        let inflected = inflected_hits(gazetteer, &chars, &candidates, latin_inflects);
        candidates.extend(inflected);
    }
    // Longest first, then leftmost; ties by name index keep it deterministic.
    candidates.sort_by_key(|h| (std::cmp::Reverse(h.end - h.start), h.start, h.name));
    let covered: Vec<(usize, usize)> = candidates.iter().map(|h| (h.start, h.end)).collect();
    let title_case = is_title_case(&chars, &covered);
    let first_word = chars.iter().position(|c| c.is_alphanumeric()).unwrap_or(0);
    let mut taken: Vec<Hit> = Vec::new();
    for hit in candidates {
        if taken.iter().any(|t| t.start < hit.end && hit.start < t.end) {
            continue;
        }
        let entry = &gazetteer.names[hit.name];
        if !accept(entry, &chars, &hit, cased, title_case) {
            continue;
        }
        taken.push(hit);
    }
    taken.sort_by_key(|h| h.start);
    // Context-dependent rules need the neighbours, so they run after overlap resolution.
    let place_at = |i: usize| !gazetteer.names[taken[i].name].places.is_empty();
    let mut keep = vec![true; taken.len()];
    for i in 0..taken.len() {
        let entry = &gazetteer.names[taken[i].name];
        if entry.places.is_empty() {
            continue;
        }
        if names_a_water_body(&chars, taken[i].start) {
            keep[i] = false;
            continue;
        }
        if !title_case && follows_person_title(&chars, taken[i].start) {
            keep[i] = false;
            continue;
        }
        let next_word = word_after(&chars, taken[i].end);
        if REGION_SUFFIXES.contains(&next_word.to_lowercase().as_str()) && entry.us_state.is_none()
        {
            keep[i] = false;
            continue;
        }
        let next_is_place = i + 1 < taken.len()
            && place_at(i + 1)
            && gap_is_space(&chars, taken[i].end, taken[i + 1].start);
        // A small place's name right after a capitalised word that is not a
        // place or country is part of a person's or an organisation's name
        // ("Irina Kareva", "Timothy Keller").
        let prev_word = word_before(&chars, taken[i].start);
        let prev_is_name = i == 0
            || gazetteer.names[taken[i - 1].name].places.is_empty()
                && gazetteer.names[taken[i - 1].name].country.is_none()
            || !gap_is_space(&chars, taken[i - 1].end, taken[i].start);
        let largest = gazetteer.largest_population(entry);
        let prev_starts_sentence = chars[..taken[i].start]
            .iter()
            .filter(|c| c.is_alphanumeric())
            .count()
            == prev_word.chars().count();
        if largest < 100_000
            && !title_case
            && !prev_starts_sentence
            && !entry.names_region()
            && taken[i].start > first_word
            && prev_word.chars().next().is_some_and(char::is_uppercase)
            && prev_is_name
            && !PLACE_CUES.contains(&prev_word.to_lowercase().as_str())
        {
            keep[i] = false;
            continue;
        }
        if (entry.person_name || (largest < 100_000 && !title_case))
            && next_word.chars().next().is_some_and(char::is_uppercase)
            && !next_is_place
            && !PLACE_FOLLOWERS.contains(&next_word.to_lowercase().as_str())
            && !gap_has_punct(&chars, taken[i].end)
        {
            keep[i] = false;
            continue;
        }
        if entry.month && !month_as_place(&chars, taken[i].start) {
            keep[i] = false;
            continue;
        }
        if entry.ambiguous {
            // Cues are lower-case words: "City Council" is no cue for "Council".
            let prev = word_before(&chars, taken[i].start);
            let cue = PLACE_CUES.contains(&prev.as_str());
            let next_joined = i + 1 < taken.len()
                && place_at(i + 1)
                && short_gap(&chars, taken[i].end, taken[i + 1].start);
            let coordinated = next_joined
                || (i > 0
                    && place_at(i - 1)
                    && short_gap(&chars, taken[i - 1].end, taken[i].start));
            let country_after = i + 1 < taken.len()
                && gazetteer.names[taken[i + 1].name].country.is_some()
                && short_gap(&chars, taken[i].end, taken[i + 1].start);
            let keep_it = if taken[i].start == first_word {
                // The first word of a sentence is capitalised anyway ("Split
                // the bill", "March saw…"): only a place joined to it by "and"
                // or a comma (not a bare space), or its country, makes it one.
                (next_joined && !next_is_place) || country_after
            } else {
                cue || coordinated || country_after
            };
            if !keep_it {
                keep[i] = false;
            }
        }
    }
    let mut taken: Vec<Hit> = taken
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(h, _)| h)
        .collect();
    taken.extend(misspelt_before_country(gazetteer, &chars, &taken));
    taken.sort_by_key(|h| h.start);
    let mut countries = BTreeSet::new();
    let mut hits = Vec::new();
    for hit in taken {
        let entry = &gazetteer.names[hit.name];
        if let Some(code) = &entry.country {
            countries.insert(code.clone());
        }
        if let Some(state) = &entry.us_state {
            countries.insert(format!("US-{state}"));
        }
        hits.push(hit);
    }
    (hits, countries)
}

/// Places and countries named by an inflected word ("Krakowa", "Москвой"),
/// with up to two uninflected words before it ("Sankt Petersburgiem"). Only
/// capitalised words that no exact name covers, and not a sentence's first
/// word, are tried. Common words, given names and places under
/// [`INFLECTED_MIN_POPULATION`] are not taken: a stripped ending turns many
/// words into some village's name.
fn inflected_hits(
    gazetteer: &Gazetteer,
    chars: &[char],
    exact: &[Hit],
    latin_inflects: bool,
) -> Vec<Hit> {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            words.push((start, i));
        } else {
            i += 1;
        }
    }
    let joined = |a: (usize, usize), b: (usize, usize)| {
        b.0 == a.1 + 1 && matches!(chars[a.1], ' ' | '-' | '‐')
    };
    let mut hits = Vec::new();
    // The first word is capitalised anyway, and in Polish or Russian it is as
    // often a common noun ("Radni", "Решение") as a case form of a place.
    for (wi, &(ws, we)) in words.iter().enumerate().skip(1) {
        if !chars[ws].is_uppercase()
            || exact.iter().any(|h| h.start < we && ws < h.end)
            || after_dateline_dash(chars, ws)
        {
            continue;
        }
        let word = &chars[ws..we];
        let cyrillic = word.iter().all(|&c| inflection::is_cyrillic(c));
        let latin = word
            .iter()
            .all(|&c| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c));
        if !(cyrillic || (latin && latin_inflects)) {
            continue;
        }
        let folded = fold(&word.iter().collect::<String>());
        // English words in a Polish text ("City", "Monday") are no case forms.
        if latin && gazetteer.is_english_word(&folded) {
            continue;
        }
        // The folded words joined to this one before it, nearest first.
        let mut words_before: Vec<String> = Vec::new();
        for before in 1..=2.min(wi) {
            let (prev, next) = (words[wi - before], words[wi - before + 1]);
            if !joined(prev, next) {
                break;
            }
            words_before.push(fold(&chars[prev.0..prev.1].iter().collect::<String>()));
        }
        // (words before, population rank, hit): more words, then the larger place.
        let mut best: Option<(usize, u64, Hit)> = None;
        for lemma in inflection::lemmas(&folded, cyrillic) {
            let mut key = lemma;
            for before in 0..=words_before.len() {
                if before > 0 {
                    key = format!("{} {key}", words_before[before - 1]);
                }
                let Some(name) = gazetteer.lookup(&key) else {
                    continue;
                };
                let entry = &gazetteer.names[name];
                if entry.ambiguous || entry.person_name || entry.month {
                    continue;
                }
                let rank = if entry.country.is_some() && entry.places.is_empty() {
                    u64::MAX
                } else {
                    match gazetteer.largest_population(entry) {
                        pop if pop >= INFLECTED_MIN_POPULATION => pop,
                        _ => continue,
                    }
                };
                let hit = Hit {
                    start: words[wi - before].0,
                    end: we,
                    name,
                    place: None,
                };
                if best
                    .as_ref()
                    .is_none_or(|(b, r, _)| (before, rank) > (*b, *r))
                {
                    best = Some((before, rank, hit));
                }
            }
        }
        hits.extend(best.map(|(_, _, hit)| hit));
    }
    hits
}

/// Whether the word at `start` follows an all-caps place and a dash, as the
/// first word after a dateline does ("BIAŁA PODLASKA - Radni miasta...").
/// A dash after a lower-case word may open a list of places ("шесть городов -
/// Москву, Волгоград"), so that one does not count.
fn after_dateline_dash(chars: &[char], start: usize) -> bool {
    let mut i = start;
    while i > 0 && chars[i - 1].is_whitespace() {
        i -= 1;
    }
    if i == 0 || !matches!(chars[i - 1], '-' | '–' | '—') {
        return false;
    }
    i -= 1;
    while i > 0 && chars[i - 1].is_whitespace() {
        i -= 1;
    }
    let word_end = i;
    while i > 0 && chars[i - 1].is_alphabetic() {
        i -= 1;
    }
    word_end - i >= 2 && chars[i..word_end].iter().all(|c| c.is_uppercase())
}

/// Smallest population of a place found only through an inflected form.
const INFLECTED_MIN_POPULATION: u64 = 10_000;

fn accept(entry: &NameEntry, chars: &[char], hit: &Hit, cased: bool, title_case: bool) -> bool {
    let first = chars[hit.start];
    if cased && first.is_lowercase() {
        // Country adjectives are lower case in German, French, Polish... ("russische").
        return entry.country.is_some() && entry.places.is_empty();
    }
    // An ambiguous name as a sentence's first word is left to the context
    // rules, which ask it for an explicit partner ("Stirling and Dunedin").
    if entry.ambiguous && title_case {
        return false;
    }
    true
}

fn is_word_byte(bytes: &[u8], i: usize, backwards: bool) -> bool {
    let b = bytes[i];
    if b.is_ascii() {
        return b.is_ascii_alphanumeric();
    }
    // A multi-byte char: find its start and decode it.
    let mut s = i;
    if backwards {
        while s > 0 && (bytes[s] & 0xC0) == 0x80 {
            s -= 1;
        }
    }
    std::str::from_utf8(&bytes[s..])
        .ok()
        .or_else(|| std::str::from_utf8(&bytes[s..(s + 4).min(bytes.len())]).ok())
        .and_then(|t| t.chars().next())
        .map(|c| c.is_alphanumeric() && !is_cjk(c))
        .unwrap_or(true)
}

/// UTF-8 read as Thai (TIS-620/cp874), a common fault of archived pages:
/// "Koลกice" is "Košice". Returns, for each repaired pair of Thai chars next
/// to Latin letters, the decoded char at the first and `None` at the second.
/// Offsets stay those of the original text.
fn repair_thai_mojibake(chars: &[char]) -> std::collections::HashMap<usize, Option<char>> {
    let mut out = std::collections::HashMap::new();
    let thai_byte = |c: char| -> Option<u8> {
        let cp = c as u32;
        (0x0E01..=0x0E5B)
            .contains(&cp)
            .then(|| (cp - 0x0E01 + 0xA1) as u8)
    };
    let mut i = 0;
    while i + 1 < chars.len() {
        if let (Some(b1), Some(b2)) = (thai_byte(chars[i]), thai_byte(chars[i + 1])) {
            let latin_before = i > 0 && chars[i - 1].is_ascii_alphabetic();
            let latin_after = chars.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic());
            if (latin_before || latin_after)
                && (0xC2..=0xDF).contains(&b1)
                && (0x80..=0xBF).contains(&b2)
            {
                if let Some(fixed) = std::str::from_utf8(&[b1, b2])
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    out.insert(i, Some(fixed));
                    out.insert(i + 1, None);
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// A headline in Title Case: most longer words start upper case. Words that
/// are names (`covered`) do not count, so a list of places is no headline.
fn is_title_case(chars: &[char], covered: &[(usize, usize)]) -> bool {
    let (mut words, mut upper) = (0, 0);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
        if i - start >= 4 && !covered.iter().any(|&(s, e)| s <= start && i <= e) {
            words += 1;
            upper += usize::from(chars[start].is_uppercase());
        }
    }
    words >= 4 && upper * 10 >= words * 7
}

fn word_after(chars: &[char], end: usize) -> String {
    let mut i = end;
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    chars[i..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '\'' | '’'))
        .collect()
}

fn word_before(chars: &[char], start: usize) -> String {
    let (from, to) = word_span_before(chars, start);
    chars[from..to].iter().collect()
}

/// The char span of [`word_before`]'s word (empty when punctuation comes first).
fn word_span_before(chars: &[char], start: usize) -> (usize, usize) {
    let mut i = start;
    while i > 0 && chars[i - 1] == ' ' {
        i -= 1;
    }
    let end = i;
    while i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '&') {
        i -= 1;
    }
    (i, end)
}

/// A month name is a place only after a twinning word ("twinned with March",
/// "partner town March") or "town/city/village of".
fn month_as_place(chars: &[char], start: usize) -> bool {
    let (from, to) = word_span_before(chars, start);
    let prev = chars[from..to].iter().collect::<String>().to_lowercase();
    let prev2 = word_before(chars, from).to_lowercase();
    match prev.as_str() {
        "twinned" | "twin" | "partner" | "sister" => true,
        "with" => prev2 == "twinned",
        "of" => matches!(prev2.as_str(), "town" | "city" | "village"),
        _ => false,
    }
}

/// Whether the name at `start` is within the first three capitalised words
/// after a person's title ("Mayor Laura Miller": "Laura" and "Miller"). Only
/// spaces and a title's dot may stand between the words.
fn follows_person_title(chars: &[char], start: usize) -> bool {
    let mut i = start;
    for _ in 0..3 {
        while i > 0 && chars[i - 1] == ' ' {
            i -= 1;
        }
        if i == start || i == 0 {
            return false;
        }
        let dot = chars[i - 1] == '.';
        let end = if dot { i - 1 } else { i };
        let mut j = end;
        while j > 0 && (chars[j - 1].is_alphabetic() || chars[j - 1] == '-') {
            j -= 1;
        }
        if j == end {
            return false;
        }
        let word: String = chars[j..end].iter().collect::<String>().to_lowercase();
        if PERSON_TITLES.contains(&word.as_str()) {
            return true;
        }
        if dot || !chars[j].is_uppercase() {
            return false;
        }
        i = j;
    }
    false
}

/// "Sea of Azov", "Gulf of Riga", "Bay of Naples": the name is part of a
/// water body's name there, not a place.
fn names_a_water_body(chars: &[char], start: usize) -> bool {
    if word_before(chars, start).to_lowercase() != "of" {
        return false;
    }
    let mut i = start;
    while i > 0 && chars[i - 1] == ' ' {
        i -= 1;
    }
    let of_start = i.saturating_sub(2);
    let feature = word_before(chars, of_start).to_lowercase();
    ["sea", "gulf", "bay", "strait", "straits"].contains(&feature.as_str())
}

/// Whether punctuation follows the name before the next word ("Kharkiv, Ukraine").
fn gap_has_punct(chars: &[char], end: usize) -> bool {
    chars.get(end).is_some_and(|c| !c.is_whitespace())
}

fn gap_is_space(chars: &[char], a: usize, b: usize) -> bool {
    b >= a && chars[a..b].iter().all(|c| *c == ' ')
}

/// Two names joined by a comma, a dash or a short conjunction.
fn short_gap(chars: &[char], a: usize, b: usize) -> bool {
    if b < a {
        return false;
    }
    let gap: String = chars[a..b].iter().collect();
    let gap = gap
        .trim()
        .trim_matches(|c| matches!(c, ',' | '-' | '–' | '—' | '(' | ')' | '/'));
    let gap = gap.trim().to_lowercase();
    gap.is_empty()
        || ["and", "und", "et", "y", "e", "i", "и", "і", "та", "or", "&"].contains(&gap.as_str())
}

/// A capitalised word that is no known name but stands right before its
/// country ("Limeria, Brazil") is matched to a town of that country of 10,000
/// people or more within one edit (a typo in the archive).
fn misspelt_before_country(gazetteer: &Gazetteer, chars: &[char], taken: &[Hit]) -> Vec<Hit> {
    let mut out = Vec::new();
    for country_hit in taken.iter().filter(|h| {
        gazetteer.names[h.name].country.is_some() && gazetteer.names[h.name].places.is_empty()
    }) {
        let code = gazetteer.names[country_hit.name]
            .country
            .as_deref()
            .unwrap_or_default();
        // Back over ", " or " (" to the word before.
        let mut i = country_hit.start;
        while i > 0 && matches!(chars[i - 1], ' ' | '(') {
            i -= 1;
        }
        if i == 0 || chars[i - 1] != ',' && chars[country_hit.start - 1] != '(' {
            continue;
        }
        let end = if chars[i - 1] == ',' { i - 1 } else { i };
        let mut start = end;
        while start > 0 && chars[start - 1].is_alphabetic() {
            start -= 1;
        }
        let word: String = chars[start..end].iter().collect();
        if word.chars().count() < 5
            || !word.starts_with(char::is_uppercase)
            || taken.iter().any(|h| h.start < end && start < h.end)
        {
            continue;
        }
        let folded = crate::gazetteer::fold(&word);
        let best = gazetteer
            .places_in(code)
            .iter()
            .map(|&p| (p, &gazetteer.places[p as usize]))
            .filter(|(_, p)| {
                p.population >= 10_000 && within_one_edit(&folded, &crate::gazetteer::fold(&p.name))
            })
            .max_by_key(|(_, p)| (p.population, std::cmp::Reverse(p.geonames_id)));
        if let Some((place, _)) = best {
            out.push(Hit {
                start,
                end,
                name: country_hit.name,
                place: Some(place),
            });
        }
    }
    out
}

/// Damerau–Levenshtein distance at most 1 (one substitution, insertion,
/// deletion or swap of neighbours).
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return true;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as isize - rb.len() as isize {
        0 => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra[1..] == *rb,
        -1 => *ra == rb[1..],
        _ => false,
    }
}

/// Ranks the places a name may stand for: population, main name, and
/// context. Returns them best first, and whether the best one is named with an
/// explicit qualifier right after it ("Warminster, Pennsylvania", "Tula, Russia").
fn link(
    gazetteer: &Gazetteer,
    entry: &NameEntry,
    sentence_countries: &BTreeSet<String>,
    doc_countries: &BTreeSet<String>,
    after: &str,
) -> (Vec<u32>, bool) {
    // "Portland, Oregon", "Albany (New York State)": a US state just after the name.
    let after_state = us_state_in(gazetteer, after);
    let qualifier = qualifier_after(gazetteer, after);
    let mut ranked: Vec<(u32, f64, u32, bool)> = entry
        .places
        .iter()
        .map(|&(idx, is_main)| {
            let p = &gazetteer.places[idx as usize];
            let mut score = ((p.population + 10) as f64).ln();
            let mut qualified = false;
            if is_main {
                score += 3.0;
            }
            if sentence_countries.contains(&p.country) {
                score += 4.0;
            } else if doc_countries.contains(&p.country) {
                score += 2.0;
            }
            if p.country == "US" && after_state.as_deref() == Some(p.admin1.as_str()) {
                score += 8.0;
            }
            if let Some(q) = &qualifier {
                if *q == p.country
                    || (p.country == "US" && q.strip_prefix("US-") == Some(p.admin1.as_str()))
                {
                    score += 6.0;
                    qualified = true;
                }
            }
            if p.kind == PlaceKind::Region {
                score -= 1.0;
            }
            (idx, score, p.geonames_id, qualified)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    let qualified = ranked.first().is_some_and(|r| r.3);
    (ranked.into_iter().map(|r| r.0).collect(), qualified)
}

/// A country or US state named right after a place: ", Russia", " (Slovakia)".
fn qualifier_after(gazetteer: &Gazetteer, after: &str) -> Option<String> {
    let rest = after.trim_start_matches(' ');
    let rest = rest
        .strip_prefix(',')
        .or_else(|| rest.strip_prefix('('))?
        .trim_start();
    let mut folded = String::new();
    for c in rest.chars().take(30) {
        fold_char(c, &mut folded);
    }
    gazetteer
        .matcher()
        .find_overlapping_iter(&folded)
        .filter(|m| {
            m.start() == 0
                && folded[m.end()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
        .filter_map(|m| {
            let e = &gazetteer.names[m.pattern().as_usize()];
            e.country
                .clone()
                .or_else(|| e.us_state.as_ref().map(|s| format!("US-{s}")))
        })
        .next()
}

fn us_state_in(gazetteer: &Gazetteer, after: &str) -> Option<String> {
    let head: String = after
        .chars()
        .take_while(|c| !matches!(c, '.' | ';'))
        .collect();
    let mut folded = String::new();
    for c in head.chars() {
        fold_char(c, &mut folded);
    }
    gazetteer
        .matcher()
        .find_overlapping_iter(&folded)
        .filter_map(|m| gazetteer.names[m.pattern().as_usize()].us_state.clone())
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences::split;

    fn gaz() -> Gazetteer {
        Gazetteer::from_rows(
            &[
                (
                    472757,
                    "Volgograd",
                    "RU",
                    "84",
                    1_000_000,
                    &["Stalingrad", "Wolgograd", "Волгоград"],
                ),
                (
                    706483,
                    "Kharkiv",
                    "UA",
                    "07",
                    1_400_000,
                    &["Kharkov", "Charkiw", "Харків"],
                ),
                (5746545, "Portland", "US", "OR", 650_000, &[]),
                (4975802, "Portland", "US", "ME", 66_000, &[]),
                (2643123, "Portland", "GB", "ENG", 12_000, &[]),
                (5106834, "Albany", "US", "NY", 101_000, &[]),
                (4179574, "Albany", "US", "GA", 75_000, &[]),
                (2990440, "Nice", "FR", "93", 342_000, &[]),
                (473247, "Vladimir", "RU", "83", 350_000, &[]),
                (2022890, "Khabarovsk", "RU", "30", 590_000, &[]),
                (3081368, "Wrocław", "PL", "72", 630_000, &["Breslau"]),
                (2867714, "Essen", "DE", "07", 580_000, &[]),
                (1816670, "Beijing", "CN", "22", 11_000_000, &["北京"]),
                (1850147, "Tokyo", "JP", "40", 8_000_000, &["東京", "东京"]),
                (4544349, "Of", "TR", "61", 31_000, &[]),
                (
                    5128581,
                    "New York City",
                    "US",
                    "NY",
                    8_000_000,
                    &["New York"],
                ),
                (2645425, "Coventry", "GB", "ENG", 325_000, &[]),
                (
                    3094802,
                    "Kraków",
                    "PL",
                    "72",
                    760_000,
                    &["Krakow", "Cracow"],
                ),
                (
                    524901,
                    "Moscow",
                    "RU",
                    "48",
                    10_000_000,
                    &["Moskwa", "Москва"],
                ),
                (
                    702550,
                    "Lviv",
                    "UA",
                    "46",
                    720_000,
                    &["Lwów", "Львів", "Львов"],
                ),
            ],
            &[("RU", "Russia"), ("US", "United States"), ("CN", "China")],
        )
    }

    fn tag(g: &Gazetteer, text: &str) -> Vec<(String, u32)> {
        let sentences = split(text, true);
        tag_document(g, &sentences, text)
            .into_iter()
            .map(|m| (m.surface, g.places[m.place as usize].geonames_id))
            .collect()
    }

    #[test]
    fn inflected_forms_find_their_places() {
        let g = gaz();
        let ids = |text: &str| {
            tag(&g, text)
                .into_iter()
                .map(|(_, id)| id)
                .collect::<Vec<_>>()
        };
        // Polish genitive and instrumental; Czech-free text, so Latin inflects.
        assert_eq!(
            ids("Władze Krakowa zerwały umowę z Moskwą i Wrocławiem."),
            [3094802, 524901, 3081368]
        );
        // Russian instrumental (Москвой) and the Ukrainian і/о change (Львова).
        assert_eq!(
            ids("Делегация Львова встретилась с Москвой."),
            [702550, 524901]
        );
        // An English text inflects nothing; a sentence's first word is not tried.
        assert!(ids("The delegation met Roberta Krakowa in Bremen.").is_empty());
        assert!(ids("Krakowa rada zdecydowała dziś o zerwaniu współpracy z Łodzią.").is_empty());
        // Nor the first word after a dateline.
        assert_eq!(
            ids("LWÓW - Krakowa rada zdecydowała dziś o zerwaniu współpracy z Moskwą."),
            [702550, 524901]
        );
    }

    #[test]
    fn the_projects_aliases_rank_as_main_names() {
        // GeoNames gives "Odessa" as the main name of a Texas city and as an
        // alternate of Odesa; data/aliases.tsv makes it Odesa's too.
        let g = Gazetteer::from_rows(
            &[
                (5527554, "Odessa", "US", "TX", 114_428, &[]),
                (698740, "Odesa", "UA", "18", 1_010_537, &["Odessa"]),
                (4347778, "Baltimore", "US", "MD", 585_708, &[]),
            ],
            &[("UA", "Ukraine"), ("US", "United States")],
        );
        let t = tag(&g, "Odessa has been twinned with Baltimore since 1974.");
        assert_eq!(t[0], ("Odessa".to_string(), 698740));
    }

    #[test]
    fn alternate_and_historical_names_link_to_one_place() {
        let g = gaz();
        let t = tag(&g, "Stalingrad, later renamed Volgograd, is twinned with Coventry. Wolgograd und Волгоград. Kharkov is Kharkiv.");
        let ids: Vec<u32> = t.iter().map(|x| x.1).collect();
        assert_eq!(
            ids,
            [472757, 472757, 2645425, 472757, 472757, 706483, 706483]
        );
    }

    #[test]
    fn case_rules() {
        let g = gaz();
        assert!(tag(&g, "We had a nice time in portland.").is_empty());
        assert_eq!(tag(&g, "RABAT, October 3 - KHARKIV is shelled.").len(), 1);
        // A text with no capitals at all is matched as it is.
        assert_eq!(tag(&g, "kharkiv and volgograd are twins").len(), 2);
    }

    #[test]
    fn homonyms_use_population_and_context() {
        let g = gaz();
        assert_eq!(
            tag(&g, "Khabarovsk is twinned with American Portland.")[1].1,
            5746545
        );
        assert_eq!(
            tag(&g, "A delegation from Portland, Maine arrived.")[0].1,
            5746545,
            "no Maine state in the test rows: population wins"
        );
        assert_eq!(
            tag(&g, "Representatives of Albany (New York State) visited.")[0].1,
            5106834
        );
    }

    #[test]
    fn stop_policy_for_common_words_and_given_names() {
        let g = gaz();
        assert!(tag(&g, "Nice to see the mayors agree.").is_empty());
        assert_eq!(tag(&g, "The mayor of Nice signed it.").len(), 1);
        assert!(tag(&g, "Vladimir Putin spoke in Moscow Region.").is_empty());
        assert_eq!(
            tag(&g, "The city of Vladimir is twinned with Kharkiv.").len(),
            2
        );
        assert!(tag(&g, "Wir haben Essen gekocht.").is_empty());
        assert_eq!(tag(&g, "Die Partnerschaft mit Essen besteht.").len(), 1);
        assert!(tag(&g, "Friends Of The City Meet Today In The Hall").is_empty());
        assert!(tag(&g, "Delegates spoke of progress.").is_empty());
        // A sentence's first word needs an explicit partner or its country.
        assert_eq!(
            tag(&g, "Nice and Coventry are twin towns.").len(),
            2,
            "joined by and"
        );
        let names =
            |text: &str| -> Vec<String> { tag(&g, text).into_iter().map(|t| t.0).collect() };
        assert_eq!(names("Nice Coventry weather today."), ["Coventry"]);
        assert_eq!(names("Of Coventry little is left."), ["Coventry"]);
        assert_eq!(
            names("Essen, Wrocław und Kharkiv."),
            ["Essen", "Wrocław", "Kharkiv"]
        );
    }

    #[test]
    fn names_after_a_persons_title_are_the_person() {
        let g = gaz();
        // "Coventry" and "Portland" here are a mayor's names, not places.
        let t = tag(&g, "Kharkiv Mayor Portland Coventry met the press.");
        assert_eq!(t.iter().map(|x| x.1).collect::<Vec<_>>(), [706483]);
        let t = tag(&g, "Gov. Albany Nice spoke in Beijing.");
        assert_eq!(t.iter().map(|x| x.1).collect::<Vec<_>>(), [1816670]);
        // A title followed by "of" names the place.
        assert_eq!(tag(&g, "The Mayor of Coventry spoke.").len(), 1);
        assert!(tag(&g, "Ships in the Sea of Azov and the Bay of Coventry.").is_empty());
        // Title Case headlines are exempt: every word is capitalised there.
        assert_eq!(tag(&g, "Mayor Backs Coventry Link With Volgograd").len(), 2);
    }

    #[test]
    fn month_names_are_dates_unless_a_twinning_names_them() {
        let g = Gazetteer::from_rows(
            &[
                (2643266, "March", "GB", "ENG", 22_000, &[]),
                (2645425, "Coventry", "GB", "ENG", 325_000, &[]),
                (2474141, "Mahdia", "TN", "53", 45_000, &["Africa"]),
            ],
            &[],
        );
        assert_eq!(tag(&g, "Coventry will vote in March.").len(), 1);
        assert_eq!(tag(&g, "On March 3 Coventry voted.").len(), 1);
        assert_eq!(tag(&g, "Coventry is twinned with March.").len(), 2);
        assert_eq!(tag(&g, "The town of March and Coventry.").len(), 2);
        // "Africa" is an alternate name of Mahdia, but in news a continent.
        assert_eq!(tag(&g, "Coventry seeks a partner in Africa.").len(), 1);
    }

    #[test]
    fn regions_named_after_cities_are_not_the_city() {
        let g = gaz();
        assert!(tag(&g, "A brigade from Khabarovsk Territory of Russia.").is_empty());
        assert_eq!(
            tag(&g, "The city of Khabarovsk is twinned with Portland.").len(),
            2
        );
    }

    #[test]
    fn countries_are_context_and_longest_name_wins() {
        let g = gaz();
        let t = tag(&g, "Russia and China: New York City and Beijing.");
        assert_eq!(
            t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["New York City", "Beijing"]
        );
        let t = tag(&g, "北京和东京是友好城市。");
        assert_eq!(t.len(), 2);
        assert_eq!(
            tag(&g, "Breslau (Wrocław) ist eine Partnerstadt.")[1].1,
            3081368
        );
    }
}
