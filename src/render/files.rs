//! Files published as they are: the theme's static files (stylesheet,
//! favicon, anything in `static/`) and each published program's session
//! assets (images, handouts), copied from disk when written.

use crate::diagnostics::Diagnostic;
use crate::output::{Chunk, OutFile};
use crate::theme::{StaticFile, Theme};

use super::emit::{Emitter, ProgramContext, SiteContext};

/// The static-files emitter.
pub(crate) struct Files<'a>(pub &'a Theme);

impl Emitter for Files<'_> {
    fn emit_site(&self, _: &SiteContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        for (path, f) in &self.0.statics {
            let file = match f {
                StaticFile::Embedded(b) => OutFile::Static(b),
                StaticFile::Disk(p) => OutFile::Copy(p.clone()),
            };
            out.files.insert(path.clone(), file);
        }
        Ok(())
    }

    fn emit_program(&self, cx: &ProgramContext, out: &mut Chunk) -> Result<(), Vec<Diagnostic>> {
        let (p, urls) = (cx.program, cx.urls());
        for a in &p.assets {
            out.files.insert(
                urls.asset(a).path,
                OutFile::Copy(p.dir.join(crate::layout::SESSIONS).join(a)),
            );
        }
        Ok(())
    }
}
