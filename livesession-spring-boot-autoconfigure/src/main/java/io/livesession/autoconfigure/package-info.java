/**
 * Spring Boot auto-configuration for livesession.
 */
@NullMarked
package io.livesession.autoconfigure;

import org.jspecify.annotations.NullMarked;
