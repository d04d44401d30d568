#!/usr/bin/python3
"""Fashion-Match: the two-tower image-text similarity demo model of DIME, with its manifests.

Usage (from the repository root; needs Debian's python3-torch, python3-numpy,
python3-pil and python3-onnx, i.e. torch 1.13 / onnx 1.12, CPU only, and the
Debian package dataset-fashion-mnist)::

    /usr/bin/python3 dime-reproduce/src/main/python/fashion_match.py        # a few minutes on 2 cores

Writes (defaults; ``--model-dir`` and ``--data-dir`` write elsewhere):

* dime-demo/src/main/resources/io/dime/demo/models/
  ``fashion_match.onnx``, ``fashion_match.onnx.sha256``, ``fashion_match.json``
* dime-demo/src/main/resources/io/dime/demo/fashion/
  ``match.jsonl``, ``match-pool.jsonl``, ``match-vocab.txt``, ``match-pipeline.yaml`` and
  ``index.txt`` (rewritten to list every file of the folder).

It reuses the image + question demo's committed scenes (``fashion/scenes/NNNN.png``, written by
``fashion_vqa.py``): it rebuilds which items each scene holds from that script's seeds and checks
every rebuilt scene against its PNG, pixel for pixel, before writing a caption about it.

Data
----
Scenes as in ``fashion_vqa.py``: 56 x 56 grey, 2 x 2 Fashion-MNIST items (28 x 28, black
background), four different classes; class names tee, trouser, pullover, dress, coat, sandal,
shirt, sneaker, bag, boot. A *caption* names one or two of the scene's items (probability 0.5
each) and their places, in a random order of the chosen quadrants::

    a coat in the top left
    a bag in the bottom right and a coat in the top left

A caption is *true* of a scene when every item it names is in the place it names. Training scenes
are drawn afresh every epoch from the 54,000 training items (the same seeded split as
``fashion_vqa.py``: seed 5); validation from the 6,000 held-out training items; test from the
t10k items (the committed scenes are t10k items too, never seen in training).

Hard negatives: for every training caption, one caption that is false of its scene, made by one
of (uniformly among those that apply) moving one named item to another quadrant, naming another
class (shown elsewhere in the scene or absent from it) for one item, or swapping the places of the
two named items. Without them in-batch negatives almost never differ from the positive only in
where an item is, and a model can score high by naming the classes alone.

Model
-----
Inputs exactly as the DIME plugins produce them (the image + question demo's conventions):

* ``image``: FLOAT32 [batch, 3, 56, 56], NCHW, RGB, pixel / 255; the model averages the channels.
* ``input_ids``, ``attention_mask``: INT64 [batch, seq] from the text plugin's ``vocab`` encoder
  (lowercased CoreNLP words, [PAD] = 0, [UNK] = 1, padded at the end; maxLength 16 in the
  pipeline; the graph accepts any length).

Two towers, each ending in an L2-normalised 32-d embedding:

* image tower (a small CNN): channel mean, convolution 1 -> 16 channels with 4 x 4 kernels and
  stride 4 (56 -> 14), ReLU, convolution 16 -> 48 with 7 x 7 kernels and stride 7 (14 -> 2: one
  cell per quadrant, each seeing exactly its item), ReLU, the 2 x 2 x 48 map flattened, linear
  192 -> 96, ReLU, linear 96 -> 32, L2 normalisation;
* text tower: word embedding (dim 32, [PAD] row zero), a convolution over the words (32 -> 48
  channels, a window of 5 words, so that one window sees "coat in the top left"), ReLU, the
  maximum over the real words of each channel (a set of phrase detectors; an empty caption gives
  zeros), linear 48 -> 32, L2 normalisation. Word order matters: a bag of words cannot tell "a
  coat in the top left and a bag in the bottom right" from the caption with the two items
  swapped. (A GRU over the words was tried first: one training step took 1.4 s on the shared 2
  cores against 0.2 s for the image tower, and it had not learnt after one epoch.)

Outputs ``image_embedding`` and ``text_embedding``, [batch, 32] each; the similarity is their
cosine (their dot product, as both are unit vectors), which DIME explains through a pipeline
target ``{name: match, similarity: cosine, outputs: [image_embedding, text_embedding]}``.

Recipe: symmetric InfoNCE (CLIP's loss) with a learned temperature (logit scale initialised at 10,
capped at 100): image to text over the batch's captions and their hard negatives, text to image
over the batch's scenes; pairs that are true but not the row's own (another scene that happens to
show the named items in the named places) are left out of the denominators. Adam (lr 2e-3),
cosine decay to 0 over all steps, batch 256, 8 epochs of 25,600 fresh scenes. Counterfactual
rows, as for the image + question model: each training pair independently keeps both inputs whole
(p 0.6), has image blocks hidden (p 0.2: the scene cut into 7 x 7 blocks, each kept with p 0.5,
hidden ones black as the demo pipeline hides superpixels) or caption words removed (p 0.2: a
uniform number 0 .. n - 1 of the n words kept). The epoch with the best validation retrieval
(text to image, top 1 among 1000 scenes) is kept.

Seeds: torch.manual_seed(SEED); numpy Generators seeded with [SEED, purpose, ...]; deterministic
torch algorithms; 2 threads.

Export: torch.onnx.export, opset 13, dynamic batch and sequence dimensions, float32. The script
records the PyTorch cosines of the demo pairs in fashion_match.json (``demo_similarities``) so
that a run through DIME's ONNX adapter can be compared with them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import re
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
RES = os.path.join(REPO, "dime-demo", "src", "main", "resources", "io", "dime", "demo")
DEFAULT_MODEL_DIR = os.path.join(RES, "models")
DEFAULT_DATA_DIR = os.path.join(RES, "fashion")
FMNIST = "/usr/share/datasets/fashion-mnist"

SEED = 7
VQA_SEED = 5  # fashion_vqa.py's seed: its item split and its committed scenes
CLASSES = ["tee", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "boot"]
QUADRANTS = ["top left", "top right", "bottom left", "bottom right"]
WORDS = ["a", "and", "bottom", "in", "left", "right", "the", "top"]
VOCAB = ["[PAD]", "[UNK]"] + WORDS + CLASSES
MAX_LENGTH = 16
EMBED = 32

RECIPE = {
    "epochs": 8,
    "scenes_per_epoch": 25600,
    "batch_size": 256,
    "lr": 2e-3,
    "optimizer": "Adam (betas 0.9/0.999, no weight decay)",
    "lr_schedule": "cosine decay from lr to 0 over all steps, per batch",
    "loss": "symmetric InfoNCE with a learned logit scale (initial 10, at most 100); image to "
            "text over the batch's captions and one hard negative per caption, text to image "
            "over the batch's scenes; true pairs other than the row's own left out",
    "selection": "epoch with the best valid text-to-image top-1 retrieval among 1000 scenes",
    "train_items": 54000,
    "valid_items": 6000,
    "valid_scenes": 1000,
    "test_scenes": 1000,
    "test_groups": 5,
    "threads": 2,
    "two_items": 0.5,
    "counterfactual": {
        "rows": "each pair independently: kept whole with p 0.6, image blocks hidden with p 0.2, "
                "caption words removed with p 0.2 (never both)",
        "image": "the scene cut into 8 x 8 blocks of 7 x 7 pixels, each kept with p 0.5, hidden "
                 "ones black (the demo pipeline hides superpixels black)",
        "caption": "a uniformly drawn number 0 .. n - 1 of the n words kept, the subset uniform; "
                   "the text plugin's 'remove' perturber removes hidden words",
        "label": "the pair stays a positive pair",
    },
}
ARCH = {"patch_channels": 16, "item_channels": 48, "image_hidden": 96, "word_dim": 32,
        "text_channels": 48, "window": 5, "embedding": EMBED}


# ----------------------------------------------------------------------------- data

def load_idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(name: str):
    images = load_idx(os.path.join(FMNIST, f"{name}-images-idx3-ubyte.gz"))
    labels = load_idx(os.path.join(FMNIST, f"{name}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def tokenize(text: str) -> list[str]:
    """The lowercased CoreNLP words of a template caption (runs of letters)."""
    return [t.lower() for t in re.findall(r"[A-Za-z]+|[^\sA-Za-z]", text)]


WORD_ID = {w: i for i, w in enumerate(VOCAB)}


def encode(text: str) -> tuple[list[int], list[int]]:
    ids = [WORD_ID.get(t, 1) for t in tokenize(text)][:MAX_LENGTH]
    mask = [1] * len(ids) + [0] * (MAX_LENGTH - len(ids))
    return ids + [0] * (MAX_LENGTH - len(ids)), mask


def caption_text(mentions) -> str:
    return " and ".join(f"a {CLASSES[c]} in the {QUADRANTS[q]}" for c, q in mentions)


def true_of(mentions, classes) -> bool:
    return all(classes[q] == c for c, q in mentions)


def caption(classes, rng, items=None):
    """Mentions [(class, quadrant)] of one or two of the scene's items (a true caption)."""
    k = items if items is not None else (2 if rng.random() < RECIPE["two_items"] else 1)
    quads = [int(q) for q in rng.permutation(4)[:k]]
    return [(int(classes[q]), q) for q in quads]


