//! The views of a whole site, read by every output: the site's URL scheme
//! and header, a link to and a summary of every program ([`SiteViews`],
//! cheap, made once per render), and each program's full views
//! ([`ProgramViews`], made per program while it is rendered and dropped
//! after, so that a build holds only a few at a time). With a
//! [`ViewCache`] (kept by `serve` between renders) a program whose graph is
//! unchanged keeps its views.

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::BaseUrl;
use crate::edition::{Edition, Shows};
use crate::graph::{Program, Site};
use crate::markdown::RawHtml;

use super::super::fingerprint::Fingerprint;
use super::super::format::shorten;
use super::super::urls::{SiteUrls, SEARCH_FILE};
use super::build::{self, ProgramBuild, SiteBrand};
use super::cohorts::{self, CohortBuild};
use super::{BrandView, GapView, LinkView, ProgramSummary, SiteView};

/// Build-time choices that are not in `playbook.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of `playbook.yaml`.
    pub base_url: Option<String>,
    /// Include programs marked `draft: true`.
    pub drafts: bool,
    /// Overrides `site_url` of `playbook.yaml` (an absolute URL).
    pub site_url: Option<String>,
    /// Which edition to build.
    pub edition: Edition,
}

/// A program's views as an earlier render made them, and what they were
/// made from.
struct Cached {
    /// The graph they were made from (kept, so that its address cannot
    /// be taken by another program while this entry exists).
    program: Arc<Program>,
    gaps: Vec<GapView>,
    base: String,
    raw: RawHtml,
    shows: Shows,
    brand: SiteBrand,
    views: ProgramViews,
}

/// Every program's views of an earlier render, by program id.
#[derive(Default)]
pub(crate) struct ViewCache {
    programs: HashMap<String, Cached>,
}

/// A program's views, with a key for what they were made from and their
/// fingerprint.
#[derive(Clone)]
pub(crate) struct ProgramViews {
    pub build: Arc<ProgramBuild>,
    /// Each cohort's run and views, by start (FORMAT.md v1.2).
    pub cohorts: Vec<super::cohorts::CohortBuild>,
    /// With cohorts: the program as its own pages and exports show it, with
    /// the latest cohort's results (`build` is made from it).
    pub figures: Option<Arc<Program>>,
    /// Stands for the program's inputs (graph, coverage gaps, base URL,
    /// raw HTML setting, the site's branding): equal keys, equal views. 0
    /// without a cache.
    pub key: u128,
    /// A fingerprint of the views (0 without a cache).
    pub fingerprint: u128,
}

impl ViewCache {
    /// The views of published program `pi` made by an earlier render,
    /// when its inputs are unchanged: the same graph (by identity: `serve`
    /// keeps the graph of an unchanged program), coverage gaps, base URL
    /// and raw HTML setting.
    pub(crate) fn lookup(&self, views: &SiteViews, pi: usize) -> Option<ProgramViews> {
        let p = &views.programs[pi];
        let c = self.programs.get(&p.id)?;
        let same = Arc::ptr_eq(&c.program, p)
            && c.base == views.urls.base()
            && c.raw == views.raw
            && c.shows == views.shows
            && c.brand == views.brand
            && c.gaps == views.gaps[pi];
        same.then(|| c.views.clone())
    }

    /// Keep the views of published program `pi` for the next render.
    pub(crate) fn store(&mut self, views: &SiteViews, pi: usize, made: ProgramViews) {
        let p = &views.programs[pi];
        self.programs.insert(
            p.id.clone(),
            Cached {
                program: Arc::clone(p),
                gaps: views.gaps[pi].clone(),
                base: views.urls.base().to_string(),
                raw: views.raw,
                shows: views.shows,
                brand: views.brand.clone(),
                views: made,
            },
        );
    }

    /// The last views made of the program `id`, whatever they were made
    /// from: parts of them may still serve.
    pub(crate) fn last(&self, id: &str) -> Option<&ProgramBuild> {
        self.programs.get(id).map(|c| &*c.views.build)
    }

    /// Forget programs that are no longer published.
    pub(crate) fn retain(&mut self, ids: &[&str]) {
        self.programs.retain(|id, _| ids.contains(&id.as_str()));
    }
}

