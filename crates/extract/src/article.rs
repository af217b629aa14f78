//! The reposted news article, assembled from the blocks segmentation marked.

use threadmill_lexicon::Lexicon;
use threadmill_model::{Article, BlockKind, Caption, Thread};

use crate::dates::{DateContext, parse_date};

/// The first post with article structure (a headline, byline, date line or caption)
/// becomes the thread's article.
pub(crate) fn find_article(
    thread: &Thread,
    lexicon: &Lexicon,
    dates: Option<&DateContext<'_>>,
) -> Option<Article> {
    let post = thread.posts.iter().find(|p| {
        p.blocks.iter().any(|b| {
            matches!(
                b.kind,
                BlockKind::Headline | BlockKind::Byline | BlockKind::Caption
            )
        })
    })?;
    let mut article = Article {
        post: post.index,
        ..Article::default()
    };
    for block in &post.blocks {
        match block.kind {
            BlockKind::Headline if article.headline.is_none() => {
                article.headline = Some(block.text.clone());
            }
            BlockKind::Standfirst if article.standfirst.is_none() => {
                article.standfirst = Some(block.text.clone());
            }
            BlockKind::Byline if article.byline.is_empty() => {
                article.byline = split_names(&block.text, lexicon);
            }
            BlockKind::Dateline if article.published_raw.is_none() => {
                article.published_raw = Some(block.text.clone());
                article.published = dates
                    .and_then(|ctx| parse_date(&block.text, ctx))
                    .map(|d| d.iso);
            }
            BlockKind::Caption => {
                let caption = match lexicon.caption_credit(&block.text) {
                    Some((text, credit)) => Caption {
                        text: text.to_owned(),
                        credit: Some(credit.to_owned()),
                    },
                    None => Caption {
                        text: block.text.clone(),
                        credit: None,
                    },
                };
                article.captions.push(caption);
            }
            _ => {}
        }
    }
    Some(article)
}

/// `By Jane Doe and John Roe` → `Jane Doe`, `John Roe`.
fn split_names(byline: &str, lexicon: &Lexicon) -> Vec<String> {
    let words = lexicon.chrome_words();
    let mut parts = vec![words.without_byline_word(byline.trim())];
    for joiner in words.name_joiner.sorted() {
        let joiner = format!(" {joiner} ");
        parts = parts
            .into_iter()
            .flat_map(|part| part.split(joiner.as_str()))
            .collect();
    }
    parts
        .into_iter()
        .flat_map(|part| part.split(" & "))
        .flat_map(|part| part.split(','))
        .map(str::trim)
        .filter(|name| {
            name.split_whitespace().count() >= 2
                && name
                    .split_whitespace()
                    .all(|w| w.starts_with(char::is_uppercase))
        })
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_split_into_names() {
        let lx = Lexicon::builtin().expect("lexicon");
        assert_eq!(split_names("James Robinson", &lx), ["James Robinson"]);
        assert_eq!(
            split_names("By Jane Doe and John Roe, Political Correspondents", &lx),
            ["Jane Doe", "John Roe", "Political Correspondents"]
        );
        assert_eq!(
            split_names("by Ann Lee & Bo Kim and Cy Poe", &lx),
            ["Ann Lee", "Bo Kim", "Cy Poe"]
        );
    }
}
