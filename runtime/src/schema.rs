//! Schema tables: a model's shapes as static data, and one walker that checks a JSON value against them.
//!
//! The generator lowers a closure of shapes into a [`Schema`]: every shape once, with its [`Kind`], its members
//! (each naming its target by index, its constraints by index into a table of distinct [`Checks`], and whether it is
//! required or sensitive) and, for enums, its values. Constraints point at the same compiled patterns (`crate::
//! patterns`) and are checked by the same functions (`crate::validation`) as a call's input, so a literal breaks a
//! constraint with the same message either way. Nothing here is specific to one use: the pipeline definitions
//! (`crate::definition`) walk the step kinds' requests with it, accepting an expression wherever a value goes, and
//! codecs or validators of ordinary shapes could be driven by the same tables.
//!
//! [`check`] is linear in the value: each value is visited once, the nearest-name suggestions cost a bounded amount
//! each and are made for at most [`SUGGESTIONS`] problems, and the walk descends at most
//! 128 levels (`crate::json::MAX_DEPTH`, the depth a value read by `crate::json` can have).

use std::fmt;

use crate::json::{Value, MAX_DEPTH};
use crate::validation::{self, Pattern, Violations};

/// A closure of shapes.
#[derive(Debug)]
pub struct Schema {
    /// The shapes; a [`Member`] names its target by index here.
    pub shapes: &'static [Shape],
    /// The distinct constraints; a [`Member`] names its own by index here (index 0 has none).
    pub checks: &'static [Checks],
}

/// One shape.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name, without its namespace.
    pub name: &'static str,
    /// What it is.
    pub kind: Kind,
    /// A structure's or union's members, sorted by name; a list's one member (`member`); a map's `key` and `value`.
    pub members: &'static [Member],
    /// An enum's values (an int enum's as decimal text), sorted.
    pub values: &'static [&'static str],
}

/// What a shape is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A structure: an object of named members.
    Structure,
    /// A union: an object with exactly one member set.
    Union,
    /// A list: an array.
    List {
        /// Items may be `null`.
        sparse: bool,
    },
    /// A map: an object of entries.
    Map {
        /// Values may be `null`.
        sparse: bool,
    },
    /// A string.
    String,
    /// A string enum.
    Enum,
    /// An integer enum.
    IntEnum,
    /// A boolean.
    Boolean,
    /// An 8-bit integer.
    Byte,
    /// A 16-bit integer.
    Short,
    /// A 32-bit integer.
    Integer,
    /// A 64-bit integer.
    Long,
    /// An integer of any size.
    BigInteger,
    /// A 32-bit float.
    Float,
    /// A 64-bit float.
    Double,
    /// A decimal number.
    BigDecimal,
    /// A timestamp.
    Timestamp,
    /// Bytes, base64 in JSON.
    Blob,
    /// Any JSON value.
    Document,
}

/// A member is `@required`.
pub const REQUIRED: u8 = 1;
/// A member is `@sensitive` (its value is not shown in messages).
pub const SENSITIVE: u8 = 2;

/// A member of a shape.
#[derive(Debug)]
pub struct Member {
    /// Its name.
    pub name: &'static str,
    /// Its target's index in [`Schema::shapes`].
    pub target: u16,
    /// Its constraints' index in [`Schema::checks`] (the member's own constraints merged over its target's).
    pub checks: u16,
    /// [`REQUIRED`], [`SENSITIVE`] (the other bits are free for what codecs will need, such as a timestamp's
    /// format).
    pub flags: u8,
}

impl Member {
    /// A member, for the tables.
    pub const fn new(name: &'static str, target: u16, checks: u16, flags: u8) -> Member {
        Member { name, target, checks, flags }
    }

    /// Whether the member is `@required`.
    pub fn required(&self) -> bool {
        self.flags & REQUIRED != 0
    }

    /// Whether the member is `@sensitive`.
    pub fn sensitive(&self) -> bool {
        self.flags & SENSITIVE != 0
    }
}

/// The constraints of a value.
#[derive(Debug)]
pub struct Checks {
    /// `@length`: inclusive bounds on the characters of a string, the bytes of a blob, the items of a list or the
    /// entries of a map.
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// `@range`.
    pub range: Range,
    /// `@pattern`.
    pub pattern: Option<&'static Pattern>,
    /// `@uniqueItems`.
    pub unique: bool,
}

impl Checks {
    /// No constraint.
    pub const NONE: Checks = Checks { length: None, range: Range::None, pattern: None, unique: false };
}

