//! Helpers shared by the project's tests: locating the workspace, the fixtures and `../shared`, and generating a
//! fixture crate in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{Request, Selection};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// The fixture model files, by name (file stem).
pub fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// The package name used for a fixture's crate.
pub fn fixture_crate_name(name: &str) -> String {
    format!("fixture-{name}")
}

/// Generate a fixture's crate in memory (all operations of its only service; and the pipeline-definition step kinds
/// of `<name>.definitions.toml` beside the model, when there is one).
pub fn generate_fixture(name: &str) -> codegen::Result<BTreeMap<String, String>> {
    let path = root().join("tests/fixtures").join(format!("{name}.json"));
    let source = format!("tests/fixtures/{name}.json");
    let settings = root().join("tests/fixtures").join(format!("{name}.definitions.toml"));
    let definitions = if settings.exists() { Some(codegen::config::Definitions::load(&settings)?) } else { None };
    codegen::generate(
        &path,
        &Request {
            service: None,
            selection: &Selection::All,
            crate_name: &fixture_crate_name(name),
            crate_version: "0.0.0",
            model_source: &source,
            partitions: None,
            examples: None,
            modules: None,
            definitions: definitions.as_ref(),
        },
    )
}

/// Generate from model text (for error tests).
pub fn generate_text(text: &str, selection: &Selection) -> codegen::Result<BTreeMap<String, String>> {
    let model = codegen::model::parse(text)?;
    codegen::generate_from_model(
        &model,
        &Request {
            service: None,
            selection,
            crate_name: "fixture",
            crate_version: "0.0.0",
            model_source: "inline",
            partitions: None,
            examples: None,
            modules: None,
            definitions: None,
        },
    )
}

/// Whether a generated file is a runtime module (the same in every crate); snapshots leave them out.
pub fn is_runtime_file(path: &str) -> bool {
    codegen::runtime::MODULES.iter().any(|m| m.path() == path)
}

/// All generated files but the static runtime, concatenated with a banner per file, for a snapshot.
pub fn render(files: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, text) in files {
        if is_runtime_file(path) {
            continue;
        }
        out.push_str(&format!("==> {path} <==\n{text}\n"));
    }
    out
}

/// `../shared` beside the workspace, or `None` (with the reason printed) when it is absent.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join("models").is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/models is absent; this test needs the upstream SageMaker model");
        None
    }
}

/// The upstream model the project's model was imported from, as the settings record it (`[model] upstream`, which
/// `cargo xtask import` writes), or `None` (with the reason printed) when it is not there.
pub fn upstream_model() -> Option<PathBuf> {
    let cfg = codegen::config::load(&root().join("models/codegen.toml")).expect("models/codegen.toml loads");
    match cfg.upstream {
        Some(path) if path.is_file() => Some(path),
        Some(path) => {
            println!("skipped: the upstream model {} is absent; this test compares with it", path.display());
            None
        }
        None => {
            println!("skipped: models/codegen.toml records no upstream model (`cargo xtask import --from` does)");
            None
        }
    }
}

/// A `StartPipelineExecution` input with every member set to a valid value (for validation tests and benches).
pub fn full_start_pipeline_execution(
) -> sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionInput {
    use sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionInput;
    use sagemaker_pipelines::types::{ParallelismConfiguration, Parameter, SelectedStep, SelectiveExecutionConfig};
    StartPipelineExecutionInput::builder()
        .pipeline_name("arn:aws:sagemaker:us-east-1:123456789012:pipeline/my-training-pipeline")
        .pipeline_execution_display_name("nightly-run-2026-11-23")
        .pipeline_execution_description("Nightly retraining on the latest data.")
        .client_request_token("0f3c9a52-6f4e-4a7e-9b1d-2c8e7f5a1b3d")
        .pipeline_parameters(Parameter::builder().name("InstanceType").value("ml.m5.xlarge").build())
        .pipeline_parameters(Parameter::builder().name("InstanceCount").value("2").build())
        .pipeline_parameters(Parameter::builder().name("Epochs").value("10").build())
        .parallelism_configuration(ParallelismConfiguration::builder().max_parallel_execution_steps(4).build())
        .pipeline_version_id(3)
        .selective_execution_config(
            SelectiveExecutionConfig::builder()
                .source_pipeline_execution_arn(
                    "arn:aws:sagemaker:us-east-1:123456789012:pipeline/my-training-pipeline/execution/abc123",
                )
                .selected_steps(SelectedStep::builder().step_name("Train").build())
                .selected_steps(SelectedStep::builder().step_name("Evaluate").build())
                .build(),
        )
        .build()
        .expect("an input builder does not fail")
}

