//! HTML pages: the [`Emitter`] that renders every page of the
//! [page set](super::pageset) through the theme's Tera templates, in
//! parallel.
//!
//! A page is a pure function of the templates and its context, so with an
//! [`HtmlCache`] kept between renders (by `serve`) every page whose
//! fingerprint — a hash of the templates and of the page's context — is
//! unchanged is reused: an edit to one session guide re-renders that
//! session and the pages that list it, nothing else. The work is split
//! into jobs (one page, or all section pages of a program, which share one
//! `SectionContext` holding the program's view).

pub mod cache;
mod pages;
mod templates;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::kinds::Section;
use crate::output::{OutFile, Output};
use crate::theme::Theme;

use super::emit::Emitter;
use super::fingerprint::Fingerprint;
use super::pageset::{self, Spec};
use super::view::site::SiteViews;
use cache::HtmlCache;
use pages::{json, Page, Pages, Vars};

/// The HTML pages of a site.
pub struct HtmlPages<'a> {
    theme: &'a Theme,
    tera: Arc<Tera>,
    /// A fingerprint of every template (0 without a cache).
    seed: u128,
    cache: Option<&'a mut HtmlCache>,
}

impl<'a> HtmlPages<'a> {
    /// Parse the theme's templates (or take them from the cache while
    /// their sources are unchanged).
    pub fn new(
        theme: &'a Theme,
        mut cache: Option<&'a mut HtmlCache>,
    ) -> Result<Self, Vec<Diagnostic>> {
        // Fingerprints are only worth their cost when there is a cache to use.
        let seed = match &cache {
            Some(_) => Fingerprint::new().of_json(&theme.templates).finish(),
            None => 0,
        };
        let tera = match cache.as_deref_mut() {
            Some(c) => match &c.tera {
                Some((fp, tera)) if *fp == seed => Arc::clone(tera),
                _ => {
                    let tera = Arc::new(templates::build_tera(theme)?);
                    c.tera = Some((seed, Arc::clone(&tera)));
                    tera
                }
            },
            None => Arc::new(templates::build_tera(theme)?),
        };
        Ok(HtmlPages {
            theme,
            tera,
            seed,
            cache,
        })
    }
}

impl HtmlPages<'_> {
    /// The parsed templates, for other outputs rendered through the theme.
    pub fn tera(&self) -> Arc<Tera> {
        Arc::clone(&self.tera)
    }
}

/// Render `template` with `context`, a template error as a diagnostic
/// naming the template and line.
pub fn render_one<T: serde::Serialize>(
    theme: &Theme,
    tera: &Tera,
    template: &str,
    context: &T,
) -> Result<String, Vec<Diagnostic>> {
    Context::from_serialize(context)
        .and_then(|c| tera.render(template, &c))
        .map_err(|e| vec![templates::template_error(theme, template, &e)])
}

/// A unit of the parallel render: one page, or every section page of a
/// program, rendered in turn with one shared context.
#[derive(Clone, Copy)]
enum Job {
    Page(Spec),
    Sections(usize),
}

/// A rendered (or reused) page: path, bytes, context fingerprint, cheap
/// key, and whether it was rendered now.
type Rendered = (String, Arc<[u8]>, u128, Option<u128>, bool);

/// A page reused from the cache, or its context (and fingerprint and cheap
/// key) to render it from.
enum Step {
    Reused(Rendered),
    Render(Page, u128, Option<u128>),
}

