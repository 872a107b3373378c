// Unit tests of topics in the browser client: the pure position rules, a client against a
// fake socket (subscribe, publications, resubscribe with offset and epoch after every
// reconnect, resets, refusals), and tabs sharing one socket (fixtures in tabs.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
	applyPublication,
	applySubscribeReply,
	connect,
	isValidTopic,
	PROTOCOL_FRAME_TYPES,
	topicPosition,
} from '../../main/resources/META-INF/livesession/livesession.js';
import { browser, deepEqual, FakeSocket, hello, sleep, tabsTest, until, URL } from './tabs.mjs';

// The pure parts.

test('topic names follow the server rule: 1 to 128 of A-Z a-z 0-9 : . _ - / @ =', () => {
	for (const name of ['room:a', 'doc:42', 'a', 'x'.repeat(128), 'user@example.com/inbox', 'k=v_1.2-3']) {
		assert.equal(isValidTopic(name), true, name);
	}
	for (const name of ['', 'x'.repeat(129), 'room a', 'room:ä', 'a*', null, undefined, 42, ['room:a']]) {
		assert.equal(isValidTopic(name), false, String(name));
	}
});

test('a position needs a non-negative integer offset and a non-empty epoch', () => {
	deepEqual(topicPosition(0, 'e1'), { offset: 0, epoch: 'e1' });
	deepEqual(topicPosition(7, 'e1'), { offset: 7, epoch: 'e1' });
	for (const [offset, epoch] of [[-1, 'e'], [1.5, 'e'], ['3', 'e'], [3, ''], [3, 7], [null, null], [undefined, 'e']]) {
		assert.equal(topicPosition(offset, epoch), null, `${offset} ${epoch}`);
	}
});

test('publications advance the position; seen ones of the same epoch are duplicates', () => {
	const at = { offset: 5, epoch: 'e1' };
	deepEqual(applyPublication(at, { offset: 6, epoch: 'e1' }), { action: 'deliver', position: { offset: 6, epoch: 'e1' } });
	for (const offset of [1, 5]) {
		deepEqual(applyPublication(at, { offset, epoch: 'e1' }), { action: 'duplicate', position: at });
	}
	deepEqual(applyPublication(at, { offset: 1, epoch: 'e2' }), { action: 'deliver', position: { offset: 1, epoch: 'e2' } },
		'another epoch starts over');
	deepEqual(applyPublication(null, { offset: 3, epoch: 'e1' }), { action: 'deliver', position: { offset: 3, epoch: 'e1' } });
	deepEqual(applyPublication(at, {}), { action: 'deliver', position: at }, 'not recoverable: no position');
	deepEqual(at, { offset: 5, epoch: 'e1' }, 'nothing is mutated');
});

test('after a reply: recovered keeps the position asked from, otherwise the server\'s', () => {
	const asked = { offset: 5, epoch: 'e1' };
	deepEqual(applySubscribeReply(asked, { offset: 9, epoch: 'e1', recovered: true }), asked,
		'the missed publications follow the reply');
	deepEqual(applySubscribeReply(asked, { offset: 90, epoch: 'e1', recovered: false }), { offset: 90, epoch: 'e1' });
	deepEqual(applySubscribeReply(asked, { offset: 2, epoch: 'e2', recovered: false }), { offset: 2, epoch: 'e2' });
	deepEqual(applySubscribeReply(null, { offset: 4, epoch: 'e1', recovered: false }), { offset: 4, epoch: 'e1' });
	deepEqual(applySubscribeReply({ offset: 6, epoch: 'e1' }, { offset: 4, epoch: 'e1', recovered: false }),
		{ offset: 6, epoch: 'e1' }, 'publications that came before the reply count');
	assert.equal(applySubscribeReply(asked, { offset: null, epoch: null, recovered: false }), null, 'not recoverable');
});

test('publication is a protocol frame type', () => {
	deepEqual(PROTOCOL_FRAME_TYPES, ['hello', 'state', 'reply', 'error', 'publication']);
});

// One client against a fake socket.

