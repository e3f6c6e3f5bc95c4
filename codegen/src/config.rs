//! The generator's settings file, `models/codegen.toml`: which model, which service, which operations, and the
//! generated crate's name and version (the one place a release bump is made).

use std::collections::BTreeMap;
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
    /// The commit of the `aws/api-models-aws` checkout the upstream model was imported from (`import --from DIR`).
    pub upstream_commit: Option<String>,
    /// That commit's date (committer date, ISO 8601).
    pub upstream_date: Option<String>,
    /// A Smithy JSON AST file of `apply` statements: traits the project adds to upstream shapes (its own waiters),
    /// merged into the model by `cargo xtask import`, relative to the settings file.
    pub overlay: Option<PathBuf>,
    /// The pipeline-definition step kinds ([`Definitions`]), a TOML file relative to the settings file: import keeps
    /// the closures of their shapes in the model, and the generator writes them as tables behind the crate's
    /// `definitions` feature.
    pub definitions: Option<PathBuf>,
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
    /// The commit of the `aws/api-models-aws` checkout imported from, and its date, when recorded.
    pub upstream_commit: Option<(String, String)>,
    /// The project's additions to upstream's traits, merged by import.
    pub overlay: Option<PathBuf>,
    /// The pipeline-definition step kinds, when the settings name them.
    pub definitions: Option<Definitions>,
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

/// The step kinds of pipeline definitions whose arguments are requests of the model (`[model] definitions`, e.g.
/// `models/pipeline-definitions.toml`): for each step `Type`, the structure its `Arguments` are, the members a pipeline
/// treats differently from a direct call, and the output structures its properties are read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definitions {
    /// The string shape of the definition's text (`PipelineDefinition`): its `@length` bounds the definition's size.
    pub document: Option<String>,
    /// By step `Type` (`Training`, `Processing`, …).
    #[serde(default)]
    pub steps: BTreeMap<String, StepKind>,
    /// Models beside the service's whose shapes the step kinds name by absolute id (`com.amazonaws.emr#StepConfig`),
    /// by a name of the project's choosing (`[models.emr]`).
    #[serde(default)]
    pub models: BTreeMap<String, ModelFile>,
    /// The folder of the definitions file, which the paths of [`ModelFile`] are relative to (empty for
    /// [`Definitions::parse`]).
    #[serde(skip)]
    pub dir: PathBuf,
}

/// `[models.<name>]` of the definitions file: a Smithy JSON AST file of shapes the step kinds name, merged into the
/// service's model before the tables are built. With `upstream`, the file holds facts that `cargo xtask import` takes
/// from that model (the closure of the shapes of `namespace` the step kinds reach, without documentation), so that
/// generating needs neither the network nor the upstream file; without it, the file is the project's own (a step's
/// arguments that are no one request, made of other models' shapes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// The file, relative to the definitions file.
    pub path: PathBuf,
    /// The upstream model import takes the facts from, relative to the definitions file.
    pub upstream: Option<PathBuf>,
    /// The namespace of the shapes taken from `upstream` (`com.amazonaws.emr`); for a file of the project's own, the
    /// namespace of its shapes.
    pub namespace: String,
}

/// `[steps.<Type>]` of the definitions file. Shape names without a namespace are in the service's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepKind {
    /// The structure the step's `Arguments` are (an operation's input: `CreateTrainingJobRequest`).
    pub arguments: String,
    /// Required members of `arguments` that a step may leave out (the job's own name: SageMaker Pipelines names
    /// each execution's job, or uses the name given as a prefix).
    #[serde(default)]
    pub optional: Vec<String>,
    /// Members of `arguments` that SageMaker Pipelines refuses in a step, though the call accepts them.
    #[serde(default)]
    pub unsupported: Vec<String>,
    /// Groups of members of `arguments` (names, or dotted paths below one structure) of which a step must set
    /// exactly one: `[["ClusterId", "ClusterConfig"]]`. The members of a group are members of one structure and are
    /// not required.
    #[serde(default)]
    pub exactly_one: Vec<Vec<String>>,
    /// Pairs `[member, other]` of members of one structure: a step may set `member` only when it sets `other` too
    /// (`["ExecutionRoleArn", "ClusterId"]`).
    #[serde(default)]
    pub only_with: Vec<[String; 2]>,
    /// String members of `arguments` (names, or dotted paths) whose value names a step of the pipeline (a Cleanup
    /// step's `Resources.S3.StepName`): a step's name that is no step of the definition is refused.
    #[serde(default)]
    pub step_names: Vec<String>,
    /// The structures whose members are the step's properties (`DescribeTrainingJobResponse`); with several, the
    /// properties are the members of all of them.
    #[serde(default)]
    pub properties: Vec<String>,
    /// Properties that are no output structure's members, each a string (the check steps' baselines: an S3 URI):
    /// the names the Python SDK's step class gives its untyped `Properties(path=...)`.
    #[serde(default)]
    pub string_properties: Vec<String>,
}

