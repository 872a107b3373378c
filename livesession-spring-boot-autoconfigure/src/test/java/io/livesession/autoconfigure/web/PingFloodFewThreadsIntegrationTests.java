package io.livesession.autoconfigure.web;

import io.livesession.ConnectionRegistry;
import io.livesession.SessionGroups;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The ping flood of {@link PingFloodIntegrationTests} against a Tomcat with fewer worker
 * threads (80) than flooding sockets (100), livesession's limits as shipped: were a
 * blocked pong to hold its thread for Tomcat's own 20 s, every worker would be taken and
 * the page would wait behind the other flooders for 20 s. The control frame timeout frees
 * each within 250 ms. (Flooders queue in waves of as many as there are worker threads,
 * each wave 250 ms: with 20 threads, 100 flooders would delay a page by five waves.)
 */
@SpringBootTest(classes = { LiveTestApplication.class, PingFloodIntegrationTests.SmallSocketBuffers.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=shipped-defaults", "server.tomcat.threads.max=80" })
class PingFloodFewThreadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	SessionGroups groups;

	@Test
	void aPingFloodFromMoreNonReadingSocketsThanWorkerThreadsDoesNotDelayAPageByMoreThan500Ms() throws Exception {
		PingFloodIntegrationTests.Flood.run(this.port, this.registry, this.groups);
	}

}
