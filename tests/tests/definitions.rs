//! Pipeline definitions (the generated crate's feature `definitions`): the corpus the SageMaker Python SDK wrote
//! (`tests/definitions/corpus/`, see its README) read and written back, and checked against the tables generated
//! from the model; each definition of `tests/definitions/mistakes/` refused, naming the path of its one mistake; and
//! the crate without the feature as it was.

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::{config, Request};
use project_tests::root;
use sagemaker_pipelines::definition::PipelineDefinition;

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &str) -> PipelineDefinition {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    PipelineDefinition::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `path: message` for each problem `check()` finds.
fn issues(d: &PipelineDefinition) -> Vec<String> {
    match d.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.issues().iter().map(|i| i.to_string()).collect(),
    }
}

#[test]
fn the_corpus_round_trips() {
    let corpus = files("tests/definitions/corpus");
    assert_eq!(corpus.len(), 12, "the SDK 2.x and 3.x files");
    for f in corpus {
        let text = std::fs::read_to_string(&f).unwrap();
        let d = PipelineDefinition::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let written = d.to_json();
        let (theirs, ours): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(&text).unwrap(), serde_json::from_str(&written).unwrap());
        assert_eq!(theirs, ours, "{}", f.display());
        // What this crate writes reads back to the same text.
        assert_eq!(PipelineDefinition::from_json(&written).unwrap().to_json(), written, "{}", f.display());
    }
}

#[test]
fn the_corpus_checks_clean_but_for_the_non_string_parameters_sdk_3_puts_in_string_arguments() {
    for f in files("tests/definitions/corpus") {
        let name = f.strip_prefix(root()).unwrap().to_string_lossy().into_owned();
        let found = issues(&read(&name));
        if name.ends_with("sdk3/training_processing.json") {
            // SDK 2.x wraps a Float or Boolean parameter in `Std:Join` where an argument is a string; SDK 3.x writes
            // the bare `Get`, which the service refuses as it refuses an Integer parameter in a String argument.
            assert_eq!(
                found,
                [
                    "$.Steps[1].Arguments.HyperParameters['lr']: `Parameters.LearningRate` is Float, which cannot be \
                     assigned to an argument of type String",
                    "$.Steps[1].Arguments.HyperParameters['spot']: `Parameters.UseSpot` is Boolean, which cannot be \
                     assigned to an argument of type String",
                ],
                "{name}"
            );
        } else {
            assert_eq!(found, Vec::<String>::new(), "{name}");
        }
    }
}

