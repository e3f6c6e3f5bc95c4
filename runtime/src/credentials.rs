//! AWS credentials: explicit values, the standard environment variables, the shared `credentials` and `config`
//! files (static keys and `credential_process`), container credentials (ECS, SageMaker, EKS Pod Identity) and EC2
//! instance metadata (IMDSv2), with caching that refreshes before expiry. Secrets never appear in `Debug` output,
//! logs or errors.
//!
//! A source that is not set up gives `CredentialsError::CredentialsNotLoaded`, one set up wrongly
//! `InvalidConfiguration`, and one that was asked and failed `ProviderError`. Each error's cause is one line that
//! says what failed, naming the source and its URL (`container credentials: http://127.0.0.1:8080/creds answered 500
//! Internal Server Error: "…"`), with the transport's error, if any, as its own cause: each cause is said once, and
//! no `Debug` text is folded into a message.
//!
//! Credentials and providers are aws-sdk-rust's own types ([`Credentials`], [`ProvideCredentials`]), so
//! aws-config's full chain (SSO, web identity, role assumption), or any provider written for aws-sdk-rust, plugs
//! into the configuration directly; a client built from an aws-config `SdkConfig` uses its provider.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

pub use aws_credential_types::provider::error::CredentialsError;
pub use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
pub use aws_credential_types::Credentials;

use crate::error::BoxError;
use crate::http::{SharedHttpClient, Transport};

/// A boxed future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The provider name recorded in credentials this module loads.
const PROVIDER_NAME: &str = env!("CARGO_PKG_NAME");

/// Why a credential source gave no credentials: one line that says what failed (`container credentials:
/// http://127.0.0.1:8080/creds answered 500 Internal Server Error: "…"`), with the failure behind it, if there is
/// one, as its [`source`](std::error::Error::source), so that each cause is said once. Never holds a secret.
#[derive(Debug)]
struct SourceError {
    kind: SourceErrorKind,
    message: String,
    source: Option<BoxError>,
}

/// How a source failed, which decides the [`CredentialsError`] it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceErrorKind {
    /// The source is not set up here (no variables, no such profile): a chain moves on to the next source.
    /// `CredentialsError::CredentialsNotLoaded`.
    NotConfigured,
    /// The source is set up wrongly (an invalid URI, a key without its secret).
    /// `CredentialsError::InvalidConfiguration`.
    Invalid,
    /// The source was asked and failed. `CredentialsError::ProviderError`.
    Failed,
}

impl SourceError {
    fn new(kind: SourceErrorKind, message: impl Into<String>) -> Self {
        SourceError { kind, message: message.into(), source: None }
    }

    fn not_configured(message: impl Into<String>) -> Self {
        SourceError::new(SourceErrorKind::NotConfigured, message)
    }

    fn invalid(message: impl Into<String>) -> Self {
        SourceError::new(SourceErrorKind::Invalid, message)
    }

    fn failed(message: impl Into<String>) -> Self {
        SourceError::new(SourceErrorKind::Failed, message)
    }

