//! Scaffolding: what `playbook new` writes — a site, a program, a session
//! guide, a cohort ([`cohort`]) — with comments that explain each key the way FORMAT.md does, and
//! `# yaml-language-server: $schema=…` lines so that editors complete and
//! validate while typing. Never overwrites a file: every file is created
//! new, and a site goes only into a folder that is empty or missing. What
//! it writes checks clean with `--strict` and builds.

pub(crate) mod cohort;
pub(crate) mod from_library;
mod write_new;

pub(crate) use write_new::NewError;
use write_new::{err, write_new, Files};

use std::fs;
use std::path::{Path, PathBuf};

use crate::layout::AlignmentFile::{ActionMap, Competencies, Evaluation, Metrics};
use crate::layout::{CONFIG_FILE, CONTENT, IMPORT_FILE, PROGRAM_FILE, RESULTS, SESSIONS};
use crate::model::{
    is_valid_id, suggest_id, BarrierKind, InstrumentKind, Level, MetricCategory, SessionKind,
    Source, When,
};

/// Check an id, with the valid form as a hint.
fn check_id(what: &str, id: &str) -> Result<(), NewError> {
    if is_valid_id(id) {
        return Ok(());
    }
    let fixed = suggest_id(id);
    Err(err(
        format!("`{id}` is not a valid {what} id: ids use lowercase letters a-z, digits and `-`"),
        if fixed.is_empty() {
            "choose an id such as `leaders-2027`".to_string()
        } else {
            format!("write it as `{fixed}`")
        },
    ))
}

/// Refuse an empty title.
fn check_title(title: &str) -> Result<(), NewError> {
    if title.trim().is_empty() {
        return Err(err(
            "the title is empty".to_string(),
            "give one with --title, e.g. --title \"Leadership programs\"",
        ));
    }
    Ok(())
}

/// A vocabulary's words, for a comment: `a | b | c`.
fn one_of<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.collect::<Vec<_>>().join(" | ")
}

/// The `$schema` line of a file `depth` folders below the site root.
fn schema_line(depth: usize, schema: &str) -> String {
    format!(
        "# yaml-language-server: $schema={}schemas/{schema}\n",
        "../".repeat(depth)
    )
}

/// Today, for a new program's start.
fn today() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

/// The schemas, for files whose `$schema` lines point at them (those that
/// exist already are left as they are).
fn schemas(root: &Path) -> Files {
    crate::schema::all()
        .into_iter()
        .filter(|(name, _)| !root.join("schemas").join(name).exists())
        .map(|(name, text)| (format!("schemas/{name}"), text))
        .collect()
}

/// A new site in `dir` (missing or empty) titled `title`, with a first
/// program `program`.
pub(crate) fn site(dir: &Path, title: &str, program: &str) -> Result<Vec<PathBuf>, NewError> {
    check_title(title)?;
    check_id("program", program)?;
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(err(
                format!("{} is not empty", dir.display()),
                "playbook new makes a site in a new or empty folder: choose another one",
            ));
        }
    } else if dir.exists() {
        return Err(err(
            format!("{} is a file", dir.display()),
            "choose a folder for the new site",
        ));
    }
    let mut files: Files = vec![
        (
            CONFIG_FILE.into(),
            format!(
                "{}# The site: its title and where it is published. FORMAT.md describes every key.
{title}
base_url: /                     # prefix of every link: / or a sub-path such as /playbooks/
# site_url: https://example.org/  # the published address, for sitemap.xml
description: Leadership-development programs
language: en                    # the pages' language
output_dir: public              # where `playbook build` writes
# logo: static/logo.svg         # an image under static/, in every page's header
# accent: \"#1f5f8b\"            # the pages' accent colour, in quotes (`#` starts a comment)
",
                schema_line(0, "playbook.schema.json"),
                title = commented(
                    &format!("title: {}", yaml_str(title)),
                    "required: the site's name"
                ),
            ),
        ),
        (".gitignore".into(), "/public\n".into()),
    ];
    files.extend(program_files(program, "First program"));
    files.extend(schemas(dir));
    write_new(dir, &files)
}

