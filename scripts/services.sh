#!/usr/bin/env bash
# Local backing services for development and CI, without Docker:
#   PostgreSQL 127.0.0.1:54329, Redis 127.0.0.1:63799, Elasticsearch http://127.0.0.1:9201
#
#   scripts/services.sh up|down|status [postgres|redis|elasticsearch ...]   (no name = all three)
#   scripts/services.sh env          # export lines: eval "$(scripts/services.sh env)"
#
# - SERVICES_INSTANCE=<name> runs a second set of servers beside the first (give them other
#   ports): their data, logs and pid files go to .services/instances/<name>; the downloads (Maven
#   cache, Elasticsearch distribution and plugin) stay shared. The fault tests use it.
# - Loopback only. Ports can be changed with PG_PORT, REDIS_PORT, ES_PORT (and ES_TRANSPORT_PORT);
#   the node's JVM options with ES_JVM_OPTS, the start timeout with SERVICES_TIMEOUT (seconds).
# - All state (data, logs, pid files, Maven cache) lives in .services/ (git-ignored);
#   logs are in .services/logs/<service>.log. `rm -rf .services` resets everything.
# - `up` starts only what is not already running and healthy; `down` stops only what `up` started.
# - As root (CI), the servers run as the unprivileged system user "emploistore" (SERVICES_USER;
#   PostgreSQL and Elasticsearch refuse to run as root), created if missing; missing PostgreSQL or
#   Redis packages are installed with apt-get.
# - Elasticsearch is a real 8.x node fetched from Maven Central (see scripts/elasticsearch/pom.xml).
#   That test distribution has no analysis-common module: our plugin (scripts/elasticsearch/src)
#   adds only the components our index settings use (tokenizers ngram, edge_ngram; filters
#   asciifolding, elision, pattern_replace, ngram, edge_ngram, stemmer) and GET /.
#   With Docker, `docker compose up -d postgres redis elasticsearch` is the alternative.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPTS="$ROOT/scripts"
STATE="$ROOT/.services"                          # shared downloads and builds
INSTANCE="${SERVICES_INSTANCE:-}"
RUN="$STATE${INSTANCE:+/instances/$INSTANCE}"    # this instance's data, logs, pid files
LOGS="$RUN/logs"

PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
ES_PORT="${ES_PORT:-9201}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}"
ES_VERSION="${ES_VERSION:-8.19.21}"
# Heap for a test node; no heap pre-touch (lower RSS); C1 JIT only: starts ~2-4 s faster and is
# faster on short test workloads, which never reach the point where C2 pays off.
ES_JVM_OPTS="${ES_JVM_OPTS:--Xms512m -Xmx1g -XX:-AlwaysPreTouch -XX:TieredStopAtLevel=1}"
SERVICE_USER="${SERVICES_USER:-emploistore}"   # only used when running as root
START_TIMEOUT="${SERVICES_TIMEOUT:-180}"       # seconds, per service

PG_USER=emploistore PG_PASSWORD=emploistore PG_DB=emploistore
DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
ELASTICSEARCH_URL="http://127.0.0.1:$ES_PORT"
ALL_SERVICES=(postgres redis elasticsearch)

# ---------------------------------------------------------------------------- helpers

