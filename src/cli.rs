//! Command line: parses arguments, calls the pipeline (or `serve`), prints
//! results and chooses the exit code (0 clean, 1 content errors, 2 usage or
//! I/O errors).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config;
use crate::diagnostics::{self, Category, Counts, JsonReport};
use crate::render::format::plural;
use crate::scaffold;
use crate::{compile, Stats};

/// Exit code: no problem (warnings allowed).
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code: the playbook has errors.
pub(crate) const EXIT_CONTENT: i32 = 1;
/// Exit code: wrong usage, or files that cannot be read or written.
pub(crate) const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "playbook",
    version,
    about = "Compile leadership-development playbooks into a checked static site",
    after_help = "Examples:
  playbook new my-playbooks --title \"Our programs\"
  playbook serve my-playbooks
  playbook build my-playbooks"
)]
pub(crate) struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Check a playbook and report every problem (writes nothing).
    Check(CheckArgs),
    /// Check, then build the static site (the default command).
    Build(BuildArgs),
    /// Serve the site locally, rebuilding and reloading pages on changes.
    Serve(ServeArgs),
    /// Start a new site, program or session guide (never overwrites a file).
    New(NewArgs),
    /// Turn a survey tool's export into pseudonymised results files.
    Import(crate::import::ImportArgs),
    /// Write the JSON Schemas of every file of the format, for editors and
    /// validators.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

#[derive(Args, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:
  playbook new my-playbooks --title \"Our programs\"
  playbook new program acme-leaders --title \"ACME Leadership Accelerator\"
  playbook new session acme-leaders 04-feedback --kind workshop --week 4"
)]
pub(crate) struct NewArgs {
    /// The folder of the new site (missing or empty).
    #[arg(required = true)]
    pub dir: Option<PathBuf>,
    /// The site's title.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// The id of the site's first program.
    #[arg(long, default_value = "first-program")]
    pub program: String,
    #[command(subcommand)]
    pub what: Option<NewWhat>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum NewWhat {
    /// A new program: program.yaml, the four alignment files and a first
    /// session, tied together.
    #[command(after_help = "Example:
  playbook new program acme-leaders --title \"ACME Leadership Accelerator\"")]
    Program {
        /// The program's id (a-z, 0-9 and -): its folder under content/.
        id: String,
        /// The program's title.
        #[arg(long)]
        title: String,
        #[command(flatten)]
        site: SiteOption,
    },
    /// A new session guide, its front matter listing the program's
    /// competencies, actions, practices and metrics as choices.
    #[command(after_help = "Example:
  playbook new session acme-leaders 04-feedback --kind workshop --week 4")]
    Session(scaffold::from_library::SessionArgs),
    /// A new cohort (one run of a program): cohorts/ID/cohort.yaml.
    Cohort(scaffold::cohort::CohortArgs),
}

