//! `PipelineDefinition::check`: every problem of a definition at once, each with its JSON path.
//!
//! The generated crate hands [`check`] its [`Tables`]: the schema tables of the step kinds' requests and outputs
//! (`crate::schema`), each kind's arguments and properties in them, and the model's bound on the definition's size.
//! The envelope's rules (parameters, steps' common fields, conditions, expressions) are the format's and live here.
//!
//! What is checked:
//! - the envelope: `Version`, the kinds of every typed member, unknown members of known objects, parameters (name,
//!   type, default of the type, enum values), steps (name, known `Type`), retry policies, cache configuration, property
//!   files, output parameters, conditions;
//! - names: the pattern of step and parameter names, each unique (a step in a condition branch shares the namespace
//!   of the top level);
//! - the arguments of every kind the tables know, walked against the request's shape: unknown members with the
//!   nearest name, missing required members, JSON kinds, enum values, and the modeled length, range, pattern and
//!   unique-items constraints in the words of input validation; an expression is accepted wherever a value goes;
//! - expressions: `Get` of a declared parameter, a known execution variable, or a property of an existing step that
//!   its kind has (through the tables' output shapes, or the kind's own properties); `Std:Join`, `Std:JsonGet` of a
//!   property file the step declares; the type of a parameter or property against the argument it stands for;
//! - a ForEach step's arguments (items, concurrency, body, selector), `ForEach.CurrentItem` only in its body and
//!   `IterationOutput` only in its selector, and its properties (an iteration's output through the body step's);
//!   the steps of its body checked as steps, read only from the same body or through the ForEach step, and no step
//!   named as a body step's run (`<body step>-<digits>`);
//! - `DependsOn` naming existing steps, and no cycle through `DependsOn` and the references between steps;
//! - the size of the definition's text against the model's bound.
//!
//! The work is linear in the definition: each value is visited once, lookups are hashed, and the cycle search is
//! iterative.

use std::collections::HashMap;

use crate::definition::{
    Arguments, CheckError, Condition, DependsOn, Issue, Parameter, ParameterType, PipelineDefinition, Step, COMPARISONS,
};
use crate::json::{Value, MAX_DEPTH};
use crate::schema::{self, Checks, Exceptions, Kind, Path, Problem, Schema, Visitor};

/// What the generated crate knows of pipeline definitions from its model.
#[derive(Debug)]
pub struct Tables {
    /// The shapes of the step kinds' requests and outputs.
    pub schema: &'static Schema,
    /// The step kinds whose arguments are a request, sorted by name.
    pub kinds: &'static [StepKind],
    /// The most characters the definition's JSON text may have (`@length` of the model's `PipelineDefinition`).
    pub max_length: Option<u64>,
}

/// A step kind whose arguments are a request of the model.
#[derive(Debug)]
pub struct StepKind {
    /// The step `Type`.
    pub name: &'static str,
    /// The request's shape in [`Tables::schema`].
    pub arguments: u16,
    /// Required members of the request a step may leave out.
    pub optional: &'static [&'static str],
    /// Members of the request a step may not have.
    pub unsupported: &'static [&'static str],
    /// Groups of members of which a step sets exactly one (`ClusterId` and `ClusterConfig` of an EMR step).
    pub exactly_one: &'static [&'static [&'static str]],
    /// Pairs of members: a step may set the first only with the second (an EMR step's `ExecutionRoleArn` only with
    /// `ClusterId`).
    pub only_with: &'static [[&'static str; 2]],
    /// String members whose value names a step of the pipeline (a Cleanup step's `Resources.S3.StepName`): names, or
    /// dotted paths as `optional` takes them.
    pub step_names: &'static [&'static str],
    /// The output shapes whose members are the step's properties.
    pub properties: &'static [u16],
    /// The step's properties that are strings of no output shape (a check step's baselines), sorted.
    pub string_properties: &'static [&'static str],
}

/// The step kinds the format defines, with the members of their own. Where the tables have no entry for one (the
/// SageMaker crate's tables type EMR), its arguments, but for `Condition`'s and `Fail`'s, are free-form or not modeled:
/// only the expressions in them are checked.
const ENVELOPE_KINDS: &[(&str, &[&str])] =
    &[("Callback", &["SqsQueueUrl"]), ("Condition", &[]), ("EMR", &[]), ("Fail", &[]), ("Lambda", &["FunctionArn"])];

/// Step kinds that the SageMaker Python SDK writes and that are known even where the tables have no entry for them
/// (the SageMaker crate's tables type Cleanup, EMRServerless and Lineage, and this module checks ForEach): without
/// one, they are kept and checked no further than the common fields and the expressions in them.
const KEPT_KINDS: &[&str] = &[
    "BedrockCustomModel",
    "BedrockCustomModelDeployment",
    "BedrockModelImport",
    "BedrockProvisionedModelThroughput",
    "Cleanup",
    "EMRServerless",
    "ForEach",
    "Lineage",
];

/// The members of the two check kinds beside their processing job's arguments.
const CHECK_MEMBERS: &[&str] = &[
    "CheckType",
    "FailOnViolation",
    "ModelName",
    "ModelPackageGroupName",
    "RegisterNewBaseline",
    "SkipCheck",
    "SuppliedBaselineConstraints",
    "SuppliedBaselineStatistics",
];

/// The members every step may have.
const STEP_MEMBERS: &[&str] = &[
    "Arguments",
    "CacheConfig",
    "DependsOn",
    "Description",
    "DisplayName",
    "Name",
    "OutputParameters",
    "PropertyFiles",
    "RetryPolicies",
    "Type",
];

/// The execution variables (`{"Get": "Execution.PipelineExecutionId"}`).
const EXECUTION_VARIABLES: &[&str] = &[
    "CurrentDateTime",
    "PipelineArn",
    "PipelineExecutionArn",
    "PipelineExecutionId",
    "PipelineName",
    "ProcessingJobName",
    "StartDateTime",
    "TrainingJobName",
];

/// The failures a retry policy may name.
const EXCEPTION_TYPES: &[&str] = &[
    "SageMaker.CAPACITY_ERROR",
    "SageMaker.JOB_INTERNAL_ERROR",
    "SageMaker.RESOURCE_LIMIT",
    "Step.SERVICE_FAULT",
    "Step.THROTTLING",
];

/// The functions of the format.
const FUNCTIONS: &[&str] = &["Get", "Std:Join", "Std:JsonGet"];

/// The only definition format.
const VERSION: &str = "2020-12-01";

/// The type an expression gives, as far as it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    String,
    Integer,
    Float,
    Boolean,
    Object,
    Array,
    Unknown,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::String => "String",
            Type::Integer => "Integer",
            Type::Float => "Float",
            Type::Boolean => "Boolean",
            Type::Object => "an object",
            Type::Array => "a list",
            Type::Unknown => "a value",
        }
    }

    fn of_parameter(t: Option<&ParameterType>) -> Type {
        match t {
            None | Some(ParameterType::String) => Type::String,
            Some(ParameterType::Integer) => Type::Integer,
            Some(ParameterType::Float) => Type::Float,
            Some(ParameterType::Boolean) => Type::Boolean,
            Some(ParameterType::Unknown(_)) => Type::Unknown,
        }
    }

    fn of_kind(kind: Kind) -> Type {
        match kind {
            Kind::String | Kind::Enum | Kind::Timestamp | Kind::Blob => Type::String,
            Kind::Boolean => Type::Boolean,
            Kind::IntEnum | Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::BigInteger => Type::Integer,
            Kind::Float | Kind::Double | Kind::BigDecimal => Type::Float,
            Kind::Structure | Kind::Union | Kind::Map { .. } => Type::Object,
            Kind::List { .. } => Type::Array,
            Kind::Document => Type::Unknown,
        }
    }

    fn of_output(t: Option<&str>) -> Type {
        match t {
            Some("String") => Type::String,
            Some("Integer") => Type::Integer,
            Some("Float") => Type::Float,
            Some("Boolean") => Type::Boolean,
            _ => Type::Unknown,
        }
    }

    /// Whether a value of this type may stand for an argument of `slot`.
    fn fits(self, slot: Type) -> bool {
        match (self, slot) {
            (Type::Unknown, _) | (_, Type::Unknown) => true,
            (Type::Integer, Type::Float) => true,
            (a, b) => a == b,
        }
    }
}

/// A declared parameter.
#[derive(Clone, Copy)]
struct Declared<'d> {
    /// Its type.
    parameter_type: Option<&'d ParameterType>,
    /// Its default, when it has a literal one.
    default: Option<&'d Value>,
    /// Its index in `Parameters`.
    index: usize,
}

