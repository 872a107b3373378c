package io.livesession.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveController;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.action.StrictBinding;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.LocalDelivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.group.GroupStores;
import io.livesession.group.SessionGroupManager;
import io.livesession.registry.ConnectionRegistries;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LiveEndpoint} against a hostile client: frames of a closing connection, rate
 * limits that reconnecting does not reset, unpaired surrogates, duplicate keys and
 * coerced numbers.
 */
class HostileInboundTests {

	private static final String GROUP = "user:alice";

	private static final String INCREMENT = "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r\"}";

	private final JsonMapper mapper = StrictBinding.strict(JsonMapper.builder().build());

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final SessionGroupManager groups = new SessionGroupManager(GroupStores.inMemory(Duration.ofMinutes(10)),
			this.mapper, Delivery.broadcaster(this.mapper, new LocalDelivery(this.registry)),
			List.of((state) -> state.setAttribute("count", 0)));

	private final GenericApplicationContext context = new GenericApplicationContext();

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void aConnectionClosedByTheServerProcessesNoFurtherFrame() {
		LiveEndpoint endpoint = endpoint(null);
		Client client = open(endpoint, "c1", GROUP);
		endpoint.received(client.connection, INCREMENT);
		assertThat(this.groups.get(GROUP).getVersion()).isOne();
		client.connection.close(1008, "revoked");
		client.clear();
		for (int i = 0; i < 5; i++) {
			endpoint.received(client.connection, INCREMENT);
			endpoint.received(client.connection, "{\"type\":\"sync\",\"ref\":\"s\"}");
		}
		assertThat(this.groups.get(GROUP).getVersion()).isOne();
		assertThat(client.frames()).isEmpty();
	}

	@Test
	void anEvictedConnectionProcessesNoFurtherFrameEvenWithoutItsBucket() {
		LiveEndpoint endpoint = endpoint(new RateLimit(1000, 1000, 0, Duration.ofMinutes(1)));
		Client client = open(endpoint, "c1", GROUP);
		// What an eviction does: the connection is unregistered while its socket is open.
		client.connection.close(4008, "send buffer limit exceeded");
		endpoint.closed(client.connection);
		for (int i = 0; i < 300; i++) {
			endpoint.received(client.connection, INCREMENT);
		}
		assertThat(this.groups.get(GROUP).getVersion()).isZero();
	}

	@Test
	void reconnectingDoesNotRefillTheRateLimit() {
		LiveEndpoint endpoint = endpoint(new RateLimit(0.001, 2, 0, Duration.ofMinutes(1)));
		Client first = open(endpoint, "c1", GROUP);
		endpoint.received(first.connection, INCREMENT);
		endpoint.received(first.connection, INCREMENT);
		first.connection.close(1000, "bye");
		endpoint.closed(first.connection);
		Client again = open(endpoint, "c2", GROUP);
		again.clear();
		endpoint.received(again.connection, INCREMENT);
		assertThat(again.single().get("code").asString()).isEqualTo(LiveActionException.RATE_LIMITED);
		assertThat(this.groups.get(GROUP).getVersion()).isEqualTo(2);
	}

	@Test
	void anHttpCallerSharesTheRateLimitOfTheUsersConnections() {
		LiveEndpoint endpoint = endpoint(new RateLimit(0.001, 1, 0, Duration.ofMinutes(1)));
		Client client = open(endpoint, "c1", GROUP);
		endpoint.received(client.connection, INCREMENT);
		Client http = connection("http-1", GROUP);
		try {
			endpoint.perform(http.connection, "increment", null);
			throw new AssertionError("not refused");
		}
		catch (LiveActionException ex) {
			assertThat(ex.getCode()).isEqualTo(LiveActionException.RATE_LIMITED);
		}
	}

