//! Client configuration, shaped as aws-sdk-rust's: [`Config`] and its [`Builder`], built from scratch, from the
//! environment ([`Config::from_env`], this crate's own), or from an aws-config [`SdkConfig`] (`Builder::from`),
//! with aws-sdk-rust's own types for the region, credentials, retry and timeout settings, the HTTP client, the
//! sleep and the time source.

use std::fmt;
use std::time::Duration;

pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;
pub use aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep};
pub use aws_smithy_async::time::{SharedTimeSource, TimeSource};
pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
pub use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
pub use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
pub use aws_smithy_types::config_bag::ConfigBag;
pub use aws_types::app_name::AppName;
pub use aws_types::endpoint_config::AccountIdEndpointMode;
pub use aws_types::region::Region;
pub use aws_types::SdkConfig;

use crate::credentials::{CachedProvider, DefaultChain};
use crate::http::{HttpClient, SharedHttpClient};
use crate::validation::{ConstraintKind, ValidationError};

/// Retry settings: aws-sdk-rust's types.
pub mod retry {
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryMode};
}

/// What interceptors ([`Intercept`], added with [`Builder::interceptor`]) are given at each step of a call:
/// aws-smithy-runtime-api's context types, at their aws-sdk-rust path.
///
/// The hooks this crate calls, in order:
///
/// 1. once per call: `read_before_execution`, `modify_before_serialization` and `read_before_serialization` with the
///    input (which they may change; it is validated after them), then `read_after_serialization` and
///    `modify_before_retry_loop` with the request, not yet signed;
/// 2. at each attempt, on a copy of that request: `read_before_attempt`, `modify_before_signing` and
///    `read_before_signing` (what they leave is what is signed, its `host` and `content-length` set from its URI and
///    body), `read_after_signing`, `modify_before_transmit` and `read_before_transmit` (what they leave is sent), and
///    once a response arrives `read_after_transmit`, `modify_before_deserialization` and
///    `read_before_deserialization` (what they leave is what the retry decision and the decoding read);
/// 3. once, however the call ended: `modify_before_completion` and `read_after_execution`, with the output or the
///    error (a service error as the operation's error; any other failure as an error with its text), which they
///    may replace.
///
/// Not called, as this crate decodes one response after its attempt loop: `read_after_deserialization`,
/// `modify_before_attempt_completion` and `read_after_attempt`.
///
/// Each call gives its interceptors a [`ConfigBag`] of its own, empty at the start, to keep what one hook leaves for a
/// later one, and the client's [`RuntimeComponents`]: its sleep and time source (the orchestrator's other components,
/// which this crate does not use, are placeholders that fail if called).
///
/// An error from a hook fails the call, as in aws-sdk-rust, with the hook's error (naming the interceptor and the
/// hook) as the cause: before serialization a `ConstructionFailure`, from serialization until the request is sent a
/// `DispatchFailure`, and once a response arrived a `ResponseError` with that response. Such a failure is not
/// retried. Every interceptor runs the hook even after one failed; the last failure is returned.
pub mod interceptors {
    pub use aws_smithy_runtime_api::client::interceptors::context::{
        AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
        BeforeDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextMut,
        BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
        BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut, FinalizerInterceptorContextRef,
        InterceptorContext,
    };
}

/// The HTTP request and response as interceptors and `mutate_request` see them: aws-smithy-runtime-api's.
pub mod http {
    pub use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
}

/// Timeout settings: aws-sdk-rust's types.
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

use retry::RetryConfig;
use timeout::TimeoutConfig;

/// The smallest body compressed unless configured otherwise (as in the AWS SDKs: 10 KiB).
const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;

/// The largest minimum the AWS SDKs accept (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// The connect timeout when none is configured (aws-sdk-rust's default).
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3_100);

/// The limit on one attempt when no timeouts are configured at all (this crate's default; aws-sdk-rust has none).
const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything a client needs.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) credentials: SharedCredentialsProvider,
    /// The provider configured, before this crate's cache (`None`: the default chain).
    credentials_source: Option<SharedCredentialsProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// `None`: not configured (the endpoint rules get `preferred`).
    pub(crate) account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    pub(crate) client_context: ClientContext,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) behavior_version: BehaviorVersion,
    pub(crate) app_name: Option<AppName>,
    pub(crate) validate_inputs: bool,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size_bytes: u32,
    /// Kinds of constraint not checked (a set of [`ConstraintKind`] bits).
    pub(crate) skipped_constraints: u8,
    pub(crate) max_response_size: usize,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) sleep_impl: Option<SharedAsyncSleep>,
    pub(crate) time_source: SharedTimeSource,
    /// Where the service-specific endpoint comes from, while `endpoint_url` was not set by hand: the environment
    /// (`AWS_ENDPOINT_URL_<SDK_ID>`), or an aws-config `SdkConfig`'s service configuration.
    pub(crate) service_endpoint: ServiceEndpoint,
    /// Interceptors, run in this order at each step of every call (see [`Builder::interceptor`]).
    pub(crate) interceptors: Vec<SharedInterceptor>,
}

