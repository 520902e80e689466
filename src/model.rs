//! Stage 5: the relation classifier. A BERT encoder (rust-bert's BertModel,
//! initialised from all-MiniLM-L6-v2) reads a context window with every place
//! mention wrapped in entity markers, and one pass scores every candidate pair
//! of the window for the three labels.
//!
//! Pair representation (after ATLOP, Zhou et al. 2021): a place is the
//! log-sum-exp of the hidden states at its start markers; the pair's local
//! context is the hidden states weighted by the product of the two places'
//! last-layer attention; the features are symmetric in the two places
//! (sum, product, context, [CLS], and embeddings of the closest two
//! mentions' distance and of what links them), so the pair is unordered. A two-layer head
//! gives one logit per label; labels are independent sigmoids (multi-label).

use crate::candidates::{Analysis, Window};
use crate::error::{Error, Result};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tch::{nn, nn::Module, Device, Kind, Tensor};
use tokenizers::Tokenizer;

pub const LABELS: [&str; 3] = crate::eval::LABELS;
pub const WEIGHTS_FILE: &str = "model.safetensors";
pub const CONFIG_FILE: &str = "config.json";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const ARCHITECTURE: &str = "bert-entity-marker-pair-v3";
/// Buckets of the distance feature: 7 token-distance buckets, times
/// whether the two places share a sentence.
const DISTANCE_BUCKETS: i64 = 14;
const DISTANCE_DIM: i64 = 32;
/// Buckets of the link feature: what stands between the pair's closest two
/// mentions (5 gap kinds, see [`GapKind`]) times how many other place
/// mentions lie between them (0, 1, 2, 3 or more). It tells the items of a
/// pair list ("between A and B, C and D") from the cross pairs, which the
/// pooled marker states alone blur.
const LINK_BUCKETS: i64 = (GapKind::Long as i64 + 1) * BETWEEN_BUCKETS;
/// Buckets of the count of other place mentions between: 0, 1, 2, 3 or more.
const BETWEEN_BUCKETS: i64 = 4;
const LINK_DIM: i64 = 16;
/// Words that join the two places of a pair in a list of pairs or in pair
/// notation ("A and B", "A with B", "A–B", "A/B"), in the corpus languages.
/// Only words that are one token of the vocabulary count; part of the
/// architecture, so changing the list needs a new architecture name.
const CONNECTORS: &[&str] = &[
    "and", "with", "&", "-", "–", "—", "/", "+", "und", "mit", "et", "avec", "y", "con", "e", "i",
    "и", "і", "та", "з", "с", "a", "en", "met", "oraz", "ze", "z", "com",
];
const COMMAS: &[&str] = &[",", ";"];

/// What separates the closest two mentions of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GapKind {
    /// The mentions are in different sentences.
    OtherSentence = 0,
    /// Only connector words ("and", "with", "–"), or nothing.
    Connector = 1,
    /// Only commas or semicolons.
    Comma = 2,
    /// Other words, at most 4 tokens.
    Short = 3,
    /// Other words, more than 4 tokens.
    Long = 4,
}

/// How places are marked in the encoder input. Part of the model config: a
/// model is only valid with the markers it was trained with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MarkerScheme {
    pub mention_start: String,
    pub mention_end: String,
    /// Between the title and the body sentences.
    pub title_separator: String,
}

