//! Tests of `config`: retry and timeout settings, the builder, `from_env`, the service-specific endpoint and a
//! configuration built from an aws-config `SdkConfig`. (Backoff is tested in `timing`.) Every test that reads the
//! environment holds an [`EnvGuard`].

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_smithy_async::time::StaticTimeSource;
use aws_types::origin::Origin;
use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

use crate::config::retry::RetryConfig;
use crate::config::timeout::TimeoutConfig;
use crate::config::*;
use crate::credentials::future;
use crate::invoke::Handle;
use crate::tests::support::invoke;

use super::support::*;

/// `Debug` of a configuration without the identity cache partitions, which differ between every two providers.
fn debug(c: &Config) -> String {
    let text = format!("{c:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("IdentityCachePartition(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "IdentityCachePartition(".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push('_');
            rest = &after[digits + 1..];
        } else {
            out.push_str("IdentityCachePartition(");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn region(name: &'static str) -> Option<Region> {
    Some(Region::new(name))
}

// ---------------------------------------------------------------------------------------------------------------
// Retry and timeout settings

#[test]
fn standard_retries_make_three_attempts() {
    let c = Config::builder().build();
    assert_eq!(c.retry_config(), Some(&RetryConfig::standard()));
    assert_eq!(c.retry.max_attempts(), 3);
    assert_eq!((c.retry.initial_backoff(), c.retry.max_backoff()), (Duration::from_secs(1), Duration::from_secs(20)));
}

#[test]
fn disabled_retries_make_one_attempt() {
    let c = Config::builder().retry_config(RetryConfig::disabled()).build();
    assert_eq!(c.retry.max_attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn max_attempts_is_at_least_one() {
    let http = FakeHttp::new([Reply::Respond(error_response(503, "ServiceUnavailable", "x", "r1"))]);
    let config = config(&http).retry_config(RetryConfig::standard().with_max_attempts(0)).build();
    let err = invoke(&Handle::new(config, &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    assert!(matches!(err, crate::error::SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(http.count(), 1);
}

#[test]
fn timeout_defaults_are_3_1s_to_connect_and_60s_per_attempt() {
    let t = Config::builder().build().timeouts;
    assert_eq!(t.connect_timeout(), Some(Duration::from_millis(3100)));
    assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_secs(60)));
    assert_eq!((t.read_timeout(), t.operation_timeout()), (None, None));
}

#[test]
fn configured_timeouts_replace_the_defaults_whole() {
    let only_attempt = TimeoutConfig::builder().operation_attempt_timeout(Duration::from_millis(1)).build();
    let t = Config::builder().timeout_config(only_attempt).build().timeouts;
    assert_eq!(t.connect_timeout(), None);
    assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_millis(1)));
    let none = Config::builder().timeout_config(TimeoutConfig::disabled()).build();
    assert_eq!(none.timeout_config(), Some(&TimeoutConfig::disabled()));
    assert!(!none.timeouts.has_timeouts());
}

// ---------------------------------------------------------------------------------------------------------------
// The builder

#[test]
fn builder_defaults() {
    let c = Config::builder().build();
    assert_eq!(c.region(), None);
    assert_eq!(c.endpoint_url(), None);
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(false), Some(false)));
    assert!(c.validate_inputs);
    assert_eq!(c.retry, RetryConfig::standard());
    assert!(c.http_client().is_none());
    assert!(c.sleep_impl().is_none());
    assert!(c.time_source().is_some());
    assert!(c.credentials_provider().is_none());
    assert!(c.app_name().is_none());
    assert_eq!(c.behavior_version(), Some(BehaviorVersion::latest()));
    assert!(matches!(c.service_endpoint, ServiceEndpoint::None));
    assert_eq!(debug(&Builder::new().build()), debug(&c));
}

#[test]
fn builder_sets_every_field() {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    #[allow(deprecated)]
    let old = BehaviorVersion::v2023_11_09();
    let c = Config::builder()
        .region(Region::new("eu-west-3"))
        .credentials_provider(credentials("AKIDX", "S", None))
        .endpoint_url("http://localhost:8080")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::disabled())
        .timeout_config(TimeoutConfig::disabled())
        .behavior_version(old)
        .app_name(AppName::new("my-app").unwrap())
        .validate_inputs(false)
        .http_client(FakeHttp::default())
        .sleep_impl(InstantSleep::default())
        .time_source(StaticTimeSource::new(at))
        .build();
    assert_eq!(c.region(), Some(&Region::new("eu-west-3")));
    assert!(c.credentials_provider().is_some());
    assert_eq!(c.endpoint_url(), Some("http://localhost:8080"));
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(true), Some(true)));
    assert_eq!(c.retry.max_attempts(), 1);
    assert_eq!(c.timeouts.operation_attempt_timeout(), None);
    assert_eq!(c.behavior_version(), Some(old));
    assert_eq!(c.app_name().map(ToString::to_string).as_deref(), Some("my-app"));
    assert!(!c.validate_inputs);
    assert!(c.http_client().is_some() && c.sleep_impl().is_some());
    assert_eq!(c.time_source().unwrap().now(), at);
}

