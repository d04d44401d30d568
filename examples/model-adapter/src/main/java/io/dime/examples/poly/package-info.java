/**
 * An example third-party DIME plugin, built outside the DIME tree: the {@code poly} model adapter,
 * which runs a small model read from a properties file, in process, in plain Java. The model takes
 * FLOAT32 vectors {@code x_1 .. x_K} (one input each, {@code [batch, n_k]}) and computes
 *
 * <pre>
 * y = bias + sum_k w_k . x_k + c * prod_k (u_k . x_k)
 * </pre>
 *
 * <p>returned as two logits {@code [-y, y]} per row: a linear part, which gives each input a
 * contribution of its own, and one product over all inputs, which is a pure interaction between
 * them. That makes it a small model whose DIME decomposition is known in advance.
 *
 * <p>Read in this order: {@link io.dime.examples.poly.PolyPlugin} (found by {@link
 * java.util.ServiceLoader}), {@link io.dime.examples.poly.PolyModelAdapterFactory} (settings,
 * opening), {@link io.dime.examples.poly.PolyModel} (the file format and its errors) and {@link
 * io.dime.examples.poly.PolyModelAdapter} (signature, checks, run, provenance, close).
 */
package io.dime.examples.poly;
