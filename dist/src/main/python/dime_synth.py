"""DimeSynth: deterministic synthetic multimodal tasks for the DIME demo models.

This module is the Python twin of the Java class
``io.dime.core.synth.SyntheticTasks`` (module dime-core). Both produce
bit-identical IEEE-754 doubles for the same task, so Java code can evaluate
the committed ONNX demo models on exactly the test split they were scored on.

Specification
-------------
PRNG: SplitMix64 over an unsigned 64-bit state initialised to the task seed::

    next(): state += 0x9E3779B97F4A7C15
            z = state
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
            return z ^ (z >>> 31)                      (all mod 2^64)

    uniform():  (next() >>> 11) * 2^-53                 in [0, 1)
    gaussian(): u1 = 1.0 - uniform(); u2 = uniform()
                return sqrt(-2.0 * log(u1)) * cos((2.0 * pi) * u2)

One gaussian consumes exactly two uniforms (the sine part is never cached).
Since the k-th output of SplitMix64 only depends on ``seed + k * gamma``, the
stream is generated here in vectorised form; the sequence is identical to the
sequential definition.

A point of task kM consists of M modalities d1..dM of 10 gaussians each,
drawn in that order (d1[0..9], then d2[0..9], ...). All sums are evaluated
strictly left to right in double precision, starting from 0.0, each term
being accumulated element by element in index order 0..9, terms in the
order written below (this fixes the rounding of y exactly):

* k2 (classification, seed 2022):
      y = sum(d1) + sum(d2) + dot(d1, d2)
  candidates with |y| < 0.01 are discarded (their draws are still consumed);
  label = 1 if y > 0 else 0. 100,000 points are kept:
  train = kept points [0, 80000), valid = [80000, 90000), test = [90000, 100000).
* k3 (regression, seed 2023):
      y = sum(d1) + sum(d2) + sum(d3) + dot(d1, d2) + dot(d2, d3) + sum(d1*d2*d3)
  where the triple product term is ((d1[i] * d2[i]) * d3[i]). No discards.
  300,000 points: train = [0, 280000), valid = [280000, 290000),
  test = [290000, 300000). label = 1 if y > 0 else 0 (informational).
* k4 (regression, seed 2024):
      y = sum(d1) + sum(d2) + sum(d3) + sum(d4) + dot(d1, d2) + dot(d2, d3)
          + sum(d1*d2*d3) + dot(d3, d4)
  Same sizes and split as k3.

"Left to right" means, concretely::

    acc = 0.0
    for term in terms:            # in the order written above
        for i in range(10):
            acc += term_i          # e.g. d1[i], or d1[i]*d2[i]
"""

from __future__ import annotations

import math

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
MUL1 = np.uint64(0xBF58476D1CE4E5B9)
MUL2 = np.uint64(0x94D049BB133111EB)
DIM = 10
TWO_PI = 2.0 * math.pi

TASKS = {
    # name: (seed, modalities, total points, (train, valid, test), classification?)
    "k2": (2022, 2, 100_000, (80_000, 10_000, 10_000), True),
    "k3": (2023, 3, 300_000, (280_000, 10_000, 10_000), False),
    "k4": (2024, 4, 300_000, (280_000, 10_000, 10_000), False),
}

K2_THRESHOLD = 0.01


def splitmix64(seed: int, start: int, count: int) -> np.ndarray:
    """Outputs number start+1 .. start+count (1-based) of SplitMix64(seed), as uint64."""
    with np.errstate(over="ignore"):
        k = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed) + k * GAMMA
        z = (z ^ (z >> np.uint64(30))) * MUL1
        z = (z ^ (z >> np.uint64(27))) * MUL2
        return z ^ (z >> np.uint64(31))


def uniforms(seed: int, start: int, count: int) -> np.ndarray:
    return (splitmix64(seed, start, count) >> np.uint64(11)).astype(np.float64) * (2.0**-53)


