#!/usr/bin/env bash
# --dry-run's time estimate against the measured explanation phase (summary.json
# timings.explainSeconds) of the same run, for the chosen estimator. Prints one line per case.
#   bench/scripts/dryrun-accuracy.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-$(mktemp -d)}"
./dime demo --inputs-only --out "$work/in" >/dev/null
vec="$work/vec"
mkdir -p "$vec"
/usr/bin/python3 - "$vec" <<'EOF'
import json, random, sys
d = sys.argv[1]
r = random.Random(7)
with open(d + "/data.jsonl", "w") as f:
    for i in range(40):
        f.write(json.dumps({"id": "p%d" % i,
                            "d1": [round(r.uniform(-1, 1), 4) for _ in range(10)],
                            "d2": [round(r.uniform(-1, 1), 4) for _ in range(10)]}) + "\n")
with open(d + "/pipeline.yaml", "w") as f:
    f.write("modalities:\n"
            "  - {name: d1, plugin: vector, settings: {length: 10, input: d1}}\n"
            "  - {name: d2, plugin: vector, settings: {length: 10, input: d2}}\n"
            "output: logits\noutputKind: logits\nclassNames: [\"0\", \"1\"]\n")
EOF
head -6 "$work/in/fashion/demo.jsonl" >"$work/in/fashion/six.jsonl"
run() { # name, then explain arguments
  local name="$1"; shift
  local est
  est=$(./dime explain "$@" --dry-run --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print([e for e in r["estimators"] if e["chosen"]][0]["estimatedSeconds"])')
  rm -rf "$work/out-$name"
  ./dime explain "$@" --out "$work/out-$name" --quiet >/dev/null || true
  local real
  real=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["explainSeconds"])' "$work/out-$name/summary.json")
  /usr/bin/python3 -c 'import sys; e, r = float(sys.argv[2]), float(sys.argv[3]); print("%-28s estimated %8.1f s  measured %8.1f s  ratio %.2f" % (sys.argv[1], e, r, e / r))' "$name" "$est" "$real"
}
m="onnx:$work/in/vectors/synthetic_mlp.onnx"
run vectors-sampled --model "$m" --pipeline "$vec/pipeline.yaml" --data "$vec/data.jsonl" --samples 1000 --references 100
run vectors-exact --model "$m" --pipeline "$vec/pipeline.yaml" --data "$vec/data.jsonl" --estimator exact --references 30 --samples 1000
run demo6-sampled --model "onnx:$work/in/fashion/fashion_vqa.onnx" --pipeline "$work/in/fashion/pipeline.yaml" --data "$work/in/fashion/six.jsonl" --pool "$work/in/fashion/pool.jsonl" --samples 300 --references 30
run demo6-exact --model "onnx:$work/in/fashion/fashion_vqa.onnx" --pipeline "$work/in/fashion/pipeline.yaml" --data "$work/in/fashion/six.jsonl" --pool "$work/in/fashion/pool.jsonl" --estimator exact --references 10 --samples 300
