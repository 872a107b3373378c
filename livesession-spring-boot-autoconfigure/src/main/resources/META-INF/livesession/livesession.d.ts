/**
 * livesession browser client (wire protocol version 1.1), served at livesession.client.path
 * (default /livesession/livesession.js), with these declarations next to it
 * (/livesession/livesession.d.ts).
 */

/** The group state: attribute name to JSON value. */
export type LiveState = Record<string, unknown>;

/**
 * 'connecting': first connection under way; 'open': hello received, state is current;
 * 'reconnecting': waiting for or making another attempt; 'closed': close() was called;
 * 'revoked': the server closed with 1008, no reconnect follows.
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'revoked';

export interface StateInfo {
	/** 'hello': new connection; 'full': a full state frame (after sync); 'delta': a change. */
	reason: 'hello' | 'full' | 'delta';
	/** For 'delta': the changed attributes as sent (null = removed); otherwise null. */
	changed: LiveState | null;
	connectionId: string | null;
	userId: string | null;
}

export interface StatusDetail {
	/** Close code and reason, when the status follows a close. */
	code?: number;
	reason?: string;
	/** For 'reconnecting': the delay in ms before the next attempt, and its number since the last hello (1 for the first). */
	delay?: number;
	attempt?: number;
	/** For 'connecting': the WebSocket URL. */
	url?: string;
	/** For 'open'. */
	connectionId?: string | null;
	userId?: string | null;
	error?: unknown;
	/**
	 * shared: true when the status comes from a change of leader tab ('reconnecting'
	 * until the new leader's connection says hello).
	 */
	handover?: boolean;
}

/**
 * 'own': the client has a socket of its own (shared off, or the browser lacks Web Locks
 * or BroadcastChannel); 'leader': this tab holds the browser's shared socket;
 * 'follower': another tab does, and this one goes through it.
 */
export type LiveRole = 'own' | 'leader' | 'follower';

export interface ConnectOptions {
	/** WebSocket URL: ws(s) absolute, http(s) absolute or relative to the page. Default: ws(s)://<page host><endpoint>. */
	url?: string;
	/** Endpoint path used when no url is given. Default '/live'. */
	endpoint?: string;
	/** Called after hello, after every applied change and after a full state. */
	onState?: (state: LiveState, version: number | null, info: StateInfo) => void;
	onStatus?: (status: LiveStatus, detail: StatusDetail) => void;
	/** Frames that are not protocol frames: ArrayBuffer for binary, parsed JSON, or the string. */
	onMessage?: (data: unknown) => void;
	/**
	 * Error frames that answer no pending action, refused subscriptions that have no
	 * onError of their own, and exceptions thrown by callbacks.
	 */
	onError?: (error: LiveSessionError | Error) => void;
	/**
	 * Every publication that reaches this client (once; duplicates of a replay are dropped),
	 * also of topics that server code joined the connection to without a subscribe.
	 */
	onPublication?: (topic: string, data: unknown, info: PublicationInfo) => void;
	/**
	 * A subscription without an onReset of its own was subscribed again (after a reconnect
	 * or a change of leader tab, or from a `since` position) and the server could not
	 * replay what it missed: another epoch, a gap beyond the history, or a topic that is
	 * not recoverable. Reload what the topic shows.
	 */
	onTopicReset?: (topic: string, info: SubscribeInfo) => void;
	/** Backoff base in ms, also the spread of the prompt reconnect after 1001. Default 500. */
	minDelay?: number;
	/** Backoff cap in ms. Default 15000. */
	maxDelay?: number;
	/**
	 * Milliseconds without any frame from the server after which the client probes it with
	 * a sync, and reconnects if the probe stays unanswered for up to 10 s more (browsers
	 * do not show the server's heartbeat pings to scripts). 0 disables; default 45000.
	 */
	silenceTimeout?: number;
	/** A WebSocket implementation, for environments without a global one. */
	WebSocket?: new (url: string) => WebSocket;
	/**
	 * Share one socket among the tabs of this browser that connect to the same URL: one
	 * tab, elected with a Web Lock, holds it and relays over a BroadcastChannel. Without
	 * either API every tab has its own socket, as when off. Default false.
	 */
	shared?: boolean;
	/** shared: called when this tab becomes the leader. `role` says the role at any time. */
	onRole?: (role: LiveRole) => void;
	/** shared: a Web Locks implementation in place of navigator.locks (for tests). */
	locks?: Pick<LockManager, 'request'>;
	/** shared: a BroadcastChannel implementation in place of the global one (for tests). */
	BroadcastChannel?: new (name: string) => BroadcastChannel;
}

