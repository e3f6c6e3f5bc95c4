//! One request's configuration: `customize().config_override(config::Builder)` (and the fluent builder's own
//! `config_override`), as in aws-sdk-rust. Each setting the crate documents as overridable is changed for one request
//! and seen on the wire (the project's raw transport records URIs, headers and bodies) or in the error; the next
//! request, without the override, is the client's again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, UNIX_EPOCH};

use aws_smithy_async::rt::sleep::{AsyncSleep, Sleep};
use aws_smithy_async::time::StaticTimeSource;
use project_tests::raw::{self, Answer, Raw, Sent};
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::config::timeout::TimeoutConfig;
use sagemaker_pipelines::config::{AppName, Builder, Credentials, Region};
use sagemaker_pipelines::error::{DisplayErrorContext, SdkError};
use sagemaker_pipelines::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, RuntimeComponents,
    SharedHttpConnector,
};
use sagemaker_pipelines::operation::describe_pipeline_execution::DescribePipelineExecutionError;
use sagemaker_pipelines::Client;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc";
const STATUS: &str = r#"{"PipelineExecutionStatus":"Executing"}"#;

fn client(http: &Raw) -> Client {
    Client::from_conf(raw::config().http_client(http.clone()).build())
}

/// One `DescribePipelineExecution` with `o` as its override, then one without; the two requests sent.
async fn with_and_without(client: &Client, http: &Raw, o: Builder) -> (Sent, Sent) {
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    call().customize().config_override(o).send().await.unwrap();
    call().send().await.unwrap();
    let sent = http.sent();
    assert_eq!(sent.len(), 2, "{sent:?}");
    (sent[0].clone(), sent[1].clone())
}

#[tokio::test]
async fn region() {
    let http = Raw::fixed(STATUS);
    let (over, plain) =
        with_and_without(&client(&http), &http, Builder::new().region(Region::new("eu-central-1"))).await;
    assert_eq!(over.uri, "https://api.sagemaker.eu-central-1.amazonaws.com/");
    assert!(over.header("authorization").unwrap().contains("/eu-central-1/sagemaker/aws4_request"), "{over:?}");
    assert_eq!(plain.uri, "https://api.sagemaker.us-east-1.amazonaws.com/");
}

#[tokio::test]
async fn endpoint_url() {
    let http = Raw::fixed(STATUS);
    let (over, plain) =
        with_and_without(&client(&http), &http, Builder::new().endpoint_url("http://127.0.0.1:9")).await;
    assert_eq!(over.uri, "http://127.0.0.1:9/");
    assert_eq!(over.header("host"), Some("127.0.0.1:9"));
    assert_eq!(plain.uri, "https://api.sagemaker.us-east-1.amazonaws.com/");
}

#[tokio::test]
async fn fips_and_dual_stack() {
    let http = Raw::fixed(STATUS);
    let (fips, _) = with_and_without(&client(&http), &http, Builder::new().use_fips(true)).await;
    assert_eq!(fips.uri, "https://api-fips.sagemaker.us-east-1.amazonaws.com/");
    let http = Raw::fixed(STATUS);
    let (dual, plain) = with_and_without(&client(&http), &http, Builder::new().use_dual_stack(true)).await;
    assert_eq!(dual.uri, "https://api.sagemaker.us-east-1.api.aws/");
    assert_eq!(plain.uri, "https://api.sagemaker.us-east-1.amazonaws.com/");
}

#[tokio::test]
async fn credentials() {
    let http = Raw::fixed(STATUS);
    let other = Credentials::new("AKIDOVERRIDE", "other-secret", None, None, "test");
    let (over, plain) = with_and_without(&client(&http), &http, Builder::new().credentials_provider(other)).await;
    assert!(over.header("authorization").unwrap().contains("Credential=AKIDOVERRIDE/"), "{over:?}");
    assert!(plain.header("authorization").unwrap().contains("Credential=AKIDTEST/"), "{plain:?}");
}

#[tokio::test]
async fn app_name() {
    let http = Raw::fixed(STATUS);
    let o = Builder::new().app_name(AppName::new("nightly-report").unwrap());
    let (over, plain) = with_and_without(&client(&http), &http, o).await;
    assert!(over.header("user-agent").unwrap().ends_with(" app/nightly-report"), "{over:?}");
    assert!(!plain.header("user-agent").unwrap().contains("app/"), "{plain:?}");
}

#[tokio::test]
async fn time_source() {
    let http = Raw::fixed(STATUS);
    let at = StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_000_000_000));
    let (over, plain) = with_and_without(&client(&http), &http, Builder::new().time_source(at)).await;
    assert_eq!(over.header("x-amz-date"), Some("20010909T014640Z"));
    assert_ne!(plain.header("x-amz-date"), Some("20010909T014640Z"));
}

#[tokio::test]
async fn http_client() {
    let http = Raw::fixed(STATUS);
    let other = Raw::fixed(STATUS);
    let client = client(&http);
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    call().customize().config_override(Builder::new().http_client(other.clone())).send().await.unwrap();
    assert_eq!((http.sent().len(), other.sent().len()), (0, 1));
    call().send().await.unwrap();
    assert_eq!((http.sent().len(), other.sent().len()), (1, 1));
}

