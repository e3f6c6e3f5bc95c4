//! One module per operation under `operation::`, holding its input and output types and their builders.

use quote::quote;

use super::{deprecated_attr, ident, inner_doc_attrs, types, RustFile};
use crate::ir::{Ir, Operation};

/// `src/operation/mod.rs`.
pub fn operations_mod(ir: &Ir) -> RustFile {
    let mods = ir.operations.iter().map(|op| ident(&op.module));
    let tokens = quote! {
        //! One module per operation of the service, each with its input and output types.

        /// The request id of an output or an error (`output.request_id()`), re-exported here as in aws-sdk-rust.
        pub use crate::error::RequestId;

        #( pub mod #mods; )*
    };
    RustFile { path: "src/operation/mod.rs".into(), tokens }
}

/// `src/operation/<name>.rs`.
pub fn operation_file(ir: &Ir, op: &Operation) -> RustFile {
    let name = &op.name;
    let intro = format!("The `{name}` operation.");
    let docs = if op.docs.is_empty() { intro } else { format!("{intro}\n\n{}", op.docs) };
    let docs = inner_doc_attrs(&docs);
    let input = types::structure(ir, &op.input, true);
    let output = types::output_structure(ir, &op.output);
    let input_builder = ident(&op.input.path.builder_name());
    let output_builder = ident(&op.output.path.builder_name());
    let deprecated = deprecated_attr(&op.deprecated);
    let name_doc = format!(" The operation's name on the wire (`X-Amz-Target: {}`).", ir.service.target(op));
    let extras = super::client::operation_extras(op, ir);
    let client_builders = super::client::builder_names(op);
    let paginators: Vec<_> = [op.client_types.paginator.as_ref(), op.client_types.items_paginator.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| ident(n))
        .collect();
    let paginator_mod = if paginators.is_empty() {
        quote!()
    } else {
        quote! {
            /// This operation's paginators, at aws-sdk-rust's path.
            pub mod paginator {
                pub use super::{#(#paginators),*};
            }
        }
    };
    let tokens = quote! {
        #docs

        #[doc = #name_doc]
        #deprecated
        pub const OPERATION_NAME: &str = #name;

        #input
        #output

        #extras

        /// Builders for this operation's input and output, and its client-side builders.
        pub mod builders {
            pub use super::{#input_builder, #output_builder};
            pub use super::{#(#client_builders),*};
        }

        #paginator_mod
    };
    RustFile { path: format!("src/operation/{}.rs", crate::ident::unraw(&op.module)), tokens }
}
