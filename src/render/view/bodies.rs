//! A program's session bodies, made once per build: each rendered to
//! HTML, for the guide and as plain text, or taken from the program's last
//! build where what it is made from (its key) is unchanged.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::graph::Program;

use super::super::fingerprint::Fingerprint;
use super::super::links::{Md, SessionBody};

/// The program's session bodies (curriculum order): each one's key, and
/// the body as a page, in the guide and as plain text.
pub(super) struct Bodies {
    pub keys: Vec<u128>,
    pub html: Vec<String>,
    pub guide: Vec<String>,
    pub plain: Vec<String>,
}

/// The bodies of the program's last build, as [`Bodies`] holds them.
pub(super) struct Previous<'a> {
    pub keys: &'a [u128],
    pub html: &'a [String],
    pub guide: &'a [String],
    pub plain: &'a [String],
}

impl Bodies {
    /// Each session's body, rendered, or taken from `previous` where its
    /// key is that of a body there.
    pub(super) fn of(p: &Program, md: &Md, previous: Option<Previous>) -> Bodies {
        let known: HashMap<u128, usize> = previous
            .as_ref()
            .map(|b| b.keys.iter().enumerate().map(|(i, k)| (*k, i)).collect())
            .unwrap_or_default();
        let made: Vec<(u128, SessionBody)> = p
            .sessions
            .par_iter()
            .map(|s| {
                let prefix = format!("{}-", s.id);
                let key = md.session_body_key(&s.body, &prefix);
                let body = match (&previous, known.get(&key)) {
                    (Some(b), Some(&i)) => SessionBody {
                        html: b.html[i].clone(),
                        guide: b.guide[i].clone(),
                        plain: b.plain[i].clone(),
                    },
                    _ => md.session_body(&s.body, &prefix),
                };
                (key, body)
            })
            .collect();
        let mut bodies = Bodies {
            keys: Vec::with_capacity(made.len()),
            html: Vec::with_capacity(made.len()),
            guide: Vec::with_capacity(made.len()),
            plain: Vec::with_capacity(made.len()),
        };
        for (key, body) in made {
            bodies.keys.push(key);
            bodies.html.push(body.html);
            bodies.guide.push(body.guide);
            bodies.plain.push(body.plain);
        }
        bodies
    }

    /// The fingerprint of every guide body together.
    pub(super) fn fingerprint(&self) -> u128 {
        self.keys
            .iter()
            .fold(Fingerprint::new(), |f, k| f.of_u128(*k))
            .finish()
    }
}
