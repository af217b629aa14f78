//! Links as a record keeps them: resolved against the page's address, without session
//! parameters, and the stable user key a profile link carries.
//!
//! A small RFC 3986 reference resolver rather than a URL crate: records only need joins of
//! hrefs printed on a page to the page's own address, and no parsing of hosts.

/// Query parameters that carry a visitor's session, not what the link points to: a link
/// kept with them differs for every crawl of the same page.
const SESSION_PARAMS: &[&str] = &[
    "sid",
    "phpsessid",
    "sessionid",
    "session_id",
    "jsessionid",
    "osessionid",
    "zenid",
];

/// True when `href` leads to a page: not empty, not a bare fragment, and either relative
/// or an `http(s)` URL (not `javascript:`, `mailto:`).
pub fn is_page_link(href: &str) -> bool {
    let href = href.trim();
    !href.is_empty()
        && !href.starts_with('#')
        && scheme_of(href)
            .is_none_or(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
}

/// `href` resolved against `base` (an absolute `http(s)` URL), or `href` itself when it is
/// already absolute. `None` when neither gives an absolute URL or `href` is not a link to
/// a page (`javascript:`, `mailto:`, a bare fragment).
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    if let Some(scheme) = scheme_of(href) {
        return matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
            .then(|| href.to_owned());
    }
    let base = base.filter(|b| scheme_of(b).is_some())?;
    let (scheme, rest) = base.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, base_path) = rest.split_at(authority_end);
    let base_path = base_path
        .split(['?', '#'])
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or("/");
    if let Some(net) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{net}"));
    }
    let origin = format!("{scheme}://{authority}");
    if href.starts_with('/') {
        return Some(format!("{origin}{}", remove_dot_segments(href)));
    }
    if href.starts_with('?') {
        return Some(format!("{origin}{base_path}{href}"));
    }
    let dir = &base_path[..=base_path.rfind('/').unwrap_or(0)];
    Some(format!(
        "{origin}{}",
        remove_dot_segments(&format!("{dir}{href}"))
    ))
}

/// The scheme of an absolute URL (`http` of `http://…`).
fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme)
}

/// `a/./b/../c` → `a/c`, on the path only (the query and fragment are kept as they are).
fn remove_dot_segments(path_and_rest: &str) -> String {
    let split = path_and_rest
        .find(['?', '#'])
        .unwrap_or(path_and_rest.len());
    let (path, rest) = path_and_rest.split_at(split);
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut joined = out.join("/");
    if !joined.starts_with('/') {
        joined.insert(0, '/');
    }
    joined + rest
}

