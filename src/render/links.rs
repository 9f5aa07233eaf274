//! Links to every entity of a program, made once, and markdown rendered
//! with its resolved links ([`Target`]s) rewritten to those pages' URLs.

use crate::graph::{Entity, EntityKind, EntityRef, Ix, Program, Target, Text};
use crate::markdown::{self, Document, Edition, HtmlOptions, Outline, RawHtml};

use super::fingerprint::Fingerprint;
use super::format::{self, shorten};
use super::urls::ProgramUrls;
use super::view::LinkView;

/// The link `{id, title, url}` of every entity of a program, by kind and
/// index.
pub(crate) struct Links {
    by_kind: [Vec<LinkView>; 9],
}

impl Links {
    pub(crate) fn new(p: &Program, urls: &ProgramUrls, raw: RawHtml) -> Self {
        fn make<T: Entity>(
            p: &Program,
            urls: &ProgramUrls,
            title: impl Fn(&T) -> String,
        ) -> Vec<LinkView> {
            T::all(p)
                .iter()
                .map(|x| LinkView {
                    id: x.id().to_string(),
                    title: format::title(&title(x)),
                    url: urls.entity(T::KIND, x.id()).url,
                })
                .collect()
        }
        let plain = |t: &Text| markdown::to_plain(&t.src, raw);
        Links {
            by_kind: [
                make(p, urls, |v: &crate::graph::Value| v.name.clone()),
                make(p, urls, |c: &crate::graph::Competency| c.name.clone()),
                make(p, urls, |a: &crate::graph::Action| plain(&a.action)),
                make(p, urls, |x: &crate::graph::Practice| {
                    shorten(&plain(&x.scenario), 80)
                }),
                make(p, urls, |s: &crate::graph::Signal| plain(&s.signal)),
                make(p, urls, |e: &crate::graph::Enabler| plain(&e.enabler)),
                make(p, urls, |m: &crate::graph::Metric| m.name.clone()),
                make(p, urls, |i: &crate::graph::Instrument| i.name.clone()),
                make(p, urls, |s: &crate::graph::Session| s.title.clone()),
            ],
        }
    }

    /// Every link of one kind, by index.
    pub(crate) fn all(&self, kind: EntityKind) -> &[LinkView] {
        &self.by_kind[kind as usize]
    }

    pub(crate) fn get<T: Entity>(&self, ix: Ix<T>) -> &LinkView {
        &self.all(T::KIND)[ix.index()]
    }

    pub(crate) fn one<T: Entity>(&self, ix: Ix<T>) -> LinkView {
        self.get(ix).clone()
    }

    pub(crate) fn list<T: Entity>(&self, ixs: &[Ix<T>]) -> Vec<LinkView> {
        ixs.iter().map(|&i| self.one(i)).collect()
    }

    fn of_ref(&self, r: EntityRef) -> &LinkView {
        &self.all(r.kind())[r.index()]
    }
}

/// A session guide's body, rendered every way a site shows it.
#[derive(Clone)]
pub(crate) struct SessionBody {
    /// On its own page.
    pub html: String,
    /// In the one-page guide or workbook.
    pub guide: String,
    /// As plain text, for search.
    pub plain: String,
}

/// Markdown of one program rendered to HTML with links resolved.
pub(crate) struct Md<'a> {
    pub urls: &'a ProgramUrls<'a>,
    pub links: &'a Links,
    /// What raw HTML in the markdown becomes.
    pub raw: RawHtml,
    /// Which edition: the participant edition leaves `facilitator` blocks out.
    pub edition: Edition,
}

