/**
 * Identity at the handshake: user ids, anonymous cookies and group resolution.
 */
@NullMarked
package io.livesession.identity;

import org.jspecify.annotations.NullMarked;
