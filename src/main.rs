//! The `twinrel` binary: parses flags into a config and calls the library.
//! Exit codes: 0 success, 1 when some documents failed (each is reported on
//! stderr), 2 on usage or fatal errors. A closed pipe ends quietly with 0.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use twinrel::gazetteer::Gazetteer;
use twinrel::ingest::{read_documents, FieldNames, InputSource};
use twinrel::model::PairModel;
use twinrel::pipeline::{run, ExtractOptions, RunSummary};

#[derive(Parser)]
#[command(
    name = "twinrel",
    version,
    about = "Finds twinned, proposed and break-called city pairs in news archives"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Worker threads (rayon and torch). TWINREL_NO_PARALLEL=1 means 1.
    #[arg(long, global = true, env = "TWINREL_THREADS")]
    threads: Option<usize>,
    /// GeoNames data directory (default: $TWINREL_GEONAMES or <cache>/geonames).
    #[arg(long, global = true)]
    geonames: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract relations: one record per (document, pair) with labels, scores and evidence.
    Extract(ExtractArgs),
    /// Write the candidate pairs (no model): for inspection and annotation export.
    Candidates(InputArgs),
    /// Fine-tune a model on gold-format JSON Lines.
    Train(TrainArgs),
    /// Score a model or a prediction file against a gold file.
    Eval(EvalArgs),
}

#[derive(Args)]
struct InputArgs {
    /// Inputs: directories of text files, JSON Lines files (.jsonl, .jsonl.gz, .jsonl.zst), or - for stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// JSON field(s) holding the document id (default: id, then doc).
    #[arg(long = "id-field")]
    id_fields: Vec<String>,
    /// JSON field holding the text.
    #[arg(long = "text-field", default_value = "text")]
    text_field: String,
    /// Write here instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Jsonl,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Model directory (default: $TWINREL_MODEL or models/default).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Also write pairs with no label, with their scores.
    #[arg(long)]
    all_pairs: bool,
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
}

#[derive(Args)]
struct TrainArgs {
    /// Gold-format JSON Lines with text (repeatable). `PATH@N` repeats the
    /// file's examples N times per epoch.
    #[arg(long = "train", required = true)]
    train: Vec<PathBuf>,
    /// Dev gold file: model selection and thresholds.
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Output model directory.
    #[arg(long)]
    out: PathBuf,
    /// Base encoder directory (default: $TWINREL_BASE_MODEL or <cache>/base-model).
    #[arg(long)]
    base_model: Option<PathBuf>,
    #[arg(long, default_value_t = 4)]
    epochs: usize,
    #[arg(long, default_value_t = 5e-5)]
    lr: f64,
    #[arg(long, default_value_t = 20.0)]
    head_lr_factor: f64,
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    #[arg(long, default_value_t = 160)]
    max_length: usize,
    #[arg(long, default_value_t = 13)]
    seed: u64,
    /// Stop after this many steps (smoke tests).
    #[arg(long)]
    max_steps: Option<usize>,
}

#[derive(Args)]
struct EvalArgs {
    /// Gold file (ANNOTATION.md format).
    #[arg(long)]
    gold: PathBuf,
    /// Score this prediction file (output schema) instead of running a model.
    #[arg(long)]
    pred: Option<PathBuf>,
    /// Texts of the gold documents when the gold file has none (e.g. ../shared/seeds).
    #[arg(long)]
    input: Option<PathBuf>,
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Write an HTML report with plots into this directory.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Also write the predictions (all scored pairs) here.
    #[arg(long)]
    write_pred: Option<PathBuf>,
    /// Errors to list in the terminal table.
    #[arg(long, default_value_t = 20)]
    errors: usize,
}

fn main() {
    let code = match real_main() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                0
            } else {
                eprintln!("twinrel: error: {err:#}");
                2
            }
        }
    };
    std::process::exit(code);
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn threads(cli: &Cli) -> usize {
    if std::env::var("TWINREL_NO_PARALLEL").is_ok_and(|v| v == "1" || v == "true") {
        return 1;
    }
    cli.threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1)
}

fn real_main() -> Result<i32> {
    let cli = Cli::parse();
    let n = threads(&cli);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .context("starting the thread pool")?;
    tch::set_num_threads(n as i32);
    let gazetteer_dir = cli.geonames.clone().unwrap_or_else(Gazetteer::default_dir);
    let load_gazetteer = || Gazetteer::load(&gazetteer_dir).context("loading the gazetteer");
    match &cli.command {
        Command::Extract(args) => {
            let gazetteer = load_gazetteer()?;
            let dir = args
                .model
                .clone()
                .unwrap_or_else(twinrel::model::default_model_dir);
            let model = PairModel::load(&dir, twinrel::model::device())?;
            let options = ExtractOptions {
                batch_size: args.batch_size,
                all_pairs: args.all_pairs,
                ..Default::default()
            };
            let to_terminal = args.input.output.is_none() && std::io::stdout().is_terminal();
            let format = args.format.unwrap_or(if to_terminal {
                Format::Table
            } else {
                Format::Jsonl
            });
            run_over_inputs(&gazetteer, Some(&model), &args.input, &options, format)
        }
        Command::Candidates(args) => {
            let gazetteer = load_gazetteer()?;
            run_over_inputs(
                &gazetteer,
                None,
                args,
                &ExtractOptions::default(),
                Format::Jsonl,
            )
        }
        Command::Train(args) => {
            let gazetteer = load_gazetteer()?;
            let options = twinrel::train::TrainOptions {
                train_files: args.train.clone(),
                dev_file: args.dev.clone(),
                base_model: args
                    .base_model
                    .clone()
                    .unwrap_or_else(twinrel::model::default_base_model_dir),
                output: args.out.clone(),
                epochs: args.epochs,
                learning_rate: args.lr,
                head_lr_factor: args.head_lr_factor,
                batch_size: args.batch_size,
                max_length: args.max_length,
                seed: args.seed,
                threads: n,
                max_steps: args.max_steps,
                command_line: std::env::args().collect::<Vec<_>>().join(" "),
            };
            let report = twinrel::train::train(&gazetteer, &options)?;
            eprintln!(
                "train: best epoch {}, thresholds {:?}; gold pairs missed by the candidate stage: {} (listed in {}/train-report.json)",
                report.best_epoch,
                report.thresholds,
                report.train.gold_pairs_missed.len(),
                args.out.display()
            );
            std::fs::write(
                args.out.join("train-report.json"),
                serde_json::to_vec_pretty(&report)?,
            )?;
            Ok(0)
        }
        Command::Eval(args) => eval(&cli, args, load_gazetteer),
    }
}

