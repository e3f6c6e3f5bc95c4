//! Stage 4: emission, infallible: `&Ir -> TokenStream`. [`plan`] lists the crate's files as independent jobs and
//! [`emit`] turns one job into tokens (or text); each submodule emits part of the IR with `quote!`, and this module
//! holds the shared helpers (identifiers, types, docs). Formatting happens in [`crate::format`].

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Ir, Operation, Type, TypePath, TypeRef};

pub mod client;
pub mod crate_files;
pub mod definitions;
pub mod endpoints;
pub mod operations;
pub mod protocol;
pub mod protocol_tests;
pub mod test_util;
pub mod types;
pub mod validators;
pub mod waiters;

/// A generated Rust source file: its path in the crate and its tokens.
pub struct RustFile {
    /// Path relative to the crate root, e.g. `src/types/parameter.rs`.
    pub path: String,
    /// Inner attributes and items.
    pub tokens: TokenStream,
}

/// Crate-level settings that do not come from the model.
#[derive(Debug, Clone)]
pub struct CrateSettings {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Where the model came from, for the header (a relative path).
    pub model_source: String,
    /// Markdown appended to the `test_util` module's documentation: the crate's worked example of testing with
    /// rules (`test_util.md` in the examples folder), compiled as a doctest.
    pub test_util_example: Option<String>,
    /// Hand-written public modules copied into `src/` (by name), which `lib.rs` declares.
    pub modules: Vec<String>,
    /// Examples that need features of the crate (by name, with the features), from a line
    /// `// required-features: a, b` in the example: `Cargo.toml` declares them, so that building the examples
    /// without those features leaves them out instead of failing.
    pub example_features: Vec<(String, Vec<String>)>,
}

