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
    for i in range(200):
        f.write(json.dumps({"id": "p%d" % i,
                            "d1": [round(r.uniform(-1, 1), 4) for _ in range(10)],
                            "d2": [round(r.uniform(-1, 1), 4) for _ in range(10)]}) + "\n")
with open(d + "/pipeline.yaml", "w") as f:
    f.write("modalities:\n"
            "  - {name: d1, plugin: vector, settings: {length: 10, input: d1}}\n"
            "  - {name: d2, plugin: vector, settings: {length: 10, input: d2}}\n"
            "output: logits\noutputKind: logits\nclassNames: [\"0\", \"1\"]\n")
EOF
head -12 "$work/in/fashion/demo.jsonl" >"$work/in/fashion/six.jsonl"
# A series + vector model (random weights, fixed seed): a 1-D convolution over a 64-step series,
# averaged over time, and a linear read of a 4-vector, multiplied (so the two interact).
ser="$work/series"
mkdir -p "$ser"
/usr/bin/python3 - "$ser" <<'EOF'
import json, random, sys
import torch
d = sys.argv[1]
torch.manual_seed(3)
class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, 16, 5, padding=2)
        self.head = torch.nn.Linear(16, 2)
        self.v = torch.nn.Linear(4, 2)
    def forward(self, series, v):
        h = torch.relu(self.conv(series)).mean(dim=2)
        return self.head(h) * torch.tanh(self.v(v)) + self.head(h)
m = M().eval()
torch.onnx.export(m, (torch.zeros(2, 1, 64), torch.zeros(2, 4)), d + "/series.onnx",
                  input_names=["series", "v"], output_names=["logits"],
                  dynamic_axes={"series": {0: "batch"}, "v": {0: "batch"}, "logits": {0: "batch"}},
                  opset_version=13)
r = random.Random(11)
for name, n in (("data", 200), ("pool", 100)):
    with open("%s/%s.jsonl" % (d, name), "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": "%s%d" % (name, i),
                                "series": [[round(r.gauss(0, 1), 4) for _ in range(64)]],
                                "v": [round(r.uniform(-1, 1), 4) for _ in range(4)]}) + "\n")
with open(d + "/pipeline.yaml", "w") as f:
    f.write("modalities:\n"
            "  - {name: series, plugin: timeseries, settings: {channels: 1, length: 64, window: 4, input: series}}\n"
            "  - {name: v, plugin: vector, settings: {length: 4, input: v}}\n"
            "output: logits\noutputKind: logits\nclassNames: [\"0\", \"1\"]\n")
EOF
run() { # name, then explain arguments
  local name="$1"; shift
  local est t0 t1
  t0=$(date +%s.%N)
  est=$(./dime explain "$@" --dry-run --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print([e for e in r["estimators"] if e["chosen"]][0]["estimatedSeconds"])')
  t1=$(date +%s.%N)
  rm -rf "$work/out-$name"
  ./dime explain "$@" --out "$work/out-$name" --quiet >/dev/null || true
  local real
  real=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timings"]["explainSeconds"])' "$work/out-$name/summary.json")
  /usr/bin/python3 -c 'import sys; e, r = float(sys.argv[2]), float(sys.argv[3]); print("%-28s estimated %8.1f s  measured %8.1f s  ratio %.2f  (the dry run: %.1f s)" % (sys.argv[1], e, r, e / r, float(sys.argv[4]) - float(sys.argv[5])))' "$name" "$est" "$real" "$t1" "$t0"
}
m="onnx:$work/in/vectors/synthetic_mlp.onnx"
run vectors-sampled --model "$m" --pipeline "$vec/pipeline.yaml" --data "$vec/data.jsonl" --samples 1000
run series-sampled --model "onnx:$ser/series.onnx" --pipeline "$ser/pipeline.yaml" --data "$ser/data.jsonl" --pool "$ser/pool.jsonl" --samples 500
run series-exact --model "onnx:$ser/series.onnx" --pipeline "$ser/pipeline.yaml" --data "$ser/data.jsonl" --pool "$ser/pool.jsonl" --estimator exact --references 20 --samples 500
run vectors-exact --model "$m" --pipeline "$vec/pipeline.yaml" --data "$vec/data.jsonl" --estimator exact --references 30 --samples 1000
run demo12-sampled --model "onnx:$work/in/fashion/fashion_vqa.onnx" --pipeline "$work/in/fashion/pipeline.yaml" --data "$work/in/fashion/six.jsonl" --pool "$work/in/fashion/pool.jsonl" --samples 300 --references 30
run demo12-default --model "onnx:$work/in/fashion/fashion_vqa.onnx" --pipeline "$work/in/fashion/pipeline.yaml" --data "$work/in/fashion/six.jsonl" --pool "$work/in/fashion/pool.jsonl"
run demo12-exact --model "onnx:$work/in/fashion/fashion_vqa.onnx" --pipeline "$work/in/fashion/pipeline.yaml" --data "$work/in/fashion/six.jsonl" --pool "$work/in/fashion/pool.jsonl" --estimator exact --references 10 --samples 300
