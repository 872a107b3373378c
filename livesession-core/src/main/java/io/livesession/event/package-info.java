/**
 * The application events livesession publishes: audit events about connections, actions
 * and erasure ({@link io.livesession.event.LiveAuditEvent}) and cluster-wide presence
 * changes ({@link io.livesession.event.LivePresenceEvent}). They carry plain values,
 * never servlet or spring-web types, so listeners need no web stack.
 *
 * @since 0.1.0
 */
@NullMarked
package io.livesession.event;

import org.jspecify.annotations.NullMarked;
