#!/usr/bin/python3
"""An independent NumPy/PyTorch run of the paper's Algorithm 1 on the synthetic task (issue 2).

Shares no code with the Java engine: the models are read from their ONNX files and evaluated with
PyTorch, the table, the perturbations, the kernel and the ridge fit are written here from the
paper's appendix B and DESIGN.md section 4. It answers one question: is the MI diagonal that
``dime reproduce synthetic`` reports for a model a property of that model, or of the Java code?

Usage (Debian's python3-torch, python3-numpy, python3-onnx)::

    /usr/bin/python3 dime-reproduce/src/main/python/paper_algorithm_check.py \
        [--points 100] [--references 100] [--samples 1000] [--seed 0] \
        [--model analytic] [--model PATH.onnx ...]

For every model: N = --references test points form the table X (the paper explains points of X
itself; here the first --points of them are explained), S LIME samples per modality, features
hidden by setting them to 0 (the ``vector`` modality's baseline), each feature kept with
probability 1/2, the first sample unperturbed, kernel sqrt(exp(-d^2 / 0.25^2)) on the cosine
distance to the all-ones mask, ridge alpha 1 with an unpenalised intercept. The explained score is
label 1's centred logit, (z1 - z0) / 2 (the engine's default for a two-class model; correlations
do not depend on the factor 1/2); ``analytic`` explains y = sum(d1) + sum(d2) + d1.d2 itself.

Prints, per model, the mean over points of the Pearson correlation of UC1 with d1, UC2 with d2,
MI1 and MI2 with d1*d2 and plain LIME (on the score) with d1 and d2, each with its standard error,
and corr(score, y) on the table's points.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dime_synth  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
COMMITTED = os.path.join(
    REPO, "dime-reproduce", "src", "main", "resources", "io", "dime", "reproduce", "models",
    "synthetic_mlp.onnx"
)
DIM = 10
KERNEL_WIDTH = 0.25
ALPHA = 1.0


def onnx_mlp(path: str):
    """The graph Concat(d1, d2) -> (Gemm -> Relu)* -> Gemm as a float32 torch function."""
    m = onnx.load(path)
    init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in m.graph.initializer}
    ops = []
    for node in m.graph.node:
        if node.op_type == "Concat":
            continue
        if node.op_type == "Gemm":
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            if attrs.get("transB", 0) != 1 or attrs.get("alpha", 1.0) != 1.0:
                raise SystemExit(f"{path}: unsupported Gemm attributes {attrs}")
            ops.append(("gemm", init[node.input[1]], init[node.input[2]]))
        elif node.op_type == "Relu":
            ops.append(("relu", None, None))
        else:
            raise SystemExit(f"{path}: unsupported operator {node.op_type}")

    def run(d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
        x = torch.from_numpy(np.concatenate([d1, d2], axis=1).astype(np.float32))
        with torch.no_grad():
            for op, w, b in ops:
                x = torch.relu(x) if op == "relu" else torch.addmm(b, x, w.t())
        z = x.double().numpy()
        return (z[:, 1] - z[:, 0]) / 2.0

    return run


def analytic(d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    return d1.sum(axis=1) + d2.sum(axis=1) + (d1 * d2).sum(axis=1)


def lime_design(rng: np.random.Generator, samples: int):
    masks = rng.random((samples, DIM)) < 0.5
    masks[0] = True
    kept = masks.sum(axis=1)
    dist = np.where(kept == 0, 1.0, 1.0 - np.sqrt(kept / DIM))
    weights = np.sqrt(np.exp(-(dist**2) / KERNEL_WIDTH**2))
    return masks.astype(np.float64), weights


def ridge(z: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weighted ridge, intercept unpenalised: columns of y fitted at once; returns [d, targets]."""
    sw = w.sum()
    zc = z - (w @ z) / sw
    yc = y - (w @ y) / sw
    a = zc.T @ (zc * w[:, None]) + ALPHA * np.eye(z.shape[1])
    return np.linalg.solve(a, zc.T @ (yc * w[:, None]))


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den > 0 else 0.0


