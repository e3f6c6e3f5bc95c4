//! Endpoint resolution in the IR: the service's `smithy.rules#endpointRuleSet` lowered into a tree whose every
//! expression already knows its kind (scope analysis done here, once), the partition table for `aws.partition`
//! parsed and its region patterns planned, and the model's `smithy.rules#endpointTests` parsed, typed, and checked
//! against the reference evaluator ([`crate::rules::evaluate`]) with the table the crate carries.
//!
//! Every failure is reported here, located in the model or the partition table; the emitter only maps these nodes to
//! tokens.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::ident;
use crate::rules::{Call, Expr, Func, Outcome, ParamTy, PathStep, Rule, RuleKind, RuleSet, TemplatePart};

/// Endpoint resolution for a service with an endpoint rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoints {
    /// The rule set's parameters, in the rule set's order (by name).
    pub params: Vec<EndpointParam>,
    /// The top-level rules, lowered.
    pub body: RuleList,
    /// The decision diagram, when the model gives the rules as one (`smithy.rules#endpointBdd`); `body` is then
    /// empty.
    pub bdd: Option<BddRules>,
    /// Whether the rules call `aws.partition` (the crate then carries the partition table).
    pub uses_partition: bool,
    /// Whether the rules call a function of the runtime's `endpoint_functions` module.
    pub uses_functions: bool,
    /// The partition table, in the table's order; empty unless [`Endpoints::uses_partition`].
    pub partitions: Vec<PartitionDef>,
    /// One per entry of `smithy.rules#endpointTests` that expects something; `None` without the trait.
    pub tests: Option<Vec<EndpointTest>>,
}

impl Endpoints {
    /// Whether an endpoint test runs through an operation (its `operationInputs`).
    pub fn runs_operations(&self) -> bool {
        self.tests.iter().flatten().flat_map(|t| &t.operation_inputs).any(|c| c.skip.is_none())
    }

    /// The parameter set from the credentials' account id (`AWS::Auth::AccountId`), if the rules have one.
    pub fn account_id_param(&self) -> Option<&EndpointParam> {
        self.params.iter().find(|p| p.built_in == Some(BuiltIn::AccountId))
    }

    /// One line per endpoint test the carried partition table contradicts (such tests are kept, but ignored).
    pub fn notes(&self) -> Vec<String> {
        let tests = self.tests.iter().flatten();
        let ignored = tests.clone().filter_map(|t| {
            let reason = t.ignore.as_ref()?;
            Some(format!("endpoint test {} ({}): {reason}", t.number, t.doc.trim()))
        });
        let not_run = tests.flat_map(|t| {
            t.operation_inputs.iter().filter_map(move |c| {
                let why = c.skip.as_ref()?;
                Some(format!("endpoint test {} through `{}`: not run: {why}", t.number, c.operation))
            })
        });
        ignored.chain(not_run).collect()
    }
}

/// A rule-set parameter: a field of the generated `Params`.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointParam {
    /// Name in the rule set, e.g. `UseFIPS`.
    pub name: String,
    /// Rust field name, e.g. `use_fips` (also the resolver's local variable).
    pub field: String,
    /// String or boolean.
    pub ty: ParamType,
    /// Default value, of the parameter's type; without one the field is an `Option`.
    pub default: Option<EndpointValue>,
    /// The built-in the client configuration sets it from.
    pub built_in: Option<BuiltIn>,
    /// Documentation.
    pub docs: Option<String>,
    /// Whether the rule set requires it.
    pub required: bool,
    /// When the service names it in `smithy.rules#clientContextParams` (and no built-in sets it): its setters on the
    /// client configuration's builder (`x`, `set_x`) and the documentation given there.
    pub client_context: Option<ClientContextParam>,
}

/// A parameter the client configuration sets (`smithy.rules#clientContextParams`).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientContextParam {
    /// The builder's setter, `x(value)`.
    pub setter: String,
    /// The builder's `set_x(Option<value>)`.
    pub set: String,
    /// The trait's documentation of it.
    pub docs: Option<String>,
}

impl EndpointParam {
    /// Whether the parameter may be unset (it has no default).
    pub fn optional(&self) -> bool {
        self.default.is_none()
    }
}

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    /// `String`
    String,
    /// `Boolean`
    Bool,
    /// `stringArray`
    StrArray,
}

/// A literal value: a parameter default or a test's parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointValue {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An array of strings.
    Arr(Vec<String>),
}

/// A parameter's `builtIn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuiltIn {
    /// `AWS::Region` (a string parameter).
    Region,
    /// `SDK::Endpoint` (a string parameter).
    Endpoint,
    /// `AWS::UseFIPS` (a boolean parameter).
    UseFips,
    /// `AWS::UseDualStack` (a boolean parameter).
    UseDualStack,
    /// `AWS::Auth::AccountId` (a string parameter): the account id of the call's credentials.
    AccountId,
    /// `AWS::Auth::AccountIdEndpointMode` (a string parameter): the configured `AccountIdEndpointMode`.
    AccountIdEndpointMode,
    /// Any other built-in, as written; the client configuration does not set it.
    Other(String),
}

impl BuiltIn {
    fn parse(s: &str) -> BuiltIn {
        match s {
            "AWS::Region" => BuiltIn::Region,
            "SDK::Endpoint" => BuiltIn::Endpoint,
            "AWS::UseFIPS" => BuiltIn::UseFips,
            "AWS::UseDualStack" => BuiltIn::UseDualStack,
            "AWS::Auth::AccountId" => BuiltIn::AccountId,
            "AWS::Auth::AccountIdEndpointMode" => BuiltIn::AccountIdEndpointMode,
            other => BuiltIn::Other(other.to_owned()),
        }
    }

    /// The name as written in the rule set.
    pub fn as_str(&self) -> &str {
        match self {
            BuiltIn::Region => "AWS::Region",
            BuiltIn::Endpoint => "SDK::Endpoint",
            BuiltIn::UseFips => "AWS::UseFIPS",
            BuiltIn::UseDualStack => "AWS::UseDualStack",
            BuiltIn::AccountId => "AWS::Auth::AccountId",
            BuiltIn::AccountIdEndpointMode => "AWS::Auth::AccountIdEndpointMode",
            BuiltIn::Other(s) => s,
        }
    }

    /// The parameter type a known built-in needs.
    fn needs(&self) -> Option<ParamType> {
        match self {
            BuiltIn::Region | BuiltIn::Endpoint | BuiltIn::AccountId | BuiltIn::AccountIdEndpointMode => {
                Some(ParamType::String)
            }
            BuiltIn::UseFips | BuiltIn::UseDualStack => Some(ParamType::Bool),
            BuiltIn::Other(_) => None,
        }
    }
}

/// Rules tried in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleList {
    /// The rules up to and including the first unconditional one (later rules cannot be reached).
    pub rules: Vec<LoweredRule>,
    /// Whether the last rule is unconditional; otherwise the list ends in "no endpoint rule matched".
    pub exhaustive: bool,
}

/// One rule: conditions, each nesting the next, then what it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct LoweredRule {
    /// In order; bindings and narrowings hold for the later conditions and the result.
    pub conditions: Vec<Condition>,
    /// The result when all hold.
    pub result: RuleResult,
}

/// What a rule resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleResult {
    /// An endpoint with this URL.
    Endpoint(StrExpr),
    /// An error with this message.
    Error(StrExpr),
    /// Nested rules.
    Tree(RuleList),
}

/// A condition. Variables are Rust names (the parameter's field, or the binding's).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `isSet(var)`: narrows an optional variable to its value for what follows; always true when `already_set`.
    IsSet {
        /// The variable.
        var: String,
        /// The variable has a value here (a default, or narrowed before), so the condition always holds.
        already_set: bool,
    },
    /// `not(isSet(var))`; never true when `already_set`.
    NotSet {
        /// The variable.
        var: String,
        /// The variable has a value here, so the condition never holds.
        already_set: bool,
    },
    /// `booleanEquals(a, b)`, or its negation.
    BoolEq {
        /// Left side.
        a: BoolExpr,
        /// Right side.
        b: BoolExpr,
        /// Under `not`.
        negated: bool,
    },
    /// `stringEquals(a, b)`, or its negation.
    StrEq {
        /// Left side.
        a: StrExpr,
        /// Right side.
        b: StrExpr,
        /// Under `not`.
        negated: bool,
    },
    /// A boolean expression (any other call whose value is a boolean); with `bind`, its value is bound (it is
    /// `true` wherever the condition held).
    Test {
        /// The expression.
        expr: BoolExpr,
        /// The variable bound to its value.
        bind: Option<String>,
    },
    /// A call whose value may be unset: holds when it is set, and binds the value to `bind`.
    Bind {
        /// The expression.
        expr: OptExpr,
        /// The variable (none: only whether it is set counts).
        bind: Option<String>,
    },
    /// A value that is always set (a string, an array) bound to `bind`: always holds.
    Let {
        /// The value.
        value: Val,
        /// The variable.
        bind: String,
    },
    /// `aws.partition(region)` bound to `bind`.
    Partition {
        /// The region.
        region: StrExpr,
        /// The variable holding the partition's attributes for what follows.
        bind: String,
    },
}

/// The type of a value of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    Str,
    /// A boolean.
    Bool,
    /// An array of strings.
    Arr,
    /// A `parseURL` result.
    Url,
    /// An `aws.parseArn` result.
    Arn,
    /// An `aws.partition` result.
    Partition,
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A string.
    Str(StrExpr),
    /// A boolean.
    Bool(BoolExpr),
    /// An array of strings.
    Arr(ArrExpr),
    /// A value that may be unset, of this type.
    Opt(OptExpr, Ty),
    /// A variable holding a record (a URL, an ARN, a partition).
    Rec(String, Ty),
}

/// An array of strings (a `&[String]`).
#[derive(Debug, Clone, PartialEq)]
pub enum ArrExpr {
    /// An array variable.
    Var(String),
    /// An ARN's `resourceId`.
    ResourceId(String),
    /// `split(value, delimiter, limit)`.
    Split {
        /// The string.
        value: StrExpr,
        /// The delimiter.
        delimiter: StrExpr,
        /// The limit (0: no limit).
        limit: usize,
    },
}

