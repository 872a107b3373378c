package io.livesession.revocation;

/**
 * Carries a revocation to every instance, where each closes its own matching connections.
 * In one instance this is just {@link LocalRevocations}; a cluster channel applies it
 * locally and publishes it to the others.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface RevocationChannel {

	/**
	 * Revoke the matching connections on every instance.
	 * @param revocation what to revoke
	 */
	void publish(Revocation revocation);

}
