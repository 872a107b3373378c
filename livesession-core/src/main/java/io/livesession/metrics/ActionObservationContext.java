package io.livesession.metrics;

import io.livesession.LiveConnection;
import io.micrometer.observation.Observation;

/**
 * The {@link Observation.Context} of one {@code action} frame, from its arrival until its
 * reply or error is queued.
 *
 * @author livesession
 * @since 0.1.0
 */
public final class ActionObservationContext extends Observation.Context {

	/** The outcome of an action that replied. */
	public static final String SUCCESS = "success";

	/** The action name used for names no handler has, to bound the tag's values. */
	public static final String UNKNOWN = "unknown";

	private final String action;

	private final LiveConnection connection;

	private String outcome = SUCCESS;

	/**
	 * Create a context.
	 * @param action the action name, {@link #UNKNOWN} when no handler has it
	 * @param connection the calling connection
	 */
	public ActionObservationContext(String action, LiveConnection connection) {
		this.action = action;
		this.connection = connection;
	}

	/**
	 * The action name.
	 * @return the name
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * The calling connection.
	 * @return the connection
	 */
	public LiveConnection getConnection() {
		return this.connection;
	}

	/**
	 * {@link #SUCCESS}, or the protocol's error code the action was answered with.
	 * @return the outcome
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set the outcome.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
