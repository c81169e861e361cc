//! Ctrl-C while the site is still being read: the build stops there. In a test binary of its
//! own, and in one test, since the stop flag is the whole process's.

mod common;

use bantin::cmd::build::{build, BuildError, BuildOptions};
use common::{snapshot, Fixture, CONFIG};

#[test]
fn a_stop_asked_while_loading_ends_the_build_before_anything_is_written() {
    let site = Fixture::new(CONFIG);
    site.article(
        "content/kinh-te/2024/04/xuat-khau.md",
        "Xuất khẩu gạo quý một",
        "2024-04-03",
        "tags: [\"xuất khẩu\"]\n",
        "Sản lượng tăng.\n",
    );
    site.build_ok();
    let before = snapshot(&site.output());
    let dirs = bantin::load::SiteDirs::new(site.root(), "default");
    assert_eq!(bantin::load::load(&dirs, false, None).0.articles.len(), 1);
    // A file that would fail the build: a stopped build does not report it.
    site.write("content/thoi-su/2024/04/loi.md", "---\ntitle: \"Lỗi\n---\n");
    assert!(!bantin::stop::request_stop());
    // Loading reads no file once a stop was asked for.
    let (loaded, problems) = bantin::load::load(&dirs, false, None);
    assert!(loaded.articles.is_empty() && problems.is_empty());
    let options = BuildOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    assert!(matches!(build(&options), Err(BuildError::Stopped)));
    assert_eq!(snapshot(&site.output()), before);
    let beside: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
