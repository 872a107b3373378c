/**
 * End-to-end test support: the machine's headless Chromium through Selenium, with one
 * fresh profile per browser.
 */
@NullMarked
package io.livesession.test.browser;

import org.jspecify.annotations.NullMarked;