NEGATIVE_KINDS = ["place", "class", "swap"]


def negative(mentions, classes, rng, kind=None):
    """A caption false of the scene, one change away from the true one: (mentions, kind)."""
    kinds = [k for k in NEGATIVE_KINDS if k != "swap" or len(mentions) == 2]
    if kind is None:
        kind = kinds[int(rng.integers(len(kinds)))]
    out = list(mentions)
    i = int(rng.integers(len(out)))
    c, q = out[i]
    if kind == "place":  # the item named in another quadrant (not one the caption names)
        named = {m[1] for m in out}
        others = [p for p in range(4) if p not in named]
        out[i] = (c, others[int(rng.integers(len(others)))])
    elif kind == "class":  # another class named in the item's place
        named = {m[0] for m in out}
        others = [k for k in range(10) if k != classes[q] and k not in named]
        out[i] = (others[int(rng.integers(len(others)))], q)
    else:  # swap the two items' places
        (c0, q0), (c1, q1) = out
        out = [(c0, q1), (c1, q0)]
    assert not true_of(out, classes), (mentions, out, classes)
    return out, kind


def mention_array(captions) -> np.ndarray:
    """[n, 2, 2] (class, quadrant), -1 where a caption names one item only."""
    a = np.full((len(captions), 2, 2), -1, dtype=np.int64)
    for i, m in enumerate(captions):
        for j, (c, q) in enumerate(m):
            a[i, j] = (c, q)
    return a


