//! The generated test doubles (`test_util`, feature `test-util`): typed rules per operation answering through the
//! client's own code path (validation, idempotency tokens, retries, timeouts, pagination), on tokio's paused clock.

use std::time::Duration;

use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::config::timeout::TimeoutConfig;
use sagemaker_pipelines::error::{ErrorMetadata, ProvideErrorMetadata, RequestId, SdkError};
use sagemaker_pipelines::operation::describe_pipeline_execution::{
    DescribePipelineExecutionError, DescribePipelineExecutionInput, DescribePipelineExecutionOutput,
};
use sagemaker_pipelines::operation::list_pipelines::ListPipelinesOutput;
use sagemaker_pipelines::operation::start_pipeline_execution::{
    StartPipelineExecutionInput, StartPipelineExecutionOutput,
};
use sagemaker_pipelines::test_util::{self, rules, Mocks, RuleMode};
use sagemaker_pipelines::types::error::ResourceNotFound;
use sagemaker_pipelines::types::{Parameter, PipelineExecutionStatus, PipelineSummary};

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc123";

fn executing() -> DescribePipelineExecutionOutput {
    DescribePipelineExecutionOutput::builder()
        .pipeline_execution_arn(ARN)
        .pipeline_execution_status(PipelineExecutionStatus::Executing)
        .build()
}

#[tokio::test(start_paused = true)]
async fn outputs_round_trip_through_the_wire_and_inputs_are_recorded() {
    let start = rules::start_pipeline_execution().then_output_from(|input| {
        StartPipelineExecutionOutput::builder()
            .pipeline_execution_arn(format!("{ARN}-{}", input.pipeline_name().unwrap()))
            .build()
    });
    let mocks = Mocks::new(RuleMode::MatchAny, [&start]);
    let out = mocks
        .client()
        .start_pipeline_execution()
        .pipeline_name("p")
        .pipeline_parameters(Parameter::builder().name("Epochs").value("3").build())
        .send()
        .await
        .unwrap();
    assert_eq!(out.pipeline_execution_arn(), Some(format!("{ARN}-p").as_str()));
    assert_eq!(out.request_id(), Some("test-request-1"));
    let inputs: Vec<StartPipelineExecutionInput> = start.inputs();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].pipeline_parameters()[0].value(), Some("3"));
    // The idempotency token was filled in by the client before sending.
    assert_eq!(inputs[0].client_request_token().map(str::len), Some(36));
    let calls = mocks.calls();
    assert_eq!(calls[0].operation(), "StartPipelineExecution");
    assert_eq!(calls[0].input::<StartPipelineExecutionInput>(), Some(&inputs[0]));
    assert!(format!("{:?}", calls[0]).starts_with("StartPipelineExecution: StartPipelineExecutionInput {"));
    assert!(start.is_exhausted());
}

#[tokio::test(start_paused = true)]
async fn modeled_and_unmodeled_errors_keep_their_codes_messages_and_request_ids() {
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .error(|| DescribePipelineExecutionError::ResourceNotFound(ResourceNotFound::builder().message("gone").build()))
        .error(|| {
            DescribePipelineExecutionError::generic(
                ErrorMetadata::builder()
                    .code("ValidationException")
                    .message("bad arn")
                    .custom("aws_request_id", "req-42")
                    .build(),
            )
        })
        .build();
    let client = test_util::client(RuleMode::Sequential, [&describe]);
    let err = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap_err();
    let SdkError::ServiceError(e) = &err else { panic!("{err:?}") };
    assert!(e.err().is_resource_not_found(), "{err:?}");
    assert_eq!(err.message(), Some("gone"));
    assert_eq!(err.request_id(), Some("test-request-1"));
    assert_eq!(e.raw().status().as_u16(), 400);
    let err = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_unhandled()), "{err:?}");
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(err.message(), Some("bad arn"));
    assert_eq!(err.request_id(), Some("req-42"));
}

