package io.livesession.redis;

import java.time.Duration;
import java.util.UUID;

import io.livesession.Frame;
import io.livesession.group.GroupVersionConflictException;
import io.livesession.test.RedisTestConnections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.data.redis.RedisSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FencedRedisSessionRepository} against a private Redis.
 */
class FencedRedisSessionRepositoryTests {

	@RegisterExtension
	static final RedisTestConnections redis = new RedisTestConnections();

	private final String prefix = "test-" + UUID.randomUUID() + ":groups";

	private LettuceConnectionFactory factory;

	private StringRedisTemplate template;

	@BeforeEach
	void connect() {
		this.factory = redis.connectionFactory();
		this.template = new StringRedisTemplate(this.factory);
	}

	private FencedRedisSessionRepository repository(String instance) {
		return new FencedRedisSessionRepository(this.template, this.prefix, Duration.ofMinutes(5),
				(groupId) -> "ch-" + this.prefix, (groupId, frame) -> groupId + ":" + frame.getText(), instance);
	}

	@Test
	void aSaveFromAStaleReadCommitsNothingAndCarriesTheCurrentGroup() {
		FencedRedisSessionRepository a = repository("a");
		FencedRedisSessionRepository b = repository("b");
		GroupSession created = a.create("g");
		created.setAttribute("livesession:version", 0L);
		created.setAttribute("count", "0");
		a.save(created);
		GroupSession readByA = a.findById("g");
		GroupSession readByB = b.findById("g");
		readByA.setAttribute("count", "1");
		readByA.setAttribute("livesession:version", 1L);
		a.save(readByA);
		readByB.setAttribute("count", "100");
		readByB.setAttribute("livesession:version", 1L);
		GroupVersionConflictException conflict = assertThatExceptionOfType(GroupVersionConflictException.class)
			.isThrownBy(() -> b.save(readByB))
			.actual();
		Session current = conflict.getCurrent();
		assertThat(current).isNotNull();
		assertThat((String) current.getAttribute("count")).isEqualTo("1");
		assertThat(a.findById("g").<String>getAttribute("count")).isEqualTo("1");
		assertThat(this.template.getExpire(a.key("g"))).isPositive();
	}

	@Test
	void aNewGroupIsCreatedOnceWhenTwoInstancesCreateItAtOnce() {
		FencedRedisSessionRepository a = repository("a");
		FencedRedisSessionRepository b = repository("b");
		GroupSession byA = a.create("new");
		byA.setAttribute("count", "1");
		GroupSession byB = b.create("new");
		byB.setAttribute("count", "2");
		a.save(byA);
		assertThatExceptionOfType(GroupVersionConflictException.class).isThrownBy(() -> b.save(byB));
		assertThat(b.findById("new").<String>getAttribute("count")).isEqualTo("1");
	}

	@Test
	void anInstanceThatLostARaceHasTheNextCommitToItselfForAMoment() {
		FencedRedisSessionRepository a = repository("a");
		FencedRedisSessionRepository b = repository("b");
		GroupSession created = a.create("turn");
		created.setAttribute("livesession:version", 0L);
		a.save(created);
		GroupSession staleB = b.findById("turn");
		GroupSession readByA = a.findById("turn");
		readByA.setAttribute("livesession:version", 1L);
		a.save(readByA);
		staleB.setAttribute("livesession:version", 1L);
		// b lost: it takes the turn, so a's next commit, though from a fresh read, waits.
		GroupVersionConflictException conflict = assertThatExceptionOfType(GroupVersionConflictException.class)
			.isThrownBy(() -> b.save(staleB))
			.actual();
		assertThat(this.template.opsForValue().get(b.turnKey("turn"))).isEqualTo("b");
		GroupSession freshA = a.findById("turn");
		freshA.setAttribute("livesession:version", 2L);
		assertThatExceptionOfType(GroupVersionConflictException.class).isThrownBy(() -> a.save(freshA));
		GroupSession retryB = (GroupSession) conflict.getCurrent();
		retryB.setAttribute("livesession:version", 2L);
		b.save(retryB);
		assertThat(this.template.hasKey(b.turnKey("turn"))).isFalse();
		assertThat(a.findById("turn").<Number>getAttribute("livesession:version").longValue()).isEqualTo(2L);
	}

