//! A program's shared page context and the render of one page in it:
//! the variables several pages share (a program's view), lent with those
//! every page has to each page in turn, the page's own added for the time
//! of its render.

use tera::{Context, Tera};

use super::super::view::build::ProgramBuild;
use super::pages::{json, Extra, Page, Vars};

/// Variables several pages share, in a Tera context lent to those pages
/// one after the other: each page's own variables are added, the page
/// rendered, and its variables taken out again, so that what they share
/// (a program's whole view, for section pages) is made and held once.
/// What every page has (`site`, `programs`) is not in it: each render is
/// given those in a context of their own, lent in turn to the shared
/// contexts of many programs (a context of every program's link made per
/// program would cost the square of the number of programs).
pub(super) struct SharedContext {
    context: Context,
    /// The names of its variables.
    keys: Vec<String>,
}

impl SharedContext {
    /// The context shared by the home and 404 pages: only what every page
    /// has (lent to each page at render).
    pub(super) fn site() -> tera::Result<Self> {
        SharedContext::new(Vars::new())
    }

    /// The context shared by a program's entity pages: the program's header.
    pub(super) fn entity(b: &ProgramBuild) -> tera::Result<Self> {
        let mut c = Vars::new();
        c.insert("program".into(), json(&b.header)?);
        SharedContext::new(c)
    }

    /// The context shared by a program's section pages: the program's full
    /// view, made once, to which each page's own variables are added in turn.
    pub(super) fn section(b: &ProgramBuild) -> tera::Result<Self> {
        let mut c = Vars::new();
        c.insert("program".into(), json(&b.view)?);
        SharedContext::new(c)
    }

    fn new(vars: Vars) -> tera::Result<Self> {
        let keys = vars.keys().cloned().collect();
        // `from_value` moves the variables in; `Context::insert` would copy.
        Ok(SharedContext {
            context: Context::from_value(serde_json::Value::Object(vars))?,
            keys,
        })
    }

    /// Render `page` with its variables (its extra ones made from the
    /// program's views `b`) added to the shared ones and to `common` (what
    /// every page has), which gets back exactly what it held.
    pub(super) fn render(
        &mut self,
        tera: &Tera,
        page: Page,
        b: Option<&ProgramBuild>,
        common: &mut Context,
    ) -> tera::Result<String> {
        common.extend(std::mem::replace(&mut self.context, Context::new()));
        let html = render_in(common, tera, page, b);
        let own: Vars = self
            .keys
            .iter()
            .filter_map(|k| common.remove(k).map(|v| (k.clone(), v)))
            .collect();
        self.context = Context::from_value(serde_json::Value::Object(own))?;
        html
    }
}

/// Render `page` in `context`, with its variables added for the time of
/// the render.
fn render_in(
    context: &mut Context,
    tera: &Tera,
    mut page: Page,
    b: Option<&ProgramBuild>,
) -> tera::Result<String> {
    // The guide's and the workbook's sessions are the program's own
    // list, lent to them (see `lists`).
    let lent = match (page.extra, b) {
        (Extra::Guide, Some(b)) => super::lists::lend(context, b, false)?,
        (Extra::Workbook, Some(b)) => super::lists::lend(context, b, true)?,
        _ => None,
    };
    if lent.is_some() {
        page.extra = Extra::None;
    }
    let html = render_page(context, tera, page, b);
    if let Some(lent) = lent {
        super::lists::give_back(context, lent)?;
    }
    html
}

fn render_page(
    context: &mut Context,
    tera: &Tera,
    page: Page,
    b: Option<&ProgramBuild>,
) -> tera::Result<String> {
    let mut vars: Vars = page
        .vars
        .iter()
        .map(|(k, v)| Ok((k.to_string(), json(v)?)))
        .collect::<tera::Result<_>>()?;
    if let Some(b) = b {
        vars.extend(page.extra.vars(b)?);
    }
    let keys: Vec<String> = vars.keys().cloned().collect();
    context.extend(Context::from_value(serde_json::Value::Object(vars))?);
    let html = tera.render(page.template, context);
    for k in &keys {
        context.remove(k);
    }
    html
}
