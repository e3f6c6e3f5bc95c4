//! Pipeline definitions written in Rust: expressions that carry their type, parameters, steps and the definition's
//! builder (re-exported by `crate::definition`).
//!
//! A builder writes the same [`PipelineDefinition`] value that `from_json` reads, so `to_json()` and `check()` apply
//! to it unchanged. Nothing here is a codec per shape: the generated argument builders (`crate::steps::args`) are thin
//! wrappers over an [`Object`] with one setter per member, and the generated property paths (`crate::steps::props`)
//! wrappers over a [`PropertyPath`]; every setter takes `impl Into<..>` of the slot's type, so a slot takes a literal
//! or an expression of that type alike (`.instance_type("ml.m5.xlarge")`, `.instance_type(&param)`).
//!
//! The types of expressions are the four of the format (`ty::String`, `ty::Integer`, `ty::Float`, `ty::Boolean`) and
//! `ty::Any` for what only the running pipeline knows (`Std:JsonGet`, a Lambda step's output): an expression of type
//! `Any` goes into a slot of any type, an `Integer` one also where a `Float` goes, as `check()` accepts them.

use std::marker::PhantomData;

use crate::definition::{
    Arguments, CacheConfig, Condition, ConditionArguments, DependsOn, OutputParameter, Parameter, ParameterType,
    PipelineDefinition, PropertyFile, RetryPolicy, Step, COMPARISONS,
};
use crate::json::Value;

/// The types of expressions and slots.
pub mod ty {
    /// A string (`String` parameters, string and enum arguments, execution variables, `Std:Join`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum String {}
    /// An integer.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Integer {}
    /// A float (an `Integer` expression goes where a float goes).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Float {}
    /// A boolean.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Boolean {}
    /// A value whose type only the running pipeline knows (`Std:JsonGet`, a Lambda step's output): it goes into a
    /// slot of any type.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Any {}

    /// One of the types above.
    pub trait Type: private::Sealed {
        /// The type's name in a definition (`Any` for [`Any`]).
        const NAME: &'static str;
    }
    impl Type for String {
        const NAME: &'static str = "String";
    }
    impl Type for Integer {
        const NAME: &'static str = "Integer";
    }
    impl Type for Float {
        const NAME: &'static str = "Float";
    }
    impl Type for Boolean {
        const NAME: &'static str = "Boolean";
    }
    impl Type for Any {
        const NAME: &'static str = "Any";
    }
    mod private {
        pub trait Sealed {}
        impl Sealed for super::String {}
        impl Sealed for super::Integer {}
        impl Sealed for super::Float {}
        impl Sealed for super::Boolean {}
        impl Sealed for super::Any {}
    }
}

/// A value of type `T` in a slot: a literal or an expression (`Get` of a parameter, an execution variable or a step
/// property; `Std:Join`; `Std:JsonGet`).
#[derive(Debug)]
pub struct Expr<T> {
    value: Value,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Expr<T> {
    fn clone(&self) -> Self {
        Expr { value: self.value.clone(), _type: PhantomData }
    }
}

impl<T> PartialEq for Expr<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: ty::Type> Expr<T> {
    /// `{"Get": reference}`, of the type the caller states: for references the typed API does not name
    /// (`Expr::<ty::String>::get("ForEach.CurrentItem")`).
    pub fn get(reference: impl Into<String>) -> Self {
        Expr::new(Value::Object(vec![("Get".into(), Value::String(reference.into()))]))
    }

    /// The name of the expression's type (`String`, …, `Any`).
    pub fn type_name(&self) -> &'static str {
        T::NAME
    }
}

impl<T> Expr<T> {
    fn new(value: Value) -> Self {
        Expr { value, _type: PhantomData }
    }

    /// The JSON the expression writes.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The JSON the expression writes, taken.
    pub fn into_value(self) -> Value {
        self.value
    }
}

impl Expr<ty::String> {
    /// `{"Std:Join": {"On": on, "Values": [...]}}`: the values (literals or expressions) as text, joined by `on`.
    pub fn join<V: Into<Value>>(on: &str, values: impl IntoIterator<Item = V>) -> Self {
        let values = values.into_iter().map(Into::into).collect();
        Expr::new(Value::Object(vec![(
            "Std:Join".into(),
            Value::Object(vec![("On".into(), Value::String(on.into())), ("Values".into(), Value::Array(values))]),
        )]))
    }
}

