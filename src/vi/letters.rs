//! Decomposition of Vietnamese letters into base letter, shape mark and tone mark.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The six tones, in the CLDR collation order of Vietnamese.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    Level,
    Grave,
    Hook,
    Tilde,
    Acute,
    Dot,
}

impl Tone {
    fn from_mark(mark: char) -> Option<Tone> {
        match mark {
            '\u{300}' | '\u{340}' => Some(Tone::Grave),
            '\u{309}' => Some(Tone::Hook),
            '\u{303}' => Some(Tone::Tilde),
            '\u{301}' | '\u{341}' => Some(Tone::Acute),
            '\u{323}' => Some(Tone::Dot),
            _ => None,
        }
    }

    pub fn mark(self) -> Option<char> {
        match self {
            Tone::Level => None,
            Tone::Grave => Some('\u{300}'),
            Tone::Hook => Some('\u{309}'),
            Tone::Tilde => Some('\u{303}'),
            Tone::Acute => Some('\u{301}'),
            Tone::Dot => Some('\u{323}'),
        }
    }
}

/// One letter split into its parts: `ặ` is base `a`, shape breve, tone dot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// The letter with its shape mark (ă â ê ô ơ ư) but no tone, in NFC.
    pub shaped: char,
    pub tone: Tone,
}

/// Splits one character. Letters outside Vietnamese keep their marks in `shaped` when they
/// compose; marks that do not compose are dropped (they carry no meaning for Vietnamese).
pub fn split(c: char) -> Letter {
    let c = unify_eth(c);
    if c.is_ascii() {
        return Letter {
            shaped: c,
            tone: Tone::Level,
        };
    }
    let mut base = None;
    let mut shape = None;
    let mut tone = Tone::Level;
    decompose_canonical(c, |part| {
        if let Some(t) = Tone::from_mark(part) {
            tone = t;
        } else if is_combining_mark(part) {
            shape = Some(part);
        } else if base.is_none() {
            base = Some(part);
        }
    });
    let Some(base) = base else {
        return Letter {
            shaped: c,
            tone: Tone::Level,
        };
    };
    let shaped = match shape {
        Some(mark) => unicode_normalization::char::compose(base, mark).unwrap_or(base),
        None => base,
    };
    Letter { shaped, tone }
}

/// `Ð` (U+00D0, Icelandic eth) and `ð` are look-alikes of `Đ`/`đ` typed by some keyboards.
pub fn unify_eth(c: char) -> char {
    match c {
        'Ð' => 'Đ',
        'ð' => 'đ',
        other => other,
    }
}

/// Is this (lower-case, toneless) letter a Vietnamese vowel?
pub fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Is this vowel written with a shape mark (ă â ê ô ơ ư)?
pub fn has_shape_mark(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_stacked_marks() {
        assert_eq!(
            split('ặ'),
            Letter {
                shaped: 'ă',
                tone: Tone::Dot
            }
        );
        assert_eq!(
            split('Ử'),
            Letter {
                shaped: 'Ư',
                tone: Tone::Hook
            }
        );
        assert_eq!(
            split('đ'),
            Letter {
                shaped: 'đ',
                tone: Tone::Level
            }
        );
        assert_eq!(split('Ð').shaped, 'Đ');
    }
}
