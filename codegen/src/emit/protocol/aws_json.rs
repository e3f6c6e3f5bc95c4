//! awsJson 1.0 and 1.1: the runtime module `aws_json` does the work. Each structure and union that goes on the wire
//! gets plain codec code on `aws-smithy-json`: an impl of `aws_json::WriteObject` when requests carry it, of
//! `aws_json::ReadStructure` or `aws_json::ReadUnion` when responses do, each member one line calling the runtime's
//! writers (`aws_json::ObjectWriter`'s methods, `aws_json::write::*`) or reader (`aws_json::Reader`, its value put
//! into the builder by `aws_json::set`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{builder_path, ident, rust_type, type_path};
use crate::ir::{Field, Ir, NamedKind, Operation, Structure, TimestampFormat, Type, Union};

/// `&crate::aws_json::AwsJson { … }` for the service.
pub fn service_protocol(ir: &Ir) -> TokenStream {
    let content_type = static_header_value(ir.service.protocol.content_type());
    let query_compatible = ir.service.query_compatible;
    quote!(&crate::aws_json::AwsJson {
        content_type: #content_type,
        query_compatible: #query_compatible,
    })
}

/// An operation's `target`: its `X-Amz-Target`, `Service.Operation`.
pub fn operation_target(ir: &Ir, op: &Operation) -> TokenStream {
    static_header_value(&ir.service.target(op))
}

