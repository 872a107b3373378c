package io.livesession.autoconfigure;

import java.util.Set;

import io.livesession.ConnectionRegistry;
import io.livesession.GroupResolver;
import io.livesession.LoginMergeHandler;
import io.livesession.SessionGroups;
import io.livesession.UserGroups;
import io.livesession.action.ActionAuthorizer;
import io.livesession.action.MethodSecurityActionAuthorizer;
import io.livesession.action.SecurityContextActionInterceptor;
import io.livesession.group.SessionGroupManager;
import io.livesession.identity.AnonymousCookies;
import io.livesession.identity.DefaultGroupResolver;
import io.livesession.identity.UserResolver;
import io.livesession.metrics.LiveMetrics;
import io.livesession.revocation.ChannelRevocations;
import io.livesession.revocation.ConnectionBindings;
import io.livesession.revocation.CredentialsExpiry;
import io.livesession.revocation.DefaultUserErasure;
import io.livesession.revocation.HttpSessionEndListener;
import io.livesession.revocation.HttpSessionMonitor;
import io.livesession.revocation.LocalRevocations;
import io.livesession.revocation.LoginLogoutListener;
import io.livesession.revocation.RevocationChannel;
import io.livesession.revocation.Revocations;
import io.livesession.revocation.UserErasure;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.hierarchicalroles.NullRoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthoritiesAuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.session.SessionRepository;

/**
 * Revocation: the {@link Revocations} API, the HTTP session check and keep-alive, the end
 * of HTTP sessions, and Spring Security's login and logout events. The
 * {@link RevocationChannel} comes from {@link StoreConfigurations}.
 *
 * @author livesession
 */
final class SecurityConfigurations {

	private SecurityConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	static class RevocationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ConnectionBindings liveConnectionBindings() {
			return new ConnectionBindings();
		}

		@Bean
		@ConditionalOnMissingBean
		LocalRevocations liveLocalRevocations(ConnectionRegistry registry, ConnectionBindings bindings,
				ApplicationEventPublisher events, ObjectProvider<LiveMetrics> metrics) {
			return new LocalRevocations(registry, bindings, events, metrics.getIfUnique(() -> LiveMetrics.NONE));
		}

		@Bean
		@ConditionalOnMissingBean
		Revocations liveRevocations(RevocationChannel channel) {
			return new ChannelRevocations(channel);
		}

		@Bean
		@ConditionalOnMissingBean
		UserGroups liveUserGroups() {
			// The default GroupResolver's user groups.
			return (userId) -> Set.of(DefaultGroupResolver.USER_PREFIX + userId);
		}

		@Bean
		@ConditionalOnMissingBean
		UserErasure liveUserErasure(Revocations revocations, SessionGroups groups, UserGroups userGroups,
				ApplicationEventPublisher events) {
			return new DefaultUserErasure(revocations, groups, userGroups, events);
		}

		@Bean
		@ConditionalOnMissingBean
		HttpSessionMonitor liveHttpSessionMonitor(ConnectionBindings bindings, LocalRevocations revocations,
				ObjectProvider<SessionRepository<?>> repository, LiveSessionProperties properties,
				@Qualifier(SchedulingConfiguration.TASK_SCHEDULER) TaskScheduler scheduler) {
			LiveSessionProperties.Security security = properties.getSecurity();
			return new HttpSessionMonitor(bindings, revocations, repository.getIfUnique(),
					security.getSessionCheckInterval(), security.isKeepHttpSessionAlive(), scheduler);
		}

		/**
		 * As a bean, Spring Boot also registers it with the servlet container as an
		 * {@code HttpSessionListener}.
		 */
		@Bean
		@ConditionalOnMissingBean
		HttpSessionEndListener liveHttpSessionEndListener(LocalRevocations revocations) {
			return new HttpSessionEndListener(revocations);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.authentication.event.LogoutSuccessEvent")
	static class SpringSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LoginLogoutListener liveLoginLogoutListener(RevocationChannel channel, AnonymousCookies cookies,
				UserResolver userResolver, GroupResolver groupResolver, SessionGroupManager groups,
				ObjectProvider<LoginMergeHandler> mergeHandler) {
			return new LoginLogoutListener(channel, cookies, userResolver, groupResolver, groups,
					mergeHandler.getIfUnique());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.security.core.Authentication",
			"org.springframework.security.oauth2.core.OAuth2Token" })
	static class CredentialsExpiryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CredentialsExpiry liveCredentialsExpiry(LocalRevocations revocations,
				@Qualifier(SchedulingConfiguration.TASK_SCHEDULER) TaskScheduler scheduler) {
			return new CredentialsExpiry(revocations, scheduler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityContextHolder.class)
	static class ActionSecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SecurityContextActionInterceptor liveSecurityContextActionInterceptor(
				ObjectProvider<SecurityContextHolderStrategy> strategy) {
			// Method security uses a SecurityContextHolderStrategy bean when there is
			// one: the context must be set where it looks.
			return new SecurityContextActionInterceptor(
					strategy.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
		}

		/**
		 * Enforces {@code @PreAuthorize} and the like on actions even without
		 * {@code @EnableMethodSecurity}, with the application's expression handler and
		 * role hierarchy when it defines them. The role prefix is Spring Security's
		 * default, {@code ROLE_}: an application with another one defines its own
		 * {@link ActionAuthorizer}.
		 */
		@Bean
		@ConditionalOnMissingBean
		ActionAuthorizer liveActionAuthorizer(ApplicationContext context,
				ObjectProvider<SecurityContextHolderStrategy> strategy,
				ObjectProvider<MethodSecurityExpressionHandler> expressionHandler,
				ObjectProvider<RoleHierarchy> roleHierarchy) {
			String rolePrefix = "ROLE_";
			RoleHierarchy hierarchy = roleHierarchy.getIfUnique(NullRoleHierarchy::new);
			MethodSecurityExpressionHandler expressions = expressionHandler.getIfUnique(() -> {
				DefaultMethodSecurityExpressionHandler handler = new DefaultMethodSecurityExpressionHandler();
				// For bean references (@PreAuthorize("@guard.check(#data)")).
				handler.setApplicationContext(context);
				handler.setRoleHierarchy(hierarchy);
				handler.setDefaultRolePrefix(rolePrefix);
				return handler;
			});
			AuthoritiesAuthorizationManager authorities = new AuthoritiesAuthorizationManager();
			authorities.setRoleHierarchy(hierarchy);
			return new MethodSecurityActionAuthorizer(
					strategy.getIfAvailable(SecurityContextHolder::getContextHolderStrategy), expressions, authorities,
					rolePrefix);
		}

	}

}
