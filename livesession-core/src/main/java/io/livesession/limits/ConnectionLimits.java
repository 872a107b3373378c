package io.livesession.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.livesession.ConnectRequest;
import io.livesession.SessionGroupUnavailableException;
import io.livesession.metrics.LiveMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * Counts the open connections of each user, anonymous browser and remote address, and of
 * the instance, and the new anonymous groups each remote address creates per minute, so
 * that one client cannot take the memory, the file descriptors or the group store of all.
 * Each limit of {@code 0} is off. IPv6 addresses count by their /64 prefix, since one
 * host usually holds a whole /64.
 *
 * <p>
 * Hand-written rather than Bucket4j or Resilience4j, which are not on livesession's
 * classpath: a few counters and one token bucket per address.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ConnectionLimits {

	/** How long a client refused by a connection count should wait, in seconds. */
	static final long COUNT_RETRY_AFTER = 5;

	/** Past this many addresses, those whose bucket refilled are forgotten. */
	static final int MAX_TRACKED_ADDRESSES = 10_000;

	private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

	private final Settings settings;

	private final LiveMetrics metrics;

	private final LongSupplier nanoClock;

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	private final Map<String, NewGroupBucket> newGroups = new ConcurrentHashMap<>();

	public ConnectionLimits(Settings settings, LiveMetrics metrics) {
		this(settings, metrics, System::nanoTime);
	}

	ConnectionLimits(Settings settings, LiveMetrics metrics, LongSupplier nanoClock) {
		this.settings = settings;
		this.metrics = metrics;
		this.nanoClock = nanoClock;
	}

	/**
	 * The limits.
	 * @return the settings
	 */
	public Settings getSettings() {
		return this.settings;
	}

	/**
	 * Admit a connection, counting it until its {@link Admission#permit() permit} is
	 * released.
	 * @param userId the user, or {@code null} when anonymous
	 * @param anonymousId the anonymous browser's id
	 * @param address the remote address, or {@code null} when unknown
	 * @return the permit, or the refusal
	 */
	public Admission admit(@Nullable String userId, String anonymousId, @Nullable InetSocketAddress address) {
		if (!acquire(this.total, this.settings.maxConnections())) {
			return refuse(LiveMetrics.LIMIT_INSTANCE, 503, COUNT_RETRY_AFTER,
					"this instance has " + this.settings.maxConnections() + " connections");
		}
		Permit permit = new Permit();
		String addressKey = addressKey(address);
		if (addressKey != null && !permit.add("address:" + addressKey, this.settings.maxPerAddress())) {
			permit.release();
			return refuse(LiveMetrics.LIMIT_ADDRESS, 429, COUNT_RETRY_AFTER,
					"remote address " + addressKey + " has " + this.settings.maxPerAddress() + " connections");
		}
		boolean user = userId != null;
		String key = user ? "user:" + userId : "browser:" + anonymousId;
		int max = user ? this.settings.maxPerUser() : this.settings.maxPerBrowser();
		if (!permit.add(key, max)) {
			permit.release();
			return refuse(user ? LiveMetrics.LIMIT_USER : LiveMetrics.LIMIT_BROWSER, 429, COUNT_RETRY_AFTER,
					(user ? "user " + userId : "anonymous browser") + " has " + max + " connections");
		}
		return new Admission(permit, null);
	}

	/**
	 * Charge a remote address for the group of an anonymous request if that group does
	 * not exist yet: without a cookie each request is a new browser with a new group,
	 * kept for the group timeout, which is what a flood of such requests could fill
	 * memory with. A group is taken for existing when the store cannot be reached, so
	 * that the request meets the outage where it reads its group, as documented (an
	 * action answers {@code unavailable}, a connection closes with {@code 1011}), instead
	 * of failing here (a handshake with 500).
	 * @param connect the resolved request
	 * @param groupExists whether a group exists already
	 * @param address the remote address, or {@code null} when unknown
	 * @return the refusal, or {@code null} when authenticated, for an existing group or
	 * within the limit
	 */
	public @Nullable Refusal newGroup(ConnectRequest connect, Predicate<String> groupExists,
			@Nullable InetSocketAddress address) {
		if (connect.getUserId() != null || exists(groupExists, connect.getGroupId())) {
			return null;
		}
		return newGroup(address);
	}

	private static boolean exists(Predicate<String> groupExists, String groupId) {
		try {
			return groupExists.test(groupId);
		}
		catch (SessionGroupUnavailableException ex) {
			return true;
		}
	}

	/**
	 * Charge a remote address for a new anonymous group.
	 * @param address the remote address, or {@code null} when unknown
	 * @return the refusal, or {@code null} when within the limit
	 */
	public @Nullable Refusal newGroup(@Nullable InetSocketAddress address) {
		int perMinute = this.settings.newGroupsPerAddressPerMinute();
		String key = addressKey(address);
		if (perMinute <= 0 || key == null) {
			return null;
		}
		long now = this.nanoClock.getAsLong();
		if (this.newGroups.size() >= MAX_TRACKED_ADDRESSES) {
			this.newGroups.values().removeIf((bucket) -> bucket.isFull(now));
		}
		long waitNanos = this.newGroups.computeIfAbsent(key, (k) -> new NewGroupBucket(perMinute, now)).take(now);
		if (waitNanos == 0) {
			return null;
		}
		long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
		return refuse(LiveMetrics.LIMIT_NEW_GROUPS, 429, retryAfter,
				"remote address " + key + " created " + perMinute + " anonymous groups within a minute")
			.refusal();
	}

	/**
	 * The number of connections admitted and not yet released.
	 * @return the count
	 */
	public int getConnectionCount() {
		return this.total.get();
	}

	private Admission refuse(String limit, int status, long retryAfter, String reason) {
		this.metrics.refused(limit);
		return new Admission(null, new Refusal(limit, status, retryAfter, reason));
	}

	private static boolean acquire(AtomicInteger count, int max) {
		if (count.incrementAndGet() > max && max > 0) {
			count.decrementAndGet();
			return false;
		}
		return true;
	}

	/**
	 * Count one more connection under a key, atomically per key; counters exist only
	 * while above zero, so the map holds only callers with an open connection.
	 */
	private boolean acquire(String key, int max) {
		boolean[] acquired = new boolean[1];
		this.counts.compute(key, (k, count) -> {
			int current = (count != null) ? count.get() : 0;
			if (max > 0 && current >= max) {
				return count;
			}
			acquired[0] = true;
			AtomicInteger next = (count != null) ? count : new AtomicInteger();
			next.incrementAndGet();
			return next;
		});
		return acquired[0];
	}

	private void release(String key) {
		this.counts.computeIfPresent(key, (k, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

	/**
	 * The key an address counts under: IPv4 as is, IPv6 by its /64.
	 */
	static @Nullable String addressKey(@Nullable InetSocketAddress socketAddress) {
		InetAddress address = (socketAddress != null) ? socketAddress.getAddress() : null;
		if (address == null) {
			return null;
		}
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			StringBuilder prefix = new StringBuilder();
			for (int i = 0; i < 8; i += 2) {
				prefix.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
			}
			return prefix.append(":/64").toString();
		}
		return address.getHostAddress();
	}

	/**
	 * The limits; {@code 0} turns one off.
	 *
	 * @param maxPerUser connections of one authenticated user
	 * @param maxPerBrowser connections of one anonymous browser (cookie)
	 * @param maxPerAddress connections from one remote address
	 * @param maxConnections connections of this instance
	 * @param newGroupsPerAddressPerMinute new anonymous groups one remote address may
	 * create per minute
	 * @since 0.1.0
	 */
	public record Settings(int maxPerUser, int maxPerBrowser, int maxPerAddress, int maxConnections,
			int newGroupsPerAddressPerMinute) {

		public Settings {
			Assert.isTrue(maxPerUser >= 0 && maxPerBrowser >= 0 && maxPerAddress >= 0 && maxConnections >= 0
					&& newGroupsPerAddressPerMinute >= 0, "Limits must not be negative");
		}

	}

	/**
	 * Why a limit refused.
	 *
	 * @param limit the limit, one of the {@code LiveMetrics.LIMIT_} constants
	 * @param status the HTTP status: 429, or 503 for the instance's limit
	 * @param retryAfterSeconds the {@code Retry-After} to answer with
	 * @param reason the reason, for the log
	 * @since 0.1.0
	 */
	public record Refusal(String limit, int status, long retryAfterSeconds, String reason) {
	}

	/**
	 * The outcome of {@link #admit}: a permit or a refusal.
	 *
	 * @param permit the permit to release when the connection is gone, or {@code null}
	 * @param refusal the refusal, or {@code null}
	 * @since 0.1.0
	 */
	public record Admission(@Nullable Permit permit, @Nullable Refusal refusal) {
	}

	/**
	 * The counts one admitted connection holds; released once.
	 *
	 * @since 0.1.0
	 */
	public final class Permit {

		private final String[] keys = new String[2];

		private int size;

		private final AtomicBoolean released = new AtomicBoolean();

		boolean add(String key, int max) {
			if (!ConnectionLimits.this.acquire(key, max)) {
				return false;
			}
			this.keys[this.size++] = key;
			return true;
		}

		/**
		 * Stop counting the connection. Idempotent.
		 */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				for (int i = 0; i < this.size; i++) {
					ConnectionLimits.this.release(this.keys[i]);
				}
				ConnectionLimits.this.total.decrementAndGet();
			}
		}

	}

	/**
	 * A token bucket of {@code perMinute} tokens, refilled over a minute.
	 */
	private static final class NewGroupBucket {

		private final double capacity;

		private double tokens;

		private long refilledAt;

		NewGroupBucket(int perMinute, long now) {
			this.capacity = perMinute;
			this.tokens = perMinute;
			this.refilledAt = now;
		}

		/** Take a token: 0 when taken, else the nanoseconds until one is available. */
		synchronized long take(long now) {
			refill(now);
			if (this.tokens >= 1) {
				this.tokens -= 1;
				return 0;
			}
			return Math.max(1, (long) Math.ceil((1 - this.tokens) * MINUTE_NANOS / this.capacity));
		}

		synchronized boolean isFull(long now) {
			refill(now);
			return this.tokens >= this.capacity;
		}

		private void refill(long now) {
			this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.capacity / MINUTE_NANOS);
			this.refilledAt = now;
		}

	}

}
