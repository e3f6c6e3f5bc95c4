//! Interceptors written for aws-sdk-rust, against aws-smithy-runtime-api's types only (`Intercept`, its context types,
//! `RuntimeComponents`, `ConfigBag`), added with `config::Builder::interceptor`, per request through
//! `customize()`, and `customize().mutate_request` / `map_request`; the requests are seen by the project's raw
//! transport.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeDeserializationInterceptorContextRef,
    BeforeSerializationInterceptorContextMut, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef, Error as ContextError,
    FinalizerInterceptorContextMut, FinalizerInterceptorContextRef, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use project_tests::raw::{self, Answer, Raw};
use sagemaker_pipelines::config::retry::RetryConfig;
use sagemaker_pipelines::error::{DisplayErrorContext, SdkError};
use sagemaker_pipelines::operation::describe_pipeline_execution::{
    DescribePipelineExecutionError, DescribePipelineExecutionInput, DescribePipelineExecutionOutput,
};
use sagemaker_pipelines::types::PipelineExecutionStatus;
use sagemaker_pipelines::Client;

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc";
const STATUS: &str = r#"{"PipelineExecutionStatus":"Executing"}"#;

/// Adds a header before signing, as a program would to tag its requests.
#[derive(Debug)]
struct AddHeader;

impl Intercept for AddHeader {
    fn name(&self) -> &'static str {
        "AddHeader"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        context.request_mut().headers_mut().insert("x-team", "ml-platform");
        Ok(())
    }
}

fn client_with(http: &Raw, interceptor: impl Intercept + 'static) -> Client {
    Client::from_conf(raw::config().http_client(http.clone()).interceptor(interceptor).build())
}

async fn describe(
    client: &Client,
) -> Result<DescribePipelineExecutionOutput, SdkError<DescribePipelineExecutionError>> {
    client.describe_pipeline_execution().pipeline_execution_arn(ARN).send().await
}

/// The headers the signature covers.
fn signed_headers(authorization: &str) -> Vec<&str> {
    let list = authorization.split("SignedHeaders=").nth(1).unwrap().split(',').next().unwrap();
    list.split(';').collect()
}

#[tokio::test]
async fn a_header_added_before_signing_is_sent_and_signed() {
    let http = Raw::fixed(STATUS);
    let out = describe(&client_with(&http, AddHeader)).await.unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Executing));
    let sent = &http.sent()[0];
    assert_eq!(sent.header("x-team"), Some("ml-platform"));
    let signed = signed_headers(sent.header("authorization").unwrap());
    assert!(signed.contains(&"x-team"), "{signed:?}");
    assert!(signed.contains(&"host") && signed.contains(&"x-amz-target"), "{signed:?}");
}

