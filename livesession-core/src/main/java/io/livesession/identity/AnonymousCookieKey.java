package io.livesession.identity;

/**
 * The key that authenticates anonymous cookie values. Every instance of a cluster must
 * use the same key, or the cookies one issues are refused (and replaced) by the others.
 *
 * @author livesession
 * @since 0.1.0
 * @see AnonymousCookies
 */
@FunctionalInterface
public interface AnonymousCookieKey {

	/**
	 * The key, at least 16 bytes; called once, on first use.
	 * @return the key bytes
	 */
	byte[] get();

}
