//! Whole-path tests of the text segmenter: copies in many layouts and languages, segmented
//! the way the pipeline does.

use threadmill_clean::{CleanConfig, clean_lines};
use threadmill_lexicon::Lexicon;
use threadmill_model::{BlockKind, ChromeRole, Format, Line, Post, Repairs, Source, Thread};

use super::segment_text;

/// A text thread whose posts hold these paragraphs.
pub(super) fn thread_of_blocks(posts: &[&[&str]]) -> Thread {
    let mut thread = Thread::new(Source::unnamed(Format::Text));
    for (i, blocks) in posts.iter().enumerate() {
        thread
            .posts
            .push(Post::of_paragraphs(i, blocks.iter().copied()));
    }
    thread
}

/// Cleans and segments a text scrape the way the pipeline does.
fn run(text: &str) -> Thread {
    let lexicon = Lexicon::builtin().expect("lexicon");
    let mut repairs = Repairs::default();
    let lines = clean_lines(text, &lexicon, &CleanConfig::default(), &mut repairs);
    let source = Source::unnamed(Format::Text);
    let mut thread = Thread::new(source);
    segment_text(&lines, &lexicon, &mut thread);
    thread
}

#[test]
fn replies_name_the_title_a_logo_line_does_not() {
    let text = "[logo_forum_en]\n\
        \n\
        Which glue for oak?\n\
        Post by ann » Mon Mar 01, 2021 10:00 am\n\
        Any glue works on oak if you clamp it well and wait a day before you load it.\n\
        \n\
        Re: Which glue for oak?\n\
        Post by bob » Mon Mar 01, 2021 11:00 am\n\
        PVA glue is what most people use for indoor furniture and it is easy to clean.\n\
        \n\
        Re: Which glue for oak?\n\
        Post by ann » Mon Mar 01, 2021 12:00 pm\n\
        Thanks, PVA it is then, I will clamp it overnight and report back tomorrow.\n";
    let thread = run(text);
    assert_eq!(thread.posts.len(), 3);
    assert_eq!(thread.title.as_deref(), Some("Which glue for oak?"));
    // The logo line stays in the chrome, and is not the title there.
    assert!(
        thread
            .chrome
            .iter()
            .any(|c| c.text == "[logo_forum_en]" && c.role != ChromeRole::Title)
    );
    assert!(
        thread
            .chrome
            .iter()
            .filter(|c| c.role == ChromeRole::Title)
            .all(|c| c.text == "Which glue for oak?")
    );
    // Replies that shorten the title ("Re: glue") leave the page's own.
    let thread = run(&text
        .replace("[logo_forum_en]", "Which glue for oak?")
        .replace("Re: Which glue for oak?", "Re: glue"));
    assert_eq!(thread.title.as_deref(), Some("Which glue for oak?"));
}

fn authors(thread: &Thread) -> Vec<Option<&str>> {
    thread
        .posts
        .iter()
        .map(|p| p.author_name.as_deref())
        .collect()
}

/// Each post's blocks, one per line: the text before the extract stage joins it.
fn block_texts(thread: &Thread) -> Vec<String> {
    thread
        .posts
        .iter()
        .map(|p| {
            let blocks: Vec<&str> = p.blocks.iter().map(|b| b.text.as_str()).collect();
            blocks.join("\n")
        })
        .collect()
}

fn kinds(post: &Post) -> Vec<BlockKind> {
    post.blocks.iter().map(|b| b.kind).collect()
}

#[test]
fn xenforo_names_above_their_dates_and_ranks() {
    let thread = run(include_str!(
        "../../../../tests/fixtures/text/xenforo-en.txt"
    ));
    assert_eq!(
        authors(&thread),
        [Some("breadhead"), Some("crumbqueen"), Some("breadhead")]
    );
    assert_eq!(
        thread.posts[2].posted_at_raw.as_deref(),
        Some("Mar 3, 2021")
    );
    let quote = &thread.posts[1].blocks[0];
    assert_eq!(
        (quote.kind, quote.author.as_deref()),
        (BlockKind::Quote, Some("breadhead"))
    );
    // The signature is kept apart, and the buttons after the last post are not content.
    assert_eq!(
        kinds(&thread.posts[2]),
        [BlockKind::Paragraph, BlockKind::Signature]
    );
}