/// A value that may be unset (an `Option`).
#[derive(Debug, Clone, PartialEq)]
pub enum OptExpr {
    /// An optional variable.
    Var(String),
    /// `substring(input, start, end, reverse)`.
    Substring {
        /// The string.
        input: StrExpr,
        /// First index.
        start: usize,
        /// End index (exclusive).
        end: usize,
        /// Counted from the end.
        reverse: bool,
    },
    /// An element of an array (`getAttr(a, "[i]")`).
    Index {
        /// The array.
        array: ArrExpr,
        /// The index; negative counts from the end.
        index: i64,
    },
    /// `parseURL(value)`.
    ParseUrl(StrExpr),
    /// `aws.parseArn(value)`.
    ParseArn(StrExpr),
    /// `coalesce` of values that may all be unset: the first set one.
    Coalesce(Vec<OptExpr>),
    /// `ite(cond, a, b)` where one may be unset.
    Ite {
        /// The condition.
        cond: Box<BoolExpr>,
        /// When it holds.
        then: Box<OptExpr>,
        /// When it does not.
        otherwise: Box<OptExpr>,
    },
    /// A value that is set, where one that may be unset is needed.
    Some(Box<Val>),
}

/// A string expression; its variables hold a value where it is used.
#[derive(Debug, Clone, PartialEq)]
pub enum StrExpr {
    /// A literal.
    Lit(String),
    /// A string variable.
    Var(String),
    /// A template with at least one placeholder.
    Template(Vec<TemplatePiece>),
    /// A string attribute of a partition result.
    PartitionAttr {
        /// The partition variable.
        var: String,
        /// The attribute.
        field: PartitionField,
    },
    /// A string field of a URL or ARN variable (`scheme`, `account_id`, …: the runtime struct's field).
    Field {
        /// The variable.
        var: String,
        /// The Rust field.
        field: &'static str,
    },
    /// `uriEncode(value)`.
    UriEncode(Box<StrExpr>),
    /// `ite(cond, a, b)`.
    Ite {
        /// The condition.
        cond: Box<BoolExpr>,
        /// When it holds.
        then: Box<StrExpr>,
        /// When it does not.
        otherwise: Box<StrExpr>,
    },
    /// `coalesce(…)` ending in a value that is set.
    Coalesce {
        /// The values tried first.
        first: Vec<OptExpr>,
        /// The value when none is set.
        last: Box<StrExpr>,
    },
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePiece {
    /// Literal text.
    Text(String),
    /// A string variable.
    Var(String),
    /// An attribute of a partition result.
    PartitionAttr {
        /// The partition variable.
        var: String,
        /// The attribute.
        field: PartitionField,
    },
    /// Any other string (a URL's or an ARN's attribute).
    Str(StrExpr),
}

/// A boolean expression.
#[derive(Debug, Clone, PartialEq)]
pub enum BoolExpr {
    /// A literal.
    Lit(bool),
    /// A boolean variable.
    Var(String),
    /// An optional boolean variable, `false` when unset.
    OptVar(String),
    /// A boolean attribute of a partition result.
    PartitionAttr {
        /// The partition variable.
        var: String,
        /// The attribute.
        field: PartitionField,
    },
    /// A URL variable's `isIp`.
    IsIp(String),
    /// `not(b)`.
    Not(Box<BoolExpr>),
    /// `booleanEquals(a, b)` as a value.
    Eq(Box<BoolExpr>, Box<BoolExpr>),
    /// `stringEquals(a, b)` as a value.
    StrEq(Box<StrExpr>, Box<StrExpr>),
    /// `isSet(value)` as a value.
    IsSet(Box<OptExpr>),
    /// `isValidHostLabel(value, allowSubDomains)`.
    HostLabel(Box<StrExpr>, Box<BoolExpr>),
    /// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
    S3Bucket(Box<StrExpr>, Box<BoolExpr>),
    /// `ite(cond, a, b)`.
    Ite(Box<BoolExpr>, Box<BoolExpr>, Box<BoolExpr>),
    /// `coalesce(…)` ending in a value that is set.
    Coalesce {
        /// The values tried first.
        first: Vec<OptExpr>,
        /// The value when none is set.
        last: Box<BoolExpr>,
    },
}

/// A rule set in the decision-diagram encoding, lowered: each condition and result with the variables it needs
/// unwrapped (optional parameters it uses as set, and earlier bindings, which the diagram guarantees on its path).
#[derive(Debug, Clone, PartialEq)]
pub struct BddRules {
    /// The conditions, by index.
    pub conditions: Vec<BddStep<Condition>>,
    /// The results, by index (result reference `100_000_000 + i + 1`).
    pub results: Vec<BddStep<RuleResult>>,
    /// Every variable a condition binds (its Rust name), with its type, in order of first binding.
    pub slots: Vec<(String, Ty)>,
    /// Where evaluation starts.
    pub root: i32,
    /// `[condition, high, low]` per node.
    pub nodes: Vec<[i32; 3]>,
}

/// A condition or result of a decision diagram and what it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct BddStep<T> {
    /// The condition or result.
    pub step: T,
    /// Variables used as set: optional parameters (`true`) and bindings (`false`).
    pub unwrap: Vec<(String, bool)>,
}

/// An attribute of a partition result (`getAttr(p, "dnsSuffix")`, `{p#dnsSuffix}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionField {
    /// `name`
    Name,
    /// `dnsSuffix`
    DnsSuffix,
    /// `dualStackDnsSuffix`
    DualStackDnsSuffix,
    /// `supportsFIPS`
    SupportsFips,
    /// `supportsDualStack`
    SupportsDualStack,
    /// `implicitGlobalRegion`
    ImplicitGlobalRegion,
}

impl PartitionField {
    const ALL: [PartitionField; 6] = [
        PartitionField::Name,
        PartitionField::DnsSuffix,
        PartitionField::DualStackDnsSuffix,
        PartitionField::SupportsFips,
        PartitionField::SupportsDualStack,
        PartitionField::ImplicitGlobalRegion,
    ];

    fn parse(attr: &str) -> Option<PartitionField> {
        PartitionField::ALL.into_iter().find(|f| f.as_str() == attr)
    }

    /// The attribute's name in the rule set.
    pub fn as_str(self) -> &'static str {
        match self {
            PartitionField::Name => "name",
            PartitionField::DnsSuffix => "dnsSuffix",
            PartitionField::DualStackDnsSuffix => "dualStackDnsSuffix",
            PartitionField::SupportsFips => "supportsFIPS",
            PartitionField::SupportsDualStack => "supportsDualStack",
            PartitionField::ImplicitGlobalRegion => "implicitGlobalRegion",
        }
    }

    /// The field of the runtime's `PartitionResult`.
    pub fn rust_field(self) -> &'static str {
        match self {
            PartitionField::Name => "name",
            PartitionField::DnsSuffix => "dns_suffix",
            PartitionField::DualStackDnsSuffix => "dual_stack_dns_suffix",
            PartitionField::SupportsFips => "supports_fips",
            PartitionField::SupportsDualStack => "supports_dual_stack",
            PartitionField::ImplicitGlobalRegion => "implicit_global_region",
        }
    }

    /// Whether the attribute is a boolean (otherwise a string).
    pub fn is_bool(self) -> bool {
        matches!(self, PartitionField::SupportsFips | PartitionField::SupportsDualStack)
    }
}

/// One partition of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionDef {
    /// `aws`, `aws-cn`, …
    pub id: String,
    /// The name of the static holding its region pattern (`REGION_REGEX_AWS_CN`).
    pub static_name: String,
    /// How the crate checks its region pattern (`^$` when the table has none).
    pub region_regex: crate::pattern::Plan,
    /// The regions it lists, sorted.
    pub regions: Vec<String>,
    /// What `aws.partition` returns for it.
    pub outputs: PartitionOutputs,
}

/// The attributes of a partition (missing ones are empty or false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`
    pub name: String,
    /// `dnsSuffix`
    pub dns_suffix: String,
    /// `dualStackDnsSuffix`
    pub dual_stack_dns_suffix: String,
    /// `supportsFIPS`
    pub supports_fips: bool,
    /// `supportsDualStack`
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`
    pub implicit_global_region: String,
}

/// An entry of `smithy.rules#endpointTests` that expects an endpoint or an error.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTest {
    /// Position in the model's list, from 1.
    pub number: usize,
    /// The test function's name (`case_001`).
    pub name: String,
    /// The test's documentation, as written.
    pub doc: String,
    /// The parameters it sets, in the test's order (by name).
    pub params: Vec<TestParam>,
    /// The endpoint URL or error message it expects.
    pub expect: Outcome,
    /// Why the test is ignored: the carried partition table contradicts its expectation.
    pub ignore: Option<String>,
    /// The case's `operationInputs`: each runs through the operation too.
    pub operation_inputs: Vec<OperationInput>,
}

/// One of an endpoint test's `operationInputs`: a call of the operation, with these built-ins configured, that must
/// reach the test's endpoint (or fail with its error) through the parameters the call binds.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationInput {
    /// The test function's name (`case_012_input_1`).
    pub name: String,
    /// The operation's name.
    pub operation: String,
    /// The `operationParams`, as written.
    pub params: Value,
    /// The built-ins set on the configuration, typed.
    pub built_ins: Vec<(BuiltIn, EndpointValue)>,
    /// The client context parameters set on the configuration: each one's setter and value.
    pub client_params: Vec<(String, EndpointValue)>,
    /// The input built from `params`, once the operations are known (see `type_operation_inputs`).
    pub input: Option<crate::ir::protocol_tests::TestValue>,
    /// The operation's module and input type, once known.
    pub target: Option<(String, crate::ir::TypePath)>,
    /// Why the call cannot be run; such a call is listed in the generated module's docs with its reason.
    pub skip: Option<String>,
}

/// A parameter a test sets.
#[derive(Debug, Clone, PartialEq)]
pub struct TestParam {
    /// The `Params` field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// The value, of the parameter's type.
    pub value: EndpointValue,
}

