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

# fuzz_api BASE EMAIL PASSWORD SECONDS: one bounded run as that person.
fuzz_api() {
  local base="$1" email="$2" password="$3" seconds="$4" token
  token=$(curl -fsS "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  log "schemathesis as $email for ${seconds}s"
  # Signing out, changing one's own password and resetting passwords would
  # end the run's own credentials; sign-in is fuzzed without a token.
  "$FUZZ_VENV/bin/schemathesis" run "$base/api/v1/openapi.json" \
    --url "$base/api/v1" \
    -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /auth/logout --exclude-path /me/password --exclude-path-regex '/users/.*/reset-password' \
    --max-time "$seconds" --workers 2 --seed "${FUZZ_SEED:-20261203}" \
    --request-timeout 30 --suppress-health-check all --no-color \
    --report junit --report-dir "${FUZZ_REPORT_DIR:-/tmp/al-fuzz}"
}
