#!/usr/bin/env bash
# Extraction quality on every dev corpus, scored by ../shared/tools/score_posts.py: the HTML
# pages with the engine profiles on and off (leave-one-site-out: the generic path alone),
# the w3m copies (text-lines) and the flattened copies (text). A measurement, not a test.
#
#   scripts/quality.sh [--weakest N] [--out DIR]
#
#   --weakest N  list the N weakest pages of each HTML set (default 15)
#   --out DIR    where records and scores go (default target/quality)
#
# THREADMILL_CORPUS (default ../shared/corpus beside the checkout) holds html/, text/,
# text-lines/ and gold/. Needs python3 and cargo. Last, scripts/date_check.py says how many
# normalised dates fall on the day the gold prints (the scorer compares printed text only),
# and scripts/audit_records.py audits every record's fields.
set -euo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${THREADMILL_CORPUS:-$(cd "$repo/.." && pwd)/shared/corpus}
scorer=${THREADMILL_SCORER:-$(dirname "$corpus")/tools/score_posts.py}
weakest=15
out="$repo/target/quality"
while (($#)); do
    case $1 in
        --weakest) weakest=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "quality: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -d $corpus/gold ]] || { echo "quality: no corpus at $corpus" >&2; exit 2; }
mkdir -p "$out"
(cd "$repo" && cargo build --release --quiet)
bin="$repo/target/release/threadmill"

run() { # NAME INPUT [PIPELINE]
    local name=$1 input=$2 pipeline=${3:-} code=0
    # Records of an earlier run must never be scored as this one's.
    rm -f "$out/$name".*
    "$bin" run --input "$input" --output "$out/$name.jsonl" --jobs "$(nproc)" \
        ${pipeline:+--pipeline "$pipeline"} 2>"$out/$name.log" || code=$?
    # 1 is a run with rejects, which the table counts; anything else is no run at all.
    if ((code > 1)); then
        echo "quality: the $name run failed (exit $code):" >&2
        tail -n 3 "$out/$name.log" >&2
        exit 1
    fi
    python3 "$scorer" "$out/$name.jsonl" "$corpus/gold" --json >"$out/$name.score.json"
}
run html "$corpus/html"
run html-no-profiles "$corpus/html" "$repo/pipelines/no-profiles.toml"
run text-lines "$corpus/text-lines"
run text "$corpus/text"

python3 - "$out" "$weakest" <<'PY'
import json, os, re, sys
out, weakest = sys.argv[1], int(sys.argv[2])
def stem(path):
    b = re.sub(r"\.(gz|zst)$", "", os.path.basename(path))
    return re.sub(r"\.(html?|txt)$", "", b)
def records(name):
    recs = {}
    for line in open(os.path.join(out, name + ".jsonl"), encoding="utf-8"):
        r = json.loads(line)
        recs[stem(r["source"]["path"])] = r
    return recs
def rejects(name):
    path = os.path.join(out, name + ".rejects.jsonl")
    return sum(1 for _ in open(path)) if os.path.exists(path) else 0
fmt = lambda v: "    -" if v is None else f"{v:.3f}"
print(f"{'set':18} {'pages':>5} {'rejects':>7} {'post F1':>7} {'author':>7} {'date':>7} {'content':>7} {'WCXB main':>9}")
sets = ["html", "html-no-profiles", "text-lines", "text"]
for name in sets:
    s = json.load(open(os.path.join(out, name + ".score.json")))["summary"]
    print(f"{name:18} {s['pages_with_record']:5} {rejects(name):7} {fmt(s['post_f1']):>7} {fmt(s['author_acc']):>7} "
          f"{fmt(s['date_acc']):>7} {fmt(s['content_f1']):>7} {fmt(s['main_f1'] if name != 'text' else None):>9}")
def quality(r):
    return r["posts"][2] if "posts" in r else r["content"][2]
print("\ncalibration of extractor_confidence (HTML, profiles on and off): pages per band, their mean")
print("score (post F1, or main-text F1 for WCXB) and the share of pages scoring 0.8 or more:")
bands = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]
for name in ["html", "html-no-profiles"]:
    pages = json.load(open(os.path.join(out, name + ".score.json")))["pages"]
    recs = records(name)
    rows = [(recs[k]["extractor_confidence"], quality(r)) for k, r in pages.items() if k in recs]
    for lo, hi in bands:
        q = [s for c, s in rows if lo <= c < hi]
        if q:
            print(f"  {name:17} [{lo:.1f}, {min(hi, 1.0):.1f})  pages {len(q):3}  mean {sum(q)/len(q):.3f}  >=0.8 {sum(1 for s in q if s >= 0.8)/len(q):.2f}")
for name in ["html", "html-no-profiles"]:
    pages = json.load(open(os.path.join(out, name + ".score.json")))["pages"]
    recs = records(name)
    def score(r):
        return r["posts"][2] if "posts" in r else r["content"][2]
    rows = sorted(pages.items(), key=lambda kv: score(kv[1]))[:weakest]
    print(f"\nweakest {weakest} of {name} (post F1 for post gold, main-text F1 for WCXB):")
    for k, r in rows:
        rec = recs.get(k) or {}
        print(f"  {score(r):.3f}  {k[:52]:52} {rec.get('engine','-'):10} {rec.get('extractor','reject'):16} "
              f"{rec.get('extractor_confidence', 0):.2f} {len(rec.get('posts', []))} posts")
PY

echo
echo "normalised dates against the gold's calendar day (scripts/date_check.py):"
for name in html html-no-profiles text-lines text; do
    printf '  %-17s ' "$name"
    python3 "$repo/scripts/date_check.py" "$out/$name.jsonl" "$corpus/gold"
done

echo
echo "field audit (scripts/audit_records.py; authors the gold confirms are accounts):"
for name in html html-no-profiles text-lines text; do
    printf '  %-17s ' "$name"
    python3 "$repo/scripts/audit_records.py" --gold "$corpus/gold" "$out/$name.jsonl" | tail -1 || true
done