#[test]
fn setters_set_and_clear() {
    let mut b = Config::builder()
        .region(Region::new("r"))
        .endpoint_url("http://e")
        .credentials_provider(credentials("A", "S", None))
        .http_client(FakeHttp::default());
    b.set_region(None)
        .set_endpoint_url(None)
        .set_credentials_provider(None)
        .set_http_client(None)
        .set_retry_config(Some(RetryConfig::disabled()))
        .set_timeout_config(Some(TimeoutConfig::disabled()));
    let c = b.build();
    assert_eq!((c.region(), c.endpoint_url()), (None, None));
    assert!(c.credentials_provider().is_none() && c.http_client().is_none());
    assert_eq!(c.retry.max_attempts(), 1);
    assert!(!c.timeouts.has_timeouts());
    let mut b = Config::builder();
    b.set_region(region("r2")).set_endpoint_url(Some("http://e2".into()));
    b.set_retry_config(None).set_timeout_config(None);
    let c = b.build();
    assert_eq!((c.region(), c.endpoint_url()), (Some(&Region::new("r2")), Some("http://e2")));
    assert_eq!(c.retry, RetryConfig::standard());
    assert_eq!(c.timeouts.operation_attempt_timeout(), Some(Duration::from_secs(60)));
    // `region` takes an `Option` too.
    assert_eq!(Config::builder().region(None::<Region>).build().region(), None);
}

#[test]
fn fixed_credentials_are_used_as_given() {
    let c = Config::builder().credentials_provider(credentials("AKIDX", "S", Some("T"))).build();
    let got = block_on(c.credentials.provide_credentials()).unwrap();
    assert_eq!(got, credentials("AKIDX", "S", Some("T")));
}

#[test]
fn the_configured_provider_is_cached() {
    let source = CountingProvider::default();
    let c = Config::builder().credentials_provider(source.clone()).build();
    block_on(async {
        c.credentials.provide_credentials().await.unwrap();
        c.credentials.provide_credentials().await.unwrap();
    });
    assert_eq!(source.calls(), 1);
    assert!(format!("{:?}", c.credentials).contains("CachedProvider"), "{:?}", c.credentials);
}

