"""Writes the long-job manifest of RELIABILITY.md: N records of two 10-value vectors for the
synthetic two-modality model (dime-reproduce's synthetic_mlp.onnx), every 10th one bad (its d1
holds 9 values), and the pipeline that reads them. Usage: big_manifest.py N (in an empty folder),
then copy dime-reproduce/src/main/resources/io/dime/reproduce/models/synthetic_mlp.onnx there."""
import random
import sys

n = int(sys.argv[1])
rnd = random.Random(7)


def vec(k):
    return "[" + ",".join("%.4f" % rnd.uniform(-1, 1) for _ in range(k)) + "]"


with open("pipeline.yaml", "w") as f:
    f.write("""modalities:
  - name: d1
    plugin: vector
    settings: {length: 10, input: d1}
  - name: d2
    plugin: vector
    settings: {length: 10, input: d2}
output: logits
outputKind: logits
classNames: ["0", "1"]
""")
with open("data.jsonl", "w") as f:
    for i in range(n):
        if i % 10 == 9:
            f.write('{"id":"p%d","d1":%s,"d2":%s}\n' % (i, vec(9), vec(10)))
        else:
            f.write('{"id":"p%d","d1":%s,"d2":%s,"label":"%d"}\n' % (i, vec(10), vec(10), i % 2))
