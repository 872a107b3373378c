package io.livesession;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a group attribute to the parameter (its JSON read as the declared type,
 * {@code null} when absent). After the handler returns, the value is written back if it
 * changed; the handler then runs while the group is locked.
 *
 * @author livesession
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GroupAttribute {

	/**
	 * The attribute name.
	 * @return the name
	 */
	String value();

}
