//! Finding the files behind photo sources (`src:` in front matter, `![](src)` in bodies).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

/// Where a photo lives, which decides its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoSource {
    /// Beside the article in its bundle: copied next to the article page.
    Bundle(String),
    /// Elsewhere under `content/` (relative to it), written relative to the article or as a
    /// site path: published where that file is (in another article's bundle, beside that
    /// article's page; elsewhere, at the same path).
    Content(String),
    /// A site path (`/images/x.jpg`) served from `static/` or the theme.
    Site(String),
    /// Another web site.
    External(String),
}

/// A photo source found on disk, with its pixel size when the file has a readable header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPhoto {
    pub source: PhotoSource,
    /// The file on disk (none for a photo of another web site).
    pub file: Option<PathBuf>,
    pub size: Option<(u32, u32)>,
    /// File size, for feed enclosures.
    pub bytes: Option<u64>,
}

/// The folder of a draft's or scheduled article's bundle (of `unpublished`, sorted, see
/// `Loaded::unpublished_bundles`) that a photo of `content/` lies in: the site does not
/// publish it, so a published page that shows it would show a broken image.
pub fn unpublished_folder<'a>(source: &PhotoSource, unpublished: &'a [String]) -> Option<&'a str> {
    match source {
        PhotoSource::Content(relative) => unpublished_folder_of(relative, unpublished),
        _ => None,
    }
}

/// The unpublished bundle folder (of `unpublished`, sorted) that the file at `relative`
/// (content-relative, `/`-separated) lies in.
pub fn unpublished_folder_of<'a>(relative: &str, unpublished: &'a [String]) -> Option<&'a str> {
    // `unpublished` is sorted: each folder the file lies in is looked up, not every bundle
    // compared with every file (a large archive has hundreds of drafts).
    let mut folder = relative;
    while let Some((parent, _)) = folder.rsplit_once('/') {
        if let Ok(found) = unpublished.binary_search_by(|f| f.as_str().cmp(parent)) {
            return Some(&unpublished[found]);
        }
        folder = parent;
    }
    None
}

/// The problem of a file of the unpublished bundle `folder` that a page shows or links to,
/// said after `subject` (``photo `anh.jpg` is in``), and its help.
pub fn unpublished_file_problem(subject: &str, folder: &str) -> (String, &'static str) {
    let message = format!("{subject} content/{folder}/, the folder of an article not published (a draft, or dated later), whose files are not published either");
    let help =
        "put a copy of the file beside this article (or in static/), or publish that article first";
    (message, help)
}

/// What to do with a photo whose `FoundPhoto::heaviness` is told.
pub const HEAVY_PHOTO_HELP: &str =
    "save a copy 1600 pixels wide (a JPEG of a few hundred KB) and use that one";

impl FoundPhoto {
    /// Past 1 MB or 2,560 pixels wide, how heavy the photo is (`1.2 MB, 6000 × 4000 pixels:
    /// many readers download all of it`): lists show a thumbnail and article pages offer
    /// phones a medium copy (of JPEGs and PNGs), but sharp screens, and phones shown a photo
    /// of another format, download the whole file.
    pub fn heaviness(&self) -> Option<String> {
        const HEAVY_BYTES: u64 = 1_000_000;
        const WIDE_PIXELS: u32 = 2560;
        let bytes = self.bytes.unwrap_or(0);
        let (width, height) = self.size.unwrap_or((0, 0));
        if bytes <= HEAVY_BYTES && width <= WIDE_PIXELS {
            return None;
        }
        let megabytes = bytes as f64 / 1_000_000.0;
        let size = match self.size {
            Some(_) => format!("{megabytes:.1} MB, {width} × {height} pixels"),
            None => format!("{megabytes:.1} MB"),
        };
        Some(format!("{size}: many readers download all of it"))
    }
}

/// The folders a photo may be looked up in.
pub struct PhotoRoots<'a> {
    pub content: &'a Path,
    /// `static/` of the site, then of the theme.
    pub statics: [&'a Path; 2],
}