impl Expr<ty::Any> {
    /// `{"Std:JsonGet": {"PropertyFile": {"Get": "Steps.<step>.PropertyFiles.<file>"}, "Path": path}}`: the value at
    /// `path` (JSONPath, `metrics.mse.value`) of the property file `file` that the step `step` declares.
    pub fn json_get(step: &str, file: &str, path: &str) -> Self {
        let file = Value::Object(vec![("Get".into(), Value::String(format!("Steps.{step}.PropertyFiles.{file}")))]);
        Expr::new(Value::Object(vec![(
            "Std:JsonGet".into(),
            Value::Object(vec![("PropertyFile".into(), file), ("Path".into(), Value::String(path.into()))]),
        )]))
    }
}

impl<T> From<Expr<T>> for Value {
    fn from(e: Expr<T>) -> Value {
        e.value
    }
}

impl<T> From<&Expr<T>> for Value {
    fn from(e: &Expr<T>) -> Value {
        e.value.clone()
    }
}

impl<T> From<&Expr<T>> for Expr<T> {
    fn from(e: &Expr<T>) -> Self {
        e.clone()
    }
}

macro_rules! literal {
    ($type:ident: $($from:ty => $into:expr),*) => {$(
        impl From<$from> for Expr<ty::$type> {
            fn from(v: $from) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Expr::new(($into)(v))
            }
        }
    )*};
}

literal!(String: &str => Value::from, String => Value::from, &String => |s: &String| Value::from(s.as_str()));
literal!(Integer: i32 => |n: i32| Value::from(i64::from(n)), i64 => Value::from, u32 => |n: u32| Value::from(i64::from(n)));
literal!(Float: f64 => Value::from, f32 => |x: f32| Value::from(f64::from(x)), i32 => |n: i32| Value::from(i64::from(n)));
literal!(Boolean: bool => Value::from);

/// An `Integer` expression goes where a `Float` goes.
impl From<Expr<ty::Integer>> for Expr<ty::Float> {
    fn from(e: Expr<ty::Integer>) -> Self {
        Expr::new(e.value)
    }
}

macro_rules! from_any {
    ($($type:ident),*) => {$(
        /// An expression whose type only the running pipeline knows goes into a slot of any type.
        impl From<Expr<ty::Any>> for Expr<ty::$type> {
            fn from(e: Expr<ty::Any>) -> Self {
                Expr::new(e.value)
            }
        }
    )*};
}

from_any!(String, Integer, Float, Boolean);

/// The execution variables: `{"Get": "Execution.<name>"}`, each a string.
pub mod execution {
    use super::{ty, Expr};

    macro_rules! variables {
        ($($f:ident $name:literal),*) => {$(
            #[doc = concat!("`{\"Get\": \"Execution.", $name, "\"}`.")]
            pub fn $f() -> Expr<ty::String> {
                Expr::get(concat!("Execution.", $name))
            }
        )*};
    }

    variables!(
        current_date_time "CurrentDateTime",
        pipeline_arn "PipelineArn",
        pipeline_execution_arn "PipelineExecutionArn",
        pipeline_execution_id "PipelineExecutionId",
        pipeline_name "PipelineName",
        processing_job_name "ProcessingJobName",
        start_date_time "StartDateTime",
        training_job_name "TrainingJobName"
    );
}

/// A literal of type `T`: what a parameter's default may be.
pub trait Literal<T>: Into<Value> {}
impl Literal<ty::String> for &str {}
impl Literal<ty::String> for String {}
impl Literal<ty::Integer> for i32 {}
impl Literal<ty::Integer> for i64 {}
impl Literal<ty::Float> for f64 {}
impl Literal<ty::Float> for i32 {}
impl Literal<ty::Boolean> for bool {}

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::from(i64::from(n))
    }
}

/// A parameter of type `T` being declared: `Parameter::string("InputData").default("s3://bucket/input")`. It is an
/// expression itself (`&param` goes into any slot of its type, as `{"Get": "Parameters.InputData"}`), and goes into
/// the definition with [`PipelineDefinitionBuilder::parameter`].
#[derive(Clone, Debug)]
pub struct Param<T> {
    parameter: Parameter,
    _type: PhantomData<fn() -> T>,
}

