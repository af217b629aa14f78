#!/usr/bin/env python3
"""Audits thread records field by field, as a user reading them would: prints every
violation and a count per rule; exits 1 when there is any.

Usage: audit_records.py [--gold DIR] RECORDS.jsonl [MORE.jsonl ...]

--gold DIR: the pages' gold (<stem>.gold.json). An author that reads as chrome but that the
  gold gives as a post's user is a real account ("moderator" is one on some boards): not
  a violation.

Rules (docs/record.md says what each field means):
  author-date      an author that reads as a date or a time of day
  author-chrome    an author that is a rank or forum chrome word
  author-url       an author_url that is relative although the record has a url, or that
                   keeps a session parameter
  date-range       a posted_at before 1990 or after the reference time (or after now)
  duplicate-id     two posts of one record with the same id
  title-chrome     a title that is a cookie, skip-link or menu line
"""
import datetime as dt
import json
import os
import re
import sys
from collections import Counter

DATE = re.compile(
    r"^\W*(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{2,4}"
    r"|\d{1,2}\.? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{2,4}|(today|yesterday|heute|gestern)\b"
    r"|\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?$)",
    re.I,
)
def lexicon_chrome_words():
    """Rank and post-button words of every UI language the lexicons know (crates/lexicon/
    lexicons/lang/*.toml): what names no one, whatever the page's language."""
    import glob
    import tomllib
    here = os.path.dirname(os.path.abspath(__file__))
    words = set()
    for path in glob.glob(os.path.join(here, "..", "crates", "lexicon", "lexicons", "lang", "*.toml")):
        with open(path, "rb") as f:
            chrome = tomllib.load(f).get("chrome_words", {})
        for key in ("rank", "post_action"):
            words.update(w.lower() for w in chrome.get(key, []))
    # "online" and "offline" are ranks to the text path (a status line in the panel), but
    # "Online" is a name as often as not.
    return words - {"online", "offline"}


CHROME_AUTHORS = {
    "quote", "reply", "report", "like", "likes", "share", "posts", "joined", "member",
    "senior member", "junior member", "administrator", "moderator", "guest", "view profile",
    "community leader", "top", "back to top", "permalink", "online", "offline", "new member",
    "advertisement", "sponsored", "anzeige", "werbung", "publicité", "commented",
} | lexicon_chrome_words()

SESSION = re.compile(r"[?&;](sid|phpsessid|sessionid|jsessionid)=|[?&]s=[0-9a-f]{16,}", re.I)
CHROME_TITLES = re.compile(
    r"^(skip to (main )?content|jump to (content|navigation)|main menu|menu|navigation|cookie|"
    r"we use cookies|this (web)?site uses cookies|accept( all)? cookies|log ?in|sign ?in|register|home|search)\b",
    re.I,
)


def stem(path):
    """The gold's name for a page: its file name less a compression suffix, then less one
    page suffix (as the scorer names it)."""
    b = re.sub(r"\.(gz|zst)$", "", os.path.basename(path))
    return re.sub(r"\.(html?|txt)$", "", b)


def gold_users(gold_dir, record):
    """The names the page's gold gives its posters, lower-cased."""
    if not gold_dir:
        return set()
    path = os.path.join(gold_dir, stem(record["source"]["path"]) + ".gold.json")
    if not os.path.exists(path):
        return set()
    gold = json.load(open(path, encoding="utf-8"))
    return {
        (p.get(k) or "").strip().lower()
        for p in gold.get("posts") or []
        for k in ("user", "user_name")
    } - {""}


def audit(record, confirmed=frozenset()):
    out = []
    url = record.get("url")
    reference = record.get("reference_time")
    limit = (reference or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M"))[:10]
    ids = Counter(p.get("id") for p in record["posts"] if p.get("id"))
    for dup, n in ids.items():
        if n > 1:
            out.append(("duplicate-id", f"{dup} ×{n}"))
    for p in record["posts"]:
        a = (p.get("author") or "").strip()
        if a and DATE.match(a):
            out.append(("author-date", a))
        # A name that links to a profile is a user's, whatever it reads like.
        if a.lower() in CHROME_AUTHORS and not p.get("author_url") and a.lower() not in confirmed:
            out.append(("author-chrome", a))
        au = p.get("author_url")
        if au:
            if url and url.startswith("http") and not au.startswith("http"):
                out.append(("author-url", f"relative: {au}"))
            if SESSION.search(au):
                out.append(("author-url", f"session: {au}"))
        at = p.get("posted_at")
        if at and (at[:4] < "1990" or at[:10] > limit):
            out.append(("date-range", f"{at} (raw {p.get('posted_at_raw')!r})"))
    title = (record.get("title") or "").strip()
    if title and CHROME_TITLES.match(title):
        out.append(("title-chrome", title))
    return out


def main():
    args = sys.argv[1:]
    gold_dir = None
    if args[:1] == ["--gold"] and len(args) >= 2:
        gold_dir, args = args[1], args[2:]
    counts = Counter()
    for path in args:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            for rule, what in audit(record, gold_users(gold_dir, record)):
                counts[rule] += 1
                print(f"{rule}\t{record['source']['path']}\t{what}")
    print("audit: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "clean"))
    sys.exit(1 if counts else 0)


if __name__ == "__main__":
    main()
