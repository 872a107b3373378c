package io.livesession.endpoint;

import java.util.List;
import java.util.function.IntPredicate;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.delivery.CloseCode;
import io.livesession.delivery.ManagedConnection;
import io.livesession.event.LiveActionDeniedEvent;
import io.livesession.group.SessionGroupManager;
import io.livesession.metrics.ActionObservationConvention;
import io.livesession.metrics.LiveMetrics;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.registry.RegistryListener;
import io.livesession.topic.TopicAuthorizer;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicLog;
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
 * <p>
 * A coordinator: frames are parsed and checked by {@link InboundFrame}, the limit is kept
 * by {@link RateLimiting}, actions are run and observed by {@link ActionExecution}, topic
 * frames are answered by {@link TopicSubscriptions}, the registry listeners are told by
 * {@link RegistryListeners}, and the frames sent are built by {@link ProtocolFrames}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveEndpoint {

	private static final Log logger = LogFactory.getLog(LiveEndpoint.class);

	/** The default bytes of returned state that cost a {@code sync} one more frame. */
	public static final long DEFAULT_SYNC_COST = 16 * 1024;

	private static final ApplicationEventPublisher NO_EVENTS = (event) -> {
	};

	private final ConnectionRegistry registry;

	private final SessionGroupManager groups;

	private final ObjectReader reader;

	private final ProtocolFrames frames;

	private final RegistryListeners listeners;

	private final RateLimiting rateLimiting;

	private final ActionExecution actions;

	private volatile @Nullable TopicSubscriptions subscriptions;

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
		this.registry = registry;
		this.groups = groups;
		this.reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.frames = new ProtocolFrames(mapper);
		this.listeners = new RegistryListeners(listeners);
		this.rateLimiting = new RateLimiting(rateLimit, events);
		this.actions = new ActionExecution(actions, groups, events);
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
		this.rateLimiting.setSyncCost(bytesPerFrame, metrics);
	}

	/**
	 * Observe each action as {@code livesession.action}, tagged with its name and
	 * outcome.
	 * @param observations the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observations) {
		this.actions.setObservationRegistry(observations);
	}

	/**
	 * Name and tag the action observations with this convention instead of the
	 * {@link io.livesession.metrics.DefaultActionObservationConvention default} one.
	 * @param convention the convention, or {@code null} for the default
	 * @since 0.1.0
	 */
	public void setObservationConvention(@Nullable ActionObservationConvention convention) {
		this.actions.setObservationConvention(convention);
	}

	/**
	 * Answer {@code subscribe} and {@code unsubscribe} frames; without topics they are
	 * refused as unknown.
	 * @param topics the topics of this instance
	 * @param log the history of recoverable topics, or {@code null} for none
	 * @param authorizer decides who may subscribe to what, or {@code null} to refuse
	 * every {@code subscribe} with {@code forbidden}
	 * @since 0.1.0
	 */
	public void setTopics(TopicIndex topics, @Nullable TopicLog log, @Nullable TopicAuthorizer authorizer) {
		this.subscriptions = new TopicSubscriptions(topics, log, authorizer, this.frames);
	}

	/**
	 * A connection was established: register it and greet it with its group's state.
	 * @param connection the connection
	 */
	public void opened(ManagedConnection connection) {
		this.registry.register(connection);
		this.listeners.registered(connection);
		try {
			this.groups.open(connection.getGroupId(),
					(group) -> connection.open(this.frames.hello(connection, group), group.getVersion()));
		}
		catch (SessionGroupUnavailableException ex) {
			logger.warn("Closing connection " + connection.getId() + ": " + ex.getMessage());
			CloseCode.GROUP_STORE_UNAVAILABLE.close(connection);
		}
	}

	/**
	 * A connection is gone.
	 * @param connection the connection
	 */
	public void closed(ManagedConnection connection) {
		connection.released();
		// Only a connection that was registered, and only once: the transport may report
		// a close twice, or for a connection that failed before it was registered. The
		// caller's token bucket stays: a reconnect must not refill it.
		if (this.registry.unregister(connection)) {
			this.listeners.unregistered(connection);
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
		TokenBucket.Verdict verdict = this.rateLimiting.takeFrame(connection);
		if (verdict == TokenBucket.Verdict.ABUSIVE) {
			return;
		}
		InboundFrame frame = InboundFrame.parse(this.reader, text);
		if (verdict == TokenBucket.Verdict.REFUSED) {
			// Not processed at all; the ref, when the frame has a valid one, lets the
			// client tell which action was refused.
			this.rateLimiting.frameRefused(connection, frame.actionName());
			error(connection, frame.ref(), LiveActionException.RATE_LIMITED, "Too many frames; slow down");
			return;
		}
		InboundFrame.Invalid invalid = frame.invalid();
		if (invalid != null) {
			error(connection, invalid.ref(), LiveActionException.BAD_REQUEST, invalid.message());
			return;
		}
		switch (frame.type()) {
			case "action" -> action(connection, frame.json(), frame.ref());
			case "sync" -> sync(connection, frame.ref());
			case "subscribe", "unsubscribe" -> topic(connection, frame);
			default -> error(connection, frame.ref(), LiveActionException.BAD_REQUEST, "Unknown frame type");
		}
	}

	private void topic(ManagedConnection connection, InboundFrame frame) {
		TopicSubscriptions topics = this.subscriptions;
		if (topics == null) {
			error(connection, frame.ref(), LiveActionException.BAD_REQUEST, "Unknown frame type");
			return;
		}
		try {
			if (frame.type().equals("subscribe")) {
				topics.subscribe(connection, frame.json(), frame.ref());
			}
			else {
				topics.unsubscribe(connection, frame.json(), frame.ref());
			}
		}
		catch (LiveActionException ex) {
			error(connection, frame.ref(), ex.getCode(), String.valueOf(ex.getMessage()));
		}
	}

	private void action(ManagedConnection connection, JsonNode frame, @Nullable String ref) {
		JsonNode name = frame.get("action");
		this.actions.observe(connection, (name != null && name.isString()) ? name.stringValue() : null, () -> {
			if (name == null || !name.isString() || name.stringValue().isEmpty()) {
				throw LiveActionException.badRequest("Action frame needs a non-empty string 'action'");
			}
			Object result = this.actions.execute(connection, name.stringValue(), frame.get("data"));
			if (ref != null) {
				connection.send(this.frames.reply(ref, result));
			}
			return null;
		}, (ex) -> {
			error(connection, ref, ex.getCode(), String.valueOf(ex.getMessage()));
			return null;
		});
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
		String invalidText = InboundText.findInvalidAction(action, data);
		if (invalidText != null) {
			throw LiveActionException.badRequest(invalidText + ": " + InboundText.INVALID_TEXT);
		}
		this.rateLimiting.takeAction(caller, action);
		return this.actions.observe(caller, action, () -> this.actions.execute(caller, action, data), (ex) -> {
			throw ex;
		});
	}

	/**
	 * What a client is told about a frame that does not parse: a duplicate key (refused
	 * by a strict mapper) is named, other failures are not detailed.
	 * @param ex the failure
	 * @return the message
	 */
	public static String notJson(JacksonException ex) {
		return InboundFrame.notJson(ex);
	}

	private void sync(ManagedConnection connection, @Nullable String ref) {
		boolean[] refused = new boolean[1];
		IntPredicate payment = this.rateLimiting.syncPayment(connection);
		try {
			this.groups.open(connection.getGroupId(), (group) -> {
				Frame frame = this.frames.fullState(group);
				refused[0] = !payment.test(frame.getSize());
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
			this.rateLimiting.syncRefused();
			error(connection, ref, LiveActionException.RATE_LIMITED, "Too much state requested; slow down");
		}
	}

	private void error(ManagedConnection connection, @Nullable String ref, String code, String message) {
		connection.send(this.frames.error(ref, code, message));
	}

}
