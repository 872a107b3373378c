package io.livesession.samples.counter;

import io.livesession.GroupState;
import io.livesession.LiveAction;
import io.livesession.LiveController;
import org.jspecify.annotations.Nullable;

/**
 * The counter's actions. Each runs while the group is locked, so concurrent clicks in
 * many tabs are never lost, and each replies with the new count.
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
		return add(state, -((step != null) ? step.amount() : 1));
	}

	@LiveAction("reset")
	Counter reset(GroupState state) {
		Counter counter = new Counter(0);
		state.setAttribute(ATTRIBUTE, counter);
		return counter;
	}

	private static Counter add(GroupState state, int amount) {
		Counter current = state.getAttribute(ATTRIBUTE, Counter.class);
		Counter next = new Counter(((current != null) ? current.count() : 0) + amount);
		state.setAttribute(ATTRIBUTE, next);
		return next;
	}

}
