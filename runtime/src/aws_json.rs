//! The awsJson 1.0 and 1.1 protocols: `POST /` with the operation named in `X-Amz-Target`, the input as a JSON
//! object, the output as a JSON object, and errors named by `X-Amzn-ErrorType` or the body's `__type` / `code`.
//!
//! Everything here is specific to the wire format; the attempt loop in `invoke` only sees a [`Protocol`].
//!
//! Bodies are written with `aws-smithy-json`, the writer of aws-sdk-rust, and read by [`Reader`], one pass over the
//! bytes with `aws-smithy-json`'s grammar (which also reads documents). The generator
//! describes each structure and union that goes on the wire with the traits below ([`WriteObject`],
//! [`ReadStructure`], [`ReadUnion`]): which member has which wire name and how its value is written or read, as calls
//! to the helpers of this module ([`write`] and [`Reader`]). Everything the values share is written here once:
//! timestamps in each `@timestampFormat`, floats with `NaN` and the infinities as strings, base64 blobs, documents,
//! sparse and dense collections, skipping members this crate does not know, a bound on nesting, and errors that name
//! the JSON path of the value at fault (`$.Steps[2].StartTime`).

// The readers and writers are a kit for every model: each generated crate calls those its shapes need.
#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt;

use aws_smithy_json::serialize::JsonValueWriter;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime, Document, Number};

use crate::error::ErrorResponse;
use crate::http::{header, Response};
use crate::invoke::{Operation, Protocol, UnsignedRequest};
use http::{HeaderName, HeaderValue};

/// An awsJson protocol of one service.
#[derive(Debug)]
pub struct AwsJson {
    /// `application/x-amz-json-1.0` or `application/x-amz-json-1.1`: a function returning a `const` value, checked
    /// as a header value when the crate is compiled (as each operation's `X-Amz-Target`, `Operation::target`).
    pub content_type: fn() -> HeaderValue,
    /// `@awsQueryCompatible`: requests say `x-amzn-query-mode: true`, and an `x-amzn-query-error` response header
    /// (`Code;Fault`) gives the error code.
    pub query_compatible: bool,
}

impl Protocol for AwsJson {
    fn request(&self, operation: &Operation, body: Vec<u8>) -> Result<UnsignedRequest, crate::error::BoxError> {
        const TARGET: HeaderName = HeaderName::from_static("x-amz-target");
        const QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");
        let mut headers = Vec::with_capacity(3);
        headers.push((http::header::CONTENT_TYPE, (self.content_type)()));
        headers.push((TARGET, (operation.target)()));
        if self.query_compatible {
            headers.push((QUERY_MODE, HeaderValue::from_static("true")));
        }
        Ok(UnsignedRequest { method: "POST", path: "/", headers, body })
    }

    fn error_metadata(&self, response: &Response) -> ErrorResponse {
        let body = ErrorBody::read(response.body());
        let error_type = error_code(header(response, "x-amzn-errortype"), &body);
        let query_code = header(response, "x-amzn-query-error")
            .filter(|_| self.query_compatible)
            .and_then(|h| h.split(';').next())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let (code, error_type) = match query_code {
            Some(code) => (Some(code), error_type),
            None => (error_type, None),
        };
        let status = response.status().as_u16();
        // Only a response without a code is described by what arrived.
        let summary = match code {
            Some(_) => String::new(),
            None => crate::error::describe_response(status, header(response, "content-type"), response.body()),
        };
        ErrorResponse {
            status,
            code,
            error_type,
            message: body.message,
            request_id: header(response, "x-amzn-requestid").map(str::to_owned),
            summary,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Error bodies

/// The most of an error's message (or code) that an error keeps, in bytes: a longer one is cut at a character
/// boundary and ends with a note of its whole length ([`Reader::message`]). The whole body stays in the error's raw
/// response, which shares the buffer the body was read into, so a huge message costs the body once and this much
/// again, where a copy would double it.
pub const MESSAGE_LIMIT: usize = 64 * 1024;

/// The members of an error body that name and describe the error; each is kept only when it is a string, and cut
/// at [`MESSAGE_LIMIT`] bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// `__type`.
    pub type_name: Option<String>,
    /// `code`.
    pub code: Option<String>,
    /// The message: `message`, else `Message`, else `errorMessage`.
    pub message: Option<String>,
}

impl ErrorBody {
    /// Read the top-level members of an error body. A body that is not a JSON object (HTML from a proxy, nothing at
    /// all) has none of them. Of the message members only the one preferred so far is kept: a body with all three
    /// holds one copy at a time.
    pub fn read(body: &[u8]) -> ErrorBody {
        /// The preference of each message member, lower first.
        const MESSAGES: [&str; 3] = ["message", "Message", "errorMessage"];
        let mut found = ErrorBody::default();
        let mut message_rank = MESSAGES.len();
        let mut r = Reader::new(body);
        let read = r.object(JsonError::in_member, &mut |r, name| {
            let slot = match name {
                "__type" => &mut found.type_name,
                "code" => &mut found.code,
                _ => match MESSAGES.iter().position(|m| *m == name) {
                    Some(rank) if rank <= message_rank && r.peek_kind() == Some("a string") => {
                        message_rank = rank;
                        &mut found.message
                    }
                    _ => return r.skip(),
                },
            };
            *slot = match r.peek_kind() {
                Some("a string") => r.message()?,
                _ => {
                    r.skip()?;
                    None
                }
            };
            Ok(())
        });
        match read {
            Ok(()) => found,
            Err(_) => ErrorBody::default(),
        }
    }
}

/// The error code of an awsJson error: the `x-amzn-errortype` header, else the body's `__type` or `code`, with any
/// `namespace#` prefix and `:…` suffix removed.
pub fn error_code(header: Option<&str>, body: &ErrorBody) -> Option<String> {
    let raw = header.or(body.type_name.as_deref()).or(body.code.as_deref())?;
    let raw = raw.split(':').next().unwrap_or(raw);
    let raw = raw.rsplit('#').next().unwrap_or(raw);
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies of operations

/// The bytes a body is given at first by [`serialize_input`] (it grows beyond as it needs).
const INPUT_CAPACITY: usize = 128;

/// The JSON body of an input: a JSON object of its members.
pub fn serialize_input<T: WriteObject>(input: &T) -> Result<Vec<u8>, String> {
    // Room for most inputs at once, rather than growing from nothing member by member.
    let mut out = String::with_capacity(INPUT_CAPACITY);
    write::object(ValueWriter::new(&mut out), input).map_err(|e| format!("cannot serialize the input: {e}"))?;
    Ok(out.into_bytes())
}

/// Decode a successful response's body (see [`read_body`]): exactly one JSON object, or an empty body. The error is
/// what is wrong with it; the attempt loop names the operation and the response around it.
pub fn decode_output<O: ReadStructure>(response: &Response) -> Result<O, crate::error::BoxError> {
    read_body(response.body()).map_err(Into::into)
}

/// [`decode_output`] as an operation's `decode_output` (`crate::invoke::Operation`): the output erased, with the
/// response's request id. The output is made from the members as read (boxed) and handed to `invoke::output` at
/// once, rather than passed up by value through the result of each reader (a copy of the whole output at each).
pub(crate) fn decode_output_erased<O: ReadStructure + crate::error::SetRequestId + Send + Sync + 'static>(
    response: &Response,
) -> Result<crate::invoke::Erased, crate::error::BoxError> {
    let output = body_members::<O>(response.body()).map(|members| O::finish(*members));
    crate::invoke::output(output.map_err(Into::into), response)
}

/// A structure from a body that must be one JSON object; an empty (or blank) body is a structure with no members,
/// as awsJson services send for operations whose output is empty.
pub fn read_body<O: ReadStructure>(body: &[u8]) -> Result<O, JsonError> {
    body_members::<O>(body).map(|members| O::finish(*members))
}

/// The members [`read_body`] makes its structure from, as read (boxed).
fn body_members<O: ReadStructure>(body: &[u8]) -> Result<Box<O::Members>, JsonError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Box::default());
    }
    read_root_members::<O>(body)
}

