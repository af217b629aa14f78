#!/usr/bin/env bash
# Whole-run throughput of `threadmill run` over corpus folders: MB/s and pages/s (total and
# per core), peak RSS, and the --jobs 1 → --jobs N scaling. A benchmark, not a test.
#
#   scripts/bench-run.sh [--runs N] [--jobs N] [CORPUS_DIR ...]
#
#   CORPUS_DIR  folders (or files) given to `threadmill run --input`. Default:
#               $THREADMILL_CORPUS/html and $THREADMILL_CORPUS/text, where THREADMILL_CORPUS
#               defaults to ../shared/corpus beside the checkout.
#   --runs N    timed runs per jobs value (default 5); medians are quoted.
#   --jobs N    the parallel jobs value (default: nproc).
#
# Runs are interleaved (1, N, 1, N, …) after one untimed warm-up of each, so machine noise
# hits both alike; the scaling is the median of the ratios of each (1, N) pair. Every --jobs N
# output is compared byte for byte with the --jobs 1 output.
# Needs: bash ≥ 5, python3, cargo; GNU time (/usr/bin/time) for peak RSS (apt-get install time).
set -euo pipefail
export LC_ALL=C

die() { echo "bench-run: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=5
jobs_n=$(nproc)
corpora=()
while (($#)); do
    case $1 in
        --runs) [[ $# -ge 2 ]] || die "--runs needs a value"; runs=$2; shift 2 ;;
        --runs=*) runs=${1#*=}; shift ;;
        --jobs) [[ $# -ge 2 ]] || die "--jobs needs a value"; jobs_n=$2; shift 2 ;;
        --jobs=*) jobs_n=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) corpora+=("$1"); shift ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ $jobs_n =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer, not '$jobs_n'"
if ((${#corpora[@]} == 0)); then
    base=${THREADMILL_CORPUS:-}
    if [[ -z $base || $base == skip ]]; then base=$repo/../shared/corpus; fi
    corpora=("$base/html" "$base/text")
fi
for i in "${!corpora[@]}"; do
    [[ -e ${corpora[$i]} ]] || die "corpus not found: ${corpora[$i]} (pass a folder, or set THREADMILL_CORPUS)"
    corpora[i]=$(cd "$(dirname "${corpora[$i]}")" && pwd)/$(basename "${corpora[$i]}")
done
command -v python3 >/dev/null || die "needs python3"

have_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
    have_time=1
else
    echo "bench-run: GNU time not found: peak RSS is not measured (Debian/Ubuntu: apt-get install time)" >&2
fi

echo "building threadmill (release)…" >&2
(cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
bin=$repo/target/release/threadmill
[[ -x $bin ]] || die "no binary at $bin"

work=$(mktemp -d "${TMPDIR:-/tmp}/threadmill-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
times=$work/times.tsv
: > "$times"

# One timed run: appends "corpus jobs kind round start end rss_kb cpu%" to $times.
one_run() {
    local idx=$1 input=$2 jobs=$3 kind=$4 round=$5 out=$6
    local log=$work/run.log t0 t1 rc=0 rss=-1 cpu=-1
    t0=$EPOCHREALTIME
    if ((have_time)); then
        /usr/bin/time -v -o "$work/time.txt" "$bin" run --input "$input" --output "$out" \
            --jobs "$jobs" 2> "$log" || rc=$?
    else
        "$bin" run --input "$input" --output "$out" --jobs "$jobs" 2> "$log" || rc=$?
    fi
    t1=$EPOCHREALTIME
    # 0: every input became a record; 1: some inputs were rejected (still a complete run).
    if ((rc > 1)); then
        tail -5 "$log" >&2
        die "threadmill run --input $input --jobs $jobs exited with $rc"
    fi
    if ((have_time)); then
        rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
        cpu=$(awk -F': ' '/Percent of CPU this job got/ {sub("%", "", $2); print $2}' "$work/time.txt")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$idx" "$jobs" "$kind" "$round" "$t0" "$t1" "$rss" "$cpu" >> "$times"
}

# Start-up cost: a run over an empty folder (the fixed cost in every figure below).
mkdir "$work/empty"
for ((r = 1; r <= runs; r++)); do
    one_run -1 "$work/empty" 1 empty "$r" "$work/empty.jsonl"
    rm -rf "$work"/empty.*
done

diffs=$work/diffs.tsv
: > "$diffs"
for idx in "${!corpora[@]}"; do
    input=${corpora[$idx]}
    echo "corpus $input: warm-up, then $runs × (--jobs 1, --jobs $jobs_n)…" >&2
    "$bin" run --input "$input" --output "$work/warm.jsonl" --jobs 1 2> /dev/null || true
    cp "$work/warm.report.json" "$work/report-$idx.json" 2> /dev/null || die "no report from the warm-up run on $input"
    if ((jobs_n > 1)); then
        "$bin" run --input "$input" --output "$work/warm.jsonl" --jobs "$jobs_n" 2> /dev/null || true
    fi
    rm -rf "$work"/warm.*
    for ((r = 1; r <= runs; r++)); do
        one_run "$idx" "$input" 1 run "$r" "$work/j1.jsonl"
        if ((r == 1)); then cp "$work/j1.jsonl" "$work/ref.jsonl"; fi
        same_1=yes
        cmp -s "$work/ref.jsonl" "$work/j1.jsonl" || same_1=no
        same_n=skip
        if ((jobs_n > 1)); then
            one_run "$idx" "$input" "$jobs_n" run "$r" "$work/jn.jsonl"
            same_n=yes
            cmp -s "$work/j1.jsonl" "$work/jn.jsonl" || same_n=no
        fi
        printf '%s\t%s\t%s\t%s\n' "$idx" "$r" "$same_1" "$same_n" >> "$diffs"
        rm -rf "$work"/j1.* "$work"/jn.*
    done
    rm -f "$work/ref.jsonl"
done

python3 - "$times" "$diffs" "$work" "$jobs_n" "$runs" "$have_time" "$repo" "${corpora[@]}" <<'PY'
import json, os, statistics, subprocess, sys

times, diffs, work, jobs_n, runs, have_time, repo = sys.argv[1:8]
corpora = sys.argv[8:]
jobs_n, runs, have_time = int(jobs_n), int(runs), have_time == "1"
rows = [l.rstrip("\n").split("\t") for l in open(times) if l.strip()]
med = statistics.median

def secs(idx, jobs):
    return [float(r[5]) - float(r[4]) for r in rows if r[0] == str(idx) and r[1] == str(jobs)]

def rss_mb(idx, jobs):
    v = [int(r[6]) for r in rows if r[0] == str(idx) and r[1] == str(jobs) and int(r[6]) >= 0]
    return f"{max(v) / 1024:.0f}" if v else "n/a"

def rev():
    try:
        return subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "?"

cpu = "?"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
psi = ""
try:  # the share of time runnable tasks waited for a CPU: how busy the other tenants are
    some = open("/proc/pressure/cpu").readline().split()
    psi = " | CPU pressure " + " ".join(x for x in some[1:3])
except OSError:
    pass
print(f"threadmill {rev()} | {os.cpu_count()} cores ({cpu}) | load {' '.join(load)}{psi} | "
      f"{runs} interleaved runs per jobs value, medians")
empty = secs(-1, 1)
startup = med(empty)
print(f"start-up (empty input, --jobs 1): {startup:.3f} s median, included in every time below "
      f"except 'net' (time minus start-up)")

def cpu(idx, jobs):
    v = [int(r[7]) for r in rows if r[0] == str(idx) and r[1] == str(jobs) and int(r[7]) >= 0]
    return f"{med(v)}%" if v else "n/a"

def net(mb, m, j):
    return f"{mb / (m - startup) / j:.2f}" if m > startup else "n/a"
same = [l.rstrip("\n").split("\t") for l in open(diffs) if l.strip()]
bad = False
for idx, corpus in enumerate(corpora):
    rep = json.load(open(os.path.join(work, f"report-{idx}.json")))
    mb = rep.get("bytes_in", 0) / 1e6
    pages = rep.get("inputs", 0)
    print()
    print(f"== {corpus}: {pages} pages, {mb:.2f} MB read ({rep.get('records', 0)} records, "
          f"{rep.get('rejects', 0)} rejected, {rep.get('posts', 0)} posts)")
    print(f"{'jobs':>4} {'median s':>9} {'min–max s':>15} {'MB/s':>8} {'MB/s/core':>10} "
          f"{'pages/s':>8} {'pages/s/core':>13} {'peak RSS MB':>12} {'CPU':>5} {'MB/s/core net':>14}")
    jobs_list = [1] + ([jobs_n] if jobs_n > 1 else [])
    for j in jobs_list:
        s = secs(idx, j)
        m = med(s)
        print(f"{j:>4} {m:>9.3f} {f'{min(s):.3f}–{max(s):.3f}':>15} {mb / m:>8.2f} {mb / m / j:>10.2f} "
              f"{pages / m:>8.1f} {pages / m / j:>13.1f} {rss_mb(idx, j):>12} {cpu(idx, j):>5} {net(mb, m, j):>14}")
    if jobs_n > 1:
        s1, sn = secs(idx, 1), secs(idx, jobs_n)
        paired = [a / b for a, b in zip(s1, sn)]
        sc = med(paired)
        print(f"scaling --jobs 1 → --jobs {jobs_n}: {sc:.2f}× (median of {len(paired)} paired "
              f"ratios, range {min(paired):.2f}–{max(paired):.2f}; {sc / jobs_n:.0%} efficiency); "
              f"ratio of medians {med(s1) / med(sn):.2f}×")
        rounds = [r for r in same if r[0] == str(idx)]
        ident = sum(1 for r in rounds if r[3] == "yes")
        stable = sum(1 for r in rounds if r[2] == "yes")
        verdict = "byte-identical" if ident == len(rounds) else "DIFFERENT"
        print(f"outputs --jobs 1 vs --jobs {jobs_n}: {verdict} ({ident}/{len(rounds)} rounds); "
              f"--jobs 1 repeated: {stable}/{len(rounds)} identical to the first")
        bad |= ident != len(rounds) or stable != len(rounds)
print()
print("CPU: median share of a core the run used (user+sys over wall; 100% = one busy core).")
print("net: MB/s per core with the start-up time taken out.")
if not have_time:
    print("\npeak RSS not measured: install GNU time (Debian/Ubuntu: apt-get install time)")
sys.exit(1 if bad else 0)
PY
