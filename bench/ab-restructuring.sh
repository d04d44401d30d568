#!/usr/bin/env bash
# A/B: the tree before issue 15 (b7d7ce2) against after, same machine, alternating (BENCHMARKS.md).
# Prepare the two builds first:
#   git clone . /tmp/old && (cd /tmp/old && git checkout b7d7ce2 \
#     && ./mvnw -o -q package -DskipTests -Dspotless.check.skip -pl dist -am)
#   git clone . /tmp/fresh && (cd /tmp/fresh && .ci/run)      # or ./mvnw -q install -DskipTests
set -f
OLD="java -Xmx4g -cp /tmp/old/dist/target/dime-dist-0.1.0-SNAPSHOT.jar:/tmp/old/dist/target/lib/* io.dime.cli.Main"
NEW="java -Xmx4g -cp /tmp/fresh/dist/target/lib/* io.dime.cli.Main"
out=/tmp/ab; rm -rf $out; mkdir -p $out
for round in 1 2 3; do
  for v in old new; do
    cmd=$OLD; [ $v = new ] && cmd=$NEW
    $cmd reproduce synthetic --points 100 --threads 2 --json $out/syn-$v-$round.json --quiet 2>/dev/null
    s=$(date +%s.%N); $cmd demo --out $out/demo-$v-$round --quiet >/dev/null 2>&1; e=$(date +%s.%N)
    spp=$(python3 -c "import json;print(json.load(open('$out/syn-$v-$round.json'))['secondsPerPoint'])")
    echo "$round $v synthetic_secondsPerPoint=$spp demo_wall=$(python3 -c "print(round($e-$s,1))")"
  done
done
