//! The endpoint parameters an operation binds in each call: `smithy.rules#staticContextParams` (constants of the
//! operation), `smithy.rules#contextParam` (a top-level input member) and `smithy.rules#operationContextParams` (a
//! JMESPath expression over the input), and whether the rules read the credentials' account id
//! (`AWS::Auth::AccountId`). Each path is parsed ([`crate::jmespath`]) and typed against the input's shapes here,
//! into the steps the emitted Rust takes; nothing is interpreted at run time.
//!
//! The paths may use the subset of JMESPath the rules-engine specification allows that yields a string, a boolean or
//! a list of strings: identifiers, sub-expressions, list projections (`[*]`), flattening (`[]`) and `keys(…)`. The
//! rest of that subset (multi-select lists, object projections `*`) is refused with the construct named.

use super::endpoints::{EndpointValue, Endpoints, ParamType};
use super::{NamedKind, PathStep, Structure, Type, TypeRef};
use crate::error::{member_path, shape_path, Error, Result};
use crate::jmespath::{self, Ast};
use crate::model::{ShapeId, Traits};
use crate::traits::{CONTEXT_PARAM, OPERATION_CONTEXT_PARAMS, STATIC_CONTEXT_PARAMS};

/// How one operation's endpoint is worked out in each call, for an operation whose endpoint depends on the call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallEndpoint {
    /// The parameters the call binds, the least specific first (`operationContextParams`, then `contextParam`, then
    /// `staticContextParams`): each value that is set replaces what the configuration and earlier bindings gave.
    pub bindings: Vec<Binding>,
    /// The rules read `AWS::Auth::AccountId`: the credentials are resolved before the endpoint, and their account id
    /// is the parameter's value.
    pub account_id: Option<AccountIdParam>,
}

/// The rule-set parameter set from the credentials' account id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountIdParam {
    /// The `Params` field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// One parameter bound by a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The parameter's name in the rule set.
    pub param: String,
    /// The `Params` field.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Where the value comes from.
    pub source: Source,
}

/// Where a bound value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// `staticContextParams`: this value, in every call.
    Static(EndpointValue),
    /// `contextParam` (a one-step path) or `operationContextParams`: a path of the input, as written in the model
    /// (`TableName` for a member).
    Input {
        /// The path as written.
        text: String,
        /// How the Rust code reaches the value; unset when any step on the way is unset.
        path: InputPath,
    },
}

/// A value read from the input (or from a list item, inside a projection).
#[derive(Debug, Clone, PartialEq)]
pub enum InputPath {
    /// The string, enum or boolean at the end of `steps` (a string when `leaf` is an enum: its value).
    Value {
        /// Fields from the base.
        steps: Vec<PathStep>,
        /// What is there.
        leaf: Leaf,
    },
    /// The list at the end of `steps`, each item mapped by `each` (a string value), items where it is unset dropped.
    Project {
        /// Fields from the base to the list.
        steps: Vec<PathStep>,
        /// `Option` items.
        sparse: bool,
        /// The string taken from each item (relative to the item).
        each: Box<InputPath>,
    },
    /// The keys of the map at the end of `steps`.
    Keys {
        /// Fields from the base to the map.
        steps: Vec<PathStep>,
    },
}

impl InputPath {
    /// The rule-set type of the value.
    pub fn ty(&self) -> ParamType {
        match self {
            InputPath::Value { leaf: Leaf::Bool, .. } => ParamType::Bool,
            InputPath::Value { .. } => ParamType::String,
            InputPath::Project { .. } | InputPath::Keys { .. } => ParamType::StrArray,
        }
    }
}

/// The scalar at the end of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// A `String`.
    Str,
    /// A string enum (its `as_str()`).
    Enum,
    /// A `bool`.
    Bool,
}

