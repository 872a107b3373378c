package io.livesession.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads the Lua scripts of this package, the {@code .lua} resources next to it.
 *
 * @author livesession
 */
final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * A script built from the text of a resource, read once: a script on a
	 * {@code Resource} checks the resource's modification time on every call, a jar
	 * lookup that cost as much CPU as the rest of a group commit.
	 * @param <T> the result type
	 * @param name the resource's name in this package, e.g. {@code group-commit.lua}
	 * @param resultType the result type
	 * @return the script
	 */
	static <T> RedisScript<T> load(String name, Class<T> resultType) {
		String location = "io/livesession/redis/" + name;
		try {
			String text = new ClassPathResource(location, LuaScripts.class.getClassLoader())
				.getContentAsString(StandardCharsets.UTF_8);
			return RedisScript.of(text, resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + location, ex);
		}
	}

}