function client(options = {}) {
	FakeSocket.instances = [];
	const events = { messages: [], publications: [], errors: [], resets: [] };
	const live = connect(Object.assign({
		url: URL,
		WebSocket: FakeSocket,
		minDelay: 5,
		maxDelay: 20,
		onMessage: (data) => events.messages.push(data),
		onPublication: (topic, data, info) => events.publications.push({ topic, data, info }),
		onError: (error) => events.errors.push(error),
		onTopicReset: (topic, info) => events.resets.push({ topic, info }),
	}, options));
	const socket = FakeSocket.instances[0];
	socket.serverOpen();
	return { live, socket, events };
}

/** A subscription whose publications are collected. */
function subscribe(live, topic, options) {
	const received = [];
	const handle = live.subscribe(topic, (data, info) => received.push({ data, info }), options);
	return { handle, received };
}

const subscribes = (socket) => socket.sent.filter((frame) => frame.type === 'subscribe');
const publication = (topic, data, offset, epoch) => ({ type: 'publication', topic, data, offset, epoch });

async function reconnect(socket) {
	socket.serverCloses(1006);
	await until(() => FakeSocket.instances.length > 1 && FakeSocket.instances.at(-1) !== socket, 'a new socket');
	const next = FakeSocket.instances.at(-1);
	next.serverOpen();
	next.serverSends(hello('c2', 0, {}));
	return next;
}

test('client: a subscribe made before the hello is sent with it, answered, and publications reach it', async () => {
	const { live, socket, events } = client();
	const room = subscribe(live, 'room:a');
	deepEqual(socket.sent, [], 'nothing is sent before the hello');
	socket.serverSends(hello('c1', 0, {}));
	deepEqual(socket.sent, [{ type: 'subscribe', topic: 'room:a', ref: socket.sent[0].ref }], 'no position the first time');
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'room:a', offset: 4, epoch: 'e1', recovered: false } });
	deepEqual(await room.handle.ready, { topic: 'room:a', offset: 4, epoch: 'e1', recovered: false });
	socket.serverSends(publication('room:a', { user: 'bob', text: 'hi' }, 5, 'e1'));
	socket.serverSends(publication('room:a', 'text as given', 6, 'e1'));
	socket.serverSends(publication('room:a', 'seen already', 6, 'e1'));
	deepEqual(room.received, [
		{ data: { user: 'bob', text: 'hi' }, info: { topic: 'room:a', offset: 5, epoch: 'e1' } },
		{ data: 'text as given', info: { topic: 'room:a', offset: 6, epoch: 'e1' } },
	]);
	deepEqual(room.handle.position, { offset: 6, epoch: 'e1' });
	assert.equal(room.handle.active, true);
	deepEqual(events.messages, [], 'publications are protocol frames, not raw ones');
	deepEqual(events.publications.map((p) => p.info.offset), [5, 6], 'onPublication sees each once');
	deepEqual(events.resets, []);
	live.close();
});

test('client: topics that are not recoverable deliver without a position', () => {
	const { live, socket } = client();
	socket.serverSends(hello('c1', 0, {}));
	const news = subscribe(live, 'news');
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'news', offset: null, epoch: null, recovered: false } });
	socket.serverSends({ type: 'publication', topic: 'news', data: 1 });
	socket.serverSends({ type: 'publication', topic: 'news', data: 1 });
	deepEqual(news.received.map((r) => [r.data, r.info.offset, r.info.epoch]), [[1, null, null], [1, null, null]]);
	assert.equal(news.handle.position, null);
	live.close();
});

test('client: after every reconnect each topic is subscribed again from its offset and epoch; recovered ones replay', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false } });
	socket.serverSends(publication('room:a', 'one', 1, 'e1'));
	const second = await reconnect(socket);
	deepEqual(subscribes(second), [{ type: 'subscribe', topic: 'room:a', ref: second.sent[0].ref, offset: 1, epoch: 'e1' }]);
	second.serverSends({ type: 'reply', ref: second.sent[0].ref, data: { topic: 'room:a', offset: 3, epoch: 'e1', recovered: true } });
	second.serverSends(publication('room:a', 'two', 2, 'e1'));
	second.serverSends(publication('room:a', 'three', 3, 'e1'));
	const third = await reconnect(second);
	deepEqual(subscribes(third).map((f) => [f.offset, f.epoch]), [[3, 'e1']], 'from the last publication seen');
	deepEqual(room.received.map((r) => r.data), ['one', 'two', 'three']);
	deepEqual(events.resets, [], 'recovered: nothing to tell');
	live.close();
});

