use super::*;

fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::LazyLock<Lexicon> =
        std::sync::LazyLock::new(|| Lexicon::builtin().expect("lexicon"));
    &LEXICON
}

fn dates(text: &str) -> Vec<String> {
    find_dates(text, lexicon().date_words())
        .into_iter()
        .map(|(a, b)| text[a..b].to_owned())
        .collect()
}

/// A text and its answers: `looks_like_date`, `is_date`, `find_date`, `find_dates`.
type Answers = (
    &'static str,
    bool,
    bool,
    Option<&'static str>,
    &'static [&'static str],
);

/// Tricky texts and what each of the four questions answers: `(text, looks_like_date,
/// is_date, find_date, find_dates)`. A changed answer changes records, so each row is a
/// decision, not a snapshot.
#[rustfmt::skip]
const PINNED: &[Answers] = &[
    ("Wednesday 13 September 2023", true, true, Some("Wednesday 13 September 2023"), &["Wednesday 13 September 2023"]),
    ("22 nov 2020 15:27", true, true, Some("22 nov 2020 15:27"), &["22 nov 2020 15:27"]),
    ("Sun Mar 06, 2016 5:45 am", true, true, Some("Sun Mar 06, 2016 5:45 am"), &["Sun Mar 06, 2016 5:45 am"]),
    ("13.03.2019", true, true, Some("13.03.2019"), &["13.03.2019"]),
    ("Sat, Jun 18 '05, 10:24 AM", true, true, Some("Sat, Jun 18 '05, 10:24 AM"), &["Sat, Jun 18 '05, 10:24 AM"]),
    ("Tue 16-Jun-20 23:12:23", true, true, Some("Tue 16-Jun-20 23:12:23"), &["Tue 16-Jun-20 23:12:23"]),
    ("Postby RGB » Sun Jul 28, 2013 1:34 pm", false, false, Some("Sun Jul 28, 2013 1:34 pm"), &["Sun Jul 28, 2013 1:34 pm"]),
    ("● By junipersage On 2020.03.12 15:21", false, false, Some("2020.03.12 15:21"), &["2020.03.12 15:21"]),
    ("2. 10-31-2017, 01:56 PM #2", false, false, Some("2. 10-31-2017, 01:56 PM"), &["10-31-2017, 01:56 PM"]),
    ("Wuhduh ● #2 erstellt: 21. Apr 2020, 20:53", false, false, Some("21. Apr 2020, 20:53"), &["21. Apr 2020, 20:53"]),
    ("Joined Nov 14, 2018 60 42", false, false, Some("Nov 14, 2018 60 42"), &["Nov 14, 2018"]),
    ("September 2019 in Central", false, false, Some("September 2019"), &["September 2019"]),
    ("vixen 3 weeks ago", false, false, Some("3 weeks ago"), &["3 weeks ago"]),
    ("vor 3 Stunden", false, true, Some("vor 3 Stunden"), &["vor 3 Stunden"]),
    ("vor 3 stunden", false, true, Some("vor 3 stunden"), &["vor 3 stunden"]),
    ("Vor 3 Std.", false, true, Some("Vor 3 Std."), &["Vor 3 Std."]),
    ("vor 2 Tagen um 10:15", false, true, Some("vor 2 Tagen um 10:15"), &["vor 2 Tagen um 10:15"]),
    ("Heute, 10:31", false, true, Some("Heute, 10:31"), &["Heute, 10:31"]),
    ("heute um 08:12", false, true, Some("heute um 08:12"), &["heute um 08:12"]),
    ("Gestern um 08:12 Uhr", false, true, Some("Gestern um 08:12 Uhr"), &["Gestern um 08:12"]),
    ("Aujourd’hui à 10:15", false, true, Some("Aujourd’hui à 10:15"), &["Aujourd’hui à 10:15"]),
    ("aujourd'hui à 10:15", false, true, Some("aujourd'hui à 10:15"), &["aujourd'hui à 10:15"]),
    ("Aujourd'hui, 10:15", false, true, Some("Aujourd'hui, 10:15"), &["Aujourd'hui, 10:15"]),
    ("Hier, 10:15", false, true, Some("Hier, 10:15"), &["Hier, 10:15"]),
    ("Hier erfahren Sie mehr", false, false, Some("Hier"), &[]),
    ("il y a 1 an", false, true, Some("il y a 1 an"), &["il y a 1 an"]),
    ("il y a 3 heures", false, true, Some("il y a 3 heures"), &["il y a 3 heures"]),
    ("il y a une heure", false, true, Some("il y a une heure"), &[]),
    ("À 12 mars 2020", true, true, Some("À 12 mars 2020"), &["12 mars 2020"]),
    ("à 12 mars 2020", true, true, Some("à 12 mars 2020"), &["12 mars 2020"]),
    ("Le 12 mars 2020 à 10h15", false, false, Some("12 mars 2020 à"), &["12 mars 2020"]),
    ("12 mars 2020 à 10h15", false, false, Some("12 mars 2020 à"), &["12 mars 2020"]),
    ("an hour ago", false, true, Some("an hour ago"), &[]),
    ("a day ago", false, true, Some("a day ago"), &[]),
    ("3 hours ago", false, true, Some("3 hours ago"), &["3 hours ago"]),
    ("3 yr. ago", false, true, Some("3 yr. ago"), &["3 yr. ago"]),
    ("7 mo. ago", true, true, Some("7 mo. ago"), &["7 mo. ago"]),
    ("3y", false, true, Some("3y"), &[]),
    ("7mo", false, true, Some("7mo"), &[]),
    ("5m", false, false, None, &[]),
    ("Updated 7mo", false, false, Some("7mo"), &[]),
    ("Today, 10:31 PM", false, true, Some("Today, 10:31 PM"), &["Today, 10:31 PM"]),
    ("Yesterday at 08:12 PM", false, true, Some("Yesterday at 08:12 PM"), &["Yesterday at 08:12 PM"]),
    ("just now", false, false, Some("now"), &[]),
    ("now", false, true, Some("now"), &[]),
    ("hace 3 horas", false, true, Some("hace 3 horas"), &["hace 3 horas"]),
    ("hace un día", false, true, Some("hace un día"), &[]),
    ("3 dni temu", false, true, Some("3 dni temu"), &["3 dni temu"]),
    ("3 дня назад", false, true, Some("3 дня назад"), &["3 дня назад"]),
    ("Сегодня, 10:15", false, true, Some("Сегодня, 10:15"), &["Сегодня, 10:15"]),
    ("вчера в 10:15", false, true, Some("вчера в 10:15"), &["вчера в 10:15"]),
    ("12 янв 2010, 10:00", true, true, Some("12 янв 2010, 10:00"), &["12 янв 2010, 10:00"]),
    ("för 3 dagar sedan", false, true, Some("för 3 dagar sedan"), &["för 3 dagar sedan"]),
    ("För 3 dagar sedan.", false, true, Some("För 3 dagar sedan."), &["För 3 dagar sedan."]),
    ("3 dagar sedan", false, true, Some("3 dagar sedan"), &["3 dagar sedan"]),
    ("i dag 10:15", false, false, None, &[]),
    ("idag 10:15", false, true, Some("idag 10:15"), &["idag 10:15"]),
    ("igår kl. 10:15", false, true, Some("igår kl. 10:15"), &["igår kl. 10:15"]),
    ("Igår kl 10:15", false, true, Some("Igår kl 10:15"), &["Igår kl 10:15"]),
    ("oggi alle 10:15", false, true, Some("oggi alle 10:15"), &["oggi alle 10:15"]),
    ("2 ore fa", false, true, Some("2 ore fa"), &["2 ore fa"]),
    ("3 uur geleden", false, true, Some("3 uur geleden"), &["3 uur geleden"]),
    ("vandaag om 10:15", false, true, Some("vandaag om 10:15"), &["vandaag om 10:15"]),
    ("hoje às 10:15", false, true, Some("hoje às 10:15"), &["hoje às 10:15"]),
    ("há 3 horas", false, true, Some("há 3 horas"), &["há 3 horas"]),
    ("ontem às 10:15", false, true, Some("ontem às 10:15"), &["ontem às 10:15"]),
    ("dzisiaj o 10:15", false, true, Some("dzisiaj o 10:15"), &["dzisiaj o 10:15"]),
    ("Dziś, 10:15", false, true, Some("Dziś, 10:15"), &["Dziś, 10:15"]),
    ("2 I 2020", false, false, None, &[]),
    ("12 V 2020 r.", false, false, None, &[]),
    ("12 V 2020", false, false, None, &[]),
    ("V 2020", false, false, None, &[]),
    ("I love 2020", false, false, None, &[]),
    ("May I ask?", false, false, None, &[]),
    ("May 5", true, true, Some("May 5"), &["May 5"]),
    ("5 May", true, true, Some("5 May"), &["5 May"]),
    ("May 2020", true, true, Some("May 2020"), &["May 2020"]),
    ("James Robinson", false, false, None, &[]),
    ("... n-12960252", false, false, None, &[]),
    ("2020", false, false, None, &[]),
    ("Posts: 14,580", false, false, None, &[]),
    ("Beiträge: 1.234", false, false, None, &[]),
    ("VLC 3.0.8 on Windows 10", false, false, Some("3.0.8 on"), &[]),
    ("at the end of the day", false, false, None, &[]),
    ("Notre fille a 4 ans et demi", false, false, Some("4 ans"), &[]),
    ("3rd March 2020", true, true, Some("3rd March 2020"), &["3rd March 2020"]),
    ("March 3rd, 2020", true, true, Some("March 3rd, 2020"), &["March 3rd, 2020"]),
    ("the 3rd of March, 2020 at 10am", true, true, Some("the 3rd of March, 2020 at 10am"), &["3rd of March, 2020"]),
    ("Sunday, 8th of March 2020 at 10:31 pm", true, true, Some("Sunday, 8th of March 2020 at 10:31 pm"), &["Sunday, 8th of March 2020 at 10:31 pm"]),
    ("10:31pm On Apr 23", true, true, Some("10:31pm On Apr 23"), &["10:31pm On Apr 23"]),
    ("11:43pm On Apr 23", true, true, Some("11:43pm On Apr 23"), &["11:43pm On Apr 23"]),
    ("By ann On 2019.08.03 15:35", false, false, Some("2019.08.03 15:35"), &["2019.08.03 15:35"]),
    ("Posted 12.03.2019, 14:10", false, false, Some("12.03.2019, 14:10"), &["12.03.2019, 14:10"]),
    ("On 2019.08.03 15:35", true, true, Some("On 2019.08.03 15:35"), &["2019.08.03 15:35"]),
    ("on 12.03.2019", true, true, Some("on 12.03.2019"), &["12.03.2019"]),
    ("at 12.03.2019 at", true, true, Some("at 12.03.2019 at"), &["12.03.2019"]),
    ("Posted on 12 March 2020 at", false, false, Some("12 March 2020 at"), &["12 March 2020"]),
    ("1st Jan 2020 at 5pm", true, true, Some("1st Jan 2020 at 5pm"), &["1st Jan 2020"]),
    ("5pm", false, false, None, &[]),
    ("3 pm", false, false, None, &[]),
    ("15 Uhr", false, false, None, &[]),
    ("12.03.2019 12:00 Uhr", true, true, Some("12.03.2019 12:00 Uhr"), &["12.03.2019 12:00"]),
    ("um 15:00 am 3. Februar 2020", true, true, Some("um 15:00 am 3. Februar 2020"), &["15:00 am 3. Februar 2020"]),
    ("Mo 3. Feb 2020, 10:00", true, true, Some("Mo 3. Feb 2020, 10:00"), &["Mo 3. Feb 2020, 10:00"]),
    ("Mo., 3. Feb. 2020", true, true, Some("Mo., 3. Feb. 2020"), &["Mo., 3. Feb. 2020"]),
    ("Di 4. Mär 2020", true, true, Some("Di 4. Mär 2020"), &["Di 4. Mär 2020"]),
    ("12. März 2020", true, true, Some("12. März 2020"), &["12. März 2020"]),
    ("12 maja 2020", true, true, Some("12 maja 2020"), &["12 maja 2020"]),
    ("12 września 2020 o 10:15", true, true, Some("12 września 2020 o 10:15"), &["12 września 2020 o 10:15"]),
    ("3 de marzo de 2020", true, true, Some("3 de marzo de 2020"), &["3 de marzo de 2020"]),
    ("3 de março de 2020 às 10:15", true, true, Some("3 de março de 2020 às 10:15"), &["3 de março de 2020 às 10:15"]),
    ("3 marzo 2020 alle 10:15", true, true, Some("3 marzo 2020 alle 10:15"), &["3 marzo 2020 alle 10:15"]),
    ("12 okt 2020 kl. 10:15", true, true, Some("12 okt 2020 kl. 10:15"), &["12 okt 2020 kl. 10:15"]),
    ("(12.03.2019)", true, true, Some("12.03.2019"), &["12.03.2019"]),
    ("[12.03.2019]", false, false, Some("12.03.2019"), &[]),
    ("[1] 12.03.2019", false, false, Some("12.03.2019"), &["12.03.2019"]),
    ("«12.03.2019»", false, false, None, &["12.03.2019"]),
    ("12.03.2019 |", false, false, Some("12.03.2019"), &["12.03.2019"]),
    ("| 12.03.2019 |", false, false, Some("12.03.2019"), &["12.03.2019"]),
    ("@12.03.2019", false, false, Some("12.03.2019"), &["12.03.2019"]),
    ("\"12.03.2019\"", false, false, None, &["12.03.2019"]),
    ("12.03.19", true, true, Some("12.03.19"), &["12.03.19"]),
    ("1.2.3", true, true, Some("1.2.3"), &[]),
    ("1.2.3.4", true, true, Some("1.2.3.4"), &[]),
    ("2020-03-12", true, true, Some("2020-03-12"), &["2020-03-12"]),
    ("2020-03-12 10:15", true, true, Some("2020-03-12 10:15"), &["2020-03-12 10:15"]),
    ("2020/03/12", true, true, Some("2020/03/12"), &["2020/03/12"]),
    ("12/03/2020", true, true, Some("12/03/2020"), &["12/03/2020"]),
    ("03/12/2020 10:15 AM", true, true, Some("03/12/2020 10:15 AM"), &["03/12/2020 10:15 AM"]),
    ("Jun-20", true, true, Some("Jun-20"), &["Jun-20"]),
    ("16-Jun", true, true, Some("16-Jun"), &["16-Jun"]),
    ("Jun 16-20", true, true, Some("Jun 16-20"), &["Jun 16-20"]),
    ("13.11.2019 und 14.11.2019", false, false, Some("13.11.2019"), &["13.11.2019", "14.11.2019"]),
    ("13.11.2019 bis 14.11.2019", false, false, Some("13.11.2019"), &["13.11.2019", "14.11.2019"]),
    ("Mar", false, false, None, &[]),
    ("Mar 2010", true, true, Some("Mar 2010"), &["Mar 2010"]),
    ("Join Date: Mar 2010", false, false, Some("Mar 2010"), &["Mar 2010"]),
    ("18 months", false, false, None, &[]),
    ("3 hours", false, false, None, &[]),
    ("Tue", false, false, None, &[]),
    ("Tues 5", false, false, None, &[]),
    ("Thurs 5 Mar", true, true, Some("Thurs 5 Mar"), &["Thurs 5 Mar"]),
    ("Sept. 5, 2020", true, true, Some("Sept. 5, 2020"), &["Sept. 5, 2020"]),
    ("sept. 5 2020", true, true, Some("sept. 5 2020"), &["sept. 5 2020"]),
    ("févr. 2020", true, true, Some("févr. 2020"), &["févr. 2020"]),
    ("5 févr. 2020", true, true, Some("5 févr. 2020"), &["5 févr. 2020"]),
    ("5 Févr. 2020", true, true, Some("5 Févr. 2020"), &["5 Févr. 2020"]),
    ("ÉTÉ 2020", false, false, None, &[]),
    ("× 12 ×", false, false, None, &[]),
    ("12 × 12 × 12", false, false, None, &[]),
    ("2018 60 42", true, true, Some("2018 60 42"), &[]),
    ("1 2 3", true, true, Some("1 2 3"), &[]),
    ("12 12 12", true, true, Some("12 12 12"), &[]),
    ("10:15 10:16 10:17", true, true, Some("10:15 10:16 10:17"), &[]),
    ("10:15", false, false, None, &[]),
    ("10:15:30", false, false, None, &[]),
    ("1:34 pm", false, false, None, &[]),
    ("Re: 12 March 2020", false, false, Some("12 March 2020"), &["12 March 2020"]),
    ("at", false, false, None, &[]),
    ("the", false, false, None, &[]),
    ("Uhr", false, false, None, &[]),
    ("Um", false, false, None, &[]),
    ("À", false, false, None, &[]),
    ("den 12. März", true, true, Some("den 12. März"), &["12. März"]),
    ("am 12. März 2020", true, true, Some("am 12. März 2020"), &["12. März 2020"]),
    ("Am 12. März 2020", true, true, Some("Am 12. März 2020"), &["12. März 2020"]),
    ("am", false, false, None, &[]),
    ("pm", false, false, None, &[]),
    ("AM", false, false, None, &[]),
    ("a.m.", false, false, None, &[]),
    ("p.m.", false, false, None, &[]),
    ("10 a.m.", false, false, None, &[]),
    ("10 a.m. 12 March 2020", false, false, Some("12 March 2020"), &["12 March 2020"]),
    ("12 March 2020 10 p.m.", false, false, Some("12 March 2020 10"), &["12 March 2020"]),
    ("by ann » Sun Mar 06, 2016 5:45 am", false, false, Some("Sun Mar 06, 2016 5:45 am"), &["Sun Mar 06, 2016 5:45 am"]),
    ("ann | 12.03.2019 | Posts: 12", false, false, Some("12.03.2019"), &["12.03.2019"]),
    ("Beitrag von Bjoern1234 » 10 Apr 2020, 09:06", false, false, Some("10 Apr 2020, 09:06"), &["10 Apr 2020, 09:06"]),
    ("Messagepar fltlgt » Dim 29 Oct 2017 16:46", false, false, Some("Dim 29 Oct 2017 16:46"), &["Dim 29 Oct 2017 16:46"]),
    ("« Reply #3 on: September 19, 2007, 02:57:03 PM »", false, false, Some("September 19, 2007, 02:57:03 PM"), &["September 19, 2007, 02:57:03 PM"]),
    ("Quote from: mmccarn on September 19, 2007, 02:37:35 PM", false, false, Some("September 19, 2007, 02:37:35 PM"), &["September 19, 2007, 02:37:35 PM"]),
    ("Last edited by Crazyguy; 04-06-2019 at 09:29 PM.", false, false, Some("04-06-2019 at 09:29 PM."), &["04-06-2019 at 09:29"]),
    ("Hello there, how are you?", false, false, None, &[]),
    ("Posted: Sat Jun 18, 2005 10:24 am Post subject: Re: hello", false, false, Some("Sat Jun 18, 2005 10:24 am"), &["Sat Jun 18, 2005 10:24 am"]),
    ("#5 • 3 hours ago • edited", false, false, Some("3 hours ago"), &["3 hours ago"]),
    ("Jellycatspyjamas Tue 16-Jun-20 23:12:23", false, false, Some("Tue 16-Jun-20 23:12:23"), &["Tue 16-Jun-20 23:12:23"]),
    ("Tachy, Feb 23, 2019", false, false, Some("Feb 23, 2019"), &["Feb 23, 2019"]),
    ("ann — 12 March 2020 — 10:15", false, false, Some("12 March 2020"), &["12 March 2020"]),
    ("ann · Today at 10:15 · 3 replies", false, false, Some("Today at 10:15"), &["Today at 10:15"]),
    ("Geschrieben am 12.03.2019 um 10:15 Uhr von ann", false, false, Some("12.03.2019 um 10:15 Uhr"), &["12.03.2019 um 10:15"]),
];

