//! The template context of each HTML page: the variables every page has
//! (`site`, `programs`, `page`), and what each kind of page adds — the
//! home page's program summaries, a section page's whole program view, an
//! entity page's program header and entity view. What pages share is held
//! once, in a [`SharedContext`](super::shared::SharedContext).

use serde::Serialize;

use crate::graph::EntityRef;
use crate::kinds::Section;

use super::super::fingerprint::Fingerprint;
use super::super::format::{shorten, strip_tags};
use super::super::pageset::{self, Spec};
use super::super::view::build::ProgramBuild;
use super::super::view::site::SiteViews;
use super::super::view::{
    listed, ActionView, CompetencyView, Crumb, EnablerView, GuideSession, InstrumentView,
    MetricView, PracticeView, ProgramSummary, SessionView, SignalView, ValueView, WorkbookSession,
    MAX_LISTED_FEEDBACK,
};

/// The variables of a page's template context.
pub(super) type Vars = serde_json::Map<String, serde_json::Value>;

/// `x` as a template value; a serializer failure is an error of the page
/// (reported as a template error), never a `null` that renders as nothing.
pub(super) fn json<T: Serialize + ?Sized>(x: &T) -> tera::Result<serde_json::Value> {
    Ok(serde_json::to_value(x)?)
}

/// Which part of the site a page belongs to.
#[derive(Debug, Clone, Copy)]
enum Nav {
    Home,
    NotFound,
    Library,
    Program(Section),
}

impl Nav {
    /// `page.section` in templates.
    fn key(self) -> &'static str {
        match self {
            Nav::Home => "home",
            Nav::NotFound => "404",
            Nav::Library => "library",
            Nav::Program(s) => s.info().key,
        }
    }
}

/// `page` in every template context.
#[derive(Serialize)]
pub(super) struct PageView {
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
    /// The program's navigation (its section pages), each marked `page`
    /// when it is this page, `true` when this page belongs to it (an
    /// entity page of the section): its `aria-current`. Empty outside a
    /// program.
    nav: Vec<NavItem>,
}

/// An entry of `page.nav`.
#[derive(Serialize)]
pub(super) struct NavItem {
    title: String,
    url: String,
    current: Option<&'static str>,
}

/// A page before rendering: its own variables, without those it shares
/// with other pages (`site`, `programs`, and `program`), which its
/// [`SharedContext`](super::shared::SharedContext) holds.
pub(super) struct Page<'a> {
    pub path: String,
    pub template: &'static str,
    /// Typed until the page is rendered: a fingerprint reads them as they
    /// are, and only a page that is rendered pays for a template value.
    pub vars: Vec<(&'static str, Var<'a>)>,
    /// Large variables, added only when the page is rendered (a
    /// fingerprint stands for them until then).
    pub extra: Extra,
}