impl Definitions {
    /// Read a definitions file.
    pub fn load(path: &Path) -> Result<Definitions> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::new(format!("cannot read the definitions settings: {e}")).in_file(path))?;
        let mut d = Definitions::parse(&text).map_err(|e| e.in_file(path))?;
        d.dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Ok(d)
    }

    /// The shapes of the `[models]` files, by id; an id that two files define is an error naming both.
    pub fn model_shapes(&self) -> Result<BTreeMap<crate::model::ShapeId, crate::model::Shape>> {
        self.shapes_of(|_| true)
    }

    /// The shapes of the `[models]` files that `pick` picks.
    fn shapes_of(
        &self,
        pick: impl Fn(&ModelFile) -> bool,
    ) -> Result<BTreeMap<crate::model::ShapeId, crate::model::Shape>> {
        let mut shapes = BTreeMap::new();
        let mut from: BTreeMap<String, &str> = BTreeMap::new();
        for (name, file) in self.models.iter().filter(|(_, f)| pick(f)) {
            let path = self.dir.join(&file.path);
            let model = crate::model::load(&path)?;
            for (id, shape) in model.shapes {
                if !id.starts_with(&format!("{}#", file.namespace)) {
                    return Err(Error::at(
                        format!("definitions.models.{name}"),
                        format!("`{id}` is not in the namespace `{}`", file.namespace),
                    )
                    .in_file(&path));
                }
                if let Some(other) = from.insert(id.clone(), name) {
                    return Err(Error::at(
                        format!("definitions.models.{name}"),
                        format!("`{id}` is defined by both `models.{other}` and `models.{name}`"),
                    ));
                }
                shapes.insert(id, shape);
            }
        }
        Ok(shapes)
    }

    /// `model` with the shapes of the `[models]` files added; a shape of theirs that `model` has too is an error
    /// naming it (each model keeps its own namespace, so EMR's `Tag` and SageMaker's stay two shapes).
    pub fn extend(&self, model: &crate::model::Model) -> Result<crate::model::Model> {
        let mut out = model.clone();
        for (id, shape) in self.model_shapes()? {
            if out.shapes.contains_key(&id) {
                return Err(Error::at("definitions.models", format!("`{id}` is in the service's model already")));
            }
            out.shapes.insert(id, shape);
        }
        Ok(out)
    }

    /// The shapes the step kinds name in each namespace but those of the project's own `[models]` files (whose
    /// members are followed instead, to what they name): absolute ids, by namespace, sorted; names without a
    /// namespace are under `service_namespace`. What `cargo xtask import` keeps of each upstream model.
    pub fn roots_by_namespace(&self, service_namespace: &str) -> Result<BTreeMap<String, Vec<String>>> {
        let own = self.models.values().filter(|m| m.upstream.is_none()).collect::<Vec<_>>();
        let own_shapes = self.shapes_of(|m| m.upstream.is_none())?;
        let is_own = |id: &str| own.iter().any(|m| id.starts_with(&format!("{}#", m.namespace)));
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut stack: Vec<String> = self
            .roots()
            .into_iter()
            .map(|r| if r.contains('#') { r } else { format!("{service_namespace}#{r}") })
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if is_own(&id) {
                let shape = own_shapes.get(&id).ok_or_else(|| {
                    Error::at("definitions", format!("the step kinds name `{id}`, which is not in the model"))
                })?;
                stack.extend(shape.all_members().into_iter().map(|(_, m)| m.target.clone()));
                continue;
            }
            if id.starts_with("smithy.api#") {
                continue;
            }
            let namespace = id.split_once('#').map_or("", |(ns, _)| ns).to_owned();
            out.entry(namespace).or_default().push(id);
        }
        for ids in out.values_mut() {
            ids.sort();
        }
        Ok(out)
    }

    /// Parse the text of a definitions file.
    pub fn parse(text: &str) -> Result<Definitions> {
        let d: Definitions =
            toml::from_str(text).map_err(|e| Error::new(format!("invalid definitions settings: {e}")))?;
        if d.steps.is_empty() {
            return Err(Error::at("steps", "the definitions settings name no step kind"));
        }
        Ok(d)
    }

    /// Every structure the tables start from: each kind's arguments and properties, sorted, without repeats.
    pub fn roots(&self) -> Vec<String> {
        let mut roots: Vec<String> =
            self.steps.values().flat_map(|k| std::iter::once(&k.arguments).chain(&k.properties)).cloned().collect();
        roots.sort();
        roots.dedup();
        roots
    }
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
        upstream_commit: file.model.upstream_commit.map(|c| (c, file.model.upstream_date.unwrap_or_default())),
        overlay: file.model.overlay.map(|p| dir.join(p)),
        definitions: match &file.model.definitions {
            Some(p) => Some(Definitions::load(&dir.join(p))?),
            None => None,
        },
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