/// A new program `id` titled `title` in the site at `root`.
pub(crate) fn program(root: &Path, id: &str, title: &str) -> Result<Vec<PathBuf>, NewError> {
    check_title(title)?;
    check_id("program", id)?;
    if crate::layout::RESERVED_PROGRAM_IDS.contains(&id) {
        return Err(err(
            format!("the program id `{id}` is reserved: the site's `/{id}/` page is the session library's"),
            "choose another id, such as `leaders-2027`",
        ));
    }
    let dir = root.join(CONTENT).join(id);
    if dir.exists() {
        return Err(err(
            format!("the program `{id}` exists already (content/{id}/)"),
            format!("choose another id, or add a session to it: playbook new session {id} SESSION-ID --kind workshop"),
        ));
    }
    let mut files = program_files(id, title);
    files.extend(schemas(root));
    write_new(root, &files)
}

/// A line with a comment, aligned with the comments around it.
fn commented(line: &str, comment: &str) -> String {
    format!("{line:<31} # {comment}")
}

/// Quote a YAML scalar only when it needs it: plain when it starts with a
/// letter, holds nothing YAML reads specially and is not a boolean or null;
/// double-quoted with escapes otherwise.
fn yaml_str(s: &str) -> String {
    let reserved = ["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let plain = s.starts_with(|c: char| c.is_alphabetic())
        && !s.chars().any(char::is_control)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':'])
        && !reserved.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The files of a new program, relative to the site root.
