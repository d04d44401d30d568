#!/usr/bin/env bash
set -e
out=/work/main/bench/issue18/fourteenth-pass/fast-ab
mkdir -p $out
for r in 1 2 3; do
  for t in old new; do
    root=/tmp/oldtree; [ $t = new ] && root=/work/main
    $root/dime reproduce synthetic --quiet --points 1000 --threads 2 --json $out/pf-$t-$r.json --estimator paper-faithful --references 100 > /dev/null 2>&1
    $root/dime reproduce synthetic --quiet --points 1000 --threads 2 --json $out/fast-$t-$r.json --preset fast > /dev/null 2>&1
  done
done
/usr/bin/python3 - $out <<'PY'
import json,sys,statistics
o=sys.argv[1]
for t in ["old","new"]:
  pf=[json.load(open(f"{o}/pf-{t}-{r}.json"))["secondsPerPoint"] for r in (1,2,3)]
  fa=[json.load(open(f"{o}/fast-{t}-{r}.json"))["secondsPerPoint"] for r in (1,2,3)]
  print(t, "pf", [round(x,4) for x in pf], "fast", [round(x,4) for x in fa], "ratio", [round(a/b,3) for a,b in zip(fa,pf)], "median", round(statistics.median([a/b for a,b in zip(fa,pf)]),3))
PY
echo done
