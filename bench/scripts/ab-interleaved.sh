#!/usr/bin/env bash
# A/B of the interleaved JMH benchmark (issue 18, acceptance 5) between benchmark jars built from
# two trees, run in the order given (alternate them: A B A B A B), each with the acceptance's
# options but ITERATIONS measured iterations (default 5). Prints, per run, the sums of the two
# phases' times over the iterations and their ratio (explanation / model alone).
#
# usage: bench/scripts/ab-interleaved.sh OUT_PREFIX JAR...
#   build a jar: ./mvnw -o -B -q package -DskipTests -Djacoco.skip -pl dist,bench -am
#   (in a worktree of the other commit), then copy bench/target/benchmarks.jar away.
set -euo pipefail
out=${1:?usage: $0 OUT_PREFIX JAR...}
shift
r=0
for jar in "$@"; do
  r=$((r + 1))
  name="$out-$r-$(basename "$jar" .jar)"
  java -jar "$jar" 'SyntheticBenchmark.interleavedExplainAndModel' -p estimator=sampled \
    -wi 2 -w 5 -i "${ITERATIONS:-5}" -r 10 -f 1 \
    -jvmArgsAppend "-Xmx4g -Xms1g -XX:+UseSerialGC" -rf json -rff "$name.json" > "$name.log" 2>&1
  python3 - "$name.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))[0]["secondaryMetrics"]
e = sum(sum(x) for x in m["explainMs"]["rawData"])
d = sum(sum(x) for x in m["modelMs"]["rawData"])
print(sys.argv[1], round(e), round(d), round(e / d, 4))
PY
done