/// Where a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// In the definition's `Steps`.
    Top,
    /// In a condition step's `IfSteps` or `ElseSteps`.
    Branch,
    /// In the `ForEachBody` of the ForEach step at this index of the found steps.
    Body(usize),
}

/// A step found in the definition, at any depth.
struct Found<'d> {
    step: &'d Step,
    path: String,
    scope: Scope,
}

/// The steps of a ForEach step's body: the ForEach step's index among the found steps, the body's path, and each
/// step read with its index in the body.
type Body = (usize, String, Vec<(usize, Step)>);

/// Check `definition` against `tables`.
pub fn check(definition: &PipelineDefinition, tables: &Tables) -> Result<(), CheckError> {
    let mut steps = Vec::new();
    if let Some(list) = &definition.steps {
        collect_steps(list, "$.Steps", &mut steps);
    }
    // The steps of each ForEach step's body, read from its arguments (a ForEach step in a body is refused, and its
    // body is not read).
    let bodies: Vec<Body> = steps
        .iter()
        .enumerate()
        .filter(|(_, f)| f.step.step_type.as_deref() == Some("ForEach"))
        .filter_map(|(i, f)| match &f.step.arguments {
            Some(Arguments::Value(v)) => {
                let items = v.get("ForEachBody")?.as_array()?;
                let body = items.iter().enumerate().filter_map(|(j, s)| Some((j, Step::from_value(s)?))).collect();
                Some((i, format!("{}.Arguments.ForEachBody", f.path), body))
            }
            _ => None,
        })
        .collect();
    for (parent, path, body) in &bodies {
        for (j, step) in body {
            steps.push(Found { step, path: format!("{path}[{j}]"), scope: Scope::Body(*parent) });
        }
    }
    let mut c = Checker {
        tables,
        issues: Vec::new(),
        names: HashMap::new(),
        parameters: HashMap::new(),
        edges: vec![Vec::new(); steps.len()],
        steps: steps.iter().map(|f| f.step).collect(),
        scopes: steps.iter().map(|f| f.scope).collect(),
        current: None,
        in_body: 0,
        selector: None,
        suggestions: schema::SUGGESTIONS,
        work: schema::NEAREST_WORK,
        outputs: HashMap::new(),
        files: HashMap::new(),
        defaults: HashMap::new(),
    };
    c.envelope(definition);
    for (i, found) in steps.iter().enumerate() {
        c.name(found.step.name.as_deref(), &format!("{}.Name", found.path), "step");
        if let Some(name) = found.step.name.as_deref() {
            if let Some(&first) = c.names.get(name) {
                let other: &Found<'_> = &steps[first];
                let branch = |f: &Found<'_>| f.scope == Scope::Branch;
                let top = |f: &Found<'_>| f.scope == Scope::Top;
                let message = if branch(other) && top(found) || top(other) && branch(found) {
                    format!(
                        "the step `{name}` is both at the top level and in a condition's branch ({}); a step runs in \
                         one place",
                        other.path
                    )
                } else {
                    format!("the step name `{name}` is taken by {}", other.path)
                };
                c.issue(format!("{}.Name", found.path), message);
            } else {
                c.names.insert(name, i);
            }
        }
    }
    c.iteration_names(&steps);
    for (i, found) in steps.iter().enumerate() {
        // A ForEach step ends when its body's steps have ended, in every iteration.
        if let Scope::Body(parent) = found.scope {
            c.edges[parent].push((i, found.path.clone()));
        }
    }
    for (i, found) in steps.iter().enumerate() {
        c.current = Some(i);
        c.in_body = usize::from(matches!(found.scope, Scope::Body(_)));
        c.step(found.step, &found.path);
    }
    c.current = None;
    c.in_body = 0;
    c.cycles(&steps);
    if let Some(max) = tables.max_length {
        let n = definition.json_chars() as u64;
        if n > max {
            c.issue(
                "$".into(),
                format!("the definition's JSON text is {n} characters long, more than the {max} allowed"),
            );
        }
    }
    if c.issues.is_empty() {
        Ok(())
    } else {
        Err(CheckError::new(c.issues))
    }
}

/// Every step of `list` and of the branches of its condition steps, depth first, with its path.
fn collect_steps<'d>(list: &'d [Step], path: &str, out: &mut Vec<Found<'d>>) {
    // An explicit stack: branches nest as deep as the definition does.
    let mut stack: Vec<(&'d [Step], String, bool, usize)> = vec![(list, path.to_owned(), false, 0)];
    while let Some((list, path, nested, i)) = stack.pop() {
        let Some(step) = list.get(i) else { continue };
        stack.push((list, path.clone(), nested, i + 1));
        let at = format!("{path}[{i}]");
        if let Some(Arguments::Condition(c)) = &step.arguments {
            if let Some(e) = &c.else_steps {
                stack.push((e, format!("{at}.Arguments.ElseSteps"), true, 0));
            }
            if let Some(s) = &c.if_steps {
                stack.push((s, format!("{at}.Arguments.IfSteps"), true, 0));
            }
        }
        out.push(Found { step, path: at, scope: if nested { Scope::Branch } else { Scope::Top } });
    }
}

struct Checker<'d, 't> {
    tables: &'t Tables,
    issues: Vec<Issue>,
    /// Step names, to their first step.
    names: HashMap<&'d str, usize>,
    /// Declared parameters, by name.
    parameters: HashMap<&'d str, Declared<'d>>,
    /// For each step, the steps it needs to have ended (`DependsOn` and references), with where it says so.
    edges: Vec<Vec<(usize, String)>>,
    /// Every step, by index.
    steps: Vec<&'d Step>,
    /// Where each step is, by index.
    scopes: Vec<Scope>,
    /// The step whose members are being checked.
    current: Option<usize>,
    /// Inside the `ForEachBody` of a ForEach step (where `ForEach.CurrentItem` is read).
    in_body: usize,
    /// Inside a ForEach step's `Selector.Field` (where `IterationOutput.<body step>` is read): the body's steps.
    selector: Option<Vec<String>>,
    /// How many more problems get a suggestion, and the work left for them ([`schema::NEAREST_WORK`]).
    suggestions: usize,
    work: usize,
    /// Each referenced step's output parameters by name, with their types (made on the first reference).
    outputs: HashMap<usize, HashMap<&'d str, Option<&'d str>>>,
    /// Each referenced step's property files (made on the first reference).
    files: HashMap<usize, std::collections::HashSet<&'d str>>,
    /// What a parameter's default breaks in a slot (parameter, shape, constraints), found once per slot: a long
    /// default used in many places is checked once for each kind of place.
    defaults: HashMap<(usize, u16, *const Checks), Vec<String>>,
}

