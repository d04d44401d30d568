#!/bin/bash
# --dry-run of dime reproduce synthetic against the real run (secondsPerPoint x points), default and exact(30), 300 points.
cd "$(dirname "$0")/../.."
for est in sampled exact; do
  case $est in sampled) a=();; exact) a=(--estimator exact --references 30);; esac
  e=$(java -cp 'dist/target/lib/*' io.dime.cli.Main reproduce synthetic --points 300 "${a[@]}" --dry-run --dry-run-json 2>/dev/null | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print([x for x in r["estimators"] if x["chosen"]][0]["estimatedSeconds"])')
  java -cp 'dist/target/lib/*' io.dime.cli.Main reproduce synthetic --points 300 --quiet "${a[@]}" --json ${TMPDIR:-/tmp}/dime-synth-$est.json > /dev/null 2>&1
  m=$(/usr/bin/python3 -c "import json; d=json.load(open('${TMPDIR:-/tmp}/dime-synth-$est.json')); print(d['secondsPerPoint']*d['points'])")
  /usr/bin/python3 -c "print('synthetic-$est (300 points)     estimated %6.1f s  measured %6.1f s  ratio %.2f' % ($e, $m, $e/$m))"
done
