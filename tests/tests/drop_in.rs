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