/// A `@range`, bounds rounded inwards on integers as the input validators round them.
#[derive(Clone, Copy, Debug)]
pub enum Range {
    /// None.
    None,
    /// On an integer.
    Int(Option<i128>, Option<i128>),
    /// On a float.
    Float(Option<f64>, Option<f64>),
}

impl Schema {
    /// The shape at `index`.
    pub fn shape(&self, index: u16) -> &'static Shape {
        &self.shapes[usize::from(index)]
    }
}

impl Shape {
    /// The member named `name` (members are sorted by name).
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        let members: &'static [Member] = self.members;
        members.binary_search_by(|m| m.name.cmp(name)).ok().map(|i| &members[i])
    }
}

/// Where a value is, as a JSON path built on the stack while walking: `$.Steps[2].Arguments.RoleArn`.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// The start: a path written out (`$.Steps[2].Arguments`).
    Text(&'a str),
    /// A member of an object.
    Member(&'a Path<'a>, &'a str),
    /// An item of an array.
    Index(&'a Path<'a>, usize),
    /// An entry of a map, by key.
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    /// The path as text. A member name or key longer than [`PATH_NAME_MAX`] characters is shortened (`…` ends it),
    /// and a path longer than [`PATH_MAX`] characters keeps its start and its end with `…` between them, so rendering
    /// costs a bounded amount whatever the value: many problems under long names nested deep stay linear in the size
    /// of the value.
    pub fn render(&self) -> String {
        // The segments from the leaf up (at most the walk's depth, plus the start).
        let mut segments: Vec<&Path<'_>> = Vec::with_capacity(16);
        let mut at = self;
        loop {
            segments.push(at);
            match at {
                Path::Text(_) => break,
                Path::Member(parent, _) | Path::Index(parent, _) | Path::Key(parent, _) => at = parent,
            }
        }
        // Most paths are short: written whole, from the start, into one string.
        let mut whole = String::with_capacity(128);
        for p in segments.iter().rev() {
            push_piece(&mut whole, p);
            if whole.len() > PATH_MAX {
                break;
            }
        }
        if whole.len() <= PATH_MAX {
            return whole;
        }
        let piece = |p: &Path<'_>| {
            let mut out = String::new();
            push_piece(&mut out, p);
            out
        };
        // The start, as long as it fits in half the bound; then the end, from the leaf up, in the rest.
        let mut head = String::new();
        while let Some(p) = segments.last() {
            let text = piece(p);
            if !head.is_empty() && head.len() + text.len() > PATH_MAX / 2 && segments.len() > 1 {
                break;
            }
            head.push_str(&text);
            segments.pop();
        }
        let mut tail: Vec<String> = Vec::new();
        let mut tail_len = 0;
        for (i, p) in segments.iter().enumerate() {
            let text = piece(p);
            if i > 0 && tail_len + text.len() > PATH_MAX / 2 {
                head.push('…');
                break;
            }
            tail_len += text.len();
            tail.push(text);
        }
        for t in tail.iter().rev() {
            head.push_str(t);
        }
        head
    }
}

/// Append one segment of a path.
fn push_piece(out: &mut String, p: &Path<'_>) {
    match p {
        Path::Text(t) => out.push_str(t),
        Path::Member(_, name) => push_member(out, name),
        Path::Index(_, i) => {
            use std::fmt::Write as _;
            let _ = write!(out, "[{i}]");
        }
        Path::Key(_, key) => push_key(out, key),
    }
}

/// The most characters of a member name or key a rendered path shows.
pub const PATH_NAME_MAX: usize = 64;

/// About the most bytes a rendered path has (more only for a start or a last segment that is longer alone).
pub const PATH_MAX: usize = 512;

/// `name`, or its first [`PATH_NAME_MAX`] characters and `…` when it is longer.
fn path_name(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(PATH_NAME_MAX) {
        Some((i, _)) => format!("{}…", &name[..i]).into(),
        None => name.into(),
    }
}

/// Append `.name` to a JSON path, or `['name']` when the name is not an identifier (`['Std:JsonGet']`); a name longer
/// than [`PATH_NAME_MAX`] characters is shortened.
pub fn push_member(out: &mut String, name: &str) {
    let shown = path_name(name);
    let identifier = shown.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && shown.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        out.push('.');
        out.push_str(&shown);
    } else {
        push_key(out, name);
    }
}

