package io.livesession.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for livesession.
 *
 * @author livesession
 * @since 0.1.0
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

	private final Actions actions = new Actions();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Leader leader = new Leader();

	private final Limits limits = new Limits();

	private final Topics topics = new Topics();

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
	 *
	 * @since 0.1.0
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
	 *
	 * @since 0.1.0
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
		 * Longest time one of livesession's own Redis commands (group reads and commits,
		 * publishes, presence, revocations, health) waits for an answer, whatever
		 * spring.data.redis.timeout says; while the connection is down commands fail at
		 * once. An action then answers 'unavailable' and a new connection is closed with
		 * 1011.
		 */
		private Duration commandTimeout = Duration.ofSeconds(2);

		/**
		 * How many times an action's handler may run when other instances keep committing
		 * to its group first, before the action answers 'unavailable'.
		 */
		private int commitAttempts = 10;

		/**
		 * Most messages waiting to be published to other instances; a broadcast beyond
		 * that still reaches this instance's connections, but not the others'.
		 */
		private int publishBuffer = 10_000;

		/**
		 * How often an instance renews its presence lease, which lasts three heartbeats,
		 * and removes the connections of instances whose lease ran out. An instance that
		 * stops without a clean shutdown leaves the presence counts within four
		 * heartbeats.
		 */
		private Duration presenceHeartbeat = Duration.ofSeconds(5);

		/**
		 * How broadcasts to users and groups reach other instances: 'interest' publishes
		 * each to a channel of its recipient that only the instances hosting it subscribe
		 * to (a connection's hello waits, at most command-timeout, for the subscription
		 * of its user's and group's channels); 'broadcast' publishes everything on the
		 * shared channel, received by every instance. Broadcasts to all, to an authority,
		 * to connections or to a user filter always use the shared channel.
		 */
		private Routing routing = Routing.INTEREST;

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

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

		public int getCommitAttempts() {
			return this.commitAttempts;
		}

		public void setCommitAttempts(int commitAttempts) {
			this.commitAttempts = commitAttempts;
		}

		public int getPublishBuffer() {
			return this.publishBuffer;
		}

		public void setPublishBuffer(int publishBuffer) {
			this.publishBuffer = publishBuffer;
		}

		public Duration getPresenceHeartbeat() {
			return this.presenceHeartbeat;
		}

		public void setPresenceHeartbeat(Duration presenceHeartbeat) {
			this.presenceHeartbeat = presenceHeartbeat;
		}

		public Routing getRouting() {
			return this.routing;
		}

		public void setRouting(Routing routing) {
			this.routing = routing;
		}

		/**
		 * How targeted broadcasts travel between instances.
		 *
		 * @since 0.1.0
		 */
		public enum Routing {

			/**
			 * To the instances that host the recipients only.
			 */
			INTEREST,

			/**
			 * To every instance, which matches the target against its connections.
			 */
			BROADCAST

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
	 * The limit on the frames each user (or anonymous browser) sends: one token bucket
	 * for all of its connections and HTTP actions, kept across reconnects.
	 *
	 * @since 0.1.0
	 */
	public static class RateLimit {

		/**
		 * Whether inbound frames and HTTP actions are rate limited.
		 */
		private boolean enabled = true;

		/**
		 * Sustained rate of frames (actions, syncs, and bad frames alike) one user (or
		 * anonymous browser) may send over all of its connections; a frame over the limit
		 * is answered with 'rate_limited' and not processed.
		 */
		private double framesPerSecond = 20;

		/**
		 * How many frames one user (or anonymous browser) may send at once, above the
		 * sustained rate.
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

		public double getFramesPerSecond() {
			return this.framesPerSecond;
		}

		public void setFramesPerSecond(double framesPerSecond) {
			this.framesPerSecond = framesPerSecond;
		}

		/**
		 * Sustained rate of frames one user (or anonymous browser) may send; the old name
		 * of frames-per-second, which it counts.
		 * @return the sustained rate of frames
		 * @deprecated since 0.1.0 for {@link #getFramesPerSecond()}, as it counts every
		 * frame, not only actions
		 */
		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "livesession.rate-limit.frames-per-second", since = "0.1.0",
				reason = "It counts every inbound frame (actions, syncs and bad frames), not only actions")
		public double getActionsPerSecond() {
			return getFramesPerSecond();
		}

		/**
		 * Set the sustained rate of frames under the old name.
		 * @param actionsPerSecond the sustained rate of frames
		 * @deprecated since 0.1.0 for {@link #setFramesPerSecond(double)}
		 */
		@Deprecated(since = "0.1.0")
		public void setActionsPerSecond(double actionsPerSecond) {
			setFramesPerSecond(actionsPerSecond);
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

	public Actions getActions() {
		return this.actions;
	}

	public Leader getLeader() {
		return this.leader;
	}

	/**
	 * The cluster leader (ClusterLeader) that runs once-per-cluster jobs.
	 *
	 * @since 0.1.0
	 */
	public static class Leader {

		/**
		 * How long a leadership on Redis lasts without renewal; the leader renews it
		 * every third of it. After a crash, another instance leads within 4/3 of the
		 * lease.
		 */
		private Duration lease = Duration.ofSeconds(10);

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

	}

	/**
	 * Graceful shutdown.
	 *
	 * @since 0.1.0
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
	 *
	 * @since 0.1.0
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
	 *
	 * @since 0.1.0
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

		/**
		 * Largest encoded state of a group (the attributes as a hello or full state frame
		 * carries them); a change that would exceed it is refused with 'too_large' and
		 * changes nothing. Keep send-buffer-size-limit above it, or such a frame closes
		 * the connection with 4008.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(1);

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

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
	 *
	 * @since 0.1.0
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
	 *
	 * @since 0.1.0
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
	 *
	 * @since 0.1.0
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

	/**
	 * How the data of actions (WebSocket frames and HTTP actions) is bound.
	 *
	 * @since 0.1.0
	 */
	public static class Actions {

		/**
		 * Whether action frames and data are bound strictly: a JSON object with a
		 * duplicate key is refused, and an integer field accepts only a JSON integer (no
		 * coercion of 1.5 or "5"). Either failure is answered with 'bad_request'.
		 */
		private boolean strictBinding = true;

		public boolean isStrictBinding() {
			return this.strictBinding;
		}

		public void setStrictBinding(boolean strictBinding) {
			this.strictBinding = strictBinding;
		}

	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	/**
	 * WebSocket heartbeats (ping and pong control frames).
	 *
	 * @since 0.1.0
	 */
	public static class Heartbeat {

		/**
		 * Time between pings to every connection; 0 sends none. The container's idle
		 * timeout of each live socket is set to twice this plus the timeout, so that
		 * pings keep idle sockets open, also behind proxies and load balancers that drop
		 * connections silent for longer (nginx's proxy_read_timeout and most cloud load
		 * balancers: 60 seconds).
		 */
		private Duration interval = Duration.ofSeconds(25);

		/**
		 * How long a connection may answer nothing (no pong, no frame) after a ping
		 * before it is closed with 1001 and unregistered.
		 */
		private Duration timeout = Duration.ofSeconds(20);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	public Limits getLimits() {
		return this.limits;
	}

	/**
	 * Limits against hostile clients. A handshake over a connection limit is refused with
	 * HTTP 429 (503 for the instance's limit) and Retry-After before the upgrade; 0 turns
	 * a limit off. Behind a reverse proxy, set server.forward-headers-strategy so that
	 * the remote address is the client's, not the proxy's.
	 *
	 * @since 0.1.0
	 */
	public static class Limits {

		/**
		 * Open connections of one authenticated user, on this instance.
		 */
		private int maxConnectionsPerUser = 32;

		/**
		 * Open connections of one anonymous browser (one anonymous cookie), on this
		 * instance.
		 */
		private int maxConnectionsPerBrowser = 32;

		/**
		 * Open connections from one remote address (IPv6: one /64), on this instance.
		 */
		private int maxConnectionsPerAddress = 100;

		/**
		 * Open connections of this instance; over it, handshakes get HTTP 503. A
		 * connection takes about 100 KB of heap on Tomcat.
		 */
		private int maxConnections = 10_000;

		/**
		 * New anonymous groups one remote address may create per minute, by handshakes
		 * and by HTTP actions alike (a token bucket of this size refilled over a minute).
		 */
		private int newGroupsPerAddressPerMinute = 100;

		/**
		 * Bytes of state a 'sync' returns that cost it one more frame of the rate limit
		 * (at most the burst), so that syncs cannot make the server send far more than
		 * the client sent.
		 */
		private DataSize syncCost = DataSize.ofKilobytes(16);

		/**
		 * Longest time the container's thread may block writing one control frame (the
		 * pong Tomcat answers each ping with, a close frame); a connection whose pong
		 * cannot be written in time is closed, so a ping flood that does not read never
		 * holds a worker thread for long.
		 */
		private Duration controlFrameTimeout = Duration.ofMillis(250);

		/**
		 * Longest time a connection may go without sending a single byte (a frame begun
		 * and never finished, say) before it is closed with 1001; 0 for no limit. Keep it
		 * above the client's heartbeat interval.
		 */
		private Duration readIdleTimeout = Duration.ofMinutes(10);

		public int getMaxConnectionsPerUser() {
			return this.maxConnectionsPerUser;
		}

		public void setMaxConnectionsPerUser(int maxConnectionsPerUser) {
			this.maxConnectionsPerUser = maxConnectionsPerUser;
		}

		public int getMaxConnectionsPerBrowser() {
			return this.maxConnectionsPerBrowser;
		}

		public void setMaxConnectionsPerBrowser(int maxConnectionsPerBrowser) {
			this.maxConnectionsPerBrowser = maxConnectionsPerBrowser;
		}

		public int getMaxConnectionsPerAddress() {
			return this.maxConnectionsPerAddress;
		}

		public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
			this.maxConnectionsPerAddress = maxConnectionsPerAddress;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getNewGroupsPerAddressPerMinute() {
			return this.newGroupsPerAddressPerMinute;
		}

		public void setNewGroupsPerAddressPerMinute(int newGroupsPerAddressPerMinute) {
			this.newGroupsPerAddressPerMinute = newGroupsPerAddressPerMinute;
		}

		public DataSize getSyncCost() {
			return this.syncCost;
		}

		public void setSyncCost(DataSize syncCost) {
			this.syncCost = syncCost;
		}

		public Duration getControlFrameTimeout() {
			return this.controlFrameTimeout;
		}

		public void setControlFrameTimeout(Duration controlFrameTimeout) {
			this.controlFrameTimeout = controlFrameTimeout;
		}

		public Duration getReadIdleTimeout() {
			return this.readIdleTimeout;
		}

		public void setReadIdleTimeout(Duration readIdleTimeout) {
			this.readIdleTimeout = readIdleTimeout;
		}

	}

	public Topics getTopics() {
		return this.topics;
	}

	/**
	 * Topics that connections join and leave: their limits and the history of the
	 * recoverable ones.
	 *
	 * @since 0.1.0
	 */
	public static class Topics {

		/**
		 * How many topics one connection may be in; a subscribe beyond it gets
		 * bad_request.
		 */
		private int maxPerConnection = 64;

		/**
		 * Patterns of the recoverable topics, whose publications carry an offset and an
		 * epoch and are kept for clients that reconnect; '*' matches any characters (for
		 * example "room:*"). Empty means none.
		 */
		private List<String> recoverable = new ArrayList<>();

		/**
		 * How many publications each recoverable topic keeps.
		 */
		private int historySize = 100;

		/**
		 * How long a recoverable topic's history lasts after its last publication; then
		 * the topic starts again in a new epoch.
		 */
		private Duration historyTtl = Duration.ofMinutes(5);

		public int getMaxPerConnection() {
			return this.maxPerConnection;
		}

		public void setMaxPerConnection(int maxPerConnection) {
			this.maxPerConnection = maxPerConnection;
		}

		public List<String> getRecoverable() {
			return this.recoverable;
		}

		public void setRecoverable(List<String> recoverable) {
			this.recoverable = recoverable;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		public Duration getHistoryTtl() {
			return this.historyTtl;
		}

		public void setHistoryTtl(Duration historyTtl) {
			this.historyTtl = historyTtl;
		}

	}

}
