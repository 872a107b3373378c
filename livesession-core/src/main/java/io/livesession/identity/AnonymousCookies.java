package io.livesession.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The anonymous browser cookie: 256 random bits, base64url without padding (43
 * characters), {@code HttpOnly}, {@code SameSite=Lax}, issued on any response whose
 * request lacks exactly one valid value. The value is a secret and is never used as an
 * id: ids are derived from it one-way.
 *
 * @author livesession
 */
public final class AnonymousCookies {

	/** The request attribute holding the valid (possibly just issued) cookie value. */
	public static final String VALUE_ATTRIBUTE = AnonymousCookies.class.getName() + ".value";

	static final int VALUE_LENGTH = 43;

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private final String name;

	private final Duration maxAge;

	private final boolean secure;

	public AnonymousCookies(String name, Duration maxAge, boolean secure) {
		Assert.hasText(name, "'name' must not be empty");
		this.name = name;
		this.maxAge = maxAge;
		this.secure = secure;
	}

	/**
	 * The cookie name.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The valid cookie value of the request, issuing a fresh cookie on the response when
	 * the request has none, a malformed one, or more than one. Idempotent per request.
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
			value = generate();
			response.addHeader(HttpHeaders.SET_COOKIE, cookie(value, request).toString());
		}
		request.setAttribute(VALUE_ATTRIBUTE, value);
		return value;
	}

	private @Nullable String readValid(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		String found = null;
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (this.name.equals(cookie.getName())) {
					if (found != null) {
						// Duplicates may be a cookie-tossing attempt from a sibling
						// domain.
						return null;
					}
					found = cookie.getValue();
				}
			}
		}
		return (found != null && isValid(found)) ? found : null;
	}

	private ResponseCookie cookie(String value, HttpServletRequest request) {
		String path = StringUtils.hasLength(request.getContextPath()) ? request.getContextPath() : "/";
		return ResponseCookie.from(this.name, value)
			.httpOnly(true)
			.sameSite("Lax")
			.path(path)
			.maxAge(this.maxAge)
			.secure(this.secure || request.isSecure())
			.build();
	}

	/**
	 * A fresh value, as this instance would issue it.
	 * @return the value
	 * @since 0.1.0
	 */
	public String issue() {
		return generate();
	}

	/**
	 * A fresh cookie value.
	 * @return 43 base64url characters
	 */
	public static String generate() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return encoder.encodeToString(bytes);
	}

	/**
	 * Whether a value has the cookie's exact format.
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
	 * The anonymous id of a cookie value: a one-way SHA-256 digest, the same on every
	 * instance.
	 * @param value a valid cookie value
	 * @return the id, 43 base64url characters
	 */
	public static String deriveId(String value) {
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