/// Append `['key']` to a JSON path (`'` and `\` escaped with a backslash); a key longer than [`PATH_NAME_MAX`]
/// characters is shortened.
pub fn push_key(out: &mut String, key: &str) {
    out.push_str("['");
    for c in path_name(key).chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push_str("']");
}

/// What is wrong with a value.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// The value is of another JSON kind than the shape's.
    Kind {
        /// What the shape takes (`a string`).
        expected: &'static str,
        /// What was found (`a number`).
        found: &'static str,
    },
    /// A number that the shape's type cannot hold (a fraction for an integer, a value past its bits).
    Number {
        /// The number as written.
        value: String,
        /// What the shape takes.
        expected: &'static str,
    },
    /// An object has a member its shape does not.
    UnknownMember {
        /// The shape.
        shape: &'static str,
        /// The member found.
        name: String,
        /// The member of the shape whose name is closest, if one is close.
        nearest: Option<&'static str>,
    },
    /// A required member is missing.
    Missing {
        /// The member.
        name: &'static str,
    },
    /// A member appears twice in one object.
    Repeated {
        /// The member.
        name: String,
    },
    /// A member that the call accepts but this use refuses (a pipeline step's unsupported argument).
    Unsupported {
        /// The member.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// Not exactly one of a group of members is set.
    ExactlyOne {
        /// The group.
        members: Vec<String>,
        /// How many of them are set.
        set: usize,
    },
    /// A member set without the member it needs.
    OnlyWith {
        /// The member set.
        name: String,
        /// The member it needs.
        other: String,
    },
    /// A value that is not one of its enum's values.
    NotInEnum {
        /// The value as JSON text (`None` for a sensitive member).
        value: Option<String>,
        /// The enum shape.
        shape: &'static str,
        /// The closest value, if one is close.
        nearest: Option<&'static str>,
    },
    /// A union with no member set, or more than one.
    Union {
        /// The union shape.
        shape: &'static str,
        /// How many members are set.
        set: usize,
    },
    /// `null` in a list or map whose items cannot be `null`.
    Null,
    /// A string that is not what its type needs (a timestamp, base64 bytes).
    Text {
        /// What was wrong.
        message: String,
    },
    /// A modeled constraint (`@length`, `@range`, `@pattern`, `@uniqueItems`), in the words of input validation.
    Constraint {
        /// The message, as `validate()` words it.
        message: String,
    },
    /// The value nests deeper than the walk goes.
    TooDeep,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Kind { expected, found } => write!(f, "expected {expected}, found {found}"),
            Problem::Number { value, expected } => write!(f, "expected {expected}, found {value}"),
            Problem::UnknownMember { shape, name, nearest } => {
                write!(f, "`{name}` is not a member of {shape}")?;
                match nearest {
                    Some(n) => write!(f, " (did you mean `{n}`?)"),
                    None => Ok(()),
                }
            }
            Problem::Missing { .. } => f.write_str("is required but was not set"),
            Problem::Repeated { name } => write!(f, "the member `{name}` appears more than once"),
            Problem::Unsupported { name, reason } => write!(f, "`{name}` is not accepted here: {reason}"),
            Problem::ExactlyOne { members, set } => {
                let names: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                let listed = match names.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                match set {
                    0 => write!(f, "exactly one of {listed} must be set, and none is"),
                    n => write!(f, "exactly one of {listed} must be set, and {n} are"),
                }
            }
            Problem::OnlyWith { name, other } => {
                write!(f, "`{name}` is accepted only with `{other}`, which is not set")
            }
            Problem::NotInEnum { value, shape, nearest } => {
                match value {
                    Some(v) => write!(f, "{v} is not a value of {shape}")?,
                    None => write!(f, "the value is not one of {shape} (the sensitive value is not shown)")?,
                }
                match nearest {
                    Some(n) => write!(f, " (did you mean {n:?}?)"),
                    None => Ok(()),
                }
            }
            Problem::Union { shape, set: 0 } => write!(f, "{shape} needs exactly one member set, and has none"),
            Problem::Union { shape, set } => write!(f, "{shape} needs exactly one member set, and has {set}"),
            Problem::Null => f.write_str("null is not allowed here"),
            Problem::Text { message } => f.write_str(message),
            Problem::Constraint { message } => f.write_str(message),
            Problem::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels; not checked further"),
        }
    }
}

/// How many problems [`check`] looks for the nearest name or value of.
pub const SUGGESTIONS: usize = 256;