/// The values set for the service's client context parameters (`smithy.rules#clientContextParams`): inputs of the
/// endpoint rules that the service lets a client configure. The generated crate adds a setter for each to
/// [`Builder`] (next to the endpoint resolver, which reads them), so a service without such parameters has none.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ClientContext {
    /// By parameter name, each at most once, in the order first set.
    values: Vec<(&'static str, ContextValue)>,
}

/// The value of a client context parameter: the rules know string and boolean ones.
#[derive(Clone, Debug, PartialEq)]
#[allow(dead_code)] // Made by the setters generated for a service that has such parameters.
pub(crate) enum ContextValue {
    /// A boolean parameter's value.
    Bool(bool),
    /// A string parameter's value.
    Str(String),
}

#[allow(dead_code)] // Called by the code generated for a service that has client context parameters.
impl ClientContext {
    /// Set parameter `name` to `value`, or clear it (`None`).
    pub(crate) fn set(&mut self, name: &'static str, value: Option<ContextValue>) {
        match (self.values.iter_mut().find(|(n, _)| *n == name), value) {
            (Some(slot), Some(v)) => slot.1 = v,
            (None, Some(v)) => self.values.push((name, v)),
            (_, None) => self.values.retain(|(n, _)| *n != name),
        }
    }

    /// Parameter `name`'s value, when it is set to a boolean.
    pub(crate) fn get_bool(&self, name: &str) -> Option<bool> {
        self.values.iter().find_map(|(n, v)| match v {
            ContextValue::Bool(b) if *n == name => Some(*b),
            _ => None,
        })
    }

    /// Parameter `name`'s value, when it is set to a string.
    pub(crate) fn get_str(&self, name: &str) -> Option<&str> {
        self.values.iter().find_map(|(n, v)| match v {
            ContextValue::Str(s) if *n == name => Some(s.as_str()),
            _ => None,
        })
    }

    /// The values set on `over` in place of these; the others stay.
    fn merge(&mut self, over: &ClientContext) {
        for (name, v) in &over.values {
            self.set(name, Some(v.clone()));
        }
    }
}

/// Where a configuration may still find a service-specific endpoint URL.
#[derive(Clone, Debug, Default)]
pub(crate) enum ServiceEndpoint {
    /// Nowhere.
    #[default]
    None,
    /// `AWS_ENDPOINT_URL_<SDK_ID>`.
    Environment,
    /// The service configuration of an aws-config `SdkConfig` (its environment and profile `services` section).
    SdkConfig(Box<SdkConfig>),
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("client_context", &self.client_context)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("app_name", &self.app_name)
            .field("validate_inputs", &self.validate_inputs)
            .field("disable_request_compression", &self.disable_request_compression)
            .field("request_min_compression_size_bytes", &self.request_min_compression_size_bytes)
            .field("skipped_constraints", &Skipped(self.skipped_constraints))
            .field("max_response_size", &self.max_response_size)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

impl Config {
    /// A builder with nothing set: credentials default to the cached [`DefaultChain`].
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The configuration aws-config loaded, as aws-sdk-rust's `Config::new(&SdkConfig)`.
    pub fn new(sdk_config: &SdkConfig) -> Self {
        Builder::from(sdk_config).build()
    }

