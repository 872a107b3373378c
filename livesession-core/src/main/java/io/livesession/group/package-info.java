/**
 * Session groups: shared state stored through Spring Session with atomic
 * read-modify-write.
 */
@NullMarked
package io.livesession.group;

import org.jspecify.annotations.NullMarked;
