//! Pipeline definitions: the JSON document `CreatePipeline` and `UpdatePipeline` carry as `PipelineDefinition`,
//! typed, read and written back, and checked against the model before anything is sent.
//!
//! [`PipelineDefinition::from_json`] reads what the SageMaker Python SDK writes (`pipeline.definition()`), what
//! `DescribePipeline` and `DescribePipelineDefinitionForExecution` return, and what [`PipelineDefinition::to_json`]
//! writes. The envelope is typed: the version, metadata, parameters, the experiment configuration, and each step's
//! common fields (`Name`, `Type`, `DependsOn`, `DisplayName`, `Description`, `RetryPolicies`, `CacheConfig`,
//! `PropertyFiles`, `OutputParameters`), a condition step's conditions and branches. A step's `Arguments` are a JSON
//! [`Value`]: for the step kinds whose arguments are a request of the model (`Training` is `CreateTrainingJob`'s), the
//! crate's schema tables say what they may hold, and `check()` walks them.
//!
//! Nothing is dropped: a member this crate does not know (a newer SDK's), and a known member whose value is not of
//! the kind this crate types it with, stay in the `other` members of the object they were in and are written back
//! (after the typed ones), so `to_json()` of `from_json(text)` equals `text` as a JSON value. `check()` then reports
//! them, with every other problem, at once.
//!
//! Reading is linear in the text, iterative, and refuses nesting deeper than 128 levels; so is writing.

use std::fmt;

use crate::aws_json::JsonError;
pub use crate::definition_build::{
    execution, kind, ty, CallbackStep, ConditionProperties, ConditionStep, Expr, FailStep, FromPath, LambdaStep, List,
    Literal, Map, NoProperties, Object, OutputProperties, OutputType, Param, PipelineDefinitionBuilder, PropertyList,
    PropertyMap, PropertyPath, RequestStep, StepName, StepOf, StepType, VERSION,
};
pub use crate::json::Value;

/// A pipeline definition.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PipelineDefinition {
    /// `Version`: the definition format, `2020-12-01`.
    pub version: Option<String>,
    /// `Metadata`: an object of strings.
    pub metadata: Option<Value>,
    /// `Parameters`: the values an execution may set.
    pub parameters: Option<Vec<Parameter>>,
    /// `PipelineExperimentConfig`: the experiment and trial that executions record to (`ExperimentName`,
    /// `TrialName`, each a string or an expression).
    pub pipeline_experiment_config: Option<Value>,
    /// `Steps`.
    pub steps: Option<Vec<Step>>,
    /// Members this crate does not type (a newer format's, such as `MlflowConfig`), and typed ones whose value is of
    /// another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// A pipeline parameter.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Parameter {
    /// `Name`.
    pub name: Option<String>,
    /// `Type` (a parameter without one is a `String`).
    pub parameter_type: Option<ParameterType>,
    /// `DefaultValue`.
    pub default_value: Option<Value>,
    /// `EnumValues`: the values a `String` parameter may take.
    pub enum_values: Option<Vec<Value>>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// The type of a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterType {
    /// `String`.
    String,
    /// `Integer`.
    Integer,
    /// `Float`.
    Float,
    /// `Boolean`.
    Boolean,
    /// A type this crate does not know, as written.
    Unknown(String),
}

impl ParameterType {
    /// The type as written in a definition.
    pub fn as_str(&self) -> &str {
        match self {
            ParameterType::String => "String",
            ParameterType::Integer => "Integer",
            ParameterType::Float => "Float",
            ParameterType::Boolean => "Boolean",
            ParameterType::Unknown(s) => s,
        }
    }
}

impl From<&str> for ParameterType {
    fn from(s: &str) -> Self {
        match s {
            "String" => ParameterType::String,
            "Integer" => ParameterType::Integer,
            "Float" => ParameterType::Float,
            "Boolean" => ParameterType::Boolean,
            other => ParameterType::Unknown(other.to_owned()),
        }
    }
}