/// What the walker asks of its user.
pub trait Visitor {
    /// Whether `value`, found where a value of `shape` with the constraints `checks` belongs, stands for one to be
    /// known later (a pipeline's expression): the walker then leaves it to the visitor and does not check it as a
    /// value of the shape.
    fn stands_in(&mut self, value: &Value, schema: &Schema, shape: u16, checks: &Checks, path: &Path<'_>) -> bool;

    /// A problem at `path`.
    fn problem(&mut self, path: &Path<'_>, problem: Problem);
}

/// Members of the root structure, or below it, that are treated apart: each a member's name, or a dotted path of
/// structure members from the root (`ClusterConfig.Instances.TerminationProtected`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Exceptions<'a> {
    /// Required members that may be left out.
    pub optional: &'a [&'a str],
    /// Members that are refused, with the reason; a refused member is not required either.
    pub unsupported: &'a [&'a str],
    /// Why the unsupported members are refused.
    pub reason: &'static str,
    /// Groups of members of one structure of which exactly one must be set (names, or dotted paths as above).
    pub exactly_one: &'a [&'a [&'a str]],
    /// Pairs of members of one structure: the first may be set only when the second is.
    pub only_with: &'a [[&'a str; 2]],
}

impl<'a> Exceptions<'a> {
    /// Whether there is nothing to treat apart below this point.
    fn is_empty(&self) -> bool {
        self.optional.is_empty()
            && self.unsupported.is_empty()
            && self.exactly_one.is_empty()
            && self.only_with.is_empty()
    }
}

/// The rules across members of `exceptions` below the member `name`, as [`below`] takes paths: the groups whose
/// members are all below it, and the pairs likewise.
fn rules_below<'a>(exceptions: &Exceptions<'a>, name: &str) -> (Vec<Vec<&'a str>>, Vec<[&'a str; 2]>) {
    let strip = |p: &'a str| under(p, name);
    let groups = exceptions
        .exactly_one
        .iter()
        .filter_map(|group| group.iter().map(|p| strip(p)).collect::<Option<Vec<_>>>())
        .collect();
    let pairs = exceptions.only_with.iter().filter_map(|[a, b]| Some([strip(a)?, strip(b)?])).collect();
    (groups, pairs)
}

/// Whether `members` (an object's) set `name` to something other than `null`.
fn is_set(members: &[(String, Value)], name: &str) -> bool {
    members.iter().any(|(n, v)| n == name && !matches!(v, Value::Null))
}

/// The paths of `paths` below the member `name` (`Instances.TerminationProtected` of
/// `ClusterConfig.Instances.TerminationProtected` below `ClusterConfig`); empty, and allocated for nothing, when
/// there are none.
fn below<'a>(paths: &[&'a str], name: &str) -> Vec<&'a str> {
    paths.iter().filter_map(|p| under(p, name)).collect()
}

/// The rest of the dotted path `path` below the member `name` (`Instances.X` of `ClusterConfig.Instances.X` below
/// `ClusterConfig`), if it is below it.
fn under<'a>(path: &'a str, name: &str) -> Option<&'a str> {
    path.strip_prefix(name).and_then(|rest| rest.strip_prefix('.'))
}

/// Check `value` as a value of `schema`'s shape `shape`, reporting every problem to `visitor`.
pub fn check(
    schema: &Schema,
    shape: u16,
    value: &Value,
    path: &Path<'_>,
    exceptions: Exceptions<'_>,
    visitor: &mut dyn Visitor,
) {
    let mut budget = Budget::FULL;
    check_within(schema, shape, value, path, exceptions, visitor, &mut budget);
}

/// What is left for nearest-name suggestions: how many more problems get one, and the cells of edit-distance tables
/// they may still fill. A user that walks many values (a definition's steps) passes one budget to each walk, so the
/// suggestions cost a bounded amount in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Problems that may still get a suggestion.
    pub suggestions: usize,
    /// Cells of edit-distance tables that may still be filled.
    pub work: usize,
}

impl Budget {
    /// The budget of one [`check`]: [`SUGGESTIONS`] and [`NEAREST_WORK`].
    pub const FULL: Budget = Budget { suggestions: SUGGESTIONS, work: NEAREST_WORK };
}

/// [`check`], spending suggestions from `budget` (and taking them off it).
pub fn check_within(
    schema: &Schema,
    shape: u16,
    value: &Value,
    path: &Path<'_>,
    exceptions: Exceptions<'_>,
    visitor: &mut dyn Visitor,
    budget: &mut Budget,
) {
    let mut walk = Walk { schema, visitor, suggestions: budget.suggestions, work: budget.work };
    walk.value(shape, &Checks::NONE, 0, value, path, 0, exceptions);
    *budget = Budget { suggestions: walk.suggestions, work: walk.work };
}

