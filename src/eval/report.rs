//! HTML report with SVG plots (plotters, SVG backend) for an [`EvalReport`].
//!
//! The SVG backend writes text as `<text>` elements with a CSS font family
//! ("sans-serif"), so no font file is read when the plots are drawn; the
//! browser (or any SVG renderer) picks the font when the page is viewed.
//!
//! Files written into `dir`: `index.html`, `report.json`, `pr_<label>.svg`
//! for each label, `threshold_sweep.svg` and `confusion.svg`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{EvalError, EvalReport, LabelCurve, LabelMetrics, MetricsTable, LABELS};

/// At most this many errors are listed in `index.html`; `report.json` has all.
pub const HTML_ERRORS: usize = 500;

/// Name, colour and value of one line of the sweep plot.
type Series = (&'static str, RGBColor, fn(&super::SweepPoint) -> f64);

const FONT: &str = "sans-serif";
const LABEL_COLORS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
];

/// Writes the report into `dir` (created if needed) and returns the path of
/// `index.html`.
pub fn write_report(dir: &Path, report: &EvalReport, title: &str) -> Result<PathBuf, EvalError> {
    std::fs::create_dir_all(dir).map_err(|source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    })?;

    for (l, curve) in report.curves.iter().enumerate() {
        let path = dir.join(format!("pr_{}.svg", curve.label));
        let op = &report.overall.per_label[l];
        let svg = pr_svg(curve, op, LABEL_COLORS[l % 3]).map_err(|m| plot_err(&path, m))?;
        write(&path, &svg)?;
    }
    let path = dir.join("threshold_sweep.svg");
    let svg = sweep_svg(&report.curves).map_err(|m| plot_err(&path, m))?;
    write(&path, &svg)?;
    let path = dir.join("confusion.svg");
    let svg = confusion_svg(report).map_err(|m| plot_err(&path, m))?;
    write(&path, &svg)?;

    let path = dir.join("report.json");
    let json = serde_json::to_string_pretty(report).map_err(|e| EvalError::Io {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    write(&path, &json)?;

    let index = dir.join("index.html");
    write(&index, &html(report, title))?;
    Ok(index)
}

fn write(path: &Path, content: &str) -> Result<(), EvalError> {
    std::fs::write(path, content).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn plot_err(path: &Path, message: String) -> EvalError {
    EvalError::Plot {
        path: path.to_path_buf(),
        message,
    }
}

fn pe<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

// ---------------------------------------------------------------------------
// Plots
// ---------------------------------------------------------------------------

fn pr_svg(curve: &LabelCurve, op: &LabelMetrics, color: RGBColor) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(pe)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Precision–recall: {} (AP {:.3}, {} positives)",
                    curve.label, curve.average_precision, curve.positives
                ),
                (FONT, 20),
            )
            .margin(15)
            .x_label_area_size(45)
            .y_label_area_size(55)
            .build_cartesian_2d(0f64..1.0, 0f64..1.05)
            .map_err(pe)?;
        chart
            .configure_mesh()
            .x_desc("recall")
            .y_desc("precision")
            .label_style((FONT, 14))
            .draw()
            .map_err(pe)?;

        let pts: Vec<(f64, f64)> = curve
            .pr_curve
            .iter()
            .map(|p| (p.recall, p.precision))
            .collect();
        if pts.is_empty() {
            root.draw(&Text::new(
                "no unit has a score > 0",
                (220, 250),
                (FONT, 18).into_font().color(&BLACK),
            ))
            .map_err(pe)?;
        } else {
            chart
                .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                .map_err(pe)?
                .label("scores (each distinct score as threshold)")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
                .map_err(pe)?;
        }
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (op.recall, op.precision),
                8,
                BLACK.filled(),
            )))
            .map_err(pe)?
            .label(format!(
                "decisions (labels): P {:.3} R {:.3}",
                op.precision, op.recall
            ))
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 6, BLACK.filled()));
        if let Some(best) = &curve.best {
            chart
                .draw_series(std::iter::once(Cross::new(
                    (best.recall, best.precision),
                    7,
                    RED.stroke_width(2),
                )))
                .map_err(pe)?
                .label(format!(
                    "best sweep threshold {:.2}: F1 {:.3}",
                    best.threshold, best.f1
                ))
                .legend(|(x, y)| Cross::new((x + 10, y), 5, RED.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(pe)?;
        root.present().map_err(pe)?;
    }
    Ok(svg)
}

fn sweep_svg(curves: &[LabelCurve]) -> Result<String, String> {
    const SERIES: [Series; 3] = [
        ("precision", LABEL_COLORS[0], |p| p.precision),
        ("recall", LABEL_COLORS[1], |p| p.recall),
        ("F1", LABEL_COLORS[2], |p| p.f1),
    ];
    let mut svg = String::new();
    {
        let panels = curves.len().max(1);
        let root =
            SVGBackend::with_string(&mut svg, (720, 40 + 280 * panels as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(pe)?;
        let (legend, body) = root.split_vertically(40);

        // One legend for all panels, in its own strip so that it hides no line.
        let text = |s: &str, x: i32| {
            Text::new(
                s.to_string(),
                (x, 20),
                TextStyle::from((FONT, 15).into_font()).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        };
        let mut x = 70;
        for (name, color, _) in SERIES {
            legend
                .draw(&PathElement::new(
                    vec![(x, 20), (x + 30, 20)],
                    color.stroke_width(3),
                ))
                .map_err(pe)?;
            legend.draw(&text(name, x + 38)).map_err(pe)?;
            x += 140;
        }
        legend
            .draw(&PathElement::new(
                vec![(x, 20), (x + 30, 20)],
                BLACK.mix(0.4).stroke_width(1),
            ))
            .map_err(pe)?;
        legend.draw(&text("best threshold", x + 38)).map_err(pe)?;

        let areas = body.split_evenly((panels, 1));
        for (curve, area) in curves.iter().zip(areas.iter()) {
            let caption = match &curve.best {
                Some(b) => format!(
                    "{}: best threshold {:.2} (F1 {:.3})",
                    curve.label, b.threshold, b.f1
                ),
                None => format!("{}: no threshold gives F1 > 0", curve.label),
            };
            let mut chart = ChartBuilder::on(area)
                .caption(caption, (FONT, 18))
                .margin(10)
                .x_label_area_size(40)
                .y_label_area_size(50)
                .build_cartesian_2d(0f64..1.0, 0f64..1.05)
                .map_err(pe)?;
            chart
                .configure_mesh()
                .x_desc("threshold (score >= t)")
                .y_desc("value")
                .label_style((FONT, 13))
                .draw()
                .map_err(pe)?;
            if let Some(b) = &curve.best {
                let t = f64::from(b.threshold);
                chart
                    .draw_series(LineSeries::new(
                        vec![(t, 0.0), (t, 1.05)],
                        BLACK.mix(0.4).stroke_width(1),
                    ))
                    .map_err(pe)?;
            }
            for (_, color, f) in SERIES {
                let pts: Vec<(f64, f64)> = curve
                    .sweep
                    .iter()
                    .map(|p| (f64::from(p.threshold), f(p)))
                    .collect();
                chart
                    .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                    .map_err(pe)?;
                chart
                    .draw_series(pts.into_iter().map(|p| Circle::new(p, 2, color.filled())))
                    .map_err(pe)?;
            }
        }
        root.present().map_err(pe)?;
    }
    Ok(svg)
}

fn confusion_svg(report: &EvalReport) -> Result<String, String> {
    let c = &report.confusion;
    let n = c.axis.len();
    let max = c.matrix.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(pe)?;
        let axis = c.axis.clone();
        let axis2 = c.axis.clone();
        let mut chart = ChartBuilder::on(&root)
            .caption("Labels: gold (rows) vs predicted (columns)", (FONT, 20))
            .margin(15)
            .x_label_area_size(50)
            .y_label_area_size(110)
            .build_cartesian_2d(
                // A segmented range a..b has the segments a..=b.
                (0..n as i32 - 1).into_segmented(),
                (0..n as i32 - 1).into_segmented(),
            )
            .map_err(pe)?;
        // Row r of the matrix is drawn at y = n-1-r so that "none" is on top.
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("predicted label")
            .y_desc("gold label")
            .x_labels(n)
            .y_labels(n)
            .label_style((FONT, 14))
            .x_label_formatter(&move |v| match v {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| axis.get(i).cloned())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&move |v| match v {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| (n - 1).checked_sub(i))
                    .and_then(|r| axis2.get(r).cloned())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(pe)?;
        let mut cells = Vec::new();
        for (r, row) in c.matrix.iter().enumerate() {
            for (col, &v) in row.iter().enumerate() {
                cells.push((r, col, v));
            }
        }
        chart
            .draw_series(cells.iter().map(|&(r, col, v)| {
                let y = (n - 1 - r) as i32;
                let x = col as i32;
                let t = v as f64 / max;
                let shade =
                    |w: u8, full: u8| (f64::from(w) + (f64::from(full) - f64::from(w)) * t) as u8;
                let color = RGBColor(shade(255, 31), shade(255, 119), shade(255, 180));
                Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    color.filled(),
                )
            }))
            .map_err(pe)?;
        chart
            .draw_series(cells.iter().map(|&(r, col, v)| {
                let y = (n - 1 - r) as i32;
                let x = col as i32;
                let color: &RGBColor = if (v as f64 / max) > 0.55 {
                    &WHITE
                } else {
                    &BLACK
                };
                let style = TextStyle::from((FONT, 22).into_font())
                    .color(color)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                Text::new(
                    v.to_string(),
                    (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                    style,
                )
            }))
            .map_err(pe)?;
        root.present().map_err(pe)?;
    }
    Ok(svg)
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn metrics_html(s: &mut String, t: &MetricsTable) {
    s.push_str(
        "<table><tr><th>label</th><th>tp</th><th>fp</th><th>fn</th>\
         <th>precision</th><th>recall</th><th>F1</th></tr>\n",
    );
    for m in t.per_label.iter().chain(std::iter::once(&t.micro)) {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td></tr>",
            esc(&m.label),
            m.tp,
            m.fp,
            m.fn_,
            m.precision,
            m.recall,
            m.f1
        );
    }
    let _ = writeln!(
        s,
        "<tr><td>macro</td><td></td><td></td><td></td><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td></tr></table>",
        t.macro_avg.precision, t.macro_avg.recall, t.macro_avg.f1
    );
}

fn html(r: &EvalReport, title: &str) -> String {
    let c = &r.counts;
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\n\
         <style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}\
         table{{border-collapse:collapse;margin:0.5em 0 1.5em}}\
         td,th{{border:1px solid #bbb;padding:3px 8px;text-align:right}}\
         td:first-child,th:first-child{{text-align:left}}\
         td.l{{text-align:left}}img{{max-width:100%;border:1px solid #ddd;margin:4px}}\
         .small{{font-size:90%;color:#333}}</style></head><body>\n<h1>{t}</h1>\n",
        t = esc(title)
    );
    let _ = writeln!(
        s,
        "<p>{} gold documents ({} without any prediction), {} scored gold pairs, \
         {} unmatched predicted pairs, {} prediction records.</p>",
        c.gold_docs,
        c.gold_docs_without_predictions,
        c.scored_gold_pairs,
        c.unmatched_predicted_pairs,
        c.prediction_records
    );
    let _ = writeln!(
        s,
        "<p class=\"small\">Left out of all counts: {} optional and {} region gold pairs, \
         {} predictions matching them, {} unmatched predictions with a region side. \
         Predictions for doc ids not in the gold file (not scored): {} records, {} documents.</p>",
        c.optional_gold_pairs,
        c.region_gold_pairs,
        c.predictions_matching_excluded_gold,
        c.unmatched_region_predictions,
        c.predictions_for_unknown_docs,
        c.unknown_docs
    );

    s.push_str("<h2>Scores</h2>\n<p class=\"small\">One decision per (document, unordered pair, label), from the <code>labels</code> of the predictions. Macro = unweighted mean over the three labels.</p>\n");
    metrics_html(&mut s, &r.overall);

    for (name, map) in [("language", &r.by_lang), ("text type", &r.by_text_type)] {
        let _ = writeln!(s, "<h2>By {name}</h2>");
        for (key, t) in map {
            let _ = writeln!(
                s,
                "<h3>{} <span class=\"small\">({} docs, {} scored pairs)</span></h3>",
                esc(key),
                t.docs,
                t.scored_pairs
            );
            metrics_html(&mut s, t);
        }
    }

    s.push_str("<h2>Score curves</h2>\n<p class=\"small\">From the <code>scores</code> over all scored pairs; a gold pair with no prediction has score 0. A pair counts as predicted at threshold t when its score is &ge; t.</p>\n");
    s.push_str("<table><tr><th>label</th><th>positives</th><th>average precision</th><th>best threshold</th><th>P</th><th>R</th><th>F1</th></tr>\n");
    for curve in &r.curves {
        match &curve.best {
            Some(b) => {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{:.4}</td><td>{:.2}</td><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td></tr>",
                    esc(&curve.label),
                    curve.positives,
                    curve.average_precision,
                    b.threshold,
                    b.precision,
                    b.recall,
                    b.f1
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{:.4}</td><td colspan=\"4\">no threshold gives F1 &gt; 0</td></tr>",
                    esc(&curve.label),
                    curve.positives,
                    curve.average_precision
                );
            }
        }
    }
    s.push_str("</table>\n<div>");
    for l in LABELS {
        let _ = write!(
            s,
            "<img src=\"pr_{l}.svg\" alt=\"precision-recall curve of {l}\" width=\"560\">"
        );
    }
    s.push_str(
        "</div>\n<p><img src=\"threshold_sweep.svg\" alt=\"threshold sweep\" width=\"720\"></p>\n",
    );

    s.push_str("<h2>Label confusion</h2>\n<p class=\"small\">Rows: gold labels, columns: predicted labels. For each scored pair, one count for every combination of one of its gold labels and one of its predicted labels; \"none\" stands for an empty side. A pair with gold twinned+break_called and predicted twinned adds one to (twinned, twinned) and one to (break_called, twinned). (none, none) counts candidate pairs with scores but no labels on either side.</p>\n");
    s.push_str("<table><tr><th>gold \\ predicted</th>");
    for a in &r.confusion.axis {
        let _ = write!(s, "<th>{}</th>", esc(a));
    }
    s.push_str("</tr>\n");
    for (i, row) in r.confusion.matrix.iter().enumerate() {
        let _ = write!(s, "<tr><td>{}</td>", esc(&r.confusion.axis[i]));
        for v in row {
            let _ = write!(s, "<td>{v}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str(
        "</table>\n<p><img src=\"confusion.svg\" alt=\"confusion matrix\" width=\"560\"></p>\n",
    );
    s.push_str("<h3>Exact label sets</h3>\n<table><tr><th>gold</th><th>predicted</th><th>pairs</th></tr>\n");
    for ls in &r.confusion.label_sets {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td></tr>",
            esc(&ls.gold),
            esc(&ls.predicted),
            ls.count
        );
    }
    s.push_str("</table>\n");

    let _ = writeln!(
        s,
        "<h2>Errors</h2>\n<p class=\"small\">{} false negatives, {} false positives{}. Scores are the merged (maximum) scores of the pair's predictions.</p>",
        r.overall.micro.fn_,
        r.overall.micro.fp,
        if r.errors.len() > HTML_ERRORS {
            format!("; the first {HTML_ERRORS} are listed, report.json has all")
        } else {
            String::new()
        }
    );
    s.push_str("<table><tr><th>doc</th><th>error</th><th>label</th><th>gold pair</th><th>predicted pair</th><th>twinned</th><th>proposed</th><th>break_called</th><th>evidence</th></tr>\n");
    for e in r.errors.iter().take(HTML_ERRORS) {
        let gold = match (&e.gold_a, &e.gold_b) {
            (Some(a), Some(b)) => format!("{} – {}", a.join(" | "), b.join(" | ")),
            _ => String::new(),
        };
        let pred = match (&e.pred_a, &e.pred_b) {
            (Some(a), Some(b)) => format!("{a} – {b}"),
            _ => String::new(),
        };
        let sc = match e.scores {
            Some(x) => format!(
                "<td>{:.3}</td><td>{:.3}</td><td>{:.3}</td>",
                x.twinned, x.proposed, x.break_called
            ),
            None => "<td colspan=\"3\">no prediction</td>".to_string(),
        };
        let ev: Vec<String> = e.evidence.iter().map(|t| esc(t)).collect();
        let _ = writeln!(
            s,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td>{}<td class=\"l\">{}</td></tr>",
            esc(&e.doc),
            e.kind.short(),
            esc(&e.label),
            esc(&gold),
            esc(&pred),
            sc,
            ev.join("<br>")
        );
    }
    s.push_str("</table>\n</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::super::{score, GoldDoc, GoldRelation, PlaceKind, PredPlace, Prediction};
    use super::*;

    fn sample() -> EvalReport {
        let gold = vec![GoldDoc {
            doc: "d<1>".into(),
            lang: Some("en".into()),
            text_type: None,
            relations: vec![
                GoldRelation {
                    a: vec!["Coventry".into()],
                    b: vec!["Volgograd".into(), "Stalingrad".into()],
                    labels: vec!["twinned".into(), "break_called".into()],
                    optional: false,
                    region: false,
                },
                GoldRelation {
                    a: vec!["Kharkiv".into()],
                    b: vec!["Albuquerque".into()],
                    labels: vec!["proposed".into()],
                    optional: false,
                    region: false,
                },
            ],
        }];
        let place = |n: &str| PredPlace {
            name: n.into(),
            canonical: n.into(),
            geonames_id: None,
            country: String::new(),
            kind: PlaceKind::City,
        };
        let preds = vec![
            Prediction {
                doc: "d<1>".into(),
                a: place("Stalingrad"),
                b: place("Coventry"),
                labels: vec!["twinned".into()],
                scores: [0.9, 0.1, 0.3],
                evidence: vec![],
            },
            Prediction {
                doc: "d<1>".into(),
                a: place("Kharkiv"),
                b: place("Paris"),
                labels: vec!["proposed".into()],
                scores: [0.2, 0.6, 0.0],
                evidence: vec![super::super::Evidence {
                    text: "a <b> & c".into(),
                    start: 0,
                    end: 9,
                }],
            },
        ];
        score(&gold, &preds)
    }

    #[test]
    fn writes_index_and_plots_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub");
        let index = write_report(&out, &sample(), "Eval <test>").unwrap();
        assert_eq!(index, out.join("index.html"));
        let html = std::fs::read_to_string(&index).unwrap();
        assert!(html.contains("<title>Eval &lt;test&gt;</title>"));
        assert!(html.contains("a &lt;b&gt; &amp; c"));
        assert!(html.contains("d&lt;1&gt;"));
        for f in [
            "pr_twinned.svg",
            "pr_proposed.svg",
            "pr_break_called.svg",
            "threshold_sweep.svg",
            "confusion.svg",
        ] {
            let svg = std::fs::read_to_string(out.join(f)).unwrap();
            assert!(svg.starts_with("<svg"), "{f}");
            assert!(svg.trim_end().ends_with("</svg>"), "{f}");
            assert!(svg.contains("<text"), "{f} has no text");
            assert!(html.contains(&format!("src=\"{f}\"")), "{f} not linked");
        }
        let pr = std::fs::read_to_string(out.join("pr_twinned.svg")).unwrap();
        assert!(pr.contains("recall") && pr.contains("precision"));
        let cm = std::fs::read_to_string(out.join("confusion.svg")).unwrap();
        assert!(cm.contains("break_called") && cm.contains("none"));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        assert_eq!(json["overall"]["micro"]["tp"], 1);
    }

    #[test]
    fn empty_report_still_renders() {
        let dir = tempfile::tempdir().unwrap();
        let r = score(&[], &[]);
        let index = write_report(dir.path(), &r, "empty").unwrap();
        assert!(index.exists());
        let pr = std::fs::read_to_string(dir.path().join("pr_proposed.svg")).unwrap();
        assert!(pr.contains("no unit has a score"));
    }

    #[test]
    fn unwritable_dir_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        let err = write_report(&file.join("sub"), &sample(), "t").unwrap_err();
        assert!(matches!(err, EvalError::Io { .. }), "{err}");
    }
}
