//! The committed `sagemaker-pipelines` crate, used as a user would: building inputs, encoding them as the service
//! expects, and decoding realistic responses leniently, through the client on an in-memory transport.

use project_tests::raw::Raw;
use sagemaker_pipelines::error::BuildError;
use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionOutput;
use sagemaker_pipelines::operation::list_pipeline_execution_steps::ListPipelineExecutionStepsOutput;
use sagemaker_pipelines::operation::start_pipeline_execution::{StartPipelineExecutionInput, OPERATION_NAME};
use sagemaker_pipelines::types::{
    Parameter, PipelineExecutionStatus, SelectedStep, SelectiveExecutionConfig, SortOrder, StepStatus,
};
use sagemaker_pipelines::Client;
use serde_json::{json, Value};
use std::time::Duration;

/// A client whose every call gets `body` back (on the shared raw transport, which keeps the request bodies), with
/// input validation off (these tests are about the wire).
fn client(body: Value) -> (Client, Raw) {
    let answer = Raw::fixed(body.to_string());
    let config = project_tests::raw::config()
        .endpoint_url("https://api.sagemaker.example.com")
        .validate_inputs(false)
        .http_client(answer.clone())
        .build();
    (Client::from_conf(config), answer)
}

/// The body the client sends for `input`, as JSON text.
fn sent(input: StartPipelineExecutionInput) -> String {
    let (client, answer) = client(json!({}));
    tokio_test(input.send_with(&client)).unwrap();
    answer.sent()[0].text().to_owned()
}

/// `DescribePipelineExecution`'s output decoded from `body`.
fn describe(body: Value) -> DescribePipelineExecutionOutput {
    let (client, _) = client(body);
    tokio_test(client.describe_pipeline_execution().pipeline_execution_arn("arn").send()).unwrap()
}

/// `ListPipelineExecutionSteps`' output decoded from `body`.
fn list_steps(body: Value) -> ListPipelineExecutionStepsOutput {
    let (client, _) = client(body);
    tokio_test(client.list_pipeline_execution_steps().pipeline_execution_arn("arn").send()).unwrap()
}

fn tokio_test<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

