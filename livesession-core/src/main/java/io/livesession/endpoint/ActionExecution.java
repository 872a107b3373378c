package io.livesession.endpoint;

import java.util.function.Function;
import java.util.function.Supplier;

import io.livesession.event.LiveActionDeniedEvent;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.action.ActionHandler;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.delivery.ManagedConnection;
import io.livesession.group.SessionGroupManager;
import io.livesession.metrics.ActionObservationContext;
import io.livesession.metrics.ActionObservationConvention;
import io.livesession.metrics.DefaultActionObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;

/**
 * Runs an action for a WebSocket frame or an HTTP request alike: finds its handler, runs
 * it under its group's lock when it needs the group, turns every failure into a protocol
 * error code, publishes denials, and observes it as {@code livesession.action} on one
 * path for both transports.
 *
 * @author livesession
 */
final class ActionExecution {

	// Logged under the endpoint's name, as before the split: log settings name it.
	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	private static final DefaultActionObservationConvention DEFAULT_CONVENTION = new DefaultActionObservationConvention();

	private final ActionHandlerRegistry actions;

	private final SessionGroupManager groups;

	private final ApplicationEventPublisher events;

	private ObservationRegistry observations = ObservationRegistry.NOOP;

	private @Nullable ActionObservationConvention convention;

	ActionExecution(ActionHandlerRegistry actions, SessionGroupManager groups, ApplicationEventPublisher events) {
		this.actions = actions;
		this.groups = groups;
		this.events = events;
	}

	void setObservationRegistry(ObservationRegistry observations) {
		this.observations = observations;
	}

	void setObservationConvention(@Nullable ActionObservationConvention convention) {
		this.convention = convention;
	}

	/**
	 * Observe an action from its arrival until its answer: the work runs the action and
	 * answers it; a refusal sets the outcome, then is answered by {@code refused} within
	 * the observation too.
	 * @param caller the caller
	 * @param action the action name the client sent, or {@code null}
	 * @param work runs and answers the action
	 * @param refused answers a refusal, or throws it on
	 * @return what the work or {@code refused} returned
	 */
	<T> T observe(LiveConnection caller, @Nullable String action, Supplier<T> work,
			Function<LiveActionException, T> refused) {
		if (this.observations.isNoop()) {
			return run(work, refused, null);
		}
		// Only names with a handler become tag values: clients choose the others.
		String name = (action != null && this.actions.find(action) != null) ? action : ActionObservationContext.UNKNOWN;
		ActionObservationContext context = new ActionObservationContext(name, caller);
		return Observation.createNotStarted(this.convention, DEFAULT_CONVENTION, () -> context, this.observations)
			.observe(() -> run(work, refused, context));
	}

	private static <T> T run(Supplier<T> work, Function<LiveActionException, T> refused,
			@Nullable ActionObservationContext context) {
		try {
			return work.get();
		}
		catch (LiveActionException ex) {
			if (context != null) {
				context.setOutcome(ex.getCode());
			}
			return refused.apply(ex);
		}
	}

	/**
	 * Run an action's handler.
	 * @param caller the caller
	 * @param action the action name
	 * @param data the action's data, or {@code null}
	 * @return the handler's result
	 * @throws LiveActionException with the protocol's error code when refused or failed
	 */
	@Nullable Object execute(LiveConnection caller, String action, @Nullable JsonNode data) {
		ActionHandler handler = this.actions.find(action);
		if (handler == null) {
			throw new LiveActionException(LiveActionException.UNKNOWN_ACTION, "No handler for this action");
		}
		try {
			return handler.needsGroup() ? this.groups.update(caller.getGroupId(), (state) -> {
				// Checked again under the group's lock: a revocation may have come while
				// the frame waited for it.
				ensureNotClosing(caller);
				return handler.invoke(caller, data, state);
			}) : handler.invoke(ensureNotClosing(caller), data, null);
		}
		catch (LiveActionException ex) {
			if (LiveActionDeniedEvent.isDenial(ex.getCode())) {
				this.events.publishEvent(new LiveActionDeniedEvent(caller, handler.getName(), ex.getCode()));
			}
			throw ex;
		}
		catch (SessionGroupUnavailableException ex) {
			throw new LiveActionException(LiveActionException.UNAVAILABLE,
					"The session group store is unavailable; nothing was changed");
		}
		catch (RuntimeException ex) {
			// Logged here, never sent: stack traces and messages may hold secrets.
			logger.error("Action '" + handler.getName() + "' failed for " + caller.getId(), ex);
			throw new LiveActionException(LiveActionException.INTERNAL, "The action failed");
		}
	}

	private static LiveConnection ensureNotClosing(LiveConnection caller) {
		if (caller instanceof ManagedConnection connection && connection.isClosing()) {
			throw new LiveActionException(LiveActionException.UNAVAILABLE,
					"The connection is closing; nothing was changed");
		}
		return caller;
	}

}
