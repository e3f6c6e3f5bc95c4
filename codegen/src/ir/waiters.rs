//! Waiters (`@smithy.waiters#waitable`): each acceptor's matcher decided, and each JMESPath path parsed
//! ([`crate::jmespath`]) and type-checked against the operation's input and output shapes into a [`PathExpr`] whose
//! every node knows its JMESPath type and whether it may be null. The emitter turns that into plain Rust over the
//! generated types; nothing is interpreted at run time.
//!
//! The types follow the Smithy waiters specification's data model: strings and enums are strings, numbers and
//! timestamps (epoch seconds) numbers (integers kept apart from floats so that equality stays exact), structures
//! objects, lists arrays. A path the checker cannot type (a member that does not exist, a comparison of a string with
//! a number, a comparator on the wrong type, maps, unions, documents, blobs, functions other than `length`) is an
//! error naming the operation, the waiter and the acceptor: such a path would be null at run time in JMESPath, which
//! is almost always a mistake in the model.

use super::{ErrorRef, NamedKind, Structure, Type};
use crate::error::{shape_path, Error, Result};
use crate::jmespath::{self, Ast, Comparison};
use crate::model::ShapeId;
use crate::traits::{self, WaiterMatcher};

/// A waiter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The model's name (`PipelineExecutionComplete`).
    pub name: String,
    /// Its module under `crate::waiters`.
    pub module: String,
    /// The client method (`wait_until_…`).
    pub method: String,
    /// The fluent builder type.
    pub fluent_builder: String,
    /// The alias of the final poll's type.
    pub final_poll: String,
    /// The alias of the waiter's error type.
    pub error: String,
    /// Markdown docs (the model's, or a sentence naming the waiter).
    pub docs: String,
    /// `minDelay`, in seconds.
    pub min_delay: u64,
    /// `maxDelay`, in seconds.
    pub max_delay: u64,
    /// `deprecated`.
    pub deprecated: bool,
    /// The acceptors, in the model's order (the first that matches decides).
    pub acceptors: Vec<Acceptor>,
}

impl Waiter {
    /// Whether an acceptor reads the input (`inputOutput`).
    pub fn reads_input(&self) -> bool {
        self.acceptors.iter().any(|a| matches!(&a.matcher, Matcher::Path { input_output: true, .. }))
    }
}

/// One acceptor.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// Where the waiter goes when the matcher matches.
    pub state: AcceptorState,
    /// What is matched.
    pub matcher: Matcher,
    /// The acceptor as the model writes it, for the documentation.
    pub description: String,
}

/// An acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// `success`
    Success,
    /// `failure`
    Failure,
    /// `retry`
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A path of the output (`input_output: false`) or of `{input, output}`, compared with an expected value; only
    /// successful polls match.
    Path {
        /// `inputOutput`.
        input_output: bool,
        /// The typed expression.
        expr: PathExpr,
        /// How its value is compared.
        comparator: Comparator,
    },
    /// `success: true` matches a successful poll, `false` any error the service returned.
    Success(bool),
    /// An error the service returned, by its code (the shape name), as one of the operation's variants when the
    /// operation declares it.
    ErrorType {
        /// The code.
        code: String,
        /// The error enum's variant, for a declared error.
        variant: Option<String>,
    },
}

/// A path comparator and its expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparator {
    /// The value is this string.
    StringEquals(String),
    /// The value is this boolean.
    BooleanEquals(bool),
    /// The value is a non-empty array whose every item is this string.
    AllStringEquals(String),
    /// The value is an array with an item that is this string.
    AnyStringEquals(String),
}

/// The JMESPath type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum PathType {
    /// A string (a string or enum member): `&str`.
    String,
    /// A boolean: `bool`.
    Bool,
    /// An integer (a byte, short, integer, long or int enum member, or a length): `i64`.
    Int,
    /// A float (a float, double, big number or timestamp in epoch seconds): `f64`.
    Float,
    /// A structure: `&T`.
    Object(Object),
    /// An array of non-null values: `Vec<T>`.
    Array(Box<PathType>),
}

/// Which structure an object is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Object {
    /// The operation's input (whose members are all optional for a client).
    Input,
    /// The operation's output.
    Output,
    /// The `{input, output}` object of an `inputOutput` matcher.
    InputOutput,
    /// A structure shape.
    Shape(ShapeId),
}

