//! The pass over a corpus: stages 1–7 with rayon. Documents are taken in
//! chunks; each chunk is analysed and encoded in parallel, scored in batches
//! of a fixed order, and written in input order, so that the output is the
//! same whatever the thread count.

use crate::aggregate::aggregate;
use crate::candidates::{analyze, Analysis};
use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::ingest::Document;
use crate::model::{EncodedWindow, PairModel};
use crate::output::PairRecord;
use rayon::prelude::*;

#[derive(Debug, Clone)]
pub struct ExtractOptions {
    pub batch_size: usize,
    /// Documents per chunk: bounds memory, and sets the batching order.
    pub chunk_docs: usize,
    /// Keep pairs with no label (with their scores), for curves and analysis.
    pub all_pairs: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            batch_size: 32,
            chunk_docs: 256,
            all_pairs: false,
        }
    }
}

/// What a run did, document by document: nothing is lost silently.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunSummary {
    pub documents_read: usize,
    pub documents_failed: usize,
    pub documents_processed: usize,
    pub windows: usize,
    pub candidate_pairs: usize,
    /// Pairs in windows that exceeded the length limit and were not scored.
    pub unscored_window_pairs: usize,
    pub records_written: usize,
}

/// Window scores of one document: per window, per pair (`None`: not scored).
type WindowScores = Vec<Vec<Option<[f32; 3]>>>;
type ChunkSlot = Option<std::result::Result<(Analysis, WindowScores), Error>>;

/// One document's result.
pub struct DocResult {
    pub analysis: Analysis,
    pub records: Vec<PairRecord>,
}

/// Runs the stages on one chunk of documents. Without a model, records are
/// the candidate pairs with no scores.
pub fn process_chunk(
    gazetteer: &Gazetteer,
    model: Option<&PairModel>,
    docs: Vec<Document>,
    options: &ExtractOptions,
    summary: &mut RunSummary,
) -> Result<Vec<std::result::Result<DocResult, Error>>> {
    let encoder = model.map(|m| &m.encoder);
    let analysed: Vec<std::result::Result<(Analysis, Vec<EncodedWindow>), Error>> = docs
        .into_par_iter()
        .map(|doc| {
            let analysis = analyze(gazetteer, doc);
            let encoded = match encoder {
                Some(e) => analysis
                    .windows
                    .iter()
                    .map(|w| e.encode(&analysis, w))
                    .collect::<Result<Vec<_>>>()?,
                None => Vec::new(),
            };
            Ok((analysis, encoded))
        })
        .collect();
    // Scores for all windows of the chunk, batched across documents.
    let mut flat: Vec<EncodedWindow> = Vec::new();
    let mut owners: Vec<(usize, usize)> = Vec::new();
    let mut out: Vec<ChunkSlot> = Vec::new();
    for (di, item) in analysed.into_iter().enumerate() {
        match item {
            Ok((analysis, encoded)) => {
                let n = analysis.windows.len();
                summary.windows += n;
                summary.candidate_pairs += analysis.pair_count();
                for (wi, e) in encoded.into_iter().enumerate() {
                    owners.push((di, wi));
                    flat.push(e);
                }
                let empty: Vec<Vec<Option<[f32; 3]>>> = analysis
                    .windows
                    .iter()
                    .map(|w| vec![None; w.pairs.len()])
                    .collect();
                out.push(Some(Ok((analysis, empty))));
            }
            Err(e) => out.push(Some(Err(e))),
        }
    }
    if let Some(m) = model {
        let scores = m.predict(&flat, options.batch_size)?;
        for ((di, wi), s) in owners.into_iter().zip(scores) {
            if let Some(Ok((_, per_window))) = &mut out[di] {
                summary.unscored_window_pairs += s.iter().filter(|x| x.is_none()).count();
                per_window[wi] = s;
            }
        }
    }
    let thresholds = model
        .map(|m| m.config.thresholds.clone())
        .unwrap_or_else(|| vec![0.5; 3]);
    Ok(out
        .into_iter()
        .map(|item| {
            let (analysis, scores) = item.expect("every chunk slot is filled")?;
            let mut records = aggregate(
                gazetteer,
                &analysis,
                model.map(|_| scores.as_slice()),
                &thresholds,
            );
            if model.is_some() && !options.all_pairs {
                records.retain(|r| !r.labels.is_empty());
            }
            Ok(DocResult { analysis, records })
        })
        .collect())
}

/// Runs the whole pass over a document stream. `on_doc` gets every processed
/// document in input order; `on_error` every document that failed, with the
/// reason. Returns the summary.
pub fn run(
    gazetteer: &Gazetteer,
    model: Option<&PairModel>,
    docs: impl Iterator<Item = Result<Document>>,
    options: &ExtractOptions,
    mut on_doc: impl FnMut(&DocResult) -> Result<()>,
    mut on_error: impl FnMut(&Error),
) -> Result<RunSummary> {
    let mut summary = RunSummary::default();
    let mut chunk = Vec::with_capacity(options.chunk_docs);
    let mut docs = docs.peekable();
    while docs.peek().is_some() {
        chunk.clear();
        while chunk.len() < options.chunk_docs {
            match docs.next() {
                Some(Ok(doc)) => {
                    summary.documents_read += 1;
                    chunk.push(doc);
                }
                Some(Err(e)) => {
                    summary.documents_read += 1;
                    summary.documents_failed += 1;
                    on_error(&e);
                }
                None => break,
            }
        }
        for result in process_chunk(
            gazetteer,
            model,
            std::mem::take(&mut chunk),
            options,
            &mut summary,
        )? {
            match result {
                Ok(doc) => {
                    summary.documents_processed += 1;
                    summary.records_written += doc.records.len();
                    on_doc(&doc)?;
                }
                Err(e) => {
                    summary.documents_failed += 1;
                    on_error(&e);
                }
            }
        }
    }
    Ok(summary)
}
