/**
 * The bundled demo: Fashion-MNIST scenes with questions about them (pipeline, manifests, scenes,
 * vocabulary, licence note) and the committed image+question model, unpacked to files so that the
 * command line reads them as a user's files. Data only; it depends on dime-core for checked
 * unpacking.
 */
package io.dime.demo;
