// Unit tests of the shared connection (connect({ shared: true })): the routing of the
// channel's messages, and "tabs" in one Node process that share a fake socket through
// Node's real BroadcastChannel and a fake Web Locks manager.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
	connect,
	followerRoute,
	leaderRoute,
	sharedName,
} from '../../main/resources/META-INF/livesession/livesession.js';
import {
	browser,
	counter,
	deepEqual,
	FakeLocks,
	FakeSocket,
	hello,
	sleep,
	tabsTest,
	threeTabs,
	until,
	URL,
} from './tabs.mjs';


// The pure parts.

const view = { tabId: 'me', leader: 'L', state: { counter: { count: 4 } }, version: 4 };

test('shared: the lock and the channel are named after the socket URL', () => {
	assert.equal(sharedName('ws://localhost:8080/live'), 'livesession:ws://localhost:8080/live');
	assert.notEqual(sharedName('ws://a/live'), sharedName('ws://a/other'));
});

test('follower: a leader announcing itself is believed, and says whether the leader changed', () => {
	deepEqual(followerRoute(view, { type: 'leader', from: 'L', state: {}, version: 1 }),
		{ kind: 'leader', changed: false });
	deepEqual(followerRoute(view, { type: 'leader', from: 'N', state: {}, version: 1 }),
		{ kind: 'leader', changed: true });
	deepEqual(followerRoute({ ...view, leader: null }, { type: 'leader', from: 'N' }),
		{ kind: 'leader', changed: true });
	deepEqual(followerRoute(view, { type: 'leader', from: 'L', to: 'me' }), { kind: 'leader', changed: false });
	assert.equal(followerRoute(view, { type: 'leader', from: 'L', to: 'other' }).kind, 'ignore',
		'the answer to another tab\'s join');
});

test('follower: only its leader is heard, only what is addressed to it or to all', () => {
	for (const type of ['state', 'status', 'message', 'bye', 'reply', 'error']) {
		const message = { type, from: 'old', version: 5, state: {}, ref: '1' };
		assert.equal(followerRoute(view, message).kind, 'ignore', `${type} of a leader that left`);
	}
	assert.equal(followerRoute(view, { type: 'reply', from: 'L', to: 'other', ref: '1' }).kind, 'ignore');
	assert.equal(followerRoute(view, { type: 'reply', from: 'L', to: 'me', ref: '1', data: 2 }).kind, 'reply');
	assert.equal(followerRoute(view, { type: 'error', from: 'L', to: 'me', ref: '1', code: 'x' }).kind, 'error');
	assert.equal(followerRoute(view, { type: 'reply', from: 'L', to: 'me', ref: 1 }).kind, 'ignore', 'refs are strings');
	assert.equal(followerRoute(view, { type: 'status', from: 'L', status: 'open' }).kind, 'status');
	assert.equal(followerRoute(view, { type: 'message', from: 'L', data: 'hi' }).kind, 'message');
	assert.equal(followerRoute(view, { type: 'bye', from: 'L' }).kind, 'bye');
	assert.equal(followerRoute(view, { type: 'join', from: 'F2' }).kind, 'ignore', 'other followers\' messages');
	assert.equal(followerRoute(view, { type: 'request', from: 'F2', to: 'L', ref: '1' }).kind, 'ignore');
	assert.equal(followerRoute(view, { type: 'leader', from: 'me' }).kind, 'ignore', 'its own messages');
	for (const junk of [null, 'text', [], { type: 'state' }, { type: 'state', from: 7 }]) {
		assert.equal(followerRoute(view, junk).kind, 'ignore');
	}
});

test('follower: state messages follow the rules of state frames', () => {
	const route = (message) => followerRoute(view, Object.assign({ type: 'state', from: 'L' }, message));
	const next = route({ version: 5, state: { counter: { count: 5 } }, reason: 'delta' });
	deepEqual(next, { kind: 'state', result: { action: 'apply', state: { counter: { count: 5 } }, version: 5 } });
	assert.equal(route({ version: 4, state: { counter: { count: 9 } } }).result.action, 'ignore');
	assert.equal(route({ version: 7, state: { counter: { count: 7 } } }).result.action, 'sync', 'a gap');
	deepEqual(route({ version: 2, state: { counter: { count: 0 } }, full: true, reason: 'hello' }).result,
		{ action: 'replace', state: { counter: { count: 0 } }, version: 2 }, 'a new connection\'s hello wins');
	deepEqual(view.state, { counter: { count: 4 } }, 'nothing is mutated');
});

