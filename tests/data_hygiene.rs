//! The held-out eval set never occurs in the training corpus, and no text of
//! ../shared (others' articles) is copied into the repository's data.
mod common;
use common::*;
use std::collections::HashSet;

fn texts(path: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["doc"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn corpus() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files.iter().flat_map(|f| texts(f)).collect()
}

/// Sentences of 40+ characters, normalised, as a fingerprint of a text.
fn sentences(text: &str) -> Vec<String> {
    text.split(['.', '!', '?', '\n'])
        .map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|s| s.len() >= 40)
        .collect()
}

#[test]
fn corpus_is_large_and_multilingual() {
    let c = corpus();
    assert!(c.len() >= 1500, "{} corpus texts", c.len());
    let ids: HashSet<_> = c.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), c.len(), "corpus doc ids are unique");
}

#[test]
fn no_eval_text_occurs_in_the_corpus() {
    let corpus_sentences: HashSet<String> =
        corpus().iter().flat_map(|(_, t)| sentences(t)).collect();
    let eval = texts(&repo().join("eval/gold.jsonl"));
    assert!(eval.len() >= 150);
    for (id, text) in eval {
        for s in sentences(&text) {
            assert!(
                !corpus_sentences.contains(&s),
                "eval {id} shares a sentence with the corpus: {s}"
            );
        }
    }
}

#[test]
fn nothing_from_shared_is_copied_into_corpus_or_eval() {
    let mut shared_sentences = HashSet::new();
    for f in ["news/train.jsonl", "news/dev.jsonl"] {
        for (_, t) in texts(&shared().join(f)) {
            shared_sentences.extend(sentences(&t));
        }
    }
    let mut ours = corpus();
    ours.extend(texts(&repo().join("eval/gold.jsonl")));
    for (id, text) in ours {
        for s in sentences(&text) {
            assert!(
                !shared_sentences.contains(&s),
                "{id} copies a shared sentence: {s}"
            );
        }
    }
}

/// Runs of 8 words, lower-cased, punctuation ignored.
fn word_runs(text: &str) -> HashSet<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.windows(8).map(|w| w.join(" ")).collect()
}

/// The training corpus stays away from everything the model is measured on:
/// no corpus text shares a run of 8 words with the shared dev set, the seeds
/// or the project's eval set (scripts/decontaminate.py checks the same, and
/// more strictly for files written after reading dev errors).
#[test]
fn corpus_shares_no_8_word_run_with_held_out_texts() {
    let mut held_out = HashSet::new();
    for (_, t) in texts(&shared().join("news/dev.jsonl")) {
        held_out.extend(word_runs(&t));
    }
    for (_, t) in texts(&repo().join("eval/gold.jsonl")) {
        held_out.extend(word_runs(&t));
    }
    for entry in std::fs::read_dir(shared().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            held_out.extend(word_runs(&std::fs::read_to_string(path).unwrap()));
        }
    }
    assert!(!held_out.is_empty());
    for (id, text) in corpus() {
        let shared_runs: Vec<_> = word_runs(&text).intersection(&held_out).cloned().collect();
        assert!(
            shared_runs.is_empty(),
            "{id} shares words with a held-out text: {shared_runs:?}"
        );
    }
}
