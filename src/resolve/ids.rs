//! The ids a program defines, one table per entity kind: every id checked
//! (well-formed, unique within its kind) as it is registered, then looked
//! up by every reference, with the closest id as a hint when one is unknown.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::{Code, Diagnostic, FileId, Loc};
use crate::graph::{Entity, EntityKind, Ix};
use crate::load::RawProgram;
use crate::model::{
    is_valid_id, suggest_id, ActionMapDoc, CompetenciesDoc, EvaluationDoc, MetricsDoc,
};
use crate::suggest::Budget;
use crate::yaml::{Repairs, YamlPath};

use super::parse::Docs;

/// A document that defines ids: which kinds, and every id with the YAML
/// path of its `id:` key, in file order.
pub(super) trait Defines {
    const KINDS: [EntityKind; 2];
    fn ids(&self) -> Vec<(EntityKind, &str, YamlPath)>;
}

/// `(kind, id, <key>[i].id)` for each id of one list.
fn listed<'a>(
    kind: EntityKind,
    list: YamlPath,
    ids: impl Iterator<Item = &'a str>,
) -> impl Iterator<Item = (EntityKind, &'a str, YamlPath)> {
    ids.enumerate()
        .map(move |(i, id)| (kind, id, list.index(i).key("id")))
}

impl Defines for CompetenciesDoc {
    const KINDS: [EntityKind; 2] = [EntityKind::Value, EntityKind::Competency];
    fn ids(&self) -> Vec<(EntityKind, &str, YamlPath)> {
        let root = YamlPath::root();
        listed(
            EntityKind::Value,
            root.key("values"),
            self.values.iter().map(|v| v.id.as_str()),
        )
        .chain(listed(
            EntityKind::Competency,
            root.key("competencies"),
            self.competencies.iter().map(|c| c.id.as_str()),
        ))
        .collect()
    }
}

impl Defines for ActionMapDoc {
    const KINDS: [EntityKind; 2] = [EntityKind::Action, EntityKind::Practice];
    fn ids(&self) -> Vec<(EntityKind, &str, YamlPath)> {
        let actions = YamlPath::root().key("actions");
        let mut out: Vec<_> = listed(
            EntityKind::Action,
            actions.clone(),
            self.actions.iter().map(|a| a.id.as_str()),
        )
        .collect();
        for (i, a) in self.actions.iter().enumerate() {
            out.extend(listed(
                EntityKind::Practice,
                actions.index(i).key("practices"),
                a.practices.iter().map(|p| p.id.as_str()),
            ));
        }
        out
    }
}

impl Defines for EvaluationDoc {
    const KINDS: [EntityKind; 2] = [EntityKind::Signal, EntityKind::Enabler];
    fn ids(&self) -> Vec<(EntityKind, &str, YamlPath)> {
        let root = YamlPath::root();
        listed(
            EntityKind::Signal,
            root.key("signals"),
            self.signals.iter().map(|s| s.id.as_str()),
        )
        .chain(listed(
            EntityKind::Enabler,
            root.key("enablers"),
            self.enablers.iter().map(|e| e.id.as_str()),
        ))
        .collect()
    }
}

impl Defines for MetricsDoc {
    const KINDS: [EntityKind; 2] = [EntityKind::Metric, EntityKind::Instrument];
    fn ids(&self) -> Vec<(EntityKind, &str, YamlPath)> {
        let root = YamlPath::root();
        listed(
            EntityKind::Metric,
            root.key("metrics"),
            self.metrics.iter().map(|m| m.id.as_str()),
        )
        .chain(listed(
            EntityKind::Instrument,
            root.key("instruments"),
            self.instruments.iter().map(|i| i.id.as_str()),
        ))
        .collect()
    }
}

