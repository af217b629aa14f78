#!/usr/bin/env bash
# threadmill side by side with the extractors users know, on the same HTML pages in one
# session: seconds, MB/s, threadmill's throughput ratio to each, and each one's accuracy from
# ../shared/tools/score_posts.py. A benchmark, not a test.
#
#   scripts/side-by-side.sh [--pages N] [--runs N] [--harvest-runs N] [--page-timeout S]
#
#   --pages N          only the first N pages (pages with gold posts first); default: all.
#                      Harvest takes ~2 s per 100 KB page, so the whole corpus costs minutes.
#   --runs N           rounds for threadmill, trafilatura and resiliparse (default 3; medians)
#   --harvest-runs N   rounds that include Harvest (default 1; 0 leaves it out)
#   --page-timeout S   Harvest's limit per page, in seconds (default 120; 0: none)
#
# Pages: $THREADMILL_CORPUS/html (default ../shared/corpus/html beside the checkout), gold:
# $THREADMILL_CORPUS/gold. Tools, in one process each over every page: threadmill (release,
# --jobs 1 and --jobs nproc), trafilatura (extract(), main text), resiliparse (main-content
# plain text), Harvest (harvest-webforum's extract_data(), posts with user and date). They are
# pip-installed into target/bench-venv (made once, then reused); a tool that cannot be
# installed is reported in the table instead of failing it. Needs: python3 with venv, cargo.
set -euo pipefail
export LC_ALL=C

die() { echo "side-by-side: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
posint() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 must be a non-negative integer, not '$2'"; }

repo=$(cd "$(dirname "$0")/.." && pwd)
pages=0
runs=3
harvest_runs=1
page_timeout=120
while (($#)); do
    case $1 in
        --pages | --runs | --harvest-runs | --page-timeout)
            [[ $# -ge 2 ]] || die "$1 needs a value"
            posint "$1" "$2"
            case $1 in
                --pages) pages=$2 ;;
                --runs) runs=$2 ;;
                --harvest-runs) harvest_runs=$2 ;;
                --page-timeout) page_timeout=$2 ;;
            esac
            shift 2
            ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
((runs >= 1)) || die "--runs must be at least 1"
((harvest_runs <= runs)) || runs=$harvest_runs

corpus=${THREADMILL_CORPUS:-}
if [[ -z $corpus || $corpus == skip ]]; then corpus=$repo/../shared/corpus; fi
[[ -d $corpus ]] || die "corpus not found: $corpus (set THREADMILL_CORPUS)"
corpus=$(cd "$corpus" && pwd)
html=$corpus/html
gold=$corpus/gold
scorer=$corpus/../tools/score_posts.py
for p in "$html" "$gold" "$scorer"; do [[ -e $p ]] || die "not found: $p"; done
command -v python3 > /dev/null || die "needs python3"
helper=$repo/scripts/side_by_side.py
jobs_n=$(nproc)

work=$(mktemp -d "${TMPDIR:-/tmp}/threadmill-sbs.XXXXXX")
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv

# --- the Python tools, in a venv under target/ (reused when present) ---
venv=$repo/target/bench-venv
declare -A missing=()
if [[ ! -x $venv/bin/python ]]; then
    echo "creating $venv…" >&2
    python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    "$venv/bin/python" -m pip install -q --upgrade pip > /dev/null 2>&1 || true
fi
install() { # install NAME PIP_PACKAGE IMPORT
    if "$venv/bin/python" -c "import $3" 2> /dev/null; then return; fi
    echo "pip install $2…" >&2
    if ! "$venv/bin/python" -m pip install -q "$2" > "$work/pip-$1.log" 2>&1 ||
        ! "$venv/bin/python" -c "import $3" 2> /dev/null; then
        missing[$1]="pip install $2 failed: $(grep -v '^\s*$' "$work/pip-$1.log" | tail -1 | cut -c1-120)"
        echo "side-by-side: ${missing[$1]}" >&2
    fi
}
install trafilatura trafilatura trafilatura
install resiliparse resiliparse resiliparse.extract.html2text
install harvest harvest-webforum harvest
version() { "$venv/bin/python" -m pip show "$1" 2> /dev/null | awk '/^Version:/ {print $2}'; }

