//! Criterion benchmarks of the stages: sentence splitting, place tagging and
//! candidate windows on a news-like text, and the model on one batch of 32
//! windows. Run: `cargo bench --bench stages` (needs scripts/setup.sh and the
//! shipped model). The end-to-end benchmark is scripts/bench.sh.
use criterion::{criterion_group, criterion_main, Criterion};
use twinrel::candidates::analyze;
use twinrel::gazetteer::Gazetteer;
use twinrel::ingest::{Document, Origin};
use twinrel::model::PairModel;

const TEXT: &str = "Council votes to freeze link with Russian twin town\n\nNORWICH, March 14 - Councillors in Norwich voted on Tuesday to suspend the city's twinning with the Russian city of Kaliningrad, citing the war in Ukraine. The motion passed by 31 votes to 4.\n\n\"We keep our friendship with the people,\" said the leader of the council. Norwich has been twinned with Rouen since 1959 and with Koblenz since 1978. Dozens of British towns maintain links with Russian cities. Coventry and Volgograd. Exeter and Yaroslavl. Manchester and Saint Petersburg.\n\nShare\nAdvertisement\n";

fn doc() -> Document {
    Document {
        id: "bench".into(),
        text: TEXT.into(),
        title: None,
        date: None,
        url: None,
        lang: None,
        origin: Origin::default(),
    }
}

fn stages(c: &mut Criterion) {
    c.bench_function("sentences::split", |b| {
        b.iter(|| twinrel::sentences::split(TEXT, false))
    });
    let gazetteer =
        Gazetteer::load(&Gazetteer::default_dir()).expect("gazetteer (run scripts/setup.sh)");
    c.bench_function("analyze (sentences, places, candidates)", |b| {
        b.iter(|| analyze(&gazetteer, doc()))
    });
    let model = PairModel::load(&twinrel::model::default_model_dir(), tch::Device::Cpu)
        .expect("the default model");
    let analysis = analyze(&gazetteer, doc());
    let windows: Vec<_> = analysis
        .windows
        .iter()
        .map(|w| model.encoder.encode(&analysis, w).unwrap())
        .cycle()
        .take(32)
        .collect();
    let mut group = c.benchmark_group("model");
    group.sample_size(10);
    group.bench_function("predict 32 windows", |b| {
        b.iter(|| model.predict(&windows, 32).unwrap())
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
