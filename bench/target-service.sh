#!/usr/bin/env bash
# Benchmarks the target-service against a bare node:http server, side by side in one run:
#   1. single-event RPS, target-service vs bare server (wrk, closed loop)   → ratio, goal ≥ 0.8
#   2. batch-100 events/s of the target-service (wrk, only 202s counted)   → goal ≥ 300K
#   3. latency at a fixed 10K RPS, target vs bare (bench/fixed-rate, open loop) → p95
#   4. --workers 2 vs --workers 1, single-event RPS                        → ratio
#   5. server CPU per request / per event at a fixed rate, loadctl's native engine as the client
#      (single and batch-100; the target's store work counted until its buffer is empty) → bare ÷ target
# Servers run on core 0 (taskset), the load generator on core 1. Each measured run gets a fresh
# server and a fresh store directory, is preceded by a warm-up, and variants alternate (A B, B A, …);
# the summary reports medians. Everything talks to 127.0.0.1 only.
#
# Knobs (environment): BENCH_DURATION (s per measured run, 10), BENCH_WARMUP (s, 2), BENCH_ROUNDS (3),
# BENCH_CONNECTIONS (wrk connections, 64), BENCH_RATE (fixed rate, 10000),
# BENCH_BATCH_BUFFER (--buffer-capacity for the batch runs, 2000000), BENCH_ONLY (e.g. "single,batch"),
# BENCH_NATIVE_RATE / BENCH_NATIVE_BATCH_RATE (scenario 5's fixed rates, 10000 single / 500 batch-100 req/s),
# BENCH_TARGET_FLAGS (extra `target start` flags for every target run, e.g. "--flush-batch-size 5000"),
# BENCH_KEEP=1 (keep the work dir: server logs, payloads, results.tsv),
# BENCH_BASELINE=<commit> (also run that commit's target-service in scenarios 1 and 2, as a third variant
# "before", so a change is measured before and after in one run; it is extracted with `git archive`
# and built under $TMPDIR/loadctl-baseline-<sha>, reusing this checkout's node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
RATE=${BENCH_RATE:-10000}
BATCH_BUFFER=${BENCH_BATCH_BUFFER:-2000000}
NATIVE_RATE=${BENCH_NATIVE_RATE:-10000}
NATIVE_BATCH_RATE=${BENCH_NATIVE_BATCH_RATE:-500}
ONLY=${BENCH_ONLY:-single,batch,latency,workers,native}
BASELINE=${BENCH_BASELINE:-}
read -r -a EXTRA_TARGET_FLAGS <<<"${BENCH_TARGET_FLAGS:-}"
SERVER_CPU=0
LOAD_CPU=1

log() { printf '%s\n' "$*" >&2; }
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# --- prerequisites -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "wrk not found: installing it (apt-get install -y wrk)"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >&2; else sudo apt-get install -y wrk >&2; fi
fi
if [[ $(nproc) -lt 2 ]]; then log "need 2 cores (server on core 0, load on core 1); this machine has $(nproc)"; exit 1; fi

stale=no
for built in dist/src/cli.js dist/bench/make-payloads.js dist/bench/bare-server.js dist/bench/fixed-rate.js; do
  [[ -f $built ]] || stale=yes
done
if [[ $stale == no && -n $(find src target-service/src bench -name '*.ts' -newer dist/src/cli.js -print -quit) ]]; then stale=yes; fi
if [[ $stale == yes ]]; then
  log "building (npx tsc -p .)"
  npx tsc -p .
fi

