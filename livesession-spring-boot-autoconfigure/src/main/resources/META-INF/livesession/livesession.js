/*
 * livesession browser client: a dependency-free ES module, served by the starter at
 * livesession.client.path (default /livesession/livesession.js). See docs/client.md.
 *
 *   import { connect } from '/livesession/livesession.js';
 *   const live = connect({ onState: (state) => render(state) });
 *   live.send('increment', { by: 1 }).then((reply) => ..., (error) => error.code);
 *
 * Speaks livesession wire protocol version 1.1: hello / state / reply / error / publication
 * frames from the server, action / sync / subscribe / unsubscribe frames to it. The pure
 * parts (URL, backoff, state frame application, close handling, topic positions, the
 * routing of shared tabs) are exported separately so they can be tested without a browser.
 *
 *   const room = live.subscribe('room:lobby', (data, info) => show(data));
 *   room.ready.then((info) => ..., (error) => error.code); room.unsubscribe();
 *
 * With `shared: true` the tabs of one browser share one socket: see SharedLiveSessionClient.
 */

/** Frame types the server reserves for the protocol; any other frame is an application frame. */
export const PROTOCOL_FRAME_TYPES = Object.freeze(['hello', 'state', 'reply', 'error', 'publication']);

/** Defaults of the connect options. */
export const DEFAULTS = Object.freeze({ endpoint: '/live', minDelay: 500, maxDelay: 15000, silenceTimeout: 45000 });

/** The longest wait for an answer to a silence probe. */
const PROBE_TIMEOUT = 10000;

/** Close codes of the protocol. */
export const CloseCodes = Object.freeze({
	NORMAL: 1000,
	GOING_AWAY: 1001,
	UNSUPPORTED_DATA: 1003,
	POLICY_VIOLATION: 1008,
	MESSAGE_TOO_BIG: 1009,
	INTERNAL_ERROR: 1011,
	TOO_SLOW: 4008,
});

const MAX_EXPONENT = 30;

/**
 * The WebSocket URL to connect to. An explicit `url` wins: ws: and wss: URLs are used as
 * they are, http: and https: ones get the matching WebSocket scheme, and a relative one
 * is resolved against the page. Otherwise ws(s)://<host><endpoint> of the page.
 * @param {{url?: string, endpoint?: string}} options
 * @param {{protocol: string, host: string, href?: string} | undefined} location
 * @returns {string}
 */
export function resolveUrl(options = {}, location = globalThis.location) {
	const { url } = options;
	if (url) {
		if (/^wss?:/i.test(url)) {
			return url;
		}
		if (/^https?:/i.test(url)) {
			return url.replace(/^http/i, 'ws');
		}
		if (!location || !location.href) {
			throw new Error('livesession: a relative url needs a page location');
		}
		const resolved = new URL(url, location.href);
		resolved.protocol = (resolved.protocol === 'https:') ? 'wss:' : 'ws:';
		return resolved.href;
	}
	if (!location || !location.host) {
		throw new Error('livesession: no page location; pass options.url');
	}
	let endpoint = options.endpoint || DEFAULTS.endpoint;
	if (!endpoint.startsWith('/')) {
		endpoint = '/' + endpoint;
	}
	return ((location.protocol === 'https:') ? 'wss://' : 'ws://') + location.host + endpoint;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential backoff with
 * full jitter, a random whole number of milliseconds in [0, min(maxDelay, minDelay * 2^attempt)).
 * @param {number} attempt
 * @param {{minDelay?: number, maxDelay?: number}} [options]
 * @param {() => number} [random] uniform in [0, 1)
 * @returns {number}
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
	const minDelay = Math.max(0, options.minDelay ?? DEFAULTS.minDelay);
	const maxDelay = Math.max(minDelay, options.maxDelay ?? DEFAULTS.maxDelay);
	const exponent = Math.min(Math.max(0, Math.floor(attempt) || 0), MAX_EXPONENT);
	const ceiling = Math.min(maxDelay, minDelay * 2 ** exponent);
	return Math.floor(random() * ceiling);
}

/**
 * The delay before reconnecting after the server said it is shutting down (1001): prompt,
 * but spread over [0, minDelay) so that all clients do not return at the same instant.
 * @param {{minDelay?: number}} [options]
 * @param {() => number} [random]
 * @returns {number}
 */
export function shutdownDelay(options = {}, random = Math.random) {
	const minDelay = Math.max(0, options.minDelay ?? DEFAULTS.minDelay);
	return Math.floor(random() * minDelay);
}

/**
 * What to do when the socket closed.
 * @param {number} code the close code
 * @param {boolean} closedByClient whether close() was called
 * @returns {'closed' | 'revoked' | 'prompt' | 'backoff'} closed: stay closed; revoked:
 * stay closed, the session was revoked; prompt: reconnect after shutdownDelay; backoff:
 * reconnect after backoffDelay
 */
export function closeDecision(code, closedByClient) {
	if (closedByClient) {
		return 'closed';
	}
	if (code === CloseCodes.POLICY_VIOLATION) {
		return 'revoked';
	}
	if (code === CloseCodes.GOING_AWAY) {
		return 'prompt';
	}
	return 'backoff';
}

/**
 * A copy of `state` with `delta` applied: a null value removes the attribute, any other
 * value replaces it.
 * @param {Record<string, unknown>} state
 * @param {Record<string, unknown>} delta
 * @returns {Record<string, unknown>}
 */
export function mergeState(state, delta) {
	const next = record(state);
	for (const [name, value] of Object.entries(delta || {})) {
		if (value === null) {
			delete next[name];
		}
		else {
			next[name] = value;
		}
	}
	return next;
}

/**
 * How a `state` frame affects a client at `current`. Never mutates its arguments.
 * - full frame: replace;
 * - version === current.version + 1: apply the delta;
 * - version <= current.version: ignore (already seen);
 * - otherwise (a gap, or no hello yet): sync, i.e. ask for the full state.
 * Malformed frames are ignored.
 * @param {{state: Record<string, unknown>, version: number | null}} current
 * @param {{version: number, state: Record<string, unknown>, full?: boolean}} frame
 * @returns {{action: 'replace' | 'apply' | 'ignore' | 'sync', state: Record<string, unknown>, version: number | null}}
 */
export function applyStateFrame(current, frame) {
	const unchanged = (action) => ({ action, state: current.state, version: current.version });
	if (!frame || !Number.isInteger(frame.version) || !isObject(frame.state)) {
		return unchanged('ignore');
	}
	if (frame.full === true) {
		return { action: 'replace', state: record(frame.state), version: frame.version };
	}
	if (!Number.isInteger(current.version)) {
		return unchanged('sync');
	}
	if (frame.version === current.version + 1) {
		return { action: 'apply', state: mergeState(current.state, frame.state), version: frame.version };
	}
	if (frame.version <= current.version) {
		return unchanged('ignore');
	}
	return unchanged('sync');
}