impl Emitter for HtmlPages<'_> {
    fn name(&self) -> &'static str {
        "HTML pages"
    }

    fn emit(&mut self, views: &SiteViews, out: &mut Output) -> Result<(), Vec<Diagnostic>> {
        let mut common = Vars::new();
        common.insert("site".into(), json(&views.site_view));
        common.insert("programs".into(), json(&views.program_links));
        let previous = self.cache.as_deref();
        let common_fp = match previous {
            Some(_) => Fingerprint::new().of_json(&common).finish(),
            None => 0,
        };
        let seed = self.seed;
        // The cheap key of a program's page (see `HtmlCache::by_program`).
        let program_key = |spec: Spec| -> Option<u128> {
            let pi = match spec {
                Spec::Section(pi, _) | Spec::Entity(pi, _) => pi,
                Spec::Home | Spec::NotFound => return None,
            };
            let mut h = DefaultHasher::new();
            spec.hash(&mut h);
            Some(
                Fingerprint::new()
                    .of_u128(seed)
                    .of_u128(common_fp)
                    .of_u128(views.fingerprints[pi])
                    .of_u128(u128::from(h.finish()))
                    .finish(),
            )
        };
        let pages = Pages {
            views,
            common: &common,
        };
        let prepare = |spec: Spec| -> Step {
            let key = previous.and_then(|_| program_key(spec));
            if let Some((path, fp, html)) =
                key.and_then(|k| previous.and_then(|c| c.by_program.get(&k)))
            {
                return Step::Reused((path.clone(), Arc::clone(html), *fp, key, false));
            }
            let page = pages.page(spec);
            let fp = match previous {
                Some(_) => pages.fingerprint(seed, &page),
                None => 0,
            };
            match previous
                .and_then(|c| c.pages.get(&page.path))
                .filter(|(old, _)| *old == fp)
            {
                Some((_, html)) => Step::Reused((page.path, Arc::clone(html), fp, key, false)),
                None => Step::Render(page, fp, key),
            }
        };
        let theme = self.theme;
        let done = |path: String, template: &str, fp, key, html: tera::Result<String>| {
            html.map(|h| (path, Arc::from(h.into_bytes()), fp, key, true))
                .map_err(|e| Box::new(templates::template_error(theme, template, &e)))
        };
        // Every page, described cheaply; contexts are built inside the
        // parallel render so that only a few exist at a time.
        let jobs: Vec<Job> = pageset::all(views)
            .into_iter()
            .filter_map(|spec| match spec {
                Spec::Section(pi, Section::Overview) => Some(Job::Sections(pi)),
                Spec::Section(..) => None,
                spec => Some(Job::Page(spec)),
            })
            .collect();
        let tera = &self.tera;
        let rendered: Vec<Result<Rendered, Box<Diagnostic>>> = jobs
            .par_iter()
            .flat_map_iter(|job| match *job {
                Job::Page(spec) => vec![match prepare(spec) {
                    Step::Reused(r) => Ok(r),
                    Step::Render(page, fp, key) => {
                        let context = Context::from_value(serde_json::Value::Object(page.vars))
                            .unwrap_or_default();
                        let html = tera.render(page.template, &context);
                        done(page.path, page.template, fp, key, html)
                    }
                }],
                Job::Sections(pi) => {
                    let mut shared = None;
                    Section::ALL
                        .iter()
                        .map(|&s| match prepare(Spec::Section(pi, s)) {
                            Step::Reused(r) => Ok(r),
                            Step::Render(page, fp, key) => {
                                let (path, template) = (page.path.clone(), page.template);
                                let html = shared
                                    .get_or_insert_with(|| pages.section_context(pi))
                                    .render(tera, page);
                                done(path, template, fp, key, html)
                            }
                        })
                        .collect()
                }
            })
            .collect();
        let keep = self.cache.is_some();
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut kept = HashMap::new();
        let mut by_program = HashMap::new();
        let mut fresh = Vec::new();
        for r in rendered {
            match r {
                Ok((path, html, fp, key, was_rendered)) => {
                    if keep {
                        if was_rendered {
                            fresh.push(path.clone());
                        }
                        if let Some(k) = key {
                            by_program.insert(k, (path.clone(), fp, Arc::clone(&html)));
                        }
                        kept.insert(path.clone(), (fp, Arc::clone(&html)));
                    }
                    out.files.insert(path, OutFile::Bytes(html));
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
        if let Some(c) = self.cache.as_deref_mut() {
            c.pages = kept;
            c.by_program = by_program;
            fresh.sort();
            c.rendered = fresh;
        }
        Ok(())
    }
}
