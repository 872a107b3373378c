package io.livesession.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.livesession.Broadcaster;
import io.livesession.ConnectInterceptor;
import io.livesession.ConnectionRegistry;
import io.livesession.GroupInitializer;
import io.livesession.GroupResolver;
import io.livesession.action.ActionAuthorizer;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.action.ActionInterceptor;
import io.livesession.action.StrictBinding;
import io.livesession.delivery.Delivery;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.Heartbeats;
import io.livesession.delivery.SendPool;
import io.livesession.endpoint.ConnectionDrain;
import io.livesession.endpoint.LiveEndpoint;
import io.livesession.endpoint.RateLimit;
import io.livesession.group.GroupMaintenance;
import io.livesession.group.GroupStore;
import io.livesession.group.SessionGroupManager;
import io.livesession.http.LiveActionHttpHandler;
import io.livesession.identity.AnonymousCookieFilter;
import io.livesession.identity.AnonymousCookieKey;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.ConnectResolver;
import io.livesession.identity.DefaultGroupResolver;
import io.livesession.identity.UserResolver;
import io.livesession.limits.ConnectionLimits;
import io.livesession.metrics.ActionObservationConvention;
import io.livesession.metrics.BroadcastObservationConvention;
import io.livesession.metrics.LiveMetrics;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.registry.RegistryListener;
import io.livesession.revocation.ConnectionBindings;
import io.livesession.topic.TopicAuthorizer;
import io.livesession.topic.TopicIndex;
import io.livesession.topic.TopicLog;
import io.livesession.websocket.LiveHandshakeHandler;
import io.livesession.websocket.LiveHandshakeInterceptor;
import io.livesession.websocket.LiveWebSocketHandler;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for livesession: session groups in memory, the connection registry,
 * the {@link Broadcaster}, action handler discovery, the anonymous cookie filter, the
 * live WebSocket endpoint and the browser client. Every bean backs off to one the
 * application defines.
 *
 * @author livesession
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebSocketConfigurer.class, JsonMapper.class })
@EnableConfigurationProperties({ LiveSessionProperties.class, LifecycleProperties.class })
@Import({ SchedulingConfiguration.class, StoreConfigurations.RedisStoreConfiguration.class,
		StoreConfigurations.RedisRequiredConfiguration.class, StoreConfigurations.InMemoryStoreConfiguration.class,
		TopicConfiguration.class, LeaderConfigurations.RedisLeaderConfiguration.class,
		LeaderConfigurations.SingleInstanceLeaderConfiguration.class,
		SecurityConfigurations.RevocationConfiguration.class, SecurityConfigurations.SpringSecurityConfiguration.class,
		SecurityConfigurations.CredentialsExpiryConfiguration.class,
		SecurityConfigurations.ActionSecurityConfiguration.class })
public final class LiveSessionAutoConfiguration {

