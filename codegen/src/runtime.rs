//! The runtime modules written into every generated crate: the one table of them, their sources (the
//! `codegen-runtime` crate's files, compiled and tested there), and the dependencies they need.
//!
//! Everything that lists runtime modules reads [`MODULES`]: the generated `lib.rs`, the generated files, the
//! snapshot tests (which leave the runtime out), and a test here that checks `runtime/src/lib.rs` declares exactly
//! these modules with the same visibility.

use crate::ir::{Ir, Protocol};

/// When a generated crate needs a runtime module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Every crate.
    Always,
    /// Crates with at least one paginated operation.
    Pagination,
    /// Crates of an awsJson 1.0 or 1.1 service.
    AwsJson,
    /// Crates whose model has protocol compliance tests.
    ProtocolTests,
    /// Crates with a pattern checked by the ECMAScript engine (no finite automaton checks it exactly), the
    /// pipeline-definition tables' included.
    EcmaPatterns,
    /// Crates with an operation whose request body may be compressed (`@requestCompression`).
    RequestCompression,
    /// Crates with at least one waiter (`smithy.waiters#waitable`).
    Waiters,
    /// Crates whose endpoint rules call a function of `runtime/src/endpoint_functions.rs` (`substring`, `parseURL`,
    /// `aws.parseArn`, …).
    EndpointFunctions,
    /// Crates with pipeline-definition tables (`[model] definitions`), behind their `definitions` feature.
    Definitions,
}

/// How a generated crate declares a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Visibility {
    /// `pub mod`: part of the crate's API.
    Public,
    /// `mod`.
    Private,
    /// `#[cfg(test)] mod`: support for the crate's own tests.
    Test,
}

/// One runtime module.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    /// The module name, at the crate root (`invoke` is `crate::invoke`).
    pub name: &'static str,
    /// Its source, written into the generated crate unchanged.
    pub source: &'static str,
    /// How the crate declares it.
    pub visibility: Visibility,
    /// Which crates need it.
    pub need: Need,
    /// The dependencies (names in `runtime/Cargo.toml`'s `[dependencies]`) that only this module uses: a crate
    /// without the module does not get them.
    pub dependencies: &'static [&'static str],
    /// The cargo feature (in `runtime/Cargo.toml`'s `[features]`) the crate compiles the module with, if any: a crate
    /// that gets no module of a feature does not get the feature either.
    pub feature: Option<&'static str>,
}

impl Module {
    /// The file's path in a generated crate (`src/invoke.rs`).
    pub fn path(&self) -> String {
        format!("src/{}.rs", self.name)
    }

    /// Whether the crate described by `ir` needs this module.
    pub fn needed_by(&self, ir: &Ir) -> bool {
        match self.need {
            Need::Always => true,
            Need::Pagination => ir.operations.iter().any(|o| o.paginated.is_some()),
            Need::AwsJson => matches!(ir.service.protocol, Protocol::AwsJson1_0 | Protocol::AwsJson1_1),
            // The protocol compliance tests, and the endpoint tests that run through an operation, use its recorder.
            Need::ProtocolTests => {
                !ir.protocol_tests.is_empty() || ir.service.endpoints.as_ref().is_some_and(|e| e.runs_operations())
            }
            // The pipeline-definition tables' own patterns count too: the module is then written whatever the
            // features (a pattern static names it), as the engine only runs with the feature.
            Need::EcmaPatterns => ir
                .patterns
                .iter()
                .chain(ir.definitions.iter().flat_map(|d| &d.patterns))
                .any(|p| p.plan.ecma().is_some()),
            Need::RequestCompression => ir.operations.iter().any(|o| o.request_compression),
            Need::Waiters => ir.operations.iter().any(|o| !o.waiters.is_empty()),
            Need::Definitions => ir.definitions.is_some(),
            Need::EndpointFunctions => ir.service.endpoints.as_ref().is_some_and(|e| e.uses_functions),
        }
    }
}

macro_rules! module {
    ($name:literal, $visibility:ident, $need:ident) => {
        module!($name, $visibility, $need, [])
    };
    ($name:literal, $visibility:ident, $need:ident, [$($dependency:literal),*]) => {
        Module {
            name: $name,
            source: include_str!(concat!("../../runtime/src/", $name, ".rs")),
            visibility: Visibility::$visibility,
            need: Need::$need,
            dependencies: &[$($dependency),*],
            feature: None,
        }
    };
    ($name:literal, $visibility:ident, $need:ident, feature $feature:literal) => {
        Module { feature: Some($feature), ..module!($name, $visibility, $need) }
    };
}

/// Every runtime module, by name.
pub const MODULES: &[Module] = &[
    module!("automaton", Public, Always),
    module!("aws_json", Private, AwsJson),
    module!("compression", Private, RequestCompression, ["flate2"]),
    module!("config", Public, Always),
    module!("credentials", Public, Always),
    module!("definition", Public, Definitions, feature "definitions"),
    module!("definition_build", Private, Definitions, feature "definitions"),
    module!("definition_check", Private, Definitions, feature "definitions"),
    module!("ecma", Public, EcmaPatterns, ["regress"]),
    module!("endpoint_functions", Private, EndpointFunctions),
    module!("endpoint_lib", Private, Always),
    module!("error", Public, Always),
    module!("fluent", Private, Always),
    module!("http", Public, Always),
    module!("intercept", Private, Always),
    module!("invoke", Private, Always),
    module!("json", Private, Definitions, feature "definitions"),
    module!("mock", Private, Always),
    module!("pagination", Public, Pagination),
    module!("protocol_test", Test, ProtocolTests),
    module!("retry", Private, Always),
    module!("schema", Public, Definitions, feature "definitions"),
    module!("unknown_values", Private, Always),
    module!("validation", Public, Always),
    module!("waiter", Private, Waiters),
];