impl PathType {
    fn describe(&self) -> String {
        match self {
            PathType::String => "a string".into(),
            PathType::Bool => "a boolean".into(),
            PathType::Int | PathType::Float => "a number".into(),
            PathType::Object(Object::Shape(id)) => format!("an object (`{id}`)"),
            PathType::Object(_) => "an object".into(),
            PathType::Array(item) => {
                format!("an array of {}", item.describe().trim_start_matches("a ").trim_start_matches("an "))
            }
        }
    }
}

/// A typed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct PathExpr {
    /// What it computes.
    pub node: PathNode,
    /// Its type.
    pub ty: PathType,
    /// Whether it may be null (`Option<T>` in Rust).
    pub nullable: bool,
}

/// A typed expression's node.
#[derive(Debug, Clone, PartialEq)]
pub enum PathNode {
    /// The output (`&Output`).
    Output,
    /// The input (`&Input`).
    Input,
    /// The item of the enclosing projection at this depth.
    Item(usize),
    /// A member of a structure.
    Field {
        /// The structure.
        of: Box<PathExpr>,
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// Whether the field is boxed.
        boxed: bool,
        /// The field's Rust type, which decides how its value becomes the JMESPath type.
        source: Type,
    },
    /// `of[index]` (negative from the end).
    Index {
        /// The array.
        of: Box<PathExpr>,
        /// The index.
        index: i64,
    },
    /// `of[]` of an array of arrays: one level spliced.
    Flatten(Box<PathExpr>),
    /// A projection: `then` (over [`PathNode::Item`] of `depth`) of each item of `of` that passes `filter`, nulls
    /// dropped.
    Project {
        /// The array.
        of: Box<PathExpr>,
        /// The depth of the item variable.
        depth: usize,
        /// `[?filter]`.
        filter: Option<Box<Condition>>,
        /// What is taken from each item.
        then: Box<PathExpr>,
    },
    /// `length(x)` of a string (code points) or an array.
    Length(Box<PathExpr>),
    /// A literal.
    Literal(Literal),
    /// `==`, `!=` of two values of one type; `<`, `<=`, `>`, `>=` of two numbers (the integer side converted when
    /// one is a float).
    Compare {
        /// The operator.
        op: Comparison,
        /// Left.
        left: Box<PathExpr>,
        /// Right.
        right: Box<PathExpr>,
    },
    /// `x == null` (`equal`) or `x != null`.
    IsNull {
        /// The value.
        value: Box<PathExpr>,
        /// `==` rather than `!=`.
        equal: bool,
    },
    /// `a && b` of two booleans.
    And(Box<PathExpr>, Box<PathExpr>),
    /// `a || b` of two booleans.
    Or(Box<PathExpr>, Box<PathExpr>),
    /// `!x`: whether `x` is falsy.
    Not(Box<Condition>),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

/// Something whose truthiness is read (a filter, the operand of `!`): JMESPath's `&&`, `||` and `!` of values of any
/// types. Null, `false`, `""` and `[]` are falsy; numbers and objects are truthy (an object is never empty here,
/// since a structure that is present counts as a value).
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The truthiness of a value.
    Value(PathExpr),
    /// Both.
    And(Box<Condition>, Box<Condition>),
    /// Either.
    Or(Box<Condition>, Box<Condition>),
    /// Not.
    Not(Box<Condition>),
}