/// The call endpoint of operation `op_id`: `None` when nothing the rules read depends on the call (the endpoint is
/// then the client's, worked out once). `member_traits` gives the traits of each input member by its wire name;
/// `structure_of` the IR structure of a shape, to type paths through nested structures.
pub(super) fn build(
    endpoints: &Endpoints,
    op_id: &str,
    op_traits: &Traits,
    input: &Structure,
    member_traits: &dyn Fn(&str) -> Option<Traits>,
    structure_of: &dyn Fn(&ShapeId) -> Result<Structure>,
) -> Result<Option<CallEndpoint>> {
    let param = |name: &str, at: &str| {
        endpoints
            .params
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::at(at, format!("`{name}` is not a parameter of the service's endpoint rules")))
    };
    let type_name = |t: ParamType| match t {
        ParamType::String => "String",
        ParamType::Bool => "Boolean",
        ParamType::StrArray => "stringArray",
    };
    let mut bindings = Vec::new();

    // `operationContextParams`, the least specific of the three.
    if let Some(v) = op_traits.get(OPERATION_CONTEXT_PARAMS) {
        let at = crate::traits::path(&shape_path(op_id), OPERATION_CONTEXT_PARAMS);
        let map = v.as_object().ok_or_else(|| Error::at(&at, "not an object"))?;
        for (name, entry) in map {
            let at = format!("{at}.{name}");
            let p = param(name, &at)?;
            let text = entry.get("path").and_then(|p| p.as_str()).ok_or_else(|| Error::at(&at, "no `path` string"))?;
            let ast = jmespath::parse(text).map_err(|m| Error::at(&at, format!("path `{text}`: {m}")))?;
            let lowered = Lower { structure_of }
                .lower(&ast, &Node::Struct { steps: Vec::new(), shape: input.clone() })
                .map_err(|m| Error::at(&at, format!("path `{text}`: {m}")))?;
            let path = lowered.finish().map_err(|m| Error::at(&at, format!("path `{text}`: {m}")))?;
            if path.ty() != p.ty {
                return Err(Error::at(
                    &at,
                    format!(
                        "path `{text}` gives a {}, but parameter `{name}` is a {}",
                        type_name(path.ty()),
                        type_name(p.ty)
                    ),
                ));
            }
            bindings.push(Binding {
                param: name.clone(),
                field: p.field.clone(),
                optional: p.optional(),
                source: Source::Input { text: text.to_owned(), path },
            });
        }
    }

    // `contextParam` on top-level input members, in the input's member order.
    for f in &input.fields {
        let Some(traits) = member_traits(&f.wire_name) else { continue };
        let Some(v) = traits.get(CONTEXT_PARAM) else { continue };
        let at = crate::traits::path(&member_path(&input.id, &f.wire_name), CONTEXT_PARAM);
        let name = v.get("name").and_then(|n| n.as_str()).ok_or_else(|| Error::at(&at, "no `name` string"))?;
        let p = param(name, &at)?;
        let leaf = match &f.ty.ty {
            Type::String => Leaf::Str,
            Type::Named(_, NamedKind::Enum) => Leaf::Enum,
            Type::Bool => Leaf::Bool,
            _ => {
                return Err(Error::at(
                    &at,
                    format!(
                        "member `{}` is bound to `{name}`, but only string and boolean members can be",
                        f.wire_name
                    ),
                ))
            }
        };
        let path = InputPath::Value {
            steps: vec![PathStep { field: f.name.clone(), optional: f.optional, boxed: f.boxed }],
            leaf,
        };
        if path.ty() != p.ty {
            return Err(Error::at(
                &at,
                format!(
                    "member `{}` is a {}, but parameter `{name}` is a {}",
                    f.wire_name,
                    type_name(path.ty()),
                    type_name(p.ty)
                ),
            ));
        }
        bindings.push(Binding {
            param: name.to_owned(),
            field: p.field.clone(),
            optional: p.optional(),
            source: Source::Input { text: f.wire_name.clone(), path },
        });
    }

    // `staticContextParams`, the most specific.
    if let Some(v) = op_traits.get(STATIC_CONTEXT_PARAMS) {
        let at = crate::traits::path(&shape_path(op_id), STATIC_CONTEXT_PARAMS);
        let map = v.as_object().ok_or_else(|| Error::at(&at, "not an object"))?;
        for (name, entry) in map {
            let at = format!("{at}.{name}");
            let p = param(name, &at)?;
            let value = match (entry.get("value"), p.ty) {
                (Some(serde_json::Value::String(s)), ParamType::String) => EndpointValue::Str(s.clone()),
                (Some(serde_json::Value::Bool(b)), ParamType::Bool) => EndpointValue::Bool(*b),
                (Some(serde_json::Value::Array(a)), ParamType::StrArray) if a.iter().all(|v| v.is_string()) => {
                    EndpointValue::Arr(a.iter().filter_map(|v| v.as_str()).map(str::to_owned).collect())
                }
                (v, t) => {
                    return Err(Error::at(
                        &at,
                        format!(
                            "the value {} does not fit parameter `{name}`, a {}",
                            v.map_or_else(|| "(none)".to_owned(), ToString::to_string),
                            type_name(t)
                        ),
                    ))
                }
            };
            bindings.push(Binding {
                param: name.clone(),
                field: p.field.clone(),
                optional: p.optional(),
                source: Source::Static(value),
            });
        }
    }

    let account_id =
        endpoints.account_id_param().map(|p| AccountIdParam { field: p.field.clone(), optional: p.optional() });
    if bindings.is_empty() && account_id.is_none() {
        return Ok(None);
    }
    Ok(Some(CallEndpoint { bindings, account_id }))
}

