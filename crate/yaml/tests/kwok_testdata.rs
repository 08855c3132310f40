//! kwok's stage testdata outputs were written by go-yaml v2 (through `sigs.k8s.io/yaml`), so
//! reading one and emitting it again must give the file back byte for byte.

use std::path::{Path, PathBuf};

fn output_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            output_files(&path, found);
        } else if path.to_string_lossy().ends_with(".output.yaml") {
            found.push(path);
        }
    }
}

#[test]
fn testdata_outputs_are_reproduced_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kwok-stages");
    let mut files = Vec::new();
    output_files(&root, &mut files);
    files.sort();
    assert!(
        files.len() >= 16,
        "expected kwok's testdata under {}",
        root.display()
    );

    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let value =
            stage_yaml::parse_value(&text).unwrap_or_else(|e| panic!("{}:{e}", file.display()));
        let emitted = stage_yaml::to_string(&value);
        assert_eq!(emitted, text, "{}", file.display());
    }
}
