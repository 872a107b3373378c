package io.livesession.action;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.livesession.LiveAction;
import io.livesession.LiveController;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the {@link LiveAction @LiveAction} methods of
 * {@link LiveController @LiveController} beans once all singletons exist. Methods are
 * invoked on the bean as the container holds it (a proxy, if any), through the given
 * {@link ActionInterceptor interceptors}. Method-security annotations are enforced by the
 * {@link ActionAuthorizer}; without one, an action carrying such an annotation fails
 * startup rather than run unguarded.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ActionHandlerRegistry implements SmartInitializingSingleton {

	private final ApplicationContext context;

	private final JsonMapper mapper;

	private final List<ActionInterceptor> interceptors;

	private final @Nullable ActionAuthorizer authorizer;

	private volatile Map<String, ActionHandler> handlers = Map.of();

	public ActionHandlerRegistry(ApplicationContext context, JsonMapper mapper) {
		this(context, mapper, List.of());
	}

	public ActionHandlerRegistry(ApplicationContext context, JsonMapper mapper, List<ActionInterceptor> interceptors) {
		this(context, mapper, interceptors, null);
	}

	/**
	 * Create a registry.
	 * @param context where the {@code @LiveController} beans are
	 * @param mapper binds action data
	 * @param interceptors wrap every call, the first one outermost
	 * @param authorizer enforces method-security annotations; {@code null} when Spring
	 * Security is absent, and then such an annotation fails startup
	 * @since 0.1.0
	 */
	public ActionHandlerRegistry(ApplicationContext context, JsonMapper mapper, List<ActionInterceptor> interceptors,
			@Nullable ActionAuthorizer authorizer) {
		this.context = context;
		this.mapper = mapper;
		this.interceptors = List.copyOf(interceptors);
		this.authorizer = authorizer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<String, ActionHandler> found = new TreeMap<>();
		for (String beanName : this.context.getBeanNamesForAnnotation(LiveController.class)) {
			Class<?> beanType = this.context.getType(beanName);
			if (beanType == null) {
				continue;
			}
			Class<?> userType = ClassUtils.getUserClass(beanType);
			Map<Method, LiveAction> methods = MethodIntrospector.selectMethods(userType,
					(MethodIntrospector.MetadataLookup<LiveAction>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, LiveAction.class));
			for (Map.Entry<Method, LiveAction> entry : methods.entrySet()) {
				String name = entry.getValue().value();
				Assert.state(!name.isBlank(), () -> "@LiveAction on " + entry.getKey() + " needs a name");
				Method invocable = AopUtils.selectInvocableMethod(entry.getKey(), beanType);
				Object bean = this.context.getBean(beanName);
				ActionHandler handler = new ActionHandler(name, bean, invocable, this.mapper, this.interceptors,
						guard(name, bean, entry.getKey(), userType));
				ActionHandler previous = found.putIfAbsent(name, handler);
				Assert.state(previous == null, () -> "Action '" + name + "' is handled twice: by "
						+ previous.getMethod() + " and by " + entry.getKey());
			}
		}
		this.handlers = Collections.unmodifiableMap(found);
	}

	private ActionAuthorizer.@Nullable Guard guard(String name, Object bean, Method method, Class<?> userType) {
		if (this.authorizer != null) {
			return this.authorizer.guard(bean, method, userType);
		}
		Set<MethodSecurityAnnotations> kinds = MethodSecurityAnnotations.of(method, userType);
		if (!kinds.isEmpty()) {
			// Fail closed: running the action unguarded would let anyone call it.
			throw new IllegalStateException(
					"@LiveAction '" + name + "' (" + method + ") is guarded by " + kinds.iterator().next().simpleName()
							+ ", which livesession enforces with Spring Security: add spring-security-core"
							+ " (spring-boot-starter-security) to the classpath, or remove the annotation");
		}
		return null;
	}

	/**
	 * The handler of an action.
	 * @param name the action name
	 * @return the handler, or {@code null}
	 */
	public @Nullable ActionHandler find(String name) {
		return this.handlers.get(name);
	}

}
