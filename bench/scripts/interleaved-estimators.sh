#!/usr/bin/env bash
# Interleaved rounds of `dime reproduce synthetic` with the default estimator, paper-faithful(100)
# and --preset fast on the same model and points (issue 18, acceptance 2 and 3), then a table of
# secondsPerPoint, passes and accuracy with min / median / max and the per-round ratios.
#
# usage: bench/scripts/interleaved-estimators.sh OUT_DIR [ROUNDS] [POINTS]
# Runs through ./dime (which builds the distribution when needed) with its JVM options.
set -euo pipefail
out=${1:?usage: $0 OUT_DIR [ROUNDS] [POINTS]}
rounds=${2:-3}
points=${3:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
run() { # name args...
  local name=$1; shift
  "$root/dime" reproduce synthetic --quiet \
    --points "$points" --threads 2 --json "$out/$name.json" "$@" > "$out/$name.log" 2>&1
}
for r in $(seq 1 "$rounds"); do
  echo "round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  run "default-$r"
  run "pf-$r" --estimator paper-faithful --references 100
  run "fast-$r" --preset fast
done
/usr/bin/python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
names = ["default", "pf", "fast"]
d = {n: [json.load(open(f"{out}/{n}-{r}.json")) for r in range(1, rounds + 1)] for n in names}
print("| estimator | secondsPerPoint min / median / max | passes per point (sent / formula) |"
      " UC1 / UC2 | MI1 / MI2 |")
print("|---|---|---|---|---|")
for n in names:
    s = sorted(x["secondsPerPoint"] for x in d[n])
    j = d[n][0]
    c = j["correlations"]
    fp = j["forwardPasses"]
    print(f"| {n} | {s[0]:.4f} / {statistics.median(s):.4f} / {s[-1]:.4f} |"
          f" {fp['perPoint']:,.0f} / {fp['formulaPerPoint']:,.0f} |"
          f" {c['UC1']['d1']:.4f} / {c['UC2']['d2']:.4f} |"
          f" {c['MI1']['d1*d2']:.4f} / {c['MI2']['d1*d2']:.4f} |")
for a, b in [("default", "pf"), ("fast", "pf"), ("fast", "default")]:
    r = [x["secondsPerPoint"] / y["secondsPerPoint"] for x, y in zip(d[a], d[b])]
    print(f"{a} / {b} per round: " + ", ".join(f"{v:.3f}" for v in r)
          + f"; median {statistics.median(r):.3f}")
for n in names:
    x = d[n][0]["crossExcess"]
    cells = ", ".join(f"{t}x{f} {v:+.4f}" for t in x for f, v in x[t].items())
    print(f"crossExcess {n}: {cells}")
PY
