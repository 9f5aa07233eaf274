//! What one `playbook serve` rebuild costs after a session guide is edited:
//! load + resolve + check of what the edit touches (`compile`, with the
//! compile cache `serve` keeps), render with the page cache it keeps, and
//! the served site's assembly (`serve`) — what serve's "rebuilt in" line
//! measures, minus the swap.
//!
//!   cargo bench --bench rebuild -- [SITE] [--rounds N] [--alternate]
//!
//! SITE (default: the repository's example) is copied to a temporary folder;
//! each round appends a line to one session guide and rebuilds
//! (`--alternate`: to the first session guide of the first and of the
//! second program in turn, as when two programs are being worked on). Prints the
//! median and maximum of each phase over the rounds. For counts that do not
//! depend on the machine's load, run the binary under
//! `valgrind --tool=callgrind` and compare instruction totals.

// A test or bench binary has no public surface: `pub` only shares items
// between its modules.
#![allow(unreachable_pub)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use playbook::{BuildOptions, PageCache};
use playbook::{Changed, Incremental};
use playbook::{ServedSite, SiteCache};

fn main() {
    let mut site = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut rounds = 20usize;
    let mut alternate = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            "--alternate" => alternate = true,
            "--bench" => {}
            _ => site = PathBuf::from(a),
        }
    }
    let tmp = std::env::temp_dir().join(format!("playbook-rebuild-{}", std::process::id()));
    copy_site(&site, &tmp);
    let sessions = first_sessions(&tmp.join("content"), if alternate { 2 } else { 1 });
    assert!(
        !sessions.is_empty() && (!alternate || sessions.len() == 2),
        "the site needs a session guide (two programs with one for --alternate)"
    );
    let opts = BuildOptions::default();
    let mut compiler = Incremental::default();
    let mut cache = PageCache::default();
    let mut served = SiteCache::default();
    let first = playbook::render_compiled(
        &tmp,
        compiler.compile(&tmp, Changed::Anything),
        &opts,
        Some(&mut cache),
    );
    let output = first.output.expect("the site must build without errors");
    ServedSite::from_output(output, "0".into(), "/".into(), &mut served).unwrap();
    let pages = cache.rendered().len();

    let (mut compile, mut render, mut serve, mut rendered) =
        (Vec::new(), Vec::new(), Vec::new(), 0);
    for i in 0..rounds {
        let session = &sessions[i % sessions.len()];
        let changed = [session.clone()];
        let mut text = std::fs::read_to_string(session).unwrap();
        text.push_str(&format!("\nEdit {i}.\n"));
        std::fs::write(session, text).unwrap();
        let t0 = Instant::now();
        let compiled = compiler.compile(&tmp, Changed::Paths(&changed));
        let t1 = Instant::now();
        let built = playbook::render_compiled(&tmp, compiled, &opts, Some(&mut cache));
        let t2 = Instant::now();
        let output = built.output.expect("renders");
        let site = ServedSite::from_output(output, i.to_string(), "/".into(), &mut served);
        let t3 = Instant::now();
        assert!(site.is_ok());
        compile.push(t1 - t0);
        render.push(t2 - t1);
        serve.push(t3 - t2);
        rendered = cache.rendered().len();
        drop((built.compiled, site));
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let total: Vec<Duration> = (0..rounds)
        .map(|i| compile[i] + render[i] + serve[i])
        .collect();
    let names: Vec<String> = sessions
        .iter()
        .map(|s| s.strip_prefix(&tmp).unwrap_or(s).display().to_string())
        .collect();
    println!(
        "{} edits of {} ({rendered} of {pages} pages rendered the last time)",
        rounds,
        names.join(" and ")
    );
    for (name, times) in [
        ("compile", compile),
        ("render", render),
        ("serve", serve),
        ("total", total),
    ] {
        println!("{name:>8}: {}", summary(times));
    }
}

fn summary(mut times: Vec<Duration>) -> String {
    if times.is_empty() {
        return "no rounds".into();
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    format!(
        "median {:.1} ms, max {:.1} ms",
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap())
    )
}

fn copy_site(from: &Path, to: &Path) {
    for name in ["playbook.yaml", "content", "templates", "static", "themes"] {
        let src = from.join(name);
        if !src.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&src) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
}

/// The first session guide of each of the first `n` programs.
fn first_sessions(content: &Path, n: usize) -> Vec<PathBuf> {
    let mut sessions: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.components().any(|c| c.as_os_str() == "sessions")
        })
        .collect();
    sessions.sort();
    let program = |p: &Path| {
        p.strip_prefix(content)
            .ok()?
            .components()
            .next()
            .map(|c| c.as_os_str().to_owned())
    };
    let mut out: Vec<PathBuf> = Vec::new();
    for s in sessions {
        if out.len() == n {
            break;
        }
        if out.iter().all(|o| program(o) != program(&s)) {
            out.push(s);
        }
    }
    out
}
