//! The client against a local stub server that checks the exact request and answers with responses shaped like the
//! model's: request shape and signing, modeled and unmodeled errors, retries, timeouts, validation, pagination,
//! idempotency tokens, and a custom transport.

use std::time::Duration;

use project_tests::stub::{Reply, Stub};
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::config::timeout::TimeoutConfig;
use sagemaker_pipelines::config::{Credentials, Region};
use sagemaker_pipelines::error::{DisplayErrorContext, ProvideErrorMetadata as _, RequestId as _, SdkError};
use sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionError;
use sagemaker_pipelines::{Client, Config};
use serde_json::json;

fn client(stub: &Stub) -> Client {
    client_with(stub, RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

fn client_with(stub: &Stub, retry: RetryConfig) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret-key-example", None, None, "test"))
            .endpoint_url(&stub.url)
            .retry_config(retry)
            .build(),
    )
}

const EXEC_ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc";

#[tokio::test]
async fn start_pipeline_execution_sends_a_signed_awsjson_request() {
    let stub =
        Stub::start(vec![Reply::ok(json!({"PipelineExecutionArn": EXEC_ARN})).header("x-amzn-requestid", "req-1")]);
    let out = client(&stub)
        .start_pipeline_execution()
        .pipeline_name("p")
        .pipeline_parameters(sagemaker_pipelines::types::Parameter::builder().name("Epochs").value("3").build())
        .send()
        .await
        .unwrap();
    assert_eq!(out.pipeline_execution_arn(), Some(EXEC_ARN));
    assert_eq!(out.request_id(), Some("req-1"));

    let reqs = stub.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(r.header("x-amz-target"), Some("SageMaker.StartPipelineExecution"));
    let auth = r.header("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), "{auth}");
    assert!(auth.contains("/us-east-1/sagemaker/aws4_request"), "{auth}");
    assert!(auth.contains("SignedHeaders=") && auth.contains("x-amz-target"), "{auth}");
    assert!(!auth.contains("secret-key-example"));
    assert!(r.header("x-amz-date").is_some());

    let body = r.json();
    // The idempotency token was filled with a UUID v4 because the caller left it empty.
    let token = body["ClientRequestToken"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 36);
    assert_eq!(token.as_bytes()[14], b'4');
    assert_eq!(
        body,
        json!({"PipelineName": "p", "PipelineParameters": [{"Name": "Epochs", "Value": "3"}], "ClientRequestToken": token})
    );
}

#[tokio::test]
async fn a_caller_token_is_kept_and_the_input_struct_can_be_sent_directly() {
    let stub = Stub::start(vec![Reply::ok(json!({})), Reply::ok(json!({}))]);
    let client = client(&stub);
    let token = "t".repeat(40);
    let builder = sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionInput::builder()
        .pipeline_name("p")
        .client_request_token(&token);
    let input = builder.clone().build().unwrap();
    input.send_with(&client).await.unwrap();
    // The input builder sends itself too, as aws-sdk-rust's do.
    builder.send_with(&client).await.unwrap();
    let requests = stub.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.json()["ClientRequestToken"] == json!(token)));
}

#[tokio::test]
async fn modeled_errors_become_variants_with_metadata() {
    let stub = Stub::start(vec![Reply::error(400, json!({"message": "Pipeline p does not exist"}))
        .header("x-amzn-errortype", "ResourceNotFound:http://internal.amazon.com/coral/com.amazonaws.sagemaker/")
        .header("x-amzn-requestid", "req-404")]);
    let err = client(&stub).start_pipeline_execution().pipeline_name("p").send().await.unwrap_err();
    let SdkError::ServiceError(service) = &err else { panic!("expected a service error, got {err:?}") };
    assert!(service.err().is_resource_not_found(), "{:?}", service.err());
    assert_eq!(service.err().code(), Some("ResourceNotFound"));
    assert_eq!(service.err().message(), Some("Pipeline p does not exist"));
    assert_eq!(service.err().request_id(), Some("req-404"));
    assert_eq!(err.request_id(), Some("req-404"));
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.message(), Some("Pipeline p does not exist"));
    assert_eq!(service.raw().status().as_u16(), 400);
    assert!(matches!(err.into_service_error(), StartPipelineExecutionError::ResourceNotFound(_)));
    assert_eq!(stub.requests().len(), 1, "client errors are not retried");
}