# The baseline commit's own build, for the "before" variant.
BASELINE_CLI=""
if [[ -n $BASELINE ]]; then
  sha=$(git rev-parse --short "$BASELINE^{commit}")
  base_dir=${TMPDIR:-/tmp}/loadctl-baseline-$sha
  if [[ ! -f $base_dir/dist/src/cli.js ]]; then
    log "building the baseline $sha in $base_dir (git archive + tsc)"
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git archive "$sha" | tar -x -C "$base_dir"
    ln -s "$PWD/node_modules" "$base_dir/node_modules"
    # tsc emits even when files unrelated to the service fail to type-check at that commit.
    (cd "$base_dir" && npx tsc -p . >/dev/null 2>&1) || true
  fi
  [[ -f $base_dir/dist/src/cli.js ]] || { log "could not build the baseline $sha in $base_dir"; exit 1; }
  BASELINE_CLI=$base_dir/dist/src/cli.js
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/loadctl-bench.XXXXXX")
RESULTS=$WORK/results.tsv
: >"$RESULTS"
SERVER_PID=""

# stop_server [GRACE_SECONDS=40] — SIGTERM to the server process itself (a cluster primary forwards it
# to its workers), wait for the drain, then SIGKILL its whole process group if it is still there.
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  local pid=$SERVER_PID grace=${1:-40}
  SERVER_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "    server $pid had not exited ${grace} s after SIGTERM: killed its process group"
    kill -KILL -- "-$pid" 2>/dev/null || true
    STUCK_STOPS=$((STUCK_STOPS + 1))
  fi
  wait "$pid" 2>/dev/null || true
}
STUCK_STOPS=0
cleanup() {
  stop_server
  if [[ -n ${BENCH_KEEP:-} ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# cpu_busy — busy share of cores 0 and 1 over one second, before any bench process runs: other work on
# this machine (tests, builds) skews every number, so it is printed with the results.
cpu_busy() {
  local a b
  a=$(grep -E '^cpu[01] ' /proc/stat)
  sleep 1
  b=$(grep -E '^cpu[01] ' /proc/stat)
  paste <(echo "$a") <(echo "$b") | awk '{
    n = (NF - 2) / 2; tb = 0; ta = 0
    for (i = 2; i <= n + 1; i++) { ta += $i; tb += $(i + n + 1) }
    ia = $5 + $6; ib = $(5 + n + 1) + $(6 + n + 1)
    printf "%s %.0f%%  ", $1, ((tb - ta) - (ib - ia)) * 100 / ((tb - ta) > 0 ? (tb - ta) : 1)
  }'
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# start_server NAME CPUS CMD… — runs CMD in its own process group on CPUS, waits for "listening on".
# Sets SERVER_PID, SERVER_URL (the POST URL) and METRICS_URL (empty for the bare server).
start_server() {
  local name=$1 cpus=$2
  shift 2
  local out=$WORK/$name.log
  setsid taskset -c "$cpus" "$@" >"$out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if grep -q 'listening on' "$out"; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server $name exited before listening:"
      cat "$out" >&2
      exit 1
    fi
    sleep 0.1
  done
  grep -q 'listening on' "$out" || { log "server $name did not start in 20 s"; cat "$out" >&2; exit 1; }
  SERVER_URL="$(grep -o 'listening on http://[^ ]*' "$out" | head -1 | cut -d' ' -f3)/v1/events"
  METRICS_URL=$(grep -o 'metrics http://[^ ]*' "$out" | head -1 | cut -d' ' -f2 || true)
}

# start_target NAME CPUS [extra target flags…] — this checkout's target-service (TARGET_CLI overrides).
start_target() {
  local name=$1 cpus=$2
  shift 2
  local port
  port=$(free_port)
  start_server "$name" "$cpus" node "${TARGET_CLI:-dist/src/cli.js}" target start --port "$port" --metrics-port 0 \
    --store "$WORK/store-$name" "$@" "${EXTRA_TARGET_FLAGS[@]}"
}

# start_variant VARIANT NAME [extra target flags…] — target (this checkout), before (the baseline) or bare, on the server core.
start_variant() {
  local variant=$1 name=$2
  shift 2
  case $variant in
    target) start_target "$name" "$SERVER_CPU" "$@" ;;
    before) TARGET_CLI=$BASELINE_CLI start_target "$name" "$SERVER_CPU" "$@" ;;
    bare) start_bare "$name" ;;
  esac
}

