package io.livesession.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The anonymous browser cookie (protocol 1.1): 256 random bits, base64url without padding
 * (43 characters), a {@code .}, then a base64url HMAC-SHA256 tag of them (43 characters)
 * under the {@link AnonymousCookieKey}, so that only values this application issued are
 * accepted: a value planted from a sibling subdomain or guessed in the right format is
 * replaced by a fresh one, with a fresh group. {@code HttpOnly}, {@code SameSite=Lax};
 * issued on any response whose request lacks exactly one valid value. The value is a
 * secret and is never used as an id: ids are derived from it one-way.
 * <p>
 * The name is the configured one ({@code LIVESESSION}) on plain HTTP, and {@code __Host-}
 * followed by it when the cookie is {@code Secure} and its path is {@code /}: browsers
 * accept such a cookie only from a secure origin, for that host alone, which a sibling
 * subdomain or a plain-HTTP page cannot overwrite. With a context path the prefix is not
 * allowed and the plain name is kept.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class AnonymousCookies {

	/** The request attribute holding the valid (possibly just issued) cookie value. */
	public static final String VALUE_ATTRIBUTE = AnonymousCookies.class.getName() + ".value";

	/** The prefix of the name of a secure cookie. */
	public static final String HOST_PREFIX = "__Host-";

	static final int VALUE_LENGTH = 43;

	static final int TAG_LENGTH = 43;

	private static final String MAC_ALGORITHM = "HmacSHA256";

	// Domain separation: the key may be shared with nothing else, but its tags then
	// still mean nothing elsewhere.
	private static final byte[] TAG_CONTEXT = "livesession-anonymous-cookie:v1:".getBytes(StandardCharsets.US_ASCII);

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private final String name;

	private final Duration maxAge;

	private final boolean secure;

	private final AnonymousCookieKey keySource;

	private volatile @Nullable SecretKeySpec key;

	/**
	 * Cookies authenticated with a random key of this instance: right for a single
	 * instance; a restart makes the cookies issued before it fresh ones.
	 * @param name the cookie name on plain HTTP
	 * @param maxAge the cookie's Max-Age
	 * @param secure whether the cookie is always {@code Secure}
	 */
	public AnonymousCookies(String name, Duration maxAge, boolean secure) {
		this(name, maxAge, secure, randomKey());
	}

	/**
	 * Cookies authenticated with the given key.
	 * @param name the cookie name on plain HTTP
	 * @param maxAge the cookie's Max-Age
	 * @param secure whether the cookie is always {@code Secure}
	 * @param key the key, the same on every instance
	 * @since 0.1.0
	 */
	public AnonymousCookies(String name, Duration maxAge, boolean secure, AnonymousCookieKey key) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(key, "'key' must not be null");
		this.name = name;
		this.maxAge = maxAge;
		this.secure = secure;
		this.keySource = key;
	}

	/**
	 * A random key for one instance.
	 * @return the key
	 * @since 0.1.0
	 */
	public static AnonymousCookieKey randomKey() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return () -> bytes.clone();
	}

	/**
	 * The configured cookie name, as used on plain HTTP.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The cookie name for a request: {@link #HOST_PREFIX} and the configured name when
	 * the cookie is {@code Secure} and its path {@code /}, the configured name otherwise.
	 * @param request the request
	 * @return the name
	 * @since 0.1.0
	 */
	public String getName(HttpServletRequest request) {
		boolean rootPath = !StringUtils.hasLength(request.getContextPath());
		return (isSecure(request) && rootPath) ? HOST_PREFIX + this.name : this.name;
	}

	private boolean isSecure(HttpServletRequest request) {
		return this.secure || request.isSecure();
	}

	/**
	 * The valid cookie value of the request, issuing a fresh cookie on the response when
	 * the request has none, a malformed or forged one, or more than one. Idempotent per
	 * request.
	 * @param request the request
	 * @param response the response
	 * @return the cookie value
	 */
	public String resolve(HttpServletRequest request, HttpServletResponse response) {
		if (request.getAttribute(VALUE_ATTRIBUTE) instanceof String value) {
			return value;
		}
		String value = readValid(request);
		if (value == null) {
			value = issue();
			response.addHeader(HttpHeaders.SET_COOKIE, cookie(value, request).toString());
		}
		request.setAttribute(VALUE_ATTRIBUTE, value);
		return value;
	}

	/**
	 * Replace the request's cookie with a fresh one, at login and logout, so that what
	 * was typed under one identity never comes back under another: the rest of the
	 * request and the response's {@code Set-Cookie} carry the new value.
	 * @param request the request
	 * @param response the response
	 * @return the new value
	 * @since 0.1.0
	 */
	public String rotate(HttpServletRequest request, HttpServletResponse response) {
		String value = issue();
		// A Set-Cookie the filter already wrote for this request comes first; the last
		// one wins.
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(value, request).toString());
		request.setAttribute(VALUE_ATTRIBUTE, value);
		return value;
	}

	private @Nullable String readValid(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		String name = getName(request);
		String found = null;
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (name.equals(cookie.getName())) {
					if (found != null) {
						// Duplicates may be a cookie-tossing attempt from a sibling
						// domain.
						return null;
					}
					found = cookie.getValue();
				}
			}
		}
		return (found != null && verify(found)) ? found : null;
	}

	private ResponseCookie cookie(String value, HttpServletRequest request) {
		String path = StringUtils.hasLength(request.getContextPath()) ? request.getContextPath() : "/";
		return ResponseCookie.from(getName(request), value)
			.httpOnly(true)
			.sameSite("Lax")
			.path(path)
			.maxAge(this.maxAge)
			.secure(isSecure(request))
			.build();
	}

	/**
	 * Whether a value is one this application issued: the random part in its exact format
	 * and a tag that verifies under the key.
	 * @param value the value
	 * @return {@code true} if so
	 * @since 0.1.0
	 */
	public boolean verify(@Nullable String value) {
		if (value == null || value.length() != VALUE_LENGTH + 1 + TAG_LENGTH || value.charAt(VALUE_LENGTH) != '.') {
			return false;
		}
		String randomPart = value.substring(0, VALUE_LENGTH);
		if (!isValid(randomPart)) {
			return false;
		}
		byte[] expected = tag(randomPart).getBytes(StandardCharsets.US_ASCII);
		byte[] actual = value.substring(VALUE_LENGTH + 1).getBytes(StandardCharsets.US_ASCII);
		// Constant time, so the tag cannot be found one character at a time.
		return MessageDigest.isEqual(expected, actual);
	}

	private String tag(String randomPart) {
		try {
			Mac mac = Mac.getInstance(MAC_ALGORITHM);
			mac.init(key());
			mac.update(TAG_CONTEXT);
			return encoder.encodeToString(mac.doFinal(randomPart.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(MAC_ALGORITHM + " is not available", ex);
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec key = this.key;
		if (key == null) {
			byte[] bytes = this.keySource.get();
			Assert.state(bytes.length >= 16, "The anonymous cookie key must have at least 16 bytes");
			key = new SecretKeySpec(bytes, MAC_ALGORITHM);
			this.key = key;
		}
		return key;
	}

	/**
	 * A fresh value, as this application issues it: {@link #generate() random}, a
	 * {@code .}, and its tag.
	 * @return the value
	 * @since 0.1.0
	 */
	public String issue() {
		String randomPart = generate();
		return randomPart + "." + tag(randomPart);
	}

	/**
	 * A fresh random part of a cookie value, without its tag.
	 * @return 43 base64url characters
	 */
	public static String generate() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return encoder.encodeToString(bytes);
	}

	/**
	 * Whether a value has the exact format of the random part of a cookie value.
	 * @param value the value
	 * @return {@code true} if valid
	 */
	public static boolean isValid(@Nullable String value) {
		if (value == null || value.length() != VALUE_LENGTH) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			if (!ok) {
				return false;
			}
		}
		// 256 bits in 43 characters leave 2 unused bits in the last one, which an encoder
		// always writes as zero.
		return (decodeLast(value.charAt(VALUE_LENGTH - 1)) & 0b11) == 0;
	}

	private static int decodeLast(char c) {
		if (c >= 'A' && c <= 'Z') {
			return c - 'A';
		}
		if (c >= 'a' && c <= 'z') {
			return c - 'a' + 26;
		}
		if (c >= '0' && c <= '9') {
			return c - '0' + 52;
		}
		return (c == '-') ? 62 : 63;
	}

	/**
	 * The anonymous id of a cookie value: a one-way SHA-256 digest of its random part,
	 * the same on every instance.
	 * @param value a valid cookie value (its tag, if any, is ignored: it adds no entropy)
	 * @return the id, 43 base64url characters
	 */
	public static String deriveId(String value) {
		int dot = value.indexOf('.');
		if (dot >= 0) {
			value = value.substring(0, dot);
		}
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update("livesession-anonymous:".getBytes(StandardCharsets.US_ASCII));
			return encoder.encodeToString(digest.digest(value.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
