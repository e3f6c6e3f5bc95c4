//! Waiter changes: each `@smithy.waiters#waitable` waiter of an operation added, removed, deprecated, or changed in
//! its acceptors or delays.
//!
//! Classes: a new waiter is a new `wait_until_*` method (additive); a removed one takes the method away (breaking);
//! a change of its acceptors (state, matcher, path, comparator, expected value, order) or of its delays keeps the
//! method and changes when it returns (behaviour); documentation is documentation; `deprecated` set is additive (the
//! method gets `#[deprecated]`, a minor change for cargo-semver-checks) and cleared is documentation.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Class;

/// One waiter change: class, path (the waiter's name) and detail.
pub(super) type WaiterChange = (Class, String, String);

/// The changes between two `@smithy.waiters#waitable` values (absent is no waiter).
pub(super) fn compare(old: Option<&Value>, new: Option<&Value>) -> Vec<WaiterChange> {
    let empty = serde_json::Map::new();
    let (a, b) = (old.and_then(Value::as_object).unwrap_or(&empty), new.and_then(Value::as_object).unwrap_or(&empty));
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let mut push = |class, detail: String| out.push((class, name.clone(), detail));
        let [method, ..] = crate::ident::waiter_names(name);
        let method = format!("`{method}`");
        match (a.get(name), b.get(name)) {
            (None, Some(_)) => push(Class::Additive, format!("new waiter `{name}` ({method})")),
            (Some(_), None) => push(Class::Breaking, format!("waiter `{name}` removed ({method} is gone)")),
            (Some(x), Some(y)) if x != y => {
                for (key, default) in [("minDelay", 2), ("maxDelay", 120)] {
                    let delay = |w: &Value| w.get(key).and_then(Value::as_u64).unwrap_or(default);
                    if delay(x) != delay(y) {
                        push(Class::Behavior, format!("{key} changed from {} s to {} s", delay(x), delay(y)));
                    }
                }
                acceptors(x, y, &mut push);
                let deprecated = |w: &Value| w.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
                match (deprecated(x), deprecated(y)) {
                    (false, true) => push(Class::Additive, format!("deprecated ({method} is `#[deprecated]`)")),
                    (true, false) => push(Class::Documentation, "no longer deprecated".into()),
                    _ => {}
                }
                if x.get("documentation") != y.get("documentation") {
                    push(Class::Documentation, "documentation changed".into());
                }
            }
            _ => {}
        }
    }
    out
}

/// Acceptor changes, all behaviour: position by position when the count is the same (naming what changed in each),
/// else the acceptors only one side has.
fn acceptors(x: &Value, y: &Value, push: &mut impl FnMut(Class, String)) {
    let list = |w: &Value| w.get("acceptors").and_then(Value::as_array).cloned().unwrap_or_default();
    let (a, b) = (list(x), list(y));
    if a == b {
        return;
    }
    if a.len() == b.len() {
        let (sa, sb): (BTreeSet<String>, BTreeSet<String>) =
            (a.iter().map(describe).collect(), b.iter().map(describe).collect());
        if sa == sb {
            push(Class::Behavior, "acceptors reordered (the first that matches decides)".into());
            return;
        }
        for (i, (p, q)) in a.iter().zip(&b).enumerate() {
            if p != q {
                let what = changed_fields(p, q).join(", ");
                push(Class::Behavior, format!("acceptor {i} changed ({what}) from {} to {}", describe(p), describe(q)));
            }
        }
        return;
    }
    let (da, db): (Vec<String>, Vec<String>) = (a.iter().map(describe).collect(), b.iter().map(describe).collect());
    for (i, d) in da.iter().enumerate() {
        if !db.contains(d) {
            push(Class::Behavior, format!("acceptor {i} removed: {d}"));
        }
    }
    for (i, d) in db.iter().enumerate() {
        if !da.contains(d) {
            push(Class::Behavior, format!("new acceptor {i}: {d}"));
        }
    }
}

/// Which parts of an acceptor differ: `state`, `matcher` (its kind), `path`, `comparator`, `expected`.
fn changed_fields(p: &Value, q: &Value) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.get("state") != q.get("state") {
        out.push("state");
    }
    let (mp, mq) = (matcher(p), matcher(q));
    if mp.0 != mq.0 {
        out.push("matcher");
    } else {
        for field in ["path", "comparator", "expected"] {
            if mp.1.and_then(|v| v.get(field)) != mq.1.and_then(|v| v.get(field)) {
                out.push(field);
            }
        }
        if out.is_empty() {
            out.push("expected");
        }
    }
    out
}

fn matcher(a: &Value) -> (String, Option<&Value>) {
    match a.get("matcher").and_then(Value::as_object).and_then(|m| m.iter().next()) {
        Some((k, v)) => (k.clone(), Some(v)),
        None => (String::new(), None),
    }
}

/// An acceptor in one line: `success when output `Status` stringEquals `"Done"``, `failure on error `NotFound``,
/// `retry when the call succeeds`.
pub(super) fn describe(a: &Value) -> String {
    let state = a.get("state").and_then(Value::as_str).unwrap_or("?");
    let (kind, v) = matcher(a);
    let s = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).unwrap_or("");
    let when = match (kind.as_str(), v) {
        ("output" | "inputOutput", _) => {
            format!("when {kind} `{}` {} `{:?}`", s("path"), s("comparator"), s("expected"))
        }
        ("success", Some(Value::Bool(true))) => "when the call succeeds".to_owned(),
        ("success", _) => "when the call fails".to_owned(),
        ("errorType", Some(Value::String(e))) => format!("on error `{e}`"),
        (k, v) => format!("on {k} {}", v.map(Value::to_string).unwrap_or_default()),
    };
    format!("`{state}` {when}")
}
