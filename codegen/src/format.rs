//! Stage 5: formatting. Token streams become source text through `syn` and `prettyplease`; every file gets the
//! `@generated` header.

use crate::emit::{Output, RustFile};
use crate::error::{Error, Result};

/// The marker that identifies a generated file; the writer only ever deletes files that carry it.
pub const MARKER: &str = "@generated";

/// The header line for a file, in that file type's comment syntax.
pub fn header(path: &str, source: &str) -> String {
    let text = format!("{MARKER} by `cargo xtask codegen` from {source}. Do not edit by hand.");
    if path.ends_with(".md") {
        format!("<!-- {text} -->\n")
    } else if path.ends_with(".toml") {
        format!("# {text}\n")
    } else {
        format!("// {text}\n")
    }
}

/// Format one emitted job's files and add their headers: `(path, text)` pairs.
pub fn format(output: Output, source: &str) -> Result<Vec<(String, String)>> {
    match output {
        Output::Rust(file) => Ok(vec![format_rust(file, source)?]),
        Output::Text(files) => Ok(files.into_iter().map(|(path, text)| format_text(path, &text, source)).collect()),
    }
}

/// A Rust file through `syn` and `prettyplease`, with its header.
pub fn format_rust(file: RustFile, source: &str) -> Result<(String, String)> {
    let parsed: syn::File = syn::parse2(file.tokens)
        .map_err(|e| Error::new(format!("internal error: generated code for `{}` does not parse: {e}", file.path)))?;
    let text = space_items(&prettyplease::unparse(&parsed));
    // prettyplease is the formatter of record for generated code; rustfmt is told to leave it alone so the two
    // never disagree.
    let text = format!("{}#![cfg_attr(rustfmt, rustfmt::skip)]\n\n{}", header(&file.path, source), text);
    Ok((file.path, text))
}

/// A text file (or a runtime module, already formatted) with its header.
pub fn format_text(path: String, text: &str, source: &str) -> (String, String) {
    let text =
        if path.ends_with(".rs") { format!("#![cfg_attr(rustfmt, rustfmt::skip)]\n\n{text}") } else { text.to_owned() };
    let sep = if path.ends_with(".md") || path.ends_with(".toml") { "" } else { "\n" };
    let text = format!("{}{sep}{}", header(&path, source), text);
    (path, text)
}

/// Put a blank line between consecutive items at the same indentation (prettyplease packs them together).
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 20);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let t = line.trim_start();
            // A run of one-line items (`mod a;`, `pub use b;`) stays together.
            let comment = p.trim_start().starts_with("//");
            let closes_item =
                p.trim() == "}" || (p.trim_end().ends_with(';') && indent(p) == 0 && !t.ends_with(';') && !comment);
            const ITEM_STARTS: &[&str] = &[
                "///", "//", "#[", "pub ", "pub(", "fn ", "impl", "const ", "static ", "mod ", "struct ", "enum ",
                "type ", "use ", "trait ",
            ];
            let opens_item = ITEM_STARTS.iter().any(|p| t.starts_with(p));
            let ends_inner_docs = p.starts_with("//!") && !t.starts_with("//!") && !t.is_empty();
            if ends_inner_docs || (closes_item && opens_item && indent(p) == indent(line)) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn spaces_items_but_not_closing_braces() {
        let arms = "match x {\n    A => {\n        a()\n    }\n    B => b(),\n}\nmap.end()\n";
        assert_eq!(space_items(arms), arms);
        assert_eq!(space_items("mod a;\nmod b;\npub use a::A;\n"), "mod a;\nmod b;\npub use a::A;\n");
        assert_eq!(space_items("//! Docs.\n//!\n//! More.\nmod a;\n"), "//! Docs.\n//!\n//! More.\n\nmod a;\n");
        let src = "struct A {}\nimpl A {\n    fn a() {}\n    fn b() {\n        x();\n    }\n    fn c() {}\n}\nconst X: u8 = 1;\nfn f() {}\n";
        let want = "struct A {}\nimpl A {\n    fn a() {}\n    fn b() {\n        x();\n    }\n\n    fn c() {}\n}\n\nconst X: u8 = 1;\n\nfn f() {}\n";
        assert_eq!(space_items(src), want);
    }
}
