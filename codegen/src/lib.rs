//! A Smithy-to-Rust generator for awsJson AWS services, built for the SageMaker pipeline operations.
//!
//! The stages run in one direction, one module each:
//!
//! 1. [`model`]: serde types for the Smithy JSON AST, with located errors.
//! 2. [`resolve`]: shape index, prelude, `apply` and mixins, operation selection, closure, model checks.
//! 3. [`ir`]: Rust names, module paths, optionality, boxing, constraints and docs, decided once.
//! 4. [`emit`]: token streams with `quote!`.
//! 5. [`mod@format`]: `syn` + `prettyplease`, plus the `@generated` header.
//! 6. [`mod@write`]: atomic, only-if-changed writes, and `--check`.
//!
//! [`generate`] runs stages 1–5 and returns the files in memory; nothing is written until every stage succeeded.

#![forbid(unsafe_code)]

pub mod config;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod error;
pub mod format;
pub mod ident;
pub mod import;
pub mod inclusion;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod parallel;
pub mod pattern;
pub mod resolve;
pub mod rules;
pub mod runtime;
pub mod traits;
pub mod write;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{Error, Result};
pub use resolve::Selection;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The service shape id, when the model has more than one.
    pub service: Option<&'a str>,
    /// The operations.
    pub selection: &'a Selection,
    /// The generated crate's package name.
    pub crate_name: &'a str,
    /// The generated crate's version.
    pub crate_version: &'a str,
    /// How the header names the model (a relative path or file name, never a machine path).
    pub model_source: &'a str,
    /// The AWS partition table (`partitions.json`), needed when the endpoint rules call `aws.partition`.
    pub partitions: Option<&'a Path>,
    /// A folder of example programs copied into the crate's `examples/` (with the generated header).
    pub examples: Option<&'a Path>,
    /// A folder of hand-written modules (`name.rs`) copied into the crate's `src/` and declared `pub mod name;`:
    /// service-specific helpers that are written against the generated API, kept out of the generator.
    pub modules: Option<&'a Path>,
    /// The pipeline-definition step kinds: their shapes become schema tables behind the crate's `definitions`
    /// feature.
    pub definitions: Option<&'a config::Definitions>,
}

/// Generated files and what the generator had to interpret on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File contents by path relative to the crate root.
    pub files: BTreeMap<String, String>,
    /// One line per pattern the generator interpreted (by shape id, and how).
    pub report: Vec<String>,
    /// How long each stage took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Generate the crate for an already decoded model. Returns file contents by path relative to the crate root.
pub fn generate_from_model(model: &model::Model, req: &Request<'_>) -> Result<BTreeMap<String, String>> {
    generate_model_report(model, req).map(|g| g.files)
}

/// Generate the crate for an already decoded model, with the interpretation report.
pub fn generate_model_report(model: &model::Model, req: &Request<'_>) -> Result<Generated> {
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        let now = std::time::Instant::now();
        timings.push((name, now - clock));
        clock = now;
    };
    let roots = req.definitions.map(config::Definitions::roots).unwrap_or_default();
    // The shapes of other models that the step kinds name (EMR's), beside the service's.
    let extended = match req.definitions {
        Some(d) if !d.models.is_empty() => Some(d.extend(model)?),
        _ => None,
    };
    let model = extended.as_ref().unwrap_or(model);
    let resolved = resolve::resolve_with_tables(model, req.service, req.selection, &roots)?;
    lap("resolve");
    let partitions: Option<serde_json::Value> = match req.partitions {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::new(format!("cannot read the partition table: {e}")).in_file(path))?;
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| Error::new(format!("invalid partition table: {e}")).in_file(path))?,
            )
        }
        None => None,
    };
    let ir = ir::build(&resolved, partitions.as_ref(), req.definitions)?;
    lap("ir (patterns planned and checked)");
    let hand_written = match req.modules {
        Some(dir) => rust_files(dir)?,
        None => Vec::new(),
    };
    let examples = match req.examples {
        Some(dir) => rust_files(dir)?
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::new(format!("cannot read example: {e}")).in_file(&path))?;
                Ok((path, text))
            })
            .collect::<Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let settings = emit::CrateSettings {
        example_features: examples
            .iter()
            .filter_map(|(path, text)| {
                let name = path.file_stem()?.to_string_lossy().into_owned();
                Some((name, required_features(text)?))
            })
            .collect(),
        modules: hand_written.iter().filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())).collect(),
        name: req.crate_name.to_owned(),
        version: req.crate_version.to_owned(),
        model_source: req.model_source.to_owned(),
        test_util_example: match req.examples {
            Some(dir) if dir.join("test_util.md").exists() => {
                let path = dir.join("test_util.md");
                Some(
                    std::fs::read_to_string(&path)
                        .map_err(|e| Error::new(format!("cannot read the test_util example: {e}")).in_file(&path))?,
                )
            }
            _ => None,
        },
    };
    let mut report = ir.pattern_report();
    report.extend(ir.service.endpoints.iter().flat_map(|e| e.notes()));
    report.extend(ir.protocol_test_report());
    // Emission and formatting run on all cores, one job per file; the result is a sorted map, so it does not depend
    // on which worker finishes first.
    let jobs = emit::plan(&ir);
    let source = req.model_source;
    let formatted = parallel::map(&jobs, |job| format::format(emit::emit(&ir, &settings, *job), source))?;
    lap("emit and format");
    let mut files = BTreeMap::new();
    for job_files in formatted {
        files.extend(job_files?);
    }
    for path in hand_written {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::new(format!("cannot read module: {e}")).in_file(&path))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let rel = format!("src/{name}");
        let dir = req.modules.and_then(Path::file_name).map(|d| d.to_string_lossy().into_owned()).unwrap_or_default();
        let header = format::header(&rel, &format!("models/{dir}/{name}"));
        files.insert(rel, format!("{header}\n{text}"));
    }
    for (path, text) in examples {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let rel = format!("examples/{name}");
        let header = format::header(&rel, &format!("models/examples/{name}"));
        files.insert(rel, format!("{header}\n{text}"));
    }
    Ok(Generated { files, report, timings })
}

/// The features an example declares it needs, on a line `// required-features: a, b` (none without that line).
fn required_features(text: &str) -> Option<Vec<String>> {
    let line = text.lines().find_map(|l| l.trim().strip_prefix("// required-features:"))?;
    Some(line.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned).collect())
}

/// The `.rs` files of a folder, sorted.
fn rust_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("cannot list {}: {e}", dir.display())).in_file(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Read a model file and generate the crate; errors name the file.
pub fn generate(model_path: &Path, req: &Request<'_>) -> Result<BTreeMap<String, String>> {
    generate_report(model_path, req).map(|g| g.files)
}

/// Read a model file and generate the crate, with the interpretation report; errors name the file.
pub fn generate_report(model_path: &Path, req: &Request<'_>) -> Result<Generated> {
    let model = model::load(model_path)?;
    generate_model_report(&model, req).map_err(|e| e.in_file(model_path))
}

#[cfg(test)]
mod tests {
    use super::required_features;

    #[test]
    fn an_example_declares_the_features_it_needs_on_one_line() {
        let text = "//! An example.\n// required-features: definitions, test-util\n\nfn main() {}\n";
        assert_eq!(required_features(text), Some(vec!["definitions".to_owned(), "test-util".to_owned()]));
        assert_eq!(required_features("//! An example.\nfn main() {}\n"), None);
    }
}
