package io.livesession;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * A component whose {@link LiveAction @LiveAction} methods handle client actions.
 *
 * @author livesession
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
public @interface LiveController {

	/**
	 * The bean name, if any.
	 * @return the bean name
	 */
	@AliasFor(annotation = Component.class)
	String value() default "";

}
