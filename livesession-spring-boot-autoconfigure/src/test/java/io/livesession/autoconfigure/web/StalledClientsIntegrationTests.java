package io.livesession.autoconfigure.web;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.delivery.ManagedConnection;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stalled clients cost their buffers, never a thread: with 20 clients that stopped
 * reading and writes in progress to each, no thread of the server is inside a socket
 * write or waits for one (thread dumps show it), and a healthy client gets every
 * broadcast. The server's socket send buffers are small, so that they fill quickly.
 */
@SpringBootTest(classes = { LiveTestApplication.class, SlowClientIntegrationTests.SmallSocketSendBuffer.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class StalledClientsIntegrationTests {

	private static final int STALLED = 20;

	private static final int DUMPS = 5;

	/** Frames that show a thread writing to a socket or waiting for a write to end. */
	private static final List<String> WRITING = List.of("sun.nio.ch.SocketDispatcher.write", "sun.nio.ch.IOUtil.write",
			"sun.nio.ch.SocketChannelImpl.write", "java.net.SocketOutputStream.socketWrite",
			"WsRemoteEndpointImplBase.sendMessageBlock", "WsRemoteEndpointImplBase.startMessageBlock",
			"FutureToSendHandler.get", "org.eclipse.jetty.util.Blocker", "org.eclipse.jetty.util.FutureCallback.block",
			"org.eclipse.jetty.io.WriteFlusher.block");

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	Broadcaster broadcaster;

	@Test
	void twentyStalledClientsParkNoThreadInASocketWrite() throws Exception {
		List<StalledClient> stalled = new ArrayList<>();
		List<String> groups = new ArrayList<>();
		try (LiveTestClient healthy = LiveTestClient.connect(this.port, null)) {
			healthy.next("hello");
			for (int i = 0; i < STALLED; i++) {
				String cookie = HttpBrowser.anonymousCookie(this.port);
				groups.add("anon:" + AnonymousCookies.deriveId(cookie));
				stalled.add(StalledClient.connect(this.port, "LIVESESSION=" + cookie));
			}
			List<ManagedConnection> connections = new ArrayList<>();
			for (String group : groups) {
				await().atMost(Duration.ofSeconds(10)).until(() -> this.registry.findByGroup(group).size() == 1);
				LiveConnection connection = this.registry.findByGroup(group).iterator().next();
				connections.add((ManagedConnection) connection);
			}
			String padding = "x".repeat(5000);
			for (int i = 0; i < 40; i++) {
				this.broadcaster.sendToAll("b-" + i + " " + padding);
			}
			for (int i = 0; i < 40; i++) {
				Object frame = healthy.poll(Duration.ofSeconds(10));
				assertThat(frame).isInstanceOf(String.class);
				assertThat((String) frame).startsWith("b-" + i + " ");
			}
			assertThat(connections).as("every stalled connection has frames waiting behind a write in progress")
				.allSatisfy((connection) -> {
					assertThat(connection.isOpen()).isTrue();
					assertThat(connection.getQueuedBytes()).isPositive();
				});
			assertThat(parkedInASocketWrite()).as("threads in a socket write in every dump").isEmpty();
		}
		finally {
			for (StalledClient client : stalled) {
				client.close();
			}
		}
	}

	/**
	 * The threads found in a socket write in each of {@value #DUMPS} thread dumps 100 ms
	 * apart. A thread parked on a stalled peer stays there until the send time limit (10
	 * s). A single dump once reported a Jetty pool thread (a clean-clone run of
	 * 2026-12-03): a thread passing through a non-blocking write, which returns at once,
	 * shows the same frames ({@code SocketChannelImpl.write}) for that instant.
	 */
	private static Set<String> parkedInASocketWrite() throws InterruptedException {
		Set<String> parked = null;
		for (int i = 0; i < DUMPS; i++) {
			Set<String> writing = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
				.filter(StalledClientsIntegrationTests::inASocketWrite)
				.map((thread) -> thread.getThreadId() + " " + thread.getThreadName())
				.collect(Collectors.toCollection(HashSet::new));
			if (parked == null) {
				parked = writing;
			}
			else {
				parked.retainAll(writing);
			}
			Thread.sleep(100);
		}
		return parked;
	}

	private static boolean inASocketWrite(ThreadInfo thread) {
		return Arrays.stream(thread.getStackTrace())
			.map((frame) -> frame.getClassName() + "." + frame.getMethodName())
			.anyMatch((frame) -> WRITING.stream().anyMatch(frame::contains));
	}

}
