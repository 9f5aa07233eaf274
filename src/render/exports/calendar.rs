//! `/<program>/calendar.ics`: every dated session as an all-day event
//! (RFC 5545, written by the `icalendar` crate: CRLF, folded lines,
//! escaped text). UIDs are stable — program and session id under the
//! site's host — so that importing a new version updates the events
//! instead of duplicating them, and DTSTAMP is the program's first day, so
//! that two builds of one playbook are byte-identical.

use chrono::{Days, NaiveTime};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::diagnostics::Diagnostic;
use crate::graph::{Program, Session};
use crate::output::Chunk;

use super::super::emit::Emitter;
use super::super::format;
use super::super::urls::SiteUrls;
use super::super::view::site::{ProgramViews, SiteViews};

/// The calendar emitter.
pub struct Calendars;

impl Emitter for Calendars {
    fn name(&self) -> &'static str {
        "calendars"
    }

    fn emit_program(
        &self,
        views: &SiteViews,
        pi: usize,
        _: &ProgramViews,
        out: &mut Chunk,
    ) -> Result<(), Vec<Diagnostic>> {
        let p = &views.programs[pi];
        out.add_text(
            views.urls.program(&p.id).file("calendar.ics").path,
            calendar(p, &views.urls, &views.site.config.title),
        );
        Ok(())
    }
}

/// The host that UIDs are made unique under: the base URL's, or the
/// site's title made an id when the base URL is a path.
fn uid_domain(urls: &SiteUrls, title: &str) -> String {
    match urls.base().split_once("://") {
        Some((_, rest)) => rest.split('/').next().unwrap_or("playbook").to_string(),
        None => {
            let id = crate::model::suggest_id(title);
            if id.is_empty() {
                "playbook".into()
            } else {
                format!("{id}.playbook")
            }
        }
    }
}

fn calendar(p: &Program, urls: &SiteUrls, site_title: &str) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//playbook//playbook calendar//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name(&p.title);
    let first = p
        .start
        .or_else(|| p.sessions.iter().filter_map(|s| s.date).min());
    let stamp = first.unwrap_or_default().and_time(NaiveTime::MIN).and_utc();
    let domain = uid_domain(urls, site_title);
    let purls = urls.program(&p.id);
    for (i, s) in p.each::<Session>() {
        let Some(date) = s.date else {
            continue;
        };
        let mut what = vec![s.kind.label().to_string()];
        if let Some(d) = s.duration {
            what.push(format::duration(d));
        }
        if let Some(m) = &s.module {
            what.push(m.clone());
        }
        let url = purls.entity(crate::kinds::EntityKind::Session, &s.id).url;
        let mut description = format!(
            "Session {} of {}. {}.",
            i.index() + 1,
            p.title,
            what.join(", ")
        );
        if url.contains("://") {
            description.push_str(&format!(" {url}"));
        }
        let mut e = Event::new();
        e.uid(&format!("{}/{}@{domain}", p.id, s.id))
            .timestamp(stamp)
            .summary(&s.title)
            .description(&description)
            .starts(date)
            .ends(date.checked_add_days(Days::new(1)).unwrap_or(date));
        if url.contains("://") {
            e.url(&url);
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}
