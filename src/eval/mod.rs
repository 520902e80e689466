//! Scoring of twinrel predictions against a gold file, following
//! `shared/ANNOTATION.md`.
//!
//! # What is scored
//! The decision unit is (document, unordered pair of places, label). For every
//! gold document:
//!
//! * each prediction of that document is matched to the first gold pair (in
//!   file order) whose two sides it matches, in either order. A predicted side
//!   matches a gold side when [`fold_name`] of its `name` or of its `canonical`
//!   equals the fold of one of the gold names. Several predictions matching the
//!   same gold pair are merged: union of labels, maximum of each score.
//! * gold pairs that are `optional` or `kind: "region"` are left out of every
//!   count; predictions matching them are neither hits nor misses.
//! * a prediction that matches no gold pair and has a side of kind `region` is
//!   left out (regions are not scored).
//! * the other unmatched predictions are grouped into predicted pairs: two of
//!   them are the same pair when they would match each other under the gold
//!   rule (their sides share a folded name or canonical name, in either order;
//!   the grouping is transitive). Every label of such a pair is a false
//!   positive.
//!
//! The resulting "scored units" are the non-excluded gold pairs plus the
//! unmatched predicted pairs. For each unit and label: gold and predicted →
//! TP, gold only → FN, predicted only → FP. Predictions whose document is not
//! in the gold file are only counted (`predictions_for_unknown_docs`).
//!
//! Curves use the same units with the per-label `scores` (a unit without any
//! prediction record has score 0); a unit is called positive at threshold `t`
//! when its score is `>= t`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub mod report;

/// The three relation labels, in the order used by every per-label array.
pub const LABELS: [&str; 3] = ["twinned", "proposed", "break_called"];

/// Number of errors [`EvalReport::to_table`] lists.
pub const TABLE_ERRORS: usize = 20;

/// Thresholds of the sweep: 0.05, 0.10, ..., 0.95.
pub fn sweep_thresholds() -> Vec<f32> {
    // i / 20 is correctly rounded, so 7/20 == 0.35f32 exactly as parsed from JSON.
    (1..=19).map(|i| i as f32 / 20.0).collect()
}

/// Index of a label in [`LABELS`].
pub fn label_index(label: &str) -> Option<usize> {
    LABELS.iter().position(|l| *l == label)
}

/// Errors of loading gold and prediction files and of writing reports.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line is not valid JSON for the expected record (includes missing
    /// keys and unknown score keys).
    #[error("{path}: line {line}: invalid JSON: {source}")]
    Json {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    /// A record parses but breaks a rule (unknown label, duplicate doc id, ...).
    #[error("{path}: line {line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// plotters failed to draw a plot.
    #[error("{path}: cannot draw plot: {message}")]
    Plot { path: PathBuf, message: String },
}

