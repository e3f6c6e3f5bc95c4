//! Code written for `aws-sdk-sagemaker` compiles and behaves the same against this crate with only the crate name
//! changed: the `use … as aws_sdk_sagemaker` below is the whole port. The `SdkConfig` is built by hand as aws-config
//! would build it (aws-config itself is not a test dependency), with an HTTP client answering from memory (the
//! project's shared raw transport, which records request URIs), which also proves that requests go through the
//! `SdkConfig`'s client.

use project_tests::raw::{Answer, Raw};
use sagemaker_pipelines as aws_sdk_sagemaker;

// ---- The program as written for aws-sdk-sagemaker. ----

use aws_sdk_sagemaker::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sagemaker::operation::describe_pipeline_execution::DescribePipelineExecutionError;

async fn status(client: &aws_sdk_sagemaker::Client, arn: &str) -> Result<String, aws_sdk_sagemaker::Error> {
    let out = client.describe_pipeline_execution().pipeline_execution_arn(arn).send().await?;
    Ok(out.pipeline_execution_status().map(|s| s.as_str().to_owned()).unwrap_or_default())
}

async fn status_or_missing(client: &aws_sdk_sagemaker::Client, arn: &str) -> Result<Option<String>, String> {
    match client.describe_pipeline_execution().pipeline_execution_arn(arn).send().await {
        Ok(out) => Ok(out.pipeline_execution_status().map(|s| s.as_str().to_owned())),
        Err(SdkError::ServiceError(e)) if matches!(e.err(), DescribePipelineExecutionError::ResourceNotFound(_)) => {
            Ok(None)
        }
        Err(e) => Err(format!("{} ({:?})", DisplayErrorContext(&e), e.code())),
    }
}

fn client_for(sdk_config: &aws_types::SdkConfig) -> aws_sdk_sagemaker::Client {
    let config = aws_sdk_sagemaker::config::Builder::from(sdk_config)
        .retry_config(aws_sdk_sagemaker::config::retry::RetryConfig::standard().with_max_attempts(2))
        .build();
    aws_sdk_sagemaker::Client::from_conf(config)
}

/// More of the surface such programs use: input builders, paginators, `customize()`, and `?` from every error kind
/// into the crate-wide `Error`. Compiled, not run.
#[allow(dead_code)]
async fn the_rest_of_the_surface(client: &aws_sdk_sagemaker::Client) -> Result<usize, aws_sdk_sagemaker::Error> {
    use aws_sdk_sagemaker::operation::start_pipeline_execution::StartPipelineExecutionInput;
    use aws_sdk_sagemaker::types::Parameter;
    let input = StartPipelineExecutionInput::builder().pipeline_name("p").build()?;
    let started = client
        .start_pipeline_execution()
        .set_pipeline_name(input.pipeline_name().map(str::to_owned))
        .pipeline_parameters(Parameter::builder().name("Epochs").value("3").build())
        .customize()
        .send()
        .await?;
    let _: Option<&str> = aws_sdk_sagemaker::error::RequestId::request_id(&started);
    let mut pages = client.list_pipelines().into_paginator().page_size(10).send();
    let mut n = 0;
    while let Some(page) = pages.try_next().await? {
        n += page.pipeline_summaries().len();
    }
    let steps: Vec<_> = client
        .list_pipeline_execution_steps()
        .pipeline_execution_arn("arn")
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    let _: Option<&aws_sdk_sagemaker::primitives::DateTime> = steps.first().and_then(|s| s.start_time());
    Ok(n + steps.len())
}

// ---- The test harness. ----

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc";

/// Answers `DescribePipelineExecution` from memory: `Executing` for [`ARN`], `ResourceNotFound` otherwise; records
/// the requests.
fn memory() -> Raw {
    Raw::new(|sent| {
        let answer = if sent.text().contains(ARN) {
            Answer::new(200, r#"{"PipelineExecutionStatus":"Executing"}"#)
        } else {
            Answer::new(400, r#"{"message":"no such execution"}"#).header("x-amzn-errortype", "ResourceNotFound")
        };
        answer.header("x-amzn-requestid", "req-1")
    })
}

fn sdk_config(http: Raw) -> aws_types::SdkConfig {
    aws_types::SdkConfig::builder()
        .region(aws_types::region::Region::new("eu-west-1"))
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
            aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "test"),
        ))
        .http_client(http)
        .behavior_version(aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest())
        .build()
}

#[tokio::test]
async fn an_aws_sdk_sagemaker_program_runs_unchanged_on_the_sdk_configs_http_client() {
    let http = memory();
    let config = sdk_config(http.clone());
    let client = aws_sdk_sagemaker::Client::new(&config);
    assert_eq!(status(&client, ARN).await.unwrap(), "Executing");
    assert_eq!(
        status_or_missing(&client, "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/zz").await,
        Ok(None)
    );
    let err = status(&client_for(&config), "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/zz")
        .await
        .unwrap_err();
    assert!(matches!(err, aws_sdk_sagemaker::Error::ResourceNotFound(_)), "{err:?}");
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.message(), Some("no such execution"));

    let seen = http.sent();
    assert_eq!(seen.len(), 3, "every request went through the SdkConfig's client: {seen:?}");
    assert!(seen.iter().all(|s| s.uri == "https://api.sagemaker.eu-west-1.amazonaws.com/"), "{seen:?}");
}

