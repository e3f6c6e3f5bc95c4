//! Endpoint rule-set changes, as a summary: parameters added, removed or changed (type, required, default,
//! built-in), the rules, the compiled decision diagram, and the endpoint tests the generated crate runs.
//!
//! Classes: each parameter is a public field of `endpoint::Params` (a `#[non_exhaustive]` struct), so a new one is
//! additive and a removed one breaking, as is a change of its type or of `required` (the field's Rust type); a new
//! default or built-in changes what the client sends (behaviour), as does any change of the rules. The compiled form
//! (`smithy.rules#endpointBdd`) and the endpoint tests change no code a user calls: documentation, listed so that a
//! reviewer sees the generated tests move.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::Class;

/// One rule-set change: class, path (a parameter name, or empty) and detail.
pub(super) type RuleChange = (Class, String, String);

/// Compare the endpoint traits of two service shapes' traits.
pub(super) fn compare(old: &crate::model::Traits, new: &crate::model::Traits) -> Vec<RuleChange> {
    use crate::traits::{ENDPOINT_BDD, ENDPOINT_RULE_SET, ENDPOINT_TESTS};
    let mut out = Vec::new();
    let (ra, rb) = (old.get(ENDPOINT_RULE_SET), new.get(ENDPOINT_RULE_SET));
    match (ra, rb) {
        (None, Some(_)) => out.push((Class::Behavior, String::new(), "endpoint rule set added".to_owned())),
        (Some(_), None) => out.push((Class::Behavior, String::new(), "endpoint rule set removed".to_owned())),
        _ => {}
    }
    let empty = Map::new();
    let params = |r: Option<&Value>| r.and_then(|r| r.get("parameters")).and_then(Value::as_object).cloned();
    let (pa, pb) = (params(ra).unwrap_or_else(|| empty.clone()), params(rb).unwrap_or(empty));
    let names: BTreeSet<&String> = pa.keys().chain(pb.keys()).collect();
    for name in names {
        let mut push = |class, detail: String| out.push((class, name.clone(), detail));
        match (pa.get(name), pb.get(name)) {
            (None, Some(p)) => push(Class::Additive, format!("new parameter `{name}` ({})", describe(p))),
            (Some(p), None) => push(Class::Breaking, format!("parameter `{name}` removed (was {})", describe(p))),
            (Some(x), Some(y)) => {
                let (tx, ty) = (text(x, "type").to_ascii_lowercase(), text(y, "type").to_ascii_lowercase());
                if tx != ty {
                    push(Class::Breaking, format!("parameter `{name}`: type changed from {tx} to {ty}"));
                }
                let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
                if required(x) != required(y) {
                    let now = if required(y) { "required" } else { "optional" };
                    push(
                        Class::Breaking,
                        format!("parameter `{name}`: now {now} (its `endpoint::Params` field changes type)"),
                    );
                }
                for (key, label) in [("default", "default"), ("builtIn", "built-in")] {
                    if x.get(key) != y.get(key) {
                        let show = |p: &Value| p.get(key).map_or("none".to_owned(), |v| format!("`{}`", plain(v)));
                        push(
                            Class::Behavior,
                            format!("parameter `{name}`: {label} changed from {} to {}", show(x), show(y)),
                        );
                    }
                }
                if x.get("documentation") != y.get("documentation") {
                    push(Class::Documentation, format!("parameter `{name}`: documentation changed"));
                }
            }
            (None, None) => {}
        }
    }
    let rules = |r: Option<&Value>| r.and_then(|r| r.get("rules")).cloned();
    let (rules_a, rules_b) = (rules(ra), rules(rb));
    if ra.is_some() && rb.is_some() && rules_a != rules_b {
        let (ca, cb) = (count(rules_a.as_ref()), count(rules_b.as_ref()));
        out.push((
            Class::Behavior,
            String::new(),
            format!("rules changed: {} before, {} now (endpoint, error and tree rules)", ca.show(), cb.show()),
        ));
    }
    match (old.get(ENDPOINT_BDD), new.get(ENDPOINT_BDD)) {
        (None, Some(_)) => {
            out.push((Class::Documentation, String::new(), "the compiled rules (`endpointBdd`) added".into()))
        }
        (Some(_), None) => {
            out.push((Class::Documentation, String::new(), "the compiled rules (`endpointBdd`) removed".into()))
        }
        (Some(x), Some(y)) if x != y => {
            out.push((Class::Documentation, String::new(), "the compiled rules (`endpointBdd`) changed".into()))
        }
        _ => {}
    }
    let cases = |t: Option<&Value>| -> Vec<Value> {
        let list = t.and_then(|t| t.get("testCases")).and_then(Value::as_array).cloned().unwrap_or_default();
        // Descriptions are prose (the project rewrites them): a case is its parameters and its expectation.
        list.into_iter()
            .map(|mut c| {
                if let Some(o) = c.as_object_mut() {
                    o.remove("documentation");
                }
                c
            })
            .collect()
    };
    let (ta, tb) = (cases(old.get(ENDPOINT_TESTS)), cases(new.get(ENDPOINT_TESTS)));
    let removed = ta.iter().filter(|c| !tb.contains(c)).count();
    let added = tb.iter().filter(|c| !ta.contains(c)).count();
    if removed + added > 0 {
        out.push((
            Class::Documentation,
            String::new(),
            format!(
                "endpoint tests: {added} added, {removed} removed ({} before, {} now); the generated endpoint tests change",
                ta.len(),
                tb.len()
            ),
        ));
    }
    out
}

fn text<'a>(p: &'a Value, key: &str) -> &'a str {
    p.get(key).and_then(Value::as_str).unwrap_or("")
}

fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// A parameter in a few words: `string, optional, built-in AWS::Region`.
fn describe(p: &Value) -> String {
    let mut parts = vec![text(p, "type").to_ascii_lowercase()];
    let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
    parts.push(if required { "required" } else { "optional" }.to_owned());
    if let Some(d) = p.get("default") {
        parts.push(format!("default `{}`", plain(d)));
    }
    if let Some(b) = p.get("builtIn").and_then(Value::as_str) {
        parts.push(format!("built-in `{b}`"));
    }
    parts.join(", ")
}

/// Rules by kind, counted through every tree.
#[derive(Default)]
struct Count {
    endpoint: usize,
    error: usize,
    tree: usize,
}

impl Count {
    fn show(&self) -> String {
        format!("{}/{}/{}", self.endpoint, self.error, self.tree)
    }
}

fn count(rules: Option<&Value>) -> Count {
    let mut c = Count::default();
    let mut stack: Vec<&Value> = rules.and_then(Value::as_array).map(|l| l.iter().collect()).unwrap_or_default();
    // An explicit stack: a hostile rule tree of any depth is counted in constant stack space.
    while let Some(r) = stack.pop() {
        match r.get("type").and_then(Value::as_str) {
            Some("endpoint") => c.endpoint += 1,
            Some("error") => c.error += 1,
            Some("tree") => {
                c.tree += 1;
                if let Some(l) = r.get("rules").and_then(Value::as_array) {
                    stack.extend(l.iter());
                }
            }
            _ => {}
        }
    }
    c
}
