package io.livesession.redis;

import io.livesession.delivery.LocalDelivery;
import org.mockito.Answers;

import static org.mockito.Mockito.mock;

/**
 * Mocks of {@link LocalDelivery} for tests that verify {@code deliver}: like the real one
 * for targets that are not small, {@code deliverIfIdle} does nothing and answers
 * {@code null}, so every delivery is a {@code deliver} call.
 */
final class LocalDeliveryMocks {

	private LocalDeliveryMocks() {
	}

	static LocalDelivery deliveringLater() {
		return mock(LocalDelivery.class, (invocation) -> invocation.getMethod().getName().equals("deliverIfIdle") ? null
				: Answers.RETURNS_DEFAULTS.answer(invocation));
	}

}
