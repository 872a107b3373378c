/**
 * Discovery and invocation of {@code @LiveAction} handler methods.
 */
@NullMarked
package io.livesession.action;

import org.jspecify.annotations.NullMarked;
