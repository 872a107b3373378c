package io.livesession.benchmarks.live;

import java.util.Map;
import java.util.Set;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.GroupInitializer;
import io.livesession.GroupResolver;
import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveController;
import io.livesession.SessionGroups;
import io.livesession.Topics;
import io.livesession.benchmarks.BenchProperties;
import io.livesession.benchmarks.BroadcastTimer;
import io.livesession.benchmarks.ServerStats;
import io.livesession.identity.LiveUser;
import io.livesession.identity.UserResolver;
import io.livesession.redis.RedisDeliveryChannel;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server P: a Boot app using livesession. Connections carry their user ({@code ?u=}) and
 * group ({@code ?g=}) in the URL so the load generator needs no login.
 *
 * @author livesession
 */
@SpringBootApplication
public class LiveBenchServer {

	static final String ATTRIBUTE = "counter";

	public static void main(String[] args) {
		new SpringApplicationBuilder(LiveBenchServer.class)
			.properties(BenchProperties.common(BenchProperties.REDIS_EXCLUDES))
			.properties("livesession.store=memory")
			// The load generator sends actions back to back, far above a browser's rate:
			// it measures the engine, not the limiter.
			.properties("livesession.rate-limit.enabled=false")
			// Its thousands of clients all connect from the load generator's address.
			.properties("livesession.limits.max-connections-per-address=0",
					"livesession.limits.new-groups-per-address-per-minute=0", "livesession.limits.max-connections=0",
					"livesession.limits.max-connections-per-user=0")
			.run(args);
	}

	@Bean
	UserResolver benchUserResolver() {
		return (request) -> {
			String user = request.getParameter("u");
			return (user != null) ? new LiveUser(user, () -> user, Set.of()) : null;
		};
	}

	@Bean
	GroupResolver benchGroupResolver() {
		return (request) -> {
			String group = UriComponentsBuilder.fromUri(request.getRequest().getURI())
				.build()
				.getQueryParams()
				.getFirst("g");
			return (group != null) ? group : "anon:" + request.getAnonymousId();
		};
	}

	@Bean
	GroupInitializer counterInitializer() {
		return (state) -> state.setAttribute(ATTRIBUTE, new Counter(0));
	}

	/**
	 * The counter's state.
	 *
	 * @param count the count
	 */
	record Counter(int count) {
	}

	@LiveController
	static class CounterActions {

		@LiveAction("increment")
		Counter increment(GroupState state) {
			Counter current = state.getAttribute(ATTRIBUTE, Counter.class);
			Counter next = new Counter(((current != null) ? current.count() : 0) + 1);
			state.setAttribute(ATTRIBUTE, next);
			return next;
		}

	}

	@RestController
	static class BenchController {

		private final Broadcaster broadcaster;

		private final ConnectionRegistry registry;

		private final SessionGroups groups;

		private final ObjectProvider<RedisDeliveryChannel> redis;

		private final Topics topics;

		private final JsonMapper mapper = JsonMapper.builder().build();

		BenchController(Broadcaster broadcaster, ConnectionRegistry registry, SessionGroups groups,
				ObjectProvider<RedisDeliveryChannel> redis, Topics topics) {
			this.broadcaster = broadcaster;
			this.registry = registry;
			this.groups = groups;
			this.redis = redis;
			this.topics = topics;
		}

		/** Join every connection of a group to the topic {@code room-<group>} (P2). */
		@PostMapping("/bench/join")
		int join(@RequestParam String group) {
			return this.topics.join(BroadcastTarget.groups(group), "room-" + group);
		}

		/** What this instance received from Redis (P7), 0 in memory. */
		@GetMapping("/bench/redis")
		Map<String, Object> redis() {
			RedisDeliveryChannel channel = this.redis.getIfAvailable();
			return Map.of("received", (channel != null) ? channel.getReceivedCount() : 0L, "routedChannels",
					(channel != null) ? channel.getRoutedChannelCount() : 0);
		}

		@PostMapping("/bench/broadcast")
		Map<String, Object> broadcast(@RequestParam(defaultValue = "1") int count,
				@RequestParam(defaultValue = "100") int size, @RequestParam(defaultValue = "all") String target,
				@RequestParam(defaultValue = "0") long intervalMicros) {
			BroadcastTarget resolved = target(target);
			if (resolved instanceof BroadcastTarget.Topic) {
				// A topic's payload becomes the publication's data: an object, so that
				// the
				// load generator reads the same fields as in a raw frame.
				return BroadcastTimer.run(count, size, target, intervalMicros,
						(payload) -> this.broadcaster.send(resolved, this.mapper.readTree(payload)));
			}
			return BroadcastTimer.run(count, size, target, intervalMicros,
					(payload) -> this.broadcaster.send(resolved, payload));
		}

		@GetMapping("/bench/stats")
		Map<String, Object> stats(@RequestParam(defaultValue = "false") boolean gc) {
			return ServerStats.read(gc, this.registry.getConnectionCount());
		}

		@GetMapping("/bench/count")
		int count(@RequestParam String group) {
			Counter counter = this.groups.get(group).getAttribute(ATTRIBUTE, Counter.class);
			return (counter != null) ? counter.count() : 0;
		}

		private static BroadcastTarget target(String target) {
			if (target.startsWith("user:")) {
				return BroadcastTarget.users(target.substring(5));
			}
			if (target.startsWith("group:")) {
				return BroadcastTarget.groups(target.substring(6));
			}
			if (target.startsWith("topic:")) {
				return BroadcastTarget.topic(target.substring(6));
			}
			return BroadcastTarget.all();
		}

	}

}
