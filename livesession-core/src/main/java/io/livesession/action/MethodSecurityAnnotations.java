package io.livesession.action;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;

/**
 * The method-security annotations a handler method carries, looked up by name, so that
 * they are found (and refused) even when Spring Security is not on the classpath:
 * JSR-250's {@code @RolesAllowed} comes with {@code jakarta.annotation-api}, which many
 * applications have without Spring Security.
 *
 * @author livesession
 */
enum MethodSecurityAnnotations {

	/** {@code @PreAuthorize}, before the call. */
	PRE_AUTHORIZE("org.springframework.security.access.prepost.PreAuthorize"),

	/** {@code @Secured}, before the call. */
	SECURED("org.springframework.security.access.annotation.Secured"),

	/** {@code @RolesAllowed}, {@code @PermitAll}, {@code @DenyAll}, before the call. */
	JSR250("jakarta.annotation.security.RolesAllowed", "jakarta.annotation.security.PermitAll",
			"jakarta.annotation.security.DenyAll"),

	/** {@code @PostAuthorize}, on the return value. */
	POST_AUTHORIZE("org.springframework.security.access.prepost.PostAuthorize");

	private final List<String> names;

	MethodSecurityAnnotations(String... names) {
		this.names = List.of(names);
	}

	/**
	 * The kinds present on a method or its class, searched the way Spring Security
	 * searches them: the type hierarchy, meta-annotations included.
	 * @param method the method
	 * @param beanClass the class it is invoked on
	 * @return the kinds, in the order they are evaluated
	 */
	static Set<MethodSecurityAnnotations> of(Method method, Class<?> beanClass) {
		MergedAnnotations onMethod = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY);
		MergedAnnotations onClass = MergedAnnotations.from(beanClass, SearchStrategy.TYPE_HIERARCHY);
		Set<MethodSecurityAnnotations> found = EnumSet.noneOf(MethodSecurityAnnotations.class);
		for (MethodSecurityAnnotations kind : values()) {
			for (String name : kind.names) {
				if (onMethod.isPresent(name) || onClass.isPresent(name)) {
					found.add(kind);
				}
			}
		}
		return found;
	}

	/**
	 * A short name of the annotation for messages.
	 * @return the simple name
	 */
	String simpleName() {
		String name = this.names.get(0);
		return "@" + name.substring(name.lastIndexOf('.') + 1);
	}

}