#[tokio::test]
async fn a_request_moved_before_signing_is_sent_there_and_signed_for_its_host_and_body() {
    #[derive(Debug)]
    struct Redirect;
    impl Intercept for Redirect {
        fn name(&self) -> &'static str {
            "Redirect"
        }
        fn modify_before_signing(
            &self,
            context: &mut BeforeTransmitInterceptorContextMut<'_>,
            _: &RuntimeComponents,
            _: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            context.request_mut().set_uri("http://127.0.0.1:9/proxy")?;
            *context.request_mut().body_mut() = SdkBody::from(format!(r#"{{"PipelineExecutionArn":"{ARN}-2"}}"#));
            Ok(())
        }
    }
    let http = Raw::fixed(STATUS);
    describe(&client_with(&http, Redirect)).await.unwrap();
    let sent = &http.sent()[0];
    assert_eq!(sent.uri, "http://127.0.0.1:9/proxy");
    assert_eq!(sent.header("host"), Some("127.0.0.1:9"));
    assert!(sent.text().ends_with(r#"-2"}"#), "{}", sent.text());
    assert_eq!(sent.header("content-length"), Some(sent.body.len().to_string().as_str()));
}

/// The signature a request should carry: the sent request signed again, independently, with aws-sigv4 (the test
/// credentials, us-east-1, `sagemaker`, at `at`), over the headers present at signing (the sent ones but the
/// signature's own and the attempt headers added after it).
fn expected_signature(sent: &raw::Sent, at: std::time::SystemTime) -> String {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    let identity = aws_credential_types::Credentials::new("AKIDTEST", "test-secret", None, None, "test").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sagemaker")
        .time(at)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let skipped = ["authorization", "x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request"];
    let headers = sent.headers.iter().filter(|(k, _)| !skipped.contains(&k.as_str()));
    let request = SignableRequest::new(
        "POST",
        sent.uri.as_str(),
        headers.map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(&sent.body),
    )
    .unwrap();
    sign(request, &params).unwrap().into_parts().1
}

/// The `Signature=` of a sent request's `authorization` header.
fn sent_signature(sent: &raw::Sent) -> &str {
    sent.header("authorization").unwrap().split("Signature=").nth(1).unwrap()
}

#[tokio::test]
async fn the_signature_covers_the_uri_the_request_has_at_signing() {
    use aws_smithy_async::time::StaticTimeSource;
    #[derive(Debug)]
    struct MovePath;
    impl Intercept for MovePath {
        fn name(&self) -> &'static str {
            "MovePath"
        }
        fn modify_before_signing(
            &self,
            context: &mut BeforeTransmitInterceptorContextMut<'_>,
            _: &RuntimeComponents,
            _: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            let moved = context.request().uri().replace("//api.", "//api2.") + "v2/";
            context.request_mut().set_uri(moved)?;
            Ok(())
        }
    }
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let http = Raw::fixed(STATUS);
    let config = || raw::config().http_client(http.clone()).time_source(StaticTimeSource::new(at));
    // Unchanged: the URI the client made for the endpoint; then moved to another host and path.
    describe(&Client::from_conf(config().build())).await.unwrap();
    describe(&Client::from_conf(config().interceptor(MovePath).build())).await.unwrap();
    let sent = http.sent();
    assert_eq!(sent.len(), 2);
    assert!(sent[1].uri.ends_with("/v2/") && sent[1].uri.contains("//api2."), "{}", sent[1].uri);
    assert_ne!(sent[0].uri, sent[1].uri);
    for request in &sent {
        assert_eq!(sent_signature(request), expected_signature(request, at), "{}", request.uri);
    }
}

/// Records each hook it is called at, and what it saw.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Recorder {
    fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap().push(entry.into());
    }

    fn entries(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "Recorder"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        assert!(context.input().downcast_ref::<DescribePipelineExecutionInput>().is_some(), "the typed input");
        self.push("read_before_execution");
        Ok(())
    }

    fn modify_before_serialization(
        &self,
        _: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_serialization");
        Ok(())
    }

    fn read_before_serialization(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("read_before_serialization");
        Ok(())
    }

    fn read_after_serialization(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        assert!(context.request().headers().get("authorization").is_none(), "not signed yet");
        self.push("read_after_serialization");
        Ok(())
    }

    fn modify_before_retry_loop(
        &self,
        _: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_retry_loop");
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("read_before_attempt");
        Ok(())
    }

    fn modify_before_signing(
        &self,
        _: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_signing");
        Ok(())
    }

    fn read_before_signing(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("read_before_signing");
        Ok(())
    }

    fn read_after_signing(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        assert!(context.request().headers().get("authorization").is_some(), "signed");
        self.push("read_after_signing");
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        _: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_transmit");
        Ok(())
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("read_before_transmit");
        Ok(())
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push(format!("read_after_transmit {}", context.response().status().as_u16()));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        _: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_deserialization");
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        _: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("read_before_deserialization");
        Ok(())
    }

    fn modify_before_completion(
        &self,
        _: &mut FinalizerInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.push("modify_before_completion");
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let seen = match context.output_or_error() {
            Some(Ok(output)) => match output.downcast_ref::<DescribePipelineExecutionOutput>() {
                Some(o) => format!("output {:?}", o.pipeline_execution_status().map(|s| s.as_str())),
                None => "another output".to_owned(),
            },
            Some(Err(e)) => {
                match e.as_operation_error().and_then(|e| e.downcast_ref::<DescribePipelineExecutionError>()) {
                    Some(e) => format!("service error {:?}", e.code()),
                    None => format!("error {}", DisplayErrorContext(e)),
                }
            }
            None => "nothing".to_owned(),
        };
        let status = context.response().map(|r| r.status().as_u16());
        self.push(format!("read_after_execution: {seen}, response {status:?}"));
        Ok(())
    }
}

/// The hooks of one attempt that got a response with this status.
fn attempt(status: u16) -> Vec<String> {
    [
        "read_before_attempt",
        "modify_before_signing",
        "read_before_signing",
        "read_after_signing",
        "modify_before_transmit",
        "read_before_transmit",
        &format!("read_after_transmit {status}"),
        "modify_before_deserialization",
        "read_before_deserialization",
    ]
    .map(String::from)
    .to_vec()
}

