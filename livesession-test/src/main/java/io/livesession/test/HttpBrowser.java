package io.livesession.test;

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

import org.jspecify.annotations.Nullable;

/**
 * A browser without a page, for tests over HTTP: keeps its cookies, follows no redirect,
 * logs in and out through Spring Security's form login and logout pages (CSRF token
 * included), and opens live connections with its cookies. For a real browser, see
 * {@link io.livesession.test.browser.HeadlessChromium}.
 *
 * @author livesession
 * @since 0.1.0
 */
public class HttpBrowser {

	private static final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private final Map<String, String> cookies = new LinkedHashMap<>();

	private final String password;

	private int port;

	/**
	 * A browser for an application on a port, whose users share one password.
	 * @param port the application's port
	 * @param password the password of every user it logs in
	 */
	public HttpBrowser(int port, String password) {
		this.port = port;
		this.password = password;
	}

	/**
	 * Go on with the same cookies against another instance.
	 * @param port the instance's port
	 * @return this browser
	 */
	public HttpBrowser on(int port) {
		this.port = port;
		return this;
	}

	/**
	 * A fresh anonymous cookie value, issued by the application on a port as on a
	 * browser's first request: since protocol 1.1 values are authenticated by the server,
	 * so a test cannot make one up.
	 * @param port the application's port
	 * @return the value of the {@code LIVESESSION} cookie
	 */
	public static String anonymousCookie(int port) {
		HttpBrowser browser = new HttpBrowser(port, "");
		browser.get("/");
		String value = browser.cookie("LIVESESSION");
		if (value == null) {
			throw new IllegalStateException("No LIVESESSION cookie issued on port " + port);
		}
		return value;
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	public HttpResponse<String> post(String path, Map<String, String> form) {
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
	public void login(String user) {
		String token = csrf("/login");
		HttpResponse<String> response = post("/login",
				Map.of("username", user, "password", this.password, "_csrf", token));
		String location = response.headers().firstValue("Location").orElse("");
		if (response.statusCode() != 302 || location.contains("error")) {
			throw new AssertionError("Login of " + user + " failed: " + response.statusCode() + " to " + location);
		}
	}

	/**
	 * Log out through the logout page's form.
	 */
	public void logout() {
		String token = csrf("/logout");
		HttpResponse<String> response = post("/logout", Map.of("_csrf", token));
		String location = response.headers().firstValue("Location").orElse("");
		if (response.statusCode() != 302 || !location.contains("logout")) {
			throw new AssertionError("Logout failed: " + response.statusCode() + " to " + location);
		}
	}

	/**
	 * Post a JSON body, as a script of the page would.
	 * @param path the path
	 * @param json the body
	 * @param headers more headers (the CSRF token's, say)
	 * @return the response
	 */
	public HttpResponse<String> postJson(String path, String json, Map<String, String> headers) {
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
	public HttpResponse<String> delete(String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).DELETE();
		headers.forEach(request::header);
		return send(request);
	}

	/**
	 * The CSRF token of a page's form, as a page's script would read it.
	 * @param page the page with a form
	 * @return the token
	 */
	public String csrf(String page) {
		HttpResponse<String> response = get(page);
		Matcher matcher = CSRF.matcher(response.body());
		if (response.statusCode() != 200 || !matcher.find()) {
			throw new AssertionError("No CSRF field on " + page + " (" + response.statusCode() + ")");
		}
		return matcher.group(1);
	}

	public @Nullable String cookie(String name) {
		return this.cookies.get(name);
	}

	public void setCookie(String name, String value) {
		this.cookies.put(name, value);
	}

	public String cookieHeader() {
		return this.cookies.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining("; "));
	}

	/**
	 * Open a live connection with this browser's cookies and wait for its greeting.
	 * @return the client
	 */
	public LiveTestClient connect() {
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