#[test]
fn start_pipeline_execution_input_encodes_with_wire_names() -> Result<(), BuildError> {
    let input = StartPipelineExecutionInput::builder()
        .pipeline_name("my-pipeline")
        .client_request_token("token")
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
    let body: Value = serde_json::from_str(&sent(input.clone())).unwrap();
    assert_eq!(
        body,
        json!({
            "PipelineName": "my-pipeline",
            "ClientRequestToken": "token",
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
    // Absent members are omitted, not sent as null; members go in wire-name order.
    let input = StartPipelineExecutionInput::builder().client_request_token("t").build()?;
    assert_eq!(sent(input), r#"{"ClientRequestToken":"t"}"#);
    Ok(())
}

#[test]
fn responses_that_do_not_fit_the_output_are_errors_naming_the_value() {
    use sagemaker_pipelines::error::SdkError;
    let (c, _) = client(json!({"PipelineExecutionStatus": "Executing", "CreationTime": "yesterday"}));
    let err = tokio_test(c.describe_pipeline_execution().pipeline_execution_arn("arn").send()).unwrap_err();
    let SdkError::ResponseError(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.raw().status().as_u16(), 200);
    let context = sagemaker_pipelines::error::DisplayErrorContext(&err).to_string();
    assert!(context.contains("invalid timestamp `yesterday`"), "{context}");
    assert!(context.contains("$.CreationTime"), "{context}");
    let (c, _) = client(json!([]));
    let err = tokio_test(c.describe_pipeline_execution().pipeline_execution_arn("arn").send()).unwrap_err();
    let context = sagemaker_pipelines::error::DisplayErrorContext(&err).to_string();
    assert!(context.contains("expected a JSON object, found an array"), "{context}");
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
    let out = describe(body);
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Executing));
    let created = out.creation_time().unwrap();
    assert_eq!((created.secs(), created.subsec_nanos()), (1_700_000_000, 123_000_000));
    assert_eq!(out.last_modified_time().unwrap().secs(), 1_700_000_100);
    assert_eq!(out.pipeline_version_id(), Some(7));
    assert_eq!(out.failure_reason(), None);
}

#[test]
fn statuses_the_crate_does_not_know_survive_a_round_trip() {
    let out = describe(json!({"PipelineExecutionStatus": "Pausing"}));
    let status = out.pipeline_execution_status().unwrap();
    assert_eq!(status.as_str(), "Pausing");
    assert!(matches!(status, PipelineExecutionStatus::Unknown(_)));
    // Sent, an unknown value is the value received.
    let (c, answer) = client(json!({}));
    let request = c.list_pipeline_executions().pipeline_name("p").sort_order(SortOrder::from("Sideways"));
    tokio_test(request.send()).unwrap();
    let sent: Value = serde_json::from_slice(&answer.sent()[0].body).unwrap();
    assert_eq!(sent, json!({"PipelineName": "p", "SortOrder": "Sideways"}));
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
    let out = list_steps(body);
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
    let body: Value = serde_json::from_str(&sent(input.clone())).unwrap();
    assert_eq!(body["MlflowExperimentName"], "nightly");
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
    let out = describe(json!({
        "MLflowConfig": {
            "MlflowResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/t",
            "MlflowExperimentName": "nightly"
        }
    }));
    let mlflow = out.m_lflow_config().unwrap();
    assert_eq!(mlflow.mlflow_experiment_name(), Some("nightly"));
    let out = list_steps(json!({
        "PipelineExecutionSteps": [
            {"StepName": "Job", "Metadata": {"Job": {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:training-job/j"}}},
            {"StepName": "Import", "Metadata": {"BedrockModelImport": {"Arn": "arn:aws:bedrock:us-east-1:123456789012:model-import-job/m"}}},
            {"StepName": "Lineage", "Metadata": {"Lineage": {
                "ArtifactArns": {"model": "arn:aws:sagemaker:us-east-1:123456789012:artifact/a"},
                "Associations": [{"SourceArn": "arn:s", "DestinationArn": "arn:d"}]
            }}}
        ]
    }));
    let steps = out.pipeline_execution_steps();
    let meta = |i: usize| steps[i].metadata().unwrap();
    assert!(meta(0).job().unwrap().arn().unwrap().ends_with("training-job/j"));
    assert!(meta(1).bedrock_model_import().is_some());
    let lineage = meta(2).lineage().unwrap();
    assert_eq!(lineage.associations()[0].destination_arn(), Some("arn:d"));
    assert_eq!(lineage.artifact_arns().map(|m| m.len()), Some(1));
    Ok(())
}

#[test]
fn every_attempt_of_a_call_says_which_call_it_belongs_to_and_which_attempt_it_is() {
    // StartPipelineExecution answered 503 once: both attempts carry the call's amz-sdk-invocation-id and its
    // idempotency token, and amz-sdk-request counts the attempts; the next call has an invocation id of its own.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let answer = Raw::new(move |_| match calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) {
        0 => project_tests::raw::Answer::new(503, r#"{"__type":"ServiceUnavailable","message":"later"}"#),
        _ => project_tests::raw::Answer::new(200, r#"{"PipelineExecutionArn":"arn:e"}"#),
    });
    let retry = sagemaker_pipelines::config::retry::RetryConfig::standard().with_initial_backoff(Duration::ZERO);
    let config = project_tests::raw::config().retry_config(retry).http_client(answer.clone()).build();
    let client = Client::from_conf(config);
    tokio_test(async {
        client.start_pipeline_execution().pipeline_name("p").send().await.unwrap();
        client.start_pipeline_execution().pipeline_name("p").send().await.unwrap();
    });
    let sent = answer.sent();
    assert_eq!(sent.len(), 3);
    let info: Vec<_> = sent.iter().map(|s| s.header("amz-sdk-request").unwrap()).collect();
    assert_eq!(info, ["attempt=1; max=3", "attempt=2; max=3", "attempt=1; max=3"]);
    let ids: Vec<_> = sent.iter().map(|s| s.header("amz-sdk-invocation-id").unwrap()).collect();
    assert_eq!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
    assert_eq!(ids[0].len(), 36, "{}", ids[0]);
    let token = |s: &project_tests::raw::Sent| -> String {
        serde_json::from_str::<Value>(s.text()).unwrap()["ClientRequestToken"].as_str().unwrap().to_owned()
    };
    assert_eq!(token(&sent[0]), token(&sent[1]));
    assert_ne!(token(&sent[1]), token(&sent[2]));
}
