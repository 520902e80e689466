//! Scoring of a tiny hand-computed fixture (tests/data/eval/).
//!
//! Gold (tests/data/eval/gold.jsonl):
//!   d1 (en, news)   R1 Coventry – Volgograd|Stalingrad      twinned
//!                   R2 Kraków – Nuremberg|Nürnberg          twinned, break_called
//!                   R3 Moscow – Los Angeles                 twinned, optional   (left out)
//!                   R4 Leningrad Oblast – Maryland          twinned, region     (left out)
//!   d2 (de, news)   R1 Düsseldorf – Reading                 twinned
//!                   R2 Kharkiv|Kharkov – Tucson             proposed
//!                   R3 Lviv – Wrocław                       proposed
//!   d3 (no lang / text_type)  relations: []
//!   d4 (en, blog)   R1 Chicago – Moscow                     twinned, break_called
//!   d5 (uk, news)   R1 Kharkiv|Kharkov – Belgorod           twinned, break_called
//!
//! Predictions (tests/data/eval/predictions.jsonl), scores as (t, p, b):
//!   p1  d1 Stalingrad/Volgograd – Coventry   [twinned]           (.92 .05 .10) → d1R1 (alias, swapped)
//!   p2  d1 Volgograd – Coventry              [twinned, proposed] (.80 .60 .05) → d1R1, merged with p1
//!   p3  d1 Nurnberg/Nuremberg – Krakow       [twinned]           (.90 .10 .40) → d1R2 (diacritics, swapped)
//!   p4  d1 Los Angeles – Moscow              [proposed]                        → optional R3: ignored
//!   p5  d1 Leningrad Oblast – Maryland (regions) [twinned]                     → region R4: ignored
//!   p6  d1 Moscow Oblast (region) – Coventry [twinned]                         → unmatched region: ignored
//!   p7  d2 Reading – Duesseldorf/Dusseldorf  [twinned]           (.85 .20 .05) → d2R1 via canonical
//!   p8  d2 Wroclaw – Lviv                    [proposed]          (.30 .75 .02) → d2R3 (ł)
//!   p9  d2 Berlin – Paris                    [twinned]           (.70 .20 .10) → unmatched pair BP
//!   p10 d2 PARIS – berlin                    [proposed]          (.40 .55 .10) → merged into BP
//!   p11 d2 Reading – Berlin                  []                  (.20 .10 .05) → unmatched pair RB, no labels
//!   p12 d2 Kharkov/Kharkiv – Tucson          []                  (.10 .45 .00) → d2R2, nothing predicted
//!   p13 d3 Lviv – Wrocław                    [twinned]           (.65 .30 .10) → unmatched in empty doc
//!   p14 d5 Belgorod – Kharkov/Kharkiv        [twinned, break_called] (.95 .05 .88) → d5R1
//!   p15 zzz.txt Oslo – Bergen                [twinned]                         → unknown doc
//!
//! Scored units (gold labels / predicted labels):
//!   d1R1 {t}/{t,p}  d1R2 {t,b}/{t}  d2R1 {t}/{t}  d2R2 {p}/{}  d2R3 {p}/{p}
//!   BP {}/{t,p}  RB {}/{}  d3 LW {}/{t}  d4R1 {t,b}/{}  d5R1 {t,b}/{t,b}
//!
//! twinned:      TP d1R1 d1R2 d2R1 d5R1 = 4; FP BP, d3 = 2; FN d4 = 1
//!               P = 4/6, R = 4/5, F1 = 8/(8+2+1) = 8/11
//! proposed:     TP d2R3 = 1; FP d1R1, BP = 2; FN d2R2 = 1
//!               P = 1/3, R = 1/2, F1 = 2/(2+2+1) = 2/5
//! break_called: TP d5R1 = 1; FP 0; FN d1R2, d4 = 2
//!               P = 1, R = 1/3, F1 = 2/(2+0+2) = 1/2
//! micro:        TP 6, FP 4, FN 4 → P = R = F1 = 0.6
//! macro:        F1 = (8/11 + 2/5 + 1/2) / 3 = 0.542424...
//!               P = (2/3 + 1/3 + 1) / 3 = 2/3;  R = (4/5 + 1/2 + 1/3) / 3 = 49/90
//!
//! Curves (unit score = max over its predictions, 0 without one):
//!   twinned scores: pos .92 .90 .85 .95 0(d4); neg .10 .30 .70 .20 .65
//!     AP = 4 × (1/5 × 1) = 0.8; sweep t=.70 → tp 4 fp 1 (0.70 >= 0.70);
//!     t=.75..=.85 → tp 4 fp 0 fn 1, F1 = 8/9 (best, lowest t = 0.75)
//!   proposed scores: pos .45 .75; neg .60 .10 .20 .55 .10 .30 0 .05
//!     AP = 1/2 × 1 + 1/2 × 2/4 = 0.75; best F1 = 2/3 first reached at t = 0.35
//!   break_called scores: pos .40 0(d4) .88; neg .10 .05 0 .02 .10 .05 .10
//!     AP = 1/3 + 1/3 = 2/3; t=.10 → tp 2 fp 3; t=.15 → tp 2 fp 0, F1 = 4/5 (best)

