package io.livesession.http;

import java.time.Instant;
import java.util.UUID;

import io.livesession.ConnectRequest;
import io.livesession.Frame;
import io.livesession.delivery.ConnectionBase;
import io.livesession.delivery.ConnectionInfo;
import org.jspecify.annotations.Nullable;

/**
 * The caller of one HTTP action, seen by handlers as a connection that lives for the
 * request: never registered, and with no socket to send to or close.
 *
 * @author livesession
 */
final class HttpCaller extends ConnectionBase {

	private HttpCaller(ConnectionInfo info) {
		super(info);
	}

	/**
	 * The caller of a resolved request, with the attributes its connect hooks added.
	 * @param request the resolved request
	 * @param httpSessionId the request's HTTP session id, if it has one
	 * @return the caller
	 */
	static HttpCaller of(ConnectRequest request, @Nullable String httpSessionId) {
		HttpCaller caller = new HttpCaller(new ConnectionInfo("http-" + UUID.randomUUID(), request.getUserId(),
				request.getGroupId(), request.getPrincipal(), request.getAuthorities(), httpSessionId, Instant.now()));
		request.getAttributes().forEach(caller::setAttribute);
		return caller;
	}

	@Override
	public boolean isOpen() {
		return false;
	}

	@Override
	public boolean send(Frame frame) {
		// No socket: the HTTP response carries the reply.
		return false;
	}

	@Override
	public void close(int code, String reason) {
	}

	@Override
	public String toString() {
		return "HTTP caller " + getId();
	}

}
