//! awsJson 1.0 and 1.1: the runtime module `aws_json` does the work; types derive serde with wire names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, TimestampFormat, Type};

/// `&crate::aws_json::AwsJson { … }` for the service.
pub fn service_protocol(ir: &Ir) -> TokenStream {
    let target_prefix = &ir.service.target_prefix;
    let content_type = ir.service.protocol.content_type();
    let query_compatible = ir.service.query_compatible;
    quote!(&crate::aws_json::AwsJson {
        target_prefix: #target_prefix,
        content_type: #content_type,
        query_compatible: #query_compatible,
    })
}

/// Floats (`NaN` and the infinities are strings) and timestamps in a text format go through an adapter of the
/// runtime's `aws_json` module, whatever collection holds them.
pub fn value_adapter(ty: &Type) -> Option<super::Adapter> {
    let adapter = |path: &'static str, tokens| Some(super::Adapter { path, tokens });
    match ty {
        Type::Float | Type::Double | Type::BigDecimal => {
            adapter("crate::aws_json::float", quote!(crate::aws_json::float))
        }
        Type::Timestamp(TimestampFormat::DateTime) => {
            adapter("crate::aws_json::date_time", quote!(crate::aws_json::date_time))
        }
        Type::Timestamp(TimestampFormat::HttpDate) => {
            adapter("crate::aws_json::http_date", quote!(crate::aws_json::http_date))
        }
        Type::List { member, .. } => value_adapter(&member.ty),
        Type::Map { value, .. } => value_adapter(&value.ty),
        _ => None,
    }
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
    quote!(crate::aws_json::decode_error(body, #member, meta))
}
