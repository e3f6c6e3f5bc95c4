//! `cargo xtask aws-patterns --models DIR`: every distinct `@pattern` of the awsJson 1.0 / 1.1 service models of
//! an `aws/api-models-aws` checkout, written to `tests/data/aws-patterns.txt` for the differential pattern tests and
//! the pattern benchmark.
//!
//! A service is awsJson when its service shape has the `aws.protocols#awsJson1_0` or `aws.protocols#awsJson1_1`
//! trait. A pattern checks a value wherever a member targets a string with the pattern, or carries the pattern itself;
//! the value's `@length` is the member's when it has one, else its target's. A string shape that no member targets
//! counts as a value of its own. Each line of the file: the service that has the pattern (its `sdkId`, the first in
//! alphabetical order, and `+N` when N more have it), the largest `@length` maximum of the values the pattern checks in
//! all those services (`-` when one has none: then the generator bounds nothing), and the pattern; tab-separated,
//! sorted by pattern.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

#[derive(clap::Args)]
pub struct AwsPatternsArgs {
    /// A checkout of `aws/api-models-aws` (its `*/service/*/*.json` files are read).
    #[arg(long)]
    models: PathBuf,
    /// Where to write the list.
    #[arg(long, default_value = "tests/data/aws-patterns.txt")]
    out: PathBuf,
    /// What the models are, for the file's header (e.g. `aws/api-models-aws 56c8953 of 2025-04-02`).
    #[arg(long)]
    source: Option<String>,
    /// Compare instead of writing: fail if the file differs from what the models give.
    #[arg(long)]
    check: bool,
}

/// What one pattern checks, over all services.
#[derive(Default)]
struct Uses {
    services: BTreeSet<String>,
    /// The largest `@length` maximum; `None` once a value has none.
    max_len: Option<u64>,
    /// Whether any value was seen (before which `max_len` means nothing).
    seen: bool,
}

impl Uses {
    fn add(&mut self, service: &str, max_len: Option<u64>) {
        self.services.insert(service.to_owned());
        self.max_len = if self.seen { self.max_len.zip(max_len).map(|(a, b)| a.max(b)) } else { max_len };
        self.seen = true;
    }
}

pub fn run(a: AwsPatternsArgs) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    model_files(&a.models, 0, &mut files)?;
    files.sort();
    let mut patterns: BTreeMap<String, Uses> = BTreeMap::new();
    let mut services = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let model: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let Some(shapes) = model.get("shapes").and_then(Value::as_object) else { continue };
        let Some(service) = aws_json_service(shapes) else { continue };
        services += 1;
        collect(shapes, &service, &mut patterns);
    }
    let mut out = String::new();
    let source = a.source.as_deref().unwrap_or("aws/api-models-aws");
    out.push_str(&format!(
        "# Every distinct @pattern of the {services} awsJson 1.0 / 1.1 service models of {source} ({} \
         patterns),\n# written by `cargo xtask aws-patterns --models DIR --source ...`. Tab-separated: the service that has the \
         pattern (its\n# sdkId; `+N`: N more have it), the largest @length maximum of the values it checks (`-`: one \
         has none),\n# the pattern.\n",
        patterns.len()
    ));
    for (pattern, uses) in &patterns {
        let mut names = uses.services.iter();
        let first = names.next().cloned().unwrap_or_default();
        let more = match uses.services.len() {
            0 | 1 => String::new(),
            n => format!(" +{}", n - 1),
        };
        let max = uses.max_len.map_or("-".to_owned(), |n| n.to_string());
        out.push_str(&format!("{first}{more}\t{max}\t{pattern}\n"));
    }
    if a.check {
        let old = std::fs::read_to_string(&a.out).unwrap_or_default();
        if old != out {
            return Err(format!("{} is not what the models give; run without --check", a.out.display()));
        }
        println!("{} is up to date ({} patterns of {services} services)", a.out.display(), patterns.len());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(dir) = a.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&a.out, out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    println!("wrote {}: {} patterns of {services} awsJson services", a.out.display(), patterns.len());
    Ok(ExitCode::SUCCESS)
}

/// The `*.json` files under `<service>/service/<version>/` of the checkout (at most three levels down).
fn model_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_dir() && depth < 3 && !hidden {
            model_files(&path, depth + 1, out)?;
        } else if depth == 3 && path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `sdkId` (or the shape id) of the model's service when it speaks awsJson 1.0 or 1.1.
fn aws_json_service(shapes: &serde_json::Map<String, Value>) -> Option<String> {
    shapes.iter().find_map(|(id, shape)| {
        let traits = shape.get("traits")?;
        let json = shape.get("type")? == "service"
            && (traits.get("aws.protocols#awsJson1_0").is_some() || traits.get("aws.protocols#awsJson1_1").is_some());
        json.then(|| {
            let sdk_id = traits.pointer("/aws.api#service/sdkId").and_then(Value::as_str);
            sdk_id.unwrap_or(id).to_owned()
        })
    })
}

fn collect(shapes: &serde_json::Map<String, Value>, service: &str, out: &mut BTreeMap<String, Uses>) {
    let pattern = |v: &Value| v.pointer("/traits/smithy.api#pattern").and_then(Value::as_str).map(str::to_owned);
    fn length(v: &Value) -> Option<&Value> {
        v.pointer("/traits/smithy.api#length")
    }
    let max = |l: &Value| l.get("max").and_then(Value::as_u64);
    let strings: BTreeMap<&str, &Value> = shapes
        .iter()
        .filter(|(_, s)| matches!(s.get("type").and_then(Value::as_str), Some("string" | "enum")))
        .map(|(id, s)| (id.as_str(), s))
        .collect();
    let mut targeted = BTreeSet::new();
    for shape in shapes.values() {
        let mut members: Vec<&Value> = Vec::new();
        if let Some(m) = shape.get("members").and_then(Value::as_object) {
            members.extend(m.values());
        }
        for key in ["member", "key", "value"] {
            members.extend(shape.get(key));
        }
        for member in members {
            let Some(target) = member.get("target").and_then(Value::as_str) else { continue };
            // A member may carry the pattern itself, also on a string of the prelude (`smithy.api#String`).
            let string = strings.get(target).copied();
            if string.is_some() {
                targeted.insert(target);
            }
            let Some(p) = pattern(member).or_else(|| string.and_then(pattern)) else { continue };
            let len = length(member).or_else(|| string.and_then(length)).and_then(max);
            out.entry(p).or_default().add(service, len);
        }
    }
    for (id, string) in &strings {
        if targeted.contains(id) {
            continue;
        }
        if let Some(p) = pattern(string) {
            out.entry(p).or_default().add(service, length(string).and_then(max));
        }
    }
}
