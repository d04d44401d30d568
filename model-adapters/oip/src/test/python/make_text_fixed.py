#!/usr/bin/env python3
"""Writes text_bow_fixed.onnx, the only test model of this module that is not a copy of the ONNX
adapter's: its text_bow.onnx (a copy lies in src/test/resources) with the batch dimension fixed to
4, so that the last request of a call is padded with repeated texts.

Run from the repository root with the system Python (onnx 1.12):

    /usr/bin/python3 model-adapters/oip/src/test/python/make_text_fixed.py

- text_bow_fixed.onnx: text string [4, 1], num float [4, 2] -> logits float [4, 2], as text_bow
"""

import os

import onnx

BATCH = 4


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources")
    model = onnx.load(os.path.join(here, "text_bow.onnx"))
    for value in list(model.graph.input) + list(model.graph.output):
        dim = value.type.tensor_type.shape.dim[0]
        dim.Clear()
        dim.dim_value = BATCH
    model.graph.name = "text_bow_fixed"
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(here, "text_bow_fixed.onnx"))


if __name__ == "__main__":
    main()