    /// The same error, caused by `source`.
    fn because(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The error a provider returns: not loaded, invalid configuration or provider error, by kind.
    fn into_credentials_error(self) -> CredentialsError {
        match self.kind {
            SourceErrorKind::NotConfigured => CredentialsError::not_loaded(self),
            SourceErrorKind::Invalid => CredentialsError::invalid_configuration(self),
            SourceErrorKind::Failed => CredentialsError::provider_error(self),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// An error and its causes on one line, each once (`DisplayErrorContext` without the `Debug` it appends), for logs.
fn plain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Debug, Default, Clone)]
pub struct EnvironmentProvider;

impl EnvironmentProvider {
    /// Read the variables now. Neither set is "not loaded"; one without the other is an invalid configuration.
    pub fn load() -> Result<Credentials, CredentialsError> {
        EnvironmentProvider::read().map_err(SourceError::into_credentials_error)
    }

    fn read() -> Result<Credentials, SourceError> {
        match (env_var("AWS_ACCESS_KEY_ID"), env_var("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                Ok(Credentials::new(id, secret, env_var("AWS_SESSION_TOKEN"), None, PROVIDER_NAME))
            }
            (Some(_), None) => {
                Err(SourceError::invalid("environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"))
            }
            (None, Some(_)) => {
                Err(SourceError::invalid("environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"))
            }
            (None, None) => Err(SourceError::not_configured("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async { EnvironmentProvider::load() })
    }
}

/// The shared files: `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`) and `~/.aws/config` (or
/// `AWS_CONFIG_FILE`), for the profile `AWS_PROFILE` (default `default`). Static keys only; use the `aws-config`
/// feature for SSO, role assumption and the like.
#[derive(Debug, Clone, Default)]
pub struct ProfileProvider {
    profile: Option<String>,
}

/// Parsed shared files: profile name to its keys.
pub(crate) type Profiles = HashMap<String, HashMap<String, String>>;

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from)
}

/// Parse an INI-style shared file. In the config file, sections are `[profile name]` (and `[default]`).
pub(crate) fn parse_profile_file(text: &str, config_file: bool) -> Profiles {
    let mut out: Profiles = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            // `[name]`, optionally followed by a comment; anything else is not a valid header, and the keys under
            // it belong to no profile.
            let header = rest.split_once(']').filter(|(_, after)| {
                let after = after.trim();
                after.is_empty() || after.starts_with('#') || after.starts_with(';')
            });
            let Some((section, _)) = header else {
                current = None;
                continue;
            };
            let section = section.trim();
            current = if config_file {
                match section.strip_prefix("profile ") {
                    Some(name) => Some(name.trim().to_owned()),
                    None if section == "default" => Some("default".to_owned()),
                    None => None,
                }
            } else {
                Some(section.to_owned())
            };
            continue;
        }
        if let (Some(profile), Some((k, v))) = (&current, line.split_once('=')) {
            let value = strip_comment(v).trim().to_owned();
            out.entry(profile.clone()).or_default().insert(k.trim().to_ascii_lowercase(), value);
        }
    }
    out
}

/// A value without its trailing comment: `#` or `;` after white space starts one.
fn strip_comment(value: &str) -> &str {
    let mut prev_space = false;
    for (i, c) in value.char_indices() {
        if (c == '#' || c == ';') && prev_space {
            return &value[..i];
        }
        prev_space = c.is_whitespace();
    }
    value
}

/// Both shared files merged (credentials file wins), read now.
pub(crate) fn load_profiles() -> Profiles {
    let path = |var: &str, default: &str| {
        std::env::var_os(var).map(PathBuf::from).or_else(|| home().map(|h| h.join(".aws").join(default)))
    };
    let mut merged: Profiles = HashMap::new();
    if let Some(text) = path("AWS_CONFIG_FILE", "config").and_then(|p| std::fs::read_to_string(p).ok()) {
        merged = parse_profile_file(&text, true);
    }
    if let Some(text) = path("AWS_SHARED_CREDENTIALS_FILE", "credentials").and_then(|p| std::fs::read_to_string(p).ok())
    {
        for (name, keys) in parse_profile_file(&text, false) {
            merged.entry(name).or_default().extend(keys);
        }
    }
    merged
}

/// The profile in force: `AWS_PROFILE`, else `default`.
pub(crate) fn profile_name() -> String {
    std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "default".to_owned())
}

impl ProfileProvider {
    /// Use a named profile instead of `AWS_PROFILE`.
    pub fn with_profile(name: impl Into<String>) -> Self {
        ProfileProvider { profile: Some(name.into()) }
    }