/// What a path reaches, while it is typed.
enum Node {
    /// A structure, at the end of `steps`.
    Struct { steps: Vec<PathStep>, shape: Structure },
    /// A string, enum or boolean.
    Scalar { steps: Vec<PathStep>, leaf: Leaf },
    /// A list.
    List { steps: Vec<PathStep>, member: TypeRef, sparse: bool },
    /// A map.
    Map { steps: Vec<PathStep> },
    /// A list of strings already made (a projection or the keys of a map).
    Strings(InputPath),
}

impl Node {
    /// The finished path of a value a parameter can take.
    fn finish(self) -> std::result::Result<InputPath, String> {
        match self {
            Node::Scalar { steps, leaf } => Ok(InputPath::Value { steps, leaf }),
            Node::Strings(p) => Ok(p),
            Node::List { steps, member, sparse } if is_string(&member.ty) => Ok(InputPath::Project {
                steps,
                sparse,
                each: Box::new(InputPath::Value { steps: Vec::new(), leaf: leaf_of(&member.ty) }),
            }),
            Node::Struct { shape, .. } => {
                Err(format!("it reaches the structure `{}`, not a string, boolean or list of strings", shape.id))
            }
            Node::List { .. } => Err("it reaches a list whose items are not strings".into()),
            Node::Map { .. } => Err("it reaches a map (its keys are `keys(…)`)".into()),
        }
    }
}

fn is_string(t: &Type) -> bool {
    matches!(t, Type::String | Type::Named(_, NamedKind::Enum))
}

fn leaf_of(t: &Type) -> Leaf {
    match t {
        Type::Named(_, NamedKind::Enum) => Leaf::Enum,
        Type::Bool => Leaf::Bool,
        _ => Leaf::Str,
    }
}

struct Lower<'a> {
    structure_of: &'a dyn Fn(&ShapeId) -> Result<Structure>,
}

