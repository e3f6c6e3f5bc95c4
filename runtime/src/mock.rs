//! Test doubles for code that uses the client (feature `test-util`): a transport that answers from rules instead of
//! a network. What is the same for every operation lives here; the generated `test_util` module adds one typed rule
//! constructor per operation and re-exports these types.
//!
//! The rules sit behind an [`HttpClient`], so a call goes through everything a real one does (validation,
//! idempotency tokens, endpoint, signing, the attempt loop with its retries and timeouts, pagination, decoding) and
//! only the transport is replaced. The transport reads the operation from the request's `X-Amz-Target` header,
//! decodes the body into the operation's typed input, finds the rule that answers it, and encodes the rule's typed
//! output or error as the service would (status, `__type`, `x-amzn-RequestId`, JSON body).

#![cfg(feature = "test-util")]

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use aws_credential_types::Credentials;
use aws_types::region::Region;

use crate::aws_json::{JsonError, ObjectWriter, ReadStructure, WriteObject};
use crate::error::{ConnectorError, ErrorMetadata};
use crate::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, HttpRequest, HttpResponse,
    RuntimeComponents, SdkBody, SharedHttpConnector,
};

/// An operation input the test doubles can answer: implemented by the crate for every operation's input type.
pub trait MockInput: fmt::Debug + Clone + Send + Sync + 'static {
    /// The operation's name on the wire (`DescribePipelineExecution`).
    const OPERATION: &'static str;
    /// The operation's output.
    type Output: Send + Sync + 'static;
    /// The operation's error.
    type Error: Send + Sync + 'static;

    /// The input from a request body.
    #[doc(hidden)]
    fn decode(body: &[u8]) -> Result<Self, String>;
    /// The body of a successful response.
    #[doc(hidden)]
    fn encode_output(output: &Self::Output) -> Result<Vec<u8>, String>;
    /// The error response for an error.
    #[doc(hidden)]
    fn error_reply(error: &Self::Error) -> ErrorReply;
}

/// A structure from a JSON request body (for the generated [`MockInput::decode`]).
#[doc(hidden)]
pub fn decode<T: ReadStructure>(body: &[u8]) -> Result<T, String> {
    crate::aws_json::read_body(body).map_err(|e| e.to_string())
}

/// A structure as a JSON body (for the generated [`MockInput::encode_output`]).
#[doc(hidden)]
pub fn encode<T: WriteObject>(value: &T) -> Result<Vec<u8>, String> {
    crate::aws_json::serialize_input(value)
}

/// How an error goes on the wire: status, body (with the code in `__type`) and request id.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct ErrorReply {
    status: u16,
    body: Result<Vec<u8>, String>,
    request_id: Option<String>,
}

impl ErrorReply {
    /// A modeled error: its members and `__type`, 400 for a client fault and 500 for a server fault.
    pub fn modeled<T: WriteObject>(error: &T, meta: &ErrorMetadata, code: &str, server_fault: bool) -> Self {
        let body = crate::aws_json::serialize_input(&Typed { code, members: error });
        let status = if server_fault { 500 } else { 400 };
        ErrorReply { status, body, request_id: request_id(meta) }
    }

    /// An error the model does not declare, from its metadata: code (`UnknownError` when it has none) and message;
    /// 500 for the service's transient codes (`InternalFailure`, `ServiceUnavailable`, …), 400 for any other.
    pub fn unhandled(meta: &ErrorMetadata) -> Self {
        let code = meta.code().unwrap_or("UnknownError");
        let body = crate::aws_json::serialize_input(&Typed { code, members: &Message(meta.message()) });
        let server = matches!(
            code,
            "InternalError"
                | "InternalFailure"
                | "InternalServerError"
                | "ServiceUnavailable"
                | "ServiceUnavailableException"
        );
        ErrorReply { status: if server { 500 } else { 400 }, body, request_id: request_id(meta) }
    }
}

fn request_id(meta: &ErrorMetadata) -> Option<String> {
    meta.extra(crate::error::AWS_REQUEST_ID).map(str::to_owned)
}

/// An error body: `__type` with the code, then the error's members.
struct Typed<'a, T: ?Sized> {
    code: &'a str,
    members: &'a T,
}

impl<T: WriteObject + ?Sized> WriteObject for Typed<'_, T> {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        object.member("__type", |w| crate::aws_json::write::string(w, self.code))?;
        self.members.write_members(object)
    }
}