/// Build the endpoint IR of service `service_id` from its parsed rule set, its `smithy.rules#endpointTests` trait
/// and the partition table.
pub(super) fn build(
    service_id: &str,
    rule_set: &RuleSet,
    tests: Option<&Value>,
    partitions: Option<&Value>,
    client_context: Option<&Value>,
) -> Result<Endpoints> {
    let service = crate::error::shape_path(service_id);
    let at = crate::traits::path(&service, crate::traits::ENDPOINT_RULE_SET);
    let tests_at = crate::traits::path(&service, crate::traits::ENDPOINT_TESTS);
    let at = if rule_set.bdd.is_some() { crate::traits::path(&service, crate::traits::ENDPOINT_BDD) } else { at };
    let mut params = params(rule_set, &at)?;
    if let Some(c) = client_context {
        client_context_params(&mut params, c, &crate::traits::path(&service, crate::traits::CLIENT_CONTEXT_PARAMS))?;
    }
    let mut scope = Scope::new();
    for p in &params {
        let kind = match (p.ty, p.optional()) {
            (ParamType::String, true) => Kind::OptStr,
            (ParamType::String, false) => Kind::Str,
            (ParamType::Bool, true) => Kind::OptBool,
            (ParamType::Bool, false) => Kind::Bool,
            (ParamType::StrArray, true) => Kind::OptArr,
            (ParamType::StrArray, false) => Kind::Arr,
        };
        scope.insert(p.name.clone(), kind);
    }
    let mut lower = Lower { at: &at, bdd: false, bindings: BTreeSet::new(), used: RefCell::new(BTreeSet::new()) };
    let (body, bdd) = match &rule_set.bdd {
        None => (lower.rule_list(&rule_set.rules, &scope)?, None),
        Some(bdd) => (RuleList { rules: Vec::new(), exhaustive: false }, Some(lower.bdd(bdd, scope)?)),
    };
    let calls = all_calls(rule_set);
    let uses_partition = calls.iter().any(|c| c.func == Func::Partition);
    let uses_functions = calls.iter().any(|c| c.func.in_runtime_module());
    let partitions_table = if uses_partition {
        partition_table(partitions.ok_or_else(|| {
            lower.err("the rule set calls `aws.partition`, but no partition table was given (models/partitions.json)")
        })?)?
    } else {
        Vec::new()
    };
    let tests = endpoint_tests(tests, &tests_at, &params, rule_set, partitions, &lower)?;
    Ok(Endpoints { params, body, bdd, uses_partition, uses_functions, partitions: partitions_table, tests })
}

fn params(rule_set: &RuleSet, at: &str) -> Result<Vec<EndpointParam>> {
    let mut out: Vec<EndpointParam> = Vec::new();
    for p in &rule_set.params {
        let at = format!("{at}.parameters.{}", p.name);
        let ty = match p.ty {
            ParamTy::String => ParamType::String,
            ParamTy::Boolean => ParamType::Bool,
            ParamTy::StringArray => ParamType::StrArray,
        };
        let field = ident::field_name(&p.name);
        if let Some(other) = out.iter().find(|o| o.field == field) {
            return Err(Error::at(
                at,
                format!("parameters `{}` and `{}` both map to the field `{field}`", other.name, p.name),
            ));
        }
        if field == "params" {
            return Err(Error::at(
                at,
                format!("parameter `{}` maps to the field `params`, the name of the resolver's argument", p.name),
            ));
        }
        let default = match (&p.default, ty) {
            (None, _) => None,
            (Some(Value::String(s)), ParamType::String) => Some(EndpointValue::Str(s.clone())),
            (Some(Value::Bool(b)), ParamType::Bool) => Some(EndpointValue::Bool(*b)),
            (Some(Value::Array(a)), ParamType::StrArray) if a.iter().all(Value::is_string) => {
                Some(EndpointValue::Arr(a.iter().filter_map(Value::as_str).map(str::to_owned).collect()))
            }
            (Some(v), _) => {
                return Err(Error::at(at, format!("parameter `{}` has a default of the wrong type: {v}", p.name)))
            }
        };
        let built_in = p.built_in.as_deref().map(BuiltIn::parse);
        if let Some(b) = &built_in {
            if let Some(needed) = b.needs().filter(|n| *n != ty) {
                let needed = match needed {
                    ParamType::String => "String",
                    ParamType::Bool => "Boolean",
                    ParamType::StrArray => "StringArray",
                };
                return Err(Error::at(
                    at,
                    format!("parameter `{}` is set from `{}`, which needs a {needed} parameter", p.name, b.as_str()),
                ));
            }
        }
        out.push(EndpointParam {
            name: p.name.clone(),
            field,
            ty,
            default,
            built_in,
            docs: p.docs.clone(),
            required: p.required,
            client_context: None,
        });
    }
    Ok(out)
}

/// Mark the parameters the service lets the client configuration set (`smithy.rules#clientContextParams`: a map
/// from parameter name to its `type`, `string` or `boolean`, and `documentation`). A name the rule set does not
/// have binds nothing; a parameter a built-in sets keeps the built-in's value, which the configuration has already.
fn client_context_params(params: &mut [EndpointParam], trait_value: &Value, at: &str) -> Result<()> {
    let map = trait_value.as_object().ok_or_else(|| Error::at(at, "not an object of parameters"))?;
    for (name, def) in map {
        let at = format!("{at}.{name}");
        let ty = match def.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Bool,
            other => return Err(Error::at(at, format!("`type` is {other:?}, not \"string\" or \"boolean\""))),
        };
        let Some(p) = params.iter_mut().find(|p| p.name == *name) else { continue };
        if p.ty != ty {
            return Err(Error::at(at, format!("its type differs from the rule set's parameter `{name}`")));
        }
        if matches!(&p.built_in, Some(b) if b.needs().is_some()) {
            continue;
        }
        let (setter, set) = ident::client_context_setters(name);
        let docs = def.get("documentation").and_then(Value::as_str).map(str::to_owned);
        p.client_context = Some(ClientContextParam { setter, set, docs });
    }
    Ok(())
}

/// What a name holds at a point of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OptStr,
    Str,
    OptBool,
    Bool,
    OptArr,
    Arr,
    Url,
    Arn,
    Partition,
}

impl Kind {
    /// The kind of a set value of type `ty`.
    fn of(ty: Ty) -> Kind {
        match ty {
            Ty::Str => Kind::Str,
            Ty::Bool => Kind::Bool,
            Ty::Arr => Kind::Arr,
            Ty::Url => Kind::Url,
            Ty::Arn => Kind::Arn,
            Ty::Partition => Kind::Partition,
        }
    }
}

/// Names in scope (parameters and bindings, as written in the rule set) and what they hold.
type Scope = BTreeMap<String, Kind>;

/// The Rust variable of a rule-set name.
fn var(name: &str) -> String {
    ident::field_name(name)
}

/// Every call of the rule set, nested ones included.
fn all_calls(rule_set: &RuleSet) -> Vec<&Call> {
    fn call<'a>(c: &'a Call, out: &mut Vec<&'a Call>) {
        out.push(c);
        for a in &c.args {
            expr(a, out);
        }
    }
    fn expr<'a>(e: &'a Expr, out: &mut Vec<&'a Call>) {
        if let Expr::Call(c) = e {
            call(c, out);
        }
    }
    fn kind<'a>(k: &'a RuleKind, out: &mut Vec<&'a Call>) {
        match k {
            RuleKind::Endpoint(e) | RuleKind::Error(e) => expr(e, out),
            RuleKind::Tree(rules) => rules.iter().for_each(|r| rule(r, out)),
        }
    }
    fn rule<'a>(r: &'a Rule, out: &mut Vec<&'a Call>) {
        r.conditions.iter().for_each(|c| call(c, out));
        kind(&r.kind, out);
    }
    let mut out = Vec::new();
    rule_set.rules.iter().for_each(|r| rule(r, &mut out));
    if let Some(bdd) = &rule_set.bdd {
        bdd.conditions.iter().for_each(|c| call(c, &mut out));
        bdd.results.iter().for_each(|k| kind(k, &mut out));
    }
    out
}

/// Stands for the value `getAttr` reads in [`Lower::attr`]'s message, which its caller names.
const WHAT: &str = "\u{0}value\u{0}";

/// Scope analysis of the rules; errors are located at the rule set.
struct Lower<'a> {
    at: &'a str,
    /// Lowering a decision diagram: optional parameters used as set, and bindings, are recorded in `used`.
    bdd: bool,
    /// The names the diagram's conditions bind.
    bindings: BTreeSet<String>,
    /// See `bdd`: the names, and whether each is a parameter.
    used: RefCell<BTreeSet<(String, bool)>>,
}