#[test]
fn to_builder_keeps_every_field() {
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let source = CountingProvider::default();
    let original = Config::builder()
        .region(Region::new("ap-south-1"))
        .credentials_provider(source.clone())
        .endpoint_url("http://localhost:1")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::standard().with_max_attempts(9))
        .timeout_config(TimeoutConfig::builder().connect_timeout(Duration::from_secs(2)).build())
        .app_name(AppName::new("kept").unwrap())
        .validate_inputs(false)
        .http_client(FakeHttp::default())
        .sleep_impl(InstantSleep::default())
        .time_source(StaticTimeSource::new(at))
        .build();
    let copy = original.to_builder().build();
    assert_eq!(debug(&copy), debug(&original));
    assert!(copy.http_client().is_some() && copy.sleep_impl().is_some());
    assert_eq!(copy.time_source().unwrap().now(), at);
    assert_eq!(copy.behavior_version(), original.behavior_version());
    assert!(matches!(copy.service_endpoint, ServiceEndpoint::None));
    // The copy asks the same provider.
    block_on(copy.credentials.provide_credentials()).unwrap();
    assert_eq!(source.calls(), 1);
    assert!(copy.credentials_provider().is_some());
    let changed = original.to_builder().region(Region::new("us-west-2")).build();
    assert_eq!(changed.region(), Some(&Region::new("us-west-2")));
    assert_eq!(changed.endpoint_url(), Some("http://localhost:1"));
    // A configuration on the default chain stays on it.
    assert!(Config::builder().build().to_builder().build().credentials_provider().is_none());
}

#[test]
fn debug_does_not_show_the_secret() {
    let c = Config::builder()
        .region(Region::new("r"))
        .credentials_provider(credentials("AKIDX", "TOPSECRET", Some("SESSIONTOKEN")))
        .build();
    let shown = format!("{c:?}");
    assert!(shown.contains("AKIDX"), "{shown}");
    assert!(!shown.contains("TOPSECRET") && !shown.contains("SESSIONTOKEN"), "{shown}");
}

#[test]
fn the_request_compression_settings_are_read() {
    let c = Config::builder().request_min_compression_size_bytes(77).build();
    assert_eq!(c.request_min_compression_size(), Some(77));
    assert_eq!(Config::builder().disable_request_compression(true).build().request_min_compression_size(), None);
}

// ---------------------------------------------------------------------------------------------------------------
// Fakes for the SdkConfig tests

/// A provider counting its calls; clones share the count.
#[derive(Debug, Clone, Default)]
struct CountingProvider(Arc<AtomicUsize>);

impl CountingProvider {
    fn calls(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for CountingProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        future::ProvideCredentials::ready(Ok(credentials(&format!("AKID-COUNT-{n}"), "S", None)))
    }
}

/// An aws-config service configuration: values by service id, recording the keys it is asked for.
#[derive(Debug, Default)]
struct FakeServiceConfig {
    values: Vec<(&'static str, &'static str)>,
    asked: Arc<Mutex<Vec<(String, String, String)>>>,
}

impl LoadServiceConfig for FakeServiceConfig {
    fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
        self.asked.lock().unwrap().push((key.service_id().into(), key.env().into(), key.profile().into()));
        self.values.iter().find(|(id, _)| *id == key.service_id()).map(|(_, v)| (*v).to_owned())
    }
}

const SIGNED_AT: u64 = 1_700_000_000; // 2023-11-14T22:13:20Z

/// An `SdkConfig` with every setting the configuration takes.
fn full_sdk_config(http: &FakeHttp, sleep: &InstantSleep) -> SdkConfig {
    SdkConfig::builder()
        .region(Region::new("eu-central-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials("AKID-SDK", "SECRET-SDK", Some("TOKEN-SDK"))))
        .endpoint_url("http://sdk-config.invalid:7")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::standard().with_max_attempts(4))
        .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(7)).build())
        .behavior_version(BehaviorVersion::latest())
        .app_name(AppName::new("sdk-app").unwrap())
        .http_client(http.clone())
        .sleep_impl(sleep.clone())
        .time_source(StaticTimeSource::new(SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNED_AT)))
        .disable_request_compression(true)
        .request_min_compression_size_bytes(99)
        .build()
}

// ---------------------------------------------------------------------------------------------------------------
// From an SdkConfig