    /// Read the files now (static keys only). A missing profile, or one without keys, is "not loaded"; a key
    /// without its secret is an invalid configuration.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        self.read(&load_profiles()).map_err(SourceError::into_credentials_error)
    }

    fn name(&self) -> String {
        self.profile.clone().unwrap_or_else(profile_name)
    }

    fn read(&self, profiles: &Profiles) -> Result<Credentials, SourceError> {
        let name = self.name();
        let Some(p) = profiles.get(&name) else {
            return Err(SourceError::not_configured(format!(
                "profile `{name}` is not in the shared config or credentials file"
            )));
        };
        match (p.get("aws_access_key_id"), p.get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => {
                Ok(Credentials::new(id, secret, p.get("aws_session_token").cloned(), None, PROVIDER_NAME))
            }
            (Some(_), None) => Err(SourceError::invalid(format!(
                "profile `{name}`: aws_access_key_id is set but aws_secret_access_key is not"
            ))),
            (None, Some(_)) => Err(SourceError::invalid(format!(
                "profile `{name}`: aws_secret_access_key is set but aws_access_key_id is not"
            ))),
            (None, None) => Err(SourceError::not_configured(format!(
                "profile `{name}` has no static access key or credential_process"
            ))),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let profiles = load_profiles();
            let command = profiles.get(&self.name()).and_then(|p| p.get("credential_process").cloned());
            match (self.read(&profiles), command) {
                (Ok(c), _) => Ok(c),
                (Err(_), Some(command)) => ProcessProvider::new(command).provide_credentials().await,
                (Err(e), None) => Err(e.into_credentials_error()),
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared by the HTTP and process sources.

/// The JSON document container credentials, instance metadata and `credential_process` answer with. Field names
/// differ a little between sources: the session token is `Token` (HTTP) or `SessionToken` (process).
#[derive(Default)]
struct CredentialsDocument {
    version: Option<f64>,
    code: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    token: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
}

/// Parse a credentials document (a JSON object; other members are skipped); `what` names the source in errors.
/// Error messages never quote the document.
fn parse_document(body: &[u8], what: &str) -> Result<CredentialsDocument, SourceError> {
    use aws_smithy_json::deserialize::{json_token_iter, token, Token};
    let unreadable =
        |e: &dyn fmt::Display| SourceError::failed(format!("{what} answered with an unreadable document ({e})"));
    let mut tokens = json_token_iter(body).peekable();
    let mut doc = CredentialsDocument::default();
    token::expect_start_object(tokens.next()).map_err(|e| unreadable(&e))?;
    loop {
        match tokens.next().transpose().map_err(|e| unreadable(&e))? {
            Some(Token::EndObject { .. }) => break,
            Some(Token::ObjectKey { key, .. }) => {
                let key = key.to_unescaped().map_err(|e| unreadable(&e))?;
                let slot = match key.as_ref() {
                    "Version" => {
                        doc.version = token::expect_number_or_null(tokens.next())
                            .map_err(|e| unreadable(&e))?
                            .map(|n| n.to_f64_lossy());
                        continue;
                    }
                    "Code" => &mut doc.code,
                    "AccessKeyId" => &mut doc.access_key_id,
                    "SecretAccessKey" => &mut doc.secret_access_key,
                    "Token" => &mut doc.token,
                    "SessionToken" => &mut doc.session_token,
                    "Expiration" => &mut doc.expiration,
                    _ => {
                        token::skip_value(&mut tokens).map_err(|e| unreadable(&e))?;
                        continue;
                    }
                };
                *slot = token::expect_string_or_null(tokens.next())
                    .map_err(|e| unreadable(&e))?
                    .map(|v| v.to_unescaped().map(|s| s.into_owned()))
                    .transpose()
                    .map_err(|e| unreadable(&e))?;
            }
            _ => return Err(unreadable(&"expected a member name")),
        }
    }
    if tokens.next().is_some() {
        return Err(unreadable(&"data after the object"));
    }
    Ok(doc)
}

impl CredentialsDocument {
    fn into_credentials(self, what: &str) -> Result<Credentials, SourceError> {
        if let Some(code) = self.code.as_deref().filter(|c| *c != "Success") {
            return Err(SourceError::failed(format!("{what} answered with code `{code}`")));
        }
        let (Some(id), Some(secret)) = (self.access_key_id, self.secret_access_key) else {
            return Err(SourceError::failed(format!("{what} answered without AccessKeyId and SecretAccessKey")));
        };
        let expiry = match self.expiration {
            Some(e) => {
                Some(parse_expiration(&e).map_err(|e| SourceError::failed(format!("{what} answered with {e}")))?)
            }
            None => None,
        };
        Ok(Credentials::new(id, secret, self.token.or(self.session_token), expiry, PROVIDER_NAME))
    }
}

/// An RFC 3339 `Expiration`.
fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    let t = aws_smithy_types::DateTime::from_str(text, aws_smithy_types::date_time::Format::DateTime)
        .map_err(|_| format!("an Expiration `{text}` that is not an RFC 3339 date-time"))?;
    SystemTime::try_from(t).map_err(|_| format!("an Expiration `{text}` out of range"))
}

/// The timeout of each request to a credentials endpoint (connect and answer).
const CREDENTIALS_HTTP_TIMEOUT: Duration = Duration::from_secs(1);

/// The largest answer read from a credentials endpoint (a credentials document is well under a kilobyte).
const CREDENTIALS_MAX_RESPONSE_SIZE: usize = 1024 * 1024;

/// The transport credential sources use unless told otherwise: the default one.
fn default_credentials_http() -> SharedHttpClient {
    crate::http::default_client()
}

/// Send one request with the 1 s timeout (to connect and to answer). `what` names the source and the URL in errors
/// (`container credentials: http://…/creds`): a transport failure is its cause, and an answer other than 2xx is
/// described by its status and the start of its body (escaped, at most 200 bytes), unless the body names a secret
/// member (`"SecretAccessKey"`, `"Token"`, `"SessionToken"`), which is then not shown. A 2xx body is never quoted.
async fn fetch(http: &SharedHttpClient, request: http::Request<Vec<u8>>, what: &str) -> Result<Vec<u8>, SourceError> {
    let settings = crate::http::HttpConnectorSettings::builder()
        .connect_timeout(CREDENTIALS_HTTP_TIMEOUT)
        .read_timeout(CREDENTIALS_HTTP_TIMEOUT)
        .build();
    let sleep = aws_smithy_async::rt::sleep::default_async_sleep()
        .ok_or_else(|| SourceError::failed(format!("{what}: no async sleep implementation")))?;
    let transport = Transport::new(Some(http), &settings, sleep, Default::default(), CREDENTIALS_MAX_RESPONSE_SIZE);
    let call = transport.send(request.map(bytes::Bytes::from), None);
    let response = match tokio::time::timeout(CREDENTIALS_HTTP_TIMEOUT, call).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(SourceError::failed(what).because(e)),
        Err(_) => {
            return Err(SourceError::failed(format!("{what} did not answer within {CREDENTIALS_HTTP_TIMEOUT:?}")))
        }
    };
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().map(|r| format!(" {r}")).unwrap_or_default();
        let body = response.body();
        let shown = if body.is_empty() {
            String::new()
        } else if [&b"\"SecretAccessKey\""[..], b"\"Token\"", b"\"SessionToken\""]
            .iter()
            .any(|secret| body.windows(secret.len()).any(|w| w == *secret))
        {
            " (the body is not shown: it names a secret)".to_owned()
        } else {
            format!(": {}", crate::error::quote_body(body))
        };
        return Err(SourceError::failed(format!("{what} answered {}{reason}{shown}", status.as_u16())));
    }
    Ok(response.into_body().into())
}

