package io.livesession.autoconfigure.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code livesession.client.path} moves the browser client and its declarations.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "livesession.client.path=/assets/live.js")
class ClientScriptPathIntegrationTests {

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void servesTheClientAtTheConfiguredPathOnly() throws Exception {
		HttpResponse<String> script = get("/assets/live.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).contains("export function connect");
		assertThat(script.headers().firstValue("ETag")).isPresent();
		HttpResponse<String> types = get("/assets/live.d.ts");
		assertThat(types.statusCode()).isEqualTo(200);
		assertThat(types.body()).contains("export declare function connect");
		assertThat(get("/livesession/livesession.js").statusCode()).isEqualTo(404);
		assertThat(get("/livesession/livesession.d.ts").statusCode()).isEqualTo(404);
	}

}
