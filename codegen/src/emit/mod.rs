//! Stage 4: emission. Each submodule turns part of the IR into token streams with `quote!`; this module holds the
//! shared helpers (identifiers, types, docs) and assembles the crate's file list. Formatting happens in
//! [`crate::format`].

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Ir, Type, TypePath, TypeRef};

pub mod client;
pub mod crate_files;
pub mod endpoints;
pub mod operations;
pub mod protocol;
pub mod types;
pub mod validators;

/// A generated Rust source file: its path in the crate and its tokens.
pub struct RustFile {
    /// Path relative to the crate root, e.g. `src/types/parameter.rs`.
    pub path: String,
    /// Inner attributes and items.
    pub tokens: TokenStream,
}

/// Everything the emitter produces, before formatting.
pub struct Emitted {
    /// Rust sources.
    pub rust: Vec<RustFile>,
    /// Other files (Cargo.toml, README.md, static runtime modules), already text.
    pub text: Vec<(String, String)>,
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
}

/// Which share of the per-item files a worker emits: items `i` with `i % count == index`; crate-level files go to
/// part 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// This part.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl Part {
    /// Everything in one part.
    pub const WHOLE: Part = Part { index: 0, count: 1 };

    /// Whether item `i` belongs to this part.
    pub fn has(self, i: usize) -> bool {
        i % self.count.max(1) == self.index
    }

    /// Whether this part emits the crate-level files.
    pub fn is_first(self) -> bool {
        self.index == 0
    }
}

/// Emit the whole crate.
pub fn emit(ir: &Ir, settings: &CrateSettings) -> crate::Result<Emitted> {
    emit_part(ir, settings, Part::WHOLE)
}

/// Emit one part of the crate (see [`Part`]); parts can be emitted on different threads.
pub fn emit_part(ir: &Ir, settings: &CrateSettings, part: Part) -> crate::Result<Emitted> {
    let mut rust = Vec::new();
    let mut text = Vec::new();
    if part.is_first() {
        rust.push(endpoints::emit(ir));
        rust.push(client::client_file(ir, &settings.name));
        rust.push(validators::patterns_file(ir));
        rust.push(crate_files::lib_rs(ir, settings));
        text = crate_files::text_files(ir, settings);
    }
    rust.extend(types::emit(ir, part));
    rust.extend(operations::emit(ir, part));
    Ok(Emitted { rust, text })
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
        Type::Timestamp => quote!(crate::primitives::DateTime),
        Type::Blob => quote!(crate::primitives::Blob),
        Type::Document => quote!(crate::primitives::Document),
        Type::Named(p) => type_path(p),
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

/// The module holding a type: snake case of its Rust name, escaped like any identifier (`r#type`, `self_`).
pub fn type_module(type_name: &str) -> String {
    crate::ident::module_name(crate::ident::unraw(type_name))
}

/// The file stem of a module (`type` for `r#type`).
pub fn file_stem(type_name: &str) -> String {
    crate::ident::unraw(&type_module(type_name)).to_owned()
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