#[test]
fn fluxbb_panel_under_the_date() {
    let thread = run(include_str!(
        "../../../../tests/fixtures/text/fluxbb-en.txt"
    ));
    assert_eq!(
        authors(&thread),
        [Some("quietpc"), Some("tinkerer"), Some("quietpc")]
    );
    // The rank under the name is header, not the post's first paragraph.
    assert!(thread.posts[1].blocks[0].kind == BlockKind::Quote);
    assert_eq!(kinds(&thread.posts[0]).last(), Some(&BlockKind::Signature));
}

#[test]
fn mybb_polish_panels_and_dashdash_signatures() {
    let thread = run(include_str!("../../../../tests/fixtures/text/mybb-pl.txt"));
    assert_eq!(
        authors(&thread),
        [Some("Kasia_W"), Some("marek77"), Some("Kasia_W")]
    );
    assert_eq!(thread.ui_lang.as_deref(), Some("pl"));
    let quote = &thread.posts[1].blocks[0];
    assert_eq!(
        (quote.kind, quote.author.as_deref()),
        (BlockKind::Quote, Some("Kasia_W"))
    );
    assert_eq!(
        kinds(&thread.posts[2]),
        [BlockKind::Paragraph, BlockKind::Signature]
    );
}

#[test]
fn flattened_phpbb_page_in_swedish() {
    let thread = run(include_str!(
        "../../../../tests/fixtures/text/phpbb-sv-flat.txt"
    ));
    assert_eq!(
        authors(&thread),
        [Some("Lina"), Some("Pelle_B"), Some("Lina")]
    );
    assert_eq!(
        thread.posts[1].author_url.as_deref(),
        Some("./memberlist.php?mode=viewprofile&u=402")
    );
    assert_eq!(
        thread.posts[0].posted_at_raw.as_deref(),
        Some("ons 3 mar 2021 19:05")
    );
    assert_eq!(thread.posts[1].blocks[0].author.as_deref(), Some("Lina"));
    // The page's tail ("Upp", "Återgå till …") is not the last post's signature.
    assert_eq!(
        kinds(&thread.posts[2]),
        [BlockKind::Paragraph, BlockKind::Signature]
    );
}

/// Invision prints "Posted {date}" under the name and post count; Discourse's crawler
/// view quotes under "name:"; phpBB 2 (subSilver) heads the page with a "->"
/// breadcrumb. Three posts, the second quoting the first.
#[test]
fn invision_discourse_and_phpbb2_copies() {
    for (text, first, second) in [
        (
            include_str!("../../../../tests/fixtures/text/phpbb2-en-subsilver.txt"),
            "reefwalker",
            "fernfan",
        ),
        (
            include_str!("../../../../tests/fixtures/text/invision-en.txt"),
            "marsh_light",
            "optician_ted",
        ),
        (
            include_str!("../../../../tests/fixtures/text/discourse-en.txt"),
            "pip_bakes",
            "mill_and_oven",
        ),
    ] {
        let thread = run(text);
        assert_eq!(authors(&thread), [Some(first), Some(second), Some(first)]);
        assert!(
            thread.posts.iter().all(|p| p
                .posted_at_raw
                .as_deref()
                .is_some_and(|d| !d.contains("Posted"))),
            "{first}"
        );
        let quote = &thread.posts[1].blocks[0];
        assert_eq!(
            (quote.kind, quote.author.as_deref()),
            (BlockKind::Quote, Some(first))
        );
    }
    let phpbb2 = run(include_str!(
        "../../../../tests/fixtures/text/phpbb2-en-subsilver.txt"
    ));
    assert_eq!(
        phpbb2.title.as_deref(),
        Some("Yellow edges on java fern leaves")
    );
    assert_eq!(phpbb2.board.as_deref(), Some("Planted tanks"));
    assert_eq!(
        kinds(&phpbb2.posts[0]),
        [BlockKind::Paragraph, BlockKind::Signature]
    );
    let invision = run(include_str!(
        "../../../../tests/fixtures/text/invision-en.txt"
    ));
    assert_eq!(invision.engine, "invision");
    assert_eq!(invision.posts[1].author_posts, Some(412));
}