/**
 * Sorts an incoming WebSocket message: protocol frames (a JSON object whose `type` is
 * reserved) versus application frames, delivered as ArrayBuffer for binary, the parsed
 * JSON value for JSON text, the string otherwise.
 * @param {string | ArrayBuffer | ArrayBufferView} data
 * @returns {{kind: 'protocol', frame: any} | {kind: 'raw', data: any}}
 */
export function parseMessage(data) {
	if (typeof data !== 'string') {
		return { kind: 'raw', data };
	}
	let value;
	try {
		value = JSON.parse(data);
	}
	catch (ex) {
		return { kind: 'raw', data };
	}
	if (isObject(value) && PROTOCOL_FRAME_TYPES.includes(value.type)) {
		return { kind: 'protocol', frame: value };
	}
	return { kind: 'raw', data: value };
}

/** An error of an action or of the connection; `code` is a protocol error code or 'disconnected'. */
export class LiveSessionError extends Error {

	constructor(code, message) {
		super(message);
		this.name = 'LiveSessionError';
		this.code = code;
	}

	toJSON() {
		return { code: this.code, message: this.message };
	}

}

function isObject(value) {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A copy of `source` in an object without a prototype, as the client keeps group state:
 * an attribute named `__proto__` (JSON.parse makes it an own property) stays an
 * attribute, instead of replacing the prototype of the state when copied or merged.
 * @param {Record<string, unknown> | null | undefined} source
 * @returns {Record<string, unknown>}
 */
export function record(source) {
	return Object.assign(Object.create(null), source);
}

const noop = () => {};

/*
 * Topics (protocol 1.1): a client asks to join a topic with a `subscribe` frame and gets
 * the topic's `publication` frames until it sends `unsubscribe`. Publications of a
 * recoverable topic carry an offset and an epoch; the client keeps the last of each per
 * topic and, after every new connection, subscribes again from there, so that the server
 * replays what was missed (or answers recovered: false, and the application is told).
 */

/** The longest topic name, as the server's Topics.MAX_NAME_LENGTH. */
export const MAX_TOPIC_LENGTH = 128;

const TOPIC_NAME = /^[A-Za-z0-9:._\-/@=]+$/;

/**
 * Whether `topic` is a valid topic name, by the server's rule: 1 to 128 characters of
 * A-Z a-z 0-9 and `: . _ - / @ =`.
 * @param {unknown} topic
 * @returns {boolean}
 */
export function isValidTopic(topic) {
	return typeof topic === 'string' && topic.length > 0 && topic.length <= MAX_TOPIC_LENGTH && TOPIC_NAME.test(topic);
}

/**
 * A position in a recoverable topic, or null when `offset` is not a non-negative integer
 * or `epoch` not a non-empty string (a topic that is not recoverable has none).
 * @param {unknown} offset
 * @param {unknown} epoch
 * @returns {{offset: number, epoch: string} | null}
 */
export function topicPosition(offset, epoch) {
	return (Number.isInteger(offset) && offset >= 0 && typeof epoch === 'string' && epoch.length > 0)
		? { offset, epoch } : null;
}

/**
 * What a publication does to a subscription at `position`. Never mutates its arguments.
 * One of the same epoch at or below the position was seen already (a replay that
 * overlaps live delivery, a second path after a handover): 'duplicate'. Otherwise
 * 'deliver', at the publication's position (unchanged for a topic that is not recoverable).
 * @param {{offset: number, epoch: string} | null} position
 * @param {{offset?: unknown, epoch?: unknown}} frame
 * @returns {{action: 'deliver' | 'duplicate', position: {offset: number, epoch: string} | null}}
 */
export function applyPublication(position, frame) {
	const next = topicPosition(frame && frame.offset, frame && frame.epoch);
	if (next === null) {
		return { action: 'deliver', position };
	}
	if (position !== null && position.epoch === next.epoch && next.offset <= position.offset) {
		return { action: 'duplicate', position };
	}
	return { action: 'deliver', position: next };
}

/**
 * Where a subscription stands after the server answered its `subscribe`. Never mutates
 * its arguments. Recovered: at the position asked from, as the missed publications follow
 * the reply. Otherwise at the server's position, unless publications of the same epoch
 * beyond it arrived before the reply.
 * @param {{offset: number, epoch: string} | null} position the position before the reply
 * @param {{offset?: unknown, epoch?: unknown, recovered?: unknown}} data the reply's data
 * @returns {{offset: number, epoch: string} | null}
 */
export function applySubscribeReply(position, data) {
	if (data && data.recovered === true && position !== null) {
		return position;
	}
	const server = topicPosition(data && data.offset, data && data.epoch);
	if (server !== null && position !== null && server.epoch === position.epoch && position.offset > server.offset) {
		return position;
	}
	return server;
}

function subscriptionInfo(topic, data) {
	const position = topicPosition(data && data.offset, data && data.epoch);
	return {
		topic,
		offset: position ? position.offset : null,
		epoch: position ? position.epoch : null,
		recovered: !!(data && data.recovered === true),
	};
}

/**
 * The subscriptions of one client, by topic, over a `port` that carries them: the
 * client's socket, the shared channel to the leader tab, or the leader's client.
 * port.subscribe(topic, position) sends a subscribe and returns its ref (null when it
 * could not be sent: it is sent again on the next connected()); port.unsubscribe(topic);
 * host.call(callback, ...args) runs an application callback; host.report(error) and
 * host.reset(topic, info) are the client-wide fallbacks of onError and onReset.
 *
 * Several subscriptions of one topic share one subscribe on the port. An entry is 'idle'
 * (not sent on the current connection), 'pending' (sent, no answer yet) or 'active'.
 */
const RETRIED_CODES = Object.freeze(['unavailable', 'rate_limited']);

class TopicTable {

	constructor(port, host) {
		this.port = port;
		this._host = host;
		this._entries = new Map();
		this._up = false;
		this._closed = null;
	}

	/** The entry of a topic, for the shared leader. */
	entry(topic) {
		return this._entries.get(topic);
	}

	topics() {
		return Array.from(this._entries.keys());
	}

	add(topic, onMessage, given) {
		const options = given || {};
		const since = (options.since !== undefined && options.since !== null)
			? topicPosition(options.since.offset, options.since.epoch) : null;
		const listener = { onMessage: onMessage || noop, options, since, settled: false, established: false };
		listener.ready = new Promise((resolve, reject) => {
			listener.resolve = resolve;
			listener.reject = reject;
		});
		// A refusal also reaches onError: a page that never looks at ready still hears of it.
		listener.ready.catch(noop);
		const handle = this._handle(topic, listener);
		if (this._closed !== null) {
			this._settle(listener, null, this._closed);
			return handle;
		}
		if (!isValidTopic(topic)) {
			this._refuse(listener, new LiveSessionError('bad_request',
				'topic must be 1 to ' + MAX_TOPIC_LENGTH + ' characters of A-Z a-z 0-9 : . _ - / @ ='));
			return handle;
		}
		let entry = this._entries.get(topic);
		if (!entry) {
			entry = { topic, position: since, listeners: new Set(), state: 'idle', ref: null, retry: null, retries: 0 };
			this._entries.set(topic, entry);
		}
		entry.listeners.add(listener);
		if (entry.state === 'active') {
			// Subscribed already: answer from what is known. A resume is covered only from
			// where the subscription stands, as earlier publications were not kept here.
			const position = entry.position;
			const recovered = since !== null && position !== null && since.epoch === position.epoch
					&& since.offset >= position.offset;
			this._answer(listener, subscriptionInfo(topic, {
				offset: position ? position.offset : null, epoch: position ? position.epoch : null, recovered }));
		}
		else if (entry.state === 'idle') {
			if (since !== null && (entry.position === null
					|| (entry.position.epoch === since.epoch && since.offset < entry.position.offset))) {
				entry.position = since;
			}
			if (this._up) {
				this._send(entry);
			}
		}
		return handle;
	}

	_handle(topic, listener) {
		const table = this;
		return {
			topic,
			ready: listener.ready,
			get position() {
				const entry = table._entries.get(topic);
				return (entry && entry.listeners.has(listener) && entry.position) ? Object.assign({}, entry.position) : null;
			},
			get active() {
				const entry = table._entries.get(topic);
				return !!entry && entry.listeners.has(listener);
			},
			unsubscribe() {
				table._remove(topic, listener);
			},
		};
	}

	_remove(topic, listener) {
		const entry = this._entries.get(topic);
		if (!entry || !entry.listeners.delete(listener)) {
			return;
		}
		this._settle(listener, null, new LiveSessionError('unsubscribed', 'unsubscribe() was called before the reply'));
		if (entry.listeners.size === 0) {
			clearTimeout(entry.retry);
			this._entries.delete(topic);
			if (entry.state !== 'idle' && this._up) {
				this.port.unsubscribe(topic);
			}
		}
	}

	_send(entry) {
		clearTimeout(entry.retry);
		entry.retry = null;
		const ref = this.port.subscribe(entry.topic, entry.position);
		entry.ref = ref;
		entry.state = (ref === null) ? 'idle' : 'pending';
	}

	/** A new connection (or a new leader): every topic is subscribed again, from its position. */
	connected() {
		this._up = true;
		for (const entry of this._entries.values()) {
			entry.state = 'idle';
			this._send(entry);
		}
	}

	/** The connection is gone: subscriptions wait for the next one, unanswered ones too. */
	disconnected() {
		this._up = false;
		for (const entry of this._entries.values()) {
			entry.state = 'idle';
			entry.ref = null;
		}
	}

	/** For good (close(), revoked): unanswered subscriptions are rejected with `error`. */
	closed(error) {
		this._up = false;
		this._closed = error;
		const entries = Array.from(this._entries.values());
		this._entries.clear();
		for (const entry of entries) {
			clearTimeout(entry.retry);
			entry.listeners.forEach((listener) => this._settle(listener, null, error));
		}
	}

	/** The answer to the subscribe `ref` of `topic`. */
	replied(topic, ref, data) {
		const entry = this._entries.get(topic);
		if (!entry || entry.state !== 'pending' || entry.ref !== ref) {
			return;
		}
		entry.state = 'active';
		entry.retries = 0;
		entry.position = applySubscribeReply(entry.position, data);
		const info = subscriptionInfo(topic, data);
		entry.listeners.forEach((listener) => this._answer(listener, info));
	}

	/**
	 * The subscribe `ref` of `topic` (or, with ref null, the topic's subscription) was
	 * refused. A store out of reach or a rate limit changed nothing: the subscribe is sent
	 * again after a back-off, and only reported meanwhile.
	 */
	refused(topic, ref, error) {
		const entry = this._entries.get(topic);
		if (!entry || (ref !== null && entry.ref !== ref)) {
			return;
		}
		if (ref !== null && RETRIED_CODES.includes(error.code)) {
			entry.state = 'idle';
			entry.ref = null;
			entry.retries++;
			const delay = backoffDelay(entry.retries);
			entry.retry = setTimeout(() => {
				entry.retry = null;
				if (this._up && this._entries.get(topic) === entry && entry.state === 'idle') {
					this._send(entry);
				}
			}, delay);
			entry.retry.unref?.();
			this._host.report(error);
			return;
		}
		this._entries.delete(topic);
		entry.listeners.forEach((listener) => this._refuse(listener, error));
	}

	/**
	 * The subscription was renewed without recovery by the shared leader's client. Only
	 * for an answered subscription: the answer to a pending one says so itself.
	 */
	reset(topic, data) {
		const entry = this._entries.get(topic);
		if (!entry || entry.state !== 'active') {
			return;
		}
		entry.position = topicPosition(data && data.offset, data && data.epoch);
		const info = subscriptionInfo(topic, Object.assign({}, data, { recovered: false }));
		entry.listeners.forEach((listener) => {
			if (listener.established) {
				this._resetListener(listener, info);
			}
		});
	}

	/**
	 * A publication: delivered to the topic's subscriptions unless seen already.
	 * @returns {'delivered' | 'duplicate' | 'none'} none: no subscription of the topic here
	 */
	published(topic, data, offset, epoch) {
		const entry = this._entries.get(topic);
		if (!entry) {
			return 'none';
		}
		const result = applyPublication(entry.position, { offset, epoch });
		if (result.action === 'duplicate') {
			return 'duplicate';
		}
		entry.position = result.position;
		const position = topicPosition(offset, epoch);
		const info = { topic, offset: position ? position.offset : null, epoch: position ? position.epoch : null };
		for (const listener of Array.from(entry.listeners)) {
			this._host.call(listener.onMessage, data, info);
		}
		return 'delivered';
	}

	_answer(listener, info) {
		// A subscription that had been answered (or was given a position) is told when the
		// publications it may have missed are not all replayed.
		const resumed = listener.established || listener.since !== null;
		listener.established = true;
		this._settle(listener, info, null);
		if (resumed && !info.recovered) {
			this._resetListener(listener, info);
		}
	}

	_resetListener(listener, info) {
		if (listener.options.onReset) {
			this._host.call(listener.options.onReset, info);
		}
		else {
			this._host.reset(info.topic, info);
		}
	}

	_refuse(listener, error) {
		this._settle(listener, null, error);
		if (listener.options.onError) {
			this._host.call(listener.options.onError, error);
		}
		else {
			this._host.report(error);
		}
	}

	_settle(listener, value, error) {
		if (listener.settled) {
			return;
		}
		listener.settled = true;
		if (error) {
			listener.reject(error);
		}
		else {
			listener.resolve(value);
		}
	}

}

/**
 * Sets the members that LiveSessionClient and SharedLiveSessionClient both expose, as
 * they are before the first connection.
 */
function initMembers(client, options, role) {
	client.options = Object.assign({}, DEFAULTS, options);
	client.url = resolveUrl(client.options);
	client.state = record(null);
	client.version = null;
	client.status = 'connecting';
	client.connectionId = null;
	client.userId = null;
	client.role = role;
}

class LiveSessionClient {

	constructor(options) {
		// 'own': this client has a socket of its own (see SharedLiveSessionClient for the others).
		initMembers(this, options, 'own');
		this._WebSocket = this.options.WebSocket || globalThis.WebSocket;
		if (!this._WebSocket) {
			throw new Error('livesession: no WebSocket implementation; pass options.WebSocket');
		}
		this._socket = null;
		this._timer = null;
		this._silence = null;
		this._probing = false;
		this._attempt = 0;
		this._closedByClient = false;
		this._syncing = false;
		this._refs = 0;
		this._pending = new Map();
		// Refs of subscribe frames (to their topic) and of unsubscribe frames (to null).
		this._topicRefs = new Map();
		this._topics = new TopicTable({
			subscribe: (topic, position) => this._sendTopicFrame('subscribe', topic, position),
			unsubscribe: (topic) => this._sendTopicFrame('unsubscribe', topic, null),
		}, topicHost(this));
		// Back online while waiting to reconnect: try now instead of waiting out the delay.
		this._online = () => {
			if (this._timer !== null) {
				this._open();
			}
		};
		if (typeof globalThis.addEventListener === 'function') {
			globalThis.addEventListener('online', this._online);
		}
		this._open();
		// Reported once connect() has returned, so the callback can use the client.
		queueMicrotask(() => {
			if (this.status === 'connecting') {
				this._call('onStatus', 'connecting', { url: this.url });
			}
		});
	}

	/**
	 * Sends an action; resolves with the reply's data, rejects with a LiveSessionError.
	 * @param {string} action
	 * @param {unknown} [data]
	 * @returns {Promise<unknown>}
	 */
	send(action, data) {
		if (!this._isOpen()) {
			return Promise.reject(new LiveSessionError('disconnected', 'Not connected; the action was not sent'));
		}
		const ref = String(++this._refs);
		const frame = { type: 'action', action, ref };
		if (data !== undefined) {
			frame.data = data;
		}
		let text;
		try {
			text = JSON.stringify(frame);
		}
		catch (ex) {
			return Promise.reject(new LiveSessionError('bad_request', 'The action data cannot be sent as JSON'));
		}
		return new Promise((resolve, reject) => {
			this._pending.set(ref, { resolve, reject });
			try {
				this._socket.send(text);
			}
			catch (ex) {
				this._pending.delete(ref);
				reject(new LiveSessionError('disconnected', 'The action could not be sent'));
			}
		});
	}

	/**
	 * Subscribes to a topic, now or as soon as connected, and again after every reconnect.
	 * @param {string} topic
	 * @param {(data: unknown, info: {topic: string, offset: number | null, epoch: string | null}) => void} onMessage
	 * @param {import('./livesession').SubscribeOptions} [options]
	 * @returns {import('./livesession').Subscription}
	 */
	subscribe(topic, onMessage, options) {
		return this._topics.add(topic, onMessage, options);
	}

	_sendTopicFrame(type, topic, position) {
		if (!this._isOpen()) {
			return null;
		}
		const ref = String(++this._refs);
		const frame = { type, topic, ref };
		if (position) {
			frame.offset = position.offset;
			frame.epoch = position.epoch;
		}
		try {
			this._socket.send(JSON.stringify(frame));
		}
		catch (ex) {
			return null;
		}
		this._topicRefs.set(ref, (type === 'subscribe') ? topic : null);
		return ref;
	}

	/**
	 * Asks the server for the full state; it answers with a full state frame.
	 * @returns {boolean} whether the request was sent
	 */
	sync() {
		if (!this._isOpen()) {
			return false;
		}
		this._syncing = true;
		this._socket.send('{"type":"sync"}');
		return true;
	}

	/** Closes the connection for good (code 1000); no reconnect follows. */
	close() {
		if (this._closedByClient) {
			return;
		}
		this._closedByClient = true;
		clearTimeout(this._timer);
		this._timer = null;
		clearTimeout(this._silence);
		if (typeof globalThis.removeEventListener === 'function') {
			globalThis.removeEventListener('online', this._online);
		}
		const socket = this._socket;
		this._socket = null;
		if (socket) {
			try {
				socket.close(CloseCodes.NORMAL, 'client closed');
			}
			catch (ex) {
				// Already closed.
			}
		}
		this._rejectPending();
		this._topicRefs.clear();
		this._topics.closed(new LiveSessionError('disconnected', 'close() was called before the reply'));
		this._setStatus('closed', { code: CloseCodes.NORMAL, reason: 'client closed' });
	}

	_isOpen() {
		return this._socket !== null && this._socket.readyState === 1 && !this._closedByClient;
	}

	_open() {
		clearTimeout(this._timer);
		this._timer = null;
		if (this._closedByClient) {
			return;
		}
		let socket;
		try {
			socket = new this._WebSocket(this.url);
		}
		catch (ex) {
			this._report(ex);
			this._reconnect(backoffDelay(this._attempt++, this.options), { error: ex });
			return;
		}
		socket.binaryType = 'arraybuffer';
		this._socket = socket;
		this._heard();
		socket.onmessage = (event) => {
			if (socket === this._socket) {
				this._heard();
				this._received(event.data);
			}
		};
		// Browsers say nothing useful in an error event; the close event that follows (in the
		// same task) decides. Some non-browser implementations (Node 20's undici) fire no close
		// after a failed connect: treat the socket as closed abnormally if none came.
		socket.onerror = () => {
			setTimeout(() => {
				if (socket === this._socket) {
					try {
						socket.close();
					}
					catch (ex) {
						// Not open anyway.
					}
					this._closed(1006, '');
				}
			}, 0);
		};
		socket.onclose = (event) => {
			if (socket === this._socket) {
				this._closed(event.code, event.reason);
			}
		};
	}

	_received(data) {
		const message = parseMessage(data);
		if (message.kind === 'raw') {
			this._call('onMessage', message.data);
			return;
		}
		const frame = message.frame;
		switch (frame.type) {
			case 'hello':
				this._hello(frame);
				break;
			case 'state':
				this._stateFrame(frame);
				break;
			case 'reply':
				if (!this._topicAnswer(frame.ref, (topic) => this._topics.replied(topic, frame.ref, frame.data))) {
					this._settle(frame.ref, (pending) => pending.resolve(frame.data));
				}
				break;
			case 'error': {
				const error = new LiveSessionError(String(frame.code), String(frame.message ?? ''));
				if (!this._topicAnswer(frame.ref, (topic) => this._topics.refused(topic, frame.ref, error))
						&& !this._settle(frame.ref, (pending) => pending.reject(error))) {
					this._report(error);
				}
				break;
			}
			case 'publication':
				if (typeof frame.topic === 'string') {
					publish(this, this._topics, frame.topic, frame.data, frame.offset, frame.epoch);
				}
				break;
		}
	}

	/** Passes the answer to a subscribe on; an unsubscribe's answer is of use to nobody. */
	_topicAnswer(ref, action) {
		if (typeof ref !== 'string' || !this._topicRefs.has(ref)) {
			return false;
		}
		const topic = this._topicRefs.get(ref);
		this._topicRefs.delete(ref);
		if (topic !== null) {
			action(topic);
		}
		return true;
	}

	_hello(frame) {
		this.connectionId = frame.connectionId ?? null;
		this.userId = frame.userId ?? null;
		this._attempt = 0;
		this._syncing = false;
		this.state = record(isObject(frame.state) ? frame.state : null);
		this.version = Number.isInteger(frame.version) ? frame.version : null;
		// Every topic again, from where it stands: the server replays what was missed.
		this._topics.connected();
		this._setStatus('open', { connectionId: this.connectionId, userId: this.userId });
		this._emitState('hello', null);
	}

	_stateFrame(frame) {
		const result = applyStateFrame({ state: this.state, version: this.version }, frame);
		switch (result.action) {
			case 'replace':
				this._syncing = false;
				this.state = result.state;
				this.version = result.version;
				this._emitState('full', null);
				break;
			case 'apply':
				this.state = result.state;
				this.version = result.version;
				this._emitState('delta', frame.state);
				break;
			case 'sync':
				// One request at a time: later frames of the same gap wait for the full state.
				if (!this._syncing) {
					this.sync();
				}
				break;
			default:
				break;
		}
	}

	_emitState(reason, changed) {
		this._call('onState', this.state, this.version,
			{ reason, changed, connectionId: this.connectionId, userId: this.userId });
	}

	_settle(ref, action) {
		const pending = (typeof ref === 'string') ? this._pending.get(ref) : undefined;
		if (!pending) {
			return false;
		}
		this._pending.delete(ref);
		action(pending);
		return true;
	}

	/**
	 * Something came from the server: restart the silence timer. Browsers answer the
	 * server's heartbeat pings themselves but never show them to scripts, so after
	 * silenceTimeout without a frame the client probes with a sync (whose answer, a full
	 * state frame, it can see), and treats the server as gone when the probe stays
	 * unanswered too: a dead proxy or network path never delivers a close.
	 */
	_heard() {
		clearTimeout(this._silence);
		this._silence = null;
		this._probing = false;
		const timeout = this.options.silenceTimeout;
		if (timeout > 0 && !this._closedByClient) {
			this._silence = setTimeout(() => this._silent(), timeout);
			this._silence.unref?.();
		}
	}

	_silent() {
		this._silence = null;
		const socket = this._socket;
		if (socket === null || this._closedByClient) {
			return;
		}
		if (this._isOpen() && !this._probing) {
			this._probing = true;
			try {
				this._syncing = true;
				socket.send('{"type":"sync"}');
			}
			catch (ex) {
				// Closing anyway: the close event decides.
			}
			this._silence = setTimeout(() => this._silent(), Math.min(PROBE_TIMEOUT, this.options.silenceTimeout));
			this._silence.unref?.();
			return;
		}
		this._socket = null;
		try {
			socket.close(4000, 'server silent');
		}
		catch (ex) {
			// Not open anyway.
		}
		this._closed(1006, 'server silent');
	}

	_closed(code, reason) {
		this._socket = null;
		clearTimeout(this._silence);
		this._silence = null;
		this._rejectPending();
		this._topicRefs.clear();
		this._topics.disconnected();
		const detail = { code, reason };
		switch (closeDecision(code, this._closedByClient)) {
			case 'closed':
				this._setStatus('closed', detail);
				break;
			case 'revoked':
				if (typeof globalThis.removeEventListener === 'function') {
					globalThis.removeEventListener('online', this._online);
				}
				this._topics.closed(new LiveSessionError('disconnected', 'The session was revoked'));
				this._setStatus('revoked', detail);
				break;
			case 'prompt':
				this._attempt++;
				this._reconnect(shutdownDelay(this.options), detail);
				break;
			default:
				this._reconnect(backoffDelay(this._attempt++, this.options), detail);
		}
	}

	_reconnect(delay, detail) {
		this._setStatus('reconnecting', Object.assign({ delay, attempt: this._attempt }, detail));
		this._timer = setTimeout(() => this._open(), delay);
	}

	_rejectPending() {
		if (this._pending.size === 0) {
			return;
		}
		const pending = Array.from(this._pending.values());
		this._pending.clear();
		for (const { reject } of pending) {
			reject(new LiveSessionError('disconnected',
				'The connection closed before the reply arrived; the action may or may not have been applied'));
		}
	}

	_setStatus(status, detail) {
		this.status = status;
		this._call('onStatus', status, detail);
	}

	_report(error) {
		this._call('onError', error);
	}

	_call(name, ...args) {
		invoke(this.options, name, args);
	}

}

/**
 * Calls the callback option `name`; an exception it throws goes to onError, or to the
 * console when onError is missing or threw itself.
 */
function invoke(options, name, args) {
	run(options, options[name] || noop, name, args);
}

/** Runs an application callback as invoke does. */
function run(options, callback, name, args) {
	try {
		callback(...args);
	}
	catch (ex) {
		if (name !== 'onError' && options.onError) {
			invoke(options, 'onError', [ex]);
		}
		else {
			console.error('livesession: ' + name + ' callback failed', ex);
		}
	}
}


/** What a TopicTable needs of its client. */
function topicHost(client) {
	return {
		call: (callback, ...args) => run(client.options, callback, 'subscription', args),
		report: (error) => client._call('onError', error),
		reset: (topic, info) => client._call('onTopicReset', topic, info),
	};
}

/**
 * A publication reached `client`: to the subscriptions of its topic in `table`, then to
 * onPublication, unless seen already.
 * @returns {boolean} whether it was new
 */
function publish(client, table, topic, data, offset, epoch) {
	if (table.published(topic, data, offset, epoch) === 'duplicate') {
		return false;
	}
	const position = topicPosition(offset, epoch);
	client._call('onPublication', topic, data,
		{ topic, offset: position ? position.offset : null, epoch: position ? position.epoch : null });
	return true;
}

/*
 * Sharing one socket among the tabs of a browser (options.shared).
 *
 * The tabs that connect to the same URL (BroadcastChannel and Web Locks are per origin
 * already) elect a leader with a Web Lock of the name sharedName(url): the tab that holds
 * it keeps it for its lifetime, opens the only socket and relays over a BroadcastChannel
 * of the same name. Every other tab waits for the lock, and so is the next leader when
 * the browser releases it (the leader's tab closed or crashed, or it called close()).
 *
 * Messages on the channel, each with `from`, the sending tab's id:
 *
 *   type     from → to            fields
 *   leader   leader → all, or     status, detail, state, version, connectionId, userId:
 *            the tab that joined  a snapshot; sent when a tab takes the lead and on join
 *   state    leader → all         version, state, full, reason (as onState says)
 *   status   leader → all         status, detail, connectionId, userId
 *   message  leader → all         data: a raw frame
 *   reply    leader → to          ref, data
 *   error    leader → to          ref, code, message
 *   bye      leader → all         the leader leaves (close(), revoked, page unloaded)
 *   join     follower → all       asks the leader for a snapshot
 *   request  follower → to        ref, action, json: an action for the leader to send
 *   sync     follower → to        asks the leader to sync()
 *
 * and for topics:
 *
 *   subscribe    follower → to    topic, ref, offset?, epoch?: subscribe for this tab
 *   unsubscribe  follower → to    topic
 *   leave        follower → all   the tab is gone: its subscriptions end
 *   subscribed   leader → to      topic, ref, data: the subscribe's answer
 *   refused      leader → to      topic, ref, code, message
 *   topic-reset  leader → to      topic, data: resubscribed without recovery
 *   publication  leader → all     topic, data, offset, epoch
 *
 * `to` is the tab id of the addressee. Requests name their leader, so a request that
 * reached no leader was sent by nobody: a follower rejects its unanswered requests as
 * 'disconnected' when its leader changes or leaves, and never sends anything twice.
 * Subscriptions are different: asking twice does no harm, so a follower asks every new
 * leader again, from the positions it reached, and the leader's client subscribes the
 * union of all tabs' topics (each tab drops publications it has seen already).
 */

/**
 * The name of the Web Lock and of the BroadcastChannel of the tabs that share the
 * connection to `url`.
 * @param {string} url the WebSocket URL
 * @returns {string}
 */
export function sharedName(url) {
	return 'livesession:' + url;
}

const IGNORE = Object.freeze({ kind: 'ignore' });

/**
 * What a follower tab does with a message of the shared channel. Never mutates its
 * arguments. Its own messages, those addressed to another tab and those of any tab but
 * its leader are ignored, except `leader`: a tab announcing that it now leads is always
 * believed (there is only one lock).
 * @param {{tabId: string, leader: string | null, state: Record<string, unknown>, version: number | null}} view
 * the follower: its id, its leader's id and its state
 * @param {any} message
 * @returns {{kind: 'ignore'} | {kind: 'leader', changed: boolean} | {kind: 'state', result: ReturnType<typeof applyStateFrame>}
 * | {kind: 'status' | 'message' | 'reply' | 'error' | 'bye' | 'publication' | 'subscribed' | 'refused' | 'topic-reset'}}
 * leader: a snapshot, `changed`
 * when it comes from another leader than before; state: the result of applyStateFrame
 */
export function followerRoute(view, message) {
	if (!isObject(message) || typeof message.from !== 'string' || message.from === view.tabId) {
		return IGNORE;
	}
	if (message.to !== undefined && message.to !== view.tabId) {
		return IGNORE;
	}
	if (message.type === 'leader') {
		return { kind: 'leader', changed: message.from !== view.leader };
	}
	if (message.from !== view.leader) {
		return IGNORE;
	}
	switch (message.type) {
		case 'state':
			return { kind: 'state', result: applyStateFrame(view, message) };
		case 'status':
		case 'message':
		case 'bye':
			return { kind: message.type };
		case 'reply':
		case 'error':
			return (typeof message.ref === 'string') ? { kind: message.type } : IGNORE;
		case 'publication':
		case 'topic-reset':
			return (typeof message.topic === 'string') ? { kind: message.type } : IGNORE;
		case 'subscribed':
		case 'refused':
			return (typeof message.topic === 'string' && typeof message.ref === 'string') ? { kind: message.type } : IGNORE;
		default:
			return IGNORE;
	}
}

/**
 * What the leader tab does with a message of the shared channel: answer a `join` with a
 * snapshot, relay a `request`, a `sync`, a `subscribe` or an `unsubscribe` addressed to
 * it, end the subscriptions of a tab that says `leave`; anything else is ignored.
 * @param {string} tabId the leader's id
 * @param {any} message
 * @returns {'join' | 'request' | 'sync' | 'subscribe' | 'unsubscribe' | 'leave' | 'ignore'}
 */
export function leaderRoute(tabId, message) {
	if (!isObject(message) || typeof message.from !== 'string' || message.from === tabId) {
		return 'ignore';
	}
	if (message.type === 'join' || message.type === 'leave') {
		return message.type;
	}
	if (message.to !== tabId) {
		return 'ignore';
	}
	if (message.type === 'request' && typeof message.ref === 'string' && typeof message.action === 'string') {
		return 'request';
	}
	if (message.type === 'subscribe' && typeof message.topic === 'string' && typeof message.ref === 'string') {
		return 'subscribe';
	}
	if (message.type === 'unsubscribe' && typeof message.topic === 'string') {
		return 'unsubscribe';
	}
	return (message.type === 'sync') ? 'sync' : 'ignore';
}

function newTabId() {
	if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') {
		return globalThis.crypto.randomUUID();
	}
	return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
}

