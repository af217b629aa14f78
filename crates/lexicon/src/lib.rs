//! Forum engine and UI-language strings as data, compiled once into fast matchers.
//!
//! What varies from forum to forum (the labels of an engine's chrome in each UI language,
//! month and weekday names, relative-date words) lives in TOML files, not in code. The
//! built-in files ship inside the crate (see `lexicons/` beside this crate); a user adds or
//! overrides strings with files of the same shape, without recompiling. All of them are
//! compiled once into one [`Lexicon`]: an Aho-Corasick prefilter over every template's
//! longest literal that finds a line's candidate templates in one pass, one small anchored
//! matcher per template for its fields, and an Aho-Corasick automaton for engine
//! signatures. A `Lexicon` is immutable and `Sync`: every worker shares one.
//!
//! Three more compiled parts serve the stages that look for words inside a line rather than
//! for whole lines. [`DateWords`] (`lexicon.date_words()`) is one table of every language's
//! date words, each spelling with the roles it plays (month, weekday, filler, AM/PM,
//! relative-date word…), plus each language's words as a date parser reads them.
//! [`ChromeWords`] (`lexicon.chrome_words()`) holds the `[chrome_words]` lists of the
//! language files (join-date labels, "read more", "by", reply prefixes, "page"…), merged
//! over the languages and compiled into whole-word sets, phrase automatons and prefix
//! lists, and the quote headers engines share into one regex ([`QuoteHeader`]).
//! [`FunctionWords`] (`lexicon.function_words()`) is one table of every language's
//! `[detection]` function words, which tell a short post's language. A file of a new
//! language adds its words to each.
//!
//! A label is a template: literal text with `{author}`, `{date}`, `{n}`, `{total}`,
//! `{count}`, `{value}`, `{board}` or `{title}` placeholders, matched against a whole line,
//! case-insensitively, with any run of white space matching any other. A number
//! (`{n}`, `{total}`, `{count}`) is a digit and then digits and `.,'`; an author has at
//! most 80 characters; the others take any text, `{date}` possibly none. Where a line
//! can be split in several ways, the placeholders from the left take as little as they
//! can (as the regex `.*?` would). A template has at most 300 characters.
//!
//! ```
//! use threadmill_lexicon::{Label, Lexicon};
//!
//! let lexicon = Lexicon::builtin()?;
//! let m = lexicon.match_line("Bericht door noumoe » 22 nov 2020 15:27").expect("a post header");
//! assert_eq!(m.label, Label::PostHeader);
//! assert_eq!(m.fields.author.as_deref(), Some("noumoe"));
//! assert_eq!(m.fields.date.as_deref(), Some("22 nov 2020 15:27"));
//!
//! // Extending it: a user's own file, same shape as the built-in ones.
//! let extra = r#"
//!     engine = "myforum"
//!     lang = "en"
//!     [labels]
//!     post_header = ["Message from {author} sent {date}"]
//! "#;
//! let lexicon = Lexicon::builder().builtin()?.add_toml("extra.toml", extra)?.build()?;
//! let m = lexicon.match_line("Message from Ann sent yesterday").expect("a user template");
//! assert_eq!(m.engine, Some("myforum"));
//! # Ok::<(), threadmill_lexicon::Error>(())
//! ```

mod builtin;
mod chrome;
mod dates;
mod detection;
mod error;
mod file;
mod lexicon;
mod quote;
mod template;

pub use chrome::{ChromeWords, PhraseSet, PrefixSet, SegmentWords, WordSet};
pub use dates::{DateWord, DateWords, LangData, Relative, RelativeRoles, Roles, TimeUnit};
pub use detection::FunctionWords;
pub use error::Error;
pub use file::{ChromeWordsFile, DetectionFile, Label, LangFile, LexiconFile, RelativeWords};
pub use lexicon::{Detection, Fields, Lexicon, LexiconBuilder, LineMatch};
pub use quote::QuoteHeader;