/// The members of an unmodeled error: its message, if any.
struct Message<'a>(Option<&'a str>);

impl WriteObject for Message<'_> {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        match self.0 {
            Some(message) => object.member("message", |w| crate::aws_json::write::string(w, message)),
            None => Ok(()),
        }
    }
}

/// Wall-clock time that moves with tokio's clock: the time it was made, plus the tokio time passed since. Under
/// `tokio::time::pause` it stands still until the runtime advances it (by sleeping, or `tokio::time::advance`), so
/// deadlines measured on it agree with the sleeps of the default `sleep_impl`.
#[derive(Debug, Clone, Copy)]
pub struct TokioTime {
    start: tokio::time::Instant,
    at: std::time::SystemTime,
}

impl TokioTime {
    /// Starting now.
    pub fn new() -> Self {
        TokioTime { start: tokio::time::Instant::now(), at: std::time::SystemTime::now() }
    }
}

impl Default for TokioTime {
    fn default() -> Self {
        Self::new()
    }
}

impl crate::config::TimeSource for TokioTime {
    fn now(&self) -> std::time::SystemTime {
        self.at + self.start.elapsed()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

/// Whether the rules answer in the order given or whichever matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleMode {
    /// Each call goes to the first rule that still has answers; a call that rule does not match fails. For a
    /// scripted conversation: start, describe, describe, list.
    Sequential,
    /// Each call goes to the first rule (in the order given) of its operation that matches the input and still has
    /// answers.
    #[default]
    MatchAny,
}

/// What one answer of a rule does.
enum Answer {
    /// A response (output, error or raw HTTP).
    Response(Box<HttpResponse>),
    /// The transport reports a timeout (the client retries it).
    Timeout,
    /// No response ever comes: the client's attempt timeout ends the attempt.
    Hang,
}

type Respond = Arc<dyn Fn(&dyn Any, &str) -> Answer + Send + Sync>;

/// A typed input behind `Any`, as rules and the record keep it.
type AnyInput = Arc<dyn Any + Send + Sync>;

/// A rule's matcher over an input behind `Any`.
type AnyMatcher = Arc<dyn Fn(&dyn Any) -> bool + Send + Sync>;

/// One step of a rule's answers: an answer, given `times` times (`None`: for every call from then on).
#[derive(Clone)]
struct Step {
    respond: Respond,
    times: Option<usize>,
}

/// A rule: which calls of one operation it answers, and with what, in order. Built with the typed constructors of
/// `test_util::rules` (one per operation); cloning a rule shares its record of calls.
#[derive(Clone)]
pub struct Rule {
    inner: Arc<RuleInner>,
}

struct RuleInner {
    operation: &'static str,
    decode: fn(&[u8]) -> Result<AnyInput, String>,
    describe: fn(&dyn Any) -> String,
    matcher: AnyMatcher,
    steps: Vec<Step>,
    inputs: Mutex<Vec<AnyInput>>,
    calls: AtomicUsize,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.inner.operation)
            .field("num_calls", &self.num_calls())
            .field("exhausted", &self.is_exhausted())
            .finish()
    }
}

impl Rule {
    /// The operation it answers (`DescribePipelineExecution`).
    pub fn operation(&self) -> &'static str {
        self.inner.operation
    }

    /// How many calls it has answered (each attempt of a retried call counts).
    pub fn num_calls(&self) -> usize {
        self.inner.calls.load(Ordering::SeqCst)
    }

    /// Whether it has given all its answers.
    pub fn is_exhausted(&self) -> bool {
        self.answer_at(self.num_calls()).is_none()
    }

    /// The inputs it answered, in order (`T`: the operation's input type; inputs of another type are left out).
    pub fn inputs<T: Clone + 'static>(&self) -> Vec<T> {
        let inputs = self.inner.inputs.lock().unwrap_or_else(PoisonError::into_inner);
        inputs.iter().filter_map(|i| i.downcast_ref::<T>()).cloned().collect()
    }

    /// The answer to the call numbered `n` (from 0), if the rule has one.
    fn answer_at(&self, mut n: usize) -> Option<&Respond> {
        for step in &self.inner.steps {
            match step.times {
                None => return Some(&step.respond),
                Some(times) if n < times => return Some(&step.respond),
                Some(times) => n -= times,
            }
        }
        None
    }

    fn matches(&self, input: &dyn Any) -> bool {
        (self.inner.matcher)(input)
    }
}

