//! Endpoint rule sets as a typed tree, parsed once when the IR is built, and an evaluator for them. Both encodings are
//! read: the rule tree (`smithy.rules#endpointRuleSet`) and the decision diagram (`smithy.rules#endpointBdd`), whose
//! conditions and results are the same calls and rules, joined by a diagram of nodes instead of nesting. The IR
//! ([`crate::ir::endpoints`]) lowers them, checked, for the emitter to turn into the crate's resolver; the evaluator
//! checks each `smithy.rules#endpointTests` entry at codegen time against the partition table the crate carries (the
//! generated resolver is Rust code; this is its reference).
//!
//! Functions: the whole standard library of the rules engine's specification (version 1.1: `booleanEquals`,
//! `coalesce`, `getAttr`, `isSet`, `isValidHostLabel`, `ite`, `not`, `parseURL`, `split`, `stringEquals`,
//! `substring`, `uriEncode`) and the AWS extensions (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`). The functions that compute something are the runtime's
//! (`runtime/src/endpoint_functions.rs`, compiled in here), so the evaluator and the generated crates answer from
//! one source. Any other function is an error naming it when the rule set is parsed.

use std::collections::BTreeMap;

use serde_json::Value;

/// The runtime's rule-set functions, the very file generated crates get.
#[path = "../../runtime/src/endpoint_functions.rs"]
#[allow(missing_docs, clippy::all)]
pub mod functions;

/// A parsed rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The parameters, by name order.
    pub params: Vec<Param>,
    /// The top-level rules, in order (empty for a decision diagram).
    pub rules: Vec<Rule>,
    /// The decision diagram, when the rule set is one (`smithy.rules#endpointBdd`).
    pub bdd: Option<Bdd>,
}

/// A rule set in the decision-diagram encoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Bdd {
    /// The conditions, by index.
    pub conditions: Vec<Call>,
    /// The results: result reference `100_000_000 + i` is `results[i - 1]` (0 is "no match").
    pub results: Vec<RuleKind>,
    /// Where evaluation starts.
    pub root: i32,
    /// `[condition, high, low]` per node; node 0 is the terminal.
    pub nodes: Vec<[i32; 3]>,
}

/// The first result reference of a decision diagram.
pub const RESULT_BASE: i32 = 100_000_000;

/// The type of a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamTy {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

/// A rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name, e.g. `UseFIPS`.
    pub name: String,
    /// Its type.
    pub ty: ParamTy,
    /// Default value.
    pub default: Option<Value>,
    /// Whether the rule set requires it.
    pub required: bool,
    /// `AWS::Region`, `SDK::Endpoint`, …
    pub built_in: Option<String>,
    /// Documentation.
    pub docs: Option<String>,
}

impl Param {
    /// Whether the parameter may be unset (no default).
    pub fn optional(&self) -> bool {
        self.default.is_none()
    }
}

/// One rule: conditions, then what it resolves to.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// All must hold, in order; `assign` binds results for the later ones.
    pub conditions: Vec<Call>,
    /// The result.
    pub kind: RuleKind,
}

/// What a rule resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// An endpoint whose URL is this template or reference.
    Endpoint(Expr),
    /// An error with this message.
    Error(Expr),
    /// Nested rules.
    Tree(Vec<Rule>),
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Which function.
    pub func: Func,
    /// Its arguments.
    pub args: Vec<Expr>,
    /// The name its result is bound to.
    pub assign: Option<String>,
}

/// The functions of the standard library and of the AWS extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `isSet`
    IsSet,
    /// `not`
    Not,
    /// `booleanEquals`
    BooleanEquals,
    /// `stringEquals`
    StringEquals,
    /// `getAttr`
    GetAttr,
    /// `aws.partition`
    Partition,
    /// `substring`
    Substring,
    /// `uriEncode`
    UriEncode,
    /// `isValidHostLabel`
    IsValidHostLabel,
    /// `parseURL`
    ParseUrl,
    /// `split`
    Split,
    /// `coalesce`
    Coalesce,
    /// `ite`
    Ite,
    /// `aws.parseArn`
    ParseArn,
    /// `aws.isVirtualHostableS3Bucket`
    IsVirtualHostableS3Bucket,
}