/// Id → index, per kind.
#[derive(Default)]
pub(super) struct Ids {
    maps: [HashMap<String, usize>; 9],
    /// Entities registered per kind (duplicates included: an entity's index
    /// is its position in its file).
    counts: [usize; 9],
    /// Kinds whose defining file failed to load: references to them are not
    /// reported, to avoid a flood of follow-on errors.
    unknown_kinds: [bool; 9],
    /// Sessions whose front matter could not be read at all: links to
    /// their guide are not checked (same reason).
    pub failed_sessions: HashSet<String>,
    /// The repairs of each document read with errors: a placeholder is not
    /// an id the author wrote, neither as a definition nor as a reference.
    repairs: HashMap<FileId, Repairs>,
    /// The ids of each kind, sorted (for hints), once registration is done.
    sorted: [Vec<String>; 9],
}

impl Ids {
    /// Register every id of a program's documents and sessions (id and
    /// file, in curriculum order); `failed` are the ids of session guides
    /// whose front matter could not be read, `repairs` those of every
    /// document (and front matter) read with errors.
    pub(super) fn register_all<'a>(
        docs: &Docs,
        sessions: impl Iterator<Item = (&'a str, FileId)>,
        failed: HashSet<String>,
        repairs: HashMap<FileId, Repairs>,
        diags: &mut Vec<Diagnostic>,
    ) -> Ids {
        let mut ids = Ids {
            repairs,
            ..Ids::default()
        };
        ids.define(docs.competencies.as_ref(), diags);
        ids.define(docs.action_map.as_ref(), diags);
        ids.define(docs.evaluation.as_ref(), diags);
        ids.define(docs.metrics.as_ref(), diags);
        for (id, file) in sessions {
            ids.register(EntityKind::Session, id, Loc::File(file), diags);
        }
        ids.failed_sessions = failed;
        for (sorted, map) in ids.sorted.iter_mut().zip(&ids.maps) {
            *sorted = map.keys().cloned().collect();
            sorted.sort_unstable();
        }
        ids
    }

    /// The ids of a document, or (when it failed) its kinds marked unknown.
    fn define<D: Defines>(&mut self, doc: Option<&(FileId, D)>, diags: &mut Vec<Diagnostic>) {
        match doc {
            Some((f, d)) => {
                for (kind, id, path) in d.ids() {
                    if self.is_placeholder(*f, &path) {
                        // An entry whose id could not be read keeps its place.
                        self.counts[kind as usize] += 1;
                        continue;
                    }
                    self.register(kind, id, Loc::Yaml(*f, 0, path), diags);
                }
            }
            None => {
                for k in D::KINDS {
                    self.unknown_kinds[k as usize] = true;
                }
            }
        }
    }

