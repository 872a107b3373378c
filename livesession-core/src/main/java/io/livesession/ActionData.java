package io.livesession;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the action's {@code data} to the parameter with Jackson. Data that does not bind
 * is answered with {@code bad_request}. Optional for the one unannotated parameter.
 *
 * @author livesession
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ActionData {

	/**
	 * Whether the data must be present; missing data is then a {@code bad_request}.
	 * @return whether it is required
	 */
	boolean required() default false;

}
