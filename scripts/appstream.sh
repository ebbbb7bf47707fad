#!/usr/bin/env bash
# What the AppStream tests need besides Python packages (as scripts/browser.sh for Chromium):
#   - Debian's `appstream` package: `appstreamcli validate` checks the store's AppStream export,
#     `appstreamcli convert` turns Debian's DEP-11 catalog into AppStream XML;
#   - a real catalogue: Debian's own AppStream catalog of its main archive (DEP-11 YAML, which
#     apt downloads once `appstream` is installed, through its apt hook), converted to XML in
#     .services/appstream/debian-<release>-main.xml (git-ignored), ~26 MB, ~2,000 applications.
#
#   scripts/appstream.sh ensure     # install / fetch / convert what is missing (idempotent)
#   scripts/appstream.sh status
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/.services/appstream"
LOGS="$ROOT/.services/logs"
LISTS=/var/lib/apt/lists

say() { printf '→ %s\n' "$*"; }
ok() { printf '✓ %s\n' "$*"; }
die() { printf '✗ %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

codename() { . /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-bookworm}"; }
catalog_xml() { printf '%s/debian-%s-main.xml\n' "$OUT_DIR" "$(codename)"; }
dep11_yaml() { ls "$LISTS"/*_dists_"$(codename)"_main_dep11_Components-*.yml.gz 2>/dev/null | head -n1; }

ensure_appstreamcli() {
  if command -v appstreamcli >/dev/null 2>&1; then
    ok "appstreamcli: $(appstreamcli --version | head -n1)"
    return
  fi
  is_root || die "appstreamcli is missing: install Debian's package (sudo apt-get install -y appstream)"
  mkdir -p "$LOGS"
  say "installing Debian's appstream with apt-get (log: .services/logs/apt-appstream.log)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq appstream; } \
    >"$LOGS/apt-appstream.log" 2>&1 || { tail -n 30 "$LOGS/apt-appstream.log" >&2; die "apt-get install appstream failed"; }
  ok "appstreamcli: $(appstreamcli --version | head -n1)"
}

ensure_catalog() {
  local xml yaml
  xml=$(catalog_xml)
  if [ -s "$xml" ]; then
    ok "real catalogue: ${xml#"$ROOT"/}"
    return
  fi
  yaml=$(dep11_yaml || true)
  if [ -z "$yaml" ]; then
    is_root || die "Debian's DEP-11 catalog is missing: run sudo apt-get update (with appstream installed)"
    mkdir -p "$LOGS"
    say "downloading Debian's DEP-11 catalog with apt-get update (appstream's apt hook)…"
    apt-get update -qq >"$LOGS/apt-update-dep11.log" 2>&1 \
      || { tail -n 30 "$LOGS/apt-update-dep11.log" >&2; die "apt-get update failed"; }
    yaml=$(dep11_yaml || true)
    [ -n "$yaml" ] || die "apt-get update brought no DEP-11 catalog for $(codename)/main"
  fi
  mkdir -p "$OUT_DIR"
  say "converting $(basename "$yaml") to AppStream XML…"
  appstreamcli convert "$yaml" "$xml.tmp" >/dev/null
  mv "$xml.tmp" "$xml"
  ok "real catalogue: ${xml#"$ROOT"/} ($(grep -c '<component ' "$xml") components)"
}

case "${1:-ensure}" in
  ensure)
    ensure_appstreamcli
    ensure_catalog
    ;;
  status)
    if command -v appstreamcli >/dev/null 2>&1; then ok "appstreamcli"; else echo "✗ appstreamcli: missing"; fi
    if [ -s "$(catalog_xml)" ]; then ok "real catalogue: $(catalog_xml)"; else echo "✗ real catalogue: missing"; fi
    ;;
  *)
    die "usage: scripts/appstream.sh ensure|status"
    ;;
esac
