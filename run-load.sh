#!/usr/bin/env bash
# The load generator (see README.md, "Load"). Progress on stderr, one JSON summary line on stdout.
# Options are JVM system properties, e.g.:
#   ./run-load.sh -Drate=500 -Dduration=60s -DkafkaShare=0.5 -Daccounts=1000 -DhotAccounts=10 -DhotShare=0.1
# It starts the platform locally (broker and PostgreSQL in its JVM, each service its own process), unless
# SYSTEM_STACK=external and the services' variables name a running stack.
set -euo pipefail
cd "$(dirname "$0")"
./mvnw -q -B -DskipTests package -pl system-tests -am
jar=$(ls system-tests/target/system-tests-*-exec.jar)
version=${jar#system-tests/target/system-tests-}
version=${version%-exec.jar}
exec java -Xmx2g "$@" \
  -Dpayledger.system-stack.root="$PWD" \
  -Dpayledger.system-stack.version="$version" \
  -Dpayledger.system-stack.work-directory="$PWD/system-tests/target/system-stack" \
  -Dloader.main=io.payledger.systemtest.load.LoadMain -cp "$jar" \
  org.springframework.boot.loader.launch.PropertiesLauncher