impl Func {
    const ALL: [(&'static str, Func); 15] = [
        ("isSet", Func::IsSet),
        ("not", Func::Not),
        ("booleanEquals", Func::BooleanEquals),
        ("stringEquals", Func::StringEquals),
        ("getAttr", Func::GetAttr),
        ("aws.partition", Func::Partition),
        ("substring", Func::Substring),
        ("uriEncode", Func::UriEncode),
        ("isValidHostLabel", Func::IsValidHostLabel),
        ("parseURL", Func::ParseUrl),
        ("split", Func::Split),
        ("coalesce", Func::Coalesce),
        ("ite", Func::Ite),
        ("aws.parseArn", Func::ParseArn),
        ("aws.isVirtualHostableS3Bucket", Func::IsVirtualHostableS3Bucket),
    ];

    /// The function's name in a rule set.
    pub fn name(self) -> &'static str {
        Func::ALL.iter().find(|(_, f)| *f == self).map_or("", |(n, _)| n)
    }

    /// How many arguments it takes (`coalesce` takes two or more).
    fn arity(self) -> (usize, usize) {
        match self {
            Func::IsSet | Func::Not | Func::Partition | Func::UriEncode | Func::ParseUrl | Func::ParseArn => (1, 1),
            Func::BooleanEquals
            | Func::StringEquals
            | Func::GetAttr
            | Func::IsValidHostLabel
            | Func::IsVirtualHostableS3Bucket => (2, 2),
            Func::Split | Func::Ite => (3, 3),
            Func::Substring => (4, 4),
            Func::Coalesce => (2, usize::MAX),
        }
    }

    /// Whether generated crates call the runtime's `endpoint_functions` module for it.
    pub fn in_runtime_module(self) -> bool {
        matches!(
            self,
            Func::Substring
                | Func::UriEncode
                | Func::IsValidHostLabel
                | Func::ParseUrl
                | Func::Split
                | Func::ParseArn
                | Func::IsVirtualHostableS3Bucket
        )
    }
}

/// An argument or value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A parameter or an assigned name.
    Ref(String),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal (`substring`'s indexes, `split`'s limit).
    Int(i64),
    /// A string, possibly a template with `{Name}` and `{Name#attr}` placeholders.
    Str(String),
    /// A nested call.
    Call(Box<Call>),
}

/// Parse a rule set (`smithy.rules#endpointRuleSet`); errors name what is wrong.
pub fn parse(v: &Value) -> Result<RuleSet, String> {
    let params = parse_params(v)?;
    let rules = v.get("rules").and_then(Value::as_array).ok_or("the rule set has no `rules`")?;
    let rules = rules.iter().enumerate().map(|(i, r)| parse_rule(r).map_err(|e| format!("rules[{i}]: {e}")));
    Ok(RuleSet { params, rules: rules.collect::<Result<_, _>>()?, bdd: None })
}

