//! The lexicon files compiled into the binary. A test checks that every file under
//! `lexicons/` is listed here, so adding a file is enough to be reminded to list it.

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../lexicons/", $path)))),*]
    };
}

/// `(name, TOML text)` of every built-in lexicon file.
pub(crate) const BUILTIN: &[(&str, &str)] = builtin![
    "lang/en.toml",
    "lang/nl.toml",
    "phpbb/en.toml",
    "phpbb/nl.toml",
];

#[cfg(test)]
mod tests {
    use super::BUILTIN;

    #[test]
    fn every_file_in_the_folder_is_built_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons");
        let mut on_disk = Vec::new();
        for dir in std::fs::read_dir(&root).expect("lexicons folder") {
            let dir = dir.expect("entry").path();
            for file in std::fs::read_dir(&dir).expect("lexicon subfolder") {
                let file = file.expect("entry").path();
                let rel = file.strip_prefix(&root).expect("below root");
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }
}
