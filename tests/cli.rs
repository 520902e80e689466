//! End-to-end behaviour of the binary: accounting for bad input, exit codes,
//! broken pipes, determinism across thread counts, training and reloading.
mod common;
use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn bad_records_are_reported_by_line_and_the_run_goes_on() {
    let input = repo().join("tests/data/bad_input.jsonl");
    let out = twinrel(&["candidates", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "some documents failed: exit 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad_input.jsonl:2"), "{stderr}");
    assert!(
        stderr.contains("bad_input.jsonl:3") && stderr.contains("text"),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 documents read, 2 processed, 2 failed"),
        "{stderr}"
    );
    let docs: std::collections::BTreeSet<String> = jsonl(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(docs.into_iter().collect::<Vec<_>>(), ["ok-1", "ok-2"]);
}

#[test]
fn a_missing_input_is_an_error_with_exit_code_2() {
    let out = twinrel(&["candidates", "/no/such/file.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.jsonl"));
    assert_eq!(
        twinrel(&["extract", "--no-such-flag"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dev = shared().join("news/dev.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_twinrel"))
        .args(["candidates", dev.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes after one line.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("error"));
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let dev = shared().join("news/dev.jsonl");
    let one = ok(&[
        "--threads",
        "1",
        "extract",
        "--all-pairs",
        dev.to_str().unwrap(),
    ]);
    let two = ok(&[
        "--threads",
        "2",
        "extract",
        "--all-pairs",
        dev.to_str().unwrap(),
    ]);
    assert!(!one.is_empty());
    assert_eq!(one, two);
}

#[test]
fn a_tiny_model_trains_reloads_and_predicts() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("tiny");
    let data = repo().join("tests/data/tiny_train.jsonl");
    let out = twinrel(&[
        "--threads",
        "2",
        "train",
        "--train",
        data.to_str().unwrap(),
        "--dev",
        data.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--epochs",
        "2",
        "--max-steps",
        "3",
        "--batch-size",
        "4",
    ]);
    // The same file as train and dev is refused: dev must be held out.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("both the training data and the dev file")
    );
    ok(&[
        "--threads",
        "2",
        "train",
        "--train",
        data.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--epochs",
        "2",
        "--max-steps",
        "3",
        "--batch-size",
        "4",
    ]);
    for f in [
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "MODEL_CARD.md",
    ] {
        assert!(out_dir.join(f).is_file(), "{f} written");
    }
    let records = jsonl(&ok(&[
        "extract",
        "--model",
        out_dir.to_str().unwrap(),
        "--all-pairs",
        data.to_str().unwrap(),
    ]));
    assert!(
        records.len() >= 4,
        "every candidate pair is scored: {records:?}"
    );
    for r in &records {
        for l in ["twinned", "proposed", "break_called"] {
            let s = r["scores"][l].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&s));
        }
        assert!(!r["evidence"].as_array().unwrap().is_empty());
    }
    // A damaged model directory is refused with a clear message.
    std::fs::write(out_dir.join("tokenizer.json"), "{}").unwrap();
    let out = twinrel(&[
        "extract",
        "--model",
        out_dir.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match config.json"));
}