/// A rule of one operation being built: which inputs it matches, then what it answers. `I` is the operation's
/// input type, so the matcher sees `&I` and the answers are the operation's own output and error types.
pub struct RuleBuilder<I: MockInput> {
    matcher: Arc<dyn Fn(&I) -> bool + Send + Sync>,
}

impl<I: MockInput> fmt::Debug for RuleBuilder<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder").field("operation", &I::OPERATION).finish_non_exhaustive()
    }
}

impl<I: MockInput> Default for RuleBuilder<I> {
    fn default() -> Self {
        Self::new()
    }
}

impl<I: MockInput> RuleBuilder<I> {
    /// A rule matching every call of the operation.
    pub fn new() -> Self {
        RuleBuilder { matcher: Arc::new(|_| true) }
    }

    /// Match only the calls whose input passes `matcher`.
    pub fn match_requests(mut self, matcher: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Arc::new(matcher);
        self
    }

    /// Answer one call with this output.
    pub fn then_output(self, output: impl Fn() -> I::Output + Send + Sync + 'static) -> Rule {
        self.sequence().output(output).build()
    }

    /// Answer one call with an output made from its input.
    pub fn then_output_from(self, output: impl Fn(&I) -> I::Output + Send + Sync + 'static) -> Rule {
        self.sequence().output_from(output).build()
    }

    /// Answer one call with this error: a modeled error, or one made with the error type's `generic(meta)` (its
    /// code, message and `aws_request_id` extra become the response's).
    pub fn then_error(self, error: impl Fn() -> I::Error + Send + Sync + 'static) -> Rule {
        self.sequence().error(error).build()
    }

    /// Answer one call with this HTTP response, as the service would send it:
    /// `HttpResponse::new(StatusCode::try_from(503).unwrap(), SdkBody::from(".."))`, the three types from
    /// [`crate::http`].
    pub fn then_http_response(self, response: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Rule {
        self.sequence().http_response(response).build()
    }

    /// Answer one call with a `ThrottlingException` (HTTP 400), which the client retries.
    pub fn then_throttling(self) -> Rule {
        self.sequence().throttling().build()
    }

    /// Fail one attempt with a transport timeout, which the client retries.
    pub fn then_timeout(self) -> Rule {
        self.sequence().timeout().build()
    }

    /// Never answer one attempt: the client's attempt timeout (on its configured sleep) ends it.
    pub fn then_no_response(self) -> Rule {
        self.sequence().no_response().build()
    }

    /// Answer with a sequence of answers, one per call, each repeated with [`Sequence::times`] or for ever with
    /// [`Sequence::repeatedly`].
    pub fn sequence(self) -> Sequence<I> {
        Sequence { matcher: self.matcher, steps: Vec::new() }
    }
}

/// The answers of a rule, in order.
pub struct Sequence<I: MockInput> {
    matcher: Arc<dyn Fn(&I) -> bool + Send + Sync>,
    steps: Vec<Step>,
}

impl<I: MockInput> fmt::Debug for Sequence<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sequence").field("operation", &I::OPERATION).field("steps", &self.steps.len()).finish()
    }
}

impl<I: MockInput> Sequence<I> {
    fn push(mut self, respond: impl Fn(&I, &str) -> Answer + Send + Sync + 'static) -> Self {
        let respond: Respond = Arc::new(move |input, request_id| match input.downcast_ref::<I>() {
            Some(input) => respond(input, request_id),
            None => unreachable!("a rule of {} was given another operation's input", I::OPERATION),
        });
        self.steps.push(Step { respond, times: Some(1) });
        self
    }

    /// Then answer with this output.
    pub fn output(self, output: impl Fn() -> I::Output + Send + Sync + 'static) -> Self {
        self.output_from(move |_| output())
    }

    /// Then answer with an output made from the input.
    pub fn output_from(self, output: impl Fn(&I) -> I::Output + Send + Sync + 'static) -> Self {
        self.push(move |input, request_id| {
            let body = I::encode_output(&output(input))
                .unwrap_or_else(|e| panic!("test_util: cannot encode the output of {}: {e}", I::OPERATION));
            Answer::Response(Box::new(response(200, body, Some(request_id))))
        })
    }