/// Check `value` as a value of `schema`'s shape `shape` with the constraints `checks` (a member's), reporting every
/// problem to `visitor`.
pub fn check_member(
    schema: &Schema,
    shape: u16,
    checks: &Checks,
    value: &Value,
    path: &Path<'_>,
    visitor: &mut dyn Visitor,
) {
    let mut walk = Walk { schema, visitor, suggestions: SUGGESTIONS, work: NEAREST_WORK };
    walk.value(shape, checks, 0, value, path, 0, Exceptions::default());
}

struct Walk<'v, 's> {
    schema: &'s Schema,
    visitor: &'v mut dyn Visitor,
    suggestions: usize,
    work: usize,
}

impl Walk<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        index: u16,
        checks: &Checks,
        flags: u8,
        value: &Value,
        path: &Path<'_>,
        depth: usize,
        exceptions: Exceptions<'_>,
    ) {
        let shape = self.schema.shape(index);
        if self.visitor.stands_in(value, self.schema, index, checks, path) {
            return;
        }
        if depth >= MAX_DEPTH {
            self.visitor.problem(path, Problem::TooDeep);
            return;
        }
        let sensitive = flags & SENSITIVE != 0;
        match (shape.kind, value) {
            (Kind::Document, _) => {}
            (Kind::Structure, Value::Object(members)) => self.structure(shape, members, path, depth, exceptions),
            (Kind::Union, Value::Object(members)) => self.union(shape, members, path, depth),
            (Kind::List { sparse }, Value::Array(items)) => {
                self.length(checks, items.len(), "items", path);
                if checks.unique {
                    self.unique(items, path);
                }
                let Some(member) = shape.members.first() else { return };
                for (i, item) in items.iter().enumerate() {
                    let at = Path::Index(path, i);
                    if let Value::Null = item {
                        if !sparse {
                            self.visitor.problem(&at, Problem::Null);
                        }
                        continue;
                    }
                    let member_checks = &self.schema.checks[usize::from(member.checks)];
                    self.value(member.target, member_checks, member.flags, item, &at, depth + 1, Exceptions::default());
                }
            }
            (Kind::Map { sparse }, Value::Object(entries)) => {
                self.length(checks, entries.len(), "entries", path);
                let (Some(key), Some(val)) = (shape.member("key"), shape.member("value")) else { return };
                let repeats = repeats(entries);
                for (i, (name, entry)) in entries.iter().enumerate() {
                    let at = Path::Key(path, name);
                    if repeated(&repeats, i) {
                        self.visitor.problem(&at, Problem::Repeated { name: name.clone() });
                    }
                    let key_checks = &self.schema.checks[usize::from(key.checks)];
                    if self.schema.shape(key.target).kind == Kind::String && depth + 1 < MAX_DEPTH {
                        // A key is a string, never an expression: checked as one, without a copy.
                        self.string(key_checks, name, key.flags & SENSITIVE != 0, &at);
                    } else {
                        let key_value = Value::String(name.clone());
                        let (target, flags) = (key.target, key.flags);
                        self.value(target, key_checks, flags, &key_value, &at, depth + 1, Exceptions::default());
                    }
                    if let Value::Null = entry {
                        if !sparse {
                            self.visitor.problem(&at, Problem::Null);
                        }
                        continue;
                    }
                    let val_checks = &self.schema.checks[usize::from(val.checks)];
                    self.value(val.target, val_checks, val.flags, entry, &at, depth + 1, Exceptions::default());
                }
            }
            (Kind::String, Value::String(s)) => self.string(checks, s, sensitive, path),
            (Kind::Enum, Value::String(s)) => {
                if !shape.values.contains(&s.as_str()) {
                    let nearest = self.nearest(s, shape.values.iter().copied());
                    let value = (!sensitive).then(|| Value::String(s.clone()).to_json());
                    self.visitor.problem(path, Problem::NotInEnum { value, shape: shape.name, nearest });
                }
                self.string(checks, s, sensitive, path);
            }
            (Kind::IntEnum, Value::Number(n)) => match integer(n) {
                Some(i) if shape.values.contains(&i.to_string().as_str()) => self.range(checks, i, sensitive, path),
                Some(i) => {
                    let value = (!sensitive).then(|| i.to_string());
                    self.visitor.problem(path, Problem::NotInEnum { value, shape: shape.name, nearest: None });
                }
                None => self.visitor.problem(path, number_problem(n, "an integer")),
            },
            (Kind::Boolean, Value::Bool(_)) => {}
            (kind @ (Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::BigInteger), Value::Number(n)) => {
                let (min, max, expected) = match kind {
                    Kind::Byte => (i8::MIN.into(), i8::MAX.into(), "an 8-bit integer"),
                    Kind::Short => (i16::MIN.into(), i16::MAX.into(), "a 16-bit integer"),
                    Kind::Integer => (i32::MIN.into(), i32::MAX.into(), "a 32-bit integer"),
                    Kind::Long => (i64::MIN.into(), i64::MAX.into(), "a 64-bit integer"),
                    _ => (i128::MIN, i128::MAX, "an integer"),
                };
                match integer(n) {
                    Some(i) if (min..=max).contains(&i) => self.range(checks, i, sensitive, path),
                    _ => self.visitor.problem(path, number_problem(n, expected)),
                }
            }
            (Kind::Float | Kind::Double | Kind::BigDecimal, Value::Number(n)) => {
                let x = match *n {
                    aws_smithy_types::Number::PosInt(u) => u as f64,
                    aws_smithy_types::Number::NegInt(i) => i as f64,
                    aws_smithy_types::Number::Float(x) => x,
                };
                self.float_range(checks, x, sensitive, path);
            }
            // awsJson writes the floats that are not numbers as strings.
            (Kind::Float | Kind::Double, Value::String(s))
                if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") =>
            {
                let x = s.parse::<f64>().unwrap_or(f64::NAN);
                self.float_range(checks, x, sensitive, path);
            }
            (Kind::Timestamp, Value::Number(_)) => {}
            (Kind::Timestamp, Value::String(s)) => {
                if let Err(e) = crate::aws_json::parse_timestamp(s) {
                    self.visitor.problem(path, Problem::Text { message: e.message().to_owned() });
                }
            }
            (Kind::Blob, Value::String(s)) => match aws_smithy_types::base64::decode(s) {
                Ok(bytes) => self.length(checks, bytes.len(), "bytes", path),
                Err(e) => self.visitor.problem(path, Problem::Text { message: format!("invalid base64: {e}") }),
            },
            (kind, found) => {
                self.visitor.problem(path, Problem::Kind { expected: expected(kind), found: found.kind() });
            }
        }
    }

    fn structure(
        &mut self,
        shape: &'static Shape,
        members: &[(String, Value)],
        path: &Path<'_>,
        depth: usize,
        exceptions: Exceptions<'_>,
    ) {
        let repeats = repeats(members);
        for (i, (name, value)) in members.iter().enumerate() {
            let at = Path::Member(path, name);
            if repeated(&repeats, i) {
                self.visitor.problem(&at, Problem::Repeated { name: name.clone() });
            }
            if exceptions.unsupported.contains(&name.as_str()) {
                self.visitor.problem(&at, Problem::Unsupported { name: name.clone(), reason: exceptions.reason });
                continue;
            }
            match shape.member(name) {
                // A `null` member is an absent one.
                Some(_) if matches!(value, Value::Null) => {}
                Some(member) => {
                    let checks = &self.schema.checks[usize::from(member.checks)];
                    if exceptions.is_empty() {
                        self.value(member.target, checks, member.flags, value, &at, depth + 1, exceptions);
                        continue;
                    }
                    let (optional, unsupported) =
                        (below(exceptions.optional, name), below(exceptions.unsupported, name));
                    let (groups, only_with) = rules_below(&exceptions, name);
                    let groups: Vec<&[&str]> = groups.iter().map(Vec::as_slice).collect();
                    let inner = Exceptions {
                        optional: &optional,
                        unsupported: &unsupported,
                        reason: exceptions.reason,
                        exactly_one: &groups,
                        only_with: &only_with,
                    };
                    self.value(member.target, checks, member.flags, value, &at, depth + 1, inner);
                }
                None => {
                    let nearest = self.nearest(name, shape.members.iter().map(|m| m.name));
                    self.visitor
                        .problem(&at, Problem::UnknownMember { shape: shape.name, name: name.clone(), nearest });
                }
            }
        }
        let excepted = |m: &&Member| exceptions.optional.contains(&m.name) || exceptions.unsupported.contains(&m.name);
        for m in shape.members.iter().filter(|m| m.required() && !excepted(m)) {
            if !is_set(members, m.name) {
                self.visitor.problem(&Path::Member(path, m.name), Problem::Missing { name: m.name });
            }
        }
        self.rules_across(members, path, &exceptions);
    }

    /// The rules across members of `exceptions` that are this structure's own (paths without a dot): a group of
    /// which none is set is reported at the structure, one of which several are at the second set; a member set
    /// without the one it needs, at the member.
    fn rules_across(&mut self, members: &[(String, Value)], path: &Path<'_>, exceptions: &Exceptions<'_>) {
        let here = |p: &&str| !p.contains('.');
        for group in exceptions.exactly_one.iter().filter(|g| g.iter().all(here)) {
            let set: Vec<&str> = group.iter().copied().filter(|m| is_set(members, m)).collect();
            let problem =
                || Problem::ExactlyOne { members: group.iter().map(|m| (*m).to_owned()).collect(), set: set.len() };
            match set.as_slice() {
                [] => self.visitor.problem(path, problem()),
                [_] => {}
                [_, second, ..] => self.visitor.problem(&Path::Member(path, second), problem()),
            }
        }
        for [member, other] in exceptions.only_with.iter().filter(|[a, b]| here(a) && here(b)) {
            if is_set(members, member) && !is_set(members, other) {
                let problem = Problem::OnlyWith { name: (*member).to_owned(), other: (*other).to_owned() };
                self.visitor.problem(&Path::Member(path, member), problem);
            }
        }
    }

    fn union(&mut self, shape: &'static Shape, members: &[(String, Value)], path: &Path<'_>, depth: usize) {
        let set = members.iter().filter(|(_, v)| !matches!(v, Value::Null)).count();
        if set != 1 {
            self.visitor.problem(path, Problem::Union { shape: shape.name, set });
        }
        self.structure(shape, members, path, depth, Exceptions::default());
    }

    fn string(&mut self, checks: &Checks, s: &str, sensitive: bool, path: &Path<'_>) {
        if checks.length.is_none() && checks.pattern.is_none() {
            return;
        }
        // The generated validators' check of a string's value: a string that breaks its `@length` is not also run
        // through its pattern.
        let (min, max) = checks.length.unwrap_or((None, None));
        let rule = validation::Text { required: false, min, max, pattern: checks.pattern, sensitive };
        self.constraint(path, |p, out| validation::text_value(s, &rule, p, out));
    }

    fn length(&mut self, checks: &Checks, n: usize, unit: &'static str, path: &Path<'_>) {
        if let Some((min, max)) = checks.length {
            self.constraint(path, |p, out| validation::length_count(n, unit, min, max, p, out));
        }
    }

    fn range(&mut self, checks: &Checks, v: i128, sensitive: bool, path: &Path<'_>) {
        if let Range::Int(min, max) = checks.range {
            self.constraint(path, |p, out| validation::range_int(v, min, max, sensitive, p, out));
        }
    }

    fn float_range(&mut self, checks: &Checks, v: f64, sensitive: bool, path: &Path<'_>) {
        if let Range::Float(min, max) = checks.range {
            self.constraint(path, |p, out| validation::range_float(v, min, max, sensitive, p, out));
        }
    }

    fn unique(&mut self, items: &[Value], path: &Path<'_>) {
        let keys: Vec<String> = items.iter().map(canonical).collect();
        self.constraint(path, |p, out| validation::unique_hash(&keys, p, out));
    }

    /// Run one of the input validators and report what it found, in its words.
    fn constraint(&mut self, path: &Path<'_>, check: impl FnOnce(&validation::Path<'_>, &mut Violations)) {
        let mut out = Violations::new();
        check(&validation::Path::Root, &mut out);
        if let Err(e) = out.into_result("") {
            for v in e.violations() {
                // A violation reads "<path>: <message>"; the path here is the validator's root.
                let text = v.to_string();
                let message = text.strip_prefix(&format!("{}: ", v.path())).unwrap_or(&text).to_owned();
                self.visitor.problem(path, Problem::Constraint { message });
            }
        }
    }

    fn nearest(&mut self, found: &str, candidates: impl Iterator<Item = &'static str>) -> Option<&'static str> {
        if self.suggestions == 0 {
            return None;
        }
        self.suggestions -= 1;
        nearest_within(found, candidates, &mut self.work)
    }
}

