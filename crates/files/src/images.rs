//! Image variants with the `image` crate: decoded within limits, turned upright by the EXIF
//! orientation, resized, and encoded anew — JPEG, or PNG for pictures with transparency. The
//! encoders write no metadata, so nothing of the original's EXIF (GPS position, camera, time)
//! survives.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use pnyx_domain::files::{EncodedImage, ImageProcessor};

/// The largest picture decoded, in pixels per side.
const MAX_SIDE: u32 = 12_000;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

/// Resizes with the `image` crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImageResizer;

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    Ok(img)
}

fn encode(img: &DynamicImage) -> Result<(String, Vec<u8>), String> {
    let mut out = Vec::new();
    if img.color().has_alpha() {
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(|e| e.to_string())?;
        Ok(("image/png".to_owned(), out))
    } else {
        let rgb = img.to_rgb8();
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb).map_err(|e| e.to_string())?;
        Ok(("image/jpeg".to_owned(), out))
    }
}

impl ImageProcessor for ImageResizer {
    fn variants(&self, bytes: &[u8], widths: &[u32]) -> Result<Vec<EncodedImage>, String> {
        let img = decode(bytes)?;
        let (w0, h0) = (img.width(), img.height());
        if w0 == 0 || h0 == 0 {
            return Err("the picture is empty".to_owned());
        }
        let mut fitting: Vec<u32> = widths.iter().copied().filter(|w| *w > 0 && *w <= w0).collect();
        fitting.sort_unstable();
        fitting.dedup();
        if fitting.is_empty() {
            fitting.push(w0);
        }
        // Largest first, each from the one before it: cheaper than every width from the original.
        let mut out = Vec::with_capacity(fitting.len());
        let mut source = img;
        for &w in fitting.iter().rev() {
            let h = u32::try_from((u64::from(h0) * u64::from(w)).div_ceil(u64::from(w0))).unwrap_or(h0).max(1);
            let resized =
                if w == source.width() { source.clone() } else { source.resize_exact(w, h, FilterType::Triangle) };
            let (content_type, bytes) = encode(&resized)?;
            out.push(EncodedImage { width: w, height: resized.height(), content_type, bytes });
            source = resized;
        }
        out.reverse();
        Ok(out)
    }
}

/// A poster-like picture for demo data, as PNG: bands of colour from `hue` with a lighter frame
/// (made here, no download).
///
/// # Errors
/// When the encoder fails.
pub fn sample_png(width: u32, height: u32, hue: u8) -> Result<Vec<u8>, String> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let frame = x < width / 20 || y < height / 20 || x > width - width / 20 || y > height - height / 20;
        let band = u8::try_from((y * 6 / height.max(1)) * 24).unwrap_or(0);
        if frame {
            image::Rgb([245, 245, 240])
        } else {
            image::Rgb([hue.wrapping_add(band), 120u8.wrapping_add(band / 2), 200u8.wrapping_sub(band)])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).unwrap();
        out
    }

    #[test]
    fn widths_above_the_picture_are_skipped_and_the_aspect_kept() {
        let v = ImageResizer.variants(&jpeg(800, 400), &[320, 640, 1280]).unwrap();
        let sizes: Vec<(u32, u32)> = v.iter().map(|e| (e.width, e.height)).collect();
        assert_eq!(sizes, vec![(320, 160), (640, 320)]);
        assert!(v.iter().all(|e| e.content_type == "image/jpeg"));
        let small = ImageResizer.variants(&jpeg(100, 50), &[320, 640]).unwrap();
        assert_eq!(small.iter().map(|e| e.width).collect::<Vec<_>>(), vec![100], "a small picture keeps its width");
    }

    #[test]
    fn transparency_is_kept_as_png_and_garbage_is_refused() {
        let img = image::RgbaImage::from_pixel(400, 300, image::Rgba([10, 20, 30, 128]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let v = ImageResizer.variants(&png, &[320]).unwrap();
        assert_eq!((v[0].content_type.as_str(), v[0].width, v[0].height), ("image/png", 320, 240));
        assert!(ImageResizer.variants(b"\xff\xd8\xff\xe0 not really a jpeg", &[320]).is_err());
    }
}