/** A status detail that survives postMessage: an Error becomes its text. */
function portable(detail) {
	const copy = Object.assign({}, detail);
	if (copy.error !== undefined) {
		copy.error = String(copy.error);
	}
	return copy;
}

const LEADER_GONE = 'The leader tab left before the reply arrived; the action may or may not have been applied';

/**
 * A client of a tab that shares the browser's connection: the leader holds a
 * LiveSessionClient of its own and relays; a follower mirrors what the leader relays and
 * sends its actions through it. Same members as LiveSessionClient, plus `role`.
 */
class SharedLiveSessionClient {

	constructor(options, locks, Channel) {
		// 'leader' once this tab holds the lock, 'follower' until then.
		initMembers(this, options, 'follower');
		this.tabId = newTabId();
		if (!(this.options.WebSocket || globalThis.WebSocket)) {
			throw new Error('livesession: no WebSocket implementation; pass options.WebSocket');
		}
		this._name = sharedName(this.url);
		this._detail = {};
		this._leader = null;
		this._client = null;
		this._everOpen = false;
		this._done = false;
		this._closedByClient = false;
		this._resyncing = false;
		this._refs = 0;
		this._pending = new Map();
		this._release = null;
		// This tab's subscriptions: through the leader while following, through its own
		// client (_own: topic -> its subscription there) while leading.
		this._topics = new TopicTable(this._followerPort(), topicHost(this));
		this._own = new Map();
		// Leading: the subscriptions made for each follower tab (tab id -> topic -> subscription).
		this._followers = new Map();
		this._abort = (typeof AbortController === 'function') ? new AbortController() : null;
		this._channel = new Channel(this._name);
		this._channel.onmessage = (event) => this._receive(event.data);
		// An unloading leader says so at once, so that its followers stop sending to it.
		this._pagehide = (event) => {
			if (!event.persisted) {
				this._quit();
			}
		};
		if (typeof globalThis.addEventListener === 'function') {
			globalThis.addEventListener('pagehide', this._pagehide);
		}
		// Held until close(), a revocation or the end of the page.
		locks.request(this._name, this._abort ? { signal: this._abort.signal } : {}, () => this._lead())
			.catch(() => {
				// Aborted by close() while waiting.
			});
		this._post({ type: 'join' });
		queueMicrotask(() => {
			if (this.status === 'connecting') {
				this._call('onStatus', 'connecting', { url: this.url });
			}
		});
	}