/// The URL without the query parameters that carry a session (`sid`, `PHPSESSID`, a
/// vBulletin `s=` session hash, `;jsessionid=`), so that one link reads the same in every
/// crawl.
pub fn without_session(url: &str) -> String {
    let (head, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let head = match head.to_ascii_lowercase().find(";jsessionid=") {
        Some(i) => {
            let end = head[i..].find('?').map_or(head.len(), |j| i + j);
            format!("{}{}", &head[..i], &head[end..])
        }
        None => head.to_owned(),
    };
    let Some((path, query)) = head.split_once('?') else {
        return head + fragment;
    };
    let kept: Vec<&str> = query
        .split(['&', ';'])
        .filter(|pair| !pair.is_empty() && !is_session_pair(pair))
        .collect();
    if kept.is_empty() {
        format!("{path}{fragment}")
    } else {
        format!("{path}?{}{fragment}", kept.join("&"))
    }
}

fn is_session_pair(pair: &str) -> bool {
    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
    let name = name.to_ascii_lowercase();
    if SESSION_PARAMS.contains(&name.as_str()) {
        return true;
    }
    // vBulletin's `s` is a 32-digit hex session hash; an `s` of another shape is a search.
    name == "s" && value.len() >= 16 && value.chars().all(|c| c.is_ascii_hexdigit())
}

/// The user key a profile link carries: the numeric user id where the link has one
/// (`?u=5`, `member.php?70024-name`, `/members/name.123/`, `/users/4818/name`,
/// `/profile/77-name/`), else the profile's name slug (`/u/name`, `/user/name`).
///
/// The segment before the key is one of the engines' own (`members`, `u`, `profile`…)
/// or one that `profile_segment` accepts: a word of the forum's language (`/mitglied/`),
/// which the lexicon holds. It is handed the segment lower-cased (ASCII only).
pub fn user_key(profile_url: &str, profile_segment: impl Fn(&str) -> bool) -> Option<String> {
    let url = profile_url.split('#').next().unwrap_or(profile_url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    for pair in query.split(['&', ';']) {
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let name = name.to_ascii_lowercase();
        let numeric = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit());
        if numeric
            && matches!(
                name.as_str(),
                "u" | "uid" | "user" | "userid" | "user_id" | "showuser" | "memberid" | "id"
            )
        {
            return Some(value.to_owned());
        }
        // `member.php?70024-name` and `member.php?u=…` alike: a leading number is the id.
        if name.is_empty() {
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && value[digits.len()..].starts_with(['-', '.']) {
                return Some(digits);
            }
        }
    }
    let segments: Vec<&str> = path
        .split('/')
        .skip_while(|s| !s.is_empty() && s.contains(':'))
        .filter(|s| !s.is_empty())
        .collect();
    let after = segments.iter().position(|s| {
        let lower = s.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "u" | "user"
                | "users"
                | "member"
                | "members"
                | "profile"
                | "profiles"
                | "people"
                | "author"
        ) || profile_segment(&lower)
    })?;
    let segment = *segments.get(after + 1)?;
    if segment.chars().all(|c| c.is_ascii_digit()) {
        return Some(segment.to_owned());
    }
    // `name.123` (XenForo) and `77-name` (Invision): the number is the id.
    if let Some((_, tail)) = segment.rsplit_once('.')
        && !tail.is_empty()
        && tail.chars().all(|c| c.is_ascii_digit())
    {
        return Some(tail.to_owned());
    }
    let lead: String = segment.chars().take_while(char::is_ascii_digit).collect();
    if !lead.is_empty() && segment[lead.len()..].starts_with('-') {
        return Some(lead);
    }
    Some(segment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://forum.example/board/viewtopic.php?t=7&start=25";

    #[test]
    fn hrefs_are_resolved_against_the_page() {
        let r = |h| resolve(Some(BASE), h);
        assert_eq!(
            r("./memberlist.php?mode=viewprofile&u=5").as_deref(),
            Some("https://forum.example/board/memberlist.php?mode=viewprofile&u=5")
        );
        assert_eq!(
            r("../u/ivy").as_deref(),
            Some("https://forum.example/u/ivy")
        );
        assert_eq!(
            r("/members/hugo.11/").as_deref(),
            Some("https://forum.example/members/hugo.11/")
        );
        assert_eq!(
            r("//cdn.example/x").as_deref(),
            Some("https://cdn.example/x")
        );
        assert_eq!(
            r("?t=8").as_deref(),
            Some("https://forum.example/board/viewtopic.php?t=8")
        );
        assert_eq!(
            r("http://other.example/a").as_deref(),
            Some("http://other.example/a")
        );
        assert_eq!(r("javascript:void(0)"), None);
        assert_eq!(r("mailto:a@b.c"), None);
        assert_eq!(r("#p5"), None);
        assert_eq!(resolve(None, "/members/x.1/"), None);
        assert_eq!(resolve(Some("page.html"), "/members/x.1/"), None);
        assert!(is_page_link("member.php?u=1") && is_page_link("https://a.example/u/x"));
        assert!(!is_page_link("#") && !is_page_link("javascript:void(0)") && !is_page_link(" "));
    }

    #[test]
    fn session_parameters_are_dropped() {
        assert_eq!(
            without_session("https://f.example/memberlist.php?mode=viewprofile&u=5&sid=5aa6e2c1"),
            "https://f.example/memberlist.php?mode=viewprofile&u=5"
        );
        assert_eq!(
            without_session("member.php?70024-its2much&s=953b0f5a8c3f4e2d953b0f5a8c3f4e2d"),
            "member.php?70024-its2much"
        );
        assert_eq!(
            without_session("/search.php?s=bread"),
            "/search.php?s=bread",
            "an s that is no session hash is kept"
        );
        assert_eq!(
            without_session("/u/ann;jsessionid=ABC123?tab=posts"),
            "/u/ann?tab=posts"
        );
        assert_eq!(without_session("/x?PHPSESSID=1#top"), "/x#top");
    }

    #[test]
    fn user_keys_come_from_the_link_shape() {
        let k = |u| user_key(u, |s| s == "mitglied");
        assert_eq!(
            k("./memberlist.php?mode=viewprofile&u=5").as_deref(),
            Some("5")
        );
        assert_eq!(k("member.php?70024-its2much").as_deref(), Some("70024"));
        assert_eq!(
            k("https://f.example/members/hugo.11/").as_deref(),
            Some("11")
        );
        assert_eq!(k("/users/4818/kumiko").as_deref(), Some("4818"));
        assert_eq!(
            k("https://p.example/profile/77-mia/").as_deref(),
            Some("77")
        );
        assert_eq!(k("https://d.example/u/ivy").as_deref(), Some("ivy"));
        assert_eq!(k("index.php?showuser=236113").as_deref(), Some("236113"));
        assert_eq!(k("https://f.example/threads/x.5/"), None);
        // A segment in the forum's language, as the caller's words say.
        assert_eq!(k("https://g.example/Mitglied/9-max/").as_deref(), Some("9"));
        assert_eq!(
            user_key("https://g.example/Mitglied/9-max/", |_| false),
            None
        );
    }
}