export interface LiveSessionClient {
	/** The current full state; a new object after every change. */
	readonly state: LiveState;
	/** The group version of `state`, null before the first hello. */
	readonly version: number | null;
	readonly status: LiveStatus;
	readonly connectionId: string | null;
	readonly userId: string | null;
	readonly url: string;
	/** 'own' unless shared: 'follower' until this tab holds the lock, 'leader' from then on. */
	readonly role: LiveRole;
	/**
	 * Sends an action with a ref (a follower sends it through the leader tab). Resolves with the reply's data; rejects with a
	 * LiveSessionError whose code is a protocol error code, or 'disconnected' when not
	 * connected or the connection closed before the reply (for a follower, also when the
	 * leader tab left before the reply; the action is never sent twice).
	 */
	send<T = unknown>(action: string, data?: unknown): Promise<T>;
	/** Requests a full state frame; false when not connected. */
	sync(): boolean;
	/**
	 * Subscribes to a topic: at once when connected, else on the next hello, and again after
	 * every reconnect (and change of leader tab) from its last offset and epoch, so that the
	 * server replays what was missed. Subscriptions of one topic share one subscribe.
	 */
	subscribe<T = unknown>(topic: string, onMessage: (data: T, info: PublicationInfo) => void,
		options?: SubscribeOptions): Subscription;
	/** Closes with 1000; no reconnect follows. */
	close(): void;
}

/** Where a publication stands in its topic: offset and epoch are null unless the topic is recoverable. */
export interface PublicationInfo {
	topic: string;
	offset: number | null;
	epoch: string | null;
}

/** The answer to a subscribe. */
export interface SubscribeInfo extends PublicationInfo {
	/** Whether the publications after the position subscribed from follow (a resume that the history covered). */
	recovered: boolean;
}

/** A position in a recoverable topic. */
export interface TopicPosition {
	offset: number;
	epoch: string;
}

export interface SubscribeOptions {
	/** Resume from here (a position kept from an earlier page, for example); onReset runs if the server cannot. */
	since?: TopicPosition | null;
	/** In place of the client's onTopicReset for this subscription. */
	onReset?: (info: SubscribeInfo) => void;
	/** In place of the client's onError for a refusal of this subscription (first or after a reconnect). */
	onError?: (error: LiveSessionError) => void;
}

export interface Subscription {
	readonly topic: string;
	/**
	 * Resolves with the first answer; rejects with a LiveSessionError: 'forbidden' or
	 * 'bad_request' (also for an invalid name, without a frame), or another protocol code;
	 * 'disconnected' after close() or a revocation; 'unsubscribed' after unsubscribe().
	 * A refused subscription ends and is not subscribed again; 'unavailable' and
	 * 'rate_limited' go to the client's onError and the subscribe is sent again after a back-off.
	 */
	readonly ready: Promise<SubscribeInfo>;
	/** The last position seen, null before one is known or for a topic that is not recoverable. */
	readonly position: TopicPosition | null;
	/** Until unsubscribe(), a refusal, close() or a revocation. */
	readonly active: boolean;
	/** Ends this subscription; the last one of a topic sends an unsubscribe. */
	unsubscribe(): void;
}

export declare class LiveSessionError extends Error {
	constructor(code: string, message: string);
	/** A protocol error code ('bad_request', 'unknown_action', ...), 'disconnected' or (for a subscription) 'unsubscribed'. */
	readonly code: string;
	toJSON(): { code: string; message: string };
}