echo "building threadmill (release)…" >&2
(cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
bin=$repo/target/release/threadmill

# --- the pages, and the gold of those pages only ---
IFS=$'\t' read -r npages nbytes ngold < <(python3 "$helper" pages "$html" "$gold" "$pages" \
    "$work/pages.txt" "$work/gold")
((npages > 0)) || die "no HTML pages in $html"
export SBS_GOLD=$gold
printf '#pages\t%s\t%s\t%s\t%s\n' "$npages" "$nbytes" "$ngold" "$jobs_n" > "$results"
mapfile -t page_list < "$work/pages.txt"
inputs=()
for p in "${page_list[@]}"; do inputs+=(--input "$p"); done
echo "$npages pages ($((nbytes / 1000)) KB, $ngold with gold posts); $runs rounds, Harvest in $harvest_runs" >&2

declare -A secs=()
add() { secs[$1]+="${secs[$1]:+,}$2"; }

run_threadmill() { # jobs
    local out=$work/threadmill-j$1.jsonl t0 t1 rc=0
    rm -rf "$work/threadmill-j$1".*
    t0=$EPOCHREALTIME
    "$bin" run "${inputs[@]}" --output "$out" --jobs "$1" 2> "$work/threadmill.log" || rc=$?
    t1=$EPOCHREALTIME
    if ((rc > 1)); then
        tail -3 "$work/threadmill.log" >&2
        die "threadmill exited with $rc"
    fi
    add "threadmill --jobs $1" "$(python3 -c "print(f'{$t1 - $t0:.6f}')")"
}

declare -A trouble=()
run_python() { # tool
    local line rc=0
    line=$("$venv/bin/python" "$helper" run "$1" "$work/pages.txt" "$work/$1.jsonl" \
        "$page_timeout" 2> "$work/$1.log") || rc=$?
    if ((rc != 0)); then
        missing[$1]="failed (exit $rc): $(tail -1 "$work/$1.log" | cut -c1-120)"
        echo "side-by-side: $1 ${missing[$1]}" >&2
        return
    fi
    IFS=$'\t' read -r s errors timeouts <<< "$line"
    add "$1" "$s"
    if ((errors + timeouts > 0)); then
        trouble[$1]="$errors pages raised an error, $timeouts hit the ${page_timeout}s limit (scored as empty)"
    fi
}

for ((r = 1; r <= runs; r++)); do
    echo "round $r/$runs…" >&2
    run_threadmill 1
    ((jobs_n > 1)) && run_threadmill "$jobs_n"
    for tool in trafilatura resiliparse harvest; do
        [[ -n ${missing[$tool]:-} ]] && continue
        [[ $tool == harvest ]] && ((r > harvest_runs)) && continue
        run_python "$tool"
    done
done

# --- score and tabulate ---
score() { # out.jsonl
    python3 "$scorer" "$1" "$work/gold" --json 2> /dev/null |
        python3 -c 'import json,sys; print(json.dumps({"summary": json.load(sys.stdin)["summary"]}))' ||
        echo "NA:scorer failed"
}
row() { # name file note
    local sc="NA:no output"
    [[ -f $2 ]] && sc=$(score "$2")
    printf '%s\t%s\t%s\t%s\n' "$1" "${secs[$1]:-}" "$sc" "$3" >> "$results"
}
row "threadmill --jobs 1" "$work/threadmill-j1.jsonl" "$("$bin" --version 2> /dev/null || true)"
((jobs_n > 1)) && row "threadmill --jobs $jobs_n" "$work/threadmill-j$jobs_n.jsonl" ""
for tool in trafilatura resiliparse harvest; do
    pkg=$tool
    [[ $tool == harvest ]] && pkg=harvest-webforum
    if [[ -n ${missing[$tool]:-} ]]; then
        printf '%s\t\tNA\t%s\n' "$tool" "${missing[$tool]}" >> "$results"
        continue
    fi
    if [[ $tool == harvest && $harvest_runs -eq 0 ]]; then
        printf '%s\t\tNA\t%s\n' "$tool" "left out (--harvest-runs 0)" >> "$results"
        continue
    fi
    note="$pkg $(version "$pkg")"
    [[ -n ${trouble[$tool]:-} ]] && note+="; ${trouble[$tool]}"
    row "$tool" "$work/$tool.jsonl" "$note"
done
echo
psi=$(head -1 /proc/pressure/cpu 2> /dev/null | cut -d' ' -f2,3 || true)
echo "side by side on $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)${psi:+, CPU pressure $psi}"
python3 "$helper" table "$results"
if ((pages > 0)); then
    echo "capped with --pages $pages: not the whole corpus"
fi