impl Md<'_> {
    fn url_of(&self, t: &Target) -> String {
        match t {
            Target::External(s) | Target::Broken(s) => s.clone(),
            Target::Anchor(a) => format!("#{a}"),
            Target::Asset(p) => self.urls.asset(p).url,
            Target::Entity(r, anchor) => {
                let mut u = self.links.of_ref(*r).url.clone();
                if let Some(a) = anchor {
                    u.push('#');
                    u.push_str(a);
                }
                u
            }
        }
    }

    /// A block of markdown, headings shifted down by `shift` levels.
    pub(crate) fn block(&self, t: &Text, shift: u8) -> String {
        self.block_of(&Document::parse(&t.src), t, shift)
    }

    fn block_of(&self, doc: &Document, t: &Text, shift: u8) -> String {
        let opts = HtmlOptions {
            outline: Outline::Shift(shift),
            raw: self.raw,
            edition: self.edition,
            ..HtmlOptions::default()
        };
        self.html(doc, t, &opts)
    }

    /// A session guide's body, parsed once: for its own page, for the
    /// one-page facilitator guide (outline from `h3`, heading ids and links
    /// to them prefixed with `guide_prefix`), and as plain text (for search).
    pub(crate) fn session_body(&self, t: &Text, guide_prefix: &str) -> SessionBody {
        let doc = Document::parse(&t.src);
        let edition = self.edition;
        SessionBody {
            plain: doc.plain(self.raw, edition == Edition::Facilitator),
            html: self.html(
                &doc,
                t,
                &HtmlOptions {
                    edition,
                    ..HtmlOptions::session_page(self.raw)
                },
            ),
            guide: self.html(
                &doc,
                t,
                &HtmlOptions {
                    edition,
                    ..HtmlOptions::guide(self.raw, guide_prefix)
                },
            ),
        }
    }

    /// What [`Md::session_body`] of `t` is made from, as a fingerprint:
    /// the text, where each of its links leads, and the options.
    pub(crate) fn session_body_key(&self, t: &Text, guide_prefix: &str) -> u128 {
        let f = Fingerprint::new()
            .of_bytes(t.src.as_bytes())
            .of_bytes(guide_prefix.as_bytes())
            .of(&self.raw)
            .of(&(self.edition == Edition::Participant));
        t.links
            .iter()
            .fold(f, |f, l| f.of_bytes(self.url_of(l).as_bytes()))
            .finish()
    }

    fn html(&self, doc: &Document, t: &Text, opts: &HtmlOptions) -> String {
        let prefix = opts.id_prefix;
        doc.to_html(opts, &mut |i, dest| match t.links.get(i) {
            Some(Target::Anchor(a)) => format!("#{prefix}{a}"),
            Some(l) => self.url_of(l),
            None => dest.to_string(),
        })
    }

    /// HTML without a wrapping paragraph, for short fields.
    pub(crate) fn inline(&self, t: &Text) -> String {
        self.inline_of(&Document::parse(&t.src), t)
    }

    fn inline_of(&self, doc: &Document, t: &Text) -> String {
        let html = self.block_of(doc, t, 0);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => html,
        }
    }

    /// Phrasing content only, for a title shown in headings and links
    /// (an action, a signal, an enabler): a text of more than one
    /// paragraph (`check` warns) is flattened, line breaks between its
    /// parts.
    pub(crate) fn title(&self, t: &Text) -> String {
        self.title_of(&Document::parse(&t.src), t)
    }

    fn title_of(&self, doc: &Document, t: &Text) -> String {
        let opts = HtmlOptions {
            raw: self.raw,
            edition: self.edition,
            phrasing: true,
            ..HtmlOptions::default()
        };
        self.html(doc, t, &opts).trim_end().to_string()
    }

    /// [`Md::inline`] and [`Md::title`] of `t`, from one parse (a practice
    /// scenario is shown both ways).
    pub(crate) fn inline_and_title(&self, t: &Text) -> (String, String) {
        let doc = Document::parse(&t.src);
        (self.inline_of(&doc, t), self.title_of(&doc, t))
    }

    pub(crate) fn opt_inline(&self, t: &Option<Text>) -> Option<String> {
        t.as_ref().map(|t| self.inline(t))
    }
}
