#!/usr/bin/env bash
# End-to-end test of sharded runs on a real, one-node Slurm cluster on 127.0.0.1:
# plan 4 shards over generated pages and an archive, submit the array with
# deploy/slurm/threadmill-array.sbatch, make one task fail once, resubmit just the missing
# index, merge with deploy/slurm/threadmill-merge.sbatch (afterok), and check that the
# merged records are byte-identical to a single-machine run of the same inputs, as JSONL
# and, merged again into a .parquet file, as Parquet.
#
# Needs root (it installs Debian's slurmd slurmctld slurm-client munge when missing and
# starts the daemons by hand: no systemd). It stops only the daemons it started, by pid.
#   THREADMILL=path/to/threadmill  (default: target/debug/threadmill, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARDS=4
FAIL_SHARD=2
WORK=$(mktemp -d /tmp/threadmill-slurm.XXXXXX)
T0=$EPOCHREALTIME
say() { printf '[slurm-e2e %6.1fs] %s\n' "$(echo "$EPOCHREALTIME - $T0" | bc)" "$*"; }
[ "$(id -u)" = 0 ] || { echo "slurm-e2e: needs root to install and start Slurm" >&2; exit 1; }

STARTED=()
teardown() {
    local rc=$?
    set +e
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
        local pid=${STARTED[$i]##*:}
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
    done
    if [ "$rc" != 0 ]; then
        echo "--- slurm logs" >&2
        tail -n 30 "$WORK"/log/* >&2 2>/dev/null
    fi
    rm -rf "$WORK"
    say "done, exit $rc"
    exit "$rc"
}
trap teardown EXIT INT TERM

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v bc >/dev/null; then
    say "installing slurmd slurmctld slurm-client munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends slurmd slurmctld slurm-client munge bc >/dev/null
fi
THREADMILL=${THREADMILL:-$ROOT/target/debug/threadmill}
[ -x "$THREADMILL" ] || cargo build --quiet --bin threadmill

# Inputs: the bundled sample and fixtures, 24 numbered variants of the sample, and a tar
# archive of 12 more, so shards get whole files and archive members alike.
mkdir -p "$WORK"/{in,etc,state,spool,log,run}
cp -r "$ROOT/data" "$ROOT/tests/fixtures" "$WORK/in/"
mkdir -p "$WORK/in/generated" "$WORK/tarred"
for i in $(seq -w 1 36); do
    { printf 'Generated thread %s\n\n' "$i"; cat "$ROOT/data/phpbb-nl-kim-putin.txt"; } > "$WORK/tarred/page-$i.txt"
done
mv "$WORK"/tarred/page-0*.txt "$WORK"/tarred/page-1*.txt "$WORK"/tarred/page-20.txt "$WORK"/tarred/page-21.txt \
   "$WORK"/tarred/page-22.txt "$WORK"/tarred/page-23.txt "$WORK"/tarred/page-24.txt "$WORK/in/generated/"
tar -C "$WORK/tarred" -cf "$WORK/in/archive.tar" .

# The single-machine reference run.
"$THREADMILL" run --input "$WORK/in" --output "$WORK/single.jsonl" --jobs 2 2>/dev/null || [ $? = 1 ]
"$THREADMILL" run --input "$WORK/in" --output "$WORK/single.parquet" --jobs 2 2>/dev/null || [ $? = 1 ]
PLAN=$WORK/plan
"$THREADMILL" plan --input "$WORK/in" --shards "$SHARDS" --out "$PLAN" | sed 's/^/    /'

# A one-node cluster (see ../shared/reference for the recipe's pitfalls: short host name
# with 127.0.0.1, proctrack/linuxproc, cons_tres so tasks run side by side).
NODE=$(hostname -s)
export SLURM_CONF=$WORK/etc/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=threadmill-ci
SlurmctldHost=${NODE}(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$(awk '/MemTotal/{printf "%d", $2/1024*0.8}' /proc/meminfo) State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

if ! (munge -n 2>/dev/null | unmunge >/dev/null 2>&1); then
    [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null \
        || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge && chown munge:munge /run/munge
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    STARTED+=("munged:$(cat /run/munge/munged.pid)")
fi
/usr/sbin/slurmctld -f "$SLURM_CONF"
for _ in $(seq 100); do [ -s "$WORK/run/slurmctld.pid" ] && break; sleep 0.1; done
STARTED+=("slurmctld:$(cat "$WORK/run/slurmctld.pid")")
/usr/sbin/slurmd -f "$SLURM_CONF" -N "$NODE"
for _ in $(seq 100); do [ -s "$WORK/run/slurmd.pid" ] && break; sleep 0.1; done
STARTED+=("slurmd:$(cat "$WORK/run/slurmd.pid")")
for i in $(seq 150); do
    [ "$(sinfo -h -n "$NODE" -o %T 2>/dev/null)" = idle ] && break
    [ "$i" = 150 ] && { echo "slurm-e2e: node never became idle" >&2; exit 1; }
    sleep 0.2
done
say "cluster up: $(sinfo -h -o '%P %D %T %N')"

# The task that fails once: a wrapper in front of threadmill, so the deploy scripts stay
# exactly what a user runs.
cat > "$WORK/flaky-threadmill" <<WRAP
#!/bin/bash
if [ "\$SLURM_ARRAY_TASK_ID" = "$FAIL_SHARD" ] && [ ! -e "$WORK/failed-once" ]; then
    touch "$WORK/failed-once"; echo "injected failure" >&2; exit 3
fi
exec "$THREADMILL" "\$@"
WRAP
chmod +x "$WORK/flaky-threadmill"

wait_for() {  # $1 job id: waits until it leaves the queue; prints its highest exit code
    while squeue -h -j "$1" -o %i 2>/dev/null | grep -q .; do sleep 0.5; done
    local rc
    rc=$(scontrol -o show job "$1" 2>/dev/null | grep -o ' ExitCode=[0-9]*' | cut -d= -f2 | sort -n | tail -1)
    echo "${rc:-0}"
}
submit() {  # $1 array spec
    sbatch --parsable --array="$1" --chdir="$WORK" --output="$WORK/log/task-%A_%a.out" \
        --export=ALL,PLAN="$PLAN",THREADMILL="$WORK/flaky-threadmill" "$ROOT/deploy/slurm/threadmill-array.sbatch"
}

array=$(submit "0-$((SHARDS - 1))")
say "array $array submitted"
rc=$(wait_for "$array")
say "array $array ended, highest exit code $rc"
[ "$rc" != 0 ] || { echo "slurm-e2e: the injected failure did not happen" >&2; exit 1; }

missing=$("$THREADMILL" merge "$PLAN" 2>&1 | grep -o 'resubmit array indices [0-9,]*' | awk '{print $4}') || true
[ "$missing" = "$FAIL_SHARD" ] || { echo "slurm-e2e: expected shard $FAIL_SHARD missing, merge said '$missing'" >&2; exit 1; }
say "merge names the missing index: $missing; resubmitting only it"
retry=$(submit "$missing")
merge=$(sbatch --parsable --dependency=afterok:"$retry" --chdir="$WORK" --output="$WORK/log/merge-%j.out" \
    --export=ALL,PLAN="$PLAN",THREADMILL="$THREADMILL",CONCAT="$WORK/merged.jsonl" "$ROOT/deploy/slurm/threadmill-merge.sbatch")
[ "$(wait_for "$retry")" = 0 ] || { echo "slurm-e2e: the resubmitted shard failed" >&2; exit 1; }
[ "$(wait_for "$merge")" = 0 ] || { echo "slurm-e2e: the merge job failed" >&2; cat "$WORK"/log/merge-*.out >&2; exit 1; }

[ -e "$PLAN/_SUCCESS" ] || { echo "slurm-e2e: no _SUCCESS" >&2; exit 1; }
cmp "$WORK/single.jsonl" "$WORK/merged.jsonl" || { echo "slurm-e2e: merged records differ from the single run" >&2; exit 1; }
rows=$(wc -l < "$WORK/merged.jsonl")

# The same parts merged into Parquet by the same merge script.
parquet=$(sbatch --parsable --chdir="$WORK" --output="$WORK/log/merge-%j.out" \
    --export=ALL,PLAN="$PLAN",THREADMILL="$THREADMILL",CONCAT="$WORK/merged.parquet" "$ROOT/deploy/slurm/threadmill-merge.sbatch")
[ "$(wait_for "$parquet")" = 0 ] || { echo "slurm-e2e: the Parquet merge job failed" >&2; cat "$WORK"/log/merge-*.out >&2; exit 1; }
cmp "$WORK/single.parquet" "$WORK/merged.parquet" || { echo "slurm-e2e: the merged Parquet file differs from the single run's" >&2; exit 1; }
say "PASS: $SHARDS shards, one retried, $rows records byte-identical to a single-machine run (JSONL and Parquet)"
echo "slurm-e2e: 1 passed, 0 failed"
