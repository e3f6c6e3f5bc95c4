//! Crate-level files: `lib.rs`, `Cargo.toml`, the crate README, and the static runtime modules.

use quote::quote;

use super::{ident, inner_doc_attrs, CrateSettings, RustFile};
use crate::ir::Ir;

/// `src/lib.rs`.
pub fn lib_rs(ir: &Ir, settings: &CrateSettings) -> RustFile {
    let s = &ir.service;
    let ops: Vec<String> =
        ir.operations.iter().map(|o| format!("- [`{0}`](operation::{1})", o.name, o.module)).collect();
    let mut docs = format!(
        "A Rust client for {title}, generated from its Smithy model.\n\n\
         This crate covers {n} operation{plural}:\n\n{ops}\n\n\
         Modules follow aws-sdk-rust: [`types`] holds the shared data types, [`operation`] one module per operation \
         with its input and output, [`error`] the errors raised before a request is sent, [`validation`] the constraint checks every input \
         offers through `validate()`, and [`primitives`] the value types for timestamps, blobs and documents (those of `aws-smithy-types`, as in aws-sdk-rust).\n\n\
         Testing code that uses this crate: the `test-util` feature adds the module `test_util`, whose clients answer \
         from typed rules per operation instead of a network, through the same code path as real calls.",
        title = s.title,
        n = ir.operations.len(),
        plural = if ir.operations.len() == 1 { "" } else { "s" },
        ops = ops.join("\n"),
    );
    if !s.docs.is_empty() {
        docs.push_str("\n\n## About the service\n\n");
        docs.push_str(&s.docs);
    }
    let docs = inner_doc_attrs(&docs);
    let version = &s.version;
    // The generated modules and the runtime modules the crate needs, by name.
    use crate::runtime::Visibility;
    let mut modules: Vec<(&str, Visibility, Option<&str>)> = vec![
        ("client", Visibility::Public),
        ("endpoint", Visibility::Public),
        ("error_meta", Visibility::Private),
        ("operation", Visibility::Public),
        ("patterns", Visibility::Private),
        ("primitives", Visibility::Public),
        ("types", Visibility::Public),
    ]
    .into_iter()
    .map(|(name, visibility)| (name, visibility, None))
    .collect();
    if !ir.protocol_tests.is_empty() {
        modules.push(("protocol_tests", Visibility::Test, None));
    }
    if ir.operations.iter().any(|o| !o.waiters.is_empty()) {
        modules.push(("waiters", Visibility::Public, None));
    }
    if ir.definitions.is_some() {
        modules.push(("definition_schema", Visibility::Private, Some("definitions")));
        modules.push(("steps", Visibility::Public, Some("definitions")));
    }
    modules.extend(crate::runtime::modules_for(ir).map(|m| (m.name, m.visibility, m.feature)));
    modules.extend(settings.modules.iter().map(|m| (m.as_str(), Visibility::Public, None)));
    modules.sort_unstable();
    let modules = modules.iter().map(|(name, visibility, feature)| {
        let name = ident(name);
        let gate = match feature {
            Some(f) if *visibility == Visibility::Public => {
                quote!(#[cfg(feature = #f)] #[cfg_attr(docsrs, doc(cfg(feature = #f)))])
            }
            Some(f) => quote!(#[cfg(feature = #f)]),
            None => quote!(),
        };
        match visibility {
            Visibility::Public => quote!(#gate pub mod #name;),
            Visibility::Private => quote!(#gate mod #name;),
            Visibility::Test => quote!(#[cfg(test)] mod #name;),
        }
    });
    let sdk_id = &s.sdk_id;
    let tokens = quote! {
        #docs
        #![forbid(unsafe_code)]
        #![deny(missing_docs)]
        // The model's deprecated shapes, members and operations keep their `#[deprecated]` for users; the crate's
        // own code has to name them, in every file, so the allowance is made once here.
        #![allow(deprecated)]
        #![cfg_attr(docsrs, feature(doc_cfg))]

        #(#modules)*
        #[cfg(feature = "test-util")]
        #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
        pub mod test_util;

        pub use client::Client;
        pub use config::Config;
        pub use error_meta::Error;

        /// The API version of the service model this crate was generated from.
        pub const API_VERSION: &str = #version;

        /// The service's SDK id.
        pub const SDK_ID: &str = #sdk_id;
    };
    RustFile { path: "src/lib.rs".into(), tokens }
}

/// `src/primitives.rs`: the value types of simple shapes, shared with aws-sdk-rust, and the enum values the crate
/// does not know.
pub fn primitives_rs(ir: &Ir) -> RustFile {
    let document = ir.uses_documents().then(|| {
        quote! {
            /// A document: any JSON value, as aws-sdk-rust has it.
            pub use ::aws_smithy_types::Document;
        }
    });
    let tokens = quote! {
        //! The value types of the model's simple shapes: `aws-smithy-types`' own, as aws-sdk-rust re-exports them, so
        //! values pass between this crate and the AWS SDK unchanged; and the values of enums this version of the
        //! crate does not know.

        pub use ::aws_smithy_types::date_time::Format as DateTimeFormat;
        pub use ::aws_smithy_types::{Blob, DateTime};
        #document
        pub use crate::unknown_values::{UnknownIntVariantValue, UnknownVariantValue};
    };
    RustFile { path: "src/primitives.rs".into(), tokens }
}

/// Non-Rust files and the static runtime modules.
pub fn text_files(ir: &Ir, settings: &CrateSettings) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        crate::runtime::modules_for(ir).map(|m| (m.path(), m.source.to_owned())).collect();
    let n = ir.operations.len();
    let description = format!(
        "Small, fast-compiling Rust client for {} ({n} operation{}), generated from the Smithy model",
        ir.service.title,
        if n == 1 { "" } else { "s" }
    );
    out.push((
        "Cargo.toml".into(),
        format!(
            r#"[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "1.94"
description = "{description}"
license = "Apache-2.0"
readme = "README.md"
keywords = ["aws", "sagemaker", "pipelines", "smithy", "sdk"]
categories = ["api-bindings", "web-programming::http-client"]
documentation = "https://docs.rs/{name}"
include = ["src/**/*.rs", "examples/**/*.rs", "Cargo.toml", "README.md", "CHANGELOG.md"]

[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

{dependencies}

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread", "test-util"] }}
{examples}"#,
            examples = settings
                .example_features
                .iter()
                .map(|(name, features)| {
                    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
                    format!("\n[[example]]\nname = {name:?}\nrequired-features = [{}]\n", features.join(", "))
                })
                .collect::<String>(),
            name = settings.name,
            version = settings.version,
            dependencies = crate::runtime::manifest_dependencies(ir),
        ),
    ));
    let ops: Vec<String> = ir.operations.iter().map(|o| format!("- `{}` (`client.{}()`)", o.name, o.method)).collect();
    let lib = settings.name.replace('-', "_");
    let example_op = ir.operations.iter().find(|o| o.name == "StartPipelineExecution").or(ir.operations.first());
    let quick = match example_op {
        Some(op) => format!(
            "```rust,ignore\n\
             // inside an async fn, on a Tokio runtime\n\
             let client = {lib}::Client::from_conf({lib}::Config::from_env().build());\n\
             let output = client.{method}(){setters}.send().await?;\n\
             println!(\"{{output:?}}\");\n\
             ```",
            method = op.method,
            setters = op
                .input
                .fields
                .iter()
                .filter(|f| f.required && matches!(f.ty.ty, crate::ir::Type::String) && !f.idempotency_token)
                .map(|f| format!(".{}(\"example\")", f.name))
                .collect::<String>(),
        ),
        None => String::new(),
    };
    out.push((
        "README.md".into(),
        format!(
            "# {name}\n\n{description}.\n\n\
             It holds only the operations listed below, so it builds in a fraction of the time the whole {title} SDK takes. \
             Every input is checked against the model's constraints before a request leaves, requests are signed with \
             `aws-sigv4`, endpoints come from the model's rules, and errors are typed per operation.\n\n\
             ## Quick start\n\n\
             ```toml\n[dependencies]\n{name} = \"{version}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n\
             {quick}\n\n\
             In a program that uses aws-config, `Client::new(&sdk_config)` takes everything from the `SdkConfig`, \
             its HTTP client included, as any aws-sdk-rust client does; depend on this crate with \
             `default-features = false` there, so that it brings no transport of its own. Without aws-config, \
             `Client::from_conf(Config::from_env().build())` reads the environment (`AWS_REGION`, \
             `AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, …), and credentials come from the environment, \
             the shared files (static keys or `credential_process`), container credentials (ECS, SageMaker, EKS Pod \
             Identity) or instance metadata (IMDSv2), cached until shortly before they expire. Each call is a \
             `tracing` span, and every output has the response's `request_id()` (trait `error::RequestId`). \
             Features: `rustls` (default: the HTTP client of programs without aws-config).\n\n\
             ## When the model is stricter than the service\n\n\
             Inputs are checked against the model this crate was generated from. When the service starts accepting \
             values that model refuses (a longer identifier, a new account format), one request can skip the kind of \
             check in its way, and the others keep running: \
             `.config_override(config::ConfigOverride::new().skip_constraint(validation::ConstraintKind::Pattern))` on \
             the request builder (`validate_inputs(false)` there turns every check off for that request; \
             `config::Builder::skip_constraint` and `config::Builder::validate_inputs` do the same for a whole client). \
             The validation error's message says which kinds failed. Newer releases of the crate list such fixes \
             first in the changelog, under *Validation fixes*.\n\n\
             ## Operations\n\n{ops}\n",
            name = settings.name,
            version = settings.version,
            title = ir.service.title,
            ops = ops.join("\n"),
        ),
    ));
    out
}
