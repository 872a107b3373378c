package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import io.livesession.delivery.LocalDelivery;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupUpdate;
import io.livesession.group.StoredGroup;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.test.RedisTestConnections;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the group store of {@link RedisGroupStores} through the {@link GroupStore}
 * API, on a private Redis. Paging through its ids is tested in {@link GroupKeyScanTests}.
 */
class RedisGroupStoresTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":";

	private final TestListenerContainers containers = new TestListenerContainers();

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate template;

	private GroupStore store;

	@BeforeEach
	void connect() {
		this.connectionFactory = redis.connectionFactory();
		this.template = new StringRedisTemplate(this.connectionFactory);
		this.store = RedisGroupStores.create(this.connectionFactory, this.prefix, Duration.ofMinutes(5));
	}

	@AfterEach
	void destroyContainers() throws Exception {
		this.containers.destroyAll();
	}

	@Test
	void anUpdateCreatesTheGroupAndFindReadsItBack() {
		assertThat(this.store.find("g")).isNull();
		String result = update(this.store, "g", Map.of("counter", "{\"count\":1}"));
		assertThat(result).isEqualTo("done");
		StoredGroup found = this.store.find("g");
		assertThat(found).isNotNull();
		assertThat(found.id()).isEqualTo("g");
		assertThat(found.exists()).isTrue();
		assertThat(found.version()).isEqualTo(1);
		assertThat(found.attributes()).containsEntry("counter", "{\"count\":1}");
	}

	@Test
	void eachVersionedUpdateSeesTheLastOneAndRaisesTheVersionByOne() {
		for (int i = 1; i <= 5; i++) {
			int expected = i - 1;
			this.store.update("g", (current) -> {
				assertThat(current.version()).isEqualTo(expected);
				return new GroupUpdate<>(Map.of("n", String.valueOf(expected + 1)), true, null, (committed) -> {
				});
			});
		}
		StoredGroup found = this.store.find("g");
		assertThat(found.version()).isEqualTo(5);
		assertThat(found.attributes()).containsEntry("n", "5");
	}

	@Test
	void anUpdateRemovesAnAttributeSetToNull() {
		update(this.store, "g", Map.of("a", "1", "b", "2"));
		Map<String, @Nullable String> removeA = new java.util.HashMap<>();
		removeA.put("a", null);
		update(this.store, "g", removeA);
		assertThat(this.store.find("g").attributes()).containsOnlyKeys("b");
	}

	@Test
	void aStoreOfAnotherInstanceSeesTheCommitsOfThisOne() {
		GroupStore other = RedisGroupStores.create(redis.connectionFactory(), this.prefix, Duration.ofMinutes(5));
		update(this.store, "shared", Map.of("a", "1"));
		update(other, "shared", Map.of("b", "2"));
		update(this.store, "shared", Map.of("c", "3"));
		StoredGroup found = other.find("shared");
		assertThat(found.attributes()).containsOnlyKeys("a", "b", "c");
		assertThat(found.version()).isEqualTo(3);
	}

	@Test
	void deleteRemovesTheGroup() {
		update(this.store, "g", Map.of("a", "1"));
		this.store.delete("g");
		assertThat(this.store.find("g")).isNull();
		assertThat(this.template.hasKey(key("g"))).isFalse();
		update(this.store, "g", Map.of("b", "2"));
		assertThat(this.store.find("g").attributes()).as("created anew").containsOnlyKeys("b");
	}

	@Test
	void touchSlidesTheExpiryOfExistingGroupsAndCreatesNone() {
		update(this.store, "g", Map.of("a", "1"));
		this.template.expire(key("g"), Duration.ofSeconds(10));
		this.store.touch(List.of("g", "absent"));
		assertThat(this.template.getExpire(key("g"), TimeUnit.SECONDS)).isGreaterThan(60);
		assertThat(this.template.hasKey(key("absent"))).isFalse();
		assertThat(this.store.find("g").version()).as("a touch is no change").isEqualTo(1);
	}

	@Test
	void withADeliveryChannelTheCommitPublishesItsStateFrame() throws Exception {
		RedisDeliveryChannel delivery = new RedisDeliveryChannel(this.connectionFactory,
				this.containers.create(this.connectionFactory), new LocalDelivery(ConnectionRegistries.inMemory()),
				this.prefix + "deliveries", "instance-1", Set::of, (groupId) -> Frame.state("{}", 0), 16);
		try {
			GroupStore announcing = RedisGroupStores.create(this.connectionFactory, this.prefix, Duration.ofMinutes(5),
					3, delivery);
			assertThat(announcing.publishesAnnouncements()).isTrue();
			BlockingQueue<String> messages = new LinkedBlockingQueue<>();
			RedisConnection subscriber = this.connectionFactory.getConnection();
			subscriber.subscribe((message, pattern) -> messages.add(new String(message.getBody())),
					(this.prefix + "deliveries").getBytes());
			Thread.sleep(200);
			announcing.update("g",
					(current) -> new GroupUpdate<>(
							Map.of("a", "1"), true, null, (committed) -> Frame
								.state("{\"type\":\"state\",\"v\":" + committed.version() + "}", committed.version()),
							(committed) -> {
							}));
			String message = messages.poll(5, TimeUnit.SECONDS);
			assertThat(message).isNotNull();
			TargetCodec.Decoded decoded = new TargetCodec(JsonMapper.builder().build()).decode(message,
					(groupId) -> Frame.state("{}", 1));
			assertThat(decoded.origin()).isEqualTo("instance-1");
			assertThat(decoded.target()).isEqualTo(BroadcastTarget.groups("g"));
			assertThat(decoded.frame().getStateVersion()).isEqualTo(1);
			assertThat(decoded.frame().getText()).isEqualTo("{\"type\":\"state\",\"v\":1}");
			subscriber.close();
		}
		finally {
			delivery.destroy();
		}
	}

	private String key(String groupId) {
		return this.prefix + "groups:sessions:{" + groupId + "}";
	}

	private static String update(GroupStore store, String groupId, Map<String, @Nullable String> changes) {
		return store.update(groupId, (current) -> new GroupUpdate<>(changes, true, "done", (committed) -> {
		}));
	}

}
