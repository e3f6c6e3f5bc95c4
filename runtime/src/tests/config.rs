//! Tests of `config`: retry and timeout settings, the builder, `from_env` and the service-specific endpoint.
//! (Backoff is tested in `timing`.) Every test that reads the environment holds an [`EnvGuard`].

use std::time::Duration;

use crate::config::*;
use crate::credentials::Credentials;
use crate::invoke::{invoke, Handle};

use super::support::*;

// ---------------------------------------------------------------------------------------------------------------
// RetryConfig and TimeoutConfig

#[test]
fn standard_retries_make_three_attempts() {
    assert_eq!(RetryConfig::standard().max_attempts(), 3);
    assert_eq!(RetryConfig::default(), RetryConfig::standard());
}

#[test]
fn disabled_retries_make_one_attempt() {
    assert_eq!(RetryConfig::disabled().max_attempts(), 1);
}

#[test]
fn max_attempts_is_at_least_one() {
    assert_eq!(RetryConfig::standard().with_max_attempts(0).max_attempts(), 1);
    assert_eq!(RetryConfig::standard().with_max_attempts(7).max_attempts(), 7);
}

#[test]
fn timeout_defaults_are_3s_to_connect_and_60s_per_attempt() {
    let t = TimeoutConfig::default();
    assert_eq!(t.connect_timeout(), Some(Duration::from_secs(3)));
    assert_eq!(t.attempt_timeout(), Some(Duration::from_secs(60)));
}

#[test]
fn timeouts_can_be_changed_or_removed() {
    let t = TimeoutConfig::default().with_connect_timeout(None).with_attempt_timeout(Some(Duration::from_millis(1)));
    assert_eq!(t.connect_timeout(), None);
    assert_eq!(t.attempt_timeout(), Some(Duration::from_millis(1)));
}

// ---------------------------------------------------------------------------------------------------------------
// The builder

#[test]
fn builder_defaults() {
    let c = Config::builder().build();
    assert_eq!(c.region(), None);
    assert_eq!(c.endpoint_url(), None);
    assert!(!c.use_fips());
    assert!(!c.use_dual_stack());
    assert!(c.validate_inputs);
    assert_eq!(c.retry, RetryConfig::standard());
    assert_eq!(c.timeouts, TimeoutConfig::default());
    assert!(c.http_client.is_none());
    assert!(!c.service_endpoint_from_env);
}

#[test]
fn builder_sets_every_field() {
    let c = Config::builder()
        .region("eu-west-3")
        .endpoint_url("http://localhost:8080")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::disabled())
        .timeout_config(TimeoutConfig::default().with_attempt_timeout(None))
        .validate_inputs(false)
        .http_client(FakeHttp::default())
        .build();
    assert_eq!(c.region(), Some("eu-west-3"));
    assert_eq!(c.endpoint_url(), Some("http://localhost:8080"));
    assert!(c.use_fips() && c.use_dual_stack());
    assert_eq!(c.retry.max_attempts(), 1);
    assert_eq!(c.timeouts.attempt_timeout(), None);
    assert!(!c.validate_inputs);
    assert!(c.http_client.is_some());
}

#[test]
fn fixed_credentials_are_used_as_given() {
    let c = Config::builder().credentials(Credentials::new("AKIDX", "S", Some("T".into()))).build();
    let got = block_on(c.credentials.provide_credentials()).unwrap();
    assert_eq!(got, Credentials::new("AKIDX", "S", Some("T".into())));
}

#[test]
fn to_builder_keeps_every_field() {
    let original = Config::builder()
        .region("ap-south-1")
        .credentials(Credentials::new("AKIDX", "S", None))
        .endpoint_url("http://localhost:1")
        .use_fips(true)
        .use_dual_stack(true)
        .retry_config(RetryConfig::standard().with_max_attempts(9))
        .timeout_config(TimeoutConfig::default().with_connect_timeout(None))
        .validate_inputs(false)
        .http_client(FakeHttp::default())
        .build();
    let copy = original.to_builder().build();
    assert_eq!(format!("{copy:?}"), format!("{original:?}"));
    assert!(std::sync::Arc::ptr_eq(&copy.credentials, &original.credentials));
    assert!(copy.http_client.is_some());
    assert_eq!(copy.service_endpoint_from_env, original.service_endpoint_from_env);
    let changed = original.to_builder().region("us-west-2").build();
    assert_eq!(changed.region(), Some("us-west-2"));
    assert_eq!(changed.endpoint_url(), Some("http://localhost:1"));
}