	static JsonMapper jsonMapper(ObjectProvider<JsonMapper> mapper) {
		return mapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

	/**
	 * The mapper that reads what clients send: strict unless relaxed by
	 * {@code livesession.actions.strict-binding=false}.
	 */
	static JsonMapper actionMapper(ObjectProvider<JsonMapper> mapper, LiveSessionProperties properties) {
		JsonMapper application = jsonMapper(mapper);
		return properties.getActions().isStrictBinding() ? StrictBinding.strict(application) : application;
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConnectionRegistry liveConnectionRegistry() {
			return ConnectionRegistries.inMemory();
		}

		@Bean
		@ConditionalOnMissingBean
		Broadcaster liveBroadcaster(ObjectProvider<JsonMapper> mapper, DeliveryChannel channel,
				ObjectProvider<ObservationRegistry> observations,
				ObjectProvider<BroadcastObservationConvention> convention, ObjectProvider<TopicLog> topicLog) {
			return Delivery.broadcaster(jsonMapper(mapper), channel,
					observations.getIfUnique(() -> ObservationRegistry.NOOP), convention.getIfUnique(),
					topicLog.getIfUnique());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GroupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionGroupManager liveSessionGroups(GroupStore store, ObjectProvider<JsonMapper> mapper,
				Broadcaster broadcaster, ObjectProvider<GroupInitializer> initializers,
				LiveSessionProperties properties, ObjectProvider<LiveMetrics> metrics) {
			return new SessionGroupManager(store, jsonMapper(mapper), broadcaster,
					initializers.orderedStream().toList(), properties.getGroup().getMaxSize().toBytes(),
					metrics.getIfUnique(() -> LiveMetrics.NONE));
		}

		@Bean
		@ConditionalOnMissingBean
		GroupMaintenance liveGroupMaintenance(GroupStore store, ConnectionRegistry registry,
				LiveSessionProperties properties,
				@Qualifier(SchedulingConfiguration.TASK_SCHEDULER) TaskScheduler scheduler) {
			Duration timeout = properties.getGroup().getTimeout();
			Duration interval = properties.getGroup().getCleanupInterval();
			// Groups with connections are touched every interval, so it must be well
			// below the timeout for them never to expire.
			Duration half = timeout.dividedBy(2);
			return new GroupMaintenance(store, registry, (interval.compareTo(half) > 0) ? half : interval, scheduler);
		}

		@Bean
		@ConditionalOnMissingBean
		GroupResolver liveGroupResolver() {
			return new DefaultGroupResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ActionHandlerRegistry liveActionHandlers(ApplicationContext context, ObjectProvider<JsonMapper> mapper,
				ObjectProvider<ActionInterceptor> interceptors, ObjectProvider<ActionAuthorizer> authorizer,
				LiveSessionProperties properties) {
			// Without an authorizer (no Spring Security) a guarded action fails startup.
			return new ActionHandlerRegistry(context, actionMapper(mapper, properties),
					interceptors.orderedStream().toList(), authorizer.getIfUnique());
		}

		@Bean
		@ConditionalOnMissingBean
		LiveEndpoint liveEndpoint(ConnectionRegistry registry, SessionGroupManager groups,
				ActionHandlerRegistry actions, ObjectProvider<JsonMapper> mapper,
				ObjectProvider<RegistryListener> listeners, LiveSessionProperties properties,
				ApplicationEventPublisher events, ObjectProvider<ObservationRegistry> observations,
				ObjectProvider<ActionObservationConvention> convention, ObjectProvider<LiveMetrics> metrics,
				ObjectProvider<TopicIndex> topics, ObjectProvider<TopicLog> topicLog,
				ObjectProvider<TopicAuthorizer> topicAuthorizer) {
			LiveSessionProperties.RateLimit limit = properties.getRateLimit();
			RateLimit rateLimit = limit.isEnabled() ? new RateLimit(limit.getFramesPerSecond(), limit.getBurst(),
					limit.getMaxRejections(), limit.getRejectionWindow()) : null;
			LiveEndpoint endpoint = new LiveEndpoint(registry, groups, actions, actionMapper(mapper, properties),
					listeners.orderedStream().toList(), rateLimit, events);
			observations.ifUnique(endpoint::setObservationRegistry);
			endpoint.setObservationConvention(convention.getIfUnique());
			endpoint.setSyncCost(properties.getLimits().getSyncCost().toBytes(),
					metrics.getIfUnique(() -> LiveMetrics.NONE));
			// Without an authorizer every subscribe is refused: server code joins.
			topics
				.ifUnique((index) -> endpoint.setTopics(index, topicLog.getIfUnique(), topicAuthorizer.getIfUnique()));
			return endpoint;
		}

		@Bean
		@ConditionalOnMissingBean
		ConnectionLimits liveConnectionLimits(LiveSessionProperties properties, ObjectProvider<LiveMetrics> metrics) {
			LiveSessionProperties.Limits limits = properties.getLimits();
			return new ConnectionLimits(
					new ConnectionLimits.Settings(limits.getMaxConnectionsPerUser(),
							limits.getMaxConnectionsPerBrowser(), limits.getMaxConnectionsPerAddress(),
							limits.getMaxConnections(), limits.getNewGroupsPerAddressPerMinute()),
					metrics.getIfUnique(() -> LiveMetrics.NONE));
		}

		@Bean
		@ConditionalOnMissingBean
		ConnectionDrain liveConnectionDrain(ConnectionRegistry registry, LiveSessionProperties properties,
				LifecycleProperties lifecycle) {
			// The drain has to end within the phase timeout Spring Boot gives each phase.
			return new ConnectionDrain(registry, properties.getShutdown().getDrainRate(),
					lifecycle.getTimeoutPerShutdownPhase());
		}

		@Bean
		@ConditionalOnMissingBean
		ConnectResolver liveConnectResolver(AnonymousCookies cookies, UserResolver userResolver,
				GroupResolver groupResolver, ObjectProvider<ConnectInterceptor> interceptors,
				LiveSessionProperties properties, ApplicationEventPublisher events) {
			return new ConnectResolver(cookies, userResolver, groupResolver, interceptors.orderedStream().toList(),
					properties.isRequireAuthentication(), events);
		}

		@Bean
		@ConditionalOnMissingBean
		UserResolver liveUserResolver(ApplicationContext context) {
			return UserResolver.detect(context.getClassLoader());
		}

		@Bean
		@ConditionalOnMissingBean
		AnonymousCookies liveAnonymousCookies(LiveSessionProperties properties,
				ObjectProvider<AnonymousCookieKey> key) {
			LiveSessionProperties.Anonymous anonymous = properties.getAnonymous();
			String secret = anonymous.getSecret();
			AnonymousCookieKey cookieKey;
			if (StringUtils.hasText(secret)) {
				if (secret.length() < 32) {
					// The value is a secret: the failure names its length only.
					throw new InvalidConfigurationPropertyValueException("livesession.anonymous.secret",
							"(" + secret.length() + " characters)", "must have at least 32 characters");
				}
				byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
				cookieKey = bytes::clone;
			}
			else {
				// Redis shares one key among the instances; alone, a random one will do.
				cookieKey = key.getIfUnique(AnonymousCookies::randomKey);
			}
			return new AnonymousCookies(anonymous.getCookieName(), anonymous.getCookieMaxAge(),
					anonymous.isCookieSecure(), cookieKey);
		}

		@Bean
		@ConditionalOnMissingBean(name = "liveAnonymousCookieFilter")
		FilterRegistrationBean<AnonymousCookieFilter> liveAnonymousCookieFilter(AnonymousCookies cookies) {
			FilterRegistrationBean<AnonymousCookieFilter> registration = new FilterRegistrationBean<>(
					new AnonymousCookieFilter(cookies));
			// Early, so every page, the login page included, hands out the cookie.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class WebSocketConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SendPool liveSendPool(LiveSessionProperties properties,
				@Qualifier(SchedulingConfiguration.TASK_SCHEDULER) TaskScheduler scheduler) {
			return new SendPool(properties.getSendThreads(), properties.getSendTimeLimit(),
					SendPool.DEFAULT_CLOSE_GRACE_PERIOD, scheduler);
		}

		@Bean
		@ConditionalOnMissingBean
		LiveWebSocketHandler liveWebSocketHandler(LiveEndpoint endpoint, SendPool sendPool,
				LiveSessionProperties properties, ConnectionBindings bindings, ApplicationEventPublisher events,
				ObjectProvider<LiveMetrics> metrics) {
			LiveSessionProperties.Heartbeat heartbeat = properties.getHeartbeat();
			// Above the heartbeat interval, so that pings keep idle sockets open (Jetty
			// closes them after 30 s by default).
			Duration idleTimeout = heartbeat.getInterval().isZero() ? null
					: heartbeat.getInterval().multipliedBy(2).plus(heartbeat.getTimeout());
			LiveWebSocketHandler handler = new LiveWebSocketHandler(endpoint, sendPool,
					properties.getSendBufferSizeLimit().toBytes(),
					(int) Math.min(Integer.MAX_VALUE, properties.getMaxTextMessageSize().toBytes()),
					metrics.getIfUnique(() -> LiveMetrics.NONE), bindings, events, idleTimeout);
			handler.setContainerTimeouts(properties.getLimits().getControlFrameTimeout(),
					properties.getLimits().getReadIdleTimeout());
			return handler;
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		Heartbeats liveHeartbeats(ConnectionRegistry registry, LiveSessionProperties properties,
				@Qualifier(SchedulingConfiguration.TASK_SCHEDULER) TaskScheduler scheduler) {
			LiveSessionProperties.Heartbeat heartbeat = properties.getHeartbeat();
			Heartbeats heartbeats = new Heartbeats(registry, scheduler, heartbeat.getInterval(),
					heartbeat.getTimeout());
			heartbeats.start();
			return heartbeats;
		}

		@Bean
		@ConditionalOnMissingBean
		LiveHandshakeHandler liveHandshakeHandler() {
			return new LiveHandshakeHandler();
		}

		@Bean
		@ConditionalOnMissingBean
		LiveHandshakeInterceptor liveHandshakeInterceptor(ConnectResolver resolver, ConnectionLimits limits,
				GroupStore store) {
			return new LiveHandshakeInterceptor(resolver, limits, (groupId) -> store.find(groupId) != null);
		}

		@Bean
		LiveWebSocketConfigurer liveWebSocketConfigurer(LiveWebSocketHandler handler,
				LiveHandshakeInterceptor interceptor, GroupStore store, LiveSessionProperties properties,
				ApplicationEventPublisher events, ObjectProvider<ConnectionDrain> drain,
				LiveHandshakeHandler handshakeHandler) {
			ConnectionDrain connectionDrain = drain.getIfUnique();
			return new LiveWebSocketConfigurer(handler, interceptor, store, properties, events,
					(connectionDrain != null) ? connectionDrain::isAccepting : () -> true, handshakeHandler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SimpleUrlHandlerMapping.class)
	@ConditionalOnBooleanProperty(name = "livesession.http-actions.enabled", matchIfMissing = true)
	static class HttpActionsConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "liveActionsHandlerMapping")
		SimpleUrlHandlerMapping liveActionsHandlerMapping(LiveEndpoint endpoint, ConnectResolver resolver,
				ObjectProvider<JsonMapper> mapper, LiveSessionProperties properties, ConnectionLimits limits,
				GroupStore store) {
			LiveActionHttpHandler handler = new LiveActionHttpHandler(endpoint, resolver,
					actionMapper(mapper, properties), properties.getAllowedOrigins(),
					properties.getMaxTextMessageSize().toBytes(), limits, (groupId) -> store.find(groupId) != null);
			return new SimpleUrlHandlerMapping(Map.of(properties.getEndpoint() + "/actions/*", handler), -1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SimpleUrlHandlerMapping.class)
	static class ClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LiveClientScript liveClientScript(LiveSessionProperties properties) {
			return new LiveClientScript(properties.getClient().getPath());
		}

		@Bean
		@ConditionalOnMissingBean(name = "liveClientHandlerMapping")
		SimpleUrlHandlerMapping liveClientHandlerMapping(LiveClientScript client) {
			LiveClientScriptHandler script = new LiveClientScriptHandler(client.script(),
					"text/javascript;charset=UTF-8", client.getVersion());
			LiveClientScriptHandler types = new LiveClientScriptHandler(client.types(),
					"application/typescript;charset=UTF-8", client.getVersion());
			// Ahead of the application's controllers, so a catch-all route (a single-page
			// app's, say) cannot hide the client, and of the static resources.
			return new SimpleUrlHandlerMapping(Map.of(client.getPath(), script, client.getTypesPath(), types), -1);
		}

	}

}
