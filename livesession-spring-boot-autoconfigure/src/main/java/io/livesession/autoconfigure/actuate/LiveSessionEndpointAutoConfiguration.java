package io.livesession.autoconfigure.actuate;

import io.livesession.ConnectionRegistry;
import io.livesession.Presence;
import io.livesession.SessionGroups;
import io.livesession.autoconfigure.LiveSessionAutoConfiguration;
import io.livesession.revocation.Revocations;
import io.livesession.revocation.UserErasure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the {@code livesession} Actuator endpoint. Exposure follows
 * Actuator's rules: the endpoint is only reachable over HTTP when
 * {@code management.endpoints.web.exposure} includes it.
 *
 * @author livesession
 * @since 0.1.0
 */
@AutoConfiguration(after = LiveSessionAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnAvailableEndpoint(LiveSessionEndpoint.class)
@ConditionalOnBean({ ConnectionRegistry.class, Presence.class })
public final class LiveSessionEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LiveSessionEndpoint liveSessionEndpoint(ConnectionRegistry registry, Presence presence,
			ObjectProvider<Revocations> revocations, ObjectProvider<UserErasure> erasure,
			ObjectProvider<SessionGroups> groups) {
		return new LiveSessionEndpoint(registry, presence, revocations.getIfUnique(), erasure.getIfUnique(),
				groups.getIfUnique());
	}

}
