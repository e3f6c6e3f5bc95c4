//! Constraint validators: `validate()` on every operation input (and on every structure or union that has something
//! to check), and `crate::patterns`, one static per distinct `@pattern`. The checks themselves live in the runtime
//! module `crate::validation`; what is emitted here is only which check applies to which member.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{ident, str_lit, RustFile};
use crate::ir::{Ir, LengthUnit, RangeCheck, Structure, Type, TypeRef, Union, UniqueCheck};

/// `validate` and `validate_at` for a structure. Operation inputs always get `validate`, even with nothing to check.
pub fn for_structure(s: &Structure, always: bool) -> TokenStream {
    let name = ident(&s.path.name);
    let label = &s.path.name;
    let needed = s.validated;
    if !needed && !always {
        return quote!();
    }
    let mut body = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name);
        let wire = &f.wire_name;
        let required = f.required && f.optional;
        // The common members in one runtime call each: a string member's required, length and pattern checks, or a
        // required member with nothing else to check.
        if !f.boxed {
            if let Some(rule) = text_rule(&f.ty, required, f.sensitive) {
                let value = if f.optional {
                    quote!(self.#fname.as_deref())
                } else {
                    quote!(::std::option::Option::Some(self.#fname.as_str()))
                };
                body.push(quote!(crate::validation::text(#value, #wire, &#rule, path, out);));
                continue;
            }
        }
        if required && !f.ty.checks.needed {
            body.push(quote!(crate::validation::present(self.#fname.is_some(), #wire, path, out);));
            continue;
        }
        let checks = value_checks(quote!(v), &f.ty, &format_ident!("p"), f.sensitive, 0);
        // A member that is not optional in Rust is always present.
        let missing = if required { quote!(out.required(&p);) } else { quote!() };
        if checks.is_empty() && missing.is_empty() {
            continue;
        }
        let stmt = match (f.optional, checks.is_empty(), missing.is_empty()) {
            (true, false, true) => quote! {
                if let ::std::option::Option::Some(v) = &self.#fname { #checks }
            },
            (true, false, false) => quote! {
                if let ::std::option::Option::Some(v) = &self.#fname { #checks } else { #missing }
            },
            (true, true, _) => quote! {
                if self.#fname.is_none() { #missing }
            },
            (false, _, _) => quote! {
                let v = &self.#fname;
                #checks
            },
        };
        body.push(quote! {
            {
                let p = path.field(#wire);
                #stmt
            }
        });
    }
    let validate_doc = format!(
        " Checks every constraint the model places on this `{label}` and the values inside it (required members, \
lengths, ranges, patterns, unique items), and returns all violations at once."
    );
    let validate_at = if needed {
        quote! {
            pub(crate) fn validate_at(&self, path: &crate::validation::Path<'_>, out: &mut crate::validation::Violations) {
                #(#body)*
            }
        }
    } else {
        quote!()
    };
    let call = if needed { quote!(self.validate_at(&crate::validation::Path::Root, &mut out);) } else { quote!() };
    let out_decl = if needed {
        quote!(let mut out = crate::validation::Violations::new();)
    } else {
        quote!(let out = crate::validation::Violations::new();)
    };
    quote! {
        impl #name {
            #[doc = #validate_doc]
            pub fn validate(&self) -> ::std::result::Result<(), crate::validation::ValidationError> {
                #out_decl
                #call
                out.into_result(#label)
            }

            #validate_at
        }
    }
}

/// `validate` and `validate_at` for a union that has something to check.
pub fn for_union(u: &Union) -> TokenStream {
    if !u.validated {
        return quote!();
    }
    let name = ident(&u.path.name);
    let label = &u.path.name;
    let mut arms = Vec::new();
    for v in &u.variants {
        let Some(t) = &v.ty else { continue };
        if !t.checks.needed {
            continue;
        }
        let vname = ident(&v.name);
        let wire = &v.wire_name;
        let checks = value_checks(quote!(v), t, &format_ident!("p"), u.sensitive || v.sensitive, 0);
        arms.push(quote! {
            #name::#vname(v) => {
                let p = path.field(#wire);
                #checks
            }
        });
    }
    let validate_doc = format!(" Checks every constraint the model places on the value this `{label}` holds.");
    quote! {
        impl #name {
            #[doc = #validate_doc]
            pub fn validate(&self) -> ::std::result::Result<(), crate::validation::ValidationError> {
                let mut out = crate::validation::Violations::new();
                self.validate_at(&crate::validation::Path::Root, &mut out);
                out.into_result(#label)
            }

            pub(crate) fn validate_at(&self, path: &crate::validation::Path<'_>, out: &mut crate::validation::Violations) {
                #[allow(clippy::single_match)]
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    }
}

/// The `crate::validation::Text` of a string value whose checks are a length in characters and a pattern (or
/// nothing but `required`), which `crate::validation::text` and `texts` check; `None` for any other value.
fn text_rule(t: &TypeRef, required: bool, sensitive: bool) -> Option<TokenStream> {
    let c = &t.checks;
    let plain = matches!(t.ty, Type::String)
        && c.range.is_none()
        && c.unique.is_none()
        && !c.nested
        && c.length.is_none_or(|l| l.unit == LengthUnit::Chars);
    if !plain || !(c.needed || required) {
        return None;
    }
    let (min, max) = (opt_u64(c.length.and_then(|l| l.min)), opt_u64(c.length.and_then(|l| l.max)));
    let pattern = match &c.pattern {
        Some(name) => {
            let name = format_ident!("{}", name);
            quote!(::std::option::Option::Some(&crate::patterns::#name))
        }
        None => quote!(::std::option::Option::None),
    };
    Some(quote! {
        crate::validation::Text { required: #required, min: #min, max: #max, pattern: #pattern, sensitive: #sensitive }
    })
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}

fn opt_i128(v: Option<i128>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::i128_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::f64_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// Checks for a value `v` (an expression of type `&T`) whose path is the variable `path`, as the IR decided them.
fn value_checks(v: TokenStream, t: &TypeRef, path: &Ident, sensitive: bool, depth: usize) -> TokenStream {
    let c = &t.checks;
    if !c.needed {
        return quote!();
    }
    let mut out = Vec::new();
    let mut pattern = c.pattern.as_ref().map(|name| {
        let name = format_ident!("{}", name);
        quote!(crate::validation::pattern(#v.as_str(), &crate::patterns::#name, #sensitive, &#path, out);)
    });
    if let Some(l) = c.length {
        let (min, max) = (opt_u64(l.min), opt_u64(l.max));
        out.push(match l.unit {
            // A string that breaks its `@length` is not also run through its pattern.
            LengthUnit::Chars if pattern.is_some() => {
                let checked = pattern.take();
                quote!(if crate::validation::length_str(#v.as_str(), #min, #max, &#path, out) { #checked })
            }
            LengthUnit::Chars => quote!(crate::validation::length_str(#v.as_str(), #min, #max, &#path, out);),
            LengthUnit::Bytes => {
                quote!(crate::validation::length_count(#v.as_ref().len(), "bytes", #min, #max, &#path, out);)
            }
            LengthUnit::Items => quote!(crate::validation::length_count(#v.len(), "items", #min, #max, &#path, out);),
            LengthUnit::Entries => {
                quote!(crate::validation::length_count(#v.len(), "entries", #min, #max, &#path, out);)
            }
        });
    }
    match c.range {
        Some(RangeCheck::Int { min, max, int_enum }) => {
            let (lo, hi) = (opt_i128(min), opt_i128(max));
            let value = match (&t.ty, int_enum) {
                (_, true) => quote!(i128::from(#v.as_i32())),
                (Type::BigInteger, false) => quote!(*#v),
                _ => quote!(i128::from(*#v)),
            };
            out.push(quote!(crate::validation::range_int(#value, #lo, #hi, #sensitive, &#path, out);));
        }
        Some(RangeCheck::Float { min, max }) => {
            let (lo, hi) = (opt_f64(min), opt_f64(max));
            out.push(quote!(crate::validation::range_float(f64::from(*#v), #lo, #hi, #sensitive, &#path, out);));
        }
        None => {}
    }
    out.extend(pattern);
    match c.unique {
        Some(UniqueCheck::Hash) => out.push(quote!(crate::validation::unique_hash(#v, &#path, out);)),
        Some(UniqueCheck::Json) => {
            let form = match &t.ty {
                Type::List { member, sparse } => super::protocol::json_form(&member.ty, *sparse),
                other => super::protocol::json_form(other, false),
            };
            out.push(quote!(crate::validation::unique_by(#v, #form, &#path, out);));
        }
        None => {}
    }
    if c.nested {
        out.push(quote!(#v.validate_at(&#path, out);));
    }
    // A list of strings with their own checks (a string needs a check to get a rule when not required).
    let strings = match &t.ty {
        Type::List { member, sparse: false } => text_rule(member, false, sensitive),
        _ => None,
    };
    match &t.ty {
        Type::List { .. } if strings.is_some() => {
            out.push(quote!(crate::validation::texts(#v, &#strings, &#path, out);));
        }
        Type::List { member, sparse } if member.checks.needed => {
            let inner = format_ident!("p{}", depth + 1);
            let item = format_ident!("item{}", depth + 1);
            let checks = value_checks(quote!(#item), member, &inner, sensitive, depth + 1);
            let body =
                if *sparse { quote!(if let ::std::option::Option::Some(#item) = #item { #checks }) } else { checks };
            out.push(quote! {
                for (i, #item) in #v.iter().enumerate() {
                    let #inner = #path.index(i);
                    #body
                }
            });
        }
        Type::Map { key, value, sparse } if key.checks.needed || value.checks.needed => {
            let inner = format_ident!("p{}", depth + 1);
            let k = format_ident!("key{}", depth + 1);
            let val = format_ident!("value{}", depth + 1);
            let key_checks = value_checks(quote!(#k), key, &inner, sensitive, depth + 1);
            let value_checks_ts = value_checks(quote!(#val), value, &inner, sensitive, depth + 1);
            let value_body = if *sparse && !value_checks_ts.is_empty() {
                quote!(if let ::std::option::Option::Some(#val) = #val { #value_checks_ts })
            } else {
                value_checks_ts
            };
            out.push(if value_body.is_empty() {
                quote! {
                    for #k in #v.keys() {
                        let #inner = #path.key(#k);
                        #key_checks
                    }
                }
            } else {
                quote! {
                    for (#k, #val) in #v.iter() {
                        let #inner = #path.key(#k);
                        #key_checks
                        #value_body
                    }
                }
            });
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// The `crate::validation::Pattern::new(…)` expression that checks a planned pattern, with each check's automaton
/// as static tables (`with_engine`, with the input bound the plan decided, for a pattern the ECMAScript engine
/// checks).
pub fn pattern_value(plan: &crate::pattern::Plan) -> TokenStream {
    let source = str_lit(&plan.original);
    if let Some(ecma) = plan.ecma() {
        let max = match ecma.max_chars() {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        if ecma.source != plan.original {
            let engine_source = str_lit(&ecma.source);
            return quote!(crate::validation::Pattern::with_engine_source(
                #source,
                #engine_source,
                crate::ecma::compile,
                #max
            ));
        }
        return quote!(crate::validation::Pattern::with_engine(#source, crate::ecma::compile, #max));
    }
    let chars = match plan.chars {
        Some((min, Some(max))) => quote!(::std::option::Option::Some((#min, ::std::option::Option::Some(#max)))),
        Some((min, None)) => quote!(::std::option::Option::Some((#min, ::std::option::Option::None))),
        None => quote!(::std::option::Option::None),
    };
    if plan.checks.is_empty() {
        return quote!(crate::validation::Pattern::new(#source, &[], #chars));
    }
    // The tables are statics of a block: their names are the block's own, and the array lengths are read from their
    // types by the runtime's `const fn`s.
    let mut tables = Vec::new();
    let checks: Vec<TokenStream> = plan
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let suffix = if plan.checks.len() == 1 { String::new() } else { format!("_{}", i + 1) };
            let (items, automaton) = automaton_value(c, &suffix);
            tables.push(items);
            let expect = c.expect;
            quote!((#automaton, #expect))
        })
        .collect();
    quote!({
        #(#tables)*
        crate::validation::Pattern::new(#source, &[#(#checks),*], #chars)
    })
}

/// The tables of a compiled check as statics (their names end with `suffix`), each documented with the check's
/// regex, and the `crate::automaton::Automaton` value that refers to them. A DFA's transitions are an array literal;
/// the other tables are text (cells separated by commas) that the runtime's `const fn`s read when the crate compiles.
fn automaton_value(check: &crate::pattern::Check, suffix: &str) -> (TokenStream, TokenStream) {
    use crate::pattern::automaton::Automaton;
    let name = |n: &str| format_ident!("{n}{suffix}");
    let regex = check.regex.replace('`', "\\`");
    match &check.automaton {
        Automaton::Dfa(d) => {
            let runs = d.class_runs().into_iter().flat_map(|(b, c)| [hex_u8(b), Literal::u8_unsuffixed(c)]);
            let stride = Literal::u16_unsuffixed(d.stride() as u16);
            let start = Literal::u16_unsuffixed(d.start as u16);
            // The cells as an array of row numbers (state × stride), not text a `const fn` reads: the compiler
            // evaluates a literal array at a small fraction of the cost of interpreting a parser over text, which
            // was a tenth of the whole model's compile time. The budget keeps every row within 16 bits.
            let Ok(cells) =
                d.next.iter().map(|&s| u16::try_from(s as usize * d.stride())).collect::<Result<Vec<u16>, _>>()
            else {
                return (quote!(), quote!(compile_error!("a DFA past its tables")));
            };
            let cells = cells.into_iter().map(Literal::u16_unsuffixed);
            let n = Literal::usize_unsuffixed(d.next.len());
            let (classes, next) = (name("CLASSES"), name("NEXT"));
            let classes_doc = format!(" The byte classes of the DFA of `{regex}`.");
            let next_doc = format!(
                " Its transitions: {} states (dead, matched, …) × {} classes and the end of the text.",
                d.states(),
                d.class_count
            );
            let items = quote! {
                #[doc = #classes_doc]
                static #classes: [u8; 256] = crate::automaton::byte_classes(&[#(#runs),*]);
                #[doc = #next_doc]
                static #next: [u16; #n] = [#(#cells),*];
            };
            let value = quote! {
                crate::automaton::Automaton::Dfa(crate::automaton::Dfa {
                    classes: &#classes,
                    stride: #stride,
                    start: #start,
                    next: &#next,
                })
            };
            (items, value)
        }
        Automaton::Bits(b, _) => {
            // `bits::build` checked that every number fits the tables.
            let Ok(e) = b.encoded() else { return (quote!(), quote!(compile_error!("an automaton past its tables"))) };
            let words = Literal::u16_unsuffixed(b.words() as u16);
            let runs = e.ascii_runs.iter().flat_map(|&(c, class)| [hex_u8(c), Literal::u8_unsuffixed(class)]);
            let ascii = name("ASCII");
            let ascii_doc = format!(" The class of each ASCII character in the position automaton of `{regex}`.");
            let mut items = vec![quote! {
                #[doc = #ascii_doc]
                static #ascii: [u8; 256] = crate::automaton::byte_classes(&[#(#runs),*]);
            }];
            // A static table read from text by a runtime `const fn` (or `&[]` when empty), and a reference to it.
            let mut table = |ident: &str, ty: TokenStream, count: usize, init: TokenStream, doc: String| {
                if count == 0 {
                    return quote!(&[]);
                }
                let (ident, n) = (name(ident), Literal::usize_unsuffixed(count));
                let doc = format!(" {doc}");
                items.push(quote! {
                    #[doc = #doc]
                    static #ident: [#ty; #n] = #init;
                });
                quote!(&#ident)
            };
            let interval_words: Vec<String> = e
                .intervals
                .iter()
                .map(|&(lo, hi)| match (lo as u32, hi as u32) {
                    (lo, hi) if lo == hi => format!("{lo:x}"),
                    (lo, hi) => format!("{lo:x}-{hi:x}"),
                })
                .collect();
            let text = text_lit(&interval_words, " ");
            let intervals = table(
                "INTERVALS",
                quote!(char),
                2 * e.intervals.len(),
                quote!(crate::automaton::ranges(#text)),
                format!("Its characters past ASCII that a position reads: {} intervals.", e.intervals.len()),
            );
            let text =
                text_lit(&[run_length(&e.interval_classes.iter().map(|&c| u32::from(c)).collect::<Vec<_>>())], " ");
            let interval_classes = table(
                "INTERVAL_CLASSES",
                quote!(u16),
                e.interval_classes.len(),
                quote!(crate::automaton::cells(#text)),
                "The class of each of those intervals.".into(),
            );
            let rows: Vec<String> = e.classes.chunks(b.words()).map(word_runs).collect();
            let text = text_lit(&rows, ", ");
            let classes = table(
                "CLASSES",
                quote!(u64),
                e.classes.len(),
                quote!(crate::automaton::words(#text)),
                format!(
                    "The positions that read each of its character classes ({}), {} word(s) each.",
                    b.classes(),
                    b.words()
                ),
            );
            let rows: Vec<String> =
                e.groups.chunks(5).map(|g| g.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")).collect();
            let text = text_lit(&rows, ", ");
            let groups = table(
                "GROUPS",
                quote!(u16),
                e.groups.len(),
                quote!(crate::automaton::cells(#text)),
                format!(
                    "Its groups of edges ({}): condition, distance + 32768, first word, words, where the sources start.",
                    e.groups.len() / 5
                ),
            );
            let text = text_lit(&[word_runs(&e.masks)], " ");
            let masks = table(
                "MASKS",
                quote!(u64),
                e.masks.len(),
                quote!(crate::automaton::words(#text)),
                "The sources of the groups, then the positions where matches start and end.".into(),
            );
            let pairs = |list: &[u16]| -> Vec<String> {
                list.chunks(4).map(|p| p.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")).collect()
            };
            let text = text_lit(&pairs(&e.first), ", ");
            let first = table(
                "FIRST",
                quote!(u16),
                e.first.len(),
                quote!(crate::automaton::cells(#text)),
                "Where matches start: condition, first word, words, where the positions start in the masks.".into(),
            );
            let text = text_lit(&pairs(&e.last), ", ");
            let last = table(
                "LAST",
                quote!(u16),
                e.last.len(),
                quote!(crate::automaton::cells(#text)),
                "Where matches end: condition, first word, words, where the positions start in the masks.".into(),
            );
            let (nullable, restarts) = (Literal::u32_unsuffixed(e.nullable), e.restarts);
            let value = quote! {
                crate::automaton::Automaton::Bits(crate::automaton::Bits {
                    words: #words,
                    ascii: &#ascii,
                    intervals: #intervals,
                    interval_classes: #interval_classes,
                    classes: #classes,
                    groups: #groups,
                    masks: #masks,
                    first: #first,
                    last: #last,
                    nullable: #nullable,
                    restarts: #restarts,
                })
            };
            (quote!(#(#items)*), value)
        }
        Automaton::Nfa(n, _) => {
            let start = Literal::u16_unsuffixed(n.start as u16);
            let anchored = n.anchored;
            let states = n.encoded_states();
            let items: Vec<String> = states.chunks(3).map(|s| format!("{} {} {}", s[0], s[1], s[2])).collect();
            let (count, text) = (Literal::usize_unsuffixed(states.len()), text_lit(&items, ", "));
            let states_name = name("STATES");
            let states_doc = format!(" The states of the NFA of `{regex}`: kind, then two numbers.");
            let mut tables = vec![quote! {
                #[doc = #states_doc]
                static #states_name: [u16; #count] = crate::automaton::cells(#text);
            }];
            let sets: Vec<TokenStream> = n
                .encoded_sets()
                .into_iter()
                .enumerate()
                .map(|(k, (ascii, ranges))| {
                    let ascii = hex_u128(ascii);
                    if ranges.is_empty() {
                        return quote!(crate::automaton::Set { ascii: #ascii, ranges: &[] });
                    }
                    let words: Vec<String> = ranges
                        .chunks(2)
                        .map(|r| match (r[0] as u32, r[1] as u32) {
                            (lo, hi) if lo == hi => format!("{lo:x}"),
                            (lo, hi) => format!("{lo:x}-{hi:x}"),
                        })
                        .collect();
                    let (count, text) = (Literal::usize_unsuffixed(ranges.len()), text_lit(&words, " "));
                    let ranges_name = format_ident!("RANGES{suffix}_{k}");
                    let doc = format!(" Character set {k} of that NFA past ASCII: {} ranges.", ranges.len() / 2);
                    tables.push(quote! {
                        #[doc = #doc]
                        static #ranges_name: [char; #count] = crate::automaton::ranges(#text);
                    });
                    quote!(crate::automaton::Set { ascii: #ascii, ranges: &#ranges_name })
                })
                .collect();
            let value = quote! {
                crate::automaton::Automaton::Nfa(crate::automaton::Nfa {
                    start: #start,
                    anchored: #anchored,
                    states: &#states_name,
                    sets: &[#(#sets),*],
                })
            };
            (quote!(#(#tables)*), value)
        }
    }
}

/// 64-bit words as text, in hexadecimal: runs of three or more of one value as `value*count`.
fn word_runs(words: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let run = words[i..].iter().take_while(|&&v| v == words[i]).count();
        if run >= 3 {
            out.push(format!("{:x}*{run}", words[i]));
        } else {
            out.extend(std::iter::repeat_n(format!("{:x}", words[i]), run));
        }
        i += run;
    }
    out.join(" ")
}

/// A row of cells as text: runs of three or more of one value as `value*count`.
fn run_length(row: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < row.len() {
        let run = row[i..].iter().take_while(|&&v| v == row[i]).count();
        if run >= 3 {
            out.push(format!("{}*{run}", row[i]));
        } else {
            out.extend(std::iter::repeat_n(row[i].to_string(), run));
        }
        i += run;
    }
    out.join(" ")
}

/// A string literal of items (rows of a table, ranges of a set) separated by `sep`: on one line when short, else
/// filling lines, continued with `\\`.
fn text_lit(items: &[String], sep: &str) -> Literal {
    const WIDTH: usize = 92;
    let joined = items.join(sep);
    let text = if joined.len() <= 60 {
        format!("\"{joined}\"")
    } else {
        // Words of the items, the separator after each item's last word; a long item goes on over lines.
        let mut words: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            words.extend(item.split(' ').map(str::to_owned));
            if i + 1 < items.len() {
                if let Some(last) = words.last_mut() {
                    last.push_str(sep.trim_end());
                }
            }
        }
        let mut lines: Vec<String> = vec![String::new()];
        for word in words {
            let last = lines.len() - 1;
            if !lines[last].is_empty() && lines[last].len() + 1 + word.len() > WIDTH {
                lines.push(word);
            } else {
                if !lines[last].is_empty() {
                    lines[last].push(' ');
                }
                lines[last].push_str(&word);
            }
        }
        let mut text = String::from("\"");
        for line in &lines {
            text.push_str("\\\n        ");
            text.push_str(line);
            text.push(' ');
        }
        text.push('"');
        text
    };
    text.parse().unwrap_or_else(|_| Literal::string(&joined))
}

/// `0x2D`: a byte value as it reads in a byte class.
fn hex_u8(b: u8) -> Literal {
    format!("{b:#04X}").replace("0X", "0x").parse().unwrap_or_else(|_| Literal::u8_unsuffixed(b))
}

/// A 128-bit mask in hexadecimal, in groups of 32 bits.
fn hex_u128(n: u128) -> Literal {
    let digits = format!("{n:032x}");
    let groups: Vec<&str> = (0..4).map(|i| &digits[i * 8..i * 8 + 8]).collect();
    format!("0x{}", groups.join("_")).parse().unwrap_or_else(|_| Literal::u128_unsuffixed(n))
}

/// The documented static of a pattern (`pub(crate) static NAME: crate::validation::Pattern`).
pub fn pattern_static(p: &crate::ir::PatternDef) -> TokenStream {
    let name = format_ident!("{}", p.name);
    let value = pattern_value(&p.plan);
    let mut doc = format!(" `{}`", p.plan.original.replace('`', "\\`"));
    doc = format!("{doc}, from {}.", p.shapes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "));
    let notes: Vec<String> = p.plan.notes.iter().map(|n| format!(" Interpreted: {n}.")).collect();
    let checks: Vec<String> = p
        .plan
        .checks
        .iter()
        .map(|c| {
            let must = if c.expect { "must" } else { "must not" };
            let regex = c.regex.replace('`', "\\`");
            format!(" Checked: `{regex}` {must} find a match, by {}.", c.automaton.describe())
        })
        .collect();
    quote! {
        #[doc = #doc]
        #( #[doc = ""] #[doc = #notes] )*
        #( #[doc = ""] #[doc = #checks] )*
        pub(crate) static #name: crate::validation::Pattern = #value;
    }
}

/// `src/patterns.rs`: one static per distinct pattern.
pub fn patterns_file(ir: &Ir) -> RustFile {
    let statics = ir.patterns.iter().filter(|p| !p.plan.is_trivial()).map(pattern_static);
    let ecma = ir.patterns.iter().any(|p| p.plan.ecma().is_some()).then(|| {
        quote! {
            //!
            //! No finite automaton can check some of them exactly (lookaround at a position that depends on the input,
            //! backreferences): those run as written on the ECMAScript engine of `crate::ecma`, on values no longer
            //! than the bound each one's documentation states.
        }
    });
    let tokens = quote! {
        //! The model's `@pattern`s, translated at codegen time into regular expressions with the ECMAScript meaning, each
        //! compiled into the tables of an automaton (`crate::automaton`): a DFA over bytes, or an NFA over code points
        //! where the DFA would be too big. Each pattern's documentation says which.
        #ecma
        #(#statics)*
    };
    RustFile { path: "src/patterns.rs".into(), tokens }
}
