package io.livesession.revocation;

import io.livesession.event.RevocationReason;

/**
 * {@link Revocations} on a {@link RevocationChannel}, with the reason
 * {@link RevocationReason#APPLICATION}.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ChannelRevocations implements Revocations {

	private final RevocationChannel channel;

	public ChannelRevocations(RevocationChannel channel) {
		this.channel = channel;
	}

	@Override
	public void revokeUser(String userId) {
		this.channel.publish(new Revocation(Revocation.Kind.USER, userId, RevocationReason.APPLICATION));
	}

	@Override
	public void revokeHttpSession(String httpSessionId) {
		this.channel.publish(new Revocation(Revocation.Kind.HTTP_SESSION, httpSessionId, RevocationReason.APPLICATION));
	}

	@Override
	public void revokeConnection(String connectionId) {
		this.channel.publish(new Revocation(Revocation.Kind.CONNECTION, connectionId, RevocationReason.APPLICATION));
	}

}