impl Parameter {
    fn typed<T>(name: &str, t: ParameterType) -> Param<T> {
        Param {
            parameter: Parameter { name: Some(name.into()), parameter_type: Some(t), ..Parameter::default() },
            _type: PhantomData,
        }
    }

    /// A `String` parameter.
    pub fn string(name: &str) -> Param<ty::String> {
        Parameter::typed(name, ParameterType::String)
    }

    /// An `Integer` parameter.
    pub fn integer(name: &str) -> Param<ty::Integer> {
        Parameter::typed(name, ParameterType::Integer)
    }

    /// A `Float` parameter.
    pub fn float(name: &str) -> Param<ty::Float> {
        Parameter::typed(name, ParameterType::Float)
    }

    /// A `Boolean` parameter.
    pub fn boolean(name: &str) -> Param<ty::Boolean> {
        Parameter::typed(name, ParameterType::Boolean)
    }
}

impl<T: ty::Type> Param<T> {
    /// `DefaultValue`: the value an execution gets when it does not set the parameter.
    pub fn default(mut self, value: impl Literal<T>) -> Self {
        self.parameter.default_value = Some(value.into());
        self
    }

    /// The parameter's name.
    pub fn name(&self) -> &str {
        self.parameter.name.as_deref().unwrap_or_default()
    }

    /// `{"Get": "Parameters.<name>"}`.
    pub fn expr(&self) -> Expr<T> {
        Expr::get(format!("Parameters.{}", self.name()))
    }
}

impl Param<ty::String> {
    /// `EnumValues`: the values an execution may set.
    pub fn enum_values<V: Into<String>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.parameter.enum_values = Some(values.into_iter().map(|v| Value::String(v.into())).collect());
        self
    }
}

impl<T: ty::Type> From<&Param<T>> for Expr<T> {
    fn from(p: &Param<T>) -> Self {
        p.expr()
    }
}

/// An `Integer` parameter goes where a `Float` goes.
impl From<&Param<ty::Integer>> for Expr<ty::Float> {
    fn from(p: &Param<ty::Integer>) -> Self {
        Expr::new(p.expr().value)
    }
}

impl<T: ty::Type> From<&Param<T>> for Value {
    fn from(p: &Param<T>) -> Value {
        p.expr().value
    }
}

impl<T> From<Param<T>> for Parameter {
    fn from(p: Param<T>) -> Parameter {
        p.parameter
    }
}

/// A JSON object being built: what the generated argument builders wrap.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// Set the member `name` (replacing an earlier value), keeping the order in which members were first set.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_owned(), value)),
        }
        self
    }
}

impl Object {
    /// Set the member `name` to a value of the slot type `S` (a literal or an expression of its type).
    pub fn set<S: Into<Value>>(self, name: &str, value: impl Into<S>) -> Self {
        self.with(name, value.into())
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Value {
        Value::Object(o.0)
    }
}

/// A list argument: from an array or a `Vec` of what its items take.
#[derive(Debug)]
pub struct List<T>(Vec<Value>, PhantomData<fn() -> T>);

impl<T: Into<Value>, I: Into<T>> FromIterator<I> for List<T> {
    fn from_iter<It: IntoIterator<Item = I>>(items: It) -> Self {
        List(items.into_iter().map(|i| i.into().into()).collect(), PhantomData)
    }
}

impl<T: Into<Value>, I: Into<T>, const N: usize> From<[I; N]> for List<T> {
    fn from(items: [I; N]) -> Self {
        items.into_iter().collect()
    }
}

impl<T: Into<Value>, I: Into<T>> From<Vec<I>> for List<T> {
    fn from(items: Vec<I>) -> Self {
        items.into_iter().collect()
    }
}

impl<T> From<List<T>> for Value {
    fn from(l: List<T>) -> Value {
        Value::Array(l.0)
    }
}

/// A map argument: from an array or a `Vec` of entries (a key, and what its values take).
#[derive(Debug)]
pub struct Map<T>(Vec<(String, Value)>, PhantomData<fn() -> T>);

impl<T: Into<Value>, K: Into<String>, V: Into<T>> FromIterator<(K, V)> for Map<T> {
    fn from_iter<It: IntoIterator<Item = (K, V)>>(entries: It) -> Self {
        Map(entries.into_iter().map(|(k, v)| (k.into(), v.into().into())).collect(), PhantomData)
    }
}

impl<T: Into<Value>, K: Into<String>, V: Into<T>, const N: usize> From<[(K, V); N]> for Map<T> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<T: Into<Value>, K: Into<String>, V: Into<T>> From<Vec<(K, V)>> for Map<T> {
    fn from(entries: Vec<(K, V)>) -> Self {
        entries.into_iter().collect()
    }
}

impl<T> From<Map<T>> for Value {
    fn from(m: Map<T>) -> Value {
        Value::Object(m.0)
    }
}

/// The path of a step property being named: what the generated property paths wrap (`Steps.Train.ModelArtifacts`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyPath(String);

impl PropertyPath {
    /// The path of a step's properties: `Steps.<step>`.
    pub fn step(name: &str) -> Self {
        PropertyPath(format!("Steps.{name}"))
    }