#[test]
fn builder_from_sdk_config_takes_every_setting() {
    let (http, sleep) = (FakeHttp::default(), InstantSleep::default());
    let sdk = full_sdk_config(&http, &sleep);
    let c = Builder::from(&sdk).build();
    assert_eq!(c.region(), Some(&Region::new("eu-central-1")));
    let got = block_on(c.credentials.provide_credentials()).unwrap();
    assert_eq!(keys(&got), ("AKID-SDK", "SECRET-SDK", Some("TOKEN-SDK")));
    assert!(c.credentials_provider().is_some());
    assert_eq!(c.endpoint_url(), Some("http://sdk-config.invalid:7"));
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(true), Some(true)));
    assert_eq!(c.retry.max_attempts(), 4);
    assert_eq!(c.timeouts.operation_attempt_timeout(), Some(Duration::from_secs(7)));
    assert_eq!(c.timeouts.connect_timeout(), None, "the SdkConfig's timeouts, not the defaults");
    assert_eq!(c.behavior_version(), Some(BehaviorVersion::latest()));
    assert_eq!(c.app_name().map(ToString::to_string).as_deref(), Some("sdk-app"));
    assert!(c.http_client().is_some());
    block_on(c.sleep_impl().expect("the SdkConfig's sleep").sleep(Duration::from_secs(123)));
    assert_eq!(sleep.asked(), [Duration::from_secs(123)]);
    assert_eq!(c.time_source().unwrap().now(), SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNED_AT));
    assert_eq!(c.request_min_compression_size(), None);
    assert!(c.validate_inputs, "validation is this crate's own setting: on");
    assert_eq!(debug(&Config::new(&sdk)), debug(&c));
}

#[test]
fn an_empty_sdk_config_gives_the_defaults() {
    let c = Config::new(&SdkConfig::builder().build());
    let d = Config::builder().build();
    assert_eq!(debug(&c), debug(&d));
    assert!(c.credentials_provider().is_none() && c.http_client().is_none() && c.sleep_impl().is_none());
}

#[test]
fn the_compression_minimum_from_an_sdk_config_applies_when_compression_is_on() {
    let sdk = SdkConfig::builder().request_min_compression_size_bytes(99).build();
    assert_eq!(Config::new(&sdk).request_min_compression_size(), Some(99));
}

#[test]
fn builder_calls_after_from_sdk_config_override_it() {
    let sdk = full_sdk_config(&FakeHttp::default(), &InstantSleep::default());
    let c = Builder::from(&sdk)
        .region(Region::new("xx-by-hand-1"))
        .credentials_provider(credentials("AKID-HAND", "S", None))
        .endpoint_url("http://by-hand.invalid:9")
        .retry_config(RetryConfig::disabled())
        .build();
    assert_eq!(c.region(), Some(&Region::new("xx-by-hand-1")));
    assert_eq!(keys(&block_on(c.credentials.provide_credentials()).unwrap()).0, "AKID-HAND");
    assert_eq!(c.retry.max_attempts(), 1);
    assert_eq!(c.for_service("Sage Maker").endpoint_url(), Some("http://by-hand.invalid:9"));
}

