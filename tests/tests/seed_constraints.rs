//! Table tests for the constraints the seed API pages document (`../shared/seeds/`), with the model as the authority
//! where they differ: each bound at, just inside and just outside.

use sagemaker_pipelines::operation::retry_pipeline_execution::RetryPipelineExecutionInput;
use sagemaker_pipelines::operation::send_pipeline_execution_step_success::SendPipelineExecutionStepSuccessInput;
use sagemaker_pipelines::operation::start_pipeline_execution::{
    StartPipelineExecutionInput, StartPipelineExecutionInputBuilder,
};
use sagemaker_pipelines::types::{OutputParameter, Parameter, SelectedStep, SelectiveExecutionConfig};
use sagemaker_pipelines::validation::{Constraint, ValidationError};

const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/e";

/// The paths of the violations, or an empty list when valid.
fn paths(r: Result<(), ValidationError>) -> Vec<String> {
    match r {
        Ok(()) => Vec::new(),
        Err(e) => e.violations().iter().map(|v| v.path().to_owned()).collect(),
    }
}

fn start() -> StartPipelineExecutionInputBuilder {
    StartPipelineExecutionInput::builder().pipeline_name("p").client_request_token("t".repeat(32))
}

#[test]
fn client_request_token_is_32_to_128_characters() {
    for (len, ok) in [(31, false), (32, true), (33, true), (127, true), (128, true), (129, false)] {
        let input = start().client_request_token("x".repeat(len)).build().unwrap();
        let want: Vec<String> = if ok { vec![] } else { vec!["ClientRequestToken".into()] };
        assert_eq!(paths(input.validate()), want, "length {len}");
    }
    // Characters are code points, not bytes: 32 two-byte characters are fine.
    assert_eq!(paths(start().client_request_token("é".repeat(32)).build().unwrap().validate()), Vec::<String>::new());
}

#[test]
fn pipeline_version_id_is_at_least_one() {
    for (v, ok) in [(i64::MIN, false), (-1, false), (0, false), (1, true), (2, true), (i64::MAX, true)] {
        let input = start().pipeline_version_id(v).build().unwrap();
        assert_eq!(paths(input.validate()).is_empty(), ok, "PipelineVersionId {v}");
    }
    let err = start().pipeline_version_id(0).build().unwrap().validate().unwrap_err();
    assert_eq!(err.violations()[0].to_string(), "PipelineVersionId: must be at least 1, but is 0");
}

#[test]
fn pipeline_execution_display_name_bounds_and_pattern() {
    let table: &[(&str, &[&str])] = &[
        ("a", &[]),
        ("a-b", &[]),
        ("a--b", &[]),
        ("A1", &[]),
        // Too short, and no match either: a value that breaks its `@length` is not also run through its pattern.
        ("", &["PipelineExecutionDisplayName"]),
        ("-a", &["PipelineExecutionDisplayName"]),
        ("a-", &["PipelineExecutionDisplayName"]),
        ("a b", &["PipelineExecutionDisplayName"]),
        ("a_b", &["PipelineExecutionDisplayName"]),
    ];
    for (name, want) in table {
        let got = paths(start().pipeline_execution_display_name(*name).build().unwrap().validate());
        assert_eq!(got, *want, "{name:?}");
    }
    for (len, ok) in [(81, true), (82, true), (83, false)] {
        let got = paths(start().pipeline_execution_display_name("a".repeat(len)).build().unwrap().validate());
        assert_eq!(got.is_empty(), ok, "length {len}");
    }
}

#[test]
fn pipeline_parameters_hold_at_most_200_items() {
    let param = |i: usize| Parameter::builder().name(format!("P{i}")).value("v").build();
    for (n, ok) in [(0, true), (1, true), (199, true), (200, true), (201, false)] {
        let input = start().set_pipeline_parameters(Some((0..n).map(param).collect())).build().unwrap();
        let got = paths(input.validate());
        assert_eq!(got.is_empty(), ok, "{n} parameters: {got:?}");
    }
    // Each parameter is checked too, with its index in the path.
    let input = start()
        .pipeline_parameters(Parameter::builder().name("ok").value("v").build())
        .pipeline_parameters(Parameter::builder().name("bad name").value("v").build())
        .pipeline_parameters(Parameter::builder().value("v").build())
        .build()
        .unwrap();
    assert_eq!(paths(input.validate()), ["PipelineParameters[1].Name", "PipelineParameters[2].Name"]);
}