    /// The path of a member: `<path>.<name>`.
    pub fn member(&self, name: &str) -> Self {
        PropertyPath(format!("{}.{name}", self.0))
    }

    /// The path as written in a `Get`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a property path leads to: a structure's path, a list's, a map's, or a leaf's expression.
pub trait FromPath {
    /// The property at `path`.
    fn from_path(path: PropertyPath) -> Self;
}

impl<T: ty::Type> FromPath for Expr<T> {
    fn from_path(path: PropertyPath) -> Self {
        Expr::get(path.0)
    }
}

/// A list property: its items by position or by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyList<T>(PropertyPath, PhantomData<fn() -> T>);

impl<T> FromPath for PropertyList<T> {
    fn from_path(path: PropertyPath) -> Self {
        PropertyList(path, PhantomData)
    }
}

impl<T: FromPath> PropertyList<T> {
    /// The item at `index`: `<path>[index]`.
    pub fn index(&self, index: usize) -> T {
        T::from_path(PropertyPath(format!("{}[{index}]", self.0 .0)))
    }

    /// The item named `name` (a training job's metric, a processing job's output): `<path>['name']`.
    pub fn named(&self, name: &str) -> T {
        T::from_path(PropertyPath(format!("{}['{name}']", self.0 .0)))
    }
}

/// A map property: its values by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyMap<T>(PropertyPath, PhantomData<fn() -> T>);

impl<T> FromPath for PropertyMap<T> {
    fn from_path(path: PropertyPath) -> Self {
        PropertyMap(path, PhantomData)
    }
}

impl<T: FromPath> PropertyMap<T> {
    /// The value of `key`: `<path>['key']`.
    pub fn get(&self, key: &str) -> T {
        T::from_path(PropertyPath(format!("{}['{key}']", self.0 .0)))
    }
}

/// A kind of step: its `Type` and its properties.
pub trait StepType {
    /// The step `Type`.
    const TYPE: &'static str;
    /// Its properties (`step.properties()`).
    type Properties: FromPath;
}

/// A kind of step whose `Arguments` are a request of the model, built by a generated argument builder.
pub trait RequestStep: StepType {
    /// The builder of its arguments.
    type Arguments: Into<Value>;
}

/// The properties of a step kind that has none (a Fail step's).
#[derive(Clone, Debug)]
pub struct NoProperties;

impl FromPath for NoProperties {
    fn from_path(_: PropertyPath) -> Self {
        NoProperties
    }
}

/// A step of kind `K` being built: `TrainingStep::new("Train").arguments(..).depends_on(&prepare)`. It goes into a
/// definition (or a condition's branch) as a [`Step`].
#[derive(Clone, Debug)]
pub struct StepOf<K> {
    step: Step,
    _kind: PhantomData<fn() -> K>,
}

impl<K: StepType> StepOf<K> {
    /// A step named `name`.
    pub fn new(name: &str) -> Self {
        StepOf {
            step: Step { name: Some(name.into()), step_type: Some(K::TYPE.into()), ..Step::default() },
            _kind: PhantomData,
        }
    }

    /// The step's name.
    pub fn name(&self) -> &str {
        self.step.name.as_deref().unwrap_or_default()
    }

    /// The step's properties, as expressions: `train.properties().model_artifacts().s3_model_artifacts()`.
    pub fn properties(&self) -> K::Properties {
        K::Properties::from_path(PropertyPath::step(self.name()))
    }

    /// `DisplayName`.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.step.display_name = Some(name.into());
        self
    }

    /// `Description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.step.description = Some(description.into());
        self
    }