test('leader: answers joins, relays requests and syncs addressed to it, ignores the rest', () => {
	assert.equal(leaderRoute('L', { type: 'join', from: 'F' }), 'join');
	assert.equal(leaderRoute('L', { type: 'request', from: 'F', to: 'L', ref: '1', action: 'increment' }), 'request');
	assert.equal(leaderRoute('L', { type: 'sync', from: 'F', to: 'L' }), 'sync');
	assert.equal(leaderRoute('L', { type: 'request', from: 'F', to: 'old', ref: '1', action: 'increment' }), 'ignore',
		'a request to a leader that left is sent by nobody');
	assert.equal(leaderRoute('L', { type: 'request', from: 'F', to: 'L', ref: 1, action: 'increment' }), 'ignore');
	assert.equal(leaderRoute('L', { type: 'request', from: 'F', to: 'L', ref: '1' }), 'ignore');
	assert.equal(leaderRoute('L', { type: 'join', from: 'L' }), 'ignore');
	assert.equal(leaderRoute('L', { type: 'state', from: 'X', to: 'L' }), 'ignore');
	assert.equal(leaderRoute('L', null), 'ignore');
});

// Tabs in one process (fixtures in tabs.mjs).

tabsTest('shared: without Web Locks or BroadcastChannel every tab has its own socket', () => {
	FakeSocket.instances = [];
	// Node has BroadcastChannel but no navigator.locks.
	const noLocks = connect({ url: URL, shared: true, WebSocket: FakeSocket });
	const { BroadcastChannel: Channel } = globalThis;
	delete globalThis.BroadcastChannel;
	let noChannel;
	try {
		noChannel = connect({ url: URL, shared: true, WebSocket: FakeSocket, locks: new FakeLocks().forTab() });
	}
	finally {
		globalThis.BroadcastChannel = Channel;
	}
	const off = connect({ url: URL, WebSocket: FakeSocket, locks: new FakeLocks().forTab() });
	[noLocks, noChannel, off].forEach((live) => live.close());
	deepEqual([noLocks.role, noChannel.role, off.role], ['own', 'own', 'own']);
	assert.equal(FakeSocket.instances.length, 3);
});

tabsTest('shared: one leader, one socket; followers see the same states, statuses and raw frames', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		deepEqual(first.events.roles, ['leader']);
		deepEqual([second.live.role, third.live.role], ['follower', 'follower']);
		deepEqual(second.events.roles, []);
		for (const tab of [first, second, third]) {
			deepEqual(tab.live.state, counter(3));
			assert.equal(tab.live.connectionId, 'c1');
			assert.equal(tab.events.statuses[0].status, 'connecting');
			assert.equal(tab.events.statuses.at(-1).status, 'open');
		}
		socket.serverSends({ type: 'state', version: 4, state: counter(4) });
		socket.serverSends({ type: 'state', version: 5, state: { counter: { count: 5 }, extra: 'x' } });
		socket.serverSends({ type: 'state', version: 6, state: { extra: null } });
		const bytes = new Uint8Array([1, 2, 255]).buffer;
		socket.serverSends(bytes);
		socket.serverSends('plain text');
		socket.serverSends({ type: 'announcement', message: 'hi' });
		await until(() => third.events.messages.length === 3 && second.events.messages.length === 3,
			'the raw frames to reach the followers');
		for (const tab of [first, second, third]) {
			assert.equal(tab.live.version, 6);
			deepEqual(tab.live.state, counter(5));
			deepEqual(tab.events.states.slice(-3).map((s) => [s.info.reason, s.version, s.info.changed]),
				[['delta', 4, counter(4)], ['delta', 5, { counter: { count: 5 }, extra: 'x' }], ['delta', 6, { extra: null }]]);
			assert.ok(tab.events.messages[0] instanceof ArrayBuffer);
			deepEqual([...new Uint8Array(tab.events.messages[0])], [1, 2, 255]);
			deepEqual(tab.events.messages.slice(1), ['plain text', { type: 'announcement', message: 'hi' }]);
		}
		assert.equal(FakeSocket.instances.length, 1);
	}
	finally {
		b.close();
	}
});

