package io.livesession.metrics;

import java.util.Locale;

import io.livesession.BroadcastTarget;
import io.micrometer.observation.Observation;

/**
 * The {@link Observation.Context} of one broadcast (a group {@code state} push included):
 * matching its target and queueing the frame for every recipient of this instance.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class BroadcastObservationContext extends Observation.Context {

	private final BroadcastTarget target;

	private final boolean state;

	private int recipients;

	/**
	 * Create a context.
	 * @param target the target
	 * @param state whether the frame is a group {@code state} frame
	 */
	public BroadcastObservationContext(BroadcastTarget target, boolean state) {
		this.target = target;
		this.state = state;
	}

	/**
	 * The target.
	 * @return the target
	 */
	public BroadcastTarget getTarget() {
		return this.target;
	}

	/**
	 * The kind of target: {@code all}, {@code users}, {@code groups},
	 * {@code connections}, {@code authority}, {@code user-filter} or {@code matching}.
	 * @return the kind
	 */
	public String getTargetKind() {
		String name = this.target.getClass().getSimpleName();
		return (this.target instanceof BroadcastTarget.UserFilter) ? "user-filter" : name.toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether the frame is a group {@code state} frame.
	 * @return {@code true} for state
	 */
	public boolean isState() {
		return this.state;
	}

	/**
	 * The connections of this instance the frame was queued for.
	 * @return the count
	 */
	public int getRecipients() {
		return this.recipients;
	}

	/**
	 * Set the recipient count.
	 * @param recipients the count
	 */
	public void setRecipients(int recipients) {
		this.recipients = recipients;
	}

}