    /// Add a step to `DependsOn`: it must end before this one starts.
    pub fn depends_on(mut self, step: impl Into<StepName>) -> Self {
        self.step.depends_on.get_or_insert_with(Vec::new).push(DependsOn::Step(step.into().0));
        self
    }

    /// Add a retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.step.retry_policies.get_or_insert_with(Vec::new).push(policy);
        self
    }

    /// `CacheConfig`.
    pub fn cache_config(mut self, config: CacheConfig) -> Self {
        self.step.cache_config = Some(config);
        self
    }

    /// Add a property file: a JSON file of one of the step's outputs, for [`json_get`](Self::json_get).
    pub fn property_file(mut self, file: PropertyFile) -> Self {
        self.step.property_files.get_or_insert_with(Vec::new).push(file);
        self
    }

    /// `Std:JsonGet` of the value at `path` of this step's property file `file`.
    pub fn json_get(&self, file: &str, path: &str) -> Expr<ty::Any> {
        Expr::json_get(self.name(), file, path)
    }

    /// Set a member of the step that the typed API does not name (a check step's `CheckType`), after the others.
    pub fn member(mut self, name: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        match self.step.other.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.step.other.push((name.to_owned(), value)),
        }
        self
    }

    /// The step.
    pub fn build(self) -> Step {
        self.step
    }

    fn set_arguments(mut self, arguments: Value) -> Self {
        self.step.arguments = Some(Arguments::Value(arguments));
        self
    }

    fn arguments_object(&mut self) -> &mut Vec<(String, Value)> {
        if !matches!(self.step.arguments, Some(Arguments::Value(Value::Object(_)))) {
            self.step.arguments = Some(Arguments::Value(Value::Object(Vec::new())));
        }
        match &mut self.step.arguments {
            Some(Arguments::Value(Value::Object(members))) => members,
            _ => unreachable!("the arguments were just made an object"),
        }
    }

    fn output(mut self, name: &str, output_type: OutputType) -> Self {
        let output = OutputParameter {
            output_name: Some(name.into()),
            output_type: Some(output_type.as_str().into()),
            other: Vec::new(),
        };
        self.step.output_parameters.get_or_insert_with(Vec::new).push(output);
        self
    }
}

impl<K: RequestStep> StepOf<K> {
    /// `Arguments`: the request the step makes.
    pub fn arguments(self, arguments: K::Arguments) -> Self {
        self.set_arguments(arguments.into())
    }
}

impl<K> From<StepOf<K>> for Step {
    fn from(s: StepOf<K>) -> Step {
        s.step
    }
}

/// The name of a step, for `DependsOn`: a `&str`, or a step being built.
#[derive(Clone, Debug)]
pub struct StepName(String);

impl From<&str> for StepName {
    fn from(s: &str) -> Self {
        StepName(s.into())
    }
}

impl<K: StepType> From<&StepOf<K>> for StepName {
    fn from(s: &StepOf<K>) -> Self {
        StepName(s.name().into())
    }
}

/// The step kinds the runtime writes by hand (their arguments are not a request of the model).
pub mod kind {
    use super::{ConditionProperties, NoProperties, OutputProperties, StepType};

    /// `Condition`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Condition {}
    impl StepType for Condition {
        const TYPE: &'static str = "Condition";
        type Properties = ConditionProperties;
    }

    /// `Fail`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Fail {}
    impl StepType for Fail {
        const TYPE: &'static str = "Fail";
        type Properties = NoProperties;
    }

    /// `Lambda`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Lambda {}
    impl StepType for Lambda {
        const TYPE: &'static str = "Lambda";
        type Properties = OutputProperties;
    }

    /// `Callback`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Callback {}
    impl StepType for Callback {
        const TYPE: &'static str = "Callback";
        type Properties = OutputProperties;
    }
}

/// A `Condition` step: `ConditionStep::new("Check").condition(..).if_step(..).else_step(..)`.
pub type ConditionStep = StepOf<kind::Condition>;
/// A `Fail` step.
pub type FailStep = StepOf<kind::Fail>;
/// A `Lambda` step.
pub type LambdaStep = StepOf<kind::Lambda>;
/// A `Callback` step.
pub type CallbackStep = StepOf<kind::Callback>;

/// A condition step's property: `Outcome`.
#[derive(Clone, Debug)]
pub struct ConditionProperties(PropertyPath);

