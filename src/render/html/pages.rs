//! The template context of each HTML page: the variables every page has
//! (`site`, `programs`, `page`), and what each kind of page adds — the
//! home page's program summaries, a section page's whole program view (in
//! a [`SectionContext`] shared by a program's section pages), an entity
//! page's program header and entity view.

use serde::Serialize;
use tera::{Context, Tera};

use crate::graph::EntityRef;
use crate::kinds::Section;

use super::super::fingerprint::Fingerprint;
use super::super::format::{shorten, strip_tags};
use super::super::pageset::{self, Spec};
use super::super::view::build::ProgramBuild;
use super::super::view::site::SiteViews;
use super::super::view::{Crumb, GuideSession, ProgramSummary};

/// The variables of a page's template context.
pub type Vars = serde_json::Map<String, serde_json::Value>;

pub fn json<T: Serialize + ?Sized>(x: &T) -> serde_json::Value {
    serde_json::to_value(x).unwrap_or(serde_json::Value::Null)
}

/// Which part of the site a page belongs to.
#[derive(Debug, Clone, Copy)]
enum Nav {
    Home,
    NotFound,
    Program(Section),
}

impl Nav {
    /// `page.section` in templates.
    fn key(self) -> &'static str {
        match self {
            Nav::Home => "home",
            Nav::NotFound => "404",
            Nav::Program(s) => s.info().key,
        }
    }
}

/// `page` in every template context.
#[derive(Serialize)]
struct PageView {
    /// For `<title>`: the heading plus the program, when there is one.
    title: String,
    /// For `<h1>` and the last breadcrumb.
    heading: String,
    description: String,
    url: String,
    /// Which section of a program the page belongs to (for navigation).
    section: &'static str,
    /// Whether `program` is in the context (all program pages).
    in_program: bool,
    breadcrumbs: Vec<Crumb>,
}

/// A page before rendering: its context without the large per-program
/// parts, which a [`SectionContext`] adds only if the page is rendered.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub vars: Vars,
    /// A section page of the program at this index: the program's full
    /// view (and, for the facilitator guide, every session's guide) join
    /// its context.
    pub section_of: Option<(usize, Section)>,
}

/// What every page context is built from.
pub struct Pages<'a> {
    pub views: &'a SiteViews<'a>,
    /// `site` and `programs`, shared by every page.
    pub common: &'a Vars,
}