#[test]
fn every_question_answers_as_before() {
    let lx = lexicon();
    for &(text, absolute, date, in_chrome, in_line) in PINNED {
        assert_eq!(
            looks_like_date(text, lx),
            absolute,
            "looks_like_date({text:?})"
        );
        assert_eq!(is_date(text, lx), date, "is_date({text:?})");
        assert_eq!(find_date(text, lx), in_chrome, "find_date({text:?})");
        assert_eq!(dates(text), in_line, "find_dates({text:?})");
    }
}

/// Words with what the text path's and the HTML path's filler tests answered before:
/// `(word, is_filler, is_label_filler)`. The HTML one folds ASCII case only and leaves
/// AM/PM markers out.
#[rustfmt::skip]
const PINNED_FILLERS: &[(&str, bool, bool)] = &[
    ("at", true, true),
    ("on", true, true),
    ("On", true, true),
    ("ON", true, true),
    ("Um", true, true),
    ("UM", true, true),
    ("um", true, true),
    ("À", true, false),
    ("à", true, true),
    ("am", true, true),
    ("AM", true, true),
    ("Am", true, true),
    ("pm", true, false),
    ("kl.", true, true),
    ("kl", true, true),
    ("r.", true, true),
    ("Uhr", true, true),
    ("uhr", true, true),
    ("den", true, true),
    ("the", true, true),
    ("hier", false, false),
    ("x", false, false),
    ("a", true, true),
    ("de", true, true),
    ("г.", true, true),
    ("г", true, true),
    ("Г.", true, false),
    ("года", true, true),
    ("2020", false, false),
];

