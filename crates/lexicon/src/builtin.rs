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
    "discourse/de.toml",
    "discourse/en.toml",
    "discourse/fr.toml",
    "discourse/ru.toml",
    "fluxbb/de.toml",
    "fluxbb/en.toml",
    "fluxbb/fr.toml",
    "fluxbb/ru.toml",
    "invision/de.toml",
    "invision/en.toml",
    "invision/fr.toml",
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
    "mybb/sv.toml",
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
    "smf/de.toml",
    "smf/en.toml",
    "smf/es.toml",
    "smf/fr.toml",
    "smf/it.toml",
    "smf/nl.toml",
    "smf/pl.toml",
    "smf/pt.toml",
    "smf/ru.toml",
    "smf/sv.toml",
    "vbulletin/de.toml",
    "vbulletin/en.toml",
    "vbulletin/es.toml",
    "vbulletin/fr.toml",
    "vbulletin/it.toml",
    "vbulletin/nl.toml",
    "vbulletin/pl.toml",
    "vbulletin/pt.toml",
    "vbulletin/ru.toml",
    "vbulletin/sv.toml",
    "xenforo/de.toml",
    "xenforo/en.toml",
    "xenforo/es.toml",
    "xenforo/fr.toml",
    "xenforo/it.toml",
    "xenforo/nl.toml",
    "xenforo/pl.toml",
    "xenforo/pt.toml",
    "xenforo/ru.toml",
    "xenforo/sv.toml",
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
