//! What a theme template may call: Tera's pure functions only.
//!
//! A site's templates come with the site (a stranger's repository, a pull
//! request), and a build runs where secrets live (a CI job). So templates
//! get nothing that reads the environment, files, the clock or random
//! numbers — which would also make two builds differ. Tera registers
//! `get_env` whatever its features (and `now` and `get_random` with its
//! `builtins` feature, which playbook leaves off): [`seal`] replaces them
//! by functions that fail, and [`check`] reports every call of a function
//! other than [`ALLOWED`] in any template, rendered or not, with its file
//! and line, before anything is rendered. `include`, `import` and
//! `extends` name templates among those loaded from the theme (Tera never
//! reads a file for them), so they cannot reach outside it either.

use std::collections::{BTreeSet, HashMap};

use tera::ast::{Expr, ExprVal, FunctionCall, Node};
use tera::{Tera, Value};

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::theme::Theme;

/// The functions templates may call (macros aside): pure ones.
pub(super) const ALLOWED: [&str; 2] = ["range", "throw"];

/// Tera's functions that read the outside world, and what they read.
const IMPURE: [(&str, &str); 3] = [
    ("get_env", "reads the environment"),
    ("now", "reads the clock"),
    ("get_random", "draws random numbers"),
];

/// Replace Tera's impure functions by ones that fail, so that none can run
/// even if a call escaped [`check`].
pub(super) fn seal(tera: &mut Tera) {
    for (name, _) in IMPURE {
        tera.register_function(name, move |_: &HashMap<String, Value>| {
            Err(tera::Error::msg(format!(
                "`{name}` is not available in playbook templates"
            )))
        });
    }
}

/// Every call of a function other than [`ALLOWED`] in the parsed templates,
/// as an error naming the template file and line.
pub(super) fn check(tera: &Tera, theme: &Theme) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (name, src) in &theme.templates {
        let Ok(template) = tera.get_template(name) else {
            continue;
        };
        let mut calls = BTreeSet::new();
        nodes(&template.ast, &mut calls);
        let origin = theme.origins.get(name).unwrap_or(name);
        let mut refused: Vec<(Option<usize>, String)> = calls
            .into_iter()
            .filter(|c| !ALLOWED.contains(&c.as_str()))
            .map(|c| (call_line(src, &c), c))
            .collect();
        refused.sort();
        for (line, call) in refused {
            let at = match line {
                Some(l) => format!("{origin}:{l}"),
                None => origin.clone(),
            };
            let why = IMPURE
                .iter()
                .find(|(n, _)| *n == call)
                .map_or("does not exist", |(_, why)| why);
            diags.push(
                Diagnostic::error(
                    Code::TemplateFunction,
                    format!("template {at}: function `{call}` {why}: templates cannot call it"),
                    Loc::Path(origin.clone()),
                )
                .with_hint(
                    "templates see only the page's context and may call `range`, `throw` and macros; \
                     nothing that reads the environment, files, the clock or random numbers",
                ),
            );
        }
    }
    diags
}

