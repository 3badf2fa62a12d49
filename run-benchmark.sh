#!/usr/bin/env bash
# The benchmarks (see README.md, "Benchmark"). Progress on stderr, one JSON summary line on stdout.
# Options are JVM system properties, e.g.:
#   ./run-benchmark.sh -Dpayments=200000 -DbaselineSeconds=20        # the ledger
#   ./run-benchmark.sh intake -Dpayments=20000 -Dconcurrency=32     # HTTP intake, with and without token checks
#   ./run-benchmark.sh webhooks -Ddeliveries=20000                  # webhooks to ten receivers, one hanging or none
set -euo pipefail
cd "$(dirname "$0")"
main=io.payledger.benchmarks.LedgerBenchmark
case "${1:-}" in
  intake) main=io.payledger.benchmarks.IntakeBenchmark; shift ;;
  webhooks) main=io.payledger.benchmarks.WebhookBenchmark; shift ;;
esac
./mvnw -q -B -DskipTests package -pl benchmarks -am
exec java -Xmx2g "$@" \
  -DpgSettings="${PG_SETTINGS:-max_wal_size=4GB,checkpoint_timeout=30min,wal_buffers=64MB}" \
  -Dloader.main="$main" -cp benchmarks/target/benchmarks-*-exec.jar \
  org.springframework.boot.loader.launch.PropertiesLauncher