	@Test
	void aCommitPublishesItsAnnouncementInTheSameStep() throws Exception {
		FencedRedisSessionRepository a = repository("a");
		java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
		this.factory.getConnection()
			.subscribe((message, pattern) -> messages.add(new String(message.getBody())),
					("ch-" + this.prefix).getBytes());
		Thread.sleep(200);
		GroupSession created = a.create("announced");
		created.setAttribute("count", "1");
		a.save(created, Frame.state("{\"v\":1}", 1));
		assertThat(messages.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("announced:{\"v\":1}");
	}

	@Test
	void groupsAreStoredInTheHashLayoutSpringSessionReads() {
		FencedRedisSessionRepository a = repository("a");
		GroupSession created = a.create("layout");
		created.setAttribute("livesession:version", 3L);
		created.setAttribute("counter", "{\"count\":3}");
		a.save(created);
		RedisTemplate<String, Object> json = new RedisTemplate<>();
		json.setConnectionFactory(this.factory);
		json.setKeySerializer(RedisSerializer.string());
		json.setHashKeySerializer(RedisSerializer.string());
		RedisSerializer<Object> values = new JacksonJsonRedisSerializer<>(JsonMapper.builder().build(), Object.class);
		json.setValueSerializer(values);
		json.setHashValueSerializer(values);
		json.afterPropertiesSet();
		RedisSessionRepository springSession = new RedisSessionRepository(json);
		springSession.setRedisKeyNamespace(this.prefix);
		// The braces of the hash tag are part of the session id Spring Session sees.
		Session read = springSession.findById("{layout}");
		assertThat(read).isNotNull();
		assertThat((String) read.getAttribute("counter")).isEqualTo("{\"count\":3}");
		assertThat(((Number) read.getAttribute("livesession:version")).longValue()).isEqualTo(3);
		assertThat(read.getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void theNextStepRunsOnTheLastCommitWithoutARead() {
		FencedRedisSessionRepository a = repository("a");
		GroupSession created = a.create("kept");
		created.setAttribute("livesession:version", 1L);
		created.setAttribute("count", "1");
		a.save(created);
		// Changed behind the repository's back: a step on the kept copy shows it was not
		// read again.
		this.template.opsForHash().put(a.key("kept"), "sessionAttr:note", "\"unseen\"");
		GroupSession next = a.findForUpdate("kept");
		assertThat(next.<String>getAttribute("count")).isEqualTo("1");
		assertThat(next.<String>getAttribute("note")).isNull();
		assertThat(a.findById("kept").<String>getAttribute("note")).isEqualTo("unseen");
	}

	@Test
	void aCopyMadeStaleByAnotherInstanceCostsOneConflictCarryingTheStoredGroup() {
		FencedRedisSessionRepository a = repository("a");
		FencedRedisSessionRepository b = repository("b");
		GroupSession created = a.create("stale");
		created.setAttribute("livesession:version", 1L);
		created.setAttribute("count", "1");
		a.save(created);
		GroupSession byB = b.findForUpdate("stale");
		byB.setAttribute("livesession:version", 2L);
		byB.setAttribute("count", "2");
		b.save(byB);
		GroupSession keptByA = a.findForUpdate("stale");
		assertThat(keptByA.<String>getAttribute("count")).isEqualTo("1");
		keptByA.setAttribute("livesession:version", 2L);
		keptByA.setAttribute("count", "100");
		GroupVersionConflictException conflict = assertThatExceptionOfType(GroupVersionConflictException.class)
			.isThrownBy(() -> a.save(keptByA))
			.actual();
		assertThat((String) conflict.getCurrent().getAttribute("count")).isEqualTo("2");
		// The conflict's answer is kept: the re-run starts from it.
		assertThat(a.findForUpdate("stale").<String>getAttribute("count")).isEqualTo("2");
		assertThat(b.findById("stale").<String>getAttribute("count")).isEqualTo("2");
	}

	@Test
	void aStepThatChangesNothingOnAStaleCopyIsFencedSoItsResultIsNeverStale() {
		FencedRedisSessionRepository a = repository("a");
		FencedRedisSessionRepository b = repository("b");
		GroupSession created = a.create("read-only");
		created.setAttribute("livesession:version", 1L);
		a.save(created);
		GroupSession byB = b.findById("read-only");
		byB.setAttribute("livesession:version", 2L);
		b.save(byB);
		GroupSession unchanged = a.findForUpdate("read-only");
		assertThatExceptionOfType(GroupVersionConflictException.class).isThrownBy(() -> a.save(unchanged));
		GroupSession fresh = a.findById("read-only");
		// Read fresh, a step that changes nothing only slides the expiry.
		a.save(fresh);
		assertThat(a.findById("read-only").<Number>getAttribute("livesession:version").longValue()).isEqualTo(2L);
	}

	@Test
	void aDeletedGroupIsNotKept() {
		FencedRedisSessionRepository a = repository("a");
		GroupSession created = a.create("deleted");
		created.setAttribute("count", "1");
		a.save(created);
		a.deleteById("deleted");
		assertThat(a.findForUpdate("deleted")).isNull();
	}

}