#[test]
fn fillers_answer_as_before() {
    let words = lexicon().date_words();
    for &(word, filler, label_filler) in PINNED_FILLERS {
        assert_eq!(is_filler(word, words), filler, "is_filler({word:?})");
        assert_eq!(
            is_label_filler(word, words),
            label_filler,
            "is_label_filler({word:?})"
        );
    }
}

#[test]
fn dates_are_recognised() {
    let lx = lexicon();
    for date in [
        "Wednesday 13 September 2023",
        "22 nov 2020 15:27",
        "Sun Mar 06, 2016 5:45 am",
        "13.03.2019",
    ] {
        assert!(looks_like_date(date, lx), "{date}");
    }
    for not in ["... n-12960252", "James Robinson", "May I ask?", "2020", ""] {
        assert!(!looks_like_date(not, lx), "{not}");
    }
}

#[test]
fn clock_times_alone_are_told_from_names() {
    let lx = lexicon();
    for time in ["12:16pm", "10:31 PM", "08:12", "9:05 am"] {
        assert!(is_clock_time(time, lx), "{time}");
    }
    for not in [
        "Nobody",
        "12:16pm On Apr 24",
        "2:1",
        "R2:D2",
        "AM",
        "123:45",
        "",
    ] {
        assert!(!is_clock_time(not, lx), "{not}");
    }
}

