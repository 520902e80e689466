//! Stage 4: candidate pairs. Forms context windows around sentences and the
//! pairs of different linked places that co-occur in them.
//!
//! A window is built for every sentence that names a place: the document
//! title, the sentence before, the sentence itself and the sentence after
//! (boilerplate excluded). Its pairs are all pairs of different places (by
//! GeoNames id) in the window of which at least one is named in the centre
//! sentence, so every co-occurrence is scored in the window centred on it.
//! An alias and its place are one place (Stalingrad = Volgograd), never a pair.
//!
//! Many places: a window keeps at most [`MAX_PLACES_PER_WINDOW`] places: all of
//! the centre sentence first (in text order), then the neighbours and the title.
//! Places of the centre sentence past the cap are moved into a further window
//! of the same sentence, so long lists ("28 sister cities, including ...")
//! lose no pair with the first places of the sentence.

use crate::gazetteer::Gazetteer;
use crate::ingest::Document;
use crate::places::{tag_document, Mention};
use crate::sentences::{split, Sentence, SentenceKind};
use serde::Serialize;

pub const MAX_PLACES_PER_WINDOW: usize = 16;

/// One place in a window, with the indices of its mentions there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowPlace {
    pub place: u32,
    pub mentions: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// The centre sentence.
    pub center: usize,
    /// Sentences of the window in reading order (title first).
    pub sentences: Vec<usize>,
    pub places: Vec<WindowPlace>,
    /// Pairs as indices into `places`, `a < b` by GeoNames id order.
    pub pairs: Vec<(usize, usize)>,
}

/// A document after stages 2–4.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Document,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub windows: Vec<Window>,
}

impl Analysis {
    pub fn pair_count(&self) -> usize {
        self.windows.iter().map(|w| w.pairs.len()).sum()
    }
}

/// Runs sentence splitting, place tagging and candidate forming on a document.
pub fn analyze(gazetteer: &Gazetteer, doc: Document) -> Analysis {
    let mut sentences = Vec::new();
    if let Some(title) = &doc.title {
        sentences.push(Sentence {
            start: 0,
            end: title.chars().count(),
            text: title.clone(),
            kind: SentenceKind::Title,
            in_title_field: true,
        });
    }
    sentences.extend(split(&doc.text, doc.title.is_some()));
    let mentions = tag_document(gazetteer, &sentences, &doc.text);
    let windows = build_windows(gazetteer, &sentences, &mentions);
    Analysis {
        doc,
        sentences,
        mentions,
        windows,
    }
}

fn build_windows(
    gazetteer: &Gazetteer,
    sentences: &[Sentence],
    mentions: &[Mention],
) -> Vec<Window> {
    let title = sentences.iter().position(|s| s.kind == SentenceKind::Title);
    let usable = |i: usize| sentences[i].kind != SentenceKind::Boilerplate;
    let id_of = |place: u32| gazetteer.places[place as usize].geonames_id;
    let mut windows = Vec::new();
    for center in 0..sentences.len() {
        if !usable(center) || !mentions.iter().any(|m| m.sentence == center) {
            continue;
        }
        // Neighbours in order of closeness: they fill the window after the centre.
        let mut neighbours = Vec::new();
        if center > 0 && usable(center - 1) && Some(center - 1) != title {
            neighbours.push(center - 1);
        }
        if center + 1 < sentences.len() && usable(center + 1) && Some(center + 1) != title {
            neighbours.push(center + 1);
        }
        if let Some(t) = title.filter(|&t| t != center) {
            neighbours.push(t);
        }
        let mut center_places: Vec<WindowPlace> = Vec::new();
        collect_places(mentions, center, &mut center_places);
        let mut context_places: Vec<WindowPlace> = Vec::new();
        for &n in &neighbours {
            collect_places(mentions, n, &mut context_places);
        }
        context_places.retain(|p| !center_places.iter().any(|c| c.place == p.place));
        let mut sentence_ids = neighbours.clone();
        sentence_ids.push(center);
        sentence_ids.sort_by_key(|&s| (Some(s) != title, s));
        // Chunks of the centre's places; the first place of the sentence stays
        // in every chunk so that it pairs with all the others.
        let chunk = MAX_PLACES_PER_WINDOW - 1;
        let mut first = true;
        let mut rest: &[WindowPlace] = &center_places;
        while first || !rest.is_empty() {
            let mut places: Vec<WindowPlace> = Vec::new();
            if first {
                let take = rest.len().min(MAX_PLACES_PER_WINDOW);
                places.extend_from_slice(&rest[..take]);
                rest = &rest[take..];
            } else {
                places.push(center_places[0].clone());
                let take = rest.len().min(chunk);
                places.extend_from_slice(&rest[..take]);
                rest = &rest[take..];
            }
            let n_center = places.len();
            for p in &context_places {
                if places.len() >= MAX_PLACES_PER_WINDOW {
                    break;
                }
                places.push(p.clone());
            }
            let mut pairs = Vec::new();
            for a in 0..places.len() {
                for b in a + 1..places.len() {
                    if a >= n_center && b >= n_center {
                        continue; // neither in the centre sentence: its own window scores it
                    }
                    let (x, y) = if id_of(places[a].place) <= id_of(places[b].place) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    pairs.push((x, y));
                }
            }
            windows.push(Window {
                center,
                sentences: sentence_ids.clone(),
                places,
                pairs,
            });
            first = false;
        }
    }
    windows
}