/// Decode a modeled error from its body (`None` when the body has the wrong shape for the error). A body that is
/// not JSON at all is read as an empty object, so the error is built from the metadata alone. The message may
/// arrive as `message`, `Message` or `errorMessage` whatever the model calls the member, so the message the metadata
/// read fills the error's message member when the body left it unset. The generated readers read a message member
/// as [`Reader::message`] does: cut at [`MESSAGE_LIMIT`] bytes, like the metadata's.
pub fn decode_error<T: ReadStructure>(body: &[u8], meta: &ErrorResponse) -> Option<T> {
    let mut error = if body.iter().all(u8::is_ascii_whitespace) {
        T::finish(T::Members::default())
    } else {
        match read_root::<T>(body) {
            Ok(error) => error,
            Err(e) if e.is_syntax() => T::finish(T::Members::default()),
            Err(_) => return None,
        }
    };
    if let Some(message) = meta.message() {
        error.set_message_if_unset(message);
    }
    Some(error)
}

/// One JSON object, and nothing after it.
fn read_root<T: ReadStructure>(body: &[u8]) -> Result<T, JsonError> {
    read_root_members::<T>(body).map(|members| T::finish(*members))
}

/// The members of [`read_root`]'s object, as read.
fn read_root_members<T: ReadStructure>(body: &[u8]) -> Result<Box<T::Members>, JsonError> {
    let mut r = Reader::new(body);
    match r.peek() {
        Some(b'{') => {}
        // Invalid JSON surfaces here as a syntax error; anything else is the wrong kind of value.
        Some(_) => return Err(r.unexpected("a JSON object")),
        None => return Err(JsonError::new("expected a JSON object, found nothing")),
    }
    let members = r.members::<T>()?.ok_or_else(|| JsonError::new("expected a JSON object, found null"))?;
    r.end()?;
    Ok(members)
}

/// A value's JSON text with every map's and document's keys in sorted order, so equal values have equal text (for
/// `@uniqueItems` of items that cannot be hashed). A value that cannot be written (an unknown union member) is
/// represented by the error's text.
pub fn canonical(write: impl FnOnce(ValueWriter<'_>) -> Result<(), JsonError>) -> String {
    let mut out = String::new();
    match write(ValueWriter::new(&mut out)) {
        Ok(()) => out,
        Err(e) => format!("<{e}>"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/// Why a body could not be read or written, and the JSON path of the value at fault. One pointer wide, so the
/// results that carry it stay small on the stack of a deeply nested read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(Box<ErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorDetail {
    message: String,
    /// The steps from the value at fault up to the root (innermost first): the error collects them as it returns.
    steps: Vec<Step>,
    /// The body is not JSON at all (as opposed to JSON of the wrong shape).
    syntax: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Member(String),
    Index(usize),
    Key(String),
}

impl JsonError {
    /// An error at the value being read or written.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError(Box::new(ErrorDetail { message: message.into(), steps: Vec::new(), syntax: false }))
    }

    fn syntax(what: String) -> Self {
        JsonError(Box::new(ErrorDetail { message: format!("invalid JSON: {what}"), steps: Vec::new(), syntax: true }))
    }

    /// The error happened inside the member `name` of an object.
    pub fn in_member(mut self, name: &str) -> Self {
        self.0.steps.push(Step::Member(name.to_owned()));
        self
    }

    /// The error happened inside the item `index` of an array.
    pub fn at_index(mut self, index: usize) -> Self {
        self.0.steps.push(Step::Index(index));
        self
    }

    /// The error happened inside the value of a map's `key`.
    pub fn at_key(mut self, key: &str) -> Self {
        self.0.steps.push(Step::Key(key.to_owned()));
        self
    }

    /// The JSON path of the value at fault, e.g. `$.Steps[2].Metadata["key"]`.
    pub fn path(&self) -> String {
        let mut path = String::from("$");
        for step in self.0.steps.iter().rev() {
            match step {
                Step::Member(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                Step::Index(i) => path.push_str(&format!("[{i}]")),
                Step::Key(key) => path.push_str(&format!("[{key:?}]")),
            }
        }
        path
    }

    /// What went wrong, without the path.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether the body is not JSON at all.
    pub fn is_syntax(&self) -> bool {
        self.0.syntax
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {})", self.0.message, self.path())
    }
}

impl std::error::Error for JsonError {}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/// A structure or union written as a JSON object: generated for each one that goes into a request.
pub trait WriteObject {
    /// Write the members that are set (a union: its one member).
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError>;
}

impl<T: WriteObject + ?Sized> WriteObject for Box<T> {
    fn write_members(&self, object: &mut ObjectWriter<'_>) -> Result<(), JsonError> {
        (**self).write_members(object)
    }
}

/// Where one JSON value is written: the body being built. Numbers, literals and the escaping of strings that need
/// it are `aws-smithy-json`'s (the writer of aws-sdk-rust), so the bytes are its bytes; strings and member names
/// with nothing to escape are written as they are, and objects and arrays are framed here, which lets a member's
/// name skip the escaper too.
pub struct ValueWriter<'a> {
    out: &'a mut String,
}

impl<'a> ValueWriter<'a> {
    /// A writer that appends one value to `out`.
    pub fn new(out: &'a mut String) -> Self {
        ValueWriter { out }
    }

    /// `aws-smithy-json`'s writer of the same value.
    #[inline]
    fn smithy(self) -> JsonValueWriter<'a> {
        JsonValueWriter::new(self.out)
    }

    /// A string, quoted and escaped as `aws-smithy-json` escapes it.
    #[inline]
    pub fn string(self, v: &str) {
        push_string(self.out, v);
    }

    /// `null`.
    pub fn null(self) {
        self.smithy().null();
    }

    /// `true` or `false`.
    pub fn boolean(self, v: bool) {
        self.smithy().boolean(v);
    }

    /// A number: `NaN` and the infinities as strings.
    #[inline]
    pub fn number(self, v: Number) {
        self.smithy().number(v);
    }

    /// Text that is already JSON (a number's digits).
    pub fn raw(self, v: &str) {
        self.out.push_str(v);
    }

    /// An object: `{`, then its members.
    #[inline]
    pub fn start_object(self) -> ObjectWriter<'a> {
        self.out.push('{');
        ObjectWriter { out: self.out, started: false }
    }

    /// An array: `[`, then its items.
    pub fn start_array(self) -> ArrayWriter<'a> {
        self.out.push('[');
        ArrayWriter { out: self.out, started: false }
    }
}