    /// Then answer with this error.
    pub fn error(self, error: impl Fn() -> I::Error + Send + Sync + 'static) -> Self {
        self.push(move |_, request_id| {
            let reply = I::error_reply(&error());
            let body =
                reply.body.unwrap_or_else(|e| panic!("test_util: cannot encode the error of {}: {e}", I::OPERATION));
            let id = reply.request_id.as_deref().unwrap_or(request_id);
            Answer::Response(Box::new(response(reply.status, body, Some(id))))
        })
    }

    /// Then answer with this HTTP response.
    pub fn http_response(self, make: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Self {
        self.push(move |_, _| Answer::Response(Box::new(make())))
    }

    /// Then answer with a `ThrottlingException` (HTTP 400), which the client retries.
    pub fn throttling(self) -> Self {
        self.push(|_, request_id| {
            let body = br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_vec();
            Answer::Response(Box::new(response(400, body, Some(request_id))))
        })
    }

    /// Then fail the attempt with a transport timeout, which the client retries.
    pub fn timeout(self) -> Self {
        self.push(|_, _| Answer::Timeout)
    }

    /// Then never answer: the client's attempt timeout ends the attempt (on the configured sleep, so a paused
    /// tokio clock makes it instant).
    pub fn no_response(self) -> Self {
        self.push(|_, _| Answer::Hang)
    }

    /// Give the last answer `n` times in all (`n` ≥ 1).
    pub fn times(mut self, n: usize) -> Self {
        assert!(n >= 1, "test_util: `times` needs at least 1");
        if let Some(last) = self.steps.last_mut() {
            last.times = Some(n);
        }
        self
    }

    /// Give the last answer to every call from then on: the rule is never exhausted.
    pub fn repeatedly(mut self) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = None;
        }
        self
    }

    /// The rule.
    pub fn build(self) -> Rule {
        assert!(!self.steps.is_empty(), "test_util: a rule of {} needs at least one answer", I::OPERATION);
        let matcher = self.matcher;
        Rule {
            inner: Arc::new(RuleInner {
                operation: I::OPERATION,
                decode: decode_erased::<I>,
                describe: describe_erased::<I>,
                matcher: Arc::new(move |input| input.downcast_ref::<I>().is_some_and(|i| matcher(i))),
                steps: self.steps,
                inputs: Mutex::new(Vec::new()),
                calls: AtomicUsize::new(0),
            }),
        }
    }
}

fn decode_erased<I: MockInput>(body: &[u8]) -> Result<AnyInput, String> {
    I::decode(body).map(|i| Arc::new(i) as AnyInput)
}

fn describe_erased<I: MockInput>(input: &dyn Any) -> String {
    match input.downcast_ref::<I>() {
        Some(input) => format!("{input:?}"),
        None => "<another operation's input>".to_owned(),
    }
}

/// A response with a JSON body and a request id.
fn response(status: u16, body: Vec<u8>, request_id: Option<&str>) -> HttpResponse {
    let status = status.try_into().unwrap_or_else(|e| unreachable!("status {status}: {e}"));
    let mut r = HttpResponse::new(status, SdkBody::from(body));
    r.headers_mut().insert("content-type", "application/x-amz-json-1.1");
    if let Some(id) = request_id {
        r.headers_mut().insert("x-amzn-requestid", id.to_owned());
    }
    r
}

// ---------------------------------------------------------------------------------------------------------------
// The transport

/// One call a test double answered (each attempt of a retried call is one): the operation and its typed input.
#[derive(Clone)]
pub struct Call {
    operation: &'static str,
    input: AnyInput,
    describe: fn(&dyn Any) -> String,
}

impl Call {
    /// The operation (`DescribePipelineExecution`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The input, when it is a `T` (the operation's input type).
    pub fn input<T: 'static>(&self) -> Option<&T> {
        self.input.downcast_ref()
    }
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, (self.describe)(&*self.input))
    }
}

/// Rules put behind aws-sdk-rust's [`HttpClient`] interface, so that a client built on them runs all of its own
/// code and only the transport is replaced; and the record of the calls they answered. Cloning shares the rules
/// and the record.
///
/// A call that no rule answers panics, naming the operation and the input (and, in [`RuleMode::Sequential`], the
/// rule that was expected).
#[derive(Clone)]
pub struct Mocks {
    inner: Arc<MocksInner>,
}

struct MocksInner {
    mode: RuleMode,
    rules: Vec<Rule>,
    calls: Mutex<Vec<Call>>,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocks").field("mode", &self.inner.mode).field("rules", &self.inner.rules).finish()
    }
}