export declare function connect(options?: ConnectOptions): LiveSessionClient;

export declare const PROTOCOL_FRAME_TYPES: readonly ['hello', 'state', 'reply', 'error', 'publication'];
export declare const DEFAULTS: Readonly<{ endpoint: string; minDelay: number; maxDelay: number; silenceTimeout: number }>;
export declare const CloseCodes: Readonly<{
	NORMAL: 1000;
	GOING_AWAY: 1001;
	UNSUPPORTED_DATA: 1003;
	POLICY_VIOLATION: 1008;
	MESSAGE_TOO_BIG: 1009;
	INTERNAL_ERROR: 1011;
	TOO_SLOW: 4008;
}>;

export declare function resolveUrl(
	options?: { url?: string; endpoint?: string },
	location?: { protocol: string; host: string; href?: string },
): string;

/** Full-jitter exponential backoff: a whole number in [0, min(maxDelay, minDelay * 2^attempt)). */
export declare function backoffDelay(
	attempt: number,
	options?: { minDelay?: number; maxDelay?: number },
	random?: () => number,
): number;

/** The prompt reconnect delay after 1001: a whole number in [0, minDelay). */
export declare function shutdownDelay(options?: { minDelay?: number }, random?: () => number): number;

export declare function closeDecision(code: number, closedByClient: boolean): 'closed' | 'revoked' | 'prompt' | 'backoff';

/** A copy of state with delta applied; null removes an attribute. */
export declare function mergeState(state: LiveState, delta: LiveState): LiveState;

export interface StateFrame {
	type?: 'state';
	version: number;
	state: LiveState;
	full?: boolean;
}

export declare function applyStateFrame(
	current: { state: LiveState; version: number | null },
	frame: StateFrame,
): { action: 'replace' | 'apply' | 'ignore' | 'sync'; state: LiveState; version: number | null };

export declare function parseMessage(
	data: string | ArrayBuffer | ArrayBufferView,
): { kind: 'protocol'; frame: any } | { kind: 'raw'; data: unknown };

/** The longest topic name (128). */
export declare const MAX_TOPIC_LENGTH: number;

/** Whether a name is a valid topic name: 1 to 128 characters of A-Z a-z 0-9 and `: . _ - / @ =`. */
export declare function isValidTopic(topic: unknown): topic is string;

/** A position, or null when offset is not a non-negative integer or epoch not a non-empty string. */
export declare function topicPosition(offset: unknown, epoch: unknown): TopicPosition | null;

/** What a publication does to a subscription at `position`: deliver (and the new position) or duplicate. */
export declare function applyPublication(
	position: TopicPosition | null,
	frame: { offset?: unknown; epoch?: unknown },
): { action: 'deliver' | 'duplicate'; position: TopicPosition | null };

/** Where a subscription stands after the answer to its subscribe. */
export declare function applySubscribeReply(
	position: TopicPosition | null,
	data: { offset?: unknown; epoch?: unknown; recovered?: unknown },
): TopicPosition | null;

/** The name of the Web Lock and the BroadcastChannel of the tabs sharing the socket to `url`. */
export declare function sharedName(url: string): string;

/** A follower tab's view, as followerRoute reads it. */
export interface FollowerView {
	tabId: string;
	leader: string | null;
	state: LiveState;
	version: number | null;
}

/** What a follower tab does with a message of the shared channel. */
export declare function followerRoute(
	view: FollowerView,
	message: unknown,
):
	| { kind: 'ignore' }
	| { kind: 'leader'; changed: boolean }
	| { kind: 'state'; result: ReturnType<typeof applyStateFrame> }
	| { kind: 'status' | 'message' | 'reply' | 'error' | 'bye' | 'publication' | 'subscribed' | 'refused' | 'topic-reset' };

/** What the leader tab does with a message of the shared channel. */
export declare function leaderRoute(
	tabId: string,
	message: unknown,
): 'join' | 'request' | 'sync' | 'subscribe' | 'unsubscribe' | 'leave' | 'ignore';