impl Lower<'_> {
    fn err(&self, msg: impl Into<String>) -> Error {
        Error::at(self.at, msg)
    }

    /// What `name` holds, recording a binding's use in a decision diagram.
    fn get(&self, name: &str, scope: &Scope) -> Option<Kind> {
        let kind = scope.get(name).copied();
        if self.bdd && kind.is_some() && self.bindings.contains(name) {
            self.used.borrow_mut().insert((name.to_owned(), false));
        }
        kind
    }

    /// What `name` holds where it must be set. In a decision diagram an optional parameter is then used as set (the
    /// diagram tested it on the way), and recorded to be unwrapped.
    fn get_set(&self, name: &str, scope: &Scope) -> Option<Kind> {
        let kind = self.get(name, scope)?;
        if !self.bdd {
            return Some(kind);
        }
        let set = match kind {
            Kind::OptStr => Kind::Str,
            Kind::OptArr => Kind::Arr,
            other => return Some(other),
        };
        self.used.borrow_mut().insert((name.to_owned(), true));
        Some(set)
    }

    /// A list of rules: each tried in order; an unconditional rule ends the list.
    fn rule_list(&self, rules: &[Rule], scope: &Scope) -> Result<RuleList> {
        let mut out = Vec::new();
        let mut exhaustive = false;
        for rule in rules {
            out.push(self.rule(rule, scope)?);
            if rule.conditions.is_empty() {
                exhaustive = true;
                break;
            }
        }
        Ok(RuleList { rules: out, exhaustive })
    }

    fn rule(&self, rule: &Rule, scope: &Scope) -> Result<LoweredRule> {
        let mut scope = scope.clone();
        let mut conditions = Vec::new();
        for c in &rule.conditions {
            conditions.push(self.condition(c, &mut scope)?);
        }
        let result = self.result(&rule.kind, &scope)?;
        Ok(LoweredRule { conditions, result })
    }

    fn result(&self, kind: &RuleKind, scope: &Scope) -> Result<RuleResult> {
        Ok(match kind {
            RuleKind::Endpoint(url) => RuleResult::Endpoint(self.string_value(url, scope)?),
            RuleKind::Error(msg) => RuleResult::Error(self.string_value(msg, scope)?),
            RuleKind::Tree(rules) => RuleResult::Tree(self.rule_list(rules, scope)?),
        })
    }

    /// A decision diagram: each condition lowered in a scope of the parameters and every binding (typed by the
    /// condition that binds it, in index order), recording what it uses; then each result likewise.
    fn bdd(&mut self, bdd: &crate::rules::Bdd, params: Scope) -> Result<BddRules> {
        self.bdd = true;
        self.bindings = bdd.conditions.iter().filter_map(|c| c.assign.clone()).collect();
        let mut scope = params.clone();
        let mut slots: Vec<(String, Ty)> = Vec::new();
        let mut conditions = Vec::new();
        for (i, c) in bdd.conditions.iter().enumerate() {
            self.used.borrow_mut().clear();
            let mut after = scope.clone();
            let step =
                self.condition(c, &mut after).map_err(|e| self.err(format!("conditions[{i}]: {}", e.message)))?;
            if let Some(name) = &c.assign {
                if params.contains_key(name) {
                    return Err(self.err(format!("conditions[{i}]: `assign` to the parameter `{name}`")));
                }
                let kind = after.get(name).copied().unwrap_or(Kind::Bool);
                let ty = match kind {
                    Kind::Str | Kind::OptStr => Ty::Str,
                    Kind::Bool | Kind::OptBool => Ty::Bool,
                    Kind::Arr | Kind::OptArr => Ty::Arr,
                    Kind::Url => Ty::Url,
                    Kind::Arn => Ty::Arn,
                    Kind::Partition => Ty::Partition,
                };
                let bind = var(name);
                match slots.iter().find(|(n, _)| *n == bind) {
                    Some((_, t)) if *t != ty => {
                        return Err(self.err(format!("conditions[{i}]: `{name}` is bound to values of two types")))
                    }
                    Some(_) => {}
                    None => slots.push((bind, ty)),
                }
                scope.insert(name.clone(), Kind::of(ty));
            }
            conditions.push(BddStep { step, unwrap: self.take_used() });
        }
        let mut results = Vec::new();
        for (i, r) in bdd.results.iter().enumerate() {
            self.used.borrow_mut().clear();
            let step = self.result(r, &scope).map_err(|e| self.err(format!("results[{i}]: {}", e.message)))?;
            results.push(BddStep { step, unwrap: self.take_used() });
        }
        Ok(BddRules { conditions, results, slots, root: bdd.root, nodes: bdd.nodes.clone() })
    }

    fn take_used(&self) -> Vec<(String, bool)> {
        std::mem::take(&mut *self.used.borrow_mut()).into_iter().map(|(n, p)| (var(&n), p)).collect()
    }

    /// A condition; `scope` becomes the scope of what follows it.
    fn condition(&self, c: &Call, scope: &mut Scope) -> Result<Condition> {
        if c.assign.is_none() {
            if let Some(special) = self.plain_condition(c, scope)? {
                return Ok(special);
            }
        }
        if c.func == Func::Partition {
            let region = self.str_expr(c.args.first(), scope)?;
            let name = c.assign.as_deref().ok_or_else(|| self.err("`aws.partition` without `assign`"))?;
            let bind = self.bind_name(name, scope)?;
            scope.insert(name.to_owned(), Kind::Partition);
            return Ok(Condition::Partition { region, bind });
        }
        let value = self.call_val(c, scope)?;
        let Some(name) = c.assign.as_deref() else {
            return Ok(match value {
                Val::Bool(expr) => Condition::Test { expr, bind: None },
                Val::Opt(expr, _) => Condition::Bind { expr, bind: None },
                _ => Condition::Test { expr: BoolExpr::Lit(true), bind: None },
            });
        };
        let bind = self.bind_name(name, scope)?;
        Ok(match value {
            Val::Bool(expr) => {
                scope.insert(name.to_owned(), Kind::Bool);
                Condition::Test { expr, bind: Some(bind) }
            }
            Val::Opt(expr, ty) => {
                scope.insert(name.to_owned(), Kind::of(ty));
                Condition::Bind { expr, bind: Some(bind) }
            }
            Val::Str(_) | Val::Arr(_) => {
                scope.insert(name.to_owned(), if matches!(value, Val::Str(_)) { Kind::Str } else { Kind::Arr });
                Condition::Let { value, bind }
            }
            Val::Rec(_, ty) => {
                scope.insert(name.to_owned(), Kind::of(ty));
                Condition::Let { value, bind }
            }
        })
    }

    /// The Rust variable of an `assign`, checked against the other names in scope.
    fn bind_name(&self, name: &str, scope: &Scope) -> Result<String> {
        let bind = var(name);
        if scope.contains_key(name) && !(self.bdd && self.bindings.contains(name)) {
            return Err(self.err(format!("`assign` to `{name}`, which is already in scope")));
        }
        if let Some(other) = scope.keys().find(|other| *other != name && var(other) == bind) {
            return Err(self.err(format!("`assign` to `{name}` and `{other}` both map to the variable `{bind}`")));
        }
        Ok(bind)
    }

    /// The conditions written as their own forms (`isSet` of a reference narrows it; the equalities and their
    /// negations compare in place).
    fn plain_condition(&self, c: &Call, scope: &mut Scope) -> Result<Option<Condition>> {
        Ok(Some(match c.func {
            Func::IsSet if matches!(c.args.first(), Some(Expr::Ref(_))) => {
                let name = self.ref_name(c.args.first())?;
                let v = var(&name);
                match self.get(&name, scope) {
                    Some(Kind::OptStr) => {
                        scope.insert(name, Kind::Str);
                        Condition::IsSet { var: v, already_set: false }
                    }
                    Some(Kind::OptBool) => {
                        scope.insert(name, Kind::Bool);
                        Condition::IsSet { var: v, already_set: false }
                    }
                    Some(Kind::OptArr) => {
                        scope.insert(name, Kind::Arr);
                        Condition::IsSet { var: v, already_set: false }
                    }
                    Some(_) => Condition::IsSet { var: v, already_set: true },
                    None => return Err(self.err(format!("`isSet` of unknown reference `{name}`"))),
                }
            }
            Func::BooleanEquals => {
                let a = self.bool_expr(c.args.first(), scope)?;
                let b = self.bool_expr(c.args.get(1), scope)?;
                Condition::BoolEq { a, b, negated: false }
            }
            Func::StringEquals => {
                let a = self.str_expr(c.args.first(), scope)?;
                let b = self.str_expr(c.args.get(1), scope)?;
                Condition::StrEq { a, b, negated: false }
            }
            Func::Not => {
                let Some(Expr::Call(inner)) = c.args.first() else { return Ok(None) };
                match inner.func {
                    Func::IsSet if matches!(inner.args.first(), Some(Expr::Ref(_))) => {
                        let name = self.ref_name(inner.args.first())?;
                        let already_set = match self.get(&name, scope) {
                            Some(Kind::OptStr | Kind::OptBool | Kind::OptArr) => false,
                            Some(_) => true,
                            None => return Err(self.err(format!("`isSet` of unknown reference `{name}`"))),
                        };
                        Condition::NotSet { var: var(&name), already_set }
                    }
                    Func::BooleanEquals if inner.assign.is_none() => {
                        let a = self.bool_expr(inner.args.first(), scope)?;
                        let b = self.bool_expr(inner.args.get(1), scope)?;
                        Condition::BoolEq { a, b, negated: true }
                    }
                    Func::StringEquals if inner.assign.is_none() => {
                        let a = self.str_expr(inner.args.first(), scope)?;
                        let b = self.str_expr(inner.args.get(1), scope)?;
                        Condition::StrEq { a, b, negated: true }
                    }
                    _ => return Ok(None),
                }
            }
            _ => return Ok(None),
        }))
    }

    fn ref_name(&self, e: Option<&Expr>) -> Result<String> {
        match e {
            Some(Expr::Ref(r)) => Ok(r.clone()),
            _ => Err(self.err("expected a `ref`")),
        }
    }

    /// The value of any expression, typed.
    fn val(&self, e: &Expr, scope: &Scope) -> Result<Val> {
        match e {
            Expr::Str(_) => Ok(Val::Str(self.str_expr(Some(e), scope)?)),
            Expr::Bool(b) => Ok(Val::Bool(BoolExpr::Lit(*b))),
            Expr::Int(n) => Err(self.err(format!("the integer {n} is only an index or a limit"))),
            Expr::Ref(name) => {
                let v = var(name);
                Ok(match self.get(name, scope) {
                    Some(Kind::Str) => Val::Str(StrExpr::Var(v)),
                    Some(Kind::OptStr) => Val::Opt(OptExpr::Var(v), Ty::Str),
                    Some(Kind::Bool) => Val::Bool(BoolExpr::Var(v)),
                    Some(Kind::OptBool) => Val::Opt(OptExpr::Var(v), Ty::Bool),
                    Some(Kind::Arr) => Val::Arr(ArrExpr::Var(v)),
                    Some(Kind::OptArr) => Val::Opt(OptExpr::Var(v), Ty::Arr),
                    Some(Kind::Url) => Val::Rec(v, Ty::Url),
                    Some(Kind::Arn) => Val::Rec(v, Ty::Arn),
                    Some(Kind::Partition) => Val::Rec(v, Ty::Partition),
                    None => return Err(self.err(format!("unknown reference `{name}`"))),
                })
            }
            Expr::Call(c) => {
                if c.assign.is_some() {
                    return Err(self.err(format!("`assign` on `{}` inside an argument", c.func.name())));
                }
                self.call_val(c, scope)
            }
        }
    }

    fn int(&self, e: Option<&Expr>, what: &str) -> Result<i64> {
        match e {
            Some(Expr::Int(n)) => Ok(*n),
            _ => Err(self.err(format!("{what} must be an integer literal"))),
        }
    }

    fn index(&self, e: Option<&Expr>, what: &str) -> Result<usize> {
        let n = self.int(e, what)?;
        usize::try_from(n).map_err(|_| self.err(format!("{what} is negative: {n}")))
    }

    /// A call's value, typed.
    fn call_val(&self, c: &Call, scope: &Scope) -> Result<Val> {
        let arg = |i: usize| c.args.get(i);
        let boxed_str = |i: usize| self.str_expr(arg(i), scope).map(Box::new);
        let boxed_bool = |i: usize| self.bool_expr(arg(i), scope).map(Box::new);
        Ok(match c.func {
            Func::IsSet => {
                let v = self.val(arg(0).ok_or_else(|| self.err("`isSet` needs a value"))?, scope)?;
                match v {
                    Val::Opt(o, _) => Val::Bool(BoolExpr::IsSet(Box::new(o))),
                    _ if matches!(arg(0), Some(Expr::Ref(_))) => Val::Bool(BoolExpr::Lit(true)),
                    _ => return Err(self.err("`isSet` of a value that is always set")),
                }
            }
            Func::Not => Val::Bool(BoolExpr::Not(boxed_bool(0)?)),
            Func::BooleanEquals => Val::Bool(BoolExpr::Eq(boxed_bool(0)?, boxed_bool(1)?)),
            Func::StringEquals => Val::Bool(BoolExpr::StrEq(boxed_str(0)?, boxed_str(1)?)),
            Func::GetAttr => {
                let Some(Expr::Str(path)) = arg(1) else { return Err(self.err("`getAttr` needs an attribute name")) };
                let base = match arg(0) {
                    Some(Expr::Ref(r)) if matches!(scope.get(r), Some(Kind::Arr | Kind::OptArr)) => {
                        Val::Arr(self.arr_expr(arg(0), scope)?)
                    }
                    Some(e) => self.val(e, scope)?,
                    None => return Err(self.err("`getAttr` needs a value")),
                };
                let steps = crate::rules::parse_path(path).map_err(|m| self.err(m))?;
                let name = match arg(0) {
                    Some(Expr::Ref(r)) => format!("`{r}`"),
                    _ => "a value".to_owned(),
                };
                self.attr(base, path, &steps).map_err(|e| self.err(e.message.replace(WHAT, &name)))?
            }
            Func::Partition => return Err(self.err("`aws.partition` is only a condition with `assign`")),
            Func::Substring => Val::Opt(
                OptExpr::Substring {
                    input: self.str_expr(arg(0), scope)?,
                    start: self.index(arg(1), "`substring`'s start")?,
                    end: self.index(arg(2), "`substring`'s end")?,
                    reverse: match arg(3) {
                        Some(Expr::Bool(b)) => *b,
                        _ => return Err(self.err("`substring`'s reverse flag must be a boolean literal")),
                    },
                },
                Ty::Str,
            ),
            Func::UriEncode => Val::Str(StrExpr::UriEncode(boxed_str(0)?)),
            Func::IsValidHostLabel => Val::Bool(BoolExpr::HostLabel(boxed_str(0)?, boxed_bool(1)?)),
            Func::IsVirtualHostableS3Bucket => Val::Bool(BoolExpr::S3Bucket(boxed_str(0)?, boxed_bool(1)?)),
            Func::ParseUrl => Val::Opt(OptExpr::ParseUrl(self.str_expr(arg(0), scope)?), Ty::Url),
            Func::ParseArn => Val::Opt(OptExpr::ParseArn(self.str_expr(arg(0), scope)?), Ty::Arn),
            Func::Split => Val::Arr(ArrExpr::Split {
                value: self.str_expr(arg(0), scope)?,
                delimiter: self.str_expr(arg(1), scope)?,
                limit: self.index(arg(2), "`split`'s limit")?,
            }),
            Func::Coalesce => self.coalesce(&c.args, scope)?,
            Func::Ite => {
                let cond = boxed_bool(0)?;
                let a = self.val(arg(1).ok_or_else(|| self.err("`ite` needs three arguments"))?, scope)?;
                let b = self.val(arg(2).ok_or_else(|| self.err("`ite` needs three arguments"))?, scope)?;
                match (a, b) {
                    (Val::Str(a), Val::Str(b)) => {
                        Val::Str(StrExpr::Ite { cond, then: Box::new(a), otherwise: Box::new(b) })
                    }
                    (Val::Bool(a), Val::Bool(b)) => Val::Bool(BoolExpr::Ite(cond, Box::new(a), Box::new(b))),
                    (a, b) => {
                        let (ta, tb) = (self.ty(&a)?, self.ty(&b)?);
                        if ta != tb || !matches!(ta, Ty::Str | Ty::Bool | Ty::Arr) {
                            return Err(self.err(format!("`ite` of a {ta:?} and a {tb:?} is not supported")));
                        }
                        let (a, b) = (self.lift(a), self.lift(b));
                        Val::Opt(OptExpr::Ite { cond, then: Box::new(a), otherwise: Box::new(b) }, ta)
                    }
                }
            }
        })
    }

    fn ty(&self, v: &Val) -> Result<Ty> {
        Ok(match v {
            Val::Str(_) => Ty::Str,
            Val::Bool(_) => Ty::Bool,
            Val::Arr(_) => Ty::Arr,
            Val::Opt(_, t) | Val::Rec(_, t) => *t,
        })
    }

    /// A value as one that may be unset.
    fn lift(&self, v: Val) -> OptExpr {
        match v {
            Val::Opt(o, _) => o,
            other => OptExpr::Some(Box::new(other)),
        }
    }

    /// `coalesce(…)`: the values up to the first one that is always set; its type if there is one, else optional.
    fn coalesce(&self, args: &[Expr], scope: &Scope) -> Result<Val> {
        let mut first = Vec::new();
        let mut ty = None;
        for a in args {
            let v = self.val(a, scope)?;
            let t = self.ty(&v)?;
            if ty.is_some_and(|ty| ty != t) || !matches!(t, Ty::Str | Ty::Bool | Ty::Arr) {
                return Err(self.err(format!("`coalesce` of a {t:?} after a {:?} is not supported", ty.unwrap_or(t))));
            }
            ty = Some(t);
            match v {
                Val::Opt(o, _) => first.push(o),
                Val::Str(last) => return Ok(Val::Str(StrExpr::Coalesce { first, last: Box::new(last) })),
                Val::Bool(last) => return Ok(Val::Bool(BoolExpr::Coalesce { first, last: Box::new(last) })),
                other => first.push(OptExpr::Some(Box::new(other))),
            }
        }
        Ok(Val::Opt(OptExpr::Coalesce(first), ty.unwrap_or(Ty::Str)))
    }

    /// `getAttr(base, path)`.
    fn attr(&self, base: Val, path: &str, steps: &[PathStep]) -> Result<Val> {
        let key = |i: usize| match steps.get(i) {
            Some(PathStep::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let str_field = |var: &str, field: &'static str| Val::Str(StrExpr::Field { var: var.to_owned(), field });
        Ok(match (&base, steps.len()) {
            (Val::Rec(v, Ty::Partition), 1) => {
                let attr = key(0).unwrap_or_default();
                let field = PartitionField::parse(attr)
                    .ok_or_else(|| self.err(format!("unknown partition attribute `{attr}`")))?;
                if field.is_bool() {
                    Val::Bool(BoolExpr::PartitionAttr { var: v.clone(), field })
                } else {
                    Val::Str(StrExpr::PartitionAttr { var: v.clone(), field })
                }
            }
            (Val::Rec(v, Ty::Url), 1) => match key(0).unwrap_or_default() {
                "scheme" => str_field(v, "scheme"),
                "authority" => str_field(v, "authority"),
                "path" => str_field(v, "path"),
                "normalizedPath" => str_field(v, "normalized_path"),
                "isIp" => Val::Bool(BoolExpr::IsIp(v.clone())),
                other => return Err(self.err(format!("unknown URL attribute `{other}`"))),
            },
            (Val::Rec(v, Ty::Arn), 1 | 2) => match (key(0).unwrap_or_default(), steps.get(1)) {
                ("partition", None) => str_field(v, "partition"),
                ("service", None) => str_field(v, "service"),
                ("region", None) => str_field(v, "region"),
                ("accountId", None) => str_field(v, "account_id"),
                ("resourceId", None) => Val::Arr(ArrExpr::ResourceId(v.clone())),
                ("resourceId", Some(PathStep::Index(index))) => {
                    Val::Opt(OptExpr::Index { array: ArrExpr::ResourceId(v.clone()), index: *index }, Ty::Str)
                }
                _ => return Err(self.err(format!("unknown ARN attribute `{path}`"))),
            },
            (Val::Arr(a), 1) => match steps[0] {
                PathStep::Index(index) => Val::Opt(OptExpr::Index { array: a.clone(), index }, Ty::Str),
                PathStep::Key(_) => return Err(self.err(format!("`getAttr` path `{path}` on an array"))),
            },
            _ => {
                return Err(self.err(format!(
                    "`getAttr` path `{path}` on {WHAT}, which is not a partition result, URL, ARN or array in scope"
                )));
            }
        })
    }

    fn arr_expr(&self, e: Option<&Expr>, scope: &Scope) -> Result<ArrExpr> {
        if let Some(Expr::Ref(name)) = e {
            return match self.get_set(name, scope) {
                Some(Kind::Arr) => Ok(ArrExpr::Var(var(name))),
                _ => Err(self.err(format!("`{name}` is used as an array where it may be unset"))),
            };
        }
        match self.val(e.ok_or_else(|| self.err("missing argument"))?, scope)? {
            Val::Arr(a) => Ok(a),
            other => Err(self.err(format!("not an array: {other:?}"))),
        }
    }

    fn bool_expr(&self, e: Option<&Expr>, scope: &Scope) -> Result<BoolExpr> {
        match e {
            Some(Expr::Bool(b)) => Ok(BoolExpr::Lit(*b)),
            Some(Expr::Ref(name)) => match self.get(name, scope) {
                Some(Kind::Bool) => Ok(BoolExpr::Var(var(name))),
                Some(Kind::OptBool) => Ok(BoolExpr::OptVar(var(name))),
                _ => Err(self.err(format!("`{name}` is not a boolean in scope"))),
            },
            Some(Expr::Call(c)) if c.assign.is_none() => match self.call_val(c, scope)? {
                Val::Bool(b) => Ok(b),
                Val::Opt(o, Ty::Bool) => {
                    Ok(BoolExpr::Coalesce { first: vec![o], last: Box::new(BoolExpr::Lit(false)) })
                }
                _ if c.func == Func::GetAttr => Err(self.err(format!(
                    "partition attribute `{}` is not a boolean",
                    match c.args.get(1) {
                        Some(Expr::Str(s)) => s.as_str(),
                        _ => "",
                    }
                ))),
                other => Err(self.err(format!("`{}` gives {other:?}, not a boolean", c.func.name()))),
            },
            other => Err(self.err(format!("unsupported boolean argument {other:?}"))),
        }
    }

    fn str_expr(&self, e: Option<&Expr>, scope: &Scope) -> Result<StrExpr> {
        match e {
            Some(Expr::Str(s)) if !s.contains('{') => Ok(StrExpr::Lit(s.clone())),
            Some(Expr::Str(s)) => self.template(s, scope),
            Some(Expr::Ref(name)) => match self.get_set(name, scope) {
                Some(Kind::Str) => Ok(StrExpr::Var(var(name))),
                _ => Err(self.err(format!("`{name}` is used as a string where it may be unset"))),
            },
            Some(Expr::Call(c)) if c.assign.is_none() => match self.call_val(c, scope)? {
                Val::Str(s) => Ok(s),
                _ if c.func == Func::GetAttr => Err(self.err(format!(
                    "partition attribute `{}` is not a string",
                    match c.args.get(1) {
                        Some(Expr::Str(s)) => s.as_str(),
                        _ => "",
                    }
                ))),
                other => Err(self.err(format!("`{}` gives {other:?}, not a string that is set", c.func.name()))),
            },
            other => Err(self.err(format!("unsupported string argument {other:?}"))),
        }
    }

    /// An endpoint URL or error message: a template string (`"https://{Region}.{PartitionResult#dnsSuffix}"`) or a
    /// reference.
    fn string_value(&self, e: &Expr, scope: &Scope) -> Result<StrExpr> {
        match e {
            Expr::Ref(_) | Expr::Call(_) => self.str_expr(Some(e), scope),
            Expr::Str(t) => self.template(t, scope),
            other => Err(self.err(format!("unsupported string value {other:?}"))),
        }
    }

    /// A template string; a literal when it has no placeholders.
    fn template(&self, template: &str, scope: &Scope) -> Result<StrExpr> {
        let mut pieces = Vec::new();
        let mut placeholders = false;
        for part in crate::rules::template_parts(template).map_err(|m| self.err(m))? {
            pieces.push(match part {
                TemplatePart::Text(t) => TemplatePiece::Text(t),
                TemplatePart::Attr(name, attr) => {
                    placeholders = true;
                    let base = match self.get_set(&name, scope) {
                        Some(Kind::Partition) => Val::Rec(var(&name), Ty::Partition),
                        Some(Kind::Url) => Val::Rec(var(&name), Ty::Url),
                        Some(Kind::Arn) => Val::Rec(var(&name), Ty::Arn),
                        Some(Kind::Arr) => Val::Arr(ArrExpr::Var(var(&name))),
                        _ => {
                            return Err(
                                self.err(format!("`getAttr` on `{name}`, which is not a partition result in scope"))
                            )
                        }
                    };
                    let steps = crate::rules::parse_path(&attr).map_err(|m| self.err(m))?;
                    match self.attr(base, &attr, &steps)? {
                        Val::Str(StrExpr::PartitionAttr { var, field }) => TemplatePiece::PartitionAttr { var, field },
                        Val::Str(s) => TemplatePiece::Str(s),
                        _ => {
                            return Err(self.err(format!(
                                "template `{template}` uses `{name}#{attr}`, which is not a string that is set"
                            )))
                        }
                    }
                }
                TemplatePart::Ref(name) => {
                    placeholders = true;
                    match self.get_set(&name, scope) {
                        Some(Kind::Str) => TemplatePiece::Var(var(&name)),
                        _ => {
                            return Err(
                                self.err(format!("template `{template}` uses `{name}`, which may be unset there"))
                            )
                        }
                    }
                }
            });
        }
        Ok(if placeholders { StrExpr::Template(pieces) } else { StrExpr::Lit(template.to_owned()) })
    }
}

fn partition_table(partitions: &Value) -> Result<Vec<PartitionDef>> {
    let list = partitions
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::at("partitions.json", "no `partitions` array"))?;
    let mut out: Vec<PartitionDef> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let at = format!("partitions[{i}]");
        let id = p.get("id").and_then(Value::as_str).ok_or_else(|| Error::at(&at, "no `id`"))?;
        // The id names a static of the generated crate.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::at(
                format!("{at}.id"),
                format!("partition id {id:?} is not ASCII letters, digits and `-`"),
            ));
        }
        let o = p.get("outputs").ok_or_else(|| Error::at(&at, "no `outputs`"))?;
        let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let b = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
        let outputs = PartitionOutputs {
            name: s("name"),
            dns_suffix: s("dnsSuffix"),
            dual_stack_dns_suffix: s("dualStackDnsSuffix"),
            supports_fips: b("supportsFIPS"),
            supports_dual_stack: b("supportsDualStack"),
            implicit_global_region: s("implicitGlobalRegion"),
        };
        let regex = p.get("regionRegex").and_then(Value::as_str).unwrap_or("^$");
        let region_regex = crate::pattern::plan(regex)
            .map_err(|e| Error::at(format!("{at}.regionRegex"), format!("`{regex}`: {e}")))?;
        let static_name = format!("REGION_REGEX_{}", ident::const_name(id));
        if let Some(other) = out.iter().find(|o| o.static_name == static_name) {
            return Err(Error::at(
                at,
                format!("partitions `{}` and `{id}` both map to the static `{static_name}`", other.id),
            ));
        }
        let mut regions: Vec<String> =
            p.get("regions").and_then(Value::as_object).map(|r| r.keys().cloned().collect()).unwrap_or_default();
        regions.sort_unstable();
        out.push(PartitionDef { id: id.to_owned(), static_name, region_regex, regions, outputs });
    }
    Ok(out)
}