#[tokio::test(start_paused = true)]
async fn a_client_from_an_sdk_config_sends_through_its_http_client() {
    let http = FakeHttp::new([Reply::Respond(response(200, r#"{"Name":"via-sdk-config"}"#))]);
    let sleep = InstantSleep::default();
    let mut sdk = full_sdk_config(&http, &sleep).into_builder();
    sdk.set_endpoint_url(None);
    let handle = Handle::new(Config::new(&sdk.build()), &CONFIGURED_ENDPOINT_SERVICE);
    let out = invoke(&handle, op(), b"{}".to_vec()).await.unwrap();
    assert_eq!(out.name.as_deref(), Some("via-sdk-config"));
    let req = &http.requests()[0];
    assert_eq!(req.uri.to_string(), "https://svc.example.com/");
    // Signed with the SdkConfig's credentials, region and clock.
    let auth = req.header("authorization").unwrap();
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKID-SDK/20231114/eu-central-1/svcsigning/aws4_request"),
        "{auth}"
    );
    assert_eq!(req.header("x-amz-date"), Some("20231114T221320Z"));
    assert_eq!(req.header("x-amz-security-token"), Some("TOKEN-SDK"));
    assert_eq!(req.header("user-agent"), Some("svc-client/1.2.3 app/sdk-app"));
    // The attempt timeout of the SdkConfig runs on its sleep.
    assert_eq!(sleep.asked(), [Duration::from_secs(7)]);
}

#[tokio::test(start_paused = true)]
async fn a_client_from_an_sdk_config_waits_on_its_sleep() {
    let http = FakeHttp::new([Reply::Respond(response(503, "")), Reply::Hang]);
    let sleep = InstantSleep::default();
    let sdk = SdkConfig::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials("A", "S", None)))
        .retry_config(RetryConfig::standard().with_max_attempts(2).with_initial_backoff(Duration::from_secs(30)))
        .timeout_config(TimeoutConfig::builder().operation_attempt_timeout(Duration::from_secs(600)).build())
        .http_client(http.clone())
        .sleep_impl(sleep.clone())
        .build();
    let start = tokio::time::Instant::now();
    let err = invoke(&Handle::new(Config::new(&sdk), &SERVICE), op(), b"{}".to_vec()).await.unwrap_err();
    // The backoff and the second attempt's timeout were the SdkConfig's sleep, which returns at once: no time
    // passed on tokio's clock, and the hanging attempt timed out.
    assert!(matches!(err, crate::error::SdkError::TimeoutError(_)), "{err:?}");
    assert_eq!(start.elapsed(), Duration::ZERO);
    let asked = sleep.asked();
    assert_eq!(asked.len(), 3, "{asked:?}"); // attempt timeout, backoff, attempt timeout
    assert_eq!((asked[0], asked[2]), (Duration::from_secs(600), Duration::from_secs(600)));
    assert!(asked[1] <= Duration::from_secs(30), "{asked:?}");
}

#[test]
fn the_service_specific_endpoint_comes_from_the_sdk_configs_service_config() {
    let service_config =
        FakeServiceConfig { values: vec![("Sage Maker", "http://service-config.invalid:5")], ..Default::default() };
    let asked = service_config.asked.clone();
    let sdk = SdkConfig::builder().service_config(service_config).build();
    let c = Config::new(&sdk);
    assert_eq!(c.endpoint_url(), None, "applied for a service only");
    assert_eq!(c.for_service("Sage Maker").endpoint_url(), Some("http://service-config.invalid:5"));
    assert_eq!(*asked.lock().unwrap(), [("Sage Maker".into(), "AWS_ENDPOINT_URL".into(), "endpoint_url".into())]);
    // Another service finds nothing: no endpoint URL.
    assert_eq!(Config::new(&sdk).for_service("Svc").endpoint_url(), None);
}

#[test]
fn the_service_config_wins_over_an_endpoint_url_aws_config_read_from_the_environment() {
    let service_config =
        FakeServiceConfig { values: vec![("Sage Maker", "http://service-config.invalid:5")], ..Default::default() };
    let mut b = SdkConfig::builder().endpoint_url("http://global-from-env.invalid:1").service_config(service_config);
    b.insert_origin("endpoint_url", Origin::shared_environment_variable());
    let sdk = b.build();
    assert_eq!(Config::new(&sdk).for_service("Sage Maker").endpoint_url(), Some("http://service-config.invalid:5"));
    // A service the service configuration has nothing for uses the global endpoint.
    assert_eq!(Config::new(&sdk).for_service("Svc").endpoint_url(), Some("http://global-from-env.invalid:1"));
}

#[test]
fn an_endpoint_url_set_in_code_on_the_sdk_config_wins_over_the_service_config() {
    let service_config =
        FakeServiceConfig { values: vec![("Sage Maker", "http://service-config.invalid:5")], ..Default::default() };
    let asked = service_config.asked.clone();
    let mut b = SdkConfig::builder().endpoint_url("http://in-code.invalid:2").service_config(service_config);
    b.insert_origin("endpoint_url", Origin::shared_config());
    let c = Config::new(&b.build()).for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://in-code.invalid:2"));
    assert!(asked.lock().unwrap().is_empty());
}

#[test]
fn an_endpoint_url_set_on_the_builder_wins_over_the_service_config() {
    let service_config =
        FakeServiceConfig { values: vec![("Sage Maker", "http://service-config.invalid:5")], ..Default::default() };
    let sdk = SdkConfig::builder().service_config(service_config).build();
    let c = Builder::from(&sdk).endpoint_url("http://by-hand.invalid:9").build().for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://by-hand.invalid:9"));
    let mut b = Builder::from(&sdk);
    b.set_endpoint_url(None);
    assert_eq!(b.build().for_service("Sage Maker").endpoint_url(), None);
}

#[test]
fn to_builder_keeps_the_service_config_pending() {
    let service_config =
        FakeServiceConfig { values: vec![("Sage Maker", "http://service-config.invalid:5")], ..Default::default() };
    let sdk = SdkConfig::builder().service_config(service_config).build();
    let c = Config::new(&sdk).to_builder().region(Region::new("r")).build().for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://service-config.invalid:5"));
    assert!(matches!(c.service_endpoint, ServiceEndpoint::None), "applied once");
}

#[test]
fn a_client_from_an_sdk_config_sends_to_the_service_specific_endpoint() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let service_config = FakeServiceConfig {
        values: vec![("Sage Maker", "http://service-config.invalid:5/base")],
        ..Default::default()
    };
    let sdk = SdkConfig::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials("A", "S", None)))
        .http_client(http.clone())
        .service_config(service_config)
        .build();
    let handle = Handle::new(Config::new(&sdk), &CONFIGURED_ENDPOINT_SERVICE);
    block_on(invoke(&handle, op(), b"{}".to_vec())).unwrap();
    assert_eq!(http.requests()[0].uri.to_string(), "http://service-config.invalid:5/base/");
}

