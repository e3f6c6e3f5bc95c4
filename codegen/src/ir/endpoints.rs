//! Endpoint resolution in the IR: the service's `smithy.rules#endpointRuleSet` lowered into a tree whose every
//! expression already knows its kind (scope analysis done here, once), the partition table for `aws.partition`
//! parsed and its region patterns planned, and the model's `smithy.rules#endpointTests` parsed, typed, and checked
//! against the reference evaluator ([`crate::rules::evaluate`]) with the table the crate carries.
//!
//! Every failure is reported here, located in the model or the partition table; the emitter only maps these nodes to
//! tokens.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::ident;
use crate::rules::{Call, Expr, Func, Outcome, Rule, RuleKind, RuleSet, TemplatePart};

/// Endpoint resolution for a service with an endpoint rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoints {
    /// The rule set's parameters, in the rule set's order (by name).
    pub params: Vec<EndpointParam>,
    /// The top-level rules, lowered.
    pub body: RuleList,
    /// Whether the rules call `aws.partition` (the crate then carries the partition table).
    pub uses_partition: bool,
    /// The partition table, in the table's order; empty unless [`Endpoints::uses_partition`].
    pub partitions: Vec<PartitionDef>,
    /// One per entry of `smithy.rules#endpointTests` that expects something; `None` without the trait.
    pub tests: Option<Vec<EndpointTest>>,
}

impl Endpoints {
    /// One line per endpoint test the carried partition table contradicts (such tests are kept, but ignored).
    pub fn notes(&self) -> Vec<String> {
        self.tests
            .iter()
            .flatten()
            .filter_map(|t| {
                let reason = t.ignore.as_ref()?;
                Some(format!("endpoint test {} ({}): {reason}", t.number, t.doc.trim()))
            })
            .collect()
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
}

/// A literal value: a parameter default or a test's parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointValue {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
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
            BuiltIn::Other(s) => s,
        }
    }

    /// The parameter type a known built-in needs.
    fn needs(&self) -> Option<ParamType> {
        match self {
            BuiltIn::Region | BuiltIn::Endpoint => Some(ParamType::String),
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
    /// `aws.partition(region)` bound to `bind`.
    Partition {
        /// The region.
        region: StrExpr,
        /// The variable holding the partition's attributes for what follows.
        bind: String,
    },
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
) -> Result<Endpoints> {
    let service = crate::error::shape_path(service_id);
    let at = crate::traits::path(&service, crate::traits::ENDPOINT_RULE_SET);
    let tests_at = crate::traits::path(&service, crate::traits::ENDPOINT_TESTS);
    let params = params(rule_set, &at)?;
    let mut scope = Scope::new();
    for p in &params {
        let kind = match (p.ty, p.optional()) {
            (ParamType::String, true) => Kind::OptStr,
            (ParamType::String, false) => Kind::Str,
            (ParamType::Bool, true) => Kind::OptBool,
            (ParamType::Bool, false) => Kind::Bool,
        };
        scope.insert(p.name.clone(), kind);
    }
    let lower = Lower { at: &at };
    let body = lower.rule_list(&rule_set.rules, &scope)?;
    let uses_partition = rules_use_partition(&rule_set.rules);
    let partitions_table = if uses_partition {
        partition_table(partitions.ok_or_else(|| {
            lower.err("the rule set calls `aws.partition`, but no partition table was given (models/partitions.json)")
        })?)?
    } else {
        Vec::new()
    };
    let tests = endpoint_tests(tests, &tests_at, &params, rule_set, partitions, &lower)?;
    Ok(Endpoints { params, body, uses_partition, partitions: partitions_table, tests })
}

fn params(rule_set: &RuleSet, at: &str) -> Result<Vec<EndpointParam>> {
    let mut out: Vec<EndpointParam> = Vec::new();
    for p in &rule_set.params {
        let at = format!("{at}.parameters.{}", p.name);
        let ty = if p.string { ParamType::String } else { ParamType::Bool };
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
            (Some(v), _) => {
                return Err(Error::at(at, format!("parameter `{}` has a default of the wrong type: {v}", p.name)))
            }
        };
        let built_in = p.built_in.as_deref().map(BuiltIn::parse);
        if let Some(b) = &built_in {
            if let Some(needed) = b.needs().filter(|n| *n != ty) {
                let needed = if needed == ParamType::String { "String" } else { "Boolean" };
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
        });
    }
    Ok(out)
}

/// What a name holds at a point of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OptStr,
    Str,
    OptBool,
    Bool,
    Partition,
}

/// Names in scope (parameters and bindings, as written in the rule set) and what they hold.
type Scope = BTreeMap<String, Kind>;

/// The Rust variable of a rule-set name.
fn var(name: &str) -> String {
    ident::field_name(name)
}

