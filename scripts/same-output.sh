#!/usr/bin/env bash
# Proof that a change is a reshaping: the records and rejects of a base revision and of the
# working tree, byte for byte, on every dev corpus, with the engine profiles on and off.
# Exits 0 when every output is identical, 1 when one differs (and shows the first
# difference), 2 on a usage or build error.
#
#   scripts/same-output.sh [--base REV | --base-bin PATH] [--out DIR]
#
#   --base REV       the revision to compare with (default HEAD): built in a git worktree
#                    under DIR with its own target folder, so the working tree's build is
#                    untouched
#   --base-bin PATH  a threadmill binary already built from the base, instead of --base
#   --out DIR        where both builds and outputs go (default target/same-output)
#
# Corpora: data/ (the bundled sample), and under THREADMILL_CORPUS (default ../shared/corpus
# beside the checkout) html/, text/, text-lines/ and articles/html/ where present. Each is run
# with the default pipeline and with pipelines/no-profiles.toml, at a fixed --now, so that
# the outputs depend on the code alone. Needs: git, cargo, cmp.
set -euo pipefail
export LC_ALL=C

die() { echo "same-output: $*" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${THREADMILL_CORPUS:-$(cd "$repo/.." && pwd)/shared/corpus}
base=HEAD
base_bin=
out="$repo/target/same-output"
while (($#)); do
    case $1 in
        --base) [[ $# -ge 2 ]] || die "--base needs a revision"; base=$2; shift 2 ;;
        --base-bin) [[ $# -ge 2 ]] || die "--base-bin needs a path"; base_bin=$2; shift 2 ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a folder"; out=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [[ -n $base_bin ]]; then
    [[ -x $base_bin ]] || die "no binary at $base_bin"
else
    # The base is built once per revision: its binary is kept under the revision's hash.
    rev=$(git -C "$repo" rev-parse --verify "$base^{commit}") || die "no revision $base"
    base_bin="$out/bin-$rev"
fi
if [[ ! -x $base_bin ]]; then
    tree="$out/tree"
    git -C "$repo" worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
    git -C "$repo" worktree add --detach --quiet "$tree" "$rev" || die "cannot check out $rev"
    (cd "$tree" && CARGO_TARGET_DIR="$out/target" cargo build --release --quiet) ||
        die "the base $rev does not build"
    cp "$out/target/release/threadmill" "$base_bin"
    git -C "$repo" worktree remove --force "$tree"
fi
(cd "$repo" && cargo build --release --quiet) || die "the working tree does not build"
new_bin="$repo/target/release/threadmill"

inputs=("data=$repo/data")
for set in html text text-lines articles/html; do
    [[ -d $corpus/$set ]] && inputs+=("${set//\//-}=$corpus/$set")
done

status=0
for entry in "${inputs[@]}"; do
    name=${entry%%=*}
    input=${entry#*=}
    for pipeline in default no-profiles; do
        flags=(--input "$input" --jobs "$(nproc)" --now 2026-01-01T00:00:00Z --allow-empty)
        [[ $pipeline == no-profiles ]] && flags+=(--pipeline "$repo/pipelines/no-profiles.toml")
        for side in base new; do
            bin=$base_bin
            [[ $side == new ]] && bin=$new_bin
            rm -f "$out/$side-$name-$pipeline".*
            "$bin" run "${flags[@]}" --output "$out/$side-$name-$pipeline.jsonl" \
                2>"$out/$side-$name-$pipeline.log" || true
        done
        for kind in jsonl rejects.jsonl; do
            a="$out/base-$name-$pipeline.$kind"
            b="$out/new-$name-$pipeline.$kind"
            [[ -e $a || -e $b ]] || continue
            if cmp -s "$a" "$b"; then
                printf 'same     %-28s %s\n' "$name/$pipeline" "$kind"
            else
                printf 'DIFFERS  %-28s %s\n' "$name/$pipeline" "$kind"
                cmp "$a" "$b" 2>&1 | head -1 || true
                status=1
            fi
        done
    done
done
exit $status