#[derive(Args, Debug, Default)]
pub(crate) struct SiteOption {
    /// The site folder (default: the nearest folder upwards from the
    /// current one that holds playbook.yaml).
    #[arg(long)]
    pub site: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(after_help = "Example:
  playbook schema --output schemas/")]
pub(crate) struct SchemaArgs {
    /// The folder to write the schemas into (created if missing; existing
    /// schema files are replaced).
    #[arg(long, short, default_value = "schemas")]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  playbook completions bash > ~/.local/share/bash-completion/completions/playbook
  playbook completions zsh > ~/.zfunc/_playbook
  playbook completions fish > ~/.config/fish/completions/playbook.fish")]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug, Default)]
#[command(after_help = "Examples:
  playbook build                          # the site around the current folder, into public/
  playbook build my-playbooks --output /tmp/site
  playbook build --base-url /playbooks/   # for a site published under a sub-path")]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Output folder (default: `output_dir` of playbook.yaml, `public`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Prefix of every link, e.g. `/playbooks/` (overrides playbook.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The absolute URL the site is published at, for sitemap.xml, e.g.
    /// `https://example.org/playbooks/` (overrides `site_url`).
    #[arg(long, value_parser = absolute_url)]
    pub site_url: Option<String>,
    /// Include programs marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Replace the output folder even if it holds files playbook did not
    /// write there (or is a symbolic link).
    #[arg(long)]
    pub force: bool,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
    /// Which edition: `facilitator` (everything, the default) or
    /// `participant` (no facilitator blocks or facilitator-only sessions,
    /// a participant workbook instead of the facilitator guide, results
    /// only if playbook.yaml says `participant: {results: true}`).
    #[arg(long, value_enum, default_value_t = EditionArg::Facilitator)]
    pub edition: EditionArg,
}

/// `--edition`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EditionArg {
    #[default]
    Facilitator,
    Participant,
}

impl From<EditionArg> for crate::edition::Edition {
    fn from(e: EditionArg) -> Self {
        match e {
            EditionArg::Facilitator => crate::edition::Edition::Facilitator,
            EditionArg::Participant => crate::edition::Edition::Participant,
        }
    }
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  playbook serve                  # http://127.0.0.1:1111/, reloading on every save
  playbook serve --port 0 --open  # a free port, opened in the browser")]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address (127.0.0.1,
    /// ::1) lets other machines read the site.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub open: bool,
    /// Include programs marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Watch by scanning the files regularly instead of relying on the
    /// operating system's file events (network drives, some containers and VMs).
    #[arg(long)]
    pub poll: bool,
    /// Serve under this path, e.g. `/playbooks/` (default: the path of
    /// `base_url` in playbook.yaml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Which edition to preview: `facilitator` (the default) or `participant`.
    #[arg(long, value_enum, default_value_t = EditionArg::Facilitator)]
    pub edition: EditionArg,
}

#[derive(Args, Debug, Default)]
pub(crate) struct SiteArg {
    /// The site folder (holding playbook.yaml). Default: the nearest folder
    /// upwards from the current one that holds playbook.yaml.
    pub site: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  playbook check                      # the site around the current folder
  playbook check my-playbooks --strict
  playbook check --format github      # annotations on a pull request, in GitHub Actions")]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Output format of diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    /// Snippets with the span underlined, for a terminal.
    Human,
    /// `{"diagnostics": [...], "summary": {...}}` on stdout.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), shown inline in
    /// pull requests.
    Github,
}

/// `--site-url`: only an absolute `http(s)` URL.
fn absolute_url(s: &str) -> Result<String, String> {
    match config::BaseUrl::absolute(s) {
        Some(_) => Ok(s.to_string()),
        None => Err(format!(
            "`{s}` is not an absolute URL: give the address the site is published at, such as https://example.org/playbooks/"
        ))
    }
}

/// Parse `std::env::args` and run; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Some(Command::Check(args)) => check(&args, color),
        Some(Command::Build(args)) => build(&args, color),
        Some(Command::Serve(args)) => serve(&args, color),
        Some(Command::New(args)) => new(args),
        Some(Command::Import(args)) => import(&args, color),
        Some(Command::Schema(args)) => schema(&args),
        Some(Command::Completions(args)) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut cmd, "playbook", &mut std::io::stdout());
            EXIT_OK
        }
        None => build(&BuildArgs::default(), color),
    }
}

/// Find the site root from an optional argument, or print why not.
pub(crate) fn site_root(arg: &SiteArg) -> Result<PathBuf, i32> {
    match &arg.site {
        Some(p) => {
            if !p.exists() {
                eprintln!("error: {} does not exist", p.display());
                return Err(EXIT_USAGE);
            }
            if p.join(config::CONFIG_FILE).is_file() {
                Ok(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            } else {
                eprintln!(
                    "error: {} holds no {}\n  = help: a site folder holds playbook.yaml (with at least `title:`) and content/",
                    p.display(),
                    config::CONFIG_FILE
                );
                Err(EXIT_USAGE)
            }
        }
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            config::find_root(&cwd).ok_or_else(|| {
                eprintln!(
                    "error: no {} in {} or any folder above it\n  = help: run inside a playbook site, or pass its folder: playbook check path/to/site",
                    config::CONFIG_FILE,
                    cwd.display()
                );
                EXIT_USAGE
            })
        }
    }
}

