//! Smaller copies of wide photos: the thumbnail lists show of a lead photo, and the medium
//! copy article pages offer phones; which photos get them, their sizes and their paths.

use super::OutputAsset;
use crate::load::photos::FoundPhoto;
use image::ImageFormat;

/// Lists show a lead photo 7.5rem (120 CSS pixels) wide; 360 pixels stay sharp on phones
/// with three device pixels to the CSS pixel.
pub const THUMBNAIL_WIDTH: u32 = 360;

/// Article pages show a photo at most 46rem (736 CSS pixels) wide: 800 pixels are sharp on
/// phones with two device pixels to the CSS pixel and on most computer screens; sharper
/// screens take the photo itself (`srcset`).
pub const MEDIUM_WIDTH: u32 = 800;

/// A smaller copy of a photo: a list thumbnail, or an article page's medium copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Thumbnail {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The pixel size of a copy `target` pixels wide of a photo `width` × `height`, the photo's
/// proportions kept.
pub fn scaled_size(target: u32, width: u32, height: u32) -> (u32, u32) {
    let height = (f64::from(height) * f64::from(target) / f64::from(width)).round();
    (target, (height as u32).max(1))
}

/// The copy `target` pixels wide of a photo found at `photo`, published at site path
/// `published` (`/a/b.jpg`), and the file to make for it: for a JPEG or PNG whose size is
/// known and more than a third wider than the copy (a copy would save readers little of a
/// narrower one), unless a file of the copy's name is already beside the photo.
pub fn plan(
    photo: &FoundPhoto,
    published: &str,
    target: u32,
    absolute: impl Fn(&str) -> String,
) -> Option<(Thumbnail, OutputAsset)> {
    let file = photo.file.as_ref()?;
    let (width, height) = photo
        .size
        .filter(|&(width, _)| width > target + target / 3)?;
    let (folder, name) = published.rsplit_once('/')?;
    let name = copy_name(name, target)?;
    if file.with_file_name(&name).exists() {
        return None;
    }
    let to = format!("{folder}/{name}");
    let (width, height) = scaled_size(target, width, height);
    let thumbnail = Thumbnail {
        url: absolute(&to),
        width,
        height,
    };
    let asset = OutputAsset {
        from: file.clone(),
        to,
        scaled_to: Some(target),
    };
    Some((thumbnail, asset))
}

/// `ky-ket.jpg` → `ky-ket.360.jpg`; none for a photo that is not a JPEG or PNG.
fn copy_name(photo: &str, width: u32) -> Option<String> {
    let (stem, extension) = photo.rsplit_once('.')?;
    thumbnail_format(extension)?;
    Some(format!("{stem}.{width}.{extension}"))
}

/// The format of a photo that gets smaller copies, and of its copies, by the extension of its
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
        assert_eq!(scaled_size(360, 1600, 1067), (360, 240));
        assert_eq!(scaled_size(360, 4000, 3000), (360, 270));
        assert_eq!(scaled_size(360, 1200, 1800), (360, 540));
        assert_eq!(scaled_size(360, 100_000, 10), (360, 1));
        assert_eq!(scaled_size(800, 4000, 3000), (800, 600));
    }

    #[test]
    fn wide_jpegs_and_pngs_get_a_thumbnail_beside_the_published_photo() {
        let folder = tempfile::tempdir().unwrap();
        let photo = folder.path().join("Ảnh hội nghị.JPG");
        let absolute = |path: &str| format!("https://tin.example{path}");
        let copy = |width| {
            let published = "/tin/2024/04/bai/Ảnh hội nghị.JPG";
            plan(&found(&photo, (1600, 900)), published, width, absolute).unwrap()
        };
        let (thumbnail, asset) = copy(THUMBNAIL_WIDTH);
        assert_eq!(asset.to, "/tin/2024/04/bai/Ảnh hội nghị.360.JPG");
        assert_eq!(
            thumbnail.url,
            "https://tin.example/tin/2024/04/bai/Ảnh hội nghị.360.JPG"
        );
        assert_eq!((thumbnail.width, thumbnail.height), (360, 203));
        assert_eq!(asset.from, photo);
        assert_eq!(asset.scaled_to, Some(360));
        let (medium, asset) = copy(MEDIUM_WIDTH);
        assert_eq!(asset.to, "/tin/2024/04/bai/Ảnh hội nghị.800.JPG");
        assert_eq!((medium.width, medium.height), (800, 450));
    }

    #[test]
    fn small_photos_other_formats_and_taken_names_get_none() {
        let folder = tempfile::tempdir().unwrap();
        let absolute = |path: &str| path.to_string();
        let jpeg = folder.path().join("anh.jpg");
        let thumbnail =
            |photo: &FoundPhoto, published: &str| plan(photo, published, THUMBNAIL_WIDTH, absolute);
        assert!(thumbnail(&found(&jpeg, (480, 320)), "/a/anh.jpg").is_none());
        assert!(thumbnail(&found(&jpeg, (481, 320)), "/a/anh.jpg").is_some());
        let medium = |width| {
            plan(
                &found(&jpeg, (width, 600)),
                "/a/anh.jpg",
                MEDIUM_WIDTH,
                absolute,
            )
        };
        assert!(medium(1066).is_none() && medium(1067).is_some());
        let gif = folder.path().join("anh.gif");
        assert!(thumbnail(&found(&gif, (1600, 900)), "/a/anh.gif").is_none());
        let mut unknown = found(&jpeg, (1, 1));
        unknown.size = None;
        assert!(thumbnail(&unknown, "/a/anh.jpg").is_none());
        assert!(thumbnail(&found(&jpeg, (1600, 900)), "/a/anh.jpg").is_some());
        std::fs::write(folder.path().join("anh.360.jpg"), b"").unwrap();
        assert!(thumbnail(&found(&jpeg, (1600, 900)), "/a/anh.jpg").is_none());
    }
}