/// For each member of an object, whether an earlier member has its name (hashed for a large object, so hostile
/// input stays linear); empty, and allocated for nothing, when no name repeats (as in almost every object).
pub fn repeats(members: &[(String, Value)]) -> Vec<bool> {
    if members.len() <= 16 {
        let repeated = |i: usize| members[..i].iter().any(|(m, _)| *m == members[i].0);
        if !(1..members.len()).any(repeated) {
            return Vec::new();
        }
        return (0..members.len()).map(repeated).collect();
    }
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    let out: Vec<bool> = members.iter().map(|(n, _)| !seen.insert(n.as_str())).collect();
    if out.contains(&true) {
        out
    } else {
        Vec::new()
    }
}

/// Whether member `i` repeats an earlier one, by what [`repeats`] gave.
pub fn repeated(repeats: &[bool], i: usize) -> bool {
    repeats.get(i).copied().unwrap_or(false)
}

/// The JSON kind a shape's values have, in words.
fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Structure | Kind::Union | Kind::Map { .. } => "an object",
        Kind::List { .. } => "an array",
        Kind::String | Kind::Enum | Kind::Blob => "a string",
        Kind::Boolean => "a boolean",
        Kind::IntEnum | Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::BigInteger => "an integer",
        Kind::Float | Kind::Double | Kind::BigDecimal => "a number",
        Kind::Timestamp => "a timestamp (a number of seconds or a date-time string)",
        Kind::Document => "any value",
    }
}

