//! List thumbnails: which lead photos lists show as a smaller copy, its size and its path.

use super::OutputAsset;
use crate::load::photos::FoundPhoto;
use image::ImageFormat;

/// Lists show a lead photo 7.5rem (120 CSS pixels) wide; 360 pixels stay sharp on phones
/// with three device pixels to the CSS pixel.
pub const THUMBNAIL_WIDTH: u32 = 360;

/// A photo up to this wide is listed as it is: a copy would save readers little.
const LISTED_AS_IS: u32 = 480;

/// The smaller copy of a lead photo that lists show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The pixel size of the thumbnail of a photo `width` × `height`: `THUMBNAIL_WIDTH` wide, the
/// photo's proportions kept.
pub fn thumbnail_size(width: u32, height: u32) -> (u32, u32) {
    let height = (f64::from(height) * f64::from(THUMBNAIL_WIDTH) / f64::from(width)).round();
    (THUMBNAIL_WIDTH, (height as u32).max(1))
}

/// The thumbnail of a photo found at `photo`, published at site path `published` (`/a/b.jpg`),
/// and the file to make for it: for a JPEG or PNG wider than `LISTED_AS_IS` whose size is
/// known, unless a file of the thumbnail's name is already beside the photo.
pub fn plan(
    photo: &FoundPhoto,
    published: &str,
    absolute: impl Fn(&str) -> String,
) -> Option<(Thumbnail, OutputAsset)> {
    let file = photo.file.as_ref()?;
    let (width, height) = photo.size.filter(|&(width, _)| width > LISTED_AS_IS)?;
    let (folder, name) = published.rsplit_once('/')?;
    let name = thumbnail_name(name)?;
    if file.with_file_name(&name).exists() {
        return None;
    }
    let to = format!("{folder}/{name}");
    let (width, height) = thumbnail_size(width, height);
    let thumbnail = Thumbnail {
        url: absolute(&to),
        width,
        height,
    };
    let asset = OutputAsset {
        from: file.clone(),
        to,
        thumbnail: true,
    };
    Some((thumbnail, asset))
}

/// `ky-ket.jpg` → `ky-ket.360.jpg`; none for a photo that is not a JPEG or PNG.
fn thumbnail_name(photo: &str) -> Option<String> {
    let (stem, extension) = photo.rsplit_once('.')?;
    thumbnail_format(extension)?;
    Some(format!("{stem}.{THUMBNAIL_WIDTH}.{extension}"))
}

/// The format of a photo that gets a thumbnail, and of its thumbnail, by the extension of its
/// name: JPEG or PNG.
pub fn thumbnail_format(extension: &str) -> Option<ImageFormat> {
    match extension.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::photos::PhotoSource;
    use std::path::Path;

    fn found(file: &Path, size: (u32, u32)) -> FoundPhoto {
        FoundPhoto {
            source: PhotoSource::Bundle("anh.jpg".to_string()),
            file: Some(file.to_path_buf()),
            size: Some(size),
            bytes: Some(1),
        }
    }

    #[test]
    fn thumbnails_keep_the_photos_proportions() {
        assert_eq!(thumbnail_size(1600, 1067), (360, 240));
        assert_eq!(thumbnail_size(4000, 3000), (360, 270));
        assert_eq!(thumbnail_size(1200, 1800), (360, 540));
        assert_eq!(thumbnail_size(100_000, 10), (360, 1));
    }

    #[test]
    fn wide_jpegs_and_pngs_get_a_thumbnail_beside_the_published_photo() {
        let folder = tempfile::tempdir().unwrap();
        let photo = folder.path().join("Ảnh hội nghị.JPG");
        let absolute = |path: &str| format!("https://tin.example{path}");
        let (thumbnail, asset) = plan(
            &found(&photo, (1600, 900)),
            "/tin/2024/04/bai/Ảnh hội nghị.JPG",
            absolute,
        )
        .unwrap();
        assert_eq!(asset.to, "/tin/2024/04/bai/Ảnh hội nghị.360.JPG");
        assert_eq!(
            thumbnail.url,
            "https://tin.example/tin/2024/04/bai/Ảnh hội nghị.360.JPG"
        );
        assert_eq!((thumbnail.width, thumbnail.height), (360, 203));
        assert_eq!(asset.from, photo);
        assert!(asset.thumbnail);
    }

    #[test]
    fn small_photos_other_formats_and_taken_names_get_none() {
        let folder = tempfile::tempdir().unwrap();
        let absolute = |path: &str| path.to_string();
        let jpeg = folder.path().join("anh.jpg");
        assert!(plan(&found(&jpeg, (480, 320)), "/a/anh.jpg", absolute).is_none());
        let gif = folder.path().join("anh.gif");
        assert!(plan(&found(&gif, (1600, 900)), "/a/anh.gif", absolute).is_none());
        let mut unknown = found(&jpeg, (1, 1));
        unknown.size = None;
        assert!(plan(&unknown, "/a/anh.jpg", absolute).is_none());
        assert!(plan(&found(&jpeg, (1600, 900)), "/a/anh.jpg", absolute).is_some());
        std::fs::write(folder.path().join("anh.360.jpg"), b"").unwrap();
        assert!(plan(&found(&jpeg, (1600, 900)), "/a/anh.jpg", absolute).is_none());
    }
}
