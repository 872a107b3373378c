package io.livesession.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.Frame;
import io.livesession.GroupInitializer;
import io.livesession.SessionGroup;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link SessionGroupManager}.
 */
class SessionGroupManagerTests {

	private static final String GROUP = "user:alice";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final GroupStore store = GroupStores.inMemory(Duration.ofMinutes(10));

	private final RecordingBroadcaster broadcaster = new RecordingBroadcaster();

	private final SessionGroupManager manager = new SessionGroupManager(this.store, this.mapper, this.broadcaster,
			List.of());

	@Test
	void getOfAMissingGroupReadsAsEmptyAtVersionZero() {
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getId()).isEqualTo(GROUP);
		assertThat(group.getVersion()).isZero();
		assertThat(group.getAttributeNames()).isEmpty();
		assertThat(group.getAttributeNode("count")).isNull();
		assertThat(group.getAttribute("count", Integer.class)).isNull();
	}

	@Test
	void updateCommitsAndRaisesTheVersionByExactlyOne() {
		String result = this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			return "done";
		});
		assertThat(result).isEqualTo("done");
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getVersion()).isOne();
		assertThat(group.getAttribute("count", Integer.class)).isOne();
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", state.getAttribute("count", Integer.class) + 1);
			state.setAttribute("name", "alice");
			return null;
		});
		group = this.manager.get(GROUP);
		assertThat(group.getVersion()).isEqualTo(2);
		assertThat(group.getAttribute("count", Integer.class)).isEqualTo(2);
		assertThat(group.getAttribute("name", String.class)).isEqualTo("alice");
		assertThat(group.getAttributeNames()).containsExactlyInAnyOrder("count", "name");
	}

	@Test
	void updateSeesItsOwnChangesBeforeTheyAreCommitted() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 1);
			return null;
		});
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("b", 2);
			state.removeAttribute("a");
			assertThat(state.getAttributeNames()).containsExactly("b");
			assertThat(state.getAttribute("b", Integer.class)).isEqualTo(2);
			assertThat(state.getAttributeNode("a")).isNull();
			return null;
		});
		assertThat(this.manager.get(GROUP).getAttributeNames()).containsExactly("b");
	}

	@Test
	void attributesRoundTripThroughJsonWithGenericTypes() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("items", List.of("a", "b"));
			state.setAttribute("map", Map.of("k", 1));
			return null;
		});
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getAttribute("items", new ParameterizedTypeReference<List<String>>() {
		})).containsExactly("a", "b");
		assertThat(group.getAttribute("map", new ParameterizedTypeReference<Map<String, Integer>>() {
		})).containsExactly(Map.entry("k", 1));
		assertThat(group.getAttributeNode("items").isArray()).isTrue();
	}

	@Test
	void updateThatChangesNothingKeepsTheVersionAndPushesNothing() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			state.setAttribute("list", List.of(1, 2));
			return null;
		});
		this.broadcaster.sent.clear();
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			state.setAttribute("list", List.of(1, 2));
			state.setAttribute("temporary", "x");
			state.removeAttribute("temporary");
			state.removeAttribute("absent");
			state.setAttribute("absent", null);
			state.setAttribute("count", 5);
			state.setAttribute("count", 1);
			return null;
		});
		this.manager.update(GROUP, (state) -> state.getAttribute("count", Integer.class));
		assertThat(this.manager.get(GROUP).getVersion()).isOne();
		assertThat(this.broadcaster.sent).isEmpty();
	}

	@Test
	void updateThatThrowsCommitsNothingAndPushesNothing() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			return null;
		});
		this.broadcaster.sent.clear();
		IllegalStateException failure = new IllegalStateException("boom");
		assertThatThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 2);
			state.setAttribute("other", "x");
			throw failure;
		})).isSameAs(failure);
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getVersion()).isOne();
		assertThat(group.getAttribute("count", Integer.class)).isOne();
		assertThat(group.getAttributeNames()).containsExactly("count");
		assertThat(this.broadcaster.sent).isEmpty();
	}

	@Test
	void updateThatThrowsOnANewGroupDoesNotCreateIt() {
		assertThatThrownBy(() -> this.manager.update("new", (state) -> {
			state.setAttribute("count", 2);
			throw new IllegalStateException("boom");
		})).hasMessage("boom");
		assertThat(this.store.find("new")).isNull();
		assertThat(this.broadcaster.sent).isEmpty();
	}

	@Test
	void openRunsTheInitializerOnceForANewGroupAtVersionZero() {
		AtomicInteger initialized = new AtomicInteger();
		GroupInitializer initializer = (state) -> {
			initialized.incrementAndGet();
			assertThat(state.getVersion()).isZero();
			state.setAttribute("count", 0);
		};
		SessionGroupManager manager = new SessionGroupManager(this.store, this.mapper, this.broadcaster,
				List.of(initializer));
		AtomicReference<SessionGroup> opened = new AtomicReference<>();
		manager.open(GROUP, opened::set);
		assertThat(initialized).hasValue(1);
		assertThat(opened.get().getVersion()).isZero();
		assertThat(opened.get().getAttribute("count", Integer.class)).isZero();
		assertThat(manager.get(GROUP).getVersion()).isZero();
		assertThat(manager.get(GROUP).getAttribute("count", Integer.class)).isZero();
		manager.open(GROUP, opened::set);
		manager.update(GROUP, (state) -> {
			state.setAttribute("count", state.getAttribute("count", Integer.class) + 1);
			return null;
		});
		manager.open(GROUP, opened::set);
		assertThat(initialized).hasValue(1);
		assertThat(opened.get().getVersion()).isOne();
		assertThat(opened.get().getAttribute("count", Integer.class)).isOne();
		assertThat(this.broadcaster.sent).hasSize(1);
	}

	@Test
	void openPushesNothing() {
		SessionGroupManager manager = new SessionGroupManager(this.store, this.mapper, this.broadcaster,
				List.of((state) -> state.setAttribute("count", 0)));
		manager.open(GROUP, (group) -> {
		});
		manager.open(GROUP, (group) -> {
		});
		assertThat(this.broadcaster.sent).isEmpty();
	}

	@Test
	void updateOfANewGroupStartsFromTheInitialState() {
		AtomicInteger initialized = new AtomicInteger();
		SessionGroupManager manager = new SessionGroupManager(this.store, this.mapper, this.broadcaster,
				List.of((state) -> {
					initialized.incrementAndGet();
					state.setAttribute("count", 10);
				}));
		int result = manager.update(GROUP, (state) -> {
			int next = state.getAttribute("count", Integer.class) + 1;
			state.setAttribute("count", next);
			return next;
		});
		assertThat(result).isEqualTo(11);
		assertThat(initialized).hasValue(1);
		assertThat(manager.get(GROUP).getVersion()).isOne();
		assertThat(manager.get(GROUP).getAttribute("count", Integer.class)).isEqualTo(11);
	}

	@Test
	void updateThatChangesNothingOnANewGroupKeepsTheInitialStateAtVersionZero() {
		SessionGroupManager manager = new SessionGroupManager(this.store, this.mapper, this.broadcaster,
				List.of((state) -> state.setAttribute("count", 0)));
		Integer count = manager.update(GROUP, (state) -> state.getAttribute("count", Integer.class));
		assertThat(count).isZero();
		assertThat(manager.get(GROUP).getAttribute("count", Integer.class)).isZero();
		assertThat(manager.get(GROUP).getVersion()).isZero();
		assertThat(this.broadcaster.sent).isEmpty();
	}

	@Test
	void stateFrameGoesToTheGroupWithOnlyTheChangedAttributesAndNullForRemovedOnes() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 1);
			state.setAttribute("b", 2);
			state.setAttribute("c", 3);
			return null;
		});
		this.broadcaster.sent.clear();
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 10);
			state.removeAttribute("b");
			state.setAttribute("c", 3);
			state.setAttribute("d", Map.of("x", true));
			return null;
		});
		assertThat(this.broadcaster.sent).hasSize(1);
		Sent sent = this.broadcaster.sent.get(0);
		assertThat(sent.target()).isEqualTo(BroadcastTarget.groups(GROUP));
		assertThat(sent.payload()).isInstanceOf(Frame.class);
		Frame frame = (Frame) sent.payload();
		assertThat(frame.isState()).isTrue();
		assertThat(frame.isText()).isTrue();
		assertThat(frame.getStateVersion()).isEqualTo(2);
		JsonNode json = this.mapper.readTree(frame.getText());
		assertThat(json.get("type").asString()).isEqualTo("state");
		assertThat(json.get("version").asLong()).isEqualTo(2);
		assertThat(json.has("full")).isFalse();
		JsonNode state = json.get("state");
		assertThat(state.propertyNames()).containsExactlyInAnyOrder("a", "b", "d");
		assertThat(state.get("a").asInt()).isEqualTo(10);
		assertThat(state.get("b").isNull()).isTrue();
		assertThat(state.get("d").get("x").asBoolean()).isTrue();
	}

	@Test
	void stateFrameGivesTheWholeStateAsAFullStateFrame() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 1);
			state.setAttribute("b", 2);
			return null;
		});
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 10);
			state.removeAttribute("b");
			state.setAttribute("c", "x");
			return null;
		});
		Frame frame = (Frame) this.broadcaster.sent.get(1).payload();
		Frame full = frame.toFullState();
		assertThat(full.isState()).isTrue();
		assertThat(full.getStateVersion()).isEqualTo(2);
		assertThat(full.toFullState()).isSameAs(full);
		JsonNode json = this.mapper.readTree(full.getText());
		assertThat(json.get("type").asString()).isEqualTo("state");
		assertThat(json.get("version").asLong()).isEqualTo(2);
		assertThat(json.get("full").asBoolean()).isTrue();
		JsonNode state = json.get("state");
		assertThat(state.propertyNames()).containsExactlyInAnyOrder("a", "c");
		assertThat(state.get("a").asInt()).isEqualTo(10);
		assertThat(state.get("c").asString()).isEqualTo("x");
		assertThat(full.getText()).isEqualTo(this.manager.currentFullState(GROUP).getText());
	}

	@Test
	void fullStateOfAnOldFrameIsTheStateAtItsOwnVersion() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 1);
			return null;
		});
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("a", 2);
			return null;
		});
		Frame first = (Frame) this.broadcaster.sent.get(0).payload();
		JsonNode json = this.mapper.readTree(first.toFullState().getText());
		assertThat(json.get("version").asLong()).isOne();
		assertThat(json.get("state").get("a").asInt()).isOne();
	}

	@Test
	void concurrentUpdatesAreSerializedAndNeverLost() throws Exception {
		int threads = 8;
		int updates = 250;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < updates; i++) {
						this.manager.update(GROUP, (state) -> {
							Integer count = state.getAttribute("count", Integer.class);
							state.setAttribute("count", (count != null) ? count + 1 : 1);
							return null;
						});
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getVersion()).isEqualTo(threads * updates);
		assertThat(group.getAttribute("count", Integer.class)).isEqualTo(threads * updates);
		// Pushed while the group is locked, so in version order.
		assertThat(this.broadcaster.sent).hasSize(threads * updates);
		for (int i = 0; i < this.broadcaster.sent.size(); i++) {
			assertThat(((Frame) this.broadcaster.sent.get(i).payload()).getStateVersion()).isEqualTo(i + 1);
		}
	}

	@Test
	void reservedAttributeNamesAreRefused() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			return null;
		});
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("livesession:version", 42);
			return null;
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("livesession:anything", "x");
			return null;
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.removeAttribute("livesession:version");
			return null;
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("livesession:version", null);
			return null;
		}));
		SessionGroup group = this.manager.get(GROUP);
		assertThat(group.getVersion()).isOne();
		assertThat(group.getAttributeNames()).containsExactly("count");
	}

	@Test
	void emptyAndOverlongAttributeNamesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("", 1);
			return null;
		}));
		assertThatIllegalArgumentException().isThrownBy(() -> this.manager.update(GROUP, (state) -> {
			state.setAttribute("x".repeat(129), 1);
			return null;
		}));
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("x".repeat(128), 1);
			return null;
		});
		assertThat(this.manager.get(GROUP).getAttributeNames()).containsExactly("x".repeat(128));
	}

	@Test
	void deleteRemovesTheGroup() {
		this.manager.update(GROUP, (state) -> {
			state.setAttribute("count", 1);
			return null;
		});
		this.manager.delete(GROUP);
		assertThat(this.store.find(GROUP)).isNull();
		assertThat(this.manager.get(GROUP).getVersion()).isZero();
		assertThat(this.manager.get(GROUP).getAttributeNames()).isEmpty();
	}

	record Sent(BroadcastTarget target, Object payload) {
	}

	static final class RecordingBroadcaster implements Broadcaster {

		final List<Sent> sent = new CopyOnWriteArrayList<>();

		@Override
		public int send(BroadcastTarget target, Object payload) {
			this.sent.add(new Sent(target, payload));
			return 1;
		}

	}

}
