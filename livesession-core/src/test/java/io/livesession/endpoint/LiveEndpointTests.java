package io.livesession.endpoint;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.livesession.ActionData;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.GroupAttribute;
import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveConnection;
import io.livesession.LiveController;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.action.ActionInterceptor;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.LocalDelivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupStores;
import io.livesession.group.GroupUpdate;
import io.livesession.group.SessionGroupManager;
import io.livesession.group.StoredGroup;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.registry.RegistryListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LiveEndpoint} with the in-memory group store and real connections on a
 * recording transport.
 */
class LiveEndpointTests {

	private static final String GROUP = "user:alice";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final GroupStore store = GroupStores.inMemory(Duration.ofMinutes(10));

	private final SessionGroupManager groups = new SessionGroupManager(this.store, this.mapper,
			Delivery.broadcaster(this.mapper, new LocalDelivery(this.registry)),
			List.of((state) -> state.setAttribute("count", 0)));

	private final GenericApplicationContext context = new GenericApplicationContext();

	private LiveEndpoint endpoint;

	@BeforeEach
	void setUp() {
		this.context.registerBean(TestController.class);
		this.context.refresh();
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		this.endpoint = new LiveEndpoint(this.registry, this.groups, actions, this.mapper);
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void openedRegistersTheConnectionAndGreetsItWithTheGroupState() {
		Client client = open("c1", GROUP);
		assertThat(this.registry.find("c1")).isSameAs(client.connection);
		JsonNode hello = client.single();
		assertThat(hello.get("type").asString()).isEqualTo("hello");
		assertThat(hello.get("connectionId").asString()).isEqualTo("c1");
		assertThat(hello.get("userId").asString()).isEqualTo("alice");
		assertThat(hello.get("version").asLong()).isZero();
		assertThat(hello.get("state").get("count").asInt()).isZero();
	}

	@Test
	void actionWithARefIsRepliedToAndItsChangeIsPushedToTheWholeGroup() {
		Client first = open("c1", GROUP);
		Client second = open("c2", GROUP);
		Client other = open("c3", "user:bob");
		first.clear();
		second.clear();
		other.clear();
		this.endpoint.received(first.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r1\"}");
		List<JsonNode> frames = first.frames();
		assertThat(frames).hasSize(2);
		JsonNode state = frames.get(0);
		assertThat(state.get("type").asString()).isEqualTo("state");
		assertThat(state.get("version").asLong()).isOne();
		assertThat(state.get("state").get("count").asInt()).isOne();
		JsonNode reply = frames.get(1);
		assertThat(reply.get("type").asString()).isEqualTo("reply");
		assertThat(reply.get("ref").asString()).isEqualTo("r1");
		assertThat(reply.get("data").asInt()).isOne();
		assertThat(second.single().get("version").asLong()).isOne();
		assertThat(other.frames()).isEmpty();
	}

	@Test
	void actionWithoutARefIsNotRepliedTo() {
		Client client = open("c1", GROUP);
		client.clear();
		this.endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\"}");
		assertThat(client.single().get("type").asString()).isEqualTo("state");
	}

	@Test
	void actionDataIsBound() {
		Client client = open("c1", GROUP);
		client.clear();
		this.endpoint.received(client.connection,
				"{\"type\":\"action\",\"action\":\"add\",\"data\":{\"amount\":5},\"ref\":\"r\"}");
		assertThat(client.frames()).last().satisfies((reply) -> assertThat(reply.get("data").asInt()).isEqualTo(5));
		assertThat(this.groups.get(GROUP).getAttribute("count", Integer.class)).isEqualTo(5);
	}

