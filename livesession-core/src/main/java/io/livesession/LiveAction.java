package io.livesession;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles the client action of the given name. Parameters may be: the action {@code data}
 * bound with Jackson to the declared type (unannotated, or
 * {@link ActionData @ActionData}), a {@link GroupAttribute @GroupAttribute} (written back
 * when changed), {@link GroupState}, {@link LiveConnection}, or the
 * {@link java.security.Principal} (e.g. a Spring Security {@code Authentication}). The
 * return value becomes the {@code reply} data. Throw {@link LiveActionException} to
 * answer with an error code.
 *
 * @author livesession
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LiveAction {

	/**
	 * The action name.
	 * @return the name
	 */
	String value();

}
