/**
 * The chat sample.
 */
@NullMarked
package io.livesession.samples.chat;

import org.jspecify.annotations.NullMarked;
