#!/usr/bin/env python3
"""Writes the tiny ONNX models that the ONNX adapter's tests load.

Run from the repository root with the system Python (onnx 1.12, numpy):

    /usr/bin/python3 model-adapters/onnx/src/test/python/make_test_models.py

The models are committed under src/test/resources; rerun this script only to change them.
W and C below are repeated in OnnxModelAdapterTest, which computes the expected outputs in Java.

- two_inputs.onnx:  a float [N, 3], b float [N, 2] -> y float [N, 2] = concat(a, b) @ W + C
- fixed_batch.onnx: the same function with the batch dimension fixed to 4
- external_data.onnx: the same function with W and C in external_data.weights (ONNX external data,
                    as PyTorch writes a model over 2 GB)
- external_nested/model.onnx: a float [N, 2] -> y = a + K1 + If(c, K2, K3) + K4, each tensor (the
                    initializers K1 and c, K2 and K3 in the If's branches, the Constant node's K4)
                    in a file of its own named as the tensor, in the model's folder
- int_input.onnx:   ids int64 [N, 4] -> s float [N, 1] = sum of ids, as float
- other_types.onnx: x float [N, 2] -> d double [N, 2] = x, i int32 [N, 2] = x truncated,
                    flag bool [N, 2] = x > 0 (an output type the adapter does not return)
- int32_input.onnx: n int32 [N, 1] -> f float [N, 1] = n (fed from DIME's INT64, narrowed)
- double_input.onnx: x double [N, 2] -> y float [N, 2] = x * 3 (fed from DIME's FLOAT32, widened)
- bool_input.onnx:  flag bool [N, 1] -> f float [N, 1] = flag (fed from DIME's INT64 0 / 1)
- uint8_input.onnx: px uint8 [N, 2] -> f float [N, 2] = px (fed from DIME's FLOAT32, rounded)
- position_ids.onnx: input_ids, attention_mask, position_ids int64 [N, 8] -> score float [N, 1] =
  sum(position_ids * attention_mask) + 0 * sum(input_ids): a text model exported with position ids
- float16_input.onnx: h float16 [N, 1] -> f float [N, 1] = h
- int16_input.onnx: n int16 [N, 1] -> f float [N, 1] (an input type the adapter does not feed)
- half_precision.onnx: h float16 [N, 2], b bfloat16 [N, 2] -> hs float16 = h, bs bfloat16 = b,
                    f float = h + b (a model exported in half precision)
- text_bow.onnx:    text string [N, 1], num float [N, 2] -> logits float [N, 2] = counts(words of
                    the lower-cased text, split at anything but letters) @ WORDS_W + num @ V + C:
                    a scikit-learn-style bag-of-words pipeline (the text goes in as a string)
- text_columns.onnx: text string [N, 1], age float [N, 1], rooms int64 [N, 1], color string
                    [N, 1], score float [N] -> logits float [N, 2] = counts @ WORDS_W + [age,
                    rooms, score] @ COLUMNS_W + onehot(color) @ COLOR_W + C: a scikit-learn model
                    over a table, one input per column (an unknown color fails it)
- text_rank1.onnx:  the same text part with text string [N] -> score float [N, 1] = counts @ w0
- text_locale.onnx: text_rank1 with StringNormalizer's locale "xx_XX" (no machine has it)
- sk_classifier.onnx: a float [N, 2], b float [N, 2] -> LinearClassifier (SK_COEF, SK_BIAS,
                    softmax) with labels cat, dog, eel -> output_label string [N],
                    output_probability: a ZipMap's sequence of maps, label -> probability (what
                    skl2onnx writes for a scikit-learn LogisticRegression by default)
- sk_classifier_int.onnx: the same with labels 0, 1, 2 (output_label int64 [N])
- text_pairs.onnx:  t string [N, 2] -> n int64 [2] = its shape (two texts a row: not fed)
- no_batch.onnx:    two_inputs' function without a batch dimension: a float [3], b float [2] ->
                    y float [2] (a model exported for one example, as torch.onnx.export writes a
                    module called on unbatched tensors)
- no_batch_one.onnx: its one-input form: ab float [5] -> y float [2] = ab @ W + C
- opset_too_new.onnx: two_inputs with ai.onnx opset 30, newer than ONNX Runtime 1.28 runs (26)
- ir_too_new.onnx:  two_inputs with IR version 99, newer than ONNX Runtime 1.28 reads (13)
  (both written without onnx's checker, which refuses them too)
- nan_below.onnx:   two_inputs' function plus 0 * sqrt(a[:, 0] + 5): NaN in every row whose a0 is
                    below -5 (a model that produces NaN for some inputs, as a real one can)
"""

