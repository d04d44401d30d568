#!/usr/bin/python3
"""Diagnostic for issue 2: the committed k2 recipe, re-run with other training seeds.

Usage (from the repository root; Debian's python3-torch, python3-numpy, python3-onnx)::

    /usr/bin/python3 dime-reproduce/src/main/python/synthetic_recipe_seeds.py --out-dir /tmp/k2-seeds \
        [--seeds 2022 1 2 3 4]                                      # ~3 min per seed

The data are the task's (seed 2022, as committed); only the training seed changes (torch's
initialisation and the mini-batch order). For every seed the recipe of ``train_synthetic.py``
runs unchanged (Adam, cosine decay, 40 epochs), and two epochs are exported to ONNX:

* ``k2-seed<S>-acc.onnx``: the recipe's own choice, the epoch with the best validation accuracy;
* ``k2-seed<S>-ce.onnx``: the epoch with the lowest validation cross-entropy (the training loss).

It prints a Markdown table with, per seed and choice: the epoch, the validation accuracy and
cross-entropy at that epoch, the test accuracy, the test cross-entropy and corr(logit1 - logit0, y)
on the test split. No explanation is computed here;
``results/README.md`` shows how the exported models were then explained. Nothing in the repository
is written: the committed model stays what the recipe gave.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dime_synth  # noqa: E402
import train_synthetic as ts  # noqa: E402


def export(mlp, path: str) -> None:
    wrapper = ts.MultiInput(mlp).eval()
    example = tuple(torch.zeros(1, dime_synth.DIM) for _ in range(2))
    dyn = {n: {0: "batch"} for n in ["d1", "d2", "logits"]}
    torch.onnx.export(wrapper, example, path, input_names=["d1", "d2"], output_names=["logits"],
                      dynamic_axes=dyn, opset_version=13, do_constant_folding=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--seeds", type=int, nargs="+", default=[2022, 1, 2, 3, 4])
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    cfg = dict(ts.CONFIGS["k2"])
    _, m, _, _, _ = dime_synth.TASKS["k2"]
    parts, y, labels, _ = dime_synth.generate("k2")
    data = {}
    for which in ("train", "valid", "test"):
        p, yy, ll = dime_synth.split("k2", parts, y, labels, which)
        data[which] = (torch.from_numpy(np.concatenate(p, axis=1).astype(np.float32)), yy,
                       torch.from_numpy(ll.astype(np.int64)))
    xtr, _, ttr = data["train"]
    loss_fn = torch.nn.CrossEntropyLoss()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    def evaluate(mlp, which):
        x, yy, ll = data[which]
        acc, ce, d = ts.score_k2(mlp, x, ll, loss_fn)
        return acc, ce, float(np.corrcoef(d, yy)[0, 1])

    print("| training seed | choice | epoch | valid accuracy | valid cross-entropy | test accuracy | "
          "test cross-entropy | corr(logit1 - logit0, y) |")
    print("|---|---|---|---|---|---|---|---|")
    for seed in args.seeds:
        torch.manual_seed(seed)
        mlp = ts.build_mlp(m * dime_synth.DIM, cfg["hidden"], cfg["outputs"])
        best_acc = (-1.0, 0, None)
        best_ce = (float("inf"), 0, None)
        for epoch, _, _ in ts.train_epochs(mlp, xtr, ttr, loss_fn, cfg, seed):
            acc, ce, _ = evaluate(mlp, "valid")
            state = {k: v.detach().clone() for k, v in mlp.state_dict().items()}
            if acc > best_acc[0]:
                best_acc = (acc, epoch, state)
            if ce < best_ce[0]:
                best_ce = (ce, epoch, state)
        for name, (_, epoch, state) in (("acc", best_acc), ("ce", best_ce)):
            mlp.load_state_dict(state)
            vacc, vce, _ = evaluate(mlp, "valid")
            acc, ce, r = evaluate(mlp, "test")
            export(mlp, os.path.join(args.out_dir, f"k2-seed{seed}-{name}.onnx"))
            label = "best valid accuracy (the recipe)" if name == "acc" else "lowest valid CE"
            print(f"| {seed} | {label} | {epoch} | {vacc:.4f} | {vce:.4f} | {acc:.4f} | {ce:.4f} | "
                  f"{r:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