/// `looks_like_date` as first written, asking each language in turn: the one table must
/// give the same answers.
fn looks_like_date_by_scan(text: &str, lexicon: &Lexicon) -> bool {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 60 {
        return false;
    }
    let mut named = false;
    let mut numbers = 0;
    for token in text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.' | '\'' | '(' | ')'))
    {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        let digits = lower.trim_end_matches(|c: char| c.is_alphabetic());
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == ':') {
            numbers += 1;
            let suffix = &lower[digits.len()..];
            if suffix.is_empty()
                || matches!(
                    suffix,
                    "st" | "nd" | "rd" | "th" | "am" | "pm" | "h" | "e" | "er"
                )
            {
                continue;
            }
            return false;
        }
        let known = lexicon.langs().any(|(_, lang)| {
            lang.months.contains_key(&lower)
                || lang.weekdays.contains_key(&lower)
                || lang
                    .file
                    .filler
                    .iter()
                    .chain(&lang.file.am)
                    .chain(&lang.file.pm)
                    .any(|f| f.eq_ignore_ascii_case(&lower))
        });
        if !known {
            return false;
        }
        if lexicon
            .langs()
            .any(|(_, lang)| lang.months.contains_key(&lower))
        {
            named = true;
        }
    }
    (named && numbers >= 1) || numbers >= 3
}