def truth(mentions: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """[captions, scenes] bool: whether caption i is true of scene j."""
    ok = np.ones((len(mentions), len(classes)), dtype=bool)
    for m in range(mentions.shape[1]):
        c, q = mentions[:, m, 0], mentions[:, m, 1]
        at = classes[:, np.maximum(q, 0)].T  # [captions, scenes]: class at the named quadrant
        ok &= (c[:, None] < 0) | (at == c[:, None])
    return ok


class Pairs:
    """Scenes (4 item indices of one split) with one true caption each and one hard negative."""

    def __init__(self, images, labels, n, rng):
        self.images = images
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
        self.items = np.zeros((n, 4), dtype=np.int64)
        self.classes = np.zeros((n, 4), dtype=np.int64)
        self.captions, self.negatives = [], []
        for i in range(n):
            cls = rng.permutation(10)[:4]
            self.classes[i] = cls
            self.items[i] = [by_class[c][int(rng.integers(len(by_class[c])))] for c in cls]
            m = caption(cls, rng)
            self.captions.append(m)
            self.negatives.append(negative(m, cls, rng)[0])
        self.mentions = mention_array(self.captions)
        self.neg_mentions = mention_array(self.negatives)
        enc = [encode(caption_text(m)) for m in self.captions]
        self.ids = np.array([e[0] for e in enc], dtype=np.int64)
        self.mask = np.array([e[1] for e in enc], dtype=np.int64)
        enc = [encode(caption_text(m)) for m in self.negatives]
        self.neg_ids = np.array([e[0] for e in enc], dtype=np.int64)
        self.neg_mask = np.array([e[1] for e in enc], dtype=np.int64)

    def __len__(self):
        return len(self.captions)

    def pixels(self, idx) -> torch.Tensor:
        """[n, 1, 56, 56]: one channel (the model's channel mean of the three equal ones)."""
        return scene_pixels(self.images, self.items[idx], channels=1)


def scene_pixels(images, items, channels=3) -> torch.Tensor:
    """[n, channels, 56, 56] float32 in [0, 1], quadrants TL, TR, BL, BR (as fashion_vqa.py)."""
    x = images[items]
    x = x.reshape(-1, 2, 2, 28, 28).transpose(0, 1, 3, 2, 4).reshape(-1, 1, 56, 56)
    t = torch.from_numpy(x.astype(np.float32) / np.float32(255))
    return t.expand(-1, channels, 56, 56)


def scene_image(images, items) -> np.ndarray:
    x = images[np.asarray(items)]
    return x.reshape(2, 2, 28, 28).transpose(0, 2, 1, 3).reshape(56, 56)


def hide(x, mask, rng, share_image=0.2, share_caption=0.2):
    """Counterfactual rows (RECIPE["counterfactual"]): the new image and which words are kept
    (compact_ids then moves the kept words to the front)."""
    n = x.shape[0]
    u = rng.random(n)
    image_rows = u < share_image
    caption_rows = (u >= share_image) & (u < share_image + share_caption)
    keep = rng.random((n, 8, 8)) < 0.5
    keep[~image_rows] = True
    pix = torch.from_numpy(keep).repeat_interleave(7, dim=1).repeat_interleave(7, dim=2)
    x = x * pix.unsqueeze(1).to(x.dtype)
    am = mask.copy()
    words = am.sum(axis=1)
    k = np.floor(rng.random(n) * words).astype(np.int64)
    keys = rng.random(am.shape)
    keys[am == 0] = np.inf
    ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
    kept = am * (ranks < k[:, None])
    am = np.where(caption_rows[:, None], kept, am)
    return x, am


def compact_ids(ids: np.ndarray, am: np.ndarray):
    """Kept words moved to the front (as the text plugin's 'remove' rewrites the text), padded."""
    order = np.argsort(1 - am, axis=1, kind="stable")
    ids2 = np.take_along_axis(ids * am, order, axis=1)
    am2 = np.take_along_axis(am, order, axis=1)
    return ids2, am2


# ----------------------------------------------------------------------------- model

class FashionMatch(nn.Module):
    def __init__(self, vocab_size: int, a=ARCH):
        super().__init__()
        self.register_buffer("channel_mean", torch.full((1, 3), 1.0 / 3))
        self.patch = nn.Conv2d(1, a["patch_channels"], 4, stride=4)
        self.item = nn.Conv2d(a["patch_channels"], a["item_channels"], 7, stride=7)
        self.image_head = nn.Sequential(
            nn.Linear(4 * a["item_channels"], a["image_hidden"]), nn.ReLU(),
            nn.Linear(a["image_hidden"], a["embedding"]))
        self.embed = nn.Embedding(vocab_size, a["word_dim"], padding_idx=0)
        self.words = nn.Conv1d(a["word_dim"], a["text_channels"], a["window"],
                               padding=a["window"] // 2)
        self.text_head = nn.Linear(a["text_channels"], a["embedding"])
        self.logit_scale = nn.Parameter(torch.tensor(math.log(10.0)))

    def encode_image(self, image):
        x = torch.matmul(self.channel_mean, image.reshape(-1, 3, 56 * 56)).reshape(-1, 1, 56, 56)
        return self.encode_grey(x)

    def encode_grey(self, x):
        """The image tower from the channel mean on ([n, 1, 56, 56]; training skips the mean of
        three equal channels)."""
        x = F.relu(self.item(F.relu(self.patch(x))))  # [n, c, 2, 2]
        return F.normalize(self.image_head(x.flatten(1)), dim=1)

    def encode_text(self, input_ids, attention_mask):
        e = self.embed(input_ids).transpose(1, 2)  # [n, d, L]; [PAD] embeds as zeros
        m = attention_mask.to(e.dtype).unsqueeze(1)  # [n, 1, L]
        h = F.relu(self.words(e * m)) * m  # phrase features at the real words, 0 elsewhere
        return F.normalize(self.text_head(h.max(dim=2).values), dim=1)

    def forward(self, image, input_ids, attention_mask):
        return self.encode_image(image), self.encode_text(input_ids, attention_mask)


def count_macs(model: FashionMatch) -> dict:
    """Multiply-adds per row: convolutions and linear layers (the caption at MAX_LENGTH words)."""
    a = ARCH
    conv = 14 * 14 * a["patch_channels"] * 16 + 4 * a["item_channels"] * a["patch_channels"] * 49
    lin = 4 * a["item_channels"] * a["image_hidden"] + a["image_hidden"] * EMBED
    words = MAX_LENGTH * a["window"] * a["word_dim"] * a["text_channels"]
    text = a["text_channels"] * EMBED
    return {"channel_mean": 3 * 56 * 56, "image_convolutions": conv, "image_linear": lin,
            "text_convolution": words, "text_linear": text,
            "total": 3 * 56 * 56 + conv + lin + words + text}


def embed_all(model, images, items, ids, mask, batch=1000):
    model.eval()
    im, tx = [], []
    with torch.no_grad():
        for s in range(0, len(items), batch):
            im.append(model.encode_grey(scene_pixels(images, items[s:s + batch], channels=1)))
            tx.append(model.encode_text(torch.from_numpy(ids[s:s + batch]),
                                        torch.from_numpy(mask[s:s + batch])))
    return torch.cat(im).numpy(), torch.cat(tx).numpy()


def retrieval(model, data: Pairs, groups=1) -> dict:
    """Top-1 retrieval within groups of equal size: text to image (the top scene makes the caption
    true), image to text (the top caption is true of the scene), and the share of scenes whose own
    caption scores above its hard negative."""
    im, tx = embed_all(model, data.images, data.items, data.ids, data.mask)
    _, neg = embed_all(model, data.images, data.items, data.neg_ids, data.neg_mask)
    n = len(data) // groups
    t2i = i2t = 0
    chance_t2i = chance_i2t = 0.0
    for g in range(groups):
        sl = slice(g * n, (g + 1) * n)
        sim = tx[sl] @ im[sl].T  # [captions, scenes]
        ok = truth(data.mentions[sl], data.classes[sl])
        t2i += int(ok[np.arange(n), sim.argmax(axis=1)].sum())
        i2t += int(ok.T[np.arange(n), sim.T.argmax(axis=1)].sum())
        chance_t2i += float(ok.mean(axis=1).sum())
        chance_i2t += float(ok.mean(axis=0).sum())
    own = np.sum(im * tx, axis=1)
    hard = np.sum(im * neg, axis=1)
    two = data.mentions[:, 1, 0] >= 0
    total = n * groups
    return {
        "pairs": total, "group": n,
        "text_to_image_top1": round(t2i / total, 4),
        "image_to_text_top1": round(i2t / total, 4),
        "chance_text_to_image": round(chance_t2i / total, 4),
        "chance_image_to_text": round(chance_i2t / total, 4),
        "true_above_hard_negative": round(float(np.mean(own > hard)), 4),
        "true_above_hard_negative_one_item": round(float(np.mean((own > hard)[~two])), 4),
        "true_above_hard_negative_two_items": round(float(np.mean((own > hard)[two])), 4),
        "mean_cosine_true": round(float(own.mean()), 4),
        "mean_cosine_hard_negative": round(float(hard.mean()), 4),
    }


def train_step(model, opt, sched, data: Pairs, idx, rng):
    x = data.pixels(idx)
    ids, mask = data.ids[idx], data.mask[idx]
    x, kept = hide(x, mask, rng)
    ids, mask = compact_ids(ids, kept)
    im = model.encode_grey(x)
    tx = model.encode_text(torch.from_numpy(ids), torch.from_numpy(mask))
    neg = model.encode_text(torch.from_numpy(data.neg_ids[idx]), torch.from_numpy(data.neg_mask[idx]))
    scale = model.logit_scale.exp().clamp(max=100.0)
    ok = torch.from_numpy(truth(data.mentions[idx], data.classes[idx]))  # [captions, scenes]
    own = torch.eye(len(idx), dtype=torch.bool)
    drop = ok & ~own  # true pairs that are not the row's own: not negatives
    t2i = scale * tx @ im.T
    t2i = t2i.masked_fill(drop, float("-inf"))
    i2t = scale * im @ torch.cat([tx, neg]).T  # [scenes, 2 * captions]
    i2t = i2t.masked_fill(torch.cat([drop.T, torch.zeros_like(drop)], dim=1), float("-inf"))
    target = torch.arange(len(idx))
    loss = 0.5 * (F.cross_entropy(t2i, target) + F.cross_entropy(i2t, target))
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    return float(loss)


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


# ----------------------------------------------------------------------------- manifests

def committed_scenes(data_dir: str, test_images, test_labels) -> list[dict]:
    """The 300 committed scenes' classes, rebuilt from fashion_vqa.py's sample seed ([5, 4]) and
    checked against the PNG files."""
    rng = np.random.default_rng([VQA_SEED, 4])
    queues = [list(rng.permutation(np.flatnonzero(test_labels == c))) for c in range(10)]
    scenes = []
    for s in range(300):
        cls = [int(c) for c in rng.permutation(10)[:4]]
        items = [int(queues[c].pop()) for c in cls]
        png = f"scenes/{s:04d}.png"
        on_disk = np.asarray(Image.open(os.path.join(data_dir, png)))
        if not np.array_equal(on_disk, scene_image(test_images, items)):
            raise SystemExit(f"{png} is not the scene fashion_vqa.py's seeds give: rerun it first")
        scenes.append({"classes": cls, "items": items, "png": png})
    return scenes


def write_manifests(data_dir: str, scenes, model) -> dict:
    rng = np.random.default_rng([SEED, 4])

    def record(rid, s, mentions, match, **extra):
        r = {"id": rid, "image": scenes[s]["png"], "caption": caption_text(mentions),
             "match": match, "scene": f"s{s:04d}"}
        r.update(extra)
        return r

    # match.jsonl: scenes 0000-0005, each with a true caption and a false one (a hard negative):
    # one-item captions on scenes 0-2, two-item captions on 3-5; false by place, class, swap.
    demo = []
    plan = [(1, "place"), (1, "class"), (1, "place"), (2, "swap"), (2, "class"), (2, "place")]
    for s, (items, kind) in enumerate(plan):
        cls = scenes[s]["classes"]
        m = caption(cls, rng, items=items)
        neg, _ = negative(m, cls, rng, kind=kind)
        demo.append(record(f"m{s:02d}a", s, m, True))
        demo.append(record(f"m{s:02d}b", s, neg, False, negative=kind))
    # match-pool.jsonl: scenes 0200-0299 with a true caption each (one or two items).
    pool = []
    for j in range(100):
        s = 200 + j
        pool.append(record(f"mp{j:03d}", s, caption(scenes[s]["classes"], rng), True))

    for name, recs in (("match.jsonl", demo), ("match-pool.jsonl", pool)):
        with open(os.path.join(data_dir, name), "w") as f:
            for r in recs:
                f.write(json.dumps(r) + "\n")
    with open(os.path.join(data_dir, "match-vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(data_dir, "match-pipeline.yaml"), "w") as f:
        f.write(PIPELINE)
    files = sorted(
        os.path.relpath(os.path.join(d, n), data_dir).replace(os.sep, "/")
        for d, _, names in os.walk(data_dir) for n in names)
    with open(os.path.join(data_dir, "index.txt"), "w") as f:
        f.write("".join(p + "\n" for p in files if p != "index.txt"))

    def embeddings(recs):
        """The two towers' embeddings of records, read back from the PNG files."""
        x = np.stack([np.asarray(Image.open(os.path.join(data_dir, r["image"]))) for r in recs])
        x = torch.from_numpy(x.astype(np.float32) / np.float32(255))[:, None].expand(-1, 3, 56, 56)
        enc = [encode(r["caption"]) for r in recs]
        with torch.no_grad():
            im, tx = model(x, torch.tensor([e[0] for e in enc]), torch.tensor([e[1] for e in enc]))
        return im.numpy().astype(np.float64), tx.numpy().astype(np.float64)

    def cosines(recs):
        im, tx = embeddings(recs)
        return (im * tx).sum(axis=1)

    def pool_means(recs):
        im, tx = embeddings(recs)
        return im.mean(axis=0), tx.mean(axis=0)

    out = {}
    out["decomposition_note"] = (
        "the similarity u.v of unit embeddings is bilinear, so its functional-ANOVA terms over "
        "the pool's product of images and captions are, with mu and nu the pool's mean image and "
        "text embeddings: bias mu.nu, image (u - mu).nu, caption mu.(v - nu), image x caption "
        "(u - mu).(v - nu); the unimodal terms vanish only as far as mu and nu are short")
    mu, nu = pool_means(pool)
    out["pool_mean_image_embedding_norm"] = round(float(np.linalg.norm(mu)), 4)
    out["pool_mean_text_embedding_norm"] = round(float(np.linalg.norm(nu)), 4)
    im, tx = embeddings(demo)
    terms = []
    for r, u, v in zip(demo, im, tx):
        g1, g2, g12 = float((u - mu) @ nu), float(mu @ (v - nu)), float((u - mu) @ (v - nu))
        terms.append({"id": r["id"], "bias": round(float(mu @ nu), 6), "image": round(g1, 6),
                      "caption": round(g2, 6), "image_x_caption": round(g12, 6),
                      "interaction_share": round(abs(g12) / (abs(g1) + abs(g2) + abs(g12)), 4)})
    out["demo_decomposition_over_pool"] = terms
    out["demo_mean_interaction_share_over_pool"] = round(
        float(np.mean([t["interaction_share"] for t in terms])), 4)
    cos = cosines(demo)
    out["demo_similarities"] = [
        {"id": r["id"], "match": r["match"], "cosine": round(float(c), 6)} for r, c in zip(demo, cos)]
    true_cos = [c for r, c in zip(demo, cos) if r["match"]]
    false_cos = [c for r, c in zip(demo, cos) if not r["match"]]
    out["demo_true_above_false"] = int(sum(t > f for t, f in zip(true_cos, false_cos)))
    cos = cosines(pool)
    out["pool_mean_cosine"] = round(float(np.mean(cos)), 4)
    return out


PIPELINE = f"""\
# DIME pipeline for the Fashion-Match two-tower demo model (models/fashion_match.onnx): a 56 x 56
# grey scene of 2 x 2 Fashion-MNIST items and a caption naming one or two of them and their
# places. Written by dime-reproduce/src/main/python/fashion_match.py; see README.md next to it.
modalities:
  - name: image
    plugin: image
    settings:
      featurizer: slic
      segments: 40
      perturber: constant   # hidden superpixels black, the scenes' own background
      fill: [0, 0, 0]
      input: image          # FLOAT32 [batch, 3, 56, 56]
      channelOrder: rgb
      scale: 0.00392156862745098   # 1 / 255
      mean: [0, 0, 0]
      std: [1, 1, 1]
      layout: nchw
  - name: caption
    plugin: text
    settings:
      features: words
      perturber: remove
      encoder: vocab
      vocab: match-vocab.txt   # relative to this file; [PAD] = 0, [UNK] = 1
      maxLength: {MAX_LENGTH}
      lowercase: true
      inputIdsName: input_ids
      attentionMaskName: attention_mask
# The explained score: the cosine similarity of the two towers' embeddings.
targets:
  - {{name: match, similarity: cosine, outputs: [image_embedding, text_embedding]}}
"""


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", default=DEFAULT_MODEL_DIR)
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    ap.add_argument("--epochs", type=int, default=None, help="override (smoke tests only)")
    ap.add_argument("--threads", type=int, default=RECIPE["threads"])
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    t0 = time.time()

    train_images, train_labels = load_split("train")
    test_images, test_labels = load_split("t10k")
    scenes = committed_scenes(args.data_dir, test_images, test_labels)
    perm = np.random.default_rng([VQA_SEED, 0]).permutation(len(train_labels))
    tr = np.sort(perm[:RECIPE["train_items"]])
    va = np.sort(perm[RECIPE["train_items"]:])
    tr_images, tr_labels = train_images[tr], train_labels[tr]
    valid = Pairs(train_images[va], train_labels[va], RECIPE["valid_scenes"],
                  np.random.default_rng([SEED, 2]))
    test = Pairs(test_images, test_labels, RECIPE["test_scenes"] * RECIPE["test_groups"],
                 np.random.default_rng([SEED, 3]))

    model = FashionMatch(len(VOCAB))
    params = sum(p.numel() for p in model.parameters())
    macs = count_macs(model)
    print(f"parameters {params}, multiply-adds per row {macs}", flush=True)

    epochs = args.epochs if args.epochs is not None else RECIPE["epochs"]
    bs = RECIPE["batch_size"]
    steps_per_epoch = RECIPE["scenes_per_epoch"] // bs
    total_steps = max(1, epochs * steps_per_epoch)
    opt = torch.optim.Adam(model.parameters(), lr=RECIPE["lr"], betas=(0.9, 0.999))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: 0.5 * (1 + math.cos(math.pi * min(step, total_steps) / total_steps)))
    history = []
    best = (-1.0, None, 0)
    for epoch in range(1, epochs + 1):
        te = time.time()
        data = Pairs(tr_images, tr_labels, RECIPE["scenes_per_epoch"],
                     np.random.default_rng([SEED, 1, epoch]))
        hide_rng = np.random.default_rng([SEED, 5, epoch])
        order = np.random.default_rng([SEED, 6, epoch]).permutation(len(data))
        model.train()
        loss_sum = 0.0
        for s in range(steps_per_epoch):
            loss_sum += train_step(model, opt, sched, data, order[s * bs:(s + 1) * bs], hide_rng)
        v = retrieval(model, valid)
        history.append({"epoch": epoch, "train_loss": round(loss_sum / steps_per_epoch, 5),
                        "valid_text_to_image_top1": v["text_to_image_top1"],
                        "valid_true_above_hard_negative": v["true_above_hard_negative"],
                        "logit_scale": round(float(model.logit_scale.exp()), 3),
                        "seconds": round(time.time() - te, 1)})
        print(json.dumps(history[-1]), flush=True)
        if v["text_to_image_top1"] > best[0]:
            best = (v["text_to_image_top1"], {k: t.clone() for k, t in model.state_dict().items()},
                    epoch)
    model.load_state_dict(best[1])
    model.eval()
    train_seconds = time.time() - t0
    valid_result = retrieval(model, valid)
    test_result = retrieval(model, test, groups=RECIPE["test_groups"])
    print("valid", json.dumps(valid_result), flush=True)
    print("test", json.dumps(test_result), flush=True)

    os.makedirs(args.model_dir, exist_ok=True)
    onnx_path = os.path.join(args.model_dir, "fashion_match.onnx")
    ids, mask = encode("a coat in the top left")
    dummy = (torch.zeros(2, 3, 56, 56), torch.tensor([ids, ids]), torch.tensor([mask, mask]))
    torch.onnx.export(
        model, dummy, onnx_path, opset_version=13, do_constant_folding=True,
        input_names=["image", "input_ids", "attention_mask"],
        output_names=["image_embedding", "text_embedding"],
        dynamic_axes={"image": {0: "batch"}, "input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"},
                      "image_embedding": {0: "batch"}, "text_embedding": {0: "batch"}})
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    digest = sha256_file(onnx_path)
    with open(onnx_path + ".sha256", "w") as f:
        f.write(f"{digest}  fashion_match.onnx\n")

    sample = write_manifests(args.data_dir, scenes, model)
    demo_similarities = sample.pop("demo_similarities")
    info = {
        "task": "Fashion-Match: captions of 2 x 2 Fashion-MNIST scenes (56 x 56 grey), two towers",
        "model": "fashion_match.onnx",
        "script": "dime-reproduce/src/main/python/fashion_match.py",
        "data": "Fashion-MNIST (Zalando SE, MIT/Expat) from Debian's dataset-fashion-mnist",
        "seed": SEED,
        "seeds": {"torch": SEED, "item split": [VQA_SEED, 0], "train epoch e": [SEED, 1, "e"],
                  "valid": [SEED, 2], "test": [SEED, 3], "manifests": [SEED, 4],
                  "hiding in epoch e": [SEED, 5, "e"], "batch order in epoch e": [SEED, 6, "e"],
                  "committed scenes": [VQA_SEED, 4]},
        "classes": CLASSES,
        "quadrants": QUADRANTS,
        "template": "a <class> in the <quadrant> [and a <class> in the <quadrant>]",
        "vocab": VOCAB,
        "inputs": {"image": ["batch", 3, 56, 56], "input_ids": ["batch", "seq"],
                   "attention_mask": ["batch", "seq"]},
        "outputs": {"image_embedding": ["batch", EMBED], "text_embedding": ["batch", EMBED]},
        "similarity": "cosine(image_embedding, text_embedding) (both unit vectors)",
        "architecture": ARCH,
        "parameters": params,
        "multiply_adds_per_row": macs,
        "recipe": dict(RECIPE, epochs=epochs),
        "history": history,
        "selected_epoch": best[2],
        "valid": valid_result,
        "test": test_result,
        "test_note": "test: 5 groups of 1000 scenes from the t10k items, one true caption each; "
                     "top-1 retrieval within a group counts as right when the retrieved pair is "
                     "true (a caption may be true of several scenes); chance: the expected "
                     "top-1 accuracy of a random pick",
        "training_seconds": round(train_seconds, 1),
        "onnx": {"opset": 13, "bytes": os.path.getsize(onnx_path), "sha256": digest},
        "sample": sample,
        "demo_similarities": demo_similarities,
        "versions": {"torch": torch.__version__, "numpy": np.__version__, "onnx": onnx.__version__,
                     "python": sys.version.split()[0]},
    }
    with open(os.path.join(args.model_dir, "fashion_match.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{onnx_path} {os.path.getsize(onnx_path)} bytes sha256 {digest}", flush=True)
    print("sample", json.dumps(sample), "seconds", round(time.time() - t0, 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