/// Append `v` as a JSON string, as `aws-smithy-json` writes it. It escapes only the quote, the backslash and the
/// control characters below 0x20 (not DEL, nor any character past ASCII), which are the bytes [`string_stop`]
/// finds eight at a time: text without them (names, ARNs, dates, base64) is copied as it is, and anything else
/// goes to `aws-smithy-json`'s escaper.
#[inline]
fn push_string(out: &mut String, v: &str) {
    if string_stop(v.as_bytes(), 0).is_none() {
        out.reserve(v.len() + 2);
        out.push('"');
        out.push_str(v);
        out.push('"');
    } else {
        JsonValueWriter::new(out).string(v);
    }
}

/// The members of a JSON object being written.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    /// Whether a member has been written (the next one is after a `,`).
    started: bool,
}

impl ObjectWriter<'_> {
    /// The value of the member `name` (a structure's member or a map's key), after its name, escaped as a string.
    #[inline]
    pub fn key(&mut self, name: &str) -> ValueWriter<'_> {
        if self.started {
            self.out.push(',');
        }
        self.started = true;
        push_string(self.out, name);
        self.out.push(':');
        ValueWriter::new(self.out)
    }

    /// The `}` that ends the object.
    #[inline]
    pub fn finish(self) {
        self.out.push('}');
    }

    /// Write the member `name`; an error in its value names the member in its path.
    pub fn member(
        &mut self,
        name: &str,
        write: impl FnOnce(ValueWriter<'_>) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        write(self.key(name)).map_err(|e| e.in_member(name))
    }

    // The members generated code writes most, each without a closure (and, where writing cannot fail, without a
    // `Result`): what [`member`](Self::member) with the `write` function of the kind writes.

    /// Write the string (or string enum value) member `name`.
    #[inline]
    pub fn string(&mut self, name: &str, v: &str) {
        self.key(name).string(v);
    }

    /// Write the boolean member `name`.
    #[inline]
    pub fn boolean(&mut self, name: &str, v: bool) {
        self.key(name).boolean(v);
    }

    /// Write the byte, short, integer, long or int enum member `name`.
    #[inline]
    pub fn integer(&mut self, name: &str, v: i64) {
        self.key(name).number(Number::NegInt(v));
    }

    /// Write the double (or big decimal) member `name`, as [`write::double`] does.
    #[inline]
    pub fn double(&mut self, name: &str, v: f64) {
        self.key(name).number(Number::Float(v));
    }

    /// Write the structure or union member `name`, as [`write::object`] does.
    #[inline]
    pub fn object<T: WriteObject + ?Sized>(&mut self, name: &str, v: &T) -> Result<(), JsonError> {
        write::object(self.key(name), v).map_err(|e| e.in_member(name))
    }
}

/// The items of a JSON array being written.
pub struct ArrayWriter<'a> {
    out: &'a mut String,
    /// Whether an item has been written (the next one is after a `,`).
    started: bool,
}

impl ArrayWriter<'_> {
    /// The next item.
    pub fn value(&mut self) -> ValueWriter<'_> {
        if self.started {
            self.out.push(',');
        }
        self.started = true;
        ValueWriter::new(self.out)
    }

    /// The `]` that ends the array.
    pub fn finish(self) {
        self.out.push(']');
    }
}

/// Writers of each kind of value, in the form generated code passes around: `fn(ValueWriter, &T)`.
pub mod write {
    use super::*;

    /// Deepest nesting of a document that is written (deeper documents are refused, not written recursively).
    const MAX_DOCUMENT_DEPTH: usize = 256;

    /// A string, or a string enum (through its `AsRef<str>`).
    pub fn string<S: AsRef<str> + ?Sized>(w: ValueWriter<'_>, v: &S) -> Result<(), JsonError> {
        w.string(v.as_ref());
        Ok(())
    }

    /// A boolean.
    pub fn boolean(w: ValueWriter<'_>, v: &bool) -> Result<(), JsonError> {
        w.boolean(*v);
        Ok(())
    }

    /// A byte, short, integer or long.
    pub fn integer<T: Copy + Into<i64>>(w: ValueWriter<'_>, v: &T) -> Result<(), JsonError> {
        w.number(Number::NegInt((*v).into()));
        Ok(())
    }

    /// A big integer, with all its digits.
    pub fn big_integer(w: ValueWriter<'_>, v: &i128) -> Result<(), JsonError> {
        w.raw(&v.to_string());
        Ok(())
    }

    /// A double (or big decimal): `NaN`, `Infinity` and `-Infinity` are strings.
    pub fn double(w: ValueWriter<'_>, v: &f64) -> Result<(), JsonError> {
        w.number(Number::Float(*v));
        Ok(())
    }

    /// A float, in the shortest decimal form that reads back as the same `f32` (`0.1`, not `0.10000000149011612`);
    /// `NaN`, `Infinity` and `-Infinity` are strings.
    pub fn float(w: ValueWriter<'_>, v: &f32) -> Result<(), JsonError> {
        let mut encoder = aws_smithy_types::primitive::Encoder::from(*v);
        let text = encoder.encode();
        if v.is_finite() {
            w.raw(text);
        } else {
            w.string(text);
        }
        Ok(())
    }

    /// A timestamp in a `@timestampFormat`: epoch seconds as a number (with a fraction when needed), date-times
    /// and HTTP dates as strings.
    pub fn timestamp(w: ValueWriter<'_>, v: &DateTime, format: Format) -> Result<(), JsonError> {
        // Formatted here rather than by `JsonValueWriter::date_time` (the same text and error), so that the text,
        // which never needs escaping, is not run through the escaper.
        let text = v.fmt(format).map_err(|e| JsonError::new(format!("cannot write the timestamp {v}: {e}")))?;
        match format {
            Format::EpochSeconds => w.raw(&text),
            _ => w.string(&text),
        }
        Ok(())
    }

    /// A blob, as standard base64.
    pub fn blob(w: ValueWriter<'_>, v: &Blob) -> Result<(), JsonError> {
        w.string(&aws_smithy_types::base64::encode(v.as_ref()));
        Ok(())
    }

    /// A document, with object keys in sorted order.
    pub fn document(w: ValueWriter<'_>, v: &Document) -> Result<(), JsonError> {
        document_at(w, v, 0)
    }

