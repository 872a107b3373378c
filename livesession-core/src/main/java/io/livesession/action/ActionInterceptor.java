package io.livesession.action;

import io.livesession.LiveConnection;
import org.jspecify.annotations.Nullable;

/**
 * Wraps every call of a {@code @LiveAction} method, after its arguments are bound: for
 * example to run it with the connection's security context. Beans of this type are
 * applied in order, the first one outermost.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface ActionInterceptor {

	/**
	 * Call the handler through {@code invocation.proceed()}, or answer without calling it
	 * by throwing {@link io.livesession.LiveActionException}.
	 * @param connection the calling connection
	 * @param handler the handler about to be called
	 * @param invocation the rest of the chain, ending with the handler method
	 * @return the handler's return value
	 */
	@Nullable Object intercept(LiveConnection connection, ActionHandler handler, Invocation invocation);

	/**
	 * The rest of an interceptor chain.
	 */
	@FunctionalInterface
	interface Invocation {

		/**
		 * Continue with the next interceptor or the handler method.
		 * @return the handler's return value
		 */
		@Nullable Object proceed();

	}

}