	send(action, data) {
		if (this.role === 'leader') {
			return this._client.send(action, data);
		}
		if (this._done || this.status !== 'open' || this._leader === null) {
			return Promise.reject(new LiveSessionError('disconnected', 'Not connected; the action was not sent'));
		}
		let json;
		try {
			json = (data === undefined) ? undefined : JSON.stringify(data);
		}
		catch (ex) {
			return Promise.reject(new LiveSessionError('bad_request', 'The action data cannot be sent as JSON'));
		}
		const ref = String(++this._refs);
		return new Promise((resolve, reject) => {
			this._pending.set(ref, { resolve, reject });
			if (!this._post({ type: 'request', to: this._leader, ref, action, json })) {
				this._pending.delete(ref);
				reject(new LiveSessionError('disconnected', 'The action could not be sent'));
			}
		});
	}

	subscribe(topic, onMessage, options) {
		return this._topics.add(topic, onMessage, options);
	}

	sync() {
		if (this.role === 'leader') {
			return this._client.sync();
		}
		if (this._done || this.status !== 'open' || this._leader === null) {
			return false;
		}
		return this._post({ type: 'sync', to: this._leader });
	}

	close() {
		if (this._closedByClient) {
			return;
		}
		this._closedByClient = true;
		this._quit();
		if (this._client) {
			this._client.close();
		}
		this._rejectPending('The connection closed before the reply arrived; the action may or may not have been applied');
		this._setStatus('closed', { code: CloseCodes.NORMAL, reason: 'client closed' });
	}