/// The settings text without the line of `key` in `[section]` (unchanged when there is none).
pub fn remove_key(text: &str, section: &str, key: &str) -> String {
    let mut in_section = false;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = l.trim();
            if t.starts_with('[') {
                in_section = t == format!("[{section}]");
            }
            !(in_section && t.contains('=') && t.split('=').next().map(str::trim) == Some(key))
        })
        .collect();
    kept.join("\n") + if text.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# settings\n[model]\npath = \"m.json\"\n# the table\npartitions = \"p.json\"\n\n[crate]\n\
name = \"c\"\nversion = \"0.1.0\" # the release\n\n[selection]\noperations = [\"A\"]\n";

    #[test]
    fn remove_key_drops_only_that_line() {
        let with = set_string(TEXT, "model", "upstream_commit", "abc").unwrap();
        assert_ne!(with, TEXT);
        assert_eq!(remove_key(&with, "model", "upstream_commit"), TEXT);
        // The same key in another section stays.
        assert_eq!(remove_key(TEXT, "model", "name"), TEXT);
    }

    #[test]
    fn set_string_replaces_or_adds_one_line() {
        let bumped = set_string(TEXT, "crate", "version", "0.2.0").unwrap();
        assert_eq!(bumped, TEXT.replace("version = \"0.1.0\" # the release", "version = \"0.2.0\""));
        let added = set_string(TEXT, "model", "upstream", "../up/x.json").unwrap();
        assert!(added.contains("partitions = \"p.json\"\nupstream = \"../up/x.json\"\n\n[crate]"), "{added}");
        assert_eq!(crate_version(&bumped).unwrap(), "0.2.0");
        assert!(set_string(TEXT, "nothing", "k", "v").is_err());
    }

    #[test]
    fn definitions_settings_name_roots_and_refuse_unknown_keys() {
        let d = Definitions::parse(
            "[steps.Training]\narguments = \"CreateTrainingJobRequest\"\noptional = [\"TrainingJobName\"]\n\
             properties = [\"DescribeTrainingJobResponse\"]\n[steps.Check]\narguments = \"CreateTrainingJobRequest\"\n",
        )
        .unwrap();
        assert_eq!(d.steps["Training"].optional, ["TrainingJobName"]);
        assert!(d.steps["Check"].properties.is_empty() && d.steps["Check"].unsupported.is_empty());
        assert_eq!(d.roots(), ["CreateTrainingJobRequest", "DescribeTrainingJobResponse"]);
        let err = Definitions::parse("[steps.Training]\narguments = \"A\"\nexclude = []\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `exclude`"), "{err}");
        let err = Definitions::parse("").unwrap_err();
        assert!(err.to_string().contains("no step kind"), "{err}");
    }

    #[test]
    fn the_project_settings_name_the_step_kinds() {
        let cfg = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/codegen.toml")).unwrap();
        let d = cfg.definitions.expect("[model] definitions");
        let kinds: Vec<&str> = d.steps.keys().map(String::as_str).collect();
        assert_eq!(
            kinds,
            [
                "AutoML",
                "ClarifyCheck",
                "Cleanup",
                "EMR",
                "EMRServerless",
                "Endpoint",
                "EndpointConfig",
                "InferenceComponent",
                "Lineage",
                "Model",
                "Processing",
                "QualityCheck",
                "RegisterModel",
                "Training",
                "Transform",
                "Tuning"
            ]
        );
        assert_eq!(d.steps["EndpointConfig"].unsupported, ["DataCaptureConfig", "ExplainerConfig"]);
        // EMR's and EMR Serverless's shapes: kept from their models in `emr-definitions.json` and
        // `emr-serverless-definitions.json`, reached through the project's own structures.
        let roots = d.roots_by_namespace("com.amazonaws.sagemaker").unwrap();
        assert_eq!(
            roots.keys().collect::<Vec<_>>(),
            ["com.amazonaws.emr", "com.amazonaws.emrserverless", "com.amazonaws.sagemaker"]
        );
        assert_eq!(
            roots["com.amazonaws.emrserverless"],
            [
                "com.amazonaws.emrserverless#ApplicationId",
                "com.amazonaws.emrserverless#CreateApplicationRequest",
                "com.amazonaws.emrserverless#GetJobRunResponse",
                "com.amazonaws.emrserverless#IAMRoleArn",
                "com.amazonaws.emrserverless#StartJobRunRequest"
            ]
        );
        assert_eq!(
            roots["com.amazonaws.emr"],
            [
                "com.amazonaws.emr#ArnType",
                "com.amazonaws.emr#RunJobFlowInput",
                "com.amazonaws.emr#Step",
                "com.amazonaws.emr#StepConfig",
                "com.amazonaws.emr#XmlStringMaxLen256"
            ]
        );
        assert!(roots["com.amazonaws.sagemaker"].contains(&"com.amazonaws.sagemaker#CreateTrainingJobRequest".into()));
        // Lineage's own structure names SageMaker's requests and ARN strings.
        for id in ["CreateActionRequest", "AssociationEdgeType", "ArtifactArn"] {
            assert!(roots["com.amazonaws.sagemaker"].contains(&format!("com.amazonaws.sagemaker#{id}")), "{id}");
        }
    }

    /// A folder removed when dropped.
    struct Folder(PathBuf);

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A definitions file in a fresh folder, with the given model files beside it (read while the folder lives).
    fn definitions_in(name: &str, settings: &str, files: &[(&str, &str)]) -> (Definitions, Folder) {
        let dir = Folder(std::env::temp_dir().join(format!("codegen-definitions-{name}-{}", std::process::id())));
        std::fs::create_dir_all(&dir.0).unwrap();
        for (file, text) in files {
            std::fs::write(dir.0.join(file), text).unwrap();
        }
        std::fs::write(dir.0.join("d.toml"), settings).unwrap();
        (Definitions::load(&dir.0.join("d.toml")).unwrap(), dir)
    }

    const OWN: &str = r#"{"smithy": "2.0", "shapes": {"own#Args": {"type": "structure", "members": {
        "Step": {"target": "other#Step"}, "List": {"target": "own#Jobs"}}},
        "own#Jobs": {"type": "list", "member": {"target": "svc#Job"}}}}"#;

    #[test]
    fn other_models_are_named_by_namespace_and_own_structures_followed() {
        let settings = "[models.own]\npath = \"own.json\"\nnamespace = \"own\"\n\
                        [models.other]\npath = \"other.json\"\nnamespace = \"other\"\nupstream = \"up.json\"\n\
                        [steps.Run]\narguments = \"own#Args\"\nproperties = [\"other#Out\", \"Describe\"]\n";
        let (d, _folder) = definitions_in("roots", settings, &[("own.json", OWN)]);
        // The project's own structure is followed to what it names, in the service's namespace or another's; a name
        // without a namespace is the service's.
        let roots = d.roots_by_namespace("svc").unwrap();
        assert_eq!(
            roots,
            BTreeMap::from([
                ("other".to_owned(), vec!["other#Out".to_owned(), "other#Step".to_owned()]),
                ("svc".to_owned(), vec!["svc#Describe".to_owned(), "svc#Job".to_owned()]),
            ])
        );
    }

    #[test]
    fn model_files_are_merged_without_clashes() {
        let other = r#"{"smithy": "2.0", "shapes": {"other#Step": {"type": "string"}}}"#;
        let settings = "[models.own]\npath = \"own.json\"\nnamespace = \"own\"\n\
                        [models.other]\npath = \"other.json\"\nnamespace = \"other\"\n\
                        [steps.Run]\narguments = \"own#Args\"\n";
        let (d, _folder) = definitions_in("merge", settings, &[("own.json", OWN), ("other.json", other)]);
        let service = crate::model::parse(r#"{"smithy": "2.0", "shapes": {"svc#Job": {"type": "string"}}}"#).unwrap();
        let merged = d.extend(&service).unwrap();
        let ids: Vec<&str> = merged.shapes.keys().map(String::as_str).collect();
        assert_eq!(ids, ["other#Step", "own#Args", "own#Jobs", "svc#Job"]);
        // A shape of the wrong namespace, or one the service's model has already, is an error naming it.
        let stray = r#"{"smithy": "2.0", "shapes": {"svc#Job": {"type": "string"}}}"#;
        let (d, _stray) = definitions_in("stray", settings, &[("own.json", OWN), ("other.json", stray)]);
        let e = d.extend(&service).unwrap_err().to_string();
        assert!(e.contains("definitions.models.other: `svc#Job` is not in the namespace `other`"), "{e}");
        let settings = settings.replace("namespace = \"other\"", "namespace = \"svc\"");
        let (d, _clash) = definitions_in("clash", &settings, &[("own.json", OWN), ("other.json", stray)]);
        let e = d.extend(&service).unwrap_err().to_string();
        assert!(e.contains("`svc#Job` is in the service's model already"), "{e}");
        let (d, _missing) = definitions_in("missing", &settings, &[]);
        let e = d.extend(&service).unwrap_err().to_string();
        assert!(e.contains("cannot read model"), "{e}");
    }
}