/// Collect the names of the functions called in `body`.
fn nodes(body: &[Node], calls: &mut BTreeSet<String>) {
    for node in body {
        match node {
            Node::VariableBlock(_, e) => expr(e, calls),
            Node::MacroDefinition(_, m, _) => {
                m.args.values().flatten().for_each(|e| expr(e, calls));
                nodes(&m.body, calls);
            }
            Node::Set(_, s) => expr(&s.value, calls),
            Node::FilterSection(_, f, _) => {
                call_args(&f.filter, calls);
                nodes(&f.body, calls);
            }
            Node::Block(_, b, _) => nodes(&b.body, calls),
            Node::Forloop(_, f, _) => {
                expr(&f.container, calls);
                nodes(&f.body, calls);
                if let Some(empty) = &f.empty_body {
                    nodes(empty, calls);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    expr(cond, calls);
                    nodes(body, calls);
                }
                if let Some((_, body)) = &i.otherwise {
                    nodes(body, calls);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::Include(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

fn expr(e: &Expr, calls: &mut BTreeSet<String>) {
    value(&e.val, calls);
    for f in &e.filters {
        call_args(f, calls);
    }
}

fn value(v: &ExprVal, calls: &mut BTreeSet<String>) {
    match v {
        ExprVal::FunctionCall(f) => {
            calls.insert(f.name.clone());
            call_args(f, calls);
        }
        ExprVal::Math(m) => {
            expr(&m.lhs, calls);
            expr(&m.rhs, calls);
        }
        ExprVal::Logic(l) => {
            expr(&l.lhs, calls);
            expr(&l.rhs, calls);
        }
        ExprVal::In(i) => {
            expr(&i.lhs, calls);
            expr(&i.rhs, calls);
        }
        ExprVal::Test(t) => t.args.iter().for_each(|e| expr(e, calls)),
        ExprVal::MacroCall(m) => m.args.values().for_each(|e| expr(e, calls)),
        ExprVal::Array(items) => items.iter().for_each(|e| expr(e, calls)),
        ExprVal::StringConcat(s) => s.values.iter().for_each(|v| value(v, calls)),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

/// The arguments of a function or filter call.
fn call_args(f: &FunctionCall, calls: &mut BTreeSet<String>) {
    f.args.values().for_each(|e| expr(e, calls));
}

/// The first line (1-based) where `name(` is written inside a `{{ }}` or
/// `{% %}` tag.
fn call_line(src: &str, name: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(open) = ["{{", "{%"]
        .iter()
        .filter_map(|t| src[at..].find(t).map(|i| at + i))
        .min()
    {
        let closer = if src[open..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        let end = src[open + 2..]
            .find(closer)
            .map_or(src.len(), |i| open + 2 + i + 2);
        let tag = &src[open..end];
        for (i, _) in tag.match_indices(name) {
            let before = tag[..i].chars().next_back();
            let word = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if word && tag[i + name.len()..].trim_start().starts_with('(') {
                return Some(src[..open + i].matches('\n').count() + 1);
            }
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        let mut t = Theme::default();
        for (name, src) in templates {
            t.templates.insert(name.to_string(), src.to_string());
            t.origins
                .insert(name.to_string(), format!("templates/{name}"));
        }
        t
    }

    fn messages(t: &Theme) -> Vec<String> {
        match super::super::templates::build_tera(t) {
            Ok(_) => Vec::new(),
            Err(d) => d.into_iter().map(|d| d.message).collect(),
        }
    }

    #[test]
    fn get_env_is_refused_with_file_and_line_even_when_never_rendered() {
        let t = theme(&[
            (
                "a.html",
                "<p>\n{% if false %}\n  {{ get_env(name=\"HOME\") }}\n{% endif %}",
            ),
            (
                "b.html",
                "{% set x = [1, get_env(name='PATH', default='')] %}",
            ),
            ("c.html", "{{ 1 | default(value=get_env(name='PATH')) }}"),
        ]);
        assert_eq!(
            messages(&t),
            [
                "template templates/a.html:3: function `get_env` reads the environment: templates cannot call it",
                "template templates/b.html:1: function `get_env` reads the environment: templates cannot call it",
                "template templates/c.html:1: function `get_env` reads the environment: templates cannot call it",
            ]
        );
    }

    #[test]
    fn the_clock_randomness_and_unknown_functions_are_refused() {
        let t = theme(&[(
            "a.html",
            "{# now() in a comment #}\n{% for i in range(end=2) %}{{ i }}{% endfor %}\n\
             {% macro m(x) %}{{ x ~ now() }}{% endmacro %}\n{{ get_random(start=0, end=9) }}\n\
             {{ read_file(path='/etc/passwd') }}",
        )]);
        assert_eq!(
            messages(&t),
            [
                "template templates/a.html:3: function `now` reads the clock: templates cannot call it",
                "template templates/a.html:4: function `get_random` draws random numbers: templates cannot call it",
                "template templates/a.html:5: function `read_file` does not exist: templates cannot call it",
            ]
        );
    }

    #[test]
    fn pure_templates_pass_and_a_sealed_get_env_fails_when_rendered() {
        let t = theme(&[(
            "a.html",
            "{% import \"m.html\" as m %}{{ m::x(v=range(end=2) | length) }}{{ 'a' ~ 'b' | upper }}",
        ), ("m.html", "{% macro x(v) %}{{ v }}{% endmacro %}")]);
        assert!(messages(&t).is_empty());
        let mut tera = Tera::default();
        seal(&mut tera);
        tera.add_raw_template("x", "{{ get_env(name='HOME') }}")
            .unwrap();
        let err = tera.render("x", &tera::Context::new()).unwrap_err();
        let chain = format!("{err:?}");
        assert!(chain.contains("not available"), "{chain}");
    }

    #[test]
    fn include_import_and_extends_never_read_a_file() {
        for src in [
            "{% include \"../../../../../../etc/passwd\" %}",
            "{% include \"/etc/passwd\" %}",
        ] {
            let t = theme(&[("a.html", src)]);
            let tera = super::super::templates::build_tera(&t).unwrap();
            let err = tera.render("a.html", &tera::Context::new()).unwrap_err();
            assert!(format!("{err:?}").contains("TemplateNotFound"), "{err:?}");
        }
        for src in [
            "{% extends \"/etc/passwd\" %}",
            "{% import \"../../../../../../etc/passwd\" as p %}",
        ] {
            let t = theme(&[("a.html", src)]);
            let e = messages(&t).join("\n");
            assert!(e.contains("does not parse"), "{e}");
            assert!(!e.contains("root:"), "{e}");
        }
    }

    #[test]
    fn a_call_is_found_on_its_line() {
        assert_eq!(call_line("a\n{{\n x |f(v= now ( ))}}", "now"), Some(3));
        assert_eq!(
            call_line("now()\n{{ m::now() }}{{ now() }}", "now"),
            Some(2)
        );
        assert_eq!(
            call_line("{% if a %}\n\n{%\nset b = now() %}", "now"),
            Some(4)
        );
        assert_eq!(call_line("{{ x }}", "now"), None);
    }
}
