package io.livesession.autoconfigure.web;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.livesession.autoconfigure.LiveClientScript;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser client as the starter serves it over HTTP: content type, ETag, cache
 * headers, conditional requests and methods.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ClientScriptIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	LiveClientScript client;

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static byte[] shipped(String name) throws Exception {
		try (InputStream in = new ClassPathResource("META-INF/livesession/" + name).getInputStream()) {
			return in.readAllBytes();
		}
	}

	@Test
	void servesTheShippedClientAtTheDefaultPathWithItsVersionAsETag() throws Exception {
		HttpResponse<byte[]> response = send("GET", "/livesession/livesession.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(shipped("livesession.js"));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(response.headers().firstValue("ETag")).hasValue("\"" + this.client.getVersion() + "\"");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, private");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(this.client.getPath()).isEqualTo("/livesession/livesession.js");
		assertThat(this.client.getVersion()).matches("([^ ]+-)?[0-9a-f]{12}");
	}

	@Test
	void aMatchingETagGetsA304WithoutBody() throws Exception {
		String etag = "\"" + this.client.getVersion() + "\"";
		HttpResponse<byte[]> response = send("GET", "/livesession/livesession.js", "If-None-Match", etag);
		assertThat(response.statusCode()).isEqualTo(304);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValue("ETag")).hasValue(etag);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache, private");
		HttpResponse<byte[]> stale = send("GET", "/livesession/livesession.js", "If-None-Match", "\"0.0.1-abc\"");
		assertThat(stale.statusCode()).isEqualTo(200);
		assertThat(stale.body()).isEqualTo(shipped("livesession.js"));
	}

	@Test
	void theVersionedPathIsCachedForAYearAndAnotherVersionIsRevalidated() throws Exception {
		HttpResponse<byte[]> current = send("GET", this.client.getVersionedPath());
		assertThat(current.statusCode()).isEqualTo(200);
		assertThat(current.headers().firstValue("Cache-Control")).hasValue("max-age=31536000, private, immutable");
		assertThat(current.body()).isEqualTo(shipped("livesession.js"));
		HttpResponse<byte[]> old = send("GET", "/livesession/livesession.js?v=0.0.1-abc");
		assertThat(old.statusCode()).isEqualTo(200);
		assertThat(old.headers().firstValue("Cache-Control")).hasValue("no-cache, private");
	}

	@Test
	void theResponseThatIssuesTheAnonymousCookieIsNeverForSharedCaches() throws Exception {
		HttpResponse<byte[]> response = send("GET", this.client.getVersionedPath());
		assertThat(response.headers().firstValue("Set-Cookie"))
			.hasValueSatisfying((cookie) -> assertThat(cookie).startsWith("LIVESESSION="));
		assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(
				(cacheControl) -> assertThat(cacheControl).contains("private").doesNotContain("public"));
	}

	@Test
	void headAnswersTheHeadersWithoutBody() throws Exception {
		HttpResponse<byte[]> response = send("HEAD", "/livesession/livesession.js");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(shipped("livesession.js").length);
		assertThat(response.headers().firstValue("ETag")).hasValue("\"" + this.client.getVersion() + "\"");
	}

	@Test
	void otherMethodsGet405AndLeaveTheClientAlone() throws Exception {
		for (String method : new String[] { "POST", "PUT", "DELETE" }) {
			HttpResponse<byte[]> response = send(method, "/livesession/livesession.js");
			assertThat(response.statusCode()).as(method).isEqualTo(405);
			assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
		}
		assertThat(send("OPTIONS", "/livesession/livesession.js").headers().firstValue("Allow"))
			.hasValue("GET, HEAD, OPTIONS");
		assertThat(send("GET", "/livesession/livesession.js").body()).isEqualTo(shipped("livesession.js"));
	}

	@Test
	void servesTheTypeScriptDeclarationsNextToTheScript() throws Exception {
		HttpResponse<byte[]> response = send("GET", "/livesession/livesession.d.ts");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(shipped("livesession.d.ts"));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/typescript;charset=UTF-8");
		assertThat(this.client.getTypesPath()).isEqualTo("/livesession/livesession.d.ts");
	}

}