impl FromPath for ConditionProperties {
    fn from_path(path: PropertyPath) -> Self {
        ConditionProperties(path)
    }
}

impl ConditionProperties {
    /// `Outcome`: whether the conditions held.
    pub fn outcome(&self) -> Expr<ty::Boolean> {
        Expr::from_path(self.0.member("Outcome"))
    }
}

/// A Lambda or Callback step's properties: its declared output parameters.
#[derive(Clone, Debug)]
pub struct OutputProperties(PropertyPath);

impl FromPath for OutputProperties {
    fn from_path(path: PropertyPath) -> Self {
        OutputProperties(path)
    }
}

impl OutputProperties {
    /// `OutputParameters['<name>']`, of the type the caller states (the one the step declares).
    pub fn output_parameter<T: ty::Type>(&self, name: &str) -> Expr<T> {
        Expr::get(format!("{}.OutputParameters['{name}']", self.0.as_str()))
    }
}

/// The type of a Lambda or Callback step's output parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputType {
    /// `String`.
    String,
    /// `Integer`.
    Integer,
    /// `Float`.
    Float,
    /// `Boolean`.
    Boolean,
}

impl OutputType {
    /// The type as written.
    pub fn as_str(self) -> &'static str {
        match self {
            OutputType::String => "String",
            OutputType::Integer => "Integer",
            OutputType::Float => "Float",
            OutputType::Boolean => "Boolean",
        }
    }
}

impl ConditionStep {
    fn condition_arguments(&mut self) -> &mut ConditionArguments {
        if !matches!(self.step.arguments, Some(Arguments::Condition(_))) {
            self.step.arguments = Some(Arguments::Condition(ConditionArguments::default()));
        }
        match &mut self.step.arguments {
            Some(Arguments::Condition(c)) => c,
            _ => unreachable!("the arguments were just made a condition's"),
        }
    }

    /// Add a condition: all must hold for the `IfSteps` to run.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition_arguments().conditions.get_or_insert_with(Vec::new).push(condition);
        self
    }

    /// Add a step to `IfSteps`.
    pub fn if_step(mut self, step: impl Into<Step>) -> Self {
        self.condition_arguments().if_steps.get_or_insert_with(Vec::new).push(step.into());
        self
    }

    /// Add a step to `ElseSteps`.
    pub fn else_step(mut self, step: impl Into<Step>) -> Self {
        self.condition_arguments().else_steps.get_or_insert_with(Vec::new).push(step.into());
        self
    }
}

impl FailStep {
    /// `ErrorMessage`.
    pub fn error_message(mut self, message: impl Into<Expr<ty::String>>) -> Self {
        let message: Value = message.into().into();
        let members = self.arguments_object();
        members.retain(|(n, _)| n != "ErrorMessage");
        members.push(("ErrorMessage".into(), message));
        self
    }
}

macro_rules! io_steps {
    ($($step:ident $field:literal $setter:ident),*) => {$(
        impl $step {
            #[doc = concat!("`", $field, "`.")]
            pub fn $setter(self, value: impl Into<String>) -> Self {
                self.member($field, Value::String(value.into()))
            }

            /// Set an input of `Arguments` (a literal or an expression).
            pub fn input(mut self, name: &str, value: impl Into<Value>) -> Self {
                let value = value.into();
                let members = self.arguments_object();
                members.retain(|(n, _)| n != name);
                members.push((name.to_owned(), value));
                self
            }

            /// Declare an output parameter, for `properties().output_parameter(name)`.
            pub fn output_parameter(self, name: &str, output_type: OutputType) -> Self {
                self.output(name, output_type)
            }
        }
    )*};
}

io_steps!(LambdaStep "FunctionArn" function_arn, CallbackStep "SqsQueueUrl" sqs_queue_url);

impl Condition {
    fn comparison(comparison: &str, left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::Comparison { comparison: comparison.into(), left: left.into(), right: right.into() }
    }

    /// `Equals`.
    pub fn equals(left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::comparison(COMPARISONS[0], left, right)
    }

    /// `GreaterThan`.
    pub fn greater_than(left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::comparison(COMPARISONS[1], left, right)
    }

    /// `GreaterThanOrEqualTo`.
    pub fn greater_than_or_equal_to(left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::comparison(COMPARISONS[2], left, right)
    }