/// The waiters of an operation, sorted by name. `structure` gives a structure shape's IR (for the members of nested
/// structures).
pub(super) fn build(
    op_id: &str,
    traits_: &crate::model::Traits,
    input: &Structure,
    output: &Structure,
    errors: &[ErrorRef],
    structure: &dyn Fn(&ShapeId) -> Result<Structure>,
) -> Result<Vec<Waiter>> {
    let op_name = crate::model::shape_name(op_id);
    let mut out = Vec::new();
    for w in traits::waitable(traits_, &shape_path(op_id))? {
        let [method, module, fluent_builder, final_poll, error] = crate::ident::waiter_names(&w.name);
        let mut acceptors = Vec::new();
        for (i, a) in w.acceptors.iter().enumerate() {
            let at = format!("{}.{}.acceptors[{i}]", traits::path(&shape_path(op_id), traits::WAITABLE), w.name);
            let fail =
                |m: String| Error::at(&at, format!("operation `{op_name}`, waiter `{}`, acceptor {i}: {m}", w.name));
            let state = match a.state.as_str() {
                "success" => AcceptorState::Success,
                "failure" => AcceptorState::Failure,
                _ => AcceptorState::Retry,
            };
            let (matcher, description) = match &a.matcher {
                WaiterMatcher::Success(b) => (Matcher::Success(*b), format!("`success: {b}`")),
                WaiterMatcher::ErrorType(e) => {
                    // An absolute shape id is matched by its name.
                    let code = e.rsplit('#').next().unwrap_or(e).to_owned();
                    let variant = errors.iter().find(|r| r.code == code).map(|r| r.variant.clone());
                    (Matcher::ErrorType { code: code.clone(), variant }, format!("the error `{code}`"))
                }
                WaiterMatcher::Path { input_output, path, comparator, expected } => {
                    let ast = jmespath::parse(path).map_err(|m| fail(format!("path `{path}`: {m}")))?;
                    let checker = Checker { input, output, structure };
                    let root = PathExpr {
                        node: PathNode::Output,
                        ty: PathType::Object(if *input_output { Object::InputOutput } else { Object::Output }),
                        nullable: false,
                    };
                    let expr = checker.value(&ast, &root, 0).map_err(|m| fail(format!("path `{path}`: {m}")))?;
                    let wrong = |want: &str| {
                        fail(format!(
                            "path `{path}` is {}{}, but `{comparator}` compares {want}",
                            expr.ty.describe(),
                            if expr.nullable { " or null" } else { "" }
                        ))
                    };
                    let cmp = match comparator.as_str() {
                        "stringEquals" if expr.ty == PathType::String => Comparator::StringEquals(expected.clone()),
                        "booleanEquals" if expr.ty == PathType::Bool => match expected.as_str() {
                            "true" => Comparator::BooleanEquals(true),
                            "false" => Comparator::BooleanEquals(false),
                            other => {
                                return Err(fail(format!("booleanEquals expects \"true\" or \"false\", not {other:?}")))
                            }
                        },
                        "allStringEquals" | "anyStringEquals"
                            if expr.ty == PathType::Array(Box::new(PathType::String)) =>
                        {
                            if comparator == "allStringEquals" {
                                Comparator::AllStringEquals(expected.clone())
                            } else {
                                Comparator::AnyStringEquals(expected.clone())
                            }
                        }
                        "stringEquals" => return Err(wrong("strings")),
                        "booleanEquals" => return Err(wrong("booleans")),
                        "allStringEquals" | "anyStringEquals" => return Err(wrong("arrays of strings")),
                        other => return Err(fail(format!("unknown comparator `{other}`"))),
                    };
                    let description = format!(
                        "`{path}` ({}) {comparator} `{expected}`",
                        if *input_output { "of the input and output" } else { "of the output" }
                    );
                    (Matcher::Path { input_output: *input_output, expr, comparator: cmp }, description)
                }
            };
            acceptors.push(Acceptor { state, matcher, description });
        }
        let docs = match w.documentation.as_deref().map(crate::docs::html_to_markdown) {
            Some(d) if !d.trim().is_empty() => d,
            _ => format!("The `{}` waiter of `{op_name}`.", w.name),
        };
        out.push(Waiter {
            name: w.name,
            module,
            method,
            fluent_builder,
            final_poll,
            error,
            docs,
            min_delay: w.min_delay,
            max_delay: w.max_delay,
            deprecated: w.deprecated,
            acceptors,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

struct Checker<'a> {
    input: &'a Structure,
    output: &'a Structure,
    structure: &'a dyn Fn(&ShapeId) -> Result<Structure>,
}

type Checked<T> = std::result::Result<T, String>;

fn typed(node: PathNode, ty: PathType, nullable: bool) -> PathExpr {
    PathExpr { node, ty, nullable }
}

impl Checker<'_> {
    /// The typed form of `ast` evaluated on `current` inside `depth` projections.
    fn value(&self, ast: &Ast, current: &PathExpr, depth: usize) -> Checked<PathExpr> {
        Ok(match ast {
            Ast::Current => {
                if current.ty == PathType::Object(Object::InputOutput) {
                    return Err(
                        "`@` of an inputOutput matcher is the pair {input, output}; name `input` or `output`".into()
                    );
                }
                current.clone()
            }
            Ast::Field(name) => self.field(current, name)?,
            Ast::Subexpression(left, right) | Ast::Pipe(left, right) => {
                let left = self.value(left, current, depth)?;
                self.value(right, &left, depth)?
            }
            Ast::Index(of, index) => {
                let of = self.value(of, current, depth)?;
                let PathType::Array(item) = of.ty.clone() else {
                    return Err(format!("`[{index}]` indexes {}, not an array", of.ty.describe()));
                };
                typed(PathNode::Index { of: Box::new(of), index: *index }, *item, true)
            }
            Ast::Flatten(of) => {
                let of = self.value(of, current, depth)?;
                match of.ty.clone() {
                    PathType::Array(item) => match *item {
                        PathType::Array(inner) => {
                            let nullable = of.nullable;
                            typed(PathNode::Flatten(Box::new(of)), PathType::Array(inner), nullable)
                        }
                        _ => of,
                    },
                    other => return Err(format!("`[]` flattens {}, not an array", other.describe())),
                }
            }
            Ast::Projection { left, right, filter } => {
                let of = self.value(left, current, depth)?;
                let PathType::Array(item_ty) = of.ty.clone() else {
                    return Err(format!("a projection needs an array, and this is {}", of.ty.describe()));
                };
                if filter.is_some() && matches!(*item_ty, PathType::Array(_)) {
                    return Err("filters over arrays of arrays are not supported".into());
                }
                let item = typed(PathNode::Item(depth), *item_ty, false);
                let filter = match filter {
                    Some(f) => Some(Box::new(self.condition(f, &item, depth + 1)?)),
                    None => None,
                };
                let then = self.value(right, &item, depth + 1)?;
                let nullable = of.nullable;
                let ty = PathType::Array(Box::new(then.ty.clone()));
                typed(PathNode::Project { of: Box::new(of), depth, filter, then: Box::new(then) }, ty, nullable)
            }
            Ast::Literal(v) => match v {
                serde_json::Value::String(s) => {
                    typed(PathNode::Literal(Literal::String(s.clone())), PathType::String, false)
                }
                serde_json::Value::Bool(b) => typed(PathNode::Literal(Literal::Bool(*b)), PathType::Bool, false),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => typed(PathNode::Literal(Literal::Int(i)), PathType::Int, false),
                    None => typed(PathNode::Literal(Literal::Float(n.as_f64().unwrap_or(0.0))), PathType::Float, false),
                },
                serde_json::Value::Null => return Err("`null` is only supported in `== null` and `!= null`".into()),
                other => return Err(format!("the literal {other} is not supported (only strings, numbers, booleans)")),
            },
            Ast::Not(inner) => {
                typed(PathNode::Not(Box::new(self.condition(inner, current, depth)?)), PathType::Bool, false)
            }
            Ast::And(l, r) | Ast::Or(l, r) => {
                let (l, r) = (self.value(l, current, depth)?, self.value(r, current, depth)?);
                if l.ty != PathType::Bool || r.ty != PathType::Bool {
                    return Err(format!(
                        "`&&` and `||` of {} and {} are supported only in a filter or under `!`",
                        l.ty.describe(),
                        r.ty.describe()
                    ));
                }
                let nullable = l.nullable || r.nullable;
                let node = match ast {
                    Ast::And(..) => PathNode::And(Box::new(l), Box::new(r)),
                    _ => PathNode::Or(Box::new(l), Box::new(r)),
                };
                typed(node, PathType::Bool, nullable)
            }
            Ast::Compare(op, l, r) => self.compare(*op, l, r, current, depth)?,
            Ast::Function(name, args) => match (name.as_str(), args.as_slice()) {
                ("length", [arg]) => {
                    let arg = self.value(arg, current, depth)?;
                    if !matches!(arg.ty, PathType::String | PathType::Array(_)) {
                        return Err(format!(
                            "`length` of {} is not supported (strings and arrays are)",
                            arg.ty.describe()
                        ));
                    }
                    let nullable = arg.nullable;
                    typed(PathNode::Length(Box::new(arg)), PathType::Int, nullable)
                }
                ("length", _) => return Err("`length` takes one argument".into()),
                (other, _) => return Err(format!("the function `{other}` is not supported (only `length`)")),
            },
        })
    }

    fn compare(&self, op: Comparison, l: &Ast, r: &Ast, current: &PathExpr, depth: usize) -> Checked<PathExpr> {
        let null = |a: &Ast| matches!(a, Ast::Literal(serde_json::Value::Null));
        if null(l) || null(r) {
            let other = if null(l) { r } else { l };
            if !matches!(op, Comparison::Eq | Comparison::Ne) {
                return Err(format!("`{}` with null is always null", op.as_str()));
            }
            let value = self.value(other, current, depth)?;
            return Ok(typed(
                PathNode::IsNull { value: Box::new(value), equal: op == Comparison::Eq },
                PathType::Bool,
                false,
            ));
        }
        let (left, right) = (self.value(l, current, depth)?, self.value(r, current, depth)?);
        let numbers = |t: &PathType| matches!(t, PathType::Int | PathType::Float);
        let ordering = !matches!(op, Comparison::Eq | Comparison::Ne);
        let comparable = match (&left.ty, &right.ty) {
            (a, b) if numbers(a) && numbers(b) => true,
            (PathType::String, PathType::String) | (PathType::Bool, PathType::Bool) => !ordering,
            _ => false,
        };
        if !comparable {
            return Err(format!(
                "`{}` of {} and {} is not supported{}",
                op.as_str(),
                left.ty.describe(),
                right.ty.describe(),
                if ordering {
                    " (ordering compares numbers)"
                } else {
                    " (equality compares values of one simple type)"
                }
            ));
        }
        // `==` and `!=` always give a boolean; an ordering is null unless both sides are numbers.
        let nullable = ordering && (left.nullable || right.nullable);
        Ok(typed(PathNode::Compare { op, left: Box::new(left), right: Box::new(right) }, PathType::Bool, nullable))
    }

    fn condition(&self, ast: &Ast, current: &PathExpr, depth: usize) -> Checked<Condition> {
        Ok(match ast {
            Ast::And(l, r) => Condition::And(
                Box::new(self.condition(l, current, depth)?),
                Box::new(self.condition(r, current, depth)?),
            ),
            Ast::Or(l, r) => Condition::Or(
                Box::new(self.condition(l, current, depth)?),
                Box::new(self.condition(r, current, depth)?),
            ),
            Ast::Not(inner) => Condition::Not(Box::new(self.condition(inner, current, depth)?)),
            other => Condition::Value(self.value(other, current, depth)?),
        })
    }

    /// The member `name` of `current`.
    fn field(&self, current: &PathExpr, name: &str) -> Checked<PathExpr> {
        let PathType::Object(object) = &current.ty else {
            return Err(format!("`{name}` is read from {}, not an object", current.ty.describe()));
        };
        let owned;
        let structure = match object {
            Object::InputOutput => {
                return match name {
                    "input" => Ok(typed(PathNode::Input, PathType::Object(Object::Input), false)),
                    "output" => Ok(typed(PathNode::Output, PathType::Object(Object::Output), false)),
                    other => Err(format!("an inputOutput path starts with `input` or `output`, not `{other}`")),
                };
            }
            Object::Input => self.input,
            Object::Output => self.output,
            Object::Shape(id) => {
                owned = (self.structure)(id).map_err(|e| e.to_string())?;
                &owned
            }
        };
        let Some(f) = structure.fields.iter().find(|f| f.wire_name == name) else {
            let known: Vec<&str> = structure.fields.iter().map(|f| f.wire_name.as_str()).collect();
            return Err(format!("`{name}` is not a member of `{}` (members: {})", structure.id, known.join(", ")));
        };
        let ty = json_type(&f.ty.ty, f.ty.shape.as_str())
            .map_err(|why| format!("member `{name}` of `{}` is {why}", structure.id))?;
        Ok(typed(
            PathNode::Field {
                of: Box::new(current.clone()),
                field: f.name.clone(),
                optional: f.optional,
                boxed: f.boxed,
                source: f.ty.ty.clone(),
            },
            ty,
            current.nullable || f.optional,
        ))
    }
}

/// The JMESPath type of values of a Rust type, or why paths cannot read it.
fn json_type(ty: &Type, shape: &str) -> std::result::Result<PathType, String> {
    Ok(match ty {
        Type::String | Type::Named(_, NamedKind::Enum) => PathType::String,
        Type::Bool => PathType::Bool,
        Type::Byte | Type::Short | Type::Integer | Type::Long | Type::Named(_, NamedKind::IntEnum) => PathType::Int,
        Type::Float | Type::Double | Type::BigInteger | Type::BigDecimal | Type::Timestamp(_) => PathType::Float,
        Type::Named(_, NamedKind::Structure) => PathType::Object(Object::Shape(shape.to_owned())),
        Type::List { member, sparse: false } => PathType::Array(Box::new(json_type(&member.ty, &member.shape)?)),
        Type::List { sparse: true, .. } => return Err("a sparse list, which waiter paths do not support".into()),
        Type::Map { .. } => return Err("a map, which waiter paths do not support".into()),
        Type::Named(_, NamedKind::Union) => return Err("a union, which waiter paths do not support".into()),
        Type::Blob => return Err("a blob, which waiter paths do not support".into()),
        Type::Document => return Err("a document, which waiter paths do not support".into()),
    })
}
