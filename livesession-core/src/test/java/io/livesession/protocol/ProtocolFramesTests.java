package io.livesession.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.livesession.Frame;
import io.livesession.LiveConnection;
import io.livesession.SessionGroup;
import io.livesession.delivery.ConnectionInfo;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.TransportSession;
import io.livesession.group.GroupStores;
import io.livesession.group.SessionGroupManager;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProtocolFrames}: the exact text of each server frame, as the wire
 * protocol specifies it.
 */
class ProtocolFramesTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ProtocolFrames frames = new ProtocolFrames(this.mapper);

	@Test
	void helloCarriesTheConnectionTheUserTheVersionAndTheWholeState() {
		Frame hello = this.frames.hello(connection("c1", "alice"), group());
		assertThat(hello.isState()).isFalse();
		assertThat(hello.getText())
			.isEqualTo("{\"type\":\"hello\",\"connectionId\":\"c1\",\"userId\":\"alice\",\"version\":1,"
					+ "\"state\":{\"count\":3}}");
		assertThat(this.frames.hello(connection("c2", null), group()).getText()).contains("\"userId\":null");
	}

	@Test
	void aFullStateFrameIsAStateFrameAtTheGroupsVersion() {
		Frame full = this.frames.fullState(group());
		assertThat(full.isFullState()).isTrue();
		assertThat(full.getStateVersion()).isEqualTo(1);
		assertThat(full.getText())
			.isEqualTo("{\"type\":\"state\",\"version\":1,\"state\":{\"count\":3},\"full\":true}");
	}

	@Test
	void aStateChangeCarriesOnlyTheChangedAttributesWithRemovedOnesAsNull() {
		Map<String, @Nullable JsonNode> changes = new LinkedHashMap<>();
		changes.put("count", IntNode.valueOf(4));
		changes.put("gone", null);
		Frame full = this.frames.fullState(group());
		Frame change = this.frames.stateChange(2, changes, () -> full);
		assertThat(change.isState()).isTrue();
		assertThat(change.isFullState()).isFalse();
		assertThat(change.getStateVersion()).isEqualTo(2);
		assertThat(change.getText())
			.isEqualTo("{\"type\":\"state\",\"version\":2,\"state\":{\"count\":4,\"gone\":null}}");
	}

	@Test
	void repliesAndErrorsHaveTheSameShapeOnBothTransportsLessTheHttpRef() {
		assertThat(this.frames.reply("r1", Map.of("n", 1)).getText())
			.isEqualTo("{\"type\":\"reply\",\"ref\":\"r1\",\"data\":{\"n\":1}}");
		assertThat(this.frames.reply("r2", null).getText())
			.isEqualTo("{\"type\":\"reply\",\"ref\":\"r2\",\"data\":null}");
		assertThat(this.frames.error(null, "bad_request", "no").getText())
			.isEqualTo("{\"type\":\"error\",\"ref\":null,\"code\":\"bad_request\",\"message\":\"no\"}");
		assertThat(this.frames.error("r3", "forbidden", "no").getText())
			.isEqualTo("{\"type\":\"error\",\"ref\":\"r3\",\"code\":\"forbidden\",\"message\":\"no\"}");
		assertThat(this.mapper.writeValueAsString(this.frames.httpReply(List.of(1, 2))))
			.isEqualTo("{\"type\":\"reply\",\"data\":[1,2]}");
		assertThat(this.mapper.writeValueAsString(this.frames.httpError("unavailable", "down")))
			.isEqualTo("{\"type\":\"error\",\"ref\":null,\"code\":\"unavailable\",\"message\":\"down\"}");
	}

	private SessionGroup group() {
		SessionGroupManager groups = new SessionGroupManager(GroupStores.inMemory(Duration.ofMinutes(1)), this.mapper,
				(target, payload) -> 0, List.of());
		groups.update("g1", (state) -> {
			state.setAttribute("count", 3);
			return null;
		});
		return groups.get("g1");
	}

	private static LiveConnection connection(String id, @Nullable String userId) {
		ConnectionInfo info = new ConnectionInfo(id, userId, "g1", null, Set.of(), null, Instant.now());
		return Delivery.connection(info, new NullTransport(), Runnable::run, 1024);
	}

	private static final class NullTransport implements TransportSession {

		@Override
		public void close(int code, String reason) {
		}

		@Override
		public boolean isOpen() {
			return true;
		}

	}

}
