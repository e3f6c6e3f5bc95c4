//! The committed `sagemaker-pipelines` crate, used as a user would: building inputs, encoding them as the service
//! expects, and decoding realistic responses leniently.

use sagemaker_pipelines::error::BuildError;
use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use sagemaker_pipelines::operation::list_pipeline_execution_steps::ListPipelineExecutionStepsOutput;
use sagemaker_pipelines::operation::start_pipeline_execution::{StartPipelineExecutionInput, OPERATION_NAME};
use sagemaker_pipelines::types::{
    Parameter, PipelineExecutionStatus, SelectedStep, SelectiveExecutionConfig, StepStatus,
};
use serde_json::json;

#[test]
fn start_pipeline_execution_input_encodes_with_wire_names() -> Result<(), BuildError> {
    let input = StartPipelineExecutionInput::builder()
        .pipeline_name("my-pipeline")
        .pipeline_parameters(Parameter::builder().name("InstanceCount").value("2").build())
        .pipeline_parameters(Parameter::builder().name("Mode").value("fast").build())
        .pipeline_version_id(3)
        .selective_execution_config(
            SelectiveExecutionConfig::builder()
                .source_pipeline_execution_arn("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e")
                .selected_steps(SelectedStep::builder().step_name("Train").build())
                .build(),
        )
        .build()?;
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({
            "PipelineName": "my-pipeline",
            "PipelineParameters": [{"Name": "InstanceCount", "Value": "2"}, {"Name": "Mode", "Value": "fast"}],
            "PipelineVersionId": 3,
            "SelectiveExecutionConfig": {
                "SourcePipelineExecutionArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e",
                "SelectedSteps": [{"StepName": "Train"}]
            }
        })
    );
    assert_eq!(input.pipeline_parameters().len(), 2);
    assert_eq!(OPERATION_NAME, "StartPipelineExecution");
    // Absent members are omitted, not sent as null.
    let empty = serde_json::to_string(&StartPipelineExecutionInput::builder().build()?).unwrap();
    assert_eq!(empty, "{}");
    Ok(())
}

#[test]
fn describe_pipeline_execution_decodes_leniently() {
    let body = json!({
        "PipelineArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p",
        "PipelineExecutionStatus": "Executing",
        "CreationTime": 1700000000.123,
        "LastModifiedTime": 1700000100,
        "PipelineVersionId": 7,
        "SomethingAwsAddsLater": {"nested": true}
    });
    let out: DescribePipelineExecutionOutput = serde_json::from_value(body).unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Executing));
    let created = out.creation_time().unwrap();
    assert_eq!((created.secs(), created.subsec_nanos()), (1_700_000_000, 123_000_000));
    assert_eq!(out.last_modified_time().unwrap().secs(), 1_700_000_100);
    assert_eq!(out.pipeline_version_id(), Some(7));
    assert_eq!(out.failure_reason(), None);
}

#[test]
fn statuses_the_crate_does_not_know_survive_a_round_trip() {
    let out: DescribePipelineExecutionOutput =
        serde_json::from_value(json!({"PipelineExecutionStatus": "Pausing"})).unwrap();
    let status = out.pipeline_execution_status().unwrap();
    assert_eq!(status.as_str(), "Pausing");
    assert!(matches!(status, PipelineExecutionStatus::Unknown(_)));
    assert_eq!(serde_json::to_value(&out).unwrap(), json!({"PipelineExecutionStatus": "Pausing"}));
    assert_eq!(PipelineExecutionStatus::from("Pausing"), *status);
    assert!(PipelineExecutionStatus::values().contains(&"Succeeded"));
    assert_eq!(StepStatus::from("Succeeded").to_string(), "Succeeded");
}

#[test]
fn list_steps_with_nested_metadata() {
    let body = json!({
        "PipelineExecutionSteps": [{
            "StepName": "Train",
            "StepStatus": "Succeeded",
            "StartTime": 1700000000,
            "Metadata": {"TrainingJob": {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/t"}},
            "AttemptCount": 1
        }],
        "NextToken": "abc"
    });
    let out: ListPipelineExecutionStepsOutput = serde_json::from_value(body).unwrap();
    let step = &out.pipeline_execution_steps()[0];
    assert_eq!(step.step_name(), Some("Train"));
    assert_eq!(step.attempt_count(), Some(1));
    let arn = step.metadata().and_then(|m| m.training_job()).and_then(|t| t.arn());
    assert_eq!(arn, Some("arn:aws:sagemaker:us-east-1:123456789012:training-job/t"));
    assert_eq!(out.next_token(), Some("abc"));
}

#[test]
fn api_facts() {
    assert_eq!(sagemaker_pipelines::API_VERSION, "2017-07-24");
    assert_eq!(sagemaker_pipelines::SDK_ID, "SageMaker");
}

/// What the 2026-07-16 model added, as a user meets it in 0.1.1.
#[test]
fn the_2026_07_16_additions() -> Result<(), BuildError> {
    // `MlflowExperimentName` on `StartPipelineExecution` (as the Dart client in the seeds has it).
    let input = StartPipelineExecutionInput::builder()
        .pipeline_name("p")
        .client_request_token("t".repeat(32))
        .mlflow_experiment_name("nightly")
        .build()?;
    assert_eq!(serde_json::to_value(&input).unwrap()["MlflowExperimentName"], "nightly");
    assert!(input.validate().is_ok());
    let empty = StartPipelineExecutionInput::builder()
        .pipeline_name("p")
        .client_request_token("t".repeat(32))
        .mlflow_experiment_name("")
        .build()?;
    assert_eq!(empty.validate().unwrap_err().violations()[0].path(), "MlflowExperimentName");
    // Pipeline ARNs whose account field is `aws` (0.1.0 refused them before sending).
    let arn = "arn:aws:sagemaker:us-east-1:aws:pipeline/shared";
    let input =
        StartPipelineExecutionInput::builder().pipeline_name(arn).client_request_token("t".repeat(32)).build()?;
    assert!(input.validate().is_ok(), "{:?}", input.validate());
    // The execution's MLflow configuration and the new step metadata decode.
    let out: DescribePipelineExecutionOutput = serde_json::from_value(json!({
        "MLflowConfig": {
            "MlflowResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/t",
            "MlflowExperimentName": "nightly"
        }
    }))
    .unwrap();
    let mlflow = out.m_lflow_config().unwrap();
    assert_eq!(mlflow.mlflow_experiment_name(), Some("nightly"));
    let out: ListPipelineExecutionStepsOutput = serde_json::from_value(json!({
        "PipelineExecutionSteps": [
            {"StepName": "Job", "Metadata": {"Job": {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j"}}},
            {"StepName": "Import", "Metadata": {"BedrockModelImport": {"Arn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/m"}}},
            {"StepName": "Lineage", "Metadata": {"Lineage": {
                "ArtifactArns": {"model": "arn:aws:sagemaker:us-east-1:123456789012:artifact/a"},
                "Associations": [{"SourceArn": "arn:s", "DestinationArn": "arn:d"}]
            }}}
        ]
    }))
    .unwrap();
    let steps = out.pipeline_execution_steps();
    let meta = |i: usize| steps[i].metadata().unwrap();
    assert!(meta(0).job().unwrap().arn().unwrap().ends_with("training-job/j"));
    assert!(meta(1).bedrock_model_import().is_some());
    let lineage = meta(2).lineage().unwrap();
    assert_eq!(lineage.associations()[0].destination_arn(), Some("arn:d"));
    assert_eq!(lineage.artifact_arns().map(|m| m.len()), Some(1));
    Ok(())
}
