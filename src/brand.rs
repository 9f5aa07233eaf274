//! Branding per site and per program: the logo (an image file under the
//! site's `static/` folder, published with it) and the accent colour (a CSS
//! hex colour) that `playbook.yaml` and `program.yaml` may give — each
//! checked where it is written — and the accent's shades for the theme,
//! by WCAG 2 contrast: as given on the light page and in print (a warning,
//! `low-contrast`, when it reads below 4.5:1 there), lightened until it
//! reads on the dark page, each with the text colour that reads on it.

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::yaml::YamlPath;

/// The default theme's light page (`--bg`), the text on it (`--fg`), and
/// the dark page's background and lighter panels (`--bg`, `--soft` in dark
/// mode): what the accent is measured against.
const LIGHT_BG: Rgb = Rgb(0xff, 0xff, 0xff);
const LIGHT_FG: Rgb = Rgb(0x1b, 0x1f, 0x24);
const DARK_BG: Rgb = Rgb(0x11, 0x14, 0x18);
const DARK_SOFT: Rgb = Rgb(0x1a, 0x1f, 0x25);

/// WCAG 2 AA for text: 4.5:1.
const AA: f64 = 4.5;

/// The image files a logo may be (browsers show them in `<img>`).
const IMAGE_EXTENSIONS: [&str; 7] = ["svg", "png", "jpg", "jpeg", "webp", "gif", "avif"];

/// A colour of 8-bit sRGB channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb`, any case.
    pub(crate) fn parse(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize, n: usize| -> Option<u8> {
            let v = u8::from_str_radix(hex.get(i * n..i * n + n)?, 16).ok()?;
            Some(if n == 1 { v * 17 } else { v })
        };
        let n = match hex.len() {
            3 => 1,
            6 => 2,
            _ => return None,
        };
        Some(Rgb(channel(0, n)?, channel(1, n)?, channel(2, n)?))
    }

    /// `#rrggbb`, lowercase.
    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2 relative luminance.
    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// `t` of the way from `self` to `other` (0 is `self`).
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// WCAG 2 contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A ratio as WCAG writes it, never rounded up past what it is: `4.49:1`.
pub(crate) fn ratio(r: f64) -> String {
    format!("{:.2}:1", (r * 100.0).floor() / 100.0)
}

/// The accent's colours for the theme: on the light page and in print,
/// and on the dark page; each with the text colour for text on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Shades {
    pub light: String,
    pub light_fg: String,
    pub dark: String,
    pub dark_fg: String,
}

/// The shades of `accent`: as given on the light page; on the dark page
/// mixed with white, in steps of 5%, until it reads at 4.5:1 on the dark
/// page's panels.
pub(crate) fn shades(accent: Rgb) -> Shades {
    let white = Rgb(0xff, 0xff, 0xff);
    let light_fg = if contrast(accent, white) >= contrast(accent, LIGHT_FG) {
        white
    } else {
        LIGHT_FG
    };
    let dark = (0..=20)
        .map(|i| accent.mix(white, f64::from(i) / 20.0))
        .find(|c| contrast(*c, DARK_SOFT) >= AA)
        .unwrap_or(white);
    Shades {
        light: accent.hex(),
        light_fg: light_fg.hex(),
        dark: dark.hex(),
        dark_fg: DARK_BG.hex(),
    }
}

/// The `logo` and `accent` of `playbook.yaml` or `program.yaml` (file
/// `f`), checked: the logo's path under `static/` and the colour as
/// `#rrggbb`, each `None` when absent or wrong.
pub(crate) fn check(
    f: FileId,
    logo: &Option<String>,
    accent: &Option<Option<String>>,
    diags: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<String>) {
    let at = |key: &str| Loc::Yaml(f, 0, YamlPath::root().key(key));
    (
        logo.as_deref()
            .and_then(|l| self::logo(l, at("logo"), diags)),
        accent
            .as_ref()
            .and_then(|a| self::accent(a, at("accent"), diags)),
    )
}

/// The `accent` written at `at` (`Some(None)`: the key without a value):
/// the colour as `#rrggbb`, or `None` after an error. A colour that reads
/// below 4.5:1 on the light page is a `low-contrast` warning.
pub(crate) fn accent(
    value: &Option<String>,
    at: Loc,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    const HINT: &str = "write a CSS hex colour in quotes, e.g. accent: \"#1f5f8b\"";
    let Some(v) = value else {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                "`accent` is empty (unquoted, `#` starts a YAML comment)",
                at,
            )
            .with_hint(format!("{HINT}: the quotes keep the `#`")),
        );
        return None;
    };
    let Some(c) = Rgb::parse(v.trim()) else {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`accent` must be a hex colour (#rgb or #rrggbb), found `{v}`"),
                at,
            )
            .with_hint(HINT),
        );
        return None;
    };
    let r = contrast(c, LIGHT_BG);
    if r < AA {
        diags.push(
            Diagnostic::warning(
                Code::LowContrast,
                format!(
                    "accent {} has a contrast of {} with the white page: WCAG AA asks for 4.5:1 (text in the accent colour, white text on it)",
                    c.hex(),
                    ratio(r)
                ),
                at,
            )
            .with_hint("choose a darker shade of the colour (dark mode lightens it by itself)"),
        );
    }
    Some(c.hex())
}

