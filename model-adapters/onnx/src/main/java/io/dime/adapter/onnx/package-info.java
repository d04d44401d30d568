/**
 * Model adapter for ONNX models run in process with ONNX Runtime: {@link
 * io.dime.adapter.onnx.OnnxPlugin} offers {@link io.dime.adapter.onnx.OnnxModelAdapterFactory}
 * (name {@code onnx}), which opens {@link io.dime.adapter.onnx.OnnxModelAdapter}s.
 */
package io.dime.adapter.onnx;