/// Each file of `tests/definitions/mistakes/`: its base in the corpus, and what `check()` reports beyond the base's
/// own problems (the path its README names, and the message).
const MISTAKES: &[(&str, &str, &[&str])] = &[
    ("branch_step_also_top_level", "gate", &["$.Steps[2].Name: the step `LowAccuracy` is both at the top level and in a condition's branch ($.Steps[1].Arguments.ElseSteps[0]); a step runs in one place"]),
    ("data_reference_cycle", "training", &["$.Steps[0].Arguments.ProcessingInputs[0].S3Input.S3Uri.Get: the steps `Prepare`, `Train` depend on each other in a cycle; here `Prepare` needs `Train`"]),
    ("depends_on_cycle", "named", &["$.Steps[0].DependsOn[0]: the steps `NamedProcessing`, `NamedTraining` depend on each other in a cycle; here `NamedProcessing` needs `NamedTraining`"]),
    ("duplicate_step_name", "training", &["$.Steps[2].Name: the step name `Train` is taken by $.Steps[1]"]),
    ("enum_case_input_mode", "training", &["$.Steps[1].Arguments.AlgorithmSpecification.TrainingInputMode: \"file\" is not a value of TrainingInputMode (did you mean \"File\"?)"]),
    ("enum_case_instance_type", "training", &["$.Steps[2].Arguments.TransformResources.InstanceType: \"ml.M5.large\" is not a value of TransformInstanceType (did you mean \"ml.m5.large\"?)"]),
    ("get_missing_step", "training", &["$.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri.Get: no step is named `Preprocess`"]),
    ("get_wrong_property", "training", &["$.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri.Get: `ModelArtifacts` is not a property of a Processing step"]),
    ("integer_parameter_as_string", "training", &["$.Steps[0].Arguments.AppSpecification.ImageUri: `Parameters.InstanceCount` is Integer, which cannot be assigned to an argument of type String"]),
    ("job_name_too_long", "named", &["$.Steps[1].Arguments.TrainingJobName: length must be between 1 and 63 characters, but is 71"]),
    ("json_get_undeclared_property_file", "gate", &["$.Steps[1].Arguments.Conditions[0].LeftValue['Std:JsonGet'].PropertyFile.Get: the step `Evaluate` declares no property file `Metrics`"]),
    ("max_runtime_zero", "training", &["$.Steps[1].Arguments.StoppingCondition.MaxRuntimeInSeconds: must be at least 1, but is 0"]),
    ("member_typo", "training", &["$.Steps[1].Arguments.ResourceConfig.InstanceTyp: `InstanceTyp` is not a member of ResourceConfig (did you mean `InstanceType`?)"]),
    ("missing_required_member", "training", &["$.Steps[1].Arguments.AlgorithmSpecification.TrainingInputMode: is required but was not set"]),
    ("parameter_default_out_of_range", "training", &["$.Parameters[1].DefaultValue: the default does not fit $.Steps[0].Arguments.ProcessingResources.ClusterConfig.InstanceCount, where the parameter is used: must be between 1 and 100, but is 0"]),
    // A value that breaks its `@length` is not also run through its pattern (as in the generated validators).
    ("role_not_an_arn", "training", &["$.Steps[1].Arguments.RoleArn: length must be between 20 and 2048 characters, but is 18"]),
    ("s3_uri_without_scheme", "training", &["$.Steps[1].Arguments.OutputDataConfig.S3OutputPath: \"corpus-bucket/corpus-train\" does not match the pattern ^(https|s3)://([^/]+)/?(.*)$"]),
    ("step_name_pattern", "training", &["$.Steps[0].Name: \"Prepare data\" is not a step name: 1 to 64 letters, digits, `-` and `_` (the pattern `^[A-Za-z0-9\\-_]{1,64}$`)"]),
    ("string_for_list", "training", &["$.Steps[0].Arguments.AppSpecification.ContainerEntrypoint: expected an array, found a string"]),
    ("undeclared_parameter", "training", &["$.Steps[1].Arguments.ResourceConfig.InstanceType.Get: no parameter `TrainInstanceType` is declared (did you mean `InstanceType`?)"]),
    ("volume_size_zero", "training", &["$.Steps[0].Arguments.ProcessingResources.ClusterConfig.VolumeSizeInGB: must be between 1 and 16384, but is 0"]),
];

#[test]
fn every_realistic_mistake_is_refused_at_its_path() {
    let listed: BTreeSet<String> = MISTAKES.iter().map(|(f, _, _)| format!("{f}.json")).collect();
    let present: BTreeSet<String> = files("tests/definitions/mistakes")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, present, "every mistake file is in the table");
    // The bases (the mistakes README): the training pipeline as the SDK wrote it, the named jobs, and the gate cut
    // from the conditions pipeline (which has no problem of its own).
    let training = issues(&read("tests/definitions/corpus/sdk3/training_processing.json"));
    let named = issues(&read("tests/definitions/corpus/sdk2/job_names.json"));
    assert!(named.is_empty(), "{named:?}");
    for (file, base, expected) in MISTAKES {
        let found = issues(&read(&format!("tests/definitions/mistakes/{file}.json")));
        let base_issues: &[String] = if *base == "training" { &training } else { &[] };
        let new: Vec<&String> = found.iter().filter(|f| !base_issues.contains(f)).collect();
        assert_eq!(new, *expected, "{file}: everything found:\n{}", found.join("\n"));
    }
}

#[test]
fn unknown_kinds_members_and_functions_are_kept_and_reported() {
    let text = r#"{"Version": "2020-12-01", "Metadata": {}, "Parameters": [], "FutureTopLevel": {"x": [1, 2.5]},
      "Steps": [
        {"Name": "Next", "Type": "NextGeneration", "Arguments": {"Anything": true}},
        {"Name": "Train", "Type": "Training", "Arguments": {
          "AlgorithmSpecification": {"TrainingImage": {"Std:Upper": "img"}, "TrainingInputMode": "File"},
          "OutputDataConfig": {"S3OutputPath": "s3://b/o"}, "ResourceConfig": {"InstanceType": "ml.m5.large",
          "InstanceCount": 1, "VolumeSizeInGB": 30}, "RoleArn": "arn:aws:iam::111122223333:role/R",
          "StoppingCondition": {"MaxRuntimeInSeconds": 60}, "FutureMember": 1}}]}"#;
    let d = PipelineDefinition::from_json(text).unwrap();
    let (theirs, ours): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(text).unwrap(), serde_json::from_str(&d.to_json()).unwrap());
    assert_eq!(theirs, ours);
    assert_eq!(
        issues(&d),
        [
            "$.Steps[0].Type: \"NextGeneration\" is not a step type this crate knows; its arguments are not checked",
            "$.Steps[1].Arguments.AlgorithmSpecification.TrainingImage['Std:Upper']: `Std:Upper` is not a function \
             this crate knows",
            "$.Steps[1].Arguments.FutureMember: `FutureMember` is not a member of CreateTrainingJobRequest",
        ]
    );
}