	// Leading.

	/** Runs when this tab got the lock; the lock is held until the returned Promise settles. */
	_lead() {
		if (this._done) {
			return undefined;
		}
		return new Promise((release) => {
			this._release = release;
			this.role = 'leader';
			this._leader = this.tabId;
			this._rejectPending(LEADER_GONE);
			this._call('onRole', 'leader');
			const status = this._everOpen ? 'reconnecting' : 'connecting';
			if (this.status !== status) {
				this._setStatus(status, { url: this.url, handover: true });
			}
			this._client = new LiveSessionClient(Object.assign({}, this.options, {
				onState: (state, version, info) => this._leaderState(state, version, info),
				onStatus: (status, detail) => this._leaderStatus(status, detail),
				onMessage: (data) => this._leaderMessage(data),
				onPublication: (topic, data, info) => this._leaderPublication(topic, data, info),
				// Every subscription of this client has an onReset of its own.
				onTopicReset: noop,
			}));
			// The subscriptions made through the old leader, now through this tab's client.
			this._topics.disconnected();
			this._topics.port = this._leaderPort();
			this._topics.connected();
			this._post(this._snapshot());
		});
	}

	_followerPort() {
		return {
			subscribe: (topic, position) => {
				if (this._leader === null) {
					return null;
				}
				const ref = String(++this._refs);
				const message = { type: 'subscribe', to: this._leader, topic, ref };
				if (position) {
					message.offset = position.offset;
					message.epoch = position.epoch;
				}
				return this._post(message) ? ref : null;
			},
			unsubscribe: (topic) => {
				if (this._leader !== null) {
					this._post({ type: 'unsubscribe', to: this._leader, topic });
				}
			},
		};
	}

