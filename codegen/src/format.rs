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
        Output::PerShape(file) => Ok(vec![format_rust_with(file, source, inline_functions)?]),
        Output::Text(files) => Ok(files.into_iter().map(|(path, text)| format_text(path, &text, source)).collect()),
    }
}

/// A Rust file through `syn` and `prettyplease`, with its header.
pub fn format_rust(file: RustFile, source: &str) -> Result<(String, String)> {
    format_rust_with(file, source, |_| {})
}

/// [`format_rust`] with a change to the parsed file before it is printed.
fn format_rust_with(file: RustFile, source: &str, change: fn(&mut syn::File)) -> Result<(String, String)> {
    let mut parsed: syn::File = syn::parse2(file.tokens)
        .map_err(|e| Error::new(format!("internal error: generated code for `{}` does not parse: {e}", file.path)))?;
    change(&mut parsed);
    let text = space_items(&prettyplease::unparse(&parsed));
    // prettyplease is the formatter of record for generated code; rustfmt is told to leave it alone so the two
    // never disagree.
    let text = format!("{}#![cfg_attr(rustfmt, rustfmt::skip)]\n\n{}", header(&file.path, source), text);
    Ok((file.path, text))
}

/// Marks every function of a file `#[inline]` (free functions, and those of impl blocks, in nested modules too),
/// unless it has an `inline` attribute already.
///
/// In a library, a function that is neither generic nor `#[inline]` is compiled to machine code where it is defined,
/// whether or not any program calls it; an `#[inline]` one only where it is used (and what it calls with it). For
/// code made per operation and per shape, this moves nearly all code generation out of the crate's own build and
/// into the program's, for the operations the program calls: the crate's build does type-checking and writes
/// metadata for the rest. Behaviour is unchanged; only where the machine code is made moves.
pub fn inline_functions(file: &mut syn::File) {
    fn mark(attrs: &mut Vec<syn::Attribute>) {
        if !attrs.iter().any(|a| a.path().is_ident("inline")) {
            attrs.push(syn::parse_quote!(#[inline]));
        }
    }
    fn walk(items: &mut [syn::Item]) {
        for item in items {
            match item {
                syn::Item::Fn(f) => mark(&mut f.attrs),
                syn::Item::Impl(i) => {
                    for member in &mut i.items {
                        if let syn::ImplItem::Fn(f) = member {
                            mark(&mut f.attrs);
                        }
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &mut m.content {
                        walk(items);
                    }
                }
                _ => {}
            }
        }
    }
    walk(&mut file.items);
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
    use super::{format, inline_functions, space_items};
    use crate::emit::{Output, RustFile};

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

    #[test]
    fn every_function_of_per_shape_code_is_inline_and_nothing_else_changes() {
        let mut file: syn::File = syn::parse_quote! {
            /// A free function.
            pub fn free() {}
            #[derive(Debug)]
            pub struct S;
            impl S {
                /// Docs stay first.
                pub fn a(&self) -> u8 { 1 }
                pub(crate) async fn b(self) {}
                #[inline(always)]
                fn c() {}
                const K: u8 = 2;
            }
            impl ::std::fmt::Display for S {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str("s") }
            }
            pub mod builders {
                impl super::S { pub fn d() {} }
            }
            pub trait T { fn provided(&self) {} }
        };
        inline_functions(&mut file);
        let want: syn::File = syn::parse_quote! {
            /// A free function.
            #[inline]
            pub fn free() {}
            #[derive(Debug)]
            pub struct S;
            impl S {
                /// Docs stay first.
                #[inline]
                pub fn a(&self) -> u8 { 1 }
                #[inline]
                pub(crate) async fn b(self) {}
                #[inline(always)]
                fn c() {}
                const K: u8 = 2;
            }
            impl ::std::fmt::Display for S {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str("s") }
            }
            pub mod builders {
                impl super::S { #[inline] pub fn d() {} }
            }
            // A trait's own default methods are not per-shape code: left as they are.
            pub trait T { fn provided(&self) {} }
        };
        assert_eq!(prettyplease::unparse(&file), prettyplease::unparse(&want));
    }

    #[test]
    fn only_per_shape_files_get_inline_functions() {
        let tokens = quote::quote!(impl S { pub fn a() {} });
        let per_shape = RustFile { path: "src/a.rs".into(), tokens: tokens.clone() };
        let other = RustFile { path: "src/b.rs".into(), tokens };
        let text = |o| format(o, "m.json").unwrap().remove(0).1;
        assert!(text(Output::PerShape(per_shape)).contains("#[inline]\n    pub fn a() {}"));
        assert!(!text(Output::Rust(other)).contains("#[inline]"));
    }
}