/// The form of a `logo` written at `at`: a relative path under `static/`
/// of letters, digits, `.`, `_`, `-` and `/` (a URL as it is), without `..`
/// or hidden parts, to an image file. The path
/// under `static/` (its URL path in the site), or `None` after an error.
pub(crate) fn logo(value: &str, at: Loc, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let rest = value
        .strip_prefix(crate::layout::STATIC)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or("");
    let parts: Vec<&str> = rest.split('/').collect();
    let well_formed = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b))
        && parts
            .iter()
            .all(|p| !p.is_empty() && *p != ".." && !crate::load::is_hidden_or_backup(p));
    if !well_formed {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`logo` must be a file under the site's static/ folder, found `{value}`"),
                at,
            )
            .with_hint("put the image in static/ and write its path from the site folder, e.g. logo: static/logo.svg (letters, digits, `.`, `_`, `-`)"),
        );
        return None;
    }
    let ext = rest
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`logo` must be an image, found `{value}`"),
                at,
            )
            .with_hint(format!(
                "use an image file: {}",
                IMAGE_EXTENSIONS.join(", ")
            )),
        );
        return None;
    }
    Some(rest.to_string())
}

/// Whether the logo `rel` (a path under `static/`) is a file of the site
/// at `root`: an error at `at` when it is missing or lies outside the site
/// (a symbolic link).
pub(crate) fn logo_file(root: &Path, rel: &str, at: Loc, diags: &mut Vec<Diagnostic>) {
    let path = root.join(crate::layout::STATIC).join(rel);
    let shown = format!("static/{rel}");
    match std::fs::canonicalize(&path) {
        Ok(real) => {
            let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            if !real.starts_with(&site) {
                diags.push(
                    Diagnostic::error(
                        Code::OutsideSite,
                        format!("the logo {shown} links to a place outside the site ({})", real.display()),
                        at,
                    )
                    .with_hint("copy the image into static/: playbook publishes only what is inside the site folder"),
                );
            } else if !real.is_file() {
                diags.push(
                    Diagnostic::error(
                        Code::MissingFile,
                        format!("the logo {shown} is not a file"),
                        at,
                    )
                    .with_hint("give the path of an image file under static/"),
                );
            }
        }
        Err(_) => diags.push(
            Diagnostic::error(
                Code::MissingFile,
                format!("the logo {shown} does not exist"),
                at,
            )
            .with_hint("put the image there, or correct the path (from the site folder)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_in_both_lengths_and_any_case() {
        assert_eq!(Rgb::parse("#1F5f8b"), Some(Rgb(0x1f, 0x5f, 0x8b)));
        assert_eq!(Rgb::parse("#fc0"), Some(Rgb(0xff, 0xcc, 0x00)));
        for bad in [
            "1f5f8b", "#12345", "#ggg", "#", "red", "#1f5f8b0", "#+1f5f8",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(0xff, 0xcc, 0).hex(), "#ffcc00");
    }

    #[test]
    fn contrast_is_wcag_2() {
        let white = Rgb(255, 255, 255);
        let black = Rgb(0, 0, 0);
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #767676 on white is 4.54:1.
        assert_eq!(ratio(contrast(Rgb(0x76, 0x76, 0x76), white)), "4.54:1");
        // Never rounded up to a pass.
        assert_eq!(ratio(4.499), "4.49:1");
    }

    #[test]
    fn every_accent_reads_on_the_dark_page_and_its_text_reads_on_it() {
        for c in [
            Rgb(0x1f, 0x5f, 0x8b),
            Rgb(0, 0, 0),
            Rgb(0x8a, 0x1c, 0x7c),
            Rgb(0xff, 0xcc, 0),
            Rgb(0xff, 0xff, 0xff),
        ] {
            let s = shades(c);
            let dark = Rgb::parse(&s.dark).unwrap();
            assert!(contrast(dark, DARK_SOFT) >= AA, "{s:?}");
            assert!(
                contrast(dark, Rgb::parse(&s.dark_fg).unwrap()) >= AA,
                "{s:?}"
            );
            assert_eq!(s.light, c.hex());
        }
        // White text on a dark accent, dark text on a light one.
        assert_eq!(shades(Rgb(0x1f, 0x5f, 0x8b)).light_fg, "#ffffff");
        assert_eq!(shades(Rgb(0xff, 0xcc, 0)).light_fg, "#1b1f24");
        // An accent that reads already is kept as it is.
        assert_eq!(shades(Rgb(0xff, 0xcc, 0)).dark, "#ffcc00");
    }
}
