#!/usr/bin/python3
"""Fashion-VQA: the image + question demo model of DIME, with its data sample.

Usage (from the repository root; needs Debian's python3-torch, python3-numpy,
python3-pil, python3-onnx and python3-opencv, i.e. torch 1.13 / onnx 1.12 /
OpenCV 4.6, CPU only, and the
Debian package dataset-fashion-mnist)::

    /usr/bin/python3 dime-reproduce/src/main/python/fashion_vqa.py          # ~9 min on 2 cores

Writes (defaults; ``--model-dir`` and ``--data-dir`` write elsewhere):

* dime-demo/src/main/resources/io/dime/demo/models/
  ``fashion_vqa.onnx``, ``fashion_vqa.onnx.sha256``, ``fashion_vqa.json``
* dime-demo/src/main/resources/io/dime/demo/fashion/
  ``scenes/NNNN.png``, ``demo.jsonl``, ``pool.jsonl``, ``questions.jsonl``,
  ``vocab.txt``, ``pipeline.yaml``, ``LICENSE-fashion-mnist.txt``, ``index.txt``
  (``README.md`` there is written by hand; index.txt lists it when present).

Data
----
Fashion-MNIST (Zalando SE, MIT/Expat), read from
/usr/share/datasets/fashion-mnist. A *scene* is a 56 x 56 grey image made of
2 x 2 Fashion-MNIST items (28 x 28 each, black background), with four
DIFFERENT classes (drawn without replacement), one item image per class drawn
at random from the split's items of that class. Quadrants: top left, top right,
bottom left, bottom right. Class names are short single words so that no name
collides with a quadrant word: tee (T-shirt/top), trouser, pullover, dress,
coat, sandal, shirt, sneaker, bag, boot (ankle boot).

One question per scene, type drawn with probabilities

* ``what``        0.30  "What is in the <quadrant>?"            -> class name
* ``is_there_at`` 0.30  "Is there a <class> in the <quadrant>?" -> yes / no
  (yes with p 0.5; a "no" names, with p 0.5 each, a class shown in another
  quadrant or a class absent from the scene)
* ``is_there``    0.25  "Is there a <class>?"                   -> yes / no
  (yes with p 0.5: one of the four classes shown; no: one of the six others)
* ``count``       0.15  "How many items are there?"             -> four
  (a pure text prior: the answer never depends on the image)

Answers (model output order): no, yes, tee, trouser, pullover, dress, coat,
sandal, shirt, sneaker, bag, boot, four.

Splits: the 60,000 training items are split (seeded permutation) into 54,000
train and 6,000 valid items; scenes are built within a split, so no item is
shared between train, valid and test. Training scenes are drawn afresh every
epoch (60,000 per epoch); valid = 10,000 fixed scenes from the valid items;
test = 20,000 fixed scenes from the t10k items (scored once, at the end). The
committed sample (300 scenes) is drawn from the t10k items too, no item used
twice.

Model
-----
Inputs exactly as the DIME plugins produce them:

* ``image``: FLOAT32 [batch, 3, 56, 56], NCHW, RGB, value = pixel / 255 (the
  image plugin with scale 1/255, mean 0, std 1, no resize). The model averages
  the three channels (the PNGs are grey, so they are equal).
* ``input_ids``, ``attention_mask``: INT64 [batch, seq] from the text plugin's
  ``vocab`` encoder (CoreNLP words, lowercased; [PAD] = 0, [UNK] = 1; maxLength
  12 in the pipeline; the graph accepts any length).

Architecture (about 240,000 multiply-adds per row, 75,537 parameters):

* channel mean (a [1, 3] x [3, 3136] MatMul), then the four 28 x 28 quadrants
  as four rows of 784 pixels;
* item encoder, one MLP shared by the quadrants (equivalently a convolution
  with a 28 x 28 kernel and stride 28): linear 784 -> 64 + ReLU, linear
  64 -> 32 + ReLU;
* question encoder: word embedding (dim 32, [PAD] row zero) averaged over the
  attention mask (a bag of words, so any subset of the words is a valid input;
  an empty question gives the zero vector), linear 32 -> 64 + ReLU;
* fusion: one sigmoid gate per quadrant from the question vector (linear
  64 -> 4), the gated sum of the four item vectors (so "where" and "anywhere"
  questions use one mechanism), then a multiplicative fusion
  ReLU(linear 32 -> 96)(items) * ReLU(linear 64 -> 96)(question), linear
  96 -> 96 + ReLU, linear 96 -> 13 logits.

Why no convolutions: small convolutions with 8-16 channels ran about 4 times
slower per row in ONNX Runtime (layout reorders, pooling) than this MLP, and
as a plain Fashion-MNIST classifier a 2-layer CNN of that size (86.1%) was no
better than the 784-64-32 MLP (87.7%) (10 epochs, full train split, one run
each, measured while choosing the design). The explainer runs the model on
about 200,000 rows per explained scene, so the per-row cost matters.

Recipe (fixed before training; the only selection is the epoch with the best
valid accuracy): cross-entropy, Adam (lr 2e-3, betas 0.9/0.999, no weight
decay), cosine decay of the learning rate to 0 over all steps, stepped per
batch, batch 128, 30 epochs of 60,000 fresh scenes, with counterfactual rows
(Hase, Xie and Bansal, "The Out-of-Distribution Problem in Explainability and
Search Methods for Feature Importance Explanations", NeurIPS 2021): DIME
explains the model on inputs with hidden features, which a model trained only
on whole scenes has never seen (the first committed model read a blackened
quadrant as "dress"). So each training row is, independently, kept whole
(p 0.5), has its image superpixels hidden (p 0.25: SLIC segments of each item,
each kept with p 0.5, hidden ones black, as the demo pipeline hides them) or
its question words hidden (p 0.25: a uniform number 0 .. n - 1 of the n words
kept, the rest removed), with the whole row's answer as the label. Valid and
test accuracy are on whole scenes; the accuracy on hidden rows is reported as
``test_with_hidden_features``. ``--recipe plain`` gives the first committed
model's recipe: no hidden rows, 20 epochs. Needs python3-opencv (ximgproc) for
SLIC. Seeds: torch.manual_seed
(SEED), numpy Generators seeded with [SEED, purpose, ...] for the split, every
epoch's scenes and questions, valid, test and the sample; deterministic torch
algorithms; 2 threads. Rerunning on the same machine and libraries gives the
same model.

Export: torch.onnx.export, opset 13, dynamic batch (and sequence) dimension,
float32; output ``logits`` [batch, 13]. The script records the PyTorch logits of
the demo records in fashion_vqa.json (``demo_predictions``) so that a run through
DIME's ONNX adapter can be compared with them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import math
import os
import re
import shutil
import sys
import time

import cv2
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
COPYRIGHT = "/usr/share/doc/dataset-fashion-mnist/copyright"

SEED = 5
CLASSES = ["tee", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "boot"]
FMNIST_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
ANSWERS = ["no", "yes"] + CLASSES + ["four"]
QUADRANTS = ["top left", "top right", "bottom left", "bottom right"]
TYPES = ["what", "is_there_at", "is_there", "count"]
TYPE_P = [0.30, 0.30, 0.25, 0.15]
WORDS = ["?", "a", "are", "bottom", "how", "in", "is", "items", "left", "many",
         "right", "the", "there", "top", "what"]
VOCAB = ["[PAD]", "[UNK]"] + WORDS + CLASSES
MAX_LENGTH = 12
SLIC_SEGMENTS = 40

RECIPE = {
    "epochs": 30,
    "scenes_per_epoch": 60000,
    "batch_size": 128,
    "lr": 2e-3,
    "optimizer": "Adam (betas 0.9/0.999, no weight decay)",
    "lr_schedule": "cosine decay from lr to 0 over all steps, per batch",
    "loss": "cross-entropy over the 13 answers",
    "selection": "epoch with the best valid accuracy",
    "train_items": 54000,
    "valid_items": 6000,
    "valid_scenes": 10000,
    "test_scenes": 20000,
    "threads": 2,
    "counterfactual": {
        "why": "counterfactual training (Hase, Xie and Bansal, NeurIPS 2021): the explainer "
               "hides features, so the model is also trained on inputs with hidden features, "
               "labelled as the unhidden scene, so that hidden features read as absent",
        "rows": "each training row independently: kept as it is with p 0.5, image features "
                "hidden with p 0.25, question words hidden with p 0.25 (never both, as the "
                "explainer hides one modality at a time)",
        "image": "SLIC superpixels of each 28 x 28 item (OpenCV ximgproc SLIC on L*a*b*, ruler "
                 "10, 10 iterations, connectivity 25%, region size tuned to 10 segments per "
                 "item as the image plugin tunes 40 per scene), computed once per item; each "
                 "kept with p 0.5 (the image mask distribution of DIME's LIME); hidden pixels "
                 "black (the demo pipeline's fill)",
        "question": "a uniformly drawn number 0 .. n - 1 of the n words kept, the subset uniform; "
                    "hidden words removed (the demo pipeline's 'remove' perturber: attention "
                    "mask 0 for this bag-of-words model)",
        "label": "the unhidden row's answer",
    },
}
# The recipe of the first committed model (5b3c1e0 .. 32da288): no hidden features, 20 epochs.
PLAIN_RECIPE = {k: v for k, v in RECIPE.items() if k != "counterfactual"} | {"epochs": 20}
ITEM_SEGMENTS = SLIC_SEGMENTS // 4
ARCH = {"item_hidden": 64, "item_dim": 32, "embed_dim": 32, "question_dim": 64, "fusion_dim": 96}


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
    """The lowercased CoreNLP words of a template question (letters runs and '?')."""
    return [t.lower() for t in re.findall(r"[A-Za-z]+|[^\sA-Za-z]", text)]


WORD_ID = {w: i for i, w in enumerate(VOCAB)}


def encode_question(text: str) -> tuple[list[int], list[int]]:
    ids = [WORD_ID.get(t, 1) for t in tokenize(text)][:MAX_LENGTH]
    mask = [1] * len(ids) + [0] * (MAX_LENGTH - len(ids))
    return ids + [0] * (MAX_LENGTH - len(ids)), mask


def question(qtype: str, classes, rng: np.random.Generator, yes=None, quadrant=None):
    """One question about a scene with the given four classes: (text, answer, quadrant)."""
    if qtype == "count":
        return "How many items are there?", "four", None
    if qtype == "what":
        q = int(rng.integers(4)) if quadrant is None else quadrant
        return f"What is in the {QUADRANTS[q]}?", CLASSES[classes[q]], q
    if yes is None:
        yes = bool(rng.random() < 0.5)
    if qtype == "is_there_at":
        q = int(rng.integers(4)) if quadrant is None else quadrant
        if yes:
            c = classes[q]
        elif rng.random() < 0.5:  # a class shown elsewhere in the scene
            c = classes[[i for i in range(4) if i != q][int(rng.integers(3))]]
        else:
            absent = [c for c in range(10) if c not in classes]
            c = absent[int(rng.integers(len(absent)))]
        return f"Is there a {CLASSES[c]} in the {QUADRANTS[q]}?", "yes" if yes else "no", q
    if qtype == "is_there":
        if yes:
            c = classes[int(rng.integers(4))]
        else:
            absent = [c for c in range(10) if c not in classes]
            c = absent[int(rng.integers(len(absent)))]
        return f"Is there a {CLASSES[c]}?", "yes" if yes else "no", None
    raise ValueError(qtype)


class SceneSet:
    """Scenes (4 item indices into one split's images) with one question each, as arrays."""

    def __init__(self, images, labels, n, rng, items_by_class=None):
        self.images = images
        by_class = [np.flatnonzero(labels == c) for c in range(10)]
        self.items = np.zeros((n, 4), dtype=np.int64)
        self.classes = np.zeros((n, 4), dtype=np.int64)
        self.ids = np.zeros((n, MAX_LENGTH), dtype=np.int64)
        self.mask = np.zeros((n, MAX_LENGTH), dtype=np.int64)
        self.answer = np.zeros(n, dtype=np.int64)
        self.qtype = np.zeros(n, dtype=np.int64)
        for i in range(n):
            cls = rng.permutation(10)[:4]
            self.classes[i] = cls
            self.items[i] = [by_class[c][int(rng.integers(len(by_class[c])))] for c in cls]
            t = int(rng.choice(4, p=TYPE_P))
            text, ans, _ = question(TYPES[t], [int(c) for c in cls], rng)
            self.ids[i], self.mask[i] = encode_question(text)
            self.answer[i] = ANSWERS.index(ans)
            self.qtype[i] = t

    def __len__(self):
        return len(self.answer)

    def batch(self, idx):
        return (scene_pixels(self.images, self.items[idx]),
                torch.from_numpy(self.ids[idx]), torch.from_numpy(self.mask[idx]),
                torch.from_numpy(self.answer[idx]))


def scene_pixels(images, items) -> torch.Tensor:
    """[n, 3, 56, 56] float32 in [0, 1]: quadrants in order top left, top right, bottom left,
    bottom right; the grey value copied to the three channels (as the image plugin does)."""
    x = images[items]  # [n, 4, 28, 28]
    x = x.reshape(-1, 2, 2, 28, 28).transpose(0, 1, 3, 2, 4).reshape(-1, 1, 56, 56)
    t = torch.from_numpy(x.astype(np.float32) / np.float32(255))
    return t.expand(-1, 3, 56, 56)


def scene_image(images, items) -> np.ndarray:
    x = images[np.asarray(items)]
    return x.reshape(2, 2, 28, 28).transpose(0, 2, 1, 3).reshape(56, 56)


def slic_labels(grey: np.ndarray, target: int) -> np.ndarray:
    """Contiguous SLIC labels of a grey image, as the image plugin segments (OpenCv.slic and
    ImageModality.slicForTarget): L*a*b*, SLIC, ruler 10, 10 iterations, connectivity 25%, the
    region size retuned at most four times towards the target count."""
    lab = cv2.cvtColor(np.repeat(grey[:, :, None], 3, axis=2), cv2.COLOR_RGB2Lab)
    side = min(grey.shape)

    def run(size):
        slic = cv2.ximgproc.createSuperpixelSLIC(lab, cv2.ximgproc.SLIC, size, 10.0)
        slic.iterate(10)
        if slic.getNumberOfSuperpixels() > 0:
            slic.enforceLabelConnectivity(25)
        raw = slic.getLabels()
        _, inv = np.unique(raw, return_inverse=True)
        return inv.reshape(raw.shape), int(inv.max()) + 1

    clamp = lambda v: max(1, min(side, int(v)))  # noqa: E731
    size = clamp(round(math.sqrt(grey.size / target)))
    best, tried = None, set()
    for _ in range(4):
        if size in tried:
            break
        tried.add(size)
        labels, count = run(size)
        if best is None or abs(count - target) < abs(best[1] - target):
            best = (labels, count)
        if abs(count - target) <= 0.05 * target:
            break
        nxt = clamp(round(size * math.sqrt(count / target)))
        size = nxt if nxt != size else clamp(size + (1 if count > target else -1))
    return best[0]


def item_segments(images: np.ndarray) -> np.ndarray:
    """[n, 28, 28] int8 SLIC labels of every item (ITEM_SEGMENTS per item, at most 16)."""
    out = np.zeros(images.shape, dtype=np.int8)
    for i in range(len(images)):
        labels = slic_labels(images[i], ITEM_SEGMENTS)
        assert labels.max() < 16, labels.max()
        out[i] = labels
    return out


def hide_features(x, attention_mask, items, segments, rng, share_image=0.25, share_question=0.25):
    """Counterfactual rows (RECIPE["counterfactual"]): returns new (image, attention mask)."""
    n = len(items)
    u = rng.random(n)
    image_rows = u < share_image
    question_rows = (u >= share_image) & (u < share_image + share_question)
    # image: global segment id = quadrant * 16 + item label; keep each with p 0.5
    seg = segments[items].astype(np.int64) + 16 * np.arange(4)[None, :, None, None]  # [n,4,28,28]
    keep = rng.random((n, 64)) < 0.5
    keep[~image_rows] = True
    pix = np.take_along_axis(keep, seg.reshape(n, -1), axis=1).reshape(n, 2, 2, 28, 28)
    pix = pix.transpose(0, 1, 3, 2, 4).reshape(n, 1, 56, 56)
    x = x * torch.from_numpy(pix.astype(np.float32))
    # question: keep k ~ U{0 .. words - 1} words, a uniform subset
    am = attention_mask.numpy().copy()
    words = am.sum(axis=1)
    k = np.floor(rng.random(n) * words).astype(np.int64)
    keys = rng.random(am.shape)
    keys[am == 0] = np.inf
    ranks = np.argsort(np.argsort(keys, axis=1), axis=1)
    hidden = am * (ranks < k[:, None])
    am = np.where(question_rows[:, None], hidden, am)
    return x, torch.from_numpy(am)


# ----------------------------------------------------------------------------- model

class FashionVQA(nn.Module):
    def __init__(self, vocab_size: int, answers: int, a=ARCH):
        super().__init__()
        self.item_dim = a["item_dim"]
        # One MLP shared by the four quadrants (equivalently: convolutions with a 28 x 28 kernel
        # and stride 28 over the scene).
        self.items = nn.Sequential(
            nn.Linear(28 * 28, a["item_hidden"]), nn.ReLU(),
            nn.Linear(a["item_hidden"], a["item_dim"]), nn.ReLU(),
        )
        # The channel mean as a [1, 3] x [3, H * W] product (ONNX MatMul: much faster in ONNX
        # Runtime than ReduceMean over the channel axis).
        self.register_buffer("channel_mean", torch.full((1, 3), 1.0 / 3))
        self.embed = nn.Embedding(vocab_size, a["embed_dim"], padding_idx=0)
        self.question = nn.Linear(a["embed_dim"], a["question_dim"])
        self.attend = nn.Linear(a["question_dim"], 4)
        self.fuse_item = nn.Linear(a["item_dim"], a["fusion_dim"])
        self.fuse_question = nn.Linear(a["question_dim"], a["fusion_dim"])
        self.hidden = nn.Linear(a["fusion_dim"], a["fusion_dim"])
        self.out = nn.Linear(a["fusion_dim"], answers)

    def forward(self, image, input_ids, attention_mask):
        x = torch.matmul(self.channel_mean, image.reshape(-1, 3, 56 * 56))  # [n, 1, 3136]
        # quadrants as rows: [n, 2 (row), 28, 2 (col), 28] -> [n * 4, 784], order TL, TR, BL, BR
        x = x.reshape(-1, 2, 28, 2, 28).permute(0, 1, 3, 2, 4).reshape(-1, 28 * 28)
        f = self.items(x).reshape(-1, 4, self.item_dim)            # [n, 4, d]
        m = attention_mask.to(torch.float32).unsqueeze(-1)         # [n, L, 1]
        e = (self.embed(input_ids) * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
        h = F.relu(self.question(e))
        a = torch.sigmoid(self.attend(h)).unsqueeze(-1)            # [n, 4, 1]
        g = (a * f).sum(dim=1)
        z = F.relu(self.fuse_item(g)) * F.relu(self.fuse_question(h))
        return self.out(F.relu(self.hidden(z)))


def count_macs(model: nn.Module) -> dict:
    """Multiply-adds per row (one scene + one question): the linear layers (hooks; the item MLP
    counted four times) and the channel mean; the element-wise work of the bag of words, the gates
    and the fusion product (a few hundred operations) is left out."""
    macs = {"linear": 0}

    def lin_hook(mod, inp, out):
        macs["linear"] += out.numel() * mod.in_features

    hooks = []
    for mod in model.modules():
        if isinstance(mod, nn.Linear):
            hooks.append(mod.register_forward_hook(lin_hook))
    with torch.no_grad():
        ids, mask = encode_question("Is there a pullover in the bottom right?")
        model(torch.zeros(1, 3, 56, 56), torch.tensor([ids]), torch.tensor([mask]))
    for h in hooks:
        h.remove()
    macs["channel_mean"] = 3 * 56 * 56
    macs["total"] = macs["channel_mean"] + macs["linear"]
    return macs


def evaluate(model, data: SceneSet, batch=1000, hide=None):
    """Accuracy overall and by question type; hide = (item segments, rng, (share image, share
    question)) scores rows with features hidden as in training."""
    model.eval()
    preds = np.zeros(len(data), dtype=np.int64)
    with torch.no_grad():
        for s in range(0, len(data), batch):
            idx = np.arange(s, min(s + batch, len(data)))
            x, ids, mask, _ = data.batch(idx)
            if hide is not None:
                x, mask = hide_features(x, mask, data.items[idx], hide[0], hide[1], *hide[2])
            preds[idx] = model(x, ids, mask).argmax(dim=1).numpy()
    correct = preds == data.answer
    out = {"accuracy": round(float(correct.mean()), 4), "scenes": len(data), "by_type": {}}
    for t, name in enumerate(TYPES):
        sel = data.qtype == t
        out["by_type"][name] = {"accuracy": round(float(correct[sel].mean()), 4), "count": int(sel.sum())}
    return out


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


# ----------------------------------------------------------------------------- sample

def write_sample(data_dir: str, test_images, test_labels, model) -> list[dict]:
    """The committed scenes and manifests (t10k items only); returns the demo predictions."""
    rng = np.random.default_rng([SEED, 4])
    scenes_dir = os.path.join(data_dir, "scenes")
    if os.path.isdir(scenes_dir):
        shutil.rmtree(scenes_dir)
    os.makedirs(scenes_dir)
    # 300 scenes, no item used twice: 0000-0199 questions.jsonl (0000-0023 also demo.jsonl),
    # 0200-0299 pool.jsonl.
    queues = [list(rng.permutation(np.flatnonzero(test_labels == c))) for c in range(10)]
    scenes = []
    for s in range(300):
        cls = [int(c) for c in rng.permutation(10)[:4]]
        items = [int(queues[c].pop()) for c in cls]
        scenes.append({"classes": cls, "items": items, "png": f"scenes/{s:04d}.png"})
        img = Image.fromarray(scene_image(test_images, items), mode="L")
        img.save(os.path.join(data_dir, scenes[-1]["png"]), optimize=True)

    def record(rid, s, text, ans, **extra):
        r = {"id": rid, "image": scenes[s]["png"], "question": text, "label": ans}
        r.update(extra)
        return r

    # questions.jsonl: per scene one "what" and one "is_there_at" about another quadrant;
    # exactly 100 yes and 100 no.
    yes = np.array([True] * 100 + [False] * 100)
    rng.shuffle(yes)
    questions = []
    for s in range(200):
        qa, qb = (int(q) for q in rng.permutation(4)[:2])
        text, ans, _ = question("what", scenes[s]["classes"], rng, quadrant=qa)
        questions.append(record(f"q{s:04d}a", s, text, ans, scene=f"s{s:04d}",
                                quadrant=QUADRANTS[qa], type="what"))
        text, ans, _ = question("is_there_at", scenes[s]["classes"], rng, yes=bool(yes[s]), quadrant=qb)
        questions.append(record(f"q{s:04d}b", s, text, ans, scene=f"s{s:04d}",
                                quadrant=QUADRANTS[qb], type="is_there_at"))

    # demo.jsonl: 24 records on scenes 0000-0023: 8 what (2 per quadrant), 6 is_there_at
    # (3 yes), 6 is_there (3 yes), 4 count, in a shuffled order.
    plan = ([("what", None, q) for q in range(4) for _ in range(2)]
            + [("is_there_at", y, None) for y in (True, False) for _ in range(3)]
            + [("is_there", y, None) for y in (True, False) for _ in range(3)]
            + [("count", None, None)] * 4)
    order = rng.permutation(len(plan))
    demo = []
    for s, k in enumerate(order):
        qtype, y, q = plan[int(k)]
        text, ans, quad = question(qtype, scenes[s]["classes"], rng, yes=y, quadrant=q)
        extra = {"scene": f"s{s:04d}", "type": qtype}
        if quad is not None:
            extra["quadrant"] = QUADRANTS[quad]
        demo.append(record(f"d{s:02d}", s, text, ans, **extra))

    # pool.jsonl: 100 records on scenes 0200-0299 with the test mix: 30 what, 30 is_there_at
    # (15 yes), 25 is_there (13 yes), 15 count, shuffled.
    plan = ([("what", None)] * 30 + [("is_there_at", True)] * 15 + [("is_there_at", False)] * 15
            + [("is_there", True)] * 13 + [("is_there", False)] * 12 + [("count", None)] * 15)
    order = rng.permutation(len(plan))
    pool = []
    for j, k in enumerate(order):
        qtype, y = plan[int(k)]
        s = 200 + j
        text, ans, quad = question(qtype, scenes[s]["classes"], rng, yes=y)
        extra = {"scene": f"s{s:04d}", "type": qtype}
        if quad is not None:
            extra["quadrant"] = QUADRANTS[quad]
        pool.append(record(f"p{j:03d}", s, text, ans, **extra))

    for name, recs in (("questions.jsonl", questions), ("demo.jsonl", demo), ("pool.jsonl", pool)):
        with open(os.path.join(data_dir, name), "w") as f:
            for r in recs:
                f.write(json.dumps(r) + "\n")

    with open(os.path.join(data_dir, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    with open(os.path.join(data_dir, "pipeline.yaml"), "w") as f:
        f.write(PIPELINE)
    with open(COPYRIGHT) as src, open(os.path.join(data_dir, "LICENSE-fashion-mnist.txt"), "w") as f:
        f.write(LICENSE_HEADER + src.read())
    files = sorted(
        os.path.relpath(os.path.join(d, n), data_dir).replace(os.sep, "/")
        for d, _, names in os.walk(data_dir) for n in names)
    with open(os.path.join(data_dir, "index.txt"), "w") as f:
        f.write("".join(p + "\n" for p in files if p != "index.txt"))

    # PyTorch predictions for every sample record, read back from the PNG files.
    def predict(recs):
        x = np.stack([np.asarray(Image.open(os.path.join(data_dir, r["image"]))) for r in recs])
        x = torch.from_numpy(x.astype(np.float32) / np.float32(255))[:, None].expand(-1, 3, 56, 56)
        enc = [encode_question(r["question"]) for r in recs]
        with torch.no_grad():
            logits = model(x, torch.tensor([e[0] for e in enc]), torch.tensor([e[1] for e in enc]))
        return logits.numpy()

    stats = {}
    for name, recs in (("demo", demo), ("pool", pool), ("questions", questions)):
        logits = predict(recs)
        pred = logits.argmax(axis=1)
        stats[name] = {"records": len(recs),
                       "accuracy": round(float(np.mean([ANSWERS[p] == r["label"] for p, r in zip(pred, recs)])), 4)}
        if name == "demo":
            stats["demo_predictions"] = [
                {"id": r["id"], "predicted": ANSWERS[int(p)], "logits": [round(float(v), 6) for v in lg]}
                for r, p, lg in zip(recs, pred, logits)]
    png_bytes = sum(os.path.getsize(os.path.join(scenes_dir, n)) for n in os.listdir(scenes_dir))
    stats["png_bytes"] = png_bytes
    stats["scenes"] = len(scenes)
    return stats


LICENSE_HEADER = """\
The scenes in this folder are made of images from Fashion-MNIST
(https://github.com/zalandoresearch/fashion-mnist), Copyright (c) 2017 Zalando SE,
https://tech.zalando.com, under the MIT (Expat) licence. They were read from the Debian package
dataset-fashion-mnist; below is that package's copyright file, copied verbatim
(/usr/share/doc/dataset-fashion-mnist/copyright).

"""

PIPELINE = f"""\
# DIME pipeline for the Fashion-VQA demo model (models/fashion_vqa.onnx): a 56 x 56 grey scene of
# 2 x 2 Fashion-MNIST items and a templated question. Written by
# dime-reproduce/src/main/python/fashion_vqa.py; see README.md next to it.
modalities:
  - name: image
    plugin: image
    settings:
      featurizer: slic
      segments: {SLIC_SEGMENTS}
      # Hidden superpixels become black, the scene's own background: hiding a part of an item
      # removes it instead of painting a grey blob (the mean colour) that the model never saw.
      perturber: constant
      fill: [0, 0, 0]
      input: image          # FLOAT32 [batch, 3, 56, 56]
      channelOrder: rgb
      scale: 0.00392156862745098   # 1 / 255
      mean: [0, 0, 0]
      std: [1, 1, 1]
      layout: nchw
  - name: question
    plugin: text
    settings:
      features: words
      perturber: remove
      encoder: vocab
      vocab: vocab.txt      # relative to this file; [PAD] = 0, [UNK] = 1
      maxLength: {MAX_LENGTH}
      lowercase: true
      inputIdsName: input_ids
      attentionMaskName: attention_mask
output: logits
outputKind: logits
classNames: [{", ".join('"' + a + '"' for a in ANSWERS)}]   # quoted: YAML 1.1 reads bare no/yes as booleans
"""


# ----------------------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", default=DEFAULT_MODEL_DIR)
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    ap.add_argument("--recipe", choices=["counterfactual", "plain"], default="counterfactual",
                    help="plain: the first committed model's recipe (no hidden features, 20 epochs)")
    ap.add_argument("--epochs", type=int, default=None,
                    help="override the epoch count (smoke tests only)")
    ap.add_argument("--threads", type=int, default=RECIPE["threads"])
    args = ap.parse_args(argv)
    recipe = RECIPE if args.recipe == "counterfactual" else PLAIN_RECIPE
    counterfactual = "counterfactual" in recipe

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    t0 = time.time()

    train_images, train_labels = load_split("train")
    test_images, test_labels = load_split("t10k")
    perm = np.random.default_rng([SEED, 0]).permutation(len(train_labels))
    tr = np.sort(perm[:RECIPE["train_items"]])
    va = np.sort(perm[RECIPE["train_items"]:])
    tr_images, tr_labels = train_images[tr], train_labels[tr]
    va_images, va_labels = train_images[va], train_labels[va]
    valid = SceneSet(va_images, va_labels, RECIPE["valid_scenes"], np.random.default_rng([SEED, 2]))
    test = SceneSet(test_images, test_labels, RECIPE["test_scenes"], np.random.default_rng([SEED, 3]))

    model = FashionVQA(len(VOCAB), len(ANSWERS))
    params = sum(p.numel() for p in model.parameters())
    macs = count_macs(model)
    print(f"parameters {params}, multiply-adds per row {macs}", flush=True)

    epochs = args.epochs if args.epochs is not None else recipe["epochs"]
    tseg = time.time()
    segments = item_segments(tr_images) if counterfactual else None
    test_segments = item_segments(test_images)
    print(f"item segments {time.time() - tseg:.1f} s", flush=True)
    steps_per_epoch = math.ceil(RECIPE["scenes_per_epoch"] / RECIPE["batch_size"])
    total_steps = max(1, epochs * steps_per_epoch)
    opt = torch.optim.Adam(model.parameters(), lr=RECIPE["lr"], betas=(0.9, 0.999))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: 0.5 * (1 + math.cos(math.pi * min(step, total_steps) / total_steps)))
    shuffle = torch.Generator().manual_seed(SEED)
    history = []
    best = (-1.0, None, 0)
    for epoch in range(1, epochs + 1):
        te = time.time()
        data = SceneSet(tr_images, tr_labels, RECIPE["scenes_per_epoch"],
                        np.random.default_rng([SEED, 1, epoch]))
        order = torch.randperm(len(data), generator=shuffle).numpy()
        hide_rng = np.random.default_rng([SEED, 5, epoch])
        model.train()
        loss_sum, n = 0.0, 0
        for s in range(0, len(data), RECIPE["batch_size"]):
            idx = order[s:s + RECIPE["batch_size"]]
            x, ids, mask, y = data.batch(idx)
            if counterfactual:
                x, mask = hide_features(x, mask, data.items[idx], segments, hide_rng)
            loss = F.cross_entropy(model(x, ids, mask), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += float(loss) * len(idx)
            n += len(idx)
        v = evaluate(model, valid)
        history.append({"epoch": epoch, "train_loss": round(loss_sum / n, 5),
                        "valid_accuracy": v["accuracy"], "seconds": round(time.time() - te, 1)})
        print(json.dumps(history[-1]), flush=True)
        if v["accuracy"] > best[0]:
            best = (v["accuracy"], {k: t.clone() for k, t in model.state_dict().items()}, epoch)
    if best[1] is not None:
        model.load_state_dict(best[1])
    model.eval()
    train_seconds = time.time() - t0
    valid_result = evaluate(model, valid)
    test_result = evaluate(model, test)
    # Model-only diagnostic: the same test scenes with every row's image (or question) features
    # hidden as RECIPE["counterfactual"] hides them, scored against the unhidden answers.
    test_hidden = {}
    for name, shares in (("image", (1.0, 0.0)), ("question", (0.0, 1.0))):
        rng = np.random.default_rng([SEED, 6, len(test_hidden)])
        test_hidden[name] = evaluate(model, test, hide=(test_segments, rng, shares))
    print("test with hidden features", json.dumps(test_hidden), flush=True)
    print("valid", json.dumps(valid_result), flush=True)
    print("test", json.dumps(test_result), flush=True)

    os.makedirs(args.model_dir, exist_ok=True)
    onnx_path = os.path.join(args.model_dir, "fashion_vqa.onnx")
    ids, mask = encode_question("What is in the top left?")
    dummy = (torch.zeros(2, 3, 56, 56), torch.tensor([ids, ids]), torch.tensor([mask, mask]))
    torch.onnx.export(
        model, dummy, onnx_path, opset_version=13, do_constant_folding=True,
        input_names=["image", "input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"}, "logits": {0: "batch"}})
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    digest = sha256_file(onnx_path)
    with open(onnx_path + ".sha256", "w") as f:
        f.write(f"{digest}  fashion_vqa.onnx\n")

    os.makedirs(args.data_dir, exist_ok=True)
    sample = write_sample(args.data_dir, test_images, test_labels, model)
    demo_predictions = sample.pop("demo_predictions")

    info = {
        "task": "Fashion-VQA: 2 x 2 Fashion-MNIST scenes (56 x 56 grey) with templated questions",
        "model": "fashion_vqa.onnx",
        "script": "dime-reproduce/src/main/python/fashion_vqa.py",
        "data": "Fashion-MNIST (Zalando SE, MIT/Expat) from Debian's dataset-fashion-mnist",
        "seed": SEED,
        "seeds": {"torch": SEED, "item split": [SEED, 0], "train epoch e": [SEED, 1, "e"],
                  "valid": [SEED, 2], "test": [SEED, 3], "sample": [SEED, 4],
                  "batch order": f"torch.Generator seeded {SEED}"},
        "classes": dict(zip(CLASSES, FMNIST_NAMES)),
        "answers": ANSWERS,
        "question_types": {t: {"probability": p} for t, p in zip(TYPES, TYPE_P)},
        "templates": {"what": "What is in the <quadrant>?",
                      "is_there_at": "Is there a <class> in the <quadrant>?",
                      "is_there": "Is there a <class>?",
                      "count": "How many items are there?"},
        "quadrants": QUADRANTS,
        "vocab": VOCAB,
        "inputs": {"image": ["batch", 3, 56, 56], "input_ids": ["batch", "seq"],
                   "attention_mask": ["batch", "seq"]},
        "input_encoding": {"image": "float32 NCHW RGB, pixel / 255 (grey spread to 3 channels)",
                           "question": f"int64 ids of lowercased CoreNLP words, [PAD]=0, [UNK]=1, maxLength {MAX_LENGTH} in the pipeline"},
        "output": {"logits": ["batch", len(ANSWERS)]},
        "architecture": ARCH,
        "architecture_text": "channel mean; per-quadrant item MLP 784->64->32 (ReLU) shared by the 4 "
                             "quadrants; question: masked mean of 32-d word embeddings, linear "
                             "32->64, ReLU; fusion: sigmoid gate per quadrant from the question, "
                             "gated sum of item vectors, ReLU(linear 32->96) * ReLU(linear 64->96), "
                             "linear 96->96, ReLU, linear 96->13",
        "parameters": params,
        "multiply_adds_per_row": macs,
        "recipe": dict(recipe, epochs=epochs),
        "recipe_name": args.recipe,
        "history": history,
        "selected_epoch": best[2],
        "valid": valid_result,
        "test": test_result,
        "test_with_hidden_features": test_hidden,
        "training_seconds": round(train_seconds, 1),
        "onnx": {"opset": 13, "bytes": os.path.getsize(onnx_path), "sha256": digest},
        "sample": sample,
        "demo_predictions": demo_predictions,
        "versions": {"torch": torch.__version__, "numpy": np.__version__, "onnx": onnx.__version__,
                     "opencv": cv2.__version__,
                     "python": sys.version.split()[0]},
    }
    with open(os.path.join(args.model_dir, "fashion_vqa.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{onnx_path} {os.path.getsize(onnx_path)} bytes sha256 {digest}", flush=True)
    print("sample", json.dumps(sample), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
