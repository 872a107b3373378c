// Unit tests of the browser client: node --test livesession-spring-boot-autoconfigure/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
	applyStateFrame,
	backoffDelay,
	closeDecision,
	connect,
	mergeState,
	parseMessage,
	record,
	resolveUrl,
	shutdownDelay,
} from '../../main/resources/META-INF/livesession/livesession.js';
import { deepEqual, FakeSocket, sleep, until } from './tabs.mjs';

const low = () => 0;
const high = () => 0.999999;

test('backoff stays within [0, min(maxDelay, minDelay * 2^attempt))', () => {
	const options = { minDelay: 500, maxDelay: 15000 };
	for (let attempt = 0; attempt < 50; attempt++) {
		const ceiling = Math.min(15000, 500 * 2 ** attempt);
		assert.equal(backoffDelay(attempt, options, low), 0);
		const top = backoffDelay(attempt, options, high);
		assert.ok(top < ceiling && top >= ceiling - 1, `attempt ${attempt}: ${top}`);
		for (let i = 0; i < 20; i++) {
			const delay = backoffDelay(attempt, options);
			assert.ok(Number.isInteger(delay) && delay >= 0 && delay < ceiling);
		}
	}
});

test('backoff defaults are 500 ms and 15 s and survive huge attempts', () => {
	assert.equal(backoffDelay(0, {}, high), 499);
	assert.equal(backoffDelay(1, {}, high), 999);
	assert.equal(backoffDelay(1e9, {}, high), 14999);
	assert.equal(backoffDelay(Infinity, {}, high), 14999);
	assert.equal(backoffDelay(NaN, {}, high), 499);
});

test('shutdown reconnect is spread over [0, minDelay)', () => {
	assert.equal(shutdownDelay({ minDelay: 500 }, low), 0);
	assert.equal(shutdownDelay({ minDelay: 500 }, high), 499);
	assert.equal(shutdownDelay({}, high), 499);
});

test('close decisions', () => {
	assert.equal(closeDecision(1000, true), 'closed');
	assert.equal(closeDecision(1001, true), 'closed');
	assert.equal(closeDecision(1008, false), 'revoked');
	assert.equal(closeDecision(1001, false), 'prompt');
	for (const code of [1000, 1003, 1006, 1009, 1011, 4008]) {
		assert.equal(closeDecision(code, false), 'backoff');
	}
});

test('mergeState replaces, adds, removes on null and does not mutate', () => {
	const state = { a: 1, b: { x: 1 }, c: 'keep' };
	const next = mergeState(state, { a: 2, b: null, d: [1] });
	deepEqual(next, { a: 2, c: 'keep', d: [1] });
	deepEqual(state, { a: 1, b: { x: 1 }, c: 'keep' });
});

test('state lives in null-prototype objects: an attribute named __proto__ stays an attribute', () => {
	// JSON.parse makes "__proto__" an own property; copying it into {} would set the prototype.
	const frame = JSON.parse('{"version":1,"full":true,"state":{"__proto__":{"polluted":true},"a":1}}');
	const replaced = applyStateFrame({ state: record(null), version: null }, frame).state;
	assert.equal(Object.getPrototypeOf(replaced), null);
	assert.equal(replaced.polluted, undefined);
	assert.ok(Object.hasOwn(replaced, '__proto__'));
	assert.deepEqual(Object.keys(replaced), ['__proto__', 'a']);
	const merged = mergeState(replaced, JSON.parse('{"__proto__":{"isAdmin":true},"b":2}'));
	assert.equal(Object.getPrototypeOf(merged), null);
	assert.equal(merged.isAdmin, undefined);
	assert.equal(merged.__proto__.isAdmin, true, 'the attribute itself');
	assert.equal({}.isAdmin, undefined, 'Object.prototype untouched');
	assert.equal(Object.getPrototypeOf(mergeState(merged, { __proto__: null, a: 3 })), null);
});

