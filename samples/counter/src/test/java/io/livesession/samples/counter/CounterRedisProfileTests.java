package io.livesession.samples.counter;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RedisTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counter's {@code redis} profile: two instances on one Redis share the count of a
 * cookie, and the Actuator endpoint reports the cluster. Beyond the private Redis's host
 * and port only what the profile ships is set (no {@code spring.data.redis.timeout}), as
 * a user would run it.
 */
class CounterRedisProfileTests {

	@Test
	void twoInstancesWithTheRedisProfileShareTheCountOfACookie() throws Exception {
		try (RedisTestServer redis = RedisTestServer.start();
				ConfigurableApplicationContext one = start(redis);
				ConfigurableApplicationContext two = start(redis)) {
			String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(port(one));
			try (LiveTestClient tab1 = LiveTestClient.connect(port(one), cookie);
					LiveTestClient tab2 = LiveTestClient.connect(port(two), cookie)) {
				tab1.next("hello");
				tab2.next("hello");
				tab1.action("increment", null, "1");
				assertThat(tab1.next("reply").at("/data/count").asInt()).isEqualTo(1);
				assertThat(tab2.next("state").at("/state/counter/count").asInt()).isEqualTo(1);
				tab2.action("increment", null, "2");
				assertThat(tab2.next("reply").at("/data/count").asInt()).isEqualTo(2);
				JsonNode counts = null;
				long deadline = System.currentTimeMillis() + 10_000;
				while (System.currentTimeMillis() < deadline) {
					counts = actuator(port(one));
					if (counts.at("/cluster/connections").asInt() == 2) {
						break;
					}
					Thread.sleep(100);
				}
				assertThat(counts.get("connections").asInt()).isEqualTo(1);
				assertThat(counts.at("/cluster/connections").asInt()).isEqualTo(2);
				assertThat(counts.at("/cluster/groups").asInt()).isEqualTo(1);
				assertThat(counts.at("/cluster/users").asInt()).isZero();
			}
		}
	}

	private static ConfigurableApplicationContext start(RedisTestServer redis) {
		return SpringApplication.run(CounterApplication.class, "--server.port=0", "--spring.profiles.active=redis",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static JsonNode actuator(int port) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/livesession"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

}