    fn document_at(w: ValueWriter<'_>, v: &Document, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DOCUMENT_DEPTH {
            return Err(JsonError::new(format!("the document nests deeper than {MAX_DOCUMENT_DEPTH} levels")));
        }
        match v {
            Document::Object(entries) => {
                let mut sorted: Vec<(&String, &Document)> = entries.iter().collect();
                sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let mut object = w.start_object();
                for (key, value) in sorted {
                    document_at(object.key(key), value, depth + 1).map_err(|e| e.at_key(key))?;
                }
                object.finish();
            }
            Document::Array(items) => {
                let mut array = w.start_array();
                for (i, item) in items.iter().enumerate() {
                    document_at(array.value(), item, depth + 1).map_err(|e| e.at_index(i))?;
                }
                array.finish();
            }
            Document::Number(n) => w.number(*n),
            Document::String(s) => w.string(s),
            Document::Bool(b) => w.boolean(*b),
            Document::Null => w.null(),
        }
        Ok(())
    }

    /// A structure or union, as an object.
    pub fn object<T: WriteObject + ?Sized>(w: ValueWriter<'_>, v: &T) -> Result<(), JsonError> {
        let mut object = w.start_object();
        v.write_members(&mut object)?;
        object.finish();
        Ok(())
    }

    /// A `smithy.api#Unit` union member: an empty object.
    pub fn unit(w: ValueWriter<'_>) -> Result<(), JsonError> {
        w.start_object().finish();
        Ok(())
    }

    /// A dense list.
    pub fn list<T>(
        w: ValueWriter<'_>,
        items: &[T],
        mut item: impl FnMut(ValueWriter<'_>, &T) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        let mut array = w.start_array();
        for (i, v) in items.iter().enumerate() {
            item(array.value(), v).map_err(|e| e.at_index(i))?;
        }
        array.finish();
        Ok(())
    }

    /// A sparse list: `None` items are `null`.
    pub fn sparse_list<T>(
        w: ValueWriter<'_>,
        items: &[Option<T>],
        mut item: impl FnMut(ValueWriter<'_>, &T) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        list(w, items, |w, v| nullable(w, v, &mut item))
    }

    /// An item of a sparse collection: `None` is `null`.
    pub fn nullable<T>(
        w: ValueWriter<'_>,
        v: &Option<T>,
        write: impl FnOnce(ValueWriter<'_>, &T) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        match v {
            Some(v) => write(w, v),
            None => {
                w.null();
                Ok(())
            }
        }
    }

    /// A dense map, its keys in sorted order (so a body is the same however the map was filled).
    pub fn map<T>(
        w: ValueWriter<'_>,
        entries: &HashMap<String, T>,
        mut value: impl FnMut(ValueWriter<'_>, &T) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        let mut sorted: Vec<(&String, &T)> = entries.iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut object = w.start_object();
        for (key, v) in sorted {
            value(object.key(key), v).map_err(|e| e.at_key(key))?;
        }
        object.finish();
        Ok(())
    }

    /// A sparse map: `None` values are `null`.
    pub fn sparse_map<T>(
        w: ValueWriter<'_>,
        entries: &HashMap<String, Option<T>>,
        mut value: impl FnMut(ValueWriter<'_>, &T) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        map(w, entries, |w, v| nullable(w, v, &mut value))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/// A structure read from a JSON object: generated for each one that comes out of a response.
pub trait ReadStructure: Sized {
    /// The members read so far: the structure's builder.
    type Members: Default;

    /// Read the value of the member `name` (never `null`: the reader treats a `null` member as absent) into
    /// `members`. `Ok(false)` means the structure has no such member; the reader then skips the value.
    fn read_member(members: &mut Self::Members, name: &str, r: &mut Reader<'_>) -> Result<bool, JsonError>;

    /// The structure from the members read: defaults for missing members that have one, and client error
    /// correction for missing required members (zero values, empty collections and structures, unknown enum values
    /// and union members).
    fn finish(members: Self::Members) -> Self;

    /// For error structures with a message member: set it to `message` if the body did not.
    fn set_message_if_unset(&mut self, message: &str) {
        let _ = message;
    }
}

/// A member's value as a [`ReadStructure::read_member`] arm gives it: `read` (what one of the [`Reader`]'s methods
/// returned) put into the builder's `slot`, and `Ok(true)`, the member being known. One call per arm keeps the
/// generated readers small: no `?` and no assignment of their own.
#[inline]
pub fn set<T>(slot: &mut Option<T>, read: Result<Option<T>, JsonError>) -> Result<bool, JsonError> {
    *slot = read?;
    Ok(true)
}

/// A union read from a JSON object with one member set.
pub trait ReadUnion: Sized {
    /// The variant of member `name`, its value read (never `null`); `None` for a member this crate does not know
    /// (the reader then skips the value).
    fn read_variant(name: &str, r: &mut Reader<'_>) -> Result<Option<Self>, JsonError>;

    /// The variant standing for members this crate does not know.
    const UNKNOWN: Self;
}

/// The value a missing required structure is corrected to: a structure with no members set (its own required
/// members corrected in turn).
pub fn corrected<T: ReadStructure>() -> T {
    T::finish(T::Members::default())
}

/// Deepest nesting of objects and arrays a body may have, so hostile input cannot exhaust the stack through
/// recursive shapes; documents have their own bound in `aws-smithy-json` (256 levels).
pub const MAX_DEPTH: usize = 128;

/// Reads one JSON value at a time, straight from a body's bytes: one pass, each string scanned once (its end, its
/// escapes and its control characters found together; its UTF-8 is checked with the whole body's, once, when the
/// reader is made), numbers read from their digits. Every read is linear in the input it consumes (and making a
/// reader in the body's length); every value reader returns `Ok(None)` for `null`. The grammar is
/// `aws-smithy-json`'s (the strings, escapes, numbers and literals it accepts), which reads documents.
pub struct Reader<'a> {
    input: &'a [u8],
    /// The longest prefix of `input` that is UTF-8 (all of it, but for a body that is not): checked once, in one
    /// pass, so that a string within it is taken as text without a check of its own.
    text: &'a str,
    /// The position of the next byte to read.
    at: usize,
    depth: usize,
}

/// The bytes that end a run of a string's plain text: the closing quote, a backslash, and the control characters
/// (which JSON does not allow in a string).
static STRING_STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stop[b] = true;
        b += 1;
    }
    stop[b'"' as usize] = true;
    stop[b'\\' as usize] = true;
    stop
};

/// The position of the first byte of `input` at or after `at` that is in [`STRING_STOP`], if any. Eight bytes are
/// looked at together, as one word: the word has a stop byte when one of its bytes equals `"` or `\` (the byte
/// XOR that character is zero) or is below 0x20, which the usual test for a zero byte finds (a byte whose value
/// minus one, or minus 0x20, borrows while its top bit was clear). Borrows run only from a byte found towards the
/// bytes after it, so the lowest byte flagged is the first stop byte; the tail shorter than a word is looked at
/// byte by byte.
#[inline]
pub(crate) fn string_stop(input: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_le_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_le_bytes([b'\\'; 8]);
    const SPACES: u64 = u64::from_le_bytes([0x20; 8]);
    while let Some(&word) = input.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let x = u64::from_le_bytes(word);
        let (quote, backslash) = (x ^ QUOTES, x ^ BACKSLASHES);
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(SPACES) & !x))
            & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    input.get(at..)?.iter().position(|b| STRING_STOP[usize::from(*b)]).map(|p| at + p)
}

/// How deep [`Reader::skip`] goes (as `aws-smithy-json`'s skipping, which this reader replaces).
const MAX_SKIP_DEPTH: usize = 512;

/// The containers [`Reader::skip`] is inside: for each, whether it is an array (else an object), a bit each.
#[derive(Default)]
struct Open {
    levels: usize,
    arrays: [u64; MAX_SKIP_DEPTH / 64],
}

impl Open {
    /// Open a container (the caller checks the depth first).
    fn push(&mut self, array: bool) {
        let (word, bit) = (self.levels / 64, self.levels % 64);
        self.arrays[word] = (self.arrays[word] & !(1 << bit)) | (u64::from(array) << bit);
        self.levels += 1;
    }

    fn pop(&mut self) {
        self.levels -= 1;
    }

    /// Whether the innermost open container is an array; `None` outside any.
    fn innermost_is_array(&self) -> Option<bool> {
        let level = self.levels.checked_sub(1)?;
        Some(self.arrays[level / 64] >> (level % 64) & 1 == 1)
    }
}

/// What [`Reader::scan_number`] found of a number: where it is, and its parts.
struct NumberScan {
    start: usize,
    end: usize,
    negative: bool,
    /// The digits before any point or exponent, as a number (exact for up to 19 of them).
    whole: u64,
    /// How many digits there are before any point or exponent.
    count: usize,
    /// Where the digits after a point start and end.
    fraction: Option<(usize, usize)>,
    exponent: bool,
}

impl NumberScan {
    /// The value of an integer (no point, no exponent) of 1 to 19 digits, which fit in 64 bits: `whole` is exact.
    #[inline]
    fn small_integer(&self) -> Option<Number> {
        if self.fraction.is_some() || self.exponent || !(1..=19).contains(&self.count) {
            return None;
        }
        Some(if !self.negative {
            Number::PosInt(self.whole)
        } else if self.whole <= i64::MAX as u64 + 1 {
            Number::NegInt((self.whole as i64).wrapping_neg())
        } else {
            Number::Float(-(self.whole as f64))
        })
    }

    /// The timestamp of a number of epoch seconds in the common form [`epoch_seconds`] reads from its digits (1 to
    /// 18 digits, no sign, and 1 to 9 after a point if there is one, no exponent), from the digits the scan read.
    #[inline]
    fn epoch_seconds(&self, input: &[u8]) -> Option<DateTime> {
        if self.negative || self.exponent || !(1..=18).contains(&self.count) {
            return None;
        }
        let nanos = match self.fraction {
            None => 0,
            Some((first, end)) if (1..=9).contains(&(end - first)) => {
                let digits = input[first..end].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                digits * 10u32.pow((9 - (end - first)) as u32)
            }
            Some(_) => return None,
        };
        // Up to 18 digits fit in an `i64`.
        Some(DateTime::from_secs_and_nanos(self.whole as i64, nanos))
    }
}

impl<'a> Reader<'a> {
    /// A reader at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        let text = match std::str::from_utf8(input) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or_default(),
        };
        Reader { input, text, at: 0, depth: 0 }
    }

    /// The next byte that is not white space (the reader stops before it), or `None` at the end.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.input.get(self.at) {
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The body is not JSON: what is wrong, at the reader's position.
    fn syntax_error(&self, what: impl fmt::Display) -> JsonError {
        JsonError::syntax(format!("{what} at byte {}", self.at))
    }

    /// What the next value is, in words (`a string`), or `None` at the end or at a byte no value starts with.
    fn peek_kind(&mut self) -> Option<&'static str> {
        self.peek().and_then(value_kind)
    }

    /// The error for a value of another kind than `expected` at the reader's position: `expected …, found …`, or a
    /// syntax error when what is there is not a JSON value.
    #[cold]
    fn unexpected(&mut self, expected: &str) -> JsonError {
        let Some(b) = self.peek() else {
            return self.syntax_error(format_args!("expected {expected}, found the end of the body"));
        };
        match value_kind(b) {
            Some(found @ ("an object" | "an array")) => JsonError::new(format!("expected {expected}, found {found}")),
            Some(found) => match self.skip() {
                Ok(()) => JsonError::new(format!("expected {expected}, found {found}")),
                Err(e) => e,
            },
            None => self.syntax_error(format_args!("unexpected `{}`", b.escape_ascii())),
        }
    }

    /// Skip one value, up to 512 levels deep, without recursion (a bit per open container).
    pub fn skip(&mut self) -> Result<(), JsonError> {
        let mut open = Open::default();
        'value: loop {
            match self.peek() {
                Some(b'{') => {
                    self.at += 1;
                    if open.levels == MAX_SKIP_DEPTH {
                        return Err(self.too_deep_to_skip());
                    }
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                    } else {
                        open.push(false);
                        self.member_name()?;
                        continue 'value;
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    if open.levels == MAX_SKIP_DEPTH {
                        return Err(self.too_deep_to_skip());
                    }
                    if self.peek() == Some(b']') {
                        self.at += 1;
                    } else {
                        open.push(true);
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    self.raw_string()?;
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'-' | b'0'..=b'9') => {
                    self.number_value()?;
                }
                Some(b) => return Err(self.syntax_error(format_args!("unexpected `{}`", b.escape_ascii()))),
                None => return Err(self.syntax_error("expected a value, found the end of the body")),
            }
            // A value is complete: close the containers it completes, up to the next value.
            loop {
                let Some(array) = open.innermost_is_array() else { return Ok(()) };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if !array {
                            self.member_name()?;
                        }
                        continue 'value;
                    }
                    Some(b'}') if !array => {
                        self.at += 1;
                        open.pop();
                    }
                    Some(b']') if array => {
                        self.at += 1;
                        open.pop();
                    }
                    Some(b) => {
                        let expected = if array { "`,` or `]`" } else { "`,` or `}`" };
                        return Err(
                            self.syntax_error(format_args!("expected {expected}, found `{}`", b.escape_ascii()))
                        );
                    }
                    None => return Err(self.syntax_error("the body ends inside a value")),
                }
            }
        }
    }

    #[cold]
    fn too_deep_to_skip(&self) -> JsonError {
        self.syntax_error(format_args!("the value nests past the max recursion depth of {MAX_SKIP_DEPTH} levels"))
    }

    /// A member's name and the `:` after it (escapes left as they are), with whether it has any.
    fn member_name(&mut self) -> Result<(&'a str, bool), JsonError> {
        match self.peek() {
            Some(b'"') => {}
            Some(b) => {
                return Err(self.syntax_error(format_args!("expected a member name, found `{}`", b.escape_ascii())))
            }
            None => return Err(self.syntax_error("expected a member name, found the end of the body")),
        }
        let name = self.raw_string()?;
        match self.peek() {
            Some(b':') => {
                self.at += 1;
                Ok(name)
            }
            Some(b) => Err(self.syntax_error(format_args!("expected `:`, found `{}`", b.escape_ascii()))),
            None => Err(self.syntax_error("expected `:`, found the end of the body")),
        }
    }

    /// The text between the quotes of the string at the reader's position (which is at its `"`), escapes left as
    /// they are, and whether it has any: UTF-8 without control characters (but after a backslash), as
    /// `aws-smithy-json`'s tokenizer checks it.
    #[inline]
    fn raw_string(&mut self) -> Result<(&'a str, bool), JsonError> {
        let input = self.input;
        let start = self.at + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            let stop = string_stop(input, at);
            let Some(stop) = stop else {
                self.at = input.len();
                return Err(self.syntax_error("the string is not closed"));
            };
            match input[stop] {
                b'"' => {
                    // Within the UTF-8 prefix, the quotes are character boundaries: the text is a slice of it.
                    // Past it, the string's own bytes are checked, and fail where the body stops being UTF-8.
                    let text = match self.text.get(start..stop) {
                        Some(text) => text,
                        None => match std::str::from_utf8(&input[start..stop]) {
                            Ok(text) => text,
                            Err(_) => {
                                self.at = start;
                                return Err(self.syntax_error("the string is not valid UTF-8"));
                            }
                        },
                    };
                    self.at = stop + 1;
                    return Ok((text, escaped));
                }
                b'\\' => {
                    // The escaped byte is taken as it is (`\"` does not end the string); the escape itself is
                    // checked when the string is unescaped, as `aws-smithy-json` does.
                    escaped = true;
                    if stop + 1 == input.len() {
                        self.at = input.len();
                        return Err(self.syntax_error("the string is not closed"));
                    }
                    at = stop + 2;
                }
                control => {
                    self.at = stop;
                    return Err(
                        self.syntax_error(format_args!("a control character ({}) in a string", control.escape_ascii()))
                    );
                }
            }
        }
    }

    /// The string at the reader's position (at its `"`), unescaped.
    fn string_value(&mut self) -> Result<std::borrow::Cow<'a, str>, JsonError> {
        match self.raw_string()? {
            (text, false) => Ok(std::borrow::Cow::Borrowed(text)),
            (text, true) => unescape_bounded(text, usize::MAX).map(std::borrow::Cow::Owned),
        }
    }

    /// The literal `word` at the reader's position, and a proper end after it.
    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        if !self.input[self.at..].starts_with(word) {
            return Err(self.syntax_error(format_args!("expected `{}`", word.escape_ascii())));
        }
        self.at += word.len();
        self.after_scalar()
    }

    /// What may follow a number or a literal: white space, `,`, `}`, `]` or the end.
    #[inline]
    fn after_scalar(&self) -> Result<(), JsonError> {
        match self.input.get(self.at) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']') => Ok(()),
            Some(b) => Err(self.syntax_error(format_args!("unexpected `{}` after a value", b.escape_ascii()))),
        }
    }

    /// The extent of the number at the reader's position (at its `-` or first digit), and its digits read on the
    /// way; the reader does not move.
    #[inline]
    fn scan_number(&self) -> NumberScan {
        let input = self.input;
        let start = self.at;
        let mut at = start;
        let negative = input[at] == b'-';
        if negative {
            at += 1;
        }
        let digits = at;
        let mut whole = 0u64;
        while let Some(d @ b'0'..=b'9') = input.get(at) {
            whole = whole.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            at += 1;
        }
        let count = at - digits;
        let mut fraction = None;
        if input.get(at) == Some(&b'.') {
            at += 1;
            let first = at;
            while input.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            fraction = Some((first, at));
        }
        let mut exponent = false;
        if matches!(input.get(at), Some(b'e' | b'E')) {
            exponent = true;
            at += 1;
            if matches!(input.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            while input.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
        }
        NumberScan { start, end: at, negative, whole, count, fraction, exponent }
    }

    /// The text of a scanned number.
    fn number_text(&self, scan: &NumberScan) -> Result<&'a str, JsonError> {
        // The text is ASCII: a sign, digits, `.`, `e`, `E` and `+`.
        std::str::from_utf8(&self.input[scan.start..scan.end]).map_err(|_| self.syntax_error("an invalid number"))
    }

    /// The value of the number at the reader's position (at its `-` or first digit), as `aws-smithy-json` reads it
    /// (an integer that fits 64 bits is exact, anything else a double), and the reader past it. An integer of up to
    /// 19 digits is its digits' value, read by the scan; any other number is parsed from its text.
    #[inline]
    fn number_value(&mut self) -> Result<Number, JsonError> {
        let scan = self.scan_number();
        let value = match scan.small_integer() {
            Some(value) => value,
            None => self.parse_number(&scan, self.number_text(&scan)?)?,
        };
        self.past(&scan)?;
        Ok(value)
    }

    /// Move past a scanned number, to what may follow it.
    #[inline]
    fn past(&mut self, scan: &NumberScan) -> Result<(), JsonError> {
        self.at = scan.end;
        self.after_scalar()
    }

    /// The number at the reader's position (at its `-` or first digit): its text and its value (as
    /// [`number_value`](Self::number_value)).
    fn number(&mut self) -> Result<(&'a str, Number), JsonError> {
        let scan = self.scan_number();
        let text = self.number_text(&scan)?;
        let value = self.parse_number(&scan, text)?;
        self.past(&scan)?;
        Ok((text, value))
    }

    /// The value of a scanned number from its text, or the error that it is not a number.
    fn parse_number(&self, scan: &NumberScan, text: &str) -> Result<Number, JsonError> {
        let double = |text: &str| text.parse::<f64>().ok().map(Number::Float);
        let value = if scan.fraction.is_some() || scan.exponent || scan.count == 0 {
            double(text)
        } else if let Some(value) = scan.small_integer() {
            Some(value)
        } else {
            match text[usize::from(scan.negative)..].parse::<u64>() {
                Ok(n) if !scan.negative => Some(Number::PosInt(n)),
                Ok(n) if n <= i64::MAX as u64 + 1 => Some(Number::NegInt((n as i64).wrapping_neg())),
                Ok(n) => Some(Number::Float(-(n as f64))),
                Err(_) => double(text),
            }
        };
        value.ok_or_else(|| self.syntax_error(format_args!("`{text}` is not a number")))
    }

    /// Nothing but white space may follow the root value.
    fn end(&mut self) -> Result<(), JsonError> {
        match self.peek() {
            None => Ok(()),
            Some(b) => match value_kind(b) {
                Some(kind) => Err(JsonError::new(format!("unexpected {kind} after the body's value"))),
                None => {
                    Err(self.syntax_error(format_args!("unexpected `{}` after the body's value", b.escape_ascii())))
                }
            },
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(JsonError::new(format!("the body nests deeper than {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        Ok(())
    }

    /// Read an object member by member; `on_member` reads (or skips) each value. An error names the member (as a
    /// member of a structure, or a key of a map: `locate`). `on_member` is a trait object so that one copy of this
    /// loop serves every structure and map of the crate (a generic one was compiled once per shape).
    fn object(
        &mut self,
        locate: fn(JsonError, &str) -> JsonError,
        on_member: &mut dyn FnMut(&mut Self, &str) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        if self.peek() != Some(b'{') {
            return Err(self.unexpected("an object"));
        }
        self.at += 1;
        self.enter()?;
        let mut first = true;
        loop {
            match self.peek() {
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                Some(b',') if !first => self.at += 1,
                Some(_) if first => {}
                Some(b) => {
                    return Err(self.syntax_error(format_args!("expected `,` or `}}`, found `{}`", b.escape_ascii())))
                }
                None => return Err(JsonError::new("the object is not closed")),
            }
            first = false;
            let name = match self.member_name()? {
                (name, false) => std::borrow::Cow::Borrowed(name),
                (name, true) => std::borrow::Cow::Owned(unescape_bounded(name, usize::MAX).map_err(|e| {
                    JsonError::new(format!(
                        "invalid member name: {}",
                        e.message().trim_start_matches("invalid string: ")
                    ))
                })?),
            };
            on_member(self, &name).map_err(|e| locate(e, &name))?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Read an array item by item (one copy for every list, as [`object`](Self::object)); the reader is past its
    /// `[`.
    fn array(&mut self, on_item: &mut dyn FnMut(&mut Self, usize) -> Result<(), JsonError>) -> Result<(), JsonError> {
        self.enter()?;
        let mut index = 0;
        loop {
            match self.peek() {
                Some(b']') => {
                    self.at += 1;
                    break;
                }
                Some(b',') if index > 0 => self.at += 1,
                Some(_) if index == 0 => {}
                Some(b) => {
                    return Err(self.syntax_error(format_args!("expected `,` or `]`, found `{}`", b.escape_ascii())))
                }
                None => return Err(JsonError::new("the array is not closed")),
            }
            on_item(self, index).map_err(|e| e.at_index(index))?;
            index += 1;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Consume a `null` if one is next.
    #[inline]
    fn null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.input[self.at..].starts_with(b"null") {
            let end = self.at + 4;
            if matches!(self.input.get(end), None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']')) {
                self.at = end;
                return true;
            }
        }
        false
    }

    /// A string.
    pub fn string(&mut self) -> Result<Option<String>, JsonError> {
        match self.peek() {
            Some(b'"') => self.string_value().map(|s| Some(s.into_owned())),
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a string")),
        }
    }

    /// An error's message (or code): a string of at most [`MESSAGE_LIMIT`] bytes. A longer one is cut at the last
    /// character boundary within the limit and ends with `… [cut: the first K of N bytes are kept; the raw response
    /// has the whole body]`. Only the part kept is copied: the rest is checked (its escapes must be valid) and
    /// counted, not written out.
    pub fn message(&mut self) -> Result<Option<String>, JsonError> {
        self.bounded_string(MESSAGE_LIMIT)
    }

    /// A string of at most `limit` bytes and the note of its cut, as [`message`](Self::message).
    pub fn bounded_string(&mut self, limit: usize) -> Result<Option<String>, JsonError> {
        match self.peek() {
            Some(b'"') => {
                let (text, _) = self.raw_string()?;
                unescape_bounded(text, limit).map(Some)
            }
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a string")),
        }
    }

    /// A string enum; values this crate does not know are kept (`Unknown`).
    pub fn string_enum<E: for<'s> From<&'s str>>(&mut self) -> Result<Option<E>, JsonError> {
        match self.peek() {
            Some(b'"') => self.string_value().map(|s| Some(E::from(&*s))),
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a string")),
        }
    }

    /// An int enum; values this crate does not know are kept (`Unknown`).
    pub fn int_enum<E: From<i32>>(&mut self) -> Result<Option<E>, JsonError> {
        Ok(self.integer::<i32>()?.map(E::from))
    }

    /// A boolean.
    pub fn boolean(&mut self) -> Result<Option<bool>, JsonError> {
        match self.peek() {
            Some(b't') if self.input[self.at..].starts_with(b"true") => self.literal(b"true").map(|()| Some(true)),
            Some(b'f') if self.input[self.at..].starts_with(b"false") => self.literal(b"false").map(|()| Some(false)),
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// A byte, short, integer or long: a JSON number without a fraction that fits the type.
    pub fn integer<T: TryFrom<i64> + TryFrom<u64>>(&mut self) -> Result<Option<T>, JsonError> {
        let out_of_range = |n: &dyn fmt::Display| {
            JsonError::new(format!("{n} is out of range for a {}-bit integer", 8 * std::mem::size_of::<T>()))
        };
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => match self.number_value()? {
                Number::PosInt(n) => T::try_from(n).map(Some).map_err(|_| out_of_range(&n)),
                Number::NegInt(n) => T::try_from(n).map(Some).map_err(|_| out_of_range(&n)),
                Number::Float(f) => Err(JsonError::new(format!("expected an integer, found the number {f}"))),
            },
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("an integer")),
        }
    }

    /// A big integer, from all the digits of the number.
    pub fn big_integer(&mut self) -> Result<Option<i128>, JsonError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {
                let (text, _) = self.number()?;
                text.parse::<i128>()
                    .map(Some)
                    .map_err(|_| JsonError::new(format!("expected a big integer, found the number {text}")))
            }
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a big integer")),
        }
    }

    /// A double (or big decimal): a JSON number, or the strings `NaN`, `Infinity` and `-Infinity`.
    pub fn double(&mut self) -> Result<Option<f64>, JsonError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => Ok(Some(self.number_value()?.to_f64_lossy())),
            Some(b'"') => match &*self.string_value()? {
                "NaN" => Ok(Some(f64::NAN)),
                "Infinity" => Ok(Some(f64::INFINITY)),
                "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
                _ => Err(JsonError::new("expected a number, found a string other than NaN, Infinity or -Infinity")),
            },
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a number")),
        }
    }

    /// A float: as [`double`](Self::double), rounded to the nearest `f32`.
    pub fn float(&mut self) -> Result<Option<f32>, JsonError> {
        Ok(self.double()?.map(|v| v as f32))
    }

    /// A timestamp, read leniently whatever the member's `@timestampFormat`: a number of epoch seconds (integer or
    /// fraction, read from its digits), or a string in the date-time (RFC 3339, with `Z` or an offset) or HTTP-date
    /// form.
    pub fn timestamp(&mut self) -> Result<Option<DateTime>, JsonError> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {
                // The common form is read from the digits the scan read; any other is read as it always was.
                let scan = self.scan_number();
                if let Some(t) = scan.epoch_seconds(self.input) {
                    self.past(&scan)?;
                    return Ok(Some(t));
                }
                let (digits, value) = self.number()?;
                if let Some(t) = epoch_seconds(digits) {
                    return Ok(Some(t));
                }
                let secs = value.to_f64_lossy();
                if secs.is_finite() {
                    Ok(Some(DateTime::from_secs_f64(secs)))
                } else {
                    Err(JsonError::new("the timestamp is not a finite number"))
                }
            }
            Some(b'"') => parse_timestamp(&self.string_value()?).map(Some),
            _ if self.null() => Ok(None),
            _ => Err(self.unexpected("a timestamp")),
        }
    }

    /// A blob: a standard base64 string.
    pub fn blob(&mut self) -> Result<Option<Blob>, JsonError> {
        match self.string()? {
            None => Ok(None),
            Some(text) => aws_smithy_types::base64::decode(&text)
                .map(|bytes| Some(Blob::new(bytes)))
                .map_err(|e| JsonError::new(format!("invalid base64: {e}"))),
        }
    }

    /// A document: any JSON value. A `null` here is the `Null` document; as a structure member it is an absent one,
    /// and as an item of a sparse collection `None`. The value's extent is found first, then `aws-smithy-json`
    /// reads it (with its own bound on the depth).
    pub fn document(&mut self) -> Result<Option<Document>, JsonError> {
        self.peek();
        let start = self.at;
        self.skip().map_err(|e| JsonError::new(format!("invalid document: {}", e.message())))?;
        let mut tokens = aws_smithy_json::deserialize::json_token_iter(&self.input[start..self.at]).peekable();
        aws_smithy_json::deserialize::token::expect_document(&mut tokens)
            .map(Some)
            .map_err(|e| JsonError::new(format!("invalid document: {e}")))
    }

    /// A structure; members this crate does not know are skipped, `null` members are absent.
    pub fn structure<T: ReadStructure>(&mut self) -> Result<Option<T>, JsonError> {
        Ok(self.members::<T>()?.map(|members| T::finish(*members)))
    }

    /// The members of a structure, as [`structure`](Self::structure) reads them.
    fn members<T: ReadStructure>(&mut self) -> Result<Option<Box<T::Members>>, JsonError> {
        if self.null() {
            return Ok(None);
        }
        // The members are kept on the heap: a recursive structure nests this frame once per level.
        let mut members = Box::<T::Members>::default();
        self.object(JsonError::in_member, &mut |r, name| {
            if r.null() || T::read_member(&mut members, name, r)? {
                return Ok(());
            }
            r.skip()
        })?;
        Ok(Some(members))
    }

    /// A union: an object with exactly one member whose value is not `null` (`__type` is ignored). A member this
    /// crate does not know gives the `Unknown` variant.
    pub fn union<U: ReadUnion>(&mut self) -> Result<Option<U>, JsonError> {
        if self.null() {
            return Ok(None);
        }
        let mut found: Option<(String, U)> = None;
        self.object(JsonError::in_member, &mut |r, name| {
            if name == "__type" {
                return r.skip();
            }
            if r.null() {
                return Ok(());
            }
            if let Some((first, _)) = &found {
                return Err(JsonError::new(format!("the union has more than one member set: `{first}` and `{name}`")));
            }
            let variant = match U::read_variant(name, r)? {
                Some(variant) => variant,
                None => {
                    r.skip()?;
                    U::UNKNOWN
                }
            };
            found = Some((name.to_owned(), variant));
            Ok(())
        })?;
        match found {
            Some((_, variant)) => Ok(Some(variant)),
            None => Err(JsonError::new("the union has no member set")),
        }
    }

    /// A dense list: a `null` item is an error (but for documents, where it is the `Null` document).
    pub fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<Option<T>, JsonError>,
    ) -> Result<Option<Vec<T>>, JsonError> {
        self.items(|r| item(r)?.ok_or_else(|| JsonError::new("null in a list whose items cannot be null")))
    }

    /// A sparse list: `null` items are `None`.
    pub fn sparse_list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<Option<T>, JsonError>,
    ) -> Result<Option<Vec<Option<T>>>, JsonError> {
        self.items(|r| if r.null() { Ok(None) } else { item(r) })
    }

    fn items<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Option<Vec<T>>, JsonError> {
        match self.peek() {
            Some(b'[') => self.at += 1,
            _ if self.null() => return Ok(None),
            _ => return Err(self.unexpected("an array")),
        }
        let mut items = Vec::new();
        self.array(&mut |r, _| {
            items.push(item(r)?);
            Ok(())
        })?;
        Ok(Some(items))
    }

    /// A dense map: a `null` value is an error (but for documents, where it is the `Null` document).
    pub fn map<T>(
        &mut self,
        mut value: impl FnMut(&mut Self) -> Result<Option<T>, JsonError>,
    ) -> Result<Option<HashMap<String, T>>, JsonError> {
        if self.null() {
            return Ok(None);
        }
        let mut entries = HashMap::new();
        self.object(JsonError::at_key, &mut |r, key| match value(r)? {
            Some(v) => {
                entries.insert(key.to_owned(), v);
                Ok(())
            }
            None => Err(JsonError::new("null in a map whose values cannot be null")),
        })?;
        Ok(Some(entries))
    }

    /// A sparse map: `null` values are `None`.
    pub fn sparse_map<T>(
        &mut self,
        mut value: impl FnMut(&mut Self) -> Result<Option<T>, JsonError>,
    ) -> Result<Option<HashMap<String, Option<T>>>, JsonError> {
        if self.null() {
            return Ok(None);
        }
        let mut entries = HashMap::new();
        self.object(JsonError::at_key, &mut |r, key| {
            let v = if r.null() { None } else { value(r)? };
            entries.insert(key.to_owned(), v);
            Ok(())
        })?;
        Ok(Some(entries))
    }
}