    /// `LessThan`.
    pub fn less_than(left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::comparison(COMPARISONS[3], left, right)
    }

    /// `LessThanOrEqualTo`.
    pub fn less_than_or_equal_to(left: impl Into<Value>, right: impl Into<Value>) -> Condition {
        Condition::comparison(COMPARISONS[4], left, right)
    }

    /// `In`: whether `query` is one of `values`.
    pub fn is_in<V: Into<Value>>(query: impl Into<Value>, values: impl IntoIterator<Item = V>) -> Condition {
        Condition::In { query: query.into(), values: values.into_iter().map(Into::into).collect() }
    }

    /// `Not`: the condition does not hold.
    pub fn negate(condition: Condition) -> Condition {
        Condition::Not(Box::new(condition))
    }

    /// `Or`.
    pub fn or(conditions: impl IntoIterator<Item = Condition>) -> Condition {
        Condition::Or(conditions.into_iter().collect())
    }
}

impl RetryPolicy {
    /// A policy retrying the failures `exception_types` (`Step.SERVICE_FAULT`, `SageMaker.CAPACITY_ERROR`, …).
    pub fn new<S: Into<String>>(exception_types: impl IntoIterator<Item = S>) -> Self {
        RetryPolicy {
            exception_types: Some(exception_types.into_iter().map(Into::into).collect()),
            ..RetryPolicy::default()
        }
    }

    /// `IntervalSeconds`.
    pub fn interval_seconds(mut self, seconds: i64) -> Self {
        self.interval_seconds = Some(seconds);
        self
    }

    /// `BackoffRate`.
    pub fn backoff_rate(mut self, rate: f64) -> Self {
        self.backoff_rate = Some(rate);
        self
    }

    /// `MaxAttempts`.
    pub fn max_attempts(mut self, attempts: i64) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// `ExpireAfterMin`.
    pub fn expire_after_min(mut self, minutes: i64) -> Self {
        self.expire_after_min = Some(minutes);
        self
    }
}

impl CacheConfig {
    /// Caching on, for `expire_after` (an ISO 8601 duration: `P30D`, `PT1H`).
    pub fn enabled(expire_after: &str) -> Self {
        CacheConfig { enabled: Some(true), expire_after: Some(expire_after.into()), other: Vec::new() }
    }
}

impl PropertyFile {
    /// The property file `name`: the file `file_path` of the step's output `output_name`.
    pub fn new(name: &str, output_name: &str, file_path: &str) -> Self {
        PropertyFile {
            name: Some(name.into()),
            output_name: Some(output_name.into()),
            file_path: Some(file_path.into()),
            other: Vec::new(),
        }
    }
}

/// The format version the builder writes.
pub const VERSION: &str = "2020-12-01";

/// A definition being built: `PipelineDefinition::builder().parameter(p).step(s).build()`.
#[derive(Clone, Debug, Default)]
pub struct PipelineDefinitionBuilder {
    definition: PipelineDefinition,
}

impl PipelineDefinition {
    /// A definition of the current format ([`VERSION`]) to build.
    pub fn builder() -> PipelineDefinitionBuilder {
        PipelineDefinitionBuilder {
            definition: PipelineDefinition { version: Some(VERSION.into()), ..PipelineDefinition::default() },
        }
    }
}

impl PipelineDefinitionBuilder {
    /// Declare a parameter.
    pub fn parameter(mut self, parameter: impl Into<Parameter>) -> Self {
        self.definition.parameters.get_or_insert_with(Vec::new).push(parameter.into());
        self
    }

    /// Add a step at the top level.
    pub fn step(mut self, step: impl Into<Step>) -> Self {
        self.definition.steps.get_or_insert_with(Vec::new).push(step.into());
        self
    }

    /// `PipelineExperimentConfig`: the experiment and trial executions record to (literals or expressions).
    pub fn experiment_config(
        mut self,
        experiment_name: impl Into<Expr<ty::String>>,
        trial_name: impl Into<Expr<ty::String>>,
    ) -> Self {
        self.definition.pipeline_experiment_config = Some(Value::Object(vec![
            ("ExperimentName".into(), experiment_name.into().into()),
            ("TrialName".into(), trial_name.into().into()),
        ]));
        self
    }

    /// The definition.
    pub fn build(self) -> PipelineDefinition {
        self.definition
    }
}
