package io.livesession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;

/**
 * Publishes a batch of {@link RedisDeliveryChannel}'s broadcasts in one go: each to its
 * routes ({@link DeliveryRoutes}), the classic channels pipelined on one connection and
 * the sharded ones, on a Redis 7+ cluster, through {@link ShardedPubSub}.
 *
 * @author livesession
 */
final class BatchPublisher {

	private static final boolean LETTUCE = ClassUtils.isPresent(
			"io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands", BatchPublisher.class.getClassLoader());

	private final StringRedisTemplate redis;

	private final DeliveryRoutes routes;

	private final @Nullable ShardedPubSub sharded;

	private final Supplier<Set<String>> onlineUsers;

	private final BiFunction<BroadcastTarget, Frame, String> encoder;

	private final Duration timeout;

	BatchPublisher(RedisConnectionFactory connectionFactory, DeliveryRoutes routes, @Nullable ShardedPubSub sharded,
			Supplier<Set<String>> onlineUsers, BiFunction<BroadcastTarget, Frame, String> encoder, Duration timeout) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.timeout = timeout;
		this.routes = routes;
		this.sharded = sharded;
		this.onlineUsers = onlineUsers;
		this.encoder = encoder;
	}

	/**
	 * Publish a batch.
	 * @param batch the broadcasts
	 * @throws RuntimeException if Redis could not be reached
	 */
	void publish(List<Outgoing> batch) {
		List<byte[]> messages = new ArrayList<>(batch.size() * 2);
		List<byte[]> shardMessages = new ArrayList<>();
		for (Outgoing outgoing : batch) {
			BroadcastTarget target = outgoing.target();
			List<DeliveryRoutes.Route> routes;
			if (target instanceof BroadcastTarget.UserFilter filter) {
				// Evaluated here, off the caller's thread, against the cluster's online
				// users, then sent as plain data to every instance.
				routes = List.of(new DeliveryRoutes.Route(this.routes.shared(), new BroadcastTarget.Users(
						this.onlineUsers.get().stream().filter(filter.filter()).collect(Collectors.toSet()))));
			}
			else {
				routes = this.routes.routes(target);
			}
			for (DeliveryRoutes.Route route : routes) {
				List<byte[]> to = (this.sharded != null && !route.channel().equals(this.routes.shared()))
						? shardMessages : messages;
				to.add(route.channel().getBytes(StandardCharsets.UTF_8));
				to.add(this.encoder.apply(route.target(), outgoing.frame()).getBytes(StandardCharsets.UTF_8));
			}
		}
		if (!messages.isEmpty()) {
			this.redis.execute((RedisCallback<Object>) (connection) -> {
				// Not executePipelined: Spring Data Redis pipelines on a dedicated
				// connection, which without a pool is a new TCP connection (connect,
				// handshake, close) per batch. Lettuce's asynchronous API pipelines on
				// the shared one.
				if (LETTUCE && LettuceBatch.publish(connection.getNativeConnection(), messages, this.timeout)) {
					return null;
				}
				for (int i = 0; i + 1 < messages.size(); i += 2) {
					connection.publish(messages.get(i), messages.get(i + 1));
				}
				return null;
			});
		}
		if (this.sharded != null && !shardMessages.isEmpty()) {
			this.sharded.publish(shardMessages);
		}
	}

	/**
	 * A broadcast waiting to be published.
	 *
	 * @param target its target
	 * @param frame its frame
	 */
	record Outgoing(BroadcastTarget target, Frame frame) {
	}

}