/// Parse a decision diagram (`smithy.rules#endpointBdd`); errors name what is wrong. Every reference is checked, so
/// evaluating it cannot go astray; the diagram is walked from the root to check that it has no cycle.
pub fn parse_bdd(v: &Value) -> Result<RuleSet, String> {
    let params = parse_params(v)?;
    let conditions = v.get("conditions").and_then(Value::as_array).ok_or("the diagram has no `conditions`")?;
    let conditions = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| parse_call(c).map_err(|e| format!("conditions[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let results = v.get("results").and_then(Value::as_array).ok_or("the diagram has no `results`")?;
    let results = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rule = parse_rule(r).map_err(|e| format!("results[{i}]: {e}"))?;
            if !rule.conditions.is_empty() || matches!(rule.kind, RuleKind::Tree(_)) {
                return Err(format!("results[{i}]: a result is an endpoint or an error without conditions"));
            }
            Ok(rule.kind)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let int = |k: &str| {
        v.get(k)
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| format!("the diagram's `{k}` is not a 32-bit integer"))
    };
    let root = int("root")?;
    let count = usize::try_from(int("nodeCount")?).map_err(|_| "the diagram's `nodeCount` is negative")?;
    let text = v.get("nodes").and_then(Value::as_str).ok_or("the diagram has no `nodes`")?;
    let bytes = base64_decode(text).ok_or("the diagram's `nodes` is not Base64")?;
    if bytes.len() != count.saturating_mul(12) {
        return Err(format!("the diagram's `nodes` holds {} bytes, not 12 per node for {count} nodes", bytes.len()));
    }
    let nodes: Vec<[i32; 3]> = bytes
        .chunks_exact(12)
        .map(|n| {
            let int = |i: usize| i32::from_be_bytes([n[i], n[i + 1], n[i + 2], n[i + 3]]);
            [int(0), int(4), int(8)]
        })
        .collect();
    let bdd = Bdd { conditions, results, root, nodes };
    bdd.check()?;
    Ok(RuleSet { params, rules: Vec::new(), bdd: Some(bdd) })
}

impl Bdd {
    /// Every reference points at a node or a result, every node at a condition, and no path visits a node twice.
    fn check(&self) -> Result<(), String> {
        if self.root < 0 {
            return Err("the diagram's root is a complement".into());
        }
        let check_ref = |r: i32, at: &str| -> Result<(), String> {
            if r == 0 {
                return Err(format!("{at}: reference 0"));
            }
            if r >= RESULT_BASE {
                let i = usize::try_from(r - RESULT_BASE).unwrap_or(usize::MAX);
                if i > self.results.len() {
                    return Err(format!("{at}: result reference {r} beyond the {} results", self.results.len()));
                }
            } else if r.unsigned_abs() as usize > self.nodes.len() {
                return Err(format!("{at}: node reference {r} beyond the {} nodes", self.nodes.len()));
            }
            Ok(())
        };
        check_ref(self.root, "root")?;
        for (i, n) in self.nodes.iter().enumerate().skip(1) {
            let c = usize::try_from(n[0]).unwrap_or(usize::MAX);
            if c >= self.conditions.len() {
                return Err(format!("node {i}: condition {} of {}", n[0], self.conditions.len()));
            }
            check_ref(n[1], &format!("node {i}"))?;
            check_ref(n[2], &format!("node {i}"))?;
        }
        // Acyclic: a depth-first walk in which each node is finished once (linear in the nodes).
        let mut state = vec![0u8; self.nodes.len()];
        let mut stack = vec![(self.root, false)];
        while let Some((r, done)) = stack.pop() {
            let Some(i) = Bdd::node_index(r) else { continue };
            if i == 0 {
                return Err("a reference points at the terminal node 0".into());
            }
            if done {
                state[i] = 2;
                continue;
            }
            match state[i] {
                1 => return Err(format!("the diagram has a cycle through node {i}")),
                2 => continue,
                _ => {}
            }
            state[i] = 1;
            stack.push((r, true));
            stack.push((self.nodes[i][1], false));
            stack.push((self.nodes[i][2], false));
        }
        Ok(())
    }

    /// The node a reference points at, `None` for terminals and results.
    pub fn node_index(r: i32) -> Option<usize> {
        (r != 1 && r != -1 && r < RESULT_BASE).then(|| r.unsigned_abs() as usize - 1)
    }
}

/// Standard Base64 with padding (RFC 4648); `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (i, chunk) in bytes.chunks_exact(4).enumerate() {
        let last = i + 1 == bytes.len() / 4;
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | digit(c)?;
        }
        n <<= 6 * pad as u32;
        let b = n.to_be_bytes();
        out.extend_from_slice(&b[1..4 - pad]);
    }
    Some(out)
}

fn parse_params(v: &Value) -> Result<Vec<Param>, String> {
    let defs = v.get("parameters").and_then(Value::as_object).ok_or("the rule set has no `parameters`")?;
    let mut params = Vec::new();
    for (name, p) in defs {
        check_name("parameter", name)?;
        let ty = p.get("type").and_then(Value::as_str).unwrap_or("String");
        let ty = match ty.to_ascii_lowercase().as_str() {
            "string" => ParamTy::String,
            "boolean" => ParamTy::Boolean,
            "stringarray" => ParamTy::StringArray,
            other => return Err(format!("parameter `{name}` has unsupported type `{other}`")),
        };
        params.push(Param {
            name: name.clone(),
            ty,
            default: p.get("default").cloned(),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            docs: p.get("documentation").and_then(Value::as_str).map(str::to_owned),
        });
    }
    Ok(params)
}

