//! awsJson 1.0 and 1.1: the runtime module `aws_json` does the work; types derive serde with wire names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;

/// `&crate::aws_json::AwsJson { … }` for the service.
pub fn service_protocol(ir: &Ir) -> TokenStream {
    let target_prefix = &ir.service.target_prefix;
    let content_type = ir.service.protocol.content_type();
    quote!(&crate::aws_json::AwsJson { target_prefix: #target_prefix, content_type: #content_type })
}

/// The input as a JSON object.
pub fn serialize_input() -> TokenStream {
    quote!(crate::aws_json::serialize(&self))
}

/// The output from a JSON object.
pub fn decode_output() -> TokenStream {
    quote!(crate::aws_json::decode_output)
}

/// A modeled error from its JSON body, the message read from the response put under its member name.
pub fn decode_error(message_member: Option<&str>) -> TokenStream {
    let member = match message_member {
        Some(m) => quote!(::std::option::Option::Some(#m)),
        None => quote!(::std::option::Option::None),
    };
    quote!(crate::aws_json::decode_error(body, #member, &meta))
}
