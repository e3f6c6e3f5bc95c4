//! Client configuration: region, credentials, endpoint, retries, timeouts, validation and the transport.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{Credentials, DefaultChain, ProvideCredentials, SharedCredentialsProvider};
use crate::http::HttpClient;
use crate::validation::{ConstraintKind, ValidationError};

/// How failed attempts are retried: the standard AWS behaviour. Throttling errors, HTTP 5xx, timeouts and transient
/// connection failures are retried, with exponential backoff and full jitter; other client errors are not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// The standard settings: 3 attempts, backoff from 1 s up to 20 s.
    pub fn standard() -> Self {
        RetryConfig::default()
    }

    /// No retries: one attempt.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..RetryConfig::default() }
    }

    /// Total attempts, the first one included (at least 1).
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The backoff ceiling of the first retry; it doubles with each retry.
    pub fn with_initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest backoff.
    pub fn with_max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Total attempts.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before retry number `retry` (1-based): a uniformly random part of the capped exponential ceiling.
    pub(crate) fn backoff(&self, retry: u32, random: f64) -> Duration {
        let ceiling =
            self.initial_backoff.saturating_mul(1u32 << retry.saturating_sub(1).min(20)).min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// Timeouts for connecting and for each attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig { connect: Some(Duration::from_secs(3)), attempt: Some(Duration::from_secs(60)) }
    }
}

impl TimeoutConfig {
    /// How long to wait for a connection (default 3 s).
    pub fn with_connect_timeout(mut self, d: Option<Duration>) -> Self {
        self.connect = d;
        self
    }

    /// How long one attempt may take, response included (default 60 s).
    pub fn with_attempt_timeout(mut self, d: Option<Duration>) -> Self {
        self.attempt = d;
        self
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }
}

/// The smallest body compressed unless configured otherwise (as in the AWS SDKs: 10 KiB).
const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;

/// The largest minimum the AWS SDKs accept (10 MiB).
const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// Everything a client needs.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) validate_inputs: bool,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size_bytes: u32,
    /// Kinds of constraint not checked (a set of [`ConstraintKind`] bits).
    pub(crate) skipped_constraints: u8,
    pub(crate) http_client: Option<Arc<dyn HttpClient>>,
    /// Whether the service-specific `AWS_ENDPOINT_URL_<SERVICE>` may still override `endpoint_url` (a configuration
    /// from the environment whose endpoint was not set by hand).
    pub(crate) service_endpoint_from_env: bool,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("validate_inputs", &self.validate_inputs)
            .field("disable_request_compression", &self.disable_request_compression)
            .field("request_min_compression_size_bytes", &self.request_min_compression_size_bytes)
            .field("skipped_constraints", &Skipped(self.skipped_constraints))
            .finish()
    }
}

impl Config {
    /// A builder with nothing set: credentials default to the cached [`DefaultChain`].
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder filled from the environment and the shared config file: region (`AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's `region`), endpoint (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`),
    /// `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`, `AWS_MAX_ATTEMPTS`, and credentials from the cached
    /// [`DefaultChain`] (environment, shared files, container, instance metadata).
    pub fn from_env() -> ConfigBuilder {
        let profile =
            crate::credentials::load_profiles().remove(&crate::credentials::profile_name()).unwrap_or_default();
        let flag = |k: &str| env_var(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let mut b = ConfigBuilder {
            region: env_var("AWS_REGION")
                .or_else(|| env_var("AWS_DEFAULT_REGION"))
                .or_else(|| profile.get("region").cloned()),
            endpoint_url: env_var("AWS_ENDPOINT_URL"),
            service_endpoint_from_env: true,
            use_fips: flag("AWS_USE_FIPS_ENDPOINT"),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT"),
            ..ConfigBuilder::default()
        };
        b.disable_request_compression = flag("AWS_DISABLE_REQUEST_COMPRESSION");
        if let Some(n) = env_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES").and_then(|v| v.parse().ok()) {
            b = b.request_min_compression_size_bytes(n);
        }
        if let Some(n) = env_var("AWS_MAX_ATTEMPTS").and_then(|v| v.parse().ok()) {
            b.retry = b.retry.with_max_attempts(n);
        }
        b
    }