/// Every language fixture: three posts by two authors, the second quoting the first,
/// and the first author's posts closed by a signature.
#[test]
fn fixtures_in_every_language() {
    let cases = [
        (
            include_str!("../../../../tests/fixtures/text/smf-es.txt"),
            "es",
            "jardinera",
            "Paco_Huerta",
        ),
        (
            include_str!("../../../../tests/fixtures/text/smf-ru.txt"),
            "ru",
            "Сергей_К",
            "Дядя_Миша",
        ),
        (
            include_str!("../../../../tests/fixtures/text/phpbb-it.txt"),
            "it",
            "gianni_b",
            "termotecnico",
        ),
        (
            include_str!("../../../../tests/fixtures/text/mybb-nl.txt"),
            "nl",
            "Klusjesman",
            "loodgieter_jan",
        ),
        (
            include_str!("../../../../tests/fixtures/text/mybb-pt.txt"),
            "pt",
            "Ana_foto",
            "Rui Santos",
        ),
        (
            include_str!("../../../../tests/fixtures/text/mybb-pl.txt"),
            "pl",
            "Kasia_W",
            "marek77",
        ),
    ];
    for (text, lang, first, second) in cases {
        let thread = run(text);
        assert_eq!(thread.ui_lang.as_deref(), Some(lang));
        assert_eq!(
            authors(&thread),
            [Some(first), Some(second), Some(first)],
            "{lang}"
        );
        assert!(
            thread.posts.iter().all(|p| p.posted_at_raw.is_some()),
            "{lang}"
        );
        let quote = &thread.posts[1].blocks[0];
        assert_eq!(
            (quote.kind, quote.author.as_deref()),
            (BlockKind::Quote, Some(first)),
            "{lang}"
        );
        for k in [0, 2] {
            assert_eq!(
                kinds(&thread.posts[k]).last(),
                Some(&BlockKind::Signature),
                "{lang} post {k}"
            );
        }
    }
}

#[test]
fn a_rule_joined_into_the_text_still_starts_the_signature() {
    let thread = run(include_str!("../../../../tests/fixtures/text/phpbb-fr.txt"));
    assert_eq!(thread.ui_lang.as_deref(), Some("fr"));
    let post = &thread.posts[1];
    assert_eq!(post.author_name.as_deref(), Some("Menuisier31"));
    assert_eq!(
        post.blocks.last().map(|b| (b.kind, b.text.as_str())),
        Some((BlockKind::Signature, "L'atelier, c'est la vie."))
    );
}

#[test]
fn panel_name_stops_at_a_blank_line() {
    let thread = run(include_str!(
        "../../../../tests/fixtures/text/vbulletin-de.txt"
    ));
    assert_eq!(authors(&thread), [Some("Hans Meier"), Some("Petra_K")]);
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "",
        "\n\n\n",
        "12 March 2021\n12 March 2021\n",
        "»\n[x](y)\n1.2.3\n",
        &format!("{} 12 Jan 2020 [a](b) 13 Jan 2020", "x ".repeat(1500)),
        "ann\n3 weeks ago\nhi there, long enough text here.\nbob\n2 weeks ago\n",
    ] {
        let _ = run(text);
    }
}

#[test]
fn dates_in_post_footers_date_the_next_author_panel() {
    use std::fmt::Write as _;
    // XenForo 1 prints "[name](profile), [date](post)" under each post and the next
    // post's panel right after: the text after a date belongs to that panel's author.
    let mut page = String::from("Bikes » Wheels » Truing stands worth it? ");
    let people = [
        ("ann", "members/ann.1/"),
        ("bob", "members/bob.2/"),
        ("cy", "members/cy.3/"),
    ];
    for (k, (name, url)) in people.iter().enumerate() {
        let day = 10 + k;
        write!(
            page,
            "{n}. [ {name} ]({url}) Member Joined: Mar 8, 2010 Messages: [12](search/member) \
             Post {n} by {name}: my stand is a fork in a vice and it works well enough for \
             a wheel or two a year, though a real stand would be faster to use. \
             [{name}]({url}) , [ Feb {day}, 2019 ](posts/{n}/) [#{n}](posts/{n}/) ",
            n = k + 1
        )
        .expect("writing to a String");
    }
    page.push_str(&"Share this page Forums Terms Privacy Help Home ".repeat(40));
    let thread = run_unlabelled(&page);
    let authors: Vec<_> = thread
        .posts
        .iter()
        .map(|p| p.author_name.as_deref())
        .collect();
    assert_eq!(authors, [Some("bob"), Some("cy")]);
    let words: String = thread.posts[0]
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect();
    assert!(words.contains("Post 2 by bob"), "{words}");
    assert_eq!(
        thread.posts[0].posted_at_raw.as_deref(),
        Some("Feb 11, 2019")
    );
}

fn run_unlabelled(text: &str) -> Thread {
    use threadmill_model::{Format, Source};
    let lx = Lexicon::builtin().expect("lexicon");
    let lines: Vec<Line> = text
        .lines()
        .map(|l| {
            let mut line = Line::body(l.trim());
            line.chrome = lx
                .match_line(l)
                .and_then(|m| threadmill_clean::chrome_role(m.label));
            line
        })
        .collect();
    let source = Source::unnamed(Format::Text);
    let mut thread = Thread::new(source);
    super::segment_text(&lines, &lx, &mut thread);
    thread
}