/// Every word the lexicon knows for dates, as written and upper-cased, and words it does
/// not.
fn vocabulary(lexicon: &Lexicon) -> Vec<String> {
    let mut words: Vec<String> = [
        "AM", "pm", "Pm", "12", "3rd", "10:31", "5pm", "7x", "word", "İ",
    ]
    .map(str::to_owned)
    .into();
    for (_, lang) in lexicon.langs() {
        let f = &lang.file;
        let r = &f.relative;
        for w in lang
            .months
            .keys()
            .chain(lang.weekdays.keys())
            .chain(&f.filler)
            .chain(&f.am)
            .chain(&f.pm)
            .chain(&r.today)
            .chain(&r.yesterday)
            .chain(&r.now)
            .chain(r.units.values().flatten())
        {
            words.push(w.clone());
            words.push(w.to_uppercase());
        }
    }
    words
}

#[test]
fn every_date_word_is_read_as_the_scan_reads_it() {
    let lx = lexicon();
    for w in vocabulary(lx) {
        for text in [
            w.clone(),
            format!("{w} 12"),
            format!("12 {w}, 2020"),
            format!("1 2 {w}"),
        ] {
            assert_eq!(
                looks_like_date(&text, lx),
                looks_like_date_by_scan(&text, lx),
                "{text}"
            );
        }
    }
}

