/**
 * Topics: membership of connections in named topics, their presence and the history that
 * lets a reconnecting client recover the publications it missed.
 */
@NullMarked
package io.livesession.topic;

import org.jspecify.annotations.NullMarked;