    /// Register the next entity of `kind`; report a malformed or duplicate id.
    fn register(&mut self, kind: EntityKind, id: &str, loc: Loc, diags: &mut Vec<Diagnostic>) {
        let index = self.counts[kind as usize];
        self.counts[kind as usize] += 1;
        if !is_valid_id(id) {
            let fixed = suggest_id(id);
            diags.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!("`{id}` is not a valid {} id", kind.prefix()),
                    loc.clone(),
                )
                .with_label("ids use lowercase letters a-z, digits and `-`")
                .with_hint_opt((!fixed.is_empty()).then(|| format!("write it as `{fixed}`"))),
            );
        }
        let map = &mut self.maps[kind as usize];
        if map.contains_key(id) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("duplicate {} id `{id}`", kind.prefix()),
                    loc,
                )
                .with_label("already defined above")
                .with_hint(format!(
                    "{} ids must be unique within a program; rename one of them",
                    kind.prefix()
                )),
            );
        } else {
            map.insert(id.to_string(), index);
        }
    }

    pub(super) fn get(&self, kind: EntityKind, id: &str) -> Option<usize> {
        self.maps[kind as usize].get(id).copied()
    }

    pub(super) fn get_ix<T: Entity>(&self, id: &str) -> Option<Ix<T>> {
        self.get(T::KIND, id).map(Ix::new)
    }

    /// Whether an unknown reference to `id` is a follow-on of another error.
    pub(super) fn suppressed(&self, kind: EntityKind, id: &str) -> bool {
        self.unknown_kinds[kind as usize]
            || (kind == EntityKind::Session && self.failed_sessions.contains(id))
    }

    /// Whether the node at `path` of the YAML in `file` is a placeholder of
    /// a document read with errors, not something its author wrote.
    pub(super) fn is_placeholder(&self, file: FileId, path: &YamlPath) -> bool {
        !self.repairs.is_empty()
            && self
                .repairs
                .get(&file)
                .is_some_and(|r| r.is_placeholder(path))
    }

    /// The ids of `kind`, sorted.
    pub(super) fn ids(&self, kind: EntityKind) -> impl ExactSizeIterator<Item = &str> {
        self.sorted[kind as usize].iter().map(String::as_str)
    }

    /// A folder under `sessions/` named like a session would be published
    /// over that session's page.
    pub(super) fn check_asset_folders(&self, raw: &RawProgram, diags: &mut Vec<Diagnostic>) {
        for a in &raw.assets {
            let Some((first, _)) = a.split_once('/') else {
                continue;
            };
            if self.get(EntityKind::Session, first).is_some() {
                diags.push(
                    Diagnostic::error(
                        Code::AssetConflict,
                        format!("the folder `sessions/{first}/` has the name of session `{first}`"),
                        Loc::Path(format!("content/{}/sessions/{a}", raw.id)),
                    )
                    .with_hint(
                        "its files would be published over the session's page: rename the folder",
                    ),
                );
            }
        }
    }

    /// The closest id of `kind` to `id`, while `budget` lasts.
    pub(super) fn closest(&self, kind: EntityKind, id: &str, budget: &Budget) -> Option<String> {
        budget.suggest(id, self.ids(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionDoc, GoalDoc, PracticeDoc};

    #[test]
    fn practices_are_listed_under_their_action_after_every_action() {
        let practice = |id: &str| PracticeDoc {
            id: id.into(),
            scenario: String::new(),
        };
        let action = |id: &str, practices| ActionDoc {
            id: id.into(),
            action: String::new(),
            competencies: vec![],
            barriers: vec![],
            practices,
            information: vec![],
        };
        let doc = ActionMapDoc {
            goal: GoalDoc {
                statement: String::new(),
                measure: None,
            },
            actions: vec![
                action("a", vec![practice("p"), practice("q")]),
                action("b", vec![practice("r")]),
            ],
        };
        let got: Vec<(EntityKind, &str, String)> = doc
            .ids()
            .into_iter()
            .map(|(k, id, p)| (k, id, p.to_string()))
            .collect();
        let want = [
            (EntityKind::Action, "a", "actions[0].id"),
            (EntityKind::Action, "b", "actions[1].id"),
            (EntityKind::Practice, "p", "actions[0].practices[0].id"),
            (EntityKind::Practice, "q", "actions[0].practices[1].id"),
            (EntityKind::Practice, "r", "actions[1].practices[0].id"),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1, g.2.as_str()), w);
        }
    }

    #[test]
    fn duplicates_keep_the_first_index_and_advance_the_count() {
        let mut ids = Ids::default();
        let mut diags = Vec::new();
        for id in ["a", "b", "a", "Bad Id"] {
            ids.register(EntityKind::Metric, id, Loc::None, &mut diags);
        }
        assert_eq!(ids.get(EntityKind::Metric, "a"), Some(0));
        assert_eq!(ids.get(EntityKind::Metric, "b"), Some(1));
        assert_eq!(ids.get(EntityKind::Metric, "Bad Id"), Some(3));
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::DuplicateId, Code::InvalidId]);
        assert_eq!(
            diags[1].hint.as_deref(),
            Some("write it as `bad-id`"),
            "{:?}",
            diags[1]
        );
        assert_eq!(ids.get(EntityKind::Signal, "a"), None);
    }
}