/// A step.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Step {
    /// `Name`, unique in the pipeline.
    pub name: Option<String>,
    /// `Type`: `Training`, `Processing`, `Condition`, …
    pub step_type: Option<String>,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `DependsOn`: the steps that must end before this one starts.
    pub depends_on: Option<Vec<DependsOn>>,
    /// `Arguments`.
    pub arguments: Option<Arguments>,
    /// `RetryPolicies`.
    pub retry_policies: Option<Vec<RetryPolicy>>,
    /// `CacheConfig`.
    pub cache_config: Option<CacheConfig>,
    /// `PropertyFiles`: JSON files of the step's outputs that `Std:JsonGet` reads.
    pub property_files: Option<Vec<PropertyFile>>,
    /// `OutputParameters` of a `Lambda` or `Callback` step.
    pub output_parameters: Option<Vec<OutputParameter>>,
    /// The kind's own members (`FunctionArn`, `CheckType`, …), members this crate does not type, and typed ones of
    /// another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// An entry of `DependsOn`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DependsOn {
    /// A step's name.
    Step(String),
    /// Anything else (an object with a `Trigger`), as read.
    Other(Value),
}

/// A step's `Arguments`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Arguments {
    /// A condition step's: its conditions and branches.
    Condition(ConditionArguments),
    /// Any other step's, as a JSON value.
    Value(Value),
}

/// The `Arguments` of a `Condition` step.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ConditionArguments {
    /// `Conditions`: all must hold for the `IfSteps` to run.
    pub conditions: Option<Vec<Condition>>,
    /// `IfSteps`.
    pub if_steps: Option<Vec<Step>>,
    /// `ElseSteps`.
    pub else_steps: Option<Vec<Step>>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// A condition of a `Condition` step.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// `Equals`, `GreaterThan`, `GreaterThanOrEqualTo`, `LessThan`, `LessThanOrEqualTo` (`Type`), of `LeftValue` and
    /// `RightValue`.
    Comparison {
        /// `Type`.
        comparison: String,
        /// `LeftValue`: a literal or an expression.
        left: Value,
        /// `RightValue`.
        right: Value,
    },
    /// `In`: whether `QueryValue` is one of `Values`.
    In {
        /// `QueryValue`.
        query: Value,
        /// `Values`.
        values: Vec<Value>,
    },
    /// `Not` of a `Condition`.
    Not(Box<Condition>),
    /// `Or` of `Conditions`.
    Or(Vec<Condition>),
    /// Any other form, as read.
    Other(Value),
}

/// A retry policy of a step.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// `ExceptionType`: the failures retried (`Step.SERVICE_FAULT`, `SageMaker.CAPACITY_ERROR`, …).
    pub exception_types: Option<Vec<String>>,
    /// `IntervalSeconds` before the first retry.
    pub interval_seconds: Option<i64>,
    /// `BackoffRate`: the factor the interval grows by.
    pub backoff_rate: Option<f64>,
    /// `MaxAttempts`.
    pub max_attempts: Option<i64>,
    /// `ExpireAfterMin`.
    pub expire_after_min: Option<i64>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// A step's `CacheConfig`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CacheConfig {
    /// `Enabled`.
    pub enabled: Option<bool>,
    /// `ExpireAfter`: an ISO 8601 duration (`P30D`, `PT1H`).
    pub expire_after: Option<String>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// A property file of a step.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct PropertyFile {
    /// `PropertyFileName`.
    pub name: Option<String>,
    /// `OutputName`: the step's output that holds the file.
    pub output_name: Option<String>,
    /// `FilePath` in that output.
    pub file_path: Option<String>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// An output parameter of a `Lambda` or `Callback` step.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct OutputParameter {
    /// `OutputName`.
    pub output_name: Option<String>,
    /// `OutputType`: `String`, `Integer`, `Float` or `Boolean`.
    pub output_type: Option<String>,
    /// Members this crate does not type, and typed ones of another kind, as read.
    pub other: Vec<(String, Value)>,
}