#[test]
fn unknown_chrome_is_segmented_by_post_dates() {
    let page = "Kettle descaling\n\nann\nMember\n12 March 2021\n\
                How do you descale a kettle without vinegar? Mine smells.\n\
                Like | Reply\n\nbob\nSenior Member\n13 March 2021\n\
                Citric acid works well, one spoon and boil it twice.\n\
                Like | Reply\n\ncarl\nMember\n14 March 2021\n\
                Thanks, I will try that tomorrow morning with the kids.\n\
                Like | Reply\n\nSimilar threads\nA\nB\nC\nD\nE\nF\nG\nH\nI\n";
    let thread = run_unlabelled(page);
    let authors: Vec<_> = thread
        .posts
        .iter()
        .map(|p| p.author_name.as_deref())
        .collect();
    assert_eq!(authors, [Some("ann"), Some("bob"), Some("carl")]);
    assert_eq!(
        thread.posts[1].posted_at_raw.as_deref(),
        Some("13 March 2021")
    );
    // The repeated buttons and the page's tail are not content.
    for post in &thread.posts {
        assert_eq!(post.blocks.len(), 1, "{:?}", post.blocks);
    }
}

#[test]
fn a_flattened_page_takes_authors_from_profile_links() {
    let page = format!(
        "{} [ann](/members/ann.1/) 12 March 2021 How do you descale a kettle without \
         vinegar, mine smells? [Reply](/r) [bob](/members/bob.2/) 13 March 2021 Citric \
         acid works well, boil it twice. [Reply](/r) [carl](/members/carl.3/) 14 March \
         2021 Thanks, I will try that. [Reply](/r)",
        "Menu ".repeat(500)
    );
    let thread = run_unlabelled(&page);
    let urls: Vec<_> = thread
        .posts
        .iter()
        .map(|p| p.author_url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            Some("/members/ann.1/"),
            Some("/members/bob.2/"),
            Some("/members/carl.3/")
        ]
    );
    assert_eq!(thread.posts[0].author_name.as_deref(), Some("ann"));
}

/// A post's buttons and the page's breadcrumb stand above some headers: the line right
/// above each date names every post, and a button ("Inhalt melden") names no one.
#[test]
fn buttons_and_breadcrumbs_above_some_headers_name_no_one() {
    let post = |name: &str, words: &str| {
        format!(
            "[avatar]\n{name}\n18. Dezember 2019\n\n{words}\n\n☆ Inhalt melden\n☆ Teilen\n• 3 Antworten\n"
        )
    };
    let page = format!(
        "Forum\nKreislauf & Bewegung\nSauerstoff nachts\n{}{}{}{}",
        post(
            "Marry_",
            "Die niedrigste Sättigung lag in der Nacht bei 78 Prozent, wie kann das sein?"
        ),
        post(
            "Sportfreund18",
            "Mache Dich nicht verrückt, Du hast ja schon einen neuen Termin beim Arzt."
        ),
        post(
            "Marry_",
            "Naja, ich habe seit einem Jahr Herzprobleme und der Termin ist erst im März."
        ),
        post(
            "Sportfreund18",
            "Hallo Marry_, ist inzwischen alles in Ordnung mit den Werten in der Nacht?"
        ),
    );
    let thread = run_unlabelled(&page);
    let authors: Vec<_> = thread
        .posts
        .iter()
        .map(|p| p.author_name.as_deref())
        .collect();
    assert_eq!(
        authors,
        [
            Some("Marry_"),
            Some("Sportfreund18"),
            Some("Marry_"),
            Some("Sportfreund18")
        ]
    );
}

