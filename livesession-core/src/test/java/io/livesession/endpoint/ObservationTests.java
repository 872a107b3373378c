package io.livesession.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.livesession.Broadcaster;
import io.livesession.BroadcastTarget;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveController;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.LocalDelivery;
import io.livesession.delivery.ManagedConnection;
import io.livesession.delivery.TransportSession;
import io.livesession.group.GroupStores;
import io.livesession.group.SessionGroupManager;
import io.livesession.metrics.ActionObservationContext;
import io.livesession.metrics.BroadcastObservationContext;
import io.livesession.registry.ConnectionRegistries;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@code livesession.action} and {@code livesession.broadcast}
 * observations.
 */
class ObservationTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final Broadcaster broadcaster = Delivery.broadcaster(this.mapper, new LocalDelivery(this.registry),
			this.observations);

	private final SessionGroupManager groups = new SessionGroupManager(GroupStores.inMemory(Duration.ofMinutes(10)),
			this.mapper, this.broadcaster, List.of((state) -> state.setAttribute("count", 0)));

	private final GenericApplicationContext context = new GenericApplicationContext();

	private LiveEndpoint endpoint;

	@BeforeEach
	void setUp() {
		this.context.registerBean(Actions.class);
		this.context.refresh();
		ActionHandlerRegistry actions = new ActionHandlerRegistry(this.context, this.mapper);
		actions.afterSingletonsInstantiated();
		this.endpoint = new LiveEndpoint(this.registry, this.groups, actions, this.mapper);
		this.endpoint.setObservationRegistry(this.observations);
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void eachActionIsObservedWithItsNameAndOutcome() {
		ManagedConnection connection = open("c1", "g1");
		this.endpoint.received(connection, "{\"type\":\"action\",\"action\":\"increment\",\"ref\":\"1\"}");
		this.endpoint.received(connection, "{\"type\":\"action\",\"action\":\"refuse\",\"ref\":\"2\"}");
		this.endpoint.received(connection, "{\"type\":\"action\",\"action\":\"fail\"}");
		this.endpoint.received(connection, "{\"type\":\"action\",\"action\":\"no-such-action\"}");
		this.endpoint.received(connection, "{\"type\":\"sync\"}");
		List<Map<String, String>> actions = contexts(ActionObservationContext.class).stream()
			.map(ObservationTests::lowCardinality)
			.toList();
		assertThat(actions).containsExactly(Map.of("livesession.action", "increment", "livesession.outcome", "success"),
				Map.of("livesession.action", "refuse", "livesession.outcome", "bad_request"),
				Map.of("livesession.action", "fail", "livesession.outcome", "internal"),
				Map.of("livesession.action", "unknown", "livesession.outcome", "unknown_action"));
		assertThat(this.observations).hasNumberOfObservationsWithNameEqualTo("livesession.action", 4)
			.forAllObservationsWithNameEqualTo("livesession.action",
					(observation) -> observation.hasHighCardinalityKeyValue("livesession.connection", "c1"));
	}

	@Test
	void eachBroadcastIsObservedWithItsTargetKindAndRecipients() {
		open("c1", "g1");
		open("c2", "g1");
		open("c3", "g2");
		this.observations.clear();
		this.broadcaster.send(BroadcastTarget.groups("g1"), "hi");
		this.broadcaster.send(BroadcastTarget.all(), "all");
		this.broadcaster.send(BroadcastTarget.users("nobody"), "none");
		this.broadcaster.send(BroadcastTarget.matching((connection) -> true), "some");
		List<BroadcastObservationContext> broadcasts = contexts(BroadcastObservationContext.class);
		assertThat(broadcasts).extracting(BroadcastObservationContext::getTargetKind)
			.containsExactly("groups", "all", "users", "matching");
		assertThat(broadcasts).extracting(BroadcastObservationContext::getRecipients).containsExactly(2, 3, 0, 3);
		assertThat(this.observations).forAllObservationsWithNameEqualTo("livesession.broadcast",
				(observation) -> observation.hasLowCardinalityKeyValue("livesession.frame", "message")
					.hasHighCardinalityKeyValueWithKey("livesession.recipients"));
	}

	@Test
	void aStatePushIsABroadcastToTheGroupInsideTheActionThatCausedIt() {
		ManagedConnection connection = open("c1", "g1");
		open("c2", "g1");
		this.observations.clear();
		this.endpoint.received(connection, "{\"type\":\"action\",\"action\":\"increment\"}");
		BroadcastObservationContext push = contexts(BroadcastObservationContext.class).get(0);
		assertThat(lowCardinality(push)).containsEntry("livesession.target", "groups")
			.containsEntry("livesession.frame", "state");
		assertThat(push.getRecipients()).isEqualTo(2);
		assertThat(push.getParentObservation()).isNotNull()
			.extracting(ObservationView::getContextView)
			.isInstanceOf(ActionObservationContext.class);
	}

	private <T extends Observation.Context> List<T> contexts(Class<T> type) {
		List<T> result = new java.util.ArrayList<>();
		assertThat(this.observations).hasHandledContextsThatSatisfy(
				(contexts) -> contexts.stream().filter(type::isInstance).map(type::cast).forEach(result::add));
		return result;
	}

	private static Map<String, String> lowCardinality(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

	private ManagedConnection open(String id, String groupId) {
		ConnectionInfo info = new ConnectionInfo(id, null, groupId, null, Set.of(), null, Instant.now());
		ManagedConnection connection = Delivery.connection(info, new NullTransport(), Runnable::run, 1024 * 1024);
		this.endpoint.opened(connection);
		return connection;
	}

	@LiveController
	static class Actions {

		@LiveAction("increment")
		int increment(GroupState state) {
			int next = state.getAttribute("count", Integer.class) + 1;
			state.setAttribute("count", next);
			return next;
		}

		@LiveAction("refuse")
		void refuse() {
			throw LiveActionException.badRequest("no");
		}

		@LiveAction("fail")
		void fail() {
			throw new IllegalStateException("boom");
		}

	}

	private static final class NullTransport implements TransportSession {

		@Override
		public void send(Frame frame) {
		}

		@Override
		public void close(int code, String reason) {
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