impl Lower<'_> {
    fn lower(&self, ast: &Ast, at: &Node) -> std::result::Result<Node, String> {
        match ast {
            Ast::Current => Ok(self.same(at)),
            Ast::Field(name) => {
                let Node::Struct { steps, shape } = at else {
                    return Err(format!("`{name}` is read from something that is not a structure"));
                };
                let f = shape
                    .fields
                    .iter()
                    .find(|f| &f.wire_name == name)
                    .ok_or_else(|| format!("`{name}` is not a member of `{}`", shape.id))?;
                let mut steps = steps.clone();
                steps.push(PathStep { field: f.name.clone(), optional: f.optional, boxed: f.boxed });
                Ok(match &f.ty.ty {
                    Type::String | Type::Named(_, NamedKind::Enum) | Type::Bool => {
                        Node::Scalar { steps, leaf: leaf_of(&f.ty.ty) }
                    }
                    Type::Named(_, NamedKind::Structure) => {
                        let shape = (self.structure_of)(&f.ty.shape).map_err(|e| e.message)?;
                        Node::Struct { steps, shape }
                    }
                    Type::List { member, sparse } => Node::List { steps, member: (**member).clone(), sparse: *sparse },
                    Type::Map { .. } => Node::Map { steps },
                    _ => {
                        return Err(format!(
                            "member `{name}` of `{}` is neither a string, a boolean, a structure, a list nor a map",
                            shape.id
                        ))
                    }
                })
            }
            Ast::Subexpression(left, right) => {
                let left = self.lower(left, at)?;
                if let Node::Strings(_) = left {
                    return Err("a sub-expression follows a list of strings".into());
                }
                self.lower(right, &left)
            }
            Ast::Projection { left, right, filter: None } => {
                let (list, flatten) = match &**left {
                    Ast::Flatten(inner) => (self.lower(inner, at)?, true),
                    other => (self.lower(other, at)?, false),
                };
                let Node::List { steps, member, sparse } = list else {
                    return Err(if flatten {
                        "`[]` flattens something that is not a list".into()
                    } else {
                        "`[*]` projects something that is not a list".into()
                    });
                };
                let item = match &member.ty {
                    Type::Named(_, NamedKind::Structure) => {
                        let shape = (self.structure_of)(&member.shape).map_err(|e| e.message)?;
                        Node::Struct { steps: Vec::new(), shape }
                    }
                    t if is_string(t) => Node::Scalar { steps: Vec::new(), leaf: leaf_of(t) },
                    _ => return Err("a projection over a list whose items are neither structures nor strings".into()),
                };
                let each = match self.lower(right, &item)? {
                    Node::Scalar { steps: s, leaf: leaf @ (Leaf::Str | Leaf::Enum) } => {
                        InputPath::Value { steps: s, leaf }
                    }
                    _ => return Err("a projection must take a string from each item".into()),
                };
                Ok(Node::Strings(InputPath::Project { steps, sparse, each: Box::new(each) }))
            }
            Ast::Function(name, args) if name == "keys" => {
                let [arg] = args.as_slice() else { return Err("`keys` takes one argument".into()) };
                match self.lower(arg, at)? {
                    Node::Map { steps } => Ok(Node::Strings(InputPath::Keys { steps })),
                    _ => Err("`keys` is given something that is not a map".into()),
                }
            }
            Ast::Function(name, _) => Err(format!("the function `{name}` (only `keys` may be called)")),
            Ast::Projection { filter: Some(_), .. } => Err("filter projections (`[?…]`) are not allowed".into()),
            Ast::Flatten(_) => Err("`[]` here".into()),
            Ast::Index(..) => Err("indexes (`[n]`) are not allowed".into()),
            Ast::Pipe(..) => Err("pipes (`|`) are not allowed".into()),
            Ast::Literal(_) => Err("literals are not allowed".into()),
            Ast::Not(_) | Ast::And(..) | Ast::Or(..) | Ast::Compare(..) => {
                Err("operators (`!`, `&&`, `||`, comparisons) are not allowed".into())
            }
        }
    }

    fn same(&self, at: &Node) -> Node {
        match at {
            Node::Struct { steps, shape } => Node::Struct { steps: steps.clone(), shape: shape.clone() },
            Node::Scalar { steps, leaf } => Node::Scalar { steps: steps.clone(), leaf: *leaf },
            Node::List { steps, member, sparse } => {
                Node::List { steps: steps.clone(), member: member.clone(), sparse: *sparse }
            }
            Node::Map { steps } => Node::Map { steps: steps.clone() },
            Node::Strings(p) => Node::Strings(p.clone()),
        }
    }
}