/// One file (or group of text files) to emit; jobs are independent, so they run on all cores.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    /// `src/lib.rs`.
    Lib,
    /// `src/client.rs`.
    Client,
    /// `src/endpoint.rs`.
    Endpoint,
    /// `src/patterns.rs`.
    Patterns,
    /// `src/primitives.rs`.
    Primitives,
    /// `src/operation/mod.rs`.
    OperationsMod,
    /// `src/operation/<name>.rs`.
    Operation(&'a Operation),
    /// `src/types/mod.rs`.
    TypesMod,
    /// `src/types/error/mod.rs`.
    ErrorsMod,
    ErrorMeta,
    /// `src/test_util.rs`, behind the `test-util` feature.
    TestUtil,
    /// One shared type's file.
    Item(types::Item<'a>),
    /// `src/protocol_tests.rs`, when the model has protocol compliance tests.
    ProtocolTests,
    /// `src/waiters/mod.rs`, when an operation has waiters.
    WaitersMod,
    /// `src/waiters/<waiter>.rs`: a waiter of an operation.
    Waiter(&'a Operation, &'a crate::ir::waiters::Waiter),
    /// `src/definition_schema.rs`: the pipeline-definition tables, behind the `definitions` feature.
    DefinitionSchema(&'a crate::ir::definitions::Definitions),
    /// `src/steps.rs`: the step types, argument builders and property paths, behind the `definitions` feature.
    DefinitionSteps(&'a crate::ir::definitions::Definitions),
    /// `Cargo.toml`, `README.md` and the runtime modules.
    Text,
}

/// What a job produces.
pub enum Output {
    /// A Rust file, to be formatted.
    Rust(RustFile),
    /// A Rust file of code made per operation or per shape (an operation's types, builders, codecs, validation,
    /// errors and send plumbing; a shared type; the client's and the service error's per-operation methods), to be
    /// formatted with every function `#[inline]` (see [`crate::format::inline_functions`]): each is then compiled
    /// in the program that uses it, not in the crate, whose own build does no code generation for the operations
    /// and shapes a program leaves unused.
    PerShape(RustFile),
    /// Text files, written as they are (after the header).
    Text(Vec<(String, String)>),
}

/// Every file of the crate, as jobs, in a fixed order.
pub fn plan(ir: &Ir) -> Vec<Job<'_>> {
    let mut jobs = vec![
        Job::Lib,
        Job::Client,
        Job::Endpoint,
        Job::Patterns,
        Job::Primitives,
        Job::OperationsMod,
        Job::TypesMod,
        Job::ErrorsMod,
        Job::ErrorMeta,
        Job::TestUtil,
    ];
    jobs.extend(ir.operations.iter().map(Job::Operation));
    jobs.extend(ir.structures.iter().chain(&ir.errors).map(|s| Job::Item(types::Item::Structure(s))));
    jobs.extend(ir.enums.iter().map(|e| Job::Item(types::Item::Enum(e))));
    jobs.extend(ir.unions.iter().map(|u| Job::Item(types::Item::Union(u))));
    if !ir.protocol_tests.is_empty() {
        jobs.push(Job::ProtocolTests);
    }
    if ir.operations.iter().any(|o| !o.waiters.is_empty()) {
        jobs.push(Job::WaitersMod);
        jobs.extend(ir.operations.iter().flat_map(|o| o.waiters.iter().map(move |w| Job::Waiter(o, w))));
    }
    if let Some(d) = &ir.definitions {
        jobs.push(Job::DefinitionSchema(d));
        jobs.push(Job::DefinitionSteps(d));
    }
    jobs.push(Job::Text);
    jobs
}

/// Emit one job.
pub fn emit(ir: &Ir, settings: &CrateSettings, job: Job<'_>) -> Output {
    match job {
        Job::Lib => Output::Rust(crate_files::lib_rs(ir, settings)),
        Job::Client => Output::PerShape(client::client_file(ir, &settings.name)),
        Job::Endpoint => Output::Rust(endpoints::emit(ir)),
        Job::Patterns => Output::Rust(validators::patterns_file(ir)),
        Job::Primitives => Output::Rust(crate_files::primitives_rs(ir)),
        Job::OperationsMod => Output::Rust(operations::operations_mod(ir)),
        Job::Operation(op) => Output::PerShape(operations::operation_file(ir, op)),
        Job::TypesMod => Output::Rust(types::types_mod(ir)),
        Job::ErrorsMod => Output::Rust(types::errors_mod(ir)),
        Job::ErrorMeta => Output::PerShape(client::error_meta_file(ir)),
        Job::TestUtil => Output::Rust(test_util::file(ir, settings.test_util_example.as_deref())),
        Job::Item(item) => Output::PerShape(types::item_file(ir, item)),
        Job::ProtocolTests => Output::Rust(protocol_tests::file(ir)),
        Job::WaitersMod => Output::Rust(waiters::waiters_mod(ir)),
        Job::Waiter(op, w) => Output::Rust(waiters::waiter_file(op, w)),
        Job::DefinitionSchema(d) => Output::Rust(definitions::file(d)),
        Job::DefinitionSteps(d) => Output::Rust(definitions::steps_file(d)),
        Job::Text => Output::Text(crate_files::text_files(ir, settings)),
    }
}

/// An identifier, raw when the name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` attributes, one per line, so prettyplease prints `///` comments.
pub fn doc_attrs(docs: &str) -> TokenStream {
    let lines = docs.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "..."]` attributes, printed as `//!` module docs.
pub fn inner_doc_attrs(docs: &str) -> TokenStream {
    let lines = docs.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

/// The fully qualified path of a generated type.
pub fn type_path(p: &TypePath) -> TokenStream {
    let modules = p.modules.iter().map(|m| ident(m));
    let name = ident(&p.name);
    quote! { crate:: #( #modules :: )* #name }
}

/// The fully qualified path of a generated type's builder.
pub fn builder_path(p: &TypePath) -> TokenStream {
    let modules = p.modules.iter().map(|m| ident(m));
    let name = ident(&p.builder_name());
    quote! { crate:: #( #modules :: )* builders :: #name }
}

/// The Rust type for an IR type.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Bool => quote!(bool),
        Type::Byte => quote!(i8),
        Type::Short => quote!(i16),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double | Type::BigDecimal => quote!(f64),
        Type::BigInteger => quote!(i128),
        Type::Timestamp(_) => quote!(crate::primitives::DateTime),
        Type::Blob => quote!(crate::primitives::Blob),
        Type::Document => quote!(crate::primitives::Document),
        Type::Named(p, _) => type_path(p),
        Type::List { member, sparse } => {
            let inner = element_type(member, *sparse);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Map { value, sparse, .. } => {
            let inner = element_type(value, *sparse);
            quote!(::std::collections::HashMap<::std::string::String, #inner>)
        }
    }
}

/// The element type of a collection: `T`, or `Option<T>` when sparse.
pub fn element_type(member: &TypeRef, sparse: bool) -> TokenStream {
    let t = rust_type(&member.ty);
    if sparse {
        quote!(::std::option::Option<#t>)
    } else {
        t
    }
}

/// Whether a type is `Copy` (accessors return it by value).
pub fn is_copy(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::BigInteger
            | Type::BigDecimal
    )
}

/// `#[deprecated(note = "...")]` when deprecated.
pub fn deprecated_attr(d: &Option<crate::ir::Deprecated>) -> TokenStream {
    match d {
        Some(d) => {
            let note = d.note();
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

/// A document (`aws_smithy_types::Document`) built in place from a JSON value of the model.
pub fn document(v: &Value) -> TokenStream {
    use proc_macro2::Literal;
    match v {
        Value::Null => quote!(crate::primitives::Document::Null),
        Value::Bool(b) => quote!(crate::primitives::Document::Bool(#b)),
        Value::Number(n) => {
            let n = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => {
                    let u = Literal::u64_suffixed(u);
                    quote!(::aws_smithy_types::Number::PosInt(#u))
                }
                (None, Some(i), _) => {
                    let i = Literal::i64_suffixed(i);
                    quote!(::aws_smithy_types::Number::NegInt(#i))
                }
                (None, None, f) => {
                    let f = Literal::f64_suffixed(f.unwrap_or(0.0));
                    quote!(::aws_smithy_types::Number::Float(#f))
                }
            };
            quote!(crate::primitives::Document::Number(#n))
        }
        Value::String(s) => quote!(crate::primitives::Document::String(::std::string::String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(crate::primitives::Document::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let keys = map.keys();
            let values = map.values().map(document);
            quote!(crate::primitives::Document::Object(::std::collections::HashMap::from([
                #((::std::string::String::from(#keys), #values)),*
            ])))
        }
    }
}

/// A timestamp of the model (seconds since the epoch, from a JSON number) as a `DateTime`, to the microsecond: the
/// precision an `f64` keeps for present-day times, so `946845296.123` is exactly 123 milliseconds past the second.
pub fn timestamp(secs: f64) -> TokenStream {
    let micros = (secs * 1_000_000.0).round();
    let micros = if micros.is_finite() { micros.clamp(i64::MIN as f64, i64::MAX as f64) as i64 } else { 0 };
    let (seconds, nanos) = (micros.div_euclid(1_000_000), (micros.rem_euclid(1_000_000) * 1_000) as u32);
    quote!(crate::primitives::DateTime::from_secs_and_nanos(#seconds, #nanos))
}

/// An integer literal suffixed with the Rust type of `ty` (`i64` for anything but the narrower integers).
pub fn int_literal(n: i64, ty: &Type) -> TokenStream {
    use proc_macro2::Literal;
    let lit = match ty {
        Type::Byte => Literal::i8_suffixed(n as i8),
        Type::Short => Literal::i16_suffixed(n as i16),
        Type::Integer => Literal::i32_suffixed(n as i32),
        Type::BigInteger => Literal::i128_suffixed(i128::from(n)),
        _ => Literal::i64_suffixed(n),
    };
    quote!(#lit)
}

/// A float of the Rust type of `ty` (`f32` for `Float`, else `f64`): a literal, or the type's NaN or infinities.
pub fn float_literal(x: f64, ty: &Type) -> TokenStream {
    use proc_macro2::Literal;
    let t = if *ty == Type::Float { quote!(f32) } else { quote!(f64) };
    if x.is_nan() {
        quote!(#t::NAN)
    } else if x == f64::INFINITY {
        quote!(#t::INFINITY)
    } else if x == f64::NEG_INFINITY {
        quote!(#t::NEG_INFINITY)
    } else if *ty == Type::Float {
        let lit = Literal::f32_suffixed(x as f32);
        quote!(#lit)
    } else {
        let lit = Literal::f64_suffixed(x);
        quote!(#lit)
    }
}

/// A string literal, raw (`r"…"`, `r#"…"#`) when that reads better, e.g. for regexes full of backslashes.
pub fn str_lit(s: &str) -> TokenStream {
    if !s.contains('\\') || s.chars().any(|c| c.is_control()) {
        return quote!(#s);
    }
    let mut hashes = String::new();
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}").parse().unwrap_or_else(|_| quote!(#s))
}
