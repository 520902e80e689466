//! The sentence splitter on the seeds' tricky lines (read from ../shared at
//! run time): headlines, datelines, web boilerplate, non-Latin scripts.
mod common;
use common::*;
use twinrel::sentences::{split, SentenceKind};

fn seed(name: &str) -> String {
    std::fs::read_to_string(shared().join("seeds").join(name)).unwrap()
}

#[test]
fn seed_000_title_list_sentences_and_boilerplate_tail() {
    let text = seed("000_2914fc9528b4487b.txt");
    let s = split(&text, false);
    let title = s
        .iter()
        .find(|s| s.kind == SentenceKind::Title)
        .expect("a title");
    assert!(
        title.text.starts_with("Zelensky calls on mayors"),
        "{}",
        title.text
    );
    // The bare pairs after the twinning sentence are sentences of their own.
    for pair in [
        "Chicago and Moscow.",
        "Jacksonville and Murmansk.",
        "Albany and Tula.",
    ] {
        assert!(
            s.iter()
                .any(|x| x.text == pair && x.kind == SentenceKind::Body),
            "{pair}"
        );
    }
    // Everything after the tag line is boilerplate (related headlines naming Kyiv, Lviv...).
    let tags = s.iter().position(|x| x.text.starts_with("Tags:")).unwrap();
    assert!(s[tags..]
        .iter()
        .all(|x| x.kind == SentenceKind::Boilerplate));
    assert!(s
        .iter()
        .any(|x| x.text.starts_with("Загрузка") && x.kind == SentenceKind::Boilerplate));
    // Offsets are code points into the original text.
    let chars: Vec<char> = text.chars().collect();
    for x in &s {
        assert_eq!(chars[x.start..x.end].iter().collect::<String>(), x.text);
    }
}

#[test]
fn seed_001_dateline_and_headline() {
    let s = split(&seed("001_825a370a2375b48e.txt"), false);
    let dateline = s.iter().find(|x| x.text.starts_with("RABAT")).unwrap();
    assert!(dateline.text.ends_with('-'), "{}", dateline.text);
    assert!(s
        .iter()
        .any(|x| x.kind == SentenceKind::Title && x.text.starts_with("Russian city official")));
}

#[test]
fn seed_002_ukrainian_boilerplate_after_tags() {
    let s = split(&seed("002_2754cce24c166dcc.txt"), false);
    let tags = s.iter().position(|x| x.text.starts_with("Tags:")).unwrap();
    assert!(tags > 3);
    assert!(s[tags..]
        .iter()
        .all(|x| x.kind == SentenceKind::Boilerplate));
    assert!(s[..tags]
        .iter()
        .any(|x| x.text.starts_with("Kharkiv currently has 28 sister cities")));
}

#[test]
fn seed_004_war_report_ends_at_leave_a_reply() {
    let s = split(&seed("004_4d9a9a16d986d1de.txt"), false);
    let reply = s.iter().position(|x| x.text == "Leave a Reply").unwrap();
    assert!(s[reply..]
        .iter()
        .all(|x| x.kind == SentenceKind::Boilerplate));
    assert!(s.iter().filter(|x| x.kind == SentenceKind::Body).count() > 20);
}