impl<'d> Checker<'d, '_> {
    fn issue(&mut self, path: String, message: String) {
        self.issues.push(Issue::new(path, message));
    }

    /// ` (did you mean `x`?)` with the candidate nearest to `found`, when one is close (for the first
    /// [`schema::SUGGESTIONS`] problems).
    fn nearest<'a>(&mut self, found: &str, candidates: impl Iterator<Item = &'a str>) -> String {
        if self.suggestions == 0 {
            return String::new();
        }
        self.suggestions -= 1;
        match schema::nearest_within(found, candidates, &mut self.work) {
            Some(n) => format!(" (did you mean `{n}`?)"),
            None => String::new(),
        }
    }

    /// A step or parameter name: present, and of the format's pattern `[A-Za-z0-9\-_]{1,64}`.
    fn name(&mut self, name: Option<&str>, path: &str, what: &str) {
        let Some(name) = name else { return };
        if !is_name(name) {
            self.issue(
                path.to_owned(),
                format!(
                    "{name:?} is not a {what} name: 1 to 64 letters, digits, `-` and `_` (the pattern \
                     `^[A-Za-z0-9\\-_]{{1,64}}$`)"
                ),
            );
        }
    }

    /// Members of `other` that are typed members of the object in error (a wrong kind, or repeated), or unknown
    /// to it (when `known` is given).
    fn others(&mut self, path: &str, other: &[(String, Value)], typed: &[(&str, &str)], known: Option<&[&str]>) {
        let repeats = schema::repeats(other);
        let repeated_names: std::collections::HashSet<&str> =
            other.iter().zip(&repeats).filter(|(_, r)| **r).map(|((n, _), _)| n.as_str()).collect();
        for (i, (name, value)) in other.iter().enumerate() {
            let at = member(path, name);
            let repeated = schema::repeated(&repeats, i);
            if let Some((_, expected)) = typed.iter().find(|(n, _)| n == name) {
                // A `null` member is an absent one (the SDK writes `"PipelineExperimentConfig": null`).
                if matches!(value, Value::Null) && !repeated {
                    continue;
                }
                // A typed member stays among the others when it is repeated (or of another kind).
                let typed_out = !repeated_names.contains(name.as_str());
                if repeated {
                    self.issue(at, format!("the member `{name}` appears more than once"));
                } else if typed_out {
                    self.issue(at, format!("expected {expected}, found {}", value.kind()));
                }
            } else if let Some(known) = known {
                if !known.contains(&name.as_str()) {
                    let hint = self.nearest(name, known.iter().copied().chain(typed.iter().map(|(n, _)| *n)));
                    self.issue(at, format!("`{name}` is not a member here{hint}"));
                }
            }
        }
    }

    fn envelope(&mut self, d: &'d PipelineDefinition) {
        match d.version.as_deref() {
            Some(VERSION) => {}
            Some(v) => self
                .issue("$.Version".into(), format!("{v:?} is not a definition version (the only one is {VERSION:?})")),
            None if !d.other.iter().any(|(n, _)| n == "Version") => {
                self.issue("$.Version".into(), "is required but was not set".into())
            }
            None => {}
        }
        self.others(
            "$",
            &d.other,
            &[
                ("Version", "a string"),
                ("Metadata", "an object"),
                ("Parameters", "an array of objects"),
                ("PipelineExperimentConfig", "an object"),
                ("Steps", "an array of objects"),
            ],
            None,
        );
        if d.steps.is_none() && !d.other.iter().any(|(n, _)| n == "Steps") {
            self.issue("$.Steps".into(), "is required but was not set".into());
        }
        if let Some(Value::Object(members)) = &d.metadata {
            for (name, value) in members {
                if !matches!(value, Value::String(_)) {
                    self.issue(format!("$.Metadata.{name}"), format!("expected a string, found {}", value.kind()));
                }
            }
        }
        if let Some(params) = &d.parameters {
            for (i, p) in params.iter().enumerate() {
                self.parameter(p, i);
            }
        }
        if let Some(Value::Object(members)) = &d.pipeline_experiment_config {
            for (name, value) in members {
                let at = format!("$.PipelineExperimentConfig.{name}");
                match name.as_str() {
                    "ExperimentName" | "TrialName" => self.leaf(value, &at, Type::String),
                    _ => {
                        let hint = self.nearest(name, ["ExperimentName", "TrialName"].into_iter());
                        self.issue(at, format!("`{name}` is not a member here{hint}"));
                    }
                }
            }
        }
    }

    fn parameter(&mut self, p: &'d Parameter, index: usize) {
        let path = &format!("$.Parameters[{index}]");
        self.others(
            path,
            &p.other,
            &[("Name", "a string"), ("Type", "a string"), ("EnumValues", "an array")],
            Some(&["DefaultValue", "Description"]),
        );
        if p.name.is_none() && !p.other.iter().any(|(n, _)| n == "Name") {
            self.issue(format!("{path}.Name"), "is required but was not set".into());
        }
        self.name(p.name.as_deref(), &format!("{path}.Name"), "parameter");
        if let Some(name) = p.name.as_deref() {
            let default = p.default_value.as_ref().filter(|d| literal_type(d).is_some());
            let declared = Declared { parameter_type: p.parameter_type.as_ref(), default, index };
            if self.parameters.insert(name, declared).is_some() {
                self.issue(format!("{path}.Name"), format!("the parameter `{name}` is declared more than once"));
            }
        }
        if let Some(ParameterType::Unknown(t)) = &p.parameter_type {
            let hint = self.nearest(t, ["Boolean", "Float", "Integer", "String"].into_iter());
            self.issue(
                format!("{path}.Type"),
                format!("{t:?} is not a parameter type (String, Integer, Float or Boolean){hint}"),
            );
        }
        let t = Type::of_parameter(p.parameter_type.as_ref());
        if let Some(d) = &p.default_value {
            if let Some(found) = literal_type(d) {
                if !found.fits(t) || (t == Type::Integer && !is_integer(d)) {
                    self.issue(
                        format!("{path}.DefaultValue"),
                        format!("a {} parameter's default must be one, found {}", t.name(), d.kind()),
                    );
                }
            } else {
                self.issue(format!("{path}.DefaultValue"), format!("a default is a literal, found {}", d.kind()));
            }
        }
        if let Some(values) = &p.enum_values {
            if t != Type::String {
                self.issue(format!("{path}.EnumValues"), "only a String parameter has enum values".into());
            }
            for (i, v) in values.iter().enumerate() {
                if !matches!(v, Value::String(_)) {
                    self.issue(format!("{path}.EnumValues[{i}]"), format!("expected a string, found {}", v.kind()));
                }
            }
            if let Some(d) = &p.default_value {
                if !values.contains(d) {
                    self.issue(
                        format!("{path}.DefaultValue"),
                        format!("{d} is not one of the parameter's enum values"),
                    );
                }
            }
        }
    }

    fn step(&mut self, step: &'d Step, path: &str) {
        let kind_name = step.step_type.as_deref();
        let table = kind_name.and_then(|k| self.tables.kinds.iter().find(|t| t.name == k));
        let envelope = kind_name.and_then(|k| ENVELOPE_KINDS.iter().find(|(n, _)| *n == k));
        let kept = kind_name.is_some_and(|k| KEPT_KINDS.contains(&k));
        if step.name.is_none() && !step.other.iter().any(|(n, _)| n == "Name") {
            self.issue(format!("{path}.Name"), "is required but was not set".into());
        }
        match kind_name {
            None if !step.other.iter().any(|(n, _)| n == "Type") => {
                self.issue(format!("{path}.Type"), "is required but was not set".into())
            }
            Some(k) if table.is_none() && envelope.is_none() && !kept => {
                let kinds: Vec<&str> = self
                    .tables
                    .kinds
                    .iter()
                    .map(|t| t.name)
                    .chain(ENVELOPE_KINDS.iter().map(|(n, _)| *n))
                    .chain(KEPT_KINDS.iter().copied())
                    .collect();
                let hint = self.nearest(k, kinds.iter().copied());
                self.issue(
                    format!("{path}.Type"),
                    format!("{k:?} is not a step type this crate knows{hint}; its arguments are not checked"),
                );
            }
            _ => {}
        }
        let own: &[&str] = match (kind_name, envelope) {
            (_, Some((_, own))) => own,
            (Some("ClarifyCheck" | "QualityCheck"), _) => CHECK_MEMBERS,
            _ => &[],
        };
        let known: Vec<&str> = STEP_MEMBERS.iter().chain(own).copied().collect();
        let checks_members = table.is_some() || envelope.is_some();
        self.others(
            path,
            &step.other,
            &[
                ("Name", "a string"),
                ("Type", "a string"),
                ("DisplayName", "a string"),
                ("Description", "a string"),
                ("DependsOn", "an array"),
                ("Arguments", "an object"),
                ("RetryPolicies", "an array of objects"),
                ("CacheConfig", "an object"),
                ("PropertyFiles", "an array of objects"),
                ("OutputParameters", "an array of objects"),
            ],
            checks_members.then_some(known.as_slice()),
        );
        // The kind's own members may hold expressions (`ModelPackageGroupName`, `SkipCheck`).
        for (name, value) in &step.other {
            if own.contains(&name.as_str()) {
                self.scan(value, &Path::Member(&Path::Text(path), name), 0);
            }
        }
        if let Some(deps) = &step.depends_on {
            for (i, d) in deps.iter().enumerate() {
                let at = format!("{path}.DependsOn[{i}]");
                match d {
                    DependsOn::Step(name) => {
                        self.reference_step(name, &Path::Text(&at));
                    }
                    // `{"Step": <name>, "Trigger": "Failed" | "Stopped" | "Any"}`.
                    DependsOn::Other(v) => match (v.get("Step"), v.get("Trigger"), v.as_object().map(<[_]>::len)) {
                        (Some(Value::String(name)), Some(Value::String(t)), Some(2)) => {
                            self.reference_step(name, &Path::Member(&Path::Text(&at), "Step"));
                            if !["Any", "Failed", "Stopped", "Completed"].contains(&t.as_str()) {
                                let hint = self.nearest(t, ["Any", "Completed", "Failed", "Stopped"].into_iter());
                                self.issue(
                                    member(&at, "Trigger"),
                                    format!("{t:?} is not a trigger (Completed, Failed, Stopped or Any){hint}"),
                                );
                            }
                        }
                        _ => self.issue(
                            at,
                            format!(
                                "expected a step's name or {{\"Step\": <name>, \"Trigger\": <trigger>}}, found {v}"
                            ),
                        ),
                    },
                }
            }
        }
        if let Some(policies) = &step.retry_policies {
            for (i, p) in policies.iter().enumerate() {
                let at = format!("{path}.RetryPolicies[{i}]");
                self.others(
                    &at,
                    &p.other,
                    &[
                        ("ExceptionType", "an array of strings"),
                        ("IntervalSeconds", "an integer"),
                        ("BackoffRate", "a number"),
                        ("MaxAttempts", "an integer"),
                        ("ExpireAfterMin", "an integer"),
                    ],
                    Some(&[]),
                );
                for (j, e) in p.exception_types.iter().flatten().enumerate() {
                    let known = EXCEPTION_TYPES.contains(&e.as_str()) || e.starts_with("Emr.");
                    if !known {
                        let hint = self.nearest(e, EXCEPTION_TYPES.iter().copied());
                        self.issue(
                            format!("{at}.ExceptionType[{j}]"),
                            format!("{e:?} is not a failure a step retries{hint}"),
                        );
                    }
                }
                if p.max_attempts.is_some() && p.expire_after_min.is_some() {
                    self.issue(at, "a retry policy has `MaxAttempts` or `ExpireAfterMin`, not both".into());
                }
            }
        }
        if let Some(cache) = &step.cache_config {
            self.others(
                &format!("{path}.CacheConfig"),
                &cache.other,
                &[("Enabled", "a boolean"), ("ExpireAfter", "a string")],
                Some(&[]),
            );
        }
        if let Some(files) = &step.property_files {
            let mut file_names = std::collections::HashSet::new();
            for (i, f) in files.iter().enumerate() {
                let at = format!("{path}.PropertyFiles[{i}]");
                self.others(
                    &at,
                    &f.other,
                    &[("PropertyFileName", "a string"), ("OutputName", "a string"), ("FilePath", "a string")],
                    Some(&[]),
                );
                if f.name.is_none() {
                    self.issue(format!("{at}.PropertyFileName"), "is required but was not set".into());
                }
                if let Some(name) = &f.name {
                    if !file_names.insert(name.as_str()) {
                        self.issue(
                            format!("{at}.PropertyFileName"),
                            format!("the property file `{name}` is declared more than once"),
                        );
                    }
                }
            }
        }
        if let Some(outputs) = &step.output_parameters {
            for (i, o) in outputs.iter().enumerate() {
                let at = format!("{path}.OutputParameters[{i}]");
                self.others(&at, &o.other, &[("OutputName", "a string"), ("OutputType", "a string")], Some(&[]));
                if let Some(t) = &o.output_type {
                    if !["String", "Integer", "Float", "Boolean"].contains(&t.as_str()) {
                        self.issue(
                            format!("{at}.OutputType"),
                            format!("{t:?} is not an output type (String, Integer, Float or Boolean)"),
                        );
                    }
                }
            }
        }
        let arguments_path = format!("{path}.Arguments");
        match &step.arguments {
            Some(Arguments::Condition(c)) => {
                self.others(
                    &arguments_path,
                    &c.other,
                    &[
                        ("Conditions", "an array"),
                        ("IfSteps", "an array of objects"),
                        ("ElseSteps", "an array of objects"),
                    ],
                    Some(&[]),
                );
                for (i, condition) in c.conditions.iter().flatten().enumerate() {
                    self.condition(condition, &format!("{arguments_path}.Conditions[{i}]"), 0);
                }
            }
            Some(Arguments::Value(v)) => match (table, kind_name) {
                (Some(t), _) => {
                    let exceptions = Exceptions {
                        optional: t.optional,
                        unsupported: t.unsupported,
                        reason: "SageMaker Pipelines refuses it in a step's arguments",
                        exactly_one: t.exactly_one,
                        only_with: t.only_with,
                    };
                    let tables = self.tables;
                    // One budget of suggestions for the whole definition, not one per step.
                    let before = schema::Budget { suggestions: self.suggestions, work: self.work };
                    let mut budget = before;
                    let at = Path::Text(&arguments_path);
                    schema::check_within(tables.schema, t.arguments, v, &at, exceptions, self, &mut budget);
                    // The walk's visitor (this checker) may have spent some of its own meanwhile: take off both.
                    self.suggestions = self.suggestions.saturating_sub(before.suggestions - budget.suggestions);
                    self.work = self.work.saturating_sub(before.work - budget.work);
                    for names_a_step in t.step_names {
                        self.names_steps(v, names_a_step, &at);
                    }
                }
                (None, Some("ForEach")) => self.for_each(v, &arguments_path),
                (None, Some("Fail")) => match v {
                    Value::Object(members) => {
                        for (name, value) in members {
                            let at = member(&arguments_path, name);
                            if name == "ErrorMessage" {
                                self.leaf(value, &at, Type::String);
                            } else {
                                let hint = self.nearest(name, ["ErrorMessage"].into_iter());
                                self.issue(at, format!("`{name}` is not a member here{hint}"));
                            }
                        }
                    }
                    other => self.issue(arguments_path, format!("expected an object, found {}", other.kind())),
                },
                _ => self.scan(v, &Path::Text(&arguments_path), 0),
            },
            None if table.is_some() && !step.other.iter().any(|(n, _)| n == "Arguments") => {
                self.issue(arguments_path, "is required but was not set".into());
            }
            None => {}
        }
    }

    fn condition(&mut self, c: &Condition, path: &str, depth: usize) {
        if depth >= MAX_DEPTH {
            return;
        }
        match c {
            Condition::Comparison { left, right, .. } => {
                self.leaf(left, &format!("{path}.LeftValue"), Type::Unknown);
                self.leaf(right, &format!("{path}.RightValue"), Type::Unknown);
            }
            Condition::In { query, values } => {
                self.leaf(query, &format!("{path}.QueryValue"), Type::Unknown);
                for (i, v) in values.iter().enumerate() {
                    self.leaf(v, &format!("{path}.Values[{i}]"), Type::Unknown);
                }
            }
            Condition::Not(inner) => self.condition(inner, &format!("{path}.Condition"), depth + 1),
            Condition::Or(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.condition(item, &format!("{path}.Conditions[{i}]"), depth + 1);
                }
            }
            Condition::Other(v) => {
                match v.get("Type").and_then(Value::as_str) {
                    Some(t) => {
                        let forms = COMPARISONS.iter().copied().chain(["In", "Not", "Or"]);
                        let known = COMPARISONS.contains(&t) || ["In", "Not", "Or"].contains(&t);
                        if known {
                            self.issue(
                                path.to_owned(),
                                format!("a `{t}` condition does not have these members: {}", members_of(v)),
                            );
                        } else {
                            let hint = self.nearest(t, forms);
                            self.issue(
                                format!("{path}.Type"),
                                format!("{t:?} is not a condition this crate knows{hint}"),
                            );
                        }
                    }
                    None => self.issue(path.to_owned(), "a condition needs a `Type`".into()),
                }
                self.scan(v, &Path::Text(path), depth + 1);
            }
        }
    }

    /// A value where a literal of `slot` or an expression goes (outside the tables: condition operands, the
    /// experiment's names, a failure's message).
    fn leaf(&mut self, v: &Value, path: &str, slot: Type) {
        self.leaf_at(v, &Path::Text(path), slot);
    }

    /// [`leaf`](Self::leaf) at a path rendered only for a problem.
    fn leaf_at(&mut self, v: &Value, path: &Path<'_>, slot: Type) {
        if let Some(t) = self.expression(v, path, 0) {
            self.assign(t, slot, v, path);
        } else if let Some(found) = literal_type(v) {
            if !found.fits(slot) {
                self.issue(path.render(), format!("expected {}, found {}", slot.name(), v.kind()));
            }
        } else {
            self.issue(path.render(), format!("expected a literal or an expression, found {}", v.kind()));
        }
    }

    /// Check every expression inside a value that is otherwise not checked (free-form arguments). The path is
    /// rendered only for an expression, so a wide value deep under long names costs no copies of its path.
    fn scan(&mut self, v: &Value, path: &Path<'_>, depth: usize) {
        if depth >= MAX_DEPTH {
            return;
        }
        if is_expression(v) {
            self.expression(v, path, depth);
            return;
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.scan(item, &Path::Index(path, i), depth + 1);
                }
            }
            Value::Object(members) => {
                for (name, item) in members {
                    self.scan(item, &Path::Member(path, name), depth + 1);
                }
            }
            _ => {}
        }
    }

    /// When `v` is an expression, check it and give its type.
    fn expression(&mut self, v: &Value, path: &Path<'_>, depth: usize) -> Option<Type> {
        let (name, argument) = match v.as_object() {
            Some([(name, argument)]) if is_expression(v) => (name.as_str(), argument),
            _ => return None,
        };
        let at = Path::Member(path, name);
        Some(match name {
            "Get" => match argument {
                Value::String(reference) => self.reference(reference, &at),
                other => {
                    self.issue(at.render(), format!("a `Get` takes a string, found {}", other.kind()));
                    Type::Unknown
                }
            },
            "Std:Join" => {
                match argument {
                    Value::Object(members) => {
                        for (name, value) in members {
                            let member_at = Path::Member(&at, name);
                            match (name.as_str(), value) {
                                ("On", Value::String(_)) => {}
                                ("On", other) => {
                                    self.issue(member_at.render(), format!("expected a string, found {}", other.kind()))
                                }
                                ("Values", Value::Array(items)) => {
                                    for (i, item) in items.iter().enumerate() {
                                        let item_at = Path::Index(&member_at, i);
                                        if depth < MAX_DEPTH
                                            && self.expression(item, &item_at, depth + 1).is_none()
                                            && literal_type(item).is_none()
                                        {
                                            self.issue(
                                                item_at.render(),
                                                format!(
                                                    "`Std:Join` joins literals and expressions, found {}",
                                                    item.kind()
                                                ),
                                            );
                                        }
                                    }
                                }
                                ("Values", other) => {
                                    self.issue(member_at.render(), format!("expected an array, found {}", other.kind()))
                                }
                                _ => {
                                    let hint = self.nearest(name, ["On", "Values"].into_iter());
                                    self.issue(
                                        member_at.render(),
                                        format!("`{name}` is not a member of `Std:Join`{hint}"),
                                    );
                                }
                            }
                        }
                        if argument.get("Values").is_none() {
                            self.issue(Path::Member(&at, "Values").render(), "is required but was not set".into());
                        }
                    }
                    other => self.issue(at.render(), format!("`Std:Join` takes an object, found {}", other.kind())),
                }
                Type::String
            }
            "Std:JsonGet" => {
                match argument {
                    Value::Object(members) => {
                        for (name, value) in members {
                            let member_at = Path::Member(&at, name);
                            match name.as_str() {
                                "Path" => {
                                    if !matches!(value, Value::String(_)) {
                                        let message = format!("expected a string, found {}", value.kind());
                                        self.issue(member_at.render(), message);
                                    }
                                }
                                "PropertyFile" => match value.get("Get").and_then(Value::as_str) {
                                    Some(reference) if value.as_object().is_some_and(|m| m.len() == 1) => {
                                        self.property_file(reference, &Path::Member(&member_at, "Get"));
                                    }
                                    _ => self.issue(
                                        member_at.render(),
                                        "expected {\"Get\": \"Steps.<step>.PropertyFiles.<file>\"}".into(),
                                    ),
                                },
                                "S3Uri" => self.leaf_at(value, &member_at, Type::String),
                                _ => {
                                    let hint = self.nearest(name, ["Path", "PropertyFile", "S3Uri"].into_iter());
                                    let message = format!("`{name}` is not a member of `Std:JsonGet`{hint}");
                                    self.issue(member_at.render(), message);
                                }
                            }
                        }
                        if argument.get("Path").is_none() {
                            self.issue(Path::Member(&at, "Path").render(), "is required but was not set".into());
                        }
                        if argument.get("PropertyFile").is_none() && argument.get("S3Uri").is_none() {
                            self.issue(at.render(), "`Std:JsonGet` reads a `PropertyFile` or an `S3Uri`".into());
                        }
                    }
                    other => self.issue(at.render(), format!("`Std:JsonGet` takes an object, found {}", other.kind())),
                }
                Type::Unknown
            }
            other => {
                let hint = self.nearest(other, FUNCTIONS.iter().copied());
                self.issue(at.render(), format!("`{other}` is not a function this crate knows{hint}"));
                if depth < MAX_DEPTH {
                    self.scan(argument, path, depth + 1);
                }
                Type::Unknown
            }
        })
    }

    /// An expression of type `t` where an argument of `slot` goes.
    fn assign(&mut self, t: Type, slot: Type, v: &Value, path: &Path<'_>) {
        if !t.fits(slot) {
            let what = match v.get("Get").and_then(Value::as_str) {
                Some(r) => format!("`{r}` is {}", t.name()),
                None => format!("the expression gives {}", t.name()),
            };
            self.issue(
                path.render(),
                format!("{what}, which cannot be assigned to an argument of type {}", slot.name()),
            );
        }
    }

    /// A `Get` reference: its type, once it resolves.
    fn reference(&mut self, reference: &str, path: &Path<'_>) -> Type {
        if let Some(name) = reference.strip_prefix("Parameters.") {
            return match self.parameters.get(name) {
                Some(d) => Type::of_parameter(d.parameter_type),
                None => {
                    let names: Vec<&str> =
                        if self.suggestions > 0 { self.parameters.keys().copied().collect() } else { Vec::new() };
                    let hint = self.nearest(name, names.into_iter());
                    self.issue(path.render(), format!("no parameter `{name}` is declared{hint}"));
                    Type::Unknown
                }
            };
        }
        if let Some(name) = reference.strip_prefix("Execution.") {
            if !EXECUTION_VARIABLES.contains(&name) {
                let hint = self.nearest(name, EXECUTION_VARIABLES.iter().copied());
                self.issue(path.render(), format!("`{name}` is not an execution variable{hint}"));
                return Type::Unknown;
            }
            return Type::String;
        }
        if let Some(rest) = reference.strip_prefix("Steps.") {
            let (step, property) = match rest.find(['.', '[']) {
                Some(i) => (&rest[..i], rest[i..].strip_prefix('.').unwrap_or(&rest[i..])),
                None => (rest, ""),
            };
            let Some(target) = self.reference_step(step, path) else { return Type::Unknown };
            return self.property(target, step, property, reference, path);
        }
        if let Some(name) = reference.strip_prefix("PipelineExperimentConfig.") {
            if !["ExperimentName", "TrialName"].contains(&name) {
                let hint = self.nearest(name, ["ExperimentName", "TrialName"].into_iter());
                self.issue(path.render(), format!("`{name}` is not a member of the experiment configuration{hint}"));
            }
            return Type::String;
        }
        // A ForEach step's item, in its body (`ForEach.CurrentItem`, `ForEach.CurrentItem.name`,
        // `ForEach.CurrentItem['k']`): whatever the item holds.
        if let Some(rest) = reference.strip_prefix("ForEach.") {
            let item = rest.strip_prefix("CurrentItem").is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']));
            if !item {
                self.issue(
                    path.render(),
                    format!("`{reference}` is not a reference: a ForEach step's body reads `ForEach.CurrentItem`"),
                );
            } else if self.in_body == 0 {
                self.issue(
                    path.render(),
                    "`ForEach.CurrentItem` is read only in the steps of a ForEach step's `ForEachBody`".into(),
                );
            }
            return Type::Unknown;
        }
        // A body step's output in each iteration, compared by a ForEach step's selector:
        // `IterationOutput.<body step>.<member>`.
        if let Some(rest) = reference.strip_prefix("IterationOutput.") {
            let Some(bodies) = self.selector.clone() else {
                self.issue(path.render(), "`IterationOutput` is read only in a ForEach step's `Selector.Field`".into());
                return Type::Unknown;
            };
            let Some(end) = rest.find(['.', '[']).filter(|&e| e + 1 < rest.len()) else {
                self.issue(
                    path.render(),
                    format!("`{reference}` names no member: `IterationOutput.<body step>.<member>`"),
                );
                return Type::Unknown;
            };
            let step = &rest[..end];
            if !bodies.iter().any(|b| b == step) {
                let hint = self.nearest(step, bodies.iter().map(String::as_str));
                self.issue(path.render(), format!("`{step}` is not a step of this ForEach step's body{hint}"));
                return Type::Unknown;
            }
            // The selector is checked with its ForEach step's arguments: the member is a property of its body step.
            return match self.current {
                Some(for_each) => self.body_property(for_each, step, &rest[end..], reference, path),
                None => Type::Unknown,
            };
        }
        self.issue(
            path.render(),
            format!("`{reference}` is not a reference: it starts with `Parameters.`, `Execution.` or `Steps.`"),
        );
        Type::Unknown
    }

    /// The step a reference names, recorded as one the current step needs.
    fn reference_step(&mut self, name: &str, path: &Path<'_>) -> Option<usize> {
        match self.names.get(name) {
            Some(&i) if !self.in_scope(i) => {
                let Scope::Body(parent) = self.scopes[i] else { return None };
                let for_each = self.steps[parent].name.as_deref().unwrap_or_default();
                self.issue(
                    path.render(),
                    format!(
                        "`{name}` is a step of the body of the ForEach step `{for_each}`, run once per item, and is \
                         read only in that body: outside it, depend on `{for_each}` and read \
                         `Steps.{for_each}.IterationOutputs[<index>].{name}.<member>` or \
                         `Steps.{for_each}.Selected.<member>`"
                    ),
                );
                None
            }
            Some(&i) => {
                if let Some(current) = self.current {
                    self.edges[current].push((i, path.render()));
                }
                Some(i)
            }
            None => {
                self.no_step_named(name, path);
                None
            }
        }
    }

    /// Each step name that `value` holds at the dotted `path` of members (through the items of arrays), checked to
    /// be a step of the pipeline. What is not an object, an array or a string there is the schema walker's to report;
    /// an expression is not a name, and a string not of a step name's form is left to the member's pattern.
    fn names_steps(&mut self, value: &Value, path: &str, at: &Path<'_>) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.names_steps(item, path, &Path::Index(at, i));
                }
            }
            Value::Object(members) if !path.is_empty() => {
                let (name, rest) = path.split_once('.').unwrap_or((path, ""));
                if let Some((name, member)) = members.iter().find(|(n, _)| n == name) {
                    self.names_steps(member, rest, &Path::Member(at, name));
                }
            }
            // A value that is no step name in form names no step; the member's own pattern says what is wrong.
            Value::String(step) if path.is_empty() && is_name(step) && !self.names.contains_key(step.as_str()) => {
                self.no_step_named(step, at);
            }
            _ => {}
        }
    }

    /// `name`, at `path`, names no step of the pipeline: said with the nearest step's name while suggestions last.
    fn no_step_named(&mut self, name: &str, path: &Path<'_>) {
        let names: Vec<&str> = if self.suggestions > 0 { self.names.keys().copied().collect() } else { Vec::new() };
        let hint = self.nearest(name, names.into_iter());
        self.issue(path.render(), format!("no step is named `{name}`{hint}"));
    }

    /// A property path of a step, with the type it reaches.
    fn property(&mut self, target: usize, step: &str, property: &str, reference: &str, path: &Path<'_>) -> Type {
        let Some(found) = self.found_step(target) else { return Type::Unknown };
        let kind = found.step_type.as_deref().unwrap_or_default();
        if property.is_empty() {
            return Type::Object;
        }
        if let Some(file) = property.strip_prefix("PropertyFiles.") {
            self.declared_file(target, found, step, file, path);
            return Type::Object;
        }
        let table = self.tables.kinds.iter().find(|k| k.name == kind);
        match (table, kind) {
            (Some(t), _) if !t.string_properties.is_empty() || !t.properties.is_empty() => {
                self.table_property(t, kind, property, reference, path)
            }
            (_, "Lambda" | "Callback") => {
                let name = property
                    .strip_prefix("OutputParameters[")
                    .and_then(|p| p.strip_suffix(']'))
                    .map(|p| p.trim_matches(|c| c == '\'' || c == '"'));
                let outputs = found.output_parameters.as_deref().unwrap_or_default();
                let declared = self.outputs.entry(target).or_insert_with(|| {
                    let mut declared = HashMap::new();
                    for o in outputs {
                        if let Some(n) = o.output_name.as_deref() {
                            declared.entry(n).or_insert(o.output_type.as_deref());
                        }
                    }
                    declared
                });
                match name {
                    Some(n) => match declared.get(n) {
                        Some(t) => Type::of_output(*t),
                        None => {
                            let hint = self.nearest(n, outputs.iter().filter_map(|o| o.output_name.as_deref()));
                            self.issue(
                                path.render(),
                                format!("the step `{step}` declares no output parameter `{n}`{hint}"),
                            );
                            Type::Unknown
                        }
                    },
                    None => {
                        self.issue(
                            path.render(),
                            format!("a {kind} step's properties are `OutputParameters['<name>']`, not `{property}`"),
                        );
                        Type::Unknown
                    }
                }
            }
            (_, "Condition") => self.fixed_property(kind, property, &["Outcome"], Type::Boolean, path),
            (_, "ForEach") => self.for_each_property(target, found, property, reference, path),
            (_, "Fail") => {
                self.issue(path.render(), format!("a Fail step has no properties (`{reference}`)"));
                Type::Unknown
            }
            _ => Type::Unknown,
        }
    }

    /// A ForEach step's arguments (the SageMaker Python SDK 3.x's `ForEachStep`): `IterableItems` (1 to 100 literals
    /// or expressions, or an expression giving a JSON list), `MaxConcurrency` (1 to 50), `ForEachBody` (steps, not
    /// Condition, Fail or ForEach ones; the expressions in them are checked, with `ForEach.CurrentItem`), and a
    /// `Selector` (`Pick`: `MaxBy` or `MinBy`, `Field`: an `IterationOutput` of a body step).
    fn for_each(&mut self, v: &Value, path: &str) {
        const MEMBERS: [&str; 4] = ["ForEachBody", "IterableItems", "MaxConcurrency", "Selector"];
        let Value::Object(members) = v else {
            self.issue(path.to_owned(), format!("expected an object, found {}", v.kind()));
            return;
        };
        let bodies: Vec<String> = members
            .iter()
            .filter(|(n, _)| n == "ForEachBody")
            .flat_map(|(_, b)| b.as_array().unwrap_or_default())
            .filter_map(|s| s.get("Name").and_then(Value::as_str).map(str::to_owned))
            .collect();
        for (name, value) in members {
            let at = member(path, name);
            match name.as_str() {
                "IterableItems" => match value {
                    Value::Array(items) => {
                        if !(1..=100).contains(&items.len()) {
                            self.issue(at.clone(), format!("has {} items; it takes 1 to 100", items.len()));
                        }
                        for (i, item) in items.iter().enumerate() {
                            self.leaf(item, &format!("{at}[{i}]"), Type::Unknown);
                        }
                    }
                    _ if is_expression(value) => self.leaf(value, &at, Type::String),
                    other => self.issue(
                        at,
                        format!("expected a list of items or an expression giving a JSON list, found {}", other.kind()),
                    ),
                },
                "MaxConcurrency" => {
                    self.leaf(value, &at, Type::Integer);
                    if literal_type(value) == Some(Type::Integer)
                        && !(1..=50).contains(&schema_integer(value).unwrap_or(0))
                    {
                        self.issue(at, format!("{value} is not from 1 to 50"));
                    }
                }
                "Selector" => self.selector(value, &at, &bodies),
                // The body's steps are checked as steps (`check` reads them from here).
                "ForEachBody" => match value {
                    Value::Array(steps) if !steps.is_empty() => {
                        for (i, s) in steps.iter().enumerate() {
                            let step_at = format!("{at}[{i}]");
                            if !matches!(s, Value::Object(_)) {
                                self.issue(step_at, format!("expected a step (an object), found {}", s.kind()));
                            } else if let Some(t @ ("Condition" | "Fail" | "ForEach")) =
                                s.get("Type").and_then(Value::as_str)
                            {
                                self.issue(
                                    format!("{step_at}.Type"),
                                    format!("a {t} step cannot be in a ForEach step's body"),
                                );
                            }
                        }
                    }
                    _ => self.issue(at, "expected a non-empty list of steps".into()),
                },
                _ => {
                    let hint = self.nearest(name, MEMBERS.into_iter());
                    self.issue(at, format!("`{name}` is not a member of a ForEach step's arguments{hint}"));
                }
            }
        }
        for required in ["ForEachBody", "IterableItems", "MaxConcurrency"] {
            if v.get(required).is_none() {
                self.issue(member(path, required), "is required but was not set".into());
            }
        }
    }

    fn selector(&mut self, v: &Value, path: &str, bodies: &[String]) {
        let Value::Object(members) = v else {
            self.issue(path.to_owned(), format!("expected an object, found {}", v.kind()));
            return;
        };
        for (name, value) in members {
            let at = member(path, name);
            match (name.as_str(), value) {
                ("Pick", Value::String(p)) if p == "MaxBy" || p == "MinBy" => {}
                ("Pick", other) => {
                    let hint = match other {
                        Value::String(p) => self.nearest(p, ["MaxBy", "MinBy"].into_iter()),
                        _ => String::new(),
                    };
                    self.issue(at, format!("expected \"MaxBy\" or \"MinBy\", found {other}{hint}"));
                }
                ("Field", field) => {
                    let reads =
                        field.get("Get").and_then(Value::as_str).is_some_and(|r| r.starts_with("IterationOutput."));
                    if !reads {
                        self.issue(at.clone(), "expected {\"Get\": \"IterationOutput.<body step>.<member>\"}".into());
                    }
                    self.selector = Some(bodies.to_vec());
                    self.leaf(field, &at, Type::Unknown);
                    self.selector = None;
                }
                _ => {
                    let hint = self.nearest(name, ["Field", "Pick"].into_iter());
                    self.issue(at, format!("`{name}` is not a member of a ForEach step's selector{hint}"));
                }
            }
        }
        for required in ["Field", "Pick"] {
            if v.get(required).is_none() {
                self.issue(member(path, required), "is required but was not set".into());
            }
        }
    }

    /// A ForEach step's properties: `Status`, the counts, `Selected.<member>` (the picked iteration's output) and
    /// `IterationOutputs[i].<body step>.<member>`.
    fn for_each_property(
        &mut self,
        target: usize,
        found: &'d Step,
        property: &str,
        reference: &str,
        path: &Path<'_>,
    ) -> Type {
        const COUNTS: [&str; 5] =
            ["FailedStepCount", "InputItemCount", "StoppedStepCount", "SucceededStepCount", "TotalStepCount"];
        const ALL: [&str; 8] = [
            "FailedStepCount",
            "InputItemCount",
            "IterationOutputs",
            "Selected",
            "Status",
            "StoppedStepCount",
            "SucceededStepCount",
            "TotalStepCount",
        ];
        let end = property.find(['.', '[']).unwrap_or(property.len());
        let (first, rest) = (&property[..end], &property[end..]);
        match first {
            "Status" if rest.is_empty() => Type::String,
            c if COUNTS.contains(&c) && rest.is_empty() => Type::Integer,
            "Selected" if rest.len() > 1 && rest.starts_with('.') => Type::Unknown,
            "IterationOutputs" => {
                // `[<index>].<body step>.<member>`
                let body = rest
                    .strip_prefix('[')
                    .and_then(|r| r.split_once(']'))
                    .filter(|(i, _)| !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|(_, r)| r.strip_prefix('.'))
                    .and_then(|r| r.find(['.', '[']).map(|e| (&r[..e], &r[e..])));
                let Some((body, member)) = body else {
                    self.issue(
                        path.render(),
                        format!("`{reference}` is not `IterationOutputs[<index>].<body step>.<member>`"),
                    );
                    return Type::Unknown;
                };
                let bodies: Vec<&str> = match &found.arguments {
                    Some(Arguments::Value(v)) => v
                        .get("ForEachBody")
                        .and_then(Value::as_array)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|s| s.get("Name").and_then(Value::as_str))
                        .collect(),
                    _ => Vec::new(),
                };
                if !bodies.contains(&body) {
                    let hint = self.nearest(body, bodies.iter().copied());
                    self.issue(path.render(), format!("`{body}` is not a step of the ForEach step's body{hint}"));
                    return Type::Unknown;
                }
                // The member is a property of the body step, as its kind has it.
                self.body_property(target, body, member, reference, path)
            }
            _ if ALL.contains(&first) => {
                let form = match first {
                    "Selected" => "`Selected.<member>`".to_owned(),
                    other => format!("`{other}`, with nothing after it"),
                };
                self.issue(path.render(), format!("`{reference}` does not fit the property: it is read as {form}"));
                Type::Unknown
            }
            _ => {
                let hint = self.nearest(first, ALL.into_iter());
                self.issue(path.render(), format!("`{first}` is not a property of a ForEach step{hint}"));
                Type::Unknown
            }
        }
    }

    fn fixed_property(&mut self, kind: &str, property: &str, names: &[&str], t: Type, path: &Path<'_>) -> Type {
        if names.contains(&property) {
            return t;
        }
        let hint = self.nearest(property, names.iter().copied());
        self.issue(path.render(), format!("`{property}` is not a property of a {kind} step{hint}"));
        Type::Unknown
    }

    /// A property of a kind of the tables: one of its string properties (`CalculatedBaselineConstraints`), or a path
    /// through its output shapes.
    fn table_property(
        &mut self,
        kind: &StepKind,
        kind_name: &str,
        property: &str,
        reference: &str,
        path: &Path<'_>,
    ) -> Type {
        let end = property.find(['.', '[']).unwrap_or(property.len());
        let first = &property[..end];
        if kind.string_properties.contains(&first) {
            if end == property.len() {
                return Type::String;
            }
            self.issue(
                path.render(),
                format!("`{reference}` does not fit the property's shape: `{first}` is a string"),
            );
            return Type::Unknown;
        }
        if kind.properties.is_empty() {
            return self.fixed_property(kind_name, property, kind.string_properties, Type::String, path);
        }
        self.schema_property(kind, kind_name, property, reference, path)
    }

    /// Walk a property path (`ModelArtifacts.S3ModelArtifacts`, `FinalMetricDataList[0].Value`,
    /// `Environment['KEY']`) through the kind's output shapes.
    fn schema_property(
        &mut self,
        kind: &StepKind,
        kind_name: &str,
        property: &str,
        reference: &str,
        path: &Path<'_>,
    ) -> Type {
        let schema = self.tables.schema;
        let mut segments = Segments { rest: property };
        let Some(Segment::Name(first)) = segments.next() else {
            self.issue(path.render(), format!("`{reference}` does not name a property"));
            return Type::Unknown;
        };
        let found = kind.properties.iter().find_map(|&root| schema.shape(root).member(first));
        let Some(member) = found else {
            let candidates: Vec<&'static str> = kind
                .properties
                .iter()
                .flat_map(|&r| schema.shape(r).members.iter().map(|m| m.name))
                .chain(kind.string_properties.iter().copied())
                .collect();
            let hint = self.nearest(first, candidates.into_iter());
            self.issue(path.render(), format!("`{first}` is not a property of a {kind_name} step{hint}"));
            return Type::Unknown;
        };
        let mut at = member.target;
        for segment in segments.by_ref() {
            let shape = schema.shape(at);
            let next = match (segment, shape.kind) {
                (Segment::Name(n), Kind::Structure | Kind::Union) => match shape.member(n) {
                    Some(m) => Some(m.target),
                    None => {
                        let hint = self.nearest(n, shape.members.iter().map(|m| m.name));
                        self.issue(
                            path.render(),
                            format!("`{n}` is not a member of {}{hint} (in `{reference}`)", shape.name),
                        );
                        return Type::Unknown;
                    }
                },
                // A list's item by position, or by its name (`Outputs['train']`: the output named `train`).
                (Segment::Index | Segment::Key, Kind::List { .. }) => shape.members.first().map(|m| m.target),
                (Segment::Key, Kind::Map { .. }) => shape.member("value").map(|m| m.target),
                (Segment::Bad, _) => None,
                _ => None,
            };
            match next {
                Some(n) => at = n,
                None => {
                    self.issue(
                        path.render(),
                        format!(
                            "`{reference}` does not fit the property's shape: {} is {}",
                            shape.name,
                            kind_words(shape.kind)
                        ),
                    );
                    return Type::Unknown;
                }
            }
        }
        Type::of_kind(schema.shape(at).kind)
    }

    /// A property file reference of `Std:JsonGet`: `Steps.<step>.PropertyFiles.<file>`.
    fn property_file(&mut self, reference: &str, path: &Path<'_>) {
        let parsed = reference.strip_prefix("Steps.").and_then(|r| r.split_once(".PropertyFiles."));
        let Some((step, file)) = parsed else {
            self.issue(
                path.render(),
                format!("`{reference}` is not a property file: `Steps.<step>.PropertyFiles.<file>`"),
            );
            return;
        };
        if let Some(target) = self.reference_step(step, path) {
            if let Some(found) = self.found_step(target) {
                self.declared_file(target, found, step, file, path);
            }
        }
    }

    fn declared_file(&mut self, target: usize, found: &'d Step, step: &str, file: &str, path: &Path<'_>) {
        let files = found.property_files.as_deref().unwrap_or_default();
        let declared =
            self.files.entry(target).or_insert_with(|| files.iter().filter_map(|f| f.name.as_deref()).collect());
        if !declared.contains(file) {
            let hint = self.nearest(file, files.iter().filter_map(|f| f.name.as_deref()));
            self.issue(path.render(), format!("the step `{step}` declares no property file `{file}`{hint}"));
        }
    }

    /// A property of the step `body` of the ForEach step at `for_each` (`member`: `.ModelArtifacts.S3ModelArtifacts`),
    /// read through the ForEach step's `IterationOutputs[<index>]` or its selector's `IterationOutput`.
    fn body_property(&mut self, for_each: usize, body: &str, member: &str, reference: &str, path: &Path<'_>) -> Type {
        match self.names.get(body) {
            Some(&i) if self.scopes[i] == Scope::Body(for_each) => {
                let member = member.strip_prefix('.').unwrap_or(member);
                self.property(i, body, member, reference, path)
            }
            _ => Type::Unknown,
        }
    }

    /// Whether the step at `index` may be read by the step being checked: a step of a ForEach step's body only by
    /// the steps of the same body (the same iteration's), any other step by every step.
    fn in_scope(&self, index: usize) -> bool {
        match self.scopes.get(index) {
            Some(Scope::Body(parent)) => self.current.is_some_and(|c| self.scopes[c] == Scope::Body(*parent)),
            _ => true,
        }
    }

    /// SageMaker names the runs of a ForEach body's step `<name>-<index>`: no other step may be named so.
    fn iteration_names(&mut self, steps: &[Found<'d>]) {
        let body: HashMap<&str, &str> = steps
            .iter()
            .filter(|f| matches!(f.scope, Scope::Body(_)))
            .filter_map(|f| Some((f.step.name.as_deref()?, f.path.as_str())))
            .collect();
        if body.is_empty() {
            return;
        }
        for found in steps {
            let Some(name) = found.step.name.as_deref() else { continue };
            let Some((stem, index)) = name.rsplit_once('-') else { continue };
            if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if let Some(at) = body.get(stem) {
                self.issue(
                    format!("{}.Name", found.path),
                    format!(
                        "the step name `{name}` is how SageMaker names a run of the ForEach body's step `{stem}` \
                         ({at}); no other step may have it"
                    ),
                );
            }
        }
    }

    fn found_step(&self, index: usize) -> Option<&'d Step> {
        self.steps.get(index).copied()
    }

    /// Report each cycle of steps through `DependsOn` and references once.
    fn cycles(&mut self, steps: &[Found<'d>]) {
        let targets: Vec<Vec<usize>> = self.edges.iter().map(|e| e.iter().map(|(t, _)| *t).collect()).collect();
        for component in strongly_connected(&targets) {
            let first = component[0];
            let looped = component.len() > 1 || targets[first].contains(&first);
            if !looped {
                continue;
            }
            let names: Vec<String> =
                component.iter().filter_map(|&i| steps[i].step.name.as_deref()).map(|n| format!("`{n}`")).collect();
            // Name the first place where the first step of the cycle needs another step of it.
            let Some((target, at)) = self.edges[first].iter().find(|(t, _)| component.contains(t)).cloned() else {
                continue;
            };
            let needed = steps[target].step.name.as_deref().unwrap_or_default();
            let message = if component.len() > 1 {
                format!(
                    "the steps {} depend on each other in a cycle; here `{}` needs `{needed}`",
                    names.join(", "),
                    names[0].trim_matches('`')
                )
            } else {
                format!("the step `{needed}` depends on itself")
            };
            self.issue(at, message);
        }
    }
}

