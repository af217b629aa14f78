//! The lexicon files compiled into the binary. A test checks that every file under
//! `lexicons/` is listed here, so adding a file is enough to be reminded to list it.

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../lexicons/", $path)))),*]
    };
}

/// `(name, TOML text)` of every built-in lexicon file.
pub(crate) const BUILTIN: &[(&str, &str)] = builtin![
    "lang/de.toml",
    "lang/en.toml",
    "lang/es.toml",
    "lang/fr.toml",
    "lang/it.toml",
    "lang/nl.toml",
    "lang/pl.toml",
    "lang/pt.toml",
    "lang/ru.toml",
    "lang/sv.toml",
    "discourse/en.toml",
    "fluxbb/de.toml",
    "fluxbb/en.toml",
    "fluxbb/fr.toml",
    "fluxbb/ru.toml",
    "invision/en.toml",
    "invision/ru.toml",
    "mybb/de.toml",
    "mybb/en.toml",
    "mybb/es.toml",
    "mybb/fr.toml",
    "mybb/it.toml",
    "mybb/nl.toml",
    "mybb/pl.toml",
    "mybb/pt.toml",
    "mybb/ru.toml",
    "nodebb/en.toml",
    "phpbb/de.toml",
    "phpbb/en.toml",
    "phpbb/es.toml",
    "phpbb/fr.toml",
    "phpbb/it.toml",
    "phpbb/nl.toml",
    "phpbb/pl.toml",
    "phpbb/pt.toml",
    "phpbb/ru.toml",
    "phpbb/sv.toml",
    "stackexchange/en.toml",
    "smf/de.toml",
    "smf/en.toml",
    "smf/es.toml",
    "smf/fr.toml",
    "smf/it.toml",
    "smf/nl.toml",
    "smf/pl.toml",
    "smf/ru.toml",
    "vbulletin/de.toml",
    "vbulletin/en.toml",
    "xenforo/de.toml",
    "xenforo/en.toml",
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
            if !dir.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&dir).expect("lexicon subfolder") {
                let file = file.expect("entry").path();
                if file.extension().is_none_or(|e| e != "toml") {
                    continue;
                }
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