	@Test
	void aLoneSurrogateInActionDataIsABadRequestNamingTheFieldAndChangesNothing() {
		LiveEndpoint endpoint = endpoint(null);
		Client sender = open(endpoint, "c1", GROUP);
		Client other = open(endpoint, "c2", GROUP);
		sender.clear();
		endpoint.received(sender.connection,
				"{\"type\":\"action\",\"action\":\"put\",\"data\":{\"text\":\"\\ud800 x\"},\"ref\":\"r1\"}");
		JsonNode error = sender.single();
		assertThat(error.get("code").asString()).isEqualTo(LiveActionException.BAD_REQUEST);
		assertThat(error.get("ref").asString()).isEqualTo("r1");
		assertThat(error.get("message").asString()).startsWith("data.text: ");
		assertThat(this.groups.get(GROUP).getVersion()).isZero();
		assertThat(other.connection.isOpen()).isTrue();
		assertThat(sender.connection.isOpen()).isTrue();
	}

	@Test
	void aLoneSurrogateInARefInAFieldNameOrInTheActionNameIsABadRequestWithoutEchoingIt() {
		LiveEndpoint endpoint = endpoint(null);
		Client sender = open(endpoint, "c1", GROUP);
		for (String frame : List.of("{\"type\":\"action\",\"action\":\"put\",\"ref\":\"\\udc00\"}",
				"{\"type\":\"action\",\"action\":\"put\",\"data\":{\"\\ud800\":1},\"ref\":\"r\"}",
				"{\"type\":\"action\",\"action\":\"p\\udbff\",\"ref\":\"r\"}")) {
			sender.clear();
			endpoint.received(sender.connection, frame);
			JsonNode error = sender.single();
			assertThat(error.get("code").asString()).as(frame).isEqualTo(LiveActionException.BAD_REQUEST);
			assertThat(sender.transport.texts.get(0)).as(frame).doesNotContain("\ud800", "\udc00", "\udbff");
		}
		assertThat(sender.frames().get(0).get("ref").asString()).isEqualTo("r");
		assertThat(this.groups.get(GROUP).getVersion()).isZero();
		assertThat(sender.connection.isOpen()).isTrue();
	}

	@Test
	void aPairedSurrogateIsWelcome() {
		LiveEndpoint endpoint = endpoint(null);
		Client sender = open(endpoint, "c1", GROUP);
		sender.clear();
		endpoint.received(sender.connection,
				"{\"type\":\"action\",\"action\":\"put\",\"data\":{\"text\":\"\\ud83d\\ude00\"},\"ref\":\"r\"}");
		assertThat(sender.frames()).extracting((frame) -> frame.get("type").asString()).contains("reply");
		assertThat(this.groups.get(GROUP).getAttribute("text", String.class)).isEqualTo("\ud83d\ude00");
	}

	@Test
	void anOutboundFrameWithALoneSurrogateIsSentWithAReplacementCharacter() {
		Frame frame = Frame.text("{\"text\":\"a\ud800b\udc00\"}");
		assertThat(frame.getText()).isEqualTo("{\"text\":\"a\uFFFDb\uFFFD\"}");
		assertThat(frame.getSize()).isEqualTo(frame.getText().getBytes(StandardCharsets.UTF_8).length);
		Frame paired = Frame.text("\ud83d\ude00");
		assertThat(paired.getText()).isEqualTo("\ud83d\ude00");
		assertThat(paired.getSize()).isEqualTo(4);
	}