/// A URL for error messages: scheme, authority and path, without the query.
fn shown_url(uri: &http::Uri) -> String {
    let scheme = uri.scheme_str().unwrap_or("http");
    let authority = uri.authority().map_or("", |a| a.as_str());
    format!("{scheme}://{authority}{}", uri.path())
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

// ---------------------------------------------------------------------------------------------------------------
// Container credentials.

/// The ECS credentials endpoint that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
const ECS_HOST: &str = "169.254.170.2";

/// Container credentials, as ECS, SageMaker and EKS Pod Identity provide them:
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (relative to `http://169.254.170.2`) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read at each call, as EKS rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`. A full URI must use HTTPS or point
/// at a loopback address or the ECS (`169.254.170.2`) or EKS (`169.254.170.23`, `fd00:ec2::23`) link-local hosts.
/// The variables are read at each call.
#[derive(Clone)]
pub struct ContainerProvider {
    http: Option<SharedHttpClient>,
}

impl fmt::Debug for ContainerProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContainerProvider")
    }
}

impl Default for ContainerProvider {
    fn default() -> Self {
        ContainerProvider::new()
    }
}

/// Whether a full container credentials URI may be used: HTTPS anywhere, plain HTTP to loopback and the ECS and EKS
/// link-local hosts only.
fn allowed_container_uri(uri: &http::Uri) -> bool {
    match uri.scheme_str() {
        Some("https") => return uri.host().is_some(),
        Some("http") => {}
        _ => return false,
    }
    let Some(host) = uri.host() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(std::net::IpAddr::V4(ip)) => {
            ip == std::net::Ipv4Addr::new(169, 254, 170, 2) || ip == std::net::Ipv4Addr::new(169, 254, 170, 23)
        }
        Ok(std::net::IpAddr::V6(ip)) => ip == std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23),
        Err(_) => false,
    }
}

impl ContainerProvider {
    /// A provider using the default transport.
    pub fn new() -> Self {
        ContainerProvider { http: None }
    }

    /// A provider sending its requests through `http`.
    pub fn with_http_client(http: SharedHttpClient) -> Self {
        ContainerProvider { http: Some(http) }
    }

    /// Whether the environment names a container credentials endpoint.
    pub fn is_configured() -> bool {
        env_var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
            || env_var("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    }

    /// The request, and the source and URL for errors (`container credentials: http://…`).
    fn request(&self) -> Result<(http::Request<Vec<u8>>, String), SourceError> {
        let invalid = |message: String| SourceError::invalid(format!("container credentials: {message}"));
        let uri = if let Some(relative) = env_var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let relative = if relative.starts_with('/') { relative } else { format!("/{relative}") };
            format!("http://{ECS_HOST}{relative}")
                .parse::<http::Uri>()
                .map_err(|_| invalid("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path".to_owned()))?
        } else if let Some(full) = env_var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            let uri = full
                .parse::<http::Uri>()
                .map_err(|_| invalid("AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URI".to_owned()))?;
            if !allowed_container_uri(&uri) {
                return Err(invalid(format!(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI `{}` is neither HTTPS nor a loopback, ECS or EKS host",
                    uri.host().unwrap_or("")
                )));
            }
            uri
        } else {
            return Err(SourceError::not_configured(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
            ));
        };
        let what = format!("container credentials: {}", shown_url(&uri));
        let token = match env_var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(std::fs::read_to_string(&path).map_err(|e| {
                invalid(format!("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE `{path}`")).because(e)
            })?),
            None => env_var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let mut builder = http::Request::builder().method("GET").uri(uri).header("accept", "application/json");
        if let Some(token) = token {
            let value = http::HeaderValue::from_str(token.trim())
                .map_err(|_| invalid("the authorization token is not a valid header value".to_owned()))?;
            builder = builder.header("authorization", value);
        }
        let request = builder.body(Vec::new()).map_err(|e| invalid("invalid request".to_owned()).because(e))?;
        Ok((request, what))
    }

    async fn load(&self) -> Result<Credentials, SourceError> {
        let (request, what) = self.request()?;
        let http = self.http.clone().unwrap_or_else(default_credentials_http);
        let body = fetch(&http, request, &what).await?;
        parse_document(&body, &what)?.into_credentials(&what)
    }
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.load().await.map_err(SourceError::into_credentials_error) })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Instance metadata.