#[tokio::test]
async fn the_sdk_configs_region_credentials_and_endpoint_are_used() {
    let http = memory();
    let config = sdk_config(http.clone()).into_builder().endpoint_url("http://localhost:1234").build();
    let client = aws_sdk_sagemaker::Client::new(&config);
    assert_eq!(client.config().region().map(|r| r.as_ref()), Some("eu-west-1"));
    assert_eq!(status(&client, ARN).await.unwrap(), "Executing");
    assert_eq!(http.sent()[0].uri, "http://localhost:1234/");
}

// ---- More programs written for aws-sdk-sagemaker: request ids, errors built in tests, raw test answers, and one
// request's configuration. ----

const MISSING: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/zz";

#[tokio::test]
async fn request_ids_through_the_trait_the_operation_module_re_exports() {
    use aws_sdk_sagemaker::operation::RequestId;
    let client = aws_sdk_sagemaker::Client::new(&sdk_config(memory()));
    let out = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap();
    assert_eq!(out.request_id(), Some("req-1"));
    let err = client.describe_pipeline_execution().pipeline_execution_arn(MISSING).send().await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(err.into_service_error().request_id(), Some("req-1"));
}

/// What a test of an aws-sdk-sagemaker program builds to stand for a service error.
fn resource_not_found() -> aws_sdk_sagemaker::types::error::ResourceNotFound {
    use aws_sdk_sagemaker::error::ErrorMetadata;
    aws_sdk_sagemaker::types::error::ResourceNotFound::builder()
        .message("no such execution")
        .meta(
            ErrorMetadata::builder()
                .code("ResourceNotFound")
                .message("execution zz does not exist")
                .custom("aws_request_id", "req-9")
                .build(),
        )
        .build()
}

#[test]
fn a_modeled_error_built_with_metadata_reports_it() {
    use aws_sdk_sagemaker::operation::RequestId;
    let e = resource_not_found();
    assert_eq!(e.request_id(), Some("req-9"));
    assert_eq!(ProvideErrorMetadata::code(&e), Some("ResourceNotFound"));
    assert_eq!(ProvideErrorMetadata::message(&e), Some("execution zz does not exist"));
    assert_eq!(e.message(), Some("no such execution"), "the member stays the member");
    assert_eq!(e.clone().into_builder().build(), e, "into_builder keeps the metadata");

    let op = DescribePipelineExecutionError::ResourceNotFound(e);
    assert_eq!(op.request_id(), Some("req-9"));
    assert_eq!(op.code(), Some("ResourceNotFound"));
    assert_eq!(op.message(), Some("execution zz does not exist"));
    let any: aws_sdk_sagemaker::Error = op.into();
    assert_eq!(any.request_id(), Some("req-9"));
    assert_eq!(any.message(), Some("execution zz does not exist"));

    // Without metadata, a modeled error still names its own code.
    let bare = DescribePipelineExecutionError::ResourceNotFound(
        aws_sdk_sagemaker::types::error::ResourceNotFound::builder().message("m").build(),
    );
    assert_eq!((bare.code(), bare.message(), bare.request_id()), (Some("ResourceNotFound"), Some("m"), None));
}

#[tokio::test(start_paused = true)]
async fn a_mocked_modeled_error_answers_with_the_request_id_of_its_metadata() {
    use aws_sdk_sagemaker::operation::RequestId;
    use aws_sdk_sagemaker::test_util::{rules, Mocks, RuleMode};
    let rule = rules::describe_pipeline_execution()
        .then_error(|| DescribePipelineExecutionError::ResourceNotFound(resource_not_found()));
    let client = Mocks::new(RuleMode::MatchAny, [&rule]).client();
    let err = client.describe_pipeline_execution().pipeline_execution_arn(MISSING).send().await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-9"));
    let err = err.into_service_error();
    assert!(err.is_resource_not_found(), "{err:?}");
    assert_eq!((err.code(), err.request_id()), (Some("ResourceNotFound"), Some("req-9")));
}

#[tokio::test(start_paused = true)]
async fn a_raw_test_answer_spells_its_status_with_status_code() {
    use aws_sdk_sagemaker::http::{HttpResponse, SdkBody, StatusCode};
    use aws_sdk_sagemaker::test_util::{rules, Mocks, RuleMode};
    let rule = rules::describe_pipeline_execution().then_http_response(|| {
        let mut r = HttpResponse::new(StatusCode::try_from(400).unwrap(), SdkBody::from(r#"{"message":"gone"}"#));
        r.headers_mut().insert("x-amzn-errortype", "ResourceNotFound");
        r
    });
    let client = Mocks::new(RuleMode::MatchAny, [&rule]).client();
    let err = client.describe_pipeline_execution().pipeline_execution_arn(MISSING).send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert!(err.into_service_error().is_resource_not_found());
}

/// Always answers 503 with a request id, recording the requests.
fn unavailable() -> Raw {
    Raw::new(|_| Answer::new(503, r#"{"__type":"ServiceUnavailable"}"#).header("x-amzn-requestid", "req-5"))
}

#[tokio::test(start_paused = true)]
async fn config_override_takes_a_config_builder_and_its_retry_config_holds_for_that_request() {
    use aws_sdk_sagemaker::config::retry::RetryConfig;
    let http = unavailable();
    let config = aws_sdk_sagemaker::config::Builder::from(&sdk_config(http.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    let client = aws_sdk_sagemaker::Client::from_conf(config);
    let three =
        aws_sdk_sagemaker::config::Builder::default().retry_config(RetryConfig::standard().with_max_attempts(3));
    let err = client
        .describe_pipeline_execution()
        .pipeline_execution_arn(ARN)
        .customize()
        .config_override(three)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(http.sent().len(), 3, "three attempts with the override");
    let _ = client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await.unwrap_err();
    assert_eq!(http.sent().len(), 4, "one attempt without it: the client's setting is unchanged");
}
