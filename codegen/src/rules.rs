//! A small evaluator for endpoint rule sets, used at codegen time to check each `smithy.rules#endpointTests` entry
//! against the partition table the crate carries (the generated resolver is Rust code; this is its reference).
//!
//! It supports the same functions as the generated resolver: `isSet`, `not`, `booleanEquals`, `stringEquals`,
//! `getAttr` and `aws.partition`.

use std::collections::BTreeMap;

use serde_json::Value;

/// What the rules resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An endpoint URL.
    Endpoint(String),
    /// A rule-set error message.
    Error(String),
}

/// Evaluate `rule_set` for `params` (missing parameters take their defaults).
pub fn evaluate(
    rule_set: &Value,
    params: &serde_json::Map<String, Value>,
    partitions: Option<&Value>,
) -> Result<Outcome, String> {
    let mut scope: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(defs) = rule_set.get("parameters").and_then(Value::as_object) {
        for (name, def) in defs {
            let v = params.get(name).cloned().or_else(|| def.get("default").cloned()).unwrap_or(Value::Null);
            scope.insert(name.clone(), v);
        }
    }
    let rules = rule_set.get("rules").and_then(Value::as_array).ok_or("no rules")?;
    let ctx = Ctx { partitions };
    match ctx.rules(rules, &scope)? {
        Some(o) => Ok(o),
        None => Ok(Outcome::Error("no endpoint rule matched the parameters".into())),
    }
}

struct Ctx<'a> {
    partitions: Option<&'a Value>,
}

impl Ctx<'_> {
    fn rules(&self, rules: &[Value], scope: &BTreeMap<String, Value>) -> Result<Option<Outcome>, String> {
        for rule in rules {
            let mut local = scope.clone();
            let conditions = rule.get("conditions").and_then(Value::as_array).cloned().unwrap_or_default();
            let mut ok = true;
            for c in &conditions {
                let v = self.call(c, &local)?;
                if let Some(name) = c.get("assign").and_then(Value::as_str) {
                    local.insert(name.to_owned(), v.clone());
                }
                if v.is_null() || v == Value::Bool(false) {
                    ok = false;
                    break;
                }
            }
            if !ok {
                continue;
            }
            return match rule.get("type").and_then(Value::as_str) {
                Some("endpoint") => {
                    let url = rule.get("endpoint").and_then(|e| e.get("url")).ok_or("endpoint without url")?;
                    Ok(Some(Outcome::Endpoint(self.string(url, &local)?)))
                }
                Some("error") => Ok(Some(Outcome::Error(self.string(rule.get("error").ok_or("error rule")?, &local)?))),
                Some("tree") => {
                    let inner = rule.get("rules").and_then(Value::as_array).ok_or("tree without rules")?;
                    Ok(Some(
                        self.rules(inner, &local)?
                            .unwrap_or(Outcome::Error("no endpoint rule matched the parameters".into())),
                    ))
                }
                other => Err(format!("unknown rule type {other:?}")),
            };
        }
        Ok(None)
    }

    fn arg(&self, v: &Value, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        if let Some(r) = v.get("ref").and_then(Value::as_str) {
            return Ok(scope.get(r).cloned().unwrap_or(Value::Null));
        }
        if v.get("fn").is_some() {
            return self.call(v, scope);
        }
        if let Some(s) = v.as_str() {
            return Ok(Value::String(self.string(&Value::String(s.to_owned()), scope)?));
        }
        Ok(v.clone())
    }

    fn call(&self, c: &Value, scope: &BTreeMap<String, Value>) -> Result<Value, String> {
        let f = c.get("fn").and_then(Value::as_str).ok_or("condition without fn")?;
        let argv = c.get("argv").and_then(Value::as_array).cloned().unwrap_or_default();
        let args: Vec<Value> = argv.iter().map(|a| self.arg(a, scope)).collect::<Result<_, _>>()?;
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
        Ok(match f {
            "isSet" => Value::Bool(!arg(0).is_null()),
            "not" => Value::Bool(arg(0) == Value::Bool(false)),
            "booleanEquals" | "stringEquals" => Value::Bool(!arg(0).is_null() && arg(0) == arg(1)),
            "getAttr" => {
                let path = arg(1);
                let key = path.as_str().ok_or("getAttr path")?;
                arg(0).get(key).cloned().unwrap_or(Value::Null)
            }
            "aws.partition" => {
                let region = arg(0);
                let Some(region) = region.as_str() else { return Ok(Value::Null) };
                self.partition(region)?
            }
            other => return Err(format!("unsupported function `{other}`")),
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

    fn string(&self, v: &Value, scope: &BTreeMap<String, Value>) -> Result<String, String> {
        if v.get("ref").is_some() {
            return self.arg(v, scope)?.as_str().map(str::to_owned).ok_or_else(|| "reference is not a string".into());
        }
        let t = v.as_str().ok_or("template is not a string")?;
        let mut out = String::new();
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or("unclosed placeholder")?;
            let ph = &after[..close];
            let value = match ph.split_once('#') {
                Some((name, attr)) => scope.get(name).and_then(|p| p.get(attr)).cloned(),
                None => scope.get(ph).cloned(),
            };
            match value {
                Some(Value::String(s)) => out.push_str(&s),
                Some(Value::Bool(b)) => out.push_str(&b.to_string()),
                _ => return Err(format!("placeholder `{ph}` is unset")),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
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
