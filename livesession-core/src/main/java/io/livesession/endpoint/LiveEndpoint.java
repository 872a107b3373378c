package io.livesession.endpoint;

import java.util.List;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveActionDeniedEvent;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.action.ActionHandler;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.delivery.ManagedConnection;
import io.livesession.group.SessionGroupManager;
import io.livesession.registry.RegistryListener;
import io.livesession.metrics.ActionObservationContext;
import io.livesession.metrics.DefaultActionObservationConvention;
import io.livesession.metrics.LiveMetrics;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live protocol, independent of the transport: greets a new connection with
 * {@code hello}, dispatches {@code action} frames to handlers, answers {@code sync}, and
 * turns every failure into an {@code error} frame. Bad input never changes group state.
 * With a {@link RateLimit}, every inbound frame counts against its caller's limit: one
 * token bucket per user (or per anonymous browser) for all of its connections and HTTP
 * actions, kept across reconnects. A connection that is closing processes no frame.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveEndpoint {

	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	private static final DefaultActionObservationConvention ACTION_CONVENTION = new DefaultActionObservationConvention();

	/** The default bytes of returned state that cost a {@code sync} one more frame. */
	public static final long DEFAULT_SYNC_COST = 16 * 1024;

	/** The longest {@code ref} a client may send. */
	static final int MAX_REF_LENGTH = 64;

	/**
	 * Policy violation: the close code of a connection that keeps exceeding its limit.
	 */
	static final int POLICY_VIOLATION = 1008;

	/** The close reason of a connection that keeps exceeding its limit. */
	static final String RATE_LIMITED_REASON = "rate_limited";

	private static final ApplicationEventPublisher NO_EVENTS = (event) -> {
	};

	private final ConnectionRegistry registry;

	private final SessionGroupManager groups;

	private final ActionHandlerRegistry actions;

	private final ObjectReader reader;

	private final ProtocolFrames frames;

	private final List<RegistryListener> listeners;

	private final @Nullable RateLimit rateLimit;

	private final CallerBuckets callerBuckets;

	private final ApplicationEventPublisher events;

	private ObservationRegistry observations = ObservationRegistry.NOOP;

	private long syncCost = DEFAULT_SYNC_COST;

	private LiveMetrics metrics = LiveMetrics.NONE;

	public LiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups, ActionHandlerRegistry actions,
			JsonMapper mapper) {
		this(registry, groups, actions, mapper, List.of(), null, NO_EVENTS);
	}

	public LiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups, ActionHandlerRegistry actions,
			JsonMapper mapper, List<RegistryListener> listeners) {
		this(registry, groups, actions, mapper, listeners, null, NO_EVENTS);
	}

	public LiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups, ActionHandlerRegistry actions,
			JsonMapper mapper, @Nullable RateLimit rateLimit) {
		this(registry, groups, actions, mapper, List.of(), rateLimit, NO_EVENTS);
	}

	public LiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups, ActionHandlerRegistry actions,
			JsonMapper mapper, ApplicationEventPublisher events) {
		this(registry, groups, actions, mapper, List.of(), null, events);
	}

	/**
	 * Create an endpoint.
	 * @param registry the connection registry
	 * @param groups the session groups
	 * @param actions the action handlers
	 * @param mapper the JSON mapper
	 * @param listeners told after a connection was registered or unregistered, in order
	 * @param rateLimit the limit on each user's (or anonymous browser's) inbound frames,
	 * or {@code null} for none
	 * @param events where to publish a {@link LiveActionDeniedEvent} for each action
	 * refused as {@code unauthorized}, {@code forbidden} or {@code rate_limited}
	 */
	public LiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups, ActionHandlerRegistry actions,
			JsonMapper mapper, List<RegistryListener> listeners, @Nullable RateLimit rateLimit,
			ApplicationEventPublisher events) {
		this.listeners = List.copyOf(listeners);
		this.events = events;
		this.registry = registry;
		this.groups = groups;
		this.actions = actions;
		this.reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.frames = new ProtocolFrames(mapper, groups);
		this.rateLimit = rateLimit;
		this.callerBuckets = new CallerBuckets(rateLimit);
	}

	/**
	 * Charge each {@code sync} one frame of the rate limit per {@code bytesPerFrame} of
	 * the state it returns, so that syncs cannot make the server send far more than the
	 * client sent; a {@code sync} the bucket cannot pay for gets {@code rate_limited}.
	 * @param bytesPerFrame the bytes that cost one frame, or 0 to charge one frame only
	 * @param metrics counts the refused syncs
	 * @since 0.1.0
	 */
	public void setSyncCost(long bytesPerFrame, LiveMetrics metrics) {
		this.syncCost = bytesPerFrame;
		this.metrics = metrics;
	}

	/**
	 * Observe each action as {@code livesession.action}, tagged with its name and
	 * outcome.
	 * @param observations the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * A connection was established: register it and greet it with its group's state.
	 * @param connection the connection
	 */
	public void opened(ManagedConnection connection) {
		this.registry.register(connection);
		for (RegistryListener listener : this.listeners) {
			tell(listener, connection, true);
		}
		try {
			this.groups.open(connection.getGroupId(),
					(group) -> connection.open(this.frames.hello(connection, group), group.getVersion()));
		}
		catch (SessionGroupUnavailableException ex) {
			logger.warn("Closing connection " + connection.getId() + ": " + ex.getMessage());
			connection.close(1011, "group store unavailable");
		}
	}

	/**
	 * A connection is gone.
	 * @param connection the connection
	 */
	public void closed(ManagedConnection connection) {
		connection.released();
		// Only a connection that was registered, and only once: the transport may report
		// a close twice, or for a connection that failed before it was registered.
		// The caller's token bucket stays: a reconnect must not refill it.
		if (this.registry.unregister(connection)) {
			for (RegistryListener listener : this.listeners) {
				tell(listener, connection, false);
			}
		}
	}

	private static void tell(RegistryListener listener, ManagedConnection connection, boolean registered) {
		try {
			if (registered) {
				listener.connectionRegistered(connection);
			}
			else {
				listener.connectionUnregistered(connection);
			}
		}
		catch (RuntimeException ex) {
			// A listener's failure must not fail the connection, nor keep the others
			// from being told.
			logger.error("Registry listener " + listener + " failed for connection " + connection.getId(), ex);
		}
	}

	/**
	 * A text frame arrived.
	 * @param connection the connection
	 * @param text the frame
	 */
	public void received(ManagedConnection connection, String text) {
		if (connection.isClosing()) {
			// Revoked, rate limited, evicted or shutting down: a client that ignores the
			// close frame keeps sending until the transport is gone, and must not act.
			if (logger.isTraceEnabled()) {
				logger.trace("Ignoring a frame of closing connection " + connection.getId());
			}
			return;
		}
		TokenBucket.Verdict verdict = this.callerBuckets.take(connection);
		if (verdict == TokenBucket.Verdict.ABUSIVE) {
			logger.warn("Closing connection " + connection.getId() + " of "
					+ ((connection.getUserId() != null) ? "user " + connection.getUserId() : "an anonymous browser")
					+ ": too many frames over the rate limit (" + this.rateLimit + ")");
			connection.close(POLICY_VIOLATION, RATE_LIMITED_REASON);
			return;
		}
		JsonNode frame;
		String notJson = "Frame is not valid JSON";
		try {
			frame = this.reader.readValue(text);
		}
		catch (JacksonException ex) {
			frame = null;
			notJson = notJson(ex);
		}
		JsonNode refNode = (frame != null && frame.isObject()) ? frame.get("ref") : null;
		boolean validRef = refNode == null || refNode.isNull()
				|| (refNode.isString() && refNode.stringValue().length() <= MAX_REF_LENGTH);
		String ref = (validRef && refNode != null && refNode.isString()) ? refNode.stringValue() : null;
		if (verdict == TokenBucket.Verdict.REFUSED) {
			// Not processed at all; the ref, when the frame has a valid one, lets the
			// client tell which action was refused.
			JsonNode action = (frame != null) ? frame.path("action") : null;
			this.events.publishEvent(new LiveActionDeniedEvent(connection,
					(action != null && action.isString()) ? action.stringValue() : "",
					LiveActionException.RATE_LIMITED));
			error(connection, ref, LiveActionException.RATE_LIMITED, "Too many frames; slow down");
			return;
		}
		if (frame == null || frame.isMissingNode()) {
			error(connection, null, LiveActionException.BAD_REQUEST, notJson);
			return;
		}
		if (!frame.isObject()) {
			error(connection, null, LiveActionException.BAD_REQUEST, "Frame must be a JSON object");
			return;
		}
		if (!validRef) {
			error(connection, null, LiveActionException.BAD_REQUEST,
					"'ref' must be a string of at most " + MAX_REF_LENGTH + " characters");
			return;
		}
		String invalidText = InboundText.findInvalid(frame);
		if (invalidText != null) {
			error(connection, (ref != null && InboundText.isWellFormed(ref)) ? ref : null,
					LiveActionException.BAD_REQUEST, invalidText + ": " + InboundText.INVALID_TEXT);
			return;
		}
		JsonNode type = frame.get("type");
		if (type == null || !type.isString()) {
			error(connection, ref, LiveActionException.BAD_REQUEST, "Frame needs a string 'type'");
			return;
		}
		switch (type.stringValue()) {
			case "action" -> observeAction(connection, frame, ref);
			case "sync" -> sync(connection, ref);
			default -> error(connection, ref, LiveActionException.BAD_REQUEST, "Unknown frame type");
		}
	}

	private void observeAction(ManagedConnection connection, JsonNode frame, @Nullable String ref) {
		if (this.observations.isNoop()) {
			action(connection, frame, ref);
			return;
		}
		// Only names with a handler become tag values: clients choose the others.
		JsonNode name = frame.get("action");
		String action = (name != null && name.isString() && this.actions.find(name.stringValue()) != null)
				? name.stringValue() : ActionObservationContext.UNKNOWN;
		ActionObservationContext context = new ActionObservationContext(action, connection);
		Observation.createNotStarted(null, ACTION_CONVENTION, () -> context, this.observations)
			.observe(() -> action(connection, frame, ref));
	}

	private void action(ManagedConnection connection, JsonNode frame, @Nullable String ref) {
		JsonNode name = frame.get("action");
		if (name == null || !name.isString() || name.stringValue().isEmpty()) {
			error(connection, ref, LiveActionException.BAD_REQUEST, "Action frame needs a non-empty string 'action'");
			return;
		}
		Object result;
		try {
			result = execute(connection, name.stringValue(), frame.get("data"));
		}
		catch (LiveActionException ex) {
			error(connection, ref, ex.getCode(), String.valueOf(ex.getMessage()));
			return;
		}
		if (ref != null) {
			connection.send(this.frames.reply(ref, result));
		}
	}

	/**
	 * Perform an action for a caller that has no connection (an HTTP request), with the
	 * same handlers, authorization, rate limit and error codes as an {@code action}
	 * frame. The caller's rate limit is the one of its user, or of its group when
	 * anonymous, shared with the user's connections. A change is pushed to the group's
	 * connections as any other.
	 * @param caller the caller, resolved as a handshake would be
	 * @param action the action name
	 * @param data the action's data, or {@code null}
	 * @return the handler's result, the data of a {@code reply}
	 * @throws LiveActionException with the protocol's error code when refused or failed
	 */
	public @Nullable Object perform(LiveConnection caller, String action, @Nullable JsonNode data) {
		String invalidText = !InboundText.isWellFormed(action) ? "action"
				: (data != null) ? InboundText.findInvalid(data, "data") : null;
		invalidText = (invalidText != null && invalidText.length() > 120) ? invalidText.substring(0, 120) + "…"
				: invalidText;
		if (invalidText != null) {
			throw LiveActionException.badRequest(invalidText + ": " + InboundText.INVALID_TEXT);
		}
		if (this.rateLimit != null && this.callerBuckets.take(caller) != TokenBucket.Verdict.ACCEPTED) {
			this.events.publishEvent(new LiveActionDeniedEvent(caller, action, LiveActionException.RATE_LIMITED));
			throw new LiveActionException(LiveActionException.RATE_LIMITED, "Too many actions; slow down");
		}
		if (this.observations.isNoop()) {
			return execute(caller, action, data);
		}
		ActionObservationContext context = new ActionObservationContext(
				(this.actions.find(action) != null) ? action : ActionObservationContext.UNKNOWN, caller);
		return Observation.createNotStarted(null, ACTION_CONVENTION, () -> context, this.observations).observe(() -> {
			try {
				return execute(caller, action, data);
			}
			catch (LiveActionException ex) {
				context.setOutcome(ex.getCode());
				throw ex;
			}
		});
	}

	private @Nullable Object execute(LiveConnection caller, String action, @Nullable JsonNode data) {
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

	/**
	 * What a client is told about a frame that does not parse: a duplicate key (refused
	 * by a strict mapper) is named, other failures are not detailed.
	 * @param ex the failure
	 * @return the message
	 */
	public static String notJson(JacksonException ex) {
		String message = ex.getOriginalMessage();
		return (message != null && message.startsWith("Duplicate Object property"))
				? "Frame is not valid JSON: a field appears twice" : "Frame is not valid JSON";
	}

	private static LiveConnection ensureNotClosing(LiveConnection caller) {
		if (caller instanceof ManagedConnection connection && connection.isClosing()) {
			throw new LiveActionException(LiveActionException.UNAVAILABLE,
					"The connection is closing; nothing was changed");
		}
		return caller;
	}

	private void sync(ManagedConnection connection, @Nullable String ref) {
		boolean[] refused = new boolean[1];
		TokenBucket bucket = this.callerBuckets.find(connection);
		try {
			this.groups.open(connection.getGroupId(), (group) -> {
				Frame frame = this.frames.fullState(group);
				refused[0] = bucket != null && !bucket.takeForBytes(frame.getSize(), this.syncCost);
				if (!refused[0]) {
					connection.send(frame);
				}
			});
		}
		catch (SessionGroupUnavailableException ex) {
			error(connection, ref, LiveActionException.UNAVAILABLE, "The session group store is unavailable");
			return;
		}
		if (refused[0]) {
			this.metrics.refused(LiveMetrics.LIMIT_SYNC_BYTES);
			error(connection, ref, LiveActionException.RATE_LIMITED, "Too much state requested; slow down");
		}
	}

	private void error(ManagedConnection connection, @Nullable String ref, String code, String message) {
		Observation current = this.observations.getCurrentObservation();
		if (current != null && current.getContext() instanceof ActionObservationContext action) {
			action.setOutcome(code);
		}
		connection.send(this.frames.error(ref, code, message));
	}

}
