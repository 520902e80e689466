//! Stage 2: sentences. A rule-based splitter with character offsets into the
//! original text. Offsets are Unicode code points (`char` indices), not bytes,
//! so that they mean the same in Rust, Python and JavaScript string slicing.
//!
//! No maintained crate handled headlines without final punctuation, datelines
//! ("OSLO, June 9 (Reuters) -"), web boilerplate and non-Latin scripts
//! together, so this is a small rule set:
//! - a blank line always ends a sentence; a single line break ends one unless
//!   the next line starts in lower case (a hard-wrapped paragraph);
//! - `.`, `!`, `?`, `…` end a sentence before white space and an upper-case
//!   letter, digit, quote or bracket, unless the word before is a known
//!   abbreviation (Mr., St., U.S., Gov., Jan., pop.), an initial or a day number;
//! - `。！？` end a sentence with no space after them (Chinese, Japanese);
//! - a leading dateline is split off as a sentence of its own;
//! - the first short line without final punctuation near the top is the title;
//! - navigation and tag lines are boilerplate, and so is everything after an
//!   end-of-article marker ("Tags:", "MORE ABOUT", "Leave a Reply").

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SentenceKind {
    Title,
    Body,
    /// Navigation, tag lines, related-article lists: kept for accounting, never
    /// searched for places.
    Boilerplate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// Code-point offsets into the document text, `start..end`.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: SentenceKind,
    /// True for a title given in a separate field: then the offsets are into
    /// the title, not the text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_title_field: bool,
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "ste", "prof", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "nr", "vs", "inc", "ltd", "co", "corp",
    "jr", "sr", "mt", "ft", "ave", "rd", "blvd", "approx", "dept", "univ", "est", "fig", "vol",
    "pp", "ca", "bzw", "vgl", "hr", "fr", "ul", "ks", "mgr", "inż", "tzw", "im", "ул", "г", "гг",
    "им", "пр", "св", "вул", "м", "mme", "mlle", "sr", "sra", "av", "sig", "dott", "ing", "gral",
    "pop",
];

const MONTHS: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopadu",
    "grudnia",
    "ledna",
    "února",
    "března",
    "dubna",
    "května",
    "června",
    "července",
    "srpna",
    "září",
    "října",
    "listopadu",
    "prosince",
];

const END_MARKERS: &[&str] = &[
    "tags",
    "теги",
    "мітки",
    "more about",
    "hot news",
    "most read",
    "most popular",
    "news by subject",
    "leave a reply",
    "related articles",
    "related news",
    "related stories",
    "читайте также",
    "читайте також",
    "lesen sie auch",
    "mehr zum thema",
    "à lire aussi",
    "lire aussi",
    "leer más",
    "leggi anche",
    "czytaj też",
    "czytaj także",
    "you may also like",
    "recommended",
];

const BOILERPLATE_LINES: &[&str] = &[
    "ad",
    "ads",
    "advertisement",
    "anzeige",
    "publicité",
    "реклама",
    "загрузка",
    "завантаження",
    "loading",
    "share",
    "tweet",
    "print",
    "email",
    "e-mail",
    "read more",
    "more",
    "latest",
    "latest news",
    "all news",
    "select language",
    "photo credit",
    "photo",
    "subscribe",
    "comments",
    "menu",
    "home",
    "search",
    "skip to content",
    "back to top",
    "top",
    "news",
    "share this",
    "share on facebook",
    "share on twitter",
    "follow us",
    "min read",
    "2 min read",
    "3 min read",
    "1 min read",
    "related",
    "source",
    "джерело",
    "источник",
    "all rights reserved",
];

