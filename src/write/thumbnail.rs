//! Making a smaller copy of a photo (a list thumbnail, an article page's medium copy): the
//! photo decoded, turned upright, scaled down and encoded again, once per photo and width,
//! with the result kept in a cache folder for the builds after.

use crate::assemble::thumbnails::{scaled_size, thumbnail_format};
use crate::hash::hash_of;
use ahash::{AHashMap, AHashSet};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use std::fs;
use std::io::{self, Cursor};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Quality of copies saved as JPEG: small files, and no visible blocks, neither in a list
/// thumbnail nor in a medium copy (news sites serve their photos at 75 to 85).
const JPEG_QUALITY: u8 = 80;

/// Changes whenever the way thumbnails are made changes (beyond their width and quality, which
/// are part of the cache's keys too), so cached ones are made again.
const RECIPE: u32 = 2;

/// Beside the cached thumbnails, so that `git add -A` leaves them out in a site made before
/// `bantin init` listed the cache in `.gitignore`.
const IGNORE_FILE: &str = ".gitignore";

/// A thumbnail, and the names of the files in the cache folder it came from or went to.
pub struct Made {
    pub bytes: Vec<u8>,
    pub cached_as: Vec<String>,
}

/// The copies `widths` pixels wide of the JPEG or PNG at `photo` (of the format its name
/// says), each called a thumbnail here, in the order of `widths`: from `cache` when a build
/// made them before, else made now, from one decoding of the photo, and left there. A photo
/// that cannot be decoded (a damaged file, a WebP named `.jpg`) is its own thumbnail, as is
/// one a copy would not make smaller, so that the pages' links always lead to a photo.
///
/// The cache holds each thumbnail under a hash of the photo's bytes and the width, which
/// holds in a fresh clone too (CI), and a note from the photo's path, length and time stamp to
/// that name, so that a build after the first does not read the photos again: a few hundred
/// KB each.
fn smaller_copies(photo: &Path, widths: &[u32], cache: &Path) -> io::Result<Vec<Made>> {
    let extension = photo
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let Some(format) = thumbnail_format(extension) else {
        let bytes = fs::read(photo)?;
        let itself = || Made {
            bytes: bytes.clone(),
            cached_as: Vec::new(),
        };
        return Ok(widths.iter().map(|_| itself()).collect());
    };
    let recipe = |width: u32| (width, JPEG_QUALITY, RECIPE);
    let meta = fs::metadata(photo)?;
    let notes: Vec<Option<String>> = (widths.iter())
        .map(|&width| {
            let modified = meta.modified().ok()?;
            let key = hash_of(&(photo, meta.len(), modified, recipe(width)));
            Some(format!("{key:016x}.note"))
        })
        .collect();
    let mut made: Vec<Option<Made>> = (notes.iter())
        .map(|note| noted(cache, note.as_deref()?))
        .collect();
    if made.iter().all(Option::is_some) {
        return Ok(made.into_iter().flatten().collect());
    }
    let bytes = fs::read(photo)?;
    let names: Vec<String> = (widths.iter())
        .map(|&width| {
            let key = hash_of(&(&bytes[..], recipe(width)));
            format!("{key:016x}.{}", format.extensions_str()[0])
        })
        .collect();
    let mut missing = Vec::new();
    for (i, copy) in made.iter_mut().enumerate().filter(|(_, m)| m.is_none()) {
        match fs::read(cache.join(&names[i])) {
            Ok(bytes) => *copy = Some(noting(cache, bytes, &names[i], notes[i].as_deref())),
            Err(_) => missing.push(i),
        }
    }
    if !missing.is_empty() {
        let targets: Vec<u32> = missing.iter().map(|&i| widths[i]).collect();
        let scaled = scale_down(&bytes, format, &targets);
        for (k, &i) in missing.iter().enumerate() {
            let copy = match scaled.as_ref().map(|copies| &copies[k]) {
                Ok(copy) if copy.len() < bytes.len() => copy.clone(),
                _ => bytes.clone(),
            };
            // A cache that cannot be written (a read-only site folder) costs the next build
            // time, nothing else.
            let _ = keep(&cache.join(&names[i]), &copy);
            made[i] = Some(noting(cache, copy, &names[i], notes[i].as_deref()));
        }
    }
    Ok(made.into_iter().flatten().collect())
}

