// Fixtures of the client tests (not a test file itself): a fake socket, and "tabs" in one
// Node process that share it through Node's real BroadcastChannel and a fake Web Locks
// manager.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { connect } from '../../main/resources/META-INF/livesession/livesession.js';

// The client keeps state in null-prototype objects; deepEqual compares prototypes too, so
// these comparisons are of contents: null-prototype objects become plain ones.
export function plain(value) {
	if (Array.isArray(value)) {
		return value.map(plain);
	}
	if (value !== null && typeof value === 'object'
			&& [null, Object.prototype].includes(Object.getPrototypeOf(value))) {
		return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
	}
	return value;
}

export const deepEqual = (actual, expected, message) => assert.deepEqual(plain(actual), plain(expected), message);

export class FakeSocket {

	static instances = [];

	constructor(url) {
		this.url = url;
		this.readyState = 0;
		this.sent = [];
		FakeSocket.instances.push(this);
	}

	send(text) {
		this.sent.push(JSON.parse(text));
	}

	close(code, reason) {
		this.readyState = 3;
		this.closedWith = { code, reason };
	}

	serverOpen() {
		this.readyState = 1;
		this.onopen?.({});
	}

	serverSends(frame) {
		this.onmessage({ data: (typeof frame === 'string' || frame instanceof ArrayBuffer) ? frame : JSON.stringify(frame) });
	}

	serverCloses(code, reason = '') {
		this.readyState = 3;
		this.onclose({ code, reason });
	}

	/** Answers an action frame the way the counter sample does. */
	reply(frame, data) {
		this.serverSends({ type: 'reply', ref: frame.ref, data });
	}

}

/** Web Locks, exclusive mode only, as far as the client uses them; grants come in a later task. */
export class FakeLocks {

	constructor() {
		this.holders = new Map();
		this.queues = new Map();
	}

	/** The lock manager of one tab; kill() is what a crash of the tab does to its locks. */
	forTab() {
		const tab = {};
		return {
			request: (name, options, callback) => this.request(tab, name, options, callback),
			kill: () => {
				for (const queue of this.queues.values()) {
					queue.splice(0, queue.length, ...queue.filter((entry) => entry.tab !== tab));
				}
				for (const entry of [...this.holders.values()]) {
					if (entry.tab === tab) {
						entry.dead = true;
						this.free(entry);
					}
				}
			},
		};
	}

	request(tab, name, options, callback) {
		return new Promise((resolve, reject) => {
			const entry = { tab, name, callback, resolve, reject };
			const queue = this.queues.get(name) || [];
			this.queues.set(name, queue);
			queue.push(entry);
			options.signal?.addEventListener('abort', () => {
				const index = queue.indexOf(entry);
				if (index >= 0) {
					queue.splice(index, 1);
					reject(new DOMException('The request was aborted.', 'AbortError'));
				}
			});
			this.grant(name);
		});
	}

	grant(name) {
		const queue = this.queues.get(name) || [];
		if (this.holders.has(name) || queue.length === 0) {
			return;
		}
		const entry = queue.shift();
		this.holders.set(name, entry);
		setTimeout(() => {
			if (entry.dead) {
				return;
			}
			Promise.resolve()
				.then(() => entry.callback({ name, mode: 'exclusive' }))
				.then(entry.resolve, entry.reject)
				.finally(() => this.free(entry));
		}, 0);
	}

	free(entry) {
		if (this.holders.get(entry.name) === entry) {
			this.holders.delete(entry.name);
			this.grant(entry.name);
		}
	}

	holder(name) {
		return this.holders.get(name);
	}

}

export const URL = 'ws://test/live';
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition, what, timeout = 2000) {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeout) {
			throw new Error('Timed out waiting for ' + what);
		}
		await sleep(2);
	}
}

const openBrowsers = [];

/**
 * A test with browsers: fails after `timeout` ms instead of waiting forever for a Promise
 * that never settles, and closes its browsers whatever happens (an open channel would
 * keep Node running).
 */
export function tabsTest(name, body, timeout = 5000) {
	test(name, async () => {
		let timer;
		const expired = new Promise((resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`Not done within ${timeout} ms`)), timeout);
		});
		try {
			await Promise.race([body(), expired]);
		}
		finally {
			clearTimeout(timer);
			openBrowsers.splice(0).forEach((b) => b.close());
		}
	});
}

export function browser() {
	FakeSocket.instances = [];
	const locks = new FakeLocks();
	const tabs = [];
	const b = {
		locks,
		tabs,
		open(extra = {}) {
			const channels = [];
			class TabChannel extends BroadcastChannel {

				constructor(name) {
					super(name);
					channels.push(this);
				}

			}
			const tabLocks = locks.forTab();
			const events = { states: [], statuses: [], messages: [], errors: [], roles: [] };
			const live = connect(Object.assign({
				url: URL,
				shared: true,
				WebSocket: FakeSocket,
				locks: tabLocks,
				BroadcastChannel: TabChannel,
				minDelay: 5,
				maxDelay: 20,
				onState: (state, version, info) => events.states.push({ state, version, info }),
				onStatus: (status, detail) => events.statuses.push({ status, detail }),
				onMessage: (data) => events.messages.push(data),
				onError: (error) => events.errors.push(error),
				onRole: (role) => events.roles.push(role),
			}, extra));
			const tab = {
				live,
				events,
				/** The tab is gone without a word: its locks are released, its channel is dead. */
				crash() {
					tabLocks.kill();
					channels.forEach((channel) => channel.close());
					live.close();
				},
			};
			tabs.push(tab);
			return tab;
		},
		close() {
			tabs.forEach((tab) => tab.live.close());
		},
	};
	openBrowsers.push(b);
	return b;
}

export const hello = (connectionId, version, state) => ({ type: 'hello', connectionId, userId: null, version, state });
export const counter = (count) => ({ counter: { count } });

/** Opens three tabs of which the first leads, connected at version 3. */
export async function threeTabs() {
	const b = browser();
	const first = b.open();
	await until(() => first.live.role === 'leader', 'the first tab to lead');
	const second = b.open();
	const third = b.open();
	assert.equal(FakeSocket.instances.length, 1, 'one socket for three tabs');
	const socket = FakeSocket.instances[0];
	socket.serverOpen();
	socket.serverSends(hello('c1', 3, counter(3)));
	await until(() => [second, third].every((tab) => tab.live.status === 'open' && tab.live.version === 3),
		'the followers to be open at version 3');
	return { b, first, second, third, socket };
}