/// Folds a place name for comparison: NFKD, combining marks dropped,
/// lowercase, ł→l ø→o đ→d ß→ss æ→ae œ→oe ı→i, whitespace runs collapsed to one
/// space, trimmed.
pub fn fold_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        for lc in c.to_lowercase() {
            match lc {
                'ł' => out.push('l'),
                'ø' => out.push('o'),
                'đ' => out.push('d'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ı' => out.push('i'),
                c if is_combining_mark(c) => {}
                c => out.push(c),
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// Gold
// ---------------------------------------------------------------------------

/// One gold document. Unknown keys (`text`, ...) are ignored when reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawGoldDoc")]
pub struct GoldDoc {
    pub doc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_type: Option<String>,
    pub relations: Vec<GoldRelation>,
}

/// One gold pair. `region` is `"kind": "region"` in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawGoldRelation", into = "RawGoldRelation")]
pub struct GoldRelation {
    pub a: Vec<String>,
    pub b: Vec<String>,
    pub labels: Vec<String>,
    pub optional: bool,
    pub region: bool,
}

impl GoldRelation {
    /// Whether the pair is left out of all counts (optional or region).
    pub fn is_excluded(&self) -> bool {
        self.optional || self.region
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RawGoldDoc {
    doc: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    text_type: Option<String>,
    relations: Vec<RawGoldRelation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct RawGoldRelation {
    a: Vec<String>,
    b: Vec<String>,
    labels: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    optional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
}

impl From<GoldRelation> for RawGoldRelation {
    fn from(r: GoldRelation) -> Self {
        RawGoldRelation {
            a: r.a,
            b: r.b,
            labels: r.labels,
            optional: r.optional,
            kind: r.region.then(|| "region".to_string()),
        }
    }
}

impl TryFrom<RawGoldRelation> for GoldRelation {
    type Error = String;
    fn try_from(r: RawGoldRelation) -> Result<Self, String> {
        let region = match r.kind.as_deref() {
            None | Some("city") => false,
            Some("region") => true,
            Some(other) => {
                return Err(format!(
                    "unknown kind {other:?} (expected \"region\" or \"city\")"
                ))
            }
        };
        let labels = check_labels(&r.labels)?;
        for (side, names) in [("a", &r.a), ("b", &r.b)] {
            if names.is_empty() {
                return Err(format!("side {side} has no names"));
            }
            if let Some(n) = names.iter().find(|n| fold_name(n).is_empty()) {
                return Err(format!("side {side} has an empty name {n:?}"));
            }
        }
        let rel = GoldRelation {
            a: r.a,
            b: r.b,
            labels,
            optional: r.optional,
            region,
        };
        if rel.labels.is_empty() && !rel.is_excluded() {
            return Err(format!(
                "pair {} – {} has no labels (pairs with no label are not listed)",
                rel.a[0], rel.b[0]
            ));
        }
        let fa = fold_set(&rel.a);
        if rel.b.iter().any(|n| fa.contains(&fold_name(n))) {
            return Err(format!(
                "pair {} – {}: both sides share a name",
                rel.a[0], rel.b[0]
            ));
        }
        Ok(rel)
    }
}

impl TryFrom<RawGoldDoc> for GoldDoc {
    type Error = String;
    fn try_from(r: RawGoldDoc) -> Result<Self, String> {
        if r.doc.trim().is_empty() {
            return Err("empty doc id".into());
        }
        let mut relations = Vec::with_capacity(r.relations.len());
        for (i, raw) in r.relations.into_iter().enumerate() {
            relations
                .push(GoldRelation::try_from(raw).map_err(|e| format!("relation {}: {e}", i + 1))?);
        }
        // Two relations that one prediction could both match make scoring ambiguous.
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (i, rel) in relations.iter().enumerate() {
            for key in pair_keys(&fold_set(&rel.a), &fold_set(&rel.b)) {
                if let Some(j) = seen.get(&key) {
                    if *j != i {
                        return Err(format!(
                            "relations {} and {} are the same pair ({} – {})",
                            j + 1,
                            i + 1,
                            key.0,
                            key.1
                        ));
                    }
                } else {
                    seen.insert(key, i);
                }
            }
        }
        Ok(GoldDoc {
            doc: r.doc,
            lang: r.lang,
            text_type: r.text_type,
            relations,
        })
    }
}

fn check_labels(labels: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::with_capacity(labels.len());
    for l in labels {
        if label_index(l).is_none() {
            return Err(format!(
                "unknown label {l:?} (expected one of {})",
                LABELS.join(", ")
            ));
        }
        if !out.contains(l) {
            out.push(l.clone());
        }
    }
    Ok(out)
}

fn fold_set(names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = names
        .iter()
        .map(|n| fold_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Every unordered combination of a name of side a and a name of side b, as
/// a sorted tuple. Two pairs match (in either order) iff they share a key.
fn pair_keys(a: &[String], b: &[String]) -> Vec<(String, String)> {
    let mut keys = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x <= y {
                keys.push((x.clone(), y.clone()));
            } else {
                keys.push((y.clone(), x.clone()));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Reads a gold JSON Lines file. Blank lines are skipped. Errors name the file
/// and the 1-based line: invalid JSON, unknown labels, empty names, unlabelled
/// pairs, ambiguous duplicate pairs, and duplicate doc ids.
pub fn load_gold(path: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for_each_jsonl::<RawGoldDoc>(path, |line, raw| {
        let doc = GoldDoc::try_from(raw).map_err(|message| invalid(path, line, message))?;
        if let Some(prev) = first_line.get(&doc.doc) {
            return Err(invalid(
                path,
                line,
                format!("duplicate doc id {:?} (first on line {prev})", doc.doc),
            ));
        }
        first_line.insert(doc.doc.clone(), line);
        docs.push(doc);
        Ok(())
    })?;
    Ok(docs)
}

// ---------------------------------------------------------------------------
// Predictions
// ---------------------------------------------------------------------------

/// Kind of a predicted place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    #[default]
    City,
    Region,
}

/// A place of twinrel's output schema. `canonical` and `country` are empty
/// and `geonames_id` is `None` for places that were not linked (missing or
/// null in the file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredPlace {
    pub name: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub canonical: String,
    #[serde(default)]
    pub geonames_id: Option<u64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub country: String,
    #[serde(default)]
    pub kind: PlaceKind,
}

impl PredPlace {
    /// "name" or "name/canonical" when the canonical name folds differently.
    pub fn display(&self) -> String {
        if self.canonical.is_empty() || fold_name(&self.canonical) == fold_name(&self.name) {
            self.name.clone()
        } else {
            format!("{}/{}", self.name, self.canonical)
        }
    }

    fn folded(&self) -> Vec<String> {
        let mut v = vec![fold_name(&self.name)];
        let c = fold_name(&self.canonical);
        if !c.is_empty() && c != v[0] {
            v.push(c);
        }
        v.retain(|s| !s.is_empty());
        v.sort();
        v
    }
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// One evidence span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Per-label scores as they appear in the output schema.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    pub twinned: f32,
    pub proposed: f32,
    pub break_called: f32,
}

impl From<[f32; 3]> for Scores {
    fn from(s: [f32; 3]) -> Self {
        Scores {
            twinned: s[0],
            proposed: s[1],
            break_called: s[2],
        }
    }
}

impl From<Scores> for [f32; 3] {
    fn from(s: Scores) -> Self {
        [s.twinned, s.proposed, s.break_called]
    }
}

/// One line of twinrel's output: a (document, unordered pair) with its label
/// decisions and per-label probabilities (`scores`, indexed like [`LABELS`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPrediction")]
pub struct Prediction {
    pub doc: String,
    pub a: PredPlace,
    pub b: PredPlace,
    pub labels: Vec<String>,
    #[serde(serialize_with = "ser_scores")]
    pub scores: [f32; 3],
    pub evidence: Vec<Evidence>,
}

impl Prediction {
    /// Score of a label by name (0 for an unknown name).
    pub fn score(&self, label: &str) -> f32 {
        label_index(label).map_or(0.0, |i| self.scores[i])
    }
}

fn ser_scores<S: serde::Serializer>(s: &[f32; 3], ser: S) -> Result<S::Ok, S::Error> {
    Scores::from(*s).serialize(ser)
}

#[derive(Debug, Clone, Deserialize)]
struct RawPrediction {
    doc: String,
    a: PredPlace,
    b: PredPlace,
    labels: Vec<String>,
    scores: Scores,
    #[serde(default)]
    evidence: Vec<Evidence>,
}

impl TryFrom<RawPrediction> for Prediction {
    type Error = String;
    fn try_from(r: RawPrediction) -> Result<Self, String> {
        let labels = check_labels(&r.labels)?;
        let scores: [f32; 3] = r.scores.into();
        for (i, s) in scores.iter().enumerate() {
            if !s.is_finite() || !(0.0..=1.0).contains(s) {
                return Err(format!("score of {} is {s}, not in [0, 1]", LABELS[i]));
            }
        }
        for (side, p) in [("a", &r.a), ("b", &r.b)] {
            if p.folded().is_empty() {
                return Err(format!("place {side} has an empty name and canonical name"));
            }
        }
        Ok(Prediction {
            doc: r.doc,
            a: r.a,
            b: r.b,
            labels,
            scores,
            evidence: r.evidence,
        })
    }
}

/// Reads a prediction JSON Lines file (twinrel's output schema). Blank lines
/// are skipped. Errors name the file and the 1-based line: invalid JSON, a
/// missing or unknown score key, unknown labels, scores outside [0, 1].
pub fn load_predictions(path: &Path) -> Result<Vec<Prediction>, EvalError> {
    let mut preds = Vec::new();
    for_each_jsonl::<RawPrediction>(path, |line, raw| {
        preds.push(Prediction::try_from(raw).map_err(|m| invalid(path, line, m))?);
        Ok(())
    })?;
    Ok(preds)
}

fn invalid(path: &Path, line: usize, message: String) -> EvalError {
    EvalError::Invalid {
        path: path.to_path_buf(),
        line,
        message,
    }
}

fn for_each_jsonl<T: DeserializeOwned>(
    path: &Path,
    mut f: impl FnMut(usize, T) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    let io = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(File::open(path).map_err(io)?);
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            return Ok(());
        }
        line += 1;
        let text = std::str::from_utf8(&buf)
            .map_err(|e| invalid(path, line, format!("not valid UTF-8: {e}")))?;
        let text = if line == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        let value = serde_json::from_str(text).map_err(|source| EvalError::Json {
            path: path.to_path_buf(),
            line,
            source,
        })?;
        f(line, value)?;
    }
}

// ---------------------------------------------------------------------------
// Report types
// ---------------------------------------------------------------------------

/// Counts and metrics of one label (or of the micro average).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelMetrics {
    pub label: String,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl LabelMetrics {
    /// Metrics from counts; precision, recall and F1 are 0 when undefined.
    pub fn from_counts(label: &str, tp: usize, fp: usize, fn_: usize) -> Self {
        LabelMetrics {
            label: label.to_string(),
            tp,
            fp,
            fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Unweighted means over the three labels (`f1` is the mean of the label F1s).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MacroMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Per-label table with micro and macro averages over a set of documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsTable {
    /// Gold documents in the set.
    pub docs: usize,
    /// Scored units (gold pairs not left out + unmatched predicted pairs).
    pub scored_pairs: usize,
    pub per_label: Vec<LabelMetrics>,
    /// Summed counts over the three labels.
    pub micro: LabelMetrics,
    #[serde(rename = "macro")]
    pub macro_avg: MacroMetrics,
}

impl MetricsTable {
    /// The row of one label.
    pub fn label(&self, label: &str) -> Option<&LabelMetrics> {
        self.per_label.iter().find(|m| m.label == label)
    }

    fn from_units<'a>(docs: usize, units: impl Iterator<Item = &'a Unit>) -> Self {
        let mut c = [[0usize; 3]; 3]; // [label][tp, fp, fn]
        let mut n = 0;
        for u in units {
            n += 1;
            for (l, cl) in c.iter_mut().enumerate() {
                match (u.gold[l], u.pred[l]) {
                    (true, true) => cl[0] += 1,
                    (false, true) => cl[1] += 1,
                    (true, false) => cl[2] += 1,
                    (false, false) => {}
                }
            }
        }
        let per_label: Vec<LabelMetrics> = LABELS
            .iter()
            .zip(c.iter())
            .map(|(l, c)| LabelMetrics::from_counts(l, c[0], c[1], c[2]))
            .collect();
        let sum = |k: usize| c.iter().map(|c| c[k]).sum::<usize>();
        let micro = LabelMetrics::from_counts("micro", sum(0), sum(1), sum(2));
        let mean = |f: fn(&LabelMetrics) -> f64| per_label.iter().map(f).sum::<f64>() / 3.0;
        let macro_avg = MacroMetrics {
            precision: mean(|m| m.precision),
            recall: mean(|m| m.recall),
            f1: mean(|m| m.f1),
        };
        MetricsTable {
            docs,
            scored_pairs: n,
            per_label,
            micro,
            macro_avg,
        }
    }
}

/// One point of a precision–recall curve: the units with score >= threshold
/// are called positive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrPoint {
    pub threshold: f32,
    pub precision: f64,
    pub recall: f64,
}

/// Counts and metrics at one threshold of the sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    pub threshold: f32,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Score-based curves of one label over all scored units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelCurve {
    pub label: String,
    /// Scored units whose gold labels hold this label.
    pub positives: usize,
    /// All scored units.
    pub units: usize,
    /// One point per distinct score > 0, from the highest score down. Recall
    /// stays below 1 when some gold positives have score 0 (no prediction).
    pub pr_curve: Vec<PrPoint>,
    /// Step-wise area: sum over the curve of (recall gain) × precision.
    pub average_precision: f64,
    /// Thresholds 0.05..0.95 step 0.05.
    pub sweep: Vec<SweepPoint>,
    /// The sweep point of highest F1 (the lowest threshold on ties); `None`
    /// when no threshold gives F1 > 0.
    pub best: Option<SweepPoint>,
}

/// The threshold a label keeps when the tuning set cannot support one.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Fewer tuning positives than this and a label keeps
/// [`DEFAULT_THRESHOLD`]: with a handful of positives, one unit flipping
/// moves the best sweep point anywhere on the scale.
pub const TUNE_MIN_POSITIVES: usize = 20;

/// Sweep steps on each side that [`LabelCurve::tuned_threshold`] averages
/// F1 over: a wide plateau of high F1 is evidence, a lone peak is noise.
pub const TUNE_SMOOTHING_STEPS: usize = 2;

impl LabelCurve {
    /// The threshold `twinrel train` ships for this label: the sweep point
    /// whose F1, averaged over [`TUNE_SMOOTHING_STEPS`] neighbours on each
    /// side, is highest; ties go to the point nearest
    /// [`DEFAULT_THRESHOLD`]. A label with fewer than [`TUNE_MIN_POSITIVES`]
    /// positives, or with F1 0 everywhere, keeps [`DEFAULT_THRESHOLD`].
    pub fn tuned_threshold(&self) -> f32 {
        if self.positives < TUNE_MIN_POSITIVES || self.sweep.iter().all(|p| p.f1 == 0.0) {
            return DEFAULT_THRESHOLD;
        }
        let n = self.sweep.len();
        // The ends repeat their edge value, so a point near 0.05 or 0.95 is
        // averaged over as many steps as one in the middle.
        let smoothed = |i: usize| {
            let k = TUNE_SMOOTHING_STEPS as isize;
            let sum: f64 = (-k..=k)
                .map(|d| self.sweep[(i as isize + d).clamp(0, n as isize - 1) as usize].f1)
                .sum();
            sum / (2 * k + 1) as f64
        };
        let distance = |i: usize| (self.sweep[i].threshold - DEFAULT_THRESHOLD).abs();
        let best = (0..n)
            .reduce(|best, i| {
                let (s, b) = (smoothed(i), smoothed(best));
                if s > b || (s == b && distance(i) < distance(best)) {
                    i
                } else {
                    best
                }
            })
            .expect("the sweep is not empty");
        self.sweep[best].threshold
    }
}

/// Label confusion over scored units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confusion {
    /// Row and column names: "none", then [`LABELS`].
    pub axis: Vec<String>,
    /// `matrix[gold][predicted]`: for each scored unit, one count for every
    /// combination of a gold label and a predicted label of that unit, where a
    /// side with no labels contributes "none". A unit with gold
    /// {twinned, break_called} and predicted {twinned} adds 1 to
    /// (twinned, twinned) and 1 to (break_called, twinned). (none, none)
    /// counts candidate pairs that are neither gold nor predicted.
    pub matrix: [[usize; 4]; 4],
    /// Exact label sets: how many units had this gold set and this predicted
    /// set ("none" for the empty set, labels joined with "+").
    pub label_sets: Vec<LabelSetCount>,
}

/// Number of scored units with one exact (gold set, predicted set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelSetCount {
    pub gold: String,
    pub predicted: String,
    pub count: usize,
}

/// False negative or false positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    FalseNegative,
    FalsePositive,
}

impl ErrorKind {
    /// "FN" or "FP".
    pub fn short(self) -> &'static str {
        match self {
            ErrorKind::FalseNegative => "FN",
            ErrorKind::FalsePositive => "FP",
        }
    }
}

/// One false negative or false positive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorEntry {
    pub doc: String,
    pub kind: ErrorKind,
    pub label: String,
    /// Names of the gold pair, as in the gold file (`None` for a predicted
    /// pair that matches no gold pair).
    pub gold_a: Option<Vec<String>>,
    pub gold_b: Option<Vec<String>>,
    /// "name" or "name/canonical" of the prediction with the highest score
    /// for this label, when the unit has a prediction record.
    pub pred_a: Option<String>,
    pub pred_b: Option<String>,
    /// Merged (maximum) scores of the unit's predictions, if any.
    pub scores: Option<Scores>,
    /// Distinct evidence texts of the unit's predictions.
    pub evidence: Vec<String>,
}

impl ErrorEntry {
    /// The pair as shown in tables: gold names for gold pairs, predicted
    /// name/canonical otherwise.
    pub fn pair_display(&self) -> String {
        match (&self.gold_a, &self.gold_b) {
            (Some(a), Some(b)) => format!("{} – {}", a.join("|"), b.join("|")),
            _ => format!(
                "{} – {}",
                self.pred_a.as_deref().unwrap_or("?"),
                self.pred_b.as_deref().unwrap_or("?")
            ),
        }
    }
}

/// Counts of what was scored and what was left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvalCounts {
    pub gold_docs: usize,
    /// Gold documents with no prediction record at all.
    pub gold_docs_without_predictions: usize,
    /// Gold pairs that are scored (not optional, not region).
    pub scored_gold_pairs: usize,
    /// Optional gold pairs (not region) left out.
    pub optional_gold_pairs: usize,
    /// Region gold pairs left out (optional or not).
    pub region_gold_pairs: usize,
    /// All prediction records given.
    pub prediction_records: usize,
    /// Records matched to a left-out (optional or region) gold pair.
    pub predictions_matching_excluded_gold: usize,
    /// Unmatched records with a region side, left out.
    pub unmatched_region_predictions: usize,
    /// Predicted pairs (after merging) that match no gold pair and are scored.
    pub unmatched_predicted_pairs: usize,
    /// Records whose doc id is not in the gold file (not scored).
    pub predictions_for_unknown_docs: usize,
    /// Distinct doc ids of those records.
    pub unknown_docs: usize,
}

