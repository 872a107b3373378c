package io.livesession.benchmarks.raw;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.livesession.benchmarks.BenchProperties;
import io.livesession.benchmarks.BroadcastTimer;
import io.livesession.benchmarks.ServerStats;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Server R, the baseline limit: a plain {@code WebSocketHandler} that keeps sessions in
 * maps by user and group and loops {@code sendMessage} over the pre-selected recipients.
 * Sessions are wrapped in Spring's {@link ConcurrentWebSocketSessionDecorator} with
 * livesession's default limits (512 KB, 10 s), as any correct multi-threaded sender must.
 *
 * @author livesession
 */
@SpringBootApplication
public class RawBenchServer {

	public static void main(String[] args) {
		new SpringApplicationBuilder(RawBenchServer.class)
			.properties(
					BenchProperties.common(BenchProperties.REDIS_EXCLUDES + "," + BenchProperties.LIVESESSION_EXCLUDES))
			.run(args);
	}

	static final class Sessions extends TextWebSocketHandler {

		final Map<String, WebSocketSession> all = new ConcurrentHashMap<>();

		final Map<String, Set<WebSocketSession>> byUser = new ConcurrentHashMap<>();

		final Map<String, Set<WebSocketSession>> byGroup = new ConcurrentHashMap<>();

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			WebSocketSession safe = new ConcurrentWebSocketSessionDecorator(session, 10_000, 512 * 1024);
			this.all.put(session.getId(), safe);
			Map<String, List<String>> query = UriComponentsBuilder.fromUri(session.getUri()).build().getQueryParams();
			String user = query.getOrDefault("u", List.of()).stream().findFirst().orElse(null);
			String group = query.getOrDefault("g", List.of()).stream().findFirst().orElse(null);
			session.getAttributes().put("u", user);
			session.getAttributes().put("g", group);
			if (user != null) {
				this.byUser.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet()).add(safe);
			}
			if (group != null) {
				this.byGroup.computeIfAbsent(group, (key) -> ConcurrentHashMap.newKeySet()).add(safe);
			}
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			// The raw echo round trip P5 compares livesession's action round trip with.
			WebSocketSession safe = this.all.get(session.getId());
			if (safe != null) {
				safe.sendMessage(message);
			}
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			WebSocketSession safe = this.all.remove(session.getId());
			if (safe == null) {
				return;
			}
			remove(this.byUser, (String) session.getAttributes().get("u"), safe);
			remove(this.byGroup, (String) session.getAttributes().get("g"), safe);
		}

		private static void remove(Map<String, Set<WebSocketSession>> index, String key, WebSocketSession session) {
			if (key != null) {
				index.computeIfPresent(key, (k, set) -> {
					set.remove(session);
					return set.isEmpty() ? null : set;
				});
			}
		}

		Collection<WebSocketSession> select(String target) {
			if (target.startsWith("user:")) {
				return new ArrayList<>(this.byUser.getOrDefault(target.substring(5), Set.of()));
			}
			if (target.startsWith("group:")) {
				return new ArrayList<>(this.byGroup.getOrDefault(target.substring(6), Set.of()));
			}
			return new ArrayList<>(this.all.values());
		}

		int send(Collection<WebSocketSession> recipients, String payload) {
			TextMessage message = new TextMessage(payload);
			int sent = 0;
			for (WebSocketSession session : recipients) {
				try {
					session.sendMessage(message);
					sent++;
				}
				catch (Exception ex) {
					// A failing session never stops the others.
				}
			}
			return sent;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class WebSocketConfig implements WebSocketConfigurer {

		static final Sessions SESSIONS = new Sessions();

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(SESSIONS, "/raw")
				.setHandshakeHandler(new DefaultHandshakeHandler(BenchProperties.upgradeStrategy()));
		}

	}

	@RestController
	static class BenchController {

		@PostMapping("/bench/broadcast")
		Map<String, Object> broadcast(@RequestParam(defaultValue = "1") int count,
				@RequestParam(defaultValue = "100") int size, @RequestParam(defaultValue = "all") String target,
				@RequestParam(defaultValue = "0") long intervalMicros) {
			Sessions sessions = WebSocketConfig.SESSIONS;
			return BroadcastTimer.run(count, size, target, intervalMicros,
					(payload) -> sessions.send(sessions.select(target), payload));
		}

		@GetMapping("/bench/stats")
		Map<String, Object> stats(@RequestParam(defaultValue = "false") boolean gc) {
			return ServerStats.read(gc, WebSocketConfig.SESSIONS.all.size());
		}

	}

}
