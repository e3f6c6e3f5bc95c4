//! An owned JSON value that keeps what it read: members in their order (repeated names too), numbers as
//! `aws-smithy-types` reads them. Pipeline definitions are held in it, so that anything this crate does not model (a
//! step kind, a member or a function of a newer SDK) is written back as it was read.
//!
//! Reading and writing are iterative (an explicit stack, no recursion) and linear in the text; reading refuses
//! nesting deeper than [`MAX_DEPTH`], so no later walk over a value that was read can exhaust the stack.

use std::fmt;

use aws_smithy_json::deserialize::{json_token_iter, Token};
use aws_smithy_json::serialize::JsonValueWriter;
use aws_smithy_types::Number;

use crate::aws_json::JsonError;

/// The deepest nesting of arrays and objects [`parse`] accepts (and the walkers of this crate descend).
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number: an integer when the text has no fraction or exponent and fits 64 bits, else a float.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, its members in the order written (a name may repeat; [`Value::get`] finds the first).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value as a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The first member named `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.as_object()?.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// What kind of value this is, in words (`a string`, `an object`), for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The value as JSON text, without white space.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write(self, &mut out);
        out
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(if n < 0 { Number::NegInt(n) } else { Number::PosInt(n as u64) })
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Number(Number::Float(x))
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// An array or object being read.
enum Open {
    Array(Vec<Value>),
    /// The members so far, and the name of the one whose value comes next.
    Object(Vec<(String, Value)>, Option<String>),
}

/// Read one JSON value from `text` (nothing but white space may follow it). An error names the JSON path of the value
/// at fault (`$.Steps[2].Arguments`).
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut tokens = json_token_iter(text.as_bytes());
    let mut open: Vec<Open> = Vec::new();
    let located = |e: JsonError, open: &[Open]| {
        open.iter().rev().fold(e, |e, o| match o {
            Open::Array(items) => e.at_index(items.len()),
            Open::Object(_, Some(name)) => e.in_member(name),
            Open::Object(_, None) => e,
        })
    };
    let root = loop {
        let token = match tokens.next() {
            Some(Ok(token)) => token,
            Some(Err(e)) => return Err(located(JsonError::new(format!("invalid JSON: {e}")), &open)),
            None => return Err(located(JsonError::new("the text ends inside a value"), &open)),
        };
        let value = match token {
            Token::StartArray { .. } | Token::StartObject { .. } => {
                if open.len() >= MAX_DEPTH {
                    return Err(located(
                        JsonError::new(format!("the JSON nests deeper than {MAX_DEPTH} levels")),
                        &open,
                    ));
                }
                open.push(match token {
                    Token::StartArray { .. } => Open::Array(Vec::new()),
                    _ => Open::Object(Vec::new(), None),
                });
                continue;
            }
            Token::ObjectKey { key, .. } => {
                let name = key
                    .to_unescaped()
                    .map_err(|e| located(JsonError::new(format!("invalid member name: {e}")), &open))?
                    .into_owned();
                if let Some(Open::Object(_, next)) = open.last_mut() {
                    *next = Some(name);
                }
                continue;
            }
            Token::EndArray { .. } | Token::EndObject { .. } => match open.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Object(members, _)) => Value::Object(members),
                // The tokenizer refuses an end that nothing opened.
                None => return Err(JsonError::new("invalid JSON: unbalanced brackets")),
            },
            Token::ValueNull { .. } => Value::Null,
            Token::ValueBool { value, .. } => Value::Bool(value),
            Token::ValueNumber { value, .. } => Value::Number(value),
            Token::ValueString { value, .. } => Value::String(
                value
                    .to_unescaped()
                    .map_err(|e| located(JsonError::new(format!("invalid string: {e}")), &open))?
                    .into_owned(),
            ),
        };
        match open.last_mut() {
            None => break value,
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(members, next)) => {
                let name = next.take().unwrap_or_default();
                members.push((name, value));
            }
        }
    };
    match tokens.next() {
        None => Ok(root),
        Some(Ok(_)) => Err(JsonError::new("unexpected text after the JSON value")),
        Some(Err(e)) => Err(JsonError::new(format!("invalid JSON after the value: {e}"))),
    }
}

/// The characters of `value`'s JSON text as [`write`] writes it, counted without writing it, iteratively.
pub fn text_chars(value: &Value) -> usize {
    let mut stack: Vec<&Value> = Vec::with_capacity(32);
    stack.push(value);
    let mut number = String::new();
    let mut chars = 0;
    while let Some(v) = stack.pop() {
        chars += match v {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            // A number's text is ASCII: written as `write` writes it, into a buffer used again.
            Value::Number(_) => {
                number.clear();
                write(v, &mut number);
                number.len()
            }
            Value::String(s) => string_chars(s),
            Value::Array(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::Object(members) => {
                let mut chars = 2 + members.len().saturating_sub(1);
                for (name, member) in members {
                    chars += string_chars(name) + 1;
                    stack.push(member);
                }
                chars
            }
        };
    }
    chars
}

/// The characters of `s` written as a JSON string, quotes included: `"` and `\`, and the control characters, are
/// escaped (`\n`, `\u001f`) as aws-smithy-json's writer escapes them. One pass over the bytes: each byte adds the
/// characters it writes, a UTF-8 continuation byte none.
pub fn string_chars(s: &str) -> usize {
    2 + s.bytes().map(|b| usize::from(STRING_CHARS[usize::from(b)])).sum::<usize>()
}

