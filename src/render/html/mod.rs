//! HTML pages: the [`Emitter`] that renders every page of the
//! [page set](super::pageset) through the theme's Tera templates — the home
//! and 404 pages for the site, each program's section and entity pages for
//! the program — in parallel.
//!
//! A page is a pure function of the templates and its context, so with an
//! [`HtmlCache`] kept between renders (by `serve`) every page whose
//! fingerprint — a hash of the templates and of the page's context — is
//! unchanged is reused: an edit to one session guide re-renders that
//! session and the pages that show it, nothing else. A program's pages are
//! rendered in jobs (its section pages, which share one context holding
//! the program's whole view; its entity pages, a few dozen per job, which
//! share the program's header), so a large program uses every core too.

pub(crate) mod cache;
mod lists;
mod pages;
mod sandbox;
mod shared;
mod templates;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::output::{Chunk, OutFile};
use crate::theme::Theme;

use super::emit::{Emitter, ProgramContext, SiteContext};
use super::fingerprint::Fingerprint;
use super::pageset::{self, Spec};
use super::view::build::ProgramBuild;
use super::view::site::{ProgramViews, SiteViews};
use cache::{HtmlCache, PageMap};
use pages::{Page, Pages, Vars};
use shared::SharedContext;

/// How many entity pages one job of the parallel render takes.
const ENTITY_JOB: usize = 48;

/// The HTML pages of a site.
pub(crate) struct HtmlPages<'a> {
    theme: &'a Theme,
    tera: Arc<Tera>,
    /// A fingerprint of every template (0 without a cache).
    seed: u128,
    /// The variables every page has (`site`, `programs`) and their
    /// fingerprint (0 without a cache).
    common: Vars,
    common_fp: u128,
    /// The last render's pages, when rendering with a cache.
    previous: Option<&'a HtmlCache>,
    /// This render's pages, by program ("" for the site's), when rendering
    /// with a cache; and the paths of those rendered rather than reused.
    fresh: Mutex<Fresh>,
    /// The section contexts this render made or took, for the next.
    contexts: Mutex<HashMap<String, (u128, SharedContext)>>,
    /// Contexts of `common`, made once per thread that renders and lent to
    /// one job after another.
    commons: Mutex<Vec<Context>>,
}

/// This render's pages by program, and the paths of those rendered now.
type Fresh = (HashMap<String, Arc<PageMap>>, Vec<String>);

/// A page rendered (or reused): path, bytes, fingerprint, whether it was
/// rendered now.
type Rendered = (String, Arc<[u8]>, u128, bool);

impl<'a> HtmlPages<'a> {
    /// Parse the theme's templates (or take them from the cache while
    /// their sources are unchanged).
    pub(crate) fn new(
        theme: &'a Theme,
        previous: Option<&'a HtmlCache>,
        views: &SiteViews,
    ) -> Result<Self, Vec<Diagnostic>> {
        // Fingerprints are only worth their cost when there is a cache to use.
        let seed = match previous {
            Some(_) => Fingerprint::new().of(&theme.templates).finish(),
            None => 0,
        };
        let tera = match previous.and_then(|c| c.tera.as_ref()) {
            Some((fp, tera)) if *fp == seed => Arc::clone(tera),
            _ => Arc::new(templates::build_tera(theme)?),
        };
        let common = Pages { views }
            .common()
            .map_err(|e| vec![super::emit::output_error("the HTML pages", e)])?;
        let common_fp = match previous {
            Some(_) => Fingerprint::new().of(&common).finish(),
            None => 0,
        };
        Ok(HtmlPages {
            theme,
            tera,
            seed,
            common,
            common_fp,
            previous,
            fresh: Mutex::new((HashMap::new(), Vec::new())),
            contexts: Mutex::new(HashMap::new()),
            commons: Mutex::new(Vec::new()),
        })
    }

    /// The parsed templates, for other outputs rendered through the theme.
    pub(crate) fn tera(&self) -> Arc<Tera> {
        Arc::clone(&self.tera)
    }

    /// A fingerprint of everything every page is made from (templates and
    /// shared variables); 0 without a cache.
    pub(crate) fn fingerprint(&self) -> u128 {
        Fingerprint::new()
            .of_u128(self.seed)
            .of_u128(self.common_fp)
            .finish()
    }

