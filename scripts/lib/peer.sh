#!/usr/bin/env bash
# Side by side with the Django REST Framework peer (../shared/peers/drf): the
# same data shape (2 OEMs, 200 dealers, 100,000 parts, 1,000,000 stock
# movements, 100,000 claims and 20,000 drafts), the same load (wrk, 2
# threads, PEER_C connections, PEER_DUR seconds, a different path per request
# from a file), endpoint by endpoint, ours and the peer's alternating, best of
# PEER_ROUNDS, each round on a fresh copy of both databases. Prints one table
# with the ratio ours / peer, and both servers' memory (PSS) after the reads.
#
# Needs: our release binary ($BIN), python3-venv (the peer's venv is made
# here: Django, DRF, django-filter, gunicorn from PyPI), wrk, sqlite3.

PEERS="${PEERS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/shared/peers}"
PEER_VENV="${PEER_VENV:-/tmp/peers/drf-venv}"
PEER_DATA="${DRF_PEER_DATA:-/tmp/peers/drf-data}"
PEER_C="${PEER_C:-8}"
PEER_DUR="${PEER_DUR:-10}"
PEER_ROUNDS="${PEER_ROUNDS:-2}"
PEER_WORKERS="${PEER_WORKERS:-2}"

peer_available() { [ -f "$PEERS/drf/seed.py" ] && [ -f "$PEERS/paths.lua" ]; }

# peer_ensure: the venv and the peer's seeded database (once; about 3 minutes).
peer_ensure() {
  if [ ! -x "$PEER_VENV/bin/gunicorn" ]; then
    log "python venv for the DRF peer ($PEER_VENV)"
    apt_install python3-venv
    python3 -m venv "$PEER_VENV"
    "$PEER_VENV/bin/pip" install --quiet --disable-pip-version-check django djangorestframework django-filter gunicorn
  fi
  mkdir -p "$PEER_DATA"
  if [ ! -s "$PEER_DATA/db.sqlite3" ] || [ ! -s "$PEER_DATA/token.txt" ]; then
    log "seeding the DRF peer (about 3 minutes)"
    DRF_PEER_DATA="$PEER_DATA" "$PEER_VENV/bin/python" "$PEERS/drf/seed.py" >/dev/null
  fi
}

# peer_seed_ours DIR PARTS_CSV: our database in the peer's shape, kept as DIR/pristine.db.
peer_seed_ours() {
  local dir="$1" parts_csv="$2"
  [ -s "$dir/pristine.db" ] && return 0
  log "seeding ours in the peer's shape (200 dealers, 100,000 parts, 1,000,000 movements, 120,000 claims)"
  rm -f "$dir"/seed.db*
  (
    export DATABASE_URL="sqlite://$dir/seed.db?mode=rwc" DATA_DIR="$dir" RUST_LOG=warn
    "$BIN" seed-demo >/dev/null
    "$BIN" seed-bench --dealers 200 --users 0 >/dev/null
    "$BIN" import-parts --oem SVM "$parts_csv" >/dev/null
    "$BIN" seed-bench --users 0 --movements 1000000 >/dev/null
    "$BIN" seed-bench --users 0 --claims 100000 --drafts 20000 >/dev/null
  )
  sqlite3 "$dir/seed.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
  mv "$dir/seed.db" "$dir/pristine.db"
  rm -f "$dir"/seed.db-*
}

# One wrk run: "req/s p50 p99 non-2xx" (milliseconds).
peer_measure() {  # paths-file port auth method body
  local out
  out=$(PATHS="$1" AUTH="$3" METHOD="$4" BODY="$5" wrk -t2 -c"$PEER_C" -d"${PEER_DUR}s" --latency \
    -s "$PEERS/paths.lua" "http://127.0.0.1:$2" 2>&1)
  local ms='{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.1f", v}'
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/{printf "%d", $2}' <<<"$out")
  p50=$(awk '$1=="50%"' <<<"$out" | awk "$ms")
  p99=$(awk '$1=="99%"' <<<"$out" | awk "$ms")
  bad=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  echo "${rps:-0} ${p50:-0} ${p99:-0} ${bad:-0}"
}

