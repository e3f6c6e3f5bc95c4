//! `cargo xtask import`: derive the project's model file from an upstream AWS model.
//!
//! The project's model holds the upstream *facts* for the selected operations (every shape of their closure, every
//! constraint and protocol trait, the endpoint rules and tests) and the project's *own* documentation. Import keeps
//! the two apart: it takes the closure from upstream with every documentation string removed, then puts back the
//! documentation the project already wrote for shapes and members that still exist (or from a JSON file of new
//! texts), and reports what still lacks documentation. Endpoint test descriptions are rewritten from the test's
//! parameters. Last, the project's overlay (`[model] overlay`: `apply` statements, such as the project's own waiters)
//! is merged in, so that what the project adds to upstream's facts survives every import.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Model, Shape, ShapeId};
use crate::resolve::{self, Selection};

const DOC: &str = crate::traits::DOCUMENTATION;
const RULES: &str = crate::traits::ENDPOINT_RULE_SET;
const TESTS: &str = crate::traits::ENDPOINT_TESTS;
/// The traits whose `parameters` carry documentation: the rule set and its compiled form (both list the same
/// parameters, documented under one `ruleset-parameter:` key each).
const PARAMETER_TRAITS: [&str; 2] = [RULES, crate::traits::ENDPOINT_BDD];
/// Key prefix for endpoint rule-set parameter docs in a docs map.
pub const PARAM_PREFIX: &str = "ruleset-parameter:";

/// Documentation texts by key: `ns#Shape`, `ns#Shape$member`, or `ruleset-parameter:Name`.
pub type DocMap = BTreeMap<String, String>;

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The new project model.
    pub model: Model,
    /// Keys that have no documentation yet (new shapes or members).
    pub undocumented: Vec<String>,
    /// Keys whose documentation was dropped because the shape or member is gone.
    pub dropped: Vec<String>,
}

/// Build the project model from `upstream`, keeping docs from `existing` (the current project model) and `extra`,
/// and merging the traits of `overlay`. The closure of `tables` (the pipeline-definition step kinds' structures,
/// [`resolve::resolve_with_tables`]) is kept too, as facts only: the shapes the selection does not reach carry no
/// documentation (they become schema tables, not documented Rust types) and are not reported as undocumented.
pub fn import(
    upstream: &Model,
    service: Option<&str>,
    selection: &Selection,
    tables: &[String],
    existing: Option<&Model>,
    extra: &DocMap,
    overlay: Option<&Model>,
) -> Result<Imported> {
    let resolved = resolve::resolve_with_tables(upstream, service, selection, tables)?;
    let mut docs = existing.map(collect_docs).unwrap_or_default();
    docs.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));

    // Only what upstream documents is reported as missing; upstream's undocumented shapes may stay so.
    let upstream_docs = collect_docs(&Model {
        smithy: String::new(),
        metadata: BTreeMap::new(),
        shapes: resolved
            .shapes
            .clone()
            .into_iter()
            .chain([(resolved.service_id.clone(), Shape::Service(resolved.service.clone()))])
            .collect(),
    });
    let mut shapes: BTreeMap<ShapeId, Shape> = BTreeMap::new();
    for (id, shape) in &resolved.shapes {
        if id.starts_with("smithy.api#") {
            continue;
        }
        shapes.insert(id.clone(), strip_docs(shape.clone()));
    }
    let mut service_shape = Shape::Service(resolved.service.clone());
    strip_service_docs(&mut service_shape);
    shapes.insert(resolved.service_id.clone(), service_shape);

    let mut used = Vec::new();
    let mut undocumented = Vec::new();
    for (id, shape) in shapes.iter_mut() {
        put_doc(shape.traits_mut(), id, &docs, &mut used, &mut undocumented);
        if matches!(shape, Shape::Structure(_) | Shape::Union(_) | Shape::Enum(_) | Shape::IntEnum(_)) {
            for (name, member) in shape.all_members_mut() {
                let key = format!("{id}${name}");
                put_doc(&mut member.traits, &key, &docs, &mut used, &mut undocumented);
            }
        }
        if let Shape::Service(s) = shape {
            for t in PARAMETER_TRAITS {
                let Some(params) =
                    s.traits.0.get_mut(t).and_then(|r| r.get_mut("parameters")).and_then(Value::as_object_mut)
                else {
                    continue;
                };
                for (name, p) in params.iter_mut() {
                    let key = format!("{PARAM_PREFIX}{name}");
                    match docs.get(&key) {
                        Some(text) => {
                            if let Some(obj) = p.as_object_mut() {
                                obj.insert("documentation".into(), Value::String(text.clone()));
                            }
                            used.push(key);
                        }
                        None if upstream_docs.contains_key(&key) => undocumented.push(key),
                        None => {}
                    }
                }
            }
            if let Some(cases) =
                s.traits.0.get_mut(TESTS).and_then(|t| t.get_mut("testCases")).and_then(Value::as_array_mut)
            {
                for case in cases.iter_mut() {
                    let text = describe_test(case);
                    if let Some(obj) = case.as_object_mut() {
                        obj.insert("documentation".into(), Value::String(text));
                    }
                }
            }
        }
    }
    for (id, shape) in &resolved.tables {
        if !shapes.contains_key(id) && !id.starts_with("smithy.api#") {
            shapes.insert(id.clone(), strip_docs(shape.clone()));
        }
    }
    undocumented.retain(|k| upstream_docs.contains_key(k));
    // A parameter documented in both the rule set and its compiled form is listed once.
    undocumented.sort();
    undocumented.dedup();
    used.sort();
    let dropped = docs.keys().filter(|k| used.binary_search(k).is_err()).cloned().collect();
    if let Some(overlay) = overlay {
        apply_overlay(&mut shapes, overlay)?;
    }
    Ok(Imported {
        model: Model { smithy: upstream.smithy.clone(), metadata: BTreeMap::new(), shapes },
        undocumented,
        dropped,
    })
}

