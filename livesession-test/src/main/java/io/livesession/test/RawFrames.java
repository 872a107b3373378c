package io.livesession.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * The byte-level parts of {@link RawWebSocket}: a frame as RFC 6455 lays it out, and a
 * line of the HTTP handshake read without buffering past it (the frames follow it on the
 * same stream).
 *
 * @author livesession
 */
final class RawFrames {

	private RawFrames() {
	}

	/**
	 * Encode one frame.
	 * @param fin the FIN bit
	 * @param rsv the three reserved bits (0 to 7)
	 * @param opcode the opcode
	 * @param payload the payload
	 * @param masked whether to mask it, as a client must
	 * @return the frame's bytes
	 */
	static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
		int maskBit = masked ? 0x80 : 0;
		if (payload.length < 126) {
			frame.write(maskBit | payload.length);
		}
		else if (payload.length < 65536) {
			frame.write(maskBit | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		else {
			frame.write(maskBit | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) (((long) payload.length) >>> shift) & 0xFF);
			}
		}
		byte[] data = payload.clone();
		if (masked) {
			byte[] key = new byte[4];
			ThreadLocalRandom.current().nextBytes(key);
			frame.writeBytes(key);
			for (int i = 0; i < data.length; i++) {
				data[i] ^= key[i % 4];
			}
		}
		frame.writeBytes(data);
		return frame.toByteArray();
	}

	static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1) {
			if (b == '\n') {
				break;
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		if (b == -1 && line.size() == 0) {
			return null;
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

}