/// A `fn() -> HeaderValue` returning `value`, made and checked when the generated crate is compiled (a `const`
/// block: a value that cannot be a header fails the build), so that no call makes or checks it.
fn static_header_value(value: &str) -> TokenStream {
    quote!(|| const { ::http::HeaderValue::from_static(#value) })
}

/// The body of an input: its JSON object.
pub fn serialize_input_fn() -> TokenStream {
    quote!(crate::aws_json::serialize_input)
}

/// The output from a JSON object, erased, with the request id.
pub fn decode_output() -> TokenStream {
    quote!(crate::aws_json::decode_output_erased)
}

/// A modeled error from its JSON body; its `ReadStructure` impl puts the message the metadata read under its message
/// member.
pub fn decode_error() -> TokenStream {
    quote!(crate::aws_json::decode_error(body, &meta))
}

/// `|v| <JSON text of v>` for the items of a `@uniqueItems` list compared by their JSON form (`Option`s when the
/// list is sparse).
pub fn json_form(item: &Type, sparse: bool) -> TokenStream {
    if sparse {
        let write = writer(item);
        quote!(|v| crate::aws_json::canonical(|w| crate::aws_json::write::nullable(w, v, #write)))
    } else {
        let write = write_value(item, quote!(w), quote!(v));
        quote!(|v| crate::aws_json::canonical(|w| #write))
    }
}

/// The codecs of a structure: a writer when requests carry it, a reader when responses do. `request_id`: the
/// structure is an operation output, with the hidden request id member.
pub fn structure_codecs(s: &Structure, request_id: bool) -> TokenStream {
    let name = type_path(&s.path);
    let mut out = TokenStream::new();
    if s.wire.write || s.wire.test_write() {
        let members: Vec<TokenStream> = s.fields.iter().map(write_member).collect();
        let object = if members.is_empty() { quote!(_object) } else { quote!(object) };
        let (cfg, doc) = gate(s.wire.write, "Requests carry", "The test doubles answer with");
        let doc = format!(" {doc} this structure as a JSON object of the members that are set, by wire name.");
        out.extend(quote! {
            #[doc = #doc]
            #cfg
            impl crate::aws_json::WriteObject for #name {
                fn write_members(
                    &self,
                    #object: &mut crate::aws_json::ObjectWriter<'_>,
                ) -> ::std::result::Result<(), crate::aws_json::JsonError> {
                    #(#members)*
                    ::std::result::Result::Ok(())
                }
            }
        });
    }
    if s.wire.read || s.wire.test_read {
        let builder = builder_path(&s.path);
        // An error's message is read as the metadata's is: cut at the runtime's limit, so a huge message is not
        // copied whole next to the body the raw response keeps.
        let message_field = s.error.as_ref().and_then(|e| e.message.as_ref()).map(|m| m.field.as_str());
        let arms = s.fields.iter().map(|f| {
            let wire = &f.wire_name;
            let field = ident(&f.name);
            let read = if message_field == Some(f.name.as_str()) { quote!(r.message()) } else { read_value(&f.ty.ty) };
            if f.boxed {
                quote!(#wire => crate::aws_json::set(&mut members.#field, #read.map(|v| v.map(::std::boxed::Box::new))),)
            } else {
                quote!(#wire => crate::aws_json::set(&mut members.#field, #read),)
            }
        });
        let read_member = if s.fields.is_empty() {
            quote! {
                fn read_member(
                    _members: &mut Self::Members,
                    _name: &str,
                    _r: &mut crate::aws_json::Reader<'_>,
                ) -> ::std::result::Result<bool, crate::aws_json::JsonError> {
                    ::std::result::Result::Ok(false)
                }
            }
        } else {
            quote! {
                fn read_member(
                    members: &mut Self::Members,
                    name: &str,
                    r: &mut crate::aws_json::Reader<'_>,
                ) -> ::std::result::Result<bool, crate::aws_json::JsonError> {
                    match name {
                        #(#arms)*
                        _ => ::std::result::Result::Ok(false),
                    }
                }
            }
        };
        let finish_members = if s.fields.is_empty() { quote!(_members) } else { quote!(members) };
        let inits = s.fields.iter().map(finish_field);
        let request_id = request_id.then(|| quote!(_request_id: ::std::option::Option::None,));
        // An error's metadata is set from the response after it is read.
        let meta = s.error.is_some().then(|| quote!(meta: ::std::default::Default::default(),));
        let set_message = s.error.as_ref().and_then(|e| e.message.as_ref()).map(|m| {
            let field = ident(&m.field);
            let body = if m.optional {
                quote! {
                    if self.#field.is_none() {
                        self.#field = ::std::option::Option::Some(message.to_owned());
                    }
                }
            } else {
                quote! {
                    if self.#field.is_empty() {
                        self.#field = message.to_owned();
                    }
                }
            };
            quote! {
                fn set_message_if_unset(&mut self, message: &str) {
                    #body
                }
            }
        });
        let (cfg, doc) = gate(s.wire.read, "Responses carry", "The test doubles read requests that carry");
        let doc = [
            format!(" {doc} this structure as a JSON object: members by wire name, members this crate does not"),
            " know skipped, missing ones defaulted (or corrected, when required).".to_owned(),
        ];
        out.extend(quote! {
            #(#[doc = #doc])*
            #cfg
            impl crate::aws_json::ReadStructure for #name {
                type Members = #builder;

                #read_member

                fn finish(#finish_members: Self::Members) -> Self {
                    #name {
                        #(#inits)*
                        #request_id
                        #meta
                    }
                }

                #set_message
            }
        });
    }
    out
}

/// A codec needed without the `test-util` feature is emitted as it is; one only the test doubles need is behind
/// the feature. Returns the attribute, if any, and the start of the codec's documentation.
fn gate(plain: bool, plain_doc: &'static str, test_doc: &'static str) -> (Option<TokenStream>, &'static str) {
    if plain {
        (None, plain_doc)
    } else {
        (Some(quote!(#[cfg(feature = "test-util")])), test_doc)
    }
}

/// `if let Some(v) = &self.x { object.member("X", |w| …)?; }`, or the unconditional write of a member that always
/// has a value (`let v = &self.x; object.member("X", |w| …)?;`); a string, enum, number, boolean, structure or union
/// member through the `ObjectWriter` method of its kind instead (`object.string("X", v);`), without a closure.
fn write_member(f: &Field) -> TokenStream {
    let wire = &f.wire_name;
    let field = ident(&f.name);
    if let Some(write) = direct_write(&f.ty.ty, wire) {
        return if f.optional {
            quote! {
                if let ::std::option::Option::Some(v) = &self.#field {
                    #write
                }
            }
        } else {
            quote! {
                let v = &self.#field;
                #write
            }
        };
    }
    if f.optional {
        let write = write_value(&f.ty.ty, quote!(w), quote!(v));
        quote! {
            if let ::std::option::Option::Some(v) = &self.#field {
                object.member(#wire, |w| #write)?;
            }
        }
    } else {
        let write = write_value(&f.ty.ty, quote!(w), quote!(v));
        quote! {
            let v = &self.#field;
            object.member(#wire, |w| #write)?;
        }
    }
}

/// The statement writing the member `wire` whose value `v` (a reference) has a kind `ObjectWriter` writes with a
/// method of its own (no closure; no `Result` where writing cannot fail), or `None` for the other kinds.
fn direct_write(ty: &Type, wire: &str) -> Option<TokenStream> {
    Some(match ty {
        Type::String => quote!(object.string(#wire, v);),
        Type::Named(_, NamedKind::Enum) => quote!(object.string(#wire, v.as_str());),
        Type::Named(_, NamedKind::IntEnum) => quote!(object.integer(#wire, i64::from(v.as_i32()));),
        Type::Bool => quote!(object.boolean(#wire, *v);),
        Type::Long => quote!(object.integer(#wire, *v);),
        Type::Byte | Type::Short | Type::Integer => quote!(object.integer(#wire, i64::from(*v));),
        Type::Double => quote!(object.double(#wire, *v);),
        Type::Named(_, NamedKind::Structure | NamedKind::Union) => quote!(object.object(#wire, v)?;),
        _ => return None,
    })
}

/// A field's value in `finish`: what was read, else its default, else (a required member the service left out) the
/// value client error correction gives it.
fn finish_field(f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let value = if f.optional {
        quote!(members.#field)
    } else if let Some(default) = &f.default {
        if *default == crate::ir::DefaultValue::Zero {
            quote!(members.#field.unwrap_or_default())
        } else {
            let fun = ident(f.default_fn.as_deref().unwrap_or_default());
            quote!(members.#field.unwrap_or_else(#fun))
        }
    } else {
        let t = rust_type(&f.ty.ty);
        let corrected = match &f.ty.ty {
            Type::Timestamp(_) => Some(quote!(crate::primitives::DateTime::from_secs(0))),
            Type::Named(_, NamedKind::Enum) => Some(quote!(#t::from(""))),
            Type::Named(_, NamedKind::IntEnum) => Some(quote!(#t::from(0))),
            Type::Named(_, NamedKind::Union) if !f.boxed => {
                return quote!(#field: members.#field.unwrap_or(#t::Unknown),)
            }
            Type::Named(_, NamedKind::Union) => Some(quote!(#t::Unknown)),
            Type::Named(_, NamedKind::Structure) if !f.boxed => {
                return quote!(#field: members.#field.unwrap_or_else(crate::aws_json::corrected::<#t>),)
            }
            Type::Named(_, NamedKind::Structure) => Some(quote!(crate::aws_json::corrected::<#t>())),
            _ => None,
        };
        match (corrected, f.boxed) {
            (None, _) => quote!(members.#field.unwrap_or_default()),
            (Some(v), true) => quote!(members.#field.unwrap_or_else(|| ::std::boxed::Box::new(#v))),
            (Some(v), false) => quote!(members.#field.unwrap_or_else(|| #v)),
        }
    };
    quote!(#field: #value,)
}

/// The codecs of a union: a writer when requests carry it, a reader when responses do.
pub fn union_codecs(u: &Union) -> TokenStream {
    let name = type_path(&u.path);
    let mut out = TokenStream::new();
    if u.wire.write || u.wire.test_write() {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let wire = &v.wire_name;
            match &v.ty {
                Some(t) => {
                    let write = write_value(&t.ty, quote!(w), quote!(v));
                    quote!(#name::#variant(v) => object.member(#wire, |w| #write),)
                }
                None => quote!(#name::#variant => object.member(#wire, crate::aws_json::write::unit),),
            }
        });
        let (cfg, doc) = gate(u.wire.write, "Requests carry", "The test doubles answer with");
        let doc = format!(" {doc} this union as a JSON object with its one member.");
        out.extend(quote! {
            #[doc = #doc]
            #cfg
            impl crate::aws_json::WriteObject for #name {
                fn write_members(
                    &self,
                    object: &mut crate::aws_json::ObjectWriter<'_>,
                ) -> ::std::result::Result<(), crate::aws_json::JsonError> {
                    match self {
                        #(#arms)*
                        #name::Unknown => ::std::result::Result::Err(crate::aws_json::JsonError::new(
                            "cannot send a union member this version of the crate does not know",
                        )),
                    }
                }
            }
        });
    }
    if u.wire.read || u.wire.test_read {
        let arms = u.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let wire = &v.wire_name;
            match &v.ty {
                Some(t) => {
                    let read = read_value(&t.ty);
                    if v.boxed {
                        quote!(#wire => #read?.map(|v| #name::#variant(::std::boxed::Box::new(v))),)
                    } else {
                        quote!(#wire => #read?.map(#name::#variant),)
                    }
                }
                None => quote! {
                    #wire => {
                        r.skip()?;
                        ::std::option::Option::Some(#name::#variant)
                    }
                },
            }
        });
        let r = if u.variants.is_empty() { quote!(_r) } else { quote!(r) };
        let (cfg, doc) = gate(u.wire.read, "Responses carry", "The test doubles read requests that carry");
        let doc = [
            format!(" {doc} this union as a JSON object with one member set; a member this crate does not know"),
            " is `Unknown`.".to_owned(),
        ];
        out.extend(quote! {
            #(#[doc = #doc])*
            #cfg
            impl crate::aws_json::ReadUnion for #name {
                fn read_variant(
                    name: &str,
                    #r: &mut crate::aws_json::Reader<'_>,
                ) -> ::std::result::Result<::std::option::Option<Self>, crate::aws_json::JsonError> {
                    ::std::result::Result::Ok(match name {
                        #(#arms)*
                        _ => ::std::option::Option::None,
                    })
                }

                const UNKNOWN: Self = #name::Unknown;
            }
        });
    }
    out
}

/// An expression of type `Result<(), JsonError>` writing the value `v` (a reference) of type `ty` into the
/// `ValueWriter` `w`.
fn write_value(ty: &Type, w: TokenStream, v: TokenStream) -> TokenStream {
    match ty {
        Type::Named(_, NamedKind::IntEnum) => quote!(crate::aws_json::write::integer(#w, &#v.as_i32())),
        Type::Timestamp(format) => {
            let format = match format {
                TimestampFormat::EpochSeconds => quote!(EpochSeconds),
                TimestampFormat::DateTime => quote!(DateTime),
                TimestampFormat::HttpDate => quote!(HttpDate),
            };
            quote!(crate::aws_json::write::timestamp(#w, #v, crate::primitives::DateTimeFormat::#format))
        }
        Type::List { member, sparse } => {
            let item = writer(&member.ty);
            if *sparse {
                quote!(crate::aws_json::write::sparse_list(#w, #v, #item))
            } else {
                quote!(crate::aws_json::write::list(#w, #v, #item))
            }
        }
        Type::Map { value, sparse, .. } => {
            let value = writer(&value.ty);
            if *sparse {
                quote!(crate::aws_json::write::sparse_map(#w, #v, #value))
            } else {
                quote!(crate::aws_json::write::map(#w, #v, #value))
            }
        }
        _ => {
            let write = writer(ty);
            quote!(#write(#w, #v))
        }
    }
}

/// The writer of values of `ty`, a `fn(ValueWriter, &T) -> Result<(), JsonError>`: the runtime's function where
/// one fits, else a closure.
fn writer(ty: &Type) -> TokenStream {
    let function = match ty {
        Type::String | Type::Named(_, NamedKind::Enum) => quote!(string),
        Type::Bool => quote!(boolean),
        Type::Byte | Type::Short | Type::Integer | Type::Long => quote!(integer),
        Type::BigInteger => quote!(big_integer),
        Type::Float => quote!(float),
        Type::Double | Type::BigDecimal => quote!(double),
        Type::Blob => quote!(blob),
        Type::Document => quote!(document),
        Type::Named(_, NamedKind::Structure | NamedKind::Union) => quote!(object),
        Type::Named(_, NamedKind::IntEnum) | Type::Timestamp(_) | Type::List { .. } | Type::Map { .. } => {
            let write = write_value(ty, quote!(w), quote!(v));
            return quote!(|w, v| #write);
        }
    };
    quote!(crate::aws_json::write::#function)
}

/// An expression of type `Result<Option<T>, JsonError>` reading a value of type `ty` from the reader `r`.
fn read_value(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(r.string()),
        Type::Bool => quote!(r.boolean()),
        Type::Byte => quote!(r.integer::<i8>()),
        Type::Short => quote!(r.integer::<i16>()),
        Type::Integer => quote!(r.integer::<i32>()),
        Type::Long => quote!(r.integer::<i64>()),
        Type::BigInteger => quote!(r.big_integer()),
        Type::Float => quote!(r.float()),
        Type::Double | Type::BigDecimal => quote!(r.double()),
        Type::Timestamp(_) => quote!(r.timestamp()),
        Type::Blob => quote!(r.blob()),
        Type::Document => quote!(r.document()),
        Type::Named(p, kind) => {
            let t = type_path(p);
            match kind {
                NamedKind::Structure => quote!(r.structure::<#t>()),
                NamedKind::Union => quote!(r.union::<#t>()),
                NamedKind::Enum => quote!(r.string_enum::<#t>()),
                NamedKind::IntEnum => quote!(r.int_enum::<#t>()),
            }
        }
        Type::List { member, sparse } => {
            let item = read_value(&member.ty);
            if *sparse {
                quote!(r.sparse_list(|r| #item))
            } else {
                quote!(r.list(|r| #item))
            }
        }
        Type::Map { value, sparse, .. } => {
            let value = read_value(&value.ty);
            if *sparse {
                quote!(r.sparse_map(|r| #value))
            } else {
                quote!(r.map(|r| #value))
            }
        }
    }
}
