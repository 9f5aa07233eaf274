//! `/<program>/calendar.ics`: every dated session as an all-day event
//! (RFC 5545, written by the `icalendar` crate: CRLF, folded lines,
//! escaped text). UIDs are stable — program (and cohort) and session id
//! under the site's host — so that importing a new version updates the events
//! instead of duplicating them, and DTSTAMP is the program's first day, so
//! that two builds of one playbook are byte-identical.
//!
//! Every value made from authored text goes through `text` (or `uri`)
//! first: control characters other than a line break are dropped (a URL's
//! are percent-encoded), so that none reaches the file raw — a CR or NUL in
//! a title would end or cut a content line for some readers. The crate
//! escapes `\`, `;`, `,` and line breaks of TEXT properties, but not `NAME`
//! (RFC 7986), which is escaped here. Its lines are folded anew by
//! `fold`: at most 75 octets, on character boundaries, and never beside
//! white space, which readers that trim lines (the `ical` crate) would lose.
//! Titles and modules are shortened to [`MAX_TEXT`] characters: the crate
//! folds a line first, in time that grows with the square of its length
//! (a 1 MB title took seconds).

use chrono::{Days, NaiveTime};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::diagnostics::Diagnostic;
use crate::graph::Program;
use crate::output::Chunk;

use super::super::emit::{Emitter, ProgramContext};
use super::super::format;
use super::super::urls::SiteUrls;

/// The calendar emitter.
pub(crate) struct Calendars;

impl Emitter for Calendars {
    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let (views, p) = (cx.site, cx.program);
        out.add_text(
            cx.urls().file("calendar.ics").path,
            calendar(p, &views.urls, &views.site.config.title, None),
        );
        for c in &cx.views.cohorts {
            out.add_text(
                cx.urls().cohort_file(&c.id, "calendar.ics").path,
                calendar(
                    &c.program,
                    &views.urls,
                    &views.site.config.title,
                    Some((&c.id, &c.title)),
                ),
            );
        }
        Ok(())
    }
}

/// The host that UIDs are made unique under: the base URL's, or the
/// site's title made an id when the base URL is a path.
fn uid_domain(urls: &SiteUrls, title: &str) -> String {
    match urls.base().split_once("://") {
        Some((_, rest)) => rest
            .split('/')
            .next()
            .unwrap_or("playbook")
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect(),
        None => {
            let id = crate::model::suggest_id(&short(title));
            if id.is_empty() {
                "playbook".into()
            } else {
                format!("{id}.playbook")
            }
        }
    }
}

/// The most characters of a title or module in the calendar.
pub(crate) const MAX_TEXT: usize = 300;

/// `s` shortened to [`MAX_TEXT`] characters.
fn short(s: &str) -> String {
    format::shorten(s, MAX_TEXT)
}

