#!/usr/bin/env bash
# What the browser tests (tests/functional/) and `make screenshots` need besides Python packages:
#   - Chromium from Debian (Playwright's own browser download does not work here: the Python
#     `playwright` package drives this system Chromium through `executable_path`);
#   - axe-core from npm, in .services/node (git-ignored), injected into pages by the tests
#     (npm itself is installed from Debian when missing and root);
#   - the test run's OpenID provider (panva's oidc-provider, tests/oidc/package.json and its
#     lock file), installed with `npm ci` in tests/oidc/node_modules (git-ignored).
#
#   scripts/browser.sh ensure     # install what is missing (idempotent, quick when all is there)
#   scripts/browser.sh env        # export lines: eval "$(scripts/browser.sh env)"
#   scripts/browser.sh status
#
# - CHROMIUM_PATH chooses another Chromium binary; as root a missing one is installed with
#   apt-get (Debian's `chromium` package), otherwise the script stops with what to run.
# - AXE_CORE_VERSION pins axe-core (4.x); npm installs it with `--prefix .services/node`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PREFIX="$ROOT/.services/node"
AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.10.3}"
AXE_JS="$NODE_PREFIX/node_modules/axe-core/axe.min.js"
LOGS="$ROOT/.services/logs"

say() { printf '→ %s\n' "$*"; }
ok() { printf '✓ %s\n' "$*"; }
die() { printf '✗ %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

chromium_path() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    printf '%s\n' "$CHROMIUM_PATH"
    return
  fi
  local candidate
  for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return
    fi
  done
  printf '%s\n' /usr/bin/chromium
}

# Debian's launcher script /usr/bin/chromium prints harmless shell noise: ask the binary itself.
chromium_works() { "$1" --headless --no-sandbox --version >/dev/null 2>&1; }

installed_axe_version() {
  [ -s "$AXE_JS" ] || return 1
  sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$NODE_PREFIX/node_modules/axe-core/package.json" | head -n1
}

apt_install() { # package
  say "installing Debian's $1 with apt-get (log: .services/logs/apt-$1.log)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"; } \
    >"$LOGS/apt-$1.log" 2>&1 || { tail -n 30 "$LOGS/apt-$1.log" >&2; die "apt-get install $1 failed"; }
}

ensure_chromium() {
  local path
  path=$(chromium_path)
  if [ -x "$path" ] && chromium_works "$path"; then
    ok "Chromium: $path"
    return
  fi
  [ -z "${CHROMIUM_PATH:-}" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not a working Chromium"
  is_root || die "Chromium is missing: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH"
  mkdir -p "$LOGS"
  apt_install chromium
  path=$(chromium_path)
  chromium_works "$path" || die "chromium was installed but $path does not start"
  ok "Chromium: $path"
}

ensure_axe() {
  if [ "$(installed_axe_version || true)" = "$AXE_CORE_VERSION" ]; then
    ok "axe-core $AXE_CORE_VERSION: ${AXE_JS#"$ROOT"/}"
    return
  fi
  mkdir -p "$NODE_PREFIX" "$LOGS"
  if ! command -v npm >/dev/null 2>&1; then
    is_root || die "npm is missing: install Node.js and npm (sudo apt-get install -y npm)"
    apt_install npm
  fi
  say "installing axe-core@$AXE_CORE_VERSION into .services/node (log: .services/logs/npm-axe.log)…"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error \
    "axe-core@$AXE_CORE_VERSION" >"$LOGS/npm-axe.log" 2>&1 \
    || { tail -n 30 "$LOGS/npm-axe.log" >&2; die "npm install axe-core failed"; }
  [ -s "$AXE_JS" ] || die "axe-core installed but $AXE_JS is missing"
  ok "axe-core $AXE_CORE_VERSION: ${AXE_JS#"$ROOT"/}"
}

OIDC_DIR="$ROOT/tests/oidc"

ensure_oidc_provider() {
  # npm ci writes node_modules/.package-lock.json: newer than the lock file means up to date.
  local stamp="$OIDC_DIR/node_modules/.package-lock.json"
  if [ -s "$stamp" ] && [ "$stamp" -nt "$OIDC_DIR/package-lock.json" ]; then
    ok "oidc-provider: tests/oidc/node_modules"
    return
  fi
  mkdir -p "$LOGS"
  if ! command -v npm >/dev/null 2>&1; then
    is_root || die "npm is missing: install Node.js and npm (sudo apt-get install -y npm)"
    apt_install npm
  fi
  say "installing the test OpenID provider into tests/oidc (log: .services/logs/npm-oidc.log)…"
  npm ci --prefix "$OIDC_DIR" --no-audit --no-fund --loglevel=error >"$LOGS/npm-oidc.log" 2>&1 \
    || { tail -n 30 "$LOGS/npm-oidc.log" >&2; die "npm ci in tests/oidc failed"; }
  ok "oidc-provider: tests/oidc/node_modules"
}

case "${1:-ensure}" in
  ensure)
    ensure_chromium
    ensure_axe
    ensure_oidc_provider
    ;;
  env)
    printf 'export CHROMIUM_PATH=%q\n' "$(chromium_path)"
    printf 'export AXE_CORE_JS=%q\n' "$AXE_JS"
    ;;
  status)
    path=$(chromium_path)
    if [ -x "$path" ] && chromium_works "$path"; then ok "Chromium: $path"; else echo "✗ Chromium: missing"; fi
    if version=$(installed_axe_version); then ok "axe-core $version"; else echo "✗ axe-core: missing"; fi
    ;;
  *)
    die "usage: scripts/browser.sh ensure|env|status"
    ;;
esac
