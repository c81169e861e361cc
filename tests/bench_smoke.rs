//! The benchmark driver runs on a small corpus (bantin only), so the script cannot rot.

use std::path::Path;
use std::process::Command;

#[test]
fn the_benchmark_driver_builds_a_small_corpus_and_writes_its_report() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let report = work.path().join("BENCHMARKS.md");
    let output = Command::new("python3")
        .arg(repo.join("bench/run.py"))
        .args([
            "--sizes",
            "200",
            "--runs",
            "1",
            "--only-bantin",
            "--bantin",
            env!("CARGO_BIN_EXE_bantin"),
        ])
        .arg("--cache")
        .arg(work.path().join("cache"))
        .arg("--out")
        .arg(&report)
        .output()
        .expect("python3 runs bench/run.py");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&report).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("| 200 |"))
        .unwrap_or_else(|| panic!("no row for 200 articles:\n{text}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    let pages: usize = cells[5].replace(',', "").parse().expect("pages column");
    assert!(pages > 200, "every article and list page is counted: {row}");
    assert!(text.contains("I/O floor"));
}