/// Everything the evaluation computes. Serialises to JSON as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    pub labels: Vec<String>,
    #[serde(flatten)]
    pub counts: EvalCounts,
    pub overall: MetricsTable,
    /// By the gold document's `lang` ("unknown" when absent).
    pub by_lang: BTreeMap<String, MetricsTable>,
    /// By the gold document's `text_type` ("unknown" when absent).
    pub by_text_type: BTreeMap<String, MetricsTable>,
    pub curves: Vec<LabelCurve>,
    pub confusion: Confusion,
    /// Every FN and FP, in gold-file document order.
    pub errors: Vec<ErrorEntry>,
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/// A scored (doc, pair) unit.
struct Unit {
    doc: usize,
    gold_rel: Option<(usize, usize)>, // (group, relation) index
    gold: [bool; 3],
    pred: [bool; 3],
    scores: Option<[f32; 3]>,
    preds: Vec<usize>, // indices into the prediction slice
}

impl Unit {
    fn score(&self, l: usize) -> f32 {
        self.scores.map_or(0.0, |s| s[l])
    }
}

struct DocGroup<'a> {
    id: &'a str,
    lang: Option<&'a str>,
    text_type: Option<&'a str>,
    relations: Vec<&'a GoldRelation>,
}

fn label_flags(labels: &[String]) -> [bool; 3] {
    let mut f = [false; 3];
    for l in labels {
        if let Some(i) = label_index(l) {
            f[i] = true;
        }
    }
    f
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Scores predictions against gold documents (see the module docs for the
/// rules). Gold documents are expected to have unique ids (as [`load_gold`]
/// ensures); documents sharing an id are scored as one, with the relations of
/// all of them. Labels that are not in [`LABELS`] are ignored.
pub fn score(gold: &[GoldDoc], preds: &[Prediction]) -> EvalReport {
    // Group gold documents by id, keeping file order.
    let mut groups: Vec<DocGroup> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for d in gold {
        let g = *group_of.entry(d.doc.as_str()).or_insert_with(|| {
            groups.push(DocGroup {
                id: &d.doc,
                lang: d.lang.as_deref(),
                text_type: d.text_type.as_deref(),
                relations: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].relations.extend(d.relations.iter());
    }

    let mut counts = EvalCounts {
        gold_docs: groups.len(),
        prediction_records: preds.len(),
        ..Default::default()
    };

    // Predictions by gold group.
    let mut preds_of: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut unknown: HashMap<&str, usize> = HashMap::new();
    for (i, p) in preds.iter().enumerate() {
        match group_of.get(p.doc.as_str()) {
            Some(&g) => preds_of[g].push(i),
            None => *unknown.entry(p.doc.as_str()).or_default() += 1,
        }
    }
    counts.predictions_for_unknown_docs = unknown.values().sum();
    counts.unknown_docs = unknown.len();

    let mut units: Vec<Unit> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        if preds_of[g].is_empty() {
            counts.gold_docs_without_predictions += 1;
        }
        // Gold pair keys → first relation with that key.
        let mut key_to_rel: HashMap<(String, String), usize> = HashMap::new();
        let mut unit_of_rel: Vec<Option<usize>> = Vec::with_capacity(group.relations.len());
        for (r, rel) in group.relations.iter().enumerate() {
            for key in pair_keys(&fold_set(&rel.a), &fold_set(&rel.b)) {
                key_to_rel.entry(key).or_insert(r);
            }
            if rel.region {
                counts.region_gold_pairs += 1;
                unit_of_rel.push(None);
            } else if rel.optional {
                counts.optional_gold_pairs += 1;
                unit_of_rel.push(None);
            } else {
                counts.scored_gold_pairs += 1;
                unit_of_rel.push(Some(units.len()));
                units.push(Unit {
                    doc: g,
                    gold_rel: Some((g, r)),
                    gold: label_flags(&rel.labels),
                    pred: [false; 3],
                    scores: None,
                    preds: Vec::new(),
                });
            }
        }

        // Match predictions; collect the unmatched ones with their keys.
        let mut unmatched: Vec<(usize, Vec<(String, String)>)> = Vec::new();
        for &pi in &preds_of[g] {
            let p = &preds[pi];
            let keys = pair_keys(&p.a.folded(), &p.b.folded());
            let rel = keys.iter().filter_map(|k| key_to_rel.get(k)).min().copied();
            match rel {
                Some(r) => match unit_of_rel[r] {
                    Some(u) => units[u].preds.push(pi),
                    None => counts.predictions_matching_excluded_gold += 1,
                },
                None => {
                    if p.a.kind == PlaceKind::Region || p.b.kind == PlaceKind::Region {
                        counts.unmatched_region_predictions += 1;
                    } else {
                        unmatched.push((pi, keys));
                    }
                }
            }
        }

        // Group unmatched predictions that share a pair key (transitively).
        let mut parent: Vec<usize> = (0..unmatched.len()).collect();
        let mut first_with_key: HashMap<&(String, String), usize> = HashMap::new();
        for (i, (_, keys)) in unmatched.iter().enumerate() {
            for k in keys {
                match first_with_key.get(k) {
                    Some(&j) => {
                        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                        if ri != rj {
                            parent[ri.max(rj)] = ri.min(rj);
                        }
                    }
                    None => {
                        first_with_key.insert(k, i);
                    }
                }
            }
        }
        let mut unit_of_root: HashMap<usize, usize> = HashMap::new();
        for (i, (pi, _)) in unmatched.iter().enumerate() {
            let root = find(&mut parent, i);
            let u = *unit_of_root.entry(root).or_insert_with(|| {
                units.push(Unit {
                    doc: g,
                    gold_rel: None,
                    gold: [false; 3],
                    pred: [false; 3],
                    scores: None,
                    preds: Vec::new(),
                });
                units.len() - 1
            });
            units[u].preds.push(*pi);
        }
        counts.unmatched_predicted_pairs += unit_of_root.len();
    }

    // Merge the predictions of each unit: union of labels, max of scores.
    for u in &mut units {
        for &pi in &u.preds {
            let p = &preds[pi];
            let f = label_flags(&p.labels);
            for (dst, src) in u.pred.iter_mut().zip(f) {
                *dst |= src;
            }
            let s = u.scores.get_or_insert([0.0; 3]);
            for (dst, src) in s.iter_mut().zip(p.scores) {
                *dst = dst.max(src);
            }
        }
    }

    let overall = MetricsTable::from_units(groups.len(), units.iter());
    let breakdown = |key: &dyn Fn(&DocGroup) -> Option<String>| {
        let mut map: BTreeMap<String, MetricsTable> = BTreeMap::new();
        let keys: Vec<String> = groups
            .iter()
            .map(|g| key(g).unwrap_or_else(|| "unknown".to_string()))
            .collect();
        let mut distinct = keys.clone();
        distinct.sort();
        distinct.dedup();
        for k in distinct {
            let docs = keys.iter().filter(|x| **x == k).count();
            let table = MetricsTable::from_units(docs, units.iter().filter(|u| keys[u.doc] == k));
            map.insert(k, table);
        }
        map
    };
    let by_lang = breakdown(&|g| g.lang.map(str::to_string));
    let by_text_type = breakdown(&|g| g.text_type.map(str::to_string));

    let curves = (0..3).map(|l| label_curve(l, &units)).collect();
    let confusion = confusion(&units);

    // Error list.
    let mut errors = Vec::new();
    for u in &units {
        for (l, label) in LABELS.iter().enumerate() {
            let kind = match (u.gold[l], u.pred[l]) {
                (true, false) => ErrorKind::FalseNegative,
                (false, true) => ErrorKind::FalsePositive,
                _ => continue,
            };
            let rel = u.gold_rel.map(|(g, r)| groups[g].relations[r]);
            let best = u
                .preds
                .iter()
                .map(|&i| &preds[i])
                .max_by(|x, y| x.scores[l].total_cmp(&y.scores[l]));
            let mut evidence: Vec<String> = Vec::new();
            for &pi in &u.preds {
                for e in &preds[pi].evidence {
                    if !evidence.contains(&e.text) {
                        evidence.push(e.text.clone());
                    }
                }
            }
            errors.push(ErrorEntry {
                doc: groups[u.doc].id.to_string(),
                kind,
                label: label.to_string(),
                gold_a: rel.map(|r| r.a.clone()),
                gold_b: rel.map(|r| r.b.clone()),
                pred_a: best.map(|p| p.a.display()),
                pred_b: best.map(|p| p.b.display()),
                scores: u.scores.map(Scores::from),
                evidence,
            });
        }
    }

    EvalReport {
        labels: LABELS.iter().map(|s| s.to_string()).collect(),
        counts,
        overall,
        by_lang,
        by_text_type,
        curves,
        confusion,
        errors,
    }
}

fn label_curve(l: usize, units: &[Unit]) -> LabelCurve {
    let mut pts: Vec<(f32, bool)> = units.iter().map(|u| (u.score(l), u.gold[l])).collect();
    let positives = pts.iter().filter(|p| p.1).count();
    pts.sort_by(|x, y| y.0.total_cmp(&x.0));

    let mut pr_curve = Vec::new();
    let mut average_precision = 0.0;
    let (mut tp, mut fp, mut prev_recall) = (0usize, 0usize, 0.0f64);
    let mut i = 0;
    while i < pts.len() && pts[i].0 > 0.0 {
        let s = pts[i].0;
        while i < pts.len() && pts[i].0 == s {
            if pts[i].1 {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, positives);
        average_precision += (recall - prev_recall) * precision;
        prev_recall = recall;
        pr_curve.push(PrPoint {
            threshold: s,
            precision,
            recall,
        });
    }

    let sweep: Vec<SweepPoint> = sweep_thresholds()
        .into_iter()
        .map(|t| {
            let tp = pts.iter().filter(|p| p.1 && p.0 >= t).count();
            let fp = pts.iter().filter(|p| !p.1 && p.0 >= t).count();
            let m = LabelMetrics::from_counts(LABELS[l], tp, fp, positives - tp);
            SweepPoint {
                threshold: t,
                tp,
                fp,
                fn_: m.fn_,
                precision: m.precision,
                recall: m.recall,
                f1: m.f1,
            }
        })
        .collect();
    let mut best: Option<SweepPoint> = None;
    for p in &sweep {
        if p.f1 > best.as_ref().map_or(0.0, |b| b.f1) {
            best = Some(p.clone());
        }
    }

    LabelCurve {
        label: LABELS[l].to_string(),
        positives,
        units: units.len(),
        pr_curve,
        average_precision,
        sweep,
        best,
    }
}

fn set_name(flags: &[bool; 3]) -> String {
    let v: Vec<&str> = (0..3).filter(|&l| flags[l]).map(|l| LABELS[l]).collect();
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join("+")
    }
}

fn confusion(units: &[Unit]) -> Confusion {
    let mut matrix = [[0usize; 4]; 4];
    let mut sets: BTreeMap<(String, String), usize> = BTreeMap::new();
    let axis_of = |flags: &[bool; 3]| -> Vec<usize> {
        let v: Vec<usize> = (0..3).filter(|&l| flags[l]).map(|l| l + 1).collect();
        if v.is_empty() {
            vec![0]
        } else {
            v
        }
    };
    for u in units {
        for g in axis_of(&u.gold) {
            for p in axis_of(&u.pred) {
                matrix[g][p] += 1;
            }
        }
        *sets
            .entry((set_name(&u.gold), set_name(&u.pred)))
            .or_default() += 1;
    }
    let mut axis = vec!["none".to_string()];
    axis.extend(LABELS.iter().map(|s| s.to_string()));
    Confusion {
        axis,
        matrix,
        label_sets: sets
            .into_iter()
            .map(|((gold, predicted), count)| LabelSetCount {
                gold,
                predicted,
                count,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------
// Terminal table
// ---------------------------------------------------------------------------

impl EvalReport {
    /// Terminal table with the first [`TABLE_ERRORS`] errors.
    pub fn to_table(&self) -> String {
        self.to_table_with_errors(TABLE_ERRORS)
    }

    /// Terminal table: per-label counts and P/R/F1, micro and macro, the
    /// breakdowns by lang and text type, best sweep thresholds, what was left
    /// out, then the first `max_errors` errors.
    pub fn to_table_with_errors(&self, max_errors: usize) -> String {
        let mut s = String::new();
        let c = &self.counts;
        let _ = writeln!(
            s,
            "{} gold docs, {} scored gold pairs, {} unmatched predicted pairs, {} prediction records",
            c.gold_docs, c.scored_gold_pairs, c.unmatched_predicted_pairs, c.prediction_records
        );
        s.push('\n');
        write_metrics(&mut s, &self.overall, "");
        for (name, map) in [("lang", &self.by_lang), ("text_type", &self.by_text_type)] {
            for (key, table) in map {
                let _ = writeln!(
                    s,
                    "\n{name} = {key} ({} docs, {} scored pairs)",
                    table.docs, table.scored_pairs
                );
                write_metrics(&mut s, table, "  ");
            }
        }

        s.push_str("\nbest threshold on the sweep (score >= t):\n");
        for curve in &self.curves {
            match &curve.best {
                Some(b) => {
                    let _ = writeln!(
                        s,
                        "  {:<13} t={:.2}  P={:.4} R={:.4} F1={:.4}  (AP {:.4})",
                        curve.label,
                        b.threshold,
                        b.precision,
                        b.recall,
                        b.f1,
                        curve.average_precision
                    );
                }
                None => {
                    let _ = writeln!(s, "  {:<13} no threshold gives F1 > 0", curve.label);
                }
            }
        }

        s.push_str("\nleft out:\n");
        let _ = writeln!(
            s,
            "  {} optional and {} region gold pairs; {} predictions matching them; {} unmatched region predictions",
            c.optional_gold_pairs,
            c.region_gold_pairs,
            c.predictions_matching_excluded_gold,
            c.unmatched_region_predictions
        );
        let _ = writeln!(
            s,
            "  predictions_for_unknown_docs: {} ({} doc ids not in the gold file)",
            c.predictions_for_unknown_docs, c.unknown_docs
        );
        if c.prediction_records > 0 && c.predictions_for_unknown_docs == c.prediction_records {
            s.push_str("  WARNING: no prediction has a doc id of the gold file\n");
        }

        let _ = writeln!(
            s,
            "\nerrors ({} FN, {} FP){}:",
            self.overall.micro.fn_,
            self.overall.micro.fp,
            if self.errors.len() > max_errors {
                format!(", first {max_errors}")
            } else {
                String::new()
            }
        );
        for e in self.errors.iter().take(max_errors) {
            let scores = e.scores.map_or_else(
                || "no prediction".to_string(),
                |sc| {
                    format!(
                        "scores t={:.2} p={:.2} b={:.2}",
                        sc.twinned, sc.proposed, sc.break_called
                    )
                },
            );
            let _ = writeln!(
                s,
                "  {} {:<12} {}  {}  [{}]",
                e.kind.short(),
                e.label,
                e.doc,
                e.pair_display(),
                scores
            );
            if let Some(ev) = e.evidence.first() {
                let _ = writeln!(s, "       evidence: {}", shorten(ev, 160));
            }
        }
        if self.errors.len() > max_errors {
            let _ = writeln!(s, "  ... {} more", self.errors.len() - max_errors);
        }
        s
    }
}

fn write_metrics(s: &mut String, t: &MetricsTable, indent: &str) {
    let _ = writeln!(
        s,
        "{indent}{:<13} {:>5} {:>5} {:>5} {:>9} {:>7} {:>7}",
        "label", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for m in t.per_label.iter().chain(std::iter::once(&t.micro)) {
        let _ = writeln!(
            s,
            "{indent}{:<13} {:>5} {:>5} {:>5} {:>9.4} {:>7.4} {:>7.4}",
            m.label, m.tp, m.fp, m.fn_, m.precision, m.recall, m.f1
        );
    }
    let _ = writeln!(
        s,
        "{indent}{:<13} {:>5} {:>5} {:>5} {:>9.4} {:>7.4} {:>7.4}",
        "macro", "", "", "", t.macro_avg.precision, t.macro_avg.recall, t.macro_avg.f1
    );
}

fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max).collect();
        t.push('…');
        t
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: &[&str], b: &[&str], labels: &[&str]) -> GoldRelation {
        GoldRelation {
            a: a.iter().map(|s| s.to_string()).collect(),
            b: b.iter().map(|s| s.to_string()).collect(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            optional: false,
            region: false,
        }
    }

    fn doc(id: &str, relations: Vec<GoldRelation>) -> GoldDoc {
        GoldDoc {
            doc: id.into(),
            lang: None,
            text_type: None,
            relations,
        }
    }

    fn place(name: &str, canonical: &str) -> PredPlace {
        PredPlace {
            name: name.into(),
            canonical: canonical.into(),
            geonames_id: None,
            country: String::new(),
            kind: PlaceKind::City,
        }
    }

    fn pred(d: &str, a: PredPlace, b: PredPlace, labels: &[&str], scores: [f32; 3]) -> Prediction {
        Prediction {
            doc: d.into(),
            a,
            b,
            labels: labels.iter().map(|s| s.to_string()).collect(),
            scores,
            evidence: vec![],
        }
    }

    fn tpfpfn(r: &EvalReport, label: &str) -> (usize, usize, usize) {
        let m = r.overall.label(label).unwrap();
        (m.tp, m.fp, m.fn_)
    }

    fn write_tmp(content: &str) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content.as_bytes()).unwrap();
        f
    }

    #[test]
    fn fold_name_handles_diacritics_and_special_letters() {
        assert_eq!(fold_name("Kraków"), "krakow");
        assert_eq!(fold_name("Düsseldorf"), "dusseldorf");
        assert_eq!(fold_name("Łódź"), "lodz");
        assert_eq!(fold_name("Wrocław"), "wroclaw");
        assert_eq!(fold_name("Tromsø"), "tromso");
        assert_eq!(fold_name("Đakovo"), "dakovo");
        assert_eq!(fold_name("Gießen"), "giessen");
        assert_eq!(fold_name("GIEẞEN"), "giessen");
        assert_eq!(fold_name("Ærøskøbing"), "aeroskobing");
        assert_eq!(fold_name("Œuf"), "oeuf");
        assert_eq!(fold_name("Diyarbakır"), "diyarbakir");
        assert_eq!(fold_name("İzmir"), "izmir");
        assert_eq!(fold_name("  San \t Jose\u{a0} "), "san jose");
        assert_eq!(fold_name("ﬁnale"), "finale"); // NFKD ligature
        assert_eq!(fold_name("Київ"), "\u{43a}\u{438}\u{456}\u{432}"); // ї → і + mark
        assert_ne!(fold_name("Kyiv"), fold_name("Kiev"));
    }

    #[test]
    fn metrics_are_zero_when_undefined() {
        let m = LabelMetrics::from_counts("x", 0, 0, 0);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        let m = LabelMetrics::from_counts("x", 0, 3, 0);
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        let m = LabelMetrics::from_counts("x", 1, 1, 3);
        assert_eq!(m.precision, 0.5);
        assert_eq!(m.recall, 0.25);
        assert!((m.f1 - 2.0 * 0.5 * 0.25 / 0.75).abs() < 1e-12);
    }

    #[test]
    fn swapped_sides_and_canonical_names_match() {
        let gold = vec![doc(
            "d",
            vec![rel(
                &["Coventry"],
                &["Volgograd", "Stalingrad"],
                &["twinned"],
            )],
        )];
        let preds = vec![pred(
            "d",
            place("Wolgograd", "Volgograd"),
            place("COVENTRY", ""),
            &["twinned"],
            [0.9, 0.0, 0.0],
        )];
        let r = score(&gold, &preds);
        assert_eq!(tpfpfn(&r, "twinned"), (1, 0, 0));
        assert!(r.errors.is_empty());
    }

    #[test]
    fn one_side_matching_is_not_a_match() {
        let gold = vec![doc(
            "d",
            vec![rel(&["Coventry"], &["Volgograd"], &["twinned"])],
        )];
        let preds = vec![pred(
            "d",
            place("Coventry", ""),
            place("Dresden", ""),
            &["twinned"],
            [0.9, 0.0, 0.0],
        )];
        let r = score(&gold, &preds);
        assert_eq!(tpfpfn(&r, "twinned"), (0, 1, 1));
        assert_eq!(r.errors.len(), 2);
        let fp = r
            .errors
            .iter()
            .find(|e| e.kind == ErrorKind::FalsePositive)
            .unwrap();
        assert_eq!(fp.gold_a, None);
        assert_eq!(fp.pred_b.as_deref(), Some("Dresden"));
    }

    #[test]
    fn merging_matched_predictions_unions_labels_and_maxes_scores() {
        let gold = vec![doc(
            "d",
            vec![rel(&["A"], &["B"], &["twinned", "break_called"])],
        )];
        let preds = vec![
            pred(
                "d",
                place("A", ""),
                place("B", ""),
                &["twinned"],
                [0.9, 0.1, 0.2],
            ),
            pred(
                "d",
                place("b", ""),
                place("a", ""),
                &["break_called"],
                [0.6, 0.3, 0.7],
            ),
        ];
        let r = score(&gold, &preds);
        assert_eq!(tpfpfn(&r, "twinned"), (1, 0, 0));
        assert_eq!(tpfpfn(&r, "break_called"), (1, 0, 0));
        assert_eq!(r.overall.scored_pairs, 1);
        let c = &r.curves[2];
        assert_eq!(c.pr_curve.len(), 1);
        assert_eq!(c.pr_curve[0].threshold, 0.7);
    }

    #[test]
    fn unmatched_predictions_merge_transitively_through_canonical_names() {
        let gold = vec![doc("d", vec![])];
        let preds = vec![
            pred(
                "d",
                place("Kiev", "Kyiv"),
                place("Lyon", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
            pred(
                "d",
                place("Lyon", ""),
                place("Kiev", ""),
                &["twinned"],
                [0.8, 0.0, 0.0],
            ),
            pred(
                "d",
                place("Kyiv", ""),
                place("Lyon", ""),
                &["proposed"],
                [0.1, 0.6, 0.0],
            ),
            pred(
                "d",
                place("Kyiv", ""),
                place("Paris", ""),
                &["twinned"],
                [0.7, 0.0, 0.0],
            ),
        ];
        let r = score(&gold, &preds);
        assert_eq!(r.counts.unmatched_predicted_pairs, 2);
        assert_eq!(tpfpfn(&r, "twinned"), (0, 2, 0));
        assert_eq!(tpfpfn(&r, "proposed"), (0, 1, 0));
    }

    #[test]
    fn optional_and_region_pairs_are_left_out() {
        let mut opt = rel(&["Moscow"], &["Los Angeles"], &["twinned"]);
        opt.optional = true;
        let mut region = rel(&["Leningrad Oblast"], &["Maryland"], &["twinned"]);
        region.region = true;
        let gold = vec![doc("d", vec![opt, region])];
        let mut reg_a = place("Moscow Oblast", "");
        reg_a.kind = PlaceKind::Region;
        let preds = vec![
            pred(
                "d",
                place("Los Angeles", ""),
                place("Moscow", ""),
                &["proposed"],
                [0.2, 0.8, 0.0],
            ),
            pred(
                "d",
                place("Maryland", ""),
                place("Leningrad Oblast", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
            pred(
                "d",
                reg_a,
                place("Coventry", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
        ];
        let r = score(&gold, &preds);
        for l in LABELS {
            assert_eq!(tpfpfn(&r, l), (0, 0, 0));
        }
        assert_eq!(r.overall.scored_pairs, 0);
        assert_eq!(r.counts.optional_gold_pairs, 1);
        assert_eq!(r.counts.region_gold_pairs, 1);
        assert_eq!(r.counts.predictions_matching_excluded_gold, 2);
        assert_eq!(r.counts.unmatched_region_predictions, 1);
    }

    #[test]
    fn region_prediction_matching_a_scored_gold_pair_is_scored() {
        let gold = vec![doc("d", vec![rel(&["Lviv"], &["Wrocław"], &["proposed"])])];
        let mut a = place("Lviv", "");
        a.kind = PlaceKind::Region;
        let preds = vec![pred(
            "d",
            a,
            place("Wroclaw", ""),
            &["proposed"],
            [0.0, 0.9, 0.0],
        )];
        assert_eq!(tpfpfn(&score(&gold, &preds), "proposed"), (1, 0, 0));
    }

    #[test]
    fn unknown_docs_are_counted_not_scored() {
        let gold = vec![doc("d", vec![rel(&["A"], &["B"], &["twinned"])])];
        let preds = vec![
            pred(
                "x",
                place("A", ""),
                place("B", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
            pred(
                "x",
                place("C", ""),
                place("B", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
            pred("y", place("C", ""), place("B", ""), &[], [0.1, 0.0, 0.0]),
        ];
        let r = score(&gold, &preds);
        assert_eq!(r.counts.predictions_for_unknown_docs, 3);
        assert_eq!(r.counts.unknown_docs, 2);
        assert_eq!(r.counts.gold_docs_without_predictions, 1);
        assert_eq!(tpfpfn(&r, "twinned"), (0, 0, 1));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["predictions_for_unknown_docs"], 3);
        assert!(r.to_table().contains("WARNING"));
    }

    #[test]
    fn sweep_thresholds_are_exact_and_inclusive() {
        let t = sweep_thresholds();
        assert_eq!(t.len(), 19);
        assert_eq!(t[0], 0.05);
        assert_eq!(t[6], 0.35);
        assert_eq!(t[18], 0.95);
        let gold = vec![doc(
            "d",
            vec![
                rel(&["A"], &["B"], &["twinned"]),
                rel(&["A"], &["C"], &["twinned"]),
            ],
        )];
        let preds = vec![
            pred("d", place("A", ""), place("B", ""), &[], [0.35, 0.0, 0.0]),
            pred("d", place("A", ""), place("D", ""), &[], [0.7, 0.0, 0.0]),
        ];
        let r = score(&gold, &preds);
        let c = &r.curves[0];
        let at = |th: f32| c.sweep.iter().find(|p| p.threshold == th).unwrap().clone();
        let p = at(0.35);
        assert_eq!((p.tp, p.fp, p.fn_), (1, 1, 1));
        let p = at(0.4);
        assert_eq!((p.tp, p.fp, p.fn_), (0, 1, 2));
        // best: lowest threshold of max F1 (0.05..0.35 all have F1 = 0.5)
        let best = c.best.as_ref().unwrap();
        assert_eq!(best.threshold, 0.05);
        assert_eq!(best.f1, 0.5);
        // PR curve: 0.7 (neg) then 0.35 (pos); the unpredicted positive keeps recall < 1
        assert_eq!(c.pr_curve.len(), 2);
        assert_eq!((c.pr_curve[0].precision, c.pr_curve[0].recall), (0.0, 0.0));
        assert_eq!((c.pr_curve[1].precision, c.pr_curve[1].recall), (0.5, 0.5));
        assert_eq!(c.average_precision, 0.25);
        assert!(r.curves[1].best.is_none());
    }

    fn curve_with_f1(positives: usize, f1: &[f64]) -> LabelCurve {
        LabelCurve {
            label: "twinned".into(),
            positives,
            units: 100,
            pr_curve: vec![],
            average_precision: 0.0,
            sweep: sweep_thresholds()
                .into_iter()
                .zip(f1)
                .map(|(threshold, &f1)| SweepPoint {
                    threshold,
                    tp: 0,
                    fp: 0,
                    fn_: 0,
                    precision: 0.0,
                    recall: 0.0,
                    f1,
                })
                .collect(),
            best: None,
        }
    }

    #[test]
    fn tuned_threshold_prefers_a_plateau_to_a_lone_peak() {
        // 0.05 .. 0.95: a plateau of 0.7 over 0.35..0.65, a lone 0.8 at 0.90
        let mut f1 = vec![0.3; 19];
        for v in &mut f1[6..13] {
            *v = 0.7;
        }
        f1[17] = 0.8;
        let c = curve_with_f1(40, &f1);
        assert_eq!(c.tuned_threshold(), 0.5);
        // a plateau over 0.55..0.85: of its flat middle (0.65..0.75), the
        // point nearest 0.5, not the plateau's lowest point
        let mut f1 = vec![0.3; 19];
        for v in &mut f1[10..17] {
            *v = 0.7;
        }
        assert_eq!(curve_with_f1(40, &f1).tuned_threshold(), 0.65);
        // a plateau at the low end (0.05..0.25): the ends are not favoured
        let mut f1 = vec![0.0; 19];
        for v in &mut f1[..5] {
            *v = 1.0;
        }
        assert_eq!(curve_with_f1(40, &f1).tuned_threshold(), 0.15);
    }

    #[test]
    fn tuned_threshold_keeps_the_default_without_evidence() {
        let mut f1 = vec![0.0; 19];
        for v in &mut f1[..5] {
            *v = 1.0;
        }
        assert_eq!(
            curve_with_f1(TUNE_MIN_POSITIVES - 1, &f1).tuned_threshold(),
            DEFAULT_THRESHOLD
        );
        assert_eq!(
            curve_with_f1(TUNE_MIN_POSITIVES, &f1).tuned_threshold(),
            0.15
        );
        assert_eq!(
            curve_with_f1(40, &[0.0; 19]).tuned_threshold(),
            DEFAULT_THRESHOLD
        );
    }

    #[test]
    fn confusion_counts_label_combinations() {
        let gold = vec![doc(
            "d",
            vec![rel(&["A"], &["B"], &["twinned", "break_called"])],
        )];
        let preds = vec![
            pred(
                "d",
                place("A", ""),
                place("B", ""),
                &["twinned"],
                [0.9, 0.0, 0.0],
            ),
            pred("d", place("A", ""), place("C", ""), &[], [0.1, 0.0, 0.0]),
        ];
        let c = score(&gold, &preds).confusion;
        assert_eq!(c.matrix[1][1], 1);
        assert_eq!(c.matrix[3][1], 1);
        assert_eq!(c.matrix[0][0], 1);
        assert_eq!(c.matrix.iter().flatten().sum::<usize>(), 3);
        assert!(c
            .label_sets
            .iter()
            .any(|s| s.gold == "twinned+break_called" && s.predicted == "twinned" && s.count == 1));
    }

    #[test]
    fn gold_loader_reads_format_and_rejects_bad_lines() {
        let f = write_tmp(concat!(
            "{\"doc\":\"a\",\"text\":\"ignored\",\"lang\":\"en\",\"relations\":[{\"a\":[\"X\"],\"b\":[\"Y\"],\"labels\":[\"twinned\"]},",
            "{\"a\":[\"R\"],\"b\":[\"S\"],\"labels\":[\"twinned\"],\"optional\":true,\"kind\":\"region\"}],\"extra\":1}\n",
            "\n",
            "{\"doc\":\"b\",\"relations\":[]}\n"
        ));
        let g = load_gold(f.path()).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].lang.as_deref(), Some("en"));
        assert!(g[0].relations[1].region && g[0].relations[1].optional);
        // round trip through serde
        let s = serde_json::to_string(&g[0]).unwrap();
        assert!(s.contains("\"kind\":\"region\""));
        let back: GoldDoc = serde_json::from_str(&s).unwrap();
        assert_eq!(back, g[0]);

        let cases = [
            ("{\"doc\":\"a\",\"relations\":[]}\n{\"doc\":\"a\",\"relations\":[]}\n", 2, "duplicate doc id"),
            ("{\"doc\":\"a\",\"relations\":[{\"a\":[\"X\"],\"b\":[\"Y\"],\"labels\":[\"twined\"]}]}\n", 1, "unknown label"),
            ("{\"doc\":\"a\",\"relations\":[{\"a\":[],\"b\":[\"Y\"],\"labels\":[\"twinned\"]}]}\n", 1, "no names"),
            ("{\"doc\":\"a\",\"relations\":[{\"a\":[\"X\"],\"b\":[\"Y\"],\"labels\":[]}]}\n", 1, "no labels"),
            ("{\"doc\":\"a\",\"relations\":[{\"a\":[\"X\"],\"b\":[\"Y\"],\"labels\":[\"twinned\"],\"kind\":\"oblast\"}]}\n", 1, "unknown kind"),
            ("{\"doc\":\"a\",\"relations\":[{\"a\":[\"Kraków\"],\"b\":[\"Y\"],\"labels\":[\"twinned\"]},{\"a\":[\"Y\"],\"b\":[\"Krakow\"],\"labels\":[\"proposed\"]}]}\n", 1, "same pair"),
            ("\n\n{\"doc\":\"a\"}\n", 3, "relations"),
        ];
        for (content, line, needle) in cases {
            let f = write_tmp(content);
            let err = load_gold(f.path()).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(&format!("line {line}")), "{msg}");
            assert!(msg.contains(needle), "{msg}");
            assert!(msg.contains(&f.path().display().to_string()), "{msg}");
        }
    }

    #[test]
    fn prediction_loader_reads_schema_and_rejects_bad_lines() {
        let good = r#"{"doc":"d","a":{"name":"Kraków","canonical":"Kraków","geonames_id":3094802,"country":"PL","kind":"city"},"b":{"name":"Leningrad Oblast","canonical":null,"geonames_id":null,"country":null,"kind":"region"},"labels":["twinned"],"scores":{"twinned":0.9,"proposed":0.1,"break_called":0.0},"evidence":[{"text":"x","start":0,"end":1}]}"#;
        let f = write_tmp(&format!("{good}\n"));
        let p = load_predictions(f.path()).unwrap();
        assert_eq!(p[0].scores, [0.9, 0.1, 0.0]);
        assert_eq!(p[0].b.kind, PlaceKind::Region);
        assert_eq!(p[0].b.canonical, "");
        assert_eq!(p[0].a.geonames_id, Some(3094802));
        let s = serde_json::to_string(&p[0]).unwrap();
        assert!(s.contains("\"scores\":{\"twinned\":0.9"));
        let back: Prediction = serde_json::from_str(&s).unwrap();
        assert_eq!(back, p[0]);

        let cases = [
            (
                good.replace("[\"twinned\"]", "[\"sister\"]"),
                "unknown label",
            ),
            (
                good.replace("\"proposed\":0.1", "\"propsed\":0.1"),
                "propsed",
            ),
            (good.replace(",\"break_called\":0.0", ""), "break_called"),
            (good.replace("0.9", "1.5"), "not in [0, 1]"),
            (
                good.replace("\"kind\":\"city\"", "\"kind\":\"town\""),
                "town",
            ),
        ];
        for (bad, needle) in cases {
            let f = write_tmp(&format!("{good}\n{good}\n{bad}\n"));
            let err = load_predictions(f.path()).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("line 3"), "{msg}");
            assert!(msg.contains(needle), "{msg}");
        }
    }

    #[test]
    fn missing_file_is_an_io_error_naming_it() {
        let err = load_gold(Path::new("/nonexistent/gold.jsonl")).unwrap_err();
        assert!(matches!(err, EvalError::Io { .. }));
        assert!(err.to_string().contains("/nonexistent/gold.jsonl"));
    }

    #[test]
    fn table_lists_errors_and_breakdowns() {
        let mut d = doc("d", vec![rel(&["A"], &["B"], &["twinned"])]);
        d.lang = Some("uk".into());
        let r = score(&[d], &[]);
        let t = r.to_table();
        assert!(t.contains("lang = uk"), "{t}");
        assert!(t.contains("text_type = unknown"), "{t}");
        assert!(t.contains("FN twinned"), "{t}");
        assert!(t.contains("A – B"), "{t}");
    }
}