import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, external_data_helper, helper, numpy_helper

OPSET = 13
IR_VERSION = 7

W = np.array(
    [
        [0.5, -1.0],
        [0.25, 2.0],
        [-0.75, 0.125],
        [1.5, -0.5],
        [-2.0, 0.0625],
    ],
    dtype=np.float32,
)
C = np.array([0.1, -0.2], dtype=np.float32)

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources")


def save(graph, file_name, ms=False, ml=False, external=None):
    """Writes a model; ms, ml: it uses operators of the com.microsoft or ai.onnx.ml domain;
    external: the file, next to the model, that holds its initializers (ONNX external data), or
    "each": a file for each tensor, named as the tensor."""
    opsets = [helper.make_opsetid("", OPSET)]
    if ms:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    if ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", 1))
    model = helper.make_model(graph, producer_name="dime-make_test_models", opset_imports=opsets)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    path = os.path.normpath(os.path.join(OUT_DIR, file_name))
    if external is None:
        onnx.save(model, path)
    elif external == "each":
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)
        os.makedirs(os.path.dirname(path))
        external_data_helper.convert_model_to_external_data(
            model, all_tensors_to_one_file=False, size_threshold=0, convert_attribute=True
        )
        onnx.save(model, path)
    else:
        data = os.path.join(os.path.dirname(path), external)
        if os.path.exists(data):
            os.remove(data)  # onnx.save_model appends to it
        onnx.save_model(
            model,
            path,
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=external,
            size_threshold=0,
        )
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def save_unchecked(graph, file_name, opset, ir_version):
    """Writes a model that onnx's checker refuses: an opset or IR version from the future."""
    opsets = [helper.make_opsetid("", opset)]
    model = helper.make_model(graph, producer_name="dime-make_test_models", opset_imports=opsets)
    model.ir_version = ir_version
    path = os.path.normpath(os.path.join(OUT_DIR, file_name))
    onnx.save(model, path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def linear(name, batch):
    nodes = [
        helper.make_node("Concat", ["a", "b"], ["ab"], axis=1),
        helper.make_node("MatMul", ["ab", "W"], ["abW"]),
        helper.make_node("Add", ["abW", "C"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        inputs=[
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [batch, 3]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [batch, 2]),
        ],
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, 2])],
        initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(C, "C")],
    )
    return graph


def no_batch(one):
    """two_inputs' function on one example, with no batch dimension anywhere."""
    if one:
        nodes = [helper.make_node("MatMul", ["ab", "W"], ["abW"])]
        inputs = [helper.make_tensor_value_info("ab", TensorProto.FLOAT, [5])]
    else:
        nodes = [
            helper.make_node("Concat", ["a", "b"], ["ab"], axis=0),
            helper.make_node("MatMul", ["ab", "W"], ["abW"]),
        ]
        inputs = [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [3]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, [2]),
        ]
    nodes.append(helper.make_node("Add", ["abW", "C"], ["y"]))
    return helper.make_graph(
        nodes,
        "no_batch_one" if one else "no_batch",
        inputs=inputs,
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])],
        initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(C, "C")],
    )


