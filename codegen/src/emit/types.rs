//! Structures (with builders), enums, int enums and unions, and the `types` module that re-exports them.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{
    builder_path, deprecated_attr, doc_attrs, element_type, ident, inner_doc_attrs, is_copy, rust_type, type_path,
    RustFile,
};
use crate::ir::{DefaultValue, Enum, ErrorInfo, Field, Ir, Structure, Type, TypePath, Union};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A shared type of the `types` module (or of `types::error`), by kind.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A structure (an error structure included).
    Structure(&'a Structure),
    /// A string or int enum.
    Enum(&'a Enum),
    /// A union.
    Union(&'a Union),
}

impl Item<'_> {
    fn path(&self) -> &TypePath {
        match self {
            Item::Structure(s) => &s.path,
            Item::Enum(e) => &e.path,
            Item::Union(u) => &u.path,
        }
    }
}

/// The file defining one shared type.
pub fn item_file(ir: &Ir, item: Item<'_>) -> RustFile {
    let tokens = match item {
        Item::Structure(s) => structure(ir, s, false),
        Item::Enum(e) => enumeration(e),
        Item::Union(u) => union(ir, u),
    };
    let p = item.path();
    RustFile { path: format!("src/{}/{}.rs", p.modules.join("/"), p.file_stem()), tokens }
}

/// `src/types/mod.rs`: the shared types' modules, re-exports and builders.
pub fn types_mod(ir: &Ir) -> RustFile {
    let mut items: Vec<Item<'_>> = ir.structures.iter().map(Item::Structure).collect();
    items.extend(ir.enums.iter().map(Item::Enum));
    items.extend(ir.unions.iter().map(Item::Union));
    module_file(
        "src/types",
        items,
        "Data types shared by the operations: structures, enums and unions of the service model.",
        quote!(
            pub mod error;
        ),
    )
}

/// `src/types/error/mod.rs`: the error structures.
pub fn errors_mod(ir: &Ir) -> RustFile {
    module_file(
        "src/types/error",
        ir.errors.iter().map(Item::Structure).collect(),
        "Error structures the service returns, each a variant of some operation's error.",
        quote!(),
    )
}

fn module_file(dir: &str, mut items: Vec<Item<'_>>, docs: &str, extra: TokenStream) -> RustFile {
    items.sort_by(|a, b| a.path().name.cmp(&b.path().name));
    let mods: Vec<_> = items.iter().map(|i| ident(&i.path().module)).collect();
    let names: Vec<_> = items.iter().map(|i| ident(&i.path().name)).collect();
    let with_builders: Vec<_> = items.iter().filter(|i| matches!(i, Item::Structure(_))).map(Item::path).collect();
    let b_mods = with_builders.iter().map(|p| ident(&p.module));
    let b_names = with_builders.iter().map(|p| ident(&p.builder_name()));
    let docs = inner_doc_attrs(docs);
    let tokens = quote! {
        #docs
        #( mod #mods; )*
        #( pub use #mods::#names; )*
        /// Builders for the types of this module.
        pub mod builders {
            #( pub use super::#b_mods::#b_names; )*
        }
        #extra
    };
    RustFile { path: format!("{dir}/mod.rs"), tokens }
}

/// The type a field has in its struct: `Option<…>` and `Box<…>` applied.
fn field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty.ty);
    let inner = if f.boxed { quote!(::std::boxed::Box<#inner>) } else { inner };
    if f.optional {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

/// The type a field has in the builder: always optional.
pub(crate) fn builder_field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty.ty);
    let inner = if f.boxed { quote!(::std::boxed::Box<#inner>) } else { inner };
    quote!(::std::option::Option<#inner>)
}

/// Where a builder keeps what its member methods receive.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Store {
    /// In the builder's own field (input and structure builders).
    Own,
    /// Passed on to the input builder in `self.inner` (fluent builders).
    Delegate,
}

/// The `x`, `set_x` and `get_x` methods of a builder member: `x` appends to a list, inserts into a map, or sets a
/// value; `set_x` replaces or clears; `get_x` reads.
pub(crate) fn member_methods(f: &Field, store: Store) -> TokenStream {
    let fname = ident(&f.name);
    let setter = ident(&f.setter);
    let getter = ident(&f.getter);
    let fdocs = doc_attrs(&f.docs);
    let fdep = deprecated_attr(&f.deprecated);
    let bty = builder_field_type(f);
    let member = crate::ident::unraw(&f.name);
    let delegate = store == Store::Delegate;
    let (signature, extra_doc, body) = match &f.ty.ty {
        Type::List { member: m, sparse } => {
            let item = element_type(m, *sparse);
            let doc =
                format!(" Appends an item to `{member}`; use [`{0}`](Self::{0}) to replace the whole list.", f.setter);
            let body = if delegate {
                quote!(self.inner = self.inner.#fname(input);)
            } else {
                quote! {
                    let mut v = self.#fname.unwrap_or_default();
                    v.push(input.into());
                    self.#fname = ::std::option::Option::Some(v);
                }
            };
            (quote!(input: impl ::std::convert::Into<#item>), Some(doc), body)
        }
        Type::Map { value, sparse, .. } => {
            let item = element_type(value, *sparse);
            let doc = format!(
                " Inserts an entry into `{member}`; use [`{0}`](Self::{0}) to replace the whole map.",
                f.setter
            );
            let body = if delegate {
                quote!(self.inner = self.inner.#fname(k, v);)
            } else {
                quote! {
                    let mut m = self.#fname.unwrap_or_default();
                    m.insert(k.into(), v.into());
                    self.#fname = ::std::option::Option::Some(m);
                }
            };
            (
                quote!(k: impl ::std::convert::Into<::std::string::String>, v: impl ::std::convert::Into<#item>),
                Some(doc),
                body,
            )
        }
        t => {
            let base = rust_type(t);
            let value = if f.boxed { quote!(::std::boxed::Box::new(input.into())) } else { quote!(input.into()) };
            let body = if delegate {
                quote!(self.inner = self.inner.#fname(input);)
            } else {
                quote!(self.#fname = ::std::option::Option::Some(#value);)
            };
            (quote!(input: impl ::std::convert::Into<#base>), None, body)
        }
    };
    let extra_doc = extra_doc.map(|d| quote!(#[doc = ""] #[doc = #d]));
    let (set_body, get_body) = if delegate {
        (quote!(self.inner = self.inner.#setter(input);), quote!(self.inner.#getter()))
    } else {
        (quote!(self.#fname = input;), quote!(&self.#fname))
    };
    let set_doc = format!(" Sets or clears `{member}`.");
    let get_doc = format!(" Returns the value of `{member}` set so far.");
    quote! {
        #fdocs
        #extra_doc
        #fdep
        pub fn #fname(mut self, #signature) -> Self {
            #body
            self
        }
        #[doc = #set_doc]
        #fdep
        pub fn #setter(mut self, input: #bty) -> Self {
            #set_body
            self
        }
        #[doc = #get_doc]
        #fdep
        pub fn #getter(&self) -> &#bty {
            #get_body
        }
    }
}

/// A field's default as an expression, and whether it is the type's own default (`Default::default()`).
fn default_expr(f: &Field) -> Option<(TokenStream, bool)> {
    use proc_macro2::Literal;
    let expr = match f.default.as_ref()? {
        DefaultValue::Zero => return Some((quote!(::std::default::Default::default()), true)),
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Int(n) => super::int_literal(*n, &f.ty.ty),
        DefaultValue::Float(x) => super::float_literal(*x, &f.ty.ty),
        DefaultValue::String(s) => quote!(::std::string::String::from(#s)),
        DefaultValue::Enum(s) => {
            let t = rust_type(&f.ty.ty);
            quote!(#t::from(#s))
        }
        DefaultValue::IntEnum(i) => {
            let t = rust_type(&f.ty.ty);
            quote!(#t::from(#i))
        }
        DefaultValue::Blob(bytes) => {
            let bytes = bytes.iter().map(|b| Literal::u8_suffixed(*b));
            quote!(crate::primitives::Blob::new(::std::vec![#(#bytes),*]))
        }
        DefaultValue::Timestamp(secs) => super::timestamp(*secs),
        DefaultValue::Document(v) => super::document(v),
    };
    Some((expr, false))
}

/// A structure, its accessors, its builder, and (when needed) a redacting `Debug`.
pub fn structure(ir: &Ir, s: &Structure, always_validate: bool) -> TokenStream {
    structure_with(ir, s, always_validate, false)
}

/// An operation's output: a structure that also carries the request id of the response it was decoded from, in a
/// hidden member read through `crate::error::RequestId` and set by the attempt loop through
/// `crate::error::SetRequestId`.
pub fn output_structure(ir: &Ir, s: &Structure) -> TokenStream {
    structure_with(ir, s, false, true)
}

fn structure_with(ir: &Ir, s: &Structure, always_validate: bool, request_id: bool) -> TokenStream {
    let name = ident(&s.path.name);
    let builder = ident(&s.path.builder_name());
    let builder_full = builder_path(&s.path);
    let docs = doc_attrs(&s.docs);
    let deprecated = deprecated_attr(&s.deprecated);

    let mut fields = Vec::new();
    let mut accessors = Vec::new();
    let mut builder_fields = Vec::new();
    let mut builder_methods = Vec::new();
    let mut build_inits = Vec::new();
    let mut default_fns = Vec::new();
    let mut debug_fields = Vec::new();
    let mut to_builder = Vec::new();

    for f in &s.fields {
        let fname = ident(&f.name);
        let fdocs = doc_attrs(&f.docs);
        let fdep = deprecated_attr(&f.deprecated);
        let ty = field_type(f);
        if !f.optional {
            if let Some((expr, false)) = default_expr(f) {
                let fun = ident(f.default_fn.as_deref().unwrap_or_default());
                let t = rust_type(&f.ty.ty);
                default_fns.push(quote! {
                    fn #fun() -> #t { #expr }
                });
            }
        }
        fields.push(quote! {
            #fdocs
            #fdep
            pub #fname: #ty,
        });

        // Accessor.
        let (ret, body) = accessor(f);
        accessors.push(quote! {
            #fdocs
            #fdep
            pub fn #fname(&self) -> #ret { #body }
        });

        // Builder.
        let bty = builder_field_type(f);
        builder_fields.push(quote!(pub(crate) #fname: #bty,));
        builder_methods.push(member_methods(f, Store::Own));
        let init = if f.optional {
            quote!(#fname: self.#fname,)
        } else if let Some((_, zero)) = default_expr(f) {
            if zero {
                quote!(#fname: self.#fname.unwrap_or_default(),)
            } else {
                let fun = ident(f.default_fn.as_deref().unwrap_or_default());
                quote!(#fname: self.#fname.unwrap_or_else(#fun),)
            }
        } else {
            let field = crate::ident::unraw(&f.name);
            let msg = format!("`{}` is required to build `{}`", field, s.path.name);
            quote! {
                #fname: self.#fname.ok_or_else(|| crate::error::BuildError::missing_field(#field, #msg))?,
            }
        };
        build_inits.push(init);
        to_builder.push(if f.optional {
            quote!(#fname: self.#fname,)
        } else {
            quote!(#fname: ::std::option::Option::Some(self.#fname),)
        });
        let label = crate::ident::unraw(&f.name);
        debug_fields.push(if f.sensitive || s.sensitive {
            quote!(.field(#label, &#REDACTED))
        } else {
            quote!(.field(#label, &self.#fname))
        });
    }

    let mut request_id_impls = quote!();
    if request_id {
        fields.push(quote! {
            _request_id: ::std::option::Option<::std::string::String>,
        });
        build_inits.push(quote!(_request_id: ::std::option::Option::None,));
        request_id_impls = quote! {
            impl crate::error::RequestId for #name {
                fn request_id(&self) -> ::std::option::Option<&str> {
                    self._request_id.as_deref()
                }
            }

            impl crate::error::SetRequestId for #name {
                fn set_request_id(&mut self, request_id: ::std::option::Option<::std::string::String>) {
                    self._request_id = request_id;
                }
            }
        };
    }

    if s.error.is_some() {
        // What the response said besides the members: code, message and request id.
        fields.push(quote! {
            pub(crate) meta: ::aws_smithy_types::error::ErrorMetadata,
        });
        build_inits.push(quote!(meta: self.meta.unwrap_or_default(),));
        to_builder.push(quote!(meta: ::std::option::Option::Some(self.meta),));
        builder_fields.push(quote!(pub(crate) meta: ::std::option::Option<::aws_smithy_types::error::ErrorMetadata>,));
        builder_methods.push(quote! {
            /// The code, message and request id (`custom("aws_request_id", ..)`) this error reports through
            /// `ProvideErrorMetadata` and `RequestId`, as a decoded error has them from its response; for errors
            /// built by hand, in tests.
            pub fn meta(mut self, meta: ::aws_smithy_types::error::ErrorMetadata) -> Self {
                self.meta = ::std::option::Option::Some(meta);
                self
            }

            /// Sets or clears the error metadata (see [`meta`](Self::meta)).
            pub fn set_meta(
                &mut self,
                meta: ::std::option::Option<::aws_smithy_types::error::ErrorMetadata>,
            ) -> &mut Self {
                self.meta = meta;
                self
            }
        });
    }

    let redacts = s.redacts();
    let debug_derive = if redacts { quote!() } else { quote!(::std::fmt::Debug,) };
    let struct_label = &s.path.name;
    let debug_impl = |ty: &proc_macro2::Ident| {
        if redacts {
            let label = ty.to_string();
            quote! {
                impl ::std::fmt::Debug for #ty {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct(#label) #(#debug_fields)* .finish()
                    }
                }
            }
        } else {
            quote!()
        }
    };
    let struct_debug = debug_impl(&name);
    let builder_debug = debug_impl(&builder);
    let full = type_path(&s.path);
    let (build_ret, build_body) = if s.build_is_fallible() {
        (
            quote!(::std::result::Result<#full, crate::error::BuildError>),
            quote!(::std::result::Result::Ok(#full { #(#build_inits)* })),
        )
    } else {
        (quote!(#full), quote!(#full { #(#build_inits)* }))
    };
    let builder_doc = format!(" A builder for [`{struct_label}`].");
    let new_builder_doc = format!(" Creates a new builder for [`{struct_label}`].");
    let build_doc = if s.operation_input {
        format!(
            " Builds the [`{struct_label}`]. Every member of an input is optional until it is sent (`validate()` checks \
the required ones then), so this does not fail; it returns a `Result` as aws-sdk-rust's input builders do."
        )
    } else if s.build_is_fallible() {
        format!(" Builds the [`{struct_label}`], failing if a required member was not set.")
    } else {
        format!(" Builds the [`{struct_label}`].")
    };
    let error_impls = s.error.as_ref().map(|e| error_impls(s, e)).unwrap_or_default();
    let validate = super::validators::for_structure(s, always_validate);
    let codecs = super::protocol::structure_codecs(ir, s, request_id);
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #debug_derive)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#accessors)*
            #[doc = #new_builder_doc]
            pub fn builder() -> #builder_full {
                ::std::default::Default::default()
            }

            /// A builder holding this value's members, to change some of them.
            pub fn into_builder(self) -> #builder_full {
                #builder_full { #(#to_builder)* }
            }
        }

        #struct_debug

        #request_id_impls

        #(#default_fns)*

        #[doc = #builder_doc]
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::default::Default, #debug_derive)]
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#builder_methods)*
            #[doc = #build_doc]
            pub fn build(self) -> #build_ret {
                #build_body
            }
        }

        #builder_debug

        #error_impls

        #validate

        #codecs
    }
}

/// `CODE`, `FAULT`, `message()`, `Display` and `std::error::Error` for error structures: they print their code and
/// message.
fn error_impls(s: &Structure, e: &ErrorInfo) -> TokenStream {
    let name = ident(&s.path.name);
    let code = &e.code;
    let (get, display) = match &e.message {
        Some(m) => {
            let fname = ident(&m.field);
            let get = if m.optional {
                quote!(self.#fname.as_deref())
            } else {
                quote!(::std::option::Option::Some(self.#fname.as_str()))
            };
            let display = quote! {
                match #get {
                    ::std::option::Option::Some(m) => ::std::write!(f, "{}: {}", Self::CODE, m),
                    ::std::option::Option::None => f.write_str(Self::CODE),
                }
            };
            (get, display)
        }
        None => (quote!(::std::option::Option::None), quote!(f.write_str(Self::CODE))),
    };
    let msg_fn = match (&e.message, e.message_method) {
        (_, false) => quote!(),
        (Some(_), true) => quote! {
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> { #get }
        },
        (None, true) => quote! {
            /// The error message; this error has none in the model.
            pub fn message(&self) -> ::std::option::Option<&str> { #get }
        },
    };
    let fault = e.fault.as_str();
    let code_doc = format!(" The error code on the wire: `{code}`.");
    quote! {
        impl #name {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;
            /// Whether the model blames the caller (`client`) or the service (`server`).
            pub const FAULT: &'static str = #fault;
            #msg_fn
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}

        impl crate::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &crate::error::ErrorMetadata {
                &self.meta
            }
        }

        impl crate::error::RequestId for #name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                crate::error::RequestId::request_id(&self.meta)
            }
        }
    }
}

/// The accessor's return type and body, in the aws-sdk-rust style.
fn accessor(f: &Field) -> (TokenStream, TokenStream) {
    let name = ident(&f.name);
    let base = rust_type(&f.ty.ty);
    match (&f.ty.ty, f.optional) {
        (Type::String, true) => (quote!(::std::option::Option<&str>), quote!(self.#name.as_deref())),
        (Type::String, false) => (quote!(&str), quote!(&self.#name)),
        (Type::List { member, sparse }, true) => {
            let item = element_type(member, *sparse);
            (quote!(&[#item]), quote!(self.#name.as_deref().unwrap_or_default()))
        }
        (Type::List { member, sparse }, false) => {
            let item = element_type(member, *sparse);
            (quote!(&[#item]), quote!(&self.#name))
        }
        (t, true) if is_copy(t) => (quote!(::std::option::Option<#base>), quote!(self.#name)),
        (t, false) if is_copy(t) => (quote!(#base), quote!(self.#name)),
        (_, true) if f.boxed => (quote!(::std::option::Option<&#base>), quote!(self.#name.as_deref())),
        (_, true) => (quote!(::std::option::Option<&#base>), quote!(self.#name.as_ref())),
        (_, false) => (quote!(&#base), quote!(&self.#name)),
    }
}

/// A string enum or int enum that keeps values it does not know.
pub fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.path.name);
    let deprecated = deprecated_attr(&e.deprecated);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let variant_docs: Vec<_> = e
        .variants
        .iter()
        .map(|v| {
            let value = match &v.value {
                Value::String(s) => format!("`{s}`"),
                other => format!("`{other}`"),
            };
            let text = if v.docs.is_empty() {
                format!("The value {value}.")
            } else {
                format!("{}\n\nWire value: {value}.", v.docs)
            };
            let dep = deprecated_attr(&v.deprecated);
            let d = doc_attrs(&text);
            quote!(#d #dep)
        })
        .collect();
    let reader = if e.int { "as_i32" } else { "as_str" };
    let unknown_doc =
        format!(" A value this version of the crate does not know. It round-trips unchanged; read it with `{reader}`.");
    let docs = doc_attrs(&format!(
        "{}\n\nValues the service adds later decode as [`Unknown`](Self::Unknown) and serialize back unchanged; \
         match them through `{reader}`, and build any value with `From`.",
        e.docs
    ));
    if e.int {
        let values: Vec<i32> = e.variants.iter().map(|v| v.value.as_i64().unwrap_or(0) as i32).collect();
        return quote! {
            #docs
            #deprecated
            #[non_exhaustive]
            #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::fmt::Debug)]
            pub enum #name {
                #( #variant_docs #variants, )*
                #[doc = #unknown_doc]
                Unknown(crate::primitives::UnknownIntVariantValue),
            }
            impl #name {
                /// The integer value on the wire.
                pub fn as_i32(&self) -> i32 {
                    match self {
                        #( #name::#variants => #values, )*
                        #name::Unknown(v) => v.value(),
                    }
                }
                /// Every value known to this version of the crate.
                pub const fn values() -> &'static [i32] {
                    &[#(#values),*]
                }
            }
            impl ::std::convert::From<i32> for #name {
                fn from(value: i32) -> Self {
                    match value {
                        #( #values => #name::#variants, )*
                        other => #name::Unknown(crate::primitives::UnknownIntVariantValue::new(other)),
                    }
                }
            }

            impl ::std::convert::From<#name> for i32 {
                fn from(value: #name) -> i32 {
                    value.as_i32()
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(&self.as_i32(), f)
                }
            }
        };
    }
    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str().unwrap_or_default()).collect();
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::hash::Hash, ::std::fmt::Debug)]
        pub enum #name {
            #( #variant_docs #variants, )*
            #[doc = #unknown_doc]
            Unknown(crate::primitives::UnknownVariantValue),
        }
        impl #name {
            /// The string value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #values, )*
                    #name::Unknown(v) => v.as_str(),
                }
            }
            /// Every value known to this version of the crate.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#variants, )*
                    other => #name::Unknown(crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                #name::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(#name::from(s))
            }
        }

        impl ::std::convert::From<#name> for ::std::string::String {
            fn from(value: #name) -> ::std::string::String {
                value.as_str().to_owned()
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// A union: one variant per member, plus `Unknown` for members added later.
pub fn union(ir: &Ir, u: &Union) -> TokenStream {
    let validate = super::validators::for_union(u);
    let codecs = super::protocol::union_codecs(ir, u);
    let name = ident(&u.path.name);
    let docs = doc_attrs(&u.docs);
    let deprecated = deprecated_attr(&u.deprecated);
    let mut variants = Vec::new();
    let mut accessors = Vec::new();
    let mut debug_arms = Vec::new();
    for v in &u.variants {
        let vname = ident(&v.name);
        let vdocs = doc_attrs(&v.docs);
        let vdep = deprecated_attr(&v.deprecated);
        let wire = &v.wire_name;
        let label = &v.name;
        let redact = u.sensitive || v.sensitive;
        match &v.ty {
            Some(t) => {
                let value_ty = rust_type(&t.ty);
                let inner = if v.boxed { quote!(::std::boxed::Box<#value_ty>) } else { value_ty.clone() };
                let borrow = if v.boxed { quote!(v.as_ref()) } else { quote!(v) };
                variants.push(quote!(#vdocs #vdep #vname(#inner),));
                let as_fn = ident(&v.as_method);
                let is_fn = ident(&v.is_method);
                let as_doc = format!(" The `{wire}` value, or `Err(self)` when the union holds another member.");
                let is_doc = format!(" Whether the union holds `{wire}`.");
                accessors.push(quote! {
                    #[doc = #as_doc]
                    #vdep
                    pub fn #as_fn(&self) -> ::std::result::Result<&#value_ty, &Self> {
                        if let #name::#vname(v) = self { ::std::result::Result::Ok(#borrow) } else { ::std::result::Result::Err(self) }
                    }
                    #[doc = #is_doc]
                    #vdep
                    pub fn #is_fn(&self) -> bool {
                        self.#as_fn().is_ok()
                    }
                });
                debug_arms.push(if redact {
                    quote!(#name::#vname(_) => f.debug_tuple(#label).field(&#REDACTED).finish(),)
                } else {
                    quote!(#name::#vname(v) => f.debug_tuple(#label).field(v).finish(),)
                });
            }
            None => {
                variants.push(quote!(#vdocs #vdep #vname,));
                let is_fn = ident(&v.is_method);
                let is_doc = format!(" Whether the union holds `{wire}`.");
                accessors.push(quote! {
                    #[doc = #is_doc]
                    #vdep
                    pub fn #is_fn(&self) -> bool {
                        matches!(self, #name::#vname)
                    }
                });
                debug_arms.push(quote!(#name::#vname => f.write_str(#label),));
            }
        }
    }
    quote! {
        #docs
        #deprecated
        #[non_exhaustive]
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the crate does not know. It cannot be sent back to the service.
            Unknown,
        }

        impl #name {
            #(#accessors)*
            /// Whether the union holds a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                }
            }
        }

        #validate

        #codecs
    }
}