/// A fingerprint of a program's views as its section pages show them
/// (session bodies are part of the pages that show them).
pub(crate) fn fingerprint(b: &ProgramBuild) -> u128 {
    Fingerprint::new().of(&b.view).finish()
}

/// What every output of a render is made from.
pub(crate) struct SiteViews<'a> {
    pub site: &'a Site,
    pub urls: SiteUrls,
    /// The absolute URL the site is published at, ending in `/`: the base
    /// URL when it is absolute, else the `site_url` given.
    pub published: Option<String>,
    pub site_view: SiteView,
    /// A link to every published program.
    pub program_links: Vec<LinkView>,
    /// The published programs (drafts only with `--drafts`), as the
    /// edition shows them.
    pub programs: Vec<Arc<Program>>,
    /// Their summaries, for the home page, in the same order.
    pub summaries: Vec<ProgramSummary>,
    /// What raw HTML in markdown becomes.
    pub raw: RawHtml,
    /// Each published program's warnings (coverage gaps, shown on its
    /// traceability page), in the order of `programs`.
    pub gaps: Vec<Vec<GapView>>,
    /// What the edition shows.
    pub shows: Shows,
    /// The site's logo and accent, for programs without their own.
    pub brand: SiteBrand,
    /// The session library's guides, for `/library/` (none: no page).
    pub library: Vec<super::library::LibraryView>,
}

impl<'a> SiteViews<'a> {
    /// The programs of `site` that a render with `opts` publishes, in the
    /// form its edition shows them: `edition(p)` makes a program's
    /// participant form (the render keeps them between renders).
    pub(crate) fn published(
        site: &Site,
        opts: &RenderOptions,
        mut edition: impl FnMut(&Arc<Program>, Shows) -> Arc<Program>,
    ) -> Vec<Arc<Program>> {
        let shows = Shows::new(opts.edition, site.config.participant_results)
            .with_min_raters(site.config.min_raters);
        site.programs
            .iter()
            .filter(|p| opts.drafts || !p.draft)
            .map(|p| match shows.participant() {
                false => Arc::clone(p),
                true => edition(p, shows),
            })
            .collect()
    }

    /// The views of `site` as a whole, whose published programs are
    /// `programs` (see [`SiteViews::published`]).
    pub(crate) fn new(
        site: &'a Site,
        opts: &RenderOptions,
        gaps: &crate::coverage::Gaps,
        programs: Vec<Arc<Program>>,
    ) -> Self {
        let base = opts
            .base_url
            .as_deref()
            .map(BaseUrl::parse)
            .unwrap_or_else(|| site.config.base_url.clone());
        let published = if base.is_absolute() {
            Some(base.clone())
        } else {
            opts.site_url
                .as_deref()
                .map(BaseUrl::parse)
                .or_else(|| site.config.site_url.clone())
        }
        .map(String::from);
        let urls = SiteUrls::new(base);
        let raw = site.config.raw_html;
        let shows = Shows::new(opts.edition, site.config.participant_results)
            .with_min_raters(site.config.min_raters);
        let overview = |p: &Program| {
            urls.program(&p.id)
                .section(crate::kinds::Section::Overview)
                .url
        };
        let program_links = programs
            .iter()
            .map(|p| LinkView {
                id: p.id.clone(),
                title: super::super::format::title(&p.title),
                url: overview(p),
            })
            .collect();
        let summaries = programs
            .iter()
            .map(|p| ProgramSummary {
                id: p.id.clone(),
                title: p.title.clone(),
                url: overview(p),
                organization: p.organization.clone(),
                audience: p.audience.clone(),
                start: build::span(p).0.map(super::super::format::date),
                end: build::span(p).1.map(super::super::format::date),
                cohorts: p.cohorts.len(),
                latest_cohort: p.cohorts.last().map(|c| c.title.clone()),
                summary_text: shorten(
                    &p.summary
                        .as_ref()
                        .map(|t| crate::markdown::to_plain(&t.src, raw))
                        .unwrap_or_default(),
                    220,
                ),
                sessions: p.sessions.len(),
                draft: p.draft,
                search: urls.program(&p.id).file(SEARCH_FILE).url,
            })
            .collect();
        let site_view = SiteView {
            title: super::super::format::title(&site.config.title),
            description: site.config.description.as_deref().map(|d| shorten(d, 300)),
            language: site.config.language.clone(),
            base_url: urls.base().to_string(),
            home_url: urls.home().url,
            css_url: urls.file("style.css").url,
            favicon_url: urls.file("favicon.svg").url,
            search_js_url: urls.file("search.js").url,
            minisearch_url: urls.file("minisearch.js").url,
            rating_max: crate::graph::RATING_SCALE.1,
            edition: shows.name(),
            show_results: shows.results,
            brand: BrandView::new(
                &urls,
                site.config.logo.as_deref(),
                site.config.accent.as_deref(),
            ),
        };
        let brand = SiteBrand {
            logo: site.config.logo.clone(),
            accent: site.config.accent.clone(),
        };
        let gaps = gap_views(&programs, gaps);
        let library = super::library::library(site, &programs, &urls, shows.participant());
        SiteViews {
            library,
            site,
            urls,
            published,
            site_view,
            program_links,
            programs,
            summaries,
            raw,
            gaps,
            shows,
            brand,
        }
    }

