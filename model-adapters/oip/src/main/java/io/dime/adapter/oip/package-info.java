/**
 * Model adapter for models served over the Open Inference Protocol (KServe v2, NVIDIA Triton) over
 * HTTP/REST: {@link io.dime.adapter.oip.OipPlugin} offers {@link
 * io.dime.adapter.oip.OipModelAdapterFactory} (name {@code oip}), which opens {@link
 * io.dime.adapter.oip.OipModelAdapter}s.
 */
package io.dime.adapter.oip;
