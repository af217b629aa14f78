#!/usr/bin/env python3
"""Helper of scripts/side-by-side.sh (run it through that script).

  side_by_side.py pages HTML_DIR GOLD_DIR LIMIT LIST GOLD_SUBSET_DIR
      list the pages (gold-annotated pages first when LIMIT caps them) and link their gold
  side_by_side.py run TOOL LIST OUT.jsonl [PAGE_TIMEOUT]
      run one Python extractor (trafilatura | resiliparse | harvest) in this one process over
      every page of LIST, write scorer records to OUT.jsonl, print the seconds the loop took
      (reading, decoding, extracting and writing each page; imports excluded)
  side_by_side.py table RESULTS.tsv
      print the comparison table from the timings and the scorer's --json summaries
"""
import gzip
import json
import os
import signal
import statistics
import sys
import time

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".html.zst")


def stem(name):
    """The scorer's page stem: drop .gz/.zst, then one .html/.htm/.txt."""
    for z in (".gz", ".zst"):
        if name.endswith(z):
            name = name[: -len(z)]
    for s in (".html", ".htm", ".txt"):
        if name.endswith(s):
            return name[: -len(s)]
    return name


def cmd_pages(html_dir, gold_dir, limit, list_path, gold_subset):
    pages = sorted(n for n in os.listdir(html_dir) if n.endswith(PAGE_SUFFIXES))
    gold = lambda n: os.path.exists(os.path.join(gold_dir, stem(n) + ".gold.json"))
    limit = int(limit)
    if limit > 0:
        # Gold pages first, so a capped run still scores as many pages as it can.
        pages = sorted(pages, key=lambda n: (not gold(n), n))[:limit]
        pages.sort()
    os.makedirs(gold_subset, exist_ok=True)
    with open(list_path, "w", encoding="utf-8") as out:
        for n in pages:
            out.write(os.path.join(os.path.abspath(html_dir), n) + "\n")
            if gold(n):
                g = stem(n) + ".gold.json"
                os.symlink(os.path.abspath(os.path.join(gold_dir, g)), os.path.join(gold_subset, g))
    size = sum(os.path.getsize(os.path.join(html_dir, n)) for n in pages)
    print(f"{len(pages)}\t{size}\t{sum(1 for n in pages if gold(n))}")


def read_html(path):
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def page_url(path):
    """Harvest wants the page's URL: the gold file names it; otherwise a placeholder."""
    gold = os.path.join(os.environ.get("SBS_GOLD", ""), stem(os.path.basename(path)) + ".gold.json")
    try:
        return json.load(open(gold, encoding="utf-8")).get("url") or "http://localhost/"
    except (OSError, ValueError):
        return "http://localhost/" + os.path.basename(path)


class PageTimeout(Exception):
    pass


def on_alarm(_sig, _frame):
    raise PageTimeout()


