import base64, json, sys
from sentencepiece import sentencepiece_model_pb2 as pb
m = pb.ModelProto(); m.ParseFromString(open(sys.argv[1], 'rb').read())
n = m.normalizer_spec
pieces = [[p.piece, p.score] for p in m.pieces]
special = [(i, p.piece) for i, p in enumerate(m.pieces) if p.type in (2, 3)]
tok = {
  "version": "1.0", "truncation": None, "padding": None,
  "added_tokens": [{"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False,
                    "normalized": False, "special": True} for i, c in special],
  "normalizer": {"type": "Sequence", "normalizers": [
      {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(n.precompiled_charsmap).decode()},
      {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
  "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
  "post_processor": {"type": "TemplateProcessing",
      "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
      "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
               {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
      "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
  "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
  "model": {"type": "Unigram", "unk_id": 2, "vocab": pieces, "byte_fallback": False},
}
json.dump(tok, open(sys.argv[2], 'w'), ensure_ascii=False)