/// How long instance metadata is left alone after it failed.
pub const IMDS_BACKOFF: Duration = Duration::from_secs(60);

/// EC2 (and SageMaker notebook or training instance) metadata, IMDSv2: a session token from
/// `PUT /latest/api/token`, then the role from `/latest/meta-data/iam/security-credentials/` and its credentials.
/// The endpoint is `http://169.254.169.254` or `AWS_EC2_METADATA_SERVICE_ENDPOINT`; `AWS_EC2_METADATA_DISABLED=true`
/// turns it off. Each request has 1 s to complete and a call makes one attempt; after a failure the provider
/// answers at once with an error for [`IMDS_BACKOFF`], so where there is no instance metadata it costs at most one
/// short wait a minute.
#[derive(Clone)]
pub struct ImdsProvider {
    http: Option<SharedHttpClient>,
    /// After a failure: until when calls fail at once, and what the failure was.
    failed: Arc<Mutex<Option<(tokio::time::Instant, String)>>>,
}

impl fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ImdsProvider")
    }
}

impl Default for ImdsProvider {
    fn default() -> Self {
        ImdsProvider::new()
    }
}

impl ImdsProvider {
    /// A provider using the default transport.
    pub fn new() -> Self {
        ImdsProvider { http: None, failed: Arc::default() }
    }

    /// A provider sending its requests through `http`.
    pub fn with_http_client(http: SharedHttpClient) -> Self {
        ImdsProvider { http: Some(http), failed: Arc::default() }
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns instance metadata off.
    pub fn is_disabled() -> bool {
        env_var("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    async fn load(&self) -> Result<Credentials, SourceError> {
        let endpoint =
            env_var("AWS_EC2_METADATA_SERVICE_ENDPOINT").unwrap_or_else(|| "http://169.254.169.254".to_owned());
        let endpoint = endpoint.trim_end_matches('/');
        let http = self.http.clone().unwrap_or_else(default_credentials_http);
        let request = |method: &str, path: &str, header: (&str, &str)| {
            let request = http::Request::builder()
                .method(method)
                .uri(format!("{endpoint}{path}"))
                .header(header.0, header.1)
                .body(Vec::new())
                .map_err(|_| {
                    SourceError::invalid(format!(
                        "instance metadata: AWS_EC2_METADATA_SERVICE_ENDPOINT `{endpoint}` is not a valid URL"
                    ))
                })?;
            let what = format!("instance metadata: {}", shown_url(request.uri()));
            Ok::<_, SourceError>((request, what))
        };
        let (put, what) = request("PUT", "/latest/api/token", ("x-aws-ec2-metadata-token-ttl-seconds", "21600"))?;
        let token = fetch(&http, put, &what).await?;
        let token = String::from_utf8(token)
            .map_err(|_| SourceError::failed(format!("{what} answered with a token that is not text")))?;
        let token = token.trim();
        let path = "/latest/meta-data/iam/security-credentials/";
        let (get, what) = request("GET", path, ("x-aws-ec2-metadata-token", token))?;
        let roles = fetch(&http, get, &what).await?;
        let roles = String::from_utf8_lossy(&roles);
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(SourceError::failed(format!("{what} lists no IAM role")));
        };
        let (get, what) = request("GET", &format!("{path}{role}"), ("x-aws-ec2-metadata-token", token))?;
        let body = fetch(&http, get, &what).await?;
        parse_document(&body, &what)?.into_credentials(&what)
    }

    /// The credentials, unless instance metadata is disabled or failed less than [`IMDS_BACKOFF`] ago.
    async fn provide(&self) -> Result<Credentials, SourceError> {
        if ImdsProvider::is_disabled() {
            return Err(SourceError::not_configured("instance metadata is disabled by AWS_EC2_METADATA_DISABLED"));
        }
        let now = tokio::time::Instant::now();
        let recent =
            self.failed.lock().unwrap_or_else(PoisonError::into_inner).clone().filter(|(until, _)| now < *until);
        if let Some((until, why)) = recent {
            return Err(SourceError::failed(format!(
                "instance metadata failed recently and is not asked again for {}s ({why})",
                until.duration_since(now).as_secs_f64().ceil()
            )));
        }
        let result = self.load().await;
        if let Err(e) = &result {
            let why = plain(e);
            tracing::debug!(error = %why, backoff = ?IMDS_BACKOFF, "instance metadata failed; not asked again for a while");
            *self.failed.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((tokio::time::Instant::now() + IMDS_BACKOFF, why));
        }
        result
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(
            async move { self.provide().await.map_err(SourceError::into_credentials_error) },
        )
    }
}

// ---------------------------------------------------------------------------------------------------------------
// credential_process.

/// How long a `credential_process` may run before it is killed: a minute, as the AWS SDKs for Go allow (the others
/// set no limit).
pub const CREDENTIAL_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// A profile's `credential_process`: a command run through the shell whose standard output is a JSON document with
/// `Version: 1`, `AccessKeyId`, `SecretAccessKey` and optionally `SessionToken` and `Expiration`. A command that has
/// not finished within [`CREDENTIAL_PROCESS_TIMEOUT`] (or [`with_timeout`](Self::with_timeout)) is killed, and so is
/// one that writes more than 1 MiB; on Unix the command runs in a process group of its own and the whole group is
/// killed, so the programs the shell started go too. Errors name the exit status, never the output.
#[derive(Clone)]
pub struct ProcessProvider {
    command: String,
    timeout: Duration,
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The command line may carry secrets of its own.
        f.write_str("ProcessProvider")
    }
}

