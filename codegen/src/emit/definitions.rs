//! `src/definition_schema.rs`, behind the `definitions` feature: the step kinds' shapes as the runtime's schema
//! tables (`crate::schema`), the step kinds (`crate::definition_check::StepKind`), the patterns the tables need that
//! `crate::patterns` does not have, and `PipelineDefinition::check`, which hands the tables to the runtime.

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
        let properties = k.properties.iter().map(|p| Literal::u16_unsuffixed(*p));
        quote! {
            crate::definition_check::StepKind {
                name: #name,
                arguments: #arguments,
                optional: &[#(#optional),*],
                unsupported: &[#(#unsupported),*],
                properties: &[#(#properties),*],
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
