#!/usr/bin/env bash
# Why the tokenizer-json encoder reads tokenizer.json in Java rather than through DJL's
# ai.djl.huggingface:tokenizers 0.38.0 (Rust, JNI). Not part of the build; run by hand with the
# jars of ai.djl.huggingface:tokenizers 0.38.0, ai.djl:api 0.38.0, gson 2.13.1, jna 5.17.0,
# slf4j-api and slf4j-simple 2.0.17 in CP_DIR.
#   run.sh CP_DIR TOKENIZER_JSON
# The jar carries libtokenizers.so for linux-x86_64 (CPU) only. On a CPU host DJL copies it into
# ~/.djl.ai/tokenizers/ and loads it. On a host whose CUDA runtime reports a GPU of compute
# capability 8.0 to 9.0 (A100, H100, H200: the stand-in libcudart.so below reports one 9.0 GPU on
# CUDA 12.4), DJL picks the flavour cu122, which the jar lacks, and downloads the library from
# publish.djl.ai at run time; offline that fails:
#   EngineException: Cannot download jni files: https://publish.djl.ai/tokenizers/0.21.0/jnilib/
#   0.38.0/linux-x86_64/cu122-90/libtokenizers.so
set -euo pipefail
cd "$(dirname "$0")"
cp_dir="$1"
tokenizer="$2"
cp="$(ls "$cp_dir"/*.jar | tr '\n' ':')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -shared -fPIC -o "$work/libcudart.so" cudart.c
echo "== CPU host"
java -Duser.home="$work/cpu" -cp "$cp" Probe.java "$tokenizer" 2>&1 | grep -v '^\s*at ' | tail -4
echo "== CUDA host, one compute-capability 9.0 GPU"
LD_LIBRARY_PATH="$work" java -Duser.home="$work/gpu" -Djna.library.path="$work" -cp "$cp" \
  Probe.java "$tokenizer" 2>&1 | grep -v '^\s*at ' | tail -6 || true