// ---------------------------------------------------------------------------------------------------------------
// from_env

#[test]
fn from_env_with_nothing_set() {
    let _env = EnvGuard::clean();
    let c = Config::from_env().build();
    assert_eq!(c.region(), None);
    assert_eq!(c.endpoint_url(), None);
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(false), Some(false)));
    assert_eq!(c.retry, RetryConfig::standard());
}

#[test]
fn from_env_reads_aws_region() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "xx-region-7");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-region-7"));
}

#[test]
fn from_env_falls_back_to_aws_default_region() {
    let env = EnvGuard::clean();
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-default-3"));
}

#[test]
fn aws_region_wins_over_aws_default_region() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "xx-region-7");
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-region-7"));
}

#[test]
fn an_empty_aws_region_counts_as_unset() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "");
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-default-3"));
}

#[test]
fn from_env_reads_the_profile_region_from_the_config_file() {
    let env = EnvGuard::clean();
    let file = TempFile::new("config", "[default]\nregion = xx-file-default\n[profile work]\nregion = xx-file-work\n");
    env.config_file(&file);
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-file-default"));
    env.set("AWS_PROFILE", "work");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-file-work"));
}

#[test]
fn the_region_variables_win_over_the_profile() {
    let env = EnvGuard::clean();
    let file = TempFile::new("config", "[default]\nregion = xx-file-default\n");
    env.config_file(&file);
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region().cloned(), region("xx-default-3"));
}

#[test]
fn from_env_reads_aws_endpoint_url() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL", "http://localhost:4566/global");
    assert_eq!(Config::from_env().build().endpoint_url(), Some("http://localhost:4566/global"));
}

#[test]
fn from_env_reads_the_fips_and_dual_stack_flags() {
    let env = EnvGuard::clean();
    env.set("AWS_USE_FIPS_ENDPOINT", "true");
    let c = Config::from_env().build();
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(true), Some(false)));
    env.set("AWS_USE_FIPS_ENDPOINT", "TRUE");
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "True");
    let c = Config::from_env().build();
    assert_eq!((c.use_fips(), c.use_dual_stack()), (Some(true), Some(true)));
}