peer_pss_kib() {  # pid…: the summed proportional set size
  local total=0 p
  for p in "$@"; do
    total=$((total + $(awk '/^Pss:/{s+=$2} END{print s+0}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# peer_side_by_side DIR PARTS_CSV
peer_side_by_side() {
  local dir="$1" parts_csv="$2" ours_port=3099 peer_port=8600
  peer_ensure
  peer_seed_ours "$dir" "$parts_csv"
  local ours_pid="" peer_pid=""
  peer_stop() {
    for p in $ours_pid $peer_pid; do kill "$p" 2>/dev/null || true; done
    wait $ours_pid $peer_pid 2>/dev/null || true
    ours_pid=""; peer_pid=""
  }
  peer_start() {
    peer_stop
    rm -f "$dir"/run.db*; cp "$dir/pristine.db" "$dir/run.db"
    DATABASE_URL="sqlite://$dir/run.db" DATA_DIR="$dir" RUST_LOG=warn LEPTOS_SITE_ADDR="127.0.0.1:$ours_port" \
      "$BIN" serve >"$dir/ours.log" 2>&1 &
    ours_pid=$!
    DRF_PEER_DATA="$PEER_DATA" "$PEER_VENV/bin/python" "$PEERS/drf/seed.py" --reset-drafts >/dev/null
    (cd "$PEERS/drf" && DRF_PEER_DATA="$PEER_DATA" DRF_PEER_PAGINATION=cursor exec "$PEER_VENV/bin/gunicorn" \
      ledgerpeer.wsgi:application -w "$PEER_WORKERS" -b "127.0.0.1:$peer_port" --log-level warning) >"$dir/peer.log" 2>&1 &
    peer_pid=$!
    for _ in $(seq 100); do
      curl -fsS "http://127.0.0.1:$ours_port/api/v1/health" >/dev/null 2>&1 &&
        curl -fsS "http://127.0.0.1:$peer_port/api/health/" >/dev/null 2>&1 && return 0
      sleep 0.2
    done
    echo "a server did not start"; tail -5 "$dir/ours.log" "$dir/peer.log"; return 1
  }
  peer_login() {
    curl -fsS "http://127.0.0.1:$ours_port/api/v1/auth/login" -H 'content-type: application/json' \
      -d "{\"email\":\"$1\",\"password\":\"ledger-demo-2026\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
  }

  peer_start
  local admin dealer base="http://127.0.0.1:$ours_port"
  admin=$(peer_login admin@demo.example); dealer=$(peer_login dealer.oslo@demo.example)
  # Our paths: the same kinds of question as the peer's, over our ids.
  local dealers
  dealers=$(sqlite3 "$dir/pristine.db" 'SELECT id FROM dealers ORDER BY id' | tr '\n' ' ')
  python3 - "$dir" "$dealers" <<'PY'
import random, sys
w, dealers = sys.argv[1], [int(d) for d in sys.argv[2].split()]
r = random.Random(42)
words = "pack module motor inverter charger sensor bracket harness cover lamp pump valve".split()
words += [f"SV-B0{r.randint(0, 99):02d}" for _ in range(12)]
files = {
  "parts": [f"/api/v1/parts?q={r.choice(words)}&limit=50" for _ in range(2000)],
  "stock": [f"/api/v1/stock?dealer_id={r.choice(dealers)}&limit=50" for _ in range(2000)],
  "claims": [f"/api/v1/claims?dealer_id={r.choice(dealers)}&status=submitted&limit=50" for _ in range(2000)],
  "claim": [f"/api/v1/claims/{r.randint(1, 100000)}" for _ in range(2000)],
  "health": ["/api/v1/health"],
}
for k, v in files.items():
    open(f"{w}/ours-{k}.txt", "w").write("\n".join(v) + "\n")
PY
  sqlite3 "$dir/pristine.db" "SELECT '/api/v1/claims/' || c.id || '/submit' FROM claims c JOIN dealers d ON d.id = c.dealer_id WHERE c.status = 'draft' AND d.code = 'NO001' ORDER BY c.id" >"$dir/ours-submit.txt"
  local k
  for k in parts stock claims claim health; do sed -E 's|^https?://[^/]+||' "$PEER_DATA/urls-$k.txt" >"$dir/peer-$k.txt"; done
  "$PEER_VENV/bin/python" - "$PEER_DATA/db.sqlite3" >"$dir/peer-submit.txt" <<'PY'
import sqlite3, sys
for (i,) in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM aftermarket_claim WHERE number LIKE 'WD-%' ORDER BY id"):
    print(f"/api/claims/{i}/submit/")
PY
  local peer_token
  peer_token=$(cat "$PEER_DATA/token.txt")

  declare -A best
  keep() { local old=${best[$1]:-"0 0 0 0"}; if [ "${2%% *}" -gt "${old%% *}" ]; then best[$1]="$2"; fi; }
  local round ours_mem=0 peer_mem=0
  for round in $(seq "$PEER_ROUNDS"); do
    [ "$round" -gt 1 ] && peer_start && admin=$(peer_login admin@demo.example) && dealer=$(peer_login dealer.oslo@demo.example)
    for k in health parts stock claims claim; do
      keep "ours-$k" "$(peer_measure "$dir/ours-$k.txt" $ours_port "Bearer $admin" GET "")"
      keep "peer-$k" "$(peer_measure "$dir/peer-$k.txt" $peer_port "Token $peer_token" GET "")"
    done
    ours_mem=$(peer_pss_kib "$ours_pid")
    peer_mem=$(peer_pss_kib "$peer_pid" $(ps -o pid= --ppid "$peer_pid"))
    keep ours-submit "$(peer_measure "$dir/ours-submit.txt" $ours_port "Bearer $dealer" POST '{}')"
    keep peer-submit "$(peer_measure "$dir/peer-submit.txt" $peer_port "Token $peer_token" POST '{"version":1}')"
    echo "    round $round: PSS after the reads: ours $((ours_mem / 1024)) MiB, peer $((peer_mem / 1024)) MiB ($PEER_WORKERS workers)"
  done
  peer_stop

  printf '\n    %-10s %30s %30s %7s\n' "c=$PEER_C" "ours req/s · p50 · p99 ms (non-2xx)" "peer req/s · p50 · p99 ms (non-2xx)" "ratio"
  local a1 a2 a3 a4 b1 b2 b3 b4
  for k in health parts stock claims claim submit; do
    read -r a1 a2 a3 a4 <<<"${best[ours-$k]}"; read -r b1 b2 b3 b4 <<<"${best[peer-$k]}"
    printf '    %-10s %30s %30s %7s\n' "$k" "$a1 · $a2 · $a3 ($a4)" "$b1 · $b2 · $b3 ($b4)" \
      "$(awk -v a="$a1" -v b="$b1" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }')"
  done
}
