#!/usr/bin/env bash
# Peak memory and wall time of threadmill on the hostile inputs of issue #19, generated
# here (nothing from ../shared): a .tar.gz whose GNU long-name header claims 1 GiB, a
# .jsonl.gz with one 2 GiB line, .warc.gz and .jsonl.gz at 1000:1, a .warc.gz of ten
# 30 MB pages, and three 1 MiB lines of quotes and stops (page_seconds = 5, --jobs 2).
# Each case must stay under 300 MB peak RSS, except the 30 MB pages, which need about
# 16 times their size each and must stay within the default max_memory (1 GiB).
#
#   cargo build --release && scripts/bench-hostile.sh [CASE...]
set -euo pipefail
bin=${THREADMILL:-$(dirname "$0")/../target/release/threadmill}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

all_cases="tar-long-name jsonl-long-line ratio-warc ratio-jsonl warc-big-pages quote-lines"
cases=${*:-$all_cases}

python3 - "$work" $cases <<'PY'
import gzip, json, os, random, sys, tarfile
work, wanted = sys.argv[1], set(sys.argv[2:])
def case(name):
    d = os.path.join(work, name, "in"); os.makedirs(d); return d
if "tar-long-name" in wanted:
    # A GNU long-name header claiming 1 GiB, its data one byte repeated (about 1000:1).
    d = case("tar-long-name")
    with gzip.open(os.path.join(d, "forged.tar.gz"), "wb", compresslevel=9) as f:
        h = tarfile.TarInfo("././@LongLink"); h.type = tarfile.GNUTYPE_LONGNAME; h.size = 1 << 30
        f.write(h.tobuf(format=tarfile.GNU_FORMAT))
        for _ in range(1024): f.write(b"a" * (1 << 20))
        f.write(b"\0" * 1024)
if "jsonl-long-line" in wanted:
    d = case("jsonl-long-line")
    with gzip.open(os.path.join(d, "long.jsonl.gz"), "wb", compresslevel=9) as f:
        f.write(b'{"text": "')
        for _ in range(2048): f.write(b"a" * (1 << 20))
        f.write(b'"}\n')
if "ratio-warc" in wanted:
    d = case("ratio-warc")
    with gzip.open(os.path.join(d, "bomb.warc.gz"), "wb", compresslevel=9) as f:
        html = ("<html><body>" + "a" * (600 << 20) + "</body></html>").encode()
        f.write(b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(html))
        f.write(html); f.write(b"\r\n\r\n")
if "ratio-jsonl" in wanted:
    d = case("ratio-jsonl")
    with gzip.open(os.path.join(d, "bomb.jsonl.gz"), "wb", compresslevel=9) as f:
        line = (json.dumps({"text": "a " * (1 << 19)}) + "\n").encode()
        for _ in range(600): f.write(line)
if "warc-big-pages" in wanted:
    # Ten 30 MB pages in one .warc.gz.
    d = case("warc-big-pages")
    random.seed(7)
    words = ["forum", "post", "quote", "said", "\"yes\"", "(no)", "reply", "thread"]
    text = " ".join(random.choice(words) for _ in range(400_000))
    with gzip.open(os.path.join(d, "big.warc.gz"), "wb", compresslevel=6) as f:
        for k in range(10):
            body = ("<html><body><p>page %d " % k + text * 10 + "</p></body></html>").encode()[: 30 << 20]
            f.write(b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:p%d>\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % (k, len(body)))
            f.write(body); f.write(b"\r\n\r\n")
if "quote-lines" in wanted:
    # The sentence splitter's worst case.
    d = case("quote-lines")
    for k in range(3):
        random.seed(100 + k)
        with open(os.path.join(d, f"p{k}.txt"), "w") as f:
            f.write("".join(random.choice("aA1 .:/-@\"'(),") for _ in range(1 << 20)) + "\n")
PY

printf '[input]\npage_seconds = 5\n' > "$work/p5.toml"
printf '%-16s %8s %10s %6s\n' case seconds peak_MB exit
fail=0
for case in $cases; do
  set +e
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" run --pipeline "$work/p5.toml" --jobs 2 \
    --input "$work/$case/in" --output "$work/$case/out/o.jsonl" 2>/dev/null
  code=$?
  set -e
  read -r seconds kb < <(tail -n 1 "$work/time")
  mb=$((kb / 1024))
  printf '%-16s %8s %10s %6s\n' "$case" "$seconds" "$mb" "$code"
  limit=300
  if [ "$case" = warc-big-pages ]; then limit=1024; fi
  if [ "$mb" -ge "$limit" ]; then fail=1; fi
done
exit $fail