say() { printf '→ %s\n' "$*"; }
ok() { printf '✓ %s\n' "$*"; }
warn() { printf '! %s\n' "$*" >&2; }
die() { printf '✗ %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Run a command as the account that owns the servers (ourselves, or SERVICE_USER under root).
# 9>&-: the servers must not inherit the lock of this script (see main), or they would hold it.
as_svc() {
  if is_root; then runuser -u "$SERVICE_USER" -- "$@" 9>&-; else "$@" 9>&-; fi
}

# Fail with the service's name and the end of its log(s).
fail() { # service message logfile...
  local service=$1 message=$2 log
  shift 2
  printf '✗ %s: %s\n' "$service" "$message" >&2
  for log in "$@"; do
    [ -s "$log" ] || continue
    printf -- '--- last 30 lines of %s ---\n' "${log#"$ROOT"/}" >&2
    tail -n 30 "$log" >&2
  done
  exit 1
}

# Poll a check until it succeeds or the timeout (seconds) runs out.
wait_for() { # timeout command...
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Is the process of a pid file alive, and (if given) is it still ours? A stale pid file may name
# a pid that the system has since given to an unrelated process.
pid_alive() { # pidfile [text expected in its command line]
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  [ -z "${2:-}" ] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# Stop the process of a pid file: TERM, then KILL after a grace period.
stop_pid() { # pidfile grace-seconds command-line-text
  local pid
  pid_alive "$1" "$3" || { rm -f "$1"; return 0; }
  pid=$(head -n1 "$1")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for "$2" bash -c "! kill -0 $pid"; then
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$1"
}

apt_install() { # packages...
  is_root || return 1
  say "installing $* with apt-get…"
  # A policy-rc.d refusing service starts keeps the package from launching a system-wide daemon.
  local policy=/usr/sbin/policy-rc.d added=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1
  fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$LOGS/apt.log" 2>&1 || rc=$?
  [ -z "$added" ] || rm -f "$policy"
  [ "$rc" -eq 0 ] || { tail -n 30 "$LOGS/apt.log" >&2; return 1; }
}

# As root: the service user must exist, own the state folders and be able to reach them.
prepare_state() {
  mkdir -p "$LOGS" "$RUN/postgres" "$RUN/redis" "$RUN/elasticsearch" "$STATE/elasticsearch"
  is_root || return 0
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    say "creating system user $SERVICE_USER (servers refuse to run as root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  # The project may sit under a folder closed to other users (e.g. /root): open traversal only.
  local dir="$STATE"
  while [ "$dir" != / ]; do
    dir=$(dirname "$dir")
    if ! runuser -u "$SERVICE_USER" -- test -x "$dir"; then
      warn "granting traverse permission (o+x) on $dir so that $SERVICE_USER can reach .services/"
      chmod o+x "$dir"
    fi
  done
  # log files may be first written by us (root) and then by the servers: create them for the user
  touch "$PG_LOG" "$REDIS_LOG" "$ES_LOG"
  chown "$SERVICE_USER:" "$LOGS" "$RUN/postgres" "$RUN/redis" "$RUN/elasticsearch" "$STATE/elasticsearch" "$PG_LOG" "$REDIS_LOG" "$ES_LOG"
}

# ---------------------------------------------------------------------------- PostgreSQL

PG_DATA="$RUN/postgres/data"
PG_LOG="$LOGS/postgres.log"

pg_bindir() {
  local d
  d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n1)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

pg_running() { [ -f "$PG_DATA/postmaster.pid" ] && as_svc "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
pg_healthy() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d "$PG_DB" -U "$PG_USER"; }
pg_sql() { PGPASSWORD=$PG_PASSWORD "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$@"; }

pg_init() {
  say "creating the PostgreSQL cluster in .services/postgres/data"
  local pwfile="$RUN/postgres/.pwfile"
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  is_root && chown "$SERVICE_USER:" "$pwfile"
  # The bootstrap superuser is the application's role: it may create the test databases.
  # Trust on loopback: a throw-away local cluster.
  as_svc "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1 || { rm -f "$pwfile"; fail postgres "initdb failed" "$PG_LOG"; }
  rm -f "$pwfile"
  # Speed over durability; no unix socket (path length and permissions), TCP only.
  cat >>"$PG_DATA/postgresql.conf" <<'EOF'

# --- scripts/services.sh: local test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
min_wal_size = 32MB
shared_buffers = 64MB
max_connections = 100
EOF
}

pg_up() {
  PG_BIN=$(pg_bindir) || true
  if [ -z "$PG_BIN" ]; then
    apt_install postgresql || die "postgres: PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin). Install the Debian package 'postgresql' (as root: apt-get install -y postgresql), or use: docker compose up -d postgres"
    PG_BIN=$(pg_bindir) || die "postgres: still no /usr/lib/postgresql/*/bin/pg_ctl after installing 'postgresql'"
  fi
  if pg_running; then
    wait_for 30 pg_healthy || fail postgres "running (pid file in .services/postgres/data) but not answering on 127.0.0.1:$PG_PORT; try: scripts/services.sh down postgres" "$PG_LOG"
    ok "postgres already up — $DATABASE_URL"
    return
  fi
  port_in_use "$PG_PORT" && die "postgres: port $PG_PORT is already used by another process (set PG_PORT to use another port)"
  local t0
  t0=$(now)
  [ -f "$PG_DATA/PG_VERSION" ] || pg_init
  say "starting PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$PG_PORT…"
  # the port is given at each start, so that PG_PORT can change between runs
  as_svc "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" -o "-p $PG_PORT" start >/dev/null ||
    fail postgres "pg_ctl start failed" "$PG_LOG"
  wait_for "$START_TIMEOUT" pg_healthy || fail postgres "not ready after ${START_TIMEOUT}s" "$PG_LOG"
  if [ "$(pg_sql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]; then
    pg_sql -d postgres -c "create database $PG_DB" || fail postgres "could not create database $PG_DB" "$PG_LOG"
  fi
  ok "postgres up in $(since "$t0")s — $DATABASE_URL"
}

pg_down() {
  PG_BIN=$(pg_bindir) || true
  if [ -n "$PG_BIN" ] && pg_running; then
    say "stopping PostgreSQL…"
    as_svc "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || fail postgres "pg_ctl stop failed" "$PG_LOG"
  fi
  ok "postgres down"
}

pg_status() {
  PG_BIN=$(pg_bindir) || true
  [ -n "$PG_BIN" ] && pg_running && pg_healthy
}

# ---------------------------------------------------------------------------- Redis

REDIS_DIR="$RUN/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$LOGS/redis.log"

redis_healthy() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_up() {
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    apt_install redis-server || die "redis: redis-server not found. Install the Debian package 'redis-server' (as root: apt-get install -y redis-server), or use: docker compose up -d redis"
  fi
  if pid_alive "$REDIS_PID" redis-server; then
    wait_for 10 redis_healthy || fail redis "running (pid $(cat "$REDIS_PID")) but not answering PING on 127.0.0.1:$REDIS_PORT; try: scripts/services.sh down redis" "$REDIS_LOG"
    ok "redis already up — $REDIS_URL"
    return
  fi
  port_in_use "$REDIS_PORT" && die "redis: port $REDIS_PORT is already used by another process (set REDIS_PORT to use another port)"
  local t0
  t0=$(now)
  say "starting Redis $(redis-server --version | grep -o 'v=[^ ]*' | cut -c3-) on 127.0.0.1:$REDIS_PORT…"
  # a cache for tests: no persistence at all
  as_svc redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" ||
    fail redis "redis-server failed to start" "$REDIS_LOG"
  wait_for "$START_TIMEOUT" redis_healthy || fail redis "no PONG after ${START_TIMEOUT}s" "$REDIS_LOG"
  ok "redis up in $(since "$t0")s — $REDIS_URL"
}

redis_down() {
  if pid_alive "$REDIS_PID" redis-server; then
    say "stopping Redis…"
    stop_pid "$REDIS_PID" 20 redis-server
  fi
  ok "redis down"
}

redis_status() { pid_alive "$REDIS_PID" redis-server && redis_healthy; }

# ---------------------------------------------------------------------------- Elasticsearch

ES_SHARED="$STATE/elasticsearch"          # the distribution, its plugin, their builds
ES_DIR="$RUN/elasticsearch"               # this node's config, data, pid file
ES_HOME="$ES_SHARED/dist/elasticsearch-$ES_VERSION"
ES_CONF="$ES_DIR/config"
ES_PID="$ES_DIR/elasticsearch.pid"
ES_LOG="$LOGS/elasticsearch.log"
ES_LAUNCHER_LOG="$ES_DIR/launcher.log"   # output of the launcher until the node runs in background
ES_BUILD_LOG="$ES_SHARED/build.log"      # Maven download and plugin build
ES_PLUGIN_SRC="$SCRIPTS/elasticsearch/src/main/java"
ES_PLUGIN_DIR="$ES_HOME/plugins/emploistore-compat"

es_healthy() { curl -fsS -m 5 "$ELASTICSEARCH_URL/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1; }

es_java_home() {
  # ES_JAVA_HOME or JAVA_HOME if set, else the JDK that provides javac on the PATH
  local home=${ES_JAVA_HOME:-${JAVA_HOME:-}}
  if [ -z "$home" ] && command -v javac >/dev/null; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  fi
  [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ -x "$home/bin/jar" ] || return 1
  local major
  major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || return 1
  echo "$home"
}

# Download and unpack the distribution (first run only).
es_fetch() {
  [ -x "$ES_HOME/bin/elasticsearch" ] && return 0
  command -v mvn >/dev/null || die "elasticsearch: Maven (mvn) is required to fetch Elasticsearch from Maven Central. Install it (apt-get install -y maven), or use: docker compose up -d elasticsearch"
  say "fetching Elasticsearch $ES_VERSION (first run downloads ~110 MB from Maven Central into .services/m2)…"
  local t0
  t0=$(now)
  mkdir -p "$STATE/m2"
  if ! mvn -B -q -f "$SCRIPTS/elasticsearch/pom.xml" -Dmaven.repo.local="$STATE/m2" \
    -Des.version="$ES_VERSION" -Des.unpack.dir="$ES_SHARED/dist" -Des.build.dir="$ES_SHARED/maven" \
    dependency:unpack >"$ES_BUILD_LOG" 2>&1; then
    fail elasticsearch "could not fetch org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION with Maven" "$ES_BUILD_LOG"
  fi
  [ -f "$ES_HOME/bin/elasticsearch" ] || fail elasticsearch "unexpected archive layout: no $ES_HOME/bin/elasticsearch" "$ES_BUILD_LOG"
  chmod +x "$ES_HOME"/bin/* # zip unpacking may drop the exec bits
  ok "fetched Elasticsearch $ES_VERSION in $(since "$t0")s"
}

# Build our plugin when its sources or the ES version changed: GET /, and the few analysis-common
# components the project's index settings use (the list is in AnalysisComponents.java).
es_build_plugin() {
  local stamp
  stamp=$({ echo "$ES_VERSION"; find "$ES_PLUGIN_SRC" -name '*.java' -print0 | sort -z | xargs -0 cat; } | sha256sum | cut -c1-16)
  [ "$(cat "$ES_PLUGIN_DIR/.stamp" 2>/dev/null)" = "$stamp" ] && return 0
  say "building the emploistore-compat plugin for Elasticsearch $ES_VERSION…"
  local build="$ES_SHARED/plugin-build"
  rm -rf "$build" "$ES_PLUGIN_DIR"
  mkdir -p "$build/classes" "$ES_PLUGIN_DIR"
  local sources
  mapfile -d '' sources < <(find "$ES_PLUGIN_SRC" -name '*.java' -print0)
  if ! "$JAVA_HOME_ES/bin/javac" --release 17 -nowarn -encoding UTF-8 -cp "$ES_HOME/lib/*" -d "$build/classes" \
    "${sources[@]}" >"$ES_BUILD_LOG" 2>&1; then
    fail elasticsearch "the plugin does not compile against Elasticsearch $ES_VERSION" "$ES_BUILD_LOG"
  fi
  "$JAVA_HOME_ES/bin/jar" cf "$ES_PLUGIN_DIR/emploistore-compat.jar" -C "$build/classes" .
  cat >"$ES_PLUGIN_DIR/plugin-descriptor.properties" <<EOF
description=Local test node: GET / and the analysis-common components the project uses (scripts/elasticsearch)
version=1.0.0
name=emploistore-compat
classname=emploistore.estest.CompatPlugin
java.version=17
elasticsearch.version=$ES_VERSION
EOF
  echo "$stamp" >"$ES_PLUGIN_DIR/.stamp"
}

es_configure() {
  mkdir -p "$ES_CONF" "$ES_DIR/data" "$ES_DIR/tmp"
  cp "$SCRIPTS/elasticsearch/jvm.options" "$SCRIPTS/elasticsearch/log4j2.properties" "$ES_CONF/"
  # Rewritten at each start so that ES_PORT can change between runs.
  cat >"$ES_CONF/elasticsearch.yml" <<EOF
# Generated by scripts/services.sh at each start: edit the script, not this file.
cluster.name: emploistore-test${INSTANCE:+-$INSTANCE}
node.name: emploistore-test-node${INSTANCE:+-$INSTANCE}
path.data: $ES_DIR/data
path.logs: $LOGS
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
# the disk may be nearly full: never block writes or shard allocation because of it
cluster.routing.allocation.disk.threshold_enabled: false
# vm.max_map_count may be low (65530) where we cannot raise it: no memory-mapped index files
node.store.allow_mmap: false
EOF
  if is_root; then chown -R "$SERVICE_USER:" "$ES_DIR" "$ES_SHARED"; fi
}

es_up() {
  JAVA_HOME_ES=$(es_java_home) || die "elasticsearch: a JDK >= 17 (java, javac, jar) is required; set ES_JAVA_HOME, or install one (apt-get install -y openjdk-17-jdk-headless), or use: docker compose up -d elasticsearch"
  if pid_alive "$ES_PID" "$ES_HOME"; then
    wait_for "$START_TIMEOUT" es_healthy || fail elasticsearch "running (pid $(cat "$ES_PID")) but not healthy on $ELASTICSEARCH_URL; try: scripts/services.sh down elasticsearch" "$ES_LOG"
    ok "elasticsearch already up — $ELASTICSEARCH_URL"
    return
  fi
  port_in_use "$ES_PORT" && die "elasticsearch: port $ES_PORT is already used by another process (set ES_PORT to use another port)"
  port_in_use "$ES_TRANSPORT_PORT" && die "elasticsearch: transport port $ES_TRANSPORT_PORT is already used by another process (set ES_TRANSPORT_PORT)"
  local t0
  t0=$(now)
  es_fetch
  es_build_plugin
  es_configure
  say "starting Elasticsearch $ES_VERSION on $ELASTICSEARCH_URL…"
  rm -f "$ES_PID"
  # a fresh log per start (the previous one is kept as .1), so that a failure shows its own lines
  if [ -s "$ES_LOG" ]; then mv -f "$ES_LOG" "$ES_LOG.1"; fi
  : >"$ES_LOG"
  if is_root; then chown "$SERVICE_USER:" "$ES_LOG"; fi
  # -d: the launcher returns once the node has started (or failed) and leaves only the node running;
  # setsid: no controlling terminal, so closing the shell does not stop it.
  if ! as_svc env ES_JAVA_HOME="$JAVA_HOME_ES" ES_PATH_CONF="$ES_CONF" ES_TMPDIR="$ES_DIR/tmp" \
    ES_JAVA_OPTS="$ES_JVM_OPTS" \
    timeout "$START_TIMEOUT" setsid -w "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" >"$ES_LAUNCHER_LOG" 2>&1 </dev/null; then
    stop_pid "$ES_PID" 30 "$ES_HOME"
    fail elasticsearch "the node failed to start" "$ES_LAUNCHER_LOG" "$ES_LOG"
  fi
  if ! wait_for "$START_TIMEOUT" es_healthy; then
    stop_pid "$ES_PID" 30 "$ES_HOME"
    fail elasticsearch "not healthy after ${START_TIMEOUT}s" "$ES_LOG"
  fi
  ok "elasticsearch up in $(since "$t0")s — $ELASTICSEARCH_URL"
}

es_down() {
  if pid_alive "$ES_PID" "$ES_HOME"; then
    say "stopping Elasticsearch…"
    stop_pid "$ES_PID" 60 "$ES_HOME"
  fi
  ok "elasticsearch down"
}

es_status() { pid_alive "$ES_PID" "$ES_HOME" && es_healthy; }

# ---------------------------------------------------------------------------- commands

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

service_fn() { # service action -> function name
  case $1 in
    postgres) echo "pg_$2" ;;
    redis) echo "redis_$2" ;;
    elasticsearch) echo "es_$2" ;;
    *) printf '✗ unknown service "%s" (expected: %s)\n' "$1" "${ALL_SERVICES[*]}" >&2; usage 2 ;;
  esac
}

service_url() {
  case $1 in
    postgres) echo "$DATABASE_URL" ;;
    redis) echo "$REDIS_URL" ;;
    elasticsearch) echo "$ELASTICSEARCH_URL" ;;
  esac
}

main() {
  local cmd=${1:-}
  [ $# -gt 0 ] && shift
  local services=("$@")
  [ ${#services[@]} -gt 0 ] || services=("${ALL_SERVICES[@]}")
  local s
  for s in "${services[@]}"; do service_fn "$s" up >/dev/null; done # validates the names

  case $cmd in
    up | down)
      mkdir -p "$STATE"
      # one `up`/`down` at a time (two terminals, or parallel CI steps)
      exec 9>"$STATE/.lock"
      flock -w 600 9 || die "another scripts/services.sh is still running (lock .services/.lock)"
      if [ "$cmd" = down ]; then
        # stop in the reverse order of `up`
        local i
        for ((i = ${#services[@]} - 1; i >= 0; i--)); do "$(service_fn "${services[i]}" down)"; done
      else
        prepare_state
        for s in "${services[@]}"; do "$(service_fn "$s" up)"; done
      fi
      ;;
    status)
      # informational: exits 0 whatever the states (`up` is the way to make sure)
      for s in "${services[@]}"; do
        if "$(service_fn "$s" status)" 2>/dev/null; then
          printf '%-14s up    %s\n' "$s" "$(service_url "$s")"
        else
          printf '%-14s down  %s\n' "$s" "$(service_url "$s")"
        fi
      done
      ;;
    env)
      printf 'export DATABASE_URL=%s\n' "$DATABASE_URL"
      printf 'export REDIS_URL=%s\n' "$REDIS_URL"
      printf 'export ELASTICSEARCH_URL=%s\n' "$ELASTICSEARCH_URL"
      ;;
    -h | --help | help) usage 0 ;;
    *) usage 2 ;;
  esac
}

main "$@"
