//! Pipeline definitions written in Rust (`definition_build`, re-exported by `definition`): the JSON each builder
//! writes, checked by hand against the format; the types expressions carry; and that a built definition is the value
//! `from_json` reads back. The generated argument builders and property paths are tested through the generated crate
//! (`tests/tests/definitions.rs`).

use crate::definition::{
    execution, ty, CacheConfig, CallbackStep, Condition, ConditionStep, Expr, FailStep, FromPath, LambdaStep, List,
    Map, Object, OutputType, Parameter, PipelineDefinition, PropertyFile, PropertyList, PropertyMap, PropertyPath,
    RetryPolicy, Step, Value,
};

fn json(v: impl Into<Value>) -> String {
    v.into().to_json()
}

/// The JSON of one step, as a definition writes it.
fn step_json(step: impl Into<Step>) -> String {
    let d = PipelineDefinition::builder().step(step).build().to_json();
    let step = d.strip_prefix(r#"{"Version":"2020-12-01","Steps":["#).and_then(|s| s.strip_suffix("]}"));
    step.unwrap_or_else(|| panic!("{d}")).to_owned()
}

#[test]
fn literals_and_references_write_the_format_and_carry_their_type() {
    assert_eq!(json(Expr::<ty::String>::from("ml.m5.xlarge")), r#""ml.m5.xlarge""#);
    assert_eq!(json(Expr::<ty::Integer>::from(3)), "3");
    assert_eq!(json(Expr::<ty::Float>::from(0.5)), "0.5");
    // An integer literal goes where a float goes, and is written as an integer.
    assert_eq!(json(Expr::<ty::Float>::from(2)), "2");
    assert_eq!(json(Expr::<ty::Boolean>::from(true)), "true");
    let id = execution::pipeline_execution_id();
    assert_eq!(json(&id), r#"{"Get":"Execution.PipelineExecutionId"}"#);
    assert_eq!(id.type_name(), "String");
    assert_eq!(json(execution::start_date_time()), r#"{"Get":"Execution.StartDateTime"}"#);
    let join = Expr::join("/", [Value::from("s3://bucket"), id.into(), Value::from(3)]);
    assert_eq!(
        json(&join),
        r#"{"Std:Join":{"On":"/","Values":["s3://bucket",{"Get":"Execution.PipelineExecutionId"},3]}}"#
    );
    assert_eq!(join.type_name(), "String");
    let metric = Expr::json_get("Evaluate", "Report", "metrics.mse.value");
    assert_eq!(
        json(&metric),
        r#"{"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Evaluate.PropertyFiles.Report"},"Path":"metrics.mse.value"}}"#
    );
    assert_eq!(metric.type_name(), "Any");
    // `Any` goes into a slot of any type; `Integer` into a `Float` slot; both keep what they write.
    let as_float: Expr<ty::Float> = metric.clone().into();
    assert_eq!((as_float.type_name(), as_float.value()), ("Float", metric.value()));
    let int: Expr<ty::Float> = Expr::<ty::Integer>::get("Parameters.N").into();
    assert_eq!(json(int), r#"{"Get":"Parameters.N"}"#);
}

#[test]
fn parameters_are_declarations_and_expressions() {
    let input = Parameter::string("InputData").default("s3://bucket/in").enum_values(["s3://bucket/in", "s3://b/2"]);
    let count = Parameter::integer("InstanceCount").default(2);
    let threshold = Parameter::float("Threshold").default(0.7);
    let flag = Parameter::boolean("Skip").default(false);
    let e: Expr<ty::String> = (&input).into();
    assert_eq!((json(&e), e.type_name()), (r#"{"Get":"Parameters.InputData"}"#.to_owned(), "String"));
    let e: Expr<ty::Integer> = (&count).into();
    assert_eq!(e.type_name(), "Integer");
    // An Integer parameter goes where a float goes.
    let e: Expr<ty::Float> = (&count).into();
    assert_eq!(json(e), r#"{"Get":"Parameters.InstanceCount"}"#);
    assert_eq!(threshold.expr().type_name(), "Float");
    assert_eq!(flag.expr().type_name(), "Boolean");
    let d =
        PipelineDefinition::builder().parameter(input).parameter(count).parameter(threshold).parameter(flag).build();
    assert_eq!(
        d.to_json(),
        concat!(
            r#"{"Version":"2020-12-01","Parameters":["#,
            r#"{"Name":"InputData","Type":"String","DefaultValue":"s3://bucket/in","EnumValues":["s3://bucket/in","s3://b/2"]},"#,
            r#"{"Name":"InstanceCount","Type":"Integer","DefaultValue":2},"#,
            r#"{"Name":"Threshold","Type":"Float","DefaultValue":0.7},"#,
            r#"{"Name":"Skip","Type":"Boolean","DefaultValue":false}]}"#
        )
    );
}

#[test]
fn objects_lists_and_maps_write_what_their_slots_take() {
    let o = Object::default().set::<Expr<ty::String>>("B", "x").set::<Expr<ty::Integer>>("A", 1);
    // Setting a member again replaces it in place.
    let o = o.set::<Expr<ty::String>>("B", "y");
    assert_eq!(json(o), r#"{"B":"y","A":1}"#);
    let list: List<Expr<ty::String>> = ["a", "b"].into();
    assert_eq!(json(list), r#"["a","b"]"#);
    let list: List<Expr<ty::String>> = vec![Expr::from("a"), execution::pipeline_name()].into();
    assert_eq!(json(list), r#"["a",{"Get":"Execution.PipelineName"}]"#);
    let map: Map<Expr<ty::String>> = [("epochs", "10"), ("lr", "0.1")].into();
    assert_eq!(json(map), r#"{"epochs":"10","lr":"0.1"}"#);
}

#[test]
fn property_paths_write_gets_by_member_index_name_and_key() {
    let root = PropertyPath::step("Train");
    assert_eq!(root.member("ModelArtifacts").as_str(), "Steps.Train.ModelArtifacts");
    let list: PropertyList<Expr<ty::Float>> = FromPath::from_path(root.member("FinalMetricDataList"));
    assert_eq!(json(list.index(0)), r#"{"Get":"Steps.Train.FinalMetricDataList[0]"}"#);
    let named: PropertyList<Expr<ty::Float>> = FromPath::from_path(root.member("FinalMetricDataList"));
    assert_eq!(json(named.named("val:acc")), r#"{"Get":"Steps.Train.FinalMetricDataList['val:acc']"}"#);
    let map: PropertyMap<Expr<ty::String>> = FromPath::from_path(root.member("Environment"));
    let value = map.get("KEY");
    assert_eq!((json(&value), value.type_name()), (r#"{"Get":"Steps.Train.Environment['KEY']"}"#.into(), "String"));
}

#[test]
fn hand_written_steps_write_the_format() {
    let lambda = LambdaStep::new("Notify")
        .function_arn("arn:aws:lambda:us-east-1:111122223333:function:notify")
        .input("run", execution::pipeline_execution_id())
        .input("n", 1)
        .output_parameter("status", OutputType::String)
        .depends_on("Train")
        .display_name("Notify")
        .description("tell someone");
    let status: Expr<ty::String> = lambda.properties().output_parameter("status");
    assert_eq!(json(&status), r#"{"Get":"Steps.Notify.OutputParameters['status']"}"#);
    let callback = CallbackStep::new("Wait")
        .sqs_queue_url("https://sqs.us-east-1.amazonaws.com/111122223333/q")
        .input("x", "y")
        .output_parameter("done", OutputType::Boolean)
        .depends_on(&lambda);
    let fail = FailStep::new("Stop").error_message(Expr::join(" ", [Value::from("mse"), status.into()]));
    assert_eq!(
        step_json(fail),
        concat!(
            r#"{"Name":"Stop","Type":"Fail","Arguments":{"ErrorMessage":{"Std:Join":{"On":" ","Values":"#,
            r#"["mse",{"Get":"Steps.Notify.OutputParameters['status']"}]}}}}"#
        )
    );
    let fail = FailStep::new("Stop").error_message("too high");
    let check = ConditionStep::new("Check")
        .condition(Condition::greater_than_or_equal_to(Expr::json_get("Eval", "Report", "mse"), 0.7))
        .condition(Condition::or([
            Condition::negate(Condition::equals(&Parameter::string("P"), "x")),
            Condition::is_in(execution::pipeline_name(), ["a", "b"]),
        ]))
        .if_step(fail)
        .retry_policy(RetryPolicy::new(["Step.SERVICE_FAULT"]).interval_seconds(1).backoff_rate(2.0).max_attempts(3))
        .cache_config(CacheConfig::enabled("P30D"));
    let outcome = check.properties().outcome();
    assert_eq!((json(&outcome), outcome.type_name()), (r#"{"Get":"Steps.Check.Outcome"}"#.into(), "Boolean"));
    let d = PipelineDefinition::builder()
        .experiment_config(execution::pipeline_name(), execution::pipeline_execution_id())
        .step(lambda)
        .step(callback)
        .step(check)
        .build();
    let expected = concat!(
        r#"{"Version":"2020-12-01","PipelineExperimentConfig":{"ExperimentName":{"Get":"Execution.PipelineName"},"#,
        r#""TrialName":{"Get":"Execution.PipelineExecutionId"}},"Steps":["#,
        r#"{"Name":"Notify","Type":"Lambda","DisplayName":"Notify","Description":"tell someone","DependsOn":["Train"],"#,
        r#""Arguments":{"run":{"Get":"Execution.PipelineExecutionId"},"n":1},"#,
        r#""OutputParameters":[{"OutputName":"status","OutputType":"String"}],"#,
        r#""FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:notify"},"#,
        r#"{"Name":"Wait","Type":"Callback","DependsOn":["Notify"],"Arguments":{"x":"y"},"#,
        r#""OutputParameters":[{"OutputName":"done","OutputType":"Boolean"}],"#,
        r#""SqsQueueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/q"},"#,
        r#"{"Name":"Check","Type":"Condition","Arguments":{"Conditions":["#,
        r#"{"Type":"GreaterThanOrEqualTo","LeftValue":{"Std:JsonGet":{"PropertyFile":"#,
        r#"{"Get":"Steps.Eval.PropertyFiles.Report"},"Path":"mse"}},"RightValue":0.7},"#,
        r#"{"Type":"Or","Conditions":[{"Type":"Not","Condition":{"Type":"Equals","LeftValue":"#,
        r#"{"Get":"Parameters.P"},"RightValue":"x"}},{"Type":"In","QueryValue":{"Get":"Execution.PipelineName"},"#,
        r#""Values":["a","b"]}]}],"#,
        r#""IfSteps":[{"Name":"Stop","Type":"Fail","Arguments":{"ErrorMessage":"too high"}}]},"#,
        r#""RetryPolicies":[{"ExceptionType":["Step.SERVICE_FAULT"],"IntervalSeconds":1,"BackoffRate":2.0,"#,
        r#""MaxAttempts":3}],"CacheConfig":{"Enabled":true,"ExpireAfter":"P30D"}}]}"#
    );
    assert_eq!(d.to_json(), expected);
    // The built value is the one `from_json` reads from its text.
    assert_eq!(PipelineDefinition::from_json(&d.to_json()).unwrap(), d);
}

#[test]
fn property_files_are_declared_and_read_by_json_get() {
    let step = FailStep::new("Eval").property_file(PropertyFile::new("Report", "evaluation", "evaluation.json"));
    let mse = step.json_get("Report", "metrics.mse.value");
    assert_eq!(
        json(&mse),
        r#"{"Std:JsonGet":{"PropertyFile":{"Get":"Steps.Eval.PropertyFiles.Report"},"Path":"metrics.mse.value"}}"#
    );
    let step = step.member("Extra", 1);
    assert_eq!(
        step_json(step),
        concat!(
            r#"{"Name":"Eval","Type":"Fail","PropertyFiles":[{"PropertyFileName":"Report","OutputName":"evaluation","#,
            r#""FilePath":"evaluation.json"}],"Extra":1}"#
        )
    );
}