def gaussians(seed: int, start_uniform: int, count: int) -> np.ndarray:
    """`count` gaussians, starting at uniform index `start_uniform` (consumes 2*count)."""
    u = uniforms(seed, start_uniform, 2 * count).reshape(count, 2)
    u1 = 1.0 - u[:, 0]
    u2 = u[:, 1]
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(TWO_PI * u2)


def _seq_add(acc: np.ndarray, term: np.ndarray) -> np.ndarray:
    """acc += term[:, 0]; acc += term[:, 1]; ... (strict left-to-right)."""
    for i in range(term.shape[1]):
        acc = acc + term[:, i]
    return acc


def target(task: str, parts: list[np.ndarray]) -> np.ndarray:
    """y for a batch of points; parts[m] has shape [n, 10]."""
    n = parts[0].shape[0]
    acc = np.zeros(n, dtype=np.float64)
    if task == "k2":
        d1, d2 = parts
        terms = [d1, d2, d1 * d2]
    elif task == "k3":
        d1, d2, d3 = parts
        terms = [d1, d2, d3, d1 * d2, d2 * d3, (d1 * d2) * d3]
    elif task == "k4":
        d1, d2, d3, d4 = parts
        terms = [d1, d2, d3, d4, d1 * d2, d2 * d3, (d1 * d2) * d3, d3 * d4]
    else:
        raise ValueError(task)
    for t in terms:
        acc = _seq_add(acc, t)
    return acc


def _candidates(task: str, first: int, count: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Candidate points number first..first+count-1 (before any discarding)."""
    seed, m, _, _, _ = TASKS[task]
    per_point = m * DIM  # gaussians per point
    g = gaussians(seed, first * per_point * 2, count * per_point).reshape(count, m, DIM)
    parts = [np.ascontiguousarray(g[:, j, :]) for j in range(m)]
    return parts, target(task, parts)


def generate(task: str):
    """All points of a task: (parts list of [N,10] float64, y [N], label [N] int, stats dict)."""
    seed, m, total, _, classification = TASKS[task]
    if task == "k2":
        kept_parts = [[] for _ in range(m)]
        kept_y = []
        kept = 0
        first = 0
        discarded = 0
        block = 65_536
        while kept < total:
            parts, y = _candidates(task, first, block)
            mask = np.abs(y) >= K2_THRESHOLD
            idx = np.nonzero(mask)[0][: total - kept]
            if kept + mask.sum() >= total:
                # candidates consumed = up to and including the last kept one
                last = idx[-1]
                discarded += int((~mask[: last + 1]).sum())
            else:
                discarded += int((~mask).sum())
            for j in range(m):
                kept_parts[j].append(parts[j][idx])
            kept_y.append(y[idx])
            kept += len(idx)
            first += block
        parts = [np.concatenate(p) for p in kept_parts]
        y = np.concatenate(kept_y)
        stats = {"candidates": total + discarded, "discarded": discarded}
    else:
        parts, y = _candidates(task, 0, total)
        stats = {"candidates": total, "discarded": 0}
    label = (y > 0).astype(np.int64)
    return parts, y, label, stats


def split(task: str, parts, y, label, which: str):
    _, _, _, (ntr, nva, nte), _ = TASKS[task]
    bounds = {"train": (0, ntr), "valid": (ntr, ntr + nva), "test": (ntr + nva, ntr + nva + nte)}
    a, b = bounds[which]
    return [p[a:b] for p in parts], y[a:b], label[a:b]


if __name__ == "__main__":
    # Dumps the first 5 test points of each task with full precision (used to check
    # bit-compatibility against the Java implementation).
    for t in TASKS:
        P, Y, L, S = generate(t)
        tp, ty, tl = split(t, P, Y, L, "test")
        print(f"{t} stats {S['candidates']} {S['discarded']}")
        for i in range(5):
            vals = [repr(float(v)) for p in tp for v in p[i]]
            print(f"{t} {i} {tl[i]} {float(ty[i])!r} " + " ".join(vals))
