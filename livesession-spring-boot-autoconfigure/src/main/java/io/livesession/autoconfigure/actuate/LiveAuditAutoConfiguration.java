package io.livesession.autoconfigure.actuate;

import io.livesession.autoconfigure.LiveSessionAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} that records livesession's audit events (connections opened,
 * closed, rejected and revoked, actions denied) in Actuator's audit event repository,
 * when the application has one.
 *
 * @author livesession
 * @since 0.1.0
 */
@AutoConfiguration(after = LiveSessionAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.audit.listener.AuditApplicationEvent",
		"io.livesession.event.LiveAuditEvent" })
@ConditionalOnBean(type = "org.springframework.boot.actuate.audit.AuditEventRepository")
public final class LiveAuditAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LiveAuditListener liveAuditListener(ApplicationEventPublisher publisher) {
		return new LiveAuditListener(publisher);
	}

}