#[tokio::test]
async fn unmodeled_errors_keep_code_message_status_and_request_id() {
    let stub = Stub::start(vec![Reply::error(
        400,
        json!({"__type": "com.amazonaws.sagemaker#ValidationException", "Message": "bad name"}),
    )
    .header("x-amzn-requestid", "req-v")]);
    let err = client(&stub).describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    let e = err.as_service_error().unwrap();
    assert!(e.is_unhandled());
    let sagemaker_pipelines::operation::describe_pipeline::DescribePipelineError::Unhandled(u) = e else {
        unreachable!()
    };
    assert_eq!((u.code(), u.message(), u.request_id()), (Some("ValidationException"), Some("bad name"), Some("req-v")));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    assert_eq!(err.to_string(), "service error");
    let context = DisplayErrorContext(&err).to_string();
    assert!(context.contains("ValidationException: bad name"), "{context}");
}

#[tokio::test]
async fn throttling_and_5xx_are_retried_with_backoff() {
    let stub = Stub::start(vec![
        Reply::error(400, json!({"__type": "ThrottlingException", "message": "slow down"})),
        Reply::error(503, json!({"message": "unavailable"})),
        Reply::ok(json!({"PipelineArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p"})),
    ]);
    let out =
        client(&stub).delete_pipeline().pipeline_name("p").client_request_token("t".repeat(32)).send().await.unwrap();
    assert_eq!(out.pipeline_arn(), Some("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p"));
    let reqs = stub.requests();
    assert_eq!(reqs.len(), 3);
    // Each attempt is signed afresh, with the same body.
    assert!(reqs.iter().all(|r| r.body == reqs[0].body && r.header("authorization").is_some()));
}