impl ProcessProvider {
    const WHAT: &'static str = "credential_process";

    /// A provider running `command`.
    pub fn new(command: impl Into<String>) -> Self {
        ProcessProvider { command: command.into(), timeout: CREDENTIAL_PROCESS_TIMEOUT }
    }

    /// The same provider, killing the command after `timeout` instead of [`CREDENTIAL_PROCESS_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Run the command to its end and give its standard output; the time limit is kept on the system clock, since
    /// the process runs in real time.
    fn run(command: &str, timeout: Duration) -> Result<Vec<u8>, SourceError> {
        use std::io::Read as _;
        let mut cmd = if cfg!(windows) {
            let mut c = std::process::Command::new("cmd");
            c.arg("/C").arg(command);
            c
        } else {
            let mut c = std::process::Command::new("sh");
            c.arg("-c").arg(command);
            c
        };
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let deadline = std::time::Instant::now() + timeout;
        let mut child = cmd
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| SourceError::failed("credential_process could not be started").because(e))?;
        let timed_out =
            || SourceError::failed(format!("credential_process did not finish within {timeout:?} and was killed"));
        let Some(stdout) = child.stdout.take() else {
            kill(&mut child);
            return Err(SourceError::failed("credential_process has no standard output"));
        };
        // The output is read on a thread of its own, so that waiting for it can stop at the deadline; it ends when
        // every process holding the pipe has closed it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = Vec::new();
            let read = stdout.take(CREDENTIALS_MAX_RESPONSE_SIZE as u64 + 1).read_to_end(&mut out);
            let _ = tx.send(read.map(|_| out));
        });
        let output = match rx.recv_timeout(timeout) {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => {
                kill(&mut child);
                return Err(SourceError::failed("credential_process: reading its output failed").because(e));
            }
            Err(_) => {
                kill(&mut child);
                return Err(timed_out());
            }
        };
        if output.len() > CREDENTIALS_MAX_RESPONSE_SIZE {
            kill(&mut child);
            return Err(SourceError::failed(format!(
                "credential_process wrote more than {CREDENTIALS_MAX_RESPONSE_SIZE} bytes and was killed"
            )));
        }
        // The output is closed; the exit follows, within what is left of the time.
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
                Ok(None) => {
                    kill(&mut child);
                    return Err(timed_out());
                }
                Err(e) => {
                    kill(&mut child);
                    return Err(SourceError::failed("credential_process: waiting for it failed").because(e));
                }
            }
        };
        if !status.success() {
            return Err(SourceError::failed(format!("credential_process failed ({status})")));
        }
        Ok(output)
    }

    async fn load(&self) -> Result<Credentials, SourceError> {
        // The command runs on a thread of its own so that it does not block the caller's executor.
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (command, timeout) = (self.command.clone(), self.timeout);
        std::thread::spawn(move || {
            let _ = tx.send(ProcessProvider::run(&command, timeout));
        });
        let stdout = rx.await.map_err(|_| SourceError::failed("credential_process did not finish"))??;
        let doc = parse_document(&stdout, Self::WHAT)?;
        if doc.version != Some(1.0) {
            return Err(SourceError::failed("credential_process output must have `Version: 1`"));
        }
        doc.into_credentials(Self::WHAT)
    }
}

