//! The generator's settings file, `models/codegen.toml`: which model, which service, which operations, and the
//! generated crate's name and version (the one place a release bump is made).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::resolve::Selection;

/// The settings file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Model settings.
    pub model: ModelSection,
    /// Crate settings.
    #[serde(rename = "crate")]
    pub krate: CrateSection,
    /// Which operations.
    pub selection: SelectionSection,
}

/// `[model]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    /// The model file, relative to the settings file.
    pub path: PathBuf,
    /// The service shape id (optional when the model has one service).
    pub service: Option<String>,
    /// The AWS partition table, relative to the settings file.
    pub partitions: Option<PathBuf>,
    /// The upstream model the project's model was last imported from, relative to the settings file (written by
    /// `cargo xtask import`): the reference of the tests that compare with upstream and of the full-model build.
    pub upstream: Option<PathBuf>,
    /// A Smithy JSON AST file of `apply` statements: traits the project adds to upstream shapes (its own waiters),
    /// merged into the model by `cargo xtask import`, relative to the settings file.
    pub overlay: Option<PathBuf>,
}

/// `[crate]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateSection {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Example programs to copy into the crate, relative to the settings file.
    pub examples: Option<PathBuf>,
    /// Hand-written public modules to copy into the crate's `src/`, relative to the settings file.
    pub modules: Option<PathBuf>,
}

/// `[selection]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionSection {
    /// Operation names (or ids).
    pub operations: Vec<String>,
}

/// Settings resolved against the file's location.
#[derive(Debug, Clone)]
pub struct Config {
    /// The settings file itself.
    pub file: PathBuf,
    /// Absolute or workspace-relative path of the model.
    pub model: PathBuf,
    /// The service to generate.
    pub service: Option<String>,
    /// The partition table, when there is one.
    pub partitions: Option<PathBuf>,
    /// The upstream model last imported from, when recorded.
    pub upstream: Option<PathBuf>,
    /// The project's additions to upstream's traits, merged by import.
    pub overlay: Option<PathBuf>,
    /// The operation selection.
    pub selection: Selection,
    /// Crate name.
    pub crate_name: String,
    /// Crate version.
    pub crate_version: String,
    /// Example programs folder.
    pub examples: Option<PathBuf>,
    /// Hand-written modules folder.
    pub modules: Option<PathBuf>,
}

/// The crate version in the text of a settings file (for example one read from git history).
pub fn crate_version(text: &str) -> Result<String> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| Error::new(format!("invalid settings: {e}")))?;
    Ok(file.krate.version)
}

/// Read `models/codegen.toml` (or another settings file).
pub fn load(path: &Path) -> Result<Config> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::new(format!("cannot read settings: {e}")).in_file(path))?;
    let file: ConfigFile =
        toml::from_str(&text).map_err(|e| Error::new(format!("invalid settings: {e}")).in_file(path))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    if file.selection.operations.is_empty() {
        return Err(Error::at("selection.operations", "the selection is empty").in_file(path));
    }
    Ok(Config {
        file: path.to_path_buf(),
        model: dir.join(&file.model.path),
        service: file.model.service,
        partitions: file.model.partitions.map(|p| dir.join(p)),
        upstream: file.model.upstream.map(|p| dir.join(p)),
        overlay: file.model.overlay.map(|p| dir.join(p)),
        selection: Selection::Named(file.selection.operations),
        crate_name: file.krate.name,
        crate_version: file.krate.version,
        examples: file.krate.examples.map(|p| dir.join(p)),
        modules: file.krate.modules.map(|p| dir.join(p)),
    })
}

/// The settings text with `key` of `[section]` set to the string `value`, everything else (comments, order) kept:
/// the line is replaced where it exists, else added after the section's last line.
pub fn set_string(text: &str, section: &str, key: &str, value: &str) -> Result<String> {
    let line = format!("{key} = {}", toml::Value::String(value.to_owned()));
    let mut out: Vec<String> = Vec::new();
    let mut in_section = false;
    let mut found = false;
    let mut end_of_section = None;
    for l in text.lines() {
        let t = l.trim();
        if t.starts_with('[') {
            in_section = t == format!("[{section}]");
        }
        if in_section && !found && t.split('=').next().map(str::trim) == Some(key) && t.contains('=') {
            out.push(line.clone());
            found = true;
            continue;
        }
        out.push(l.to_owned());
        if in_section && !t.is_empty() && !t.starts_with('#') {
            end_of_section = Some(out.len());
        }
    }
    if !found {
        let at = end_of_section.ok_or_else(|| Error::new(format!("the settings have no [{section}] section")))?;
        out.insert(at, line);
    }
    let result = out.join("\n") + if text.ends_with('\n') { "\n" } else { "" };
    toml::from_str::<ConfigFile>(&result).map_err(|e| Error::new(format!("invalid settings after the edit: {e}")))?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# settings\n[model]\npath = \"m.json\"\n# the table\npartitions = \"p.json\"\n\n[crate]\n\
name = \"c\"\nversion = \"0.1.0\" # the release\n\n[selection]\noperations = [\"A\"]\n";

    #[test]
    fn set_string_replaces_or_adds_one_line() {
        let bumped = set_string(TEXT, "crate", "version", "0.2.0").unwrap();
        assert_eq!(bumped, TEXT.replace("version = \"0.1.0\" # the release", "version = \"0.2.0\""));
        let added = set_string(TEXT, "model", "upstream", "../up/x.json").unwrap();
        assert!(added.contains("partitions = \"p.json\"\nupstream = \"../up/x.json\"\n\n[crate]"), "{added}");
        assert_eq!(crate_version(&bumped).unwrap(), "0.2.0");
        assert!(set_string(TEXT, "nothing", "k", "v").is_err());
    }
}
