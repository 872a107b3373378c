package io.livesession;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;

/**
 * One outbound WebSocket frame, already encoded: text or binary. Frames are immutable and
 * may be queued for any number of connections.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class Frame {

	private final @Nullable String text;

	private final byte @Nullable [] binary;

	private final long stateVersion;

	private final int size;

	private final @Nullable Supplier<Frame> fullState;

	private volatile @Nullable Frame full;

	private final @Nullable String topic;

	private final long topicOffset;

	private Frame(@Nullable String text, byte @Nullable [] binary, long stateVersion,
			@Nullable Supplier<Frame> fullState) {
		this(text, binary, stateVersion, fullState, null, -1);
	}

	private Frame(@Nullable String text, byte @Nullable [] binary, long stateVersion,
			@Nullable Supplier<Frame> fullState, @Nullable String topic, long topicOffset) {
		this.text = (text != null) ? wellFormed(text) : null;
		this.binary = binary;
		this.stateVersion = stateVersion;
		this.fullState = fullState;
		this.topic = topic;
		this.topicOffset = topicOffset;
		this.size = (this.text != null) ? utf8Length(this.text) : binary.length;
	}

	/**
	 * The text with each unpaired surrogate replaced by U+FFFD, as a UTF-8 encoder that
	 * does not fail would: the containers' encoders fail on them, and a frame that cannot
	 * be encoded must not close its connection (nor, sent to a group, every connection of
	 * the group). Inbound text is refused before it gets here; this covers what an
	 * application sends of its own.
	 */
	private static String wellFormed(String text) {
		StringBuilder fixed = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isSurrogate(c)) {
				if (fixed != null) {
					fixed.append(c);
				}
				continue;
			}
			boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1));
			if (paired) {
				if (fixed != null) {
					fixed.append(c).append(text.charAt(i + 1));
				}
				i++;
				continue;
			}
			if (fixed == null) {
				fixed = new StringBuilder(text.length()).append(text, 0, i);
			}
			fixed.append('\uFFFD');
		}
		return (fixed != null) ? fixed.toString() : text;
	}

	private static int utf8Length(String text) {
		int length = text.length();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c >= 0x800) {
				length += Character.isSurrogate(c) ? 1 : 2;
			}
			else if (c >= 0x80) {
				length++;
			}
		}
		return length;
	}

	/**
	 * A text frame.
	 * @param text the text
	 * @return the frame
	 */
	public static Frame text(String text) {
		Assert.notNull(text, "'text' must not be null");
		return new Frame(text, null, -1, null);
	}

	/**
	 * A binary frame; the bytes are copied.
	 * @param bytes the payload
	 * @return the frame
	 */
	public static Frame binary(byte[] bytes) {
		Assert.notNull(bytes, "'bytes' must not be null");
		return new Frame(null, bytes.clone(), -1, null);
	}

	/**
	 * A binary frame from the remaining bytes of a buffer, which is not consumed.
	 * @param buffer the payload
	 * @return the frame
	 */
	public static Frame binary(ByteBuffer buffer) {
		Assert.notNull(buffer, "'buffer' must not be null");
		ByteBuffer copy = buffer.duplicate();
		byte[] bytes = new byte[copy.remaining()];
		copy.get(bytes);
		return new Frame(null, bytes, -1, null);
	}

	/**
	 * A protocol {@code state} frame that carries the whole state ({@code full: true}).
	 * State frames are not queued for a connection whose {@code hello} is still pending,
	 * because the hello already carries that state.
	 * @param text the encoded frame
	 * @param version the group version the frame brings the client to
	 * @return the frame
	 */
	public static Frame state(String text, long version) {
		Assert.notNull(text, "'text' must not be null");
		Assert.isTrue(version >= 0, "'version' must not be negative");
		return new Frame(text, null, version, null);
	}

	/**
	 * A protocol {@code state} frame carrying a change, with the full state at the same
	 * version on demand: a connection that lags behind gets the latest full state instead
	 * of every intermediate change.
	 * @param text the encoded change
	 * @param version the group version after the change
	 * @param fullState the full-state frame at that version or a later one (made with
	 * {@link #state(String, long)}); called at most once
	 * @return the frame
	 */
	public static Frame state(String text, long version, Supplier<Frame> fullState) {
		Assert.notNull(text, "'text' must not be null");
		Assert.isTrue(version >= 0, "'version' must not be negative");
		Assert.notNull(fullState, "'fullState' must not be null");
		return new Frame(text, null, version, fullState);
	}

	/**
	 * A protocol {@code publication} frame of a topic. A publication of a recoverable
	 * topic carries its offset, so that a connection recovering the topic receives it
	 * once, after the publications it missed.
	 * @param text the encoded frame
	 * @param topic the topic
	 * @param offset the publication's offset in the topic, or -1 when the topic is not
	 * recoverable
	 * @return the frame
	 * @since 0.1.0
	 */
	public static Frame publication(String text, String topic, long offset) {
		Assert.notNull(text, "'text' must not be null");
		Assert.notNull(topic, "'topic' must not be null");
		Assert.isTrue(offset >= -1, "'offset' must be -1 or more");
		return new Frame(text, null, -1, null, topic, offset);
	}

	/**
	 * The topic of a {@code publication} frame.
	 * @return the topic, or {@code null} when this is not a publication
	 * @since 0.1.0
	 */
	public @Nullable String getTopic() {
		return this.topic;
	}

	/**
	 * The offset of a publication of a recoverable topic.
	 * @return the offset, or -1
	 * @since 0.1.0
	 */
	public long getTopicOffset() {
		return this.topicOffset;
	}

	/**
	 * Whether this is a state frame carrying the whole state.
	 * @return {@code true} for full-state frames
	 */
	public boolean isFullState() {
		return isState() && this.fullState == null;
	}

	/**
	 * The full-state form of a state frame: itself when it already is one.
	 * @return the full-state frame
	 */
	public Frame toFullState() {
		Assert.state(isState(), "Not a state frame");
		if (this.fullState == null) {
			return this;
		}
		Frame result = this.full;
		if (result == null) {
			synchronized (this) {
				result = this.full;
				if (result == null) {
					result = this.fullState.get();
					Assert.state(result.isFullState() && result.getStateVersion() >= this.stateVersion,
							"The full state must be a full-state frame at this version or later");
					this.full = result;
				}
			}
		}
		return result;
	}

	public boolean isText() {
		return this.text != null;
	}

	/**
	 * Whether this is a group {@code state} frame.
	 * @return {@code true} for state frames
	 */
	public boolean isState() {
		return this.stateVersion >= 0;
	}

	/**
	 * The group version of a state frame, or -1.
	 * @return the version
	 */
	public long getStateVersion() {
		return this.stateVersion;
	}

	/**
	 * The text of a text frame.
	 * @return the text
	 * @throws IllegalStateException for a binary frame
	 */
	public String getText() {
		Assert.state(this.text != null, "Not a text frame");
		return this.text;
	}

	/**
	 * A read-only view of the bytes of a binary frame, or of the UTF-8 bytes of a text
	 * frame.
	 * @return the payload
	 */
	public ByteBuffer getPayload() {
		byte[] bytes = (this.binary != null) ? this.binary : this.text.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
	}

	/**
	 * The payload size in bytes, used to account outbound buffers.
	 * @return the size
	 */
	public int getSize() {
		return this.size;
	}

	@Override
	public String toString() {
		return (this.text != null) ? "Frame[text, " + this.text.length() + " chars]"
				: "Frame[binary, " + this.binary.length + " bytes]";
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof Frame frame && this.stateVersion == frame.stateVersion
				&& java.util.Objects.equals(this.text, frame.text) && Arrays.equals(this.binary, frame.binary));
	}

	@Override
	public int hashCode() {
		return (this.text != null) ? this.text.hashCode() : Arrays.hashCode(this.binary);
	}

}
