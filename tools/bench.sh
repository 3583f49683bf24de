#!/usr/bin/env bash
# Runs seb's JMH benchmarks (contracts module, test sources). Arguments go to JMH, for example:
#   tools/bench.sh DecisionBenchmark            all modes
#   tools/bench.sh DecisionBenchmark -f 1 -wi 2 -i 3
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
./mvnw -q -B -pl contracts -am test-compile -Dspotless.check.skip=true \
  dependency:build-classpath -Dmdep.outputFile=target/test.classpath -DincludeScope=test
exec java -cp "contracts/target/test-classes:contracts/target/classes:$(cat contracts/target/test.classpath)" \
  org.openjdk.jmh.Main "$@"
