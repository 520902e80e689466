//! Stage 6: aggregation. A pair's score per label is the maximum over the
//! windows that contain it; the evidence is the centre sentence of the window
//! that gave the winning score, with its offsets.

use crate::candidates::{pair_key, Analysis};
use crate::gazetteer::Gazetteer;
use crate::model::LABELS;
use crate::output::{Evidence, PairRecord, PlaceOut, Scores};
use std::collections::BTreeMap;

struct Best {
    scores: [f32; 3],
    /// For each label, (window index, pair index in the window) of its maximum.
    argmax: [(usize, usize); 3],
    first: (usize, usize),
}

/// Aggregates window scores (`None`: not scored) into one record per
/// document pair. `thresholds` decide the labels. Without scores (the
/// candidates stage), every pair is returned with no labels and no scores.
pub fn aggregate(
    gazetteer: &Gazetteer,
    analysis: &Analysis,
    window_scores: Option<&[Vec<Option<[f32; 3]>>]>,
    thresholds: &[f32],
) -> Vec<PairRecord> {
    let mut pairs: BTreeMap<(u32, u32), Best> = BTreeMap::new();
    for (wi, window) in analysis.windows.iter().enumerate() {
        for (pi, &(a, b)) in window.pairs.iter().enumerate() {
            let key = pair_key(gazetteer, window.places[a].place, window.places[b].place);
            let scores = window_scores.and_then(|ws| ws[wi][pi]);
            let best = pairs.entry(key).or_insert(Best {
                scores: [f32::NEG_INFINITY; 3],
                argmax: [(wi, pi); 3],
                first: (wi, pi),
            });
            if let Some(s) = scores {
                for (l, &score) in s.iter().enumerate() {
                    if score > best.scores[l] {
                        best.scores[l] = score;
                        best.argmax[l] = (wi, pi);
                    }
                }
            }
        }
    }
    let mut records = Vec::with_capacity(pairs.len());
    for ((a, b), best) in pairs {
        let scored = best.scores.iter().all(|s| s.is_finite());
        let scores = scored.then(|| {
            // Rounded so that output is the same whatever the thread count.
            let r = |x: f32| (x * 10_000.0).round() / 10_000.0;
            Scores {
                twinned: r(best.scores[0]),
                proposed: r(best.scores[1]),
                break_called: r(best.scores[2]),
            }
        });
        let labels: Vec<String> = match &scores {
            Some(s) => LABELS
                .iter()
                .zip([s.twinned, s.proposed, s.break_called])
                .zip(thresholds)
                .filter(|((_, score), t)| score >= t)
                .map(|((l, _), _)| l.to_string())
                .collect(),
            None => Vec::new(),
        };
        // Evidence: the winning window of each predicted label, or of the
        // highest score when no label is predicted.
        let mut sources: Vec<(usize, usize)> = Vec::new();
        if scored {
            if labels.is_empty() {
                let top = (0..3)
                    .max_by(|&x, &y| best.scores[x].total_cmp(&best.scores[y]))
                    .unwrap_or(0);
                sources.push(best.argmax[top]);
            } else {
                for (l, name) in LABELS.iter().enumerate() {
                    if labels.iter().any(|x| x == name) && !sources.contains(&best.argmax[l]) {
                        sources.push(best.argmax[l]);
                    }
                }
            }
        } else {
            sources.push(best.first);
        }
        let evidence = sources
            .iter()
            .map(|&(wi, _)| {
                let s = &analysis.sentences[analysis.windows[wi].center];
                Evidence {
                    text: s.text.clone(),
                    start: s.start,
                    end: s.end,
                    field: s.in_title_field.then(|| "title".to_string()),
                }
            })
            .collect();
        let (wi, _) = sources[0];
        let place_out = |place: u32| {
            let window = &analysis.windows[wi];
            let surface = window
                .places
                .iter()
                .find(|p| p.place == place)
                .map(|p| analysis.mentions[p.mentions[0]].surface.clone())
                .unwrap_or_default();
            PlaceOut::new(gazetteer, place, surface)
        };
        records.push(PairRecord {
            doc: analysis.doc.id.clone(),
            a: place_out(a),
            b: place_out(b),
            labels,
            scores,
            evidence,
        });
    }
    records
}
