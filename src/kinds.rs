//! Kinds: what a program is made of, and the one table of facts about each.
//!
//! Owns the nine [`EntityKind`]s an author defines (values, competencies,
//! actions, …, sessions) and the nine program [`Section`]s a site shows
//! (overview, competencies, action map, …, facilitator guide). Every fact
//! that used to be spelled out by hand wherever it was needed — a kind's
//! `kind:id` prefix, the file that defines it, its page folder and template,
//! the section it belongs to, its label; a section's folder, template,
//! title and navigation key — is one row of a table here. It depends only
//! on `layout`, for the files that define each kind.

use crate::layout::AlignmentFile;

/// The kinds of entity a program holds (and a `kind:id` link may name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Value,
    Competency,
    Action,
    Practice,
    Signal,
    Enabler,
    Metric,
    Instrument,
    Session,
}

/// The facts about one entity kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    /// The prefix of `kind:id` links, the template variable of its page, and
    /// the word used in messages (`unknown competency`).
    pub prefix: &'static str,
    /// Where entities of this kind are defined, relative to the program folder.
    pub defined_in: &'static str,
    /// The output folder of its pages under the program (`competencies/<id>/`).
    pub folder: &'static str,
    /// The template of its pages.
    pub template: &'static str,
    /// The program section whose page lists entities of this kind.
    pub section: Section,
    /// A human label, capitalised.
    pub label: &'static str,
}

const fn info(
    prefix: &'static str,
    defined_in: &'static str,
    folder: &'static str,
    template: &'static str,
    section: Section,
    label: &'static str,
) -> KindInfo {
    KindInfo {
        prefix,
        defined_in,
        folder,
        template,
        section,
        label,
    }
}

/// One row per kind, in the order of [`EntityKind::ALL`].
const KINDS: [KindInfo; 9] = [
    info(
        "value",
        AlignmentFile::Competencies.path(),
        "values",
        "value.html",
        Section::Competencies,
        "Value",
    ),
    info(
        "competency",
        AlignmentFile::Competencies.path(),
        "competencies",
        "competency.html",
        Section::Competencies,
        "Competency",
    ),
    info(
        "action",
        AlignmentFile::ActionMap.path(),
        "actions",
        "action.html",
        Section::ActionMap,
        "Action",
    ),
    info(
        "practice",
        AlignmentFile::ActionMap.path(),
        "practices",
        "practice.html",
        Section::ActionMap,
        "Practice",
    ),
    info(
        "signal",
        AlignmentFile::Evaluation.path(),
        "signals",
        "signal.html",
        Section::Evaluation,
        "Success signal",
    ),
    info(
        "enabler",
        AlignmentFile::Evaluation.path(),
        "enablers",
        "enabler.html",
        Section::Evaluation,
        "Enabler",
    ),
    info(
        "metric",
        AlignmentFile::Metrics.path(),
        "metrics",
        "metric.html",
        Section::Metrics,
        "Metric",
    ),
    info(
        "instrument",
        AlignmentFile::Metrics.path(),
        "instruments",
        "instrument.html",
        Section::Metrics,
        "Instrument",
    ),
    info(
        "session",
        "sessions/",
        "sessions",
        "session.html",
        Section::Curriculum,
        "Session",
    ),
];

impl EntityKind {
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Value,
        EntityKind::Competency,
        EntityKind::Action,
        EntityKind::Practice,
        EntityKind::Signal,
        EntityKind::Enabler,
        EntityKind::Metric,
        EntityKind::Instrument,
        EntityKind::Session,
    ];

    /// This kind's row of the table.
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    /// The prefix used in `kind:id` links.
    pub fn prefix(self) -> &'static str {
        self.info().prefix
    }

    /// The kind of a `kind:` link prefix.
    pub fn from_prefix(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.prefix() == s)
    }

    /// Where entities of this kind are defined, for messages.
    pub fn defined_in(self) -> &'static str {
        self.info().defined_in
    }
}

/// The pages every program has, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Overview,
    Competencies,
    ActionMap,
    Evaluation,
    Metrics,
    Curriculum,
    Traceability,
    Results,
    Impact,
    Guide,
    /// The participant edition's printable workbook.
    Workbook,
}

/// The facts about one section page.
#[derive(Debug, Clone, Copy)]
pub struct SectionInfo {
    /// The folder under the program (`""` for the overview, the program's
    /// own folder).
    pub folder: &'static str,
    pub template: &'static str,
    /// The page's heading.
    pub title: &'static str,
    /// Its entry in the program navigation.
    pub nav_title: &'static str,
    /// Its key in templates (`page.section`, the body's `section-…` class).
    pub key: &'static str,
}

const fn section(
    folder: &'static str,
    template: &'static str,
    title: &'static str,
    nav_title: &'static str,
    key: &'static str,
) -> SectionInfo {
    SectionInfo {
        folder,
        template,
        title,
        nav_title,
        key,
    }
}

/// One row per section, in the order of [`Section::ALL`].
const SECTIONS: [SectionInfo; 11] = [
    section("", "program.html", "Overview", "Overview", "overview"),
    section(
        "competencies",
        "competencies.html",
        "Values and competencies",
        "Competencies",
        "competencies",
    ),
    section(
        "action-map",
        "action-map.html",
        "Action map",
        "Action map",
        "action-map",
    ),
    section(
        "evaluation",
        "evaluation.html",
        "Evaluation plan",
        "Evaluation",
        "evaluation",
    ),
    section(
        "metrics",
        "metrics.html",
        "Metrics and measurement",
        "Metrics",
        "metrics",
    ),
    section(
        "curriculum",
        "curriculum.html",
        "Curriculum",
        "Curriculum",
        "curriculum",
    ),
    section(
        "traceability",
        "traceability.html",
        "Traceability",
        "Traceability",
        "traceability",
    ),
    section(
        "results",
        "results.html",
        "Measured results",
        "Results",
        "results",
    ),
    section("impact", "impact.html", "Impact report", "Impact", "impact"),
    section(
        "guide",
        "guide.html",
        "Facilitator guide",
        "Facilitator guide",
        "guide",
    ),
    section(
        "workbook",
        "workbook.html",
        "Participant workbook",
        "Workbook",
        "workbook",
    ),
];

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Overview,
        Section::Competencies,
        Section::ActionMap,
        Section::Evaluation,
        Section::Metrics,
        Section::Curriculum,
        Section::Traceability,
        Section::Results,
        Section::Impact,
        Section::Guide,
        Section::Workbook,
    ];

    /// This section's row of the table.
    pub fn info(self) -> &'static SectionInfo {
        &SECTIONS[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_enum_order() {
        for (i, k) in EntityKind::ALL.into_iter().enumerate() {
            assert_eq!(k as usize, i);
            assert_eq!(EntityKind::from_prefix(k.prefix()), Some(k));
            assert_eq!(k.info().template, format!("{}.html", k.prefix()));
        }
        for (i, s) in Section::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, i);
        }
        assert_eq!(EntityKind::from_prefix("competencies"), None);
    }
}
