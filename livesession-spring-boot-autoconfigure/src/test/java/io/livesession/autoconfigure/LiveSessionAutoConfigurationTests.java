package io.livesession.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.livesession.Broadcaster;
import io.livesession.ConnectRequest;
import io.livesession.ConnectionRegistry;
import io.livesession.GroupResolver;
import io.livesession.LiveAction;
import io.livesession.LiveController;
import io.livesession.Presence;
import io.livesession.action.ActionAuthorizer;
import io.livesession.action.ActionHandlerRegistry;
import io.livesession.action.SecurityContextActionInterceptor;
import io.livesession.delivery.DeliveryChannel;
import io.livesession.delivery.SendPool;
import io.livesession.endpoint.LiveEndpoint;
import io.livesession.event.GroupClosedEvent;
import io.livesession.event.GroupOpenedEvent;
import io.livesession.event.UserConnectedEvent;
import io.livesession.event.UserDisconnectedEvent;
import io.livesession.group.GroupMaintenance;
import io.livesession.group.GroupStore;
import io.livesession.group.GroupStores;
import io.livesession.group.GroupUpdate;
import io.livesession.group.SessionGroupManager;
import io.livesession.group.StoredGroup;
import io.livesession.identity.AnonymousCookieFilter;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.DefaultGroupResolver;
import io.livesession.identity.LiveUser;
import io.livesession.identity.UserResolver;
import io.livesession.registry.ConnectionRegistries;
import io.livesession.registry.LocalPresence;
import io.livesession.websocket.AdmissionInterceptor;
import io.livesession.websocket.LiveHandshakeInterceptor;
import io.livesession.websocket.LiveWebSocketHandler;
import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;

/**
 * Tests for {@link LiveSessionAutoConfiguration}.
 *
 * @author livesession
 */
class LiveSessionAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	// Defaults

	@Test
	void createsEveryBeanByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ConnectionRegistry.class)
				.hasSingleBean(DeliveryChannel.class)
				.hasSingleBean(Broadcaster.class)
				.hasSingleBean(GroupStore.class)
				.hasSingleBean(SessionGroupManager.class)
				.hasSingleBean(GroupMaintenance.class)
				.hasSingleBean(GroupResolver.class)
				.hasSingleBean(ActionHandlerRegistry.class)
				.hasSingleBean(LiveEndpoint.class)
				.hasSingleBean(UserResolver.class)
				.hasSingleBean(AnonymousCookies.class)
				.hasSingleBean(SendPool.class)
				.hasSingleBean(LiveWebSocketHandler.class)
				.hasSingleBean(LiveHandshakeInterceptor.class)
				.hasSingleBean(LiveWebSocketConfigurer.class)
				.hasSingleBean(LiveSessionProperties.class);
			assertThat(context).getBean(GroupResolver.class).isInstanceOf(DefaultGroupResolver.class);
			assertThat(context).hasBean("liveAnonymousCookieFilter");
			assertThat(context.getBean("liveAnonymousCookieFilter"))
				.isInstanceOfSatisfying(FilterRegistrationBean.class, (registration) -> {
					assertThat(registration.getFilter()).isInstanceOf(AnonymousCookieFilter.class);
					assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 100);
				});
			assertThat(context.getBean(GroupMaintenance.class).isRunning()).isTrue();
		});
	}

	@Test
	void propertiesHaveTheirDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			LiveSessionProperties properties = context.getBean(LiveSessionProperties.class);
			assertThat(properties.getEndpoint()).isEqualTo("/live");
			assertThat(properties.getAllowedOrigins()).isEmpty();
			assertThat(properties.isRequireAuthentication()).isFalse();
			assertThat(properties.getMaxTextMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(properties.getSendBufferSizeLimit()).isEqualTo(DataSize.ofKilobytes(512));
			assertThat(properties.getSendThreads()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
			assertThat(properties.getAnonymous().getCookieName()).isEqualTo("LIVESESSION");
			assertThat(properties.getAnonymous().getCookieMaxAge()).isEqualTo(Duration.ofDays(365));
			assertThat(properties.getAnonymous().isCookieSecure()).isFalse();
			assertThat(properties.getGroup().getTimeout()).isEqualTo(Duration.ofHours(24));
			assertThat(properties.getGroup().getCleanupInterval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(properties.getRedis().getPresenceHeartbeat()).isEqualTo(Duration.ofSeconds(5));
		});
	}

	@Test
	void presenceInMemoryCountsThisInstanceAndPublishesPresenceEvents() {
		this.contextRunner.withUserConfiguration(PresenceEventsConfiguration.class).run((context) -> {
			assertThat(context).getBean(Presence.class).isInstanceOf(LocalPresence.class);
			PresenceEvents events = context.getBean(PresenceEvents.class);
			WebSocketSession session = openConnection(context);
			Presence presence = context.getBean(Presence.class);
			assertThat(presence.getConnectionCount()).isOne();
			assertThat(presence.getGroupCount()).isOne();
			assertThat(events.received).singleElement().isInstanceOf(GroupOpenedEvent.class);
			context.getBean(LiveWebSocketHandler.class).afterConnectionClosed(session, CloseStatus.NORMAL);
			assertThat(presence.getConnectionCount()).isZero();
			assertThat(events.received).hasSize(2).last().isInstanceOf(GroupClosedEvent.class);
		});
	}

	@Test
	void registersTheEndpointAtLiveWithSameOriginOnlyByDefault() {
		this.contextRunner.run((context) -> {
			WebSocketHttpRequestHandler handler = endpointHandler(context, "/live");
			assertThat(WebSocketHandlerDecorator.unwrap(handler.getWebSocketHandler()))
				.isSameAs(context.getBean(LiveWebSocketHandler.class));
			List<HandshakeInterceptor> interceptors = handler.getHandshakeInterceptors();
			assertThat(interceptors.get(0)).isInstanceOfSatisfying(OriginHandshakeInterceptor.class,
					(originCheck) -> assertThat(originCheck.getAllowedOriginPatterns()).isEmpty());
			assertThat(interceptors.get(1)).isInstanceOf(AdmissionInterceptor.class);
			assertThat(interceptors.get(2)).isSameAs(context.getBean(LiveHandshakeInterceptor.class));
		});
	}

	@Test
	void issuesTheDefaultAnonymousCookie() {
		this.contextRunner.run((context) -> {
			AnonymousCookies cookies = context.getBean(AnonymousCookies.class);
			assertThat(cookies.getName()).isEqualTo("LIVESESSION");
			String setCookie = issueCookie(cookies);
			assertThat(setCookie).startsWith("LIVESESSION=")
				.contains("Max-Age=" + Duration.ofDays(365).toSeconds())
				.doesNotContain("Secure");
		});
	}

	@Test
	void acceptsAnAnonymousHandshakeIntoItsAnonymousGroupByDefault() {
		this.contextRunner.run((context) -> {
			MockHttpServletResponse response = new MockHttpServletResponse();
			Map<String, Object> attributes = new HashMap<>();
			assertThat(handshake(context, response, attributes)).isTrue();
			assertThat(attributes.get(LiveHandshakeInterceptor.CONNECT_REQUEST_ATTRIBUTE))
				.isInstanceOfSatisfying(ConnectRequest.class, (request) -> {
					assertThat(request.getUserId()).isNull();
					assertThat(request.getGroupId())
						.isEqualTo(DefaultGroupResolver.ANONYMOUS_PREFIX + request.getAnonymousId());
				});
			assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).startsWith("LIVESESSION=");
		});
	}

	@Test
	void appliesTheDefaultTextMessageSizeLimitToConnections() {
		this.contextRunner.run((context) -> {
			WebSocketSession session = openConnection(context);
			then(session).should().setTextMessageSizeLimit(64 * 1024);
		});
	}

	@Test
	void defaultSendBufferSizeLimitToleratesALargeFrame() {
		this.contextRunner.run((context) -> {
			WebSocketSession session = openConnection(context);
			assertThat(context.getBean(Broadcaster.class).sendToAll("x".repeat(2048))).isOne();
			then(session).should(never()).close(any());
		});
	}

	// Property binding

	@Test
	void bindsEveryProperty() {
		this.contextRunner
			.withPropertyValues("livesession.endpoint=/custom",
					"livesession.allowed-origins=https://*.example.com,https://other.example.org",
					"livesession.require-authentication=true", "livesession.max-text-message-size=1KB",
					"livesession.send-buffer-size-limit=2KB", "livesession.send-threads=3",
					"livesession.anonymous.cookie-name=CUSTOM", "livesession.anonymous.cookie-max-age=1h",
					"livesession.anonymous.cookie-secure=true", "livesession.group.timeout=30m",
					"livesession.group.cleanup-interval=10s", "livesession.redis.presence-heartbeat=2s")
			.run((context) -> {
				LiveSessionProperties properties = context.getBean(LiveSessionProperties.class);
				assertThat(properties.getEndpoint()).isEqualTo("/custom");
				assertThat(properties.getAllowedOrigins()).containsExactly("https://*.example.com",
						"https://other.example.org");
				assertThat(properties.isRequireAuthentication()).isTrue();
				assertThat(properties.getMaxTextMessageSize()).isEqualTo(DataSize.ofKilobytes(1));
				assertThat(properties.getSendBufferSizeLimit()).isEqualTo(DataSize.ofKilobytes(2));
				assertThat(properties.getSendThreads()).isEqualTo(3);
				assertThat(properties.getAnonymous().getCookieName()).isEqualTo("CUSTOM");
				assertThat(properties.getAnonymous().getCookieMaxAge()).isEqualTo(Duration.ofHours(1));
				assertThat(properties.getAnonymous().isCookieSecure()).isTrue();
				assertThat(properties.getGroup().getTimeout()).isEqualTo(Duration.ofMinutes(30));
				assertThat(properties.getGroup().getCleanupInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getRedis().getPresenceHeartbeat()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void registersTheEndpointAtTheConfiguredPathWithTheConfiguredOrigins() {
		this.contextRunner
			.withPropertyValues("livesession.endpoint=/custom",
					"livesession.allowed-origins=https://*.example.com,https://other.example.org")
			.run((context) -> {
				assertThat(endpointPaths(context)).containsExactly("/custom");
				WebSocketHttpRequestHandler handler = endpointHandler(context, "/custom");
				assertThat(handler.getHandshakeInterceptors().get(0)).isInstanceOfSatisfying(
						OriginHandshakeInterceptor.class,
						(originCheck) -> assertThat(originCheck.getAllowedOriginPatterns())
							.containsExactly("https://*.example.com", "https://other.example.org"));
			});
	}

	@Test
	void requireAuthenticationRefusesAnAnonymousHandshakeWith401() {
		this.contextRunner.withPropertyValues("livesession.require-authentication=true").run((context) -> {
			MockHttpServletResponse response = new MockHttpServletResponse();
			Map<String, Object> attributes = new HashMap<>();
			assertThat(handshake(context, response, attributes)).isFalse();
			assertThat(response.getStatus()).isEqualTo(401);
			assertThat(attributes).isEmpty();
		});
	}

	@Test
	void appliesTheConfiguredTextMessageSizeLimitToConnections() {
		this.contextRunner.withPropertyValues("livesession.max-text-message-size=1KB").run((context) -> {
			WebSocketSession session = openConnection(context);
			then(session).should().setTextMessageSizeLimit(1024);
		});
	}

	@Test
	void closesAConnectionWhoseSendBufferExceedsTheConfiguredLimit() {
		this.contextRunner.withPropertyValues("livesession.send-buffer-size-limit=1KB").run((context) -> {
			WebSocketSession session = openConnection(context);
			assertThat(context.getBean(Broadcaster.class).sendToAll("x".repeat(2048))).isZero();
			then(session).should(timeout(5000)).close(argThat((status) -> status.getCode() == 4008));
		});
	}

	@Test
	void sizesTheSendPoolWithTheConfiguredThreads() {
		this.contextRunner.withPropertyValues("livesession.send-threads=3").run((context) -> {
			assertThat(context.getBean(SendPool.class).getExecutor()).isInstanceOfSatisfying(ThreadPoolExecutor.class,
					(executor) -> assertThat(executor.getMaximumPoolSize()).isEqualTo(3));
		});
	}

	@Test
	void issuesTheAnonymousCookieWithTheConfiguredNameMaxAgeAndSecureFlag() {
		this.contextRunner
			.withPropertyValues("livesession.anonymous.cookie-name=CUSTOM", "livesession.anonymous.cookie-max-age=1h",
					"livesession.anonymous.cookie-secure=true")
			.run((context) -> {
				AnonymousCookies cookies = context.getBean(AnonymousCookies.class);
				assertThat(cookies.getName()).isEqualTo("CUSTOM");
				// Secure at the root: the __Host- prefix, which browsers keep to this
				// host
				assertThat(issueCookie(cookies)).startsWith("__Host-CUSTOM=")
					.contains("Max-Age=3600")
					.contains("Secure");
			});
	}

	@Test
	void authenticatesAnonymousCookiesWithTheConfiguredSecret() {
		String secret = "a-secret-of-at-least-32-characters!";
		this.contextRunner.withPropertyValues("livesession.anonymous.secret=" + secret).run((context) -> {
			AnonymousCookies configured = context.getBean(AnonymousCookies.class);
			AnonymousCookies sameSecret = new AnonymousCookies("LIVESESSION", Duration.ofDays(1), false,
					() -> secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			assertThat(configured.verify(sameSecret.issue())).isTrue();
			assertThat(sameSecret.verify(configured.issue())).isTrue();
		});
	}

	@Test
	void refusesAShortAnonymousSecret() {
		this.contextRunner.withPropertyValues("livesession.anonymous.secret=too-short")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("livesession.anonymous.secret"));
	}

	@Test
	void withoutSecretNorRedisEachContextHasItsOwnRandomKey() {
		this.contextRunner.run((one) -> this.contextRunner.run((two) -> {
			String value = one.getBean(AnonymousCookies.class).issue();
			assertThat(one.getBean(AnonymousCookies.class).verify(value)).isTrue();
			assertThat(two.getBean(AnonymousCookies.class).verify(value)).isFalse();
		}));
	}

	@Test
	void expiresAnUnconnectedGroupAfterTheConfiguredTimeout() {
		this.contextRunner.withPropertyValues("livesession.group.timeout=200ms").run((context) -> {
			SessionGroupManager groups = context.getBean(SessionGroupManager.class);
			GroupStore store = context.getBean(GroupStore.class);
			groups.update("g1", (state) -> {
				state.setAttribute("count", 1);
				return "done";
			});
			assertThat(store.find("g1")).isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> store.find("g1") == null);
		});
	}

	@Test
	void usesTheConfiguredCleanupIntervalWhenBelowHalfTheTimeout() {
		this.contextRunner.withUserConfiguration(CountingGroupStoreConfiguration.class)
			.withPropertyValues("livesession.group.cleanup-interval=50ms")
			.run((context) -> {
				CountingGroupStore store = context.getBean(CountingGroupStore.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> store.touches.get() >= 2);
			});
	}

	@Test
	void capsTheCleanupIntervalAtHalfTheGroupTimeout() {
		// With an hour's interval uncapped, no pass would run during the test; capped at
		// half the 200ms timeout, passes run every 100ms.
		this.contextRunner.withUserConfiguration(CountingGroupStoreConfiguration.class)
			.withPropertyValues("livesession.group.timeout=200ms", "livesession.group.cleanup-interval=1h")
			.run((context) -> {
				CountingGroupStore store = context.getBean(CountingGroupStore.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> store.touches.get() >= 2);
			});
	}

	// Back-off

	@Test
	void backsOffWhenUserDefinesConnectionRegistry() {
		assertBacksOff(UserConnectionRegistryConfiguration.class, ConnectionRegistry.class, "customConnectionRegistry");
	}

	@Test
	void backsOffWhenUserDefinesDeliveryChannel() {
		assertBacksOff(UserDeliveryChannelConfiguration.class, DeliveryChannel.class, "customDeliveryChannel");
	}

	@Test
	void backsOffWhenUserDefinesBroadcaster() {
		assertBacksOff(UserBroadcasterConfiguration.class, Broadcaster.class, "customBroadcaster");
	}

	@Test
	void backsOffWhenUserDefinesGroupStore() {
		assertBacksOff(UserGroupStoreConfiguration.class, GroupStore.class, "customGroupStore");
	}

	@Test
	void backsOffWhenUserDefinesSessionGroupManager() {
		assertBacksOff(UserSessionGroupManagerConfiguration.class, SessionGroupManager.class,
				"customSessionGroupManager");
	}

	@Test
	void backsOffWhenUserDefinesGroupMaintenance() {
		assertBacksOff(UserGroupMaintenanceConfiguration.class, GroupMaintenance.class, "customGroupMaintenance");
	}

	@Test
	void backsOffWhenUserDefinesGroupResolver() {
		assertBacksOff(UserGroupResolverConfiguration.class, GroupResolver.class, "customGroupResolver");
	}

	@Test
	void backsOffWhenUserDefinesActionHandlerRegistry() {
		assertBacksOff(UserActionHandlerRegistryConfiguration.class, ActionHandlerRegistry.class,
				"customActionHandlerRegistry");
	}

	@Test
	void backsOffWhenUserDefinesLiveEndpoint() {
		assertBacksOff(UserLiveEndpointConfiguration.class, LiveEndpoint.class, "customLiveEndpoint");
	}

	@Test
	void backsOffWhenUserDefinesUserResolver() {
		assertBacksOff(UserUserResolverConfiguration.class, UserResolver.class, "customUserResolver");
	}

	@Test
	void backsOffWhenUserDefinesAnonymousCookies() {
		assertBacksOff(UserAnonymousCookiesConfiguration.class, AnonymousCookies.class, "customAnonymousCookies");
	}

	@Test
	void backsOffWhenUserDefinesPresence() {
		assertBacksOff(UserPresenceConfiguration.class, Presence.class, "customPresence");
	}

	@Test
	void backsOffWhenUserDefinesSendPool() {
		assertBacksOff(UserSendPoolConfiguration.class, SendPool.class, "customSendPool");
	}

	@Test
	void backsOffWhenUserDefinesLiveWebSocketHandler() {
		assertBacksOff(UserLiveWebSocketHandlerConfiguration.class, LiveWebSocketHandler.class,
				"customLiveWebSocketHandler");
		this.contextRunner.withUserConfiguration(UserLiveWebSocketHandlerConfiguration.class)
			.run((context) -> assertThat(
					WebSocketHandlerDecorator.unwrap(endpointHandler(context, "/live").getWebSocketHandler()))
				.isSameAs(context.getBean("customLiveWebSocketHandler")));
	}

	@Test
	void backsOffWhenUserDefinesLiveHandshakeInterceptor() {
		assertBacksOff(UserLiveHandshakeInterceptorConfiguration.class, LiveHandshakeInterceptor.class,
				"customLiveHandshakeInterceptor");
		this.contextRunner.withUserConfiguration(UserLiveHandshakeInterceptorConfiguration.class)
			.run((context) -> assertThat(endpointHandler(context, "/live").getHandshakeInterceptors())
				.contains((HandshakeInterceptor) context.getBean("customLiveHandshakeInterceptor")));
	}

	@Test
	void backsOffWhenUserDefinesABeanNamedLiveAnonymousCookieFilter() {
		this.contextRunner.withUserConfiguration(UserAnonymousCookieFilterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(FilterRegistrationBean.class);
			assertThat(context.getBean("liveAnonymousCookieFilter")).isInstanceOfSatisfying(
					FilterRegistrationBean.class, (registration) -> assertThat(registration.getFilter())
						.isSameAs(UserAnonymousCookieFilterConfiguration.FILTER));
		});
	}

	@Test
	void keepsTheAnonymousCookieFilterWhenUserRegistersAnotherFilter() {
		this.contextRunner.withUserConfiguration(UserOtherFilterConfiguration.class).run((context) -> {
			assertThat(context).getBeans(FilterRegistrationBean.class)
				.containsOnlyKeys("otherFilter", "liveAnonymousCookieFilter");
			assertThat(context.getBean("liveAnonymousCookieFilter")).isInstanceOfSatisfying(
					FilterRegistrationBean.class,
					(registration) -> assertThat(registration.getFilter()).isInstanceOf(AnonymousCookieFilter.class));
		});
	}

	// Spring Security

	@Test
	void resolvesEveryRequestAsAnonymousWithoutSpringSecurity() {
		SecurityContextHolder.getContext().setAuthentication(authenticatedAlice());
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(UserResolver.class);
			assertThat(context.getBean(UserResolver.class).resolve(new MockHttpServletRequest())).isNull();
		});
	}

	@Test
	void resolvesTheAuthenticatedUserWithSpringSecurity() {
		UsernamePasswordAuthenticationToken authentication = authenticatedAlice();
		SecurityContextHolder.getContext().setAuthentication(authentication);
		this.contextRunner.run((context) -> {
			LiveUser user = context.getBean(UserResolver.class).resolve(new MockHttpServletRequest());
			assertThat(user).isNotNull();
			assertThat(user.userId()).isEqualTo("alice");
			assertThat(user.principal()).isSameAs(authentication);
			assertThat(user.authorities()).containsExactlyInAnyOrder("ROLE_USER", "live:write");
		});
	}

	@Test
	void resolvesAnAnonymousAuthenticationAsNoUserWithSpringSecurity() {
		SecurityContextHolder.getContext()
			.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
					AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
		this.contextRunner
			.run((context) -> assertThat(context.getBean(UserResolver.class).resolve(new MockHttpServletRequest()))
				.isNull());
	}

	@Test
	void runsActionsWithTheConnectionsSecurityContextWithSpringSecurity() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(SecurityContextActionInterceptor.class);
			assertThat(context.getBean(SecurityContextActionInterceptor.class).getOrder())
				.isEqualTo(SecurityContextActionInterceptor.ORDER);
		});
	}

	@Test
	void createsNoSecurityContextInterceptorWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("liveSecurityContextActionInterceptor"));
	}

	@Test
	void failsStartupWhenAnActionIsGuardedByRolesAllowedWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withUserConfiguration(RolesAllowedActions.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("'guarded'")
				.hasMessageContaining("@RolesAllowed")
				.hasMessageContaining("Spring Security"));
	}

	@Test
	void failsStartupWhenAnActionIsGuardedByPreAuthorizeWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withUserConfiguration(PreAuthorizeActions.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("'guarded'")
				.hasMessageContaining("@PreAuthorize"));
	}

	@Test
	void enforcesGuardedActionsWithSpringSecurityButWithoutMethodSecurity() {
		this.contextRunner.withUserConfiguration(RolesAllowedActions.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ActionAuthorizer.class);
			assertThat(context.getBean(RolesAllowedActions.class)).as("not proxied")
				.isExactlyInstanceOf(RolesAllowedActions.class);
		});
	}

	@Test
	void backsOffWhenUserDefinesSecurityContextActionInterceptor() {
		assertBacksOff(UserSecurityContextActionInterceptorConfiguration.class, SecurityContextActionInterceptor.class,
				"customSecurityContextActionInterceptor");
	}

	// Rate limit

	@Test
	void rateLimitPropertiesHaveTheirDocumentedDefaultsAndBind() {
		this.contextRunner.run((context) -> {
			LiveSessionProperties.RateLimit limit = context.getBean(LiveSessionProperties.class).getRateLimit();
			assertThat(limit.isEnabled()).isTrue();
			assertThat(limit.getActionsPerSecond()).isEqualTo(20);
			assertThat(limit.getBurst()).isEqualTo(40);
			assertThat(limit.getMaxRejections()).isEqualTo(100);
			assertThat(limit.getRejectionWindow()).isEqualTo(Duration.ofSeconds(10));
		});
		this.contextRunner
			.withPropertyValues("livesession.rate-limit.enabled=false", "livesession.rate-limit.actions-per-second=2.5",
					"livesession.rate-limit.burst=7", "livesession.rate-limit.max-rejections=0",
					"livesession.rate-limit.rejection-window=1m")
			.run((context) -> {
				LiveSessionProperties.RateLimit limit = context.getBean(LiveSessionProperties.class).getRateLimit();
				assertThat(limit.isEnabled()).isFalse();
				assertThat(limit.getActionsPerSecond()).isEqualTo(2.5);
				assertThat(limit.getBurst()).isEqualTo(7);
				assertThat(limit.getMaxRejections()).isZero();
				assertThat(limit.getRejectionWindow()).isEqualTo(Duration.ofMinutes(1));
			});
	}

	@Test
	void limitsTheFramesOfEachConnectionByDefault() {
		this.contextRunner.run((context) -> {
			WebSocketSession session = openConnection(context);
			// Tokens come back at 20 a second while the frames go in: the burst of 40 is
			// the least that is served.
			sendUnknownActions(context, session, 120);
			then(session).should(timeout(5000).atLeast(40)).sendMessage(argThat(containing("unknown_action")));
			then(session).should(timeout(5000).atLeastOnce()).sendMessage(argThat(containing("rate_limited")));
		});
	}

	@Test
	void appliesTheConfiguredRateLimit() {
		this.contextRunner
			.withPropertyValues("livesession.rate-limit.actions-per-second=0.01", "livesession.rate-limit.burst=3",
					"livesession.rate-limit.max-rejections=2")
			.run((context) -> {
				WebSocketSession session = openConnection(context);
				sendUnknownActions(context, session, 6);
				then(session).should(timeout(5000).times(3)).sendMessage(argThat(containing("unknown_action")));
				then(session).should(timeout(5000)).sendMessage(argThat(containing("rate_limited")));
				then(session).should(timeout(5000)).close(argThat((status) -> status.getCode() == 1008));
			});
	}

	@Test
	void doesNotLimitFramesWhenTheRateLimitIsDisabled() {
		this.contextRunner.withPropertyValues("livesession.rate-limit.enabled=false").run((context) -> {
			WebSocketSession session = openConnection(context);
			sendUnknownActions(context, session, 200);
			then(session).should(timeout(5000).times(200)).sendMessage(argThat(containing("unknown_action")));
			then(session).should(never()).sendMessage(argThat(containing("rate_limited")));
		});
	}

	private static void sendUnknownActions(AssertableWebApplicationContext context, WebSocketSession session, int count)
			throws Exception {
		LiveWebSocketHandler handler = context.getBean(LiveWebSocketHandler.class);
		for (int i = 0; i < count; i++) {
			handler.handleMessage(session, new TextMessage("{\"type\":\"action\",\"action\":\"none\"}"));
		}
	}

	private static org.mockito.ArgumentMatcher<org.springframework.web.socket.WebSocketMessage<?>> containing(
			String text) {
		return (message) -> message instanceof TextMessage textMessage && textMessage.getPayload().contains(text);
	}

	// Conditions

	@Test
	void createsNoBeansInANonWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(liveSessionBeans(context)).isEmpty();
			});
	}

	@Test
	void createsNoBeansInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(liveSessionBeans(context)).isEmpty();
			});
	}

	@Test
	void createsNoBeansWithoutSpringWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(liveSessionBeans(context)).isEmpty();
		});
	}

	@Test
	void createsNoBeansWithoutJackson() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(liveSessionBeans(context)).isEmpty();
		});
	}

	@Test
	void startsWithoutAJsonMapperBean() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(LiveSessionAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JsonMapper.class);
				assertThat(context).hasSingleBean(LiveEndpoint.class).hasSingleBean(Broadcaster.class);
			});
	}

	@Test
	void sanityCheckOfTheBeanScanUsedByTheConditionTests() {
		this.contextRunner.run((context) -> assertThat(liveSessionBeans(context)).contains("liveBroadcaster",
				"liveWebSocketConfigurer", "liveAnonymousCookieFilter"));
	}

	// Helpers

	private void assertBacksOff(Class<?> userConfiguration, Class<?> type, String userBeanName) {
		this.contextRunner.withUserConfiguration(userConfiguration).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(type);
			assertThat(context.getBeanNamesForType(type)).containsExactly(userBeanName);
			assertThat(context.getBean(type)).isSameAs(context.getBean(userBeanName));
		});
	}

	/**
	 * Names of the beans livesession contributes: its own types, its configuration
	 * properties and the anonymous cookie filter registration.
	 */
	private static List<String> liveSessionBeans(ConfigurableApplicationContext context) {
		return Arrays.stream(context.getBeanDefinitionNames()).filter((name) -> {
			Class<?> type = context.getType(name);
			return name.startsWith("live") || (type != null && type.getName().startsWith("io.livesession."));
		}).toList();
	}

	private static WebSocketHttpRequestHandler endpointHandler(ApplicationContext context, String path) {
		Object handler = webSocketHandlerMapping(context).getUrlMap().get(path);
		assertThat(handler).isInstanceOf(WebSocketHttpRequestHandler.class);
		return (WebSocketHttpRequestHandler) handler;
	}

	private static Collection<String> endpointPaths(ApplicationContext context) {
		return webSocketHandlerMapping(context).getUrlMap().keySet();
	}

	private static WebSocketHandlerMapping webSocketHandlerMapping(ApplicationContext context) {
		HandlerMapping mapping = context.getBean("webSocketHandlerMapping", HandlerMapping.class);
		assertThat(mapping).isInstanceOf(WebSocketHandlerMapping.class);
		return (WebSocketHandlerMapping) mapping;
	}

	private static String issueCookie(AnonymousCookies cookies) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		cookies.resolve(new MockHttpServletRequest(), response);
		String setCookie = response.getHeader(HttpHeaders.SET_COOKIE);
		assertThat(setCookie).isNotNull();
		return setCookie;
	}

	private static boolean handshake(AssertableWebApplicationContext context, MockHttpServletResponse response,
			Map<String, Object> attributes) throws Exception {
		return context.getBean(LiveHandshakeInterceptor.class)
			.beforeHandshake(new ServletServerHttpRequest(new MockHttpServletRequest("GET", "/live")),
					new ServletServerHttpResponse(response), context.getBean(LiveWebSocketHandler.class), attributes);
	}

	/**
	 * Runs a handshake and opens a connection on a mock session, waiting for the greeting
	 * to be written so that no send is in flight afterwards.
	 */
	private static WebSocketSession openConnection(AssertableWebApplicationContext context) throws Exception {
		Map<String, Object> attributes = new HashMap<>();
		assertThat(handshake(context, new MockHttpServletResponse(), attributes)).isTrue();
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getAttributes()).willReturn(attributes);
		given(session.isOpen()).willReturn(true);
		context.getBean(LiveWebSocketHandler.class).afterConnectionEstablished(session);
		then(session).should(timeout(5000)).sendMessage(any());
		return session;
	}

	private static UsernamePasswordAuthenticationToken authenticatedAlice() {
		return UsernamePasswordAuthenticationToken.authenticated("alice", "secret",
				AuthorityUtils.createAuthorityList("ROLE_USER", "live:write"));
	}

	/**
	 * A group store that counts maintenance passes (each pass touches first).
	 */
	static class CountingGroupStore implements GroupStore {

		private final GroupStore delegate = GroupStores.inMemory(Duration.ofHours(1));

		final AtomicInteger touches = new AtomicInteger();

		@Override
		public <T> T update(String groupId, Function<StoredGroup, GroupUpdate<T>> step) {
			return this.delegate.update(groupId, step);
		}

		@Override
		public @Nullable StoredGroup find(String groupId) {
			return this.delegate.find(groupId);
		}

		@Override
		public void touch(Collection<String> groupIds) {
			this.touches.incrementAndGet();
			this.delegate.touch(groupIds);
		}

		@Override
		public void delete(String groupId) {
			this.delegate.delete(groupId);
		}

		@Override
		public int removeExpired() {
			return this.delegate.removeExpired();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CountingGroupStoreConfiguration {

		@Bean
		CountingGroupStore countingGroupStore() {
			return new CountingGroupStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionRegistryConfiguration {

		@Bean
		ConnectionRegistry customConnectionRegistry() {
			return ConnectionRegistries.inMemory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPresenceConfiguration {

		@Bean
		Presence customPresence(ConnectionRegistry registry) {
			return ConnectionRegistries.localPresence(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PresenceEventsConfiguration {

		@Bean
		PresenceEvents presenceEvents() {
			return new PresenceEvents();
		}

	}

	static class PresenceEvents implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof GroupOpenedEvent || event instanceof GroupClosedEvent
					|| event instanceof UserConnectedEvent || event instanceof UserDisconnectedEvent) {
				this.received.add(event);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDeliveryChannelConfiguration {

		@Bean
		DeliveryChannel customDeliveryChannel() {
			return (target, frame) -> 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBroadcasterConfiguration {

		@Bean
		Broadcaster customBroadcaster() {
			return (target, payload) -> 0;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGroupStoreConfiguration {

		@Bean
		GroupStore customGroupStore() {
			return GroupStores.inMemory(Duration.ofMinutes(5));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSessionGroupManagerConfiguration {

		@Bean
		SessionGroupManager customSessionGroupManager(GroupStore store, Broadcaster broadcaster) {
			return new SessionGroupManager(store, JsonMapper.builder().build(), broadcaster, List.of());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGroupMaintenanceConfiguration {

		@Bean
		GroupMaintenance customGroupMaintenance(GroupStore store, ConnectionRegistry registry,
				@Qualifier("livesessionTaskScheduler") TaskScheduler scheduler) {
			return new GroupMaintenance(store, registry, Duration.ofMinutes(5), scheduler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGroupResolverConfiguration {

		@Bean
		GroupResolver customGroupResolver() {
			return (request) -> "everyone";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserActionHandlerRegistryConfiguration {

		@Bean
		ActionHandlerRegistry customActionHandlerRegistry(ApplicationContext context) {
			return new ActionHandlerRegistry(context, JsonMapper.builder().build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLiveEndpointConfiguration {

		@Bean
		LiveEndpoint customLiveEndpoint(ConnectionRegistry registry, SessionGroupManager groups,
				ActionHandlerRegistry actions) {
			return new LiveEndpoint(registry, groups, actions, JsonMapper.builder().build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@LiveController
	static class RolesAllowedActions {

		@jakarta.annotation.security.RolesAllowed("ADMIN")
		@LiveAction("guarded")
		public void guarded() {
		}

	}

	@LiveController
	static class PreAuthorizeActions {

		@org.springframework.security.access.prepost.PreAuthorize("hasRole('ADMIN')")
		@LiveAction("guarded")
		public void guarded() {
		}

	}

	static class UserSecurityContextActionInterceptorConfiguration {

		@Bean
		SecurityContextActionInterceptor customSecurityContextActionInterceptor() {
			return new SecurityContextActionInterceptor(SecurityContextHolder.getContextHolderStrategy());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserUserResolverConfiguration {

		@Bean
		UserResolver customUserResolver() {
			return (request) -> null;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAnonymousCookiesConfiguration {

		@Bean
		AnonymousCookies customAnonymousCookies() {
			return new AnonymousCookies("CUSTOM", Duration.ofHours(1), true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSendPoolConfiguration {

		@Bean
		SendPool customSendPool() {
			return new SendPool(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLiveWebSocketHandlerConfiguration {

		@Bean
		LiveWebSocketHandler customLiveWebSocketHandler(LiveEndpoint endpoint) {
			return new LiveWebSocketHandler(endpoint, Runnable::run, 1024, 1024);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLiveHandshakeInterceptorConfiguration {

		@Bean
		LiveHandshakeInterceptor customLiveHandshakeInterceptor(AnonymousCookies cookies, UserResolver userResolver,
				GroupResolver groupResolver) {
			return new LiveHandshakeInterceptor(cookies, userResolver, groupResolver, List.of(), true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAnonymousCookieFilterConfiguration {

		static final Filter FILTER = (request, response, chain) -> chain.doFilter(request, response);

		@Bean
		FilterRegistrationBean<Filter> liveAnonymousCookieFilter() {
			return new FilterRegistrationBean<>(FILTER);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOtherFilterConfiguration {

		@Bean
		FilterRegistrationBean<Filter> otherFilter() {
			return new FilterRegistrationBean<>((request, response, chain) -> chain.doFilter(request, response));
		}

	}

}
