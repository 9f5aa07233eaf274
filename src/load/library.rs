//! Load the session library (FORMAT.md v1.2): the guides of
//! `library/sessions/*.md` at the site root, read like a program's guides
//! (symbolic links followed only while they stay inside the site).

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, FileId};

use super::{is_hidden_or_backup, read_all, sorted_dir, Found, Loader};
use crate::layout::{LIBRARY, LIBRARY_SESSIONS};

impl Loader {
    /// The library's guides, read and registered, sorted by file name
    /// (none when the site has no library).
    pub(crate) fn library(
        &self,
        register: &mut dyn FnMut(String, String) -> FileId,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<FileId> {
        let dir = self.root.join(LIBRARY_SESSIONS);
        if self.fence.find(&self.root.join(LIBRARY), diags) != Found::Dir
            || self.fence.find(&dir, diags) != Found::Dir
        {
            return Vec::new();
        }
        let wanted: Vec<PathBuf> = sorted_dir(&dir, diags, &self.root)
            .into_iter()
            .filter(|p| {
                let name = p.file_name().unwrap_or_default().to_string_lossy();
                !is_hidden_or_backup(&name) && name.ends_with(".md")
            })
            .filter(|p| self.fence.find(p, diags) == Found::File)
            .collect();
        read_all(&self.root, &wanted, register)
            .into_iter()
            .filter_map(|r| r.map_err(|d| diags.push(*d)).ok())
            .collect()
    }
}
