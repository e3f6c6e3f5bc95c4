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
    ("cleanup_member_typo", "conditions", &["$.Steps[4].Arguments.Resources.S3[0].S3Uri: `S3Uri` is not a member of CleanupS3Source (did you mean `S3Uris`?)"]),
    ("cleanup_unknown_step", "conditions", &["$.Steps[4].Arguments.Resources.S3[0].StepName: no step is named `Evaluation` (did you mean `Evaluate`?)"]),
    ("cleanup_s3_uri_without_scheme", "conditions", &["$.Steps[4].Arguments.Resources.S3[0].S3Uris[0]: \"corpus-bucket/scratch/part-0000.csv\" does not match the pattern ^(https|s3)://([^/]+)/?(.*)$"]),
    ("data_reference_cycle", "training", &["$.Steps[0].Arguments.ProcessingInputs[0].S3Input.S3Uri.Get: the steps `Prepare`, `Train` depend on each other in a cycle; here `Prepare` needs `Train`"]),
    ("depends_on_cycle", "named", &["$.Steps[0].DependsOn[0]: the steps `NamedProcessing`, `NamedTraining` depend on each other in a cycle; here `NamedProcessing` needs `NamedTraining`"]),
    ("duplicate_step_name", "training", &["$.Steps[2].Name: the step name `Train` is taken by $.Steps[1]"]),
    ("emr_action_on_failure_case", "emr", &["$.Steps[0].Arguments.StepConfig.ActionOnFailure: \"Continue\" is not a value of ActionOnFailure (did you mean \"CONTINUE\"?)"]),
    ("emr_cluster_id_and_config", "emr", &["$.Steps[1].Arguments.ClusterConfig: exactly one of `ClusterId` and `ClusterConfig` must be set, and 2 are"]),
    ("emr_cluster_kept_alive", "emr", &["$.Steps[1].Arguments.ClusterConfig.Instances.KeepJobFlowAliveWhenNoSteps: `KeepJobFlowAliveWhenNoSteps` is not accepted here: SageMaker Pipelines refuses it in a step's arguments"]),
    ("emr_instance_role_primary", "emr", &["$.Steps[1].Arguments.ClusterConfig.Instances.InstanceGroups[0].InstanceRole: \"PRIMARY\" is not a value of InstanceRoleType"]),
    ("emr_member_typo", "emr", &["$.Steps[1].Arguments.StepConfig.HadoopJarStep.MainClas: `MainClas` is not a member of HadoopJarStepConfig (did you mean `MainClass`?)"]),
    ("emr_role_without_cluster_id", "emr", &["$.Steps[1].Arguments.ExecutionRoleArn: `ExecutionRoleArn` is accepted only with `ClusterId`, which is not set"]),
    ("emr_serverless_application_id", "emr-serverless", &["$.Steps[0].Arguments.JobConfig.applicationId: \"app-123\" does not match the pattern ^[0-9a-z]+$", "$.Steps[0].Arguments.ApplicationId: \"app-123\" does not match the pattern ^[0-9a-z]+$"]),
    ("emr_serverless_job_driver_case", "emr-serverless", &["$.Steps[1].Arguments.JobConfig.jobDriver.SparkSubmit: `SparkSubmit` is not a member of JobDriver (did you mean `sparkSubmit`?)"]),
    ("emr_serverless_no_application", "emr-serverless", &["$.Steps[1].Arguments: exactly one of `ApplicationId` and `ApplicationConfig` must be set, and none is"]),
    ("emr_step_name", "emr", &["$.Steps[0].Arguments.StepConfig.Name: `Name` is not accepted here: SageMaker Pipelines refuses it in a step's arguments"]),
    ("emr_uniform_instances", "emr", &["$.Steps[1].Arguments.ClusterConfig.Instances: exactly one of `InstanceGroups` and `InstanceFleets` must be set, and none is"]),
    ("enum_case_input_mode", "training", &["$.Steps[1].Arguments.AlgorithmSpecification.TrainingInputMode: \"file\" is not a value of TrainingInputMode (did you mean \"File\"?)"]),
    ("enum_case_instance_type", "training", &["$.Steps[2].Arguments.TransformResources.InstanceType: \"ml.M5.large\" is not a value of TransformInstanceType (did you mean \"ml.m5.large\"?)"]),
    ("get_missing_step", "training", &["$.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri.Get: no step is named `Preprocess`"]),
    ("get_wrong_property", "training", &["$.Steps[1].Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri.Get: `ModelArtifacts` is not a property of a Processing step"]),
    ("integer_parameter_as_string", "training", &["$.Steps[0].Arguments.AppSpecification.ImageUri: `Parameters.InstanceCount` is Integer, which cannot be assigned to an argument of type String"]),
    ("job_name_too_long", "named", &["$.Steps[1].Arguments.TrainingJobName: length must be between 1 and 63 characters, but is 71"]),
    ("json_get_undeclared_property_file", "gate", &["$.Steps[1].Arguments.Conditions[0].LeftValue['Std:JsonGet'].PropertyFile.Get: the step `Evaluate` declares no property file `Metrics`"]),
    ("lineage_action_status_case", "lineage", &["$.Steps[4].Arguments.Actions[0].Status: \"completed\" is not a value of ActionStatus (did you mean \"Completed\"?)"]),
    ("lineage_artifact_without_source_uri", "lineage", &["$.Steps[4].Arguments.Artifacts[0].Source.SourceUri: is required but was not set"]),
    ("lineage_association_type", "lineage", &["$.Steps[4].Arguments.Associations[0].AssociationType: \"Contributed\" is not a value of AssociationEdgeType (did you mean \"ContributedTo\"?)"]),
    ("lineage_end_arn_and_name", "lineage", &["$.Steps[4].Arguments.Associations[1].Destination.Name: exactly one of `Arn` and `Name` must be set, and 2 are"]),
    ("lineage_end_name_without_type", "lineage", &["$.Steps[4].Arguments.Associations[0].Source.Name: `Name` is accepted only with `Type`, which is not set"]),
    ("lineage_entity_type", "lineage", &["$.Steps[4].Arguments.Associations[0].Source.Type: \"Model\" is not a value of LineageEntityType"]),
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
    // A member no request has, in a step of each kind: the message names the kind's request (and what it refuses,
    // at its path below the arguments: EMR's `ClusterConfig.Instances.TerminationProtected`).
    let settings = config::load(&root().join("models/codegen.toml")).unwrap().definitions.unwrap();
    for (kind, s) in &settings.steps {
        let mut arguments = serde_json::json!({"NoSuchMember": 1});
        for u in &s.unsupported {
            let mut at = &mut arguments;
            for segment in u.split('.') {
                at = at.as_object_mut().unwrap().entry(segment).or_insert_with(|| serde_json::json!({}));
            }
        }
        let text = serde_json::json!({"Version": "2020-12-01", "Steps": [{"Name": "S", "Type": kind, "Arguments": arguments}]})
            .to_string();
        let found = issues(&PipelineDefinition::from_json(&text).unwrap());
        let request = s.arguments.rsplit('#').next().unwrap();
        assert!(
            found.contains(&format!("$.Steps[0].Arguments.NoSuchMember: `NoSuchMember` is not a member of {request}")),
            "{kind}: {found:#?}"
        );
        for u in &s.unsupported {
            let name = u.rsplit('.').next().unwrap();
            let refused = format!(
                "$.Steps[0].Arguments.{u}: `{name}` is not accepted here: SageMaker Pipelines refuses it in a step's \
                 arguments"
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
fn a_for_each_body_step_is_checked_against_its_kind_request() {
    // The corpus's ForEach pipeline (SDK 3.27), with one mistake in the Processing step of `PerRegion`'s body
    // (`Steps[1].Arguments.ForEachBody[0]`) and one reading of it from outside the body.
    let text = std::fs::read_to_string(root().join("tests/definitions/corpus/sdk3/for_each.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let body = &mut v["Steps"][1]["Arguments"]["ForEachBody"][0];
    assert_eq!(body["Name"], "PrepareRegion");
    let cluster = &mut body["Arguments"]["ProcessingResources"]["ClusterConfig"];
    cluster["InstanceTyp"] = cluster["InstanceType"].take();
    cluster.as_object_mut().unwrap().remove("InstanceType");
    let read = serde_json::json!({"Type": "Equals", "LeftValue": {"Get": "Steps.PrepareRegion.ProcessingJobStatus"},
        "RightValue": "Completed"});
    v["Steps"][2]["Arguments"]["Conditions"].as_array_mut().unwrap().push(read);
    let found = issues(&PipelineDefinition::from_json(&v.to_string()).unwrap());
    let cluster = "$.Steps[1].Arguments.ForEachBody[0].Arguments.ProcessingResources.ClusterConfig";
    assert_eq!(
        found,
        [
            "$.Steps[2].Arguments.Conditions[1].LeftValue.Get: `PrepareRegion` is a step of the body of the ForEach \
             step `PerRegion`, run once per item, and is read only in that body: outside it, depend on `PerRegion` \
             and read `Steps.PerRegion.IterationOutputs[<index>].PrepareRegion.<member>` or \
             `Steps.PerRegion.Selected.<member>`"
                .to_owned(),
            format!(
                "{cluster}.InstanceTyp: `InstanceTyp` is not a member of ProcessingClusterConfig (did you mean \
                 `InstanceType`?)"
            ),
            format!("{cluster}.InstanceType: is required but was not set"),
        ],
        "{found:#?}"
    );
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
        [
            "src/definition.rs",
            "src/definition_build.rs",
            "src/definition_check.rs",
            "src/definition_schema.rs",
            "src/json.rs",
            "src/schema.rs",
            "src/steps.rs"
        ]
    );
    let changed: Vec<&str> = without.iter().filter(|(k, v)| with.get(*k) != Some(v)).map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        changed,
        ["Cargo.toml", "src/lib.rs", "src/operation/create_pipeline.rs", "src/operation/update_pipeline.rs"]
    );
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
                "mod definition_build;",
                "mod definition_check;",
                "mod definition_schema;",
                "mod json;",
                "pub mod schema;",
                "pub mod steps;",
            ]
            .contains(&line.as_str());
        assert!(allowed, "lib.rs gains {line:?}");
    }
    // The two operations that send a definition gain only items behind the feature (`.definition(..)` and what it
    // keeps): each run of gained lines starts with the feature's `cfg`, or with the doc of an item that has it.
    for file in ["src/operation/create_pipeline.rs", "src/operation/update_pipeline.rs"] {
        let (before, after) = (lines(&without[file]), lines(&with[file]));
        let mut b = 0;
        let mut run_start: Option<usize> = None;
        for (i, line) in after.iter().enumerate() {
            if b < before.len() && before[b] == *line {
                b += 1;
                run_start = None;
                continue;
            }
            let start = *run_start.get_or_insert(i);
            let first_code = after[start..].iter().find(|l| !l.trim_start().starts_with("///")).unwrap();
            assert_eq!(first_code.trim(), "#[cfg(feature = \"definitions\")]", "{file} gains {line:?}");
        }
        assert_eq!(b, before.len(), "{file}: lines were removed");
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Definitions written in Rust: the generated step types, argument builders and property paths (`steps`).

mod builders {
    use sagemaker_pipelines::definition::{execution, ty, Expr, Parameter, PipelineDefinition, RetryPolicy, Value};
    use sagemaker_pipelines::steps::{
        args, ClarifyCheckStep, CleanupStep, EmrServerlessStep, EmrStep, LineageStep, ProcessingStep, QualityCheckStep,
        TrainingStep, TuningStep,
    };

    /// The JSON text as a value, for comparing without caring for white space.
    fn value(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// A processing step and a training step reading its output, as the corpus's training pipeline has them
    /// (cut down), with parameters in slots of their types.
    fn prepare_and_train() -> PipelineDefinition {
        let instance_type = Parameter::string("InstanceType").default("ml.m5.xlarge");
        let instance_count = Parameter::integer("InstanceCount").default(1);
        let input = Parameter::string("InputData").default("s3://corpus-bucket/data/raw/");
        let role = "arn:aws:iam::111122223333:role/CorpusPipelineRole";
        let prepare = ProcessingStep::new("Prepare").arguments(
            args::CreateProcessingJobRequest::builder()
                .processing_resources(
                    args::ProcessingResources::builder().cluster_config(
                        args::ProcessingClusterConfig::builder()
                            .instance_type(&instance_type)
                            .instance_count(&instance_count)
                            .volume_size_in_gb(50),
                    ),
                )
                .app_specification(
                    args::AppSpecification::builder()
                        .image_uri("111122223333.dkr.ecr.us-east-1.amazonaws.com/corpus-image:1.0")
                        .container_arguments([Expr::from("--started"), execution::start_date_time()]),
                )
                .role_arn(role)
                .processing_inputs([args::ProcessingInput::builder().input_name("input-1").s3_input(
                    args::ProcessingS3Input::builder()
                        .s3_uri(&input)
                        .local_path("/opt/ml/processing/input")
                        .s3_data_type("S3Prefix")
                        .s3_input_mode("File"),
                )])
                .processing_output_config(
                    args::ProcessingOutputConfig::builder().outputs([args::ProcessingOutput::builder()
                        .output_name("train")
                        .s3_output(
                            args::ProcessingS3Output::builder()
                                .s3_uri(Expr::join(
                                    "/",
                                    [Value::from("s3://corpus-bucket"), execution::pipeline_execution_id().into()],
                                ))
                                .local_path("/opt/ml/processing/train")
                                .s3_upload_mode("EndOfJob"),
                        )]),
                ),
        );
        let train_data = prepare.properties().processing_output_config().outputs().named("train").s3_output().s3_uri();
        let train = TrainingStep::new("Train")
            .arguments(
                args::CreateTrainingJobRequest::builder()
                    .algorithm_specification(
                        args::AlgorithmSpecification::builder()
                            .training_input_mode("File")
                            .training_image("111122223333.dkr.ecr.us-east-1.amazonaws.com/corpus-image:1.0"),
                    )
                    .output_data_config(args::OutputDataConfig::builder().s3_output_path("s3://corpus-bucket/training"))
                    .stopping_condition(args::StoppingCondition::builder().max_runtime_in_seconds(7200))
                    .resource_config(
                        args::ResourceConfig::builder()
                            .volume_size_in_gb(30)
                            .instance_count(1)
                            .instance_type(&instance_type),
                    )
                    .role_arn(role)
                    .input_data_config([args::Channel::builder()
                        .channel_name("train")
                        .data_source(args::DataSource::builder().s3_data_source(
                            args::S3DataSource::builder().s3_data_type("S3Prefix").s3_uri(train_data),
                        ))])
                    .hyper_parameters([("epochs", "10")])
                    .enable_managed_spot_training(false),
            )
            .retry_policy(RetryPolicy::new(["SageMaker.CAPACITY_ERROR"]).max_attempts(3));
        PipelineDefinition::builder()
            .parameter(instance_type)
            .parameter(instance_count)
            .parameter(input)
            .step(prepare)
            .step(train)
            .build()
    }

    #[test]
    fn generated_builders_write_exactly_the_arguments_and_check_clean() {
        let d = prepare_and_train();
        // Written by hand from the format (the corpus's `sdk2/training_processing.json`, cut down to these members).
        let expected = r#"{"Version": "2020-12-01",
          "Parameters": [
            {"Name": "InstanceType", "Type": "String", "DefaultValue": "ml.m5.xlarge"},
            {"Name": "InstanceCount", "Type": "Integer", "DefaultValue": 1},
            {"Name": "InputData", "Type": "String", "DefaultValue": "s3://corpus-bucket/data/raw/"}],
          "Steps": [
            {"Name": "Prepare", "Type": "Processing", "Arguments": {
              "ProcessingResources": {"ClusterConfig": {"InstanceType": {"Get": "Parameters.InstanceType"},
                "InstanceCount": {"Get": "Parameters.InstanceCount"}, "VolumeSizeInGB": 50}},
              "AppSpecification": {"ImageUri": "111122223333.dkr.ecr.us-east-1.amazonaws.com/corpus-image:1.0",
                "ContainerArguments": ["--started", {"Get": "Execution.StartDateTime"}]},
              "RoleArn": "arn:aws:iam::111122223333:role/CorpusPipelineRole",
              "ProcessingInputs": [{"InputName": "input-1", "S3Input": {"S3Uri": {"Get": "Parameters.InputData"},
                "LocalPath": "/opt/ml/processing/input", "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
              "ProcessingOutputConfig": {"Outputs": [{"OutputName": "train", "S3Output": {
                "S3Uri": {"Std:Join": {"On": "/", "Values": ["s3://corpus-bucket", {"Get": "Execution.PipelineExecutionId"}]}},
                "LocalPath": "/opt/ml/processing/train", "S3UploadMode": "EndOfJob"}}]}}},
            {"Name": "Train", "Type": "Training", "Arguments": {
              "AlgorithmSpecification": {"TrainingInputMode": "File",
                "TrainingImage": "111122223333.dkr.ecr.us-east-1.amazonaws.com/corpus-image:1.0"},
              "OutputDataConfig": {"S3OutputPath": "s3://corpus-bucket/training"},
              "StoppingCondition": {"MaxRuntimeInSeconds": 7200},
              "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": 1, "InstanceType": {"Get": "Parameters.InstanceType"}},
              "RoleArn": "arn:aws:iam::111122223333:role/CorpusPipelineRole",
              "InputDataConfig": [{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                "S3Uri": {"Get": "Steps.Prepare.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"}}}}],
              "HyperParameters": {"epochs": "10"},
              "EnableManagedSpotTraining": false},
             "RetryPolicies": [{"ExceptionType": ["SageMaker.CAPACITY_ERROR"], "MaxAttempts": 3}]}]}"#;
        assert_eq!(value(&d.to_json()), value(expected));
        assert_eq!(d.check(), Ok(()));
        // The built value is the one `from_json` reads from its text.
        assert_eq!(PipelineDefinition::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn a_mistake_written_through_a_builder_is_found_by_check() {
        // Enum values are strings in the builders; `check()` names the nearest allowed one.
        let step = TrainingStep::new("Train").arguments(
            args::CreateTrainingJobRequest::builder()
                .resource_config(args::ResourceConfig::builder().instance_type("ml.M5.large").instance_count(-1)),
        );
        let d = PipelineDefinition::builder().step(step).build();
        let found: Vec<String> = d.check().unwrap_err().issues().iter().map(|i| i.to_string()).collect();
        // The model: `TrainingInstanceCount` is at least 0; `CreateTrainingJobRequest` requires `RoleArn` and
        // `OutputDataConfig` (and the job's name, which a step leaves out).
        assert_eq!(
            found,
            [
                "$.Steps[0].Arguments.ResourceConfig.InstanceType: \"ml.M5.large\" is not a value of TrainingInstanceType \
                 (did you mean \"ml.m5.large\"?)",
                "$.Steps[0].Arguments.ResourceConfig.InstanceCount: must be at least 0, but is -1",
                "$.Steps[0].Arguments.OutputDataConfig: is required but was not set",
                "$.Steps[0].Arguments.RoleArn: is required but was not set",
            ]
        );
    }

    #[test]
    fn properties_are_typed_gets_of_the_describe_outputs() {
        let train = TrainingStep::new("Train");
        let artifacts = train.properties().model_artifacts().s3_model_artifacts();
        assert_eq!(artifacts.value().to_json(), r#"{"Get":"Steps.Train.ModelArtifacts.S3ModelArtifacts"}"#);
        assert_eq!(artifacts.type_name(), "String");
        let metric = train.properties().final_metric_data_list().named("validation:auc").value();
        assert_eq!(metric.value().to_json(), r#"{"Get":"Steps.Train.FinalMetricDataList['validation:auc'].Value"}"#);
        assert_eq!(metric.type_name(), "Float");
        let first = train.properties().final_metric_data_list().index(0).metric_name();
        assert_eq!(first.value().to_json(), r#"{"Get":"Steps.Train.FinalMetricDataList[0].MetricName"}"#);
        let env = train.properties().environment().get("MODE");
        assert_eq!(env.value().to_json(), r#"{"Get":"Steps.Train.Environment['MODE']"}"#);
        let count = train.properties().resource_config().instance_count();
        assert_eq!(
            (count.value().to_json().as_str(), count.type_name()),
            (r#"{"Get":"Steps.Train.ResourceConfig.InstanceCount"}"#, "Integer")
        );
        let spot = train.properties().enable_managed_spot_training();
        assert_eq!(spot.type_name(), "Boolean");
        // A kind with two output shapes has the members of both.
        let tune = TuningStep::new("Tune");
        let best = tune.properties().best_training_job().training_job_name();
        assert_eq!(best.value().to_json(), r#"{"Get":"Steps.Tune.BestTrainingJob.TrainingJobName"}"#);
        let summary = tune.properties().training_job_summaries().index(1).training_job_name();
        assert_eq!(summary.value().to_json(), r#"{"Get":"Steps.Tune.TrainingJobSummaries[1].TrainingJobName"}"#);
    }

    /// A processing job's arguments, as a check step runs one.
    fn processing(image: &str, input: impl Into<Expr<ty::String>>) -> args::CreateProcessingJobRequest {
        args::CreateProcessingJobRequest::builder()
            .app_specification(args::AppSpecification::builder().image_uri(image))
            .processing_inputs([args::ProcessingInput::builder().input_name("baseline").s3_input(
                args::ProcessingS3Input::builder()
                    .s3_uri(input)
                    .local_path("/opt/ml/processing/input")
                    .s3_data_type("S3Prefix")
                    .s3_input_mode("File"),
            )])
            .processing_resources(
                args::ProcessingResources::builder().cluster_config(
                    args::ProcessingClusterConfig::builder()
                        .instance_count(1)
                        .instance_type("ml.m5.large")
                        .volume_size_in_gb(30),
                ),
            )
            .role_arn("arn:aws:iam::111122223333:role/R")
    }

    /// `d` written as JSON, after checking that its steps' arguments, in order, are those of the steps `names` in the
    /// corpus's EMR branch (`sdk3/conditions_lambda_emr.json`, where the EMR and EMR Serverless steps are).
    fn written_as_the_corpus_branch<const N: usize>(d: &PipelineDefinition, names: [&str; N]) -> serde_json::Value {
        let corpus = value(
            &std::fs::read_to_string(
                project_tests::root().join("tests/definitions/corpus/sdk3/conditions_lambda_emr.json"),
            )
            .unwrap(),
        );
        let branch = &corpus["Steps"][2]["Arguments"]["IfSteps"][0]["Arguments"]["IfSteps"][1]["Arguments"]["IfSteps"];
        let written = value(&d.to_json());
        for (i, name) in names.iter().enumerate() {
            let theirs = branch.as_array().unwrap().iter().find(|s| s["Name"] == *name).unwrap();
            assert_eq!(written["Steps"][i]["Arguments"], theirs["Arguments"], "{name}");
        }
        written
    }

    #[test]
    fn emr_steps_are_written_with_emr_shapes_and_read_emr_properties() {
        // The corpus's two EMR steps (SDK 3.27), their arguments written through the builders of EMR's shapes
        // (`args::emr`, beside SageMaker's of the same names).
        let on_cluster = EmrStep::new("SparkOnCluster").arguments(
            args::EmrStepArguments::builder()
                .step_config(
                    args::emr::StepConfig::builder().hadoop_jar_step(
                        args::emr::HadoopJarStepConfig::builder()
                            .jar("command-runner.jar")
                            .args(["spark-submit", "--deploy-mode", "cluster", "s3://corpus-bucket/code/job.py"])
                            .properties([args::emr::KeyValue::builder().key("spark.executor.memory").value("2g")]),
                    ),
                )
                .cluster_id("j-1ABCDEFGHIJKL")
                .execution_role_arn("arn:aws:iam::111122223333:role/CorpusEmrRuntimeRole"),
        );
        let new_cluster = EmrStep::new("SparkOnNewCluster").depends_on(&on_cluster).arguments(
            args::EmrStepArguments::builder()
                .step_config(
                    args::emr::StepConfig::builder().hadoop_jar_step(
                        args::emr::HadoopJarStepConfig::builder()
                            .jar("s3://corpus-bucket/jars/job.jar")
                            .main_class("org.example.Main"),
                    ),
                )
                .cluster_config(
                    args::emr::RunJobFlowInput::builder()
                        .instances(
                            args::emr::JobFlowInstancesConfig::builder().instance_groups([
                                args::emr::InstanceGroupConfig::builder()
                                    .name("Primary")
                                    .instance_role("MASTER")
                                    .instance_type("m5.xlarge")
                                    .instance_count(1),
                            ]),
                        )
                        .release_label("emr-7.2.0")
                        .applications([args::emr::Application::builder().name("Spark")]),
                ),
        );
        // The SDK's `EMRStep.emr_outputs`: an argument of the step's own, read back through EMR's `Step`.
        let output = on_cluster.properties().config_value().args().index(3);
        assert_eq!(output.value().to_json(), r#"{"Get":"Steps.SparkOnCluster.Config.Args[3]"}"#);
        let state = on_cluster.properties().status().state();
        assert_eq!(state.value().to_json(), r#"{"Get":"Steps.SparkOnCluster.Status.State"}"#);
        let d = PipelineDefinition::builder().step(on_cluster).step(new_cluster).build();
        assert_eq!(d.check(), Ok(()));
        let written = written_as_the_corpus_branch(&d, ["SparkOnCluster", "SparkOnNewCluster"]);
        // A property EMR's `Step` does not have is refused, with the nearest.
        let mut text = written.clone();
        text["Steps"][1]["Arguments"]["StepConfig"]["HadoopJarStep"]["Jar"] =
            serde_json::json!({"Get": "Steps.SparkOnCluster.Config.Jars"});
        assert_eq!(
            super::issues(&PipelineDefinition::from_json(&text.to_string()).unwrap()),
            ["$.Steps[1].Arguments.StepConfig.HadoopJarStep.Jar.Get: `Jars` is not a member of HadoopStepConfig (did \
              you mean `Jar`?) (in `Steps.SparkOnCluster.Config.Jars`)"]
        );
    }

    #[test]
    fn lineage_steps_write_requests_and_read_the_arns_they_create() {
        // As the corpus's `RecordLineage` (SDK 3.27): entities as SageMaker's `Create*` requests, an association by
        // name and type and one by ARN; the ARNs of what it creates are maps by name.
        let record = LineageStep::new("RecordLineage").arguments(
            args::LineageStepArguments::builder()
                .artifacts([args::CreateArtifactRequest::builder()
                    .artifact_name("model-data")
                    .source(args::ArtifactSource::builder().source_uri("s3://corpus-bucket/models/model.tar.gz"))
                    .artifact_type("Model")])
                .contexts([args::CreateContextRequest::builder()
                    .context_name("corpus-endpoint-context")
                    .source(
                        args::ContextSource::builder()
                            .source_uri("arn:aws:sagemaker:us-east-1:111122223333:endpoint/e"),
                    )
                    .context_type("Endpoint")])
                .associations([
                    args::LineageAssociation::builder()
                        .source(args::LineageEntityReference::builder().name("model-data").r#type("Artifact"))
                        .destination(
                            args::LineageEntityReference::builder().name("corpus-endpoint-context").r#type("Context"),
                        )
                        .association_type("ContributedTo"),
                    args::LineageAssociation::builder()
                        .source(
                            args::LineageEntityReference::builder().name("corpus-endpoint-context").r#type("Context"),
                        )
                        .destination(
                            args::LineageEntityReference::builder()
                                .arn("arn:aws:sagemaker:us-east-1:111122223333:context/corpus-project"),
                        ),
                ]),
        );
        let arn = record.properties().artifact_arns().get("model-data");
        assert_eq!(arn.value().to_json(), r#"{"Get":"Steps.RecordLineage.ArtifactArns['model-data']"}"#);
        // Read by a later step where an ARN goes (a lineage context's source).
        let later = LineageStep::new("Later").arguments(
            args::LineageStepArguments::builder().contexts([args::CreateContextRequest::builder()
                .context_name("later")
                .source(args::ContextSource::builder().source_uri(arn))
                .context_type("Model")]),
        );
        let d = PipelineDefinition::builder().step(record).step(later).build();
        assert_eq!(d.check(), Ok(()));
        // What the arguments are walked through: an association's end and a property the step does not have.
        let mut text = value(&d.to_json());
        text["Steps"][0]["Arguments"]["Associations"][0]["Source"]["Kind"] = serde_json::json!("Artifact");
        text["Steps"][1]["Arguments"]["Contexts"][0]["Source"]["SourceUri"] =
            serde_json::json!({"Get": "Steps.RecordLineage.ArtifactArn"});
        assert_eq!(
            super::issues(&PipelineDefinition::from_json(&text.to_string()).unwrap()),
            [
                "$.Steps[0].Arguments.Associations[0].Source.Kind: `Kind` is not a member of LineageEntityReference",
                "$.Steps[1].Arguments.Contexts[0].Source.SourceUri.Get: `ArtifactArn` is not a property of a Lineage \
                 step (did you mean `ArtifactArns`?)",
            ]
        );
    }

    #[test]
    fn emr_serverless_steps_are_written_with_emr_serverless_shapes_and_read_its_job_run() {
        // The corpus's two EMR Serverless steps (SDK 3.27): a job run on an application, and one on an application
        // made for it, written through the builders of EMR Serverless's shapes (`args::emrserverless`).
        let role = "arn:aws:iam::111122223333:role/CorpusEmrServerlessRole";
        let job = || {
            use args::emrserverless as es;
            es::StartJobRunRequest::builder()
                .execution_role_arn(role)
                .job_driver(
                    es::JobDriver::builder().spark_submit(
                        es::SparkSubmit::builder()
                            .entry_point("s3://corpus-bucket/code/serverless.py")
                            .entry_point_arguments([Expr::from("--date"), execution::start_date_time()])
                            .spark_submit_parameters("--conf spark.executor.cores=2"),
                    ),
                )
                .configuration_overrides(es::ConfigurationOverrides::builder().monitoring_configuration(
                    es::MonitoringConfiguration::builder().s3_monitoring_configuration(
                        es::S3MonitoringConfiguration::builder().log_uri("s3://corpus-bucket/emr-serverless-logs/"),
                    ),
                ))
                .execution_timeout_minutes(60)
                .name("corpus-serverless-job")
                .tags([("team", "corpus")])
        };
        let on_application = EmrServerlessStep::new("ServerlessOnApplication").arguments(
            args::EmrServerlessStepArguments::builder()
                .execution_role_arn(role)
                .job_config(job().application_id("00fabcdefghij123"))
                .application_id("00fabcdefghij123"),
        );
        let on_new_application =
            EmrServerlessStep::new("ServerlessOnNewApplication").depends_on(&on_application).arguments(
                args::EmrServerlessStepArguments::builder()
                    .execution_role_arn(role)
                    .job_config(job())
                    .application_config(
                        args::emrserverless::CreateApplicationRequest::builder()
                            .name("corpus-application")
                            .release_label("emr-7.2.0")
                            .r#type("SPARK"),
                    ),
            );
        // The SDK's properties: EMR Serverless's `GetJobRun` output, by its members' own (camel-case) names, as the
        // SDK's `Properties` reads them from the service's model.
        let state = on_application.properties().job_run().state();
        assert_eq!(state.value().to_json(), r#"{"Get":"Steps.ServerlessOnApplication.jobRun.state"}"#);
        let d = PipelineDefinition::builder().step(on_application).step(on_new_application).build();
        assert_eq!(d.check(), Ok(()));
        let written = written_as_the_corpus_branch(&d, ["ServerlessOnApplication", "ServerlessOnNewApplication"]);
        // The requests' `clientToken` may be left out (the SDK writes none), but not a required member the SDK
        // writes: a new application without its `releaseLabel` is refused.
        let mut text = written.clone();
        text["Steps"][1]["Arguments"]["ApplicationConfig"].as_object_mut().unwrap().remove("releaseLabel");
        assert_eq!(
            super::issues(&PipelineDefinition::from_json(&text.to_string()).unwrap()),
            ["$.Steps[1].Arguments.ApplicationConfig.releaseLabel: is required but was not set"]
        );
    }

    #[test]
    fn cleanup_steps_write_the_sdk_format() {
        // The corpus's `CleanUp` (SDK 3.27): the S3 outputs of `Evaluate` to delete, by a joined URI.
        let uri = Expr::join(
            "/",
            [
                Value::from("s3://corpus-bucket/scratch"),
                execution::pipeline_execution_id().into(),
                "part-0000.csv".into(),
            ],
        );
        let cleanup = CleanupStep::new("CleanUp").arguments(
            args::CleanupStepArguments::builder().resources(
                args::CleanupResources::builder()
                    .s3([args::CleanupS3Source::builder().step_name("Evaluate").s3_uris([uri])]),
            ),
        );
        let written = value(&PipelineDefinition::builder().step(cleanup).build().to_json());
        let corpus = value(
            &std::fs::read_to_string(
                project_tests::root().join("tests/definitions/corpus/sdk3/conditions_lambda_emr.json"),
            )
            .unwrap(),
        );
        assert_eq!(corpus["Steps"][4]["Name"], "CleanUp");
        assert_eq!(written["Steps"][0]["Arguments"], corpus["Steps"][4]["Arguments"]);
        // At least one source, and a step name of the format's pattern (not also reported as naming no step).
        let mut text = written.clone();
        text["Steps"][0]["Arguments"]["Resources"]["S3"] = serde_json::json!([]);
        let mut named = written.clone();
        named["Steps"][0]["Arguments"]["Resources"]["S3"][0]["StepName"] = serde_json::json!("Eval uate");
        let found: Vec<String> = [text, named]
            .iter()
            .flat_map(|t| super::issues(&PipelineDefinition::from_json(&t.to_string()).unwrap()))
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("$.Steps[0].Arguments.Resources.S3: "), "{found:#?}");
        assert!(found[1].starts_with("$.Steps[0].Arguments.Resources.S3[0].StepName: "), "{found:#?}");
    }

    #[test]
    fn check_steps_properties_are_their_baselines() {
        // The Python SDK's `QualityCheckStep.properties` and `ClarifyCheckStep.properties`: S3 URIs, as strings.
        let quality = QualityCheckStep::new("DataQuality").arguments(processing("i", "s3://b/data"));
        let bias = ClarifyCheckStep::new("Bias").arguments(processing("i", "s3://b/data"));
        let q = quality.properties();
        let written: Vec<(String, &str)> = [
            q.calculated_baseline_constraints(),
            q.calculated_baseline_statistics(),
            q.baseline_used_for_drift_check_constraints(),
            q.baseline_used_for_drift_check_statistics(),
            bias.properties().calculated_baseline_constraints(),
            bias.properties().baseline_used_for_drift_check_constraints(),
        ]
        .iter()
        .map(|e| (e.value().to_json(), e.type_name()))
        .collect();
        assert_eq!(
            written,
            [
                (r#"{"Get":"Steps.DataQuality.CalculatedBaselineConstraints"}"#.to_owned(), "String"),
                (r#"{"Get":"Steps.DataQuality.CalculatedBaselineStatistics"}"#.to_owned(), "String"),
                (r#"{"Get":"Steps.DataQuality.BaselineUsedForDriftCheckConstraints"}"#.to_owned(), "String"),
                (r#"{"Get":"Steps.DataQuality.BaselineUsedForDriftCheckStatistics"}"#.to_owned(), "String"),
                (r#"{"Get":"Steps.Bias.CalculatedBaselineConstraints"}"#.to_owned(), "String"),
                (r#"{"Get":"Steps.Bias.BaselineUsedForDriftCheckConstraints"}"#.to_owned(), "String"),
            ]
        );
        // Read by a later check (as the SDK's drift checks read them) and by a processing step's input: clean.
        let monitor = QualityCheckStep::new("Monitor")
            .arguments(processing("i", q.calculated_baseline_statistics()))
            .member("SuppliedBaselineConstraints", q.baseline_used_for_drift_check_constraints())
            .member("SuppliedBaselineStatistics", q.baseline_used_for_drift_check_statistics());
        let d = PipelineDefinition::builder().step(quality).step(bias).step(monitor).build();
        assert_eq!(d.check(), Ok(()));
        // Written as JSON: a clarify check computes no statistics, a property has no members, a baseline is no count
        // (the step's own members are checked before its arguments).
        let mut text = value(&d.to_json());
        let input = "/Arguments/ProcessingInputs/0/S3Input/S3Uri";
        *text.pointer_mut(&format!("/Steps/2{input}")).unwrap() =
            serde_json::json!({"Get": "Steps.Bias.CalculatedBaselineStatistics"});
        *text.pointer_mut("/Steps/2/SuppliedBaselineConstraints").unwrap() =
            serde_json::json!({"Get": "Steps.DataQuality.CalculatedBaselineConstraints.S3Uri"});
        *text.pointer_mut("/Steps/2/Arguments/ProcessingResources/ClusterConfig/InstanceCount").unwrap() =
            serde_json::json!({"Get": "Steps.DataQuality.CalculatedBaselineConstraints"});
        let d = PipelineDefinition::from_json(&text.to_string()).unwrap();
        assert_eq!(
            super::issues(&d),
            [
                "$.Steps[2].SuppliedBaselineConstraints.Get: `Steps.DataQuality.CalculatedBaselineConstraints.S3Uri` \
                 does not fit the property's shape: `CalculatedBaselineConstraints` is a string",
                "$.Steps[2].Arguments.ProcessingInputs[0].S3Input.S3Uri.Get: `CalculatedBaselineStatistics` is not a \
                 property of a ClarifyCheck step (did you mean `CalculatedBaselineConstraints`?)",
                "$.Steps[2].Arguments.ProcessingResources.ClusterConfig.InstanceCount: \
                 `Steps.DataQuality.CalculatedBaselineConstraints` is String, which cannot be assigned to an argument \
                 of type Integer",
            ]
        );
    }

    #[test]
    fn typed_properties_resolve_in_check_with_the_types_they_carry() {
        // A property of each type, into a slot of its type, checks clean; the same property into a slot of
        // another type is the error `check()` gives for it (what the typed setters rule out at compile time).
        let train = TrainingStep::new("Train").arguments(
            args::CreateTrainingJobRequest::builder()
                .algorithm_specification(
                    args::AlgorithmSpecification::builder().training_input_mode("File").training_image("i"),
                )
                .output_data_config(args::OutputDataConfig::builder().s3_output_path("s3://b/o"))
                .resource_config(
                    args::ResourceConfig::builder()
                        .instance_type("ml.m5.large")
                        .instance_count(1)
                        .volume_size_in_gb(30),
                )
                .role_arn("arn:aws:iam::111122223333:role/R")
                .stopping_condition(args::StoppingCondition::builder().max_runtime_in_seconds(60)),
        );
        let count = train.properties().resource_config().instance_count();
        let artifacts = train.properties().model_artifacts().s3_model_artifacts();
        let second = TrainingStep::new("Again").arguments(
            args::CreateTrainingJobRequest::builder()
                .algorithm_specification(
                    args::AlgorithmSpecification::builder()
                        .training_input_mode("File")
                        .training_image(artifacts.clone()),
                )
                .output_data_config(args::OutputDataConfig::builder().s3_output_path(artifacts))
                .resource_config(
                    args::ResourceConfig::builder()
                        .instance_type("ml.m5.large")
                        .instance_count(count.clone())
                        .volume_size_in_gb(30),
                )
                .role_arn("arn:aws:iam::111122223333:role/R")
                .stopping_condition(args::StoppingCondition::builder().max_runtime_in_seconds(60)),
        );
        let d = PipelineDefinition::builder().step(train.clone()).step(second).build();
        assert_eq!(d.check(), Ok(()));
        // `Expr::get` states a type the typed API would not: the check still sees the property's own type.
        let wrong = TrainingStep::new("Wrong").arguments(args::CreateTrainingJobRequest::builder().role_arn(Expr::<
            ty::String,
        >::get(
            count.value().get("Get").unwrap().as_str().unwrap(),
        )));
        let d = PipelineDefinition::builder().step(train).step(wrong).build();
        let found: Vec<String> = d.check().unwrap_err().issues().iter().map(|i| i.to_string()).collect();
        assert!(
            found.contains(
                &"$.Steps[1].Arguments.RoleArn: `Steps.Train.ResourceConfig.InstanceCount` is Integer, which \
                cannot be assigned to an argument of type String"
                    .to_owned()
            ),
            "{found:#?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sending a typed definition: `.definition(..)` of CreatePipeline and UpdatePipeline (against the test doubles).

mod sending {
    use sagemaker_pipelines::definition::{Parameter, PipelineDefinition};
    use sagemaker_pipelines::error::SdkError;
    use sagemaker_pipelines::operation::create_pipeline::{CreatePipelineInput, CreatePipelineOutput};
    use sagemaker_pipelines::operation::update_pipeline::{UpdatePipelineInput, UpdatePipelineOutput};
    use sagemaker_pipelines::steps::FailStep;
    use sagemaker_pipelines::test_util::{rules, Mocks, RuleMode};
    use sagemaker_pipelines::validation::{Constraint, ConstraintKind};

    fn good() -> PipelineDefinition {
        PipelineDefinition::builder()
            .parameter(Parameter::string("Reason").default("none"))
            .step(FailStep::new("Stop").error_message(&Parameter::string("Reason")))
            .build()
    }

    /// A step name the format refuses, and a `Get` of a parameter nobody declared.
    fn bad() -> PipelineDefinition {
        PipelineDefinition::builder().step(FailStep::new("Stop here").error_message(&Parameter::string("Nope"))).build()
    }

    #[tokio::test]
    async fn a_checked_definition_is_sent_as_its_text() {
        let create =
            rules::create_pipeline().then_output(|| CreatePipelineOutput::builder().pipeline_arn("arn").build());
        let update =
            rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().pipeline_arn("arn").build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let client = mocks.client();
        let d = good();
        client
            .create_pipeline()
            .pipeline_name("p")
            .role_arn("arn:aws:iam::111122223333:role/R")
            .definition(&d)
            .send()
            .await
            .unwrap();
        client.update_pipeline().pipeline_name("p").definition(&d).send().await.unwrap();
        let sent = create.inputs::<CreatePipelineInput>();
        assert_eq!(sent[0].pipeline_definition(), Some(d.to_json().as_str()));
        assert_eq!(update.inputs::<UpdatePipelineInput>()[0].pipeline_definition(), Some(d.to_json().as_str()));
    }

    #[tokio::test]
    async fn what_check_finds_is_a_validation_error_and_nothing_is_sent() {
        let create = rules::create_pipeline().then_output(|| CreatePipelineOutput::builder().build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create]);
        let client = mocks.client();
        let err = client
            .create_pipeline()
            .pipeline_name("p")
            .role_arn("arn:aws:iam::111122223333:role/R")
            .definition(&bad())
            .send()
            .await
            .unwrap_err();
        let SdkError::Validation(v) = err else { panic!("{err:?}") };
        let found: Vec<(String, Constraint)> =
            v.violations().iter().map(|v| (v.path().to_owned(), v.constraint().clone())).collect();
        let at = |path: &str, message: &str| (path.to_owned(), Constraint::Definition { message: message.to_owned() });
        assert_eq!(
            found,
            [
                at(
                    "PipelineDefinition.Steps[0].Name",
                    "\"Stop here\" is not a step name: 1 to 64 letters, digits, `-` and `_` (the pattern \
                     `^[A-Za-z0-9\\-_]{1,64}$`)"
                ),
                at("PipelineDefinition.Steps[0].Arguments.ErrorMessage.Get", "no parameter `Nope` is declared"),
            ]
        );
        assert_eq!(v.violations()[0].constraint().kind(), ConstraintKind::Definition);
        assert_eq!(create.num_calls(), 0);
        // The client's validation settings apply: skipping the kind sends the text as it is.
        let sent = client
            .create_pipeline()
            .pipeline_name("p")
            .role_arn("arn:aws:iam::111122223333:role/R")
            .definition(&bad())
            .config_override(
                sagemaker_pipelines::config::ConfigOverride::new().skip_constraint(ConstraintKind::Definition),
            )
            .send()
            .await;
        assert!(sent.is_ok(), "{sent:?}");
        assert_eq!(create.num_calls(), 1);
    }
}

/// `client.upsert_pipeline()` (`models/modules/pipeline_upsert.rs`): `CreatePipeline`, then `UpdatePipeline` when
/// SageMaker says the pipeline already exists, as the Python SDK's `pipeline.upsert()` does.
mod upsert {
    use sagemaker_pipelines::definition::{Parameter, PipelineDefinition};
    use sagemaker_pipelines::error::{ErrorMetadata, SdkError};
    use sagemaker_pipelines::operation::create_pipeline::{
        CreatePipelineError, CreatePipelineInput, CreatePipelineOutput,
    };
    use sagemaker_pipelines::operation::update_pipeline::{UpdatePipelineInput, UpdatePipelineOutput};
    use sagemaker_pipelines::pipeline_upsert::UpsertPipelineError;
    use sagemaker_pipelines::steps::FailStep;
    use sagemaker_pipelines::test_util::{rules, Mocks, RuleMode};
    use sagemaker_pipelines::types::{ParallelismConfiguration, Tag};

    const ROLE: &str = "arn:aws:iam::111122223333:role/R";
    const ARN: &str = "arn:aws:sagemaker:us-east-1:111122223333:pipeline/p";
    /// A `ClientRequestToken` of the modeled length (32 to 128 characters).
    const TOKEN: &str = "upsert-token-0123456789abcdef0123";

    fn definition() -> PipelineDefinition {
        PipelineDefinition::builder()
            .parameter(Parameter::string("Reason").default("none"))
            .step(FailStep::new("Stop").error_message(&Parameter::string("Reason")))
            .build()
    }

    /// What SageMaker (and moto) answer to a `CreatePipeline` whose name is taken.
    fn exists() -> CreatePipelineError {
        CreatePipelineError::generic(
            ErrorMetadata::builder()
                .code("ValidationException")
                .message("Pipeline names must be unique within an AWS account and region. Pipeline with name (p) already exists.")
                .build(),
        )
    }

    fn upsert(
        client: &sagemaker_pipelines::Client,
        d: &PipelineDefinition,
    ) -> sagemaker_pipelines::pipeline_upsert::UpsertPipeline {
        client
            .upsert_pipeline()
            .pipeline_name("p")
            .pipeline_display_name("P")
            .pipeline_description("what it does")
            .role_arn(ROLE)
            .parallelism_configuration(ParallelismConfiguration::builder().max_parallel_execution_steps(4).build())
            .tags(Tag::builder().key("team").value("ml").build())
            .definition(d)
    }

    #[tokio::test]
    async fn a_new_pipeline_is_created_and_nothing_updated() {
        let create = rules::create_pipeline().then_output(|| CreatePipelineOutput::builder().pipeline_arn(ARN).build());
        let update = rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().pipeline_arn(ARN).build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let d = definition();
        let out = upsert(&mocks.client(), &d).send().await.unwrap();
        assert!(out.created());
        assert_eq!(out.pipeline_arn(), Some(ARN));
        assert_eq!(update.num_calls(), 0);
        let sent = &create.inputs::<CreatePipelineInput>()[0];
        assert_eq!(sent.pipeline_name(), Some("p"));
        assert_eq!(sent.role_arn(), Some(ROLE));
        assert_eq!(sent.pipeline_definition(), Some(d.to_json().as_str()));
        assert_eq!(sent.tags().len(), 1);
        assert!(sent.client_request_token().is_some());
    }

    #[tokio::test]
    async fn an_existing_pipeline_is_updated_with_the_same_members() {
        let create = rules::create_pipeline().then_error(exists);
        let update = rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().pipeline_arn(ARN).build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let d = definition();
        let out = upsert(&mocks.client(), &d).send().await.unwrap();
        assert!(!out.created());
        assert_eq!(out.pipeline_arn(), Some(ARN));
        assert_eq!(create.num_calls(), 1);
        let sent = &update.inputs::<UpdatePipelineInput>()[0];
        assert_eq!(sent.pipeline_name(), Some("p"));
        assert_eq!(sent.pipeline_display_name(), Some("P"));
        assert_eq!(sent.pipeline_description(), Some("what it does"));
        assert_eq!(sent.role_arn(), Some(ROLE));
        assert_eq!(sent.parallelism_configuration().and_then(|p| p.max_parallel_execution_steps()), Some(4));
        assert_eq!(sent.pipeline_definition(), Some(d.to_json().as_str()));
    }

    #[tokio::test]
    async fn a_definition_check_refuses_finds_problems_and_nothing_is_sent() {
        let create = rules::create_pipeline().then_output(|| CreatePipelineOutput::builder().build());
        let update = rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let bad = PipelineDefinition::builder()
            .step(FailStep::new("Stop here").error_message(&Parameter::string("Nope")))
            .build();
        let err = upsert(&mocks.client(), &bad).send().await.unwrap_err();
        let UpsertPipelineError::Create(SdkError::Validation(v)) = &err else { panic!("{err:?}") };
        let paths: Vec<&str> = v.violations().iter().map(|v| v.path()).collect();
        assert_eq!(
            paths,
            ["PipelineDefinition.Steps[0].Name", "PipelineDefinition.Steps[0].Arguments.ErrorMessage.Get"]
        );
        assert!(err.to_string().starts_with("CreatePipeline failed: "), "{err}");
        assert_eq!((create.num_calls(), update.num_calls()), (0, 0));
    }

    #[tokio::test]
    async fn another_create_error_is_returned_as_it_is() {
        // A validation error that is not about the name, and a modeled error: neither leads to an update.
        let other = || {
            CreatePipelineError::generic(
                ErrorMetadata::builder().code("ValidationException").message("Role is not valid").build(),
            )
        };
        let limit = || {
            CreatePipelineError::ResourceLimitExceeded(
                sagemaker_pipelines::types::error::ResourceLimitExceeded::builder()
                    .message("Pipeline already exists? No: too many pipelines")
                    .build(),
            )
        };
        let create = rules::create_pipeline().sequence().error(other).error(limit).build();
        let update = rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let client = mocks.client();
        let err = upsert(&client, &definition()).send().await.unwrap_err();
        let UpsertPipelineError::Create(SdkError::ServiceError(e)) = &err else { panic!("{err:?}") };
        assert_eq!(e.err().code(), Some("ValidationException"));
        assert_eq!(e.err().message(), Some("Role is not valid"));
        let err = upsert(&client, &definition()).send().await.unwrap_err();
        let UpsertPipelineError::Create(SdkError::ServiceError(e)) = &err else { panic!("{err:?}") };
        assert!(e.err().is_resource_limit_exceeded(), "{err:?}");
        assert_eq!(update.num_calls(), 0);
    }

    #[tokio::test]
    async fn the_config_override_and_the_token_reach_the_calls() {
        // A name the model's pattern refuses: only the override, applied to both calls, lets them through.
        let create = rules::create_pipeline().then_error(exists);
        let update = rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().pipeline_arn(ARN).build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let out = upsert(&mocks.client(), &definition())
            .pipeline_name("not a valid name!")
            .client_request_token(TOKEN)
            .config_override(
                sagemaker_pipelines::config::ConfigOverride::new()
                    .skip_constraint(sagemaker_pipelines::validation::ConstraintKind::Pattern),
            )
            .send()
            .await
            .unwrap();
        assert!(!out.created());
        assert_eq!(create.inputs::<CreatePipelineInput>()[0].client_request_token(), Some(TOKEN));
        assert_eq!(update.inputs::<UpdatePipelineInput>()[0].pipeline_name(), Some("not a valid name!"));
        // Without it, the name is refused before anything is sent.
        let err = upsert(&mocks.client(), &definition()).pipeline_name("not a valid name!").send().await.unwrap_err();
        let UpsertPipelineError::Create(SdkError::Validation(v)) = &err else { panic!("{err:?}") };
        assert_eq!(v.violations()[0].path(), "PipelineName");
        assert_eq!((create.num_calls(), update.num_calls()), (1, 1));
    }

    #[tokio::test]
    async fn an_update_that_fails_is_reported_as_the_update() {
        let create = rules::create_pipeline().then_error(exists);
        let update = rules::update_pipeline().then_error(|| {
            sagemaker_pipelines::operation::update_pipeline::UpdatePipelineError::generic(
                ErrorMetadata::builder().code("AccessDeniedException").message("no").build(),
            )
        });
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let err = upsert(&mocks.client(), &definition()).send().await.unwrap_err();
        let UpsertPipelineError::Update(SdkError::ServiceError(e)) = &err else { panic!("{err:?}") };
        assert_eq!(e.err().code(), Some("AccessDeniedException"));
        assert!(err.to_string().starts_with("the pipeline exists, and UpdatePipeline failed: "), "{err}");
    }
}

/// The worked example, `examples/pipeline_definition.rs` (from `models/examples/`), compiled into this test: the
/// definition it writes, compared with `tests/definitions/example/pipeline_definition.json`, and sent with upsert.
#[allow(dead_code)]
#[path = "../../generated/examples/pipeline_definition.rs"]
mod example;

mod worked_example {
    use sagemaker_pipelines::definition::PipelineDefinition;
    use sagemaker_pipelines::operation::create_pipeline::{CreatePipelineError, CreatePipelineInput};
    use sagemaker_pipelines::operation::update_pipeline::{UpdatePipelineInput, UpdatePipelineOutput};
    use sagemaker_pipelines::test_util::{rules, Mocks, RuleMode};

    use super::example;

    const ROLE: &str = "arn:aws:iam::111122223333:role/SageMakerPipelinesExecution";
    const EXPECTED: &str = "tests/definitions/example/pipeline_definition.json";

    fn value(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    fn expected() -> String {
        std::fs::read_to_string(project_tests::root().join(EXPECTED)).unwrap()
    }

    #[test]
    fn the_example_writes_the_committed_json_and_checks_clean() {
        let d = example::definition(ROLE);
        assert_eq!(d.check(), Ok(()));
        assert_eq!(value(&d.to_json()), value(&expected()));
        // And the text reads back into the same definition.
        assert_eq!(PipelineDefinition::from_json(&expected()).unwrap(), d);
    }

    #[test]
    fn the_example_is_built_only_with_the_feature_it_declares() {
        let source =
            std::fs::read_to_string(project_tests::root().join("models/examples/pipeline_definition.rs")).unwrap();
        assert!(source.lines().any(|l| l == "// required-features: definitions"));
        let manifest = std::fs::read_to_string(project_tests::root().join("generated/Cargo.toml")).unwrap();
        assert!(
            manifest.contains("\n[[example]]\nname = \"pipeline_definition\"\nrequired-features = [\"definitions\"]\n"),
            "{manifest}"
        );
    }

    #[test]
    fn the_readme_shows_excerpts_of_the_example_and_of_its_json() {
        let readme = std::fs::read_to_string(project_tests::root().join("README.md")).unwrap();
        let section = readme.split("### The worked example").nth(1).expect("README section `### The worked example`");
        let section = section.split("\n## ").next().unwrap();
        // Every block of the section, by its fence: each `rust,ignore` one is in the example, each `json` one in
        // what it writes.
        let blocks = |fence: &str| -> Vec<String> {
            section
                .split(fence)
                .skip(1)
                .map(|rest| rest.split("\n```").next().unwrap().trim_matches('\n').to_owned())
                .collect()
        };
        let source =
            std::fs::read_to_string(project_tests::root().join("generated/examples/pipeline_definition.rs")).unwrap();
        let (rust, json) = (blocks("```rust,ignore\n"), blocks("```json\n"));
        assert!(!rust.is_empty() && !json.is_empty(), "the section shows no Rust or no JSON");
        for rust in rust {
            assert!(source.contains(&rust), "the README's Rust is not in the example:\n{rust}");
        }
        for json in json {
            assert!(expected().contains(&json), "the README's JSON is not in {EXPECTED}:\n{json}");
        }
    }

    #[tokio::test]
    async fn the_example_sends_its_definition_with_upsert() {
        let create = rules::create_pipeline().then_error(|| {
            CreatePipelineError::generic(
                sagemaker_pipelines::error::ErrorMetadata::builder()
                    .code("ValidationException")
                    .message("Pipeline with name (example) already exists.")
                    .build(),
            )
        });
        let update =
            rules::update_pipeline().then_output(|| UpdatePipelineOutput::builder().pipeline_arn("arn").build());
        let mocks = Mocks::new(RuleMode::MatchAny, [&create, &update]);
        let d = example::definition(ROLE);
        let sent = example::send(&mocks.client(), "example", ROLE, &d).await.unwrap();
        assert!(!sent.created());
        assert_eq!(create.inputs::<CreatePipelineInput>()[0].pipeline_definition(), Some(d.to_json().as_str()));
        assert_eq!(update.inputs::<UpdatePipelineInput>()[0].pipeline_definition(), Some(d.to_json().as_str()));
    }
}