fn program_files(id: &str, title: &str) -> Files {
    let p = format!("{CONTENT}/{id}");
    let start = today();
    vec![
        (
            format!("{p}/{PROGRAM_FILE}"),
            format!(
                "{}# The program: one client, one cohort.
{title}
organization: Client organization   # the client
summary: >-                     # one paragraph; markdown allowed, with links such as
  What this program is for, who it is for, and what should change at work:
  managers who hand over work with [a clear outcome](competency:delegation).
audience: First-time managers   # who takes part
cohort_size: 12                 # how many participants
start: {start}               # the first day, YYYY-MM-DD: sessions with `week:` get their dates from it
facilitators: [Your name]       # who runs the sessions
draft: false                    # true: built only with --drafts
# logo: static/client-logo.svg  # the client's logo, an image under static/ (default: the site's)
# accent: \"#1f5f8b\"            # the client's colour, in quotes (default: the site's)
",
                schema_line(2, "program.schema.json"),
                title = commented(&format!("title: {}", yaml_str(title)), "required: the program's name"),
            ),
        ),
        (
            format!("{p}/{}", Competencies.path()),
            format!(
                "{}# Step 1: core values, and the competencies that live them.
values:
  - id: ownership               # lowercase a-z, 0-9 and -, unique among values
    name: Ownership
    description: We finish what we start and say early when we can't.
competencies:
  - id: delegation
    name: Delegating effectively
    values: [ownership]         # ids of the values it lives
    description: Hands over outcomes, not tasks.
    behaviors:                  # observable: what someone would see the person do
      - Agrees the outcome, deadline and check-in points when handing over work
      - Lets the owner choose the method and stays out of the detail
",
                schema_line(3, "competencies.schema.json")
            ),
        ),
        (
            format!("{p}/{}", ActionMap.path()),
            format!(
                "{}# Step 2: the business goal, what people must do differently, why it is
# hard, and how they practise it.
goal:
  statement: Managers run their projects without daily executive involvement
  measure: Executive escalations per project halve within six months
actions:
  - id: hand-over-outcomes
    action: Hands over each workstream with an agreed outcome, deadline and check-ins
    competencies: [delegation]  # ids of the competencies it needs
    barriers:                   # why it is hard today
      - kind: skill             # {barriers}
        text: No shared way of briefing a handover
      # - kind: environment     # motivation and environment barriers need a remedy:
      #   text: Executives assign work directly to the team
      #   remedy: Executives route requests through the manager
    practices:                  # realistic practice on the participants' own work
      - id: handover-drill
        scenario: Hand over a live workstream to a colleague in ten minutes, then swap.
    information:                # the minimum knowledge needed
      - The handover checklist
",
                schema_line(3, "action-map.schema.json"),
                barriers = one_of(BarrierKind::ALL.iter().map(|k| k.as_str())),
            ),
        ),
        (
            format!("{p}/{}", Evaluation.path()),
            format!(
                "{}# Step 3: how you will know it worked, and what the organization provides.
question: How will we know this program was worth it?
signals:                        # behaviours and outcomes that show success
  - id: teams-take-ownership
    signal: Team members take ownership of their workstreams
    level: behavior             # {levels}
    competencies: [delegation]
    actions: [hand-over-outcomes]
enablers:                       # conditions leaders must provide
  - id: clear-expectations
    enabler: Leaders set clear expectations for every handover
    owner: Executive team
",
                schema_line(3, "evaluation.schema.json"),
                levels = one_of(Level::ALL.iter().map(|k| k.as_str())),
            ),
        ),
        (
            format!("{p}/{}", Metrics.path()),
            format!(
                "{}# Step 4: what is measured, with which instrument, against which target.
metrics:
  - id: attendance
    name: Session attendance rate
    category: participation     # {categories}
    instrument: attendance-log  # the instrument that collects it
    target: 0.8                 # a number; a fraction for rates (0.8 is 80%)
    tier: 1                     # LTEM tier, 1 (attendance) to 8 (effects of transfer)
    source: attendance          # {sources}
    signals: [teams-take-ownership]   # the success signals it evidences
instruments:
  - id: attendance-log
    name: Attendance log
    kind: log                   # {instruments}
    when: [each-session]        # {whens}
",
                schema_line(3, "metrics.schema.json"),
                categories = one_of(MetricCategory::ALL.iter().map(|k| k.as_str())),
                sources = one_of(Source::ALL.iter().map(|k| k.as_str())),
                instruments = one_of(InstrumentKind::ALL.iter().map(|k| k.as_str())),
                whens = one_of(When::ALL.iter().map(|k| k.as_str())),
            ),
        ),
        (
            format!("{p}/{RESULTS}/{IMPORT_FILE}"),
            crate::import::config::scaffold_text(),
        ),
        (
            format!("{p}/{SESSIONS}/01-kickoff.md"),
            session_text(&SessionPlan {
                title: "Kickoff".into(),
                kind: SessionKind::Workshop,
                week: Some(1),
                competencies: (vec!["delegation".into()], vec![]),
                actions: (vec!["hand-over-outcomes".into()], vec![]),
                practices: (vec!["handover-drill".into()], vec![]),
                metrics: (vec!["attendance".into()], vec![]),
            }),
        ),
    ]
}

/// What a new session guide lists: chosen ids and the other choices.
struct SessionPlan {
    title: String,
    kind: SessionKind,
    week: Option<u32>,
    competencies: (Vec<String>, Vec<String>),
    actions: (Vec<String>, Vec<String>),
    practices: (Vec<String>, Vec<String>),
    metrics: (Vec<String>, Vec<String>),
}

