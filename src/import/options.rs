//! The options of `playbook import`, as the command line takes them (the
//! CLI only parses them and hands them over).

use std::path::PathBuf;

use super::tools::Tool;
use crate::layout::ResultsFile;

/// What an export holds, and so which results file it goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Survey answers → survey.csv (needs --phase).
    Survey,
    /// Session ratings → ratings.csv (needs --session).
    Ratings,
    /// Who is enrolled → roster.csv.
    Roster,
    /// A sign-in list → attendance.csv (needs --session and a roster).
    Attendance,
    /// Comments → feedback.csv.
    Feedback,
}

impl What {
    pub fn as_str(self) -> &'static str {
        match self {
            What::Survey => "survey",
            What::Ratings => "ratings",
            What::Roster => "roster",
            What::Attendance => "attendance",
            What::Feedback => "feedback",
        }
    }

    /// The results file it writes.
    pub fn file(self) -> &'static str {
        match self {
            What::Survey => ResultsFile::Survey.file_name(),
            What::Ratings => ResultsFile::Ratings.file_name(),
            What::Roster => crate::layout::ROSTER_FILE,
            What::Attendance => ResultsFile::Attendance.file_name(),
            What::Feedback => ResultsFile::Feedback.file_name(),
        }
    }
}

/// `--phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Phase {
    Pre,
    Post,
    /// The retrospective "before", asked at the end (then-test).
    Then,
    /// Asked weeks after the program.
    FollowUp,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pre => "pre",
            Phase::Post => "post",
            Phase::Then => "then",
            Phase::FollowUp => "follow-up",
        }
    }

    /// The phase this one's answers pair with, for the summary.
    pub fn pairs_with(self) -> Phase {
        match self {
            Phase::Pre => Phase::Post,
            Phase::Post | Phase::FollowUp => Phase::Pre,
            Phase::Then => Phase::Post,
        }
    }
}

/// `--rater`: who answered about the participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Rater {
    #[default]
    #[value(name = "self")]
    Own,
    Manager,
    Peer,
    Report,
    Other,
}

impl Rater {
    pub fn as_str(self) -> &'static str {
        match self {
            Rater::Own => "self",
            Rater::Manager => "manager",
            Rater::Peer => "peer",
            Rater::Report => "report",
            Rater::Other => "other",
        }
    }
}

/// `playbook import PROGRAM EXPORT --as …`.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(after_help = "Examples:
  playbook import leadership-accelerator ~/Downloads/enrolled.xlsx --as roster
  playbook import leadership-accelerator kickoff-sign-in.csv --as attendance --session 01-kickoff
  playbook import leadership-accelerator pre-survey.csv --as survey --phase pre
  playbook import leadership-accelerator Post.xlsx --as survey --phase post --dry-run
  playbook import leadership-accelerator ratings-week3.csv --as ratings --session 03-prioritizing-workshop")]
pub struct ImportArgs {
    /// The program's id (its folder under content/).
    pub program: String,
    /// The export: a CSV file, or an XLSX workbook.
    pub export: PathBuf,
    /// What the export holds.
    #[arg(long = "as", value_enum, required = true)]
    pub what: Option<What>,
    /// --as survey: which phase the answers are from.
    #[arg(long, value_enum)]
    pub phase: Option<Phase>,
    /// --as survey: who answered about the participant (default self).
    #[arg(long, value_enum)]
    pub rater: Option<Rater>,
    /// --as survey: the date the answers were given, YYYY-MM-DD (default:
    /// each response's own date, when the tool records one).
    #[arg(long)]
    pub date: Option<String>,
    /// --as survey: only these items (comma-separated), when the export
    /// asks only some of import.yaml's.
    #[arg(long, value_delimiter = ',')]
    pub items: Vec<String>,
    /// The session (its id) the ratings, attendance or comments are about.
    #[arg(long)]
    pub session: Option<String>,
    /// Import into this cohort's results (content/PROGRAM/cohorts/ID/results/).
    #[arg(long)]
    pub cohort: Option<String>,
    /// The site folder (default: the nearest folder upwards from the
    /// current one that holds playbook.yaml).
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// The tool that wrote the export (default: recognised from its layout).
    #[arg(long, value_enum)]
    pub tool: Option<Tool>,
    /// The sheet to read, in a workbook with several.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}