/// Finds `src` for an article whose folder is `article_dir` (content-relative); `bundle` is
/// true when that folder is the article's own bundle. Errors are messages for the editor.
pub fn find(
    src: &str,
    article_dir: &Path,
    bundle: bool,
    roots: &PhotoRoots,
) -> Result<FoundPhoto, String> {
    let src = src.trim();
    if src.starts_with("https://") || src.starts_with("http://") || src.starts_with("//") {
        return Ok(FoundPhoto {
            source: PhotoSource::External(src.to_string()),
            file: None,
            size: None,
            bytes: None,
        });
    }
    if src.is_empty() {
        return Err("the photo has an empty `src`".to_string());
    }
    let path = src.split(['?', '#']).next().unwrap_or(src);
    if let Some(site_path) = path.strip_prefix('/') {
        let relative = clean(Path::new(site_path))
            .ok_or_else(|| format!("`{src}` points outside the site"))?;
        for folder in [roots.statics[0], roots.statics[1], roots.content] {
            if let Some((file, (size, bytes))) = probe_below(folder, &relative) {
                // A file of `content/` is published where content files are: one in an
                // article's bundle beside that article's page, whose URL need not be the
                // bundle's folder, and not at all while the article is a draft.
                let source = match folder == roots.content {
                    true => PhotoSource::Content(slash(&relative)),
                    false => PhotoSource::Site(format!("/{}", slash(&relative))),
                };
                return Ok(FoundPhoto {
                    source,
                    file: Some(file),
                    size,
                    bytes: Some(bytes),
                });
            }
        }
        return Err(format!(
            "photo `{src}` does not exist: looked for static/{0} and content/{0}",
            slash(&relative)
        ));
    }
    let relative = clean(&article_dir.join(path))
        .ok_or_else(|| format!("`{src}` points outside the content folder"))?;
    let Some((file, (size, bytes))) = probe_below(roots.content, &relative) else {
        let near = other_case(&roots.content.join(&relative))
            .map(|name| format!(" (there is {name}: names are case-sensitive)"))
            .unwrap_or_default();
        return Err(format!(
            "photo `{src}` does not exist: looked for content/{}{near}",
            slash(&relative)
        ));
    };
    let bytes = Some(bytes);
    let source = match relative.strip_prefix(article_dir) {
        Ok(inside) if bundle => PhotoSource::Bundle(slash(inside)),
        _ => PhotoSource::Content(slash(&relative)),
    };
    Ok(FoundPhoto {
        source,
        file: Some(file),
        size,
        bytes,
    })
}

/// Probes `relative` (NFC, as bantin keeps paths) below `root`; when it is not there as written,
/// looks for names that are the same in NFC: a folder or photo copied from a Mac keeps its
/// NFD name on Linux. Returns the file found, its pixel size and its length.
fn probe_below(root: &Path, relative: &Path) -> Option<(PathBuf, Probed)> {
    let found = |file: PathBuf| probe(&file).map(|probed| (file, probed));
    found(root.join(relative)).or_else(|| found(nfd_path_below(root, relative)?))
}

/// A file beside `file` whose name differs from its name only in case (`Anh.JPG` for
/// `anh.jpg`): what the editor most likely meant.
fn other_case(file: &Path) -> Option<String> {
    let wanted = crate::vi::nfc(file.file_name()?.to_str()?).to_lowercase();
    std::fs::read_dir(file.parent()?)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .find(|name| crate::vi::nfc(name).to_lowercase() == wanted)
}

/// The path on disk below `root` whose names equal `relative`'s in NFC.
fn nfd_path_below(root: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for name in relative.iter() {
        let wanted = crate::vi::nfc(name.to_str()?);
        let direct = path.join(name);
        if direct.exists() {
            path = direct;
            continue;
        }
        let found = std::fs::read_dir(&path)
            .ok()?
            .filter_map(Result::ok)
            .find(|entry| {
                entry
                    .file_name()
                    .to_str()
                    .is_some_and(|n| crate::vi::nfc_cow(n) == wanted)
            })?;
        path = found.path();
    }
    Some(path)
}

/// A photo's pixel size (when its header is readable) and its length in bytes.
type Probed = (Option<(u32, u32)>, u64);

/// Opens a photo once: `None` if it is not a file; else its pixel size (when the header is
/// readable) and its length in bytes.
fn probe(file: &Path) -> Option<Probed> {
    let mut handle = std::fs::File::open(file).ok()?;
    let length = handle.metadata().ok().filter(|m| m.is_file())?.len();
    // One read of the head instead of the dozen small reads and seeks of a buffered reader:
    // a JPEG's size follows its EXIF block, within the first 64 KiB in practice.
    let mut head = Vec::with_capacity(length.min(HEAD_BYTES) as usize);
    // A read that fails leaves the size unknown, not the photo missing.
    let _ = (&mut handle).take(HEAD_BYTES).read_to_end(&mut head);
    let size = match imagesize::blob_size(&head) {
        Ok(size) => Ok(size),
        Err(_) if (head.len() as u64) < length => match handle.seek(SeekFrom::Start(0)) {
            Ok(_) => imagesize::reader_size(std::io::BufReader::new(handle)),
            Err(error) => Err(error.into()),
        },
        Err(error) => Err(error),
    };
    let size = size
        .ok()
        .and_then(|s| Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?)))
        .map(|(width, height)| match lies_on_its_side(&head) {
            true => (height, width),
            false => (width, height),
        });
    Some((size, length))
}

