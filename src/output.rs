//! Stage 7: output. One JSON line per (document, unordered pair), or a table
//! for people at a terminal.
//!
//! `{"doc", "a": PLACE, "b": PLACE, "labels", "scores", "evidence"}` where
//! PLACE is `{"name", "canonical", "geonames_id", "country", "kind"}`;
//! evidence offsets are Unicode code points into the text (into the title
//! when `"field": "title"`).

use crate::gazetteer::{Gazetteer, PlaceKind};
use serde::{Deserialize, Serialize};
use std::io::Write;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaceOut {
    /// The surface form as written.
    pub name: String,
    pub canonical: String,
    pub geonames_id: u32,
    pub country: String,
    pub kind: PlaceKind,
}

impl PlaceOut {
    pub fn new(gazetteer: &Gazetteer, place: u32, surface: String) -> Self {
        let p = &gazetteer.places[place as usize];
        PlaceOut {
            name: surface,
            canonical: p.name.clone(),
            geonames_id: p.geonames_id,
            country: p.country.clone(),
            kind: p.kind,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    pub twinned: f32,
    pub proposed: f32,
    pub break_called: f32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PairRecord {
    pub doc: String,
    pub a: PlaceOut,
    pub b: PlaceOut,
    pub labels: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<Scores>,
    pub evidence: Vec<Evidence>,
}

/// Writes records as JSON Lines.
pub fn write_jsonl(out: &mut impl Write, records: &[PairRecord]) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes records as an aligned table for a terminal: one row per pair.
pub fn write_table(out: &mut impl Write, records: &[PairRecord]) -> std::io::Result<()> {
    for r in records {
        let s = r.scores.unwrap_or(Scores {
            twinned: 0.0,
            proposed: 0.0,
            break_called: 0.0,
        });
        let evidence: String = r
            .evidence
            .first()
            .map(|e| e.text.chars().take(90).collect())
            .unwrap_or_default();
        writeln!(
            out,
            "{:<28} {:<22} {:<22} {:<26} tw {:.2} pr {:.2} br {:.2}  {}",
            truncate(&r.doc, 28),
            truncate(&format!("{} ({})", r.a.canonical, r.a.country), 22),
            truncate(&format!("{} ({})", r.b.canonical, r.b.country), 22),
            if r.labels.is_empty() {
                "-".to_string()
            } else {
                r.labels.join(",")
            },
            s.twinned,
            s.proposed,
            s.break_called,
            evidence.replace('\n', " ")
        )?;
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