/// A variable of a page's own.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Var<'a> {
    Page(PageView),
    Summaries(&'a [ProgramSummary]),
    Library(&'a [super::super::view::library::LibraryView]),
    Value(&'a ValueView),
    Competency(&'a CompetencyView),
    Action(&'a ActionView),
    Practice(&'a PracticeView),
    Signal(&'a SignalView),
    Enabler(&'a EnablerView),
    Metric(&'a MetricView),
    Instrument(&'a InstrumentView),
    Session(&'a SessionView),
}

/// Variables of a page made from its program's rendered session guides.
#[derive(Clone, Copy)]
pub(super) enum Extra {
    None,
    /// `content`: the guide of the session at this index.
    Content(usize),
    /// `guide`: every session with its guide (the facilitator guide).
    Guide,
    /// `workbook`: every session with its guide and scenarios (the
    /// participant workbook).
    Workbook,
}

impl Extra {
    pub(super) fn vars(self, b: &ProgramBuild) -> tera::Result<Vars> {
        let mut v = Vars::new();
        match self {
            Extra::None => {}
            Extra::Content(i) => {
                v.insert("content".into(), json(&b.bodies[i])?);
            }
            Extra::Guide => {
                v.insert("guide".into(), json(&Sessions(b, false))?);
            }
            Extra::Workbook => {
                v.insert("workbook".into(), json(&Sessions(b, true))?);
            }
        }
        Ok(v)
    }

    /// What stands for the variables in a fingerprint.
    fn fingerprint(self, b: Option<&ProgramBuild>) -> u128 {
        match (self, b) {
            (Extra::Content(i), Some(b)) => b.body_keys[i],
            (Extra::Guide | Extra::Workbook, Some(b)) => b.guide_fingerprint,
            _ => 0,
        }
    }
}

/// `guide[]` (or, with scenarios, `workbook[]`): every session of `b`
/// with its guide, serialized one session at a time rather than from a
/// list of them all (10,000 sessions would hold every view twice more).
struct Sessions<'b>(&'b ProgramBuild, bool);

impl Serialize for Sessions<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let Sessions(b, scenarios) = *self;
        let mut seq = ser.serialize_seq(Some(b.view.sessions.len()))?;
        let mut left = MAX_LISTED_FEEDBACK;
        for (session, body) in b.view.sessions.iter().zip(&b.guide_bodies) {
            let session = listed(session, &mut left);
            if scenarios {
                seq.serialize_element(&WorkbookSession {
                    scenarios: session
                        .practices
                        .iter()
                        .filter_map(|l| b.view.practices.iter().find(|p| p.id == l.id))
                        .collect(),
                    session,
                    body_html: body,
                })?;
            } else {
                seq.serialize_element(&GuideSession {
                    session,
                    body_html: body,
                })?;
            }
        }
        seq.end()
    }
}

/// What every page context is built from.
pub(super) struct Pages<'a> {
    pub views: &'a SiteViews<'a>,
}

/// What a page says about itself: its `<title>`, `<h1>`, description and
/// address.
struct Head<'s> {
    title: String,
    heading: &'s str,
    description: &'s str,
    url: String,
}

impl<'a> Pages<'a> {
    /// The `page` variable of a page with `head`, in `nav`, under
    /// `breadcrumbs`, among its program's `sections`.
    fn ctx(
        &self,
        head: Head,
        nav: Nav,
        breadcrumbs: Vec<Crumb>,
        sections: &[Crumb],
    ) -> Vec<(&'static str, Var<'a>)> {
        let Head {
            title,
            heading,
            description,
            url,
        } = head;
        // An entity page (breadcrumbs: home, program, section) belongs to
        // the section its last breadcrumb names.
        let parent = (breadcrumbs.len() > 2)
            .then(|| breadcrumbs.last().map(|c| c.url.as_str()))
            .flatten();
        let items = sections
            .iter()
            .map(|s| NavItem {
                title: s.title.clone(),
                url: s.url.clone(),
                current: if s.url == url {
                    Some("page")
                } else if Some(s.url.as_str()) == parent {
                    Some("true")
                } else {
                    None
                },
            })
            .collect();
        vec![(
            "page",
            Var::Page(PageView {
                title,
                heading: heading.to_string(),
                description: shorten(description, 160),
                url,
                section: nav.key(),
                in_program: matches!(nav, Nav::Program(_)),
                breadcrumbs,
                nav: items,
            }),
        )]
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

    /// The variables every page has: `site` and `programs`.
    pub(super) fn common(&self) -> tera::Result<Vars> {
        let mut c = Vars::new();
        c.insert("site".into(), json(&self.views.site_view)?);
        c.insert("programs".into(), json(&self.views.program_links)?);
        Ok(c)
    }

    /// What a page is rendered from: its templates (`seed`, a fingerprint
    /// of every template), the variables it shares with every page
    /// (`common`), those it shares with its program's pages (`program`,
    /// the fingerprint of its views) and its own.
    pub(super) fn fingerprint(
        seed: u128,
        common: u128,
        program: u128,
        page: &Page,
        b: Option<&ProgramBuild>,
    ) -> u128 {
        Fingerprint::new()
            .of_u128(seed)
            .of_u128(common)
            .of_u128(program)
            .of_bytes(page.template.as_bytes())
            .of(&page.vars)
            .of_u128(page.extra.fingerprint(b))
            .finish()
    }

    /// The home page and the 404 page.
    pub(super) fn site_page(&self, spec: Spec) -> Page<'a> {
        let config = &self.views.site.config;
        let site_desc = config.description.as_deref().unwrap_or(&config.title);
        let place = pageset::place(self.views, spec);
        match spec {
            Spec::Home => {
                let mut c = self.ctx(
                    Head {
                        title: config.title.clone(),
                        heading: &config.title,
                        description: site_desc,
                        url: place.url,
                    },
                    Nav::Home,
                    vec![],
                    &[],
                );
                c.push(("program_summaries", Var::Summaries(&self.views.summaries)));
                Page::new(place.path, "index.html", c)
            }
            Spec::Library => {
                let title = "Session library";
                let mut c = self.ctx(
                    Head {
                        title: format!("{title} — {}", config.title),
                        heading: title,
                        description: "Session guides the programs share, and where each is used.",
                        url: place.url,
                    },
                    Nav::Library,
                    vec![self.home_crumb()],
                    &[],
                );
                c.push(("library", Var::Library(&self.views.library)));
                Page::new(place.path, "library.html", c)
            }
            _ => {
                let title = "Page not found";
                let c = self.ctx(
                    Head {
                        title: title.into(),
                        heading: title,
                        description: site_desc,
                        url: place.url,
                    },
                    Nav::NotFound,
                    vec![],
                    &[],
                );
                Page::new(place.path, "404.html", c)
            }
        }
    }

    /// A section page of the program whose views are `b`.
    pub(super) fn section_page(&self, pi: usize, s: Section, b: &ProgramBuild) -> Page<'a> {
        let place = self
            .views
            .urls
            .program(&self.views.programs[pi].id)
            .section(s);
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
            Head {
                title,
                heading,
                description: Self::program_desc(b),
                url: place.url,
            },
            Nav::Program(s),
            crumbs,
            &b.header.sections,
        );
        let mut page = Page::new(place.path, s.info().template, c);
        page.extra = match s {
            Section::Guide => Extra::Guide,
            Section::Workbook => Extra::Workbook,
            _ => Extra::None,
        };
        page
    }

    /// A section page (results, impact report) of cohort `cohort` of
    /// program `pi`, whose run's views are `b`: under the program's
    /// results page, in the program's navigation.
    pub(super) fn cohort_page(
        &self,
        pi: usize,
        s: Section,
        b: &ProgramBuild,
        cohort: &str,
    ) -> Page<'a> {
        let urls = self.views.urls.program(&self.views.programs[pi].id);
        let place = urls.cohort_section(cohort, s);
        let name = b
            .view
            .cohorts
            .as_ref()
            .and_then(|c| c.current.as_ref())
            .map_or(cohort, |c| c.title.as_str());
        let heading = format!("{}: {name}", s.info().title);
        let mut crumbs = self.program_crumbs(b);
        crumbs.push(Crumb {
            title: Section::Results.info().title.to_string(),
            url: urls.section(Section::Results).url,
        });
        let c = self.ctx(
            Head {
                title: format!("{heading} — {}", b.header.title),
                heading: &heading,
                description: Self::program_desc(b),
                url: place.url,
            },
            Nav::Program(s),
            crumbs,
            &b.header.sections,
        );
        Page::new(place.path, s.info().template, c)
    }

    /// An entity page of the program whose views are `b`.
    pub(super) fn entity_page<'b>(&self, pi: usize, r: EntityRef, b: &'b ProgramBuild) -> Page<'b>
    where
        'a: 'b,
    {
        let place = pageset::place(self.views, Spec::Entity(pi, r));
        let (url, path) = (place.url, place.path);
        let v = &b.view;
        let plain = |h: &Option<String>| h.as_deref().map(strip_tags).unwrap_or_default();
        let i = r.index();
        // The page's heading, its description, and the entity's view.
        let (heading, desc, value): (String, String, Var) = match r {
            EntityRef::Value(_) => {
                let x = &v.values[i];
                (x.name.clone(), plain(&x.description_html), Var::Value(x))
            }
            EntityRef::Competency(_) => {
                let x = &v.competencies[i];
                (
                    x.name.clone(),
                    plain(&x.description_html),
                    Var::Competency(x),
                )
            }
            EntityRef::Action(_) => {
                let x = &v.actions[i];
                (shorten(&x.title, 60), x.title.clone(), Var::Action(x))
            }
            EntityRef::Practice(_) => {
                let x = &v.practices[i];
                (
                    format!("Practice: {}", shorten(&x.title, 50)),
                    x.title.clone(),
                    Var::Practice(x),
                )
            }
            EntityRef::Signal(_) => {
                let x = &v.signals[i];
                (shorten(&x.title, 60), x.title.clone(), Var::Signal(x))
            }
            EntityRef::Enabler(_) => {
                let x = &v.enablers[i];
                (shorten(&x.title, 60), x.title.clone(), Var::Enabler(x))
            }
            EntityRef::Metric(_) => {
                let x = &v.metrics[i];
                (
                    x.name.clone(),
                    format!("{} metric: {}", x.category_label, x.name),
                    Var::Metric(x),
                )
            }
            EntityRef::Instrument(_) => {
                let x = &v.instruments[i];
                (
                    x.name.clone(),
                    format!("{}: {}", x.kind_label, x.name),
                    Var::Instrument(x),
                )
            }
            EntityRef::Session(_) => {
                let x = &v.sessions[i];
                (
                    x.title.clone(),
                    format!("{} session guide: {}", x.kind_label, x.title),
                    Var::Session(x),
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
            Head {
                title: format!("{heading} — {}", b.header.title),
                heading: &heading,
                description: &desc,
                url,
            },
            Nav::Program(section),
            crumbs,
            &b.header.sections,
        );
        c.push((kind.prefix, value));
        let mut page = Page::new(path, kind.template, c);
        if let EntityRef::Session(_) = r {
            page.extra = Extra::Content(i);
        }
        page
    }
}

impl<'a> Page<'a> {
    fn new(path: String, template: &'static str, vars: Vec<(&'static str, Var<'a>)>) -> Self {
        Page {
            path,
            template,
            vars,
            extra: Extra::None,
        }
    }
}