	_leaderPort() {
		return {
			subscribe: (topic, position) => {
				const ref = String(++this._refs);
				const handle = this._subscribeFor(this._own, topic, position, {
					reset: (info) => this._topics.reset(topic, info),
					refused: (error) => this._topics.refused(topic, null, error),
				});
				handle.ready.then((info) => this._topics.replied(topic, ref, info), noop);
				return ref;
			},
			unsubscribe: (topic) => this._unsubscribeFor(this._own, topic),
		};
	}

	/**
	 * Subscribes the leader's client to a topic for a tab whose subscriptions are `subs`,
	 * in place of the tab's earlier subscription of that topic (after it, so that the
	 * client stays subscribed).
	 */
	_subscribeFor(subs, topic, position, on) {
		const previous = subs.get(topic);
		let handle = null;
		handle = this._client.subscribe(topic, noop, {
			since: position,
			onReset: on.reset,
			onError: (error) => {
				if (subs.get(topic) === handle) {
					subs.delete(topic);
				}
				on.refused(error);
			},
		});
		subs.set(topic, handle);
		if (previous) {
			previous.unsubscribe();
		}
		return handle;
	}

	_unsubscribeFor(subs, topic) {
		const handle = subs.get(topic);
		subs.delete(topic);
		if (handle) {
			handle.unsubscribe();
		}
	}