#[tokio::test(start_paused = true)]
async fn throttling_and_timeouts_are_retried_on_the_paused_clock() {
    let describe = rules::describe_pipeline_execution()
        .sequence()
        .throttling()
        .timeout()
        .output(executing)
        .no_response()
        .times(3)
        .build();
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe]);
    let client = sagemaker_pipelines::Client::from_conf(
        mocks
            .config()
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(5)).build())
            .build(),
    );
    let started = tokio::time::Instant::now();
    let out = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Executing));
    assert_eq!(describe.num_calls(), 3);
    // Three attempts that never answer: each ends at the attempt timeout, and the call with a timeout error.
    let err = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(describe.num_calls(), 6);
    assert!(describe.is_exhausted());
    // Backoff and timeouts ran on the paused clock: virtual time passed, at least the three attempt timeouts.
    assert!(started.elapsed() >= Duration::from_secs(15), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn matchers_pick_the_rule_and_repeated_rules_never_run_out() {
    let other = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/other";
    let mine = rules::describe_pipeline_execution()
        .match_requests(|input| input.pipeline_execution_arn() == Some(ARN))
        .sequence()
        .output(executing)
        .repeatedly()
        .build();
    let theirs = rules::describe_pipeline_execution()
        .then_error(|| DescribePipelineExecutionError::ResourceNotFound(ResourceNotFound::builder().build()));
    let client = test_util::client(RuleMode::MatchAny, [&mine, &theirs]);
    for _ in 0..5 {
        client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap();
    }
    let err = client.describe_pipeline_execution().pipeline_execution_arn(other).send().await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_resource_not_found()));
    assert_eq!((mine.num_calls(), theirs.num_calls()), (5, 1));
    assert!(!mine.is_exhausted());
    let seen: Vec<DescribePipelineExecutionInput> = theirs.inputs();
    assert_eq!(seen[0].pipeline_execution_arn(), Some(other));
}

#[tokio::test(start_paused = true)]
async fn paginators_page_through_rules() {
    let page = |token: Option<&str>, names: &[&str]| {
        let mut out = ListPipelinesOutput::builder().set_next_token(token.map(str::to_owned));
        for n in names {
            out = out.pipeline_summaries(PipelineSummary::builder().pipeline_name(*n).build());
        }
        out.build()
    };
    let first = rules::list_pipelines()
        .match_requests(|input| input.next_token().is_none())
        .then_output(move || page(Some("t1"), &["a", "b"]));
    let second = rules::list_pipelines()
        .match_requests(|input| input.next_token() == Some("t1"))
        .then_output(move || page(None, &["c"]));
    let client = test_util::client(RuleMode::Sequential, [&first, &second]);
    let names: Vec<String> = client
        .list_pipelines()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|s| s.pipeline_name().map(str::to_owned))
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[tokio::test(start_paused = true)]
async fn invalid_inputs_are_refused_before_any_rule_sees_them() {
    let describe = rules::describe_pipeline_execution().then_output(executing);
    let mocks = Mocks::new(RuleMode::MatchAny, [&describe]);
    let err = mocks.client().describe_pipeline_execution().pipeline_execution_arn("not-an-arn").send().await;
    assert!(matches!(err, Err(SdkError::Validation(_))), "{err:?}");
    assert!(mocks.calls().is_empty());
    assert_eq!(describe.num_calls(), 0);
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "no rule matches DescribePipelineExecution with DescribePipelineExecutionInput")]
async fn a_call_no_rule_matches_panics_naming_operation_and_input() {
    let describe = rules::describe_pipeline_execution()
        .match_requests(|input| {
            input.pipeline_execution_arn() == Some("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/x")
        })
        .then_output(executing);
    let client = test_util::client(RuleMode::MatchAny, [&describe]);
    let _ = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await;
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "StartPipelineExecution was called with StartPipelineExecutionInput")]
async fn a_call_out_of_sequence_panics_naming_the_rule_expected() {
    let describe = rules::describe_pipeline_execution().then_output(executing);
    let start = rules::start_pipeline_execution().then_output(|| StartPipelineExecutionOutput::builder().build());
    let client = test_util::client(RuleMode::Sequential, [&describe, &start]);
    let _ = client.start_pipeline_execution().pipeline_name("p").send().await;
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "no rule for ListPipelines")]
async fn a_call_of_an_operation_without_rules_panics() {
    let describe = rules::describe_pipeline_execution().then_output(executing);
    let client = test_util::client(RuleMode::MatchAny, [&describe]);
    let _ = client.list_pipelines().send().await;
}