test('client: a hello and a delta with a __proto__ attribute do not reach the prototype', () => {
	const { live, socket } = client();
	socket.serverSends('{"type":"hello","connectionId":"c1","userId":null,"version":1,'
			+ '"state":{"__proto__":{"polluted":1}}}');
	assert.equal(Object.getPrototypeOf(live.state), null);
	assert.equal(live.state.polluted, undefined);
	socket.serverSends('{"type":"state","version":2,"state":{"__proto__":{"polluted":2}}}');
	assert.equal(live.version, 2);
	assert.equal(live.state.polluted, undefined);
	assert.equal(live.state.__proto__.polluted, 2);
	live.close();
});

test('the next version applies the delta', () => {
	const current = { state: { counter: { count: 1 }, other: true }, version: 4 };
	const result = applyStateFrame(current, { type: 'state', version: 5, state: { counter: { count: 2 }, other: null } });
	assert.equal(result.action, 'apply');
	assert.equal(result.version, 5);
	deepEqual(result.state, { counter: { count: 2 } });
	deepEqual(current.state, { counter: { count: 1 }, other: true });
});

test('old or repeated versions are ignored', () => {
	const current = { state: { n: 3 }, version: 4 };
	for (const version of [0, 3, 4]) {
		const result = applyStateFrame(current, { version, state: { n: 99 } });
		assert.equal(result.action, 'ignore');
		assert.equal(result.state, current.state);
		assert.equal(result.version, 4);
	}
});

test('a gap asks for a sync and leaves the state alone', () => {
	const current = { state: { n: 3 }, version: 4 };
	const result = applyStateFrame(current, { version: 6, state: { n: 5 } });
	deepEqual(result, { action: 'sync', state: current.state, version: 4 });
	assert.equal(applyStateFrame({ state: {}, version: null }, { version: 1, state: {} }).action, 'sync');
});

test('a full frame replaces whatever the version', () => {
	const current = { state: { a: 1, b: 2 }, version: 4 };
	for (const version of [2, 4, 9]) {
		const result = applyStateFrame(current, { version, state: { a: 7 }, full: true });
		deepEqual(result, { action: 'replace', state: { a: 7 }, version });
	}
});

test('malformed state frames are ignored', () => {
	const current = { state: { a: 1 }, version: 1 };
	assert.equal(applyStateFrame(current, { version: '2', state: {} }).action, 'ignore');
	assert.equal(applyStateFrame(current, { version: 2, state: null }).action, 'ignore');
	assert.equal(applyStateFrame(current, { version: 2, state: [] }).action, 'ignore');
});

test('protocol frames are told apart from application frames', () => {
	assert.equal(parseMessage('{"type":"hello","version":0,"state":{}}').kind, 'protocol');
	deepEqual(parseMessage('{"type":"announcement","message":"hi"}'),
		{ kind: 'raw', data: { type: 'announcement', message: 'hi' } });
	deepEqual(parseMessage('[1,2]'), { kind: 'raw', data: [1, 2] });
	deepEqual(parseMessage('not json'), { kind: 'raw', data: 'not json' });
	const bytes = new ArrayBuffer(2);
	assert.equal(parseMessage(bytes).data, bytes);
});

test('the URL follows the page', () => {
	assert.equal(resolveUrl({}, { protocol: 'http:', host: 'localhost:8080' }), 'ws://localhost:8080/live');
	assert.equal(resolveUrl({ endpoint: 'x/ws' }, { protocol: 'https:', host: 'a.example' }), 'wss://a.example/x/ws');
	assert.equal(resolveUrl({ url: 'wss://b.example/live' }), 'wss://b.example/live');
	assert.equal(resolveUrl({ url: 'https://b.example/live' }), 'wss://b.example/live');
	assert.equal(resolveUrl({ url: 'live' }, { protocol: 'https:', host: 'a.example', href: 'https://a.example/app/page' }),
		'wss://a.example/app/live');
});

// The client against a fake socket.

function client(options = {}) {
	FakeSocket.instances = [];
	const events = { states: [], statuses: [], messages: [], errors: [] };
	const live = connect(Object.assign({
		url: 'ws://test/live',
		WebSocket: FakeSocket,
		minDelay: 5,
		maxDelay: 20,
		onState: (state, version, info) => events.states.push({ state, version, reason: info.reason }),
		onStatus: (status, detail) => events.statuses.push({ status, detail }),
		onMessage: (data) => events.messages.push(data),
		onError: (error) => events.errors.push(error),
	}, options));
	const socket = FakeSocket.instances[0];
	socket.serverOpen();
	return { live, socket, events };
}