    /// What the next render may reuse: this render's pages, and those of
    /// the programs in `reused` (whose pages this render took whole from
    /// the last one).
    pub(crate) fn into_cache(self, reused: &[&str]) -> HtmlCache {
        let (mut programs, mut rendered) =
            self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut contexts = self
            .contexts
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(prev) = self.previous {
            let mut kept = prev.contexts.lock().unwrap_or_else(|e| e.into_inner());
            for id in reused {
                if let Some(m) = prev.programs.get(*id) {
                    programs.insert(id.to_string(), Arc::clone(m));
                }
                // Its section context too, for when it changes next.
                if let Some(c) = kept.remove(*id) {
                    contexts.insert(id.to_string(), c);
                }
            }
        }
        rendered.sort();
        HtmlCache {
            programs,
            tera: Some((self.seed, self.tera)),
            rendered,
            contexts: Mutex::new(contexts),
        }
    }

    /// Render `pages` in turn with `context` (made by `shared` when it is
    /// `None` and a page must be rendered), reusing pages of `previous`
    /// whose fingerprint (`fp`) is unchanged.
    fn render_job(
        &self,
        pages: Vec<Page>,
        context: &mut Option<SharedContext>,
        shared: impl FnOnce() -> tera::Result<SharedContext>,
        fp: impl Fn(&Page) -> u128,
        previous: Option<&PageMap>,
        b: Option<&ProgramBuild>,
    ) -> Result<Vec<Rendered>, Box<Diagnostic>> {
        let mut shared = Some(shared);
        let mut common: Option<Context> = None;
        let mut out = Vec::with_capacity(pages.len());
        for page in pages {
            let fp = fp(&page);
            if let Some((_, html)) = previous
                .and_then(|m| m.get(&page.path))
                .filter(|(old, _)| *old == fp)
            {
                out.push((page.path, Arc::clone(html), fp, false));
                continue;
            }
            let (path, template) = (page.path.clone(), page.template);
            let failed = |e| Box::new(templates::template_error(self.theme, template, &e));
            let c = match context {
                Some(c) => c,
                None => context.insert(shared.take().expect("made once")().map_err(failed)?),
            };
            let common = common.get_or_insert_with(|| self.common_context());
            let html = c.render(&self.tera, page, b, common).map_err(failed)?;
            out.push((path, Arc::from(html.into_bytes()), fp, true));
        }
        if let Some(c) = common {
            self.commons
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(c);
        }
        Ok(out)
    }

    /// A context of what every page has: one lent back by a finished job,
    /// or a new one.
    fn common_context(&self) -> Context {
        let lent = self.commons.lock().unwrap_or_else(|e| e.into_inner()).pop();
        // (An object is always a context: `from_value` fails on no other.)
        lent.unwrap_or_else(|| {
            Context::from_value(serde_json::Value::Object(self.common.clone())).unwrap_or_default()
        })
    }