impl Default for MarkerScheme {
    fn default() -> Self {
        MarkerScheme {
            mention_start: "[unused0]".into(),
            mention_end: "[unused1]".into(),
            title_separator: "[SEP]".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileDigest {
    pub path: String,
    pub sha256: String,
}

/// `config.json` of a model directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelConfig {
    pub architecture: String,
    pub labels: Vec<String>,
    /// One decision threshold per label, tuned on the dev set.
    pub thresholds: Vec<f32>,
    pub markers: MarkerScheme,
    pub max_length: usize,
    pub head_hidden: i64,
    /// The encoder's configuration (the base model's config.json).
    pub encoder: serde_json::Value,
    pub base_model: FileDigest,
    pub weights: FileDigest,
    pub weights_dtype: String,
    pub tokenizer: FileDigest,
    /// How the model was trained: data files with sha256, hyper-parameters,
    /// seed, scores. Free-form so that it can grow.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// One sentence of a window: its index, token ids with markers, and for each
/// token the window place whose start marker it is.
type EncodedPart = (usize, Vec<i64>, Vec<Option<usize>>);

/// A window turned into encoder input.
#[derive(Debug, Clone)]
pub struct EncodedWindow {
    pub ids: Vec<i64>,
    /// Token positions of each window place's start markers; empty when the
    /// place was cut off by the length limit.
    pub place_starts: Vec<Vec<i64>>,
    /// The window's pairs that can be scored (both places kept), as indices
    /// into the window's places, and the index of the pair in `Window::pairs`.
    pub pairs: Vec<(usize, usize, usize)>,
    /// For each scoreable pair, its distance bucket: the closest two mentions'
    /// token distance (log buckets) and whether they share a sentence.
    pub pair_buckets: Vec<i64>,
    /// For each scoreable pair, its link bucket: the gap kind between the
    /// closest two mentions and the number of other place mentions between them.
    pub pair_links: Vec<i64>,
    /// Number of pairs of the window, scoreable or not.
    pub n_pairs: usize,
}

pub struct PairModel {
    pub vs: nn::VarStore,
    bert: BertModel<BertEmbeddings>,
    distance: nn::Embedding,
    link: nn::Embedding,
    proj: nn::Linear,
    out: nn::Linear,
    pub encoder: WindowEncoder,
    pub config: ModelConfig,
}

/// Turns windows into encoder input. Separate from the model (and `Sync`) so
/// that documents can be encoded in parallel.
pub struct WindowEncoder {
    pub tokenizer: Tokenizer,
    pub max_length: usize,
    start_id: i64,
    end_id: i64,
    sep_id: i64,
    cls_id: i64,
    pad_id: i64,
    connector_ids: std::collections::HashSet<i64>,
    comma_ids: std::collections::HashSet<i64>,
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(format!("{:x}", hasher.finalize()))
}

fn model_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Model {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The directory of the base encoder unpacked by `scripts/setup.sh`.
pub fn default_base_model_dir() -> PathBuf {
    std::env::var_os("TWINREL_BASE_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::cache_dir().join("base-model"))
}

/// The shipped model: `$TWINREL_MODEL`, else `models/default` beside the
/// binary's source tree.
pub fn default_model_dir() -> PathBuf {
    std::env::var_os("TWINREL_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("models")
                .join("default")
        })
}

pub fn device() -> Device {
    if std::env::var_os("TWINREL_CPU").is_some() {
        Device::Cpu
    } else {
        Device::cuda_if_available()
    }
}

impl PairModel {
    fn build(
        encoder: serde_json::Value,
        tokenizer: Tokenizer,
        config: ModelConfig,
        device: Device,
        origin: &Path,
    ) -> Result<Self> {
        let mut bert_config: BertConfig = serde_json::from_value(encoder)
            .map_err(|e| model_err(origin, format!("encoder config: {e}")))?;
        bert_config.output_attentions = Some(true);
        bert_config.output_hidden_states = Some(false);
        let vs = nn::VarStore::new(device);
        let root = vs.root();
        let bert =
            BertModel::<BertEmbeddings>::new_with_optional_pooler(&root, &bert_config, false);
        let hidden = bert_config.hidden_size;
        let head = root.set_group(1) / "pair_head";
        let distance = nn::embedding(
            &head / "distance",
            DISTANCE_BUCKETS,
            DISTANCE_DIM,
            Default::default(),
        );
        let link = nn::embedding(&head / "link", LINK_BUCKETS, LINK_DIM, Default::default());
        let proj = nn::linear(
            &head / "proj",
            4 * hidden + DISTANCE_DIM + LINK_DIM,
            config.head_hidden,
            Default::default(),
        );
        let out = nn::linear(
            &head / "out",
            config.head_hidden,
            LABELS.len() as i64,
            Default::default(),
        );
        let encoder = WindowEncoder::new(tokenizer, &config.markers, config.max_length)
            .map_err(|m| model_err(origin, m))?;
        Ok(PairModel {
            vs,
            distance,
            link,
            bert,
            proj,
            out,
            encoder,
            config,
        })
    }

    /// A new model for training: the encoder from the base model directory
    /// (model.safetensors, config.json, tokenizer.json), a fresh head.
    pub fn from_base(base_dir: &Path, max_length: usize, device: Device) -> Result<Self> {
        let read = |f: &str| -> Result<PathBuf> {
            let p = base_dir.join(f);
            if p.is_file() {
                Ok(p)
            } else {
                Err(model_err(
                    base_dir,
                    format!("missing {f} (run scripts/setup.sh, or set TWINREL_BASE_MODEL)"),
                ))
            }
        };
        let weights = read("model.safetensors")?;
        let encoder: serde_json::Value = serde_json::from_slice(
            &std::fs::read(read("config.json")?)
                .map_err(|e| Error::io(base_dir.join("config.json"), e))?,
        )
        .map_err(|e| model_err(base_dir, format!("config.json: {e}")))?;
        let tokenizer_path = read("tokenizer.json")?;
        let tokenizer = load_tokenizer(&tokenizer_path)?;
        let config = ModelConfig {
            architecture: ARCHITECTURE.into(),
            labels: LABELS.iter().map(|s| s.to_string()).collect(),
            thresholds: vec![crate::eval::DEFAULT_THRESHOLD; LABELS.len()],
            markers: MarkerScheme::default(),
            max_length,
            head_hidden: 384,
            encoder: encoder.clone(),
            base_model: FileDigest {
                path: weights.display().to_string(),
                sha256: sha256_file(&weights)?,
            },
            weights: FileDigest {
                path: WEIGHTS_FILE.into(),
                sha256: String::new(),
            },
            weights_dtype: "f16".into(),
            tokenizer: FileDigest {
                path: TOKENIZER_FILE.into(),
                sha256: sha256_file(&tokenizer_path)?,
            },
            training: serde_json::Value::Null,
        };
        let mut model = Self::build(encoder, tokenizer, config, device, base_dir)?;
        let missing = model
            .vs
            .load_partial(&weights)
            .map_err(|e| model_err(&weights, format!("cannot load the base weights: {e}")))?;
        // Only the new head may be missing from the base weights.
        let unexpected: Vec<_> = missing
            .iter()
            .filter(|n| !n.starts_with("pair_head."))
            .collect();
        if !unexpected.is_empty() {
            return Err(model_err(
                &weights,
                format!("base weights lack encoder tensors: {unexpected:?}"),
            ));
        }
        Ok(model)
    }

    /// Loads a model directory written by [`PairModel::save`], checking that
    /// every file is there and matches the digests in config.json.
    pub fn load(dir: &Path, device: Device) -> Result<Self> {
        let config_path = dir.join(CONFIG_FILE);
        let bytes = std::fs::read(&config_path).map_err(|e| {
            model_err(
                dir,
                format!("cannot read {CONFIG_FILE}: {e} (is this a twinrel model directory?)"),
            )
        })?;
        let config: ModelConfig = serde_json::from_slice(&bytes)
            .map_err(|e| model_err(&config_path, format!("invalid model config: {e}")))?;
        if config.architecture != ARCHITECTURE {
            return Err(model_err(
                dir,
                format!("architecture {} is not {ARCHITECTURE}", config.architecture),
            ));
        }
        if config.labels != LABELS || config.thresholds.len() != LABELS.len() {
            return Err(model_err(
                dir,
                format!("labels {:?} do not match {LABELS:?}", config.labels),
            ));
        }
        for digest in [&config.weights, &config.tokenizer] {
            let path = dir.join(&digest.path);
            if !path.is_file() {
                return Err(model_err(dir, format!("missing {}", digest.path)));
            }
            let actual = sha256_file(&path)?;
            if actual != digest.sha256 {
                return Err(model_err(
                    &path,
                    format!(
                        "sha256 {actual} does not match config.json ({})",
                        digest.sha256
                    ),
                ));
            }
        }
        let tokenizer = load_tokenizer(&dir.join(&config.tokenizer.path))?;
        let weights = dir.join(&config.weights.path);
        let model = Self::build(config.encoder.clone(), tokenizer, config, device, dir)?;
        load_weights(&model.vs, &weights)?;
        Ok(model)
    }

    /// Writes config.json, the weights (as f16 safetensors, 45 MB for
    /// MiniLM-L6) and tokenizer.json into `dir`.
    pub fn save(&mut self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let weights = dir.join(WEIGHTS_FILE);
        let mut named: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .map(|(name, t)| (name, t.detach().to_kind(Kind::Half).to_device(Device::Cpu)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        Tensor::write_safetensors(&named, &weights)
            .map_err(|e| Error::torch(format!("writing {}", weights.display()), e))?;
        let tokenizer_path = dir.join(TOKENIZER_FILE);
        self.encoder
            .tokenizer
            .save(&tokenizer_path, false)
            .map_err(|e| Error::Tokenizer {
                path: tokenizer_path.clone(),
                message: e.to_string(),
            })?;
        self.config.weights.sha256 = sha256_file(&weights)?;
        self.config.tokenizer.sha256 = sha256_file(&tokenizer_path)?;
        let json = serde_json::to_vec_pretty(&self.config).expect("config serialises");
        std::fs::write(dir.join(CONFIG_FILE), json).map_err(|e| Error::io(dir.join(CONFIG_FILE), e))
    }

    /// Logits `[pairs, 3]` for the scoreable pairs of a batch of windows, in
    /// window order then pair order.
    pub fn forward(&self, batch: &[&EncodedWindow], train: bool) -> Result<Tensor> {
        let device = self.vs.device();
        let max_len = batch.iter().map(|w| w.ids.len()).max().unwrap_or(1);
        let mut flat = Vec::with_capacity(batch.len() * max_len);
        for w in batch {
            flat.extend_from_slice(&w.ids);
            flat.extend(std::iter::repeat_n(
                self.encoder.pad_id,
                max_len - w.ids.len(),
            ));
        }
        let ids = Tensor::from_slice(&flat)
            .view([batch.len() as i64, max_len as i64])
            .to_device(device);
        let mask = ids.ne(self.encoder.pad_id).to_kind(Kind::Int64);
        let output = self
            .bert
            .forward_t(Some(&ids), Some(&mask), None, None, None, None, None, train)
            .map_err(|e| {
                Error::Config(format!(
                    "encoder forward pass on a batch of shape [{}, {max_len}]: {e}",
                    batch.len()
                ))
            })?;
        let hidden = output.hidden_state;
        let attention = output
            .all_attentions
            .and_then(|mut a| a.pop())
            .ok_or_else(|| Error::Config("the encoder returned no attention weights".into()))?
            .mean_dim(Some(&[1i64][..]), false, Kind::Float); // [B, L, L], heads averaged
        let mut features = Vec::new();
        for (b, w) in batch.iter().enumerate() {
            if w.pairs.is_empty() {
                continue;
            }
            let h = hidden.get(b as i64);
            let att = attention.get(b as i64);
            let mut reps = Vec::with_capacity(w.place_starts.len());
            let mut atts = Vec::with_capacity(w.place_starts.len());
            for starts in &w.place_starts {
                if starts.is_empty() {
                    reps.push(Tensor::zeros([h.size()[1]], (Kind::Float, device)));
                    atts.push(Tensor::zeros([max_len as i64], (Kind::Float, device)));
                    continue;
                }
                let pos = Tensor::from_slice(starts).to_device(device);
                reps.push(h.index_select(0, &pos).logsumexp([0i64], false));
                atts.push(att.index_select(0, &pos).mean_dim(
                    Some(&[0i64][..]),
                    false,
                    Kind::Float,
                ));
            }
            let reps = Tensor::stack(&reps, 0);
            let atts = Tensor::stack(&atts, 0);
            let xs = Tensor::from_slice(&w.pairs.iter().map(|p| p.0 as i64).collect::<Vec<_>>())
                .to_device(device);
            let ys = Tensor::from_slice(&w.pairs.iter().map(|p| p.1 as i64).collect::<Vec<_>>())
                .to_device(device);
            let (rx, ry) = (reps.index_select(0, &xs), reps.index_select(0, &ys));
            let q = atts.index_select(0, &xs) * atts.index_select(0, &ys);
            let q = &q / (q.sum_dim_intlist(Some(&[1i64][..]), true, Kind::Float) + 1e-10);
            let context = q.matmul(&h);
            let cls = h
                .get(0)
                .unsqueeze(0)
                .expand([w.pairs.len() as i64, -1], false);
            let buckets = Tensor::from_slice(&w.pair_buckets).to_device(device);
            let dist = self.distance.forward(&buckets);
            let links = Tensor::from_slice(&w.pair_links).to_device(device);
            let link = self.link.forward(&links);
            features.push(Tensor::cat(
                &[&rx + &ry, &rx * &ry, context, cls, dist, link],
                1,
            ));
        }
        if features.is_empty() {
            return Ok(Tensor::zeros(
                [0, LABELS.len() as i64],
                (Kind::Float, device),
            ));
        }
        let features = Tensor::cat(&features, 0);
        let hidden = self
            .proj
            .forward(&features)
            .gelu("none")
            .dropout(0.1, train);
        Ok(self.out.forward(&hidden))
    }

    /// Probabilities for every pair of every window, `None` for pairs cut off
    /// by the length limit. Windows are batched by length, in a fixed order
    /// that does not depend on the thread count.
    pub fn predict(
        &self,
        windows: &[EncodedWindow],
        batch_size: usize,
    ) -> Result<Vec<Vec<Option<[f32; 3]>>>> {
        let mut order: Vec<usize> = (0..windows.len()).collect();
        order.sort_by_key(|&i| (windows[i].ids.len(), i));
        let mut out: Vec<Vec<Option<[f32; 3]>>> =
            windows.iter().map(|w| vec![None; w.n_pairs]).collect();
        let _guard = tch::no_grad_guard();
        for chunk in order.chunks(batch_size.max(1)) {
            let batch: Vec<&EncodedWindow> = chunk.iter().map(|&i| &windows[i]).collect();
            if batch.iter().all(|w| w.pairs.is_empty()) {
                continue;
            }
            let probs = self
                .forward(&batch, false)?
                .sigmoid()
                .to_device(Device::Cpu)
                .to_kind(Kind::Float);
            let flat: Vec<f32> = Vec::<f32>::try_from(probs.reshape([-1]))
                .map_err(|e| Error::torch("reading scores", e))?;
            let mut row = 0;
            for &i in chunk {
                for &(_, _, pair_index) in &windows[i].pairs {
                    let s = &flat[row * 3..row * 3 + 3];
                    out[i][pair_index] = Some([s[0], s[1], s[2]]);
                    row += 1;
                }
            }
        }
        Ok(out)
    }
}

impl WindowEncoder {
    pub fn new(
        mut tokenizer: Tokenizer,
        markers: &MarkerScheme,
        max_length: usize,
    ) -> std::result::Result<Self, String> {
        // The base tokenizer.json pads and truncates to 128: windows are
        // assembled from several sentences and limited here instead.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| format!("cannot turn off truncation: {e}"))?;
        let id = |tok: &str| -> std::result::Result<i64, String> {
            tokenizer
                .token_to_id(tok)
                .map(i64::from)
                .ok_or_else(|| format!("token {tok} is not in the tokenizer's vocabulary"))
        };
        let single_tokens = |words: &[&str]| -> std::collections::HashSet<i64> {
            words
                .iter()
                .filter_map(|w| tokenizer.token_to_id(w).map(i64::from))
                .collect()
        };
        Ok(WindowEncoder {
            connector_ids: single_tokens(CONNECTORS),
            comma_ids: single_tokens(COMMAS),
            start_id: id(&markers.mention_start)?,
            end_id: id(&markers.mention_end)?,
            sep_id: id(&markers.title_separator)?,
            cls_id: id("[CLS]")?,
            pad_id: id("[PAD]")?,
            max_length,
            tokenizer,
        })
    }

    /// The kind of the gap between two mentions, given the tokens from the
    /// first mention's start marker up to the second's: the tokens after the
    /// first mention's end marker.
    fn gap_kind(&self, span: &[i64]) -> GapKind {
        let gap = match span.iter().position(|&t| t == self.end_id) {
            Some(end) => &span[end + 1..],
            None => return GapKind::Long, // the first mention was cut off
        };
        if gap.iter().all(|t| self.connector_ids.contains(t)) {
            GapKind::Connector
        } else if gap.iter().all(|t| self.comma_ids.contains(t)) {
            GapKind::Comma
        } else if gap.len() <= 4 {
            GapKind::Short
        } else {
            GapKind::Long
        }
    }

    /// Builds the encoder input of a window: `[CLS] title [SEP] previous
    /// centre next [SEP]`, each place mention wrapped in the markers. When it
    /// is too long, the next sentence goes first, then the previous one, then
    /// the title, and last the end of the centre sentence.
    pub fn encode(&self, analysis: &Analysis, window: &Window) -> Result<EncodedWindow> {
        let max_len = self.max_length;
        // (sentence index, token ids with markers, for each token: place index of a start marker)
        let mut parts: Vec<EncodedPart> = Vec::new();
        for &s in &window.sentences {
            let sentence = &analysis.sentences[s];
            let enc = self
                .tokenizer
                .encode_char_offsets(sentence.text.as_str(), false)
                .map_err(|e| Error::BadDocument {
                    doc: analysis.doc.id.clone(),
                    message: format!("tokenizer: {e}"),
                })?;
            // Mentions of window places in this sentence, as char ranges in the sentence.
            let mut spans: Vec<(usize, usize, usize)> = Vec::new();
            for (pi, place) in window.places.iter().enumerate() {
                for &m in &place.mentions {
                    let mention = &analysis.mentions[m];
                    if mention.sentence == s {
                        spans.push((
                            mention.start - sentence.start,
                            mention.end - sentence.start,
                            pi,
                        ));
                    }
                }
            }
            spans.sort();
            let mut ids = Vec::with_capacity(enc.get_ids().len() + 2 * spans.len());
            let mut starts = Vec::with_capacity(ids.capacity());
            let mut open: Option<(usize, usize)> = None; // (end char, place)
            let mut next_span = 0;
            for (&id, &(tok_start, tok_end)) in enc.get_ids().iter().zip(enc.get_offsets()) {
                if let Some((end, _)) = open {
                    if tok_start >= end {
                        ids.push(self.end_id);
                        starts.push(None);
                        open = None;
                    }
                }
                while next_span < spans.len() && spans[next_span].1 <= tok_start {
                    next_span += 1; // a mention inside a token it does not start: skip it
                }
                if open.is_none()
                    && next_span < spans.len()
                    && spans[next_span].0 <= tok_start
                    && tok_start < spans[next_span].1
                {
                    ids.push(self.start_id);
                    starts.push(Some(spans[next_span].2));
                    open = Some((spans[next_span].1, spans[next_span].2));
                    next_span += 1;
                }
                ids.push(i64::from(id));
                starts.push(None);
                let _ = tok_end;
            }
            if open.is_some() {
                ids.push(self.end_id);
                starts.push(None);
            }
            parts.push((s, ids, starts));
        }
        let title = analysis
            .sentences
            .iter()
            .position(|s| s.kind == crate::sentences::SentenceKind::Title);
        let center = window.center;
        let budget = |parts: &[EncodedPart]| -> usize {
            let has_title = parts.iter().any(|p| Some(p.0) == title && p.0 != center);
            parts.iter().map(|p| p.1.len()).sum::<usize>() + 2 + usize::from(has_title)
        };
        for drop in [
            center + 1,
            center.wrapping_sub(1),
            title.unwrap_or(usize::MAX),
        ] {
            if budget(&parts) <= max_len {
                break;
            }
            if drop != center {
                parts.retain(|p| p.0 != drop);
            }
        }
        let mut ids = vec![self.cls_id];
        let mut place_starts = vec![Vec::new(); window.places.len()];
        let mut start_sentences: Vec<Vec<usize>> = vec![Vec::new(); window.places.len()];
        for (s, part_ids, part_starts) in &parts {
            let is_title = Some(*s) == title && *s != center;
            for (&id, &start) in part_ids.iter().zip(part_starts) {
                if let Some(p) = start {
                    place_starts[p].push(ids.len() as i64);
                    start_sentences[p].push(*s);
                }
                ids.push(id);
            }
            if is_title {
                ids.push(self.sep_id);
            }
        }
        if ids.len() + 1 > max_len {
            ids.truncate(max_len - 1);
            // Starts were pushed in increasing order: the kept ones are a prefix.
            for (starts, sentences) in place_starts.iter_mut().zip(&mut start_sentences) {
                let kept = starts.partition_point(|&p| (p as usize) < max_len - 1);
                starts.truncate(kept);
                sentences.truncate(kept);
            }
        }
        ids.push(self.sep_id);
        let pairs: Vec<(usize, usize, usize)> = window
            .pairs
            .iter()
            .enumerate()
            .filter(|(_, (a, b))| !place_starts[*a].is_empty() && !place_starts[*b].is_empty())
            .map(|(i, &(a, b))| (a, b, i))
            .collect();
        let mut pair_buckets = Vec::with_capacity(pairs.len());
        let mut pair_links = Vec::with_capacity(pairs.len());
        for &(a, b, _) in &pairs {
            // The closest two mentions, preferring two in the same sentence:
            // (in other sentences, distance, first position, second position).
            let (other_sentence, distance, first, second) = place_starts[a]
                .iter()
                .zip(&start_sentences[a])
                .flat_map(|(&pa, sa)| {
                    place_starts[b]
                        .iter()
                        .zip(&start_sentences[b])
                        .map(move |(&pb, sb)| (sa != sb, (pa - pb).abs(), pa.min(pb), pa.max(pb)))
                })
                .min()
                .expect("scoreable pairs have kept mentions");
            let log_bucket = match distance {
                0..=2 => 0,
                3..=4 => 1,
                5..=8 => 2,
                9..=16 => 3,
                17..=32 => 4,
                33..=64 => 5,
                _ => 6,
            };
            pair_buckets.push(log_bucket + 7 * i64::from(!other_sentence));
            let between = place_starts
                .iter()
                .enumerate()
                .filter(|&(p, _)| p != a && p != b)
                .flat_map(|(_, starts)| starts.iter())
                .filter(|&&p| first < p && p < second)
                .count()
                .min(BETWEEN_BUCKETS as usize - 1) as i64;
            let gap = if other_sentence {
                GapKind::OtherSentence
            } else {
                self.gap_kind(&ids[first as usize..second as usize])
            };
            pair_links.push(gap as i64 * BETWEEN_BUCKETS + between);
        }
        Ok(EncodedWindow {
            ids,
            place_starts,
            pairs,
            pair_buckets,
            pair_links,
            n_pairs: window.pairs.len(),
        })
    }
}

/// Copies stored tensors (f16 or f32) into the store's f32 variables. Every
/// variable must be in the file and no tensor may be left over: a model
/// directory that does not fit the architecture is refused. (VarStore::load
/// would instead turn the variables into f16.)
fn load_weights(vs: &nn::VarStore, path: &Path) -> Result<()> {
    let stored = Tensor::read_safetensors(path)
        .map_err(|e| model_err(path, format!("cannot read weights: {e}")))?;
    let mut stored: std::collections::HashMap<String, Tensor> = stored.into_iter().collect();
    let mut variables = vs.variables();
    // Sorted names of `a` that `b` lacks, for the error message.
    fn lacking<'a, V, W>(
        a: &'a std::collections::HashMap<String, V>,
        b: &std::collections::HashMap<String, W>,
    ) -> Vec<&'a String> {
        let mut names: Vec<&String> = a.keys().filter(|n| !b.contains_key(*n)).collect();
        names.sort();
        names
    }
    let missing = lacking(&variables, &stored);
    if !missing.is_empty() {
        return Err(model_err(
            path,
            format!("tensors missing from the weights: {missing:?}"),
        ));
    }
    let extra = lacking(&stored, &variables);
    if !extra.is_empty() {
        return Err(model_err(
            path,
            format!("tensors that this architecture does not have: {extra:?}"),
        ));
    }
    tch::no_grad(|| -> Result<()> {
        for (name, var) in variables.iter_mut() {
            let src = stored.remove(name).expect("checked above");
            if src.size() != var.size() {
                return Err(model_err(
                    path,
                    format!(
                        "tensor {name} has shape {:?}, the model expects {:?}",
                        src.size(),
                        var.size()
                    ),
                ));
            }
            var.copy_(&src.to_kind(var.kind()).to_device(var.device()));
        }
        Ok(())
    })
}

fn load_tokenizer(path: &Path) -> Result<Tokenizer> {
    Tokenizer::from_file(path).map_err(|e| Error::Tokenizer {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::analyze;
    use crate::gazetteer::Gazetteer;
    use crate::ingest::{Document, Origin};

    fn encoder(max_length: usize) -> WindowEncoder {
        let path = default_base_model_dir().join("tokenizer.json");
        WindowEncoder::new(
            load_tokenizer(&path).expect("base tokenizer (run scripts/setup.sh)"),
            &MarkerScheme::default(),
            max_length,
        )
        .unwrap()
    }

    fn analysis(text: &str) -> Analysis {
        let g = Gazetteer::from_rows(
            &[
                (1, "Huaibei", "CN", "01", 2_000_000, &[]),
                (2, "Springdale", "US", "AR", 80_000, &[]),
                (3, "Coventry", "GB", "ENG", 325_000, &[]),
                (4, "Volgograd", "RU", "84", 1_000_000, &[]),
            ],
            &[("CN", "China")],
        );
        let doc = Document {
            id: "d".into(),
            text: text.into(),
            title: None,
            date: None,
            url: None,
            lang: None,
            origin: Origin::default(),
        };
        analyze(&g, doc)
    }

    #[test]
    fn every_mention_is_wrapped_in_markers() {
        let e = encoder(128);
        let a = analysis("Consider Huaibei, a city in China’s Anhui province. They feel spurned by their sister city, Springdale, Ark.");
        assert_eq!(a.windows.len(), 2);
        for w in &a.windows {
            let enc = e.encode(&a, w).unwrap();
            let toks: Vec<String> = enc
                .ids
                .iter()
                .map(|&i| e.tokenizer.id_to_token(i as u32).unwrap_or_default())
                .collect();
            assert!(
                enc.place_starts.iter().all(|s| !s.is_empty()),
                "{:?} {:?} {:?} {:?}",
                enc.place_starts,
                toks,
                w,
                a.mentions
            );
            assert_eq!(enc.pairs.len(), w.pairs.len());
            let starts = enc.ids.iter().filter(|&&i| i == e.start_id).count();
            let ends = enc.ids.iter().filter(|&&i| i == e.end_id).count();
            assert_eq!((starts, ends), (2, 2));
            assert_eq!((enc.ids[0], *enc.ids.last().unwrap()), (e.cls_id, e.sep_id));
        }
    }

    #[test]
    fn long_windows_drop_neighbours_first_and_stay_within_the_limit() {
        let filler =
            "The weather was mild and the council met for a long session about budgets. ".repeat(3);
        let text = format!("{filler}Coventry has been twinned with Volgograd since 1944. {filler}");
        let a = analysis(&text);
        let e = encoder(40);
        let enc = e.encode(&a, &a.windows[0]).unwrap();
        assert!(enc.ids.len() <= 40);
        assert_eq!(enc.pairs.len(), 1, "the centre sentence fits and is kept");
    }

    #[test]
    fn link_buckets_tell_list_items_from_cross_pairs() {
        let e = encoder(128);
        let a = analysis(
            "Contacts continue between Coventry and Volgograd, Huaibei and Springdale. Coventry has a new mayor.",
        );
        let w = &a.windows[0];
        let enc = e.encode(&a, w).unwrap();
        let name = |p: usize| analysis_name(&a, w, p);
        let mut links = std::collections::BTreeMap::new();
        for (&(x, y, _), &link) in enc.pairs.iter().zip(&enc.pair_links) {
            let mut key = [name(x), name(y)];
            key.sort();
            links.insert(
                key.join("-"),
                (link / BETWEEN_BUCKETS, link % BETWEEN_BUCKETS),
            );
        }
        let connector = GapKind::Connector as i64;
        let comma = GapKind::Comma as i64;
        assert_eq!(links["Coventry-Volgograd"], (connector, 0), "{links:?}");
        assert_eq!(links["Huaibei-Springdale"], (connector, 0), "{links:?}");
        assert_eq!(links["Huaibei-Volgograd"], (comma, 0), "{links:?}");
        assert_eq!(
            links["Coventry-Huaibei"],
            (GapKind::Long as i64, 1),
            "{links:?}"
        );
        assert_eq!(links["Coventry-Springdale"].1, 2, "{links:?}");
    }

    fn analysis_name(a: &Analysis, w: &Window, p: usize) -> String {
        a.mentions[w.places[p].mentions[0]].surface.clone()
    }
}