/// The facts file of each `[models]` entry of the definitions settings that has an upstream model: the closure of
/// the shapes the step kinds name in its namespace (`roots`, from
/// [`crate::config::Definitions::roots_by_namespace`]; its entry is taken off), without documentation, as Smithy
/// JSON AST text, by the file's path; an entry whose upstream file is absent is left out.
pub fn model_facts(
    d: &crate::config::Definitions,
    roots: &mut BTreeMap<String, Vec<String>>,
) -> Result<Vec<(std::path::PathBuf, String)>> {
    let mut out = Vec::new();
    for file in d.models.values() {
        let named = roots.remove(&file.namespace).unwrap_or_default();
        let Some(upstream) = &file.upstream else { continue };
        let from = d.dir.join(upstream);
        // Without its upstream file (a copy of the project elsewhere), the committed facts stay as they are.
        if !from.is_file() {
            continue;
        }
        let model = crate::model::load(&from)?;
        let shapes = resolve::closure_of(&model, &named).map_err(|e| e.in_file(&from))?;
        let shapes = shapes.into_iter().map(|(id, shape)| (id, strip_docs(shape))).collect();
        let facts = Model { smithy: model.smithy.clone(), metadata: BTreeMap::new(), shapes };
        out.push((d.dir.join(&file.path), crate::model::to_json(&facts)?));
    }
    Ok(out)
}