const hello = (version, state) => ({ type: 'hello', connectionId: 'c1', userId: null, version, state });

test('client: hello, deltas, gap → one sync, full state', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(3, { counter: { count: 3 } }));
	assert.equal(live.status, 'open');
	deepEqual(live.state, { counter: { count: 3 } });
	socket.serverSends({ type: 'state', version: 4, state: { counter: { count: 4 } } });
	socket.serverSends({ type: 'state', version: 4, state: { counter: { count: 99 } } });
	assert.equal(live.version, 4);
	deepEqual(live.state, { counter: { count: 4 } });
	socket.serverSends({ type: 'state', version: 6, state: { counter: { count: 6 } } });
	socket.serverSends({ type: 'state', version: 7, state: { counter: { count: 7 } } });
	deepEqual(socket.sent, [{ type: 'sync' }]);
	assert.equal(live.version, 4);
	socket.serverSends({ type: 'state', version: 7, state: { counter: { count: 7 } }, full: true });
	assert.equal(live.version, 7);
	deepEqual(events.states.map((s) => s.reason), ['hello', 'delta', 'full']);
	await sleep(0);
	deepEqual(events.statuses.map((s) => s.status), ['open']);
	live.close();
});

test('client: replies resolve, errors reject, close rejects with disconnected', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(0, {}));
	const ok = live.send('increment', { by: 2 });
	const bad = live.send('nope');
	const lost = live.send('increment');
	deepEqual(socket.sent[0], { type: 'action', action: 'increment', ref: socket.sent[0].ref, data: { by: 2 } });
	assert.equal(socket.sent[1].data, undefined);
	assert.equal(new Set(socket.sent.map((f) => f.ref)).size, 3);
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { count: 2 } });
	socket.serverSends({ type: 'error', ref: socket.sent[1].ref, code: 'unknown_action', message: 'No handler' });
	socket.serverSends({ type: 'error', ref: null, code: 'bad_request', message: 'Frame is not valid JSON' });
	socket.serverSends({ type: 'announcement', message: 'hi' });
	deepEqual(await ok, { count: 2 });
	await assert.rejects(bad, { code: 'unknown_action', message: 'No handler' });
	socket.serverCloses(1011, 'internal');
	await assert.rejects(lost, { code: 'disconnected' });
	await assert.rejects(live.send('increment'), { code: 'disconnected' });
	deepEqual(events.errors.map((e) => e.code), ['bad_request']);
	deepEqual(events.messages, [{ type: 'announcement', message: 'hi' }]);
	assert.equal(live.status, 'reconnecting');
	live.close();
	assert.equal(live.status, 'closed');
});

test('client: reconnects after 1001 and resyncs with the new hello', async () => {
	const { live, socket } = client();
	socket.serverSends(hello(1, { a: 1 }));
	socket.serverCloses(1001, 'shutting down');
	assert.equal(live.status, 'reconnecting');
	await sleep(30);
	assert.equal(FakeSocket.instances.length, 2);
	const second = FakeSocket.instances[1];
	second.serverOpen();
	second.serverSends(hello(0, { b: 2 }));
	assert.equal(live.status, 'open');
	assert.equal(live.version, 0);
	deepEqual(live.state, { b: 2 });
	live.close();
	deepEqual(second.closedWith, { code: 1000, reason: 'client closed' });
});

test('client: 1008 is final and close() does not reconnect', async () => {
	const revoked = client();
	revoked.socket.serverSends(hello(0, {}));
	revoked.socket.serverCloses(1008, 'revoked');
	assert.equal(revoked.live.status, 'revoked');
	await sleep(40);
	assert.equal(FakeSocket.instances.length, 1);

	const closed = client();
	closed.socket.serverSends(hello(0, {}));
	closed.live.close();
	closed.socket.serverCloses(1000, 'client closed');
	await sleep(40);
	assert.equal(FakeSocket.instances.length, 1);
	assert.equal(closed.live.status, 'closed');
});