/// Makes smaller copies, photos in parallel and each decoded once for all its copies:
/// `copies` are `(photo, width, where the copy goes)`, `write(where, bytes)` puts one there,
/// and `made(n)` is told the copies of each photo done. A stop (Ctrl-C) leaves the photos not
/// begun. Returns the cache files the copies came from or went to (see `prune_thumbnails`).
pub fn make_copies<'a, T: Sync>(
    copies: impl IntoIterator<Item = (&'a Path, u32, T)>,
    cache: &Path,
    write: impl Fn(&T, &[u8]) -> io::Result<()> + Sync,
    made: impl Fn(usize) + Sync,
) -> io::Result<Vec<String>> {
    let cached: Vec<Vec<String>> = by_photo(copies)
        .par_iter()
        .map(|(photo, copies)| {
            if crate::stop::stop_requested() {
                return Ok(Vec::new());
            }
            let widths: Vec<u32> = copies.iter().map(|&(width, _)| width).collect();
            let mut cached_as = Vec::new();
            for ((_, to), copy) in copies.iter().zip(smaller_copies(photo, &widths, cache)?) {
                write(to, &copy.bytes)?;
                cached_as.extend(copy.cached_as);
            }
            made(copies.len());
            Ok(cached_as)
        })
        .collect::<io::Result<_>>()?;
    Ok(cached.into_iter().flatten().collect())
}