/// Why a text is not a pipeline definition: it is not JSON, nests too deep, or is not an object. Everything else is
/// read, and `PipelineDefinition::check` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError(JsonError);

impl ReadError {
    /// The JSON path of the value at fault.
    pub fn path(&self) -> String {
        self.0.path()
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a pipeline definition: {}", self.0)
    }
}

impl std::error::Error for ReadError {}

/// One problem `check()` found: where, and what. Control characters of the definition's names and values (a member
/// name with a line break) are escaped in both (`\n`, `\u{1b}`), so that each problem is one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    path: String,
    message: String,
}

impl Issue {
    pub(crate) fn new(path: String, message: String) -> Self {
        Issue { path: one_line(path), message: one_line(message) }
    }

    /// The JSON path of the value at fault (`$.Steps[2].Arguments.ResourceConfig.InstanceType`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, and what is allowed.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// `text` with its control characters escaped as Rust escapes them (`\n`, `\t`, `\u{1b}`).
fn one_line(text: String) -> String {
    if !text.chars().any(char::is_control) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every problem `check()` found in a definition, in the order of the definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    issues: Vec<Issue>,
}

impl CheckError {
    pub(crate) fn new(issues: Vec<Issue>) -> Self {
        CheckError { issues }
    }

    /// The problems.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(f, "{n} problem{} in the pipeline definition:", if n == 1 { "" } else { "s" })?;
        for issue in &self.issues {
            write!(f, "\n{issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CheckError {}

impl CheckError {
    /// The problems as the validation error of the input `shape`, each at the definition's member `member`.
    pub(crate) fn to_validation_error(&self, shape: &'static str, member: &str) -> crate::validation::ValidationError {
        crate::validation::ValidationError::definition(
            shape,
            member,
            self.issues.iter().map(|i| (i.path.as_str(), i.message.as_str())),
        )
    }
}

/// What `send` of an operation given a typed definition (`.definition(..)`) does first: report what the definition's
/// `check()` found as input validation of the input `shape`'s member `member`, unless the client's configuration or
/// the request's override turns that kind of check off.
pub(crate) fn check_before_send(
    problems: Option<&CheckError>,
    config: &crate::config::Config,
    config_override: Option<&crate::config::ConfigOverride>,
    shape: &'static str,
    member: &str,
) -> Result<(), crate::validation::ValidationError> {
    match problems {
        None => Ok(()),
        Some(problems) => config.check_input(config_override, || Err(problems.to_validation_error(shape, member))),
    }
}

impl PipelineDefinition {
    /// An empty definition.
    pub fn new() -> Self {
        PipelineDefinition::default()
    }

    /// Read a definition. Only text that is not JSON, nests deeper than 128 levels or is not an object fails;
    /// anything else is kept for [`to_json`](Self::to_json) and judged by `check()`.
    pub fn from_json(text: &str) -> Result<PipelineDefinition, ReadError> {
        match crate::json::parse(text).map_err(ReadError)? {
            Value::Object(members) => Ok(PipelineDefinition::from_members(Members(members))),
            other => Err(ReadError(JsonError::new(format!("expected an object, found {}", other.kind())))),
        }
    }

    /// The definition as JSON text (without white space): the typed members first, then the others as read.
    pub fn to_json(&self) -> String {
        self.to_value().to_json()
    }

    /// The definition as a JSON value.
    pub fn to_value(&self) -> Value {
        self.write::<Out>()
    }

    /// The characters of [`to_json`](Self::to_json)'s text, counted without writing it (nor copying the definition).
    pub(crate) fn json_chars(&self) -> usize {
        self.write::<Count>()
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.string("Version", &self.version);
        out.value("Metadata", &self.metadata);
        out.list("Parameters", &self.parameters, Parameter::write::<S>);
        out.value("PipelineExperimentConfig", &self.pipeline_experiment_config);
        out.list("Steps", &self.steps, Step::write::<S>);
        out.finish(&self.other)
    }

    fn from_members(mut m: Members) -> Self {
        PipelineDefinition {
            version: m.string("Version"),
            metadata: m.take("Metadata", |v| matches!(v, Value::Object(_))),
            parameters: m.objects("Parameters", Parameter::from_members),
            pipeline_experiment_config: m.take("PipelineExperimentConfig", |v| matches!(v, Value::Object(_))),
            steps: m.objects("Steps", Step::from_members),
            other: m.0,
        }
    }
}

impl Parameter {
    fn from_members(mut m: Members) -> Self {
        Parameter {
            name: m.string("Name"),
            parameter_type: m.string("Type").map(|t| ParameterType::from(t.as_str())),
            default_value: m.take("DefaultValue", |_| true),
            enum_values: m.list("EnumValues", |_| true, |v| v),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.string("Name", &self.name);
        out.string("Type", &self.parameter_type.as_ref().map(|t| t.as_str().to_owned()));
        out.value("DefaultValue", &self.default_value);
        out.list("EnumValues", &self.enum_values, S::of_ref);
        out.finish(&self.other)
    }
}

impl Step {
    /// A step read from a value that is an object (a ForEach step's body holds its steps in its arguments).
    pub(crate) fn from_value(v: &Value) -> Option<Step> {
        v.as_object().map(|members| Step::from_members(Members(members.to_vec())))
    }

    fn from_members(mut m: Members) -> Self {
        let step_type = m.string("Type");
        let arguments = if step_type.as_deref() == Some("Condition") {
            m.object("Arguments", ConditionArguments::from_members).map(Arguments::Condition)
        } else {
            m.take("Arguments", |_| true).map(Arguments::Value)
        };
        Step {
            name: m.string("Name"),
            step_type,
            display_name: m.string("DisplayName"),
            description: m.string("Description"),
            depends_on: m.list(
                "DependsOn",
                |_| true,
                |v| match v {
                    Value::String(s) => DependsOn::Step(s),
                    other => DependsOn::Other(other),
                },
            ),
            arguments,
            retry_policies: m.objects("RetryPolicies", RetryPolicy::from_members),
            cache_config: m.object("CacheConfig", CacheConfig::from_members),
            property_files: m.objects("PropertyFiles", PropertyFile::from_members),
            output_parameters: m.objects("OutputParameters", OutputParameter::from_members),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.string("Name", &self.name);
        out.string("Type", &self.step_type);
        out.string("DisplayName", &self.display_name);
        out.string("Description", &self.description);
        out.list("DependsOn", &self.depends_on, |d| match d {
            DependsOn::Step(s) => S::of(Value::String(s.clone())),
            DependsOn::Other(v) => S::of_ref(v),
        });
        if let Some(arguments) = &self.arguments {
            let value = match arguments {
                Arguments::Condition(c) => c.write::<S>(),
                Arguments::Value(v) => S::of_ref(v),
            };
            out.done("Arguments", value);
        }
        out.list("RetryPolicies", &self.retry_policies, RetryPolicy::write::<S>);
        if let Some(c) = &self.cache_config {
            out.done("CacheConfig", c.write::<S>());
        }
        out.list("PropertyFiles", &self.property_files, PropertyFile::write::<S>);
        out.list("OutputParameters", &self.output_parameters, OutputParameter::write::<S>);
        out.finish(&self.other)
    }
}

impl ConditionArguments {
    fn from_members(mut m: Members) -> Self {
        ConditionArguments {
            conditions: m.list("Conditions", |_| true, Condition::from_value),
            if_steps: m.objects("IfSteps", Step::from_members),
            else_steps: m.objects("ElseSteps", Step::from_members),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.list("Conditions", &self.conditions, |c| S::of(c.to_value()));
        out.list("IfSteps", &self.if_steps, Step::write::<S>);
        out.list("ElseSteps", &self.else_steps, Step::write::<S>);
        out.finish(&self.other)
    }
}

/// The comparisons of [`Condition::Comparison`].
pub const COMPARISONS: [&str; 6] =
    ["Equals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan", "LessThanOrEqualTo", "NotEquals"];

impl Condition {
    /// A condition read from a value: typed when it has exactly the members of a known form, each of the kind that
    /// form needs, else kept as it is.
    fn from_value(v: Value) -> Condition {
        /// The members of each form, sorted.
        const FORMS: [&[&str]; 4] = [
            &["LeftValue", "RightValue", "Type"],
            &["QueryValue", "Type", "Values"],
            &["Condition", "Type"],
            &["Conditions", "Type"],
        ];
        let form = {
            let Value::Object(members) = &v else { return Condition::Other(v) };
            let mut names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            let kind = v.get("Type").and_then(Value::as_str).unwrap_or_default();
            let form = FORMS.iter().position(|f| *f == names.as_slice());
            let fits = |name: &str, check: fn(&Value) -> bool| v.get(name).is_some_and(check);
            match (form, kind) {
                (Some(0), k) if COMPARISONS.contains(&k) => 0,
                (Some(1), "In") if fits("Values", |v| v.as_array().is_some()) => 1,
                (Some(2), "Not") if fits("Condition", |v| v.as_object().is_some()) => 2,
                (Some(3), "Or") if fits("Conditions", |v| v.as_array().is_some()) => 3,
                _ => return Condition::Other(v),
            }
        };
        let Value::Object(mut members) = v else { return Condition::Other(v) };
        let mut take = |name: &str| match members.iter().position(|(n, _)| n == name) {
            Some(i) => members.swap_remove(i).1,
            None => Value::Null,
        };
        match form {
            0 => {
                let comparison = take("Type").as_str().unwrap_or_default().to_owned();
                Condition::Comparison { comparison, left: take("LeftValue"), right: take("RightValue") }
            }
            1 => match take("Values") {
                Value::Array(values) => Condition::In { query: take("QueryValue"), values },
                other => Condition::Other(other),
            },
            2 => Condition::Not(Box::new(Condition::from_value(take("Condition")))),
            _ => match take("Conditions") {
                Value::Array(items) => Condition::Or(items.into_iter().map(Condition::from_value).collect()),
                other => Condition::Other(other),
            },
        }
    }

    fn to_value(&self) -> Value {
        let typed = |t: &str| ("Type".to_owned(), Value::String(t.to_owned()));
        match self {
            Condition::Comparison { comparison, left, right } => Value::Object(vec![
                typed(comparison),
                ("LeftValue".into(), left.clone()),
                ("RightValue".into(), right.clone()),
            ]),
            Condition::In { query, values } => Value::Object(vec![
                typed("In"),
                ("QueryValue".into(), query.clone()),
                ("Values".into(), Value::Array(values.clone())),
            ]),
            Condition::Not(inner) => Value::Object(vec![typed("Not"), ("Condition".into(), inner.to_value())]),
            Condition::Or(items) => Value::Object(vec![
                typed("Or"),
                ("Conditions".into(), Value::Array(items.iter().map(Condition::to_value).collect())),
            ]),
            Condition::Other(v) => v.clone(),
        }
    }
}

impl RetryPolicy {
    fn from_members(mut m: Members) -> Self {
        RetryPolicy {
            exception_types: m.list(
                "ExceptionType",
                |v| matches!(v, Value::String(_)),
                |v| match v {
                    Value::String(s) => s,
                    _ => String::new(),
                },
            ),
            interval_seconds: m.integer("IntervalSeconds"),
            backoff_rate: m.number("BackoffRate"),
            max_attempts: m.integer("MaxAttempts"),
            expire_after_min: m.integer("ExpireAfterMin"),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.list("ExceptionType", &self.exception_types, |s| S::of(Value::String(s.clone())));
        out.value("IntervalSeconds", &self.interval_seconds.map(Value::from));
        out.value("BackoffRate", &self.backoff_rate.map(Value::from));
        out.value("MaxAttempts", &self.max_attempts.map(Value::from));
        out.value("ExpireAfterMin", &self.expire_after_min.map(Value::from));
        out.finish(&self.other)
    }
}

impl CacheConfig {
    fn from_members(mut m: Members) -> Self {
        CacheConfig {
            enabled: m.take("Enabled", |v| matches!(v, Value::Bool(_))).map(|v| v == Value::Bool(true)),
            expire_after: m.string("ExpireAfter"),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.value("Enabled", &self.enabled.map(Value::Bool));
        out.string("ExpireAfter", &self.expire_after);
        out.finish(&self.other)
    }
}

impl PropertyFile {
    fn from_members(mut m: Members) -> Self {
        PropertyFile {
            name: m.string("PropertyFileName"),
            output_name: m.string("OutputName"),
            file_path: m.string("FilePath"),
            other: m.0,
        }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.string("PropertyFileName", &self.name);
        out.string("OutputName", &self.output_name);
        out.string("FilePath", &self.file_path);
        out.finish(&self.other)
    }
}

impl OutputParameter {
    fn from_members(mut m: Members) -> Self {
        OutputParameter { output_name: m.string("OutputName"), output_type: m.string("OutputType"), other: m.0 }
    }

    fn write<S: Sink>(&self) -> S::Done {
        let mut out = S::default();
        out.string("OutputName", &self.output_name);
        out.string("OutputType", &self.output_type);
        out.finish(&self.other)
    }
}

/// The members of an object being typed: each typed member is taken out when it is there once and of the kind it is
/// typed with; whatever is left is the object's `other` members.
struct Members(Vec<(String, Value)>);

impl Members {
    /// Take the member `name` when it is there exactly once and `fits` its value.
    fn take(&mut self, name: &str, fits: impl Fn(&Value) -> bool) -> Option<Value> {
        let i = self.single(name)?;
        if !fits(&self.0[i].1) {
            return None;
        }
        Some(self.0.remove(i).1)
    }

    /// Take the object member `name` and type it.
    fn object<T>(&mut self, name: &str, typed: impl FnOnce(Members) -> T) -> Option<T> {
        match self.take(name, |v| matches!(v, Value::Object(_))) {
            Some(Value::Object(members)) => Some(typed(Members(members))),
            _ => None,
        }
    }

    /// Take the array member `name` when every item `fits`, and type each item.
    fn list<T>(&mut self, name: &str, fits: impl Fn(&Value) -> bool, item: impl Fn(Value) -> T) -> Option<Vec<T>> {
        match self.take(name, |v| v.as_array().is_some_and(|items| items.iter().all(&fits))) {
            Some(Value::Array(items)) => Some(items.into_iter().map(item).collect()),
            _ => None,
        }
    }

    /// Take the array member `name` when every item is an object, and type each item.
    fn objects<T>(&mut self, name: &str, item: impl Fn(Members) -> T) -> Option<Vec<T>> {
        self.list(
            name,
            |v| matches!(v, Value::Object(_)),
            |v| match v {
                Value::Object(members) => item(Members(members)),
                _ => item(Members(Vec::new())),
            },
        )
    }

    fn single(&self, name: &str) -> Option<usize> {
        let mut found = self.0.iter().enumerate().filter(|(_, (n, _))| n == name);
        let (i, _) = found.next()?;
        found.next().is_none().then_some(i)
    }

    fn string(&mut self, name: &str) -> Option<String> {
        match self.take(name, |v| matches!(v, Value::String(_))) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn integer(&mut self, name: &str) -> Option<i64> {
        let fits = |v: &Value| {
            matches!(v, Value::Number(aws_smithy_types::Number::NegInt(_)))
                || matches!(v, Value::Number(aws_smithy_types::Number::PosInt(u)) if i64::try_from(*u).is_ok())
        };
        match self.take(name, fits) {
            Some(Value::Number(aws_smithy_types::Number::NegInt(i))) => Some(i),
            Some(Value::Number(aws_smithy_types::Number::PosInt(u))) => i64::try_from(u).ok(),
            _ => None,
        }
    }

    fn number(&mut self, name: &str) -> Option<f64> {
        match self.take(name, |v| matches!(v, Value::Number(aws_smithy_types::Number::Float(_)))) {
            Some(Value::Number(aws_smithy_types::Number::Float(x))) => Some(x),
            _ => None,
        }
    }
}

/// Where a typed object's members go, the typed ones that are set, then the others: into a JSON value ([`Out`]), or
/// counted as the characters of its JSON text ([`Count`]), by the same code.
trait Sink: Default {
    /// A finished object (or any value).
    type Done;

    /// A value given whole.
    fn of(value: Value) -> Self::Done;

    /// A value given by reference.
    fn of_ref(value: &Value) -> Self::Done;

    /// A member.
    fn done(&mut self, name: &str, value: Self::Done);

    /// An array member.
    fn items(&mut self, name: &str, items: Vec<Self::Done>);

    /// A string member, when set.
    fn string(&mut self, name: &str, v: &Option<String>);

    /// The object, with the `other` members after the typed ones.
    fn finish(self, other: &[(String, Value)]) -> Self::Done;

    /// A member, when set.
    fn value(&mut self, name: &str, v: &Option<Value>) {
        if let Some(v) = v {
            let done = Self::of_ref(v);
            self.done(name, done);
        }
    }

    /// An array member, when set.
    fn list<T>(&mut self, name: &str, v: &Option<Vec<T>>, item: impl Fn(&T) -> Self::Done) {
        if let Some(items) = v {
            let items = items.iter().map(item).collect();
            self.items(name, items);
        }
    }
}

/// The members of an object being written as a value.
#[derive(Default)]
struct Out(Vec<(String, Value)>);

impl Sink for Out {
    type Done = Value;

    fn of(value: Value) -> Value {
        value
    }

    fn of_ref(value: &Value) -> Value {
        value.clone()
    }

    fn done(&mut self, name: &str, value: Value) {
        self.0.push((name.to_owned(), value));
    }

    fn items(&mut self, name: &str, items: Vec<Value>) {
        self.0.push((name.to_owned(), Value::Array(items)));
    }

    fn string(&mut self, name: &str, v: &Option<String>) {
        if let Some(s) = v {
            self.0.push((name.to_owned(), Value::String(s.clone())));
        }
    }

    fn finish(mut self, other: &[(String, Value)]) -> Value {
        self.0.extend(other.iter().cloned());
        Value::Object(self.0)
    }
}

/// The characters of an object's JSON text, as [`crate::json::write`] writes it, counted member by member.
#[derive(Default)]
struct Count {
    chars: usize,
    members: usize,
}

impl Count {
    fn add(&mut self, name: &str, chars: usize) {
        self.chars += crate::json::string_chars(name) + 1 + chars;
        self.members += 1;
    }
}

impl Sink for Count {
    type Done = usize;

    fn of(value: Value) -> usize {
        crate::json::text_chars(&value)
    }

    fn of_ref(value: &Value) -> usize {
        crate::json::text_chars(value)
    }

    fn done(&mut self, name: &str, value: usize) {
        self.add(name, value);
    }

    fn items(&mut self, name: &str, items: Vec<usize>) {
        self.add(name, 2 + items.len().saturating_sub(1) + items.iter().sum::<usize>());
    }

    fn string(&mut self, name: &str, v: &Option<String>) {
        if let Some(s) = v {
            self.add(name, crate::json::string_chars(s));
        }
    }

    fn finish(mut self, other: &[(String, Value)]) -> usize {
        for (name, value) in other {
            self.add(name, crate::json::text_chars(value));
        }
        self.chars + 2 + self.members.saturating_sub(1)
    }
}
