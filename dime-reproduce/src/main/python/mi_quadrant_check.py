#!/usr/bin/python3
"""A whole-quadrant version of the pointing game, in PyTorch: a diagnostic for issue 5, item 2.

Usage, from the repository root (Debian's python3-torch, python3-onnx, python3-pil; the
training script's imports also need python3-opencv):
    /usr/bin/python3 dime-reproduce/src/main/python/mi_quadrant_check.py raw MODEL.onnx [MODEL.onnx ...]
    /usr/bin/python3 dime-reproduce/src/main/python/mi_quadrant_check.py centered MODEL.onnx ...

For the first 100 "What is in the Q?" questions of questions.jsonl, with c the predicted answer
and s the explained score of class c (raw: the logit; centered: the logit minus the row's mean
logit; logprob: the log-probability):
* f drop of quadrant q: s(scene, question) - s(scene with q painted black, question);
* UC drop of quadrant q: the same drop averaged over the 100 questions of pool.jsonl;
* MI of quadrant q: f drop - UC drop, the whole-quadrant analogue of DIME's MI_V mass;
and prints how often the asked quadrant has the largest MI, then, per pool question type, that
type's part of the UC drop (summed over the types it is the UC drop) at the asked quadrant and at
the other quadrant with the largest MI. The models are ONNX files of the demo's architecture; their
weights are loaded into the training script's torch module.
"""
import collections
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fashion_vqa as fv  # noqa: E402

D = os.path.join(
    HERE, "..", "..", "..", "..", "dime-demo", "src", "main", "resources", "io", "dime", "demo",
    "fashion") + os.sep
QUAD = ["top left", "top right", "bottom left", "bottom right"]
TYPES = ["what", "is_there_at", "is_there", "count"]


def load(path):
    m = onnx.load(path)
    sd = {i.name: torch.tensor(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
    net = fv.FashionVQA(len(fv.VOCAB), len(fv.ANSWERS))
    net.load_state_dict(sd)
    net.eval()
    return net


def image(path):
    return np.asarray(Image.open(D + path).convert("L"), dtype=np.float32) / 255.0


def blank(a, q):
    b = a.copy()
    r, c = divmod(q, 2)
    b[r * 28:(r + 1) * 28, c * 28:(c + 1) * 28] = 0
    return b


def scores(net, mode, images, texts):
    x = torch.tensor(np.repeat(np.stack(images)[:, None], 3, 1))
    enc = [fv.encode_question(t) for t in texts]
    with torch.no_grad():
        z = net(x, torch.tensor([e[0] for e in enc]), torch.tensor([e[1] for e in enc])).numpy()
    z = z.astype(np.float64)
    if mode == "centered":
        z = z - z.mean(axis=1, keepdims=True)
    elif mode == "logprob":
        m = z.max(axis=1, keepdims=True)
        z = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return z


def main(argv):
    if len(argv) < 2 or argv[0] not in ("raw", "centered", "logprob"):
        print(__doc__)
        return 2
    mode = argv[0]
    pool = [json.loads(line) for line in open(D + "pool.jsonl")]
    questions = [json.loads(line) for line in open(D + "questions.jsonl")]
    texts = [p["question"] for p in pool]
    for path in argv[1:]:
        net = load(path)
        hits, n = 0, 0
        parts = collections.defaultdict(lambda: np.zeros(2))
        f_drops = np.zeros(2)
        for q in questions[:200]:
            if q["type"] != "what":
                continue
            a = image(q["image"])
            asked = QUAD.index(q["quadrant"])
            variants = [a] + [blank(a, k) for k in range(4)]
            f = scores(net, mode, variants, [q["question"]] * 5)
            c = int(np.argmax(f[0]))
            f_drop = f[0, c] - f[1:, c]
            per = np.stack([scores(net, mode, [v] * len(texts), texts)[:, c] for v in variants])
            uc_each = per[0][None, :] - per[1:]  # [quadrant, pool question]
            mi = f_drop - uc_each.mean(axis=1)
            n += 1
            hits += int(np.argmax(mi) == asked)
            others = [k for k in range(4) if k != asked]
            rival = others[int(np.argmax(mi[others]))]
            f_drops += [f_drop[asked], f_drop[rival]]
            for t in TYPES:
                sel = np.array([p["type"] == t for p in pool])
                parts[t] += [uc_each[asked, sel].sum() / len(pool), uc_each[rival, sel].sum() / len(pool)]
        print(f"{path} ({mode} scores): {n} 'what' questions; the asked quadrant has the largest "
              f"whole-quadrant MI in {hits}")
        print(f"  mean f drop: asked quadrant {f_drops[0] / n:.3f}, best other quadrant {f_drops[1] / n:.3f}")
        print("  part of the UC drop by pool question type (asked, best other):")
        for t in TYPES:
            print(f"    {t:12s} {parts[t][0] / n:7.3f} {parts[t][1] / n:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