proptest::proptest! {
    #[test]
    fn the_table_agrees_with_the_scan(
        picks in proptest::collection::vec((0usize..10_000, "[ ,/.'()-]{1,2}"), 0..8)
    ) {
        static WORDS: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| vocabulary(lexicon()));
        let mut text = String::new();
        for (k, sep) in &picks {
            text.push_str(&WORDS[k % WORDS.len()]);
            text.push_str(sep);
        }
        proptest::prop_assert_eq!(
            looks_like_date(&text, lexicon()),
            looks_like_date_by_scan(&text, lexicon())
        );
    }

    /// Skipping texts without a digit never loses a date.
    #[test]
    fn texts_without_digits_hold_no_dates(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "Sun", "Jul", "28,", "2013", "1:34", "pm", "today", "yesterday", "at",
                "um", "heute", "ago", "days", "3", "vor", "Tagen", "16-Jun-20", "Juni",
                "13.11.2019", "lundi", "mars", "il", "y", "a", "×", "Jun-", "-20",
            ]),
            0..10,
        ),
    ) {
        let text = words.join(" ");
        let dw = lexicon().date_words();
        proptest::prop_assert_eq!(find_dates(&text, dw), read_dates(&text, dw));
    }
}

#[test]
fn dates_in_many_shapes() {
    assert_eq!(
        dates("Postby RGB » Sun Jul 28, 2013 1:34 pm"),
        ["Sun Jul 28, 2013 1:34 pm"]
    );
    assert_eq!(
        dates("Jellycatspyjamas Tue 16-Jun-20 23:12:23"),
        ["Tue 16-Jun-20 23:12:23"]
    );
    assert_eq!(
        dates("● By junipersage On 2020.03.12 15:21"),
        ["2020.03.12 15:21"]
    );
    assert_eq!(dates("Tachy, Feb 23, 2019"), ["Feb 23, 2019"]);
    assert_eq!(
        dates("2. 10-31-2017, 01:56 PM #2"),
        ["10-31-2017, 01:56 PM"]
    );
    assert_eq!(
        dates("Wuhduh ● #2 erstellt: 21. Apr 2020, 20:53"),
        ["21. Apr 2020, 20:53"]
    );
    assert_eq!(dates("September 2019 in Central"), ["September 2019"]);
    assert_eq!(dates("vixen 3 weeks ago"), ["3 weeks ago"]);
    assert_eq!(dates("13.11.2019"), ["13.11.2019"]);
    assert_eq!(dates("Joined Nov 14, 2018 60 42"), ["Nov 14, 2018"]);
}

