package io.livesession.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for livesession.
 *
 * @author livesession
 */
@ConfigurationProperties("livesession")
public class LiveSessionProperties {

	/**
	 * Path of the live WebSocket endpoint.
	 */
	private String endpoint = "/live";

	/**
	 * Origin patterns allowed to open the endpoint besides the page's own origin, as
	 * Spring's setAllowedOriginPatterns takes them (for example "https://*.example.com").
	 * Empty means same-origin only.
	 */
	private List<String> allowedOrigins = new ArrayList<>();

	/**
	 * Whether an anonymous handshake is refused with HTTP 401 before the upgrade.
	 */
	private boolean requireAuthentication;

	/**
	 * Largest inbound text frame; a larger one closes the connection with 1009.
	 */
	private DataSize maxTextMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Largest amount of outbound data queued for one connection; a connection that falls
	 * further behind is closed with 4008.
	 */
	private DataSize sendBufferSizeLimit = DataSize.ofKilobytes(512);

	/**
	 * Longest time one write to a connection may block (a client that stopped reading);
	 * the connection is then closed with 4008 and its send thread freed.
	 */
	private Duration sendTimeLimit = Duration.ofSeconds(10);

	/**
	 * Number of threads that write queued frames to connections.
	 */
	private int sendThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

	/**
	 * Where session groups live and how frames reach other instances. By default Redis
	 * when Spring Data Redis and a RedisConnectionFactory are present, otherwise memory.
	 */
	private @Nullable StoreType store;

	private final Anonymous anonymous = new Anonymous();

	private final Redis redis = new Redis();

	private final Group group = new Group();

	private final Client client = new Client();

	private final HttpActions httpActions = new HttpActions();

	private final RateLimit rateLimit = new RateLimit();

	private final Security security = new Security();

	private final Shutdown shutdown = new Shutdown();

	public String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(String endpoint) {
		this.endpoint = endpoint;
	}

	public List<String> getAllowedOrigins() {
		return this.allowedOrigins;
	}

	public void setAllowedOrigins(List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins;
	}

	public boolean isRequireAuthentication() {
		return this.requireAuthentication;
	}

	public void setRequireAuthentication(boolean requireAuthentication) {
		this.requireAuthentication = requireAuthentication;
	}

	public DataSize getMaxTextMessageSize() {
		return this.maxTextMessageSize;
	}