def explain_model(f, x1, x2, y, points, samples, seed):
    n = len(x1)
    # L[a][b] = M(x1^a, x2^b), the paper's N x N table
    table = f(np.repeat(x1, n, axis=0), np.tile(x2, (n, 1))).reshape(n, n)
    total = table.sum()
    rows = {k: [] for k in ("UC1", "UC2", "MI1", "MI2", "LIME1", "LIME2")}
    for k in range(points):
        rng = np.random.default_rng([seed, k])
        for m in (1, 2):
            z, w = lime_design(rng, samples)
            if m == 1:
                # L'[k][n] = M(Z[s], x2^n): row k replaced
                pert = x1[k] * z
                f_new = f(np.repeat(pert, n, axis=0), np.tile(x2, (samples, 1))).reshape(samples, n)
                own_old = table[k].sum()  # the row that is replaced
                cross_old = table[:, k].sum() - table[k, k]  # column k without the replaced cell
                avg1 = f_new.mean(axis=1)  # row k of L'
                avg2 = (cross_old + f_new[:, k]) / n  # column k of L'
            else:
                pert = x2[k] * z
                f_new = f(np.tile(x1, (samples, 1)), np.repeat(pert, n, axis=0)).reshape(samples, n)
                own_old = table[:, k].sum()
                cross_old = table[k].sum() - table[k, k]
                avg2 = f_new.mean(axis=1)  # column k of L'
                avg1 = (cross_old + f_new[:, k]) / n  # row k of L'
            avg12 = (total - own_old + f_new.sum(axis=1)) / (n * n)
            full = f_new[:, k]  # L'[k][k]
            uni = avg1 + avg2 - avg12
            multi = full - uni
            b = ridge(z, w, np.column_stack([uni, multi, full]))
            own = x1[k] if m == 1 else x2[k]
            prod = x1[k] * x2[k]
            rows[f"UC{m}"].append(pearson(b[:, 0], own))
            rows[f"MI{m}"].append(pearson(b[:, 1], prod))
            rows[f"LIME{m}"].append(pearson(b[:, 2], own))
    score = np.diag(table)
    return rows, pearson(score, y)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--points", type=int, default=100)
    ap.add_argument("--references", type=int, default=100)
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", action="append", help="'analytic' or an ONNX file (repeatable)")
    args = ap.parse_args()
    if args.points > args.references:
        raise SystemExit("--points cannot exceed --references (the paper explains points of X)")
    torch.set_num_threads(args.threads)
    models = args.model or ["analytic", COMMITTED]
    parts, y, label, _ = dime_synth._cached("k2")
    (x1, x2), yt, _ = dime_synth.split("k2", parts, y, label, "test")
    x1 = x1[: args.references]
    x2 = x2[: args.references]
    yt = yt[: args.references]
    print(
        f"paper's Algorithm 1, N = {args.references} test points as the table, "
        f"{args.points} explained, S = {args.samples}, seed {args.seed}"
    )
    print("| model | corr(score, y) | UC1~d1 | UC2~d2 | MI1~d1*d2 | MI2~d1*d2 | LIME1~d1 | LIME2~d2 |")
    print("|---|---|---|---|---|---|---|---|")
    for spec in models:
        f = analytic if spec == "analytic" else onnx_mlp(spec)
        rows, r_y = explain_model(f, x1, x2, yt, args.points, args.samples, args.seed)
        cells = []
        for key in ("UC1", "UC2", "MI1", "MI2", "LIME1", "LIME2"):
            v = np.array(rows[key])
            cells.append(f"{v.mean():.3f} ± {v.std(ddof=1) / math.sqrt(len(v)):.3f}")
        name = spec
        if spec != "analytic":
            rel = os.path.relpath(os.path.abspath(spec), REPO)
            name = os.path.basename(spec) if rel.startswith("..") else rel
        print(f"| {name} | {r_y:.3f} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
