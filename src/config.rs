//! Site configuration: finding the site root, reading `playbook.yaml`, and
//! parsing a base URL (`BaseUrl`, for `base_url`, `site_url` and the flags
//! that override them).

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::raw_html::RawHtml;

/// Others' figures need this many distinct raters unless `min_raters`
/// says otherwise.
pub(crate) const DEFAULT_MIN_RATERS: u32 = 3;

/// The name of the file that marks a site root.
pub(crate) use crate::layout::CONFIG_FILE;

/// `playbook.yaml`: the site's configuration (it marks the site root).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigDoc {
    /// The site's name.
    pub title: String,
    /// The prefix of every link: `/` (default), a sub-path such as
    /// `/playbooks/`, or an absolute URL.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The absolute URL the site is published at (for sitemap.xml), when
    /// `base_url` is a path, e.g. `https://example.org/playbooks/`.
    #[serde(default)]
    pub site_url: Option<String>,
    /// One sentence about the site, shown on the home page and in the footer.
    #[serde(default)]
    pub description: Option<String>,
    /// The pages' language (html lang), default `en`.
    #[serde(default)]
    pub language: Option<String>,
    /// The name of a folder under themes/ (lowercase letters, digits and
    /// `-`; not a path), default `default`.
    #[serde(default)]
    #[schemars(pattern(r"^[a-z0-9][a-z0-9-]*$"))]
    pub theme: Option<String>,
    /// Where `playbook build` writes, default `public`.
    #[serde(default)]
    pub output_dir: Option<String>,
    /// How markdown is rendered (raw HTML in it, for example).
    #[serde(default)]
    pub markdown: Option<MarkdownDoc>,
    /// The participant edition (`playbook build --edition participant`).
    #[serde(default)]
    pub participant: Option<ParticipantDoc>,
    /// A logo for every page (a program's `logo` replaces it on its
    /// pages): an image file under the site's `static/` folder, e.g.
    /// `static/logo.svg`.
    #[serde(default)]
    #[schemars(pattern(r"^static/"))]
    pub logo: Option<String>,
    /// The accent colour of every page (a program's `accent` replaces it
    /// on its pages), a CSS hex colour in quotes (`"#1f5f8b"`: unquoted,
    /// `#` starts a YAML comment).
    #[serde(default, deserialize_with = "crate::model::present")]
    #[schemars(with = "String", pattern(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"))]
    pub accent: Option<Option<String>>,
    /// Anonymity of others' survey ratings (FORMAT.md v1.2): a peer's,
    /// direct report's or other rater's figure is shown only when at
    /// least this many distinct raters stand behind it (a manager's needs
    /// one). Default 3.
    // Read as any YAML value and checked where it is written
    // (`resolve::check_min_raters`): 0, a negative or a fractional number
    // is an error at its line.
    #[serde(default)]
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub min_raters: Option<serde_yaml::Value>,
}

/// `participant:` of `playbook.yaml`: what the participant edition shows
/// beyond the program and the participants' parts of the sessions.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantDoc {
    /// Show the measured results (results and impact pages, each metric's
    /// actual and status, participants' comments): `false` by default.
    #[serde(default)]
    pub results: bool,
}

/// `markdown:` of `playbook.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkdownDoc {
    /// What raw HTML in markdown becomes: `sanitize` (default), `escape`, `allow`.
    #[serde(default)]
    pub raw_html: Option<RawHtml>,
}

impl ConfigDoc {
    /// The configuration of a site whose `playbook.yaml` could not be read.
    pub fn untitled() -> Self {
        ConfigDoc {
            title: "Playbook".into(),
            base_url: None,
            site_url: None,
            description: None,
            language: None,
            theme: None,
            output_dir: None,
            markdown: None,
            participant: None,
            logo: None,
            accent: None,
            min_raters: None,
        }
    }
}

/// The site configuration with defaults applied.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    /// Always starts and ends with `/` (or is an absolute URL ending in `/`).
    pub base_url: BaseUrl,
    /// The absolute URL the site is published at, ending in `/`: the
    /// `base_url` when it is absolute, else `site_url`.
    pub site_url: Option<BaseUrl>,
    pub description: Option<String>,
    pub language: String,
    pub theme: String,
    pub output_dir: String,
    pub raw_html: RawHtml,
    /// The participant edition shows the measured results.
    pub participant_results: bool,
    /// The logo of every page: a path under `static/` (checked by
    /// [`crate::resolve::config`]).
    pub logo: Option<String>,
    /// The accent colour of every page, `#rrggbb` (checked).
    pub accent: Option<String>,
    /// Others' figures need this many distinct raters (at least 1).
    pub min_raters: u32,
}

