#!/usr/bin/python3
"""Diagnostic for issue 2: how the legacy synthetic MLP's score depends on y.

Usage (from the repository root; Debian's python3-torch, python3-numpy, python3-onnx)::

    /usr/bin/python3 dime-reproduce/src/main/python/synthetic_mlp_logit_check.py            # ~10 s
    /usr/bin/python3 dime-reproduce/src/main/python/synthetic_mlp_logit_check.py --curve    # + ~3 min

Prints, for ``synthetic_mlp-seed2022-legacy.onnx`` (the recipe under training seed 2022, the
default k2 model until issue 18 replaced it by the seed the issue's validation rule selected;
``--model`` names another file) on the k2 test split, the mean of
``logit1 - logit0`` (and of ``logit1``, the explained score) over bins of y, and their
correlations with y. With ``--curve`` it re-runs the training recipe that made that model
(``train_synthetic.py --task k2 --train-seed 2022``: same seeds, same steps; nothing is written) and prints, after
every epoch, the validation accuracy (the recipe's selection metric), the validation
cross-entropy, the median ``|logit1 - logit0|`` and ``corr(logit1 - logit0, y)``. No explanation
is computed: these are properties of the model alone.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dime_synth  # noqa: E402
import train_synthetic as ts  # noqa: E402

MODEL = os.path.join(ts.DEFAULT_OUT, "synthetic_mlp-seed2022-legacy.onnx")
BINS = [-20, -8, -4, -2, -1, -0.5, 0, 0.5, 1, 2, 4, 8, 20]


def logit_table(parts, y, labels, path: str) -> None:
    p, yy, _ = dime_synth.split("k2", parts, y, labels, "test")
    model = onnx.load(path)
    out = ts.onnx_forward(model, {"d1": p[0].astype(np.float32), "d2": p[1].astype(np.float32)})
    lg = out["logits"]
    d = lg[:, 1] - lg[:, 0]
    print(f"{os.path.basename(path)}, test split: corr(logit1 - logit0, y) = {np.corrcoef(d, yy)[0, 1]:.3f}, "
          f"corr(logit1, y) = {np.corrcoef(lg[:, 1], yy)[0, 1]:.3f}")
    print("| y | points | mean logit1 - logit0 | sd | mean logit1 |")
    print("|---|---|---|---|---|")
    for a, b in zip(BINS[:-1], BINS[1:]):
        s = (yy >= a) & (yy < b)
        if s.any():
            print(f"| [{a}, {b}) | {int(s.sum())} | {d[s].mean():.2f} | {d[s].std():.2f} | "
                  f"{lg[s, 1].mean():.2f} |")


def curve(parts, y, labels) -> None:
    cfg = dict(ts.CONFIGS["k2"])
    seed, m, _, _, _ = dime_synth.TASKS["k2"]
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    data = {}
    for which in ("train", "valid"):
        p, yy, ll = dime_synth.split("k2", parts, y, labels, which)
        data[which] = (np.concatenate(p, axis=1).astype(np.float32), yy, ll)
    xtr = torch.from_numpy(data["train"][0])
    ttr = torch.from_numpy(data["train"][2].astype(np.int64))
    xv = torch.from_numpy(data["valid"][0])
    lv = torch.from_numpy(data["valid"][2].astype(np.int64))
    yv = data["valid"][1]
    loss_fn = torch.nn.CrossEntropyLoss()
    mlp = ts.build_mlp(m * dime_synth.DIM, cfg["hidden"], cfg["outputs"])
    print("| epoch | valid accuracy | valid cross-entropy | median abs(logit1 - logit0) | "
          "corr(logit1 - logit0, y) |")
    print("|---|---|---|---|---|")
    for epoch, _, _ in ts.train_epochs(mlp, xtr, ttr, loss_fn, cfg, seed):
        acc, nll, d = ts.score_k2(mlp, xv, lv, loss_fn)
        print(f"| {epoch} | {acc:.4f} | {nll:.4f} | {np.median(np.abs(d)):.2f} | "
              f"{np.corrcoef(d, yv)[0, 1]:.3f} |", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--curve", action="store_true", help="also re-run the recipe (~3 min)")
    ap.add_argument("--model", default=MODEL, help="the ONNX file (default: the legacy model)")
    args = ap.parse_args()
    parts, y, labels, _ = dime_synth.generate("k2")
    logit_table(parts, y, labels, args.model)
    if args.curve:
        curve(parts, y, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
