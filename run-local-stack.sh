#!/usr/bin/env bash
# Builds the platform and runs it on this machine with nothing but a JDK (17+): an embedded Kafka
# broker and PostgreSQL, the issuer, all four services and seeded demo accounts. Pass --fresh to start from an
# empty .local-stack/ data directory. See README.md for configuration.
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (first run downloads dependencies)..."
./mvnw -q -B -DskipTests package -pl local-stack -am
exec java -jar local-stack/target/local-stack-*-exec.jar "$@"