impl Visitor for Checker<'_, '_> {
    fn stands_in(&mut self, value: &Value, schema: &Schema, shape: u16, checks: &Checks, path: &Path<'_>) -> bool {
        if !is_expression(value) {
            return false;
        }
        if let Some(t) = self.expression(value, path, 0) {
            let slot = Type::of_kind(schema.shape(shape).kind);
            self.assign(t, slot, value, path);
            // A parameter's default is the value the argument gets when an execution does not set it.
            let parameter = value.get("Get").and_then(Value::as_str).and_then(|r| r.strip_prefix("Parameters."));
            if let Some(declared) = parameter.and_then(|p| self.parameters.get(p)).copied() {
                if let Some(default) = declared.default.filter(|_| t.fits(slot)) {
                    let default_path = format!("$.Parameters[{}].DefaultValue", declared.index);
                    let messages =
                        self.defaults.entry((declared.index, shape, checks as *const Checks)).or_insert_with(|| {
                            let mut found = Collect(Vec::new());
                            schema::check_member(
                                schema,
                                shape,
                                checks,
                                default,
                                &Path::Text(&default_path),
                                &mut found,
                            );
                            found.0.into_iter().map(|(_, message)| message).collect()
                        });
                    let at = if messages.is_empty() { String::new() } else { path.render() };
                    for message in messages.clone() {
                        self.issue(
                            default_path.clone(),
                            format!("the default does not fit {at}, where the parameter is used: {message}"),
                        );
                    }
                }
            }
        }
        true
    }