/// Splits `text` into sentences. `has_external_title` is true when the
/// document carries its title in a separate field; then no line of the text
/// is taken as the title.
pub fn split(text: &str, has_external_title: bool) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let lines = lines_of(&chars);
    let mut sentences = Vec::new();
    let mut ended = false;
    let mut body_count = 0usize;
    let mut title_taken = has_external_title;
    let mut i = 0;
    while i < lines.len() {
        // A unit is one line, or several lines of one hard-wrapped paragraph.
        let (start, mut end) = lines[i];
        let mut j = i;
        while j + 1 < lines.len() && continues_on_next_line(&chars, lines[j], lines[j + 1]) {
            j += 1;
            end = lines[j].1;
        }
        i = j + 1;
        let unit: String = chars[start..end].iter().collect();
        let trimmed = unit.trim();
        if trimmed.is_empty() {
            continue;
        }
        let key = boilerplate_key(trimmed);
        if ended || is_boilerplate_line(trimmed, &key) {
            if body_count > 0
                && END_MARKERS.iter().any(|m| {
                    key == *m
                        || key.starts_with(&format!("{m} "))
                        || key.starts_with(&format!("{m}:"))
                })
            {
                ended = true;
            }
            push_trimmed(
                &mut sentences,
                &chars,
                start,
                end,
                SentenceKind::Boilerplate,
            );
            continue;
        }
        if !title_taken && body_count == 0 && looks_like_headline(trimmed) {
            title_taken = true;
            push_trimmed(&mut sentences, &chars, start, end, SentenceKind::Title);
            continue;
        }
        let unit_start = sentences.len();
        split_unit(&chars, start, end, &mut sentences);
        body_count += sentences.len() - unit_start;
        // A headline seen after body text is not the title; nothing to do.
        if body_count > 0 {
            title_taken = true;
        }
    }
    sentences
}

/// Line spans `[start, end)` without the newline; blank lines are kept as
/// empty spans so that paragraph breaks are visible.
fn lines_of(chars: &[char]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            lines.push((start, i));
            start = i + 1;
        }
    }
    lines.push((start, chars.len()));
    lines
}

fn continues_on_next_line(chars: &[char], line: (usize, usize), next: (usize, usize)) -> bool {
    let this: String = chars[line.0..line.1].iter().collect();
    let this = this.trim_end();
    let first_next = chars[next.0..next.1].iter().find(|c| !c.is_whitespace());
    let (Some(last), Some(first_next)) = (this.chars().last(), first_next) else {
        return false;
    };
    let last_word = this.rsplit(' ').next().unwrap_or("").to_lowercase();
    // A line-broken paragraph: the line stops mid-sentence, after a comma or
    // a function word, or the next line goes on in lower case.
    matches!(last, ',' | '-' | '(')
        || (last.is_alphanumeric()
            && (first_next.is_lowercase() || CONNECTORS.contains(&last_word.as_str())))
}

const CONNECTORS: &[&str] = &[
    "and",
    "or",
    "the",
    "of",
    "with",
    "to",
    "in",
    "for",
    "a",
    "an",
    "between",
    "und",
    "der",
    "die",
    "das",
    "mit",
    "zwischen",
    "et",
    "de",
    "la",
    "le",
    "entre",
    "y",
    "e",
    "i",
    "и",
    "і",
    "та",
    "з",
    "в",
    "w",
    "z",
    "между",
    "між",
];

/// The line folded for lexicon look-ups: lower case, without trailing dots,
/// ellipses and colons.
fn boilerplate_key(line: &str) -> String {
    let lower = line.to_lowercase();
    lower
        .trim_end_matches(['.', '…', ':', ' ', '»', '>'])
        .trim_start_matches(['#', ' '])
        .to_string()
}

fn is_boilerplate_line(line: &str, key: &str) -> bool {
    if BOILERPLATE_LINES.contains(&key) || END_MARKERS.contains(&key) {
        return true;
    }
    let lower = line.to_lowercase();
    if ["tags:", "tags ", "теги:", "мітки:", "tagged:", "topics:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    if line.starts_with('#') && line.split_whitespace().all(|w| w.starts_with('#')) {
        return true;
    }
    // Time stamps and dates standing alone ("11:30 04.06.2022", "03 July 2025").
    let words: Vec<&str> = line.split_whitespace().collect();
    let has_digit = line.chars().any(|c| c.is_ascii_digit());
    let ends_like_sentence = line.ends_with(['.', '!', '?', '"', '”', '»']);
    if has_digit && words.len() <= 4 && !ends_like_sentence {
        let alpha_words = words
            .iter()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count();
        return alpha_words <= 2;
    }
    false
}

fn looks_like_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let chars = line.chars().count();
    let last = line.chars().last().unwrap_or(' ');
    (4..=30).contains(&words)
        && chars <= 250
        && !matches!(last, '.' | ':' | ',' | ';')
        && !is_dateline_only(line)
}

fn is_dateline_only(line: &str) -> bool {
    dateline_end(&line.chars().collect::<Vec<_>>(), 0, line.chars().count())
        .is_some_and(|e| e >= line.chars().count())
}