fn check(args: &CheckArgs, color: bool) -> i32 {
    let root = match site_root(&args.site) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let started = Instant::now();
    let mut compiled = compile(&root);
    if args.strict {
        diagnostics::make_strict(&mut compiled.diagnostics);
    }
    let counts = diagnostics::count(&compiled.diagnostics);
    let stats = Stats::of(&compiled.site);
    let elapsed = started.elapsed();
    match args.format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Summary {
                #[serde(flatten)]
                stats: Stats,
                #[serde(flatten)]
                counts: Counts,
                millis: u128,
            }
            let report = JsonReport {
                diagnostics: &compiled.diagnostics,
                summary: Summary {
                    stats,
                    counts,
                    millis: elapsed.as_millis(),
                },
            };
            match serde_json::to_string_pretty(&report) {
                Ok(text) => println!("{text}"),
                // No report is no answer: never an empty one with the
                // diagnostics' exit code.
                Err(e) => {
                    eprintln!("error: the JSON report could not be made: {e}");
                    return EXIT_USAGE;
                }
            }
        }
        Format::Github => {
            for d in &compiled.diagnostics {
                println!("{}", diagnostics::github_annotation(d));
            }
            eprintln!(
                "{}",
                summary_line("checked", &root, &stats, counts, elapsed)
            );
        }
        Format::Human => {
            diagnostics::emit_human(&compiled.diagnostics, &compiled.sources, color);
            eprintln!(
                "{}",
                summary_line("checked", &root, &stats, counts, elapsed)
            );
        }
    }
    exit_code(&compiled.diagnostics, counts)
}

/// The exit code for a run's diagnostics: 2 when a file could not be read
/// or written or an output folder was refused, else 1 for any error.
pub(crate) fn exit_code(reported: &[diagnostics::Reported], counts: Counts) -> i32 {
    if reported
        .iter()
        .any(|d| category_exit(d.code.category()).is_some())
    {
        EXIT_USAGE
    } else if counts.errors > 0 {
        EXIT_CONTENT
    } else {
        EXIT_OK
    }
}

/// The exit code a diagnostic of `category` forces, whatever its severity.
fn category_exit(category: Category) -> Option<i32> {
    match category {
        Category::Io | Category::Output | Category::Usage => Some(EXIT_USAGE),
        Category::Content | Category::Coverage => None,
    }
}

/// `checked 2 programs, ... — 0 errors, 1 warning in 12 ms`.
pub(crate) fn summary_line(
    verb: &str,
    root: &Path,
    stats: &Stats,
    counts: Counts,
    elapsed: std::time::Duration,
) -> String {
    format!(
        "{verb} {}: {stats} — {}, {} in {}",
        root.display(),
        plural(counts.errors, "error", "errors"),
        plural(counts.warnings, "warning", "warnings"),
        fmt_duration(elapsed)
    )
}

fn fmt_duration(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn build(args: &BuildArgs, color: bool) -> i32 {
    let root = match site_root(&args.site) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let started = Instant::now();
    let opts = crate::BuildOptions {
        render: crate::render::RenderOptions {
            base_url: args.base_url.clone(),
            drafts: args.drafts,
            site_url: args.site_url.clone(),
            edition: args.edition.into(),
        },
        output: args.output.clone(),
        strict: args.strict,
        force: args.force,
    };
    let built = crate::build(&root, &opts);
    let diags = &built.compiled.diagnostics;
    diagnostics::emit_human(diags, &built.compiled.sources, color);
    let counts = diagnostics::count(diags);
    let elapsed = started.elapsed();
    for note in &built.notes {
        eprintln!("note: {note}");
    }
    if args.timings {
        for (stage, took) in &built.timings {
            eprintln!("{:>8}  {stage}", fmt_duration(*took));
        }
    }
    match &built.published {
        Some(p) => eprintln!(
            "built {} pages ({} files, {} written) into {} in {} — {}",
            p.pages,
            p.files,
            p.written,
            built.dir.display(),
            fmt_duration(elapsed),
            plural(counts.warnings, "warning", "warnings")
        ),
        None => eprintln!(
            "nothing written: {}, {} (the previous {} is unchanged)",
            plural(counts.errors, "error", "errors"),
            plural(counts.warnings, "warning", "warnings"),
            built.dir.display()
        ),
    }
    exit_code(diags, counts)
}

fn serve(args: &ServeArgs, color: bool) -> i32 {
    let root = match site_root(&args.site) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let run = crate::serve::run(crate::serve::Options {
        root,
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        poll: args.poll,
        base_url: args.base_url.clone(),
        edition: args.edition.into(),
        color,
    });
    match run {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_USAGE
        }
    }
}

