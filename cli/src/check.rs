//! `check`: every problem of a definition, at its line and column, rendered as rustc renders its diagnostics, or as
//! JSON for CI annotations.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use sagemaker_pipelines::definition::PipelineDefinition;

use crate::spans::Index;

/// One problem of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the marked bytes' start.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The JSON path of the value at fault (`$` for a text that is not JSON).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What would fix it (`did you mean `InstanceType`?`), when the check knows.
    pub help: Option<String>,
    /// The bytes marked.
    pub span: Range<usize>,
}

/// Every problem of a definition's text, in the order of the text's checks; empty when it is clean. A text that is
/// not UTF-8, not JSON, or not a definition is one problem, at the fault.
pub fn check_bytes(bytes: &[u8]) -> Vec<Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => check_text(text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            vec![Problem {
                line,
                column,
                path: "$".to_owned(),
                message: format!("not UTF-8 text: an invalid byte at offset {}", e.valid_up_to()),
                help: Some("JSON is UTF-8: save the file as UTF-8".to_owned()),
                span: e.valid_up_to()..e.valid_up_to(),
            }]
        }
    }
}

/// Every problem of a definition's text (see [`check_bytes`]).
pub fn check_text(text: &str) -> Vec<Problem> {
    let index = Index::new(text);
    let definition = match PipelineDefinition::from_json(text) {
        Ok(d) => d,
        Err(read) => {
            let (span, message) = match &index {
                // The scanner's position and words for the fault.
                Err(syntax) => (syntax.offset..syntax.offset, format!("not JSON: {}", syntax.message)),
                // JSON, but nested too deep or not an object: the reader's path says where.
                Ok(index) => {
                    let span = index.locate(&read.path()).map_or(0..0, |l| l.span);
                    (span, read.to_string())
                }
            };
            let (line, column) = match &index {
                Ok(index) => index.line_column(text, span.start),
                Err(_) => line_column(text, span.start),
            };
            return vec![Problem { line, column, path: read.path(), message, help: None, span }];
        }
    };
    let Err(found) = definition.check() else { return Vec::new() };
    let index = index.ok();
    found
        .issues()
        .iter()
        .map(|issue| {
            let span = index.as_ref().map_or(0..0, |index| mark(index, text, issue.path()));
            let (line, column) = match &index {
                Some(index) => index.line_column(text, span.start),
                None => (1, 1),
            };
            let (mut message, help) = split_help(issue.message());
            // A missing member's message names no member: the path ends with it.
            if message.starts_with("is required") {
                let name = issue.path().rsplit(['.', '[']).next().unwrap_or_default();
                message = format!("`{}` {message}", name.trim_end_matches(']').trim_matches('\''));
            }
            Problem { line, column, path: issue.path().to_owned(), message, help, span }
        })
        .collect()
}

/// The bytes to mark for a path: the value when it fits on one line; else its member name, or its first character.
/// A path to a value the text lacks (a missing member) marks the enclosing value's name.
fn mark(index: &Index, text: &str, path: &str) -> Range<usize> {
    let Some(found) = index.locate(path) else { return 0..0 };
    let enclosing = if found.exact { path } else { parent_path(index, path) };
    let one_line = !text[found.span.clone()].contains('\n');
    if found.exact && one_line {
        return found.span;
    }
    match index.key_of(enclosing) {
        Some(key) => key,
        None if one_line => found.span,
        None => found.span.start..found.span.start + 1,
    }
}

/// The longest prefix of `path` that names a value of the text.
fn parent_path<'a>(index: &Index, path: &'a str) -> &'a str {
    let mut end = path.len();
    while end > 1 {
        // Cut the last step: `.name`, `[..]`.
        let cut = path[..end].rfind(['.', '[']).unwrap_or(1).max(1);
        end = cut;
        if index.locate(&path[..end]).is_some_and(|l| l.exact) {
            break;
        }
    }
    &path[..end]
}

