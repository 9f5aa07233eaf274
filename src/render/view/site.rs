//! The views of a whole site, built once per render and read by every
//! output: the site's URL scheme and header, a link to every program, and
//! each published program's views. With a [`ViewCache`] (kept by `serve`
//! between renders) a program whose graph is unchanged keeps its views.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Reported, Severity};
use crate::graph::{Program, Site};
use crate::markdown::RawHtml;

use super::super::fingerprint::Fingerprint;
use super::super::urls::SiteUrls;
use super::build::{self, ProgramBuild};
use super::{GapView, LinkView, SiteView};

/// Build-time choices that are not in `playbook.yaml`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Overrides `base_url` of `playbook.yaml`.
    pub base_url: Option<String>,
    /// Include programs marked `draft: true`.
    pub drafts: bool,
    /// Overrides `site_url` of `playbook.yaml` (an absolute URL).
    pub site_url: Option<String>,
}

/// Every program's views of an earlier render, by program id: the
/// fingerprint of what they were made from (graph, coverage gaps, base
/// URL), the views, and the fingerprint of the views.
#[derive(Default)]
pub struct ViewCache {
    programs: HashMap<String, (u128, Arc<ProgramBuild>, u128)>,
}

/// What every output of a render is made from.
pub struct SiteViews<'a> {
    pub site: &'a Site,
    pub urls: SiteUrls,
    /// The absolute URL the site is published at, ending in `/`: the base
    /// URL when it is absolute, else the `site_url` given.
    pub published: Option<String>,
    pub site_view: SiteView,
    /// A link to every published program.
    pub program_links: Vec<LinkView>,
    /// The published programs (drafts only with `--drafts`).
    pub programs: Vec<&'a Program>,
    /// Their views, in the same order.
    pub builds: Vec<Arc<ProgramBuild>>,
    /// The fingerprint of each program's views (0 when rendering without a
    /// cache: nothing to compare with).
    pub fingerprints: Vec<u128>,
    /// The fingerprint of each program's inputs, for the next render.
    keys: Vec<u128>,
}

impl<'a> SiteViews<'a> {
    /// Build the views of `site`. `warnings` (coverage gaps) are shown on
    /// traceability pages. With a `cache`, unchanged programs keep their
    /// views and fingerprints are computed.
    pub fn build(
        site: &'a Site,
        opts: &RenderOptions,
        warnings: &[Reported],
        cache: Option<&ViewCache>,
    ) -> Self {
        let base = opts
            .base_url
            .as_deref()
            .map(crate::config::normalize_base_url)
            .unwrap_or_else(|| site.config.base_url.clone());
        let published = if crate::config::is_absolute_url(&base) {
            Some(base.clone())
        } else {
            opts.site_url
                .as_deref()
                .map(crate::config::normalize_base_url)
                .or_else(|| site.config.site_url.clone())
        };
        let urls = SiteUrls::new(base);
        let programs: Vec<&Program> = site
            .programs
            .iter()
            .filter(|p| opts.drafts || !p.draft)
            .collect();
        let program_links = programs
            .iter()
            .map(|p| LinkView {
                id: p.id.clone(),
                title: p.title.clone(),
                url: urls
                    .program(&p.id)
                    .section(crate::kinds::Section::Overview)
                    .url,
            })
            .collect();
        let site_view = SiteView {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            language: site.config.language.clone(),
            base_url: urls.base().to_string(),
            home_url: urls.home().url,
            css_url: urls.file("style.css").url,
            favicon_url: urls.file("favicon.svg").url,
            rating_max: crate::graph::RATING_SCALE.1,
        };
        let made: Vec<(Arc<ProgramBuild>, u128, u128)> = programs
            .par_iter()
            .map(|p| program_views(p, &urls, warnings, site.config.raw_html, cache))
            .collect();
        let mut views = SiteViews {
            site,
            urls,
            published,
            site_view,
            program_links,
            programs,
            builds: Vec::with_capacity(made.len()),
            fingerprints: Vec::with_capacity(made.len()),
            keys: Vec::with_capacity(made.len()),
        };
        for (b, key, fp) in made {
            views.builds.push(b);
            views.keys.push(key);
            views.fingerprints.push(fp);
        }
        views
    }

    /// What the next render may reuse.
    pub fn to_cache(&self) -> ViewCache {
        ViewCache {
            programs: self
                .programs
                .iter()
                .zip(&self.builds)
                .zip(self.keys.iter().zip(&self.fingerprints))
                .map(|((p, b), (k, fp))| (p.id.clone(), (*k, Arc::clone(b), *fp)))
                .collect(),
        }
    }
}

/// The coverage warnings about program `p`, for its traceability page.
fn gaps(p: &Program, warnings: &[Reported]) -> Vec<GapView> {
    let prefix = format!("content/{}/", p.id);
    warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .filter(|w| w.file.as_deref().is_some_and(|f| f.starts_with(&prefix)))
        .map(|w| GapView {
            code: w.code,
            message: w.message.clone(),
            location: match (&w.file, w.line) {
                (Some(f), Some(l)) => format!("{f}:{l}"),
                (Some(f), None) => f.clone(),
                _ => String::new(),
            },
        })
        .collect()
}

/// A program's views, the fingerprint of its inputs and of its views
/// (both 0 without a cache); reused from the cache when the inputs match.
fn program_views(
    p: &Program,
    urls: &SiteUrls,
    warnings: &[Reported],
    raw: RawHtml,
    cache: Option<&ViewCache>,
) -> (Arc<ProgramBuild>, u128, u128) {
    let gaps = gaps(p, warnings);
    let Some(cache) = cache else {
        return (Arc::new(build::program(p, urls, gaps, raw)), 0, 0);
    };
    let key = Fingerprint::new()
        .of_debug(p)
        .of_json(&gaps)
        .of_json(urls.base())
        .of_json(&raw)
        .finish();
    if let Some((_, b, fp)) = cache.programs.get(&p.id).filter(|(k, _, _)| *k == key) {
        return (Arc::clone(b), key, *fp);
    }
    let b = build::program(p, urls, gaps, raw);
    let fp = Fingerprint::new()
        .of_json(&b.header)
        .of_json(&b.view)
        .of_json(&b.bodies)
        .of_json(&b.guide_bodies)
        .finish();
    (Arc::new(b), key, fp)
}
