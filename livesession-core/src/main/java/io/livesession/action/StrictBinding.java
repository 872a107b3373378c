package io.livesession.action;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict binding of what clients send: a JSON object with a duplicate key fails to parse
 * (instead of the last value winning, which lets a frame say two things to two readers),
 * and an integer field accepts only a JSON integer (instead of Jackson's default coercion
 * of {@code 1.5} to 1 and of {@code "5"} to 5). Also turns Jackson's binding failures
 * into messages that name the offending field path, without Java types.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class StrictBinding {

	private StrictBinding() {
	}

	/**
	 * A copy of the mapper that binds strictly; the mapper itself is unchanged.
	 * @param mapper the application's mapper
	 * @return the strict mapper
	 */
	public static JsonMapper strict(JsonMapper mapper) {
		return mapper.rebuild()
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
			.build();
	}

	/**
	 * Describe a failure to bind action data for the client: the path of the field and
	 * what it should be, e.g. {@code data.by: expected an integer}.
	 * @param ex the failure
	 * @param root the name of the bound value in the path ({@code data})
	 * @return the message
	 */
	static String describe(JacksonException ex, String root) {
		StringBuilder path = new StringBuilder(root);
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append('.').append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		if (path.length() > 120) {
			path.setLength(120);
			path.append('…');
		}
		Class<?> target = (ex instanceof MismatchedInputException mismatch) ? mismatch.getTargetType() : null;
		return path + ": " + expected(target);
	}

	private static String expected(@Nullable Class<?> target) {
		if (target == null) {
			return "does not match the expected shape";
		}
		if (target == int.class || target == long.class || target == short.class || target == byte.class
				|| target == Integer.class || target == Long.class || target == Short.class || target == Byte.class
				|| target == BigInteger.class) {
			return "expected an integer";
		}
		if (target == double.class || target == float.class || Number.class.isAssignableFrom(target)
				|| target == BigDecimal.class) {
			return "expected a number";
		}
		if (target == boolean.class || target == Boolean.class) {
			return "expected a boolean";
		}
		if (target == String.class || target == char.class || target == Character.class) {
			return "expected a string";
		}
		if (target.isArray() || Collection.class.isAssignableFrom(target)) {
			return "expected an array";
		}
		if (target.isEnum()) {
			return "not one of the allowed values";
		}
		return "does not match the expected shape";
	}

}
