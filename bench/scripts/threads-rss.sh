#!/usr/bin/env bash
# Thread scaling (1 and 2 explaining threads) and peak RSS of `dime reproduce synthetic` for the
# default estimator, paper-faithful(100) and --preset fast (issue 18). One process per cell, in an
# interleaved order; prints secondsPerPoint, wall seconds and peak RSS (GNU time's %M).
#
# usage: bench/scripts/threads-rss.sh OUT_DIR [POINTS] [ROUNDS]
set -euo pipefail
out=${1:?usage: $0 OUT_DIR [POINTS] [ROUNDS]}
points=${2:-300}
rounds=${3:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
printf '| round | estimator | threads | secondsPerPoint | wall s | peak RSS MB |\n|---|---|---|---|---|---|\n'
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    for e in default pf fast; do
      case $e in
        default) args=() ;;
        pf) args=(--estimator paper-faithful --references 100) ;;
        fast) args=(--preset fast) ;;
      esac
      /usr/bin/time -f '%e %M' -o "$out/$e-$t-$r.time" \
        java -cp "$root/dist/target/lib/*" io.dime.cli.Main reproduce synthetic --quiet \
        --points "$points" --threads "$t" --json "$out/$e-$t-$r.json" "${args[@]}" > /dev/null 2>&1
      read -r wall rss < "$out/$e-$t-$r.time"
      spp=$(/usr/bin/python3 -c "import json;print(round(json.load(open('$out/$e-$t-$r.json'))['secondsPerPoint'],4))")
      printf '| %s | %s | %s | %s | %s | %s |\n' "$r" "$e" "$t" "$spp" "$wall" "$((rss / 1024))"
    done
  done
done
