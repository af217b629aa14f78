//! Reading the shared corpus's manifest, for the evaluation examples.

use std::collections::BTreeMap;

/// The scorer's page stem: `x.htm.html.gz` → `x.htm`.
pub fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name);
    [".html", ".htm", ".txt"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name)
}

/// The manifest's `language` column by page stem, as written ("en (Nigerian)", "de+en").
pub fn page_languages(manifest: &str) -> Result<BTreeMap<String, String>, String> {
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().ok_or("empty manifest")?.split('\t').collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or(format!("manifest has no {name} column"))
    };
    let (file_col, lang_col) = (column("file")?, column("language")?);
    let mut langs = BTreeMap::new();
    for line in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        if let (Some(file), Some(lang)) = (fields.get(file_col), fields.get(lang_col)) {
            langs.insert(stem(file).to_owned(), (*lang).to_owned());
        }
    }
    Ok(langs)
}

/// The first two-letter code of a language column: "en (Nigerian)" is English.
pub fn code(language: &str) -> Option<&str> {
    let code = language
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    (code.len() == 2).then_some(code)
}