impl Pages<'_> {
    fn ctx(
        &self,
        title: String,
        heading: &str,
        description: &str,
        url: String,
        nav: Nav,
        breadcrumbs: Vec<Crumb>,
    ) -> Vars {
        let mut c = self.common.clone();
        c.insert(
            "page".into(),
            json(&PageView {
                title,
                heading: heading.to_string(),
                description: shorten(description, 160),
                url,
                section: nav.key(),
                in_program: matches!(nav, Nav::Program(_)),
                breadcrumbs,
            }),
        );
        c
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            title: "Home".into(),
            url: self.views.urls.home().url,
        }
    }

    fn program_crumbs(&self, b: &ProgramBuild) -> Vec<Crumb> {
        vec![
            self.home_crumb(),
            Crumb {
                title: b.header.title.clone(),
                url: b.header.url.clone(),
            },
        ]
    }

    fn program_desc(b: &ProgramBuild) -> &str {
        if b.view.summary_text.is_empty() {
            &b.header.title
        } else {
            &b.view.summary_text
        }
    }

    /// The context that every section page of program `pi` shares: the
    /// program's full view, made once, to which each page's own variables
    /// are added in turn.
    pub fn section_context(&self, pi: usize) -> SectionContext<'_> {
        let build = &self.views.builds[pi];
        let view = serde_json::to_value(&build.view).unwrap_or_default();
        // `from_value` moves the view in; `Context::insert` would copy it.
        SectionContext {
            context: Context::from_value(serde_json::json!({ "program": view }))
                .unwrap_or_default(),
            build,
        }
    }

    /// What a page is rendered from: its template (`seed`, a fingerprint
    /// of every template), its context, and for a section page its
    /// program's fingerprint (standing for the full view).
    pub fn fingerprint(&self, seed: u128, page: &Page) -> u128 {
        let f = Fingerprint::new()
            .of_u128(seed)
            .of_bytes(page.template.as_bytes())
            .of_json(&page.vars);
        match page.section_of {
            Some((pi, _)) => f.of_u128(self.views.fingerprints[pi]).finish(),
            None => f.finish(),
        }
    }

    /// Output path, template and context of a page.
    pub fn page(&self, spec: Spec) -> Page {
        let config = &self.views.site.config;
        let site_desc = config.description.as_deref().unwrap_or(&config.title);
        let place = pageset::place(self.views, spec);
        match spec {
            Spec::Home => {
                let mut c = self.ctx(
                    config.title.clone(),
                    &config.title,
                    site_desc,
                    place.url,
                    Nav::Home,
                    vec![],
                );
                let summaries: Vec<ProgramSummary> = self
                    .views
                    .builds
                    .iter()
                    .map(|b| ProgramSummary {
                        id: &b.header.id,
                        title: &b.header.title,
                        url: &b.header.url,
                        organization: b.header.organization.as_deref(),
                        audience: b.view.audience.as_deref(),
                        start: b.view.start.as_deref(),
                        end: b.view.end.as_deref(),
                        summary_text: shorten(&b.view.summary_text, 220),
                        sessions: b.view.sessions.len(),
                        draft: b.header.draft,
                    })
                    .collect();
                c.insert("program_summaries".into(), json(&summaries));
                Page::new(place.path, "index.html", c)
            }
            Spec::NotFound => {
                let title = "Page not found";
                let c = self.ctx(
                    title.into(),
                    title,
                    site_desc,
                    place.url,
                    Nav::NotFound,
                    vec![],
                );
                Page::new(place.path, "404.html", c)
            }
            Spec::Section(pi, s) => {
                let b = &self.views.builds[pi];
                let (title, heading, crumbs) = match s {
                    Section::Overview => (
                        b.header.title.clone(),
                        b.header.title.as_str(),
                        vec![self.home_crumb()],
                    ),
                    _ => (
                        format!("{} — {}", s.info().title, b.header.title),
                        s.info().title,
                        self.program_crumbs(b),
                    ),
                };
                let c = self.ctx(
                    title,
                    heading,
                    Self::program_desc(b),
                    place.url,
                    Nav::Program(s),
                    crumbs,
                );
                Page {
                    section_of: Some((pi, s)),
                    ..Page::new(place.path, s.info().template, c)
                }
            }
            Spec::Entity(pi, r) => self.entity(pi, r, place.url, place.path),
        }
    }

    fn entity(&self, pi: usize, r: EntityRef, url: String, path: String) -> Page {
        let b = &self.views.builds[pi];
        let v = &b.view;
        let plain = |h: &Option<String>| h.as_deref().map(strip_tags).unwrap_or_default();
        let i = r.index();
        // The page's heading, its description, and the entity's view.
        let (heading, desc, value): (String, String, serde_json::Value) = match r {
            EntityRef::Value(_) => {
                let x = &v.values[i];
                (x.name.clone(), plain(&x.description_html), json(x))
            }
            EntityRef::Competency(_) => {
                let x = &v.competencies[i];
                (x.name.clone(), plain(&x.description_html), json(x))
            }
            EntityRef::Action(_) => {
                let x = &v.actions[i];
                (shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityRef::Practice(_) => {
                let x = &v.practices[i];
                (
                    format!("Practice: {}", shorten(&x.title, 50)),
                    x.title.clone(),
                    json(x),
                )
            }
            EntityRef::Signal(_) => {
                let x = &v.signals[i];
                (shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityRef::Enabler(_) => {
                let x = &v.enablers[i];
                (shorten(&x.title, 60), x.title.clone(), json(x))
            }
            EntityRef::Metric(_) => {
                let x = &v.metrics[i];
                (
                    x.name.clone(),
                    format!("{} metric: {}", x.category_label, x.name),
                    json(x),
                )
            }
            EntityRef::Instrument(_) => {
                let x = &v.instruments[i];
                (
                    x.name.clone(),
                    format!("{}: {}", x.kind_label, x.name),
                    json(x),
                )
            }
            EntityRef::Session(_) => {
                let x = &v.sessions[i];
                (
                    x.title.clone(),
                    format!("{} session guide: {}", x.kind_label, x.title),
                    json(x),
                )
            }
        };
        let kind = r.kind().info();
        let section = kind.section;
        let mut crumbs = self.program_crumbs(b);
        crumbs.push(Crumb {
            title: section.info().title.to_string(),
            url: self.views.urls.program(&b.header.id).section(section).url,
        });
        let mut c = self.ctx(
            format!("{heading} — {}", b.header.title),
            &heading,
            &desc,
            url,
            Nav::Program(section),
            crumbs,
        );
        c.insert("program".into(), json(&b.header));
        c.insert(kind.prefix.into(), value);
        if let EntityRef::Session(_) = r {
            c.insert("content".into(), json(&b.bodies[i]));
        }
        Page::new(path, kind.template, c)
    }
}

impl Page {
    fn new(path: String, template: &'static str, vars: Vars) -> Self {
        Page {
            path,
            template,
            vars,
            section_of: None,
        }
    }
}

/// A program's full view in a Tera context, lent to its section pages one
/// after the other: the view is large, and each page's context would
/// otherwise need a copy of it.
pub struct SectionContext<'a> {
    context: Context,
    build: &'a ProgramBuild,
}

impl SectionContext<'_> {
    /// Render `page` (a section page of this program) with its variables
    /// (and, for the facilitator guide, every session's guide) added to
    /// the program's view; they are taken out again afterwards.
    pub fn render(&mut self, tera: &Tera, mut page: Page) -> tera::Result<String> {
        // The program's view is `program` on a section page.
        page.vars.remove("program");
        let keys: Vec<String> = page.vars.keys().cloned().collect();
        self.context
            .extend(Context::from_value(serde_json::Value::Object(page.vars)).unwrap_or_default());
        let guide = matches!(page.section_of, Some((_, Section::Guide)));
        if guide {
            let sessions: Vec<GuideSession> = self
                .build
                .view
                .sessions
                .iter()
                .zip(&self.build.guide_bodies)
                .map(|(session, body)| GuideSession {
                    session,
                    body_html: body,
                })
                .collect();
            self.context.insert("guide", &sessions);
        }
        let html = tera.render(page.template, &self.context);
        for k in &keys {
            self.context.remove(k);
        }
        if guide {
            self.context.remove("guide");
        }
        html
    }
}
