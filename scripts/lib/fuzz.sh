#!/usr/bin/env bash
# API fuzzing with schemathesis (from PyPI, in a venv of our own): generated
# requests against the OpenAPI document, as an admin and as a dealer. Fails
# on any 5xx and on any response the document does not describe.

SCHEMATHESIS_VERSION=4.32.5
FUZZ_VENV="${FUZZ_VENV:-$HOME/.cache/aftermarket-ledger/schemathesis}"

ensure_schemathesis() {
  if ! "$FUZZ_VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    log "pip install schemathesis $SCHEMATHESIS_VERSION (in $FUZZ_VENV)"
    apt_install python3-venv
    python3 -m venv "$FUZZ_VENV"
    "$FUZZ_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

# fuzz_token BASE EMAIL PASSWORD: a bearer token. Take every run's token
# before fuzzing starts: the fuzzer signs in with the emails it finds and
# may throttle them, but a token already issued stays good.
fuzz_token() {
  curl -fsS "$1/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/'
}

# fuzz_api BASE TOKEN WHO SECONDS: one bounded run with that token.
fuzz_api() {
  local base="$1" token="$2" who="$3" seconds="$4"
  log "schemathesis as $who for ${seconds}s"
  # Signing out, changing one's own password and resetting passwords would
  # end the run's own credentials.
  # Run from a directory of its own: schemathesis keeps a cache of what it
  # found in the working directory, and a run should not replay the last.
  local dir="${FUZZ_REPORT_DIR:-/tmp/al-fuzz}"
  mkdir -p "$dir"
  (cd "$dir" && rm -rf .schemathesis && "$FUZZ_VENV/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --url "$base" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /api/v1/auth/logout --exclude-path /api/v1/me/password --exclude-path-regex '/users/.*/reset-password' \
    --max-time "$seconds" --workers 1 --seed "${FUZZ_SEED:-20261203}" \
    --request-timeout 30 --suppress-health-check all --no-color --generation-database none \
    --report junit --report-dir "$dir")
}