/// The model's endpoint tests, typed; each is evaluated with the reference evaluator and the carried partition
/// table, and ignored (with the reason) where the table is newer than the model's tests.
fn endpoint_tests(
    tests: Option<&Value>,
    at: &str,
    params: &[EndpointParam],
    rule_set: &RuleSet,
    partitions: Option<&Value>,
    lower: &Lower<'_>,
) -> Result<Option<Vec<EndpointTest>>> {
    let Some(cases) = tests.and_then(|t| t.get("testCases")).and_then(Value::as_array) else { return Ok(None) };
    let mut out = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let at = format!("{at}.testCases[{i}]");
        let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("").to_owned();
        let given = case.get("params").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut sets = Vec::new();
        for (k, v) in &given {
            let p = params
                .iter()
                .find(|p| &p.name == k)
                .ok_or_else(|| Error::at(&at, format!("unknown parameter `{k}`")))?;
            let value = match (v, p.ty) {
                (Value::String(s), ParamType::String) => EndpointValue::Str(s.clone()),
                (Value::Bool(b), ParamType::Bool) => EndpointValue::Bool(*b),
                (Value::Array(a), ParamType::StrArray) if a.iter().all(Value::is_string) => {
                    EndpointValue::Arr(a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                }
                _ => return Err(Error::at(&at, format!("parameter `{k}` has a value of the wrong type"))),
            };
            sets.push(TestParam { field: p.field.clone(), optional: p.optional(), value });
        }
        let expect = case.get("expect").ok_or_else(|| Error::at(&at, "no `expect`"))?;
        let expected = match (
            expect.get("endpoint").and_then(|e| e.get("url")).and_then(Value::as_str),
            expect.get("error").and_then(Value::as_str),
        ) {
            (Some(u), _) => Some(Outcome::Endpoint(u.to_owned())),
            (None, Some(m)) => Some(Outcome::Error(m.to_owned())),
            _ => None,
        };
        let actual = crate::rules::evaluate(rule_set, &given, partitions).map_err(|m| lower.err(m))?;
        // A test that expects nothing is still checked above, but generates no test.
        let Some(expected) = expected else { continue };
        let ignore = (expected != actual).then(|| {
            format!(
                "the model's test expects {expected:?}, but with the partition table carried into this crate the rules give {actual:?}"
            )
        });
        let operation_inputs = operation_inputs(case, &at, i + 1, params, matches!(expected, Outcome::Endpoint(_)))?;
        out.push(EndpointTest {
            number: i + 1,
            name: format!("case_{:03}", i + 1),
            doc,
            params: sets,
            expect: expected,
            ignore,
            operation_inputs,
        });
    }
    Ok(Some(out))
}

