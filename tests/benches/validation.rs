//! Validation speed: a fully populated `StartPipelineExecution` input, and the patterns that make backtracking
//! engines take exponential time, on hostile inputs of growing size (the time grows linearly).
//!
//! `cargo bench -p project-tests --bench validation`

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn start_pipeline_execution(c: &mut Criterion) {
    let input = project_tests::full_start_pipeline_execution();
    assert!(input.validate().is_ok());
    c.bench_function("validate StartPipelineExecution (fully populated, valid)", |b| {
        b.iter(|| black_box(&input).validate())
    });
    let mut bad = input.clone();
    bad.pipeline_version_id = Some(0);
    bad.pipeline_execution_display_name = Some("not valid!".into());
    c.bench_function("validate StartPipelineExecution (two violations)", |b| b.iter(|| black_box(&bad).validate()));
}

fn hostile_patterns(c: &mut Criterion) {
    // Patterns from the upstream model on which Node's engine backtracks exponentially, with inputs that make it do
    // so: a long run that almost matches, then a character that fails the match.
    let cases = [
        ("^[a-z0-9]([-a-z0-9]*[a-z0-9]){0,39}?$", "a-b", "!"),
        ("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", "a", "-"),
        ("^(?=.{1,32}$)[a-zA-Z0-9](-*[a-zA-Z0-9])*$", "a", "-"),
    ];
    let mut group = c.benchmark_group("hostile pattern input");
    for (pattern, unit, tail) in cases {
        let plan = codegen::pattern::plan(pattern).unwrap();
        let p = project_tests::runtime_pattern(&plan).unwrap();
        for n in [64usize, 1024, 16384] {
            let input = format!("{}{tail}", unit.repeat(n / unit.len()));
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_with_input(BenchmarkId::new(pattern, n), &input, |b, s| b.iter(|| p.is_match(black_box(s))));
        }
    }
    group.finish();
}

criterion_group!(benches, start_pipeline_execution, hostile_patterns);
criterion_main!(benches);