fn eval(cli: &Cli, args: &EvalArgs, load_gazetteer: impl Fn() -> Result<Gazetteer>) -> Result<i32> {
    let _ = cli;
    let gold = twinrel::eval::load_gold(&args.gold)?;
    let preds = match &args.pred {
        Some(p) => twinrel::eval::load_predictions(p)?,
        None => {
            let gazetteer = load_gazetteer()?;
            let dir = args
                .model
                .clone()
                .unwrap_or_else(twinrel::model::default_model_dir);
            let model = PairModel::load(&dir, twinrel::model::device())?;
            // Texts: the gold file itself when it carries them, else --input, else the gold file's directory.
            let first_has_text = std::fs::read_to_string(&args.gold)
                .ok()
                .and_then(|s| s.lines().next().map(|l| l.contains("\"text\"")))
                .unwrap_or(false);
            let input = match (&args.input, first_has_text) {
                (Some(i), _) => Some(i.clone()),
                (None, true) => None,
                (None, false) => args.gold.parent().map(|p| p.to_path_buf()),
            };
            let (gold, docs) =
                twinrel::train::read_gold_set(&gazetteer, &args.gold, input.as_deref())?;
            let gold_ids: std::collections::HashSet<&str> =
                gold.iter().map(|g| g.doc.as_str()).collect();
            let docs: Vec<_> = docs
                .into_iter()
                .filter(|d| gold_ids.contains(d.id.as_str()))
                .collect();
            let (_, _, preds) = twinrel::train::evaluate(&gazetteer, &model, &gold, &docs, false)?;
            preds
        }
    };
    if let Some(path) = &args.write_pred {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for p in &preds {
            serde_json::to_writer(&mut out, p)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    let report = twinrel::eval::score(&gold, &preds);
    if let Some(dir) = &args.report {
        let index = twinrel::eval::report::write_report(
            dir,
            &report,
            &format!("twinrel evaluation: {}", args.gold.display()),
        )?;
        eprintln!("report: {}", index.display());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", report.to_table_with_errors(args.errors))?;
    }
    Ok(0)
}

/// Peak resident memory in MB (Linux), for the end-to-end benchmark.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace()
        .nth(1)?
        .parse::<u64>()
        .ok()
        .map(|kb| kb / 1024)
}

fn run_over_inputs(
    gazetteer: &Gazetteer,
    model: Option<&PairModel>,
    args: &InputArgs,
    options: &ExtractOptions,
    format: Format,
) -> Result<i32> {
    let fields = FieldNames {
        id: if args.id_fields.is_empty() {
            FieldNames::default().id
        } else {
            args.id_fields.clone()
        },
        text: args.text_field.clone(),
    };
    let mut sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} documents {per_sec} {msg}")
            .expect("valid template"),
    );
    let mut total = RunSummary::default();
    let started = std::time::Instant::now();
    for input in &args.inputs {
        let source = InputSource::from_arg(input)?;
        let docs = read_documents(&source, &fields)?;
        let summary = run(
            gazetteer,
            model,
            docs,
            options,
            |doc| {
                progress.inc(1);
                let result = match format {
                    Format::Jsonl => twinrel::output::write_jsonl(&mut sink, &doc.records),
                    Format::Table => twinrel::output::write_table(&mut sink, &doc.records),
                };
                result.map_err(|e| twinrel::Error::io("<output>", e))
            },
            |err| progress.suspend(|| eprintln!("twinrel: skipped: {err}")),
        )
        .map_err(|e| match e {
            twinrel::Error::Io { source, .. }
                if source.kind() == std::io::ErrorKind::BrokenPipe =>
            {
                anyhow::Error::new(source)
            }
            other => anyhow::Error::new(other),
        })?;
        total.documents_read += summary.documents_read;
        total.documents_failed += summary.documents_failed;
        total.documents_processed += summary.documents_processed;
        total.windows += summary.windows;
        total.candidate_pairs += summary.candidate_pairs;
        total.unscored_window_pairs += summary.unscored_window_pairs;
        total.records_written += summary.records_written;
    }
    sink.flush()?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "twinrel: {} documents read, {} processed, {} failed; {} windows, {} candidate pairs ({} cut by the length limit); {} records written; {:.1} s, {:.1} documents/s, {:.1} windows/s{}",
        total.documents_read,
        total.documents_processed,
        total.documents_failed,
        total.windows,
        total.candidate_pairs,
        total.unscored_window_pairs,
        total.records_written,
        seconds,
        total.documents_read as f64 / seconds,
        total.windows as f64 / seconds,
        peak_rss().map(|mb| format!(", peak RSS {mb} MB")).unwrap_or_default()
    );
    if total.documents_failed > 0 {
        return Ok(1);
    }
    if total.documents_read == 0 {
        bail!("no documents in the input");
    }
    Ok(0)
}
