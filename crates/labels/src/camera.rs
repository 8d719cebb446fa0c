//! Reads a barcode off one camera frame, for handhelds whose browser has no `BarcodeDetector`:
//! the page sends a grey frame and gets the code back, so the camera fallback works on every
//! browser without a JavaScript decoder to vendor. rxing (already ours for the labels) decodes
//! the one-dimensional symbologies our labels and carriers print.

use rxing::DecodeHints;

/// The largest frame read: 1280 × 800 grey pixels (a page scales its camera down to this).
pub const MAX_FRAME_PIXELS: u32 = 1280 * 800;

/// Why a frame could not be read at all (no code in it is `Ok(None)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Width or height is 0, or their product is not the length of the pixels sent.
    Shape,
    /// More than [`MAX_FRAME_PIXELS`].
    TooLarge,
}

/// The code in a `width` × `height` frame of 8-bit grey pixels, row by row; `None` when no code
/// can be read in it (the page then sends its next frame).
pub fn read_frame(width: u32, height: u32, luma: Vec<u8>) -> Result<Option<String>, FrameError> {
    let pixels = width.checked_mul(height).ok_or(FrameError::TooLarge)?;
    if pixels > MAX_FRAME_PIXELS {
        return Err(FrameError::TooLarge);
    }
    if pixels == 0 || usize::try_from(pixels).ok() != Some(luma.len()) {
        return Err(FrameError::Shape);
    }
    let mut hints = DecodeHints { TryHarder: Some(true), ..DecodeHints::default() };
    Ok(rxing::helpers::detect_in_luma_with_hints(luma, width, height, None, &mut hints)
        .ok()
        .map(|r| r.getText().to_owned())
        .filter(|t| !t.is_empty()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A `w` × `h` grey frame with `text`'s Code128 drawn from (`x`, `y`), 3 px a module, on a
    /// light, uneven background (as a phone sees a label under a lamp).
    fn frame(text: &str, w: u32, h: u32, x: u32, y: u32) -> Vec<u8> {
        let code = crate::encode(text).unwrap();
        let mut px: Vec<u8> = (0..w * h).map(|i| 190 + ((i % w) * 40 / w) as u8).collect();
        for (k, dark) in code.modules().iter().enumerate() {
            for dx in 0..3 {
                for row in y..y + 120 {
                    let col = x + k as u32 * 3 + dx;
                    if *dark && col < w && row < h {
                        px[(row * w + col) as usize] = 30;
                    }
                }
            }
        }
        px
    }

    #[test]
    fn a_label_in_a_frame_is_read() {
        let f = frame("SKU-A1-0042", 640, 360, 90, 100);
        assert_eq!(read_frame(640, 360, f).unwrap().as_deref(), Some("SKU-A1-0042"));
    }

    #[test]
    fn an_empty_frame_reads_nothing_and_bad_shapes_are_refused() {
        assert_eq!(read_frame(64, 48, vec![200; 64 * 48]).unwrap(), None);
        assert_eq!(read_frame(64, 48, vec![200; 10]), Err(FrameError::Shape));
        assert_eq!(read_frame(0, 48, vec![]), Err(FrameError::Shape));
        assert_eq!(read_frame(4000, 4000, vec![]), Err(FrameError::TooLarge));
        assert_eq!(read_frame(u32::MAX, 2, vec![]), Err(FrameError::TooLarge));
    }
}