#[test]
fn flags_other_than_true_are_false() {
    let env = EnvGuard::clean();
    for value in ["false", "FALSE", "", "no"] {
        env.set("AWS_USE_FIPS_ENDPOINT", value);
        assert_eq!(Config::from_env().build().use_fips(), Some(false), "{value:?}");
    }
}

#[test]
fn from_env_reads_aws_max_attempts() {
    let env = EnvGuard::clean();
    env.set("AWS_MAX_ATTEMPTS", "5");
    assert_eq!(Config::from_env().build().retry.max_attempts(), 5);
    env.set("AWS_MAX_ATTEMPTS", "0");
    assert_eq!(Config::from_env().build().retry.max_attempts(), 1);
}

#[test]
fn an_unreadable_aws_max_attempts_is_ignored() {
    let env = EnvGuard::clean();
    for value in ["many", "-1", "2.5"] {
        env.set("AWS_MAX_ATTEMPTS", value);
        assert_eq!(Config::from_env().build().retry.max_attempts(), 3, "{value:?}");
    }
}

#[test]
fn builder_calls_after_from_env_override_it() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "xx-region-7");
    env.set("AWS_MAX_ATTEMPTS", "8");
    let c = Config::from_env().region(Region::new("xx-by-hand-1")).retry_config(RetryConfig::disabled()).build();
    assert_eq!(c.region().cloned(), region("xx-by-hand-1"));
    assert_eq!(c.retry.max_attempts(), 1);
}

// ---------------------------------------------------------------------------------------------------------------
// The service-specific endpoint

#[test]
fn the_service_specific_endpoint_wins_over_aws_endpoint_url() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL", "http://global.invalid:1");
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    let c = Config::from_env().build().for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://sagemaker.invalid:2"));
}

#[test]
fn without_a_service_specific_endpoint_aws_endpoint_url_is_used() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL", "http://global.invalid:1");
    env.set("AWS_ENDPOINT_URL_SVC", "http://other-service.invalid:3");
    assert_eq!(Config::from_env().build().for_service("Sage Maker").endpoint_url(), Some("http://global.invalid:1"));
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "");
    assert_eq!(Config::from_env().build().for_service("Sage Maker").endpoint_url(), Some("http://global.invalid:1"));
}

#[test]
fn the_service_variable_name_is_the_sdk_id_upper_cased_with_underscores() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SVC", "http://svc.invalid:3");
    assert_eq!(Config::from_env().build().for_service("svc").endpoint_url(), Some("http://svc.invalid:3"));
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    assert_eq!(Config::from_env().build().for_service("sage maker").endpoint_url(), Some("http://sagemaker.invalid:2"));
}

#[test]
fn an_endpoint_set_by_hand_wins_over_the_service_variable() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    let c = Config::from_env().endpoint_url("http://by-hand.invalid:9").build().for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://by-hand.invalid:9"));
}

#[test]
fn a_configuration_not_from_the_environment_ignores_the_service_variable() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    assert_eq!(Config::builder().build().for_service("Sage Maker").endpoint_url(), None);
}

#[test]
fn the_service_variable_is_applied_once() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    env.set("AWS_ENDPOINT_URL_SVC", "http://svc.invalid:3");
    let c = Config::from_env().build().for_service("Sage Maker");
    assert!(matches!(c.service_endpoint, ServiceEndpoint::None));
    assert_eq!(c.for_service("Svc").endpoint_url(), Some("http://sagemaker.invalid:2"));
}

#[test]
fn to_builder_keeps_the_service_variable_pending() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    let c = Config::from_env().build().to_builder().region(Region::new("r")).build().for_service("Sage Maker");
    assert_eq!(c.endpoint_url(), Some("http://sagemaker.invalid:2"));
}

