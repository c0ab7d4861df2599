#!/usr/bin/env bash
# The benchmark at two sizes (fixtures only; fixtures + synthetic scale 1) on SQLite and
# PostgreSQL. Prepares each database, runs `manage.py bench`, then prints the comparison
# against the performance targets. Figures land in bench/results/*.json.
#
#   BENCH_DURATION   seconds of load per URL (default 5)
#   BENCH_SCALE      synthetic scale for the large size (default 1)
#   BENCH_DATABASES  "sqlite postgresql" (default both)
#   BENCH_PG_URL     PostgreSQL server URL without database name (default postgres://postgres@127.0.0.1:5432)
#   BENCH_DB_PREFIX  name prefix of the databases (default rcp_bench: rcp_bench_fixtures, rcp_bench_scale1)
#   BENCH_REDIS_URL  the cache every gunicorn worker shares, flushed before each pass
#                    (default redis://127.0.0.1:6379/3)
#   BENCH_OUT        where the figures land (default bench/results)
#   BENCH_MIXED_DURATION  seconds of each pass of the mixed scenario (default 3 × BENCH_DURATION)
#   BENCH_IMPORT_ROWS     rows of the import check (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=${BENCH_OUT:-bench/results}
PREFIX=${BENCH_DB_PREFIX:-rcp_bench}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/3}
DURATION=${BENCH_DURATION:-5}
SCALE=${BENCH_SCALE:-1}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
mkdir -p "$OUT"

database_url() {  # database_url <db> <size>
  case "$1" in
    sqlite) echo "sqlite:///$PWD/$OUT/$PREFIX-$2.sqlite3" ;;
    postgresql) echo "$PG/${PREFIX}_$2" ;;
  esac
}

prepare() {  # prepare <db> <size> <url>; reuses a database that is already prepared
  local marker="$OUT/.prepared-$PREFIX-$1-$2-$SCALE"
  if [ -f "$marker" ] && [ -z "${BENCH_REBUILD:-}" ]; then
    DATABASE_URL=$3 DEBUG=true $PY manage.py migrate --no-input -v0  # new indexes reach prepared databases
    return
  fi
  case "$1" in
    sqlite) rm -f "$OUT/$PREFIX-$2.sqlite3" ;;
    postgresql)
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${PREFIX}_$2" -qc "CREATE DATABASE ${PREFIX}_$2" ;;
  esac
  DATABASE_URL=$3 DEBUG=true $PY manage.py migrate --no-input -v0
  DATABASE_URL=$3 DEBUG=true $PY manage.py loaddata fixtures/*.json -v0
  if [ "$2" = scale1 ]; then
    DATABASE_URL=$3 DEBUG=true $PY manage.py generate_synthetic --scale "$SCALE" --alongside-real-data
  fi
  if [ "$1" = postgresql ]; then psql "$PG/${PREFIX}_$2" -qc "VACUUM ANALYZE"; fi
  touch "$marker"
}

for db in ${BENCH_DATABASES:-sqlite postgresql}; do
  for size in fixtures scale1; do
    url=$(database_url "$db" "$size")
    echo "== $db, $size =="
    prepare "$db" "$size" "$url"
    DATABASE_URL=$url DJANGO_SETTINGS_MODULE=bench.settings $PY manage.py bench \
      --duration "$DURATION" --label "$db, $size" --json "$OUT/$db-$size.json" \
      ${BENCH_MIXED_DURATION:+--mixed-duration "$BENCH_MIXED_DURATION"} ${BENCH_IMPORT_ROWS:+--import-rows "$BENCH_IMPORT_ROWS"}
  done
done
$PY bench/summary.py "$OUT"