	_leaderPublication(topic, data, info) {
		if (this._done) {
			return;
		}
		this._post({ type: 'publication', topic, data, offset: info.offset, epoch: info.epoch });
		publish(this, this._topics, topic, data, info.offset, info.epoch);
	}

	_serveSubscribe(message) {
		const { from, topic, ref } = message;
		let subs = this._followers.get(from);
		if (!subs) {
			subs = new Map();
			this._followers.set(from, subs);
		}
		const handle = this._subscribeFor(subs, topic, topicPosition(message.offset, message.epoch), {
			reset: (info) => this._post({ type: 'topic-reset', to: from, topic, data: info }),
			refused: (error) => this._post({ type: 'refused', to: from, topic, ref, code: error.code, message: error.message }),
		});
		handle.ready.then((info) => this._post({ type: 'subscribed', to: from, topic, ref, data: info }), noop);
	}

	_serveLeave(tabId) {
		const subs = this._followers.get(tabId);
		this._followers.delete(tabId);
		if (subs) {
			Array.from(subs.keys()).forEach((topic) => this._unsubscribeFor(subs, topic));
		}
	}

	_snapshot() {
		return {
			type: 'leader',
			status: this.status,
			detail: portable(this._detail),
			state: this.state,
			version: this.version,
			connectionId: this.connectionId,
			userId: this.userId,
		};
	}

	_leaderState(state, version, info) {
		if (this._done) {
			return;
		}
		this._setState(state, version, info.reason, info.changed);
		this._post((info.reason === 'delta') ? { type: 'state', version, state: info.changed, reason: 'delta' }
				: { type: 'state', version, state, full: true, reason: info.reason });
	}

	_leaderStatus(status, detail) {
		// 'connecting' was reported when this tab took the lead.
		if (this._done || status === 'connecting') {
			return;
		}
		if (status === 'open') {
			this.connectionId = detail.connectionId ?? null;
			this.userId = detail.userId ?? null;
		}
		this._setStatus(status, detail);
		this._post({
			type: 'status',
			status,
			detail: portable(detail),
			connectionId: this.connectionId,
			userId: this.userId,
		});
		if (status === 'revoked') {
			// Like every tab of a revoked session: out for good. Tabs opened later start anew.
			this._quit();
		}
	}

