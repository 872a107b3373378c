/*
 * livesession browser client: a dependency-free ES module, served by the starter at
 * livesession.client.path (default /livesession/livesession.js). See docs/client.md.
 *
 *   import { connect } from '/livesession/livesession.js';
 *   const live = connect({ onState: (state) => render(state) });
 *   live.send('increment', { by: 1 }).then((reply) => ..., (error) => error.code);
 *
 * Speaks livesession wire protocol version 1: hello / state / reply / error frames from
 * the server, action / sync frames to it. The pure parts (URL, backoff, state frame
 * application, close handling) are exported separately so they can be tested without a
 * browser.
 */

/** Frame types the server reserves for the protocol; any other frame is an application frame. */
export const PROTOCOL_FRAME_TYPES = Object.freeze(['hello', 'state', 'reply', 'error']);

/** Defaults of the connect options. */
export const DEFAULTS = Object.freeze({ endpoint: '/live', minDelay: 500, maxDelay: 15000 });

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
	const next = Object.assign({}, state);
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
		return { action: 'replace', state: Object.assign({}, frame.state), version: frame.version };
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

const noop = () => {};

class LiveSessionClient {

	constructor(options) {
		this.options = Object.assign({}, DEFAULTS, options);
		this.url = resolveUrl(this.options);
		this.state = {};
		this.version = null;
		this.status = 'connecting';
		this.connectionId = null;
		this.userId = null;
		this._WebSocket = this.options.WebSocket || globalThis.WebSocket;
		if (!this._WebSocket) {
			throw new Error('livesession: no WebSocket implementation; pass options.WebSocket');
		}
		this._socket = null;
		this._timer = null;
		this._attempt = 0;
		this._closedByClient = false;
		this._syncing = false;
		this._refs = 0;
		this._pending = new Map();
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
		socket.onmessage = (event) => {
			if (socket === this._socket) {
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
				this._settle(frame.ref, (pending) => pending.resolve(frame.data));
				break;
			case 'error': {
				const error = new LiveSessionError(String(frame.code), String(frame.message ?? ''));
				if (!this._settle(frame.ref, (pending) => pending.reject(error))) {
					this._report(error);
				}
				break;
			}
		}
	}

	_hello(frame) {
		this.connectionId = frame.connectionId ?? null;
		this.userId = frame.userId ?? null;
		this._attempt = 0;
		this._syncing = false;
		this.state = isObject(frame.state) ? Object.assign({}, frame.state) : {};
		this.version = Number.isInteger(frame.version) ? frame.version : null;
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

	_closed(code, reason) {
		this._socket = null;
		this._rejectPending();
		const detail = { code, reason };
		switch (closeDecision(code, this._closedByClient)) {
			case 'closed':
				this._setStatus('closed', detail);
				break;
			case 'revoked':
				if (typeof globalThis.removeEventListener === 'function') {
					globalThis.removeEventListener('online', this._online);
				}
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
		const callback = this.options[name] || noop;
		try {
			callback(...args);
		}
		catch (ex) {
			if (name !== 'onError' && this.options.onError) {
				this._call('onError', ex);
			}
			else {
				console.error('livesession: ' + name + ' callback failed', ex);
			}
		}
	}

}

/**
 * Connects to the livesession endpoint and keeps reconnecting until close() or a revocation.
 * @param {import('./livesession').ConnectOptions} [options]
 * @returns {import('./livesession').LiveSessionClient}
 */
export function connect(options = {}) {
	return new LiveSessionClient(options);
}