tabsTest('shared: follower sends go through the leader and each reply finds its tab', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		const fromSecond = second.live.send('increment', { by: 2 });
		const fromThird = third.live.send('increment');
		const failing = third.live.send('nope').then(() => assert.fail('resolved'), (error) => error);
		const own = first.live.send('increment');
		await until(() => socket.sent.length === 4, 'four actions on the one socket');
		const refs = socket.sent.map((frame) => frame.ref);
		assert.equal(new Set(refs).size, 4, 'every action has its own ref on the socket');
		// The leader's own action goes out at once; the followers' after a trip over the channel.
		const first1 = socket.sent[0];
		assert.equal(first1.action, 'increment');
		assert.equal(first1.data, undefined);
		const second1 = socket.sent.find((frame) => frame.data && frame.data.by === 2);
		const third2 = socket.sent.find((frame) => frame.action === 'nope');
		const third1 = socket.sent.find((frame) => ![first1, second1, third2].includes(frame));
		assert.ok(second1 && third1 && third2, 'every action arrives, its data as sent');
		assert.equal(third1.action, 'increment');
		assert.equal(third1.data, undefined);
		// Answered in another order than sent.
		socket.reply(first1, { count: 6 });
		socket.serverSends({ type: 'error', ref: third2.ref, code: 'unknown_action', message: 'No handler for nope' });
		socket.reply(third1, { count: 5 });
		socket.reply(second1, { count: 4 });
		deepEqual(await fromSecond, { count: 4 });
		deepEqual(await fromThird, { count: 5 });
		deepEqual(await own, { count: 6 });
		const error = await failing;
		assert.equal(error.name, 'LiveSessionError');
		deepEqual(error.toJSON(), { code: 'unknown_action', message: 'No handler for nope' });
		await assert.rejects(second.live.send('x', { big: 1n }), { code: 'bad_request' });
		assert.equal(socket.sent.length, 4, 'data that is not JSON is never sent');
		assert.equal(second.live.sync(), true);
		await until(() => socket.sent.length === 5, 'the follower\'s sync on the socket');
		deepEqual(socket.sent[4], { type: 'sync' });
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a follower that is not connected rejects at once, like a normal client', async () => {
	const b = browser();
	try {
		const leader = b.open();
		await until(() => leader.live.role === 'leader', 'a leader');
		const follower = b.open();
		await sleep(20);
		assert.equal(follower.live.status, 'connecting');
		await assert.rejects(follower.live.send('increment'), { code: 'disconnected' });
		assert.equal(follower.live.sync(), false);
		FakeSocket.instances[0].serverOpen();
		FakeSocket.instances[0].serverCloses(1006);
		await until(() => follower.live.status === 'reconnecting', 'the follower to mirror reconnecting');
		assert.equal(follower.events.statuses.at(-1).detail.code, 1006);
		await assert.rejects(follower.live.send('increment'), { code: 'disconnected' });
	}
	finally {
		b.close();
	}
});