/// A test case's `operationInputs`, with their built-ins typed; what cannot be run gets its reason.
fn operation_inputs(
    case: &Value,
    at: &str,
    number: usize,
    params: &[EndpointParam],
    sends: bool,
) -> Result<Vec<OperationInput>> {
    let Some(list) = case.get("operationInputs") else { return Ok(Vec::new()) };
    let list = list.as_array().ok_or_else(|| Error::at(at, "`operationInputs` is not a list"))?;
    let mut out = Vec::new();
    for (j, entry) in list.iter().enumerate() {
        let at = format!("{at}.operationInputs[{j}]");
        let operation = entry
            .get("operationName")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::at(&at, "no `operationName` string"))?
            .to_owned();
        let mut skip = None;
        let mut built_ins = Vec::new();
        if let Some(b) = entry.get("builtInParams") {
            let b = b.as_object().ok_or_else(|| Error::at(&at, "`builtInParams` is not an object"))?;
            for (name, v) in b {
                let built_in = BuiltIn::parse(name);
                let value = match (built_in.needs(), v) {
                    (Some(ParamType::String), Value::String(s)) => EndpointValue::Str(s.clone()),
                    (Some(ParamType::Bool), Value::Bool(b)) => EndpointValue::Bool(*b),
                    (Some(_), _) => {
                        return Err(Error::at(&at, format!("built-in `{name}` has a value of the wrong type: {v}")))
                    }
                    (None, _) => {
                        skip.get_or_insert_with(|| {
                            format!("it sets the built-in `{name}`, which the client configuration does not carry")
                        });
                        continue;
                    }
                };
                if built_in == BuiltIn::AccountIdEndpointMode
                    && !matches!(&value, EndpointValue::Str(s) if ["preferred", "disabled", "required"].contains(&s.to_ascii_lowercase().as_str()))
                {
                    skip.get_or_insert_with(|| {
                        format!("`AWS::Auth::AccountIdEndpointMode` is {v}, which the configuration cannot hold")
                    });
                }
                built_ins.push((built_in, value));
            }
        }
        let mut client_params = Vec::new();
        if let Some(c) = entry.get("clientParams") {
            let c = c.as_object().ok_or_else(|| Error::at(&at, "`clientParams` is not an object"))?;
            for (name, v) in c {
                let param = params.iter().find(|p| p.name == *name);
                let value = match (param.map(|p| (p.ty, &p.client_context)), v) {
                    (Some((ParamType::String, Some(c))), Value::String(s)) => {
                        (c.setter.clone(), EndpointValue::Str(s.clone()))
                    }
                    (Some((ParamType::Bool, Some(c))), Value::Bool(b)) => (c.setter.clone(), EndpointValue::Bool(*b)),
                    (Some((_, Some(_))), _) => {
                        return Err(Error::at(
                            &at,
                            format!("client parameter `{name}` has a value of the wrong type: {v}"),
                        ))
                    }
                    _ => {
                        skip.get_or_insert_with(|| {
                            format!("it sets `{name}`, which is no client context parameter of the service")
                        });
                        continue;
                    }
                };
                client_params.push(value);
            }
        }
        // Signing needs a region, so a call without one never reaches the transport that records its endpoint (a
        // call that fails in the rules fails before signing).
        let sets_region = built_ins.iter().any(|(b, _)| *b == BuiltIn::Region);
        let region_param = params.iter().any(|p| p.built_in == Some(BuiltIn::Region));
        if sends && !sets_region && region_param {
            skip.get_or_insert_with(|| "it sets no region, without which the call is not signed and sent".to_owned());
        }
        out.push(OperationInput {
            name: format!("case_{number:03}_input_{}", j + 1),
            operation,
            params: entry.get("operationParams").cloned().unwrap_or(Value::Null),
            built_ins,
            client_params,
            input: None,
            target: None,
            skip,
        });
    }
    Ok(out)
}

