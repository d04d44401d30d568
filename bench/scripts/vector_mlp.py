# Vector-modality MLPs and data for whole-process benchmarks (BENCHMARKS.md, sixteenth pass):
# k modalities of d features each, concatenated, 16 tanh units, C logits; random weights (seeded).
# Needs numpy and the onnx package (on this machine the `python3` on the PATH has them).
#   python3 bench/scripts/vector_mlp.py mlp  DIR/NAME K D C     -> DIR/NAME.onnx and DIR/NAME.yaml
#   python3 bench/scripts/vector_mlp.py data FILE.jsonl K D N   -> N records r0..r(N-1) (seeded)
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
def mlp(path, k, d, C, H=16, seed=0):
    rng = np.random.default_rng(seed)
    inputs = [helper.make_tensor_value_info(f"m{i+1}", TensorProto.FLOAT, ["N", d]) for i in range(k)]
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", C])
    W1 = numpy_helper.from_array((rng.normal(size=(k*d, H))/np.sqrt(k*d)).astype(np.float32), "W1")
    W2 = numpy_helper.from_array(rng.normal(size=(H, C)).astype(np.float32), "W2")
    nodes = []
    if k > 1:
        nodes.append(helper.make_node("Concat", [f"m{i+1}" for i in range(k)], ["x"], axis=1))
        x = "x"
    else:
        x = "m1"
    nodes += [helper.make_node("MatMul", [x, "W1"], ["h0"]), helper.make_node("Tanh", ["h0"], ["h"]),
              helper.make_node("MatMul", ["h", "W2"], ["logits"])]
    g = helper.make_graph(nodes, "g", inputs, [out], [W1, W2])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, path)
def data(path, k, d, n, seed=1, C=None):
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        for r in range(n):
            parts = ['"id": "r%d"' % r] + ['"m%d": [%s]' % (i+1, ",".join("%.3f" % v for v in rng.normal(size=d))) for i in range(k)]
            f.write("{" + ", ".join(parts) + "}\n")
def pipeline(path, k, d, C):
    with open(path, "w") as f:
        f.write("modalities:\n")
        for i in range(k):
            f.write(f"  - name: m{i+1}\n    plugin: vector\n    settings: {{length: {d}, input: m{i+1}, baseline: zero}}\n")
        f.write("output: logits\noutputKind: logits\n")
        f.write("classNames: [" + ", ".join('"c%d"' % c for c in range(C)) + "]\n")
if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "mlp":
        k, d, C = map(int, sys.argv[3:6]); mlp(sys.argv[2] + ".onnx", k, d, C); pipeline(sys.argv[2] + ".yaml", k, d, C)
    elif kind == "data":
        k, d, n = map(int, sys.argv[3:6]); data(sys.argv[2], k, d, n)