impl Mocks {
    /// A transport answering from `rules`, tried in the order given.
    pub fn new<'a>(mode: RuleMode, rules: impl IntoIterator<Item = &'a Rule>) -> Self {
        let rules = rules.into_iter().cloned().collect();
        Mocks { inner: Arc::new(MocksInner { mode, rules, calls: Mutex::new(Vec::new()) }) }
    }

    /// The calls answered so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// A configuration on this transport that needs nothing from the environment: region `us-east-1`, fixed test
    /// credentials, and a time source on tokio's clock ([`TokioTime`]), so that under a paused clock a waiter's
    /// deadline passes as its sleeps do. Add a `sleep_impl`, `time_source`, `retry_config` or `timeout_config` as the
    /// test needs.
    pub fn config(&self) -> crate::config::Builder {
        crate::config::Builder::new()
            .region(Region::from_static("us-east-1"))
            .credentials_provider(Credentials::new("AKIDTESTUTIL", "test-util-secret", None, None, "test-util"))
            .time_source(TokioTime::new())
            .http_client(self.clone())
    }

    /// Answer one request.
    fn answer(&self, request: &HttpRequest) -> Answer {
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let operation = target.rsplit('.').next().unwrap_or(target);
        let body = request.body().bytes().unwrap_or_default();
        let rules = &self.inner.rules;
        let Some(first) = rules.iter().find(|r| r.inner.operation == operation) else {
            panic!(
                "test_util: no rule for {operation} (request body: {}); rules are for: {}",
                String::from_utf8_lossy(body),
                names(rules)
            );
        };
        let input = (first.inner.decode)(body)
            .unwrap_or_else(|e| panic!("test_util: cannot read the {operation} request body: {e}"));
        let describe = first.inner.describe;
        let mut calls = self.inner.calls.lock().unwrap_or_else(PoisonError::into_inner);
        let rule = match self.inner.mode {
            RuleMode::Sequential => {
                let next = rules.iter().find(|r| !r.is_exhausted());
                match next {
                    Some(r) if r.inner.operation == operation && r.matches(&*input) => r,
                    Some(r) => panic!(
                        "test_util: {operation} was called with {}, but the next rule is for {}{}",
                        describe(&*input),
                        r.inner.operation,
                        if r.inner.operation == operation { " with other inputs" } else { "" },
                    ),
                    None => panic!(
                        "test_util: {operation} was called with {}, but every rule is exhausted",
                        describe(&*input)
                    ),
                }
            }
            RuleMode::MatchAny => {
                let found =
                    rules.iter().find(|r| r.inner.operation == operation && !r.is_exhausted() && r.matches(&*input));
                match found {
                    Some(r) => r,
                    None => {
                        let of_op = rules.iter().filter(|r| r.inner.operation == operation).count();
                        let exhausted =
                            rules.iter().filter(|r| r.inner.operation == operation && r.is_exhausted()).count();
                        panic!(
                            "test_util: no rule matches {operation} with {} ({of_op} rule(s) for {operation}, \
                             {exhausted} exhausted)",
                            describe(&*input)
                        )
                    }
                }
            }
        };
        let n = rule.inner.calls.fetch_add(1, Ordering::SeqCst);
        rule.inner.inputs.lock().unwrap_or_else(PoisonError::into_inner).push(input.clone());
        calls.push(Call { operation: rule.inner.operation, input: input.clone(), describe });
        let request_id = format!("test-request-{}", calls.len());
        drop(calls);
        let respond = rule.answer_at(n).unwrap_or_else(|| unreachable!("the rule was not exhausted"));
        respond(&*input, &request_id)
    }
}

fn names(rules: &[Rule]) -> String {
    let mut names: Vec<&str> = rules.iter().map(|r| r.inner.operation).collect();
    names.dedup();
    if names.is_empty() {
        "nothing (no rules)".to_owned()
    } else {
        names.join(", ")
    }
}

impl HttpClient for Mocks {
    fn http_connector(&self, _: &HttpConnectorSettings, _: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Mocks {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        match self.answer(&request) {
            Answer::Response(r) => HttpConnectorFuture::ready(Ok(*r)),
            Answer::Timeout => HttpConnectorFuture::ready(Err(ConnectorError::timeout(
                "test_util: the rule answered with a timeout".into(),
            ))),
            Answer::Hang => HttpConnectorFuture::new(std::future::pending()),
        }
    }
}