/// If a unit starts with a dateline ("OSLO, June 9 (Reuters) -",
/// "KYIV (Reuters) —"), returns the offset just past its dash.
fn dateline_end(chars: &[char], start: usize, end: usize) -> Option<usize> {
    let limit = end.min(start + 90);
    // The place part: upper-case letters, spaces, hyphens, dots, at least three letters.
    let mut i = start;
    let mut letters = 0;
    while i < limit && (chars[i].is_uppercase() || matches!(chars[i], ' ' | '-' | '.' | '\'')) {
        if chars[i].is_alphabetic() {
            letters += 1;
        }
        i += 1;
    }
    if letters < 3 || i >= limit || !matches!(chars[i], ',' | '(') {
        return None;
    }
    // Then a dash separator with spaces around it.
    while i + 2 < limit {
        if chars[i] == ' ' && matches!(chars[i + 1], '-' | '–' | '—') && chars[i + 2] == ' ' {
            return Some(i + 2);
        }
        if matches!(chars[i], '.' | '!' | '?') {
            return None;
        }
        i += 1;
    }
    None
}

fn push_trimmed(
    out: &mut Vec<Sentence>,
    chars: &[char],
    mut start: usize,
    mut end: usize,
    kind: SentenceKind,
) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        out.push(Sentence {
            start,
            end,
            text: chars[start..end].iter().collect(),
            kind,
            in_title_field: false,
        });
    }
}

fn split_unit(chars: &[char], start: usize, end: usize, out: &mut Vec<Sentence>) {
    let mut sentence_start = start;
    while sentence_start < end && chars[sentence_start].is_whitespace() {
        sentence_start += 1;
    }
    if let Some(dash_end) = dateline_end(chars, sentence_start, end) {
        push_trimmed(out, chars, sentence_start, dash_end, SentenceKind::Body);
        sentence_start = dash_end;
    }
    let mut i = sentence_start;
    while i < end {
        let c = chars[i];
        if matches!(c, '。' | '！' | '？') {
            let cut = skip_closers(chars, i + 1, end);
            push_trimmed(out, chars, sentence_start, cut, SentenceKind::Body);
            sentence_start = cut;
            i = cut;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            let cut = skip_closers(chars, i + 1, end);
            if cut < end && chars[cut].is_whitespace() {
                let mut next = cut;
                while next < end && chars[next].is_whitespace() {
                    next += 1;
                }
                if next < end
                    && opens_sentence(chars[next])
                    && !(c == '.' && is_abbreviation(chars, sentence_start, i))
                {
                    push_trimmed(out, chars, sentence_start, cut, SentenceKind::Body);
                    sentence_start = next;
                    i = next;
                    continue;
                }
            }
            i = cut.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_trimmed(out, chars, sentence_start, end, SentenceKind::Body);
}

fn skip_closers(chars: &[char], mut i: usize, end: usize) -> usize {
    while i < end
        && matches!(
            chars[i],
            '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '.' | '!' | '?' | '…' | '」' | '』'
        )
    {
        i += 1;
    }
    i
}

fn opens_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '"' | '\'' | '“' | '‘' | '«' | '„' | '(' | '[' | '-' | '–' | '—'
        )
        || (c.is_alphabetic() && !c.is_lowercase())
}

