package io.livesession.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Sharded pub/sub ({@code SPUBLISH} / {@code SSUBSCRIBE}) for the routed channels of a
 * Redis Cluster whose masters all run Redis 7 or later: a sharded channel lives on the
 * shard of its slot, so a publish is handled by that shard only, instead of being
 * forwarded to every node of the cluster as a classic {@code PUBLISH} is. Written on
 * Lettuce's own API (the {@link RedisClusterClient} of the
 * {@link LettuceConnectionFactory}, {@code getRequiredNativeClient()}), because Spring
 * Data Redis has no sharded pub/sub. The shared channel stays classic: every instance
 * needs it, and a sharded channel is per slot.
 *
 * <p>
 * Holds two connections of its own: one cluster pub/sub connection
 * ({@link LettuceShardedSubscription}) and one cluster connection that publishes, each
 * {@code SPUBLISH} going to the master of its channel's slot.
 *
 * @author livesession
 */
final class ShardedPubSub implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ShardedPubSub.class);

	/** The first Redis version with sharded pub/sub. */
	static final int MIN_MAJOR_VERSION = 7;

	private final StatefulRedisClusterConnection<byte[], byte[]> publisher;

	private final LettuceShardedSubscription subscription;

	private final Duration timeout;

	private ShardedPubSub(StatefulRedisClusterConnection<byte[], byte[]> publisher,
			LettuceShardedSubscription subscription, Duration timeout) {
		this.publisher = publisher;
		this.subscription = subscription;
		this.timeout = timeout;
	}

	/**
	 * Sharded pub/sub when the factory is Lettuce's in cluster mode and every master runs
	 * Redis 7 or later; otherwise none, and routed channels stay classic. Every instance
	 * of an application must decide alike, so a cluster that cannot be asked fails here
	 * rather than falling back to classic channels the others would not hear.
	 * @param connectionFactory the connection factory
	 * @param name the shared channel, the prefix of the routed ones
	 * @param handler what to do with a message's body
	 * @param timeout the longest time a command may take
	 * @return the sharded pub/sub, or {@code null} for classic channels
	 */
	static @Nullable ShardedPubSub open(RedisConnectionFactory connectionFactory, String name, Consumer<String> handler,
			Duration timeout) {
		if (!(connectionFactory instanceof LettuceConnectionFactory lettuce) || !lettuce.isClusterAware()
				|| !(lettuce.getRequiredNativeClient() instanceof RedisClusterClient client)) {
			return null;
		}
		if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
			// The hash tag of a routed channel would be the name's, not its user's or
			// group's: a group's commit could not publish to its channel.
			logger.warn("The channel " + name + " has braces: its routed channels stay classic");
			return null;
		}
		StatefulRedisClusterConnection<byte[], byte[]> publisher = client.connect(ByteArrayCodec.INSTANCE);
		try {
			int version = lowestMajorVersion(publisher, timeout);
			if (version < MIN_MAJOR_VERSION) {
				logger
					.info("Redis Cluster " + version + ".x has no sharded pub/sub: " + name + " uses classic channels");
				publisher.close();
				return null;
			}
			StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub(StringCodec.UTF8);
			return new ShardedPubSub(publisher,
					new LettuceShardedSubscription(pubSub, client.getResources().eventBus(), name, handler), timeout);
		}
		catch (RuntimeException ex) {
			publisher.close();
			throw ex;
		}
	}

	/**
	 * The lowest major version of the cluster's masters that serve slots ({@code INFO
	 * server}), of those that answer: a master that died is listed until it is forgotten,
	 * and one that just died does not stop an instance from starting.
	 */
	private static int lowestMajorVersion(StatefulRedisClusterConnection<byte[], byte[]> connection, Duration timeout) {
		int lowest = Integer.MAX_VALUE;
		RuntimeException failure = null;
		for (CompletableFuture<String> info : connection.async()
			.nodes((node) -> node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.is(RedisClusterNode.NodeFlag.FAIL)
					&& !node.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL) && !node.getSlots().isEmpty())
			.commands()
			.info("server")) {
			try {
				lowest = Math.min(lowest, majorVersion(await(info, timeout)));
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (lowest == Integer.MAX_VALUE) {
			throw new IllegalStateException("No master of the Redis Cluster told its version", failure);
		}
		return lowest;
	}

	private static int majorVersion(String info) {
		for (String line : info.split("\\r?\\n")) {
			if (line.startsWith("redis_version:")) {
				String version = line.substring("redis_version:".length()).trim();
				return Integer.parseInt(version.substring(0, version.indexOf('.')));
			}
		}
		throw new IllegalStateException("No redis_version in INFO server");
	}

	private static String await(CompletableFuture<String> future, Duration timeout) {
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not read the Redis Cluster's version", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading the Redis Cluster's version", ex);
		}
	}

	/**
	 * The subscription of the sharded channels.
	 * @return the subscription
	 */
	LettuceShardedSubscription subscription() {
		return this.subscription;
	}

	/**
	 * Publish messages with {@code SPUBLISH}, all sent before the first answer is
	 * awaited.
	 * @param channelsAndMessages channel, message, channel, message, ...
	 * @throws IllegalStateException when a publish failed or was not answered in time
	 */
	void publish(List<byte[]> channelsAndMessages) {
		LettuceBatch.publish(channelsAndMessages, this.publisher.async()::spublish, this.timeout, "SPUBLISH");
	}

	@Override
	public void close() {
		this.subscription.close();
		this.publisher.close();
	}

}
