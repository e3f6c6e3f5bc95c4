//! Endpoint rule sets (`smithy.rules#endpointRuleSet`) as a typed tree, parsed once when the IR is built, and a small
//! evaluator for them. The IR ([`crate::ir::endpoints`]) lowers the tree, checked, for the emitter to turn into the
//! crate's resolver; the evaluator checks each `smithy.rules#endpointTests` entry at codegen time against the
//! partition table the crate carries (the generated resolver is Rust code; this is its reference).
//!
//! Supported functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr` on a partition result, and
//! `aws.partition`. Anything else is an error when the rule set is parsed.

use std::collections::BTreeMap;

use serde_json::Value;

/// A parsed rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The parameters, by name order.
    pub params: Vec<Param>,
    /// The top-level rules, in order.
    pub rules: Vec<Rule>,
}

/// A rule-set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name, e.g. `UseFIPS`.
    pub name: String,
    /// `String` (true) or `Boolean` (false).
    pub string: bool,
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

/// The supported functions.
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
}

/// An argument or value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A parameter or an assigned name.
    Ref(String),
    /// A boolean literal.
    Bool(bool),
    /// A string, possibly a template with `{Name}` and `{Name#attr}` placeholders.
    Str(String),
    /// A nested call.
    Call(Box<Call>),
}

/// Parse a rule set; errors name what is wrong.
pub fn parse(v: &Value) -> Result<RuleSet, String> {
    let defs = v.get("parameters").and_then(Value::as_object).ok_or("the rule set has no `parameters`")?;
    let mut params = Vec::new();
    for (name, p) in defs {
        check_name("parameter", name)?;
        let ty = p.get("type").and_then(Value::as_str).unwrap_or("String");
        let string = match ty.to_ascii_lowercase().as_str() {
            "string" => true,
            "boolean" => false,
            other => return Err(format!("parameter `{name}` has unsupported type `{other}`")),
        };
        params.push(Param {
            name: name.clone(),
            string,
            default: p.get("default").cloned(),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            built_in: p.get("builtIn").and_then(Value::as_str).map(str::to_owned),
            docs: p.get("documentation").and_then(Value::as_str).map(str::to_owned),
        });
    }
    let rules = v.get("rules").and_then(Value::as_array).ok_or("the rule set has no `rules`")?;
    Ok(RuleSet { params, rules: rules.iter().map(parse_rule).collect::<Result<_, _>>()? })
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
    let func = match name {
        "isSet" => Func::IsSet,
        "not" => Func::Not,
        "booleanEquals" => Func::BooleanEquals,
        "stringEquals" => Func::StringEquals,
        "getAttr" => Func::GetAttr,
        "aws.partition" => Func::Partition,
        other => return Err(format!("unsupported rule-set function `{other}`")),
    };
    let args = match c.get("argv").and_then(Value::as_array) {
        Some(a) => a.iter().map(parse_expr).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
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
        other => Err(format!("unsupported rule-set value {other}")),
    }
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
    Ok(ctx.rules(&rules.rules, &scope)?.unwrap_or(Outcome::Error(NO_MATCH.into())))
}

struct Ctx<'a> {
    partitions: Option<&'a Value>,
}

impl Ctx<'_> {
    fn rules(&self, rules: &[Rule], scope: &BTreeMap<String, Value>) -> Result<Option<Outcome>, String> {
        'rules: for rule in rules {
            let mut local = scope.clone();
            for c in &rule.conditions {
                let v = self.call(c, &local)?;
                if let Some(name) = &c.assign {
                    local.insert(name.clone(), v.clone());
                }
                if v.is_null() || v == Value::Bool(false) {
                    continue 'rules;
                }
            }
            return Ok(Some(match &rule.kind {
                RuleKind::Endpoint(url) => Outcome::Endpoint(self.string(url, &local)?),
                RuleKind::Error(msg) => Outcome::Error(self.string(msg, &local)?),
                RuleKind::Tree(inner) => self.rules(inner, &local)?.unwrap_or(Outcome::Error(NO_MATCH.into())),
            }));
        }
        Ok(None)
    }

    fn value(&self, e: &Expr, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        Ok(match e {
            Expr::Ref(r) => scope.get(r).cloned().unwrap_or(Value::Null),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Str(_) => Value::String(self.string(e, scope)?),
            Expr::Call(c) => self.call(c, scope)?,
        })
    }

    fn call(&self, c: &Call, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        let args: Vec<Value> = c.args.iter().map(|a| self.value(a, scope)).collect::<Result<_, _>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        Ok(match c.func {
            Func::IsSet => Value::Bool(!arg(0).is_null()),
            Func::Not => Value::Bool(arg(0) == Value::Bool(false)),
            Func::BooleanEquals | Func::StringEquals => Value::Bool(!arg(0).is_null() && arg(0) == arg(1)),
            Func::GetAttr => {
                let path = arg(1);
                let key = path.as_str().ok_or("getAttr path")?;
                arg(0).get(key).cloned().unwrap_or(Value::Null)
            }
            Func::Partition => match arg(0).as_str() {
                Some(region) => self.partition(region)?,
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
            Expr::Ref(_) => {
                return self.value(e, scope)?.as_str().map(str::to_owned).ok_or_else(|| "not a string".into())
            }
            Expr::Str(t) => t,
            _ => return Err("not a string".into()),
        };
        let mut out = String::new();
        for part in template_parts(t)? {
            let value = match &part {
                TemplatePart::Text(s) => {
                    out.push_str(s);
                    continue;
                }
                TemplatePart::Ref(name) => scope.get(name).cloned(),
                TemplatePart::Attr(name, attr) => scope.get(name).and_then(|p| p.get(attr)).cloned(),
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
        let bad = serde_json::json!({"parameters": {}, "rules": [{"conditions": [{"fn": "substring", "argv": []}], "type": "error", "error": "x"}]});
        assert_eq!(parse(&bad).unwrap_err(), "unsupported rule-set function `substring`");
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