/// The runtime's pattern for a plan the generator made, as the generated `patterns` module declares it (with the
/// tables leaked, where the generated ones are statics). `None` for a plan on the ECMAScript engine.
pub fn runtime_pattern(plan: &codegen::pattern::Plan) -> Option<codegen_runtime::validation::Pattern> {
    if plan.ecma().is_some() {
        return None;
    }
    let checks: Vec<_> = plan.checks.iter().map(|c| (runtime_automaton(&c.automaton), c.expect)).collect();
    let source = String::leak(plan.original.clone());
    Some(codegen_runtime::validation::Pattern::new(source, checks.leak(), plan.chars))
}

/// The generated crate's check of any plan: [`runtime_pattern`], or the ECMAScript engine with the source and the
/// input bound the plan decided.
pub fn validator_pattern(plan: &codegen::pattern::Plan) -> codegen_runtime::validation::Pattern {
    use codegen_runtime::validation::Pattern;
    match plan.ecma() {
        Some(ecma) => Pattern::with_engine_source(
            String::leak(plan.original.clone()),
            String::leak(ecma.source.clone()),
            codegen_runtime::ecma::compile,
            ecma.max_chars(),
        ),
        None => runtime_pattern(plan).expect("a plan on automata"),
    }
}

/// The same plan with every check compiled as an NFA, whatever the size of its DFA and its position automaton (`None`
/// as for [`runtime_pattern`], or when a check's NFA is over the budget).
pub fn runtime_pattern_on_nfas(plan: &codegen::pattern::Plan) -> Option<codegen_runtime::validation::Pattern> {
    use codegen::pattern::automaton::{bits::Limits, Budget, BUDGET};
    let nfas = Budget { dfa_cells: 0, bits: Limits { positions: 0, ..BUDGET.bits }, ..BUDGET };
    runtime_pattern_in(plan, &nfas)
}

/// The same plan with every check compiled as a position automaton, whatever the size of its DFA (`None` as for
/// [`runtime_pattern`], or when a check's position automaton is over the budget).
pub fn runtime_pattern_on_bits(plan: &codegen::pattern::Plan) -> Option<codegen_runtime::validation::Pattern> {
    use codegen::pattern::automaton::{Budget, BUDGET};
    let bits = Budget { dfa_cells: 0, nfa_states: 0, ..BUDGET };
    runtime_pattern_in(plan, &bits)
}

fn runtime_pattern_in(
    plan: &codegen::pattern::Plan,
    budget: &codegen::pattern::automaton::Budget,
) -> Option<codegen_runtime::validation::Pattern> {
    use codegen::pattern::automaton::compile;
    if plan.ecma().is_some() {
        return None;
    }
    let nfas = budget;
    let mut checks = Vec::new();
    for c in &plan.checks {
        checks.push((runtime_automaton(&compile(&c.regex, nfas).ok()?), c.expect));
    }
    let source = String::leak(plan.original.clone());
    Some(codegen_runtime::validation::Pattern::new(source, checks.leak(), plan.chars))
}

/// The runtime's automaton for a compiled check (the tables leaked).
pub fn runtime_automaton(a: &codegen::pattern::automaton::Automaton) -> codegen_runtime::automaton::Automaton {
    use codegen::pattern::automaton::Automaton;
    use codegen_runtime::automaton as runtime;
    match a {
        Automaton::Dfa(d) => runtime::Automaton::Dfa(runtime::Dfa {
            classes: Box::leak(d.classes.clone()),
            stride: d.stride() as u16,
            start: d.start as u16,
            next: d.next.iter().map(|&n| (n as usize * d.stride()) as u16).collect::<Vec<_>>().leak(),
        }),
        Automaton::Bits(b, _) => {
            let e = b.encoded().expect("the generator checked the tables");
            let mut ascii = [0u8; 256];
            for (i, &(c, class)) in e.ascii_runs.iter().enumerate() {
                let end = e.ascii_runs.get(i + 1).map_or(256, |&(next, _)| usize::from(next));
                ascii[usize::from(c)..end].fill(class);
            }
            runtime::Automaton::Bits(runtime::Bits {
                words: b.words() as u16,
                ascii: Box::leak(Box::new(ascii)),
                intervals: e.intervals.iter().flat_map(|&(lo, hi)| [lo, hi]).collect::<Vec<_>>().leak(),
                interval_classes: e.interval_classes.leak(),
                classes: e.classes.leak(),
                groups: e.groups.leak(),
                masks: e.masks.leak(),
                first: e.first.leak(),
                last: e.last.leak(),
                nullable: e.nullable,
                restarts: e.restarts,
            })
        }
        Automaton::Nfa(n, _) => runtime::Automaton::Nfa(runtime::Nfa {
            start: n.start as u16,
            anchored: n.anchored,
            states: n.encoded_states().leak(),
            sets: n
                .encoded_sets()
                .into_iter()
                .map(|(ascii, ranges)| runtime::Set { ascii, ranges: ranges.leak() })
                .collect::<Vec<_>>()
                .leak(),
        }),
    }
}

pub mod alloc_count;
pub mod raw;
pub mod stub;
