//! The theme's Tera templates: parsed once, with auto-escaping for HTML
//! and XML, only pure functions (see [`sandbox`](super::sandbox)) and
//! playbook's own `plural` filter, and every template error turned into a
//! diagnostic that names the template, the line and the variable.

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::diagnostics::{Code, Diagnostic, Loc};
use crate::theme::Theme;

/// Parse the theme's templates; an error for each that does not parse or
/// calls a function it may not.
pub(super) fn build_tera(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    super::sandbox::seal(&mut tera);
    tera.autoescape_on(vec![".html", ".xml"]);
    // What HTML and XML need escaped, and no more: Tera's default also
    // escapes `/`, which makes every URL `&#x2F;…` (bigger pages,
    // unreadable source).
    tera.set_escape_fn(super::super::format::xml_escape);
    tera.register_filter("plural", plural);
    let templates: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    tera.add_raw_templates(templates).map_err(|e| {
        let (file, detail) = error_chain(&e);
        let origin = file
            .as_deref()
            .and_then(|f| theme.origins.get(f).cloned())
            .or(file)
            .unwrap_or_else(|| "templates".into());
        vec![Diagnostic::error(
            Code::TemplateError,
            format!("template {origin} does not parse: {detail}"),
            Loc::Path(origin),
        )
        .with_hint("fix the template syntax (Tera, similar to Jinja2)")]
    })?;
    let refused = super::sandbox::check(&tera, theme);
    if !refused.is_empty() {
        return Err(refused);
    }
    Ok(tera)
}

/// `{{ n | plural(one="value") }}`: `1 value`, `2 values`; `many=` when
/// the plural is not the noun and `s` (`competencies`). `n` is a number or
/// a number already formatted (`"1.5"`).
fn plural(n: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let one = args
        .get("one")
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg("the `plural` filter needs `one=\"noun\"`"))?;
    let many = match args.get("many").and_then(Value::as_str) {
        Some(m) => m.to_string(),
        None => format!("{one}s"),
    };
    let shown = match n {
        Value::Number(x) => x.to_string(),
        Value::String(s) => s.clone(),
        other => {
            return Err(tera::Error::msg(format!(
                "the `plural` filter counts numbers, not `{other}`"
            )))
        }
    };
    Ok(Value::String(super::super::format::counted(
        &shown, one, &many,
    )))
}

fn error_chain(e: &tera::Error) -> (Option<String>, String) {
    let mut file = None;
    let mut parts = Vec::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        let msg = err.to_string();
        if file.is_none() {
            if let Some(rest) = msg.split('\'').nth(1) {
                if rest.ends_with(".html") || rest.ends_with(".xml") {
                    file = Some(rest.to_string());
                }
            }
        }
        parts.push(msg);
        cur = err.source();
    }
    (file, parts.join(": "))
}

/// A render error as a diagnostic naming template, line and variable.
///
/// Tera names the page's template and the variable but not the line, and a
/// variable used in a parent template or a macro is blamed on the child. So
/// the variable is looked for in the page's template, then the templates it
/// extends and imports, and the first line that uses it is reported.
pub(super) fn template_error(theme: &Theme, template: &str, e: &tera::Error) -> Diagnostic {
    let (file, detail) = error_chain(e);
    let page = file.unwrap_or_else(|| template.to_string());
    let var = detail
        .split("Variable `")
        .last()
        .filter(|_| detail.contains("Variable `"))
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let found = var.as_ref().and_then(|v| {
        related_templates(theme, &page)
            .into_iter()
            .find_map(|name| use_line(theme.templates.get(&name)?, v).map(|l| (name, l)))
    });
    let (name, line) = match found {
        Some((n, l)) => (n, Some(l)),
        None => (page, None),
    };
    let origin = theme
        .origins
        .get(&name)
        .cloned()
        .unwrap_or_else(|| name.clone());
    let at = match line {
        Some(l) => format!("{origin}:{l}"),
        None => origin.clone(),
    };
    let message = match &var {
        Some(v) => format!("template {at}: variable `{v}` is not defined here"),
        None => format!("template {at}: {detail}"),
    };
    let mut d = Diagnostic::error(Code::TemplateError, message, Loc::Path(origin));
    if let Some(v) = var {
        d = d.with_hint(format!(
            "`{v}` is not in the context of this page; see \"Themes and the template context\" in playbook's docs/themes.md"
        ));
    }
    d
}

/// `name`, then the templates it extends and imports (transitively), then
/// every other template.
fn related_templates(theme: &Theme, name: &str) -> Vec<String> {
    let mut order = vec![name.to_string()];
    let mut i = 0;
    while i < order.len() {
        if let Some(src) = theme.templates.get(&order[i]) {
            for kw in ["{% extends \"", "{% import \""] {
                for part in src.split(kw).skip(1) {
                    if let Some(dep) = part.split('"').next() {
                        if !order.iter().any(|o| o == dep) {
                            order.push(dep.to_string());
                        }
                    }
                }
            }
        }
        i += 1;
    }
    for other in theme.templates.keys() {
        if !order.contains(other) {
            order.push(other.clone());
        }
    }
    order
}

/// The first line that uses `var` outside an `is defined` test (a line
/// that tests it is taken to guard its uses).
fn use_line(src: &str, var: &str) -> Option<usize> {
    let tested = [format!("{var} is defined"), format!("{var} is not defined")];
    src.lines()
        .position(|l| {
            !tested.iter().any(|t| l.contains(t.as_str()))
                && l.match_indices(var).any(|(i, _)| {
                    let before = l[..i].chars().next_back();
                    let after = &l[i + var.len()..];
                    let word_start =
                        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
                    let word_end = !after
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_');
                    word_start && word_end && !after.trim_start().starts_with("is ")
                })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_unguarded_use_of_a_variable_is_found() {
        let src = "{% if x is defined %}\n{{ xy }}\n{{ a.x }}\n{{ x }}\n";
        assert_eq!(use_line(src, "x"), Some(4));
        assert_eq!(use_line(src, "xy"), Some(2));
        assert_eq!(use_line(src, "z"), None);
    }

    #[test]
    fn related_templates_follow_extends_and_imports_first() {
        let mut theme = Theme::default();
        for (name, src) in [
            ("a.html", ""),
            ("base.html", "{% import \"m.html\" as m %}"),
            ("m.html", ""),
            ("page.html", "{% extends \"base.html\" %}"),
        ] {
            theme.templates.insert(name.into(), src.into());
        }
        assert_eq!(
            related_templates(&theme, "page.html"),
            ["page.html", "base.html", "m.html", "a.html"]
        );
    }

    #[test]
    fn an_unknown_variable_is_blamed_on_the_template_that_uses_it() {
        let mut theme = Theme::default();
        theme
            .templates
            .insert("base.html".into(), "<p>\n{{ missing }}</p>".into());
        theme
            .templates
            .insert("page.html".into(), "{% extends \"base.html\" %}".into());
        let tera = build_tera(&theme).unwrap();
        let err = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let d = template_error(&theme, "page.html", &err);
        assert_eq!(d.code, Code::TemplateError);
        assert_eq!(
            d.message,
            "template base.html:2: variable `missing` is not defined here"
        );
    }

    #[test]
    fn a_template_that_does_not_parse_is_named() {
        let mut theme = Theme::default();
        theme.templates.insert("bad.html".into(), "{% if %}".into());
        theme
            .origins
            .insert("bad.html".into(), "templates/bad.html".into());
        let d = build_tera(&theme).unwrap_err().remove(0);
        assert!(
            d.message
                .starts_with("template templates/bad.html does not parse"),
            "{}",
            d.message
        );
    }
}