fn collect_places(mentions: &[Mention], sentence: usize, out: &mut Vec<WindowPlace>) {
    for (i, m) in mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.sentence == sentence)
    {
        match out.iter_mut().find(|p| p.place == m.place) {
            Some(p) => p.mentions.push(i),
            None => out.push(WindowPlace {
                place: m.place,
                mentions: vec![i],
            }),
        }
    }
}

/// A document-level unordered pair: the two places ordered by GeoNames id.
pub fn pair_key(gazetteer: &Gazetteer, a: u32, b: u32) -> (u32, u32) {
    let (ia, ib) = (
        gazetteer.places[a as usize].geonames_id,
        gazetteer.places[b as usize].geonames_id,
    );
    if ia <= ib {
        (a, b)
    } else {
        (b, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Origin;

    fn gaz() -> Gazetteer {
        Gazetteer::from_rows(
            &[
                (1, "Chicago", "US", "IL", 2_700_000, &[]),
                (2, "Moscow", "RU", "48", 10_000_000, &[]),
                (3, "Jacksonville", "US", "FL", 900_000, &[]),
                (4, "Murmansk", "RU", "49", 300_000, &[]),
                (5, "Volgograd", "RU", "84", 1_000_000, &["Stalingrad"]),
                (6, "Coventry", "GB", "ENG", 325_000, &[]),
            ],
            &[],
        )
    }

    fn doc(text: &str) -> Document {
        Document {
            id: "d".into(),
            text: text.into(),
            title: None,
            date: None,
            url: None,
            lang: None,
            origin: Origin::default(),
        }
    }

    fn doc_pairs(g: &Gazetteer, a: &Analysis) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = a
            .windows
            .iter()
            .flat_map(|w| {
                w.pairs
                    .iter()
                    .map(move |&(x, y)| (w.places[x].place, w.places[y].place))
            })
            .map(|(x, y)| {
                let (x, y) = (
                    g.places[x as usize].name.clone(),
                    g.places[y as usize].name.clone(),
                );
                if x <= y {
                    (x, y)
                } else {
                    (y, x)
                }
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn an_alias_and_its_place_are_one_place() {
        let g = gaz();
        let a = analyze(
            &g,
            doc("Coventry and Stalingrad, later renamed Volgograd, were the first twins."),
        );
        assert_eq!(
            doc_pairs(&g, &a),
            [("Coventry".to_string(), "Volgograd".to_string())]
        );
    }

    #[test]
    fn neighbours_and_title_join_the_window() {
        let g = gaz();
        let a = analyze(&g, doc("Moscow twin ties under fire in Chicago\n\nMany cities keep twinning ties. Jacksonville and Murmansk. The end."));
        let pairs = doc_pairs(&g, &a);
        assert!(pairs.contains(&("Jacksonville".into(), "Murmansk".into())));
        // The title's Moscow pairs with the body's cities through the title.
        assert!(pairs.contains(&("Jacksonville".into(), "Moscow".into())));
        let w = a
            .windows
            .iter()
            .find(|w| a.sentences[w.center].text.starts_with("Jacksonville"))
            .unwrap();
        assert_eq!(w.sentences.len(), 4, "title, previous, centre, next");
    }

    #[test]
    fn long_lists_are_chunked_without_losing_pairs_with_the_first_place() {
        let rows: Vec<(u32, String)> = (0..40)
            .map(|i| {
                (
                    100 + i,
                    format!("Town{}", char::from(b'A' + (i % 26) as u8))
                        .repeat(1 + (i / 26) as usize),
                )
            })
            .collect();
        let rows_ref: Vec<crate::gazetteer::PlaceRow> = rows
            .iter()
            .map(|(id, n)| (*id, n.as_str(), "XX", "", 5000, &[][..]))
            .collect();
        let g = Gazetteer::from_rows(&rows_ref, &[]);
        let names: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        let a = analyze(
            &g,
            doc(&format!(
                "{} has sister cities {}.",
                names[0],
                names[1..].join(", ")
            )),
        );
        let with_first = doc_pairs(&g, &a)
            .iter()
            .filter(|(x, y)| x == names[0] || y == names[0])
            .count();
        assert_eq!(with_first, 39);
        assert!(a
            .windows
            .iter()
            .all(|w| w.places.len() <= MAX_PLACES_PER_WINDOW));
    }
}
