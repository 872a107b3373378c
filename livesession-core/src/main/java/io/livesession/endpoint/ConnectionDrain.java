package io.livesession.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.delivery.CloseCode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Drains live connections when the application stops, before the web server shuts down:
 * first new handshakes are refused (see {@link #isAccepting()}), then open connections
 * are closed with {@link CloseCode#SHUTDOWN 1001} (going away) in small batches at the
 * drain rate, so that clients reconnect to other instances spread out over time instead
 * of all at once. The drain speeds up when needed to end within the shutdown phase's
 * timeout, and closes whatever is left when three quarters of that time are up. It ends
 * once every connection is gone from the registry, or at seven eighths of the timeout. It
 * stops in {@link SmartLifecycle#DEFAULT_PHASE}, the first phase to stop, ahead of the
 * web server's graceful shutdown.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectionDrain implements SmartLifecycle {

	/** Batches per second. */
	private static final int TICKS_PER_SECOND = 10;

	private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;

	private static final Log logger = LogFactory.getLog(ConnectionDrain.class);

	private final ConnectionRegistry registry;

	private final int drainRate;

	private final Duration timeout;

	private volatile boolean running;

	private volatile boolean accepting = true;

	/**
	 * Create a drain.
	 * @param registry the connections to drain
	 * @param drainRate connections closed per second
	 * @param timeout the shutdown phase timeout the drain has to end within
	 */
	public ConnectionDrain(ConnectionRegistry registry, int drainRate, Duration timeout) {
		Assert.isTrue(drainRate > 0, "'drainRate' must be positive");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		this.registry = registry;
		this.drainRate = drainRate;
		this.timeout = timeout;
	}

	/**
	 * Whether new connections are accepted: from start until the drain begins.
	 * @return {@code true} while accepting
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	@Override
	public void start() {
		this.accepting = true;
		this.running = true;
	}

	@Override
	public void stop() {
		this.accepting = false;
		try {
			drain();
		}
		finally {
			this.running = false;
		}
	}

	@Override
	public void stop(Runnable callback) {
		this.accepting = false;
		if (openConnections(1).isEmpty()) {
			this.running = false;
			callback.run();
			return;
		}
		Thread drain = new Thread(() -> {
			try {
				drain();
			}
			finally {
				this.running = false;
				callback.run();
			}
		}, "livesession-drain");
		drain.setDaemon(true);
		drain.start();
	}

	private void drain() {
		long start = System.nanoTime();
		// A margin for the other beans of the phase and for the last closes to go out.
		long deadline = start + this.timeout.toNanos() * 3 / 4;
		int perTick = Math.max(1, (this.drainRate + TICKS_PER_SECOND - 1) / TICKS_PER_SECOND);
		int total = this.registry.getConnectionCount();
		if (total > 0) {
			logger.info("Draining " + total + " live connection(s) with 1001 (going away) at " + this.drainRate
					+ "/s within " + this.timeout);
		}
		int closed = 0;
		long nextTick = start;
		while (true) {
			long now = System.nanoTime();
			long ticksLeft = (deadline - now) / TICK_NANOS;
			List<LiveConnection> open = openConnections(Integer.MAX_VALUE);
			if (open.isEmpty()) {
				break;
			}
			// Faster than the drain rate only when the rate would not end in time.
			int batch = (ticksLeft <= 0) ? open.size()
					: (int) Math.max(perTick, (open.size() + ticksLeft - 1) / ticksLeft);
			for (LiveConnection connection : open.subList(0, Math.min(batch, open.size()))) {
				CloseCode.SHUTDOWN.close(connection);
				closed++;
			}
			if (ticksLeft <= 0) {
				// Time is up: everything left has just been closed.
				break;
			}
			nextTick += TICK_NANOS;
			long wait = nextTick - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}
		// Closes complete on closing threads: wait for them (a client answers the close
		// frame, a dead one is cut off after a second), so that the web server does not
		// stop under them and clients get 1001 rather than a dropped connection.
		long settled = start + this.timeout.toNanos() * 7 / 8;
		while (this.registry.getConnectionCount() > 0 && System.nanoTime() < settled) {
			LockSupport.parkNanos(TICK_NANOS / 10);
		}
		if (closed > 0) {
			logger.info("Closed " + closed + " live connection(s) in "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
	}

	private List<LiveConnection> openConnections(int max) {
		List<LiveConnection> open = new ArrayList<>();
		for (LiveConnection connection : this.registry.findAll()) {
			if (connection.isOpen()) {
				open.add(connection);
				if (open.size() >= max) {
					break;
				}
			}
		}
		return open;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
