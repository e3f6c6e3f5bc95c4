//! `graph`: a definition's steps and what links them, as Mermaid (which GitHub renders in pull requests and READMEs)
//! or Graphviz dot. Steps are nodes labelled with their name and kind; edges come from `DependsOn`, from data
//! references (`Get` of `Steps.<name>.<property>`, and the property files `Std:JsonGet` reads), labelled with the
//! property, and from a condition step to its branches (`if`, `else`). The output depends on the text alone: nodes in
//! the order the steps are written (a branch's steps after the step that holds them), edges in the order of their
//! target steps, each edge once.

use std::collections::{HashMap, HashSet};

use sagemaker_pipelines::definition::{PipelineDefinition, Value};

/// How an edge came about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// `DependsOn`.
    DependsOn,
    /// `DependsOn` with a `Trigger` (`{"Step": "Evaluate", "Trigger": "Failed"}`): the step runs when that one ends
    /// so.
    Trigger(String),
    /// A data reference, with the property read (`ModelArtifacts.S3ModelArtifacts`, `PropertyFiles.Report`).
    Data(String),
    /// A condition step to a step of its `IfSteps`.
    If,
    /// A condition step to a step of its `ElseSteps`.
    Else,
}

/// A step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its name (`(unnamed)` when it has none).
    pub name: String,
    /// Its `Type`, or `?`; a name that is referenced but is no step's is `missing`.
    pub kind: String,
}

/// The graph of a definition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    /// The steps.
    pub nodes: Vec<Node>,
    /// `(from, to, kind)`, indices into `nodes`: `from` runs before `to`.
    pub edges: Vec<(usize, usize, EdgeKind)>,
}

