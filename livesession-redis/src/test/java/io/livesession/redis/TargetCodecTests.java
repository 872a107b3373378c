package io.livesession.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * Tests for {@link TargetCodec}: what one instance publishes, every other instance of the
 * same version reads back as the same broadcast.
 */
class TargetCodecTests {

	private static final Function<String, Frame> NO_FULL_STATE = (groupId) -> {
		throw new AssertionError("full state of " + groupId + " loaded");
	};

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final TargetCodec codec = new TargetCodec(this.mapper);

	@Test
	void everyDataTargetKindSurvivesTheRoundTrip() {
		List<BroadcastTarget> targets = List.of(BroadcastTarget.all(), BroadcastTarget.users("alice", "bob"),
				BroadcastTarget.groups("g1", "g2"), BroadcastTarget.connections("c1"),
				BroadcastTarget.authority("ROLE_ADMIN"), BroadcastTarget.users());
		for (BroadcastTarget target : targets) {
			TargetCodec.Decoded decoded = roundTrip("instance-1", target, Frame.text("{\"type\":\"hi\"}"));
			assertThat(decoded.origin()).isEqualTo("instance-1");
			assertThat(decoded.target()).as("%s", target).isEqualTo(target);
			assertThat(decoded.frame()).isEqualTo(Frame.text("{\"type\":\"hi\"}"));
			assertThat(decoded.frame().isState()).isFalse();
		}
	}