	@Test
	void badRequestsForDataThatDoesNotBindNameTheFieldPath() {
		assertThat(badRequest("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":\"x\"},\"ref\":\"r\"}"))
			.isEqualTo("data.by: expected an integer");
		assertThat(badRequest("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":1.5},\"ref\":\"r\"}"))
			.isEqualTo("data.by: expected an integer");
		assertThat(badRequest("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":\"5\"},\"ref\":\"r\"}"))
			.isEqualTo("data.by: expected an integer");
		assertThat(badRequest("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":[1]},\"ref\":\"r\"}"))
			.isEqualTo("data.by: expected an integer");
	}

	@Test
	void aDuplicateKeyIsABadRequest() {
		assertThat(badRequest("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":1,\"by\":2},\"ref\":\"r\"}"))
			.isEqualTo("Frame is not valid JSON: a field appears twice");
		assertThat(badRequest("{\"type\":\"action\",\"type\":\"sync\",\"action\":\"add\"}"))
			.isEqualTo("Frame is not valid JSON: a field appears twice");
	}

	@Test
	void withoutStrictBindingJacksonsLenientDefaultsApply() {
		JsonMapper lenient = JsonMapper.builder().build();
		LiveEndpoint endpoint = endpoint(lenient, null);
		Client client = open(endpoint, "c1", GROUP);
		client.clear();
		endpoint.received(client.connection,
				"{\"type\":\"action\",\"action\":\"add\",\"data\":{\"by\":\"5\",\"by\":1.5},\"ref\":\"r\"}");
		assertThat(client.frames()).extracting((frame) -> frame.get("type").asString()).contains("reply");
		assertThat(this.groups.get(GROUP).getAttribute("count", Integer.class)).isOne();
	}

	private String badRequest(String text) {
		LiveEndpoint endpoint = endpoint(null);
		Client client = open(endpoint, "c-" + System.nanoTime(), GROUP);
		long version = this.groups.get(GROUP).getVersion();
		client.clear();
		endpoint.received(client.connection, text);
		JsonNode error = client.single();
		assertThat(error.get("code").asString()).as(text).isEqualTo(LiveActionException.BAD_REQUEST);
		assertThat(this.groups.get(GROUP).getVersion()).as(text).isEqualTo(version);
		return error.get("message").asString();
	}

	private LiveEndpoint endpoint(@Nullable RateLimit rateLimit) {
		return endpoint(this.mapper, rateLimit);
	}

	private LiveEndpoint endpoint(JsonMapper mapper, @Nullable RateLimit rateLimit) {
		if (!this.context.isActive()) {
			this.context.registerBean(Actions.class);
			this.context.refresh();
		}
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, mapper);
		actions.afterSingletonsInstantiated();
		return new LiveEndpoint(this.registry, this.groups, actions, mapper, rateLimit);
	}

	private Client open(LiveEndpoint endpoint, String id, String groupId) {
		Client client = connection(id, groupId);
		endpoint.opened(client.connection);
		return client;
	}

	private Client connection(String id, String groupId) {
		Transport transport = new Transport();
		String userId = groupId.startsWith("user:") ? groupId.substring(5) : null;
		ConnectionInfo info = new ConnectionInfo(id, userId, groupId, null, Set.of(), null, Instant.now());
		return new Client(Delivery.connection(info, transport, Runnable::run, 1024 * 1024), transport);
	}

	/** The data of {@code add}. */
	record Step(int by) {
	}

	@LiveController
	static class Actions {

		@LiveAction("increment")
		int increment(GroupState state) {
			int next = state.getAttribute("count", Integer.class) + 1;
			state.setAttribute("count", next);
			return next;
		}

		@LiveAction("add")
		int add(Step step, GroupState state) {
			int next = state.getAttribute("count", Integer.class) + step.by();
			state.setAttribute("count", next);
			return next;
		}

		@LiveAction("put")
		void put(GroupState state, Map<String, Object> data) {
			data.forEach(state::setAttribute);
		}

	}

	private final class Client {

		final ManagedConnection connection;

		final Transport transport;

		Client(ManagedConnection connection, Transport transport) {
			this.connection = connection;
			this.transport = transport;
		}

		List<JsonNode> frames() {
			List<JsonNode> frames = new ArrayList<>();
			for (String text : this.transport.texts) {
				frames.add(HostileInboundTests.this.mapper.readTree(text));
			}
			return frames;
		}

		JsonNode single() {
			List<JsonNode> frames = frames();
			assertThat(frames).hasSize(1);
			return frames.get(0);
		}

		void clear() {
			this.transport.texts.clear();
		}

	}

	static final class Transport implements TransportSession {

		final List<String> texts = new CopyOnWriteArrayList<>();

		private volatile boolean open = true;

		@Override
		public void send(Frame frame) {
			this.texts.add(frame.getText());
		}

		@Override
		public void close(int code, String reason) {
			this.open = false;
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

	}

}