test('client: a resubscribe answered recovered: false runs onTopicReset, or the subscription\'s onReset', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const plain = subscribe(live, 'room:a');
	const own = [];
	const withOwn = subscribe(live, 'room:b', { onReset: (info) => own.push(info) });
	const [a, b] = socket.sent;
	socket.serverSends({ type: 'reply', ref: a.ref, data: { topic: 'room:a', offset: 7, epoch: 'e1', recovered: false } });
	socket.serverSends({ type: 'reply', ref: b.ref, data: { topic: 'room:b', offset: 2, epoch: 'e1', recovered: false } });
	await Promise.all([plain.handle.ready, withOwn.handle.ready]);
	deepEqual(events.resets, [], 'a first subscribe is no reset');
	const second = await reconnect(socket);
	for (const frame of subscribes(second)) {
		const offset = (frame.topic === 'room:a') ? 150 : 3;
		second.serverSends({ type: 'reply', ref: frame.ref, data: { topic: frame.topic, offset, epoch: 'e2', recovered: false } });
	}
	deepEqual(events.resets, [{ topic: 'room:a', info: { topic: 'room:a', offset: 150, epoch: 'e2', recovered: false } }]);
	deepEqual(own, [{ topic: 'room:b', offset: 3, epoch: 'e2', recovered: false }]);
	deepEqual(plain.handle.position, { offset: 150, epoch: 'e2' }, 'the new position is the server\'s');
	second.serverSends(publication('room:a', 'after', 151, 'e2'));
	deepEqual(plain.received.map((r) => r.data), ['after']);
	live.close();
});

test('client: a topic that is not recoverable is reset after every reconnect (what came meanwhile is lost)', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	subscribe(live, 'news');
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'news', offset: null, epoch: null, recovered: false } });
	const second = await reconnect(socket);
	const [frame] = subscribes(second);
	assert.equal(frame.offset, undefined);
	second.serverSends({ type: 'reply', ref: frame.ref, data: { topic: 'news', offset: null, epoch: null, recovered: false } });
	deepEqual(events.resets, [{ topic: 'news', info: { topic: 'news', offset: null, epoch: null, recovered: false } }]);
	live.close();
});

test('client: a position given to subscribe is resumed from, and told when it cannot be', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const kept = subscribe(live, 'room:a', { since: { offset: 10, epoch: 'e1' } });
	const lost = subscribe(live, 'room:b', { since: { offset: 10, epoch: 'e1' } });
	const [a, b] = socket.sent;
	deepEqual([a.offset, a.epoch, b.offset, b.epoch], [10, 'e1', 10, 'e1']);
	socket.serverSends({ type: 'reply', ref: a.ref, data: { topic: 'room:a', offset: 12, epoch: 'e1', recovered: true } });
	socket.serverSends(publication('room:a', 11, 11, 'e1'));
	socket.serverSends(publication('room:a', 12, 12, 'e1'));
	socket.serverSends({ type: 'reply', ref: b.ref, data: { topic: 'room:b', offset: 0, epoch: 'e9', recovered: false } });
	deepEqual(await kept.handle.ready, { topic: 'room:a', offset: 12, epoch: 'e1', recovered: true });
	deepEqual(kept.received.map((r) => r.data), [11, 12]);
	await lost.handle.ready;
	deepEqual(events.resets.map((r) => r.topic), ['room:b']);
	live.close();
});

