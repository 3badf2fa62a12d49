#!/usr/bin/env bash
# The ledger benchmark (see README.md, "Benchmark"). Prints progress on stderr and one JSON summary
# line on stdout. Options are JVM system properties, e.g.:
#   ./run-benchmark.sh -Dpayments=200000 -DbaselineSeconds=20
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests package -pl benchmarks -am
exec java -Xmx2g "$@" \
  -DpgSettings="${PG_SETTINGS:-max_wal_size=4GB,checkpoint_timeout=30min,wal_buffers=64MB}" \
  -jar benchmarks/target/benchmarks-*-exec.jar
