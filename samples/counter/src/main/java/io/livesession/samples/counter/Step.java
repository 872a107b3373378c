package io.livesession.samples.counter;

import org.jspecify.annotations.Nullable;

/**
 * The optional data of {@code increment} and {@code decrement}.
 *
 * @param by how much, 1 when absent
 * @author livesession
 */
public record Step(@Nullable Integer by) {

	int amount() {
		return (this.by != null) ? this.by : 1;
	}

}