    fn problem(&mut self, path: &Path<'_>, problem: Problem) {
        self.issue(path.render(), problem.to_string());
    }
}

/// Problems gathered apart (a parameter's default against an argument it stands for).
struct Collect(Vec<(String, String)>);

impl Visitor for Collect {
    fn stands_in(&mut self, _: &Value, _: &Schema, _: u16, _: &Checks, _: &Path<'_>) -> bool {
        false
    }

    fn problem(&mut self, path: &Path<'_>, problem: Problem) {
        self.0.push((path.render(), problem.to_string()));
    }
}

/// One step of a property path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Segment<'a> {
    Name(&'a str),
    Index,
    Key,
    Bad,
}

struct Segments<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Segments<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let rest = self.rest.strip_prefix('.').unwrap_or(self.rest);
        if rest.is_empty() {
            return None;
        }
        if let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else {
                self.rest = "";
                return Some(Segment::Bad);
            };
            let (body, after) = (&inner[..end], &inner[end + 1..]);
            self.rest = after;
            return Some(if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
                Segment::Index
            } else if body.len() >= 2
                && (body.starts_with('\'') && body.ends_with('\'') || body.starts_with('"') && body.ends_with('"'))
            {
                Segment::Key
            } else {
                Segment::Bad
            });
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        self.rest = &rest[end..];
        Some(Segment::Name(&rest[..end]))
    }
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Structure => "a structure",
        Kind::Union => "a union",
        Kind::List { .. } => "a list (take an item: `[0]`, or `['name']`)",
        Kind::Map { .. } => "a map (key it: `['key']`)",
        _ => "a value with no members",
    }
}

