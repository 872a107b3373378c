package io.livesession.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket upgrade request written by hand on a socket, to see exactly what the server
 * answers before (or instead of) the upgrade: JDK and container clients hide refused
 * handshakes' status codes.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class RawHandshake {

	private RawHandshake() {
	}

	/**
	 * Send an upgrade request.
	 * @param port the port
	 * @param path the path
	 * @param headers extra headers; a header name may repeat by using "Name#2" keys
	 * @return the response status and headers
	 */
	public static Response send(int port, String path, Map<String, String> headers) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = upgradeRequest(port, path);
			headers.forEach((name,
					value) -> request.append(name.replaceAll("#.*$", "")).append(": ").append(value).append("\r\n"));
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
			String status = in.readLine();
			if (status == null) {
				throw new IllegalStateException("No response");
			}
			Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
			for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
				int colon = line.indexOf(':');
				responseHeaders.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(), (k) -> new ArrayList<>())
					.add(line.substring(colon + 1).trim());
			}
			return new Response(Integer.parseInt(status.split(" ")[1]), responseHeaders);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The start of an upgrade request to {@code 127.0.0.1}: the request line and the
	 * headers every handshake needs (with RFC 6455's sample key), for the caller to add
	 * its own headers and the blank line to.
	 * @param port the port
	 * @param path the path
	 * @return the request so far
	 */
	static StringBuilder upgradeRequest(int port, String path) {
		StringBuilder request = new StringBuilder();
		request.append("GET ").append(path).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
		request.append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
		return request;
	}

	/**
	 * A handshake response.
	 *
	 * @param status the HTTP status
	 * @param headers the headers, names in lower case
	 */
	public record Response(int status, Map<String, List<String>> headers) {

		/**
		 * The values of a header.
		 * @param name the lower-case name
		 * @return the values
		 */
		public List<String> header(String name) {
			return this.headers.getOrDefault(name, List.of());
		}

	}

}