#[tokio::test]
async fn retries_stop_at_the_attempt_limit() {
    let stub = Stub::start(vec![Reply::error(500, json!({})); 5]);
    let c =
        client_with(&stub, RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_millis(1)));
    let err = c.describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    assert_eq!(err.as_service_error().and_then(|e| e.code()), None);
    assert!(matches!(err, SdkError::ServiceError(ref s) if s.raw().status().as_u16() == 500));
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn invalid_input_never_reaches_the_server_unless_validation_is_off() {
    let stub = Stub::start(vec![Reply::ok(json!({}))]);
    let err = client(&stub).start_pipeline_execution().pipeline_name("bad name!").send().await.unwrap_err();
    let SdkError::Validation(v) = &err else { panic!("expected a validation error, got {err:?}") };
    assert_eq!(v.violations()[0].path(), "PipelineName");
    assert_eq!(err.to_string(), "invalid input, not sent");
    let context = DisplayErrorContext(&err).to_string();
    assert!(
        context.starts_with("invalid input, not sent: 1 invalid value in StartPipelineExecutionInput"),
        "{context}"
    );
    assert_eq!(stub.requests().len(), 0);

    let lenient = Client::from_conf(client(&stub).config().to_builder().validate_inputs(false).build());
    lenient.start_pipeline_execution().pipeline_name("bad name!").send().await.unwrap();
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn one_request_can_skip_the_kind_of_check_in_its_way() {
    use sagemaker_pipelines::config::ConfigOverride;
    use sagemaker_pipelines::validation::{Constraint, ConstraintKind};
    let stub = Stub::start(vec![
        Reply::ok(json!({})),
        Reply::ok(json!({"PipelineExecutionSummaries": [], "NextToken": "t"})),
        Reply::ok(json!({"PipelineExecutionSummaries": []})),
    ]);
    let c = client(&stub);
    let skip_pattern = || ConfigOverride::new().skip_constraint(ConstraintKind::Pattern);
    // Refused, and the message says how to send it anyway.
    let err = c.start_pipeline_execution().pipeline_name("bad name!").send().await.unwrap_err();
    let context = DisplayErrorContext(&err).to_string();
    assert!(
        context.contains(
            "skip this kind of check for one request with \
`.config_override(config::ConfigOverride::new().skip_constraint(validation::ConstraintKind::Pattern))` on the request \
builder."
        ),
        "{context}"
    );
    // That request, with the pattern check skipped, is sent.
    let builder = c.start_pipeline_execution().pipeline_name("bad name!").config_override(skip_pattern());
    assert_eq!(builder.get_config_override(), Some(&skip_pattern()));
    builder.send().await.unwrap();
    assert_eq!(stub.requests().len(), 1);
    // The other checks still hold for it, and the next request is checked fully again.
    let err = c.start_pipeline_execution().config_override(skip_pattern()).send().await.unwrap_err();
    let SdkError::Validation(v) = &err else { panic!("{err:?}") };
    assert_eq!(v.violations()[0].constraint(), &Constraint::Required);
    let err = c.start_pipeline_execution().pipeline_name("bad name!").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    // Clearing the override restores the checks.
    let err = c
        .start_pipeline_execution()
        .pipeline_name("bad name!")
        .config_override(skip_pattern())
        .set_config_override(None)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    // A paginator carries the override to every page (two here).
    let pages: Vec<_> = c
        .list_pipeline_executions()
        .pipeline_name("bad name!")
        .config_override(ConfigOverride::new().validate_inputs(false))
        .into_paginator()
        .send()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert_eq!(stub.requests().len(), 3);
}

#[tokio::test]
async fn customize_gives_one_request_its_own_settings() {
    use sagemaker_pipelines::client::customize::CustomizableOperation;
    use sagemaker_pipelines::config::ConfigOverride;
    use sagemaker_pipelines::operation::start_pipeline_execution::builders::StartPipelineExecutionFluentBuilder;
    use sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionOutput;
    use sagemaker_pipelines::validation::ConstraintKind;
    let stub = Stub::start(vec![Reply::ok(json!({})), Reply::ok(json!({}))]);
    let c = client(&stub);
    let skip_pattern = || ConfigOverride::new().skip_constraint(ConstraintKind::Pattern);
    // aws-sdk-rust's spelling: the override goes on the customized operation.
    c.start_pipeline_execution()
        .pipeline_name("bad name!")
        .customize()
        .config_override(skip_pattern())
        .send()
        .await
        .unwrap();
    assert_eq!(stub.requests().len(), 1);
    // Without one of its own, the customized operation keeps the builder's override.
    let op: CustomizableOperation<
        StartPipelineExecutionOutput,
        StartPipelineExecutionError,
        StartPipelineExecutionFluentBuilder,
    > = c.start_pipeline_execution().pipeline_name("bad name!").config_override(skip_pattern()).customize();
    op.send().await.unwrap();
    assert_eq!(stub.requests().len(), 2);
    // With one, it replaces the builder's: here the pattern is checked again and nothing is sent.
    c.start_pipeline_execution()
        .pipeline_name("bad name!")
        .config_override(skip_pattern())
        .customize()
        .config_override(ConfigOverride::new())
        .send()
        .await
        .unwrap_err();
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn an_attempt_that_takes_too_long_times_out() {
    let stub = Stub::start(vec![Reply::ok(json!({})).delayed(Duration::from_secs(2))]);
    let c = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(&stub.url)
            .retry_config(RetryConfig::disabled())
            .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(200)).build())
            .build(),
    );
    let err = c.describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn connection_failures_are_dispatch_errors() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
            .build(),
    );
    let err = c.describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    let SdkError::DispatchFailure(e) = &err else { panic!("expected a dispatch error, got {err:?}") };
    assert!(e.is_io(), "{e:?}");
}

#[tokio::test]
async fn undecodable_responses_are_response_errors() {
    let stub =
        Stub::start(vec![Reply { status: 200, headers: vec![], body: "{not json".into(), delay: Duration::ZERO }]);
    let err = client(&stub).describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    assert!(matches!(err, SdkError::ResponseError(ref r) if r.raw().status().as_u16() == 200), "{err:?}");
}