    /// A builder filled from the environment and the shared config file, for programs without aws-config (this
    /// crate's addition): region (`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`), endpoint
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`), `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`,
    /// `AWS_ACCOUNT_ID_ENDPOINT_MODE` (or the profile's `account_id_endpoint_mode`; a value other than `preferred`,
    /// `disabled` or `required` is ignored with a warning), `AWS_MAX_ATTEMPTS`, and credentials from the cached [`DefaultChain`] (environment, shared files, container,
    /// instance metadata).
    pub fn from_env() -> Builder {
        let profile =
            crate::credentials::load_profiles().remove(&crate::credentials::profile_name()).unwrap_or_default();
        let flag = |k: &str| env_var(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut b = Builder {
            region: env_var("AWS_REGION")
                .or_else(|| env_var("AWS_DEFAULT_REGION"))
                .or_else(|| profile.get("region").cloned())
                .map(Region::new),
            endpoint_url: env_var("AWS_ENDPOINT_URL"),
            service_endpoint: ServiceEndpoint::Environment,
            use_fips: Some(flag("AWS_USE_FIPS_ENDPOINT")),
            use_dual_stack: Some(flag("AWS_USE_DUALSTACK_ENDPOINT")),
            ..Builder::default()
        };
        let mode = env_var("AWS_ACCOUNT_ID_ENDPOINT_MODE").map(|v| ("AWS_ACCOUNT_ID_ENDPOINT_MODE", v)).or_else(|| {
            profile.get("account_id_endpoint_mode").map(|v| ("the profile's account_id_endpoint_mode", v.clone()))
        });
        if let Some((source, value)) = mode {
            match value.parse::<AccountIdEndpointMode>() {
                Ok(mode) => b.account_id_endpoint_mode = Some(mode),
                Err(e) => tracing::warn!(%source, error = %e, "ignored"),
            }
        }
        b.disable_request_compression = Some(flag("AWS_DISABLE_REQUEST_COMPRESSION"));
        if let Some(n) = env_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES").and_then(|v| v.parse().ok()) {
            b = b.request_min_compression_size_bytes(n);
        }
        if let Some(n) = env_var("AWS_MAX_ATTEMPTS").and_then(|v| v.parse::<u32>().ok()) {
            b.retry = Some(RetryConfig::standard().with_max_attempts(n.max(1)));
        }
        b
    }

    /// A builder holding this configuration, to change part of it.
    pub fn to_builder(&self) -> Builder {
        Builder {
            region: self.region.clone(),
            credentials: self.credentials_source.clone(),
            endpoint_url: self.endpoint_url.clone(),
            use_fips: Some(self.use_fips),
            use_dual_stack: Some(self.use_dual_stack),
            account_id_endpoint_mode: self.account_id_endpoint_mode.clone(),
            client_context: self.client_context.clone(),
            retry: Some(self.retry.clone()),
            timeouts: Some(self.timeouts.clone()),
            behavior_version: Some(self.behavior_version),
            app_name: self.app_name.clone(),
            validate_inputs: Some(self.validate_inputs),
            disable_request_compression: Some(self.disable_request_compression),
            request_min_compression_size_bytes: Some(self.request_min_compression_size_bytes),
            skipped_constraints: self.skipped_constraints,
            max_response_size: Some(self.max_response_size),
            http_client: self.http_client.clone(),
            sleep_impl: self.sleep_impl.clone(),
            time_source: Some(self.time_source.clone()),
            service_endpoint: self.service_endpoint.clone(),
            interceptors: self.interceptors.clone(),
        }
    }

    /// The region requests go to.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The credentials provider configured (`None`: the default chain).
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials_source.clone()
    }

    /// The endpoint URL that overrides the resolved one.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The retry settings (what they do: [`Builder::retry_config`]).
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        Some(&self.retry)
    }

    /// The timeout settings.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        Some(&self.timeouts)
    }

    /// The HTTP client, when one was configured.
    pub fn http_client(&self) -> Option<SharedHttpClient> {
        self.http_client.clone()
    }

    /// The sleep implementation, when one was configured.
    pub fn sleep_impl(&self) -> Option<SharedAsyncSleep> {
        self.sleep_impl.clone()
    }

    /// The time source (for signing and credential expiry).
    pub fn time_source(&self) -> Option<SharedTimeSource> {
        Some(self.time_source.clone())
    }

    /// The behavior version.
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        Some(self.behavior_version)
    }

    /// The application name added to the `User-Agent`.
    pub fn app_name(&self) -> Option<&AppName> {
        self.app_name.as_ref()
    }

    /// The smallest body compressed where an operation accepts gzip; `None` when compression is disabled.
    pub fn request_min_compression_size(&self) -> Option<usize> {
        (!self.disable_request_compression).then_some(self.request_min_compression_size_bytes as usize)
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> Option<bool> {
        Some(self.use_fips)
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> Option<bool> {
        Some(self.use_dual_stack)
    }

    /// How endpoints use the credentials' account id, when it was configured (see
    /// [`Builder::account_id_endpoint_mode`]).
    pub fn account_id_endpoint_mode(&self) -> Option<&AccountIdEndpointMode> {
        self.account_id_endpoint_mode.as_ref()
    }

    /// The largest response body read, in bytes (see [`Builder::max_response_size`]; this crate's addition).
    pub fn max_response_size(&self) -> usize {
        self.max_response_size
    }

    /// The interceptors, in the order their hooks run (see [`Builder::interceptor`]).
    pub fn interceptors(&self) -> impl Iterator<Item = SharedInterceptor> + '_ {
        self.interceptors.iter().cloned()
    }

    /// This configuration with the settings made on `o` in their place, for one request: region, credentials,
    /// endpoint URL, FIPS and dual-stack, account id endpoint mode, the service's client context parameters, retry and timeout settings, application name, HTTP client, sleep, time
    /// source, request compression, response size limit and input validation; its interceptors run after these.
    /// What was not set on `o` stays as it is; the behavior version and the service-specific endpoint of an
    /// `SdkConfig` are the client's.
    pub(crate) fn overridden(&self, o: &Builder) -> Config {
        let mut c = self.clone();
        if let Some(region) = &o.region {
            c.region = Some(region.clone());
        }
        if let Some(provider) = &o.credentials {
            c.credentials = SharedCredentialsProvider::new(CachedProvider::from_shared(provider.clone()));
            c.credentials_source = Some(provider.clone());
        }
        if let Some(url) = &o.endpoint_url {
            c.endpoint_url = Some(url.clone());
        }
        c.use_fips = o.use_fips.unwrap_or(c.use_fips);
        c.use_dual_stack = o.use_dual_stack.unwrap_or(c.use_dual_stack);
        if let Some(mode) = &o.account_id_endpoint_mode {
            c.account_id_endpoint_mode = Some(mode.clone());
        }
        c.client_context.merge(&o.client_context);
        if let Some(retry) = &o.retry {
            c.retry = retry.clone();
        }
        if let Some(timeouts) = &o.timeouts {
            c.timeouts = timeouts.clone();
        }
        if let Some(app_name) = &o.app_name {
            c.app_name = Some(app_name.clone());
        }
        c.validate_inputs = o.validate_inputs.unwrap_or(c.validate_inputs);
        c.disable_request_compression = o.disable_request_compression.unwrap_or(c.disable_request_compression);
        c.request_min_compression_size_bytes =
            o.request_min_compression_size_bytes.unwrap_or(c.request_min_compression_size_bytes);
        c.skipped_constraints |= o.skipped_constraints;
        c.max_response_size = o.max_response_size.unwrap_or(c.max_response_size);
        if let Some(client) = &o.http_client {
            c.http_client = Some(client.clone());
        }
        if let Some(sleep) = &o.sleep_impl {
            c.sleep_impl = Some(sleep.clone());
        }
        if let Some(time) = &o.time_source {
            c.time_source = time.clone();
        }
        c.interceptors.extend(o.interceptors.iter().cloned());
        c
    }

    /// Whether an override changes what the client's transport was built for (HTTP client, connect and read
    /// timeouts, sleep, time source, response size limit), so that the request needs a transport of its own.
    pub(crate) fn transport_overridden(o: &Builder) -> bool {
        o.http_client.is_some()
            || o.timeouts.is_some()
            || o.sleep_impl.is_some()
            || o.time_source.is_some()
            || o.max_response_size.is_some()
    }

    /// This configuration as a client of the service with this SDK id uses it: when its endpoint was not set by
    /// hand, the service-specific one applies, from `AWS_ENDPOINT_URL_<SDK_ID>` (upper case, spaces as `_`) for a
    /// configuration read from the environment, or from an aws-config `SdkConfig`'s service configuration.
    pub(crate) fn for_service(mut self, sdk_id: &str) -> Self {
        match std::mem::take(&mut self.service_endpoint) {
            ServiceEndpoint::None => {}
            ServiceEndpoint::Environment => {
                let name = format!("AWS_ENDPOINT_URL_{}", sdk_id.to_ascii_uppercase().replace(' ', "_"));
                if let Some(url) = env_var(&name) {
                    self.endpoint_url = Some(url);
                }
            }
            ServiceEndpoint::SdkConfig(sdk_config) => {
                let key = aws_types::service_config::ServiceConfigKey::builder()
                    .service_id(sdk_id)
                    .env("AWS_ENDPOINT_URL")
                    .profile("endpoint_url")
                    .build();
                if let (Some(source), Ok(key)) = (sdk_config.service_config(), key) {
                    if let Some(url) = source.load_config(key) {
                        self.endpoint_url = Some(url);
                    }
                }
            }
        }
        self
    }
}

/// An environment variable that is set and not empty.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Builds a [`Config`], as aws-sdk-rust's `config::Builder`. Each setting is either set or left to its default, so
/// that a builder can also be one request's override of a client's configuration (`customize().config_override(..)`,
/// see [`ConfigOverride`]): there, only the settings made on it change.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    client_context: ClientContext,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    behavior_version: Option<BehaviorVersion>,
    app_name: Option<AppName>,
    validate_inputs: Option<bool>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    skipped_constraints: u8,
    max_response_size: Option<usize>,
    http_client: Option<SharedHttpClient>,
    sleep_impl: Option<SharedAsyncSleep>,
    time_source: Option<SharedTimeSource>,
    service_endpoint: ServiceEndpoint,
    interceptors: Vec<SharedInterceptor>,
}

impl From<&SdkConfig> for Builder {
    /// Everything aws-config loaded: region, credentials, endpoint URL (and the service-specific one), FIPS and
    /// dual-stack, account id endpoint mode, retry and timeout settings, HTTP client, sleep, time source, app name, behavior version and the
    /// request compression settings.
    fn from(c: &SdkConfig) -> Self {
        let mut b = Builder {
            region: c.region().cloned(),
            credentials: c.credentials_provider(),
            endpoint_url: c.endpoint_url().map(str::to_owned),
            use_fips: Some(c.use_fips().unwrap_or(false)),
            use_dual_stack: Some(c.use_dual_stack().unwrap_or(false)),
            account_id_endpoint_mode: c.account_id_endpoint_mode().cloned(),
            retry: c.retry_config().cloned(),
            timeouts: c.timeout_config().cloned(),
            behavior_version: c.behavior_version(),
            app_name: c.app_name().cloned(),
            http_client: c.http_client(),
            sleep_impl: c.sleep_impl(),
            time_source: c.time_source(),
            service_endpoint: ServiceEndpoint::SdkConfig(Box::new(c.clone())),
            ..Builder::default()
        };
        // As in aws-sdk-rust: an endpoint URL set in code on the `SdkConfig` wins; one aws-config read from the
        // environment or a profile (`AWS_ENDPOINT_URL`, `endpoint_url`) gives way to the service-specific one.
        if c.get_origin("endpoint_url").is_client_config() {
            b.service_endpoint = ServiceEndpoint::None;
        }
        b.disable_request_compression = Some(c.disable_request_compression().unwrap_or(false));
        if let Some(n) = c.request_min_compression_size_bytes() {
            b = b.request_min_compression_size_bytes(n);
        }
        b
    }
}

impl Builder {
    /// A builder with nothing set.
    pub fn new() -> Self {
        Builder::default()
    }

    /// The region, e.g. `Region::new("us-east-1")`.
    pub fn region(mut self, region: impl Into<Option<Region>>) -> Self {
        self.region = region.into();
        self
    }

    /// Set or clear the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.region = region;
        self
    }

    /// A credentials provider: aws-config's, [`Credentials`] themselves, or any [`ProvideCredentials`]. Its
    /// credentials are cached until shortly before they expire.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Set or clear the credentials provider.
    pub fn set_credentials_provider(&mut self, provider: Option<SharedCredentialsProvider>) -> &mut Self {
        self.credentials = provider;
        self
    }

    /// Send to this URL instead of the endpoint the rules resolve (for local servers and proxies).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.set_endpoint_url(Some(url.into()));
        self
    }

    /// Set or clear the endpoint URL.
    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.endpoint_url = url;
        self.service_endpoint = ServiceEndpoint::None;
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = Some(on);
        self
    }

    /// Use dual-stack endpoints.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = Some(on);
        self
    }

    /// How endpoints use the account id of the credentials, for services whose endpoint rules read it
    /// (`AWS::Auth::AccountId`, e.g. DynamoDB's account-based endpoints): `Preferred` (the default: an account
    /// endpoint when the credentials name their account), `Disabled` (never) or `Required` (a call whose credentials
    /// name no account fails). As aws-sdk-rust's; the endpoint rules decide what each mode means.
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.account_id_endpoint_mode = Some(mode);
        self
    }

    /// Set or clear the account id endpoint mode (see [`account_id_endpoint_mode`](Self::account_id_endpoint_mode)).
    pub fn set_account_id_endpoint_mode(&mut self, mode: Option<AccountIdEndpointMode>) -> &mut Self {
        self.account_id_endpoint_mode = mode;
        self
    }

    /// Set or clear a client context parameter of the service; the generated crate's setter for each parameter
    /// calls this with the parameter's name.
    #[allow(dead_code)] // Called by the setters generated for a service that has client context parameters.
    pub(crate) fn set_client_context(&mut self, name: &'static str, value: Option<ContextValue>) -> &mut Self {
        self.client_context.set(name, value);
        self
    }

    /// Retry behaviour, as the AWS SDKs' retry modes (default: `RetryConfig::standard()`).
    ///
    /// - Standard mode: up to `max_attempts` attempts (default 3) for throttling errors, HTTP 429, 500, 502, 503 and
    ///   504, transient error codes, timeouts and connection failures; before retry `n`, a random wait of up to
    ///   `initial_backoff * 2^(n-1)`, capped at `max_backoff` (default 1 s and 20 s). A client has a retry quota of
    ///   500 tokens, shared by its clones: a retry takes 5 (10 after a timeout), a successful call gives back what
    ///   its last retry took (1 when it needed none), and a retry the quota cannot pay for is not made, the call
    ///   returning its last error. A failing service thus gets about 100 retries from a client, not two per call.
    /// - Adaptive mode (`RetryConfig::adaptive()`): the same, and after the first throttling response each attempt
    ///   waits (on the [`sleep_impl`](Self::sleep_impl), timed by the [`time_source`](Self::time_source)) for a
    ///   token of a client-side rate limiter, whose rate drops at each throttling response and grows back while
    ///   responses are not throttled (the CUBIC algorithm of the AWS SDKs). Shared by the client's clones.
    ///
    /// A retryable error response's `x-amz-retry-after` hint (milliseconds) sets the wait before the retry, kept
    /// between the computed one and 5 s more. A connection that fails after the request went out is retried as an
    /// I/O failure, for every operation, as the AWS SDKs do. Under `ReconnectMode::ReconnectOnTransientError` (the
    /// default) the connection of an attempt that failed transiently (not throttled) is not used again, with the
    /// default transport and with aws-config's HTTP clients; `ReconnectMode::ReuseAllConnections` keeps them all.
    ///
    /// `RetryConfig::disabled()` makes one attempt.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Set or clear the retry settings (see [`retry_config`](Self::retry_config)).
    pub fn set_retry_config(&mut self, retry: Option<RetryConfig>) -> &mut Self {
        self.retry = retry;
        self
    }

    /// Timeouts (default: 3.1 s to connect and, this crate's addition, 60 s per attempt when no timeout is set at
    /// all). The operation and attempt timeouts are this crate's own; the connect and read timeouts are handed to
    /// the HTTP client in its [`HttpConnectorSettings`](crate::http::HttpConnectorSettings), as aws-sdk-rust does,
    /// so a custom [`http_client`](Self::http_client) applies them only if it honours its settings (aws-config's
    /// and [`HyperClient`](crate::http::HyperClient) do).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Set or clear the timeout settings.
    pub fn set_timeout_config(&mut self, timeouts: Option<TimeoutConfig>) -> &mut Self {
        self.timeouts = timeouts;
        self
    }

    /// The behavior version (accepted for aws-sdk-rust compatibility; this crate behaves as the latest).
    pub fn behavior_version(mut self, version: BehaviorVersion) -> Self {
        self.behavior_version = Some(version);
        self
    }

    /// The latest behavior version.
    pub fn behavior_version_latest(self) -> Self {
        self.behavior_version(BehaviorVersion::latest())
    }

    /// An application name, added to the `User-Agent`.
    pub fn app_name(mut self, app_name: AppName) -> Self {
        self.app_name = Some(app_name);
        self
    }

    /// The HTTP client requests go through (default: aws-config's when built from an `SdkConfig`, else
    /// [`HyperClient`](crate::http::HyperClient) with the `rustls` feature). It is asked for a connector with the
    /// connect and read timeouts of the [`timeout_config`](Self::timeout_config); the response size limit
    /// ([`max_response_size`](Self::max_response_size)) applies whatever the client.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Set or clear the HTTP client.
    pub fn set_http_client(&mut self, client: Option<SharedHttpClient>) -> &mut Self {
        self.http_client = client;
        self
    }

    /// What waits between retries and enforces timeouts (default: tokio's sleep).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep_impl = Some(SharedAsyncSleep::new(sleep));
        self
    }

    /// The clock requests are signed with (default: the system clock).
    pub fn time_source(mut self, time: impl TimeSource + 'static) -> Self {
        self.time_source = Some(SharedTimeSource::new(time));
        self
    }

    /// Whether inputs are validated against the model's constraints before sending (default `true`; this crate's
    /// addition). Turn it off only to let the service be the judge, for example when the model is older than the
    /// service; to skip one check of one request instead, see [`ConfigOverride`].
    pub fn validate_inputs(mut self, on: bool) -> Self {
        self.validate_inputs = Some(on);
        self
    }

    /// Whether request bodies stay uncompressed even where the operation accepts gzip (default `false`; the
    /// environment's `AWS_DISABLE_REQUEST_COMPRESSION`).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The smallest body, in bytes, that operations accepting gzip compress (default 10,240; at most 10,485,760;
    /// the environment's `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE));
        self
    }

    /// Skip one kind of check for every request of the client (the others still run), for example
    /// [`ConstraintKind::Pattern`] when the service has widened an identifier format the crate's model predates.
    pub fn skip_constraint(mut self, kind: ConstraintKind) -> Self {
        self.skipped_constraints |= kind.bit();
        self
    }

    /// The largest response body read, in bytes (default [64 MiB](crate::http::DEFAULT_MAX_RESPONSE_SIZE); this
    /// crate's addition, aws-sdk-rust has no such limit). Bodies are read whole, into memory, before they are
    /// decoded, so this bounds what one response can cost: a response that declares a longer body fails before any
    /// of it is read, and one without a declared length fails as soon as it passes the limit. Either way the call
    /// fails with a [`DispatchFailure`](crate::error::SdkError::DispatchFailure) (the response was not received
    /// whole; it is not retried) whose cause is a [`ResponseTooLarge`](crate::http::ResponseTooLarge) naming the
    /// limit. The limit applies whatever the HTTP client.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Add an interceptor (aws-smithy-runtime-api's [`Intercept`], so one written for aws-sdk-rust works unchanged):
    /// its hooks run at each step of every call, after those of the interceptors added before it. On one request's
    /// override (`customize().config_override(..)`), it runs for that request after the client's own. The hooks this
    /// crate calls, and when, are listed in [`interceptors`].
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.push_interceptor(SharedInterceptor::new(interceptor));
        self
    }

    /// Add an interceptor that is already shared (see [`interceptor`](Self::interceptor)).
    pub fn push_interceptor(&mut self, interceptor: SharedInterceptor) -> &mut Self {
        self.interceptors.push(interceptor);
        self
    }

    /// Replace the interceptors (see [`interceptor`](Self::interceptor)).
    pub fn set_interceptors(&mut self, interceptors: impl IntoIterator<Item = SharedInterceptor>) -> &mut Self {
        self.interceptors = interceptors.into_iter().collect();
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        let time_source = self.time_source.unwrap_or_default();
        let credentials = match &self.credentials {
            Some(provider) => SharedCredentialsProvider::new(CachedProvider::from_shared(provider.clone())),
            None => SharedCredentialsProvider::new(DefaultChain::cached()),
        };
        let timeouts = self.timeouts.unwrap_or_else(|| {
            TimeoutConfig::builder()
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                .operation_attempt_timeout(DEFAULT_ATTEMPT_TIMEOUT)
                .build()
        });
        Config {
            region: self.region,
            credentials,
            credentials_source: self.credentials,
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            account_id_endpoint_mode: self.account_id_endpoint_mode,
            client_context: self.client_context,
            retry: self.retry.unwrap_or_else(RetryConfig::standard),
            timeouts,
            behavior_version: self.behavior_version.unwrap_or_else(BehaviorVersion::latest),
            app_name: self.app_name,
            validate_inputs: self.validate_inputs.unwrap_or(true),
            disable_request_compression: self.disable_request_compression.unwrap_or(false),
            request_min_compression_size_bytes: self
                .request_min_compression_size_bytes
                .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE),
            skipped_constraints: self.skipped_constraints,
            max_response_size: self.max_response_size.unwrap_or(crate::http::DEFAULT_MAX_RESPONSE_SIZE),
            http_client: self.http_client,
            sleep_impl: self.sleep_impl,
            time_source,
            service_endpoint: self.service_endpoint,
            interceptors: self.interceptors,
        }
    }
}