#[test]
fn a_panel_printed_beside_its_post_names_it() {
    // A text browser's table: name and date in the left cell, the subject every post
    // repeats and the text in the right one. The last post ends at the button the others
    // close with, not at the subject it opens with.
    let text = "Reisen per StreetView?\n\
        \n\
        helmut15             Reisen per StreetView?\n\
        \n\
        11.06.2020, 16:22    Camera Obscura in Wales, leider sieht man das Objekt nur\n                     \
        von außen, innen steht ein runder Tisch mit dem Motiv darauf.\n\
        \n                     \
        Antworten\n\
        \n\
        Staub                Reisen per StreetView?\n\
        \n\
        07.06.2020, 22:28    Man braucht eine Brille dafür, die gibt es mittlerweile\n                     \
        für wenig Geld und die App dazu kostet auch nicht viel.\n\
        \n                     \
        Antworten\n\
        \n\
        motorschiffbesitzer  Reisen per StreetView?\n\
        \n\
        07.06.2020, 12:12    Ich habe darüber vor zwei Jahren vor meinem Urlaub\n                     \
        geschaut, wo ich mich um das Hotel selbständig fortbewegen kann.\n\
        \n                     \
        Antworten\n\
        \n\
        Seitennavigation\n\
        Online spenden\n";
    let thread = run(text);
    let authors = authors(&thread);
    assert_eq!(
        authors,
        [Some("helmut15"), Some("Staub"), Some("motorschiffbesitzer")]
    );
    let text = |k: usize| -> String {
        let blocks = thread.posts[k].blocks.iter().map(|b| b.text.as_str());
        blocks.collect::<Vec<_>>().join(" ")
    };
    assert!(text(2).contains("Hotel selbständig"), "{}", text(2));
    assert!(text(0).starts_with("Camera Obscura"), "{}", text(0));
}

#[test]
fn a_badge_some_posts_print_is_not_their_author() {
    // The opening poster's panel carries one more line than the others, where the other
    // panels print their name: the name is the line above the badge.
    let text = "Rear diffuser wanted\n\
        \n\
        David514\n\
        \n\
        Original Poster:\n\
        \n\
        25 posts\n\
        \n\
        18 months\n\
        \n\
        Thursday 23rd April\n\
        I am wondering if anyone has one of these in perfect condition and the lighter grey.\n\
        \n\
        JonnyCJ\n\
        \n\
        1,203 posts\n\
        \n\
        96 months\n\
        \n\
        Thursday 23rd April\n\
        Can you not just get yours wrapped in the colour you want instead of buying one?\n\
        \n\
        morty1961\n\
        \n\
        412 posts\n\
        \n\
        40 months\n\
        \n\
        Friday 24th April\n\
        I just had a body shop spray mine satin black and it looks much better than before.\n\
        \n\
        David514\n\
        \n\
        Original Poster:\n\
        \n\
        25 posts\n\
        \n\
        18 months\n\
        \n\
        Friday 24th April\n\
        Thanks both, I will try the body shop first and see what they can do with it.\n";
    let thread = run(text);
    let authors = authors(&thread);
    assert_eq!(
        authors,
        [
            Some("David514"),
            Some("JonnyCJ"),
            Some("morty1961"),
            Some("David514")
        ]
    );
}

#[test]
fn a_login_link_is_never_the_title() {
    // The page's first line is the login link, and the footer says it again inside a
    // longer line: still chrome, not the heading printed twice.
    let text = "Log in or Sign up\n\
        \n\
        Free Fight: Nick Diaz debut\n\
        \n\
        ann, Apr 22, 2020\n\
        Nick Diaz made his debut against Jeremy Jackson and it was quite a fight to watch.\n\
        \n\
        bob, Apr 22, 2020\n\
        Thanks, I had never seen that one and it holds up very well after all these years.\n\
        \n\
        (You must log in or sign up to reply here.)\n";
    let thread = run(text);
    assert_eq!(thread.title.as_deref(), Some("Free Fight: Nick Diaz debut"));
}

#[test]
fn a_reply_subject_with_its_date_heads_a_post_however_short_the_one_before() {
    // Two replies in the same minute, the first of one word: the second subject line is
    // the next post's header, not the same date printed again under the first.
    let text = "Snakes in the toilet\n\
        \n\
        Snakes in the toilet by Olaolex: 9:00am On Apr 24\n\
        The thought of snakes in the toilet sink or bathroom is scary for many people here.\n\
        \n\
        3 Likes 2 Shares\n\
        Re: Snakes in the toilet by fineyemi2: 5:23am On Apr 24\n\
        ok\n\
        Re: Snakes in the toilet by jakD: 5:23am On Apr 24\n\
        Nothing to say about this, but he should not lock us down in our houses like that.\n\
        \n\
        1 Like 1 Share\n\
        Re: Snakes in the toilet by helinues: 5:24am On Apr 24\n\
        Wash news\n\
        Re: Snakes in the toilet by armiee: 5:25am On Apr 24\n\
        I think the Governor is right and they should allow posterity to judge the deputy.\n";
    let thread = run(text);
    let authors = authors(&thread);
    assert_eq!(
        authors,
        [
            Some("Olaolex"),
            Some("fineyemi2"),
            Some("jakD"),
            Some("helinues"),
            Some("armiee")
        ]
    );
}