/// Merge the project's overlay into `shapes`: each of its shapes is an `apply` statement whose traits are added to
/// the target shape (or `shape$member`). A `smithy.waiters#waitable` map is merged waiter by waiter; any other trait
/// the target already has must be equal. Errors name the overlay's shape: a target upstream removed, a waiter name
/// upstream now uses, a trait upstream now sets differently.
pub fn apply_overlay(shapes: &mut BTreeMap<ShapeId, Shape>, overlay: &Model) -> Result<()> {
    for (id, shape) in &overlay.shapes {
        let at = crate::error::shape_path(id);
        let Shape::Apply(apply) = shape else {
            return Err(Error::at(at, "the overlay holds only `apply` statements"));
        };
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id.as_str(), None),
        };
        let Some(target) = shapes.get_mut(shape_id) else {
            return Err(Error::at(
                at,
                format!("the overlay applies traits to `{shape_id}`, which upstream no longer has"),
            ));
        };
        let traits = match member {
            None => target.traits_mut(),
            Some(m) => match target.all_members_mut().into_iter().find(|(n, _)| *n == m) {
                Some((_, member)) => &mut member.traits,
                None => {
                    return Err(Error::at(
                        at,
                        format!("the overlay applies traits to `{id}`, which upstream no longer has"),
                    ))
                }
            },
        };
        for (trait_id, value) in &apply.traits.0 {
            match (traits.0.get_mut(trait_id), value) {
                (None, _) => {
                    traits.0.insert(trait_id.clone(), value.clone());
                }
                (Some(Value::Object(theirs)), Value::Object(ours)) if trait_id == crate::traits::WAITABLE => {
                    for (name, waiter) in ours {
                        if theirs.keys().any(|k| k.eq_ignore_ascii_case(name)) {
                            return Err(Error::at(
                                &at,
                                format!("upstream now defines a waiter `{name}` on `{id}`; remove the overlay's"),
                            ));
                        }
                        theirs.insert(name.clone(), waiter.clone());
                    }
                }
                (Some(theirs), ours) if theirs == ours => {}
                (Some(_), _) => {
                    return Err(Error::at(
                        &at,
                        format!("upstream now sets `{trait_id}` on `{id}` differently; reconcile the overlay with it"),
                    ))
                }
            }
        }
    }
    Ok(())
}

fn put_doc(
    traits: &mut crate::model::Traits,
    key: &str,
    docs: &DocMap,
    used: &mut Vec<String>,
    missing: &mut Vec<String>,
) {
    match docs.get(key) {
        Some(text) => {
            traits.0.insert(DOC.into(), Value::String(text.clone()));
            used.push(key.to_owned());
        }
        None => missing.push(key.to_owned()),
    }
}

