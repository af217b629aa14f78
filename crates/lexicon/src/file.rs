//! The shape of a lexicon file.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The kinds of chrome label a lexicon file lists templates for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// A post's header: "Post by {author} » {date}".
    PostHeader,
    /// A post's author line when it stands alone: "{author}".
    AuthorLine,
    /// The author's post count: "Posts: {n}".
    Posts,
    /// The author's join date: "Joined: {date}".
    Joined,
    /// Other author-panel fields: "Location: {value}".
    AuthorInfo,
    /// The header of a quote of another post: "{author} wrote:".
    QuoteHeader,
    /// "Last edited by {author} on {date}".
    EditNote,
    /// "Page {n} of {total}".
    Pagination,
    /// A reply's subject: "Re: {title}".
    Subject,
    /// A line naming the board: "Return to “{board}”".
    Board,
    /// Buttons: "Post Reply", "Quote", "Report", "Top".
    Action,
    /// Site navigation: "Board index", "FAQ", "Skip to content".
    Navigation,
    /// Login and registration boxes.
    Login,
    /// Footers: "Powered by {value}".
    Footer,
    /// A post's date printed on its own line: "Posted: {date}".
    PostDate,
    /// The date closing a comment under a post: "Commented {date}". Comments are set
    /// apart from the posts they answer, as the question-and-answer engines print them.
    CommentDate,
}

impl Label {
    /// Every label, in the order ties between equally specific matches are broken.
    pub const ALL: [Label; 16] = [
        Label::PostHeader,
        Label::QuoteHeader,
        Label::EditNote,
        Label::Posts,
        Label::Joined,
        Label::AuthorInfo,
        Label::PostDate,
        Label::CommentDate,
        Label::Pagination,
        Label::Subject,
        Label::Board,
        Label::Action,
        Label::Navigation,
        Label::Login,
        Label::Footer,
        Label::AuthorLine,
    ];
}

/// One lexicon file: the chrome of one engine in one UI language, or the date words of
/// one language (`lang` set, `engine` absent), or both.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    /// The engine these labels belong to; absent for labels every engine shares.
    pub engine: Option<String>,
    /// ISO 639-1 code of the UI language.
    pub lang: Option<String>,
    /// Where the strings were taken from (language pack file and version).
    pub source: Option<String>,
    /// Substrings that identify the engine anywhere on a page ("Powered by phpBB").
    #[serde(default)]
    pub signatures: Vec<String>,
    /// Templates per label.
    #[serde(default)]
    pub labels: BTreeMap<Label, Vec<String>>,
    /// Words that introduce a photo credit at the end of a caption ("Pic", "Foto").
    #[serde(default)]
    pub caption_credits: Vec<String>,
    /// Date words for `lang`.
    #[serde(default)]
    pub dates: Option<LangFile>,
    /// UI words looked for inside a line rather than as a whole line.
    #[serde(default)]
    pub chrome_words: ChromeWordsFile,
    /// Words that tell which language a post is written in.
    #[serde(default)]
    pub detection: DetectionFile,
}

/// Words that tell the language of a text, for `lang`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectionFile {
    /// Very frequent words of the language that no other language of the lexicon uses as
    /// often ("und", "nicht"): a short post that holds several is in the language. A word
    /// two languages list tells neither.
    #[serde(default)]
    pub function_words: Vec<String>,
}