#[test]
fn a_badge_under_a_rank_leaves_the_name_above_both() {
    // The opening poster's panel prints a badge under the rank: the name stands above the
    // rank, which names no one ("macrumors 65816").
    // Only the opening poster gives a location, so the badge stands where the other
    // panels print their name.
    let panel = |name: &str, op: bool| {
        let (badge, place) = if op {
            ("Original poster\n\n", "nyc upper east\n\n")
        } else {
            ("", "")
        };
        format!("{name}\n\nmacrumors 65816\n\n{badge}May 14, 2014\n\n1,490\n\n1,590\n\n{place}")
    };
    let text = format!(
        "X vs 8\n\nJavaScript is disabled. For a better experience, please enable JavaScript in your browser.\n\
         {}Jun 3, 2019\n\n• #1\n\nmy current phone is having some lte issues and i am looking to upgrade soon.\n\n\
         Reply\n\n{}Jun 3, 2019\n\n• #2\n\nIf you use GPS, I say avoid both of them, in recent months it got worse for me.\n\n\
         Reply\n\n{}Jun 3, 2019\n\n• #3\n\ni am currently using the 7 right now, really? i have not heard about that yet.\n\n\
         Reply\n\n{}Jun 4, 2019\n\n• #4\n\ndo not buy an iphone on ebay, buy it new from a store with a warranty.\n\n\
         Reply\n\nShare this page\n",
        panel("ilikewhey", true),
        panel("robin_b", false),
        panel("ilikewhey", true),
        panel("snow755", false),
    );
    let thread = run(&text);
    let authors = authors(&thread);
    assert_eq!(
        authors,
        [
            Some("ilikewhey"),
            Some("robin_b"),
            Some("ilikewhey"),
            Some("snow755")
        ]
    );
}

#[test]
fn a_panel_the_lexicon_knows_takes_the_name_above_it_into_the_header() {
    // One post's panel stands right under the text before it, so the page's headers
    // measure one line; the others print the name over the subject, join date and post
    // count, which the header takes in with them.
    let text = "Compartir experiencias\n\
        \n\
        abalaspalmas\n\
        Compartir experiencias\n\
        Mensajes: 16\n\
        25-February-2012 21:46\n\
        Buenas tardes a todos, me presento, mi nombre es Omayra y trabajo con varios niños.\n\
        Mensajes: 3\n\
        25-February-2012 22:10\n\
        Bienvenida Omayra, aquí encontrarás a muchas familias con ganas de compartir cosas.\n\
        Responder Responder citando\n\
        mtcano\n\
        Re: Compartir experiencias\n\
        Registrado: 8 años antes\n\
        Mensajes: 40\n\
        25-February-2012 23:07\n\
        Buenas noches Omayra, mi nombre es María, soy de Toledo y soy madre de un niño.\n\
        Responder Responder citando\n\
        Silvia\n\
        Re: Compartir experiencias\n\
        Registrado: 9 años antes\n\
        Mensajes: 12\n\
        27-February-2012 21:47\n\
        Hola, nos podías explicar cómo estaba la niña antes de empezar con el método?\n\
        Responder Responder citando\n";
    let thread = run(text);
    let authors = authors(&thread);
    assert_eq!(authors[2..], [Some("mtcano"), Some("Silvia")]);
}

#[test]
fn the_lists_after_the_thread_are_no_posts() {
    let text = "Which glue for oak?\n\
        \n\
        ann February 20, 2026, 4:55pm\n\
        \n\
        Any glue works on oak if you clamp it well and wait a day before you load it.\n\
        \n\
        ben February 20, 2026, 5:07pm\n\
        \n\
        I use hide glue for furniture I may have to take apart again one day.\n\
        \n\
        Related topics\n\
        \n\
        Gluing end grain to long grain     12 1209    October 28, 2023\n\
        Clamping pressure for oak          65 8279    December 7, 2020\n\
        \n\
        • Home\n\
        \n\
        • Terms of Service\n";
    let thread = run(text);
    assert_eq!(authors(&thread), [Some("ann"), Some("ben")]);
    let last: String = thread.posts[1]
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect();
    assert!(
        last.contains("hide glue") && !last.contains("Clamping"),
        "{last}"
    );
    assert!(
        thread
            .chrome
            .iter()
            .any(|c| c.text.contains("Clamping pressure") && c.post.is_none()),
        "the list stays in the chrome"
    );
}