/// Kill a `credential_process` (on Unix its whole process group, whose leader it is) and collect its exit, so that
/// it does not linger as a zombie. The group is killed by the shell's `kill`, as the standard library has no call for
/// it and this crate has no unsafe code.
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("kill -KILL -{}", child.id()))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.load().await.map_err(SourceError::into_credentials_error) })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Caching.

/// The most time before expiry at which cached credentials are refreshed.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// How long credentials without an expiry are cached.
pub const CACHE_WITHOUT_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// How long after a failed refresh, while the cached credentials are still valid, the source is asked again.
pub const RETRY_FAILED_REFRESH: Duration = Duration::from_secs(30);

/// How long before expiry credentials that arrived with `lifetime` left are refreshed: [`REFRESH_BEFORE_EXPIRY`],
/// or half their lifetime when that is shorter (so short-lived credentials are used for half their life rather than
/// fetched again at every call), less a fifth of it at most, by `jitter` (in `[0, 1)`), so that clients started
/// together do not all refresh at the same moment (aws-sdk-rust's cache jitters its 10 s buffer the same way).
pub(crate) fn refresh_margin(lifetime: Duration, jitter: f64) -> Duration {
    REFRESH_BEFORE_EXPIRY.min(lifetime / 2).mul_f64(1.0 - 0.2 * jitter.clamp(0.0, 1.0))
}

/// Caches another provider's credentials until shortly before they expire: [`REFRESH_BEFORE_EXPIRY`] before for
/// credentials that arrive with 10 minutes or more left, half their lifetime before for shorter-lived ones (2-minute
/// credentials are used for one minute), in each case less up to a fifth of that margin at random, so that clients
/// started together do not all refresh at once (aws-sdk-rust's cache jitters its 10 s margin the same way); or for
/// [`CACHE_WITHOUT_EXPIRY`] when they have no expiry. Concurrent callers share one refresh. Expired credentials are
/// never given out: when a refresh fails while the cached credentials have not yet expired, those are used, and the
/// source is asked again after [`RETRY_FAILED_REFRESH`] or at their expiry, whichever comes first.
pub struct CachedProvider {
    inner: SharedCredentialsProvider,
    /// The cached credentials: a call that finds them fresh takes a copy without waiting or allocating.
    cache: std::sync::Mutex<Option<Cached>>,
    /// Held across a refresh, so that concurrent callers wait for it and then use its result.
    pub(crate) refresh: tokio::sync::Mutex<()>,
    /// Where the refresh jitter comes from: a number in `[0, 1)`, random unless a test fixes it.
    pub(crate) jitter: fn() -> f64,
}

struct Cached {
    credentials: Credentials,
    /// When to refresh.
    refresh_at: tokio::time::Instant,
    /// When they expire, if they do.
    expires_at: Option<tokio::time::Instant>,
}

impl Cached {
    /// Whether the cache answers at `now`: before the refresh time, and never once expired.
    fn serves_at(&self, now: tokio::time::Instant) -> bool {
        now < self.refresh_at && self.expires_at.is_none_or(|t| now < t)
    }
}

impl fmt::Debug for CachedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider").field("inner", &self.inner).finish()
    }
}