	_leaderMessage(data) {
		if (this._done) {
			return;
		}
		this._call('onMessage', data);
		this._post({ type: 'message', data });
	}

	_serve(message) {
		switch (leaderRoute(this.tabId, message)) {
			case 'join':
				this._post(Object.assign(this._snapshot(), { to: message.from }));
				break;
			case 'sync':
				this._client.sync();
				break;
			case 'request':
				this._relay(message);
				break;
			case 'subscribe':
				this._serveSubscribe(message);
				break;
			case 'unsubscribe':
				this._unsubscribeFor(this._followers.get(message.from) || new Map(), message.topic);
				break;
			case 'leave':
				this._serveLeave(message.from);
				break;
			default:
				break;
		}
	}

	_relay(message) {
		const { from, ref } = message;
		let data;
		try {
			data = (typeof message.json === 'string') ? JSON.parse(message.json) : undefined;
		}
		catch (ex) {
			this._post({ type: 'error', to: from, ref, code: 'bad_request', message: 'The action data is not JSON' });
			return;
		}
		this._client.send(message.action, data)
			.then((reply) => this._post({ type: 'reply', to: from, ref, data: reply }),
					(error) => this._post({ type: 'error', to: from, ref, code: error.code, message: error.message }));
	}

	// Following.

	_receive(message) {
		if (this._done) {
			return;
		}
		if (this.role === 'leader') {
			this._serve(message);
			return;
		}
		const route = followerRoute(
				{ tabId: this.tabId, leader: this._leader, state: this.state, version: this.version }, message);
		switch (route.kind) {
			case 'leader':
				this._follow(message, route.changed);
				break;
			case 'state':
				this._followState(message, route.result);
				break;
			case 'status':
				this.connectionId = message.connectionId ?? null;
				this.userId = message.userId ?? null;
				this._setStatus(message.status, message.detail || {});
				if (message.status === 'revoked') {
					this._rejectPending(LEADER_GONE);
					this._quit();
				}
				break;
			case 'message':
				this._call('onMessage', message.data);
				break;
			case 'reply':
				this._settle(message.ref, (pending) => pending.resolve(message.data));
				break;
			case 'error':
				this._settle(message.ref, (pending) => pending.reject(
						new LiveSessionError(String(message.code), String(message.message ?? ''))));
				break;
			case 'publication':
				publish(this, this._topics, message.topic, message.data, message.offset, message.epoch);
				break;
			case 'subscribed':
				this._topics.replied(message.topic, message.ref, message.data);
				break;
			case 'refused':
				this._topics.refused(message.topic, message.ref,
						new LiveSessionError(String(message.code), String(message.message ?? '')));
				break;
			case 'topic-reset':
				this._topics.reset(message.topic, message.data);
				break;
			case 'bye':
				this._leader = null;
				this._topics.disconnected();
				this._rejectPending(LEADER_GONE);
				if (this.status !== 'revoked') {
					this._setStatus('reconnecting', { handover: true });
				}
				break;
			default:
				break;
		}
	}

	/** A snapshot from a leader: a new leader announcing itself, or the answer to a join. */
	_follow(snapshot, changed) {
		if (changed) {
			this._leader = snapshot.from;
			this._rejectPending(LEADER_GONE);
			// Ask the new leader for every topic, from where this tab stands.
			this._topics.disconnected();
			this._topics.connected();
		}
		this._resyncing = false;
		this.connectionId = snapshot.connectionId ?? null;
		this.userId = snapshot.userId ?? null;
		if (snapshot.status !== this.status) {
			this._setStatus(snapshot.status, snapshot.detail || {});
		}
		if (Number.isInteger(snapshot.version) && isObject(snapshot.state)) {
			this._setState(snapshot.state, snapshot.version, 'hello', null);
		}
		if (snapshot.status === 'revoked') {
			this._quit();
		}
	}

	_followState(message, result) {
		switch (result.action) {
			case 'replace':
			case 'apply':
				this._resyncing = false;
				this._setState(result.state, result.version, message.reason,
						(result.action === 'apply') ? message.state : null);
				break;
			case 'sync':
				// A change was missed (it came before this tab's snapshot): ask for a new one.
				if (!this._resyncing) {
					this._resyncing = true;
					this._post({ type: 'join' });
				}
				break;
			default:
				break;
		}
	}

	_settle(ref, action) {
		const pending = this._pending.get(ref);
		if (pending) {
			this._pending.delete(ref);
			action(pending);
		}
	}

	// Both.

	/** Leaves the sharing for good: says bye when leading, gives up the lock and the channel. */
	_quit() {
		if (this._done) {
			return;
		}
		if (this.role === 'leader') {
			this._post({ type: 'bye' });
		}
		else {
			this._post({ type: 'leave' });
		}
		this._topics.closed(new LiveSessionError('disconnected', 'The connection closed before the reply'));
		this._done = true;
		if (this._abort) {
			this._abort.abort();
		}
		if (this._release) {
			this._release();
			this._release = null;
		}
		try {
			this._channel.close();
		}
		catch (ex) {
			// Closed already.
		}
		if (typeof globalThis.removeEventListener === 'function') {
			globalThis.removeEventListener('pagehide', this._pagehide);
		}
	}

	_post(message) {
		if (this._done) {
			return false;
		}
		try {
			this._channel.postMessage(Object.assign({ from: this.tabId }, message));
			return true;
		}
		catch (ex) {
			return false;
		}
	}

	_setState(state, version, reason, changed) {
		// Copied: a snapshot crossed postMessage, whose structured clone has a prototype.
		this.state = record(state);
		this.version = version;
		this._call('onState', this.state, version,
			{ reason, changed: changed ?? null, connectionId: this.connectionId, userId: this.userId });
	}

	_setStatus(status, detail) {
		if (status === 'open') {
			this._everOpen = true;
		}
		this.status = status;
		this._detail = detail;
		this._call('onStatus', status, detail);
	}

	_rejectPending(message) {
		const pending = Array.from(this._pending.values());
		this._pending.clear();
		for (const { reject } of pending) {
			reject(new LiveSessionError('disconnected', message));
		}
	}

	_call(name, ...args) {
		invoke(this.options, name, args);
	}

}

/**
 * Connects to the livesession endpoint and keeps reconnecting until close() or a revocation.
 * With `shared: true` the tabs of the browser share one connection when the browser has
 * Web Locks and BroadcastChannel, and each has its own otherwise.
 * @param {import('./livesession').ConnectOptions} [options]
 * @returns {import('./livesession').LiveSessionClient}
 */
export function connect(options = {}) {
	if (options.shared) {
		const locks = options.locks || (globalThis.navigator && globalThis.navigator.locks);
		const Channel = options.BroadcastChannel || globalThis.BroadcastChannel;
		if (locks && typeof locks.request === 'function' && typeof Channel === 'function') {
			return new SharedLiveSessionClient(options, locks, Channel);
		}
	}
	return new LiveSessionClient(options);
}