fn session_text(s: &SessionPlan) -> String {
    let list = |(chosen, others): &(Vec<String>, Vec<String>), what: &str| {
        let mut line = format!("[{}]", chosen.join(", "));
        let all: Vec<&String> = chosen.iter().chain(others).collect();
        if all.is_empty() {
            line.push_str(&format!("   # {what}: none defined yet"));
        } else {
            let all: Vec<&str> = all.iter().map(|x| x.as_str()).collect();
            line.push_str(&format!("   # {what}; choose from: {}", all.join(", ")));
        }
        line
    };
    format!(
        "---
title: {title}
kind: {kind}   # {kinds}
{week}duration: 90   # minutes
competencies: {competencies}
actions: {actions}
practices: {practices}
metrics: {metrics}
requires: []   # sessions that must come first
---
## Purpose

What participants will be able to do after this session, in one or two
sentences.

## Agenda

| Time | Activity | Notes |
| --- | --- | --- |
| 0–10 min | Check-in | One thing that changed since last time |
| 10–40 min | Practice | Work on a live case of their own |
| 40–50 min | Debrief | See the questions below |

## Debrief questions

1. What outcome did you agree?
2. What will you do differently this week?

## Facilitator notes

- What to watch for, and how to adapt.
",
        title = yaml_str(&s.title),
        kind = s.kind.as_str(),
        kinds = one_of(SessionKind::ALL.iter().map(|k| k.as_str())),
        week = s
            .week
            .map(|w| format!("week: {w}   # the week of the program (or `date: YYYY-MM-DD`)\n"))
            .unwrap_or_default(),
        competencies = list(&s.competencies, "the competencies it builds"),
        actions = list(&s.actions, "the actions it practises"),
        practices = list(&s.practices, "the practice scenarios it uses"),
        metrics = list(&s.metrics, "the metrics it collects"),
    )
}

/// The ids a program defines, for a new session's choices.
pub(crate) struct ProgramIds {
    pub competencies: Vec<String>,
    pub actions: Vec<String>,
    pub practices: Vec<String>,
    pub metrics: Vec<String>,
    pub sessions: Vec<String>,
    /// The highest week of its sessions.
    pub last_week: Option<u32>,
}

impl ProgramIds {
    /// The ids of a compiled program.
    pub(crate) fn of(p: &crate::graph::Program) -> ProgramIds {
        let ids = |v: Vec<&String>| v.into_iter().cloned().collect();
        ProgramIds {
            competencies: ids(p.competencies.iter().map(|c| &c.id).collect()),
            actions: ids(p.actions.iter().map(|a| &a.id).collect()),
            practices: ids(p.practices.iter().map(|x| &x.id).collect()),
            metrics: ids(p.metrics.iter().map(|m| &m.id).collect()),
            sessions: ids(p.sessions.iter().map(|s| &s.id).collect()),
            last_week: p.sessions.iter().filter_map(|s| s.week).max(),
        }
    }
}

/// A program that exists but does not load.
fn unreadable(program: &str) -> NewError {
    err(
        format!("the program `{program}` could not be read"),
        "fix what `playbook check` reports, then run this again",
    )
}

/// A new session guide `id` of the program `program` in the site at
/// `root`, whose front matter lists the program's ids as choices.
pub(crate) fn session_in(
    root: &Path,
    program: &str,
    id: &str,
    kind: SessionKind,
    week: Option<u32>,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, NewError> {
    check_id("session", id)?;
    let compiled = crate::compile(root);
    let p = program_of(root, &compiled, program)?;
    session(root, program, &ProgramIds::of(p), id, kind, week, title)
}

/// The program `program` of the site at `root`, `compiled`: an error
/// when there is none or it could not be read.
fn program_of<'a>(
    root: &Path,
    compiled: &'a crate::Compiled,
    program: &str,
) -> Result<&'a crate::graph::Program, NewError> {
    let programs = &compiled.site.programs;
    let Some(p) = programs.iter().find(|p| p.id == program) else {
        let known: Vec<&str> = programs.iter().map(|p| p.id.as_str()).collect();
        let hint = crate::suggest::hint(program, known.iter().copied()).unwrap_or_else(|| {
            if known.is_empty() {
                "create one first: playbook new program ID --title TITLE".to_string()
            } else {
                format!("the programs are: {}", known.join(", "))
            }
        });
        if root
            .join(CONTENT)
            .join(program)
            .join(PROGRAM_FILE)
            .is_file()
        {
            return Err(unreadable(program));
        }
        return Err(err(
            format!("there is no program `{program}` (no content/{program}/program.yaml)"),
            hint,
        ));
    };
    if p.files.incomplete {
        // Its ids are only partly known, so the choices would be wrong.
        return Err(unreadable(program));
    }
    Ok(p)
}