/// What each byte of a string adds to its JSON text's characters.
static STRING_CHARS: [u8; 256] = {
    let mut table = [1u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = 6;
        b += 1;
    }
    table[0x08] = 2;
    table[0x0C] = 2;
    table[b'\n' as usize] = 2;
    table[b'\r' as usize] = 2;
    table[b'\t' as usize] = 2;
    table[b'"' as usize] = 2;
    table[b'\\' as usize] = 2;
    let mut b = 0x80;
    while b < 0xC0 {
        table[b] = 0;
        b += 1;
    }
    table
};

/// Append `value` as JSON text to `out`, iteratively.
pub fn write(value: &Value, out: &mut String) {
    /// What remains to write of an array or object.
    enum Rest<'a> {
        Items(std::slice::Iter<'a, Value>, bool),
        Members(std::slice::Iter<'a, (String, Value)>, bool),
    }
    let mut stack: Vec<Rest<'_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Null => JsonValueWriter::new(out).null(),
                Value::Bool(b) => JsonValueWriter::new(out).boolean(*b),
                // A number too large for a float (`1e400`) was read as an infinite one: it is written back as a
                // number too large, not as the string `"Infinity"` of awsJson, so the text reads back to the same
                // value. (No JSON text reads as NaN.)
                Value::Number(Number::Float(x)) if x.is_infinite() => {
                    out.push_str(if *x > 0.0 { "1e400" } else { "-1e400" })
                }
                Value::Number(n) => JsonValueWriter::new(out).number(*n),
                Value::String(s) => JsonValueWriter::new(out).string(s),
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Rest::Items(items.iter(), true));
                }
                Value::Object(members) => {
                    out.push('{');
                    stack.push(Rest::Members(members.iter(), true));
                }
            }
        }
        let Some(top) = stack.last_mut() else { return };
        match top {
            Rest::Items(items, first) => match items.next() {
                Some(item) => {
                    if !std::mem::replace(first, false) {
                        out.push(',');
                    }
                    next = Some(item);
                }
                None => {
                    out.push(']');
                    stack.pop();
                }
            },
            Rest::Members(members, first) => match members.next() {
                Some((name, member)) => {
                    if !std::mem::replace(first, false) {
                        out.push(',');
                    }
                    JsonValueWriter::new(out).string(name);
                    out.push(':');
                    next = Some(member);
                }
                None => {
                    out.push('}');
                    stack.pop();
                }
            },
        }
    }
}