const BEFORE_THE_LOOP: [&str; 5] = [
    "read_before_execution",
    "modify_before_serialization",
    "read_before_serialization",
    "read_after_serialization",
    "modify_before_retry_loop",
];

#[tokio::test(start_paused = true)]
async fn the_hooks_run_in_the_orchestrators_order_once_per_call_and_once_per_attempt() {
    let answers = Arc::new(Mutex::new(vec![Answer::new(200, STATUS), Answer::new(503, "{}")]));
    let http = Raw::new(move |_| answers.lock().unwrap().pop().unwrap());
    let recorder = Recorder::default();
    let out = describe(&client_with(&http, recorder.clone())).await.unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Executing));
    assert_eq!(http.sent().len(), 2, "retried once");
    let mut expected: Vec<String> = BEFORE_THE_LOOP.map(String::from).to_vec();
    expected.extend(attempt(503));
    expected.extend(attempt(200));
    expected.push("modify_before_completion".into());
    expected.push(r#"read_after_execution: output Some("Executing"), response Some(200)"#.into());
    assert_eq!(recorder.entries(), expected);
}

#[tokio::test(start_paused = true)]
async fn the_completion_hooks_see_a_service_error_and_any_other_failure() {
    let http = Raw::new(|_| Answer::new(400, r#"{"__type":"ResourceNotFound","message":"gone"}"#));
    let recorder = Recorder::default();
    let err = describe(&client_with(&http, recorder.clone())).await.unwrap_err();
    assert!(err.as_service_error().is_some_and(|e| e.is_resource_not_found()), "{err:?}");
    assert_eq!(
        recorder.entries().last().unwrap(),
        r#"read_after_execution: service error Some("ResourceNotFound"), response Some(400)"#
    );

    let recorder = Recorder::default();
    let client = client_with(&http, recorder.clone());
    let err = client.describe_pipeline_execution().pipeline_execution_arn("not an arn").send().await.unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "the call's own error is returned: {err:?}");
    let entries = recorder.entries();
    assert_eq!(entries.len(), 5, "{entries:?}");
    assert!(entries[4].starts_with("read_after_execution: error "), "{entries:?}");
    assert!(entries[4].contains("PipelineExecutionArn"), "the failure's text: {entries:?}");
    assert_eq!(http.sent().len(), 1, "the invalid request was not sent");
}

/// Fails at one hook.
#[derive(Debug)]
struct FailAt(&'static str);

impl FailAt {
    fn check(&self, hook: &str) -> Result<(), BoxError> {
        if self.0 == hook {
            Err(format!("refused by policy at {hook}").into())
        } else {
            Ok(())
        }
    }
}

impl Intercept for FailAt {
    fn name(&self) -> &'static str {
        "FailAt"
    }

    fn read_before_execution(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.check("read_before_execution")
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.check("read_before_transmit")
    }

    fn read_after_transmit(
        &self,
        _: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.check("read_after_transmit")
    }

    fn read_after_execution(
        &self,
        _: &FinalizerInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.check("read_after_execution")
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_hook_fails_the_call_with_the_variant_of_its_step_and_is_not_retried() {
    let cases = [
        ("read_before_execution", "construction failure", 0),
        ("read_before_transmit", "dispatch failure", 0),
        ("read_after_transmit", "response error", 1),
        ("read_after_execution", "response error", 1),
    ];
    for (hook, kind, sent) in cases {
        let http = Raw::fixed(STATUS);
        let client = Client::from_conf(
            raw::config()
                .http_client(http.clone())
                .retry_config(RetryConfig::standard().with_max_attempts(3))
                .interceptor(FailAt(hook))
                .build(),
        );
        let err = describe(&client).await.unwrap_err();
        let text = DisplayErrorContext(&err).to_string();
        let matched = match kind {
            "construction failure" => matches!(err, SdkError::ConstructionFailure(_)),
            "dispatch failure" => matches!(err, SdkError::DispatchFailure(_)),
            _ => matches!(&err, SdkError::ResponseError(e) if e.raw().status().as_u16() == 200),
        };
        assert!(matched, "{hook}: expected a {kind}: {err:?}");
        assert!(text.contains(&format!("FailAt {hook} interceptor encountered an error")), "{hook}: {text}");
        assert!(text.contains(&format!("refused by policy at {hook}")), "{hook}: {text}");
        assert_eq!(http.sent().len(), sent, "{hook}: not retried");
    }
}

#[tokio::test]
async fn a_hook_can_rewrite_the_response_before_it_is_decoded() {
    #[derive(Debug)]
    struct Rewrite;
    impl Intercept for Rewrite {
        fn name(&self) -> &'static str {
            "Rewrite"
        }
        fn modify_before_deserialization(
            &self,
            context: &mut BeforeDeserializationInterceptorContextMut<'_>,
            _: &RuntimeComponents,
            _: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            *context.response_mut().body_mut() = SdkBody::from(r#"{"PipelineExecutionStatus":"Succeeded"}"#);
            context.response_mut().headers_mut().insert("x-amzn-requestid", "rewritten");
            Ok(())
        }
    }
    let http = Raw::fixed(STATUS);
    let out = describe(&client_with(&http, Rewrite)).await.unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Succeeded));
    assert_eq!(sagemaker_pipelines::error::RequestId::request_id(&out), Some("rewritten"));
}

#[tokio::test]
async fn customize_adds_interceptors_and_mutate_request_for_one_request() {
    let http = Raw::fixed(STATUS);
    let client = Client::from_conf(raw::config().http_client(http.clone()).build());
    let call = || client.describe_pipeline_execution().pipeline_execution_arn(ARN);
    call()
        .customize()
        .mutate_request(|request| {
            request.headers_mut().insert("x-trace", "abc");
        })
        .send()
        .await
        .unwrap();
    call().customize().interceptor(AddHeader).send().await.unwrap();
    let config_with_interceptor = sagemaker_pipelines::config::Builder::new().interceptor(AddHeader);
    call().customize().config_override(config_with_interceptor).send().await.unwrap();
    call().send().await.unwrap();
    let sent = http.sent();
    assert_eq!(sent[0].header("x-trace"), Some("abc"));
    assert!(signed_headers(sent[0].header("authorization").unwrap()).contains(&"x-trace"));
    assert_eq!(sent[1].header("x-team"), Some("ml-platform"));
    assert_eq!(sent[2].header("x-team"), Some("ml-platform"));
    assert_eq!((sent[3].header("x-trace"), sent[3].header("x-team")), (None, None), "the client's own requests");
}

#[tokio::test]
async fn a_failing_map_request_fails_the_call_before_sending() {
    let http = Raw::fixed(STATUS);
    let client = Client::from_conf(raw::config().http_client(http.clone()).build());
    let err = client
        .describe_pipeline_execution()
        .pipeline_execution_arn(ARN)
        .customize()
        .map_request(|_| Err(std::io::Error::other("no requests today")))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert!(DisplayErrorContext(&err).to_string().contains("no requests today"), "{err:?}");
    assert!(http.sent().is_empty());
}

#[tokio::test]
async fn the_clients_interceptors_run_before_the_requests() {
    let order = Recorder::default();
    #[derive(Debug)]
    struct Named(&'static str, Recorder);
    impl Intercept for Named {
        fn name(&self) -> &'static str {
            self.0
        }
        fn modify_before_signing(
            &self,
            _: &mut BeforeTransmitInterceptorContextMut<'_>,
            _: &RuntimeComponents,
            _: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            self.1.push(self.0);
            Ok(())
        }
    }
    let http = Raw::fixed(STATUS);
    let client = Client::from_conf(
        raw::config()
            .http_client(http.clone())
            .interceptor(Named("client-1", order.clone()))
            .interceptor(Named("client-2", order.clone()))
            .build(),
    );
    client
        .describe_pipeline_execution()
        .pipeline_execution_arn(ARN)
        .customize()
        .interceptor(Named("request", order.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(order.entries(), ["client-1", "client-2", "request"]);
    assert_eq!(client.config().interceptors().count(), 2);
}

#[tokio::test]
async fn a_hook_keeps_state_for_a_later_one_in_the_calls_config_bag_and_reads_the_clients_time_source() {
    use aws_smithy_types::config_bag::{Storable, StoreReplace};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[derive(Debug, Clone)]
    struct StartedAt(SystemTime);
    impl Storable for StartedAt {
        type Storer = StoreReplace<Self>;
    }

    #[derive(Debug)]
    struct Timing(Recorder);
    impl Intercept for Timing {
        fn name(&self) -> &'static str {
            "Timing"
        }
        fn read_before_attempt(
            &self,
            _: &BeforeTransmitInterceptorContextRef<'_>,
            components: &RuntimeComponents,
            cfg: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            assert!(cfg.load::<StartedAt>().is_none(), "each call starts with an empty bag");
            let now = components.time_source().ok_or("no time source")?.now();
            cfg.interceptor_state().store_put(StartedAt(now));
            Ok(())
        }
        fn read_after_transmit(
            &self,
            _: &BeforeDeserializationInterceptorContextRef<'_>,
            _: &RuntimeComponents,
            cfg: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            let started = cfg.load::<StartedAt>().ok_or("nothing stored")?.0;
            self.0.push(format!("{:?}", started.duration_since(UNIX_EPOCH)?));
            Ok(())
        }
    }

    let at = aws_smithy_async::time::StaticTimeSource::new(UNIX_EPOCH + Duration::from_secs(1_000_000_000));
    let http = Raw::fixed(STATUS);
    let seen = Recorder::default();
    let client = Client::from_conf(
        raw::config().http_client(http.clone()).time_source(at).interceptor(Timing(seen.clone())).build(),
    );
    describe(&client).await.unwrap();
    describe(&client).await.unwrap();
    assert_eq!(seen.entries(), ["1000000000s", "1000000000s"]);
}

/// Replaces the input before serialization (with `input`'s value, or a value of another type when `None`).
#[derive(Debug)]
struct ReplaceInput(Option<DescribePipelineExecutionInput>);

impl Intercept for ReplaceInput {
    fn name(&self) -> &'static str {
        "ReplaceInput"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        *context.input_mut() = match &self.0 {
            Some(input) => Input::erase(input.clone()),
            None => Input::erase("not an input".to_owned()),
        };
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn an_input_replaced_before_serialization_is_validated_and_sent() {
    let other = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/q/execution/replaced";
    let input = DescribePipelineExecutionInput::builder().pipeline_execution_arn(other).build().unwrap();
    let http = Raw::fixed(STATUS);
    describe(&client_with(&http, ReplaceInput(Some(input)))).await.unwrap();
    let sent = http.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].text().contains("/execution/replaced"), "{}", sent[0].text());
    assert!(!sent[0].text().contains("/execution/abc"), "{}", sent[0].text());

    // Validation reads the replaced input: an invalid one is refused and nothing is sent.
    let invalid = DescribePipelineExecutionInput::builder().pipeline_execution_arn("not an arn").build().unwrap();
    let http = Raw::fixed(STATUS);
    let err = describe(&client_with(&http, ReplaceInput(Some(invalid)))).await.unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    assert!(http.sent().is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_input_of_another_type_fails_the_call_before_sending() {
    let http = Raw::fixed(STATUS);
    let err = describe(&client_with(&http, ReplaceInput(None))).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("an interceptor replaced the input with a value of another type"), "{text}");
    assert!(http.sent().is_empty());
}

/// Replaces the call's result in `modify_before_completion`.
#[derive(Debug)]
enum ReplaceResult {
    /// An output with this status.
    Output(PipelineExecutionStatus),
    /// The operation's own error, unhandled, with this code.
    Error(&'static str),
    /// An output of another type.
    OtherOutput,
}

impl Intercept for ReplaceResult {
    fn name(&self) -> &'static str {
        "ReplaceResult"
    }

    fn modify_before_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let result = context.output_or_error_mut().ok_or("no result")?;
        *result = match self {
            ReplaceResult::Output(status) => Ok(Output::erase(
                DescribePipelineExecutionOutput::builder().pipeline_execution_status(status.clone()).build(),
            )),
            ReplaceResult::Error(code) => {
                let meta = sagemaker_pipelines::error::ErrorMetadata::builder().code(*code).build();
                Err(OrchestratorError::operation(ContextError::erase(DescribePipelineExecutionError::generic(meta))))
            }
            ReplaceResult::OtherOutput => Ok(Output::erase(42u32)),
        };
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn the_completion_hooks_can_replace_the_output_or_the_error() {
    // A service error becomes an output of the operation's type.
    let http = Raw::new(|_| Answer::new(400, r#"{"__type":"ResourceNotFound","message":"gone"}"#));
    let out = describe(&client_with(&http, ReplaceResult::Output(PipelineExecutionStatus::Succeeded))).await.unwrap();
    assert_eq!(out.pipeline_execution_status(), Some(&PipelineExecutionStatus::Succeeded));

    // An output becomes the operation's error: a service error with the last response.
    let http = Raw::fixed(STATUS);
    let err = describe(&client_with(&http, ReplaceResult::Error("Replaced"))).await.unwrap_err();
    let SdkError::ServiceError(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.err().code(), Some("Replaced"));
    assert_eq!(e.raw().status().as_u16(), 200);

    // An output of another type is refused, naming what happened.
    let http = Raw::fixed(STATUS);
    let err = describe(&client_with(&http, ReplaceResult::OtherOutput)).await.unwrap_err();
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("an interceptor replaced the output with a value of another type"), "{text}");
}