    /// A builder holding this configuration, to change part of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: self.region.clone(),
            credentials: Some(self.credentials.clone()),
            endpoint_url: self.endpoint_url.clone(),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry: self.retry.clone(),
            timeouts: self.timeouts.clone(),
            validate_inputs: self.validate_inputs,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: self.request_min_compression_size_bytes,
            skipped_constraints: self.skipped_constraints,
            http_client: self.http_client.clone(),
            service_endpoint_from_env: self.service_endpoint_from_env,
        }
    }

    /// The region requests go to.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL that overrides the resolved one.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The smallest body compressed where an operation accepts gzip; `None` when compression is disabled.
    pub fn request_min_compression_size(&self) -> Option<usize> {
        (!self.disable_request_compression).then_some(self.request_min_compression_size_bytes as usize)
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// This configuration as a client of the service with this SDK id uses it: a configuration read from the
    /// environment takes its endpoint from `AWS_ENDPOINT_URL_<SDK_ID>` (upper case, spaces as `_`) when that is set,
    /// before `AWS_ENDPOINT_URL`.
    pub(crate) fn for_service(mut self, sdk_id: &str) -> Self {
        if self.service_endpoint_from_env {
            let name = format!("AWS_ENDPOINT_URL_{}", sdk_id.to_ascii_uppercase().replace(' ', "_"));
            if let Some(url) = env_var(&name) {
                self.endpoint_url = Some(url);
            }
            self.service_endpoint_from_env = false;
        }
        self
    }
}

/// An environment variable that is set and not empty.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Builds a [`Config`].
#[derive(Clone)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    validate_inputs: bool,
    disable_request_compression: bool,
    request_min_compression_size_bytes: u32,
    skipped_constraints: u8,
    http_client: Option<Arc<dyn HttpClient>>,
    service_endpoint_from_env: bool,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            region: None,
            credentials: None,
            endpoint_url: None,
            use_fips: false,
            use_dual_stack: false,
            retry: RetryConfig::default(),
            timeouts: TimeoutConfig::default(),
            validate_inputs: true,
            disable_request_compression: false,
            request_min_compression_size_bytes: DEFAULT_MIN_COMPRESSION_SIZE,
            skipped_constraints: 0,
            http_client: None,
            service_endpoint_from_env: false,
        }
    }
}

impl ConfigBuilder {
    /// The region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(Arc::new(credentials));
        self
    }

    /// A credentials provider.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Send to this URL instead of the endpoint the rules resolve (for local servers and proxies).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self.service_endpoint_from_env = false;
        self
    }

    /// Use FIPS endpoints.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.use_fips = on;
        self
    }

    /// Use dual-stack endpoints.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = on;
        self
    }

    /// Retry behaviour.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Whether inputs are validated against the model's constraints before sending (default `true`). Turn it off
    /// only to let the service be the judge, for example when the model is older than the service; to skip one
    /// check of one request instead, see [`ConfigOverride`].
    pub fn validate_inputs(mut self, on: bool) -> Self {
        self.validate_inputs = on;
        self
    }

    /// Whether request bodies stay uncompressed even where the operation accepts gzip (default `false`; the
    /// environment's `AWS_DISABLE_REQUEST_COMPRESSION`).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = disable;
        self
    }

    /// The smallest body, in bytes, that operations accepting gzip compress (default 10,240; at most 10,485,760;
    /// the environment's `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = bytes.min(MAX_MIN_COMPRESSION_SIZE);
        self
    }

    /// Skip one kind of check for every request of the client (the others still run), for example
    /// [`ConstraintKind::Pattern`] when the service has widened an identifier format the crate's model predates.
    pub fn skip_constraint(mut self, kind: ConstraintKind) -> Self {
        self.skipped_constraints |= kind.bit();
        self
    }

    /// The transport (default: [`HyperClient`](crate::http::HyperClient) with the `rustls` feature).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        Config {
            region: self.region,
            credentials: self.credentials.unwrap_or_else(|| Arc::new(DefaultChain::cached())),
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry: self.retry,
            timeouts: self.timeouts,
            validate_inputs: self.validate_inputs,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: self.request_min_compression_size_bytes,
            skipped_constraints: self.skipped_constraints,
            http_client: self.http_client,
            service_endpoint_from_env: self.service_endpoint_from_env,
        }
    }
}

/// Settings for one request, over the client's configuration: the request builders' `config_override`.
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigOverride {
    validate_inputs: Option<bool>,
    skipped_constraints: u8,
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
        let kinds = [Required, Length, Range, Pattern, UniqueItems];
        f.debug_set().entries(kinds.iter().filter(|k| k.bit() & self.0 != 0)).finish()
    }
}