fn rules_use_partition(rules: &[Rule]) -> bool {
    fn call_uses(c: &Call) -> bool {
        c.func == Func::Partition || c.args.iter().any(|a| matches!(a, Expr::Call(inner) if call_uses(inner)))
    }
    rules.iter().any(|r| {
        r.conditions.iter().any(call_uses) || matches!(&r.kind, RuleKind::Tree(inner) if rules_use_partition(inner))
    })
}

/// Scope analysis of the rules; errors are located at the rule set.
struct Lower<'a> {
    at: &'a str,
}

impl Lower<'_> {
    fn err(&self, msg: impl Into<String>) -> Error {
        Error::at(self.at, msg)
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
        let result = match &rule.kind {
            RuleKind::Endpoint(url) => RuleResult::Endpoint(self.string_value(url, &scope)?),
            RuleKind::Error(msg) => RuleResult::Error(self.string_value(msg, &scope)?),
            RuleKind::Tree(rules) => RuleResult::Tree(self.rule_list(rules, &scope)?),
        };
        Ok(LoweredRule { conditions, result })
    }

    /// A condition; `scope` becomes the scope of what follows it.
    fn condition(&self, c: &Call, scope: &mut Scope) -> Result<Condition> {
        let condition = match c.func {
            Func::IsSet => {
                let name = self.ref_name(c.args.first())?;
                let v = var(&name);
                match scope.get(&name) {
                    Some(Kind::OptStr) => {
                        scope.insert(name, Kind::Str);
                        Condition::IsSet { var: v, already_set: false }
                    }
                    Some(Kind::OptBool) => {
                        scope.insert(name, Kind::Bool);
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
                let Some(Expr::Call(inner)) = c.args.first() else { return Err(self.err("`not` needs a call")) };
                match inner.func {
                    Func::IsSet => {
                        let name = self.ref_name(inner.args.first())?;
                        let already_set = match scope.get(&name) {
                            Some(Kind::OptStr | Kind::OptBool) => false,
                            Some(_) => true,
                            None => return Err(self.err(format!("`isSet` of unknown reference `{name}`"))),
                        };
                        Condition::NotSet { var: var(&name), already_set }
                    }
                    Func::BooleanEquals => {
                        let a = self.bool_expr(inner.args.first(), scope)?;
                        let b = self.bool_expr(inner.args.get(1), scope)?;
                        Condition::BoolEq { a, b, negated: true }
                    }
                    Func::StringEquals => {
                        let a = self.str_expr(inner.args.first(), scope)?;
                        let b = self.str_expr(inner.args.get(1), scope)?;
                        Condition::StrEq { a, b, negated: true }
                    }
                    other => return Err(self.err(format!("`not` of unsupported function {other:?}"))),
                }
            }
            Func::Partition => {
                let region = self.str_expr(c.args.first(), scope)?;
                let name = c.assign.as_deref().ok_or_else(|| self.err("`aws.partition` without `assign`"))?;
                let bind = var(name);
                if let Some(other) = scope.keys().find(|other| *other != name && var(other) == bind) {
                    return Err(
                        self.err(format!("`assign` to `{name}` and `{other}` both map to the variable `{bind}`"))
                    );
                }
                scope.insert(name.to_owned(), Kind::Partition);
                Condition::Partition { region, bind }
            }
            Func::GetAttr => return Err(self.err("`getAttr` as a condition is not supported")),
        };
        if c.assign.is_some() && c.func != Func::Partition {
            return Err(self.err(format!("`assign` on {:?} is not supported", c.func)));
        }
        Ok(condition)
    }

    fn ref_name(&self, e: Option<&Expr>) -> Result<String> {
        match e {
            Some(Expr::Ref(r)) => Ok(r.clone()),
            _ => Err(self.err("expected a `ref`")),
        }
    }

    fn get_attr(&self, c: &Call, scope: &Scope) -> Result<(String, PartitionField)> {
        let name = self.ref_name(c.args.first())?;
        let Some(Expr::Str(attr)) = c.args.get(1) else { return Err(self.err("`getAttr` needs an attribute name")) };
        self.partition_attr(&name, attr, scope)
    }

    fn partition_attr(&self, name: &str, attr: &str, scope: &Scope) -> Result<(String, PartitionField)> {
        if scope.get(name) != Some(&Kind::Partition) {
            return Err(self.err(format!("`getAttr` on `{name}`, which is not a partition result in scope")));
        }
        let field =
            PartitionField::parse(attr).ok_or_else(|| self.err(format!("unknown partition attribute `{attr}`")))?;
        Ok((var(name), field))
    }

    fn bool_expr(&self, e: Option<&Expr>, scope: &Scope) -> Result<BoolExpr> {
        match e {
            Some(Expr::Bool(b)) => Ok(BoolExpr::Lit(*b)),
            Some(Expr::Ref(name)) => match scope.get(name) {
                Some(Kind::Bool) => Ok(BoolExpr::Var(var(name))),
                Some(Kind::OptBool) => Ok(BoolExpr::OptVar(var(name))),
                _ => Err(self.err(format!("`{name}` is not a boolean in scope"))),
            },
            Some(Expr::Call(c)) if c.func == Func::GetAttr => {
                let (var, field) = self.get_attr(c, scope)?;
                if !field.is_bool() {
                    return Err(self.err(format!("partition attribute `{}` is not a boolean", field.as_str())));
                }
                Ok(BoolExpr::PartitionAttr { var, field })
            }
            other => Err(self.err(format!("unsupported boolean argument {other:?}"))),
        }
    }

    fn str_expr(&self, e: Option<&Expr>, scope: &Scope) -> Result<StrExpr> {
        match e {
            Some(Expr::Str(s)) if !s.contains('{') => Ok(StrExpr::Lit(s.clone())),
            Some(Expr::Str(s)) => self.template(s, scope),
            Some(Expr::Ref(name)) => match scope.get(name) {
                Some(Kind::Str) => Ok(StrExpr::Var(var(name))),
                _ => Err(self.err(format!("`{name}` is used as a string where it may be unset"))),
            },
            Some(Expr::Call(c)) if c.func == Func::GetAttr => {
                let (var, field) = self.get_attr(c, scope)?;
                if field.is_bool() {
                    return Err(self.err(format!("partition attribute `{}` is not a string", field.as_str())));
                }
                Ok(StrExpr::PartitionAttr { var, field })
            }
            other => Err(self.err(format!("unsupported string argument {other:?}"))),
        }
    }

    /// An endpoint URL or error message: a template string (`"https://{Region}.{PartitionResult#dnsSuffix}"`) or a
    /// reference.
    fn string_value(&self, e: &Expr, scope: &Scope) -> Result<StrExpr> {
        match e {
            Expr::Ref(_) => self.str_expr(Some(e), scope),
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
                    let (var, field) = self.partition_attr(&name, &attr, scope)?;
                    TemplatePiece::PartitionAttr { var, field }
                }
                TemplatePart::Ref(name) => {
                    placeholders = true;
                    match scope.get(&name) {
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
        out.push(EndpointTest {
            number: i + 1,
            name: format!("case_{:03}", i + 1),
            doc,
            params: sets,
            expect: expected,
            ignore,
        });
    }
    Ok(Some(out))
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
        build(SERVICE, &rule_set, None, Some(&table()))
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
    fn is_set_needs_a_reference() {
        assert_error(scope_error(json!([{"fn": "isSet", "argv": ["Region"]}]), json!("x")), "expected a `ref`");
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
        assert_error(e, "`getAttr` on `Region`, which is not a partition result in scope");
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
    fn assign_on_an_unsupported_function() {
        let e = scope_error(json!([{"fn": "isSet", "argv": [{"ref": "Region"}], "assign": "R"}]), json!("x"));
        assert_error(e, "`assign` on IsSet is not supported");
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
        let e = scope_error(json!([{"fn": "not", "argv": [true]}]), json!("x"));
        assert_error(e, "`not` needs a call");
        let e = scope_error(json!([{"fn": "not", "argv": [{"fn": "not", "argv": [true]}]}]), json!("x"));
        assert_error(e, "`not` of unsupported function Not");
    }

    #[test]
    fn get_attr_as_a_condition() {
        let e = scope_error(json!([{"fn": "getAttr", "argv": [{"ref": "Region"}, "name"]}]), json!("x"));
        assert_error(e, "`getAttr` as a condition is not supported");
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
        assert!(build(SERVICE, &rule_set, None, Some(&table())).is_ok());
        let e = build(SERVICE, &rule_set, None, None).unwrap_err();
        assert_error(
            e,
            "the rule set calls `aws.partition`, but no partition table was given (models/partitions.json)",
        );
    }

    #[test]
    fn parameter_checks() {
        let check = |parameters: Value| {
            let rule_set = crate::rules::parse(&json!({"parameters": parameters, "rules": []})).unwrap();
            build(SERVICE, &rule_set, None, None).unwrap_err()
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
        let e = build(SERVICE, &rule_set, Some(&tests), Some(&table)).unwrap();
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
        let err = build(SERVICE, &rule_set, Some(&bad), Some(&table)).unwrap_err();
        assert_eq!((err.location.as_deref(), err.message.as_str()), (Some(at), "unknown parameter `Colour`"));
        let bad = json!({"testCases": [{"params": {"UseFIPS": "yes"}, "expect": {"error": "x"}}]});
        let err = build(SERVICE, &rule_set, Some(&bad), Some(&table)).unwrap_err();
        assert_eq!(
            (err.location.as_deref(), err.message.as_str()),
            (Some(at), "parameter `UseFIPS` has a value of the wrong type")
        );

        let bad_regex = json!({"partitions": [{"id": "aws", "regionRegex": "^(us$", "outputs": {}}]});
        let err = build(SERVICE, &rule_set, None, Some(&bad_regex)).unwrap_err();
        assert_eq!(err.location.as_deref(), Some("partitions[0].regionRegex"));
    }
}
