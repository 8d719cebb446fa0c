//! The one error type of the crate.
//!
//! Label generation is pure and total except where user-supplied text has to
//! become a barcode: Code128 cannot carry every character, and a symbol that
//! is too long would not fit on any label we print. (The libraries that write
//! the files report their own failures too, which should never happen.) Callers need to know which
//! character was the problem so they can tell the seller precisely what to fix.

use std::fmt;

/// Why a barcode (and therefore a document that contains one) could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelError {
    /// A barcode with no content cannot be scanned back to anything useful.
    EmptyData,
    /// Code128 only carries ASCII (0..=127); `position` counts characters, not bytes,
    /// so it can be shown to a human pointing at the offending character.
    UnsupportedChar {
        /// The character that cannot be encoded.
        ch: char,
        /// Zero-based character index of `ch` in the input.
        position: usize,
    },
    /// The input would produce a symbol (or document) far larger than any label,
    /// which almost certainly means a bug or abuse upstream.
    TooLong,
    /// The PDF or barcode library refused to produce the file (a font or a
    /// drawing it cannot write); a bug on our side, never the seller's input.
    Render(String),
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelError::EmptyData => f.write_str("barcode data is empty"),
            LabelError::UnsupportedChar { ch, position } => {
                write!(f, "character {ch:?} at position {position} cannot be encoded in Code128 (ASCII only)")
            }
            LabelError::TooLong => f.write_str("input is too long to fit on a label"),
            LabelError::Render(why) => write!(f, "the document could not be rendered: {why}"),
        }
    }
}

impl std::error::Error for LabelError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_offending_character() {
        let err = LabelError::UnsupportedChar { ch: 'é', position: 3 };
        let text = err.to_string();
        assert!(text.contains("'é'"), "{text}");
        assert!(text.contains("position 3"), "{text}");
        assert_eq!(LabelError::EmptyData.to_string(), "barcode data is empty");
        assert!(!LabelError::TooLong.to_string().is_empty());
    }

    #[test]
    fn is_a_std_error() {
        fn takes(_: &dyn std::error::Error) {}
        takes(&LabelError::TooLong);
    }
}
