package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Publishes messages on Lettuce's asynchronous commands, every one written before the
 * first answer is awaited: a pipeline on a connection already open, which Spring Data
 * Redis's {@code executePipelined} cannot do (it pipelines on a dedicated connection).
 * Lettuce's types stay in this class, so that its callers load without Lettuce (e.g. on
 * Jedis) as long as they check for it first.
 *
 * @author livesession
 */
final class LettuceBatch {

	private LettuceBatch() {
	}

	/**
	 * Publish with {@code PUBLISH} on a connection's native commands, if they are
	 * Lettuce's.
	 * @param nativeConnection what {@code RedisConnection.getNativeConnection()} returned
	 * @param channelsAndMessages channel, message, channel, message, ...
	 * @param timeout how long to wait for all answers
	 * @return whether the connection was Lettuce's, so the messages were published
	 * @throws IllegalStateException when a publish was not answered in time
	 */
	@SuppressWarnings("unchecked")
	static boolean publish(Object nativeConnection, List<byte[]> channelsAndMessages, Duration timeout) {
		if (!(nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands)) {
			return false;
		}
		publish(channelsAndMessages, ((RedisClusterAsyncCommands<byte[], byte[]>) commands)::publish, timeout,
				"PUBLISH");
		return true;
	}

	/**
	 * Publish and await every answer.
	 * @param channelsAndMessages channel, message, channel, message, ...
	 * @param publish sends one message, e.g. {@code PUBLISH} or {@code SPUBLISH}
	 * @param timeout how long to wait for all answers
	 * @param command the command's name, for the failure
	 * @throws IllegalStateException when a publish was not answered in time
	 */
	static void publish(List<byte[]> channelsAndMessages, BiFunction<byte[], byte[], RedisFuture<Long>> publish,
			Duration timeout, String command) {
		RedisFuture<?>[] sent = new RedisFuture<?>[channelsAndMessages.size() / 2];
		for (int i = 0; i + 1 < channelsAndMessages.size(); i += 2) {
			sent[i / 2] = publish.apply(channelsAndMessages.get(i), channelsAndMessages.get(i + 1));
		}
		if (!LettuceFutures.awaitAll(timeout, sent)) {
			throw new IllegalStateException(command + " was not answered within " + timeout);
		}
	}

}
