package io.livesession.autoconfigure.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.livesession.test.LiveTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser for the tests: keeps its cookies, follows no redirect, fills in the CSRF
 * token of Spring Security's login and logout pages, and opens live connections with its
 * cookies.
 */
final class Browser {

	private static final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final Map<String, String> cookies = new LinkedHashMap<>();

	private int port;

	Browser(int port) {
		this.port = port;
	}

	/**
	 * Go on with the same cookies against another instance.
	 * @param port the instance's port
	 * @return this browser
	 */
	Browser on(int port) {
		this.port = port;
		return this;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<String> post(String path, Map<String, String> form) {
		String body = form.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Log in through the form login page, as a person would.
	 * @param user the user name
	 */
	void login(String user) {
		String token = csrf("/login");
		HttpResponse<String> response = post("/login",
				Map.of("username", user, "password", LiveTestApplication.PASSWORD, "_csrf", token));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
	}

	/**
	 * Log out through the logout page's form.
	 */
	void logout() {
		String token = csrf("/logout");
		HttpResponse<String> response = post("/logout", Map.of("_csrf", token));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).contains("logout");
	}

	/**
	 * Post a JSON body, as a script of the page would.
	 * @param path the path
	 * @param json the body
	 * @param headers more headers (the CSRF token's, say)
	 * @return the response
	 */
	HttpResponse<String> postJson(String path, String json, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return send(request);
	}

	/**
	 * Send a DELETE.
	 * @param path the path
	 * @param headers more headers (the CSRF token's, say)
	 * @return the response
	 */
	HttpResponse<String> delete(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).DELETE();
		headers.forEach(request::header);
		return send(request);
	}

	/**
	 * The CSRF token of a page's form, as a page's script would read it.
	 * @param page the page with a form
	 * @return the token
	 */
	String csrf(String page) {
		HttpResponse<String> response = get(page);
		assertThat(response.statusCode()).isEqualTo(200);
		Matcher matcher = CSRF.matcher(response.body());
		assertThat(matcher.find()).as("CSRF field on " + page).isTrue();
		return matcher.group(1);
	}

	/**
	 * The user the server sees on a plain request, or {@code null} when anonymous.
	 * @return the user name
	 */
	String currentUser() {
		HttpResponse<String> response = get("/test/me");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body().isEmpty() ? null : response.body();
	}

	String cookie(String name) {
		return this.cookies.get(name);
	}

	void setCookie(String name, String value) {
		this.cookies.put(name, value);
	}

	String cookieHeader() {
		return this.cookies.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("; "));
	}

	/**
	 * Open a live connection with this browser's cookies and wait for its greeting.
	 * @return the client
	 */
	LiveTestClient connect() {
		LiveTestClient client = LiveTestClient.connect(URI.create("ws://127.0.0.1:" + this.port + "/live"),
				Map.of("Cookie", cookieHeader()));
		client.next("hello");
		return client;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		// As a browser navigating: Spring Security answers such requests with redirects.
		request.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
		if (!this.cookies.isEmpty()) {
			request.header("Cookie", cookieHeader());
		}
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			response.headers().allValues("Set-Cookie").forEach(this::store);
			return response;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void store(String setCookie) {
		String pair = setCookie.split(";", 2)[0];
		int equals = pair.indexOf('=');
		String name = pair.substring(0, equals).trim();
		String value = pair.substring(equals + 1).trim();
		if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
			this.cookies.remove(name);
		}
		else {
			this.cookies.put(name, value);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