/// The type of a literal (not an array or object).
fn literal_type(v: &Value) -> Option<Type> {
    match v {
        Value::String(_) => Some(Type::String),
        Value::Bool(_) => Some(Type::Boolean),
        Value::Number(_) if is_integer(v) => Some(Type::Integer),
        Value::Number(_) => Some(Type::Float),
        _ => None,
    }
}

/// An integer literal's value.
fn schema_integer(v: &Value) -> Option<i128> {
    match v {
        Value::Number(aws_smithy_types::Number::PosInt(u)) => Some(i128::from(*u)),
        Value::Number(aws_smithy_types::Number::NegInt(i)) => Some(i128::from(*i)),
        _ => None,
    }
}

fn is_integer(v: &Value) -> bool {
    matches!(v, Value::Number(aws_smithy_types::Number::PosInt(_) | aws_smithy_types::Number::NegInt(_)))
}

/// `path.name`, or `path['name']` for a name that is not an identifier.
fn member(path: &str, name: &str) -> String {
    let mut out = path.to_owned();
    schema::push_member(&mut out, name);
    out
}

/// Whether a value is an expression: an object of one member, `Get` or a function (`Std:Join`).
fn is_expression(v: &Value) -> bool {
    matches!(v.as_object(), Some([(name, _)]) if name == "Get" || name.starts_with("Std:"))
}

fn members_of(v: &Value) -> String {
    v.as_object().unwrap_or_default().iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// The strongly connected components of a graph given as adjacency lists (Tarjan's algorithm, iteratively).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components.sort();
    components
}

/// Whether `name` is of the format's pattern for step and parameter names, `[A-Za-z0-9\-_]{1,64}`.
fn is_name(name: &str) -> bool {
    (1..=64).contains(&name.chars().count()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