#[test]
fn a_client_sends_to_the_service_specific_endpoint() {
    let http = FakeHttp::new([Reply::Respond(response(200, "{}"))]);
    let handle = {
        let env = EnvGuard::clean();
        env.set("AWS_ENDPOINT_URL", "http://global.invalid:1");
        env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2/prefix");
        let config = Config::from_env()
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials("AKID", "SECRET", None))
            .http_client(http.clone())
            .build();
        Handle::new(config, &CONFIGURED_ENDPOINT_SERVICE)
    };
    assert_eq!(handle.config.endpoint_url(), Some("http://sagemaker.invalid:2/prefix"));
    block_on(invoke(&handle, op(), b"{}".to_vec())).unwrap();
    assert_eq!(http.requests()[0].uri.to_string(), "http://sagemaker.invalid:2/prefix/");
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks: the client's settings and one request's override

/// An input with a `@length` violation and a missing `@required` member, as a generated `validate()` reports it.
fn two_violations() -> Result<(), crate::validation::ValidationError> {
    use crate::validation::{length_str, Path, Violations};
    let mut out = Violations::new();
    length_str("", Some(1), None, &Path::Root.field("Name"), &mut out);
    out.required(&Path::Root.field("Token"));
    out.into_result("In")
}

fn kinds(r: Result<(), crate::validation::ValidationError>) -> Vec<crate::validation::ConstraintKind> {
    r.err().map(|e| e.violations().iter().map(|v| v.constraint().kind()).collect()).unwrap_or_default()
}

#[test]
fn input_checks_follow_the_client_and_the_request_override() {
    use crate::validation::ConstraintKind::{Length, Pattern, Required};
    let strict = Config::builder().build();
    assert_eq!(kinds(strict.check_input(None, two_violations)), [Length, Required]);
    // One request skips one kind: the other is still reported.
    let skip_length = ConfigOverride::new().skip_constraint(Length);
    assert_eq!(kinds(strict.check_input(Some(&skip_length), two_violations)), [Required]);
    // Skipping every kind that failed lets the request through; so does turning checks off for it.
    let skip_both = skip_length.clone().skip_constraint(Required);
    assert!(strict.check_input(Some(&skip_both), two_violations).is_ok());
    assert!(strict.check_input(Some(&ConfigOverride::new().validate_inputs(false)), two_violations).is_ok());
    // An override that says nothing changes nothing; a skipped kind that did not fail changes nothing either.
    assert_eq!(kinds(strict.check_input(Some(&ConfigOverride::new()), two_violations)), [Length, Required]);
    let skip_pattern = ConfigOverride::new().skip_constraint(Pattern);
    assert_eq!(kinds(strict.check_input(Some(&skip_pattern), two_violations)), [Length, Required]);
    // The client's skipped kinds and the request's add up.
    let client = Config::builder().skip_constraint(Required).build();
    assert_eq!(kinds(client.check_input(None, two_violations)), [Length]);
    assert!(client.check_input(Some(&skip_length), two_violations).is_ok());
    // A client with validation off can have it back for one request.
    let lenient = Config::builder().validate_inputs(false).build();
    assert!(lenient.check_input(None, two_violations).is_ok());
    let on = ConfigOverride::new().validate_inputs(true);
    assert_eq!(kinds(lenient.check_input(Some(&on), two_violations)), [Length, Required]);
    // When checks are off, `validate()` is not even called.
    assert!(lenient.check_input(None, || panic!("validation ran")).is_ok());
}

#[test]
fn skipped_kinds_show_in_debug_and_survive_to_builder() {
    use crate::validation::ConstraintKind::{Pattern, Range};
    let c = Config::builder().skip_constraint(Pattern).skip_constraint(Range).build();
    assert!(format!("{c:?}").contains("skipped_constraints: {Range, Pattern}"), "{c:?}");
    assert_eq!(c.to_builder().build().skipped_constraints, c.skipped_constraints);
}
