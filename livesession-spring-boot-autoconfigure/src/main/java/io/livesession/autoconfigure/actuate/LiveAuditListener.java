package io.livesession.autoconfigure.actuate;

import io.livesession.event.LiveAuditEvent;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Republishes each {@link LiveAuditEvent} as an Actuator {@link AuditApplicationEvent},
 * which Spring Boot's audit listener stores in the {@code AuditEventRepository}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveAuditListener implements ApplicationListener<LiveAuditEvent> {

	private final ApplicationEventPublisher publisher;

	public LiveAuditListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(LiveAuditEvent event) {
		this.publisher
			.publishEvent(new AuditApplicationEvent(event.getPrincipalName(), event.getType(), event.getDetails()));
	}

}