/// The graph of a definition.
pub fn graph(definition: &PipelineDefinition) -> Graph {
    let root = definition.to_value();
    // Every step, in the order written, a branch's after its condition step: (the step's object, its branch parent).
    let mut steps: Vec<(&Value, Option<(usize, EdgeKind)>)> = Vec::new();
    let mut queue: std::collections::VecDeque<(&Value, Option<(usize, EdgeKind)>)> =
        root.get("Steps").and_then(Value::as_array).unwrap_or_default().iter().map(|s| (s, None)).collect();
    while let Some((step, parent)) = queue.pop_front() {
        let id = steps.len();
        steps.push((step, parent));
        let args = step.get("Arguments");
        for (member, kind) in [("IfSteps", EdgeKind::If), ("ElseSteps", EdgeKind::Else)] {
            for branch in args.and_then(|a| a.get(member)).and_then(Value::as_array).unwrap_or_default() {
                queue.push_back((branch, Some((id, kind.clone()))));
            }
        }
    }
    let mut g = Graph::default();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (step, _) in &steps {
        let name = step.get("Name").and_then(Value::as_str).unwrap_or("(unnamed)").to_owned();
        let kind = step.get("Type").and_then(Value::as_str).unwrap_or("?").to_owned();
        by_name.entry(name.clone()).or_insert(g.nodes.len());
        g.nodes.push(Node { name, kind });
    }
    let mut seen: HashSet<(usize, usize, EdgeKind)> = HashSet::new();
    let mut node_of = |g: &mut Graph, name: &str| -> usize {
        *by_name.entry(name.to_owned()).or_insert_with(|| {
            g.nodes.push(Node { name: name.to_owned(), kind: "missing".to_owned() });
            g.nodes.len() - 1
        })
    };
    for (to, (step, parent)) in steps.iter().enumerate() {
        let mut edges = Vec::new();
        if let Some((from, kind)) = parent {
            edges.push((*from, kind.clone()));
        }
        for dep in step.get("DependsOn").and_then(Value::as_array).unwrap_or_default() {
            if let Some(name) = dep.as_str() {
                edges.push((node_of(&mut g, name), EdgeKind::DependsOn));
            } else if let Some(name) = dep.get("Step").and_then(Value::as_str) {
                let trigger = dep.get("Trigger").and_then(Value::as_str).unwrap_or("?");
                edges.push((node_of(&mut g, name), EdgeKind::Trigger(trigger.to_owned())));
            }
        }
        // Data references anywhere in the step but its branches' steps (theirs are drawn from those steps).
        let mut stack: Vec<&Value> = vec![step];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(members) => {
                    for (name, value) in members.iter().rev() {
                        if name == "Get" {
                            if let Some((from, property)) = value.as_str().and_then(step_reference) {
                                edges.push((node_of(&mut g, from), EdgeKind::Data(property.to_owned())));
                            }
                        }
                        let branch = (name == "IfSteps" || name == "ElseSteps") && std::ptr::eq(v, step_args(step));
                        if !branch {
                            stack.push(value);
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
        for (from, kind) in edges {
            if seen.insert((from, to, kind.clone())) {
                g.edges.push((from, to, kind));
            }
        }
    }
    g
}

fn step_args(step: &Value) -> &Value {
    static NULL: Value = Value::Null;
    step.get("Arguments").unwrap_or(&NULL)
}

/// `Steps.<name>.<property>` → (name, property).
fn step_reference(get: &str) -> Option<(&str, &str)> {
    let rest = get.strip_prefix("Steps.")?;
    let dot = rest.find('.')?;
    Some((&rest[..dot], &rest[dot + 1..]))
}

/// The graph as a Mermaid flowchart.
pub fn mermaid(g: &Graph) -> String {
    let esc = |s: &str| s.replace('&', "#amp;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;");
    let mut out = String::from("flowchart TD\n");
    for (i, n) in g.nodes.iter().enumerate() {
        out.push_str(&format!("    s{i}[\"{}<br/>{}\"]\n", esc(&n.name), esc(&n.kind)));
    }
    for (from, to, kind) in &g.edges {
        let line = match kind {
            EdgeKind::DependsOn => format!("    s{from} --> s{to}\n"),
            EdgeKind::Data(p) => format!("    s{from} -->|\"{}\"| s{to}\n", esc(p)),
            EdgeKind::Trigger(t) => format!("    s{from} ==>|\"on {}\"| s{to}\n", esc(t)),
            EdgeKind::If => format!("    s{from} -.->|if| s{to}\n"),
            EdgeKind::Else => format!("    s{from} -.->|else| s{to}\n"),
        };
        out.push_str(&line);
    }
    out
}

/// The graph as Graphviz dot.
pub fn dot(g: &Graph) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    let mut out = String::from("digraph pipeline {\n    node [shape=box];\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let style = if n.kind == "missing" { ", style=dashed" } else { "" };
        out.push_str(&format!("    s{i} [label=\"{}\\n{}\"{style}];\n", esc(&n.name), esc(&n.kind)));
    }
    for (from, to, kind) in &g.edges {
        let attrs = match kind {
            EdgeKind::DependsOn => String::new(),
            EdgeKind::Data(p) => format!(" [label=\"{}\"]", esc(p)),
            EdgeKind::Trigger(t) => format!(" [label=\"on {}\", style=bold]", esc(t)),
            EdgeKind::If => " [label=\"if\", style=dashed]".to_owned(),
            EdgeKind::Else => " [label=\"else\", style=dashed]".to_owned(),
        };
        out.push_str(&format!("    s{from} -> s{to}{attrs};\n"));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str) -> Graph {
        graph(&PipelineDefinition::from_json(text).unwrap())
    }

    #[test]
    fn edges_from_depends_on_data_and_branches() {
        let text = r#"{"Steps": [
            {"Name": "A", "Type": "Processing", "Arguments": {}},
            {"Name": "B", "Type": "Training", "DependsOn": ["A"], "Arguments": {"X": {"Get": "Steps.A.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri"}, "Y": {"Get": "Steps.A.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri"}}},
            {"Name": "C", "Type": "Condition", "Arguments": {
                "Conditions": [{"Type": "Equals", "LeftValue": {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.A.PropertyFiles.R"}, "Path": "p"}}, "RightValue": 1}],
                "IfSteps": [{"Name": "D", "Type": "Model", "Arguments": {"M": {"Get": "Steps.B.ModelArtifacts.S3ModelArtifacts"}}}],
                "ElseSteps": [{"Name": "E", "Type": "Fail", "DependsOn": ["Z", {"Step": "A", "Trigger": "Failed"}], "Arguments": {}}]}}
        ]}"#;
        let g = g(text);
        let names: Vec<(&str, &str)> = g.nodes.iter().map(|n| (n.name.as_str(), n.kind.as_str())).collect();
        assert_eq!(
            names,
            [
                ("A", "Processing"),
                ("B", "Training"),
                ("C", "Condition"),
                ("D", "Model"),
                ("E", "Fail"),
                ("Z", "missing")
            ]
        );
        assert_eq!(
            g.edges,
            [
                (0, 1, EdgeKind::DependsOn),
                (0, 1, EdgeKind::Data("ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri".into())),
                (0, 2, EdgeKind::Data("PropertyFiles.R".into())),
                (2, 3, EdgeKind::If),
                (1, 3, EdgeKind::Data("ModelArtifacts.S3ModelArtifacts".into())),
                (2, 4, EdgeKind::Else),
                (5, 4, EdgeKind::DependsOn),
                (0, 4, EdgeKind::Trigger("Failed".into())),
            ]
        );
        assert!(mermaid(&g).contains("    s0 -->|\"ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri\"| s1\n"));
        assert!(mermaid(&g).contains("    s0 ==>|\"on Failed\"| s4\n"));
        assert!(dot(&g).contains("    s5 [label=\"Z\\nmissing\", style=dashed];\n"));
    }

    #[test]
    fn labels_are_escaped() {
        let g = g(r#"{"Steps": [{"Name": "a\"<b>&", "Type": "T\\"}]}"#);
        assert_eq!(mermaid(&g), "flowchart TD\n    s0[\"a#quot;#lt;b#gt;#amp;<br/>T\\\"]\n");
        assert_eq!(dot(&g), "digraph pipeline {\n    node [shape=box];\n    s0 [label=\"a\\\"<b>&\\nT\\\\\"];\n}\n");
    }
}
