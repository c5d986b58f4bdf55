#!/usr/bin/env bash
# Idempotent installers shared by scripts/run, scripts/test and scripts/bench.
# Every tool comes from a registry by name: nothing downloads a prebuilt binary
# (see ../shared/TOOLCHAIN.md). Each step is skipped when the tool is present.

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.129
BINARYEN_VERSION=132.0.0

export PATH="$HOME/.cargo/bin:$PATH"
# One persistent target directory outside the checkout keeps rebuilds incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/aftermarket-ledger/target}"
export LEPTOS_BIN_TARGET_TRIPLE="${LEPTOS_BIN_TARGET_TRIPLE:-}"
[ -z "$LEPTOS_BIN_TARGET_TRIPLE" ] && unset LEPTOS_BIN_TARGET_TRIPLE

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once)"
    env -u CARGO_TARGET_DIR cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    env -u CARGO_TARGET_DIR cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
  fi
}

ensure_web_tools() {
  if ! command -v sass >/dev/null 2>&1; then
    log "npm install -g sass"
    npm install -g --silent sass@1
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "${BINARYEN_VERSION%%.*}"; then
    log "npm install -g binaryen@$BINARYEN_VERSION"
    npm install -g --silent "binaryen@$BINARYEN_VERSION"
  fi
}

ensure_build_tools() {
  ensure_rust_tools
  ensure_web_tools
}

# A fingerprint of the files under the given paths (names and contents).
fingerprint() {
  find "$@" -type f -not -path '*/node_modules/*' -print0 2>/dev/null | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1
}

# The release build: the front end (wasm, its glue and the CSS, hashed and
# precompressed) and the server binary. Skipped when none of their inputs
# changed since the last build into this target directory; only the server
# is rebuilt when only the server's own code changed.
build_release() {
  local stamp="$CARGO_TARGET_DIR/release/.build-inputs"
  local shared front server
  shared="$(cargo-leptos --version 2>/dev/null) $(rustc --version) $(wasm-opt --version 2>/dev/null)"
  front=$(fingerprint Cargo.toml Cargo.lock app style public)
  server=$(fingerprint src migrations)
  local want="$shared front:$front server:$server"
  local have=""
  [ -f "$stamp" ] && have=$(cat "$stamp")
  local site=target/site/pkg
  if [ "$have" = "$want" ] && [ -x "$CARGO_TARGET_DIR/release/aftermarket-ledger" ] && [ -d "$site" ]; then
    log "release build is up to date"
    return 0
  fi
  if [ "${have%% server:*}" = "${want%% server:*}" ] && [ -x "$CARGO_TARGET_DIR/release/aftermarket-ledger" ] && [ -d "$site" ]; then
    log "cargo leptos build --release --server-only (the front end is unchanged)"
    cargo leptos build --release --server-only
  else
    log "cargo leptos build --release --precompress"
    cargo leptos build --release --precompress
  fi
  mkdir -p "$(dirname "$stamp")"
  echo "$want" > "$stamp"
}