#[test]
fn a_flattened_vbulletin_panel_dates_its_post_not_its_join() {
    let body =
        "I asked my pharmacy about the new generic and they said it ships next month. ".repeat(8);
    let post = |n: usize, date: &str, name: &str| {
        format!(
            "{n}. {date} [#{n}](showthread.php?p={n}#post{n}) [{name}](member.php?{n}-{name}) \
             [View Profile](member.php?{n}-{name}) Registered Member Join Date Aug 2011 \
             Location USA Posts 819 {body} [Reply With Quote](newreply.php?p={n}) "
        )
    };
    let text = format!(
        "MSWorld Message Boards Thread: Generic approved {}{}{}Quick Navigation Top\n",
        post(1, "10-04-2017, 11:00 AM", "ann"),
        post(2, "10-31-2017, 01:56 PM", "bob"),
        post(3, "11-11-2017, 08:42 PM", "cid"),
    );
    let thread = run(&text);
    let dates: Vec<Option<&str>> = thread
        .posts
        .iter()
        .map(|p| p.posted_at_raw.as_deref())
        .collect();
    assert_eq!(
        dates,
        [
            Some("10-04-2017, 11:00 AM"),
            Some("10-31-2017, 01:56 PM"),
            Some("11-11-2017, 08:42 PM")
        ]
    );
}

#[test]
fn a_flattened_subject_link_heads_a_post_however_short_the_one_before() {
    let long =
        "Glue it with PVA, clamp it overnight and let it rest a full day before use. ".repeat(10);
    let post = |n: usize, name: &str, time: &str, text: &str| {
        format!(
            "[Re: Glue for oak](/55/glue-for-oak#{n}) by [{name}](/{name}): {time} On Apr 24 \
             {text} [](msg{n}) "
        )
    };
    let text = format!(
        "Glue for oak {}{}{}{}{}Nairaland Forum Copyright\n",
        post(1, "ann", "5:21am", &long),
        post(2, "bob", "5:22am", "ok"),
        post(3, "cid", "5:23am", &long),
        post(4, "dee", "5:24am", "Wash news"),
        post(5, "eve", "5:25am", &long),
    );
    let thread = run(&text);
    let authors = authors(&thread);
    assert_eq!(
        authors,
        [
            Some("ann"),
            Some("bob"),
            Some("cid"),
            Some("dee"),
            Some("eve")
        ]
    );
}

#[test]
fn question_and_answers_closed_by_dates_with_the_author_card_under_them() {
    let text = "How do I glue oak?\n\
        Asked 3 years ago\n\
        Viewed 120 times\n\
        12\n\
        \n\
        I want to glue two oak boards edge to edge and the joint keeps opening after a day.\n\
        Which glue holds oak best?\n\
        \n\
        Share\n\
        Improve this question\n\
        Follow\n\
        asked May 2, 2009 at 0:01\n\
        ann's user avatar\n\
        ann\n\
        1,20033 gold badges1212 silver badges\n\
        \n\
        2 Answers 2\n\
        \n\
        7\n\
        \n\
        Hide glue holds oak well, and a long clamping time matters more than the brand.\n\
        \n\
        Share\n\
        Improve this answer\n\
        Follow\n\
        edited May 4, 2009 at 9:00\n\
        carl's user avatar\n\
        carl\n\
        9,10011 gold badge55 silver badges\n\
        answered May 2, 2009 at 0:09\n\
        bob's user avatar\n\
        bob\n\
        2,25511 gold badge1515 silver badges\n\
        \n\
        \x20 • 3\n\
        \x20   Does hide glue stand damp weather in a shed over the winter?\n\
        \x20   ann\n\
        \x20   Commented May 2, 2009 at 0:53\n\
        \n\
        4\n\
        \n\
        Polyurethane glue foams into the gaps, so plane the edges flat before you glue them.\n\
        \n\
        Share\n\
        Improve this answer\n\
        Follow\n\
        answered May 3, 2009 at 8:15\n\
        dave's user avatar\n\
        dave\n\
        88711 gold badge66 silver badges\n";
    let thread = run(text);
    assert_eq!(authors(&thread), [Some("ann"), Some("bob"), Some("dave")]);
    let texts = block_texts(&thread);
    assert!(texts[0].starts_with("I want to glue"), "{texts:?}");
    // Neither the score above an answer, the editor's name nor a comment is its text.
    assert_eq!(
        texts[1],
        "Hide glue holds oak well, and a long clamping time matters more than the brand."
    );
    assert!(texts[2].starts_with("Polyurethane"), "{texts:?}");
    assert!(
        thread
            .chrome
            .iter()
            .any(|c| c.text.starts_with("Does hide glue stand damp"))
    );
}

