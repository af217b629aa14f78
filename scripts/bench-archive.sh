#!/usr/bin/env bash
# Peak memory and throughput on a generated .tar.zst of forum pages, to show that memory
# stays flat however large the archive is. A benchmark, not a test.
#
#   scripts/bench-archive.sh [SIZE_MB ...]      (default: 100 400 2000)
#
# The pages are the bundled sample and the project's own fixtures with a numbered title
# line, so every page differs. Needs: zstd, GNU time (/usr/bin/time), a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/threadmill
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

mapfile -t templates < <(ls data/*.txt tests/fixtures/text/*.txt)
for size in "${@:-100 400 2000}"; do
    archive="$work/pages-${size}MB.tar.zst"
    python3 - "$size" "$archive.tar" "${templates[@]}" <<'PY'
import io, sys, tarfile
size_mb, out, templates = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
bodies = [open(t, "rb").read() for t in templates]
target, written, n = size_mb * 1_000_000, 0, 0
with tarfile.open(out, "w") as tar:
    while written < target:
        body = b"Thread %d\n\n" % n + bodies[n % len(bodies)]
        info = tarfile.TarInfo(f"pages/{n // 1000:05d}/{n:08d}.txt")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        written += len(body)
        n += 1
print(f"{n} pages, {written / 1e6:.0f} MB", file=sys.stderr)
PY
    zstd -q -T0 --rm "$archive.tar" -o "$archive"
    out="$work/out-$size.jsonl.zst"
    /usr/bin/time -v "$bin" run --input "$archive" --output "$out" 2> "$work/time-$size.txt" || true
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$size.txt")
    summary=$(grep '^threadmill:' "$work/time-$size.txt" | tail -1)
    printf '%6s MB archive content: peak RSS %d MB | %s\n' "$size" $((rss / 1024)) "$summary"
    rm -f "$archive" "$out"
done
