package io.dime.examples.poly;

import io.dime.spi.PluginConfig;

/**
 * The whole adapter contract again, with the one setting given: at most two runs at once, so that
 * the contract's concurrent calls wait for each other.
 */
class PolyModelAdapterConcurrencyContractTest extends PolyModelAdapterContractTest {
  @Override
  protected PluginConfig config() {
    return PluginConfig.of("model adapter 'poly'", "concurrency", 2);
  }
}
