#!/usr/bin/env python3
"""Checks normalised post dates against the gold: the share of posts whose `posted_at` falls
on the calendar day the gold prints. The scorer compares only the printed text
(`posted_at_raw`), so a date read with day and month swapped, or with the wrong year, passes
there and fails here.

Usage: date_check.py RECORDS.jsonl GOLD_DIR [--list]

Posts are aligned with the gold as the scorer aligns them (its `align`, imported from
score_posts.py beside GOLD_DIR's corpus). A gold date is used only when it is absolute and
unambiguous: English month names or numeric dates with a four-digit year; a numeric date
whose day and month could be swapped counts only when the separator says the order ('.'
day first, '/' or '-' month first, ISO year first). Relative ("3 hours ago") and non-English
gold dates are skipped and counted. A `posted_at` with an offset that falls a day beside
the printed day is counted apart: the page printed the instant in its reader's zone.
--list prints every wrong post.
"""
import json
import os
import re
import sys
from datetime import date

MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
NUMERIC = re.compile(r"\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b")
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\.? (?:of )?([a-z]{3})[a-z]*\.?,? (\d{4})\b", re.I)
OFFSET = re.compile(r"T\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d|Z)$")
MONTH_DAY = re.compile(r"\b([a-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b", re.I)


def gold_day(text):
    """The calendar day a gold date prints, or None when it is relative, foreign or unclear."""
    text = text or ""
    try:
        if m := ISO.search(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := NUMERIC.search(text):
            a, sep, b, year = int(m[1]), m[2], int(m[3]), int(m[4])
            day, month = (a, b) if sep == "." else (b, a)
            return date(year, month, day)
        if (m := DAY_MONTH.search(text)) and m[2].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
        if (m := MONTH_DAY.search(text)) and m[1].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    except ValueError:
        return None
    return None


def a_day_apart_in_another_zone(posted_at, want):
    if not OFFSET.search(posted_at):
        return False
    try:
        got = date.fromisoformat(posted_at[:10])
    except ValueError:
        return False
    return abs((got - want).days) == 1


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    records_path, gold_dir = sys.argv[1], sys.argv[2]
    listing = "--list" in sys.argv
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(gold_dir)), "..", "tools"))
    from score_posts import align, page_stem  # the scorer's own alignment

    records = {}
    for line in open(records_path, encoding="utf-8"):
        record = json.loads(line)
        records[page_stem(record["source"]["path"])] = record
    checked = right = skipped = missing = zoned = 0
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".gold.json"):
            continue
        gold = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
        stem = name[: -len(".gold.json")]
        if "posts" not in gold or stem not in records:
            continue
        posts = records[stem].get("posts") or []
        for i, j, _ in align(gold["posts"], posts):
            want = gold_day(gold["posts"][i]["datetime"])
            if want is None:
                skipped += 1
                continue
            checked += 1
            got = (posts[j].get("posted_at") or "")[:10]
            if not got:
                missing += 1
            if got == want.isoformat():
                right += 1
            elif a_day_apart_in_another_zone(posts[j].get("posted_at") or "", want):
                zoned += 1
            elif listing:
                print(f"{stem}\t{gold['posts'][i]['datetime']!r}\t{got or None}\t{posts[j].get('posted_at_raw')!r}")
    share = right / checked if checked else 0.0
    print(f"dates: {right}/{checked} posts on the gold's day ({share:.3f}), {zoned} more a day "
          f"apart with an explicit offset; "
          f"{missing} without posted_at; {skipped} gold dates relative or unreadable, skipped")


if __name__ == "__main__":
    main()
