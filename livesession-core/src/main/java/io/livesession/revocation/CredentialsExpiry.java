package io.livesession.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

import io.livesession.LiveConnection;
import io.livesession.event.RevocationReason;
import io.livesession.registry.RegistryListener;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Token;

/**
 * Closes a connection with 1008 {@code revoked} when the credentials it was opened with
 * expire: by default the {@code exp} of the OAuth 2.0 token (a JWT, say) that Spring
 * Security's resource server authenticated the handshake with. A socket outlives the
 * request that opened it, so without this a token would grant access past its lifetime.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class CredentialsExpiry implements RegistryListener, DisposableBean {

	private final Function<LiveConnection, @Nullable Instant> expiry;

	private final LocalRevocations revocations;

	private final Clock clock;

	private final TaskScheduler scheduler;

	private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

	/**
	 * Close connections when their OAuth 2.0 token expires.
	 * @param revocations closes the connections
	 * @param scheduler runs the closes when they are due
	 */
	public CredentialsExpiry(LocalRevocations revocations, TaskScheduler scheduler) {
		this(CredentialsExpiry::oauth2TokenExpiry, revocations, Clock.systemUTC(), scheduler);
	}

	/**
	 * Create an instance.
	 * @param expiry when a connection's credentials expire, or {@code null} for never
	 * @param revocations closes the connections
	 * @param clock the clock the expiry is compared with
	 * @param scheduler runs the closes when they are due; it only hands expired
	 * connections to the revocations
	 */
	public CredentialsExpiry(Function<LiveConnection, @Nullable Instant> expiry, LocalRevocations revocations,
			Clock clock, TaskScheduler scheduler) {
		this.expiry = expiry;
		this.revocations = revocations;
		this.clock = clock;
		this.scheduler = scheduler;
	}

	/**
	 * The expiry of the OAuth 2.0 token in the connection's {@link Authentication}, if
	 * any.
	 * @param connection the connection
	 * @return when the token expires, or {@code null}
	 */
	public static @Nullable Instant oauth2TokenExpiry(LiveConnection connection) {
		if (connection.getPrincipal() instanceof Authentication authentication
				&& authentication.getCredentials() instanceof OAuth2Token token) {
			return token.getExpiresAt();
		}
		return null;
	}

	@Override
	public void connectionRegistered(LiveConnection connection) {
		Instant expiresAt = this.expiry.apply(connection);
		if (expiresAt == null) {
			return;
		}
		// The scheduler's clock may differ from the one the expiry is compared with.
		Duration delay = Duration.between(this.clock.instant(), expiresAt);
		Instant due = Instant.now().plus(delay.isNegative() ? Duration.ZERO : delay);
		this.pending.put(connection.getId(), this.scheduler.schedule(() -> expire(connection), due));
	}

	private void expire(LiveConnection connection) {
		this.pending.remove(connection.getId());
		this.revocations.revoke(
				new Revocation(Revocation.Kind.CONNECTION, connection.getId(), RevocationReason.CREDENTIALS_EXPIRED));
	}

	@Override
	public void connectionUnregistered(LiveConnection connection) {
		ScheduledFuture<?> future = this.pending.remove(connection.getId());
		if (future != null) {
			future.cancel(false);
		}
	}

	/**
	 * How many connections wait for their credentials to expire.
	 * @return the count
	 */
	public int getPendingCount() {
		return this.pending.size();
	}

	@Override
	public void destroy() {
		// The scheduler is shared: leave nothing of ours on it.
		this.pending.values().forEach((future) -> future.cancel(false));
		this.pending.clear();
	}

}