/// Every documentation string of a model by key.
pub fn collect_docs(model: &Model) -> DocMap {
    let mut out = DocMap::new();
    for (id, shape) in &model.shapes {
        if let Some(d) = shape.traits().documentation() {
            out.insert(id.clone(), d.to_owned());
        }
        for (name, m) in shape.all_members() {
            if let Some(d) = m.traits.documentation() {
                out.insert(format!("{id}${name}"), d.to_owned());
            }
        }
        // The rule set's text wins over the compiled form's, if they differ.
        for t in PARAMETER_TRAITS.iter().rev() {
            if let Some(params) = shape.traits().get(t).and_then(|r| r.get("parameters")).and_then(Value::as_object) {
                for (name, p) in params {
                    if let Some(d) = p.get("documentation").and_then(Value::as_str) {
                        out.insert(format!("{PARAM_PREFIX}{name}"), d.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// Remove every documentation string from a shape and its members (facts remain).
pub fn strip_docs(mut shape: Shape) -> Shape {
    shape.traits_mut().0.remove(DOC);
    for (_, m) in shape.all_members_mut() {
        m.traits.0.remove(DOC);
    }
    strip_service_docs(&mut shape);
    shape
}

fn strip_service_docs(shape: &mut Shape) {
    let Shape::Service(s) = shape else { return };
    s.traits.0.remove(DOC);
    for t in PARAMETER_TRAITS {
        if let Some(params) = s.traits.0.get_mut(t).and_then(|r| r.get_mut("parameters")).and_then(Value::as_object_mut)
        {
            for p in params.values_mut() {
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("documentation");
                }
            }
        }
    }
    if let Some(cases) = s.traits.0.get_mut(TESTS).and_then(|t| t.get_mut("testCases")).and_then(Value::as_array_mut) {
        for case in cases.iter_mut() {
            if let Some(obj) = case.as_object_mut() {
                obj.remove("documentation");
            }
        }
    }
}

/// A description of an endpoint test case written from its parameters, e.g.
/// `Region=us-east-1, UseFIPS=true, UseDualStack=false → https://… ` or `… → error`.
pub fn describe_test(case: &Value) -> String {
    let params = case
        .get("params")
        .and_then(Value::as_object)
        .map(|p| {
            let mut keys: Vec<&String> = p.keys().collect();
            keys.sort();
            keys.iter()
                .map(|k| match &p[*k] {
                    Value::String(s) => format!("{k}={s}"),
                    v => format!("{k}={v}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let params = if params.is_empty() { "no parameters".to_owned() } else { params };
    let expect = case.get("expect");
    match (
        expect.and_then(|e| e.get("endpoint")).and_then(|e| e.get("url")).and_then(Value::as_str),
        expect.and_then(|e| e.get("error")),
    ) {
        (Some(url), _) => format!("{params} resolves to {url}"),
        (None, Some(_)) => format!("{params} is rejected"),
        _ => params,
    }
}

/// The model of the service directory `service_dir` (`sagemaker`) in an `aws/api-models-aws` checkout:
/// `models/<service_dir>/service/<version>/<service_dir>-<version>.json` (the repository's layout; early snapshots
/// had no `models/` level, which is accepted too). With several versions, the newest (by name) is taken.
pub fn model_in_checkout(dir: &std::path::Path, service_dir: &str) -> Result<std::path::PathBuf> {
    let mut found = Vec::new();
    for base in [dir.join("models").join(service_dir), dir.join(service_dir)] {
        let Ok(versions) = std::fs::read_dir(base.join("service")) else { continue };
        for v in versions.flatten() {
            let version = v.file_name().to_string_lossy().into_owned();
            let file = v.path().join(format!("{service_dir}-{version}.json"));
            if file.is_file() {
                found.push((version, file));
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    found.sort();
    found.pop().map(|(_, f)| f).ok_or_else(|| {
        Error::new(format!(
            "no models/{service_dir}/service/<version>/{service_dir}-<version>.json in {}: is it an aws/api-models-aws \
checkout?",
            dir.display()
        ))
    })
}

/// The commit a git checkout is at and its committer date (ISO 8601), or `None` when `dir` is no git checkout: the
/// top of a work tree, or a bare repository. A directory inside some other repository's work tree (an unpacked
/// archive of the models under this project, say) is none, so that repository's commit is not recorded as the models'.
pub fn checkout_revision(dir: &std::path::Path) -> Option<(String, String)> {
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8(out.stdout).ok()).flatten()
    };
    if git(&["rev-parse", "--is-bare-repository"])?.trim() != "true" {
        let top = git(&["rev-parse", "--show-toplevel"])?;
        let same = |a: &std::path::Path, b: &std::path::Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !same(std::path::Path::new(top.trim()), dir) {
            return None;
        }
    }
    let text = git(&["log", "-1", "--format=%H %cI"])?;
    let (commit, date) = text.trim().split_once(' ')?;
    (commit.len() >= 40).then(|| (commit.to_owned(), date.to_owned()))
}

/// Read a docs map from JSON text (`{"ns#Shape": "text", ...}`).
pub fn parse_doc_map(text: &str) -> Result<DocMap> {
    serde_json::from_str(text)
        .map_err(|e| Error::at(format!("line {}, column {}", e.line(), e.column()), format!("invalid docs file: {e}")))
}

#[cfg(test)]
mod tests {
    use super::checkout_revision;

    /// A repository's top directory has a revision; a directory inside it, or outside any repository, has none.
    #[test]
    fn only_the_top_of_a_checkout_has_a_revision() {
        let git_works = std::process::Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
        if !git_works {
            eprintln!("skipped: git is not installed");
            return;
        }
        let base = std::env::temp_dir().join(format!("codegen-checkout-revision-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let repo = base.join("repo");
        let inner = repo.join("models/unpacked");
        std::fs::create_dir_all(&inner).unwrap();
        let outside = base.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .arg("-C")
                .arg(&repo)
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
                .args(args)
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        std::fs::write(inner.join("a.json"), "{}").unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "models"]);
        let (commit, date) = checkout_revision(&repo).expect("the top of the checkout");
        assert_eq!(commit.len(), 40, "{commit}");
        assert!(date.contains('T'), "{date}");
        assert_eq!(checkout_revision(&inner), None, "a directory inside the checkout");
        // Outside any repository (the temporary directory may itself sit in one only on odd machines).
        let in_repo = std::process::Command::new("git").arg("-C").arg(&outside).arg("rev-parse").output();
        if in_repo.is_ok_and(|o| !o.status.success()) {
            assert_eq!(checkout_revision(&outside), None);
        }
        std::fs::remove_dir_all(&base).unwrap();
    }
}