tabsTest('shared: when the leader crashes another tab leads, resyncs, and unanswered sends are rejected', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		const answered = second.live.send('increment');
		await until(() => socket.sent.length === 1, 'the first action');
		socket.reply(socket.sent[0], { count: 4 });
		socket.serverSends({ type: 'state', version: 4, state: counter(4) });
		deepEqual(await answered, { count: 4 });
		const unanswered = [second.live.send('increment'), third.live.send('increment')];
		await until(() => socket.sent.length === 3, 'two more actions');
		const rejected = unanswered.map((promise) => promise.then(() => 'resolved', (error) => error.code));
		first.crash();
		await until(() => FakeSocket.instances.length === 2, 'a second socket');
		const next = [second, third].find((tab) => tab.live.role === 'leader');
		const other = (next === second) ? third : second;
		assert.ok(next, 'a follower took the lead');
		assert.equal(other.live.role, 'follower');
		deepEqual(await Promise.all(rejected), ['disconnected', 'disconnected'],
			'unanswered sends are rejected, never sent again');
		await until(() => other.live.status === 'reconnecting', 'the other follower to see the handover');
		assert.equal(next.live.status, 'reconnecting');
		deepEqual(next.events.statuses.at(-1).detail, { url: URL, handover: true });
		// Meanwhile the actions were applied, and others came from elsewhere: the hello has it all.
		const socket2 = FakeSocket.instances[1];
		socket2.serverOpen();
		socket2.serverSends(hello('c2', 9, counter(9)));
		await until(() => other.live.version === 9, 'the other follower to resync');
		for (const tab of [next, other]) {
			assert.equal(tab.live.status, 'open');
			deepEqual(tab.live.state, counter(9));
			assert.equal(tab.live.connectionId, 'c2');
			assert.equal(tab.events.states.at(-1).info.reason, 'hello');
		}
		const after = other.live.send('increment');
		await until(() => socket2.sent.length === 1, 'an action on the new socket');
		socket2.reply(socket2.sent[0], { count: 10 });
		socket2.serverSends({ type: 'state', version: 10, state: counter(10) });
		deepEqual(await after, { count: 10 });
		await until(() => other.live.version === 10, 'the last change');
		deepEqual(next.live.state, counter(10));
		deepEqual(other.live.state, counter(10));
		assert.equal(socket.sent.length, 3, 'nothing was sent on the old socket after the crash');
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a leader that calls close() says bye and hands over', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		const pending = third.live.send('increment');
		await until(() => socket.sent.length === 1, 'the action');
		const outcome = pending.then(() => 'resolved', (error) => error.code);
		first.live.close();
		assert.equal(first.live.status, 'closed');
		deepEqual(socket.closedWith, { code: 1000, reason: 'client closed' });
		assert.equal(await outcome, 'disconnected');
		await until(() => FakeSocket.instances.length === 2, 'a new leader\'s socket');
		const socket2 = FakeSocket.instances[1];
		socket2.serverOpen();
		socket2.serverSends(hello('c2', 5, counter(5)));
		await until(() => second.live.version === 5 && third.live.version === 5, 'both tabs to resync');
		deepEqual(second.live.state, counter(5));
		deepEqual(third.live.state, counter(5));
		assert.equal(first.live.version, 3, 'the closed tab no longer follows');
		await assert.rejects(first.live.send('increment'), { code: 'disconnected' });
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a follower that closes leaves the others alone', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		second.live.close();
		assert.equal(second.live.status, 'closed');
		socket.serverSends({ type: 'state', version: 4, state: counter(4) });
		await until(() => third.live.version === 4, 'the remaining follower');
		assert.equal(second.live.version, 3);
		assert.equal(first.live.role, 'leader');
		assert.equal(socket.readyState, 1, 'the socket stays open');
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a tab opened later gets the current state from the leader', async () => {
	const { b, socket } = await threeTabs();
	try {
		socket.serverSends({ type: 'state', version: 4, state: counter(4) });
		const late = b.open();
		await until(() => late.live.status === 'open', 'the late tab to be open');
		assert.equal(late.live.version, 4);
		deepEqual(late.live.state, counter(4));
		assert.equal(late.events.states.at(-1).info.reason, 'hello');
		assert.equal(FakeSocket.instances.length, 1);
	}
	finally {
		b.close();
	}
});

tabsTest('shared: once the server closes the shared socket, no follower action reaches it', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		// A browser's socket is CLOSING from the server's close frame until its close event.
		socket.readyState = 2;
		await assert.rejects(second.live.send('increment'), { code: 'disconnected' });
		await assert.rejects(first.live.send('increment'), { code: 'disconnected' });
		socket.serverCloses(1008, 'revoked');
		await until(() => third.live.status === 'revoked', 'the followers to be revoked');
		await assert.rejects(third.live.send('increment'), { code: 'disconnected' });
		await sleep(40);
		deepEqual(socket.sent, [], 'nothing was sent after the close frame');
	}
	finally {
		b.close();
	}
});

tabsTest('shared: a revoked session revokes every tab and frees the lock for tabs opened later', async () => {
	const { b, first, second, third, socket } = await threeTabs();
	try {
		const pending = second.live.send('increment');
		await until(() => socket.sent.length === 1, 'the action');
		socket.serverCloses(1008, 'revoked');
		await assert.rejects(pending, { code: 'disconnected' });
		await until(() => third.live.status === 'revoked', 'the followers to be revoked');
		deepEqual([first.live.status, second.live.status], ['revoked', 'revoked']);
		await sleep(40);
		assert.equal(FakeSocket.instances.length, 1, 'no tab reconnects');
		assert.equal(b.locks.holder(sharedName(URL)), undefined, 'nobody holds the lock');
		await assert.rejects(third.live.send('increment'), { code: 'disconnected' });
		const later = b.open();
		await until(() => later.live.role === 'leader', 'a tab opened later to lead');
		assert.equal(FakeSocket.instances.length, 2);
		assert.equal(third.live.status, 'revoked', 'revoked tabs stay revoked');
	}
	finally {
		b.close();
	}
});