fn parse_rule(r: &Value) -> Result<Rule, String> {
    let conditions = match r.get("conditions").and_then(Value::as_array) {
        Some(c) => c.iter().map(parse_call).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let kind = match r.get("type").and_then(Value::as_str) {
        Some("endpoint") => RuleKind::Endpoint(parse_expr(
            r.get("endpoint").and_then(|e| e.get("url")).ok_or("an endpoint rule has no url")?,
        )?),
        Some("error") => RuleKind::Error(parse_expr(r.get("error").ok_or("an error rule has no message")?)?),
        Some("tree") => RuleKind::Tree(
            r.get("rules")
                .and_then(Value::as_array)
                .ok_or("a tree rule has no rules")?
                .iter()
                .map(parse_rule)
                .collect::<Result<_, _>>()?,
        ),
        other => return Err(format!("unsupported rule type {other:?}")),
    };
    Ok(Rule { conditions, kind })
}

fn parse_call(c: &Value) -> Result<Call, String> {
    let name = c.get("fn").and_then(Value::as_str).ok_or("a condition has no `fn`")?;
    let func = Func::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .ok_or_else(|| format!("unsupported rule-set function `{name}`"))?;
    let args: Vec<Expr> = match c.get("argv").and_then(Value::as_array) {
        Some(a) => a.iter().map(parse_expr).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let (min, max) = func.arity();
    if args.len() < min || args.len() > max {
        return Err(format!(
            "`{name}` takes {} arguments, not {}",
            if min == max { min.to_string() } else { format!("{min} or more") },
            args.len()
        ));
    }
    let assign = c.get("assign").and_then(Value::as_str).map(str::to_owned);
    if let Some(name) = &assign {
        check_name("`assign` name", name)?;
    }
    Ok(Call { func, args, assign })
}

/// Parameters and assigned names become Rust names. The rules-engine specification makes them `ALPHA *(ALPHA /
/// DIGIT)`; `_` is accepted as well, since AWS's rule sets use it in assigned names.
fn check_name(what: &str, name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(format!(
            "{what} {name:?} is not a rule-set identifier (ASCII letters, digits and `_`, starting with a letter)"
        ))
    }
}

fn parse_expr(v: &Value) -> Result<Expr, String> {
    if let Some(r) = v.get("ref").and_then(Value::as_str) {
        return Ok(Expr::Ref(r.to_owned()));
    }
    if v.get("fn").is_some() {
        return Ok(Expr::Call(Box::new(parse_call(v)?)));
    }
    match v {
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::String(s) => Ok(Expr::Str(s.clone())),
        Value::Number(n) if n.as_i64().is_some() => Ok(Expr::Int(n.as_i64().unwrap_or_default())),
        other => Err(format!("unsupported rule-set value {other}")),
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A key of a record.
    Key(String),
    /// An index of an array (negative counts from the end).
    Index(i64),
}

/// A `getAttr` path (`resourceId[0]`, `a.b`) as steps; an index may only end it.
pub fn parse_path(path: &str) -> Result<Vec<PathStep>, String> {
    let mut steps = Vec::new();
    let bad = || format!("`getAttr` path `{path}` is not keys separated by `.` with an optional final `[index]`");
    for part in path.split('.') {
        if !steps.is_empty() && matches!(steps.last(), Some(PathStep::Index(_))) {
            return Err(bad());
        }
        match part.split_once('[') {
            Some((key, index)) => {
                if !key.is_empty() {
                    steps.push(PathStep::Key(key.to_owned()));
                }
                let index = index.strip_suffix(']').and_then(|i| i.parse::<i64>().ok()).ok_or_else(bad)?;
                steps.push(PathStep::Index(index));
            }
            None if part.is_empty() => return Err(bad()),
            None => steps.push(PathStep::Key(part.to_owned())),
        }
    }
    Ok(steps)
}

/// A template's pieces: literal text and placeholders (`Name`, or `Name` with an attribute).
pub fn template_parts(t: &str) -> Result<Vec<TemplatePart>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(TemplatePart::Text(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed placeholder in `{t}`"))?;
        let ph = &after[..close];
        out.push(match ph.split_once('#') {
            Some((name, attr)) => TemplatePart::Attr(name.to_owned(), attr.to_owned()),
            None => TemplatePart::Ref(ph.to_owned()),
        });
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(TemplatePart::Text(rest.to_owned()));
    }
    Ok(out)
}

/// A piece of a template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// `{Name}`
    Ref(String),
    /// `{Name#attr}`
    Attr(String, String),
}

/// What the rules resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An endpoint URL.
    Endpoint(String),
    /// A rule-set error message.
    Error(String),
}