test('client: subscriptions of one topic share one subscribe, and the last unsubscribe sends one unsubscribe', async () => {
	const { live, socket } = client();
	socket.serverSends(hello('c1', 0, {}));
	const first = subscribe(live, 'room:a');
	const second = subscribe(live, 'room:a');
	assert.equal(socket.sent.length, 1);
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false } });
	await Promise.all([first.handle.ready, second.handle.ready]);
	const third = subscribe(live, 'room:a');
	deepEqual(await third.handle.ready, { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false },
		'answered at once from what is known');
	socket.serverSends(publication('room:a', 'all', 1, 'e1'));
	first.handle.unsubscribe();
	third.handle.unsubscribe();
	socket.serverSends(publication('room:a', 'one left', 2, 'e1'));
	assert.equal(socket.sent.length, 1, 'no unsubscribe while one is left');
	second.handle.unsubscribe();
	second.handle.unsubscribe();
	deepEqual(socket.sent.slice(1), [{ type: 'unsubscribe', topic: 'room:a', ref: socket.sent[1].ref }]);
	socket.serverSends({ type: 'reply', ref: socket.sent[1].ref, data: { topic: 'room:a' } });
	socket.serverSends(publication('room:a', 'after', 3, 'e1'));
	deepEqual(first.received.map((r) => r.data), ['all']);
	deepEqual(second.received.map((r) => r.data), ['all', 'one left']);
	assert.equal(first.handle.active, false);
	const next = await reconnect(socket);
	deepEqual(next.sent, [], 'an unsubscribed topic is not subscribed again');
	live.close();
});

test('client: forbidden and bad_request reject ready and reach onError; the topic is not subscribed again', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const refused = subscribe(live, 'room:secret');
	const ownError = [];
	const withOwn = subscribe(live, 'room:other', { onError: (error) => ownError.push(error.code) });
	const [a, b] = socket.sent;
	socket.serverSends({ type: 'error', ref: a.ref, code: 'forbidden', message: 'Not allowed to subscribe to room:secret' });
	socket.serverSends({ type: 'error', ref: b.ref, code: 'bad_request', message: 'Too many topics' });
	await assert.rejects(refused.handle.ready, { code: 'forbidden', message: 'Not allowed to subscribe to room:secret' });
	await assert.rejects(withOwn.handle.ready, { code: 'bad_request' });
	deepEqual(events.errors.map((e) => e.code), ['forbidden'], 'the client\'s onError without one of the subscription');
	deepEqual(ownError, ['bad_request']);
	assert.equal(refused.handle.active, false);
	const next = await reconnect(socket);
	deepEqual(next.sent, []);
	live.close();
});

test('client: an invalid name is refused with bad_request without a frame', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	await assert.rejects(live.subscribe('room a', () => {}).ready, { code: 'bad_request' });
	await assert.rejects(live.subscribe('x'.repeat(129), () => {}).ready, { code: 'bad_request' });
	deepEqual(socket.sent, []);
	assert.equal(events.errors.length, 2);
	live.close();
});

test('client: a resubscribe refused after a reconnect reaches onError and ends the subscription', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false } });
	await room.handle.ready;
	const second = await reconnect(socket);
	second.serverSends({ type: 'error', ref: second.sent[0].ref, code: 'forbidden', message: 'No longer allowed' });
	deepEqual(events.errors.map((e) => e.code), ['forbidden']);
	assert.equal(room.handle.active, false);
	live.close();
});

test('client: a reply to an unanswered subscribe of an earlier connection settles nothing', async () => {
	const { live, socket } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	const stale = socket.sent[0].ref;
	const second = await reconnect(socket);
	second.serverSends({ type: 'reply', ref: stale, data: { topic: 'room:a', offset: 99, epoch: 'x', recovered: true } });
	const action = live.send('increment');
	second.serverSends({ type: 'reply', ref: second.sent.at(-1).ref, data: { count: 1 } });
	deepEqual(await action, { count: 1 }, 'topic refs and action refs never mix');
	second.serverSends({ type: 'reply', ref: second.sent[0].ref, data: { topic: 'room:a', offset: 1, epoch: 'e1', recovered: false } });
	deepEqual(await room.handle.ready, { topic: 'room:a', offset: 1, epoch: 'e1', recovered: false });
	live.close();
});

test('client: close() and a revocation reject unanswered subscriptions with disconnected', async () => {
	const closing = client();
	closing.socket.serverSends(hello('c1', 0, {}));
	const pending = subscribe(closing.live, 'room:a');
	closing.live.close();
	await assert.rejects(pending.handle.ready, { code: 'disconnected' });
	await assert.rejects(closing.live.subscribe('room:b', () => {}).ready, { code: 'disconnected' });
	const revoked = client();
	revoked.socket.serverSends(hello('c1', 0, {}));
	const lost = subscribe(revoked.live, 'room:a');
	revoked.socket.serverCloses(1008, 'revoked');
	await assert.rejects(lost.handle.ready, { code: 'disconnected' });
	deepEqual(revoked.events.errors, [], 'not a refusal');
});