use std::io::Write;
use std::path::{Path, PathBuf};

use twinrel::eval::{
    load_gold, load_predictions, report::write_report, score, ErrorKind, EvalError, EvalReport,
    MetricsTable,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eval")
        .join(name)
}

fn fixture_report() -> EvalReport {
    let gold = load_gold(&data("gold.jsonl")).expect("gold loads");
    let preds = load_predictions(&data("predictions.jsonl")).expect("predictions load");
    assert_eq!(gold.len(), 5);
    assert_eq!(preds.len(), 15);
    score(&gold, &preds)
}

fn counts(t: &MetricsTable, label: &str) -> (usize, usize, usize) {
    let m = t.label(label).unwrap();
    (m.tp, m.fp, m.fn_)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn per_label_counts_and_metrics() {
    let r = fixture_report();
    let t = &r.overall;
    assert_eq!(counts(t, "twinned"), (4, 2, 1));
    assert_eq!(counts(t, "proposed"), (1, 2, 1));
    assert_eq!(counts(t, "break_called"), (1, 0, 2));

    let tw = t.label("twinned").unwrap();
    close(tw.precision, 4.0 / 6.0);
    close(tw.recall, 4.0 / 5.0);
    close(tw.f1, 8.0 / 11.0);
    let pr = t.label("proposed").unwrap();
    close(pr.precision, 1.0 / 3.0);
    close(pr.recall, 0.5);
    close(pr.f1, 0.4);
    let br = t.label("break_called").unwrap();
    close(br.precision, 1.0);
    close(br.recall, 1.0 / 3.0);
    close(br.f1, 0.5);

    assert_eq!((t.micro.tp, t.micro.fp, t.micro.fn_), (6, 4, 4));
    close(t.micro.precision, 0.6);
    close(t.micro.recall, 0.6);
    close(t.micro.f1, 0.6);
    close(t.macro_avg.f1, (8.0 / 11.0 + 0.4 + 0.5) / 3.0);
    close(t.macro_avg.f1, 0.542_424_242_424_242_4);
    close(t.macro_avg.precision, 2.0 / 3.0);
    close(t.macro_avg.recall, 49.0 / 90.0);
    assert_eq!(t.docs, 5);
    assert_eq!(t.scored_pairs, 10);
}

#[test]
fn what_is_left_out_is_counted() {
    let c = fixture_report().counts;
    assert_eq!(c.gold_docs, 5);
    assert_eq!(c.gold_docs_without_predictions, 1);
    assert_eq!(c.scored_gold_pairs, 7);
    assert_eq!(c.optional_gold_pairs, 1);
    assert_eq!(c.region_gold_pairs, 1);
    assert_eq!(c.prediction_records, 15);
    assert_eq!(c.predictions_matching_excluded_gold, 2);
    assert_eq!(c.unmatched_region_predictions, 1);
    assert_eq!(c.unmatched_predicted_pairs, 3);
    assert_eq!(c.predictions_for_unknown_docs, 1);
    assert_eq!(c.unknown_docs, 1);
}

#[test]
fn breakdowns_by_lang_and_text_type() {
    let r = fixture_report();
    let keys: Vec<&str> = r.by_lang.keys().map(String::as_str).collect();
    assert_eq!(keys, ["de", "en", "uk", "unknown"]);
    let en = &r.by_lang["en"];
    assert_eq!(en.docs, 2);
    assert_eq!(counts(en, "twinned"), (2, 0, 1));
    assert_eq!(counts(en, "proposed"), (0, 1, 0));
    assert_eq!(counts(en, "break_called"), (0, 0, 2));
    let de = &r.by_lang["de"];
    assert_eq!(counts(de, "twinned"), (1, 1, 0));
    assert_eq!(counts(de, "proposed"), (1, 1, 1));
    assert_eq!(counts(de, "break_called"), (0, 0, 0));
    assert_eq!(counts(&r.by_lang["uk"], "break_called"), (1, 0, 0));
    let unknown = &r.by_lang["unknown"];
    assert_eq!(unknown.docs, 1);
    assert_eq!(counts(unknown, "twinned"), (0, 1, 0));

    let keys: Vec<&str> = r.by_text_type.keys().map(String::as_str).collect();
    assert_eq!(keys, ["blog", "news", "unknown"]);
    let news = &r.by_text_type["news"];
    assert_eq!(news.docs, 3);
    assert_eq!(counts(news, "twinned"), (4, 1, 0));
    assert_eq!(counts(news, "proposed"), (1, 2, 1));
    assert_eq!(counts(news, "break_called"), (1, 0, 1));
    assert_eq!(counts(&r.by_text_type["blog"], "twinned"), (0, 0, 1));
}

#[test]
fn error_list() {
    let r = fixture_report();
    let got: Vec<(&str, ErrorKind, &str)> = r
        .errors
        .iter()
        .map(|e| (e.doc.as_str(), e.kind, e.label.as_str()))
        .collect();
    use ErrorKind::{FalseNegative as FN, FalsePositive as FP};
    assert_eq!(
        got,
        [
            ("d1.txt", FP, "proposed"),
            ("d1.txt", FN, "break_called"),
            ("d2.txt", FN, "proposed"),
            ("d2.txt", FP, "twinned"),
            ("d2.txt", FP, "proposed"),
            ("d3.txt", FP, "twinned"),
            ("d4.txt", FN, "twinned"),
            ("d4.txt", FN, "break_called"),
        ]
    );
    // FN with a prediction below threshold keeps its scores and gold names.
    let e = &r.errors[2];
    assert_eq!(
        e.gold_a.as_deref(),
        Some(&["Kharkiv".to_string(), "Kharkov".to_string()][..])
    );
    let s = e.scores.unwrap();
    assert_eq!((s.twinned, s.proposed, s.break_called), (0.10, 0.45, 0.0));
    assert_eq!(e.evidence, ["Kharkov and Tucson"]);
    // FN of the multi-label pair: merged scores.
    assert_eq!(r.errors[1].scores.unwrap().break_called, 0.40);
    // FN without any prediction.
    assert!(r.errors[6].scores.is_none() && r.errors[6].pred_a.is_none());
    // FP of an unmatched pair: predicted names, merged scores and evidence of both records.
    let e = &r.errors[4];
    assert!(e.gold_a.is_none());
    assert_eq!(e.pred_a.as_deref(), Some("PARIS")); // best proposed score: p10
    let s = e.scores.unwrap();
    assert_eq!((s.twinned, s.proposed), (0.70, 0.55));
    assert_eq!(e.evidence, ["Berlin and Paris", "Paris, Berlin"]);
}

#[test]
fn curves_and_best_thresholds() {
    let r = fixture_report();
    let [tw, pr, br] = [&r.curves[0], &r.curves[1], &r.curves[2]];
    assert_eq!(
        (tw.label.as_str(), tw.positives, tw.units),
        ("twinned", 5, 10)
    );
    close(tw.average_precision, 0.8);
    close(pr.average_precision, 0.75);
    close(br.average_precision, 2.0 / 3.0);

    let at = |c: &twinrel::eval::LabelCurve, t: f32| {
        let p = c.sweep.iter().find(|p| p.threshold == t).unwrap();
        (p.tp, p.fp, p.fn_)
    };
    assert_eq!(tw.sweep.len(), 19);
    assert_eq!(at(tw, 0.7), (4, 1, 1));
    assert_eq!(at(tw, 0.75), (4, 0, 1));
    assert_eq!(at(tw, 0.85), (4, 0, 1));
    assert_eq!(at(tw, 0.95), (1, 0, 4));
    assert_eq!(at(br, 0.1), (2, 3, 1));
    assert_eq!(at(br, 0.15), (2, 0, 1));

    let best = tw.best.as_ref().unwrap();
    assert_eq!(best.threshold, 0.75);
    close(best.f1, 8.0 / 9.0);
    let best = pr.best.as_ref().unwrap();
    assert_eq!(best.threshold, 0.35);
    close(best.f1, 2.0 / 3.0);
    let best = br.best.as_ref().unwrap();
    assert_eq!(best.threshold, 0.15);
    close(best.f1, 0.8);

    // Recall of the PR curve stops below 1: d4 has no prediction (score 0).
    let last = tw.pr_curve.last().unwrap();
    close(last.recall, 0.8);
    assert_eq!(tw.pr_curve[0].threshold, 0.95);
}

#[test]
fn confusion_matrix() {
    let c = fixture_report().confusion;
    assert_eq!(c.axis, ["none", "twinned", "proposed", "break_called"]);
    assert_eq!(
        c.matrix,
        [
            [1, 2, 1, 0], // gold none: RB; BP (t, p); d3 (t)
            [1, 4, 1, 1], // gold twinned
            [1, 0, 1, 0], // gold proposed
            [1, 2, 0, 1], // gold break_called
        ]
    );
}

#[test]
fn table_and_html_report() {
    let r = fixture_report();
    let t = r.to_table();
    assert!(t.contains("twinned"), "{t}");
    assert!(t.contains("0.7273"), "{t}"); // twinned F1 8/11
    assert!(t.contains("0.5424"), "{t}"); // macro F1
    assert!(t.contains("lang = de"), "{t}");
    assert!(t.contains("predictions_for_unknown_docs: 1"), "{t}");
    assert!(t.contains("FN break_called"), "{t}");

    let dir = tempfile::tempdir().unwrap();
    let index = write_report(dir.path(), &r, "fixture").unwrap();
    assert!(index.ends_with("index.html"));
    for f in [
        "pr_twinned.svg",
        "pr_proposed.svg",
        "pr_break_called.svg",
        "threshold_sweep.svg",
        "confusion.svg",
        "report.json",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(json["predictions_for_unknown_docs"], 1);
    assert_eq!(json["overall"]["per_label"][0]["fn"], 1);
}

fn three_lines_with_bad_third(first: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    writeln!(f, "{first}").unwrap();
    writeln!(f, "{first}").unwrap();
    writeln!(f, "{{\"doc\": \"broken\", ").unwrap();
    f
}

#[test]
fn malformed_json_on_line_3_names_file_and_line() {
    let line = std::fs::read_to_string(data("predictions.jsonl")).unwrap();
    let first_pred = line.lines().next().unwrap();
    let f = three_lines_with_bad_third(first_pred);
    let err = load_predictions(f.path()).unwrap_err();
    match &err {
        EvalError::Json { path, line, .. } => {
            assert_eq!(path, f.path());
            assert_eq!(*line, 3);
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&f.path().display().to_string()), "{msg}");
    assert!(msg.contains("line 3"), "{msg}");

    let mut g = tempfile::NamedTempFile::new().unwrap();
    writeln!(g, "{{\"doc\": \"a\", \"relations\": []}}").unwrap();
    writeln!(g, "{{\"doc\": \"b\", \"relations\": []}}").unwrap();
    writeln!(g, "{{\"doc\": \"c\", \"relations\": [}}").unwrap();
    let err = load_gold(g.path()).unwrap_err();
    assert!(matches!(err, EvalError::Json { line: 3, .. }), "{err}");
    assert!(err.to_string().contains(&g.path().display().to_string()));
}

#[test]
fn unknown_label_and_duplicate_doc_name_the_line() {
    let mut g = tempfile::NamedTempFile::new().unwrap();
    writeln!(g, "{{\"doc\": \"a\", \"relations\": []}}").unwrap();
    writeln!(
        g,
        "{{\"doc\": \"b\", \"relations\": [{{\"a\": [\"X\"], \"b\": [\"Y\"], \"labels\": [\"sister\"]}}]}}"
    )
    .unwrap();
    let err = load_gold(g.path()).unwrap_err();
    assert!(matches!(err, EvalError::Invalid { line: 2, .. }), "{err}");
    assert!(err.to_string().contains("sister"));

    let mut g = tempfile::NamedTempFile::new().unwrap();
    writeln!(g, "{{\"doc\": \"a\", \"relations\": []}}").unwrap();
    writeln!(g).unwrap();
    writeln!(g, "{{\"doc\": \"a\", \"relations\": []}}").unwrap();
    let err = load_gold(g.path()).unwrap_err();
    assert!(matches!(err, EvalError::Invalid { line: 3, .. }), "{err}");
    assert!(err.to_string().contains("duplicate doc id"), "{err}");
}