/// Settings for one request, over the client's configuration: the request builders' `config_override`.
///
/// It is made from a [`Builder`], as in aws-sdk-rust (`customize().config_override(Config::builder().retry_config(..))`):
/// each setting made on the builder replaces the client's for this request (see [`Builder`] for the list), the rest
/// stay the client's, and the builder's interceptors run after the client's. This crate adds its own settings for
/// input validation.
///
/// Checking inputs on the client has one known risk: a model older than the service refuses values the service has
/// since started to accept (identifiers that grew longer, a new account format). This lets one request skip the
/// checks that are in the way, by kind, or all of them, while the client keeps validating everything else:
///
/// ```ignore
/// client
///     .start_pipeline_execution()
///     .pipeline_name(name)
///     .config_override(ConfigOverride::new().skip_constraint(ConstraintKind::Pattern))
///     .send()
///     .await?;
/// ```
#[derive(Clone, Debug, Default)]
pub struct ConfigOverride {
    validate_inputs: Option<bool>,
    skipped_constraints: u8,
    /// The settings of a [`Builder`] given as the override, with the interceptors added to it.
    pub(crate) config: Option<Box<Builder>>,
}

impl ConfigOverride {
    /// An override that changes nothing.
    pub fn new() -> Self {
        ConfigOverride::default()
    }