start_bare() {
  local name=$1
  start_server "$name" "$SERVER_CPU" node dist/bench/bare-server.js "$(free_port)"
}

# metric NAME — sum of a Prometheus series of the running target-service (0 if absent).
metric() {
  curl -s --max-time 5 "$METRICS_URL" | awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $2 } END { printf "%d\n", sum }'
}

# run_wrk PAYLOAD — warm-up, then the measured run; prints the WRK_RESULT key=value pairs.
run_wrk() {
  local payload=$1
  # Distinct run tags: the measured run never resends an event_id of the warm-up.
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/post-rotating.lua "$SERVER_URL" -- "$payload" w >/dev/null
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/post-rotating.lua "$SERVER_URL" -- "$payload" m |
    grep '^WRK_RESULT' | cut -d' ' -f2-
}

# field KEY KV-LINE
field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# record_wrk SCENARIO VARIANT ROUND WRK-KV [EVENTS_PER_REQUEST] — appends to results.tsv:
# scenario variant round requests/s accepted-events/s non-202 429s p95-ms socket-errors timeouts
record_wrk() {
  local scenario=$1 variant=$2 round=$3 kv=$4 mult=${5:-1}
  local dur req ok non202 s429 p95 serr tout
  dur=$(field duration_us "$kv"); req=$(field requests "$kv"); ok=$(field status_202 "$kv")
  non202=$(field non_202 "$kv"); s429=$(field status_429 "$kv"); p95=$(field p95_us "$kv")
  serr=$(field socket_errors "$kv"); tout=$(field timeouts "$kv")
  awk -v s="$scenario" -v v="$variant" -v r="$round" -v req="$req" -v ok="$ok" -v d="$dur" -v m="$mult" \
    -v n="$non202" -v t="$s429" -v p="$p95" -v e="$serr" -v o="$tout" \
    'BEGIN { printf "%s\t%s\t%s\t%.0f\t%.0f\t%d\t%d\t%.2f\t%d\t%d\n", s, v, r, req / (d / 1e6), ok * m / (d / 1e6), n, t, p / 1000, e, o }' >>"$RESULTS"
  awk -v req="$req" -v ok="$ok" -v d="$dur" -v m="$mult" -v n="$non202" -v t="$s429" -v e="$serr" -v o="$tout" -v label="$scenario/$variant #$round" \
    'BEGIN { printf "  %-28s %8.0f req/s  %9.0f accepted/s  non-202 %d (429: %d)  socket errors %d  timeouts (>2 s) %d\n", label, req / (d / 1e6), ok * m / (d / 1e6), n, t, e, o }' >&2
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# col SCENARIO VARIANT COLUMN — the values of one column of results.tsv (1-based).
col() { awk -F'\t' -v s="$1" -v v="$2" -v c="$3" '$1 == s && $2 == v { print $c }' "$RESULTS"; }
med() { col "$1" "$2" "$3" | median; }
sum() { col "$1" "$2" "$3" | awk '{ s += $1 } END { print s + 0 }'; }
# stored_share VARIANT — events stored / accepted at the end of that variant's batch runs (all rounds).
stored_share() { awk -F'\t' -v v="$1" '$1 == "store" && $2 == v { a += $4; s += $5 } END { printf "%.2f", (a > 0 ? s / a : 0) }' "$RESULTS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# ABBA order: variant A first in odd rounds, B first in even rounds.
order() { if (( $3 % 2 )); then echo "$1 $2"; else echo "$2 $1"; fi; }
# rotate ROUND V1 V2 [V3…] — the variants rotated by the round (A B C, B C A, C A B …); with two, ABBA.
rotate() {
  local round=$1
  shift
  local n=$# i
  local -a all=("$@")
  for ((i = 0; i < n; i++)); do printf '%s ' "${all[$(((round - 1 + i) % n))]}"; done
}
VARIANTS="target bare"
[[ -n $BASELINE ]] && VARIANTS="target before bare"

log "loadctl bench · $(nproc) cores · node $(node --version) · $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
log "server on core $SERVER_CPU, load generator on core $LOAD_CPU; $ROUNDS rounds × ${DURATION}s (+${WARMUP}s warm-up) per variant; work dir $WORK"
BACKGROUND_BEFORE=$(cpu_busy)
log "background load before the bench (should be ~0%): $BACKGROUND_BEFORE"
node dist/bench/make-payloads.js "$WORK/payloads" 2000 200 100 >&2
SINGLE=$WORK/payloads/single.jsonl
BATCH=$WORK/payloads/batch-100.jsonl
started=$SECONDS

# --- 1. single-event RPS: target vs bare ---------------------------------------------------------
if wants single; then
  log ""
  log "[1/4] single-event RPS, wrk -t1 -c$CONNECTIONS: target-service vs bare node:http${BASELINE:+ (and the target-service at $BASELINE: before)}"
  for round in $(seq 1 "$ROUNDS"); do
    for variant in $(rotate "$round" $VARIANTS); do
      start_variant "$variant" "single-$variant-$round"
      record_wrk single "$variant" "$round" "$(run_wrk "$SINGLE")"
      stop_server
    done
  done
fi

# --- 2. batch-100 events/s -------------------------------------------------------------------------
if wants batch; then
  log ""
  log "[2/4] batch-100 events/s, wrk -t1 -c$CONNECTIONS: target-service (--buffer-capacity $BATCH_BUFFER) vs bare node:http${BASELINE:+ (and the target-service at $BASELINE: before)}"
  for round in $(seq 1 "$ROUNDS"); do
    for variant in $(rotate "$round" $VARIANTS); do
      if [[ $variant == bare ]]; then
        start_bare "batch-bare-$round"
        record_wrk batch "$variant" "$round" "$(run_wrk "$BATCH")" 100
        stop_server
        continue
      fi
      start_variant "$variant" "batch-$variant-$round" --buffer-capacity "$BATCH_BUFFER"
      record_wrk batch "$variant" "$round" "$(run_wrk "$BATCH")" 100
      accepted=$(metric events_accepted_total); stored=$(metric events_stored_total); buffered=$(metric event_buffer_size)
      printf 'store\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$round" "$accepted" "$stored" "$buffered" >>"$RESULTS"
      log "    after warm-up + run: accepted $accepted events, stored $stored, still buffered $buffered"
      drain_start=$SECONDS
      stop_server
      log "    SIGTERM drain took $((SECONDS - drain_start)) s"
    done
  done
fi

# --- 3. latency at a fixed rate --------------------------------------------------------------------
LAT_ROUNDS=$(( ROUNDS > 2 ? 2 : ROUNDS ))
if wants latency; then
  log ""
  log "[3/4] latency at a fixed $RATE RPS (open loop, from the scheduled send time): target-service vs bare node:http"
  for round in $(seq 1 "$LAT_ROUNDS"); do
    for variant in $(order target bare "$round"); do
      if [[ $variant == target ]]; then start_target "latency-target-$round" "$SERVER_CPU"; else start_bare "latency-bare-$round"; fi
      json=$(taskset -c "$LOAD_CPU" node dist/bench/fixed-rate.js --url "$SERVER_URL" --payloads "$SINGLE" \
        --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" --watch-cpu "$SERVER_CPU")
      stop_server
      line=$(node -e '
        const r = JSON.parse(process.argv[1]);
        const non202 = Object.entries(r.status).filter(([code]) => code !== "202").reduce((n, [, c]) => n + c, 0);
        console.log([r.achievedRps, non202 + r.lost, r.p50Ms, r.p95Ms, r.p99Ms, r.maxMs, r.maxSendLagMs, r.cpuBusy ?? "nan"].join("\t"));
      ' "$json")
      printf 'latency\t%s\t%s\t%s\n' "$variant" "$round" "$line" >>"$RESULTS"
      IFS=$'\t' read -r achieved bad p50 p95 p99 max lag cpu <<<"$line"
      log "  $(printf '%-28s' "latency/$variant #$round") $achieved req/s  p50 $p50 ms  p95 $p95 ms  p99 $p99 ms  max $max ms  non-202/lost $bad  core $SERVER_CPU busy $(awk -v c="$cpu" 'BEGIN { printf "%.0f%%", c * 100 }')  (generator max lag $lag ms)"
    done
  done
fi

# --- 4. --workers 2 vs --workers 1 -----------------------------------------------------------------
if wants workers; then
  log ""
  log "[4/4] --workers 2 vs --workers 1, single-event RPS. Only 2 cores and wrk needs one: the servers may use"
  log "      both cores (taskset -c 0,1) and share core $LOAD_CPU with wrk, so this shows what a second process"
  log "      buys on this box, not clean 2-core scaling."
  for round in $(seq 1 "$ROUNDS"); do
    for variant in $(order w1 w2 "$round"); do
      start_target "workers-$variant-$round" "0,1" --workers "${variant#w}"
      record_wrk workers "$variant" "$round" "$(run_wrk "$SINGLE")"
      # Nothing is buffered for long at this rate: 10 s is plenty for a drain.
      stop_server 10
    done
  done
fi

# --- 5. server CPU per request, the native engine as the client -------------------------------------
# server_ticks — user+system clock ticks of the server process, all its threads (SQLite worker, GC).
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
# wait_stored — the target's buffer is empty (its store has caught up), at most 120 s; a no-op for bare.
wait_stored() {
  [[ -n $METRICS_URL ]] || return 0
  local _
  for _ in $(seq 1 1200); do
    [[ $(metric event_buffer_size) -eq 0 ]] && return 0
    sleep 0.1
  done
  log "    the store did not catch up within 120 s: the CPU figure leaves out the rest"
}
# run_native SCENARIO-FILE RATE NAME — warm-up, then a measured `loadctl engine run` on the load core;
# prints: accepted-requests events server-ticks p95-ms dropped non-2xx
run_native() {
  local scenario=$1 rate=$2 name=$3 before after
  local target=${SERVER_URL%/v1/events}
  taskset -c "$LOAD_CPU" node dist/src/cli.js engine run "$scenario" --rate "$rate" --duration "${WARMUP}s" --target "$target" --workers 1 >/dev/null 2>&1
  wait_stored
  before=$(server_ticks)
  taskset -c "$LOAD_CPU" node dist/src/cli.js engine run "$scenario" --rate "$rate" --duration "${DURATION}s" --target "$target" --workers 1 \
    --out "$WORK/$name.json" >"$WORK/$name.engine.log" 2>&1
  wait_stored
  after=$(server_ticks)
  node -e '
    const r = require(process.argv[1]).overall;
    const bad = Object.entries(r.outcomes).filter(([k]) => k !== "2xx").reduce((n, [, c]) => n + c, 0);
    console.log([r.outcomes["2xx"] ?? 0, (r.outcomes["2xx"] ?? 0) * (r.events / Math.max(1, r.requests)), process.argv[2], r.latency.p95Ms, r.droppedIterations, bad].join("\t"));
  ' "$WORK/$name.json" "$((after - before))"
}
if wants native; then
  TICKS=$(getconf CLK_TCK)
  log ""
  log "[5] server CPU per accepted request at a fixed rate, loadctl's native engine as the client (engine on core $LOAD_CPU):"
  log "    single events at $NATIVE_RATE req/s, batch-100 at $NATIVE_BATCH_RATE req/s; the target's store work is counted until its buffer is empty"
  for kind in single batch; do
    if [[ $kind == single ]]; then scen=scenarios/simple.ts; rate=$NATIVE_RATE; else scen=bench/scenarios/batch-100.ts; rate=$NATIVE_BATCH_RATE; fi
    for round in $(seq 1 "$ROUNDS"); do
      for variant in $(rotate "$round" $VARIANTS); do
        start_variant "$variant" "native-$kind-$variant-$round" --buffer-capacity "$BATCH_BUFFER"
        IFS=$'\t' read -r ok events ticks p95 dropped bad <<<"$(run_native "$scen" "$rate" "native-$kind-$variant-$round")"
        stop_server 10
        per_req=$(awk -v t="$ticks" -v hz="$TICKS" -v n="$ok" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        per_event=$(awk -v t="$ticks" -v hz="$TICKS" -v n="$events" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        printf 'native-%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$variant" "$round" "$per_req" "$per_event" "$ok" "$bad" "$dropped" "$p95" >>"$RESULTS"
        log "  $(printf '%-28s' "native-$kind/$variant #$round") server CPU $per_req µs/request, $per_event µs/event  (2xx $ok, other $bad, dropped $dropped, p95 $p95 ms)"
      done
    done
  done
fi

# --- summary -------------------------------------------------------------------------------------------
BACKGROUND_AFTER=$(cpu_busy)
log ""
log "done in $((SECONDS - started)) s; background load after: $BACKGROUND_AFTER"
echo
echo "=== loadctl target-service bench · medians of $ROUNDS alternating rounds · ${DURATION}s runs · server core $SERVER_CPU, load core $LOAD_CPU ==="
echo "background load before: $BACKGROUND_BEFORE· after: $BACKGROUND_AFTER· target flags: ${BENCH_TARGET_FLAGS:-(defaults)}"
if wants single; then
  t=$(med single target 5); b=$(med single bare 5)
  printf '%-52s %10s %10s %7s   %s\n' "" "target" "bare" "ratio" "goal"
  printf '%-52s %10.0f %10.0f %7s   %s\n' "single-event accepted RPS (wrk -c$CONNECTIONS)" "$t" "$b" "$(ratio "$t" "$b")" "≥ 0.80"
  printf '%-52s %10d %10d\n' "  non-202 answers, all rounds" "$(sum single target 6)" "$(sum single bare 6)"
fi
if wants batch; then
  t=$(med batch target 5); b=$(med batch bare 5)
  printf '%-52s %10.0f %10.0f %7s   %s\n' "batch-100 accepted events/s (only 202s counted)" "$t" "$b" "$(ratio "$t" "$b")" "target ≥ 300000"
  printf '%-52s %10.0f %10.0f\n' "  batch requests/s answered (any status)" "$(med batch target 4)" "$(med batch bare 4)"
  printf '%-52s %10d %10d\n' "  non-202 answers, all rounds (429s: $(sum batch target 7))" "$(sum batch target 6)" "$(sum batch bare 6)"
  printf '%-52s %10d %10d\n' "  requests unanswered after 2 s (wrk timeouts)" "$(sum batch target 10)" "$(sum batch bare 10)"
  printf '%-52s %10s\n' "  --buffer-capacity used" "$BATCH_BUFFER"
  printf '%-52s %10s\n' "  store: events stored / accepted by end of run" "$(stored_share target)"
fi
if [[ -n $BASELINE ]] && { wants single || wants batch; }; then
  printf '%-52s %10s %10s %10s\n' "before ($BASELINE) and after (this checkout), same run" "before" "after" "bare"
  if wants single; then
    a=$(med single target 5); p=$(med single before 5); b=$(med single bare 5)
    printf '%-52s %10.0f %10.0f %10.0f\n' "  P6 single-event accepted RPS" "$p" "$a" "$b"
    printf '%-52s %10s %10s\n' "  P6 ratio to bare (goal ≥ 0.80)" "$(ratio "$p" "$b")" "$(ratio "$a" "$b")"
    printf '%-52s %10d %10d\n' "  P6 non-202 answers, all rounds" "$(sum single before 6)" "$(sum single target 6)"
  fi
  if wants batch; then
    a=$(med batch target 5); p=$(med batch before 5); b=$(med batch bare 5)
    printf '%-52s %10.0f %10.0f %10.0f\n' "  P7 batch-100 accepted events/s (goal ≥ 300000)" "$p" "$a" "$b"
    printf '%-52s %10s %10s\n' "  P7 ratio to bare" "$(ratio "$p" "$b")" "$(ratio "$a" "$b")"
    printf '%-52s %10s %10s\n' "  P7 store: events stored / accepted by end of run" "$(stored_share before)" "$(stored_share target)"
    printf '%-52s %10d %10d\n' "  P7 non-202 answers, all rounds" "$(sum batch before 6)" "$(sum batch target 6)"
    printf '%-52s %10d %10d\n' "  P7 requests unanswered after 2 s (wrk timeouts)" "$(sum batch before 10)" "$(sum batch target 10)"
  fi
fi
if wants latency; then
  printf '%-52s %10s %10s\n' "fixed $RATE RPS, open loop (median of $LAT_ROUNDS)" "target" "bare"
  for c in "4 achieved req/s" "6 p50 ms" "7 p95 ms" "8 p99 ms" "9 max ms"; do
    n=${c%% *}; label=${c#* }
    printf '%-52s %10s %10s\n' "  $label" "$(med latency target "$n")" "$(med latency bare "$n")"
  done
  printf '%-52s %10d %10d\n' "  non-202 or unanswered, all rounds" "$(sum latency target 5)" "$(sum latency bare 5)"
  printf '%-52s %9.0f%% %9.0f%%\n' "  server core busy" "$(awk -v c="$(med latency target 11)" 'BEGIN { print c * 100 }')" "$(awk -v c="$(med latency bare 11)" 'BEGIN { print c * 100 }')"
fi
if wants workers; then
  w1=$(med workers w1 5); w2=$(med workers w2 5)
  printf '%-52s %10s %10s %7s\n' "" "workers 2" "workers 1" "ratio"
  printf '%-52s %10.0f %10.0f %7s   %s\n' "single-event accepted RPS, servers on cores 0+1" "$w2" "$w1" "$(ratio "$w2" "$w1")" "(wrk shares core $LOAD_CPU)"
  printf '%-52s %10d %10d\n' "  non-202 answers, all rounds" "$(sum workers w2 6)" "$(sum workers w1 6)"
fi
if wants native; then
  printf '%-52s %10s %10s %7s\n' "native engine as client: server CPU, all threads" "target" "bare" "bare÷target"
  t=$(med native-single target 4); b=$(med native-single bare 4)
  printf '%-52s %10s %10s %7s   %s\n' "  µs per request, single events at $NATIVE_RATE req/s" "$t" "$b" "$(ratio "$b" "$t")" "(P6 by CPU: goal ≥ 0.80)"
  t=$(med native-batch target 5); b=$(med native-batch bare 5)
  printf '%-52s %10s %10s %7s   %s\n' "  µs per event, batch-100 at $NATIVE_BATCH_RATE req/s (store incl.)" "$t" "$b" "$(ratio "$b" "$t")" "(one core: $(awk -v u="$t" 'BEGIN { printf "%.0f", (u > 0 ? 1e6 / u : 0) }') events/s)"
  if [[ -n $BASELINE ]]; then
    printf '%-52s %10s %10s\n' "  before ($BASELINE): µs per request / per event" "$(med native-single before 4)" "$(med native-batch before 5)"
  fi
  printf '%-52s %10d %10d\n' "  non-2xx + dropped, all rounds" \
    "$(( $(sum native-single target 7) + $(sum native-batch target 7) + $(sum native-single target 8) + $(sum native-batch target 8) ))" \
    "$(( $(sum native-single bare 7) + $(sum native-batch bare 7) + $(sum native-single bare 8) + $(sum native-batch bare 8) ))"
fi
if (( STUCK_STOPS > 0 )); then
  echo "note: $STUCK_STOPS server(s) did not exit after SIGTERM and were killed (see the log above)"
fi
echo
echo "raw results (scenario variant round …): $([[ -n ${BENCH_KEEP:-} ]] && echo "$RESULTS" || echo 'set BENCH_KEEP=1 to keep')"
