package io.livesession.delivery;

import java.nio.ByteBuffer;
import java.security.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonValue;
import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.Frame;
import io.livesession.registry.ConnectionRegistries;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LocalDelivery} and the broadcaster of
 * {@link Delivery#broadcaster(JsonMapper, DeliveryChannel)} on it.
 */
class LocalDeliveryTests {

	private static final Frame GREETING = Frame.text("hello");

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ConnectionRegistry registry = ConnectionRegistries.inMemory();

	private final LocalDelivery delivery = new LocalDelivery(this.registry);

	private final Broadcaster broadcaster = Delivery.broadcaster(this.mapper, this.delivery);

	/** Connection id to its transport. */
	private final Map<String, RecordingTransport> transports = new LinkedHashMap<>();

	@BeforeEach
	void connect() {
		// alice has two tabs in two groups, bob shares group g1 with alice's first tab
		connect("alice-1", "alice", "g1", "ROLE_ADMIN", "ROLE_USER");
		connect("alice-2", "alice", "g2", "ROLE_ADMIN", "ROLE_USER");
		connect("bob-1", "bob", "g1", "ROLE_USER");
		connect("carol-1", "carol", "g3");
		connect("anon-1", null, "anon:x");
		connect("anon-2", null, "anon:y");
	}

	@Test
	void allReachesEveryConnection() {
		assertDelivered(BroadcastTarget.all(), "alice-1", "alice-2", "bob-1", "carol-1", "anon-1", "anon-2");
	}

	@Test
	void usersReachesEveryConnectionOfTheUsers() {
		assertDelivered(BroadcastTarget.users("alice"), "alice-1", "alice-2");
	}

	@Test
	void usersWithSeveralUsersReachesEachConnectionOnce() {
		assertDelivered(BroadcastTarget.users("alice", "bob", "alice", "nobody"), "alice-1", "alice-2", "bob-1");
	}

	@Test
	void usersOfNobodyReachesNothing() {
		assertDelivered(BroadcastTarget.users("nobody"));
		assertDelivered(BroadcastTarget.users());
	}

	@Test
	void groupsReachesEveryConnectionOfTheGroups() {
		assertDelivered(BroadcastTarget.groups("g1"), "alice-1", "bob-1");
		assertDelivered(BroadcastTarget.groups("g2", "anon:x", "missing"), "alice-2", "anon-1");
	}

	@Test
	void connectionsReachesTheGivenConnections() {
		assertDelivered(BroadcastTarget.connections("alice-2", "anon-2", "missing"), "alice-2", "anon-2");
	}

	@Test
	void deliverIfIdleSendsAtOnceToTheIdleConnectionsOfASmallTargetAndReturnsTheBusyOnes() {
		Frame frame = Frame.text("at once");
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.groups("g1"), frame, 2)).isEmpty();
		assertThat(texts("alice-1")).containsExactly("at once");
		assertThat(texts("bob-1")).containsExactly("at once");
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.users("carol"), frame, 2)).isEmpty();
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.connections("anon-1", "missing"), frame, 2)).isEmpty();
		assertThat(texts("carol-1")).containsExactly("at once");
		assertThat(texts("anon-1")).containsExactly("at once");
		RecordingTransport busy = new RecordingTransport().blocking();
		ManagedConnection slow = Delivery.connection(
				new ConnectionInfo("slow-1", "dave", "g4", null, Set.of(), null, Instant.now()), busy, Runnable::run,
				1024 * 1024);
		this.registry.register(slow);
		slow.open(GREETING, 0);
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.users("dave"), frame, 2)).containsExactly(slow);
		assertThat(slow.getQueuedBytes()).as("nothing queued").isZero();
	}

	@Test
	void deliverIfIdleDoesNothingForALargeTargetOrOneThatIsNotOfUsersGroupsOrConnections() {
		Frame frame = Frame.text("at once");
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.groups("g1"), frame, 1)).isNull();
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.users("alice", "bob"), frame, 2)).isNull();
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.all(), frame, 100)).isNull();
		assertThat(this.delivery.deliverIfIdle(BroadcastTarget.authority("ROLE_USER"), frame, 100)).isNull();
		assertThat(this.transports.keySet()).allSatisfy((id) -> assertThat(received(id)).isEmpty());
	}

	@Test
	void authorityReachesConnectionsWhosePrincipalHasIt() {
		assertDelivered(BroadcastTarget.authority("ROLE_ADMIN"), "alice-1", "alice-2");
		assertDelivered(BroadcastTarget.authority("ROLE_USER"), "alice-1", "alice-2", "bob-1");
		assertDelivered(BroadcastTarget.authority("ROLE_NONE"));
	}

	@Test
	void userFilterReachesConnectionsOfMatchingUsers() {
		assertDelivered(BroadcastTarget.userFilter((userId) -> userId.startsWith("a")), "alice-1", "alice-2");
	}

	@Test
	void userFilterNeverReachesAnonymousConnections() {
		assertDelivered(BroadcastTarget.userFilter((userId) -> true), "alice-1", "alice-2", "bob-1", "carol-1");
	}

	@Test
	void matchingReachesConnectionsMatchingThePredicate() {
		assertDelivered(BroadcastTarget.matching((connection) -> connection.getUserId() == null), "anon-1", "anon-2");
		assertDelivered(BroadcastTarget.matching((connection) -> connection.getId().endsWith("-1")), "alice-1", "bob-1",
				"carol-1", "anon-1");
	}

	@Test
	void aStringIsSentAsATextFrame() {
		this.broadcaster.sendToUser("bob", "plain text");
		Frame frame = received("bob-1").get(0);
		assertThat(frame.isText()).isTrue();
		assertThat(frame.isState()).isFalse();
		assertThat(frame.getText()).isEqualTo("plain text");
	}

	@Test
	void aStringIsNotSerializedAsJson() {
		this.broadcaster.sendToUser("bob", "{\"raw\":\"json\"}");
		assertThat(received("bob-1").get(0).getText()).isEqualTo("{\"raw\":\"json\"}");
	}

	@Test
	void aByteArrayIsSentAsABinaryFrame() {
		byte[] bytes = { 1, 2, 3 };
		this.broadcaster.sendToUser("bob", bytes);
		bytes[0] = 9;
		Frame frame = received("bob-1").get(0);
		assertThat(frame.isText()).isFalse();
		assertThat(bytes(frame)).containsExactly(1, 2, 3);
	}

	@Test
	void aByteBufferIsSentAsABinaryFrameWithoutConsumingIt() {
		ByteBuffer buffer = ByteBuffer.wrap(new byte[] { 0, 1, 2, 3 });
		buffer.position(1);
		this.broadcaster.sendToUser("bob", buffer);
		Frame frame = received("bob-1").get(0);
		assertThat(frame.isText()).isFalse();
		assertThat(bytes(frame)).containsExactly(1, 2, 3);
		assertThat(buffer.position()).isOne();
		assertThat(buffer.remaining()).isEqualTo(3);
	}

	@Test
	void aFrameIsSentAsIs() {
		Frame frame = Frame.text("as is");
		this.broadcaster.sendToGroup("g1", frame);
		assertThat(received("alice-1")).singleElement().isSameAs(frame);
		assertThat(received("bob-1")).singleElement().isSameAs(frame);
	}

	@Test
	void anObjectIsSentAsJsonText() {
		this.broadcaster.sendToUser("bob", new Message("hi", List.of(1, 2)));
		Frame frame = received("bob-1").get(0);
		assertThat(frame.isText()).isTrue();
		JsonNode json = this.mapper.readTree(frame.getText());
		assertThat(json.get("text").asString()).isEqualTo("hi");
		assertThat(json.get("numbers").get(1).asInt()).isEqualTo(2);
	}

	@Test
	void anObjectIsSerializedOncePerBroadcast() {
		Counted payload = new Counted();
		int count = this.broadcaster.send(BroadcastTarget.connections("alice-1", "bob-1", "anon-1"), payload);
		assertThat(count).isEqualTo(3);
		assertThat(payload.serialized).hasValue(1);
		Frame frame = received("alice-1").get(0);
		assertThat(frame.getText()).isEqualTo("\"counted\"");
		assertThat(received("bob-1")).singleElement().isSameAs(frame);
		assertThat(received("anon-1")).singleElement().isSameAs(frame);
	}

	@Test
	void aClosedConnectionDoesNotStopDeliveryToTheOthers() {
		this.registry.find("alice-1").close(1000, "bye");
		this.registry.find("anon-1").close(1000, "bye");
		int count = this.broadcaster.sendToAll("news");
		assertThat(count).isEqualTo(4);
		assertThat(received("alice-1")).isEmpty();
		assertThat(received("anon-1")).isEmpty();
		for (String id : List.of("alice-2", "bob-1", "carol-1", "anon-2")) {
			assertThat(received(id)).as(id).containsExactly(Frame.text("news"));
		}
	}

	@Test
	void aFailingConnectionDoesNotStopDeliveryToTheOthers() {
		RecordingTransport failing = new RecordingTransport().failingFrom(1);
		ManagedConnection connection = Delivery.connection(
				new ConnectionInfo("bob-2", "bob", "g1", null, Set.of(), null, Instant.now()), failing, Runnable::run,
				1024);
		this.registry.register(connection);
		connection.open(GREETING, 0);
		this.broadcaster.sendToGroup("g1", "first");
		assertThat(failing.closeCodes).containsExactly(1011);
		int count = this.broadcaster.sendToGroup("g1", "second");
		assertThat(count).isEqualTo(2);
		for (String id : List.of("alice-1", "bob-1")) {
			assertThat(received(id)).as(id).containsExactly(Frame.text("first"), Frame.text("second"));
		}
	}

	@Test
	void defaultMethodsTargetTheirRecipients() {
		assertThat(this.broadcaster.sendToAll("all")).isEqualTo(6);
		assertThat(this.broadcaster.sendToUser("alice", "user")).isEqualTo(2);
		assertThat(this.broadcaster.sendToGroup("g1", "group")).isEqualTo(2);
		assertThat(texts("alice-1")).containsExactly("all", "user", "group");
		assertThat(texts("alice-2")).containsExactly("all", "user");
		assertThat(texts("bob-1")).containsExactly("all", "group");
		assertThat(texts("carol-1")).containsExactly("all");
	}

	@Test
	void deliveryThroughTheChannelReturnsTheLocalCount() {
		assertThat(this.delivery.publish(BroadcastTarget.groups("g1"), Frame.text("x"))).isEqualTo(2);
		assertThat(texts("alice-1")).containsExactly("x");
	}

	private void assertDelivered(BroadcastTarget target, String... expected) {
		this.transports.values().forEach((transport) -> transport.frames.clear());
		String payload = "to " + target;
		int count = this.broadcaster.send(target, payload);
		assertThat(count).as("count").isEqualTo(expected.length);
		List<String> expectedIds = Arrays.asList(expected);
		this.transports.keySet().forEach((id) -> {
			if (expectedIds.contains(id)) {
				assertThat(texts(id)).as(id).containsExactly(payload);
			}
			else {
				assertThat(texts(id)).as(id).isEmpty();
			}
		});
	}

	private void connect(String id, @Nullable String userId, String groupId, String... authorities) {
		RecordingTransport transport = new RecordingTransport();
		Principal principal = (userId != null) ? () -> userId : null;
		ConnectionInfo info = new ConnectionInfo(id, userId, groupId, principal, Set.of(authorities), null,
				Instant.now());
		ManagedConnection connection = Delivery.connection(info, transport, Runnable::run, 1024 * 1024);
		this.registry.register(connection);
		connection.open(GREETING, 0);
		this.transports.put(id, transport);
	}

	/** Frames after the greeting. */
	private List<Frame> received(String id) {
		List<Frame> frames = this.transports.get(id).frames;
		if (!frames.isEmpty() && frames.get(0) == GREETING) {
			return frames.subList(1, frames.size());
		}
		return frames;
	}

	private List<String> texts(String id) {
		return received(id).stream().map(Frame::getText).toList();
	}

	private static byte[] bytes(Frame frame) {
		ByteBuffer payload = frame.getPayload();
		byte[] bytes = new byte[payload.remaining()];
		payload.get(bytes);
		return bytes;
	}

	record Message(String text, List<Integer> numbers) {
	}

	static final class Counted {

		final AtomicInteger serialized = new AtomicInteger();

		@JsonValue
		String value() {
			this.serialized.incrementAndGet();
			return "counted";
		}

	}

}