    /// The views of published program `pi`, made afresh (but for what
    /// `previous`, its last views, still holds).
    pub(crate) fn program_views(&self, pi: usize, previous: Option<&ProgramBuild>) -> ProgramViews {
        let p = &self.programs[pi];
        let make = |q: &Program, previous: Option<&ProgramBuild>| {
            build::program(
                q,
                &self.urls,
                self.gaps[pi].clone(),
                (self.raw, self.shows),
                &self.brand,
                previous,
            )
        };
        // A program with cohorts shows on its own pages (results, metrics,
        // evaluation, impact report) the latest cohort's figures.
        let latest = p
            .cohorts
            .last()
            .map(|c| Arc::new(cohorts::latest_figures(p, c)));
        let mut main = make(latest.as_deref().unwrap_or(p), previous);
        let purls = self.urls.program(&p.id);
        let mut runs: Vec<CohortBuild> = p
            .cohorts
            .iter()
            .map(|c| {
                let q = cohorts::run(p, c);
                let b = make(&q, Some(&main));
                CohortBuild {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    program: Arc::new(q),
                    build: Arc::new(b),
                }
            })
            .collect();
        if !runs.is_empty() {
            let list: Vec<_> = runs
                .iter()
                .map(|r| cohorts::link(r, &purls, self.shows.results))
                .collect();
            let compare = self
                .shows
                .results
                .then(|| purls.section(crate::kinds::Section::Results).url);
            for (i, (r, l)) in runs.iter_mut().zip(&list).enumerate() {
                let b = Arc::get_mut(&mut r.build).expect("made above");
                cohorts::point_at(b, l);
                b.view.cohorts = Some(super::cohort_view::CohortsView {
                    list: cohorts::neighbours(&list, i).to_vec(),
                    compare_url: compare.clone(),
                    current: Some(l.clone()),
                    comparison: None,
                    dates: Vec::new(),
                });
            }
            let from = list.last().map(|l| super::cohort_view::FiguresFrom {
                cohort: l.title.clone(),
                compare_url: compare.clone(),
            });
            main.header.figures_from = from.clone();
            main.view.header.figures_from = from;
            main.view.cohorts = Some(super::cohort_view::CohortsView {
                dates: cohorts::dates(&main, &runs),
                comparison: Some(cohorts::comparison(p, &main, &runs)),
                list,
                compare_url: compare,
                current: None,
            });
        }
        ProgramViews {
            build: Arc::new(main),
            cohorts: runs,
            figures: latest,
            key: 0,
            fingerprint: 0,
        }
    }
}

/// The coverage gaps of each of `programs`, for its traceability page,
/// in the order of their warnings.
fn gap_views(programs: &[Arc<Program>], gaps: &crate::coverage::Gaps) -> Vec<Vec<GapView>> {
    programs
        .iter()
        .map(|p| {
            let placed = gaps.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            placed
                .iter()
                .map(|g| {
                    let f = g.reported.file.as_deref().unwrap_or_default();
                    GapView {
                        code: g.gap.what.code(),
                        message: g.gap.message.clone(),
                        location: match g.reported.line {
                            Some(l) => format!("{f}:{l}"),
                            None => f.to_string(),
                        },
                    }
                })
                .collect()
        })
        .collect()
}