    /// Whether this request's input is validated before it is sent (`false`: no check at all).
    pub fn validate_inputs(mut self, on: bool) -> Self {
        self.validate_inputs = Some(on);
        self
    }

    /// Skip one kind of check for this request (on top of those the client skips); the others still run.
    pub fn skip_constraint(mut self, kind: ConstraintKind) -> Self {
        self.skipped_constraints |= kind.bit();
        self
    }

    /// Add an interceptor for this request, after the client's (see [`Builder::interceptor`]).
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.push_interceptor(SharedInterceptor::new(interceptor));
        self
    }

    /// Add an interceptor that is already shared, for this request.
    pub fn push_interceptor(&mut self, interceptor: SharedInterceptor) -> &mut Self {
        self.config.get_or_insert_with(Default::default).push_interceptor(interceptor);
        self
    }

    /// The settings of a [`Builder`] this override makes, if any (the validation settings aside).
    pub(crate) fn settings(&self) -> Option<&Builder> {
        self.config.as_deref()
    }
}

impl PartialEq for ConfigOverride {
    /// Overrides of validation alone compare by what they skip; one that carries a [`Builder`]'s settings (or
    /// interceptors) equals no override, itself included, as providers and interceptors have no equality.
    fn eq(&self, other: &Self) -> bool {
        self.config.is_none()
            && other.config.is_none()
            && self.validate_inputs == other.validate_inputs
            && self.skipped_constraints == other.skipped_constraints
    }
}