#[test]
fn numbers_alone_are_not_dates() {
    assert!(dates("Posts: 14,580").is_empty());
    assert!(dates("Beiträge: 1.234").is_empty());
    assert!(dates("VLC 3.0.8 on Windows 10").is_empty());
    assert!(dates("at the end of the day").is_empty());
    assert!(dates("Notre fille a 4 ans et demi").is_empty());
    // "Hier" is "yesterday" in French and "here" in German: a day word needs a time.
    assert!(dates("Hier erfahren Sie mehr").is_empty());
    assert_eq!(dates("Hier, 10:15"), ["Hier, 10:15"]);
}

#[test]
fn dates_inside_headers() {
    let lx = lexicon();
    assert_eq!(
        find_date("by ann » Sun Mar 06, 2016 5:45 am", lx),
        Some("Sun Mar 06, 2016 5:45 am")
    );
    assert_eq!(
        find_date("11:43pm On Apr 23", lx),
        Some("11:43pm On Apr 23")
    );
    assert_eq!(
        find_date("By ann On 2019.08.03 15:35", lx),
        Some("2019.08.03 15:35")
    );
    assert_eq!(
        find_date("Posted 12.03.2019, 14:10", lx),
        Some("12.03.2019, 14:10")
    );
    assert_eq!(find_date("Today, 10:31 PM", lx), Some("Today, 10:31 PM"));
    assert_eq!(find_date("3 hours ago", lx), Some("3 hours ago"));
    assert_eq!(
        find_date("Sat, Jun 18 '05, 10:24 AM", lx),
        Some("Sat, Jun 18 '05, 10:24 AM")
    );
    assert_eq!(find_date("Hello there, how are you?", lx), None);
    assert_eq!(find_date("Posts: 1234", lx), None);
}

