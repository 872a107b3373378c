package io.livesession.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.livesession.event.RevocationReason;
import io.livesession.scheduling.PeriodicJob;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Every interval, checks that the HTTP session of each authenticated connection on this
 * instance still exists, revoking its connections when it does not, and keeps it alive
 * while connections use it, as Spring Session's WebSocket support does for STOMP.
 *
 * <p>
 * The servlet container's own sessions are reached through the Servlet 6.1
 * {@link HttpSession#getAccessor() accessor} taken at the handshake; Spring Session's
 * sessions through the application's {@link SessionRepository} ({@code findById}, then
 * {@code setLastAccessedTime} and {@code save}). A session is touched only when it has
 * been idle for half its timeout or a minute, whichever is shorter, so an active session
 * costs nothing extra. Sessions of neither kind are left to the session events. Runs on
 * the {@link TaskScheduler} the instance's other periodic jobs share.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class HttpSessionMonitor extends PeriodicJob {

	/** The longest a used session goes without being touched. */
	static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);

	private static final Log logger = LogFactory.getLog(HttpSessionMonitor.class);

	private final ConnectionBindings bindings;

	private final LocalRevocations revocations;

	private final @Nullable SessionRepository<? extends Session> repository;

	private final boolean keepAlive;

	private volatile long lastFailureLog;

	/**
	 * Create a monitor.
	 * @param bindings the connections' HTTP sessions
	 * @param revocations revokes the connections of an ended session
	 * @param repository the application's Spring Session repository, if any
	 * @param interval how often to check
	 * @param keepAlive whether to keep the sessions of open connections alive
	 * @param scheduler runs the checks
	 */
	public HttpSessionMonitor(ConnectionBindings bindings, LocalRevocations revocations,
			@Nullable SessionRepository<? extends Session> repository, Duration interval, boolean keepAlive,
			TaskScheduler scheduler) {
		super("HTTP session check", logger, scheduler, interval);
		this.bindings = bindings;
		this.revocations = revocations;
		this.repository = repository;
		this.keepAlive = keepAlive;
	}

	/**
	 * Run one check now.
	 * @return the number of HTTP sessions found ended
	 */
	public int runOnce() {
		int ended = 0;
		for (String httpSessionId : List.copyOf(this.bindings.getHttpSessionIds())) {
			if (!isAlive(httpSessionId)) {
				ended++;
				this.revocations.revoke(new Revocation(Revocation.Kind.HTTP_SESSION, httpSessionId,
						RevocationReason.HTTP_SESSION_ENDED));
			}
		}
		return ended;
	}

	private boolean isAlive(String httpSessionId) {
		HttpSession containerSession = this.bindings.getContainerSession(httpSessionId);
		if (containerSession != null) {
			return isAlive(containerSession);
		}
		if (this.repository != null) {
			try {
				return isAlive(this.repository, httpSessionId);
			}
			catch (RuntimeException ex) {
				// The store may be down: never revoke on a failure to look.
				logFailure(ex);
			}
		}
		return true;
	}

	private boolean isAlive(HttpSession session) {
		try {
			long now = System.currentTimeMillis();
			long idle = now - session.getLastAccessedTime();
			int timeout = session.getMaxInactiveInterval();
			if (timeout > 0 && idle >= timeout * 1000L) {
				return false;
			}
			if (this.keepAlive && timeout > 0 && idle >= touchAfter(Duration.ofSeconds(timeout)).toMillis()) {
				HttpSession.Accessor accessor = session.getAccessor();
				if (accessor == null) {
					return true;
				}
				// Accessing the session is what updates its last accessed time.
				accessor.access((accessed) -> {
				});
			}
			return true;
		}
		catch (IllegalStateException ex) {
			// Invalidated, expired or no longer known to the container.
			return false;
		}
	}

	private <S extends Session> boolean isAlive(SessionRepository<S> repository, String httpSessionId) {
		S session = repository.findById(httpSessionId);
		if (session == null) {
			return false;
		}
		Duration timeout = session.getMaxInactiveInterval();
		if (this.keepAlive && !timeout.isNegative() && !timeout.isZero()) {
			Instant now = Instant.now();
			if (!session.getLastAccessedTime().plus(touchAfter(timeout)).isAfter(now)) {
				session.setLastAccessedTime(now);
				repository.save(session);
			}
		}
		return true;
	}

	private static Duration touchAfter(Duration timeout) {
		Duration half = timeout.dividedBy(2);
		return (half.compareTo(MAX_TOUCH_INTERVAL) < 0) ? half : MAX_TOUCH_INTERVAL;
	}

	private void logFailure(RuntimeException ex) {
		long now = System.currentTimeMillis();
		if (now - this.lastFailureLog > 10_000) {
			this.lastFailureLog = now;
			logger.warn("Could not check HTTP sessions of live connections: " + ex.getMessage());
		}
	}

	@Override
	protected void runScheduled() {
		runOnce();
	}

}
