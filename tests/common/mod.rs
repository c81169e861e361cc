//! Fixture sites for integration tests: a temp folder with bantin.yaml, the default theme and
//! the content files a test writes.

#![allow(dead_code)]

pub mod chromium;
pub mod server;

use bantin::cmd::build::{build, BuildError, BuildOptions, BuildReport};
use bantin::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// A tiny valid PNG (3×2 pixels), enough for a photo file with a readable size.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// `PNG` with another width: a photo of the same length whose size tells it apart.
pub fn png_of_width(width: u8) -> Vec<u8> {
    let mut png = PNG.to_vec();
    png[19] = width;
    png
}

/// A JPEG photo `width` × `height` of some pattern (`shade` tells two apart).
pub fn jpeg_photo(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 180) as u8, shade])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::from(pixels)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

/// The pixel size of the photo at `file`.
pub fn pixel_size(file: &Path) -> (u32, u32) {
    let photo = image::open(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (photo.width(), photo.height())
}

pub const CONFIG: &str =
    "title: \"Bản tin thử\"\nbase_url: \"https://example.gov.vn/\"\npage_size: 10\n";

impl Fixture {
    /// A site with the given bantin.yaml and the repository's default theme.
    pub fn new(config: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        copy_tree(&theme, &dir.path().join("themes/default"));
        let fixture = Fixture { dir };
        fixture.write("bantin.yaml", config);
        fixture.write(
            "content/thoi-su/_index.md",
            "---\ntitle: \"Thời sự\"\n---\n",
        );
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }

    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.root().join(relative)).expect("remove");
    }

    /// Writes an article with the given extra front matter lines and body.
    pub fn article(&self, relative: &str, title: &str, date: &str, extra: &str, body: &str) {
        self.write(
            relative,
            &format!("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n{body}"),
        );
    }

    pub fn build(&self) -> Result<BuildReport, BuildError> {
        build(&BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        })
    }

    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(report) => report,
            Err(BuildError::Site(problems)) => {
                let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                panic!("build failed:\n{}", shown.join("\n"))
            }
            Err(other) => panic!("build failed: {other}"),
        }
    }

    /// The problems of a build that must fail.
    pub fn build_err(&self) -> Vec<Diagnostic> {
        match self.build() {
            Err(BuildError::Site(problems)) => problems,
            Err(other) => panic!("unexpected error: {other}"),
            Ok(_) => panic!("the build should have failed"),
        }
    }

    /// A page of the output, by site path (`/thoi-su/` or `/404.html`).
    pub fn page(&self, site_path: &str) -> String {
        let relative = site_path.trim_start_matches('/');
        let file = if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else {
            relative.to_string()
        };
        fs::read_to_string(self.output().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn exists(&self, site_path: &str) -> bool {
        self.output()
            .join(site_path.trim_start_matches('/'))
            .exists()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file of a folder with its bytes, to compare outputs.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (relative, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The inner text of the first element that starts with `open` (e.g. `<h1`).
pub fn element_text(html: &str, open: &str) -> String {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no {open} in page"));
    let content_start = start + html[start..].find('>').expect("tag end") + 1;
    let name: String = open
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let end = content_start
        + html[content_start..]
            .find(&format!("</{name}>"))
            .expect("closing tag");
    html[content_start..end].to_string()
}
