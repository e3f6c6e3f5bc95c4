//! Tests of `fluent`: `CustomizableOperation` over a stand-in fluent builder that reports the override it is sent
//! with, and the build-failure error.

use crate::config::ConfigOverride;
use crate::error::{BuildError, SdkError};
use crate::fluent::{CustomizableOperation, CustomizableSend, Customization, SendFuture};
use crate::validation::ConstraintKind;

/// A fluent builder with its own override, whose request "sends" by returning the override it would use.
#[derive(Clone, Debug)]
struct Builder {
    config_override: Option<ConfigOverride>,
}

impl CustomizableSend<Option<ConfigOverride>, String> for Builder {
    fn send_with_override(mut self, customization: Customization) -> SendFuture<Option<ConfigOverride>, String> {
        self.config_override = customization.apply(self.config_override.take());
        SendFuture::new(Box::pin(async move { Ok(Box::new(self.config_override) as crate::invoke::Erased) }))
    }
}

/// An override as its `Debug` text (overrides carry interceptors and providers, which have no equality).
fn text(o: Option<ConfigOverride>) -> String {
    format!("{o:?}")
}

fn customize(own: Option<ConfigOverride>) -> CustomizableOperation<Option<ConfigOverride>, String, Builder> {
    CustomizableOperation::new(Builder { config_override: own })
}

#[tokio::test]
async fn the_override_given_to_customize_is_sent() {
    let o = ConfigOverride::new().skip_constraint(ConstraintKind::Pattern);
    assert_eq!(text(customize(None).config_override(o.clone()).send().await.unwrap()), text(Some(o)));
}

#[tokio::test]
async fn it_replaces_the_builders_own_override() {
    let own = ConfigOverride::new().validate_inputs(false);
    let o = ConfigOverride::new().skip_constraint(ConstraintKind::Length);
    assert_eq!(text(customize(Some(own)).config_override(o.clone()).send().await.unwrap()), text(Some(o)));
}

#[tokio::test]
async fn without_one_the_builders_own_override_is_kept() {
    let own = ConfigOverride::new().validate_inputs(false);
    assert_eq!(text(customize(Some(own.clone())).send().await.unwrap()), text(Some(own)));
    assert!(customize(None).send().await.unwrap().is_none());
}

#[tokio::test]
async fn the_last_override_wins() {
    let first = ConfigOverride::new().validate_inputs(false);
    let last = ConfigOverride::new().skip_constraint(ConstraintKind::Range);
    let op = customize(None).config_override(first).config_override(last.clone());
    assert_eq!(text(op.send().await.unwrap()), text(Some(last)));
}

#[tokio::test]
async fn a_customized_operation_clones_and_prints() {
    let op = customize(None).config_override(ConfigOverride::new().validate_inputs(false));
    let printed = format!("{op:?}");
    assert!(printed.starts_with("CustomizableOperation {"), "{printed}");
    assert!(printed.contains("validate_inputs: Some(false)"), "{printed}");
    assert_eq!(text(op.clone().send().await.unwrap()), text(op.send().await.unwrap()));
}

#[tokio::test]
async fn interceptors_given_to_customize_join_the_builders_own_override() {
    let own = ConfigOverride::new().validate_inputs(false);
    let sent = customize(Some(own)).mutate_request(|_| {}).send().await.unwrap().unwrap();
    let printed = format!("{sent:?}");
    assert!(printed.contains("validate_inputs: Some(false)"), "{printed}");
    assert!(printed.contains("MutateRequest"), "{printed}");
    let sent = customize(None).mutate_request(|_| {}).send().await.unwrap();
    assert!(format!("{sent:?}").contains("MutateRequest"), "{sent:?}");
}

#[test]
fn a_build_failure_is_an_error_before_sending_that_names_the_member() {
    let e: SdkError<crate::error::Unhandled> =
        SdkError::from(BuildError::missing_field("pipeline_name", "it is required"));
    assert!(matches!(e, SdkError::ConstructionFailure(_)), "{e:?}");
    let source = e.into_source().map(|s| s.to_string()).unwrap_or_default();
    assert_eq!(source, "pipeline_name was missing: it is required");
}

#[test]
fn overrides_of_validation_compare_and_those_with_settings_equal_nothing() {
    let skip = || ConfigOverride::new().skip_constraint(ConstraintKind::Pattern);
    assert_eq!(skip(), skip());
    assert_ne!(skip(), ConfigOverride::new());
    let with_settings =
        ConfigOverride::from(crate::config::Builder::new().app_name(crate::config::AppName::new("a").unwrap()));
    assert_ne!(with_settings, with_settings.clone());
    assert_ne!(with_settings, ConfigOverride::new());
}
