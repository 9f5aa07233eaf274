//! Numbers in the results files, read exactly as written: the syntax a
//! cell must have (sign, digits, one point, exponent — no `1_000`, `inf`
//! or `NaN`) and the exact decimal it stands for, so that differences and
//! means of scores are exact (see `evidence::exact`).

use rust_decimal::Decimal;

/// Whether `s` is written as a decimal number: an optional sign, digits
/// with at most one `.` (at least one digit), an optional exponent
/// (`e`/`E`, a sign, digits).
pub(crate) fn number_syntax(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// A number as written, exactly: `4`, `4.5`, `-0.25`, `.5`, `1e3`,
/// `2.5E-1` — None for anything else (`1_000`, `inf`, `NaN`) and for a
/// number a decimal cannot hold (beyond about 7.9e28). Digits past the
/// 28th decimal are rounded off.
pub(crate) fn decimal(s: &str) -> Option<Decimal> {
    if !number_syntax(s) {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let s = match s.strip_prefix('-') {
        Some(rest) => format!("-{}", lead_zero(rest)),
        None => lead_zero(s),
    };
    if s.contains(['e', 'E']) {
        Decimal::from_scientific(&s).ok()
    } else {
        s.parse().ok()
    }
}

/// `.5` → `0.5`, `5.` → `5`, `5.e2` → `5e2`.
fn lead_zero(s: &str) -> String {
    let s = if s.starts_with('.') {
        format!("0{s}")
    } else {
        s.to_string()
    };
    s.replace(".e", "e")
        .replace(".E", "E")
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_exactly_as_written() {
        let d = |s: &str| decimal(s).map(|x| x.to_string());
        assert_eq!(d("4.5").as_deref(), Some("4.5"));
        assert_eq!(d("-0.25").as_deref(), Some("-0.25"));
        assert_eq!(d("+2").as_deref(), Some("2"));
        assert_eq!(d(".5").as_deref(), Some("0.5"));
        assert_eq!(d("5.").as_deref(), Some("5"));
        assert_eq!(d("1e3").as_deref(), Some("1000"));
        assert_eq!(d("2.5E-1").as_deref(), Some("0.25"));
        assert_eq!(
            decimal("5.1").unwrap() - decimal("4.5").unwrap(),
            decimal("0.6").unwrap()
        );
        for bad in [
            "", "1_000", "inf", "NaN", "1.2.3", "e3", ".", "-", "1e", "0x10", " 1",
        ] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
        // Written as numbers, but beyond a decimal's range.
        assert!(number_syntax("1e40") && decimal("1e40").is_none());
        assert!(
            number_syntax("123456789012345678901234567890")
                && decimal("123456789012345678901234567890").is_none()
        );
    }
}