/// The runtime modules a crate needs, by name.
pub fn modules_for(ir: &Ir) -> impl Iterator<Item = &'static Module> + '_ {
    MODULES.iter().filter(move |m| m.needed_by(ir))
}

const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime's `[features]` and `[dependencies]` sections, as written in `runtime/Cargo.toml`, less the
/// dependencies of the modules the crate described by `ir` does not get: the generated crate's manifest copies them,
/// so the runtime's dependencies are declared in one place.
pub fn manifest_dependencies(ir: &Ir) -> String {
    let left_out: Vec<&str> =
        MODULES.iter().filter(|m| !m.needed_by(ir)).flat_map(|m| m.dependencies.iter().copied()).collect();
    let kept_features: Vec<&str> = MODULES.iter().filter(|m| m.needed_by(ir)).filter_map(|m| m.feature).collect();
    let features_left_out: Vec<&str> =
        MODULES.iter().filter_map(|m| m.feature).filter(|f| !kept_features.contains(f)).collect();
    sections_without(&left_out, &features_left_out)
}

/// The runtime manifest's `[features]` and `[dependencies]`, without the `[dependencies]` lines of `left_out`, and
/// without the `[features]` lines of `features_left_out` (with the comment lines just above them).
fn sections_without(left_out: &[&str], features_left_out: &[&str]) -> String {
    let start = MANIFEST.find("\n[features]").map_or(0, |i| i + 1);
    let end = MANIFEST.find("\n[dev-dependencies]").map_or(MANIFEST.len(), |i| i + 1);
    let mut in_dependencies = false;
    let mut in_features = false;
    let mut out = String::new();
    // Comment lines wait here until the line they describe is kept or left out.
    let mut comments = String::new();
    for line in MANIFEST[start..end].trim_end().lines() {
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            in_features = line == "[features]";
        } else if line.starts_with('#') {
            comments.push_str(line);
            comments.push('\n');
            continue;
        } else if in_dependencies && dependency_name(line).is_some_and(|d| left_out.contains(&d))
            || in_features && dependency_name(line).is_some_and(|f| features_left_out.contains(&f))
        {
            comments.clear();
            continue;
        }
        out.push_str(&std::mem::take(&mut comments));
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&comments);
    out.truncate(out.trim_end().len());
    out
}

/// The name a `[dependencies]` line declares (`base64 = "0.22"` declares `base64`).
fn dependency_name(line: &str) -> Option<&str> {
    let (name, _) = line.split_once('=')?;
    let name = name.trim();
    (!name.is_empty() && !name.starts_with('#')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_crate_declares_exactly_the_table() {
        let lib = syn::parse_file(include_str!("../../runtime/src/lib.rs")).expect("runtime/src/lib.rs parses");
        let declared: Vec<(String, Visibility)> = lib
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) if m.ident != "tests" => {
                    let test_only = m.attrs.iter().any(|a| a.path().is_ident("cfg"));
                    let visibility = match (&m.vis, test_only) {
                        (_, true) => Visibility::Test,
                        (syn::Visibility::Public(_), false) => Visibility::Public,
                        _ => Visibility::Private,
                    };
                    Some((m.ident.to_string(), visibility))
                }
                _ => None,
            })
            .collect();
        let table: Vec<(String, Visibility)> = MODULES.iter().map(|m| (m.name.to_owned(), m.visibility)).collect();
        assert_eq!(declared, table);
        let mut sorted = table.clone();
        sorted.sort();
        assert_eq!(sorted, table, "the table is sorted by name");
    }

    #[test]
    fn the_manifest_sections_are_the_runtime_dependencies() {
        let deps = sections_without(&[], &[]);
        assert!(deps.starts_with("[features]"), "{deps}");
        assert!(deps.contains("\n[dependencies]\n"));
        assert!(deps.contains("aws-sigv4 = "));
        assert!(deps.contains("\nregress = "));
        assert!(!deps.contains("[dev-dependencies]") && !deps.contains("[package]"));
    }

    #[test]
    fn a_module_dependency_goes_only_with_its_module() {
        let all = sections_without(&[], &[]);
        let without = sections_without(&["regress"], &[]);
        assert!(!without.contains("regress"), "{without}");
        let dropped: Vec<&str> = all.lines().filter(|l| !without.lines().any(|w| w == *l)).collect();
        assert_eq!(dropped, [r#"regress = { version = "0.12", default-features = false, features = ["std"] }"#]);
        // Each module-only dependency is one line of `[dependencies]`, and no feature turns it on.
        let features = &all[..all.find("\n[dependencies]").unwrap_or(all.len())];
        for m in MODULES {
            for d in m.dependencies {
                assert_eq!(all.lines().filter(|l| dependency_name(l) == Some(d)).count(), 1, "{d}");
                assert!(!features.contains(&format!("dep:{d}")) && !features.contains(&format!("\"{d}/")), "{d}");
            }
        }
        assert_eq!(dependency_name("base64 = \"0.22\""), Some("base64"));
        assert_eq!(dependency_name("# a = b"), None);
    }
}