/// A new session guide `id` of `program` (whose ids are `ids`).
pub(crate) fn session(
    root: &Path,
    program: &str,
    ids: &ProgramIds,
    id: &str,
    kind: SessionKind,
    week: Option<u32>,
    title: Option<&str>,
) -> Result<Vec<PathBuf>, NewError> {
    check_id("session", id)?;
    if ids.sessions.iter().any(|s| s == id) {
        return Err(err(
            format!("the session `{id}` exists already in `{program}`"),
            "choose another id, e.g. with the next number",
        ));
    }
    if let Some(w) = week.filter(|w| !(1..=104).contains(w)) {
        return Err(err(
            format!("week {w} is outside the program: weeks run from 1 to 104"),
            "give the week of the program, counted from 1",
        ));
    }
    let title = title.map(str::to_string).unwrap_or_else(|| {
        let words = id.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        let mut t = words.replace('-', " ");
        if let Some(first) = t.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        if t.is_empty() {
            id.to_string()
        } else {
            t
        }
    });
    // Tie the session to the first competency (a session tied to nothing
    // is a coverage warning); list the rest as choices.
    let split = |v: &[String], take: usize| -> (Vec<String>, Vec<String>) {
        let n = take.min(v.len());
        (v[..n].to_vec(), v[n..].to_vec())
    };
    let plan = SessionPlan {
        title,
        kind,
        week: week.or(Some(ids.last_week.map_or(1, |w| (w + 1).min(104)))),
        competencies: split(&ids.competencies, 1),
        actions: split(&ids.actions, usize::from(ids.competencies.is_empty())),
        practices: split(&ids.practices, 0),
        metrics: split(&ids.metrics, 0),
    };
    let files = vec![(
        format!("{CONTENT}/{program}/{SESSIONS}/{id}.md"),
        session_text(&plan),
    )];
    write_new(root, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_str("Our programs"), "Our programs");
        assert_eq!(yaml_str("Leaders: 2027"), "\"Leaders: 2027\"");
        assert_eq!(yaml_str("#1 team"), "\"#1 team\"");
        assert_eq!(yaml_str("a \"b\""), "a \"b\"");
        assert_eq!(yaml_str("- x"), "\"- x\"");
        assert_eq!(yaml_str("2027"), "\"2027\"");
        assert_eq!(yaml_str("No"), "\"No\"");
        assert_eq!(yaml_str("a\nb\\"), "\"a\\nb\\\\\"");
    }

    #[test]
    fn titles_read_back_as_written() {
        #[derive(serde::Deserialize)]
        struct T {
            title: String,
        }
        for t in [
            "Our programs",
            "Leaders: 2027",
            "#1 team",
            "2027",
            "No",
            "null",
            "a\nb\\",
            "'quoted'",
            "\"x\"",
            "tab\there",
            "- item",
            "[x]",
            "50% more",
            "é ünïcode",
            "x #y",
            "~",
            "@home",
            "bell\u{7}",
        ] {
            let line = format!("title: {}\n", yaml_str(t));
            let back: T = crate::yaml::from_str(&line).unwrap_or_else(|e| panic!("{line}: {e:?}"));
            assert_eq!(back.title, t, "{line}");
        }
    }

    #[test]
    fn ids_are_checked_with_the_valid_form_as_a_hint() {
        let e = check_id("program", "ACME Leaders").unwrap_err();
        assert_eq!(e.hint, "write it as `acme-leaders`");
        assert!(check_id("program", "acme-leaders").is_ok());
    }
}