#[tokio::test]
async fn missing_region_credentials_or_a_rejected_endpoint_are_construction_errors() {
    let no_region = Client::from_conf(
        Config::builder().credentials_provider(Credentials::new("A", "S", None, None, "test")).build(),
    );
    let err = no_region.describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().to_lowercase().contains("region"), "{err}");

    let fips_custom = Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("A", "S", None, None, "test"))
            .endpoint_url("https://example.com")
            .use_fips(true)
            .build(),
    );
    let err = fips_custom.describe_pipeline().pipeline_name("p").send().await.unwrap_err();
    let context = DisplayErrorContext(&err).to_string();
    assert!(context.contains("FIPS and custom endpoint are not supported"), "{context}");

    let config = Config::builder()
        .credentials_provider(Credentials::new("AKID", "TOP-SECRET", Some("TOKEN-SECRET".into()), None, "test"))
        .build();
    let shown = format!("{config:?}");
    assert!(!shown.contains("TOP-SECRET") && !shown.contains("TOKEN-SECRET"), "{shown}");
}

#[tokio::test]
async fn list_pipelines_follows_next_token_and_honours_page_size() {
    let summary = |n: u32| json!({"PipelineName": format!("p{n}"), "PipelineArn": format!("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p{n}")});
    let stub = Stub::start(vec![
        Reply::ok(json!({"PipelineSummaries": [summary(1), summary(2)], "NextToken": "t1"})),
        Reply::ok(json!({"PipelineSummaries": [summary(3), summary(4)], "NextToken": "t2"})),
        Reply::ok(json!({"PipelineSummaries": [summary(5)]})),
    ]);
    let items: Result<Vec<_>, _> =
        client(&stub).list_pipelines().into_paginator().page_size(2).items().send().collect().await;
    let names: Vec<String> = items.unwrap().iter().map(|s| s.pipeline_name().unwrap().to_owned()).collect();
    assert_eq!(names, ["p1", "p2", "p3", "p4", "p5"]);
    let reqs = stub.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[0].json(), json!({"MaxResults": 2}));
    assert_eq!(reqs[1].json(), json!({"MaxResults": 2, "NextToken": "t1"}));
    assert_eq!(reqs[2].json(), json!({"MaxResults": 2, "NextToken": "t2"}));
    assert!(reqs.iter().all(|r| r.header("x-amz-target") == Some("SageMaker.ListPipelines")));
}