impl From<ConfigDoc> for SiteConfig {
    fn from(d: ConfigDoc) -> Self {
        SiteConfig {
            title: d.title,
            base_url: BaseUrl::parse(d.base_url.as_deref().unwrap_or("/")),
            site_url: d
                .site_url
                .as_deref()
                .and_then(BaseUrl::absolute)
                .or_else(|| d.base_url.as_deref().and_then(BaseUrl::absolute)),
            description: d.description,
            language: d.language.unwrap_or_else(|| "en".into()),
            theme: d.theme.unwrap_or_else(|| "default".into()),
            output_dir: d.output_dir.unwrap_or_else(|| "public".into()),
            raw_html: d.markdown.and_then(|m| m.raw_html).unwrap_or_default(),
            participant_results: d.participant.is_some_and(|p| p.results),
            min_raters: d
                .min_raters
                .as_ref()
                .and_then(min_raters)
                .unwrap_or(DEFAULT_MIN_RATERS),
            // Set once checked (`resolve::config`).
            logo: None,
            accent: None,
        }
    }
}

/// `min_raters` as written, when it is a whole number of at least 1
/// (that fits a `u32`).
pub(crate) fn min_raters(v: &serde_yaml::Value) -> Option<u32> {
    v.as_u64()
        .filter(|n| *n >= 1)
        .and_then(|n| u32::try_from(n).ok())
}

/// A base URL (`base_url`, `site_url`, `--base-url`, `--site-url`),
/// parsed once: a path that starts and ends with `/`, or an absolute URL
/// that ends with `/`. Serialized as the string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// `playbooks` → `/playbooks/`; `https://x.org/a` → `https://x.org/a/`.
    pub fn parse(s: &str) -> BaseUrl {
        let s = s.trim();
        let mut out = if s.contains("://") || s.starts_with('/') {
            s.to_string()
        } else {
            format!("/{s}")
        };
        if !out.ends_with('/') {
            out.push('/');
        }
        BaseUrl(out)
    }

    /// `s` parsed when it is an absolute `http(s)` URL (as `site_url` and
    /// `--site-url` must be).
    pub fn absolute(s: &str) -> Option<BaseUrl> {
        is_absolute_url(s).then(|| BaseUrl::parse(s))
    }

    /// Whether it is an absolute `http(s)` URL.
    pub fn is_absolute(&self) -> bool {
        is_absolute_url(&self.0)
    }

    /// Its path: `/sub/` for `/sub/` and for `https://x.org/sub/`, `/` for
    /// `https://x.org/`.
    pub fn path(&self) -> &str {
        match self.0.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => &self.0,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<BaseUrl> for String {
    fn from(u: BaseUrl) -> String {
        u.0
    }
}

/// Whether `u` is an absolute `http(s)` URL.
fn is_absolute_url(u: &str) -> bool {
    let u = u.trim().to_ascii_lowercase();
    (u.starts_with("https://") || u.starts_with("http://")) && u.len() > "https://".len()
}

/// The nearest folder at or above `start` that holds `playbook.yaml`.
pub(crate) fn find_root(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalized() {
        let parse = |s| BaseUrl::parse(s).as_str().to_string();
        assert_eq!(parse("/"), "/");
        assert_eq!(parse("playbooks"), "/playbooks/");
        assert_eq!(parse("/playbooks"), "/playbooks/");
        assert_eq!(parse("https://example.org/p"), "https://example.org/p/");
    }

    #[test]
    fn base_url_paths() {
        let path = |s| BaseUrl::parse(s).path().to_string();
        assert_eq!(path("/"), "/");
        assert_eq!(path("/sub/"), "/sub/");
        assert_eq!(path("https://example.org/sub/"), "/sub/");
        assert_eq!(path("https://example.org"), "/");
    }

    #[test]
    fn site_urls_are_absolute() {
        assert!(BaseUrl::absolute("https://x.org").is_some_and(|u| u.is_absolute()));
        assert!(BaseUrl::absolute("HTTP://x.org/a").is_some());
        assert!(BaseUrl::absolute("/pb/").is_none());
        assert!(BaseUrl::absolute("https://").is_none());
        assert!(!BaseUrl::parse("/pb/").is_absolute());
    }
}
