package io.livesession.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.livesession.GroupIdPage;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupUpdate;
import io.livesession.test.RedisTestConnections;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link GroupKeyScan}: the ids of the groups of a Redis store, paged with
 * {@code SCAN}.
 */
class GroupKeyScanTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	LettuceConnectionFactory connectionFactory;

	GroupStore store;

	// A glob character in the prefix must not widen the match.
	final String prefix = "test-" + UUID.randomUUID() + "*:";

	@BeforeEach
	void connect() {
		this.connectionFactory = redis.connectionFactory();
		this.store = RedisGroupStores.create(this.connectionFactory, this.prefix, Duration.ofMinutes(5));
	}

	@Test
	void idsPagesThroughEveryGroupOfTheStoreAndNoOtherKey() {
		for (int i = 0; i < 250; i++) {
			create("g" + i);
		}
		StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);
		template.opsForValue().set(this.prefix + "groups:other", "x");
		template.opsForValue().set("test-other:groups:sessions:{stranger}", "x");
		Set<String> seen = new HashSet<>();
		String cursor = GroupIdPage.FIRST;
		int pages = 0;
		while (cursor != null) {
			GroupIdPage page = this.store.ids(cursor, 50);
			seen.addAll(page.ids());
			cursor = page.nextCursor();
			pages++;
		}
		assertThat(seen).hasSize(250).allMatch((id) -> id.matches("g\\d+"));
		assertThat(pages).isGreaterThan(1);
	}

	@Test
	void idsOfAnEmptyStoreIsOneLastPage() {
		GroupIdPage page = this.store.ids(GroupIdPage.FIRST, 10);
		assertThat(page.ids()).isEmpty();
		assertThat(page.isLast()).isTrue();
	}

	@Test
	void aCursorThatIsNotANumberIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.ids("after:x", 10));
	}

	@Test
	void idsWithoutRedisAnswerUnavailable() {
		try (RedisTestServer gone = RedisTestServer.start()) {
			GroupStore unreachable = RedisGroupStores.create(redis.connectionFactory(gone), this.prefix,
					Duration.ofMinutes(5));
			gone.stop();
			assertThatExceptionOfType(SessionGroupUnavailableException.class)
				.isThrownBy(() -> unreachable.ids(GroupIdPage.FIRST, 10));
		}
	}

	private void create(String groupId) {
		this.store.update(groupId, (current) -> new GroupUpdate<>(Map.of("a", "1"), true, null, (committed) -> {
		}));
	}

}
