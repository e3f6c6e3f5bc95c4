//! The committed model and crate against the upstream SageMaker model it was imported from (`[model] upstream` in
//! the settings, in `../shared`; skipped, with a printed reason, when it is absent), and the committed crate against
//! what the generator makes now.

use codegen::model::{self, Model};
use codegen::{config, import, resolve, write, Request, Selection};
use project_tests::{root, shared, upstream_model};
use std::collections::{BTreeMap, BTreeSet};

fn settings() -> config::Config {
    config::load(&root().join("models/codegen.toml")).expect("models/codegen.toml loads")
}

/// The shapes of the service the pipeline-definition step kinds name, whose closures the model keeps (those of
/// other models are kept in their own files: `other_models_facts_are_an_import_of_their_upstream`).
fn table_roots() -> Vec<String> {
    let cfg = settings();
    let definitions = cfg.definitions.expect("the settings name the definitions");
    let namespace = cfg.service.as_deref().and_then(|s| s.split_once('#')).unwrap().0;
    definitions.roots_by_namespace(namespace).unwrap().remove(namespace).unwrap()
}

fn committed_model() -> Model {
    model::load(&settings().model).expect("the committed model loads")
}

#[test]
fn generated_crate_is_up_to_date() {
    let cfg = settings();
    let files = codegen::generate(
        &cfg.model,
        &Request {
            service: cfg.service.as_deref(),
            selection: &cfg.selection,
            crate_name: &cfg.crate_name,
            crate_version: &cfg.crate_version,
            model_source: "models/sagemaker-pipelines.json",
            partitions: cfg.partitions.as_deref(),
            examples: cfg.examples.as_deref(),
            modules: cfg.modules.as_deref(),
            definitions: cfg.definitions.as_ref(),
        },
    )
    .expect("the committed model generates");
    let stale = write::check(&root().join("generated"), &files).unwrap();
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask codegen` and review the diff:\n{}",
        stale.iter().map(|s| format!("  {s}")).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn selection_has_the_eighteen_pipeline_operations() {
    let cfg = settings();
    let Selection::Named(ops) = &cfg.selection else { panic!("the settings name the operations") };
    assert_eq!(ops.len(), 18);
    for op in [
        "StartPipelineExecution",
        "DescribePipelineExecution",
        "ListPipelineExecutionSteps",
        "RetryPipelineExecution",
        "SendPipelineExecutionStepSuccess",
    ] {
        assert!(ops.iter().any(|o| o == op), "{op} is selected");
    }
    let resolved = resolve::resolve(&committed_model(), cfg.service.as_deref(), &cfg.selection).unwrap();
    assert_eq!(resolved.operations.len(), 18);
}

/// The upstream model with the project's overlay (its own waiters) applied, as import applies it.
fn upstream() -> Option<Model> {
    let mut m = model::load(&upstream_model()?).expect("upstream model loads");
    import::apply_overlay(&mut m.shapes, &overlay()).expect("the overlay applies to upstream");
    Some(m)
}

fn overlay() -> Model {
    model::load(&settings().overlay.expect("the settings name the overlay")).expect("the overlay loads")
}

#[test]
fn the_upstream_reference_is_the_current_model() {
    let cfg = settings();
    let recorded = cfg.upstream.expect("the settings record the upstream model");
    assert_eq!(recorded.file_name().unwrap(), "sagemaker-2017-07-24.2026-07-16.json");
}

/// Shapes of the selection's closure and of the pipeline-definition step kinds' closures, with every documentation
/// string removed.
fn facts(m: &Model) -> BTreeMap<String, serde_json::Value> {
    let cfg = settings();
    let resolved = resolve::resolve_with_tables(m, cfg.service.as_deref(), &cfg.selection, &table_roots()).unwrap();
    let mut out = BTreeMap::new();
    let shapes = resolved.shapes.into_iter().chain(resolved.tables);
    for (id, shape) in shapes.filter(|(id, _)| !id.starts_with("smithy.api#")) {
        out.insert(id, model::shape_json(&import::strip_docs(shape)).unwrap());
    }
    let service = import::strip_docs(codegen::model::Shape::Service(resolved.service));
    out.insert(resolved.service_id, model::shape_json(&service).unwrap());
    out
}

#[test]
fn model_facts_equal_upstream() {
    let Some(upstream) = upstream() else { return };
    let ours = facts(&committed_model());
    let theirs = facts(&upstream);
    let our_ids: BTreeSet<_> = ours.keys().collect();
    let their_ids: BTreeSet<_> = theirs.keys().collect();
    assert_eq!(our_ids, their_ids, "the committed model and upstream differ in which shapes the selection reaches");
    for (id, shape) in &ours {
        assert_eq!(shape, &theirs[id], "shape {id} differs from upstream (documentation aside)");
    }
    // The closure of the 18 operations in the 2026-07-16 model: 162 shapes (the operations among them), plus the
    // service; and the 682 shapes of the service the step kinds' requests and outputs reach (prelude shapes aside;
    // 23 of them through the Lineage and Cleanup steps' own structures), 23 of which the operations reach too.
    let cfg = settings();
    let selection = resolve::resolve(&committed_model(), cfg.service.as_deref(), &cfg.selection).unwrap();
    assert_eq!(selection.shapes.keys().filter(|id| !id.starts_with("smithy.api#")).count(), 162);
    assert_eq!(ours.len(), 163 + 682 - 23);
    for new in ["MLflowConfiguration", "LineageMetadata", "JobStepMetadata", "BedrockModelImportMetadata"] {
        assert!(ours.contains_key(&format!("com.amazonaws.sagemaker#{new}")), "{new}");
    }
    // The endpoint rules and all their tests are carried over.
    let svc = &ours["com.amazonaws.sagemaker#SageMaker"];
    let cases = svc["traits"]["smithy.rules#endpointTests"]["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 47);
}

/// Sentences of a text longer than 30 characters, HTML stripped, lowercased.
fn sentences(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    plain.split(['.', '!', '?', ';']).map(str::trim).filter(|s| s.len() > 30).map(str::to_owned).collect()
}

#[test]
fn model_documentation_is_in_our_own_words() {
    let Some(dir) = shared() else { return };
    // Every upstream model in ../shared (the reference and the older ones), and the seed documents.
    let mut theirs: Vec<String> = Vec::new();
    for file in std::fs::read_dir(dir.join("models")).unwrap().flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.starts_with("sagemaker-") && name.ends_with(".json") {
            let upstream = model::load(&file.path()).unwrap();
            theirs.extend(import::collect_docs(&upstream).values().flat_map(|d| sentences(d)));
        }
    }
    assert!(theirs.len() > 10_000, "upstream sentences found: {}", theirs.len());
    for seed in std::fs::read_dir(dir.join("seeds")).unwrap().flatten() {
        theirs.extend(sentences(&std::fs::read_to_string(seed.path()).unwrap_or_default()));
    }
    let theirs: BTreeSet<String> = theirs.into_iter().collect();
    let ours = import::collect_docs(&committed_model());
    assert!(ours.len() > 250, "the committed model is documented ({} texts)", ours.len());
    // Every documentation string anywhere in the file, by its JSON path, not only where `collect_docs` looks (the
    // 2026-07-16 model brought a second copy of the endpoint parameters, in `smithy.rules#endpointBdd`).
    let text = std::fs::read_to_string(settings().model).unwrap();
    let mut everywhere = BTreeMap::new();
    all_documentation(&serde_json::from_str(&text).unwrap(), "$", &mut everywhere);
    assert!(everywhere.len() >= ours.len(), "{} documentation strings in the file", everywhere.len());
    let mut copied = Vec::new();
    for (key, text) in ours.iter().chain(&everywhere) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        for s in &theirs {
            if flat.contains(s.as_str()) {
                copied.push(format!("{key}: {s}"));
            }
        }
    }
    assert!(copied.is_empty(), "documentation copied from upstream or the seeds:\n{}", copied.join("\n"));
}