const NO_MATCH: &str = "no endpoint rule matched the parameters";

/// Evaluate `rules` for `params` (missing parameters take their defaults).
pub fn evaluate(
    rules: &RuleSet,
    params: &serde_json::Map<String, Value>,
    partitions: Option<&Value>,
) -> Result<Outcome, String> {
    let mut scope: BTreeMap<String, Value> = BTreeMap::new();
    for p in &rules.params {
        let v = params.get(&p.name).cloned().or_else(|| p.default.clone()).unwrap_or(Value::Null);
        scope.insert(p.name.clone(), v);
    }
    let ctx = Ctx { partitions };
    if let Some(bdd) = &rules.bdd {
        return ctx.bdd(bdd, scope);
    }
    Ok(ctx.rules(&rules.rules, &scope)?.unwrap_or(Outcome::Error(NO_MATCH.into())))
}

struct Ctx<'a> {
    partitions: Option<&'a Value>,
}

/// Whether a condition's value makes it hold: set, and not `false`.
fn holds(v: &Value) -> bool {
    !(v.is_null() || *v == Value::Bool(false))
}

impl Ctx<'_> {
    fn rules(&self, rules: &[Rule], scope: &BTreeMap<String, Value>) -> Result<Option<Outcome>, String> {
        'rules: for rule in rules {
            let mut local = scope.clone();
            for c in &rule.conditions {
                let v = self.call(c, &local)?;
                let ok = holds(&v);
                if let Some(name) = &c.assign {
                    local.insert(name.clone(), v);
                }
                if !ok {
                    continue 'rules;
                }
            }
            return Ok(Some(match &rule.kind {
                RuleKind::Tree(inner) => self.rules(inner, &local)?.unwrap_or(Outcome::Error(NO_MATCH.into())),
                kind => self.result(kind, &local)?,
            }));
        }
        Ok(None)
    }

    fn result(&self, kind: &RuleKind, scope: &BTreeMap<String, Value>) -> Result<Outcome, String> {
        Ok(match kind {
            RuleKind::Endpoint(url) => Outcome::Endpoint(self.string(url, scope)?),
            RuleKind::Error(msg) => Outcome::Error(self.string(msg, scope)?),
            RuleKind::Tree(_) => return Err("a decision diagram's result is a tree".into()),
        })
    }

    /// Walk a decision diagram from its root: each node's condition picks its high or low branch (swapped through a
    /// complement reference), and a condition that holds binds its `assign` for what follows.
    fn bdd(&self, bdd: &Bdd, mut scope: BTreeMap<String, Value>) -> Result<Outcome, String> {
        let mut r = bdd.root;
        while let Some(i) = Bdd::node_index(r) {
            let [c, high, low] = *bdd.nodes.get(i).ok_or("a node reference beyond the nodes")?;
            let call = usize::try_from(c).ok().and_then(|c| bdd.conditions.get(c)).ok_or("a node's condition")?;
            let v = self.call(call, &scope)?;
            let ok = holds(&v);
            if ok {
                if let Some(name) = &call.assign {
                    scope.insert(name.clone(), v);
                }
            }
            r = if ok != (r < 0) { high } else { low };
        }
        match usize::try_from(r.saturating_sub(RESULT_BASE)) {
            Ok(i) if r >= RESULT_BASE && i > 0 => {
                self.result(bdd.results.get(i - 1).ok_or("a result reference beyond the results")?, &scope)
            }
            _ => Ok(Outcome::Error(NO_MATCH.into())),
        }
    }

    fn value(&self, e: &Expr, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        Ok(match e {
            Expr::Ref(r) => scope.get(r).cloned().unwrap_or(Value::Null),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Int(n) => Value::from(*n),
            Expr::Str(_) => Value::String(self.string(e, scope)?),
            Expr::Call(c) => self.call(c, scope)?,
        })
    }

    fn call(&self, c: &Call, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        let args: Vec<Value> = c.args.iter().map(|a| self.value(a, scope)).collect::<Result<_, _>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        let text = |i: usize| args.get(i).and_then(Value::as_str);
        let flag = |i: usize| args.get(i).and_then(Value::as_bool);
        let int = |i: usize| args.get(i).and_then(Value::as_i64);
        let strings = |v: Vec<String>| Value::Array(v.into_iter().map(Value::String).collect());
        Ok(match c.func {
            Func::IsSet => Value::Bool(!arg(0).is_null()),
            Func::Not => Value::Bool(arg(0) == Value::Bool(false)),
            Func::BooleanEquals | Func::StringEquals => Value::Bool(!arg(0).is_null() && arg(0) == arg(1)),
            Func::GetAttr => {
                let path = text(1).ok_or("`getAttr` needs a path")?;
                get_path(&arg(0), &parse_path(path)?)
            }
            Func::Partition => match text(0) {
                Some(region) => self.partition(region)?,
                None => Value::Null,
            },
            Func::Substring => match (text(0), int(1), int(2), flag(3)) {
                (Some(s), Some(a), Some(b), Some(rev)) => match (usize::try_from(a), usize::try_from(b)) {
                    (Ok(a), Ok(b)) => functions::substring(s, a, b, rev).map_or(Value::Null, Value::from),
                    _ => Value::Null,
                },
                _ => Value::Null,
            },
            Func::UriEncode => text(0).map_or(Value::Null, |s| Value::String(functions::uri_encode(s))),
            Func::IsValidHostLabel => {
                Value::Bool(text(0).is_some_and(|s| functions::is_valid_host_label(s, flag(1).unwrap_or(false))))
            }
            Func::IsVirtualHostableS3Bucket => Value::Bool(
                text(0).is_some_and(|s| functions::is_virtual_hostable_s3_bucket(s, flag(1).unwrap_or(false))),
            ),
            Func::ParseUrl => text(0).and_then(functions::parse_url).map_or(Value::Null, |u| {
                serde_json::json!({"scheme": u.scheme, "authority": u.authority, "path": u.path,
                    "normalizedPath": u.normalized_path, "isIp": u.is_ip})
            }),
            Func::ParseArn => text(0).and_then(functions::parse_arn).map_or(Value::Null, |a| {
                serde_json::json!({"partition": a.partition, "service": a.service, "region": a.region,
                    "accountId": a.account_id, "resourceId": a.resource_id})
            }),
            Func::Split => match (text(0), text(1), int(2).and_then(|n| usize::try_from(n).ok())) {
                (Some(s), Some(d), Some(limit)) => strings(functions::split(s, d, limit)),
                _ => Value::Null,
            },
            Func::Coalesce => args.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null),
            Func::Ite => match flag(0) {
                Some(true) => arg(1),
                Some(false) => arg(2),
                None => Value::Null,
            },
        })
    }

    fn partition(&self, region: &str) -> Result<Value, String> {
        let list =
            self.partitions.and_then(|p| p.get("partitions")).and_then(Value::as_array).ok_or("no partition table")?;
        let listed =
            list.iter().find(|p| p.get("regions").and_then(Value::as_object).is_some_and(|r| r.contains_key(region)));
        let by_regex = || {
            list.iter().find(|p| region_matches(p.get("regionRegex").and_then(Value::as_str).unwrap_or("^$"), region))
        };
        let fallback = || list.iter().find(|p| p.get("id").and_then(Value::as_str) == Some("aws"));
        Ok(listed.or_else(by_regex).or_else(fallback).and_then(|p| p.get("outputs")).cloned().unwrap_or(Value::Null))
    }

    fn string(&self, e: &Expr, scope: &BTreeMap<String, Value>) -> Result<String, String> {
        let t = match e {
            Expr::Str(t) => t,
            _ => {
                return self.value(e, scope)?.as_str().map(str::to_owned).ok_or_else(|| "not a string".into());
            }
        };
        let mut out = String::new();
        for part in template_parts(t)? {
            let value = match &part {
                TemplatePart::Text(s) => {
                    out.push_str(s);
                    continue;
                }
                TemplatePart::Ref(name) => scope.get(name).cloned(),
                TemplatePart::Attr(name, attr) => {
                    let path = parse_path(attr)?;
                    scope.get(name).map(|v| get_path(v, &path))
                }
            };
            match value {
                Some(Value::String(s)) => out.push_str(&s),
                Some(Value::Bool(b)) => out.push_str(&b.to_string()),
                _ => return Err(format!("a placeholder of `{t}` is unset")),
            }
        }
        Ok(out)
    }
}

