//! Decoding a CSV export: bytes to text, as Excel and the survey tools
//! save them. A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE —
//! Excel's "Unicode text"); without one, valid UTF-8 is UTF-8 and anything
//! else is read as Windows-1252 (what Excel's "CSV (Comma delimited)"
//! writes on Western Windows; a superset of Latin-1's printable
//! characters), which the import summary says. The delimiter is the most
//! frequent of `,`, `;` and tab in the header row, outside quotes.

use encoding_rs::{Encoding as Enc, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How an export's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// Its name, for the summary.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// An export's text.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub delimiter: u8,
}

/// Decode `bytes`; the error says why they are not a text export.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (enc, encoding, body): (&'static Enc, Encoding, &[u8]) =
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (UTF_8, Encoding::Utf8Bom, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (UTF_16LE, Encoding::Utf16Le, rest)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (UTF_16BE, Encoding::Utf16Be, rest)
        } else if std::str::from_utf8(bytes).is_ok() {
            (UTF_8, Encoding::Utf8, bytes)
        } else {
            (WINDOWS_1252, Encoding::Windows1252, bytes)
        };
    let utf16 = matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be);
    if !utf16 && body.contains(&0) {
        // UTF-16 text of mostly ASCII has a zero in nearly every other byte.
        let half = (body.len() / 2).max(1);
        let zeros = |from: usize| {
            body.iter()
                .skip(from)
                .step_by(2)
                .filter(|b| **b == 0)
                .count()
        };
        let (even, odd) = (zeros(0), zeros(1));
        let looks_utf16 =
            (odd * 10 > half * 4 && even * 20 < half) || (even * 10 > half * 4 && odd * 20 < half);
        return Err(if looks_utf16 {
            "the file looks like UTF-16 text without a byte-order mark, which cannot be read safely"
                .into()
        } else {
            "the file holds binary data: it is not a CSV text or an XLSX workbook".into()
        });
    }
    let (text, malformed) = enc.decode_without_bom_handling(body);
    if malformed && utf16 {
        return Err(format!(
            "the file starts with a {} byte-order mark but is not valid {} text",
            encoding.name(),
            encoding.name()
        ));
    }
    let text = text.into_owned();
    let delimiter = sniff_delimiter(&text);
    Ok(Decoded {
        text,
        encoding,
        delimiter,
    })
}

/// The most frequent of `,`, `;` and tab in the first row (outside
/// quotes; a quoted field may hold line breaks); `,` on a tie.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).fold(0, |b, i| if counts[i] > counts[b] { i } else { b });
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_decide_the_encoding() {
        let d = decode(b"\xEF\xBB\xBFa,b\n").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("a,b\n", Encoding::Utf8Bom));
        let d = decode(b"\xFF\xFEa\x00\t\x00b\x00").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.delimiter),
            ("a\tb", Encoding::Utf16Le, b'\t')
        );
        let d = decode(b"\xFE\xFF\x00a\x00;\x00b").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.delimiter),
            ("a;b", Encoding::Utf16Be, b';')
        );
        let d = decode("Søren,x".as_bytes()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        let d = decode(b"S\xF8ren,\x80").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("Søren,€", Encoding::Windows1252)
        );
    }

    #[test]
    fn binary_and_bomless_utf16_are_refused() {
        assert!(decode(b"a\x00,\x00b\x00\n\x00")
            .unwrap_err()
            .contains("UTF-16"));
        assert!(decode(b"%PDF\x00\x01\x02\x03\xff\xfe\x00\x00\x00\x00")
            .unwrap_err()
            .contains("binary"));
    }

    #[test]
    fn the_delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;\"c,d,e\"\n1,2,3,4,5"), b';');
        assert_eq!(sniff_delimiter("\"x;\ny\",b\n"), b',');
        assert_eq!(sniff_delimiter("one column\n"), b',');
    }
}