/// An integer value of a JSON number: integers, and floats without a fraction (as Jackson, the service's reader,
/// takes them).
fn integer(n: &aws_smithy_types::Number) -> Option<i128> {
    match *n {
        aws_smithy_types::Number::PosInt(u) => Some(i128::from(u)),
        aws_smithy_types::Number::NegInt(i) => Some(i128::from(i)),
        aws_smithy_types::Number::Float(x) if x.fract() == 0.0 && x.abs() < 1e38 => Some(x as i128),
        aws_smithy_types::Number::Float(_) => None,
    }
}

fn number_problem(n: &aws_smithy_types::Number, expected: &'static str) -> Problem {
    Problem::Number { value: Value::Number(*n).to_json(), expected }
}

/// A value's JSON text with every object's members in sorted order, so that equal values have equal text.
fn canonical(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            Value::Object(members) => {
                let mut members: Vec<(String, Value)> = members.iter().map(|(n, v)| (n.clone(), sorted(v))).collect();
                members.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(members)
            }
            other => other.clone(),
        }
    }
    sorted(v).to_json()
}

/// The longest name [`nearest`] compares: longer ones get no suggestion, so each comparison costs a bounded amount.
const NEAREST_MAX: usize = 64;

/// The candidate closest to `found`, when one is close, letter case aside: equal but for case; else within an edit
/// distance of a third of the name's length (names of three characters or more); else, for a name of four characters
/// or more, a candidate it begins (`Trial` for `TrialName`). Of equally close candidates, the first in order.
pub fn nearest<'a>(found: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut work = NEAREST_WORK;
    nearest_within(found, candidates, &mut work)
}