#[test]
fn a_users_file_adds_number_suffixes() {
    let extended = Lexicon::builder()
        .builtin()
        .and_then(|b| {
            b.add_toml(
                "extra.toml",
                "lang = \"fr\"\n[dates]\nnumber_suffixes = [\"ème\"]\nyear_suffixes = [\"г\"]",
            )
        })
        .and_then(threadmill_lexicon::LexiconBuilder::build)
        .expect("lexicon");
    let found = |text: &str, lexicon: &Lexicon| -> Vec<String> {
        find_dates(text, lexicon.date_words())
            .into_iter()
            .map(|(a, b)| text[a..b].to_owned())
            .collect()
    };
    assert!(!looks_like_date("12ème mars 2020", lexicon()));
    assert!(looks_like_date("12ème mars 2020", &extended));
    assert_eq!(found("le 12ème mars 2020", lexicon()), ["mars 2020"]);
    assert_eq!(found("le 12ème mars 2020", &extended), ["12ème mars 2020"]);
    assert_eq!(found("12 марта 2020г.", lexicon()), ["12 марта"]);
    assert_eq!(found("12 марта 2020г.", &extended), ["12 марта 2020г."]);
    // A year's suffix is read where a line's dates are found, not where a text is asked
    // to be nothing but a date.
    assert!(!looks_like_date("12 марта 2020г", &extended));
}