/// The text of a JSON string's escaped contents (as the tokenizer found them between the quotes), kept up to `limit`
/// bytes (see [`Reader::message`]). The escapes are those `aws-smithy-json` accepts: `\"`, `\\`, `\/`, `\b`, `\f`,
/// `\n`, `\r`, `\t` and `\uXXXX`, a surrogate only as the high half of a pair. One pass, with no copy beyond the part
/// kept.
pub fn unescape_bounded(escaped: &str, limit: usize) -> Result<String, JsonError> {
    let bytes = escaped.as_bytes();
    let mut out = String::with_capacity(escaped.len().min(limit));
    // The length of the whole unescaped text, and whether `out` stopped short of it.
    let mut total = 0usize;
    let mut cut = false;
    let mut keep = |piece: &str, out: &mut String| {
        total += piece.len();
        if cut {
            return;
        }
        let room = limit - out.len();
        if piece.len() <= room {
            out.push_str(piece);
        } else {
            let mut end = room;
            while !piece.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&piece[..end]);
            cut = true;
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        // A run without escapes, kept as it is (it ends before a backslash or at the end: a character boundary).
        let run = bytes[at..].iter().position(|b| *b == b'\\').map_or(bytes.len(), |p| at + p);
        if run > at {
            keep(&escaped[at..run], &mut out);
            at = run;
            continue;
        }
        let (c, len) = escape_at(&bytes[at..])?;
        keep(c.encode_utf8(&mut [0; 4]), &mut out);
        at += len;
    }
    if cut {
        let kept = out.len();
        out.push_str(&format!(
            "… [cut: the first {kept} of {total} bytes are kept; the raw response has the whole body]"
        ));
    }
    Ok(out)
}

