package io.livesession.redis;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * A warning logged at most every ten seconds: while Redis is unreachable every call
 * fails, and one line per call would flood the log.
 *
 * @author livesession
 */
final class ThrottledLog {

	private static final long INTERVAL_MILLIS = 10_000;

	private final Log logger;

	private volatile long lastLogged;

	ThrottledLog(Log logger) {
		this.logger = logger;
	}

	void warn(Supplier<String> message) {
		long now = System.currentTimeMillis();
		if (now - this.lastLogged > INTERVAL_MILLIS) {
			this.lastLogged = now;
			this.logger.warn(message.get());
		}
	}

}