fn new(args: NewArgs) -> i32 {
    let result = match args.what {
        None => {
            let (Some(dir), Some(title)) = (args.dir, args.title) else {
                return EXIT_USAGE; // clap requires both
            };
            scaffold::site(&dir, &title, &args.program).map(|w| (dir, w))
        }
        Some(NewWhat::Program { id, title, site }) => {
            let root = match site_root(&SiteArg { site: site.site }) {
                Ok(r) => r,
                Err(code) => return code,
            };
            scaffold::program(&root, &id, &title).map(|w| (root, w))
        }
        Some(NewWhat::Session(s)) => match site_root(&SiteArg {
            site: s.site.clone(),
        }) {
            Ok(root) => scaffold::from_library::run(&root, &s).map(|w| (root, w)),
            Err(code) => return code,
        },
        Some(NewWhat::Cohort(c)) => match site_root(&SiteArg {
            site: c.site.clone(),
        }) {
            Ok(root) => scaffold::cohort::run(&root, &c).map(|w| (root, w)),
            Err(code) => return code,
        },
    };
    match result {
        Ok((root, written)) => {
            let cwd = std::env::current_dir().unwrap_or_default();
            let shown = |p: &Path| p.strip_prefix(&cwd).unwrap_or(p).display().to_string();
            for w in &written {
                eprintln!("created {}", shown(w));
            }
            let site = if root == cwd || root.as_os_str().is_empty() {
                String::new()
            } else {
                format!(" {}", shown(&root))
            };
            eprintln!(
                "next: edit the files (a comment explains each key), then `playbook check{site}`, or `playbook serve{site}` to see the site"
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {}\n  = help: {}", e.message, e.hint);
            EXIT_USAGE
        }
    }
}

fn import(args: &crate::import::ImportArgs, color: bool) -> i32 {
    let root = match site_root(&SiteArg {
        site: args.site.clone(),
    }) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let out = crate::import::run(&root, args);
    diagnostics::emit_human(
        &diagnostics::finalize(out.diags, &out.sources),
        &out.sources,
        color,
    );
    for line in &out.summary {
        eprintln!("{line}");
    }
    match out.status {
        crate::import::Status::Ok => EXIT_OK,
        crate::import::Status::Content => EXIT_CONTENT,
        crate::import::Status::Usage => EXIT_USAGE,
    }
}

fn schema(args: &SchemaArgs) -> i32 {
    if let Some(link) = crate::write::paths::linked_part(&args.output) {
        eprintln!(
            "error: refusing to write the schemas into {}: {} is a symbolic link\n  = help: give a folder that is not a link (or the link's target itself) with --output",
            args.output.display(),
            link.display()
        );
        return EXIT_USAGE;
    }
    let written = std::fs::create_dir_all(&args.output).and_then(|()| {
        crate::schema::all()
            .into_iter()
            .map(|(name, text)| {
                let path = args.output.join(name);
                crate::write::replace_file(&path, text.as_bytes()).map(|()| path)
            })
            .collect::<std::io::Result<Vec<_>>>()
    });
    match written {
        Ok(paths) => {
            for p in paths {
                eprintln!("wrote {}", p.display());
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write the schemas into {}: {e}\n  = help: check that the folder is writable",
                args.output.display()
            );
            EXIT_USAGE
        }
    }
}
