//! AWS credentials: explicit values, the standard environment variables, and the shared `credentials` and `config`
//! files. Secrets never appear in `Debug` output, logs or errors.
//!
//! With the `aws-config` feature, `AwsConfigProvider` adapts `aws-config`'s full provider chain (SSO, web
//! identity, container and instance metadata, and so on).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, as returned by [`ProvideCredentials`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access key, its secret and an optional session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials { access_key_id: access_key_id.into(), secret_access_key: secret_access_key.into(), session_token }
    }

    /// The access key id (not secret).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// Why credentials could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error with a message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError { message: message.into() }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// A source of credentials, asked before each request is signed.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credentials to sign with now.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

/// A shared credentials provider.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
#[derive(Debug, Default, Clone)]
pub struct EnvironmentProvider;

impl EnvironmentProvider {
    /// Read the variables now.
    pub fn load() -> Result<Credentials, CredentialsError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, var("AWS_SESSION_TOKEN"))),
            (Some(_), None) => Err(CredentialsError::new("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")),
            _ => Err(CredentialsError::new("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { EnvironmentProvider::load() })
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

    /// Read the files now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let name = self.profile.clone().unwrap_or_else(profile_name);
        let profiles = load_profiles();
        let Some(p) = profiles.get(&name) else {
            return Err(CredentialsError::new(format!(
                "profile `{name}` is not in the shared config or credentials file"
            )));
        };
        match (p.get("aws_access_key_id"), p.get("aws_secret_access_key")) {
            (Some(id), Some(secret)) => Ok(Credentials::new(id, secret, p.get("aws_session_token").cloned())),
            _ => Err(CredentialsError::new(format!("profile `{name}` has no static access key"))),
        }
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

/// The environment, then the shared files.
#[derive(Debug, Clone, Default)]
pub struct DefaultChain;

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async {
            match EnvironmentProvider::load() {
                Ok(c) => Ok(c),
                Err(env) => ProfileProvider::default()
                    .load()
                    .map_err(|profile| CredentialsError::new(format!("{}; {}", env.message, profile.message))),
            }
        })
    }
}

/// `aws-config`'s credentials provider chain, as a [`ProvideCredentials`].
#[cfg(feature = "aws-config")]
#[derive(Debug, Clone)]
pub struct AwsConfigProvider(aws_credential_types::provider::SharedCredentialsProvider);

#[cfg(feature = "aws-config")]
impl AwsConfigProvider {
    /// The default chain of `aws-config` (`aws_config::load_defaults`).
    pub async fn load() -> Option<Self> {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        config.credentials_provider().map(AwsConfigProvider)
    }
}

#[cfg(feature = "aws-config")]
impl ProvideCredentials for AwsConfigProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        use aws_credential_types::provider::ProvideCredentials as _;
        Box::pin(async move {
            let c = self.0.provide_credentials().await.map_err(|e| CredentialsError::new(e.to_string()))?;
            Ok(Credentials::new(c.access_key_id(), c.secret_access_key(), c.session_token().map(str::to_owned)))
        })
    }
}
