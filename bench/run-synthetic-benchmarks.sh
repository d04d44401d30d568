#!/usr/bin/env bash
# Reproduces the synthetic-experiment figures of BENCHMARKS.md: seconds per explained point
# (JMH, two datapoint threads, one pipelined model thread), and the model-only time for the same
# rows (JMH, best over batch sizes, ONNX Runtime threads and callers). Run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests -Dspotless.check.skip -Djacoco.skip
out=bench/target/jmh-synthetic.json
java -jar bench/target/benchmarks.jar 'SyntheticBenchmark' -rf json -rff "$out" "$@"
echo "JMH results: $out"
