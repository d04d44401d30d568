"""DimeSynth: deterministic synthetic multimodal tasks for the DIME demo models.

This module is the Python twin of the Java class
``io.dime.reproduce.SyntheticTasks`` (module dime-reproduce). Both produce
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

where log and cos are fdlibm 5.3's algorithms, i.e. exactly Java's
StrictMath.log / StrictMath.cos (re-implemented below in numpy), and sqrt is
the correctly rounded IEEE square root. (Math.log / Math.cos, numpy's and
glibc's log/cos are *not* used: they may differ in the last bit from one
platform to another; on the reference machine glibc and HotSpot's Math
disagreed on 8,480 of the first 4,000,000 gaussians of seed 2022.)
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


# ---------------------------------------------------------------------------
# fdlibm 5.3 log and cos, vectorised.
#
# Java's Math.log/Math.cos may differ from one JVM/CPU to another (they are only
# required to be within 1 ulp), and so do numpy's and glibc's. StrictMath.log and
# StrictMath.cos, however, are specified to return exactly the results of fdlibm
# 5.3. To be bit-compatible with Java, the generator therefore uses fdlibm's
# algorithms, re-implemented here with plain IEEE-754 double arithmetic (which
# numpy performs without fusing or reordering). Only the input ranges the
# generator needs are supported: log on (0, 1] and cos on [0, 2*pi).
# ---------------------------------------------------------------------------

def _hex(s: str) -> float:
    return float.fromhex(s)


_LN2_HI = _hex("0x1.62e42feep-1")
_LN2_LO = _hex("0x1.a39ef35793c76p-33")
_LG = [_hex(h) for h in (
    "0x1.5555555555593p-1", "0x1.999999997fa04p-2", "0x1.2492494229359p-2",
    "0x1.c71c51d8e78afp-3", "0x1.7466496cb03dep-3", "0x1.39a09d078c69fp-3",
    "0x1.2f112df3e5244p-3")]
_C = [_hex(h) for h in (
    "0x1.555555555554cp-5", "-0x1.6c16c16c15177p-10", "0x1.a01a019cb159p-16",
    "-0x1.27e4f809c52adp-22", "0x1.1ee9ebdb4b1c4p-29", "-0x1.8fae9be8838d4p-37")]
_S = [_hex(h) for h in (
    "-0x1.5555555555549p-3", "0x1.111111110f8a6p-7", "-0x1.a01a019c161d5p-13",
    "0x1.71de357b1fe7dp-19", "-0x1.ae5e68a2b9cebp-26", "0x1.5d93a5acfd57cp-33")]
_INVPIO2 = _hex("0x1.45f306dc9c883p-1")
_PIO2_1 = _hex("0x1.921fb544p0")
_PIO2_1T = _hex("0x1.0b4611a626331p-34")
_PIO2_2 = _hex("0x1.0b4611a6p-34")
_PIO2_2T = _hex("0x1.3198a2e037073p-69")
_PIO2_3 = _hex("0x1.3198a2ep-69")
_PIO2_3T = _hex("0x1.b839a252049c1p-104")
# high words of n*pi/2, n = 1..32 (fdlibm's npio2_hw)
_NPIO2_HW = np.array([
    0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C,
    0x4025FDBB, 0x402921FB, 0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C,
    0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB, 0x403AB41B, 0x403C463A,
    0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
    0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB,
    0x404858EB, 0x404921FB], dtype=np.int64)


def _hi(x: np.ndarray) -> np.ndarray:
    """High 32 bits of the doubles as signed ints (held in int64)."""
    return (x.view(np.int64) >> 32)


def _from_words(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    return ((hi.astype(np.int64) << 32) | (lo.astype(np.int64) & 0xFFFFFFFF)).view(np.float64)


def fdlibm_log(x: np.ndarray) -> np.ndarray:
    """StrictMath.log for positive normal finite doubles."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    if not (np.all(x >= 2.2250738585072014e-308) and np.all(np.isfinite(x))):
        raise ValueError("fdlibm_log: only positive normal finite inputs are supported")
    hx = _hi(x)
    lo = x.view(np.int64) & 0xFFFFFFFF
    k = (hx >> 20) - 1023
    hx = hx & 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    xn = _from_words(hx | (i ^ 0x3FF00000), lo)
    k = k + (i >> 20)
    f = xn - 1.0
    dk = k.astype(np.float64)
    k0 = k == 0
    with np.errstate(all="ignore"):
        # |f| < 2**-20
        small = (0x000FFFFF & (2 + hx)) < 3
        r_small = f * f * (0.5 - 0.33333333333333333 * f)
        res_small = np.where(
            f == 0.0,
            np.where(k0, 0.0, dk * _LN2_HI + dk * _LN2_LO),
            np.where(k0, f - r_small, dk * _LN2_HI - ((r_small - dk * _LN2_LO) - f)),
        )
        s = f / (2.0 + f)
        z = s * s
        ii = hx - 0x6147A
        w = z * z
        j = 0x6B851 - hx
        t1 = w * (_LG[1] + w * (_LG[3] + w * _LG[5]))
        t2 = z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
        ii = ii | j
        r = t2 + t1
        hfsq = 0.5 * f * f
        res_a = np.where(
            k0,
            f - (hfsq - s * (hfsq + r)),
            dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f),
        )
        res_b = np.where(
            k0, f - s * (f - r), dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)
        )
        res = np.where(ii > 0, res_a, res_b)
    return np.where(small, res_small, res)


