//! The floor for `playbook build` on a corpus of session guides: the least a
//! static site generator must do to publish them, and so a time no generator
//! can beat on this job.
//!
//!   cargo bench --bench floor -- SITE OUT
//!
//! Reads every session guide `SITE/content/<program>/sessions/*.md` (program
//! folders starting with `.` or `_` are skipped, as playbook does), splits off
//! the front matter between `---` lines, takes `title:` from it, renders the
//! markdown with pulldown-cmark and playbook's options
//! (`playbook::markdown_options as options()`), wraps it in a minimal HTML page (the one gen-corpus gives
//! Hugo) and writes it to `OUT/<program>/sessions/<id>/index.html`, on all
//! cores with rayon (one thread per core; `RAYON_NUM_THREADS=N` for another
//! count: on a slow disk, more threads than cores hide the latency of each
//! file write). Files are created or overwritten in place, like Hugo:
//! no temporary folder, no swap, stale files are left alone. It does not
//! parse the YAML, check anything, rewrite links, sanitize raw HTML or
//! render any other page. Prints the files written and the elapsed time.

// A test or bench binary has no public surface: `pub` only shares items
// between its modules.
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use playbook::markdown_options as options;
use pulldown_cmark::{html, Event, Parser};
use rayon::prelude::*;

fn main() {
    // `cargo bench` passes `--bench` to every bench binary.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [site, out] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench floor -- SITE OUT");
        std::process::exit(2);
    };
    let start = Instant::now();
    let built = session_guides(Path::new(site)).and_then(|guides| {
        guides
            .par_iter()
            .map(|(program, guide)| build_one(program, guide, Path::new(out)))
            .collect::<Result<Vec<()>, String>>()
    });
    let written = match built {
        Ok(files) => files.len(),
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{written} files written to {out} in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
}

/// `(program, guide path)` for every `content/<program>/sessions/*.md`.
fn session_guides(site: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let content = site.join("content");
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", content.display());
    let mut guides = Vec::new();
    for program in std::fs::read_dir(&content).map_err(|e| err(&e))? {
        let program = program.map_err(|e| err(&e))?;
        let name = program.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with('_') {
            continue;
        }
        let sessions = program.path().join("sessions");
        if !sessions.is_dir() {
            continue;
        }
        let entries = walkdir::WalkDir::new(&sessions)
            .min_depth(1)
            .max_depth(1)
            .follow_links(true);
        for entry in entries {
            let entry = entry.map_err(|e| err(&e))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
                guides.push((name.clone(), entry.into_path()));
            }
        }
    }
    Ok(guides)
}

fn build_one(program: &str, guide: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(guide).map_err(|e| format!("{}: {e}", guide.display()))?;
    let (front, body) =
        split_front_matter(&text).ok_or_else(|| format!("{}: no front matter", guide.display()))?;
    let title = front
        .lines()
        .find_map(|l| l.strip_prefix("title:"))
        .map(|t| t.trim().trim_matches(|c| c == '"' || c == '\''))
        .ok_or_else(|| format!("{}: no title", guide.display()))?;
    let mut page = String::with_capacity(body.len() * 2 + 256);
    page.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    html::push_html(&mut page, std::iter::once(Event::Text(title.into())));
    page.push_str("</title></head><body><h1>");
    html::push_html(&mut page, std::iter::once(Event::Text(title.into())));
    page.push_str("</h1>");
    html::push_html(&mut page, Parser::new_ext(body, options()));
    page.push_str("</body></html>\n");

    let id = guide.file_stem().unwrap().to_string_lossy();
    let dir = out.join(program).join("sessions").join(&*id);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("index.html");
    std::fs::write(&file, page).map_err(|e| format!("{}: {e}", file.display()))
}

/// `(front matter, body)`: the first line is `---`, the front matter ends at
/// the next `---` (or `...`) line, as in playbook's `split_front_matter`.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let mut lines = text.split_inclusive('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let front_start = text.find('\n')? + 1;
    let mut pos = front_start;
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((&text[front_start..pos], &text[pos + line.len()..]));
        }
        pos += line.len();
    }
    None
}