/// UI words the segmenter and the stitcher look for inside a line, a label or a link,
/// where a whole-line template does not fit. Each list is compared without case.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChromeWordsFile {
    /// Words of the label of a member's join date, found anywhere in it: "joined",
    /// "member since", "dabei seit".
    #[serde(default)]
    pub joined: Vec<String>,
    /// Beginnings of the words that label a post's own date: "post" ("Posted:"), "datum",
    /// "geschrieben". A date under another label belongs to the poster's profile.
    #[serde(default)]
    pub post_date: Vec<String>,
    /// A teaser's link to the rest of the text: "read more", "weiterlesen".
    #[serde(default)]
    pub read_more: Vec<String>,
    /// The label of an author's post count: "posts" ("Posts: 1,234"), "beiträge".
    #[serde(default)]
    pub post_count: Vec<String>,
    /// Words in the address of a member's profile page: "member", "benutzer".
    #[serde(default)]
    pub profile_path: Vec<String>,
    /// Words that make the text of a profile link a button, not a name: "view",
    /// "profile", "pm".
    #[serde(default)]
    pub profile_button: Vec<String>,
    /// The word that introduces a post's author before the name: "by", "von".
    #[serde(default)]
    pub by: Vec<String>,
    /// Prefixes of a reply's subject: "Re:", "AW:".
    #[serde(default)]
    pub reply_prefix: Vec<String>,
    /// The word before a page number in a title: "page", "seite".
    #[serde(default)]
    pub page: Vec<String>,
    /// The word that opens a news article's byline: "By" ("By Jane Doe").
    #[serde(default)]
    pub byline: Vec<String>,
    /// Words that join two names in a byline: "and" ("Jane Doe and John Roe").
    #[serde(default)]
    pub name_joiner: Vec<String>,
    /// Words of a person's name printed in lower case: "van", "von".
    #[serde(default)]
    pub name_particle: Vec<String>,
    /// A post's buttons, as a whole line: "reply", "report", "inhalt melden". A text copy
    /// prints them beside the poster's name, and they are never one.
    #[serde(default)]
    pub post_action: Vec<String>,
    /// The label a forum prints where an advertisement stands among the posts, as a whole
    /// line: "advertisement", "anzeige". A "post" under it is an ad, never a poster's.
    #[serde(default)]
    pub advertisement: Vec<String>,
    /// A member's rank or badge, as a whole line: "senior member", "moderator",
    /// "original poster". An author panel prints it beside the name, and it is never one.
    #[serde(default)]
    pub rank: Vec<String>,
    /// The heading of what a page prints after the thread, as a whole line: "related
    /// topics", "similar threads", "ähnliche themen". Nothing under it is a post's.
    #[serde(default)]
    pub thread_end: Vec<String>,
    /// A footer link of the page's own, as a whole line: "terms of service", "privacy
    /// policy", "impressum". A run of them ends a copy, never a post.
    #[serde(default)]
    pub footer_link: Vec<String>,
    /// A path segment of a member's profile address in the forum's language, compared
    /// without case: "mitglied" ("/mitglied/12"), "membre". A link is a user link when a
    /// segment of it begins with one ("/membres/", "/mitglieder/"); the user key is the
    /// segment after one.
    #[serde(default)]
    pub profile_segment: Vec<String>,
    /// The label that opens a quote's header: "quote" ("Quote from: ann on 12 May"),
    /// "zitat".
    #[serde(default)]
    pub quote_label: Vec<String>,
    /// The word between a quote label and the quoted author: "from", "von".
    #[serde(default)]
    pub quote_from: Vec<String>,
    /// The word between a quote header's author and the date: "on", "am".
    #[serde(default)]
    pub quote_on: Vec<String>,
    /// Words before the quoted author: "posted by", "originally posted by", "quoting".
    #[serde(default)]
    pub quote_by: Vec<String>,
    /// The verb after the quoted author: "wrote", "said", "a écrit".
    #[serde(default)]
    pub quote_said: Vec<String>,
}

/// Date words of one language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangFile {
    /// Twelve entries, January first, each the names the month goes by (full, abbreviated,
    /// genitive…).
    #[serde(default)]
    pub months: Vec<Vec<String>>,
    /// Seven entries, Monday first, each the names the weekday goes by.
    #[serde(default)]
    pub weekdays: Vec<Vec<String>>,
    /// The usual order of numeric dates: `"dmy"`, `"mdy"` or `"ymd"`.
    pub order: Option<String>,
    /// Words between date parts that carry no meaning ("at", "om", "um", "à").
    #[serde(default)]
    pub filler: Vec<String>,
    /// Relative dates.
    #[serde(default)]
    pub relative: RelativeWords,
    /// Morning and afternoon markers besides AM/PM.
    #[serde(default)]
    pub am: Vec<String>,
    /// Afternoon markers besides PM.
    #[serde(default)]
    pub pm: Vec<String>,
    /// What a day's number carries as an ordinal, as the date parser reads it: "th"
    /// ("8th"), "er" ("1er"), "º" ("1º"). A final dot ("9.") is every language's.
    #[serde(default)]
    pub ordinal_suffixes: Vec<String>,
    /// What a number of a printed date may carry glued to it, as the segmenter's date
    /// finder reads it: ordinals ("8th", "2e") and hour and day-half marks ("10h", "5pm").
    #[serde(default)]
    pub number_suffixes: Vec<String>,
    /// What a year may carry glued to it: "r" ("2020r."). Read where a line's dates are
    /// found, not where a text is asked to be a date.
    #[serde(default)]
    pub year_suffixes: Vec<String>,
}

/// Words for dates relative to now.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelativeWords {
    /// "today".
    #[serde(default)]
    pub today: Vec<String>,
    /// "yesterday".
    #[serde(default)]
    pub yesterday: Vec<String>,
    /// "day before yesterday".
    #[serde(default)]
    pub day_before_yesterday: Vec<String>,
    /// "now", "just now".
    #[serde(default)]
    pub now: Vec<String>,
    /// Templates for a past offset: "{n} {unit} ago", "vor {n} {unit}".
    #[serde(default)]
    pub ago: Vec<String>,
    /// Unit names: keys `second`, `minute`, `hour`, `day`, `week`, `month`, `year`.
    #[serde(default)]
    pub units: BTreeMap<String, Vec<String>>,
    /// Units of an age glued to its number and printed alone, without an ago word ("3y",
    /// "7mo"): keys as in `units`.
    #[serde(default)]
    pub compact: BTreeMap<String, Vec<String>>,
}
