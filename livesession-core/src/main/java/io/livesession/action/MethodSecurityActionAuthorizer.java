package io.livesession.action;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.AuthorizationAdvisor;
import org.springframework.security.authorization.method.Jsr250AuthorizationManager;
import org.springframework.security.authorization.method.MethodInvocationResult;
import org.springframework.security.authorization.method.PostAuthorizeAuthorizationManager;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.authorization.method.SecuredAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Enforces method-security annotations on {@code @LiveAction} methods with Spring
 * Security's own authorization managers ({@link PreAuthorizeAuthorizationManager},
 * {@link PostAuthorizeAuthorizationManager}, {@link SecuredAuthorizationManager},
 * {@link Jsr250AuthorizationManager}), so that an application that forgot
 * {@code @EnableMethodSecurity} fails closed instead of open.
 * <p>
 * Each annotation is evaluated exactly once per call. When the bean is a proxy whose
 * advisors include Spring Security's {@link AuthorizationAdvisor} for that annotation
 * (the application enabled that kind of method security), the proxy enforces it, as
 * configured by the application, and this class leaves it alone; every other annotation
 * is enforced here. The method is always invoked through the bean as the container holds
 * it, so the application's other advice ({@code @Transactional}, say) still applies:
 * invoking the unproxied target instead would avoid the double evaluation too, but would
 * silently drop that advice. An advisor counts for an annotation when its pointcut
 * matches the handler method and a probe method carrying only that annotation, and not an
 * unannotated one, so a catch-all advisor of the application's is never mistaken for
 * Spring Security's.
 * <p>
 * A denial throws {@link AuthorizationDeniedException}, which
 * {@link SecurityContextActionInterceptor} turns into {@code forbidden} or
 * {@code unauthorized}, exactly as a denial by the proxy. The authentication is the one
 * {@link SecurityContextActionInterceptor} put into the security context; a call without
 * one is refused as Spring Security's own interceptors refuse it.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class MethodSecurityActionAuthorizer implements ActionAuthorizer {

	private static final boolean jsr250Present = ClassUtils.isPresent("jakarta.annotation.security.RolesAllowed",
			MethodSecurityActionAuthorizer.class.getClassLoader());

	private final SecurityContextHolderStrategy strategy;

	private final PreAuthorizeAuthorizationManager preAuthorize = new PreAuthorizeAuthorizationManager();

	private final PostAuthorizeAuthorizationManager postAuthorize = new PostAuthorizeAuthorizationManager();

	private final SecuredAuthorizationManager secured = new SecuredAuthorizationManager();

	private final @Nullable AuthorizationManager<MethodInvocation> jsr250;

	/**
	 * Create an authorizer.
	 * @param strategy where the connection's authentication is
	 * @param expressionHandler evaluates {@code @PreAuthorize} and {@code @PostAuthorize}
	 * expressions (the application's, for bean references and role hierarchies)
	 * @param authorities decides {@code @Secured} and {@code @RolesAllowed} authorities,
	 * for example an {@code AuthoritiesAuthorizationManager} with the role hierarchy
	 * @param rolePrefix the prefix of {@code @RolesAllowed} roles, usually {@code ROLE_}
	 */
	public MethodSecurityActionAuthorizer(SecurityContextHolderStrategy strategy,
			MethodSecurityExpressionHandler expressionHandler, AuthorizationManager<Collection<String>> authorities,
			String rolePrefix) {
		this.strategy = strategy;
		this.preAuthorize.setExpressionHandler(expressionHandler);
		this.postAuthorize.setExpressionHandler(expressionHandler);
		this.secured.setAuthoritiesAuthorizationManager(authorities);
		if (jsr250Present) {
			Jsr250AuthorizationManager manager = new Jsr250AuthorizationManager();
			manager.setAuthoritiesAuthorizationManager(authorities);
			manager.setRolePrefix(rolePrefix);
			this.jsr250 = manager;
		}
		else {
			this.jsr250 = null;
		}
	}

	@Override
	public @Nullable Guard guard(Object bean, Method method, Class<?> beanClass) {
		Set<MethodSecurityAnnotations> kinds = enforcedHere(bean, method, beanClass);
		if (kinds.isEmpty()) {
			return null;
		}
		List<AuthorizationManager<MethodInvocation>> before = new ArrayList<>();
		for (MethodSecurityAnnotations kind : kinds) {
			switch (kind) {
				case PRE_AUTHORIZE -> before.add(this.preAuthorize);
				case SECURED -> before.add(this.secured);
				case JSR250 -> {
					if (this.jsr250 == null) {
						throw new IllegalStateException("Cannot enforce JSR-250 annotations on " + method);
					}
					before.add(this.jsr250);
				}
				case POST_AUTHORIZE -> {
					// evaluated on the result
				}
			}
		}
		boolean after = kinds.contains(MethodSecurityAnnotations.POST_AUTHORIZE);
		return (args, invocation) -> {
			Authentication authentication = authentication();
			Supplier<Authentication> supplier = () -> authentication;
			MethodInvocation call = new ActionMethodInvocation(bean, method, args);
			for (AuthorizationManager<MethodInvocation> manager : before) {
				verify(manager.authorize(supplier, call));
			}
			Object result = invocation.proceed();
			if (after) {
				verify(this.postAuthorize.authorize(supplier, new MethodInvocationResult(call, result)));
			}
			return result;
		};
	}

	/**
	 * The annotation kinds of the method that its proxy does not enforce.
	 */
	Set<MethodSecurityAnnotations> enforcedHere(Object bean, Method method, Class<?> beanClass) {
		Set<MethodSecurityAnnotations> kinds = EnumSet.noneOf(MethodSecurityAnnotations.class);
		kinds.addAll(MethodSecurityAnnotations.of(method, beanClass));
		if (!kinds.isEmpty() && bean instanceof Advised advised) {
			for (Advisor advisor : advised.getAdvisors()) {
				// @EnableMethodSecurity registers its AuthorizationAdvisors wrapped in
				// an advisor of its own that hands out the original as its advice.
				if (advisor instanceof PointcutAdvisor pointcutAdvisor && (advisor instanceof AuthorizationAdvisor
						|| advisor.getAdvice() instanceof AuthorizationAdvisor)) {
					Pointcut pointcut = pointcutAdvisor.getPointcut();
					if (matches(pointcut, method, beanClass) && !matches(pointcut, Probe.NONE, Probe.class)) {
						kinds.removeIf((kind) -> matches(pointcut, Probe.of(kind), Probe.class));
					}
				}
			}
		}
		return kinds;
	}

	private static boolean matches(Pointcut pointcut, Method method, Class<?> targetClass) {
		return pointcut.getClassFilter().matches(targetClass)
				&& pointcut.getMethodMatcher().matches(method, targetClass);
	}

	private Authentication authentication() {
		Authentication authentication = this.strategy.getContext().getAuthentication();
		if (authentication == null) {
			// As Spring Security's AuthorizationManagerBeforeMethodInterceptor does.
			throw new AuthenticationCredentialsNotFoundException(
					"An Authentication object was not found in the SecurityContext");
		}
		return authentication;
	}

	private static void verify(@Nullable AuthorizationResult result) {
		// A manager abstains (null) only when it finds no annotation; one was found at
		// startup, so abstaining here means something changed: fail closed.
		if (result == null || !result.isGranted()) {
			throw new AuthorizationDeniedException("Access Denied", (result != null) ? result : () -> false);
		}
	}

	/**
	 * Methods carrying one annotation each, to tell which annotation an advisor enforces.
	 */
	static class Probe {

		static final Method NONE = method("none");

		public void none() {
		}

		@PreAuthorize("denyAll()")
		public void preAuthorize() {
		}

		@PostAuthorize("denyAll()")
		public void postAuthorize() {
		}

		@Secured("ROLE_LIVESESSION_PROBE")
		public void secured() {
		}

		@RolesAllowed("LIVESESSION_PROBE")
		public void jsr250() {
		}

		static Method of(MethodSecurityAnnotations kind) {
			return switch (kind) {
				case PRE_AUTHORIZE -> method("preAuthorize");
				case POST_AUTHORIZE -> method("postAuthorize");
				case SECURED -> method("secured");
				case JSR250 -> method("jsr250");
			};
		}

		private static Method method(String name) {
			Method method = ReflectionUtils.findMethod(Probe.class, name);
			if (method == null) {
				throw new IllegalStateException("No probe method " + name);
			}
			return method;
		}

	}

	/**
	 * The call as Spring Security's managers see it: the method, its target and its
	 * arguments, for expressions such as {@code #data.owner == authentication.name}.
	 */
	private record ActionMethodInvocation(Object target, Method method,
			@Nullable Object[] arguments) implements MethodInvocation {

		@Override
		public Method getMethod() {
			return this.method;
		}

		@Override
		public @Nullable Object[] getArguments() {
			return this.arguments;
		}

		@Override
		public Object getThis() {
			return this.target;
		}

		@Override
		public AccessibleObject getStaticPart() {
			return this.method;
		}

		@Override
		public @Nullable Object proceed() {
			throw new UnsupportedOperationException("Authorization does not call the action");
		}

	}

}
