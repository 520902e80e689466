//! Helpers for the end-to-end tests: they run the real `twinrel` binary.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// ../shared beside the repository (CI has it), or $TWINREL_SHARED.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("TWINREL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("shared")
        });
    assert!(
        dir.join("seeds").is_dir(),
        "the shared data is not at {} (set TWINREL_SHARED)",
        dir.display()
    );
    dir
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn twinrel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twinrel"))
        .args(args)
        .output()
        .expect("the twinrel binary runs")
}

pub fn ok(args: &[&str]) -> String {
    let out = twinrel(args);
    assert!(
        out.status.success(),
        "twinrel {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

pub fn jsonl(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Gold-pair coverage: required gold pairs (not optional, not region) found
/// among records, matching names as the scorer does. `lang`: only that language.
pub fn coverage(
    gold_path: &std::path::Path,
    records: &[serde_json::Value],
    lang: Option<&str>,
) -> (usize, usize, Vec<String>) {
    let fold = twinrel::eval::fold_name;
    let gold = std::fs::read_to_string(gold_path).unwrap();
    let (mut found, mut total, mut missed) = (0, 0, Vec::new());
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        if lang.is_some() && g["lang"].as_str() != lang {
            continue;
        }
        let doc = g["doc"].as_str().unwrap();
        for rel in g["relations"].as_array().unwrap() {
            if rel["optional"].as_bool() == Some(true) || rel["kind"].as_str() == Some("region") {
                continue;
            }
            total += 1;
            let names = |side: &serde_json::Value| -> Vec<String> {
                side.as_array()
                    .unwrap()
                    .iter()
                    .map(|n| fold(n.as_str().unwrap()))
                    .collect()
            };
            let (ga, gb) = (names(&rel["a"]), names(&rel["b"]));
            let side = |p: &serde_json::Value, g: &[String]| {
                g.contains(&fold(p["name"].as_str().unwrap()))
                    || g.contains(&fold(p["canonical"].as_str().unwrap()))
            };
            let hit = records.iter().filter(|r| r["doc"] == doc).any(|r| {
                (side(&r["a"], &ga) && side(&r["b"], &gb))
                    || (side(&r["a"], &gb) && side(&r["b"], &ga))
            });
            if hit {
                found += 1;
            } else {
                missed.push(format!("{doc}: {ga:?} – {gb:?}"));
            }
        }
    }
    (found, total, missed)
}