test('client: unsubscribe before the reply rejects ready with unsubscribed', async () => {
	const { live, socket } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	room.handle.unsubscribe();
	await assert.rejects(room.handle.ready, { code: 'unsubscribed' });
	deepEqual(socket.sent.map((f) => f.type), ['subscribe', 'unsubscribe']);
	live.close();
});

test('client: publications of topics joined by server code reach onPublication only', () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	socket.serverSends(publication('doc:42', { edited: true }, 3, 'e1'));
	socket.serverSends({ type: 'publication', topic: 'alerts', data: 'x' });
	socket.serverSends({ type: 'publication', data: 'no topic' });
	deepEqual(events.publications, [
		{ topic: 'doc:42', data: { edited: true }, info: { topic: 'doc:42', offset: 3, epoch: 'e1' } },
		{ topic: 'alerts', data: 'x', info: { topic: 'alerts', offset: null, epoch: null } },
	]);
	deepEqual(events.messages, []);
	live.close();
});

test('client: an exception in a subscription callback goes to onError and the next ones still run', () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	live.subscribe('room:a', () => {
		throw new Error('boom');
	});
	const other = subscribe(live, 'room:a');
	socket.serverSends(publication('room:a', 1, 1, 'e1'));
	deepEqual(events.errors.map((e) => e.message), ['boom']);
	assert.equal(other.received.length, 1);
	live.close();
});

// Tabs sharing one socket.

/** Three tabs of one browser, the first leading, each with its own events. */
async function sharedTabs() {
	const b = browser();
	const extra = () => {
		const events = { received: [], resets: [], publications: [] };
		return {
			events,
			options: {
				onTopicReset: (topic, info) => events.resets.push({ topic, info }),
				onPublication: (topic, data) => events.publications.push({ topic, data }),
			},
		};
	};
	const open = () => {
		const own = extra();
		const tab = b.open(own.options);
		tab.topic = own.events;
		tab.subscribe = (topic, options) => tab.live.subscribe(topic, (data, info) => own.events.received.push([data, info.offset]), options);
		return tab;
	};
	const first = open();
	await until(() => first.live.role === 'leader', 'the first tab to lead');
	const second = open();
	const third = open();
	const socket = FakeSocket.instances[0];
	socket.serverOpen();
	socket.serverSends(hello('c1', 0, {}));
	await until(() => [second, third].every((tab) => tab.live.status === 'open'), 'the followers to be open');
	return { b, tabs: [first, second, third], socket };
}

const answerSubscribes = (socket, data) => {
	for (const frame of subscribes(socket).filter((f) => !f.answered)) {
		frame.answered = true;
		socket.serverSends({ type: 'reply', ref: frame.ref, data: Object.assign({ topic: frame.topic }, data(frame)) });
	}
};