/// Type each endpoint test's `operationInputs` against the IR's operations: the input is built from
/// `operationParams`; an operation that is not generated, or parameters that do not fit its input, leave the call
/// with its reason.
pub(super) fn type_operation_inputs(ir: &mut crate::ir::Ir) {
    let Some(mut endpoints) = ir.service.endpoints.take() else { return };
    {
        let types = crate::ir::protocol_tests::Types::new(ir);
        for t in endpoints.tests.iter_mut().flatten() {
            for call in &mut t.operation_inputs {
                let Some(op) = ir.operations.iter().find(|o| o.name == call.operation) else {
                    call.skip.get_or_insert_with(|| format!("the operation `{}` is not generated", call.operation));
                    continue;
                };
                match types.value(&op.input.path, &call.params) {
                    Ok(v) => {
                        call.input = Some(v);
                        call.target = Some((op.module.clone(), op.input.path.clone()));
                    }
                    Err(why) => {
                        call.skip.get_or_insert_with(|| format!("its `operationParams` do not fit the input: {why}"));
                    }
                }
            }
        }
    }
    ir.service.endpoints = Some(endpoints);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SERVICE: &str = "example#Service";
    const AT: &str = "$.shapes[\"example#Service\"].traits[\"smithy.rules#endpointRuleSet\"]";

    fn params() -> Value {
        json!({
            "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "The region."},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "default": false, "required": true},
            "Flag": {"type": "Boolean"}
        })
    }

    fn table() -> Value {
        json!({"partitions": [{"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "outputs": {"name": "aws"}}]})
    }

    fn lower(rules: Value) -> Result<Endpoints> {
        let rule_set = crate::rules::parse(&json!({"parameters": params(), "rules": rules})).unwrap();
        build(SERVICE, &rule_set, None, Some(&table()), None)
    }

    /// The error of a rule list with one rule: `conditions`, then an endpoint with `url`.
    fn scope_error(conditions: Value, url: Value) -> Error {
        lower(json!([{"conditions": conditions, "type": "endpoint", "endpoint": {"url": url}}])).unwrap_err()
    }

    fn assert_error(e: Error, message: &str) {
        assert_eq!(e.location.as_deref(), Some(AT));
        assert_eq!(e.message, message);
    }

    #[test]
    fn lowers_a_small_rule_set() {
        let e = lower(json!([
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "type": "endpoint", "endpoint": {"url": {"ref": "Endpoint"}}},
            {"conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"},
                {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}]},
                {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "name"]}, "aws-cn"]}]},
                {"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Flag"}]}]}
             ],
             "type": "tree", "rules": [
                {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
                 "type": "error", "error": "flag set"},
                {"conditions": [], "type": "endpoint",
                 "endpoint": {"url": "https://{Region}.{PartitionResult#dnsSuffix}"}},
                {"conditions": [], "type": "error", "error": "unreachable"}
             ]}
        ]))
        .unwrap();
        assert!(e.uses_partition);
        assert_eq!(e.partitions.len(), 1);
        assert!(e.tests.is_none());
        let fields: Vec<(&str, &str, bool)> =
            e.params.iter().map(|p| (p.name.as_str(), p.field.as_str(), p.optional())).collect();
        assert_eq!(
            fields,
            [
                ("Endpoint", "endpoint", true),
                ("Flag", "flag", true),
                ("Region", "region", true),
                ("UseFIPS", "use_fips", false)
            ]
        );
        assert_eq!(e.params[2].built_in, Some(BuiltIn::Region));
        assert_eq!(e.params[3].default, Some(EndpointValue::Bool(false)));
        let var = |v: &str| v.to_owned();
        let partition = |field| StrExpr::PartitionAttr { var: var("partition_result"), field };
        let expected = RuleList {
            rules: vec![
                LoweredRule {
                    conditions: vec![Condition::IsSet { var: var("endpoint"), already_set: false }],
                    result: RuleResult::Endpoint(StrExpr::Var(var("endpoint"))),
                },
                LoweredRule {
                    conditions: vec![
                        Condition::IsSet { var: var("region"), already_set: false },
                        Condition::Partition { region: StrExpr::Var(var("region")), bind: var("partition_result") },
                        Condition::BoolEq {
                            a: BoolExpr::Var(var("use_fips")),
                            b: BoolExpr::PartitionAttr {
                                var: var("partition_result"),
                                field: PartitionField::SupportsFips,
                            },
                            negated: false,
                        },
                        Condition::StrEq {
                            a: partition(PartitionField::Name),
                            b: StrExpr::Lit("aws-cn".into()),
                            negated: true,
                        },
                        Condition::NotSet { var: var("flag"), already_set: false },
                    ],
                    result: RuleResult::Tree(RuleList {
                        rules: vec![
                            LoweredRule {
                                conditions: vec![Condition::BoolEq {
                                    a: BoolExpr::OptVar(var("flag")),
                                    b: BoolExpr::Lit(true),
                                    negated: false,
                                }],
                                result: RuleResult::Error(StrExpr::Lit("flag set".into())),
                            },
                            LoweredRule {
                                conditions: vec![],
                                result: RuleResult::Endpoint(StrExpr::Template(vec![
                                    TemplatePiece::Text("https://".into()),
                                    TemplatePiece::Var(var("region")),
                                    TemplatePiece::Text(".".into()),
                                    TemplatePiece::PartitionAttr {
                                        var: var("partition_result"),
                                        field: PartitionField::DnsSuffix,
                                    },
                                ])),
                            },
                        ],
                        exhaustive: true,
                    }),
                },
            ],
            exhaustive: false,
        };
        assert_eq!(e.body, expected);
    }

    #[test]
    fn is_set_of_a_set_variable_always_holds() {
        let e = lower(json!([
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "UseFIPS"}]}], "type": "error", "error": "x"}
        ]))
        .unwrap();
        assert_eq!(e.body.rules[0].conditions, [Condition::IsSet { var: "use_fips".into(), already_set: true }]);
        assert!(!e.uses_partition);
    }

    #[test]
    fn is_set_of_an_unknown_reference() {
        let e = scope_error(json!([{"fn": "isSet", "argv": [{"ref": "Nope"}]}]), json!("https://x"));
        assert_error(e, "`isSet` of unknown reference `Nope`");
        let e = scope_error(json!([{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}]}]), json!("x"));
        assert_error(e, "`isSet` of unknown reference `Nope`");
    }

    #[test]
    fn is_set_needs_a_value_that_may_be_unset() {
        let e = scope_error(json!([{"fn": "isSet", "argv": ["Region"]}]), json!("x"));
        assert_error(e, "`isSet` of a value that is always set");
    }

    #[test]
    fn a_string_that_may_be_unset() {
        let e = scope_error(json!([{"fn": "stringEquals", "argv": [{"ref": "Region"}, "x"]}]), json!("x"));
        assert_error(e, "`Region` is used as a string where it may be unset");
        let e = scope_error(json!([]), json!({"ref": "Endpoint"}));
        assert_error(e, "`Endpoint` is used as a string where it may be unset");
    }

    #[test]
    fn a_template_using_an_unset_reference() {
        let e = scope_error(json!([]), json!("https://{Region}.example"));
        assert_error(e, "template `https://{Region}.example` uses `Region`, which may be unset there");
        let e = scope_error(json!([]), json!("https://{Region.example"));
        assert_error(e, "unclosed placeholder in `https://{Region.example`");
    }

    #[test]
    fn not_a_boolean() {
        let e = scope_error(json!([{"fn": "booleanEquals", "argv": [{"ref": "Region"}, true]}]), json!("x"));
        assert_error(e, "`Region` is not a boolean in scope");
        let e = scope_error(json!([{"fn": "booleanEquals", "argv": ["yes", true]}]), json!("x"));
        assert_error(e, "unsupported boolean argument Some(Str(\"yes\"))");
    }

    #[test]
    fn get_attr_on_a_non_partition() {
        let get = json!({"fn": "getAttr", "argv": [{"ref": "Region"}, "name"]});
        let e = scope_error(json!([{"fn": "stringEquals", "argv": [get, "aws"]}]), json!("x"));
        assert_error(
            e,
            "`getAttr` path `name` on `Region`, which is not a partition result, URL, ARN or array in scope",
        );
        let e = scope_error(json!([]), json!("https://{PartitionResult#dnsSuffix}"));
        assert_error(e, "`getAttr` on `PartitionResult`, which is not a partition result in scope");
    }

    #[test]
    fn unknown_partition_attribute() {
        let e = scope_error(
            json!([
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
            ]),
            json!("https://{P#colour}"),
        );
        assert_error(e, "unknown partition attribute `colour`");
    }

    #[test]
    fn partition_attribute_of_the_wrong_type() {
        let partition = json!([
            {"fn": "isSet", "argv": [{"ref": "Region"}]},
            {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
        ]);
        let mut conditions = partition.as_array().unwrap().clone();
        conditions
            .push(json!({"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "P"}, "name"]}]}));
        assert_error(scope_error(json!(conditions), json!("x")), "partition attribute `name` is not a boolean");
    }

    #[test]
    fn assign_binds_any_value() {
        let e = lower(json!([{"conditions": [
            {"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "R"},
            {"fn": "uriEncode", "argv": ["a b"], "assign": "E"}
        ], "type": "endpoint", "endpoint": {"url": "https://{E}"}}]))
        .unwrap();
        assert_eq!(
            e.body.rules[0].conditions,
            [
                Condition::Test {
                    expr: BoolExpr::IsSet(Box::new(OptExpr::Var("region".into()))),
                    bind: Some("r".into())
                },
                Condition::Let {
                    value: Val::Str(StrExpr::UriEncode(Box::new(StrExpr::Lit("a b".into())))),
                    bind: "e".into()
                },
            ]
        );
        assert!(e.uses_functions && !e.uses_partition);
        let e = scope_error(json!([{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "Flag"}]), json!("x"));
        assert_error(e, "`assign` to `Flag`, which is already in scope");
    }

    #[test]
    fn partition_without_assign() {
        let e = scope_error(
            json!([{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "aws.partition", "argv": [{"ref": "Region"}]}]),
            json!("x"),
        );
        assert_error(e, "`aws.partition` without `assign`");
    }

    #[test]
    fn unsupported_not_argument() {
        let e = scope_error(json!([{"fn": "not", "argv": ["yes"]}]), json!("x"));
        assert_error(e, "unsupported boolean argument Some(Str(\"yes\"))");
        let e = lower(
            json!([{"conditions": [{"fn": "not", "argv": [{"ref": "UseFIPS"}]}], "type": "error", "error": "x"}]),
        );
        let not = BoolExpr::Not(Box::new(BoolExpr::Var("use_fips".into())));
        assert_eq!(e.unwrap().body.rules[0].conditions, [Condition::Test { expr: not, bind: None }]);
    }

    #[test]
    fn get_attr_of_unknown_attributes() {
        let e = scope_error(json!([{"fn": "getAttr", "argv": [{"ref": "Region"}, "name"]}]), json!("x"));
        assert_error(
            e,
            "`getAttr` path `name` on `Region`, which is not a partition result, URL, ARN or array in scope",
        );
        let url = json!([
            {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
            {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}
        ]);
        assert_error(scope_error(url.clone(), json!("https://{url#host}")), "unknown URL attribute `host`");
        let mut arn = url.as_array().unwrap().clone();
        arn[1] = json!({"fn": "aws.parseArn", "argv": [{"ref": "Endpoint"}], "assign": "arn"});
        assert_error(
            scope_error(json!(arn), json!("https://{arn#resourceId[0].x}")),
            "`getAttr` path `resourceId[0].x` is not keys separated by `.` with an optional final `[index]`",
        );
    }

    #[test]
    fn unsupported_string_value() {
        let e = scope_error(json!([]), json!(true));
        assert_error(e, "unsupported string value Bool(true)");
        let e = scope_error(json!([{"fn": "stringEquals", "argv": [true, "x"]}]), json!("x"));
        assert_error(e, "unsupported string argument Some(Bool(true))");
    }

    #[test]
    fn partition_without_a_table() {
        let rules = json!([
            {"conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
            ], "type": "endpoint", "endpoint": {"url": "https://{Region}.{P#dnsSuffix}"}}
        ]);
        let rule_set = crate::rules::parse(&json!({"parameters": params(), "rules": rules})).unwrap();
        assert!(build(SERVICE, &rule_set, None, Some(&table()), None).is_ok());
        let e = build(SERVICE, &rule_set, None, None, None).unwrap_err();
        assert_error(
            e,
            "the rule set calls `aws.partition`, but no partition table was given (models/partitions.json)",
        );
    }

    #[test]
    fn parameter_checks() {
        let check = |parameters: Value| {
            let rule_set = crate::rules::parse(&json!({"parameters": parameters, "rules": []})).unwrap();
            build(SERVICE, &rule_set, None, None, None).unwrap_err()
        };
        let e = check(json!({"UseFips": {"type": "Boolean"}, "use_fips": {"type": "Boolean"}}));
        assert_eq!(e.location.unwrap(), format!("{AT}.parameters.use_fips"));
        assert_eq!(e.message, "parameters `UseFips` and `use_fips` both map to the field `use_fips`");
        let e = check(json!({"Region": {"type": "String", "default": true}}));
        assert_eq!(e.message, "parameter `Region` has a default of the wrong type: true");
        let e = check(json!({"Region": {"type": "Boolean", "builtIn": "AWS::Region"}}));
        assert_eq!(e.message, "parameter `Region` is set from `AWS::Region`, which needs a String parameter");
    }

    #[test]
    fn partitions_and_tests() {
        let rule_set = crate::rules::parse(&json!({
            "parameters": params(),
            "rules": [
                {"conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}
                ], "type": "endpoint", "endpoint": {"url": "https://{Region}.{P#dnsSuffix}"}},
                {"conditions": [], "type": "error", "error": "Missing Region"}
            ]
        }))
        .unwrap();
        let table = json!({"partitions": [
            {"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "regions": {"us-west-2": {}, "us-east-1": {}},
             "outputs": {"name": "aws", "dnsSuffix": "example.com", "supportsFIPS": true}},
            {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
             "outputs": {"name": "aws-cn", "dnsSuffix": "example.cn"}}
        ]});
        let tests = json!({"testCases": [
            {"documentation": "us", "params": {"Region": "us-east-1", "UseFIPS": false},
             "expect": {"endpoint": {"url": "https://us-east-1.example.com"}}},
            {"documentation": " cn ", "params": {"Region": "cn-north-1"},
             "expect": {"endpoint": {"url": "https://cn-north-1.amazonaws.com.cn"}}},
            {"documentation": "nothing expected", "params": {}, "expect": {}},
            {"params": {}, "expect": {"error": "Missing Region"}}
        ]});
        let e = build(SERVICE, &rule_set, Some(&tests), Some(&table), None).unwrap();
        assert_eq!(e.partitions.len(), 2);
        assert_eq!(e.partitions[0].static_name, "REGION_REGEX_AWS");
        assert_eq!(e.partitions[0].regions, ["us-east-1", "us-west-2"]);
        assert!(e.partitions[0].outputs.supports_fips && !e.partitions[1].outputs.supports_fips);
        assert_eq!(e.partitions[1].static_name, "REGION_REGEX_AWS_CN");
        let tests = e.tests.as_ref().unwrap();
        let names: Vec<&str> = tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["case_001", "case_002", "case_004"]);
        assert_eq!(
            tests[0].params,
            [
                TestParam { field: "region".into(), optional: true, value: EndpointValue::Str("us-east-1".into()) },
                TestParam { field: "use_fips".into(), optional: false, value: EndpointValue::Bool(false) },
            ]
        );
        assert_eq!(tests[0].ignore, None);
        assert_eq!(tests[2].expect, Outcome::Error("Missing Region".into()));
        assert_eq!(
            e.notes(),
            ["endpoint test 2 (cn): the model's test expects Endpoint(\"https://cn-north-1.amazonaws.com.cn\"), but with the partition table carried into this crate the rules give Endpoint(\"https://cn-north-1.example.cn\")"]
        );

        let at = "$.shapes[\"example#Service\"].traits[\"smithy.rules#endpointTests\"].testCases[0]";
        let bad = json!({"testCases": [{"params": {"Colour": "red"}, "expect": {"error": "x"}}]});
        let err = build(SERVICE, &rule_set, Some(&bad), Some(&table), None).unwrap_err();
        assert_eq!((err.location.as_deref(), err.message.as_str()), (Some(at), "unknown parameter `Colour`"));
        let bad = json!({"testCases": [{"params": {"UseFIPS": "yes"}, "expect": {"error": "x"}}]});
        let err = build(SERVICE, &rule_set, Some(&bad), Some(&table), None).unwrap_err();
        assert_eq!(
            (err.location.as_deref(), err.message.as_str()),
            (Some(at), "parameter `UseFIPS` has a value of the wrong type")
        );

        let bad_regex = json!({"partitions": [{"id": "aws", "regionRegex": "^(us$", "outputs": {}}]});
        let err = build(SERVICE, &rule_set, None, Some(&bad_regex), None).unwrap_err();
        assert_eq!(err.location.as_deref(), Some("partitions[0].regionRegex"));
    }
}
