#!/usr/bin/env python3
"""Runs the shared post scorer with author = author_url where a post has a profile link.

The gold annotations name a post's author by the profile link where the page has one and
by the name otherwise; threadmill's `author` is always the display name and the link is in
`author_url`. This scores the same records with the link standing in for the name, so the
author figure measures whether the right person was found.

Usage: score_identity.py PRED.jsonl GOLD_DIR [SCORER]   (SCORER: ../shared/tools/score_posts.py)
"""
import json
import os
import subprocess
import sys
import tempfile

pred, gold = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
scorer = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "..", "shared", "tools", "score_posts.py")
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
    for line in open(pred, encoding="utf-8"):
        record = json.loads(line)
        for post in record.get("posts") or []:
            if post.get("author_url"):
                post["author"] = post["author_url"]
        out.write(json.dumps(record) + "\n")
result = subprocess.run([sys.executable, scorer, out.name, gold], capture_output=True, text=True, check=True)
os.unlink(out.name)
print(result.stdout.strip().splitlines()[-1])