#[test]
fn bylines_under_posts_after_a_panel_that_names_the_author() {
    // XenForo 1 as a text browser prints it: a numbered item with the name, the name and
    // rank, the panel as a definition list, the text, then "name, date" and the number.
    let text = "Which glue for oak?\n\
        Discussion in 'Woodwork' started by ann, Apr 22, 2020.\n\
        \n\
        \x20 1. ann\n\
        \n\
        \x20   ann Black Belt\n\
        \n\
        \x20   Joined:\n\
        \x20       Aug 31, 2002\n\
        \x20   Messages:\n\
        \x20       7,102\n\
        \n\
        \x20       Any glue works on oak if you clamp it well and wait a day.\n\
        \n\
        \x20   ann, Apr 22, 2020\n\
        \x20   #1\n\
        \x20 2. bob\n\
        \n\
        \x20   bob Green Belt\n\
        \n\
        \x20   Joined:\n\
        \x20       Sep 26, 2014\n\
        \x20   Messages:\n\
        \x20       1,318\n\
        \n\
        \x20       Hide glue.\n\
        \n\
        \x20   bob, Apr 23, 2020\n\
        \x20   #2\n\
        \x20 3. carl\n\
        \n\
        \x20   carl\n\
        \n\
        \x20   Joined:\n\
        \x20       Jun 14, 2009\n\
        \n\
        \x20       Titebond III for outdoor work.\n\
        \n\
        \x20   carl, Apr 24, 2020\n\
        \x20   #3\n";
    let thread = run(text);
    assert_eq!(authors(&thread), [Some("ann"), Some("bob"), Some("carl")]);
    let texts = block_texts(&thread);
    assert_eq!(
        texts,
        [
            "Any glue works on oak if you clamp it well and wait a day.",
            "Hide glue.",
            "Titebond III for outdoor work."
        ]
    );
    assert_eq!(thread.posts[1].author_rank.as_deref(), Some("Green Belt"));
    assert_eq!(thread.posts[1].author_posts, Some(1318));
    assert_eq!(
        thread.posts[1].author_joined_raw.as_deref(),
        Some("Sep 26, 2014")
    );
    assert_eq!(thread.board.as_deref(), Some("Woodwork"));
}

#[test]
fn a_header_the_wrapper_cut_before_its_date_names_its_author() {
    // Headers of 80 columns and more, cut by the text browser: inside the gender tag, after
    // "by", or inside the brackets.
    let text = "How Snakes Get Into Your Toilet Sink And Bathroom by ann(m): 9:00am On Apr 24\n\
        Snakes come up through the pipes when the water in the bend dries out in summer.\n\
        \n\
        3 Likes 1 Share\n\
        Re: How Snakes Get Into Your Toilet Sink And Bathroom and Kitchen by bobby(m\n\
        ): 12:15pm On Apr 24\n\
        Keep the lid down and pour water down the drains you seldom use.\n\
        \n\
        5 Likes\n\
        Re: How Snakes Get Into Your Toilet Sink And Bathroom And Kitchen Drain by\n\
        carla: 12:16pm On Apr 24\n\
        A mesh over the drain keeps out rats and frogs as well as snakes.\n\
        \n\
        2 Likes\n\
        Re: How Snakes Get Into Your Toilet Sink And Bathroom and Kitchen by dorian(\n\
        f): 12:17pm On Apr 24\n\
        I will never sit down in the dark again after reading this thread.\n";
    let thread = run(text);
    assert!(
        authors(&thread).ends_with(&[Some("bobby"), Some("carla"), Some("dorian")]),
        "{:?}",
        authors(&thread)
    );
}

#[test]
fn the_lists_after_the_thread_begin_at_a_heading_never_at_a_menu_link() {
    let lx = Lexicon::builtin().expect("lexicon");
    let lines: Vec<Line> = [
        "Glue for oak",
        "ann",
        "Any glue works on oak.",
        "Latest posts",
        "bob",
        "Hide glue.",
        "Latest posts",
        "Kettle descaling",
    ]
    .into_iter()
    .map(Line::body)
    .collect();
    let mut hrefs = vec![None; lines.len()];
    assert_eq!(super::thread_end(&lines, &hrefs, &lx), 3);
    // The same words as a link of the site's menu are no heading.
    hrefs[3] = Some("find-new/posts".to_owned());
    assert_eq!(super::thread_end(&lines, &hrefs, &lx), 6);
}
