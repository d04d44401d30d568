/**
 * A headless-Chromium harness for tests of pages DIME writes (the HTML report): {@link
 * io.dime.testkit.browser.HeadlessChromium} starts the browser and speaks the Chrome DevTools
 * Protocol over the JDK's WebSocket client; {@link io.dime.testkit.browser.BrowserPage} records the
 * page's network requests and JavaScript dialogs, evaluates DOM queries and takes screenshots.
 *
 * <p>Needs the Debian package {@code chromium} ({@code /usr/bin/chromium}, or another binary named
 * by {@code -Ddime.chromium} or {@code DIME_CHROMIUM}) and {@code jackson-databind} on the test
 * class path (an optional dependency of the test kit, so plugin tests do not inherit it).
 *
 * @since 0.1
 */
package io.dime.testkit.browser;
