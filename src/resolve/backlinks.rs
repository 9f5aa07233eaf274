//! Back-links: every reverse list of the graph (a value's competencies, a
//! competency's actions, sessions, signals and metrics, …) filled from the
//! forward references authors write, so that the graph reads both ways.

use crate::graph::{Ix, Program};

fn add<T>(v: &mut Vec<Ix<T>>, x: Ix<T>) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// Fill every reverse list of `p` from its forward references.
pub(super) fn fill(p: &mut Program) {
    for (ci, c) in p.competencies.iter().enumerate() {
        for &v in &c.values {
            add(&mut p.values[v.index()].competencies, Ix::new(ci));
        }
    }
    for (ai, a) in p.actions.iter().enumerate() {
        for &c in &a.competencies {
            add(&mut p.competencies[c.index()].actions, Ix::new(ai));
        }
    }
    for (si, s) in p.signals.iter().enumerate() {
        for &c in &s.competencies {
            add(&mut p.competencies[c.index()].signals, Ix::new(si));
        }
        for &a in &s.actions {
            add(&mut p.actions[a.index()].signals, Ix::new(si));
        }
    }
    for (mi, m) in p.metrics.iter().enumerate() {
        for &s in &m.signals {
            add(&mut p.signals[s.index()].metrics, Ix::new(mi));
        }
        if let Some(i) = m.instrument {
            add(&mut p.instruments[i.index()].metrics, Ix::new(mi));
        }
    }
    for (si, s) in p.sessions.iter().enumerate() {
        let si = Ix::new(si);
        for &c in &s.competencies {
            add(&mut p.competencies[c.index()].sessions, si);
        }
        for &a in &s.actions {
            add(&mut p.actions[a.index()].sessions, si);
        }
        for &pr in &s.practices {
            add(&mut p.practices[pr.index()].sessions, si);
            let a = p.practices[pr.index()].action;
            add(&mut p.actions[a.index()].sessions, si);
        }
        for &m in &s.metrics {
            add(&mut p.metrics[m.index()].sessions, si);
            if let Some(i) = p.metrics[m.index()].instrument {
                add(&mut p.instruments[i.index()].sessions, si);
            }
        }
    }
    let pairs: Vec<_> = p
        .sessions
        .iter()
        .enumerate()
        .flat_map(|(si, s)| s.requires.iter().map(move |&r| (r, Ix::new(si))))
        .collect();
    for (r, si) in pairs {
        add(&mut p.sessions[r.index()].required_by, si);
    }
    // Actions' sessions in curriculum order (practices may add them late).
    for a in &mut p.actions {
        a.sessions.sort_unstable();
    }
    // A competency's metrics: those evidencing its signals.
    for c in &mut p.competencies {
        let mut ms: Vec<_> = c
            .signals
            .iter()
            .flat_map(|&s| p.signals[s.index()].metrics.iter().copied())
            .collect();
        ms.sort_unstable();
        ms.dedup();
        c.metrics = ms;
    }
    for i in &mut p.instruments {
        i.sessions.sort_unstable();
    }
}