#[test]
fn selected_steps_are_checked_at_depth() {
    let config = |steps: Vec<SelectedStep>| {
        SelectiveExecutionConfig::builder().source_pipeline_execution_arn(ARN).set_selected_steps(Some(steps)).build()
    };
    let input = start().selective_execution_config(config(vec![SelectedStep::builder().build()])).build().unwrap();
    assert_eq!(paths(input.validate()), ["SelectiveExecutionConfig.SelectedSteps[0].StepName"]);
    let input = start().selective_execution_config(config(vec![])).build().unwrap();
    assert_eq!(paths(input.validate()), ["SelectiveExecutionConfig.SelectedSteps"]);
    let steps = (0..51).map(|i| SelectedStep::builder().step_name(format!("s{i}")).build()).collect();
    assert_eq!(
        paths(start().selective_execution_config(config(steps)).build().unwrap().validate()),
        ["SelectiveExecutionConfig.SelectedSteps"]
    );
}

#[test]
fn required_members_are_reported_even_though_optional_in_rust() {
    let err = StartPipelineExecutionInput::builder().build().unwrap().validate().unwrap_err();
    assert_eq!(
        err.violations().iter().map(|v| (v.path(), v.constraint().clone())).collect::<Vec<_>>(),
        [("ClientRequestToken", Constraint::Required), ("PipelineName", Constraint::Required)]
    );
    assert_eq!(
        err.to_string(),
        concat!(
            "2 invalid values in StartPipelineExecutionInput:\n  - ClientRequestToken: is required but was not set\n",
            "  - PipelineName: is required but was not set\n",
            "These checks follow the model this crate was generated from. If the service accepts the input, skip this \
kind of check for one request with \
`.config_override(config::ConfigOverride::new().skip_constraint(validation::ConstraintKind::Required))` on the \
request builder."
        )
    );
}

#[test]
fn send_step_success_output_parameters_and_callback_token() {
    let success = |token: &str, n: usize| {
        let params = (0..n).map(|i| OutputParameter::builder().name(format!("o{i}")).value("v").build()).collect();
        SendPipelineExecutionStepSuccessInput::builder()
            .callback_token(token)
            .set_output_parameters(Some(params))
            .build()
            .unwrap()
    };
    for (n, ok) in [(0, true), (49, true), (50, true), (51, false)] {
        assert_eq!(paths(success("abcdefghij", n).validate()).is_empty(), ok, "{n} output parameters");
    }
    let table: &[(&str, &[&str])] = &[
        ("abcdefghij", &[]),
        ("ABCDEFGHI0", &[]),
        ("abcdefghi", &["CallbackToken"]),
        ("abcdefghijk", &["CallbackToken"]),
        ("abcdefghi!", &["CallbackToken"]),
        // Too short, and no match either: reported for its length only.
        ("", &["CallbackToken"]),
    ];
    for (token, want) in table {
        assert_eq!(paths(success(token, 0).validate()), *want, "{token:?}");
    }
    assert_eq!(paths(SendPipelineExecutionStepSuccessInput::builder().build().unwrap().validate()), ["CallbackToken"]);
}

#[test]
fn retry_pipeline_execution_arn_and_token() {
    let retry = |arn: &str, token: &str| {
        RetryPipelineExecutionInput::builder().pipeline_execution_arn(arn).client_request_token(token).build().unwrap()
    };
    let token = "t".repeat(32);
    assert!(paths(retry(ARN, &token).validate()).is_empty());
    assert_eq!(
        paths(retry("arn:aws:sagemaker:us-east-1:1234:pipeline/p/execution/e", &token).validate()),
        ["PipelineExecutionArn"]
    );
    assert_eq!(paths(retry(ARN, "short").validate()), ["ClientRequestToken"]);
    let long_arn = format!("{ARN}{}", "x".repeat(2048 - ARN.len() + 1));
    assert_eq!(paths(retry(&long_arn, &token).validate()), ["PipelineExecutionArn"]);
}
