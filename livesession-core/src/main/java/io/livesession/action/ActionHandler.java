package io.livesession.action;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.util.List;

import io.livesession.ActionData;
import io.livesession.GroupAttribute;
import io.livesession.GroupState;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code @LiveAction} method with its parameters resolved once, at startup.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ActionHandler {

	private final String name;

	private final Object bean;

	private final Method method;

	private final Argument[] arguments;

	private final boolean needsGroup;

	private final JsonMapper mapper;

	private final List<ActionInterceptor> interceptors;

	private final ActionAuthorizer.@Nullable Guard guard;

	ActionHandler(String name, Object bean, Method method, JsonMapper mapper, List<ActionInterceptor> interceptors,
			ActionAuthorizer.@Nullable Guard guard) {
		this.name = name;
		this.guard = guard;
		this.bean = bean;
		this.method = method;
		this.mapper = mapper;
		this.interceptors = List.copyOf(interceptors);
		Parameter[] parameters = method.getParameters();
		this.arguments = new Argument[parameters.length];
		boolean data = false;
		boolean group = false;
		for (int i = 0; i < parameters.length; i++) {
			Argument argument = argument(parameters[i]);
			if (argument.kind == Kind.DATA) {
				if (data) {
					throw new IllegalStateException("@LiveAction method " + method
							+ " has more than one data parameter; annotate the other ones or remove them");
				}
				data = true;
			}
			group |= (argument.kind == Kind.GROUP_ATTRIBUTE || argument.kind == Kind.GROUP_STATE);
			this.arguments[i] = argument;
		}
		this.needsGroup = group;
		ReflectionUtils.makeAccessible(method);
	}

	private Argument argument(Parameter parameter) {
		JavaType type = this.mapper.constructType(parameter.getParameterizedType());
		GroupAttribute attribute = parameter.getAnnotation(GroupAttribute.class);
		if (attribute != null) {
			return new Argument(Kind.GROUP_ATTRIBUTE, type, attribute.value(), false);
		}
		Class<?> raw = parameter.getType();
		if (raw == GroupState.class) {
			return new Argument(Kind.GROUP_STATE, type, null, false);
		}
		if (LiveConnection.class.isAssignableFrom(raw)) {
			return new Argument(Kind.CONNECTION, type, null, false);
		}
		if (Principal.class.isAssignableFrom(raw)) {
			return new Argument(Kind.PRINCIPAL, type, null, false);
		}
		ActionData data = parameter.getAnnotation(ActionData.class);
		return new Argument(Kind.DATA, type, null, (data != null && data.required()) || raw.isPrimitive());
	}

	/**
	 * The action name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The handler method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Whether the handler reads or writes group state and must run while the group is
	 * locked.
	 * @return {@code true} if so
	 */
	public boolean needsGroup() {
		return this.needsGroup;
	}

	/**
	 * Invoke the handler through the {@link ActionInterceptor interceptors}.
	 * @param connection the calling connection
	 * @param data the action's data, or {@code null}
	 * @param state the group state when {@link #needsGroup()}
	 * @return the handler's return value
	 * @throws LiveActionException for data that does not bind, or as the handler threw it
	 */
	public @Nullable Object invoke(LiveConnection connection, @Nullable JsonNode data, @Nullable GroupState state) {
		Object[] args = new Object[this.arguments.length];
		// The group attributes as read, to write back only the ones the handler changed
		@Nullable JsonNode[] read = new JsonNode[args.length];
		for (int i = 0; i < args.length; i++) {
			if (this.arguments[i].kind == Kind.GROUP_ATTRIBUTE) {
				read[i] = (state != null) ? state.getAttributeNode(this.arguments[i].attribute) : null;
				args[i] = (read[i] != null) ? this.mapper.treeToValue(read[i], this.arguments[i].type) : null;
			}
			else {
				args[i] = resolve(this.arguments[i], connection, data, state);
			}
		}
		Object result = proceed(0, connection, args);
		for (int i = 0; i < args.length; i++) {
			if (this.arguments[i].kind == Kind.GROUP_ATTRIBUTE && state != null && args[i] != null) {
				// An unchanged value is not written back: that would undo a change the
				// handler made to the same attribute through GroupState.
				JsonNode written = this.mapper.valueToTree(args[i]);
				if (!written.equals(read[i])) {
					state.setAttribute(this.arguments[i].attribute, written);
				}
			}
		}
		return result;
	}

	private @Nullable Object proceed(int index, LiveConnection connection, Object[] args) {
		if (index < this.interceptors.size()) {
			return this.interceptors.get(index).intercept(connection, this, () -> proceed(index + 1, connection, args));
		}
		// Innermost, so the security context set by an interceptor is in place.
		return (this.guard != null) ? this.guard.invoke(args, () -> call(args)) : call(args);
	}

	private @Nullable Object call(Object[] args) {
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			// Unwrapped, so that interceptors see what the method (or its proxy, e.g.
			// method security) threw.
			Throwable target = ex.getTargetException();
			if (target instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException("@LiveAction '" + this.name + "' failed", target);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("@LiveAction '" + this.name + "' is not accessible", ex);
		}
	}

	private @Nullable Object resolve(Argument argument, LiveConnection connection, @Nullable JsonNode data,
			@Nullable GroupState state) {
		return switch (argument.kind) {
			case DATA -> bindData(argument, data);
			case GROUP_ATTRIBUTE -> throw new IllegalStateException("Group attributes are resolved by invoke");
			case GROUP_STATE -> state;
			case CONNECTION -> connection;
			case PRINCIPAL -> {
				Principal principal = connection.getPrincipal();
				yield (principal != null && argument.type.getRawClass().isInstance(principal)) ? principal : null;
			}
		};
	}

	private @Nullable Object bindData(Argument argument, @Nullable JsonNode data) {
		if (data == null || data.isNull() || data.isMissingNode()) {
			if (argument.required) {
				throw LiveActionException.badRequest("Action '" + this.name + "' requires data");
			}
			return null;
		}
		try {
			return this.mapper.treeToValue(data, argument.type);
		}
		catch (JacksonException ex) {
			// Jackson's message names Java types; the client learns the field's path and
			// what it should be.
			throw LiveActionException.badRequest(StrictBinding.describe(ex, "data"));
		}
	}

	@Override
	public String toString() {
		return "ActionHandler['" + this.name + "' -> " + this.method + "]";
	}

	private enum Kind {

		DATA, GROUP_ATTRIBUTE, GROUP_STATE, CONNECTION, PRINCIPAL

	}

	private record Argument(Kind kind, JavaType type, @Nullable String attribute, boolean required) {

	}

}