#[test]
fn each_step_kind_of_the_settings_checks_its_own_request() {
    // A member no request has, in a step of each kind: the message names the kind's request (and what it refuses).
    let settings = config::load(&root().join("models/codegen.toml")).unwrap().definitions.unwrap();
    for (kind, s) in &settings.steps {
        let text = format!(
            r#"{{"Version": "2020-12-01", "Steps": [{{"Name": "S", "Type": "{kind}", "Arguments": {{"NoSuchMember": 1{}}}}}]}}"#,
            s.unsupported.iter().map(|u| format!(r#", "{u}": {{}}"#)).collect::<String>()
        );
        let found = issues(&PipelineDefinition::from_json(&text).unwrap());
        let request = s.arguments.clone();
        assert!(
            found.contains(&format!("$.Steps[0].Arguments.NoSuchMember: `NoSuchMember` is not a member of {request}")),
            "{kind}: {found:#?}"
        );
        for u in &s.unsupported {
            let refused = format!(
                "$.Steps[0].Arguments.{u}: `{u}` is not accepted here: SageMaker Pipelines refuses it in a step's arguments"
            );
            assert!(found.contains(&refused), "{kind}: {found:#?}");
        }
        // The job's own name may be left out (the other required members are reported: `RoleArn` of Training).
        for o in &s.optional {
            assert!(!found.iter().any(|f| f.contains(&format!(".{o}: is required"))), "{kind}: {found:#?}");
        }
        if kind == "Training" {
            assert!(
                found.contains(&"$.Steps[0].Arguments.RoleArn: is required but was not set".to_owned()),
                "{found:#?}"
            );
        }
    }
}

#[test]
fn without_the_feature_the_crate_is_what_it_was() {
    let cfg = config::load(&root().join("models/codegen.toml")).unwrap();
    let generate = |definitions: Option<&config::Definitions>| {
        codegen::generate(
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
                definitions,
            },
        )
        .unwrap()
    };
    let without = generate(None);
    let with = generate(cfg.definitions.as_ref());
    let added: Vec<&str> = with.keys().filter(|k| !without.contains_key(*k)).map(String::as_str).collect();
    assert_eq!(
        added,
        ["src/definition.rs", "src/definition_check.rs", "src/definition_schema.rs", "src/json.rs", "src/schema.rs"]
    );
    let changed: Vec<&str> = without.iter().filter(|(k, v)| with.get(*k) != Some(v)).map(|(k, _)| k.as_str()).collect();
    assert_eq!(changed, ["Cargo.toml", "src/lib.rs"]);
    // The manifest gains the feature (and its comment); `lib.rs` gains only modules behind it.
    let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let gained = |before: &str, after: &str| {
        let mut before = lines(before).into_iter().peekable();
        let mut out = Vec::new();
        for line in lines(after) {
            if before.peek() == Some(&line) {
                before.next();
            } else {
                out.push(line);
            }
        }
        assert_eq!(before.next(), None, "lines were removed");
        out
    };
    assert_eq!(
        gained(&without["Cargo.toml"], &with["Cargo.toml"]),
        [
            "# Pipeline definitions (the `definition` module): read, written back, and checked against the model's \
             schema tables.",
            "definitions = []",
        ]
    );
    for line in gained(&without["src/lib.rs"], &with["src/lib.rs"]) {
        let allowed = line.is_empty()
            || line == "#[cfg(feature = \"definitions\")]"
            || line == "#[cfg_attr(docsrs, doc(cfg(feature = \"definitions\")))]"
            || [
                "pub mod definition;",
                "mod definition_check;",
                "mod definition_schema;",
                "mod json;",
                "pub mod schema;",
            ]
            .contains(&line.as_str());
        assert!(allowed, "lib.rs gains {line:?}");
    }
}