/// The calendar of `p`, or of one cohort's run of it (id and title):
/// its UIDs then name the cohort, so that two runs' events stay apart.
fn calendar(
    p: &Program,
    urls: &SiteUrls,
    site_title: &str,
    cohort: Option<(&str, &str)>,
) -> String {
    let mut cal = Calendar::empty();
    let name = match cohort {
        Some((_, title)) => text(&short(&format!("{} — {title}", p.title))),
        None => text(&short(&p.title)),
    };
    let scope = match cohort {
        Some((id, _)) => format!("{}/{id}", p.id),
        None => p.id.clone(),
    };
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//playbook//playbook calendar//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("NAME", escape(&name).as_str()))
        .append_property(("X-WR-CALNAME", name.as_str()));
    let first = p
        .start
        .or_else(|| p.sessions.iter().filter_map(|s| s.date).min());
    let stamp = first.unwrap_or_default().and_time(NaiveTime::MIN).and_utc();
    let domain = uid_domain(urls, site_title);
    let purls = urls.program(&p.id);
    for s in &p.sessions {
        let Some(date) = s.date else {
            continue;
        };
        let mut what = vec![s.kind.label().to_string()];
        if let Some(d) = s.duration {
            what.push(format::duration(d));
        }
        if let Some(m) = &s.module {
            what.push(short(m));
        }
        let url = uri(&purls.entity(crate::kinds::EntityKind::Session, &s.id).url);
        let mut description = format!(
            "Session {} of {}. {}.",
            s.number,
            short(&p.title),
            what.join(", ")
        );
        if url.contains("://") {
            description.push_str(&format!(" {url}"));
        }
        let mut e = Event::new();
        e.uid(&format!("{scope}/{}@{domain}", s.id))
            .timestamp(stamp)
            .summary(&text(&short(&s.title)))
            .description(&text(&description))
            .starts(date)
            .ends(date.checked_add_days(Days::new(1)).unwrap_or(date));
        if url.contains("://") {
            e.url(&url);
        }
        cal.push(e.done());
    }
    for f in super::super::view::curriculum::follow_ups(p) {
        let description = format!(
            "{} days after the last session of {}.",
            f.days,
            short(&p.title)
        );
        let mut e = Event::new();
        e.uid(&format!("{}/follow-up-{}@{domain}", p.id, f.days))
            .timestamp(stamp)
            .summary(&text(&short(&f.title())))
            .description(&text(&description))
            .starts(f.date)
            .ends(f.date.checked_add_days(Days::new(1)).unwrap_or(f.date));
        cal.push(e.done());
    }
    fold(&cal.done().to_string())
}

/// The content lines of `ics` (CRLF-ended, folded by the crate with
/// CRLF + space, and holding no other line break) folded anew: at most 75
/// octets a line, never inside a character, and — where a line has any
/// other place — never just before or after white space.
fn fold(ics: &str) -> String {
    let mut out = String::with_capacity(ics.len() + ics.len() / 16);
    for line in ics.replace("\r\n ", "").split_terminator("\r\n") {
        let (mut rest, mut limit) = (line, 75);
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            let beside_space = |at: usize| {
                rest[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace)
                    || rest[at..].chars().next().is_some_and(char::is_whitespace)
            };
            let at = (1..=cut)
                .rev()
                .find(|&at| rest.is_char_boundary(at) && !beside_space(at))
                .unwrap_or(cut);
            out.push_str(&rest[..at]);
            out.push_str("\r\n ");
            rest = &rest[at..];
            // A continuation line starts with the space.
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// Authored text as a TEXT value may hold it: line breaks stay (the crate
/// writes them `\n`), a tab becomes a space, and every other control
/// character — C0 (NUL, CR, VT, FF, …), DEL and C1 — is dropped.
fn text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// RFC 5545 §3.3.11 escapes, for a TEXT property the crate writes as given.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// A URL as a URI value: control and white-space characters (from a base
/// URL written with them) percent-encoded, so that it stays one value.
fn uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() || c.is_whitespace() {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_line_breaks_and_drops_other_controls() {
        assert_eq!(text("a\r\nb\0c\x0b\x0c\x7f\u{85}\td 🎉"), "a\nbc d 🎉");
        assert_eq!(escape("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
        assert_eq!(uri("https://x.org/a b\r\n/"), "https://x.org/a%20b%0D%0A/");
    }

    #[test]
    fn folds_are_short_whole_characters_and_away_from_white_space() {
        let long = format!("SUMMARY:{}end\r\n", "ab cd 🎉 ".repeat(30));
        let folded = fold(&long);
        assert_eq!(folded.replace("\r\n ", ""), long);
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
            let body = line.strip_prefix(' ').unwrap_or(line);
            assert!(!body.starts_with(' ') && !body.ends_with(' '), "{line:?}");
        }
        // A line of white space only is still folded.
        let blank = format!("X:{}\r\n", " ".repeat(200));
        assert_eq!(fold(&blank).replace("\r\n ", ""), blank);
        assert!(fold(&blank).split("\r\n").all(|l| l.len() <= 75));
        // Short lines and the crate's folds undone.
        assert_eq!(fold("A:b\r\n c\r\nD:e\r\n"), "A:bc\r\nD:e\r\n");
    }
}
