//! Pipeline definitions: `check()` of a 100-step definition (target ≤ 2 ms in release), and `from_json` + `check` of
//! definitions of 10, 100 and 1,000 steps (the time per step stays flat: linear in the size).
//!
//! The steps are the SageMaker Python SDK's (`tests/definitions/corpus/sdk2/training_processing.json`): its
//! Processing step, then copies of its Training step, each reading the Processing step's outputs and depending on the
//! copy before it.
//!
//! `cargo bench -p project-tests --bench definitions`

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sagemaker_pipelines::definition::PipelineDefinition;

/// A definition of `n` steps, as JSON text.
fn definition(n: usize) -> String {
    let path = project_tests::root().join("tests/definitions/corpus/sdk2/training_processing.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let steps = v["Steps"].as_array().unwrap().clone();
    let prepare = steps.iter().find(|s| s["Type"] == "Processing").unwrap().clone();
    let train = steps.iter().find(|s| s["Type"] == "Training").unwrap().clone();
    let mut out = vec![prepare];
    for i in 1..n {
        let mut t = train.clone();
        t["Name"] = format!("Train{i}").into();
        if i > 1 {
            t["DependsOn"] = serde_json::json!([format!("Train{}", i - 1)]);
        }
        out.push(t);
    }
    v["Steps"] = out.into();
    v.to_string()
}

fn check(c: &mut Criterion) {
    let text = definition(100);
    let d = PipelineDefinition::from_json(&text).unwrap();
    assert!(d.check().is_ok(), "{}", d.check().unwrap_err());
    c.bench_function("check, 100 steps", |b| b.iter(|| black_box(&d).check()));

    let mut group = c.benchmark_group("from_json + check");
    for n in [10usize, 100, 1000] {
        let text = definition(n);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| {
            b.iter(|| PipelineDefinition::from_json(black_box(t)).unwrap().check())
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