#[tokio::test(start_paused = true)]
async fn retry_config_and_sleep_impl() {
    let http = Raw::new(|_| Answer::new(503, r#"{"__type":"ServiceUnavailable"}"#));
    let client = Client::from_conf(
        raw::config().http_client(http.clone()).retry_config(RetryConfig::standard().with_max_attempts(1)).build(),
    );
    let sleeps = RecordingSleep::default();
    let o = Builder::new().retry_config(RetryConfig::standard().with_max_attempts(3)).sleep_impl(sleeps.clone());
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    let err = call().customize().config_override(o).send().await.unwrap_err();
    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(http.sent().len(), 3);
    // Each attempt's timeout (the default 60 s) and both backoffs (at most 1 s, then 2 s) are on the overriding sleep.
    let slept = sleeps.durations();
    assert_eq!(slept.iter().filter(|d| **d == Duration::from_secs(60)).count(), 3, "{slept:?}");
    let backoffs: Vec<_> = slept.iter().filter(|d| **d < Duration::from_secs(60)).collect();
    assert_eq!(backoffs.len(), 2, "{slept:?}");
    call().send().await.unwrap_err();
    assert_eq!(http.sent().len(), 4);
    assert_eq!(sleeps.durations().len(), 5, "the client's own request does not use it");
}

#[tokio::test(start_paused = true)]
async fn timeout_config() {
    let client = Client::from_conf(
        raw::config()
            .http_client(Silent)
            .retry_config(RetryConfig::disabled())
            .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(60)).build())
            .build(),
    );
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    let short = Builder::new()
        .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(2)).build());
    let err = call().customize().config_override(short).send().await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().contains("timed out after 2s"), "{}", DisplayErrorContext(&err));
    let err = call().send().await.unwrap_err();
    assert!(DisplayErrorContext(&err).to_string().contains("timed out after 60s"), "{}", DisplayErrorContext(&err));
}

#[tokio::test]
async fn max_response_size() {
    let http = Raw::fixed(STATUS);
    let client = client(&http);
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    let err = call().customize().config_override(Builder::new().max_response_size(8)).send().await.unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().contains("max_response_size limit of 8 bytes"), "{err:?}");
    call().send().await.unwrap();
}

#[tokio::test]
async fn input_validation() {
    let http = Raw::fixed(STATUS);
    let client = client(&http);
    // No execution ARN: the model requires one.
    let err = client.describe_pipeline_execution().send().await.unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    let o = Builder::new().validate_inputs(false);
    client.describe_pipeline_execution().customize().config_override(o).send().await.unwrap();
    assert_eq!(http.sent().len(), 1, "the request the client would refuse was sent");
}

#[tokio::test]
async fn the_fluent_builders_own_config_override_takes_a_builder_too() {
    let http = Raw::fixed(STATUS);
    let client = client(&http);
    let o = Builder::new().region(Region::new("ap-south-1"));
    client.describe_pipeline_execution().pipeline_execution_arn(ARN).config_override(o).send().await.unwrap();
    assert_eq!(http.sent()[0].uri, "https://api.sagemaker.ap-south-1.amazonaws.com/");
}

#[tokio::test]
async fn settings_not_made_on_the_builder_stay_the_clients() {
    let http = Raw::new(|_| Answer::new(400, r#"{"__type":"ResourceNotFound","message":"gone"}"#));
    let client = client(&http);
    let o = Builder::new().app_name(AppName::new("only-this").unwrap());
    let err = client
        .describe_pipeline_execution()
        .pipeline_execution_arn(ARN)
        .customize()
        .config_override(o)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err.as_service_error(), Some(DescribePipelineExecutionError::ResourceNotFound(_))), "{err:?}");
    let sent = &http.sent()[0];
    assert_eq!(sent.uri, "https://api.sagemaker.us-east-1.amazonaws.com/", "region and endpoint");
    assert!(sent.header("authorization").unwrap().contains("Credential=AKIDTEST/"), "credentials");
}

/// A sleep that records what it is asked for and waits on tokio's (paused) clock.
#[derive(Debug, Clone, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    fn durations(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.0.lock().unwrap().push(duration);
        Sleep::new(tokio::time::sleep(duration))
    }
}

/// A transport that never answers.
#[derive(Debug, Clone)]
struct Silent;

impl HttpClient for Silent {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Silent {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        HttpConnectorFuture::new(std::future::pending())
    }
}

#[tokio::test(start_paused = true)]
async fn a_waiters_config_override_takes_a_builder_and_holds_for_every_poll() {
    use sagemaker_pipelines::client::Waiters as _;
    let polls = Arc::new(Mutex::new(vec![
        Answer::new(200, r#"{"PipelineExecutionStatus":"Succeeded"}"#),
        Answer::new(200, STATUS),
    ]));
    let http = Raw::new(move |_| polls.lock().unwrap().pop().unwrap());
    let client = client(&http);
    client
        .wait_until_pipeline_execution_complete()
        .pipeline_execution_arn(ARN)
        .config_override(Builder::new().region(Region::new("eu-central-1")))
        .wait(Duration::from_secs(3600))
        .await
        .unwrap();
    let sent = http.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|s| s.uri == "https://api.sagemaker.eu-central-1.amazonaws.com/"), "{sent:?}");
}
