package io.livesession.samples.counter;

import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveActionException;
import io.livesession.LiveController;
import org.jspecify.annotations.Nullable;

/**
 * The counter's actions. Each runs while the group is locked, so concurrent clicks in
 * many tabs are never lost, and each replies with the new count. A step that is no
 * integer ({@code 1.5}, {@code "5"}) does not bind, and one that would overflow the count
 * is refused: both are answered with {@code bad_request} and change nothing.
 *
 * @author livesession
 */
@LiveController
public class CounterActions {

	static final String ATTRIBUTE = "counter";

	@LiveAction("increment")
	Counter increment(GroupState state, @Nullable Step step) {
		return add(state, (step != null) ? step.amount() : 1);
	}

	@LiveAction("decrement")
	Counter decrement(GroupState state, @Nullable Step step) {
		int amount = (step != null) ? step.amount() : 1;
		if (amount == Integer.MIN_VALUE) {
			throw LiveActionException.badRequest("data.by: the count would overflow");
		}
		return add(state, -amount);
	}

	@LiveAction("reset")
	Counter reset(GroupState state) {
		Counter counter = new Counter(0);
		state.setAttribute(ATTRIBUTE, counter);
		return counter;
	}

	private static Counter add(GroupState state, int amount) {
		Counter current = state.getAttribute(ATTRIBUTE, Counter.class);
		int count;
		try {
			// Never wraps silently: 2147483647 + 1 is refused, and the count unchanged.
			count = Math.addExact((current != null) ? current.count() : 0, amount);
		}
		catch (ArithmeticException ex) {
			throw LiveActionException.badRequest("data.by: the count would overflow");
		}
		Counter next = new Counter(count);
		state.setAttribute(ATTRIBUTE, next);
		return next;
	}

}
