//! Diagnostic codes: the [`Code`] of every problem playbook reports, each
//! with its stable name (`unknown-reference`, as JSON, `--format github`
//! and human output print it), its [`Category`] (which decides the exit
//! code) and the severity and meaning the codes table of
//! docs/diagnostics.md shows — the table is made from [`Code::ALL`].

use serde::{Serialize, Serializer};

/// What a code is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A mistake, or something missing, in the playbook's files.
    Content,
    /// A playbook consistent but incomplete: alignment no session
    /// delivers, signals nothing measures, outcomes nobody can observe.
    Coverage,
    /// A file or folder that cannot be read or written.
    Io,
    /// An output folder playbook refuses to write into.
    Output,
    /// A command's options that do not fit.
    Usage,
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $category:ident, $severity:literal, $meaning:literal;)*) => {
        /// The code of a diagnostic: what kind of problem it is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the order of the table in docs/diagnostics.md.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable name, e.g. `unknown-reference`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            pub fn category(self) -> Category {
                match self {
                    $(Code::$variant => Category::$category,)*
                }
            }

            /// The severity as the docs state it: `error`, `warning`,
            /// `warning / error` (depending on where), `error (exit 2)`, …
            pub fn severity(self) -> &'static str {
                match self {
                    $(Code::$variant => $severity,)*
                }
            }

            /// What it reports, as the docs state it.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Content, "error",
        "YAML that does not parse (tabs get their own hint)";
    AliasLimit = "alias-limit", Content, "error",
        "a YAML alias (`*name`) that makes the document expand beyond 500,000 nodes or 8 \
         MiB of text (\"billion laughs\"), at the alias";
    EmptyFile = "empty-file", Content, "error",
        "a YAML or results file with no content";
    WrongType = "wrong-type", Content, "error",
        "a value of the wrong type (`duration: soon`)";
    UnknownKey = "unknown-key", Content, "error",
        "a key FORMAT.md does not define, with a suggestion";
    MissingKey = "missing-key", Content, "error",
        "a required key is missing";
    DuplicateKey = "duplicate-key", Content, "error",
        "the same key twice in one mapping";
    InvalidValue = "invalid-value", Content, "error",
        "a value outside its vocabulary (`kind: wrkshop`), week 0, a `target` that is not \
         a finite number (`.nan`, `.inf`), a rating between whole points (`4.5`), an \
         empty survey item, an `accent` that is no hex colour (or empty: unquoted, `#` \
         starts a comment), a `logo` that is no image path under `static/`, a `base_url` \
         or `site_url` over 200 characters, a `PLAYBOOK_TODAY` that is no date, a \
         `min_raters` that is no whole number; in survey.csv a `phase` or `rater` outside \
         its vocabulary, a peer, report or other row without `rater_id`, a follow-up \
         without `date`; a `range` that is not two numbers from low to high, a scale of \
         fewer than two items, on different ranges, or reversing an item it does not \
         have; `rater`/`compare` with a source they do not go with, a reliable-change \
         metric whose `items` name no scale";
    OutOfRange = "out-of-range", Content, "error",
        "a `min_raters` below 1, an LTEM tier outside 1–8, a rating outside 1–5, a survey \
         score beyond ±1,000,000 or outside its declared item's `range`, a `follow_up` \
         outside 1–728 days, a week after week 104 or a date more than 104 weeks after \
         the program start (the first session without one), a duration of more than a day";
    InvalidId = "invalid-id", Content, "error",
        "an id that is not lowercase `a-z0-9-` (survey item and scale ids too); a program \
         folder named `library`, the session library's page";
    DuplicateId = "duplicate-id", Content, "error",
        "two entities of one kind with the same id in a program (survey items and scales \
         share one list)";
    DuplicateRow = "duplicate-row", Content, "error",
        "two rows of a results file with the same key (session and participant; \
         participant, phase and item — with rater and rater id where the file has them, \
         and the date of a follow-up), naming both lines";
    UnknownReference = "unknown-reference", Content, "error",
        "a list entry, a results row or a metric's `items` naming an id that does not \
         exist; a `from: library:<id>` naming no library guide";
    RequiresOrder = "requires-order", Content, "error",
        "a session requiring itself or a later session";
    RequiresCycle = "requires-cycle", Content, "error",
        "sessions requiring each other in a cycle";
    UnknownLink = "unknown-link", Content, "error",
        "a `kind:id` link to an unknown id, or an unknown kind";
    FacilitatorOnlyLink = "facilitator-only-link", Content, "error",
        "participants' text (outside facilitator blocks and facilitator-only sessions) \
         links to a facilitator-only session or to a heading inside a facilitator block, \
         or cites a footnote defined only inside a facilitator block, or uses a link or \
         image whose reference definition lies inside one, or a participant session \
         `requires` a facilitator-only one: the participant edition leaves it out";
    UnsafeLink = "unsafe-link", Content, "error",
        "a link or image whose URL scheme is not allowed: only relative links, `kind:id`, \
         `http:`, `https:`, `mailto:` and `tel:` are (`javascript:`, `data:`, \
         `vbscript:`, `file:`, … are refused in any case, entity-encoded or split by \
         tabs)";
    MissingFile = "missing-file", Content, "error",
        "a site with no program, a missing `program.yaml` or alignment file; a relative \
         link to a file that does not exist; a `logo` that does not exist";
    BrokenAnchor = "broken-anchor", Content, "error",
        "a link to `#heading` or `other.md#heading` that does not exist";
    MissingFrontMatter = "missing-front-matter", Content, "error",
        "a session guide without `---` front matter";
    InvalidUtf8 = "invalid-utf8", Content, "error",
        "a file that is not UTF-8";
    MissingColumn = "missing-column", Content, "error",
        "in a results CSV file, a required column missing";
    DuplicateColumn = "duplicate-column", Content, "error",
        "in a results CSV file, a column named twice";
    MalformedNumber = "malformed-number", Content, "error",
        "in a results CSV file, a value that is not a number";
    CsvSyntax = "csv-syntax", Content, "error",
        "in a results CSV file, a row with more or fewer fields than the header, or a \
         quote never closed";
    SimilarItem = "similar-item", Content, "warning",
        "a survey item that is no competency id but differs from one only in case, \
         separators (`-`, `_`, space) or one letter (`Delegation`, `delegaton`), or from \
         an item above it only in case or separators: its rows count as an item of their \
         own and its pairs are lost; once, at its first cell, with \"did you mean\"";
    ResultsBesideCohorts = "results-beside-cohorts", Content, "error",
        "a program with `cohorts/` that also has `results/`: results belong to a cohort";
    AssetConflict = "asset-conflict", Content, "error",
        "a folder under `sessions/` with the name of a session (its files would be \
         published over the session's page)";
    TemplateError = "template-error", Content, "error",
        "a theme template that fails (names the template, line and variable)";
    RenderError = "render-error", Content, "error (build)",
        "an output file that could not be made — `program.json`, `search.json` or \
         `results.csv` whose serializer failed (a fault of playbook, to report): the build \
         fails and publishes nothing, as with a template error, instead of an empty file";
    TemplateFunction = "template-function", Content, "error (build)",
        "a theme template calls a function other than `range` and `throw` (and macros): \
         `get_env`, `now`, `get_random` or one that does not exist — nothing that reads \
         the environment, files, the clock or random numbers; names the template and \
         line, rendered or not";
    UnknownTheme = "unknown-theme", Content, "error (build)",
        "`theme:` names a folder that is not under `themes/`";
    OutsideSite = "outside-site", Content, "warning",
        "a symbolic link (a program, a sessions folder or file, a template, a static \
         file, `templates/`, `static/`, `themes/`) whose target lies outside the site: \
         skipped, never read or published; an error for `playbook.yaml`, for the folder \
         `theme:` names and for a `logo`";
    LowContrast = "low-contrast", Content, "warning",
        "an `accent` colour whose contrast with the white page is below WCAG AA's 4.5:1, \
         naming the ratio (`1.51:1`)";
    OutputRefused = "output-refused", Output, "error (exit 2)",
        "an output folder that holds files playbook did not write or files edited since \
         it wrote them, is a symbolic link, or lies in (or holds) the site's sources; an \
         `output_dir` of `playbook.yaml` outside the site; a `.playbook-output` record \
         with a line playbook cannot have written (a path outside its folder); the hint \
         says what to do";
    IoError = "io-error", Io, "error (exit 2)",
        "a file or folder that cannot be read or written";
    UncoveredCompetency = "uncovered-competency", Coverage, "warning",
        "a competency no session covers";
    ActionWithoutPractice = "action-without-practice", Coverage, "warning",
        "an action with no practice";
    UnpracticedAction = "unpracticed-action", Coverage, "warning",
        "an action whose practices no session uses";
    UnevidencedSignal = "unevidenced-signal", Coverage, "warning",
        "a success signal no metric evidences";
    UncollectedMetric = "uncollected-metric", Coverage, "warning",
        "a metric no session or instrument collects";
    UntiedSession = "untied-session", Coverage, "warning",
        "a session tied to no competency or action";
    BarrierWithoutRemedy = "barrier-without-remedy", Coverage, "warning",
        "a motivation or environment barrier without `remedy`";
    OverdueDriver = "overdue-driver", Content, "warning",
        "an enabler (a required driver) past its `due` date that is not `done`, judged \
         against today's date or `PLAYBOOK_TODAY` (not shown on any page)";
    NotObservable = "not-observable", Coverage, "warning",
        "a behaviour, action or signal starting with \"understand\", \"know\", \"learn\", \
         \"appreciate\", \"be aware\" or \"feel\"";
    MissingAlt = "missing-alt", Content, "warning",
        "an image without alt text";
    UnknownBlock = "unknown-block", Content, "warning / error",
        "a fenced block (`::: name`) whose name playbook does not know: a plain `<div \
         class=\"name\">` (with the known names, and \"did you mean\"); an error for a \
         quote written as an alert of a facilitator name (`> [!FACILITATOR]`), or raw \
         HTML with a facilitator class (`<div class=\"facilitator\">`) outside \
         facilitator blocks, shown as they are";
    UnclosedBlock = "unclosed-block", Content, "error",
        "a fenced block never closed, or opened and closed in different list items or \
         quotes (at its opening fence)";
    NotOneParagraph = "not-one-paragraph", Content, "warning",
        "an action, success signal or enabler — a title, shown in headings and links — \
         holds more than one paragraph, a list or a block; the site runs them together";
    InlineFence = "inline-fence", Content, "error / warning",
        "a paragraph or HTML block line that starts with `:::` (a fence folded by a YAML \
         `>` scalar, indented into a paragraph, taken into the HTML block of the line \
         before it, behind a no-break or other Unicode space, or written with look-alike \
         colons), or a code block indented four spaces that starts with a facilitator \
         fence: it opens no block; an error for a facilitator block, whose text \
         participants would see";
    UnclosedCodeFence = "unclosed-code-fence", Content, "error / warning",
        "a code fence (```` ``` ````, `~~~`) never closed: an error when it swallows a \
         facilitator block (shown as code, to participants too), a warning when it runs \
         to the end of the text; at the opening fence";
    ReservedId = "reserved-id", Content, "warning",
        "raw HTML gives an id (or `<a name>`) that the theme's pages use for their own \
         elements: it is left out (see Outline)";
    StrayFence = "stray-fence", Content, "warning",
        "a closing `:::` that closes no block, or is shorter than the fence it would \
         close: shown as text";
    TooManyFences = "too-many-fences", Content, "warning",
        "a text with more than 10,000 fence lines: the ones after are text";
    UnknownFile = "unknown-file", Content, "warning",
        "an unknown `.yaml` file in `alignment/`";
    Usage = "usage", Usage, "error (exit 2)",
        "`playbook import`: options that do not fit (`--as survey` without `--phase`, an \
         unknown program, session or cohort, a workbook with several sheets of responses \
         and no `--sheet`), or an export that cannot be read from disk";
    UnreadableExport = "unreadable-export", Content, "error",
        "an export that is no CSV or workbook: binary data, UTF-16 without a byte-order \
         mark, a quote never closed, a broken workbook";
    EmptyExport = "empty-export", Content, "error",
        "an export with no rows, or a header and no responses";
    MissingHeader = "missing-header", Content, "error",
        "an export whose first row is a response (it holds an e-mail address, or only \
         numbers and dates), or a SurveyMonkey export whose second header row was deleted";
    WrongExport = "wrong-export", Content, "error",
        "an export of another kind than `--as` says: no column matches what it needs, but \
         columns match what another `--as` needs (a ratings export imported as a survey)";
    UnmatchedQuestion = "unmatched-question", Content, "error",
        "a `match` entry that `--as` needs finds no column of the export (at the entry in \
         import.yaml, with the closest column text as a hint)";
    AmbiguousQuestion = "ambiguous-question", Content, "error",
        "a `match` entry that `--as` needs finds several columns of the export (at the \
         entry in import.yaml)";
    UnknownAnswer = "unknown-answer", Content, "error",
        "an answer word missing from its scale, at the export's row and column (or cell)";
    MissingParticipant = "missing-participant", Content, "error",
        "a survey, roster or attendance export without a participant column, or a \
         response whose participant cells are empty";
    NoRoster = "no-roster", Content, "error",
        "an attendance import before any roster";
    ImportConflict = "import-conflict", Content, "error",
        "an imported row whose key a row written by hand or by another import already \
         has, naming that row's line";
    TooManyErrors = "too-many-errors", Content, "error",
        "the count of import errors beyond the first 50";
    DuplicateResponse = "duplicate-response", Content, "warning",
        "two responses from the same person in one export, naming both rows (the later \
         one is kept)";
    UnmatchedColumn = "unmatched-column", Content, "warning",
        "question columns of an export that no `match` entry finds";
    NotOnRoster = "not-on-roster", Content, "warning",
        "people in an attendance export who are not on the roster (they are added to it)";
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let name = c.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{name}"
            );
        }
    }
}