def nan_below():
    nodes = [
        helper.make_node("Concat", ["a", "b"], ["ab"], axis=1),
        helper.make_node("MatMul", ["ab", "W"], ["abW"]),
        helper.make_node("Add", ["abW", "C"], ["lin"]),
        helper.make_node("Slice", ["a", "start", "end", "axis"], ["a0"]),
        helper.make_node("Add", ["a0", "five"], ["a0p5"]),
        helper.make_node("Sqrt", ["a0p5"], ["root"]),
        helper.make_node("Mul", ["root", "zero"], ["nan_or_zero"]),
        helper.make_node("Add", ["lin", "nan_or_zero"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "nan_below",
        inputs=[
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 3]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 2]),
        ],
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
        initializer=[
            numpy_helper.from_array(W, "W"),
            numpy_helper.from_array(C, "C"),
            numpy_helper.from_array(np.array([0], dtype=np.int64), "start"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "end"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis"),
            numpy_helper.from_array(np.array(5.0, dtype=np.float32), "five"),
            numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
        ],
    )
    return graph


def int_sum():
    nodes = [
        helper.make_node("Cast", ["ids"], ["idsf"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["idsf", "axes"], ["s"], keepdims=1),
    ]
    graph = helper.make_graph(
        nodes,
        "int_input",
        inputs=[helper.make_tensor_value_info("ids", TensorProto.INT64, ["N", 4])],
        outputs=[helper.make_tensor_value_info("s", TensorProto.FLOAT, ["N", 1])],
        initializer=[numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")],
    )
    return graph


def other_types():
    nodes = [
        helper.make_node("Cast", ["x"], ["d"], to=TensorProto.DOUBLE),
        helper.make_node("Cast", ["x"], ["i"], to=TensorProto.INT32),
        helper.make_node("Greater", ["x", "zero"], ["flag"]),
    ]
    graph = helper.make_graph(
        nodes,
        "other_types",
        inputs=[helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
        outputs=[
            helper.make_tensor_value_info("d", TensorProto.DOUBLE, ["N", 2]),
            helper.make_tensor_value_info("i", TensorProto.INT32, ["N", 2]),
            helper.make_tensor_value_info("flag", TensorProto.BOOL, ["N", 2]),
        ],
        initializer=[numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero")],
    )
    return graph


def int32_input():
    nodes = [helper.make_node("Cast", ["n"], ["f"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes,
        "int32_input",
        inputs=[helper.make_tensor_value_info("n", TensorProto.INT32, ["N", 1])],
        outputs=[helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 1])],
    )
    return graph


def double_input():
    nodes = [
        helper.make_node("Mul", ["x", "three"], ["x3"]),
        helper.make_node("Cast", ["x3"], ["y"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes,
        "double_input",
        inputs=[helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["N", 2])],
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
        initializer=[numpy_helper.from_array(np.array(3.0, dtype=np.float64), "three")],
    )
    return graph


def bool_input():
    nodes = [helper.make_node("Cast", ["flag"], ["f"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes,
        "bool_input",
        inputs=[helper.make_tensor_value_info("flag", TensorProto.BOOL, ["N", 1])],
        outputs=[helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 1])],
    )
    return graph


def uint8_input():
    nodes = [helper.make_node("Cast", ["px"], ["f"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes,
        "uint8_input",
        inputs=[helper.make_tensor_value_info("px", TensorProto.UINT8, ["N", 2])],
        outputs=[helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 2])],
    )
    return graph


def position_ids():
    nodes = [
        helper.make_node("Mul", ["position_ids", "attention_mask"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "axis1"], ["total"], keepdims=1),
        helper.make_node("Mul", ["input_ids", "zero"], ["none"]),
        helper.make_node("ReduceSum", ["none", "axis1"], ["nothing"], keepdims=1),
        helper.make_node("Add", ["total", "nothing"], ["sum"]),
        helper.make_node("Cast", ["sum"], ["score"], to=TensorProto.FLOAT),
    ]
    ids = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["N", 8])
        for n in ("input_ids", "attention_mask", "position_ids")
    ]
    graph = helper.make_graph(
        nodes,
        "position_ids",
        inputs=ids,
        outputs=[helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])],
        initializer=[
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
            numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
        ],
    )
    return graph


def float16_input():
    nodes = [helper.make_node("Cast", ["h"], ["f"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes,
        "float16_input",
        inputs=[helper.make_tensor_value_info("h", TensorProto.FLOAT16, ["N", 1])],
        outputs=[helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 1])],
    )
    return graph


def int16_input():
    nodes = [helper.make_node("Cast", ["n"], ["f"], to=TensorProto.FLOAT)]
    graph = helper.make_graph(
        nodes,
        "int16_input",
        inputs=[helper.make_tensor_value_info("n", TensorProto.INT16, ["N", 1])],
        outputs=[helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 1])],
    )
    return graph