def cmd_run(tool, list_path, out_path, page_timeout="0"):
    page_timeout = int(page_timeout)
    if tool == "trafilatura":
        import trafilatura

        def one(html, _path):
            text = trafilatura.extract(html) or ""
            return [{"author": None, "posted_at_raw": None, "text": text}]
    elif tool == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        def one(html, _path):
            text = extract_plain_text(HTMLTree.parse(html), main_content=True)
            return [{"author": None, "posted_at_raw": None, "text": text}]
    elif tool == "harvest":
        import warnings

        warnings.filterwarnings("ignore")
        from harvest import extract_data

        def one(html, path):
            posts = extract_data(html, page_url(path)).get("posts") or []
            return [{"author": p.get("user"), "posted_at_raw": p.get("datetime"),
                     "text": p.get("post_text") or ""} for p in posts]
    else:
        sys.exit(f"unknown tool {tool}")
    paths = [l.strip() for l in open(list_path, encoding="utf-8") if l.strip()]
    errors = timeouts = 0
    if page_timeout:
        signal.signal(signal.SIGALRM, on_alarm)
    start = time.perf_counter()
    with open(out_path, "w", encoding="utf-8") as out:
        for path in paths:
            try:
                if page_timeout:
                    signal.alarm(page_timeout)
                posts = one(read_html(path), path)
            except PageTimeout:
                timeouts += 1
                posts = []
            except Exception as e:  # a tool failing on one page must not end the run
                errors += 1
                print(f"{tool}: {os.path.basename(path)}: {type(e).__name__}: {e}"[:300], file=sys.stderr)
                posts = []
            finally:
                if page_timeout:
                    signal.alarm(0)
            out.write(json.dumps({"source": {"path": path}, "posts": posts}, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - start
    print(f"{seconds:.6f}\t{errors}\t{timeouts}")


def cmd_table(results):
    """RESULTS.tsv rows: tool, seconds (one per round, comma-separated), score json or
    'NA:reason', notes; plus a header row 'pages n bytes gold_pages'."""
    rows, meta = [], {}
    for line in open(results, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "#pages":
            meta = {"pages": int(f[1]), "bytes": int(f[2]), "gold": int(f[3]), "jobs": f[4]}
            continue
        rows.append(f)
    mb = meta["bytes"] / 1e6
    med, per_round = {}, {}
    for tool, secs, _score, _note in rows:
        if secs:
            per_round[tool] = [float(s) for s in secs.split(",")]
            med[tool] = statistics.median(per_round[tool])
    ref = "threadmill --jobs 1"
    refn = f"threadmill --jobs {meta['jobs']}"
    print(f"{meta['pages']} HTML pages, {mb:.2f} MB; accuracy over the {meta['gold']} pages with "
          f"gold posts (score_posts.py); seconds are medians over the rounds shown")
    hdr = (f"{'tool':<26} {'rounds':>6} {'seconds':>9} {'MB/s':>8} {'tm j1 ×':>9} {'tm jN ×':>9} "
           f"{'post F1':>8} {'author':>7} {'date':>6} {'content F1':>10}")
    print(hdr)
    print("-" * len(hdr))
    notes = []
    for tool, secs, score, note in rows:
        if not secs:
            print(f"{tool:<26} {'—':>6} {'not run: ' + note}")
            continue
        s = med[tool]
        n = len(secs.split(","))
        def ratio(r):
            # Paired within each round (the tool's time over threadmill's in the same round),
            # then the median: the machine's load changes between rounds, less within one.
            pairs = [a / b for a, b in zip(per_round[tool], per_round.get(r, [])) if b > 0]
            if not pairs:
                return "—"
            x = statistics.median(pairs)
            return f"{x:.1f}×" if x >= 1 else f"{x:.2f}×"
        acc = "   (not scored: " + score[3:] + ")" if score.startswith("NA") else ""
        if not acc:
            sm = json.loads(score)["summary"]
            fmt = lambda v: "—" if v is None else f"{v:.3f}"
            acc = (f" {fmt(sm['post_f1']):>8} {fmt(sm['author_acc']):>7} {fmt(sm['date_acc']):>6} "
                   f"{fmt(sm['content_f1']):>10}")
        print(f"{tool:<26} {n:>6} {s:>9.3f} {mb / s:>8.2f} {ratio(ref):>9} {ratio(refn):>9}{acc}")
        if note:
            notes.append(f"{tool}: {note}")
    print("tm j1 × / tm jN ×: how many times threadmill's throughput (--jobs 1: one core, like "
          "the one-process Python tools; --jobs N: all cores) exceeds the tool's, as the median "
          "over rounds of the ratio within each round (Harvest: its rounds only).")
    print("Python tools: seconds of the in-process loop over the pages (read, decode, extract, "
          "write), imports and interpreter start excluded; threadmill: the whole process, "
          "start-up included.")
    for n in notes:
        print(n)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"pages": cmd_pages, "run": cmd_run, "table": cmd_table}[cmd](*args)
