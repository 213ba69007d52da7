//! The e-mail digest's charts as PNG images, drawn with plotters' bitmap backend and encoded
//! with the `png` crate. A chart is bars only, without text: its title, months and values are
//! in the HTML around it and in its `alt` text, where a mail client sets them in the reader's
//! font and size (and reads them aloud), so no font is needed to draw it. The same values give
//! the same bytes.

use plotters::prelude::*;

/// Width of a chart in CSS pixels, as the HTML shows it.
pub const WIDTH: u32 = 480;
/// Height of a chart in CSS pixels, as the HTML shows it.
pub const HEIGHT: u32 = 96;
/// Drawn at twice the size shown, so it stays sharp on a high-density screen.
const SCALE: u32 = 2;

/// Bars of the months in the digest's period.
const CURRENT: RGBColor = RGBColor(0x1d, 0x4e, 0x89);
/// Bars of the months before it.
const EARLIER: RGBColor = RGBColor(0xa9, 0xc1, 0xdd);
/// The zero line.
const AXIS: RGBColor = RGBColor(0x6b, 0x72, 0x80);
/// A month without a value: a short grey tick on the zero line, so a gap reads as "no data"
/// rather than as zero.
const MISSING: RGBColor = RGBColor(0xc4, 0xc8, 0xce);

/// A bar chart of `values` (oldest first; `None` has no bar), the bars of `current` months
/// darker, as PNG bytes of [`WIDTH`] × [`HEIGHT`] CSS pixels drawn at twice that. Bars start at
/// zero; negative values are drawn as zero.
pub fn bar_chart(values: &[Option<f64>], current: &[bool]) -> Result<Vec<u8>, String> {
    let (w, h) = (WIDTH * SCALE, HEIGHT * SCALE);
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = values.len().max(1) as i32;
        let max = values.iter().flatten().fold(0f64, |m, v| m.max(*v));
        let (left, right, top, bottom) = (4i32, 4i32, 6i32, 4i32);
        let (wi, hi) = (w as i32, h as i32);
        let base = hi - bottom;
        let slot = (wi - left - right) / n;
        let gap = (slot / 5).max(2);
        for (i, v) in values.iter().enumerate() {
            let x0 = left + slot * i as i32 + gap / 2;
            let x1 = x0 + slot - gap;
            match v {
                Some(v) => {
                    let frac = if max > 0.0 { v.max(0.0) / max } else { 0.0 };
                    let y = base - (frac * f64::from(base - top)).round() as i32;
                    let colour = if current.get(i).copied().unwrap_or(false) { CURRENT } else { EARLIER };
                    if y < base {
                        root.draw(&Rectangle::new([(x0, y), (x1, base)], colour.filled()))
                            .map_err(|e| e.to_string())?;
                    }
                }
                None => {
                    let mid = (x0 + x1) / 2;
                    root.draw(&Rectangle::new([(mid - 3, base - 10), (mid + 3, base)], MISSING.filled()))
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        root.draw(&Rectangle::new([(0, base), (wi - 1, base + 1)], AXIS.filled())).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    encode(&rgb, w, h)
}

/// RGB pixels as a PNG file, compressed the same way every time.
fn encode(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The image is a PNG of the stated size, the same values give the same bytes, and
    /// different values give different bytes.
    #[test]
    fn a_chart_is_a_png_of_its_size_and_deterministic() {
        let a = bar_chart(&[Some(3.0), None, Some(5.0)], &[false, false, true]).unwrap();
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH * 2);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT * 2);
        assert_eq!(a, bar_chart(&[Some(3.0), None, Some(5.0)], &[false, false, true]).unwrap());
        assert_ne!(a, bar_chart(&[Some(5.0), None, Some(3.0)], &[false, false, true]).unwrap());
    }
}