#[tokio::test]
async fn pagination_stops_on_a_repeated_token_and_on_errors() {
    let stub = Stub::start(vec![
        Reply::ok(json!({"PipelineSummaries": [], "NextToken": "same"})),
        Reply::ok(json!({"PipelineSummaries": [], "NextToken": "same"})),
        Reply::ok(json!({"PipelineSummaries": [], "NextToken": "never"})),
    ]);
    let pages: Vec<_> = client(&stub).list_pipelines().into_paginator().send().collect().await;
    assert_eq!(pages.len(), 2, "the second page repeats the token it was asked with");
    assert_eq!(stub.unused(), 1);

    let stub = Stub::start(vec![
        Reply::ok(json!({"PipelineSummaries": [{"PipelineName": "a"}], "NextToken": "t"})),
        Reply::error(400, json!({"__type": "ValidationException", "message": "bad token"})),
    ]);
    let mut items = client(&stub).list_pipelines().into_paginator().items().send();
    assert!(items.next().await.unwrap().is_ok());
    assert!(items.next().await.unwrap().is_err());
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn paginators_read_as_aws_sdk_rust_ones_do() {
    use aws_smithy_async::future::pagination_stream::PaginationStream;
    use sagemaker_pipelines::operation::list_pipelines::paginator::ListPipelinesPaginatorItems;
    use sagemaker_pipelines::operation::list_pipelines::{ListPipelinesError, ListPipelinesOutput};
    let stub = Stub::start(vec![
        Reply::ok(json!({"PipelineSummaries": [{"PipelineName": "a"}], "NextToken": "same"})),
        Reply::ok(json!({"PipelineSummaries": [{"PipelineName": "b"}], "NextToken": "same"})),
        Reply::ok(json!({"PipelineSummaries": [{"PipelineName": "c"}]})),
        Reply::ok(json!({"PipelineSummaries": [{"PipelineName": "d"}], "NextToken": "t"})),
        Reply::ok(json!({"PipelineSummaries": []})),
    ]);
    let c = client(&stub);
    // `stop_on_duplicate_token(false)` follows a token the service repeats; `try_collect` gathers the items.
    let items: ListPipelinesPaginatorItems = c.list_pipelines().into_paginator().stop_on_duplicate_token(false).items();
    let items = items.send().try_collect().await;
    let names: Vec<&str> = items.as_deref().unwrap().iter().map(|s| s.pipeline_name().unwrap()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // The pages are aws-smithy-async's `PaginationStream`, the type aws-sdk-rust's paginators return.
    let mut pages: PaginationStream<Result<ListPipelinesOutput, SdkError<ListPipelinesError>>> =
        c.list_pipelines().into_paginator().send();
    assert_eq!(pages.try_next().await.unwrap().unwrap().next_token(), Some("t"));
    assert!(pages.try_next().await.unwrap().unwrap().pipeline_summaries().is_empty());
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(stub.requests().len(), 5);
}

/// A transport that answers from memory: aws-sdk-rust's `HttpClient` trait is how users plug in their own HTTP stack
/// (or aws-config's, or aws-smithy-runtime's test clients).
#[derive(Debug)]
struct InMemory;

impl sagemaker_pipelines::http::HttpClient for InMemory {
    fn http_connector(
        &self,
        _: &sagemaker_pipelines::http::HttpConnectorSettings,
        _: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
    ) -> sagemaker_pipelines::http::SharedHttpConnector {
        sagemaker_pipelines::http::SharedHttpConnector::new(InMemory)
    }
}

impl sagemaker_pipelines::http::HttpConnector for InMemory {
    fn call(&self, request: sagemaker_pipelines::http::HttpRequest) -> sagemaker_pipelines::http::HttpConnectorFuture {
        let target = request.headers().get("x-amz-target").unwrap_or_default().to_owned();
        let body = json!({"PipelineArn": format!("arn:aws:sagemaker:us-east-1:123456789012:pipeline/{target}")});
        let response = sagemaker_pipelines::http::HttpResponse::new(
            200u16.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::from(body.to_string()),
        );
        sagemaker_pipelines::http::HttpConnectorFuture::ready(Ok(response))
    }
}

#[tokio::test]
async fn a_custom_transport_is_used_and_endpoints_resolve_from_the_rules() {
    let c = Client::from_conf(
        Config::builder()
            .region(Region::new("eu-west-1"))
            .credentials_provider(Credentials::new("A", "S", None, None, "test"))
            .http_client(InMemory)
            .build(),
    );
    let out = c.describe_pipeline().pipeline_name("p").send().await.unwrap();
    assert_eq!(
        out.pipeline_arn(),
        Some("arn:aws:sagemaker:us-east-1:123456789012:pipeline/SageMaker.DescribePipeline")
    );
    let mut params = sagemaker_pipelines::endpoint::Params::default();
    params.region = Some("eu-west-1".into());
    assert_eq!(
        sagemaker_pipelines::endpoint::resolve_endpoint(&params).unwrap().url(),
        "https://api.sagemaker.eu-west-1.amazonaws.com"
    );
}

/// `send()`'s future, and `customize().send()`'s, are `Send` and own what they use: a task can be spawned with them.
fn spawnable<F: std::future::Future + Send + 'static>(future: F) -> F {
    future
}

#[tokio::test]
async fn nothing_is_sent_until_the_future_is_polled_and_each_send_future_can_be_spawned() {
    let stub = Stub::start(vec![Reply::ok(json!({"PipelineExecutionArn": EXEC_ARN})); 3]);
    let client = client(&stub);
    let first = spawnable(client.start_pipeline_execution().pipeline_name("p").send());
    let second = spawnable(client.start_pipeline_execution().pipeline_name("p").customize().send());
    let input = sagemaker_pipelines::operation::start_pipeline_execution::StartPipelineExecutionInput::builder()
        .pipeline_name("p")
        .build()
        .unwrap();
    let third = spawnable(input.send_with(&client));
    drop(client);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(stub.requests().is_empty(), "nothing sent before the futures are polled");
    let out = tokio::spawn(first).await.unwrap().unwrap();
    assert_eq!(out.pipeline_execution_arn(), Some(EXEC_ARN));
    assert_eq!(stub.requests().len(), 1);
    tokio::spawn(second).await.unwrap().unwrap();
    tokio::spawn(third).await.unwrap().unwrap();
    assert_eq!(stub.requests().len(), 3);
}