	@Test
	void aTargetThatCannotTravelIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.encode("a", BroadcastTarget.matching((connection) -> true), Frame.text("x")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.encode("a", BroadcastTarget.userFilter((user) -> true), Frame.text("x")));
	}

	@Test
	void theMessageKeepsItsWireShape() {
		JsonNode message = this.mapper.readTree(this.codec.encode("i", BroadcastTarget.groups("g"),
				Frame.state("{\"type\":\"state\"}", 7, () -> Frame.state("{}", 7))));
		assertThat(message.propertyNames()).containsExactlyInAnyOrder("o", "t", "x", "v", "full");
		assertThat(message.get("o").asString()).isEqualTo("i");
		assertThat(message.get("t").get("k").asString()).isEqualTo("groups");
		assertThat(message.get("t").get("ids").get(0).asString()).isEqualTo("g");
		assertThat(message.get("x").asString()).isEqualTo("{\"type\":\"state\"}");
		assertThat(message.get("v").asLong()).isEqualTo(7);
		assertThat(message.get("full").asBoolean()).isFalse();
		JsonNode authority = this.mapper
			.readTree(this.codec.encode("i", BroadcastTarget.authority("ROLE_A"), Frame.binary(new byte[] { 1 })));
		assertThat(authority.propertyNames()).containsExactlyInAnyOrder("o", "t", "b");
		assertThat(authority.get("t").propertyNames()).containsExactlyInAnyOrder("k", "a");
	}

	@Test
	void aFullStateFrameStaysFullWithItsVersion() {
		TargetCodec.Decoded decoded = roundTrip("a", BroadcastTarget.groups("g"), Frame.state("{\"full\":true}", 42));
		assertThat(decoded.frame().isState()).isTrue();
		assertThat(decoded.frame().isFullState()).isTrue();
		assertThat(decoded.frame().getStateVersion()).isEqualTo(42);
		assertThat(decoded.frame().getText()).isEqualTo("{\"full\":true}");
	}

	@Test
	void aDeltaOfOneGroupLoadsThatGroupsFullStateOnlyWhenAsked() {
		AtomicInteger loads = new AtomicInteger();
		Frame full = Frame.state("{\"whole\":true}", 9);
		String message = this.codec.encode("a", BroadcastTarget.groups("g"), Frame.state("{\"d\":1}", 8, () -> full));
		TargetCodec.Decoded decoded = this.codec.decode(message, (groupId) -> {
			loads.incrementAndGet();
			assertThat(groupId).isEqualTo("g");
			return full;
		});
		assertThat(decoded.frame().isFullState()).isFalse();
		assertThat(decoded.frame().getStateVersion()).isEqualTo(8);
		assertThat(loads).hasValue(0);
		assertThat(decoded.frame().toFullState()).isSameAs(full);
		assertThat(loads).hasValue(1);
	}

	@Test
	void aDeltaToSeveralGroupsCannotBeCoalescedAndTravelsAsIs() {
		TargetCodec.Decoded decoded = this.codec.decode(this.codec.encode("a", BroadcastTarget.groups("g1", "g2"),
				Frame.state("{\"d\":1}", 3, () -> Frame.state("{}", 3))), NO_FULL_STATE);
		assertThat(decoded.frame().isState()).isTrue();
		assertThat(decoded.frame().getStateVersion()).isEqualTo(3);
		assertThat(decoded.frame().toFullState()).isSameAs(decoded.frame());
	}

	@Test
	void aBinaryFrameKeepsEveryByte() {
		byte[] bytes = new byte[256];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) i;
		}
		TargetCodec.Decoded decoded = roundTrip("a", BroadcastTarget.connections("c"), Frame.binary(bytes));
		assertThat(decoded.frame().isText()).isFalse();
		assertThat(decoded.frame()).isEqualTo(Frame.binary(bytes));
	}

	@Test
	void textWithAnyCharacterSurvives() {
		String text = "{\"t\":\"\\\"quoted\\\" ünïcödé \\u0000 😀\"}";
		assertThat(roundTrip("a", BroadcastTarget.all(), Frame.text(text)).frame().getText()).isEqualTo(text);
	}

	@Test
	void anUndecodableMessageIsRejected() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.decode("not json", NO_FULL_STATE));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.decode("{\"o\":\"a\",\"t\":{\"k\":\"planets\"},\"x\":\"{}\"}", NO_FULL_STATE));
		assertThatRuntimeException().isThrownBy(() -> this.codec.decode("{\"o\":\"a\",\"x\":\"{}\"}", NO_FULL_STATE));
		assertThatRuntimeException()
			.isThrownBy(() -> this.codec.decode("{\"o\":\"a\",\"t\":{\"k\":\"all\"}}", NO_FULL_STATE));
	}

	@Test
	void aMessageFromAnInstanceOfThisVersionDecodes() {
		// As published by another instance (and by the group commit script's caller).
		String message = "{\"o\":\"other\",\"t\":{\"k\":\"users\",\"ids\":[\"alice\"]},\"x\":\"{\\\"a\\\":1}\"}";
		TargetCodec.Decoded decoded = this.codec.decode(message, NO_FULL_STATE);
		assertThat(decoded.origin()).isEqualTo("other");
		assertThat(decoded.target()).isEqualTo(BroadcastTarget.users("alice"));
		assertThat(decoded.frame().getText()).isEqualTo("{\"a\":1}");
	}

	@Test
	void presenceTransitionsKeepTheirOrder() {
		List<PresenceTransition> transitions = List.of(new PresenceTransition("u+", "alice"),
				new PresenceTransition("g-", "user:bob"), new PresenceTransition("u-", "alice"));
		String message = PresenceTransition.encode(this.mapper, transitions);
		assertThat(message).isEqualTo("[\"u+\",\"alice\",\"g-\",\"user:bob\",\"u-\",\"alice\"]");
		assertThat(PresenceTransition.decode(this.mapper, message)).isEqualTo(transitions);
		assertThat(new PresenceTransition("u+", "alice").toEvent(this)).hasToString("UserConnectedEvent[userId=alice]");
		assertThat(new PresenceTransition("x?", "alice").toEvent(this)).isNull();
	}

	@Test
	void aTopicPresenceTransitionNamesItsTopicAndUser() {
		assertThat(new PresenceTransition("t+", "room:a alice smith").toEvent(this))
			.hasToString("TopicPresenceEvent[topic=room:a, userId=alice smith, joined=true]");
		assertThat(new PresenceTransition("t-", "room:a bob").toEvent(this))
			.hasToString("TopicPresenceEvent[topic=room:a, userId=bob, joined=false]");
		assertThat(new PresenceTransition("t+", "nospace").toEvent(this)).isNull();
	}

	@Test
	void anEmptyPresenceMessageHasNoTransitions() {
		assertThat(PresenceTransition.decode(this.mapper, "[]")).isEmpty();
		assertThat(PresenceTransition.decode(this.mapper, "[\"u+\"]")).isEmpty();
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> PresenceTransition.decode(this.mapper, "[\"u+\""));
	}

	@Test
	void aPublicationKeepsItsTopicAndOffset() {
		String text = "{\"type\":\"publication\",\"topic\":\"room:a\",\"data\":1,\"offset\":7,\"epoch\":\"e\"}";
		TargetCodec.Decoded recoverable = roundTrip("a", BroadcastTarget.topic("room:a"),
				Frame.publication(text, "room:a", 7));
		assertThat(recoverable.target()).isEqualTo(BroadcastTarget.topic("room:a"));
		assertThat(recoverable.frame().getText()).isEqualTo(text);
		assertThat(recoverable.frame().getTopic()).isEqualTo("room:a");
		assertThat(recoverable.frame().getTopicOffset()).isEqualTo(7);
		assertThat(recoverable.frame().isState()).isFalse();
		TargetCodec.Decoded plain = roundTrip("a", BroadcastTarget.topic("room:b"),
				Frame.publication("{\"type\":\"publication\"}", "room:b", -1));
		assertThat(plain.frame().getTopic()).isEqualTo("room:b");
		assertThat(plain.frame().getTopicOffset()).isEqualTo(-1);
		assertThat(roundTrip("a", BroadcastTarget.all(), Frame.text("{}")).frame().getTopic()).isNull();
	}

	@Test
	void aPublicationMessageBuiltAroundItsOffsetAndEpochIsTheMessageOfTheFrame() {
		// As the topic log's script completes it, once it knows the offset and epoch.
		String head = "{\"type\":\"publication\",\"topic\":\"room:a\",\"data\":{\"q\":\"\\\"</\"},\"offset\":";
		List<String> pieces = this.codec.publicationPieces("i", "room:a", head, ",\"epoch\":\"", "\"}");
		assertThat(pieces).hasSize(4);
		String message = pieces.get(0) + 12 + pieces.get(1) + "Ep0ch" + pieces.get(2) + 12 + pieces.get(3);
		String frame = head + 12 + ",\"epoch\":\"Ep0ch\"}";
		assertThat(message)
			.isEqualTo(this.codec.encode("i", BroadcastTarget.topic("room:a"), Frame.publication(frame, "room:a", 12)));
		assertThat(this.codec.decode(message, NO_FULL_STATE).frame().getText()).isEqualTo(frame);
	}

	@Test
	void theIdsOfATargetArriveWhateverTheirOrder() {
		TargetCodec.Decoded decoded = roundTrip("a", new BroadcastTarget.Groups(Set.of("x", "y", "z")),
				Frame.text("{}"));
		assertThat(decoded.target()).isEqualTo(BroadcastTarget.groups("z", "y", "x"));
	}

	private TargetCodec.Decoded roundTrip(String origin, BroadcastTarget target, Frame frame) {
		return this.codec.decode(this.codec.encode(origin, target, frame), NO_FULL_STATE);
	}

}