/// The character of the escape at the start of `bytes` (which begins with a backslash) and the escape's length.
fn escape_at(bytes: &[u8]) -> Result<(char, usize), JsonError> {
    let invalid = |what: &str| JsonError::new(format!("invalid string: {what}"));
    let simple = match bytes.get(1) {
        None => return Err(invalid("the string ends inside an escape")),
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => {
            let high = hex4(bytes, 2).ok_or_else(|| invalid("`\\u` is not followed by four hex digits"))?;
            if !(0xD800..0xDC00).contains(&high) {
                let c = char::from_u32(high).ok_or_else(|| invalid("an unpaired low surrogate"))?;
                return Ok((c, 6));
            }
            let low = (bytes.get(6..8) == Some(&b"\\u"[..])).then(|| hex4(bytes, 8)).flatten();
            let pair = low.filter(|low| (0xDC00..0xE000).contains(low));
            let c = pair.and_then(|low| char::from_u32(0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00)));
            return c.map(|c| (c, 12)).ok_or_else(|| invalid("a high surrogate is not followed by a low one"));
        }
        Some(other) => return Err(invalid(&format!("invalid escape `\\{}`", other.escape_ascii()))),
    };
    Ok((simple, 2))
}

/// The four hex digits at `bytes[at..at + 4]`, as a number.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits.iter().try_fold(0, |n, b| Some(n * 16 + (*b as char).to_digit(16)?))
}

