package io.livesession.benchmarks.stomp;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.benchmarks.BenchProperties;
import io.livesession.benchmarks.BroadcastTimer;
import io.livesession.benchmarks.ServerStats;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Server S: Spring's STOMP simple broker, what a Spring user would pick today. Clients
 * subscribe to {@code /topic/all}, {@code /topic/g.<group>} and {@code /user/queue/m};
 * the user comes from {@code ?u=} at the handshake.
 *
 * @author livesession
 */
@SpringBootApplication
public class StompBenchServer {

	static final AtomicInteger CONNECTIONS = new AtomicInteger();

	public static void main(String[] args) {
		new SpringApplicationBuilder(StompBenchServer.class)
			.properties(
					BenchProperties.common(BenchProperties.REDIS_EXCLUDES + "," + BenchProperties.LIVESESSION_EXCLUDES))
			.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class BrokerConfig implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/stomp")
				.setHandshakeHandler(new DefaultHandshakeHandler(BenchProperties.upgradeStrategy()) {

					@Override
					protected Principal determineUser(ServerHttpRequest request, WebSocketHandler handler,
							Map<String, Object> attributes) {
						String user = ((ServletServerHttpRequest) request).getServletRequest().getParameter("u");
						return (user != null) ? () -> user : super.determineUser(request, handler, attributes);
					}

				});
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic", "/queue");
			registry.setApplicationDestinationPrefixes("/app");
		}

		@Override
		public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
			// The same limits as livesession's defaults and server R.
			registration.setSendBufferSizeLimit(512 * 1024).setSendTimeLimit(10_000);
		}

		@EventListener
		void connected(SessionConnectedEvent event) {
			CONNECTIONS.incrementAndGet();
		}

		@EventListener
		void disconnected(SessionDisconnectEvent event) {
			CONNECTIONS.decrementAndGet();
		}

	}

	@RestController
	static class BenchController {

		private final SimpMessagingTemplate template;

		BenchController(SimpMessagingTemplate template) {
			this.template = template;
		}

		@PostMapping("/bench/broadcast")
		Map<String, Object> broadcast(@RequestParam(defaultValue = "1") int count,
				@RequestParam(defaultValue = "100") int size, @RequestParam(defaultValue = "all") String target,
				@RequestParam(defaultValue = "0") long intervalMicros) {
			return BroadcastTimer.run(count, size, target, intervalMicros, (payload) -> {
				if (target.startsWith("user:")) {
					this.template.convertAndSendToUser(target.substring(5), "/queue/m", payload);
				}
				else if (target.startsWith("group:")) {
					this.template.convertAndSend("/topic/g." + target.substring(6), payload);
				}
				else {
					this.template.convertAndSend("/topic/all", payload);
				}
				// The broker does not say how many subscribers it reached.
				return 0;
			});
		}

		@GetMapping("/bench/stats")
		Map<String, Object> stats(@RequestParam(defaultValue = "false") boolean gc) {
			return ServerStats.read(gc, CONNECTIONS.get());
		}

	}

}
