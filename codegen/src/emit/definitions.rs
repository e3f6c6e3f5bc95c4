//! `src/definition_schema.rs`, behind the `definitions` feature: the step kinds' shapes as the runtime's schema
//! tables (`crate::schema`), the step kinds (`crate::definition_check::StepKind`), the patterns the tables need that
//! `crate::patterns` does not have, and `PipelineDefinition::check`, which hands the tables to the runtime.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::RustFile;
use crate::ir::definitions::{Definitions, PatternRef, TableChecks, TableKind, TableShape};
use crate::ir::RangeCheck;
use crate::model::shape_name;

/// The file.
pub fn file(d: &Definitions) -> RustFile {
    let shapes: Vec<TokenStream> = d.tables.shapes.iter().map(shape).collect();
    let n_shapes = Literal::usize_unsuffixed(shapes.len());
    let checks: Vec<TokenStream> = d.tables.checks.iter().map(checks).collect();
    let n_checks = Literal::usize_unsuffixed(checks.len());
    let kinds = d.kinds.iter().map(|k| {
        let name = &k.name;
        let arguments = Literal::u16_unsuffixed(k.arguments);
        let optional = &k.optional;
        let unsupported = &k.unsupported;
        let exactly_one = k.exactly_one.iter().map(|group| quote!(&[#(#group),*]));
        let only_with = k.only_with.iter().map(|[member, other]| quote!([#member, #other]));
        let step_names = &k.step_names;
        let properties = k.properties.iter().map(|p| Literal::u16_unsuffixed(*p));
        let string_properties = &k.string_properties;
        quote! {
            crate::definition_check::StepKind {
                name: #name,
                arguments: #arguments,
                optional: &[#(#optional),*],
                unsupported: &[#(#unsupported),*],
                exactly_one: &[#(#exactly_one),*],
                only_with: &[#(#only_with),*],
                step_names: &[#(#step_names),*],
                properties: &[#(#properties),*],
                string_properties: &[#(#string_properties),*],
            }
        }
    });
    let n_kinds = Literal::usize_unsuffixed(d.kinds.len());
    let max_length = match d.max_length {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let patterns = d.patterns.iter().map(super::validators::pattern_static);
    // Only what the tables use, so the file has no unused import.
    let members = || d.tables.shapes.iter().flat_map(|s| &s.members);
    let mut imports = vec![format_ident!("Checks"), format_ident!("Kind"), format_ident!("Member")];
    if d.tables.checks.iter().any(|c| c.range.is_some()) {
        imports.push(format_ident!("Range"));
    }
    imports.push(format_ident!("Shape"));
    if members().any(|m| m.required) {
        imports.push(format_ident!("REQUIRED"));
    }
    if members().any(|m| m.sensitive) {
        imports.push(format_ident!("SENSITIVE"));
    }
    let tokens = quote! {
        //! The pipeline-definition tables: the shapes of the step kinds' requests and outputs, as the data that
        //! `PipelineDefinition::check` walks (`crate::schema`), with the step kinds whose arguments they are.
        //! Generated from the model and the settings' step kinds: the shapes sorted by id, each member with its
        //! target's index in `SHAPES`, its constraints' index in `CHECKS`, and its flags.

        use crate::schema::{#(#imports),*};

        /// What `check()` knows of pipeline definitions from the model.
        pub(crate) static TABLES: crate::definition_check::Tables = crate::definition_check::Tables {
            schema: &SCHEMA,
            kinds: &KINDS,
            max_length: #max_length,
        };

        /// The shapes and their constraints.
        static SCHEMA: crate::schema::Schema = crate::schema::Schema { shapes: &SHAPES, checks: &CHECKS };

        /// The step kinds whose arguments are a request of the model, by name.
        static KINDS: [crate::definition_check::StepKind; #n_kinds] = [#(#kinds),*];

        /// The shapes, by id; a member names its target by its index here.
        static SHAPES: [Shape; #n_shapes] = [#(#shapes),*];

        /// The distinct constraints of members; a member names its own by index here.
        static CHECKS: [Checks; #n_checks] = [#(#checks),*];

        #(#patterns)*

        impl crate::definition::PipelineDefinition {
            /// Check the definition against the model, offline, and report every problem at once, each with its
            /// JSON path: the envelope (version, parameters, steps' common fields, conditions), unique step and
            /// parameter names, the arguments of each step kind whose arguments are a request of the model (unknown
            /// members with the nearest name, missing required members, JSON kinds, enum values, and the modeled
            /// lengths, ranges and patterns in the words of input validation), expressions (`Get` of a declared
            /// parameter, an execution variable or a property the step's kind has; `Std:Join`; `Std:JsonGet` of a
            /// declared property file) and their types against the argument they stand for, `DependsOn`, cycles,
            /// and the size of the text.
            pub fn check(&self) -> ::std::result::Result<(), crate::definition::CheckError> {
                crate::definition_check::check(self, &TABLES)
            }
        }
    };
    RustFile { path: "src/definition_schema.rs".into(), tokens }
}

fn shape(s: &TableShape) -> TokenStream {
    let name = shape_name(&s.id);
    let kind = match s.kind {
        TableKind::Structure => quote!(Kind::Structure),
        TableKind::Union => quote!(Kind::Union),
        TableKind::List { sparse } => quote!(Kind::List { sparse: #sparse }),
        TableKind::Map { sparse } => quote!(Kind::Map { sparse: #sparse }),
        TableKind::Simple(variant) => {
            let v = format_ident!("{variant}");
            quote!(Kind::#v)
        }
    };
    let members = s.members.iter().map(|m| {
        let name = &m.name;
        let target = Literal::u16_unsuffixed(m.target);
        let checks = Literal::u16_unsuffixed(m.checks);
        let flags = match (m.required, m.sensitive) {
            (false, false) => quote!(0),
            (true, false) => quote!(REQUIRED),
            (false, true) => quote!(SENSITIVE),
            (true, true) => quote!(REQUIRED | SENSITIVE),
        };
        quote!(Member::new(#name, #target, #checks, #flags))
    });
    let values = &s.values;
    quote! {
        Shape { name: #name, kind: #kind, members: &[#(#members),*], values: &[#(#values),*] }
    }
}

fn checks(c: &TableChecks) -> TokenStream {
    if *c == TableChecks::default() {
        return quote!(Checks::NONE);
    }
    let opt = |v: Option<u64>| match v {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let length = match c.length {
        Some((min, max)) => {
            let (min, max) = (opt(min), opt(max));
            quote!(Some((#min, #max)))
        }
        None => quote!(None),
    };
    let range = match c.range {
        None => quote!(Range::None),
        Some(RangeCheck::Int { min, max, .. }) => {
            let lit = |v: Option<i128>| match v {
                Some(v) => {
                    let l = Literal::i128_unsuffixed(v);
                    quote!(Some(#l))
                }
                None => quote!(None),
            };
            let (min, max) = (lit(min), lit(max));
            quote!(Range::Int(#min, #max))
        }
        Some(RangeCheck::Float { min, max }) => {
            let lit = |v: Option<f64>| match v {
                Some(v) => {
                    let l = Literal::f64_suffixed(v);
                    quote!(Some(#l))
                }
                None => quote!(None),
            };
            let (min, max) = (lit(min), lit(max));
            quote!(Range::Float(#min, #max))
        }
    };
    let pattern = match &c.pattern {
        None => quote!(None),
        Some(PatternRef::Crate(name)) => {
            let name = format_ident!("{name}");
            quote!(Some(&crate::patterns::#name))
        }
        Some(PatternRef::Local(name)) => {
            let name = format_ident!("{name}");
            quote!(Some(&#name))
        }
    };
    let unique = c.unique;
    quote!(Checks { length: #length, range: #range, pattern: #pattern, unique: #unique })
}

/// `src/steps.rs`, behind the feature: a step type per kind of the tables, a thin builder of each structure and union
/// their arguments reach (`steps::args`: one setter per member over the runtime's `definition::Object`, each taking a
/// literal or an expression of the slot's type), and a property path of each one their properties reach
/// (`steps::props`: one method per member, leaves are typed `Get` expressions). No codec per shape: the builders
/// write JSON values, and `check()` walks the tables.
pub fn steps_file(d: &Definitions) -> RustFile {
    let b = &d.builders;
    let shapes = &d.tables.shapes;
    let type_ident = |i: u16| format_ident!("{}", b.type_names[usize::from(i)]);
    // A shape's type from the top of `args` or `props` (`Tag`, `emr::Tag`), as tokens and as text.
    let top_path = |i: u16| (type_path(d, i, ""), text_path(d, i));
    let kinds = d.kinds.iter().zip(&b.kind_names).map(|(k, (step, merged))| {
        let step = format_ident!("{step}");
        let kind = format_ident!("{}", crate::ident::type_name(&k.name));
        let name = &k.name;
        let (arguments_type, arguments) = top_path(k.arguments);
        let request = shape_name(&shapes[usize::from(k.arguments)].id);
        let (properties, properties_doc) = match (k.properties.as_slice(), merged) {
            (_, Some(merged)) => {
                let m = format_ident!("{merged}");
                (quote!(super::props::#m), format!("properties [`{merged}`](super::props::{merged})"))
            }
            ([], None) => (quote!(crate::definition::NoProperties), "no properties".to_owned()),
            ([one], None) => {
                let (t, text) = top_path(*one);
                (quote!(super::props::#t), format!("properties [`{text}`](super::props::{text})"))
            }
            _ => unreachable!("several property shapes, or string properties, have a merged name"),
        };
        let kind_doc = format!(" `{name}`: arguments [`{request}`](super::args::{arguments}), {properties_doc}.");
        let step_doc = format!(
            " A `{name}` step: `{step}::new(\"name\").arguments(args::{arguments}::builder()…)`; its arguments are a \
             `{request}`."
        );
        (
            quote! {
                #[doc = #step_doc]
                pub type #step = StepOf<kinds::#kind>;
            },
            quote! {
                #[doc = #kind_doc]
                #[derive(Clone, Copy, Debug, PartialEq, Eq)]
                pub enum #kind {}
                impl StepType for #kind {
                    const TYPE: &'static str = #name;
                    type Properties = #properties;
                }
                impl RequestStep for #kind {
                    type Arguments = super::args::#arguments_type;
                }
            },
        )
    });
    let (steps, kinds): (Vec<TokenStream>, Vec<TokenStream>) = kinds.unzip();
    let args = b.args.iter().map(|&i| {
        let shape = &shapes[usize::from(i)];
        let from = b.modules[usize::from(i)].as_str();
        let name = type_ident(i);
        let skip = b.unsupported.get(&i);
        let what = if shape.kind == TableKind::Union { "union (set one member)" } else { "structure" };
        let doc = format!(" The `{}` {what}, for a step's arguments.", shape_name(&shape.id));
        let setters = shape.members.iter().zip(&b.method_names[usize::from(i)]).filter_map(|(m, method)| {
            if skip.is_some_and(|s| s.contains(&m.name)) {
                return None;
            }
            let method = super::ident(method);
            let member = &m.name;
            let slot = arg_slot(d, m.target, from);
            let doc = if m.required { format!(" `{member}` (required).") } else { format!(" `{member}`.") };
            Some(quote! {
                #[doc = #doc]
                pub fn #method(self, value: impl Into<#slot>) -> Self {
                    Self(self.0.set::<#slot>(#member, value))
                }
            })
        });
        let item = quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #name(Object);
            impl #name {
                /// An empty object to set members of.
                #[inline]
                pub fn builder() -> Self {
                    Self::default()
                }
                #(#setters)*
            }
            impl From<#name> for Value {
                #[inline]
                fn from(v: #name) -> Value {
                    v.0.into()
                }
            }
        };
        (from.to_owned(), item)
    });
    let args = in_modules(args, "Builders of the `{}` structures that step arguments reach.");
    // (member, method, the type it returns)
    let prop_struct = |name: &proc_macro2::Ident, doc: String, members: Vec<(String, String, TokenStream)>| {
        let methods = members.iter().map(|(member, method, slot)| {
            let method = super::ident(method);
            let doc = format!(" `{member}`.");
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn #method(&self) -> #slot {
                    FromPath::from_path(self.0.member(#member))
                }
            }
        });
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct #name(PropertyPath);
            impl FromPath for #name {
                #[inline]
                fn from_path(path: PropertyPath) -> Self {
                    Self(path)
                }
            }
            impl #name {
                /// The path, as written in a `Get`.
                #[inline]
                pub fn path(&self) -> &str {
                    self.0.as_str()
                }
                #(#methods)*
            }
        }
    };
    let members_of = |i: u16, from: &str| -> Vec<(String, String, TokenStream)> {
        let shape = &shapes[usize::from(i)];
        shape
            .members
            .iter()
            .zip(&b.method_names[usize::from(i)])
            .map(|(m, method)| (m.name.clone(), method.clone(), prop_slot(d, m.target, from)))
            .collect()
    };
    let mut props: Vec<(String, TokenStream)> = b
        .props
        .iter()
        .map(|&i| {
            let doc = format!(" The properties of a `{}`, as paths to `Get`.", shape_name(&shapes[usize::from(i)].id));
            let from = b.modules[usize::from(i)].as_str();
            (from.to_owned(), prop_struct(&type_ident(i), doc, members_of(i, from)))
        })
        .collect();
    for (k, (_, merged)) in d.kinds.iter().zip(&b.kind_names) {
        let Some(merged) = merged else { continue };
        let mut members: Vec<(String, String, TokenStream)> = Vec::new();
        for &p in &k.properties {
            for m in members_of(p, "") {
                if !members.iter().any(|(name, _, _)| *name == m.0) {
                    members.push(m);
                }
            }
        }
        // The IR refuses a string property that is also a member of a property shape.
        for p in &k.string_properties {
            members.push((p.clone(), crate::ident::field_name(p), quote!(Expr<ty::String>)));
        }
        members.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<String> =
            k.properties.iter().map(|&p| format!("`{}`", shape_name(&shapes[usize::from(p)].id))).collect();
        let mut parts = Vec::new();
        if !names.is_empty() {
            parts.push(format!("the members of {}", names.join(" and ")));
        }
        if !k.string_properties.is_empty() {
            let strings: Vec<String> = k.string_properties.iter().map(|p| format!("`{p}`")).collect();
            parts.push(format!("the strings {}", strings.join(", ")));
        }
        let doc = format!(" The properties of a `{}` step: {}.", k.name, parts.join(" and "));
        props.push((String::new(), prop_struct(&format_ident!("{merged}"), doc, members)));
    }
    let props = in_modules(props.into_iter(), "Typed paths of the `{}` properties of steps.");
    let tokens = quote! {
        //! Pipeline definitions written in Rust: a step type for each step kind whose arguments are a request of the
        //! model, with a builder of every structure those arguments reach (`args`) and a typed path of every
        //! property the steps have (`props`). Generated from the same tables as `PipelineDefinition::check`.
        //!
        //! Each setter takes a literal or an expression of its slot's type (`impl Into<Expr<ty::String>>` takes a
        //! `&str`, a `&Param<ty::String>`, an execution variable or a property); lists take arrays or `Vec`s of what
        //! their items take, maps arrays or `Vec`s of entries. Enum values are strings here, checked by `check()`
        //! with the nearest allowed value. A built step goes into `PipelineDefinition::builder().step(..)` or a
        //! condition's branch.

        use crate::definition::StepOf;
        pub use crate::definition::{CallbackStep, ConditionStep, FailStep, LambdaStep};

        #(#steps)*

        /// The step kinds: each one's `Type`, arguments and properties.
        pub mod kinds {
            use crate::definition::{RequestStep, StepType};
            #(#kinds)*
        }

        /// Builders of the structures that step arguments reach, one setter per member.
        pub mod args {
            use crate::definition::{ty, Expr, List, Map, Object, Value};
            #(#args)*
        }

        /// Typed paths of step properties: each leaf is a `Get` expression of the leaf's type.
        pub mod props {
            use crate::definition::{ty, Expr, FromPath, PropertyList, PropertyMap, PropertyPath};
            #(#props)*
        }
    };
    RustFile { path: "src/steps.rs".into(), tokens }
}

/// Items by module (empty for the top) as the top's items followed by one `pub mod` per other module, whose items see
/// the top's (`use super::*`); `doc` has a `{}` for the module's name.
fn in_modules(items: impl Iterator<Item = (String, TokenStream)>, doc: &str) -> Vec<TokenStream> {
    let mut by_module: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for (module, item) in items {
        by_module.entry(module).or_default().push(item);
    }
    let mut out = by_module.remove("").unwrap_or_default();
    for (module, items) in by_module {
        let doc = format!(" {}", doc.replace("{}", &module));
        let name = format_ident!("{module}");
        out.push(quote! {
            #[doc = #doc]
            pub mod #name {
                use super::*;
                #(#items)*
            }
        });
    }
    out
}

/// The path of shape `i`'s type from the module `from` of `args` or `props` (empty for the top).
fn type_path(d: &Definitions, i: u16, from: &str) -> TokenStream {
    let name = format_ident!("{}", d.builders.type_names[usize::from(i)]);
    let module = d.builders.modules[usize::from(i)].as_str();
    match (from, module) {
        (a, b) if a == b => quote!(#name),
        ("", m) => {
            let m = format_ident!("{m}");
            quote!(#m::#name)
        }
        (_, "") => quote!(super::#name),
        (_, m) => {
            let m = format_ident!("{m}");
            quote!(super::#m::#name)
        }
    }
}

/// The path of shape `i`'s type from the top of `args` or `props`, as text (`emr::Step`).
fn text_path(d: &Definitions, i: u16) -> String {
    let name = &d.builders.type_names[usize::from(i)];
    match d.builders.modules[usize::from(i)].as_str() {
        "" => name.clone(),
        m => format!("{m}::{name}"),
    }
}

/// The type a setter of a member targeting `target` takes, in the module `from`.
fn arg_slot(d: &Definitions, target: u16, from: &str) -> TokenStream {
    slot(d, target, &Slots { list: quote!(List), map: quote!(Map), document: quote!(Value) }, from)
}

/// The type a property path method of a member targeting `target` returns, in the module `from`.
fn prop_slot(d: &Definitions, target: u16, from: &str) -> TokenStream {
    let slots = Slots { list: quote!(PropertyList), map: quote!(PropertyMap), document: quote!(Expr<ty::Any>) };
    slot(d, target, &slots, from)
}

/// How a slot wraps lists, maps and documents: the arguments' builders and the properties' paths differ only there.
struct Slots {
    list: TokenStream,
    map: TokenStream,
    document: TokenStream,
}

/// The type of a slot for a member targeting `target`: a structure's or union's own type, a list or map of the slots
/// of its items, or an expression of the simple type's kind.
fn slot(d: &Definitions, target: u16, slots: &Slots, from: &str) -> TokenStream {
    let shape = &d.tables.shapes[usize::from(target)];
    match shape.kind {
        TableKind::Structure | TableKind::Union => type_path(d, target, from),
        TableKind::List { .. } => {
            let (list, item) = (&slots.list, slot(d, shape.members[0].target, slots, from));
            quote!(#list<#item>)
        }
        TableKind::Map { .. } => {
            let (map, value) = (&slots.map, slot(d, shape.members[1].target, slots, from));
            quote!(#map<#value>)
        }
        TableKind::Simple("Document") => slots.document.clone(),
        TableKind::Simple(simple) => {
            let t = format_ident!("{}", expr_type(simple));
            quote!(Expr<ty::#t>)
        }
    }
}

/// The expression type of a simple shape (`schema::Kind`'s variant name), as `check()` types it.
fn expr_type(simple: &str) -> &'static str {
    match simple {
        "Boolean" => "Boolean",
        "IntEnum" | "Byte" | "Short" | "Integer" | "Long" | "BigInteger" => "Integer",
        "Float" | "Double" | "BigDecimal" => "Float",
        _ => "String",
    }
}