/// Skip the one value of `input`, which must have nothing else but white space (for tests).
#[cfg(test)]
pub(crate) fn skip_whole(input: &[u8]) -> Result<(), JsonError> {
    let mut r = Reader::new(input);
    r.skip()?;
    match r.peek() {
        None => Ok(()),
        Some(_) => Err(r.syntax_error("more after the value")),
    }
}

/// What kind of JSON value starts with the byte `b`, in words (`a string`), or `None` if none does.
fn value_kind(b: u8) -> Option<&'static str> {
    Some(match b {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        b'-' | b'0'..=b'9' => "a number",
        _ => return None,
    })
}

/// A number of epoch seconds read exactly from its digits, as `DateTime::from_str` with `Format::EpochSeconds`
/// reads it; the common form (up to 18 digits, and up to 9 after a point) is read from its digits by the reader's
/// scan of a number (`NumberScan::epoch_seconds`, where that form is defined once), and every other form by the
/// general reader.
pub(crate) fn epoch_seconds(text: &str) -> Option<DateTime> {
    // The scan reads from a first digit; a sign, a point or nothing goes to the general reader.
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        let scan = Reader::new(text.as_bytes()).scan_number();
        if scan.end == text.len() {
            if let Some(t) = scan.epoch_seconds(text.as_bytes()) {
                return Some(t);
            }
        }
    }
    DateTime::from_str(text, Format::EpochSeconds).ok()
}

/// A timestamp string in either text form awsJson services send: RFC 3339 (with `Z` or a numeric offset) or an HTTP
/// date.
pub fn parse_timestamp(text: &str) -> Result<DateTime, JsonError> {
    DateTime::from_str(text, Format::DateTime)
        .or_else(|_| DateTime::from_str(text, Format::DateTimeWithOffset))
        .or_else(|_| DateTime::from_str(text, Format::HttpDate))
        .map_err(|e| JsonError::new(format!("invalid timestamp `{text}`: {e}")))
}
