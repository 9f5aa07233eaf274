//! The types YAML positions and errors are described with: a path to a
//! node (`actions[2].competencies[0]`) and a document that failed to parse.

use std::fmt;

use crate::diagnostics::code::Code;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path to a node, e.g. `actions[2].competencies[0]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YamlPath(pub Vec<Seg>);

impl YamlPath {
    pub fn root() -> Self {
        YamlPath(Vec::new())
    }
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A YAML document that could not be read into its typed form.
#[derive(Debug, Clone)]
pub(crate) struct YamlError {
    /// Stable diagnostic code (`yaml-syntax`, `unknown-key`, `wrong-type`, ...).
    pub code: Code,
    pub message: String,
    /// Byte offset in the document, when the parser knows it.
    pub offset: Option<usize>,
    pub hint: Option<String>,
}
