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
 * <p>
 * A handler that takes the group's state is part of an atomic update and, on a cluster,
 * <strong>may run more than once</strong> for one action: when another instance changed
 * the group between the read and the commit, the handler runs again on the new state and
 * only that run counts (see
 * {@link SessionGroups#update(String, java.util.function.Function)}). Keep side effects
 * out of it, or register them with {@link GroupState#afterCommit(Runnable)} so they run
 * once, after the commit.
 *
 * @author livesession
 * @since 0.1.0
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