/// The most cells of edit-distance tables one [`check`] (or one `PipelineDefinition::check`) fills for suggestions:
/// past it, problems are reported without one, so the suggestions' cost is bounded whatever the input.
pub const NEAREST_WORK: usize = 1 << 22;

/// [`nearest`], spending at most `work` cells of edit-distance tables (and taking them off it).
pub fn nearest_within<'a>(found: &str, candidates: impl Iterator<Item = &'a str>, work: &mut usize) -> Option<&'a str> {
    let found: Vec<char> = found.chars().flat_map(char::to_lowercase).collect();
    if found.is_empty() || found.len() > NEAREST_MAX {
        return None;
    }
    let limit = found.len() / 3;
    // (rank, candidate): rank 0 equal but for case, 1 + distance for close ones, `usize::MAX` for a prefix.
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let candidate: Vec<char> = c.chars().flat_map(char::to_lowercase).collect();
        if candidate.len() > NEAREST_MAX {
            continue;
        }
        let rank = if candidate == found {
            Some(0)
        } else if limit > 0 && candidate.len().abs_diff(found.len()) <= limit {
            let cells = found.len() * candidate.len();
            if cells > *work {
                break;
            }
            *work -= cells;
            let d = distance(&found, &candidate);
            (d <= limit).then_some(1 + d)
        } else if found.len() >= 4 && candidate.starts_with(&found) {
            Some(usize::MAX)
        } else {
            None
        };
        if let Some(rank) = rank {
            // Ties go to the name first in order, whatever order the candidates come in.
            if best.is_none_or(|(b, n)| rank < b || rank == b && c < n) {
                best = Some((rank, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance, with a transposition of neighbours counted as one edit.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}
