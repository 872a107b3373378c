package io.livesession.autoconfigure.web;

import java.net.http.HttpResponse;

import io.livesession.test.HttpBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link HttpBrowser} for the test applications, whose users share
 * {@link LiveTestApplication#PASSWORD}.
 */
final class Browser extends HttpBrowser {

	Browser(int port) {
		super(port, LiveTestApplication.PASSWORD);
	}

	@Override
	public Browser on(int port) {
		super.on(port);
		return this;
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

}
