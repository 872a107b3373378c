package io.livesession.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.ClassPathResource;

/**
 * The browser client {@code livesession.js} and its TypeScript declarations as the
 * starter serves them: where, and under which version. The version is the starter's
 * version followed by a digest of the script, so it changes whenever the script does;
 * pages can import {@link #getVersionedPath()} to let browsers cache the script for good.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class LiveClientScript {

	static final String SCRIPT_LOCATION = "META-INF/livesession/livesession.js";

	static final String TYPES_LOCATION = "META-INF/livesession/livesession.d.ts";

	private final String path;

	private final String version;

	private final byte[] script;

	private final byte[] types;

	/**
	 * Loads the client shipped with the starter, to be served at the given path.
	 * @param path where the script is served, within the application; starts with
	 * {@code /} and has no wildcard, query or fragment
	 */
	public LiveClientScript(String path) {
		if (!path.startsWith("/") || path.matches(".*[*?{}#\\s].*")) {
			throw new InvalidConfigurationPropertyValueException("livesession.client.path", path,
					"must start with '/' and contain no wildcard, query, fragment or space");
		}
		this.path = path;
		this.script = load(SCRIPT_LOCATION);
		this.types = load(TYPES_LOCATION);
		this.version = version(LiveClientScript.class.getPackage().getImplementationVersion(), this.script);
	}

	static String version(@Nullable String starterVersion, byte[] script) {
		try {
			String digest = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(script))
				.substring(0, 12);
			return (starterVersion != null) ? starterVersion + "-" + digest : digest;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] load(String location) {
		try (InputStream in = new ClassPathResource(location, LiveClientScript.class.getClassLoader())
			.getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("livesession: " + location + " is missing from the classpath", ex);
		}
	}

	/**
	 * Where the script is served, for example {@code /livesession/livesession.js}.
	 * @return the path within the application
	 */
	public String getPath() {
		return this.path;
	}

	/**
	 * Where the TypeScript declarations are served: the path with {@code .d.ts} in place
	 * of {@code .js}.
	 * @return the path within the application
	 */
	public String getTypesPath() {
		return (this.path.endsWith(".js") ? this.path.substring(0, this.path.length() - 3) : this.path) + ".d.ts";
	}

	/**
	 * The script's version: the starter's version (when known) and a digest of the
	 * script. It is the script's {@code ETag}.
	 * @return the version
	 */
	public String getVersion() {
		return this.version;
	}

	/**
	 * The path with {@code ?v=} and the version. Served with a one-year
	 * {@code Cache-Control}; the plain path is revalidated on every use.
	 * @return the versioned path within the application
	 */
	public String getVersionedPath() {
		return this.path + "?v=" + this.version;
	}

	byte[] script() {
		return this.script;
	}

	byte[] types() {
		return this.types;
	}

}