	public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
		this.maxTextMessageSize = maxTextMessageSize;
	}

	public DataSize getSendBufferSizeLimit() {
		return this.sendBufferSizeLimit;
	}

	public void setSendBufferSizeLimit(DataSize sendBufferSizeLimit) {
		this.sendBufferSizeLimit = sendBufferSizeLimit;
	}

	public Duration getSendTimeLimit() {
		return this.sendTimeLimit;
	}

	public void setSendTimeLimit(Duration sendTimeLimit) {
		this.sendTimeLimit = sendTimeLimit;
	}

	public int getSendThreads() {
		return this.sendThreads;
	}

	public void setSendThreads(int sendThreads) {
		this.sendThreads = sendThreads;
	}

	public @Nullable StoreType getStore() {
		return this.store;
	}

	public void setStore(@Nullable StoreType store) {
		this.store = store;
	}

	public Anonymous getAnonymous() {
		return this.anonymous;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Group store types.
	 */
	public enum StoreType {

		/**
		 * This instance's memory; one instance only.
		 */
		MEMORY,

		/**
		 * Redis, shared by every instance.
		 */
		REDIS

	}

	/**
	 * Redis support.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key livesession writes, kept apart from Spring Session's
		 * HTTP sessions.
		 */
		private String keyPrefix = "livesession:";

		/**
		 * Pub/sub channel that carries broadcasts and state changes between instances.
		 * Presence events travel on this name followed by ":presence". Revocations travel
		 * on a sibling channel, this name followed by ":revocations".
		 */
		private String channel = "livesession:deliveries";

		/**
		 * How long an action waits for a group's cluster-wide lock before answering
		 * 'unavailable'.
		 */
		private Duration lockTimeout = Duration.ofSeconds(5);

		/**
		 * How often an instance renews its presence lease, which lasts three heartbeats,
		 * and removes the connections of instances whose lease ran out. An instance that
		 * stops without a clean shutdown leaves the presence counts within four
		 * heartbeats.
		 */
		private Duration presenceHeartbeat = Duration.ofSeconds(5);

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public String getChannel() {
			return this.channel;
		}

		public void setChannel(String channel) {
			this.channel = channel;
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public Duration getPresenceHeartbeat() {
			return this.presenceHeartbeat;
		}

		public void setPresenceHeartbeat(Duration presenceHeartbeat) {
			this.presenceHeartbeat = presenceHeartbeat;
		}

	}

	public Group getGroup() {
		return this.group;
	}

	public Client getClient() {
		return this.client;
	}

	public HttpActions getHttpActions() {
		return this.httpActions;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * The limit on the frames each connection sends: a token bucket per connection.
	 */
	public static class RateLimit {

		/**
		 * Whether each connection's inbound frames are rate limited.
		 */
		private boolean enabled = true;

		/**
		 * Sustained rate of frames (actions, syncs, and bad frames alike) one connection
		 * may send; a frame over the limit is answered with 'rate_limited' and not
		 * processed.
		 */
		private double actionsPerSecond = 20;

		/**
		 * How many frames one connection may send at once, above the sustained rate.
		 */
		private int burst = 40;

		/**
		 * Refused frames within the rejection window that close the connection with 1008
		 * (reason 'rate_limited'); 0 never closes it.
		 */
		private int maxRejections = 100;

		/**
		 * Window in which refused frames are counted against max-rejections.
		 */
		private Duration rejectionWindow = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getActionsPerSecond() {
			return this.actionsPerSecond;
		}

		public void setActionsPerSecond(double actionsPerSecond) {
			this.actionsPerSecond = actionsPerSecond;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

		public int getMaxRejections() {
			return this.maxRejections;
		}

		public void setMaxRejections(int maxRejections) {
			this.maxRejections = maxRejections;
		}

		public Duration getRejectionWindow() {
			return this.rejectionWindow;
		}

		public void setRejectionWindow(Duration rejectionWindow) {
			this.rejectionWindow = rejectionWindow;
		}

	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	/**
	 * Graceful shutdown.
	 */
	public static class Shutdown {

		/**
		 * Connections closed per second with 1001 when the application stops, after new
		 * handshakes are refused with 503. Raised when needed to end within
		 * spring.lifecycle.timeout-per-shutdown-phase.
		 */
		private int drainRate = 500;

		public int getDrainRate() {
			return this.drainRate;
		}

		public void setDrainRate(int drainRate) {
			this.drainRate = drainRate;
		}

	}

	public Security getSecurity() {
		return this.security;
	}

	/**
	 * The anonymous browser cookie.
	 */
	public static class Anonymous {

		/**
		 * Name of the cookie that identifies an anonymous browser.
		 */
		private String cookieName = "LIVESESSION";

		/**
		 * Max-Age of the anonymous cookie.
		 */
		private Duration cookieMaxAge = Duration.ofDays(365);

		/**
		 * Whether the anonymous cookie is always marked Secure; it is anyway when the
		 * request is secure.
		 */
		private boolean cookieSecure;

		/**
		 * Key (at least 32 characters) of the HMAC that authenticates anonymous cookie
		 * values, the same on every instance. When unset, the instances share a random
		 * key created once in Redis, or a single instance uses a random key of its own.
		 */
		private @Nullable String secret;

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public String getCookieName() {
			return this.cookieName;
		}

		public void setCookieName(String cookieName) {
			this.cookieName = cookieName;
		}

		public Duration getCookieMaxAge() {
			return this.cookieMaxAge;
		}

		public void setCookieMaxAge(Duration cookieMaxAge) {
			this.cookieMaxAge = cookieMaxAge;
		}

		public boolean isCookieSecure() {
			return this.cookieSecure;
		}

		public void setCookieSecure(boolean cookieSecure) {
			this.cookieSecure = cookieSecure;
		}

	}

	/**
	 * Session groups.
	 */
	public static class Group {

		/**
		 * Sliding time to live of a group without open connections; a group with an open
		 * connection never expires.
		 */
		private Duration timeout = Duration.ofHours(24);

		/**
		 * How often groups with open connections are kept alive and expired groups are
		 * removed. Capped at half the timeout.
		 */
		private Duration cleanupInterval = Duration.ofMinutes(1);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

	}

	/**
	 * The browser client livesession.js that the starter serves.
	 */
	public static class Client {

		/**
		 * Path at which the browser client is served; its TypeScript declarations are
		 * served next to it, with ".d.ts" in place of ".js".
		 */
		private String path = "/livesession/livesession.js";

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

	/**
	 * Actions over plain HTTP.
	 */
	public static class HttpActions {

		/**
		 * Whether "POST {endpoint}/actions/{name}" runs the live actions for callers
		 * without a WebSocket, with the same identity, group, authorization, rate limit
		 * and error codes. Spring Security's CSRF protection applies as to any POST.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Revocation and HTTP sessions.
	 */
	public static class Security {

		/**
		 * How often the HTTP sessions of this instance's authenticated connections are
		 * checked: the connections of a session that ended are closed with 1008, and a
		 * session in use is kept alive. Keep it well below the HTTP session timeout.
		 */
		private Duration sessionCheckInterval = Duration.ofSeconds(30);

		/**
		 * Whether an open authenticated connection keeps its HTTP session from expiring,
		 * as Spring Session's WebSocket support does for STOMP.
		 */
		private boolean keepHttpSessionAlive = true;

		public Duration getSessionCheckInterval() {
			return this.sessionCheckInterval;
		}

		public void setSessionCheckInterval(Duration sessionCheckInterval) {
			this.sessionCheckInterval = sessionCheckInterval;
		}

		public boolean isKeepHttpSessionAlive() {
			return this.keepHttpSessionAlive;
		}

		public void setKeepHttpSessionAlive(boolean keepHttpSessionAlive) {
			this.keepHttpSessionAlive = keepHttpSessionAlive;
		}

	}

}