/// Smaller copies to make, gathered by photo (in the order photos first come), so that each
/// photo is decoded once for all its copies: `(photo, width, what the copy is for)`.
fn by_photo<'a, T>(
    copies: impl IntoIterator<Item = (&'a Path, u32, T)>,
) -> Vec<(&'a Path, Vec<(u32, T)>)> {
    let mut groups: Vec<(&Path, Vec<(u32, T)>)> = Vec::new();
    let mut group_of: AHashMap<&Path, usize> = AHashMap::new();
    for (photo, width, copy) in copies {
        let group = *group_of.entry(photo).or_insert_with(|| {
            groups.push((photo, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push((width, copy));
    }
    groups
}

/// A copy kept in `cache` as `name`, with its note (when the photo has a time stamp) written
/// to name it.
fn noting(cache: &Path, bytes: Vec<u8>, name: &str, note: Option<&str>) -> Made {
    let mut cached_as = vec![name.to_string()];
    if let Some(note) = note {
        let _ = keep(&cache.join(note), name.as_bytes());
        cached_as.push(note.to_string());
    }
    Made { bytes, cached_as }
}

/// The thumbnail that the note `note` in `cache` names, if both are there.
fn noted(cache: &Path, note: &str) -> Option<Made> {
    let name = fs::read_to_string(cache.join(note)).ok()?;
    if name.contains(['/', '\\']) {
        return None;
    }
    let bytes = fs::read(cache.join(&name)).ok()?;
    let cached_as = vec![name, note.to_string()];
    Some(Made { bytes, cached_as })
}

/// Removes from `cache` the thumbnails no photo of the last build needed (of photos replaced
/// or removed since), so the folder does not grow with every photo ever published.
pub fn prune_thumbnails(cache: &Path, needed: &AHashSet<String>) {
    let Ok(entries) = fs::read_dir(cache) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let needed = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n == IGNORE_FILE || needed.contains(n));
        if !needed {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The photo of `bytes` decoded once and encoded as `format` at each of the `targets` widths.
fn scale_down(
    bytes: &[u8],
    format: ImageFormat,
    targets: &[u32],
) -> image::ImageResult<Vec<Vec<u8>>> {
    // Decoded by what the file holds: a PNG saved as `.jpg` is read all the same.
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    // Phones store a portrait photo lying on its side, with a note to turn it: the thumbnail,
    // which carries no such note, is turned.
    let orientation = decoder.orientation()?;
    // The colours of a photo in a wide gamut (a phone's Display P3) are read through its
    // profile: without it, the thumbnail's look washed out.
    let profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    let encode = |target: u32| encode(&image, format, target, profile.clone());
    targets.iter().map(|&target| encode(target)).collect()
}

/// `image` scaled to `target` pixels wide and encoded as `format`, with its colour profile.
fn encode(
    image: &DynamicImage,
    format: ImageFormat,
    target: u32,
    profile: Option<Vec<u8>>,
) -> image::ImageResult<Vec<u8>> {
    let (width, height) = scaled_size(target, image.width(), image.height());
    let small = image.thumbnail_exact(width, height);
    let mut made = Vec::new();
    match format {
        ImageFormat::Png => {
            let mut encoder = PngEncoder::new_with_quality(
                &mut made,
                CompressionType::Best,
                FilterType::Adaptive,
            );
            if let Some(profile) = profile {
                let _ = encoder.set_icc_profile(profile);
            }
            small.write_with_encoder(encoder)?;
        }
        _ => {
            let mut encoder = JpegEncoder::new_with_quality(&mut made, JPEG_QUALITY);
            if let Some(profile) = profile {
                let _ = encoder.set_icc_profile(profile);
            }
            DynamicImage::from(small.to_rgb8()).write_with_encoder(encoder)?;
        }
    }
    Ok(made)
}

/// Writes `bytes` at `path` whole or not at all: two builds at once, or two articles whose
/// photos are copies of one file, may make one thumbnail at the same time.
fn keep(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
        let ignore = folder.join(IGNORE_FILE);
        if !ignore.exists() {
            fs::write(
                ignore,
                "# bantin's cache of thumbnails: made again when missing\n*\n",
            )?;
        }
    }
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let partial = path.with_extension(format!("partial-{}-{write}", std::process::id()));
    fs::write(&partial, bytes)?;
    fs::rename(&partial, path).inspect_err(|_| {
        let _ = fs::remove_file(&partial);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn photo(width: u32, height: u32) -> DynamicImage {
        let pixels = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
        });
        DynamicImage::from(pixels)
    }

    fn decoded(bytes: &[u8]) -> DynamicImage {
        image::load_from_memory(bytes).unwrap()
    }

    /// `photo` encoded as `format`.
    fn encoded(photo: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        photo
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        bytes
    }

    /// The thumbnail of a photo of these bytes saved under `name`, with a cache of its own.
    fn thumbnail_of(name: &str, bytes: &[u8]) -> Vec<u8> {
        let folder = tempfile::tempdir().unwrap();
        let source = folder.path().join(name);
        fs::write(&source, bytes).unwrap();
        copy_of(&source, 360, &folder.path().join("cache")).bytes
    }

    /// The one copy `width` pixels wide of `photo`.
    fn copy_of(photo: &Path, width: u32, cache: &Path) -> Made {
        let mut made = smaller_copies(photo, &[width], cache).unwrap();
        assert_eq!(made.len(), 1);
        made.remove(0)
    }

    /// A folder holding a 1600 × 1000 JPEG, the photo's path and a cache folder's.
    fn wide_photo() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let folder = tempfile::tempdir().unwrap();
        let source = folder.path().join("anh.jpg");
        photo(1600, 1000).save(&source).unwrap();
        let cache = folder.path().join("cache");
        (folder, source, cache)
    }

    #[test]
    fn a_wide_jpeg_is_scaled_to_the_thumbnail_width_and_cached() {
        let (_folder, source, cache) = wide_photo();
        let first = copy_of(&source, 360, &cache);
        let thumbnail = decoded(&first.bytes);
        assert_eq!((thumbnail.width(), thumbnail.height()), (360, 225));
        assert!(first.bytes.len() < fs::metadata(&source).unwrap().len() as usize);
        let mut cached: Vec<String> = fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        cached.sort();
        let mut named = first.cached_as.clone();
        named.push(IGNORE_FILE.to_string());
        named.sort();
        assert_eq!(cached, named);
        // The builds after take the cached file, even if they could no longer make it: through
        // the note of the photo's stamp, or, once the photo is touched, through its bytes.
        let thumbnail = cache.join(&first.cached_as[0]);
        fs::write(&thumbnail, b"from the cache").unwrap();
        assert_eq!(copy_of(&source, 360, &cache).bytes, b"from the cache");
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let touched = copy_of(&source, 360, &cache);
        assert_eq!(touched.bytes, b"from the cache");
        assert_eq!(touched.cached_as[0], first.cached_as[0]);
        assert_ne!(touched.cached_as[1], first.cached_as[1]);
        // Pruning keeps what a build needed, and only that.
        prune_thumbnails(&cache, &touched.cached_as.iter().cloned().collect());
        assert!(thumbnail.exists());
        assert!(cache.join(IGNORE_FILE).exists());
        assert!(cache.join(&touched.cached_as[1]).exists());
        assert!(!cache.join(&first.cached_as[1]).exists());
    }

    #[test]
    fn each_width_is_made_and_cached_apart() {
        let (_folder, source, cache) = wide_photo();
        let small = copy_of(&source, 360, &cache);
        let medium = copy_of(&source, 800, &cache);
        assert_eq!(decoded(&medium.bytes).width(), 800);
        assert_eq!(decoded(&small.bytes).width(), 360);
        assert_ne!(small.cached_as, medium.cached_as);
        let again = copy_of(&source, 800, &cache);
        assert_eq!(again.bytes, medium.bytes);
        assert_eq!(again.cached_as, medium.cached_as);
        // Both at once, from one decoding, in a cache of their own: the same copies.
        let other = source.with_file_name("cache-2");
        let both = smaller_copies(&source, &[800, 360], &other).unwrap();
        assert_eq!(both.len(), 2);
        assert_eq!(
            (&both[0].bytes, &both[1].bytes),
            (&medium.bytes, &small.bytes)
        );
        assert_eq!(
            (&both[0].cached_as, &both[1].cached_as),
            (&medium.cached_as, &small.cached_as)
        );
    }

    #[test]
    fn copies_are_gathered_by_photo_in_the_order_photos_come() {
        let (a, b) = (Path::new("a.jpg"), Path::new("b.jpg"));
        let groups = by_photo([(a, 360, "a360"), (b, 800, "b800"), (a, 800, "a800")]);
        assert_eq!(
            groups,
            [
                (a, vec![(360, "a360"), (800, "a800")]),
                (b, vec![(800, "b800")])
            ]
        );
    }

    #[test]
    fn a_photo_a_phone_stored_on_its_side_is_turned_upright() {
        let mut bytes = encoded(&photo(1600, 1000), ImageFormat::Jpeg);
        // "Turn 90° clockwise to show" (orientation 6), after the SOI marker.
        bytes.splice(2..2, crate::load::photos::exif_segment(6, false));
        let thumbnail = decoded(&thumbnail_of("doc.jpg", &bytes));
        assert_eq!((thumbnail.width(), thumbnail.height()), (360, 576));
    }

    #[test]
    fn a_photos_colour_profile_goes_with_its_thumbnail() {
        let profile = b"a colour profile, as bytes".to_vec();
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 90);
        encoder.set_icc_profile(profile.clone()).unwrap();
        photo(1200, 800).write_with_encoder(encoder).unwrap();
        let made = thumbnail_of("p3.jpg", &bytes);
        let reader = ImageReader::new(Cursor::new(&made))
            .with_guessed_format()
            .unwrap();
        let mut decoder = reader.into_decoder().unwrap();
        assert_eq!(decoder.icc_profile().unwrap(), Some(profile));
    }

    #[test]
    fn a_png_stays_a_png_with_its_transparency() {
        let pixels = ImageBuffer::from_fn(1000, 500, |x, _| Rgba([0, 80, 160, (x % 256) as u8]));
        let png = encoded(&DynamicImage::from(pixels), ImageFormat::Png);
        let made = thumbnail_of("do-thi.png", &png);
        assert_eq!(image::guess_format(&made).unwrap(), ImageFormat::Png);
        let thumbnail = decoded(&made);
        assert_eq!((thumbnail.width(), thumbnail.height()), (360, 180));
        assert!(thumbnail.color().has_alpha());
    }

    #[test]
    fn a_photo_it_cannot_read_is_its_own_thumbnail() {
        let mut webp = b"RIFF\x24\0\0\0WEBPVP8 ".to_vec();
        webp.resize(2000, 7);
        assert_eq!(thumbnail_of("tu-web.jpg", &webp), webp);
    }

    #[test]
    fn a_png_named_jpg_gets_a_jpeg_thumbnail() {
        let png = encoded(&photo(1200, 900), ImageFormat::Png);
        let made = thumbnail_of("chup-man-hinh.jpg", &png);
        assert_eq!(image::guess_format(&made).unwrap(), ImageFormat::Jpeg);
        assert_eq!(decoded(&made).width(), 360);
    }
}
