package io.livesession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The channels of the users and groups this instance hosts, counted by connection: the
 * first connection of a user or group subscribes to its channel, the last one to leave
 * unsubscribes.
 *
 * <p>
 * {@link #acquire} returns once Redis has confirmed every subscription the connection
 * needs, or after the timeout: from the confirmation on, every message published to the
 * channel reaches this instance, so a connection greeted after it misses no frame
 * published after its {@code hello}. An unsubscribe never overtakes a subscription that
 * is still unconfirmed (it waits for the confirmation), so a confirmation always belongs
 * to the latest subscribe of its channel. Subscribing and unsubscribing are serialized:
 * the container's commands then reach Redis in the order of the counts.
 *
 * @author livesession
 */
final class InterestSubscriptions {

	private static final Log logger = LogFactory.getLog(InterestSubscriptions.class);

	private final ChannelSubscription subscription;

	private final Duration timeout;

	/** Guarded by itself, as are the container calls made for it. */
	private final Map<String, Interest> interests = new HashMap<>();

	private final ThrottledLog slow = new ThrottledLog(logger);

	InterestSubscriptions(ChannelSubscription subscription, Duration timeout) {
		this.subscription = subscription;
		this.timeout = timeout;
	}

	/**
	 * Count one more connection on each channel, subscribing to the new ones, and wait
	 * until every one is confirmed, at most the timeout.
	 * @param channels the channels
	 * @return whether every subscription was confirmed in time
	 */
	boolean acquire(List<String> channels) {
		List<CompletableFuture<Void>> confirmations = new ArrayList<>(channels.size());
		synchronized (this.interests) {
			for (String channel : channels) {
				Interest interest = this.interests.get(channel);
				if (interest == null) {
					interest = new Interest();
					this.interests.put(channel, interest);
					try {
						this.subscription.add(channel, interest.confirmed);
					}
					catch (RuntimeException ex) {
						// The container keeps the channel and subscribes when it
						// reconnects; until then this connection waits like any other.
						logger.debug("Subscribing to " + channel + " failed", ex);
					}
				}
				interest.connections++;
				confirmations.add(interest.confirmed);
			}
		}
		if (!this.subscription.isListening()) {
			// Redis is unreachable: no confirmation will come before it is back, and the
			// connection's group read fails at once meanwhile.
			return false;
		}
		try {
			CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
				.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			this.slow.warn(() -> "A subscription to " + channels + " was not confirmed within " + this.timeout
					+ ": frames published meanwhile may miss a new connection");
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Count one connection less on each channel, unsubscribing from those left with none.
	 * @param channels the channels given to {@link #acquire}
	 */
	void release(List<String> channels) {
		synchronized (this.interests) {
			for (String channel : channels) {
				Interest interest = this.interests.get(channel);
				if (interest == null || --interest.connections > 0) {
					continue;
				}
				if (interest.confirmed.isDone()) {
					unsubscribe(channel, interest);
				}
				else {
					// Off the container's thread, which completes the confirmation and
					// must not wait for Redis.
					interest.confirmed.whenCompleteAsync((result, ex) -> {
						synchronized (this.interests) {
							if (interest.connections == 0) {
								unsubscribe(channel, interest);
							}
						}
					});
				}
			}
		}
	}

	/**
	 * How many channels this instance is subscribed to for its users and groups.
	 * @return the count
	 */
	int size() {
		synchronized (this.interests) {
			return this.interests.size();
		}
	}

	private void unsubscribe(String channel, Interest interest) {
		if (this.interests.remove(channel, interest)) {
			try {
				this.subscription.remove(channel);
			}
			catch (RuntimeException ex) {
				logger.debug("Unsubscribing from " + channel + " failed", ex);
			}
		}
	}

	private static final class Interest {

		private final CompletableFuture<Void> confirmed = new CompletableFuture<>();

		/** Guarded by the map of interests. */
		private int connections;

	}

}