test('client: an error event without a close event still leads to a reconnect', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(0, {}));
	socket.onerror({});
	await sleep(0);
	assert.equal(live.status, 'reconnecting');
	assert.equal(events.statuses.at(-1).detail.code, 1006);
	assert.equal(events.statuses.at(-1).detail.attempt, 1);
	await sleep(30);
	assert.equal(FakeSocket.instances.length, 2);
	socket.serverCloses(1006);
	assert.equal(FakeSocket.instances.length, 2);
	live.close();
});

test('client: failed reconnects back off within growing bounds, and a hello starts over', async () => {
	const { live, socket, events } = client({ minDelay: 4, maxDelay: 16 });
	socket.serverSends(hello(0, {}));
	socket.serverCloses(1006);
	for (let failure = 1; failure <= 5; failure++) {
		const { status, detail } = events.statuses.at(-1);
		assert.equal(status, 'reconnecting');
		assert.equal(detail.attempt, failure);
		const ceiling = Math.min(16, 4 * 2 ** (failure - 1));
		assert.ok(Number.isInteger(detail.delay) && detail.delay >= 0 && detail.delay < ceiling,
			`failure ${failure}: delay ${detail.delay} not in [0, ${ceiling})`);
		await sleep(ceiling + 10);
		assert.equal(FakeSocket.instances.length, failure + 1, 'one new attempt per delay');
		if (failure < 5) {
			FakeSocket.instances.at(-1).serverCloses(1006);
		}
	}
	const last = FakeSocket.instances.at(-1);
	last.serverOpen();
	last.serverSends(hello(0, {}));
	last.serverCloses(1011);
	assert.equal(events.statuses.at(-1).detail.attempt, 1, 'the count starts over after a hello');
	assert.ok(events.statuses.at(-1).detail.delay < 4);
	live.close();
});

test('client: after 1001 every client comes back within minDelay, spread out', () => {
	const delays = [];
	for (let i = 0; i < 200; i++) {
		const { live, socket, events } = client({ minDelay: 1000, maxDelay: 15000 });
		socket.serverSends(hello(0, {}));
		socket.serverCloses(1001, 'shutting down');
		const { status, detail } = events.statuses.at(-1);
		assert.equal(status, 'reconnecting');
		assert.equal(detail.code, 1001);
		assert.ok(detail.delay >= 0 && detail.delay < 1000, `delay ${detail.delay}`);
		delays.push(detail.delay);
		live.close();
	}
	assert.ok(new Set(delays).size > 100, 'the delays are spread, not one instant for all');
});

test('client: 1008 rejects pending actions, says revoked and never reconnects', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(2, { a: 1 }));
	const pending = live.send('increment');
	socket.serverCloses(1008, 'revoked');
	await assert.rejects(pending, { code: 'disconnected' });
	assert.equal(live.status, 'revoked');
	deepEqual(events.statuses.at(-1), { status: 'revoked', detail: { code: 1008, reason: 'revoked' } });
	await assert.rejects(live.send('increment'), { code: 'disconnected' });
	assert.equal(live.sync(), false);
	await sleep(60);
	assert.equal(FakeSocket.instances.length, 1);
	assert.equal(live.status, 'revoked');
	deepEqual(live.state, { a: 1 }, 'the last state stays readable');
});

test('client: a reply after a reconnect settles nothing twice, and actions on the new connection work', async () => {
	const { live, socket } = client();
	socket.serverSends(hello(0, {}));
	const lost = live.send('increment');
	const lostRef = socket.sent[0].ref;
	socket.serverCloses(1006);
	await assert.rejects(lost, { code: 'disconnected' });
	await sleep(30);
	const second = FakeSocket.instances[1];
	second.serverOpen();
	second.serverSends(hello(5, { n: 5 }));
	const next = live.send('increment');
	assert.notEqual(second.sent[0].ref, lostRef, 'refs are never reused');
	second.serverSends({ type: 'reply', ref: lostRef, data: 'late' });
	second.serverSends({ type: 'reply', ref: second.sent[0].ref, data: { n: 6 } });
	deepEqual(await next, { n: 6 });
	live.close();
});