/// `getAttr`: follow the path's keys, then its index.
fn get_path(v: &Value, steps: &[PathStep]) -> Value {
    let mut v = v;
    for step in steps {
        let next = match step {
            PathStep::Key(k) => v.get(k.as_str()),
            PathStep::Index(i) => v.as_array().and_then(|a| {
                let i = if *i < 0 {
                    a.len().checked_sub(usize::try_from(i.unsigned_abs()).ok()?)?
                } else {
                    usize::try_from(*i).ok()?
                };
                a.get(i)
            }),
        };
        match next {
            Some(n) => v = n,
            None => return Value::Null,
        }
    }
    v.clone()
}

/// Whether `region` matches a partition's region pattern (ECMAScript meaning, as the generated crate checks it).
/// Compiled patterns are cached per thread: the same few are asked for every test case.
fn region_matches(pattern: &str, region: &str) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    /// A pattern's compiled checks (`None` when it cannot be planned).
    type Checks = Option<Vec<(regex::Regex, bool)>>;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Checks>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let compiled = cache.entry(pattern.to_owned()).or_insert_with(|| {
            let plan = crate::pattern::plan(pattern).ok()?;
            plan.checks.iter().map(|c| regex::Regex::new(&c.regex).ok().map(|r| (r, c.expect))).collect()
        });
        compiled.as_ref().is_some_and(|checks| checks.iter().all(|(r, expect)| r.is_match(region) == *expect))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_evaluates_a_small_rule_set() {
        let v = serde_json::json!({
            "parameters": {"Region": {"type": "String"}, "UseFIPS": {"type": "Boolean", "default": false}},
            "rules": [
                {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                 "type": "tree", "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                     "type": "endpoint", "endpoint": {"url": "https://fips.{Region}.example"}},
                    {"conditions": [], "type": "endpoint", "endpoint": {"url": "https://{Region}.example"}}
                 ]},
                {"conditions": [], "type": "error", "error": "Missing Region"}
            ]
        });
        let rules = parse(&v).unwrap();
        let p = |j: Value| j.as_object().cloned().unwrap();
        assert_eq!(
            evaluate(&rules, &p(serde_json::json!({"Region": "r1"})), None).unwrap(),
            Outcome::Endpoint("https://r1.example".into())
        );
        assert_eq!(
            evaluate(&rules, &p(serde_json::json!({"Region": "r1", "UseFIPS": true})), None).unwrap(),
            Outcome::Endpoint("https://fips.r1.example".into())
        );
        assert_eq!(evaluate(&rules, &p(serde_json::json!({})), None).unwrap(), Outcome::Error("Missing Region".into()));
        let bad = serde_json::json!({"parameters": {}, "rules": [{"conditions": [{"fn": "aws.colour", "argv": []}], "type": "error", "error": "x"}]});
        assert_eq!(parse(&bad).unwrap_err(), "rules[0]: unsupported rule-set function `aws.colour`");
    }

    #[test]
    fn templates_split_into_parts() {
        assert_eq!(
            template_parts("https://a.{Region}.{P#dnsSuffix}").unwrap(),
            [
                TemplatePart::Text("https://a.".into()),
                TemplatePart::Ref("Region".into()),
                TemplatePart::Text(".".into()),
                TemplatePart::Attr("P".into(), "dnsSuffix".into())
            ]
        );
        assert!(template_parts("x{open").is_err());
    }
}
