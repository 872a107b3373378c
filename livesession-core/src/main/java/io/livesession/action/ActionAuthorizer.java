package io.livesession.action;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * Enforces the method-security annotations ({@code @PreAuthorize},
 * {@code @PostAuthorize}, {@code @Secured}, {@code @RolesAllowed}, {@code @PermitAll},
 * {@code @DenyAll}) of {@code @LiveAction} methods, whether or not the application
 * enabled method security. Consulted once per handler at startup; an
 * {@link ActionHandlerRegistry} without one refuses to start when an action carries such
 * an annotation, so that a guard can never be silently ignored.
 *
 * @author livesession
 * @since 0.1.0
 * @see MethodSecurityActionAuthorizer
 */
@FunctionalInterface
public interface ActionAuthorizer {

	/**
	 * The guard of one handler method.
	 * @param bean the bean as the container holds it (a proxy, if any)
	 * @param method the handler method, as declared by the bean's class
	 * @param beanClass the bean's user class
	 * @return the guard, or {@code null} when nothing is left to enforce (no annotation,
	 * or the bean's own method security proxy enforces all of them)
	 */
	@Nullable Guard guard(Object bean, Method method, Class<?> beanClass);

	/**
	 * Wraps one call of a handler method, inside the {@link ActionInterceptor
	 * interceptors}, with its arguments bound.
	 */
	@FunctionalInterface
	interface Guard {

		/**
		 * Authorize, call the method through {@code invocation.proceed()}, and authorize
		 * its result.
		 * @param args the bound arguments
		 * @param invocation the method call
		 * @return the method's return value
		 */
		@Nullable Object invoke(@Nullable Object[] args, ActionInterceptor.Invocation invocation);

	}

}