/// Line and column of an offset, without an index (for a text the scanner refused).
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// A message's `(did you mean …?)` suffix, as a help line of its own.
pub fn split_help(message: &str) -> (String, Option<String>) {
    if let Some(open) = message.rfind(" (did you mean ") {
        if message.ends_with("?)") {
            let help = &message[open + 2..message.len() - 1];
            return (message[..open].to_owned(), Some(help.to_owned()));
        }
    }
    (message.to_owned(), None)
}

/// The problems of one file rendered as rustc renders errors: the message, `--> file:line:column`, the source line
/// with a marker under the value labelled with its JSON path, and the help line.
pub fn render_human(file: &str, text: &str, problems: &[Problem], styled: bool) -> String {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    // One line of source per problem: a definition written on one line (`DescribePipeline`'s) costs each problem
    // the width of the terminal, not the text.
    let mut starts: Vec<usize> = Vec::new();
    let mut known = false;
    for problem in problems {
        let span = problem.span.start.min(text.len())..problem.span.end.min(text.len());
        if !known {
            starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            known = true;
        }
        let line = starts.partition_point(|&s| s <= span.start).max(1);
        let start = starts[line - 1];
        let end = starts.get(line).map_or(text.len(), |&next| next - 1);
        let source = text[start..end].trim_end_matches('\r');
        let local = (span.start - start).min(source.len())..(span.end.min(start + source.len()) - start);
        let local = local.start..local.end.max(local.start);
        let mut group = Level::ERROR.primary_title(&problem.message).element(
            Snippet::source(source)
                .line_start(line)
                .path(file)
                .annotation(AnnotationKind::Primary.span(local).label(&problem.path)),
        );
        if let Some(help) = &problem.help {
            group = group.element(Level::HELP.message(help));
        }
        let report: &[Group] = &[group];
        out.push_str(&renderer.render(report));
        out.push_str("\n\n");
    }
    out
}

/// The problems of files as one JSON array, each `{file, line, column, path, message, help}` (`help` null when
/// there is none).
pub fn render_json(problems: &[(String, Problem)]) -> String {
    let items: Vec<serde_json::Value> = problems
        .iter()
        .map(|(file, p)| {
            serde_json::json!({
                "file": file,
                "line": p.line,
                "column": p.column,
                "path": p.path,
                "message": p.message,
                "help": p.help,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_split_from_the_message() {
        assert_eq!(
            split_help("`InstanceTyp` is not a member of ResourceConfig (did you mean `InstanceType`?)"),
            ("`InstanceTyp` is not a member of ResourceConfig".to_owned(), Some("did you mean `InstanceType`?".into()))
        );
        assert_eq!(split_help("expected a string, found a number"), ("expected a string, found a number".into(), None));
    }

    #[test]
    fn not_json_is_one_problem_at_the_fault() {
        let problems = check_text("{\n  \"Version\": \"2020-12-01\",\n  \"Steps\": [,]\n}");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (3, 13));
        assert!(problems[0].message.starts_with("not JSON: expected a value"), "{}", problems[0].message);
    }

    #[test]
    fn not_utf8_is_one_problem_at_the_byte() {
        let problems = check_bytes(b"{\n \"Version\": \"\xff\"}");
        assert_eq!((problems[0].line, problems[0].column), (2, 14));
        assert!(problems[0].message.starts_with("not UTF-8"));
    }

    #[test]
    fn a_missing_member_marks_the_enclosing_member_name() {
        let text = "{\"Version\": \"2020-12-01\", \"Steps\": [{\"Name\": \"A\", \"Type\": \"Training\",\n \"Arguments\": {\n  \"AlgorithmSpecification\": {\"TrainingImage\": \"i\"}}}]}";
        let problems = check_text(text);
        let missing = problems.iter().find(|p| p.path.ends_with("TrainingInputMode")).unwrap();
        assert_eq!(missing.message, "`TrainingInputMode` is required but was not set");
        assert_eq!(&text[missing.span.clone()], "\"AlgorithmSpecification\"");
        assert_eq!((missing.line, missing.column), (3, 3));
    }
}