/// Every string under a `documentation` or `smithy.api#documentation` key, by JSON path.
fn all_documentation(v: &serde_json::Value, at: &str, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}.{k}");
                match v {
                    serde_json::Value::String(s) if k == "documentation" || k == "smithy.api#documentation" => {
                        out.insert(here, s.clone());
                    }
                    _ => all_documentation(v, &here, out),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                all_documentation(v, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn import_reproduces_the_committed_model() {
    // The upstream file itself: import applies the overlay.
    let Some(path) = upstream_model() else { return };
    let upstream = model::load(&path).expect("upstream model loads");
    let cfg = settings();
    let current = committed_model();
    let imported = import::import(
        &upstream,
        cfg.service.as_deref(),
        &cfg.selection,
        &table_roots(),
        Some(&current),
        &Default::default(),
        Some(&overlay()),
    )
    .unwrap();
    let text = model::to_json(&imported.model).unwrap();
    let committed = std::fs::read_to_string(&cfg.model).unwrap();
    assert!(text == committed, "`cargo xtask import --check` fails: an import of the recorded upstream model differs");
    assert!(imported.undocumented.is_empty(), "undocumented: {:?}", imported.undocumented);
    assert!(imported.dropped.is_empty(), "dropped: {:?}", imported.dropped);
}

#[test]
fn other_models_facts_are_an_import_of_their_upstream() {
    // EMR's shapes (`models/emr-definitions.json`): what `cargo xtask import` writes from EMR's model, which the
    // definitions settings name (in `../shared`).
    if shared().is_none() {
        return;
    }
    let cfg = settings();
    let definitions = cfg.definitions.expect("the settings name the definitions");
    let namespace = cfg.service.as_deref().and_then(|s| s.split_once('#')).unwrap().0;
    let mut roots = definitions.roots_by_namespace(namespace).unwrap();
    roots.remove(namespace);
    let facts = import::model_facts(&definitions, &mut roots).unwrap();
    assert!(roots.is_empty(), "every other namespace has a `[models]` entry: {roots:?}");
    let files: Vec<String> = facts.iter().map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    // EMR's model is in `../shared`; EMR Serverless's upstream is an `aws/api-models-aws` checkout in the work tree,
    // there only while the weekly model update runs (its facts are checked below without it).
    assert!(files.contains(&"emr-definitions.json".to_owned()), "{files:?}");
    for (path, text) in &facts {
        let committed = std::fs::read_to_string(path).unwrap();
        assert!(&committed == text, "{} differs from an import of its upstream model", path.display());
        // Facts only: no documentation, and EMR's own `Tag` beside SageMaker's.
        assert!(!committed.contains("smithy.api#documentation"));
        assert!(committed.contains("\"com.amazonaws.emr#Tag\""));
    }
}

#[test]
fn every_other_models_facts_are_closed_and_without_documentation() {
    // Each `[models]` file with an upstream holds facts only, and the closure of what the step kinds name in its
    // namespace: taking that closure from the committed file itself gives the file back.
    let cfg = settings();
    let definitions = cfg.definitions.expect("the settings name the definitions");
    let namespace = cfg.service.as_deref().and_then(|s| s.split_once('#')).unwrap().0;
    let roots = definitions.roots_by_namespace(namespace).unwrap();
    let mut checked = Vec::new();
    for file in definitions.models.values().filter(|f| f.upstream.is_some()) {
        let path = definitions.dir.join(&file.path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("smithy.api#documentation"), "{}", path.display());
        let committed = model::load(&path).unwrap();
        let closure = resolve::closure_of(&committed, &roots[&file.namespace]).unwrap();
        let ids: Vec<&String> = committed.shapes.keys().collect();
        assert_eq!(closure.keys().collect::<Vec<_>>(), ids, "{}", path.display());
        checked.push(file.namespace.as_str());
    }
    checked.sort_unstable();
    assert_eq!(checked, ["com.amazonaws.emr", "com.amazonaws.emrserverless"]);
}

#[test]
fn import_keeps_our_docs_across_the_previous_upstream_version() {
    let Some(dir) = shared() else { return };
    let older = model::load(&dir.join("models/sagemaker-2017-07-24.2025-07-03.json")).unwrap();
    let cfg = settings();
    // The older model lacks two of the selected operations; import what it has.
    let Selection::Named(ops) = &cfg.selection else { unreachable!() };
    let present: Vec<String> = ops
        .iter()
        .filter(|o| !["ListPipelineVersions", "UpdatePipelineVersion"].contains(&o.as_str()))
        .cloned()
        .collect();
    let err = import::import(&older, cfg.service.as_deref(), &cfg.selection, &[], None, &Default::default(), None)
        .unwrap_err();
    assert!(err.to_string().contains("ListPipelineVersions"), "{err}");
    let current = committed_model();
    let imported = import::import(
        &older,
        cfg.service.as_deref(),
        &Selection::Named(present),
        &[],
        Some(&current),
        &Default::default(),
        Some(&overlay()),
    )
    .unwrap();
    let docs = import::collect_docs(&imported.model);
    let ours = import::collect_docs(&current);
    let key = "com.amazonaws.sagemaker#StartPipelineExecution";
    assert_eq!(docs.get(key), ours.get(key), "shared shapes keep the project's documentation");
    // Shapes only the newer model has are reported as dropped, not silently kept.
    assert!(imported.dropped.iter().any(|k| k.contains("ListPipelineVersions")));
}

#[test]
fn full_upstream_model_generates_every_operation() {
    let (Some(dir), Some(path)) = (shared(), upstream_model()) else { return };
    let files = codegen::generate(
        &path,
        &Request {
            service: None,
            selection: &Selection::All,
            crate_name: "sagemaker-full",
            crate_version: "0.0.0",
            model_source: "upstream",
            partitions: Some(&dir.join("models/partitions.json")),
            examples: None,
            modules: None,
            definitions: None,
        },
    )
    .unwrap();
    let ops = files.keys().filter(|p| p.starts_with("src/operation/") && !p.ends_with("mod.rs")).count();
    // 403 operations in the 2026-07-16 model (369 in 2025-08-08).
    assert_eq!(ops, 403);
    assert!(files.values().all(|t| !t.contains(&*root().to_string_lossy())), "no machine path in output");
}

#[test]
fn the_overlay_adds_the_pipeline_waiters_and_survives_import() {
    let current = committed_model();
    let waiters =
        &current.shapes["com.amazonaws.sagemaker#DescribePipelineExecution"].traits().0["smithy.waiters#waitable"];
    let names: Vec<&String> = waiters.as_object().unwrap().keys().collect();
    assert_eq!(names, ["PipelineExecutionComplete", "PipelineExecutionStopped"]);
    // Upstream defining a waiter of the same name, or the target disappearing, fails the merge with a reason.
    let mut shapes = current.shapes.clone();
    let err = import::apply_overlay(&mut shapes, &overlay()).unwrap_err();
    assert!(err.to_string().contains("upstream now defines a waiter `PipelineExecutionComplete`"), "{err}");
    shapes.remove("com.amazonaws.sagemaker#DescribePipelineExecution");
    let err = import::apply_overlay(&mut shapes, &overlay()).unwrap_err();
    assert!(err.to_string().contains("which upstream no longer has"), "{err}");
}