impl CachedProvider {
    /// A cache in front of `inner`.
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachedProvider::from_shared(SharedCredentialsProvider::new(inner))
    }

    /// A cache in front of a shared provider.
    pub fn from_shared(inner: SharedCredentialsProvider) -> Self {
        CachedProvider {
            inner,
            cache: std::sync::Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
            jitter: crate::retry::jitter,
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Option<Cached>> {
        self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached credentials, if the cache answers at `now`.
    fn fresh(&self, now: tokio::time::Instant) -> Option<Credentials> {
        self.cache().as_ref().filter(|c| c.serves_at(now)).map(|c| c.credentials.clone())
    }
}

impl ProvideCredentials for CachedProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        if let Some(credentials) = self.fresh(tokio::time::Instant::now()) {
            return future::ProvideCredentials::ready(Ok(credentials));
        }
        future::ProvideCredentials::new(async move {
            // Holding the lock across the refresh makes concurrent callers wait for it and then use its result.
            let _refreshing = self.refresh.lock().await;
            let now = tokio::time::Instant::now();
            if let Some(credentials) = self.fresh(now) {
                return Ok(credentials);
            }
            match self.inner.provide_credentials().await {
                Ok(credentials) => {
                    // Expiry is wall-clock time; the cache keeps the remaining lifetime on tokio's clock.
                    let now = tokio::time::Instant::now();
                    let remaining =
                        credentials.expiry().map(|e| e.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO));
                    let refresh_at =
                        now + remaining.map_or(CACHE_WITHOUT_EXPIRY, |r| r - refresh_margin(r, (self.jitter)()));
                    let expires_at = remaining.map(|r| now + r);
                    tracing::debug!(expires_in = ?remaining, refresh_in = ?refresh_at - now, "credentials refreshed");
                    *self.cache() = Some(Cached { credentials: credentials.clone(), refresh_at, expires_at });
                    Ok(credentials)
                }
                Err(e) => match self.cache().as_mut() {
                    Some(c) if c.expires_at.is_none_or(|t| now < t) => {
                        tracing::warn!(error = %plain(&e), "refreshing credentials failed; using the cached ones until they expire");
                        // Not every call asks the failing source again, and none gets expired credentials.
                        let retry_at = now + RETRY_FAILED_REFRESH;
                        c.refresh_at = c.expires_at.map_or(retry_at, |t| t.min(retry_at));
                        Ok(c.credentials.clone())
                    }
                    _ => Err(e),
                },
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The default chain.

/// The environment, then the profile (static keys, then `credential_process`), then container credentials when
/// their variables are set, then instance metadata (unless disabled). A `credential_process` or container endpoint
/// that is configured but fails ends the chain with its error, so that a misconfigured source never silently
/// yields another identity. Keys without their secret (in the environment or the profile) are skipped, as aws-config
/// skips them, with a warning. When no source has credentials the error lists why each was skipped and has
/// instance metadata's failure, if it was asked, as its cause. Uncached: the configuration's default wraps
/// it in a [`CachedProvider`] ([`DefaultChain::cached`]). Its container and instance metadata requests go through
/// the default transport; [`DefaultChain::with_http_client`] builds the same chain over another one.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultChain;

impl DefaultChain {
    /// The chain with the default transport.
    pub fn new() -> Self {
        DefaultChain
    }

    /// The chain sending container and instance metadata requests through `http`.
    pub fn with_http_client(http: SharedHttpClient) -> SourceChain {
        SourceChain {
            container: ContainerProvider::with_http_client(http.clone()),
            imds: ImdsProvider::with_http_client(http),
        }
    }

    /// The chain behind a cache: what a configuration uses when no credentials are given.
    pub fn cached() -> CachedProvider {
        CachedProvider::new(DefaultChain)
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        // One chain per process: the instance metadata back-off after a failure is shared by every client.
        static SOURCES: std::sync::OnceLock<SourceChain> = std::sync::OnceLock::new();
        SOURCES.get_or_init(SourceChain::default).provide_credentials()
    }
}

/// The sources of [`DefaultChain`] over a given transport.
#[derive(Debug, Clone, Default)]
pub struct SourceChain {
    container: ContainerProvider,
    imds: ImdsProvider,
}

impl ProvideCredentials for SourceChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(
            async move { self.provide().await.map_err(SourceError::into_credentials_error) },
        )
    }
}

impl SourceChain {
    /// Each source in turn. A source that is not set up is noted and skipped; environment keys or profile keys
    /// without their secret are noted, warned about and skipped (as aws-config does); a `credential_process` or
    /// container endpoint that is set up and fails is the error. With no source left, the error lists the notes and
    /// has instance metadata's failure, if it was asked, as its cause.
    async fn provide(&self) -> Result<Credentials, SourceError> {
        let mut notes = Vec::new();
        let skip = |e: SourceError, notes: &mut Vec<String>| {
            if e.kind == SourceErrorKind::Invalid {
                tracing::warn!(error = %e, "credentials source set up wrongly; trying the next one");
            }
            notes.push(e.message);
        };
        match EnvironmentProvider::read() {
            Ok(c) => return Ok(c),
            Err(e) => skip(e, &mut notes),
        }
        let profiles = load_profiles();
        let profile = ProfileProvider::default();
        match profile.read(&profiles) {
            Ok(c) => return Ok(c),
            Err(e) => skip(e, &mut notes),
        }
        if let Some(command) = profiles.get(&profile.name()).and_then(|p| p.get("credential_process")) {
            // A configured credential_process that fails is an error, not a reason to try other sources.
            return ProcessProvider::new(command.clone()).load().await;
        }
        if ContainerProvider::is_configured() {
            // Configured container credentials that fail are an error, not a reason to try the instance.
            return self.container.load().await;
        }
        notes.push("no container credentials endpoint is set".to_owned());
        let last = match self.imds.provide().await {
            Ok(c) => return Ok(c),
            Err(e) if e.kind == SourceErrorKind::NotConfigured => {
                notes.push(e.message);
                None
            }
            Err(e) => Some(e),
        };
        let error = SourceError::not_configured(format!("no credentials: {}", notes.join(", ")));
        Err(match last {
            Some(cause) => error.because(cause),
            None => error,
        })
    }
}
