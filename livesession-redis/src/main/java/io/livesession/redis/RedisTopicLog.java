package io.livesession.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.livesession.SessionGroupUnavailableException;
import io.livesession.protocol.ProtocolFrames;
import io.livesession.topic.TopicLog;
import io.livesession.topic.TopicPosition;
import io.livesession.topic.TopicPublication;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;
import org.springframework.util.PatternMatchUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link TopicLog} of the whole cluster on Redis Streams. Each recoverable topic has
 * three keys with the hash tag of the topic, so one slot on a Redis Cluster:
 * {@code <prefix>topic:{<topic>}:log} (a stream whose entry ids are the offsets),
 * {@code :offset} (the last offset) and {@code :epoch}. One script appends: it takes the
 * next offset, adds the entry (trimming the stream to about the history size), renews the
 * time to live of all three keys and, given the {@link RedisDeliveryChannel}, publishes
 * the publication frame on the topic's channel, so that every instance receives a topic's
 * publications in offset order and the channel does not publish them again. A topic whose
 * keys are gone (expired after a history time to live without publications, or lost with
 * a Redis restart) starts again under a new random epoch, so that clients holding an old
 * offset are told they cannot recover.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RedisTopicLog implements TopicLog {

	/** See {@code topic-append.lua}. */
	private static final RedisScript<List> APPEND = LuaScripts.load("topic-append.lua", List.class);

	/** See {@code topic-read.lua}. */
	private static final RedisScript<List> READ = LuaScripts.load("topic-read.lua", List.class);

	private static final SecureRandom random = new SecureRandom();

	private final StringRedisTemplate redis;

	private final @Nullable RedisDeliveryChannel delivery;

	/** The end of a publication frame of offset 0 and epoch {@code e}. */
	private static final String FRAME_TAIL = ",\"offset\":0,\"epoch\":\"e\"}";

	private final ProtocolFrames frames = new ProtocolFrames(JsonMapper.builder().build());

	private final String keyPrefix;

	private final String[] recoverable;

	private final int historySize;

	private final Duration historyTtl;

	/**
	 * Create the log.
	 * @param connectionFactory the connection factory, best livesession's bounded one
	 * ({@link LiveRedisConnections})
	 * @param delivery the delivery channel whose subscribers receive each publication,
	 * published by the append itself; {@code null} to leave publishing to the caller
	 * @param keyPrefix the prefix of every key, e.g. {@code livesession:}
	 * @param recoverable the names of the recoverable topics, {@code *} matching any
	 * characters
	 * @param historySize how many of a topic's last publications are kept
	 * @param historyTtl how long a topic's history is kept after its last publication
	 */
	public RedisTopicLog(RedisConnectionFactory connectionFactory, @Nullable RedisDeliveryChannel delivery,
			String keyPrefix, List<String> recoverable, int historySize, Duration historyTtl) {
		Assert.isTrue(historySize > 0, "'historySize' must be positive");
		Assert.isTrue(historyTtl.toMillis() > 0, "'historyTtl' must be positive");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.delivery = delivery;
		if (delivery != null) {
			delivery.leavePublicationsToLog();
		}
		this.keyPrefix = keyPrefix;
		this.recoverable = recoverable.toArray(String[]::new);
		this.historySize = historySize;
		this.historyTtl = historyTtl;
	}

	@Override
	public boolean isRecoverable(String topic) {
		return PatternMatchUtils.simpleMatch(this.recoverable, topic);
	}

	@Override
	public TopicPublication append(String topic, String data) {
		List<String> args = new ArrayList<>(10);
		args.add(data);
		args.add(String.valueOf(this.historySize));
		args.add(String.valueOf(this.historyTtl.toMillis()));
		args.add(newEpoch());
		if (this.delivery != null) {
			args.add(this.delivery.topicChannel(topic));
			args.addAll(this.delivery.publicationPieces(topic, frameHead(topic, data), ",\"epoch\":\"", "\"}"));
			// A sharded topic channel is in the topic's slot, as the script's keys.
			args.add(this.delivery.isSharded() ? "s" : "");
		}
		else {
			args.add("");
		}
		List<?> result = execute(APPEND, topic, args);
		return new TopicPublication(topic, ((Number) result.get(0)).longValue(), (String) result.get(1), data);
	}

	/**
	 * The publication frame before its offset, as {@link ProtocolFrames} writes it: its
	 * offset and epoch are its last fields.
	 */
	String frameHead(String topic, String data) {
		String text = this.frames.publication(topic, data, 0, "e").getText();
		Assert.state(text.endsWith(FRAME_TAIL), () -> "Not a publication ending with its offset and epoch: " + text);
		return text.substring(0, text.length() - FRAME_TAIL.length()) + ",\"offset\":";
	}

	@Override
	public TopicPosition position(String topic) {
		List<?> result = execute(READ, topic, List.of("", "0", newEpoch(), String.valueOf(this.historyTtl.toMillis())));
		return new TopicPosition(((Number) result.get(1)).longValue(), (String) result.get(0));
	}

	@Override
	public @Nullable List<TopicPublication> since(String topic, TopicPosition from) {
		long after = from.offset();
		List<?> result = execute(READ, topic,
				List.of(String.valueOf(after), String.valueOf(this.historySize), "", "0"));
		if (result.isEmpty() || !from.epoch().equals(result.get(0))) {
			return null;
		}
		long last = ((Number) result.get(1)).longValue();
		// Trimming keeps about the history size, sometimes more: the bound is the same
		// as in memory, whatever the stream still holds.
		if (after > last || last - after > this.historySize) {
			return null;
		}
		List<TopicPublication> publications = new ArrayList<>((int) (last - after));
		for (int i = 2; i + 1 < result.size(); i += 2) {
			long offset = Long.parseLong(((String) result.get(i)).split("-", 2)[0]);
			if (offset != after + publications.size() + 1) {
				// A gap: the history no longer reaches back that far.
				return null;
			}
			publications.add(new TopicPublication(topic, offset, from.epoch(), (String) result.get(i + 1)));
		}
		return (publications.size() == last - after) ? publications : null;
	}

	private List<?> execute(RedisScript<List> script, String topic, List<String> args) {
		String base = this.keyPrefix + "topic:{" + topic + "}:";
		try {
			List<?> result = this.redis.execute(script, List.of(base + "log", base + "offset", base + "epoch"),
					args.toArray());
			return (result != null) ? result : List.of();
		}
		catch (DataAccessException ex) {
			throw new SessionGroupUnavailableException("The topic history cannot be reached", ex);
		}
	}

	private static String newEpoch() {
		byte[] bytes = new byte[9];
		random.nextBytes(bytes);
		// URL-safe Base64 needs no JSON escaping: the script writes it into the frame.
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
