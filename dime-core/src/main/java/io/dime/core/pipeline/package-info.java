/**
 * From files to an engine: {@link io.dime.core.pipeline.PipelineFile} reads a pipeline (YAML or
 * JSON: modalities, output, class names), {@link io.dime.core.pipeline.Pipelines} makes its
 * modalities and model with the plugins found, and {@link io.dime.core.pipeline.EngineSettings}
 * holds the engine's settings as a user names them.
 */
package io.dime.core.pipeline;