impl From<Builder> for ConfigOverride {
    /// Each setting made on the builder, for one request; its `validate_inputs` and `skip_constraint` become the
    /// override's.
    fn from(mut config: Builder) -> Self {
        let validate_inputs = config.validate_inputs.take();
        let skipped_constraints = std::mem::take(&mut config.skipped_constraints);
        ConfigOverride { validate_inputs, skipped_constraints, config: Some(Box::new(config)) }
    }
}

impl Config {
    /// Validate an input as this configuration and the request's override say: not at all, fully, or with the
    /// violations of skipped kinds dropped (the checks run as usual; only the error path does more work).
    pub(crate) fn check_input(
        &self,
        config_override: Option<&ConfigOverride>,
        validate: impl FnOnce() -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        let on = config_override.and_then(|o| o.validate_inputs).unwrap_or(self.validate_inputs);
        if !on {
            return Ok(());
        }
        let skipped = self.skipped_constraints | config_override.map_or(0, |o| o.skipped_constraints);
        match validate() {
            Ok(()) => Ok(()),
            Err(e) if skipped == 0 => Err(e),
            Err(e) => e.without(skipped).map_or(Ok(()), Err),
        }
    }
}

/// The skipped kinds, by name, for `Debug`.
struct Skipped(u8);

impl fmt::Debug for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ConstraintKind::*;
        let kinds = [Required, Length, Range, Pattern, UniqueItems, Definition];
        f.debug_set().entries(kinds.iter().filter(|k| k.bit() & self.0 != 0)).finish()
    }
}