	@Test
	void actionWithoutGroupParametersRunsWithoutChangingTheGroup() {
		Client client = open("c1", GROUP);
		client.clear();
		this.endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"r\"}");
		assertThat(client.single().get("data").asString()).isEqualTo("c1");
		assertThat(this.groups.get(GROUP).getVersion()).isZero();
	}

	@Test
	void groupAttributeChangedThroughGroupStateIsNotRevertedByTheWriteBack() {
		Client client = open("c1", GROUP);
		client.clear();
		this.endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"incrementBoth\",\"ref\":\"r\"}");
		assertThat(client.frames()).last().satisfies((reply) -> assertThat(reply.get("data").asInt()).isOne());
		assertThat(this.groups.get(GROUP).getAttribute("count", Integer.class)).isOne();
		assertThat(this.groups.get(GROUP).getVersion()).isOne();
	}

	@Test
	void mutatedGroupAttributeIsWrittenBack() {
		Client client = open("c1", GROUP);
		client.clear();
		this.endpoint.received(client.connection,
				"{\"type\":\"action\",\"action\":\"append\",\"data\":\"x\",\"ref\":\"r\"}");
		assertThat(this.groups.get(GROUP).getAttributeNode("items").toString()).isEqualTo("[\"x\"]");
		assertThat(this.groups.get(GROUP).getVersion()).isOne();
	}

	@Test
	void invalidJsonIsABadRequest() {
		assertError("{\"type\":", null, LiveActionException.BAD_REQUEST);
		assertError("{\"type\":\"sync\"} trailing", null, LiveActionException.BAD_REQUEST);
	}

	@Test
	void nonObjectFramesAreBadRequests() {
		assertError("[1,2]", null, LiveActionException.BAD_REQUEST);
		assertError("\"action\"", null, LiveActionException.BAD_REQUEST);
		assertError("null", null, LiveActionException.BAD_REQUEST);
	}

	@Test
	void aBadRefIsABadRequestWithoutTheRef() {
		assertError("{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"" + "r".repeat(65) + "\"}", null,
				LiveActionException.BAD_REQUEST);
		assertError("{\"type\":\"action\",\"action\":\"increment\",\"ref\":7}", null, LiveActionException.BAD_REQUEST);
	}

	@Test
	void aRefOfTheMaximumLengthIsEchoed() {
		String ref = "r".repeat(64);
		assertError("{\"type\":\"nope\",\"ref\":\"" + ref + "\"}", ref, LiveActionException.BAD_REQUEST);
	}

	@Test
	void missingOrUnknownTypeIsABadRequest() {
		assertError("{\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
		assertError("{\"type\":1,\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
		assertError("{\"type\":\"nope\",\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
	}

	@Test
	void missingActionNameIsABadRequest() {
		assertError("{\"type\":\"action\",\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
		assertError("{\"type\":\"action\",\"action\":\"\",\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
	}

	@Test
	void unknownActionIsAnUnknownAction() {
		assertError("{\"type\":\"action\",\"action\":\"nope\",\"ref\":\"r\"}", "r", LiveActionException.UNKNOWN_ACTION);
	}

	@Test
	void dataThatDoesNotBindIsABadRequest() {
		assertError("{\"type\":\"action\",\"action\":\"add\",\"data\":{\"amount\":\"many\"},\"ref\":\"r\"}", "r",
				LiveActionException.BAD_REQUEST);
		assertError("{\"type\":\"action\",\"action\":\"add\",\"ref\":\"r\"}", "r", LiveActionException.BAD_REQUEST);
	}

	@Test
	void aLiveActionExceptionIsAnsweredWithItsCodeAndChangesNothing() {
		JsonNode error = assertError("{\"type\":\"action\",\"action\":\"forbidden\",\"ref\":\"r\"}", "r",
				LiveActionException.FORBIDDEN);
		assertThat(error.get("message").asString()).isEqualTo("not you");
	}

	@Test
	void aFailingHandlerIsAnInternalErrorThatRevealsNothingAndChangesNothing() {
		JsonNode error = assertError("{\"type\":\"action\",\"action\":\"fail\",\"ref\":\"r\"}", "r",
				LiveActionException.INTERNAL);
		assertThat(error.toString()).doesNotContain("secret");
	}

	@Test
	void syncAnswersWithTheFullStateToThisConnectionOnly() {
		Client client = open("c1", GROUP);
		Client other = open("c2", GROUP);
		this.groups.update(GROUP, (state) -> {
			state.setAttribute("count", 3);
			state.setAttribute("name", "x");
			return null;
		});
		client.clear();
		other.clear();
		this.endpoint.received(client.connection, "{\"type\":\"sync\",\"ref\":\"r\"}");
		JsonNode state = client.single();
		assertThat(state.get("type").asString()).isEqualTo("state");
		assertThat(state.get("full").asBoolean()).isTrue();
		assertThat(state.get("version").asLong()).isOne();
		assertThat(state.get("state").get("count").asInt()).isEqualTo(3);
		assertThat(state.get("state").get("name").asString()).isEqualTo("x");
		assertThat(other.frames()).isEmpty();
	}

	@Test
	void closedUnregistersTheConnectionAndStopsItsDelivery() {
		Client client = open("c1", GROUP);
		this.endpoint.closed(client.connection);
		assertThat(this.registry.find("c1")).isNull();
		assertThat(this.registry.getGroupIds()).isEmpty();
		assertThat(client.connection.send(Frame.text("late"))).isFalse();
		assertThat(client.transport.closeCodes).isEmpty();
	}

	@Test
	void registryListenersAreToldOnceAfterRegisteringAndAfterUnregisteringEvenIfOneFails() {
		List<String> told = new CopyOnWriteArrayList<>();
		RegistryListener failing = new RegistryListener() {

			@Override
			public void connectionRegistered(LiveConnection connection) {
				throw new IllegalStateException("listener failed");
			}

			@Override
			public void connectionUnregistered(LiveConnection connection) {
				throw new IllegalStateException("listener failed");
			}

		};
		RegistryListener recording = new RegistryListener() {

			@Override
			public void connectionRegistered(LiveConnection connection) {
				told.add("registered " + connection.getId() + ", in registry: " + isRegistered(connection));
			}

			@Override
			public void connectionUnregistered(LiveConnection connection) {
				told.add("unregistered " + connection.getId() + ", in registry: " + isRegistered(connection));
			}

		};
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		LiveEndpoint endpoint = new LiveEndpoint(this.registry, this.groups, actions, this.mapper,
				List.of(failing, recording));
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection("c1", GROUP, transport);
		endpoint.opened(connection);
		endpoint.closed(connection);
		endpoint.closed(connection);
		assertThat(told).containsExactly("registered c1, in registry: true", "unregistered c1, in registry: false");
		assertThat(transport.texts).singleElement().asString().contains("\"hello\"");
	}

	private boolean isRegistered(LiveConnection connection) {
		return this.registry.find(connection.getId()) != null;
	}

	@Test
	void anUnavailableStoreOnOpenClosesWith1011() {
		GroupStore unavailable = new UnavailableGroupStore();
		SessionGroupManager groups = new SessionGroupManager(unavailable, this.mapper,
				Delivery.broadcaster(this.mapper, new LocalDelivery(this.registry)), List.of());
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		LiveEndpoint endpoint = new LiveEndpoint(this.registry, groups, actions, this.mapper);
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection("c1", GROUP, transport);
		endpoint.opened(connection);
		assertThat(transport.closeCodes).containsExactly(1011);
		assertThat(transport.texts).isEmpty();
		endpoint.received(connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r\"}");
		assertThat(transport.texts).isEmpty();
	}

	@Test
	void anUnavailableStoreOnAnActionIsAnsweredWithUnavailable() {
		Client client = open("c1", GROUP);
		GroupStore unavailable = new UnavailableGroupStore();
		SessionGroupManager groups = new SessionGroupManager(unavailable, this.mapper,
				Delivery.broadcaster(this.mapper, new LocalDelivery(this.registry)), List.of());
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		LiveEndpoint endpoint = new LiveEndpoint(this.registry, groups, actions, this.mapper);
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r\"}");
		JsonNode error = client.single();
		assertThat(error.get("code").asString()).isEqualTo(LiveActionException.UNAVAILABLE);
		endpoint.received(client.connection, "{\"type\":\"sync\",\"ref\":\"s\"}");
		assertThat(client.frames()).last()
			.satisfies((frame) -> assertThat(frame.get("code").asString()).isEqualTo(LiveActionException.UNAVAILABLE));
		assertThat(client.transport.closeCodes).isEmpty();
	}

	@Test
	void framesOverTheRateLimitAreRefusedWithTheirRefAndChangeNothing() {
		LiveEndpoint endpoint = rateLimited(new RateLimit(0.001, 2, 0, Duration.ofMinutes(1)));
		Client client = open(endpoint, "c1", GROUP);
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r1\"}");
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r2\"}");
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"r3\"}");
		JsonNode refused = client.single();
		assertThat(refused.get("type").asString()).isEqualTo("error");
		assertThat(refused.get("code").asString()).isEqualTo(LiveActionException.RATE_LIMITED);
		assertThat(refused.get("ref").asString()).isEqualTo("r3");
		client.clear();
		endpoint.received(client.connection, "not json");
		assertThat(client.single().get("code").asString()).as("bad frames count too")
			.isEqualTo(LiveActionException.RATE_LIMITED);
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"sync\",\"ref\":\"" + "r".repeat(65) + "\"}");
		JsonNode badRef = client.single();
		assertThat(badRef.get("code").asString()).isEqualTo(LiveActionException.RATE_LIMITED);
		assertThat(badRef.get("ref").isNull()).isTrue();
		assertThat(this.groups.get(GROUP).getVersion()).isEqualTo(2);
		assertThat(this.groups.get(GROUP).getAttribute("count", Integer.class)).isEqualTo(2);
		assertThat(client.transport.closeCodes).isEmpty();
	}

	@Test
	void eachUserHasOneRateLimitSharedByItsConnections() {
		LiveEndpoint endpoint = rateLimited(new RateLimit(0.001, 1, 0, Duration.ofMinutes(1)));
		Client first = open(endpoint, "c1", GROUP);
		Client second = open(endpoint, "c2", GROUP);
		Client other = open(endpoint, "c3", "user:bob");
		endpoint.received(first.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"a\"}");
		first.clear();
		second.clear();
		other.clear();
		endpoint.received(first.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"b\"}");
		endpoint.received(second.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"c\"}");
		endpoint.received(other.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"d\"}");
		assertThat(first.single().get("code").asString()).isEqualTo(LiveActionException.RATE_LIMITED);
		assertThat(second.single().get("code").asString()).as("another socket buys no more frames")
			.isEqualTo(LiveActionException.RATE_LIMITED);
		assertThat(other.single().get("data").asString()).isEqualTo("c3");
	}

	@Test
	void aConnectionRefusedTooOftenIsClosedWith1008() {
		LiveEndpoint endpoint = rateLimited(new RateLimit(0.001, 1, 3, Duration.ofMinutes(1)));
		Client client = open(endpoint, "c1", GROUP);
		for (int i = 0; i < 3; i++) {
			endpoint.received(client.connection, "{\"type\":\"sync\"}");
			assertThat(client.transport.closeCodes).isEmpty();
		}
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"sync\"}");
		assertThat(client.transport.closeCodes).containsExactly(1008);
		assertThat(client.frames()).as("closed without an answer").isEmpty();
	}

	@Test
	void interceptorsWrapTheHandlerInOrderAndMayRefuseIt() {
		List<String> calls = new CopyOnWriteArrayList<>();
		ActionInterceptor outer = (connection, handler, invocation) -> {
			calls.add("outer " + handler.getName() + " " + connection.getId());
			return invocation.proceed();
		};
		ActionInterceptor inner = (connection, handler, invocation) -> {
			calls.add("inner");
			if (handler.getName().equals("increment")) {
				throw new LiveActionException(LiveActionException.FORBIDDEN, "no");
			}
			return invocation.proceed();
		};
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper, List.of(outer, inner));
		actions.afterSingletonsInstantiated();
		LiveEndpoint endpoint = new LiveEndpoint(this.registry, this.groups, actions, this.mapper);
		Client client = open(endpoint, "c1", GROUP);
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"whoami\",\"ref\":\"a\"}");
		assertThat(client.single().get("data").asString()).isEqualTo("c1");
		assertThat(calls).containsExactly("outer whoami c1", "inner");
		client.clear();
		endpoint.received(client.connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"b\"}");
		assertThat(client.single().get("code").asString()).isEqualTo(LiveActionException.FORBIDDEN);
		assertThat(this.groups.get(GROUP).getVersion()).isZero();
	}

	private LiveEndpoint rateLimited(RateLimit rateLimit) {
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		return new LiveEndpoint(this.registry, this.groups, actions, this.mapper, rateLimit);
	}

	private Client open(LiveEndpoint endpoint, String id, String groupId) {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(id, groupId, transport);
		endpoint.opened(connection);
		return new Client(connection, transport);
	}

	/**
	 * Send a frame from a fresh connection, expect exactly one error frame and no change
	 * to the group.
	 */
	private JsonNode assertError(String text, @Nullable String ref, String code) {
		Client client = open("c-" + System.nanoTime(), GROUP);
		long version = this.groups.get(GROUP).getVersion();
		Integer count = this.groups.get(GROUP).getAttribute("count", Integer.class);
		client.clear();
		this.endpoint.received(client.connection, text);
		JsonNode error = client.single();
		assertThat(error.get("type").asString()).as(text).isEqualTo("error");
		assertThat(error.get("code").asString()).as(text).isEqualTo(code);
		if (ref != null) {
			assertThat(error.get("ref").asString()).as(text).isEqualTo(ref);
		}
		else {
			assertThat(error.get("ref").isNull()).as(text).isTrue();
		}
		assertThat(error.get("message").asString()).as(text).isNotEmpty();
		assertThat(this.groups.get(GROUP).getVersion()).as(text).isEqualTo(version);
		assertThat(this.groups.get(GROUP).getAttribute("count", Integer.class)).as(text).isEqualTo(count);
		assertThat(client.connection.isOpen()).as(text).isTrue();
		return error;
	}

	private Client open(String id, String groupId) {
		RecordingTransport transport = new RecordingTransport();
		ManagedConnection connection = connection(id, groupId, transport);
		this.endpoint.opened(connection);
		return new Client(connection, transport);
	}

	private static ManagedConnection connection(String id, String groupId, TransportSession transport) {
		String userId = groupId.startsWith("user:") ? groupId.substring(5) : null;
		Principal principal = (userId != null) ? () -> userId : null;
		ConnectionInfo info = new ConnectionInfo(id, userId, groupId, principal, Set.of(), null, Instant.now());
		return Delivery.connection(info, transport, Runnable::run, 1024 * 1024);
	}

	private final class Client {

		final ManagedConnection connection;

		final RecordingTransport transport;

		Client(ManagedConnection connection, RecordingTransport transport) {
			this.connection = connection;
			this.transport = transport;
		}

		List<JsonNode> frames() {
			List<JsonNode> frames = new ArrayList<>();
			for (String text : this.transport.texts) {
				frames.add(LiveEndpointTests.this.mapper.readTree(text));
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

	static final class RecordingTransport implements TransportSession {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

		@Override
		public void send(Frame frame) {
			this.texts.add(frame.getText());
		}

		@Override
		public void close(int code, String reason) {
			this.closeCodes.add(code);
		}

		@Override
		public boolean isOpen() {
			return this.closeCodes.isEmpty();
		}

	}

	static final class UnavailableGroupStore implements GroupStore {

		@Override
		public <T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step) {
			throw unavailable();
		}

		@Override
		public @Nullable StoredGroup find(String groupId) {
			throw unavailable();
		}

		@Override
		public void touch(Collection<String> groupIds) {
			throw unavailable();
		}

		@Override
		public void delete(String groupId) {
			throw unavailable();
		}

		private static SessionGroupUnavailableException unavailable() {
			return new SessionGroupUnavailableException("down", new IllegalStateException("connection refused"));
		}

	}

	record Amount(int amount) {
	}

	@LiveController
	static class TestController {

		@LiveAction("increment")
		int increment(GroupState state) {
			int next = state.getAttribute("count", Integer.class) + 1;
			state.setAttribute("count", next);
			return next;
		}

		@LiveAction("add")
		int add(@ActionData(required = true) Amount amount, GroupState state) {
			int next = state.getAttribute("count", Integer.class) + amount.amount();
			state.setAttribute("count", next);
			return next;
		}

		@LiveAction("whoami")
		String whoami(LiveConnection connection) {
			return connection.getId();
		}

		@LiveAction("incrementBoth")
		int incrementBoth(@GroupAttribute("count") Integer count, GroupState state) {
			state.setAttribute("count", count + 1);
			return count + 1;
		}

		@LiveAction("append")
		void append(@GroupAttribute("items") @Nullable List<String> items, String item, GroupState state) {
			if (items == null) {
				state.setAttribute("items", List.of(item));
			}
			else {
				items.add(item);
			}
		}

		@LiveAction("forbidden")
		void forbidden(GroupState state) {
			state.setAttribute("count", 999);
			throw new LiveActionException(LiveActionException.FORBIDDEN, "not you");
		}

		@LiveAction("fail")
		void fail(GroupState state) {
			state.setAttribute("count", 999);
			throw new IllegalStateException("secret password");
		}

	}

}