/// Whether the `.` at `dot` ends an abbreviation, an initial or a day number.
fn is_abbreviation(chars: &[char], sentence_start: usize, dot: usize) -> bool {
    let mut w = dot;
    while w > sentence_start
        && !chars[w - 1].is_whitespace()
        && !matches!(chars[w - 1], '(' | '"' | '“' | '«')
    {
        w -= 1;
    }
    let word: String = chars[w..dot].iter().collect();
    if word.is_empty() {
        return false;
    }
    // U.S., e.g., z.B.: a dot inside the word.
    if word.contains('.') {
        return true;
    }
    let letters: Vec<char> = word.chars().collect();
    if letters.len() == 1 && letters[0].is_uppercase() {
        return true; // an initial: "J. Smith"
    }
    if letters.iter().all(char::is_ascii_digit) && letters.len() <= 2 {
        // "am 2. März", "3. listopada"; but "on Jan. 5. The" ends a sentence.
        let next: String = chars[dot + 1..]
            .iter()
            .skip_while(|c| c.is_whitespace())
            .take_while(|c| c.is_alphabetic())
            .collect();
        return MONTHS.contains(&next.to_lowercase().as_str());
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        split(text, false).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn offsets_are_code_points_into_the_original() {
        let text = "Харків і Цинциннаті. Kraków é bela! Third one?";
        for s in split(text, true) {
            let slice: String = text.chars().skip(s.start).take(s.end - s.start).collect();
            assert_eq!(slice, s.text);
        }
        assert_eq!(split(text, true).len(), 3);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = texts("Mr. Smith met Gov. Brown in St. Petersburg on Jan. 5. The U.S. delegation left. Dr. J. Doe stayed.");
        assert_eq!(
            t,
            [
                "Mr. Smith met Gov. Brown in St. Petersburg on Jan. 5.",
                "The U.S. delegation left.",
                "Dr. J. Doe stayed."
            ]
        );
    }

    #[test]
    fn population_figures_do_not_end_sentences() {
        // "pop. 12,000" is the news abbreviation of population; a split there
        // separates a place from the rest of its clause.
        let t = texts("The council chose Ashford, pop. 12,000, as partner for Kielce, pop. 190,000. The vote was close.");
        assert_eq!(
            t,
            [
                "The council chose Ashford, pop. 12,000, as partner for Kielce, pop. 190,000.",
                "The vote was close."
            ]
        );
    }

    #[test]
    fn quotes_close_sentences() {
        let t = texts("\"We will cut ties,\" he said. \"It is over.\" The council agreed.");
        assert_eq!(
            t,
            [
                "\"We will cut ties,\" he said.",
                "\"It is over.\"",
                "The council agreed."
            ]
        );
    }

    #[test]
    fn dateline_is_split_off() {
        let t = texts("OSLO, June 9 (Reuters) - The council of Bergen meets on Friday.");
        assert_eq!(
            t,
            [
                "OSLO, June 9 (Reuters) -",
                "The council of Bergen meets on Friday."
            ]
        );
    }

    #[test]
    fn headline_without_final_punctuation_is_the_title() {
        let s = split("All news\n\nMayors ask the United Nations to mark a world day of twin towns\n\nThe movement began in Coventry. It spread.", false);
        let title = s.iter().find(|s| s.kind == SentenceKind::Title).unwrap();
        assert_eq!(
            title.text,
            "Mayors ask the United Nations to mark a world day of twin towns"
        );
        assert_eq!(s.iter().filter(|s| s.kind == SentenceKind::Body).count(), 2);
        // An external title means no line of the text is taken as the title.
        assert!(split("A headline with four words\nBody.", true)
            .iter()
            .all(|s| s.kind != SentenceKind::Title));
    }

    #[test]
    fn hard_wrapped_paragraph_is_joined_and_lines_are_separate_otherwise() {
        let t = texts("The twinning between Gatchina and\nTeltow began in 1994. It goes on.\nA new line starts here.");
        assert_eq!(
            t,
            [
                "The twinning between Gatchina and\nTeltow began in 1994.",
                "It goes on.",
                "A new line starts here."
            ]
        );
    }

    #[test]
    fn boilerplate_lines_and_the_tail_after_an_end_marker() {
        let text = "Headline about the twin towns of Europe\nChicago and Moscow are sister cities.\nAD\nЗагрузка...\n11:30 04.06.2022\nTags: #cities #twinning\nMacron visits Kyiv and Lviv today\nMore text.";
        let s = split(text, false);
        let kinds: Vec<_> = s.iter().map(|s| (s.text.as_str(), s.kind)).collect();
        assert_eq!(
            kinds[1],
            ("Chicago and Moscow are sister cities.", SentenceKind::Body)
        );
        assert!(
            kinds[2..]
                .iter()
                .all(|(_, k)| *k == SentenceKind::Boilerplate),
            "{kinds:?}"
        );
    }

    #[test]
    fn non_latin_scripts() {
        assert_eq!(
            texts("北京和东京是友好城市。上海也是！好的"),
            ["北京和东京是友好城市。", "上海也是！", "好的"]
        );
        assert_eq!(
            texts("Харків та Цинциннаті — міста-побратими. Про це повідомив мер."),
            [
                "Харків та Цинциннаті — міста-побратими.",
                "Про це повідомив мер."
            ]
        );
    }

    #[test]
    fn german_day_numbers_and_years() {
        let t = texts(
            "Am 2. März beschloss der Rat die Partnerschaft. Sie besteht seit 1969. Danach nichts.",
        );
        assert_eq!(
            t,
            [
                "Am 2. März beschloss der Rat die Partnerschaft.",
                "Sie besteht seit 1969.",
                "Danach nichts."
            ]
        );
    }
}