/// Whether a JPEG's EXIF block asks for a quarter turn to show it (a phone's portrait photo is
/// stored lying on its side): browsers turn it, so its width and height as shown are swapped.
fn lies_on_its_side(head: &[u8]) -> bool {
    use image::metadata::Orientation::*;
    if !head.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut at = 2;
    // Segments up to the image data: a marker, a big-endian length counting itself, the data.
    while let [0xFF, marker, high, low, ..] = head[at.min(head.len())..] {
        let length = usize::from(u16::from_be_bytes([high, low]));
        // A damaged file's length may not even cover itself.
        if marker == 0xDA || length < 2 {
            return false;
        }
        let end = at + 2 + length;
        // The orientation comes first in an EXIF block: one longer than the head read (a big
        // embedded preview) is read as far as it goes.
        let block = &head[at + 4..end.min(head.len())];
        if let Some(exif) = block.strip_prefix(b"Exif\0\0") {
            let turn = image::metadata::Orientation::from_exif_chunk(exif);
            return matches!(
                turn,
                Some(Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
            );
        }
        at = end;
    }
    false
}

/// How much of a photo is read for its pixel size before reading on.
const HEAD_BYTES: u64 = 64 * 1024;

/// Resolves `.` and `..` without touching the disk; `None` if the path climbs above its start.
pub fn clean(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// A relative path with `/` separators, as used in URLs.
pub fn slash(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A URL path with each run of slashes made one (`/thoi-su//2024/` → `/thoi-su/2024/`), as
/// web servers and the file system read it.
pub fn single_slashes(path: &str) -> String {
    let mut single = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && single.ends_with('/')) {
            single.push(c);
        }
    }
    single
}

/// An EXIF segment (APP1) giving `orientation`, little- or big-endian: what a phone writes
/// after a JPEG's start marker.
#[cfg(test)]
pub(crate) fn exif_segment(orientation: u8, big_endian: bool) -> Vec<u8> {
    let entry: Vec<u8> = match big_endian {
        false => [
            b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0",
            &[orientation, 0][..],
        ]
        .concat(),
        true => [
            b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0",
            &[orientation][..],
        ]
        .concat(),
    };
    let exif = [&b"Exif\0\0"[..], &entry, &[0; 6]].concat();
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((exif.len() + 2) as u16).to_be_bytes());
    segment.extend(exif);
    segment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_slashes_become_one() {
        assert_eq!(single_slashes("//tin-cu///bai.html"), "/tin-cu/bai.html");
        assert_eq!(single_slashes("/thoi-su/"), "/thoi-su/");
    }

    #[test]
    fn clean_paths() {
        assert_eq!(
            clean(Path::new("a/./b/../c.jpg")),
            Some(PathBuf::from("a/c.jpg"))
        );
        assert_eq!(clean(Path::new("a/../../etc/passwd")), None);
    }

    #[test]
    fn photos_outside_the_site_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let roots = PhotoRoots {
            content: dir.path(),
            statics: [dir.path(), dir.path()],
        };
        let error = find("../../../etc/passwd", Path::new("a"), false, &roots).unwrap_err();
        assert!(error.contains("outside"), "{error}");
        let error = find("/../secret.jpg", Path::new("a"), false, &roots).unwrap_err();
        assert!(error.contains("outside"), "{error}");
    }

    /// A JPEG of `width` × `height` whose frame header follows `padding` bytes of APP
    /// segments (EXIF, thumbnails, XMP).
    fn jpeg(width: u16, height: u16, padding: usize) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        let mut left = padding;
        while left > 0 {
            let chunk = left.min(60_000);
            bytes.extend([0xFF, 0xE1]);
            bytes.extend(((chunk + 2) as u16).to_be_bytes());
            bytes.resize(bytes.len() + chunk, b'x');
            left -= chunk;
        }
        bytes.extend([0xFF, 0xC0, 0, 17, 8]);
        bytes.extend(height.to_be_bytes());
        bytes.extend(width.to_be_bytes());
        bytes.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn pixel_sizes_are_read_from_the_head_or_beyond_it() {
        let dir = tempfile::tempdir().unwrap();
        for (name, padding) in [("small.jpg", 100), ("exif.jpg", 150_000)] {
            let file = dir.path().join(name);
            std::fs::write(&file, jpeg(1200, 800, padding)).unwrap();
            let length = std::fs::metadata(&file).unwrap().len();
            assert_eq!(probe(&file), Some((Some((1200, 800)), length)), "{name}");
        }
        std::fs::write(dir.path().join("broken.jpg"), &jpeg(1, 1, 10)[..20]).unwrap();
        assert_eq!(probe(&dir.path().join("broken.jpg")), Some((None, 20)));
        assert_eq!(probe(dir.path()), None);
    }

    /// `jpeg` with an EXIF block giving `orientation`, little- or big-endian.
    fn jpeg_turned(orientation: u8, big_endian: bool) -> Vec<u8> {
        let mut bytes = jpeg(1600, 1200, 0);
        bytes.splice(2..2, exif_segment(orientation, big_endian));
        bytes
    }

    #[test]
    fn photos_in_unpublished_bundles_are_found_by_their_folders() {
        let unpublished = ["a/nhap".to_string(), "b/2024/04/hen-gio".to_string()];
        let source = |path: &str| PhotoSource::Content(path.to_string());
        let found = |path: &str| unpublished_folder(&source(path), &unpublished);
        assert_eq!(found("a/nhap/anh.jpg"), Some("a/nhap"));
        assert_eq!(
            found("b/2024/04/hen-gio/anh/to.jpg"),
            Some("b/2024/04/hen-gio")
        );
        assert_eq!(found("a/nhap-2/anh.jpg"), None);
        assert_eq!(found("a/anh.jpg"), None);
        assert_eq!(found("anh.jpg"), None);
        let bundle = PhotoSource::Bundle("anh.jpg".to_string());
        assert_eq!(unpublished_folder(&bundle, &unpublished), None);
    }

    #[test]
    fn damaged_segments_never_panic() {
        for head in [
            &[0xFF, 0xD8, 0xFF, 0xE1, 0, 0][..],
            &[0xFF, 0xD8, 0xFF, 0xE1, 0, 1, 0xFF],
            &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, b'E', b'x'],
            &[0xFF, 0xD8, 0xFF],
        ] {
            assert!(!lies_on_its_side(head), "{head:?}");
        }
        for length in 0..=u16::MAX {
            let [high, low] = length.to_be_bytes();
            let head = [
                0xFF, 0xD8, 0xFF, 0xE1, high, low, b'E', b'x', b'i', b'f', 0, 0, b'I',
            ];
            assert!(!lies_on_its_side(&head));
        }
        // An EXIF block cut short by the end of the head still tells its orientation.
        let mut long = jpeg_turned(6, false);
        long.truncate(34);
        assert!(lies_on_its_side(&long));
    }

    #[test]
    fn a_photo_stored_on_its_side_has_its_size_as_shown() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("doc.jpg");
        for (orientation, big_endian, shown) in [
            (6, false, (1200, 1600)),
            (8, true, (1200, 1600)),
            (5, false, (1200, 1600)),
            (1, false, (1600, 1200)),
            (3, true, (1600, 1200)),
        ] {
            std::fs::write(&file, jpeg_turned(orientation, big_endian)).unwrap();
            let size = probe(&file).and_then(|(size, _)| size);
            assert_eq!(size, Some(shown), "orientation {orientation}");
        }
    }

    #[test]
    fn bundle_photos_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("tin/bai")).unwrap();
        std::fs::write(dir.path().join("tin/bai/anh.jpg"), b"not really").unwrap();
        let roots = PhotoRoots {
            content: dir.path(),
            statics: [dir.path(), dir.path()],
        };
        let found = find("anh.jpg", Path::new("tin/bai"), true, &roots).unwrap();
        assert_eq!(found.source, PhotoSource::Bundle("anh.jpg".to_string()));
        assert_eq!(found.size, None);
        let error = find("Anh.jpg", Path::new("tin/bai"), true, &roots).unwrap_err();
        assert!(error.contains("content/tin/bai/Anh.jpg"), "{error}");
    }
}