    /// Put rendered pages into `out`, and into this render's cache under `key`.
    fn finish(
        &self,
        key: &str,
        jobs: Vec<Result<Vec<Rendered>, Box<Diagnostic>>>,
        out: &mut Chunk,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut errors: Vec<Diagnostic> = Vec::new();
        let keep = self.previous.is_some();
        let mut map = PageMap::new();
        let mut rendered = Vec::new();
        for job in jobs {
            match job {
                Ok(pages) => {
                    for (path, html, fp, now) in pages {
                        if keep {
                            if now {
                                rendered.push(path.clone());
                            }
                            map.insert(path.clone(), (fp, Arc::clone(&html)));
                        }
                        out.files.insert(path, OutFile::Bytes(html));
                    }
                }
                Err(d) => {
                    if !errors.iter().any(|e| e.message == d.message) {
                        errors.push(*d);
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if keep {
            let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
            fresh.0.insert(key.to_string(), Arc::new(map));
            fresh.1.append(&mut rendered);
        }
        Ok(())
    }

    /// The pages of each cohort of program `pi` (its results page and
    /// impact report, when the edition shows results).
    fn cohort_jobs(
        &self,
        pages: &Pages,
        pi: usize,
        program: &ProgramViews,
    ) -> Vec<Result<Vec<Rendered>, Box<Diagnostic>>> {
        let keep = self.previous.is_some();
        let previous = self.previous_pages(&views_id(pages, pi));
        program
            .cohorts
            .par_iter()
            .map(|c| {
                let b = &*c.build;
                let list = [
                    crate::kinds::Section::Results,
                    crate::kinds::Section::Impact,
                ]
                .into_iter()
                .filter(|&s| pages.views.shows.section(s))
                .map(|s| pages.cohort_page(pi, s, b, &c.id))
                .collect();
                let view_fp = match keep {
                    true => super::view::site::fingerprint(b),
                    false => 0,
                };
                let fp = |p: &Page| match keep {
                    true => Pages::fingerprint(self.seed, self.common_fp, view_fp, p, Some(b)),
                    false => 0,
                };
                self.render_job(
                    list,
                    &mut None,
                    || SharedContext::section(b),
                    fp,
                    previous,
                    Some(b),
                )
            })
            .collect()
    }

    fn previous_pages(&self, key: &str) -> Option<&PageMap> {
        self.previous
            .and_then(|c| c.programs.get(key))
            .map(|m| &**m)
    }
}

/// Render `template` with `context`, a template error as a diagnostic
/// naming the template and line.
pub(crate) fn render_one<T: serde::Serialize>(
    theme: &Theme,
    tera: &Tera,
    template: &str,
    context: &T,
) -> Result<String, Vec<Diagnostic>> {
    Context::from_serialize(context)
        .and_then(|c| tera.render(template, &c))
        .map_err(|e| vec![templates::template_error(theme, template, &e)])
}

impl Emitter for HtmlPages<'_> {
    fn emit_site(&self, cx: &SiteContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let views = cx.site;
        let pages = Pages { views };
        let keep = self.previous.is_some();
        let list: Vec<Page> = pageset::site(views)
            .into_iter()
            .map(|s| pages.site_page(s))
            .collect();
        let fp = |p: &Page| match keep {
            true => Pages::fingerprint(self.seed, self.common_fp, 0, p, None),
            false => 0,
        };
        let job = self.render_job(
            list,
            &mut None,
            SharedContext::site,
            fp,
            self.previous_pages(""),
            None,
        );
        self.finish("", vec![job], out)
    }

    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let (views, pi, program) = (cx.site, cx.index, cx.views);
        let pages = Pages { views };
        let b = &*program.build;
        let id = &cx.program.id;
        let keep = self.previous.is_some();
        let previous = self.previous_pages(id);
        let header_fp = match keep {
            true => Fingerprint::new().of(&b.header).finish(),
            false => 0,
        };
        let (sections, entities): (Vec<Spec>, Vec<Spec>) = pageset::program(views, pi)
            .into_iter()
            .partition(|s| matches!(s, Spec::Section(..)));
        let section_job = || {
            let list = sections
                .iter()
                .map(|&s| match s {
                    Spec::Section(_, s) => pages.section_page(pi, s, b),
                    _ => unreachable!("partitioned"),
                })
                .collect();
            let fp = |p: &Page| match keep {
                true => {
                    Pages::fingerprint(self.seed, self.common_fp, program.fingerprint, p, Some(b))
                }
                false => 0,
            };
            // What the section context holds: every page's variables and
            // the program's view.
            let key = Fingerprint::new()
                .of_u128(self.common_fp)
                .of_u128(program.fingerprint)
                .finish();
            let mut context = self.previous.and_then(|c| c.take_context(id, key));
            let done = self.render_job(
                list,
                &mut context,
                || SharedContext::section(b),
                fp,
                previous,
                Some(b),
            );
            if let Some(c) = context.filter(|_| keep) {
                let mut kept = self.contexts.lock().unwrap_or_else(|e| e.into_inner());
                kept.insert(id.to_string(), (key, c));
            }
            done
        };
        let entity_jobs = || {
            entities
                .par_chunks(ENTITY_JOB)
                .map(|specs| {
                    let list = specs
                        .iter()
                        .map(|&s| match s {
                            Spec::Entity(_, r) => pages.entity_page(pi, r, b),
                            _ => unreachable!("partitioned"),
                        })
                        .collect();
                    let fp = |p: &Page| match keep {
                        true => {
                            Pages::fingerprint(self.seed, self.common_fp, header_fp, p, Some(b))
                        }
                        false => 0,
                    };
                    self.render_job(
                        list,
                        &mut None,
                        || SharedContext::entity(b),
                        fp,
                        previous,
                        Some(b),
                    )
                })
                .collect::<Vec<_>>()
        };
        let (first, mut rest) = rayon::join(section_job, entity_jobs);
        rest.insert(0, first);
        rest.extend(self.cohort_jobs(&pages, pi, program));
        self.finish(id, rest, out)
    }
}

/// The id of program `pi`, under which its pages are cached.
fn views_id(pages: &Pages, pi: usize) -> String {
    pages.views.programs[pi].id.clone()
}