#[test]
fn debug_does_not_show_the_secret() {
    let c = Config::builder()
        .region("r")
        .credentials(Credentials::new("AKIDX", "TOPSECRET", Some("SESSIONTOKEN".into())))
        .build();
    let shown = format!("{c:?}");
    assert!(shown.contains("AKIDX"), "{shown}");
    assert!(!shown.contains("TOPSECRET") && !shown.contains("SESSIONTOKEN"), "{shown}");
}

// ---------------------------------------------------------------------------------------------------------------
// from_env

#[test]
fn from_env_with_nothing_set() {
    let _env = EnvGuard::clean();
    let c = Config::from_env().build();
    assert_eq!(c.region(), None);
    assert_eq!(c.endpoint_url(), None);
    assert!(!c.use_fips() && !c.use_dual_stack());
    assert_eq!(c.retry, RetryConfig::standard());
}

#[test]
fn from_env_reads_aws_region() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "xx-region-7");
    assert_eq!(Config::from_env().build().region(), Some("xx-region-7"));
}

#[test]
fn from_env_falls_back_to_aws_default_region() {
    let env = EnvGuard::clean();
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region(), Some("xx-default-3"));
}

#[test]
fn aws_region_wins_over_aws_default_region() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "xx-region-7");
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region(), Some("xx-region-7"));
}

#[test]
fn an_empty_aws_region_counts_as_unset() {
    let env = EnvGuard::clean();
    env.set("AWS_REGION", "");
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region(), Some("xx-default-3"));
}

#[test]
fn from_env_reads_the_profile_region_from_the_config_file() {
    let env = EnvGuard::clean();
    let file = TempFile::new("config", "[default]\nregion = xx-file-default\n[profile work]\nregion = xx-file-work\n");
    env.config_file(&file);
    assert_eq!(Config::from_env().build().region(), Some("xx-file-default"));
    env.set("AWS_PROFILE", "work");
    assert_eq!(Config::from_env().build().region(), Some("xx-file-work"));
}

#[test]
fn the_region_variables_win_over_the_profile() {
    let env = EnvGuard::clean();
    let file = TempFile::new("config", "[default]\nregion = xx-file-default\n");
    env.config_file(&file);
    env.set("AWS_DEFAULT_REGION", "xx-default-3");
    assert_eq!(Config::from_env().build().region(), Some("xx-default-3"));
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
    assert!(c.use_fips() && !c.use_dual_stack());
    env.set("AWS_USE_FIPS_ENDPOINT", "TRUE");
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "True");
    let c = Config::from_env().build();
    assert!(c.use_fips() && c.use_dual_stack());
}

#[test]
fn flags_other_than_true_are_false() {
    let env = EnvGuard::clean();
    for value in ["false", "FALSE", "", "no"] {
        env.set("AWS_USE_FIPS_ENDPOINT", value);
        assert!(!Config::from_env().build().use_fips(), "{value:?}");
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
    let c = Config::from_env().region("xx-by-hand-1").retry_config(RetryConfig::disabled()).build();
    assert_eq!(c.region(), Some("xx-by-hand-1"));
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
    assert!(!c.service_endpoint_from_env);
    assert_eq!(c.for_service("Svc").endpoint_url(), Some("http://sagemaker.invalid:2"));
}

#[test]
fn to_builder_keeps_the_service_variable_pending() {
    let env = EnvGuard::clean();
    env.set("AWS_ENDPOINT_URL_SAGE_MAKER", "http://sagemaker.invalid:2");
    let c = Config::from_env().build().to_builder().region("r").build().for_service("Sage Maker");
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
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
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