def half_precision():
    nodes = [
        helper.make_node("Identity", ["h"], ["hs"]),
        helper.make_node("Identity", ["b"], ["bs"]),
        helper.make_node("Cast", ["h"], ["hf"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["b"], ["bf"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["hf", "bf"], ["f"]),
    ]
    graph = helper.make_graph(
        nodes,
        "half_precision",
        inputs=[
            helper.make_tensor_value_info("h", TensorProto.FLOAT16, ["N", 2]),
            helper.make_tensor_value_info("b", TensorProto.BFLOAT16, ["N", 2]),
        ],
        outputs=[
            helper.make_tensor_value_info("hs", TensorProto.FLOAT16, ["N", 2]),
            helper.make_tensor_value_info("bs", TensorProto.BFLOAT16, ["N", 2]),
            helper.make_tensor_value_info("f", TensorProto.FLOAT, ["N", 2]),
        ],
    )
    return graph


WORDS = ["good", "bad", "movie", "plot", "great", "boring"]
WORDS_W = np.array(
    [[1.0, -1.0], [-2.0, 2.0], [0.25, 0.5], [0.125, -0.25], [3.0, -1.5], [-1.0, 0.75]],
    dtype=np.float32,
)
V = np.array([[0.5, -0.5], [-0.25, 1.0]], dtype=np.float32)


def word_counts(text, locale="C"):
    """Nodes from a string input to float word counts [N, len(WORDS)] (as skl2onnx writes them)."""
    return [
        helper.make_node("Reshape", [text, "flat"], ["flat_text"]),
        helper.make_node(
            "StringNormalizer", ["flat_text"], ["lower"], case_change_action="LOWER", locale=locale
        ),
        helper.make_node(
            "Tokenizer",
            ["lower"],
            ["tokens"],
            domain="com.microsoft",
            mark=0,
            mincharnum=1,
            pad_value="#",
            tokenexp="[a-z]+",
        ),
        helper.make_node(
            "TfIdfVectorizer",
            ["tokens"],
            ["counts"],
            mode="TF",
            min_gram_length=1,
            max_gram_length=1,
            max_skip_count=0,
            ngram_counts=[0],
            ngram_indexes=list(range(len(WORDS))),
            pool_strings=WORDS,
        ),
    ]


def text_bow():
    nodes = word_counts("text") + [
        helper.make_node("MatMul", ["counts", "words_w"], ["from_text"]),
        helper.make_node("MatMul", ["num", "v"], ["from_num"]),
        helper.make_node("Add", ["from_text", "from_num"], ["sum"]),
        helper.make_node("Add", ["sum", "c"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "text_bow",
        inputs=[
            helper.make_tensor_value_info("text", TensorProto.STRING, ["N", 1]),
            helper.make_tensor_value_info("num", TensorProto.FLOAT, ["N", 2]),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 2])],
        initializer=[
            numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
            numpy_helper.from_array(WORDS_W, "words_w"),
            numpy_helper.from_array(V, "v"),
            numpy_helper.from_array(C, "c"),
        ],
    )
    return graph


COLUMNS_W = np.array([[0.5, -0.5], [-0.25, 0.75], [2.0, 1.0]], dtype=np.float32)
COLORS = ["red", "green", "blue"]
COLOR_W = np.array([[1.0, 0.0], [0.0, 1.5], [-1.0, -0.5]], dtype=np.float32)


def text_columns():
    """A scikit-learn-style model over a table: a text column and four more columns, each an input
    of its own: age float [N, 1], rooms int64 [N, 1], color string [N, 1] (one-hot encoded; an
    unknown color fails the model, as scikit-learn's handle_unknown='error' exports it) and score
    float [N]."""
    nodes = word_counts("text") + [
        helper.make_node("MatMul", ["counts", "words_w"], ["from_text"]),
        helper.make_node("Cast", ["rooms"], ["rooms_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["score", "axis1"], ["score2"]),
        helper.make_node("Concat", ["age", "rooms_f", "score2"], ["cols"], axis=1),
        helper.make_node("MatMul", ["cols", "columns_w"], ["from_cols"]),
        helper.make_node(
            "OneHotEncoder", ["color"], ["color_hot3"], domain="ai.onnx.ml", cats_strings=COLORS,
            zeros=0,
        ),
        helper.make_node("Reshape", ["color_hot3", "hot_shape"], ["color_hot"]),
        helper.make_node("MatMul", ["color_hot", "color_w"], ["from_color"]),
        helper.make_node("Add", ["from_text", "from_cols"], ["sum1"]),
        helper.make_node("Add", ["sum1", "from_color"], ["sum"]),
        helper.make_node("Add", ["sum", "c"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes,
        "text_columns",
        inputs=[
            helper.make_tensor_value_info("text", TensorProto.STRING, ["N", 1]),
            helper.make_tensor_value_info("age", TensorProto.FLOAT, ["N", 1]),
            helper.make_tensor_value_info("rooms", TensorProto.INT64, ["N", 1]),
            helper.make_tensor_value_info("color", TensorProto.STRING, ["N", 1]),
            helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N"]),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 2])],
        initializer=[
            numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
            numpy_helper.from_array(np.array([-1, len(COLORS)], dtype=np.int64), "hot_shape"),
            numpy_helper.from_array(WORDS_W, "words_w"),
            numpy_helper.from_array(COLUMNS_W, "columns_w"),
            numpy_helper.from_array(COLOR_W, "color_w"),
            numpy_helper.from_array(C, "c"),
        ],
    )
    return graph


def text_rank1(locale="C"):
    nodes = word_counts("text", locale) + [
        helper.make_node("MatMul", ["counts", "w0"], ["score"]),
    ]
    graph = helper.make_graph(
        nodes,
        "text_rank1",
        inputs=[helper.make_tensor_value_info("text", TensorProto.STRING, ["N"])],
        outputs=[helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])],
        initializer=[
            numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
            numpy_helper.from_array(WORDS_W[:, :1].copy(), "w0"),
        ],
    )
    return graph


def text_pairs():
    graph = helper.make_graph(
        [helper.make_node("Shape", ["t"], ["n"])],
        "text_pairs",
        inputs=[helper.make_tensor_value_info("t", TensorProto.STRING, ["N", 2])],
        outputs=[helper.make_tensor_value_info("n", TensorProto.INT64, [2])],
    )
    return graph


SK_COEF = np.array(
    [[1.0, -0.5, 0.25, 2.0], [-1.0, 0.5, 1.5, -0.25], [0.5, 0.5, -1.0, 0.0]], dtype=np.float32
)
SK_BIAS = np.array([0.1, -0.2, 0.05], dtype=np.float32)


def sk_classifier(labels):
    """A scikit-learn-style classifier over two inputs, ending in a ZipMap."""
    strings = isinstance(labels[0], str)
    label_attr = {"classlabels_strings": labels} if strings else {"classlabels_ints": labels}
    zip_attr = {"classlabels_strings": labels} if strings else {"classlabels_int64s": labels}
    nodes = [
        helper.make_node("Concat", ["a", "b"], ["x"], axis=1),
        helper.make_node(
            "LinearClassifier",
            ["x"],
            ["output_label", "probabilities"],
            domain="ai.onnx.ml",
            coefficients=SK_COEF.flatten().tolist(),
            intercepts=SK_BIAS.tolist(),
            multi_class=0,
            post_transform="SOFTMAX",
            **label_attr,
        ),
        helper.make_node(
            "ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml", **zip_attr
        ),
    ]
    key = TensorProto.STRING if strings else TensorProto.INT64
    maps = onnx.TypeProto()  # sequence(map(key, float)), built by hand: onnx 1.12 has no helper
    maps.sequence_type.elem_type.map_type.key_type = key
    maps.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    graph = helper.make_graph(
        nodes,
        "sk_classifier",
        inputs=[
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 2]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, ["N", 2]),
        ],
        outputs=[
            helper.make_tensor_value_info("output_label", key, ["N"]),
            onnx.ValueInfoProto(name="output_probability", type=maps),
        ],
    )
    return graph


def external_nested():
    """y = a + K1 + If(c, K2, K3) + K4, every tensor in a file of its own named as the tensor: the
    initializers of the main graph (K1, c) and of the If's branches (K2, K3), and the Constant
    node's tensor (K4). ONNX Runtime 1.28 folds the If over c with a path that misses the model's
    folder (the adapter then opens it without constant folding)."""

    def branch(name, values):
        t = numpy_helper.from_array(np.array(values, dtype=np.float32), name)
        node = helper.make_node("Identity", [name], ["t_" + name])
        out = helper.make_tensor_value_info("t_" + name, TensorProto.FLOAT, [2])
        return helper.make_graph([node], "branch_" + name, [], [out], initializer=[t])

    k4 = numpy_helper.from_array(np.array([0.5, 0.5], dtype=np.float32), "K4")
    nodes = [
        helper.make_node(
            "If",
            ["c"],
            ["t"],
            then_branch=branch("K2", [10.0, 20.0]),
            else_branch=branch("K3", [-10.0, -20.0]),
        ),
        helper.make_node("Constant", [], ["k4"], value=k4),
        helper.make_node("Add", ["a", "K1"], ["aK"]),
        helper.make_node("Add", ["aK", "t"], ["aKt"]),
        helper.make_node("Add", ["aKt", "k4"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "external_nested",
        inputs=[helper.make_tensor_value_info("a", TensorProto.FLOAT, ["N", 2])],
        outputs=[helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
        initializer=[
            numpy_helper.from_array(np.array([1.0, 2.0], dtype=np.float32), "K1"),
            numpy_helper.from_array(np.array(True), "c"),
        ],
    )
    return graph


def main():
    save(linear("two_inputs", "N"), "two_inputs.onnx")
    save(linear("fixed_batch", 4), "fixed_batch.onnx")
    save(int_sum(), "int_input.onnx")
    save(other_types(), "other_types.onnx")
    save(int32_input(), "int32_input.onnx")
    save(nan_below(), "nan_below.onnx")
    save(no_batch(False), "no_batch.onnx")
    save(no_batch(True), "no_batch_one.onnx")
    save_unchecked(linear("opset_too_new", "N"), "opset_too_new.onnx", 30, IR_VERSION)
    save_unchecked(linear("ir_too_new", "N"), "ir_too_new.onnx", OPSET, 99)
    save(double_input(), "double_input.onnx")
    save(bool_input(), "bool_input.onnx")
    save(uint8_input(), "uint8_input.onnx")
    save(position_ids(), "position_ids.onnx")
    save(float16_input(), "float16_input.onnx")
    save(int16_input(), "int16_input.onnx")
    save(half_precision(), "half_precision.onnx")
    save(text_bow(), "text_bow.onnx", ms=True)
    save(text_rank1(), "text_rank1.onnx", ms=True)
    save(text_columns(), "text_columns.onnx", ms=True, ml=True)
    save(text_pairs(), "text_pairs.onnx")
    save(sk_classifier(["cat", "dog", "eel"]), "sk_classifier.onnx", ml=True)
    save(sk_classifier([0, 1, 2]), "sk_classifier_int.onnx", ml=True)
    save(text_rank1("xx_XX"), "text_locale.onnx", ms=True)
    save(linear("external_data", "N"), "external_data.onnx", external="external_data.weights")
    save(external_nested(), "external_nested/model.onnx", external="each")


if __name__ == "__main__":
    main()