tabsTest('shared: the tabs\' subscriptions of a topic make one subscribe on the socket, and publications reach every tab once', async () => {
	const { b, tabs: [first, second, third], socket } = await sharedTabs();
	try {
		const readies = [first, second, third].map((tab) => tab.subscribe('room:a').ready);
		await until(() => subscribes(socket).length === 1, 'a subscribe');
		await sleep(20);
		assert.equal(subscribes(socket).length, 1, 'one subscribe for three tabs');
		answerSubscribes(socket, () => ({ offset: 2, epoch: 'e1', recovered: false }));
		const answers = await Promise.all(readies);
		deepEqual(answers.map((a) => [a.offset, a.epoch, a.recovered]), [[2, 'e1', false], [2, 'e1', false], [2, 'e1', false]]);
		socket.serverSends(publication('room:a', 'hello', 3, 'e1'));
		socket.serverSends(publication('room:a', 'again', 3, 'e1'));
		socket.serverSends(publication('doc:1', 'joined by the server', 1, 'e1'));
		await until(() => [second, third].every((tab) => tab.topic.publications.length === 2), 'the publications in every tab');
		for (const tab of [first, second, third]) {
			deepEqual(tab.topic.received, [['hello', 3]]);
			deepEqual(tab.topic.publications, [{ topic: 'room:a', data: 'hello' }, { topic: 'doc:1', data: 'joined by the server' }]);
			deepEqual(tab.events.messages, []);
		}
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a refused subscribe of a follower rejects in that tab only', async () => {
	const { b, tabs: [first, second], socket } = await sharedTabs();
	try {
		const refused = second.subscribe('room:secret').ready.then(() => 'resolved', (error) => error.code);
		await until(() => subscribes(socket).length === 1, 'a subscribe');
		socket.serverSends({ type: 'error', ref: subscribes(socket)[0].ref, code: 'forbidden', message: 'No' });
		assert.equal(await refused, 'forbidden');
		deepEqual(second.events.errors.map((e) => e.code), ['forbidden']);
		deepEqual(first.events.errors, []);
	}
	finally {
		b.close();
	}
});

tabsTest('shared: topics a tab unsubscribes, or a tab that closes, are unsubscribed once no tab wants them', async () => {
	const { b, tabs: [first, second, third], socket } = await sharedTabs();
	try {
		const fromSecond = second.subscribe('room:a');
		third.subscribe('room:a');
		second.subscribe('room:b');
		await until(() => subscribes(socket).length === 2, 'two subscribes');
		answerSubscribes(socket, () => ({ offset: 0, epoch: 'e1', recovered: false }));
		await fromSecond.ready;
		fromSecond.unsubscribe();
		await sleep(20);
		assert.equal(socket.sent.filter((f) => f.type === 'unsubscribe').length, 0, 'the third tab still wants room:a');
		second.live.close();
		await until(() => socket.sent.some((f) => f.type === 'unsubscribe'), 'an unsubscribe');
		third.live.close();
		await until(() => socket.sent.filter((f) => f.type === 'unsubscribe').length === 2, 'two unsubscribes');
		deepEqual(socket.sent.filter((f) => f.type === 'unsubscribe').map((f) => f.topic), ['room:b', 'room:a']);
		assert.equal(first.live.role, 'leader');
	}
	finally {
		b.close();
	}
});

tabsTest('shared: after the leader crashed the new leader resubscribes from the tabs\' positions and the replay reaches each tab once', async () => {
	const { b, tabs: [first, second, third], socket } = await sharedTabs();
	try {
		second.subscribe('room:a');
		third.subscribe('room:a');
		third.subscribe('room:b');
		await until(() => subscribes(socket).length === 2, 'two subscribes');
		answerSubscribes(socket, () => ({ offset: 0, epoch: 'e1', recovered: false }));
		socket.serverSends(publication('room:a', 'one', 1, 'e1'));
		socket.serverSends(publication('room:b', 'b1', 7, 'e1'));
		await until(() => third.topic.received.length === 2 && second.topic.received.length === 1, 'the publications');
		first.crash();
		await until(() => FakeSocket.instances.length === 2, 'a new leader\'s socket');
		const next = FakeSocket.instances[1];
		next.serverOpen();
		next.serverSends(hello('c2', 0, {}));
		await until(() => subscribes(next).length === 2, 'the topics subscribed again');
		await sleep(20);
		deepEqual(subscribes(next).map((f) => [f.topic, f.offset, f.epoch]).sort(), [['room:a', 1, 'e1'], ['room:b', 7, 'e1']],
			'each topic once, from where the tabs stand');
		answerSubscribes(next, (frame) => ({ offset: frame.offset + 2, epoch: 'e1', recovered: true }));
		next.serverSends(publication('room:a', 'two', 2, 'e1'));
		next.serverSends(publication('room:a', 'three', 3, 'e1'));
		next.serverSends(publication('room:b', 'b8', 8, 'e1'));
		await until(() => second.topic.received.length === 3 && third.topic.received.length === 5, 'the replay');
		await sleep(20);
		deepEqual(second.topic.received, [['one', 1], ['two', 2], ['three', 3]]);
		deepEqual(third.topic.received.filter(([data]) => typeof data === 'string' && data.startsWith('b')),
			[['b1', 7], ['b8', 8]]);
		assert.equal(third.topic.received.length, 5, 'nothing twice');
		deepEqual([second.topic.resets, third.topic.resets], [[], []]);
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a resubscribe without recovery, after a handover or a reconnect of the leader, resets the topic in every tab', async () => {
	const { b, tabs: [first, second, third], socket } = await sharedTabs();
	try {
		const readies = [first, second, third].map((tab) => tab.subscribe('room:a').ready);
		await until(() => subscribes(socket).length === 1, 'a subscribe');
		answerSubscribes(socket, () => ({ offset: 5, epoch: 'e1', recovered: false }));
		await Promise.all(readies);
		// The leader's socket drops: its client subscribes again and the history no longer covers the gap.
		const again = await reconnect(socket);
		deepEqual(subscribes(again).map((f) => [f.offset, f.epoch]), [[5, 'e1']]);
		answerSubscribes(again, () => ({ offset: 40, epoch: 'e1', recovered: false }));
		await until(() => [first, second, third].every((tab) => tab.topic.resets.length === 1), 'a reset in every tab');
		deepEqual(second.topic.resets[0], { topic: 'room:a', info: { topic: 'room:a', offset: 40, epoch: 'e1', recovered: false } });
		// The leader crashes; the new leader finds another epoch.
		first.crash();
		await until(() => FakeSocket.instances.length === 3, 'a new leader\'s socket');
		const next = FakeSocket.instances[2];
		next.serverOpen();
		next.serverSends(hello('c3', 0, {}));
		await until(() => subscribes(next).length === 1, 'the topic subscribed again');
		deepEqual(subscribes(next).map((f) => [f.offset, f.epoch]), [[40, 'e1']]);
		answerSubscribes(next, () => ({ offset: 0, epoch: 'e2', recovered: false }));
		await until(() => [second, third].every((tab) => tab.topic.resets.length === 2), 'a second reset in the remaining tabs');
		next.serverSends(publication('room:a', 'new epoch', 1, 'e2'));
		await until(() => [second, third].every((tab) => tab.topic.received.length === 1), 'the next publication');
		await sleep(20);
		deepEqual([second, third].map((tab) => tab.topic.resets.map((r) => r.info.epoch)), [['e1', 'e2'], ['e1', 'e2']],
			'told once per resubscribe');
	}
	finally {
		b.close();
	}
});

test('client: a subscribe answered unavailable or rate_limited is reported and sent again, not ended', async () => {
	const { live, socket, events } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	socket.serverSends({ type: 'error', ref: socket.sent[0].ref, code: 'unavailable', message: 'The topic history is unavailable' });
	deepEqual(events.errors.map((e) => e.code), ['unavailable']);
	assert.equal(room.handle.active, true);
	await until(() => subscribes(socket).length === 2, 'the subscribe sent again');
	socket.serverSends({ type: 'error', ref: socket.sent[1].ref, code: 'rate_limited', message: 'Slow down' });
	await until(() => subscribes(socket).length === 3, 'the subscribe sent a third time', 4000);
	assert.notEqual(socket.sent[2].ref, socket.sent[1].ref);
	socket.serverSends({ type: 'reply', ref: socket.sent[2].ref, data: { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false } });
	deepEqual(await room.handle.ready, { topic: 'room:a', offset: 0, epoch: 'e1', recovered: false });
	live.close();
});

test('client: a publication that comes before the reply is delivered, and counts for what follows', () => {
	const { live, socket } = client();
	socket.serverSends(hello('c1', 0, {}));
	const room = subscribe(live, 'room:a');
	socket.serverSends(publication('room:a', 'early', 8, 'e1'));
	socket.serverSends({ type: 'reply', ref: socket.sent[0].ref, data: { topic: 'room:a', offset: 7, epoch: 'e1', recovered: false } });
	socket.serverSends(publication('room:a', 'early', 8, 'e1'));
	socket.serverSends(publication('room:a', 'next', 9, 'e1'));
	deepEqual(room.received.map((r) => r.data), ['early', 'next']);
	deepEqual(room.handle.position, { offset: 9, epoch: 'e1' });
	live.close();
});