def _kernel_cos(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    ix = _hi(x) & 0x7FFFFFFF
    z = x * x
    r = z * (_C[0] + z * (_C[1] + z * (_C[2] + z * (_C[3] + z * (_C[4] + z * _C[5])))))
    res_lt03 = 1.0 - (0.5 * z - (z * r - x * y))
    qx = np.where(ix > 0x3FE90000, 0.28125, _from_words(ix - 0x00200000, np.zeros_like(ix)))
    hz = 0.5 * z - qx
    a = 1.0 - qx
    res_ge03 = a - (hz - (z * r - x * y))
    res = np.where(ix < 0x3FD33333, res_lt03, res_ge03)
    # |x| < 2**-27: (int) x == 0 always holds there, fdlibm returns 1.0
    return np.where(ix < 0x3E400000, 1.0, res)


def _kernel_sin1(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """__kernel_sin(x, y, iy=1)."""
    ix = _hi(x) & 0x7FFFFFFF
    z = x * x
    v = z * x
    r = _S[1] + z * (_S[2] + z * (_S[3] + z * (_S[4] + z * _S[5])))
    res = x - ((z * (0.5 * y - v * r) - y) - v * _S[0])
    return np.where(ix < 0x3E400000, x, res)


def _exp_bits(x: np.ndarray) -> np.ndarray:
    return (x.view(np.int64) >> 52) & 0x7FF


def fdlibm_cos(x: np.ndarray) -> np.ndarray:
    """StrictMath.cos for 0 <= x < 2**19 * pi/2."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    if not (np.all(x >= 0.0) and np.all(x < 823549.6)):
        raise ValueError("fdlibm_cos: only 0 <= x < 2**19*pi/2 is supported")
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    # --- __ieee754_rem_pio2, |x| < 3pi/4 (n = 1)
    z = x - _PIO2_1
    near = ix == 0x3FF921FB
    z2 = z - _PIO2_2
    a0 = np.where(near, z2 - _PIO2_2T, z - _PIO2_1T)
    a1 = np.where(near, (z2 - a0) - _PIO2_2T, (z - a0) - _PIO2_1T)
    # --- medium size
    n = (x * _INVPIO2 + 0.5).astype(np.int64)  # truncation, x >= 0
    fn = n.astype(np.float64)
    r = x - fn * _PIO2_1
    w = fn * _PIO2_1T
    y0 = r - w
    hw = _NPIO2_HW[np.clip(n - 1, 0, 31)]
    quick = (n < 32) & (ix != hw)
    j = ix >> 20
    need2 = (~quick) & ((j - _exp_bits(y0)) > 16)
    t = r
    w2 = fn * _PIO2_2
    r2 = t - w2
    w2 = fn * _PIO2_2T - ((t - r2) - w2)
    y02 = r2 - w2
    need3 = need2 & ((j - _exp_bits(y02)) > 49)
    t = r2
    w3 = fn * _PIO2_3
    r3 = t - w3
    w3 = fn * _PIO2_3T - ((t - r3) - w3)
    y03 = r3 - w3
    r = np.where(need3, r3, np.where(need2, r2, r))
    w = np.where(need3, w3, np.where(need2, w2, w))
    y0 = np.where(need3, y03, np.where(need2, y02, y0))
    y1 = (r - y0) - w
    # --- select the reduction
    tiny = ix <= 0x3FE921FB
    lt34 = (~tiny) & (ix < 0x4002D97C)
    nn = np.where(tiny, 0, np.where(lt34, 1, n))
    yy0 = np.where(tiny, x, np.where(lt34, a0, y0))
    yy1 = np.where(tiny, 0.0, np.where(lt34, a1, y1))
    kc = _kernel_cos(yy0, yy1)
    ks = _kernel_sin1(yy0, yy1)
    q = nn & 3
    return np.select([q == 0, q == 1, q == 2], [kc, -ks, -kc], ks)


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
    return np.sqrt(-2.0 * fdlibm_log(u1)) * fdlibm_cos(TWO_PI * u2)


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


def split_digest(task: str, which: str) -> tuple[str, str]:
    """SHA-256 of one split: (row-major [n, M*10 + 1] big-endian doubles d1..dM,y ;
    big-endian int32 labels). SyntheticTasks can compute the same digests."""
    import hashlib

    P, Y, L, _ = _cached(task)
    tp, ty, tl = split(task, P, Y, L, which)
    rows = np.column_stack(tp + [ty]).astype(">f8")
    return (hashlib.sha256(rows.tobytes()).hexdigest(),
            hashlib.sha256(tl.astype(">i4").tobytes()).hexdigest())


_CACHE: dict = {}


def _cached(task: str):
    if task not in _CACHE:
        _CACHE[task] = generate(task)
    return _CACHE[task]


if __name__ == "__main__":
    # Dumps the first 5 test points of each task with full precision, plus digests of
    # every split (used to check bit-compatibility against the Java implementation).
    for t in TASKS:
        P, Y, L, S = _cached(t)
        tp, ty, tl = split(t, P, Y, L, "test")
        print(f"{t} candidates={S['candidates']} discarded={S['discarded']}")
        for i in range(5):
            vals = [repr(float(v)) for p in tp for v in p[i]]
            print(f"{t} test[{i}] label={tl[i]} y={float(ty[i])!r} x=" + " ".join(vals))
        for which in ("train", "valid", "test"):
            print(f"{t} {which} sha256 " + " ".join(split_digest(t, which)))
