#!/usr/bin/env python3
"""Writes slow_chain.onnx, the ONNX adapter tests' model whose call takes long enough to be ended.

Run from the repository root with the system Python (PyTorch):

    /usr/bin/python3 model-adapters/onnx/src/test/python/make_slow_model.py

a float [N, 32], b float [N, 32] -> y float [N, 2]: x = concat(a, b), LAYERS rounds of
x = tanh(x @ W) with one shared 64 x 64 W, then the sums of x's two halves (two logits, so that the
command line can explain it as a two-modality classifier: dime-cli SlowModelCliTest). Every round is two graph nodes, and ONNX Runtime checks a run's
terminate flag between nodes, so a call on many rows can be ended after any round (the test
OnnxCallEndTest). On the 2-core development machine 50,000 rows
take about two seconds. The model is committed under src/test/resources.
"""

import os

import torch

LAYERS = 600
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "resources", "slow_chain.onnx"
)


class Chain(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(7)
        # orthogonal-ish and small: tanh keeps the values in (-1, 1) through every round
        self.w = torch.nn.Parameter(torch.randn(64, 64, generator=g) / 8.0)

    def forward(self, a, b):
        x = torch.cat([a, b], dim=1)
        for _ in range(LAYERS):
            x = torch.tanh(x @ self.w)
        return torch.stack([x[:, :32].sum(dim=1), x[:, 32:].sum(dim=1)], dim=1)


def main():
    model = Chain().eval()
    example = (torch.zeros(2, 32), torch.zeros(2, 32))
    torch.onnx.export(
        model,
        example,
        OUT,
        input_names=["a", "b"],
        output_names=["y"],
        dynamic_axes={"a": {0: "batch"}, "b": {0: "batch"}, "y": {0: "batch"}},
        opset_version=13,
    )
    print(OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