test('client: the state is resynced by the hello of every new connection and onState says so', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(3, { counter: { count: 3 }, gone: true }));
	socket.serverCloses(1006);
	await sleep(30);
	const second = FakeSocket.instances[1];
	second.serverOpen();
	second.serverSends(hello(9, { counter: { count: 9 } }));
	deepEqual(live.state, { counter: { count: 9 } });
	assert.equal(live.version, 9);
	deepEqual(events.states.map((s) => [s.reason, s.version]), [['hello', 3], ['hello', 9]]);
	second.serverSends({ type: 'state', version: 10, state: { counter: { count: 10 } } });
	assert.equal(live.version, 10);
	live.close();
});

test('client: raw frames reach onMessage as text, parsed JSON or ArrayBuffer', () => {
	const { live, socket, events } = client();
	socket.serverSends(hello(0, {}));
	const bytes = new Uint8Array([1, 2, 255]).buffer;
	socket.onmessage({ data: bytes });
	socket.onmessage({ data: 'plain text' });
	socket.onmessage({ data: '{"type":"announcement","message":"hi"}' });
	assert.equal(socket.binaryType, 'arraybuffer');
	assert.equal(events.messages.length, 3);
	assert.ok(events.messages[0] instanceof ArrayBuffer);
	deepEqual([...new Uint8Array(events.messages[0])], [1, 2, 255]);
	assert.equal(events.messages[1], 'plain text');
	deepEqual(events.messages[2], { type: 'announcement', message: 'hi' });
	assert.equal(live.version, 0, 'raw frames do not touch the state');
	live.close();
});

test('client: status goes connecting, open, closed', async () => {
	FakeSocket.instances = [];
	const statuses = [];
	const live = connect({ url: 'ws://test/live', WebSocket: FakeSocket, onStatus: (status) => statuses.push(status) });
	assert.equal(live.status, 'connecting');
	await sleep(0);
	FakeSocket.instances[0].serverOpen();
	FakeSocket.instances[0].serverSends(hello(0, {}));
	live.close();
	deepEqual(statuses, ['connecting', 'open', 'closed']);
	await assert.rejects(live.send('x'), { code: 'disconnected' });
});

test('client: a silent server is probed with a sync, and the client reconnects when the probe stays unanswered', async () => {
	const { live, socket, events } = client({ silenceTimeout: 300 });
	try {
		socket.serverSends(hello(1, { a: 1 }));
		await until(() => socket.sent.length > 0, 'a probe');
		assert.deepEqual(socket.sent, [{ type: 'sync' }], 'one probe after the silence timeout');
		assert.equal(FakeSocket.instances.length, 1, 'not left before the probe had its time');
		await until(() => FakeSocket.instances.length === 2, 'a new socket');
		assert.deepEqual(socket.closedWith, { code: 4000, reason: 'server silent' });
		assert.ok(events.statuses.some((s) => s.status === 'reconnecting' && s.detail.reason === 'server silent'));
		const second = FakeSocket.instances[1];
		second.serverOpen();
		second.serverSends(hello(1, { a: 1 }));
		assert.equal(live.status, 'open');
	}
	finally {
		live.close();
	}
});

test('client: a server that answers the probe, or keeps sending, is not left', async () => {
	const { live, socket } = client({ silenceTimeout: 300 });
	try {
		socket.serverSends(hello(1, { a: 1 }));
		for (let i = 0; i < 6; i++) {
			await sleep(50);
			socket.serverSends({ type: 'state', version: 2 + i, state: { a: 2 + i } });
		}
		assert.deepEqual(socket.sent, [], 'no probe while frames arrive');
		await until(() => socket.sent.length > 0, 'a probe');
		socket.serverSends({ type: 'state', version: 7, state: { a: 7 }, full: true });
		await sleep(150);
		assert.deepEqual(socket.sent, [{ type: 'sync' }]);
		assert.equal(FakeSocket.instances.length, 1);
		assert.equal(live.status, 'open');
	}
	finally {
		live.close();
	}
});
