/**
 * The {@code image} modality plugin: RGB {@link io.dime.modality.image.Image} values read from PNG
 * or JPEG, superpixel features from OpenCV (SLIC, Felzenszwalb) or a regular grid, mean-colour /
 * constant / blur / pool-mean / pool-image hiding, float tensor encoders, and PNG heat-map views.
 * Settings are listed on {@link io.dime.modality.image.ImageModality}. OpenCV types never appear in
 * the public API.
 */
package io.dime.modality.image;
