package io.livesession.scheduling;

/**
 * Which instance of the cluster runs the once-per-cluster work, such as a
 * {@code @Scheduled} broadcast that would otherwise run, and reach every client, once per
 * instance. Exactly one instance at a time is the leader; when it stops or crashes
 * another takes over (on Redis within the lease, {@code livesession.leader.lease}, plus a
 * third of it). A single instance, without Redis, is always the leader.
 *
 * <pre class="code">
 * &#64;Scheduled(fixedRate = 1000)
 * void tick() {
 *     leader.runIfLeader(() -&gt; broadcaster.sendToAll(Map.of("type", "tick")));
 * }
 * </pre>
 *
 * @author livesession
 * @since 0.1.0
 */
public interface ClusterLeader {

	/**
	 * Whether this instance leads the cluster now. Asked at the start of each run of a
	 * job: leadership can move while a long job runs, which {@link #getTerm()} lets a job
	 * detect.
	 * @return {@code true} when this instance is the leader
	 */
	boolean isLeader();

	/**
	 * The fencing token of the current leadership: it rises each time any instance
	 * becomes the leader, so a store that remembers the highest term it saw can refuse
	 * the writes of a former leader that has not noticed yet.
	 * @return the term, or 0 when this instance is not the leader
	 */
	long getTerm();

	/**
	 * Run a job only when this instance is the leader.
	 * @param job the job
	 * @return {@code true} when the job ran
	 */
	default boolean runIfLeader(Runnable job) {
		if (!isLeader()) {
			return false;
		}
		job.run();
		return true;
	}

	/**
	 * The leader of a cluster of one: always this instance, term 1.
	 * @return the leader
	 */
	static ClusterLeader singleInstance() {
		return new ClusterLeader() {

			@Override
			public boolean isLeader() {
				return true;
			}

			@Override
			public long getTerm() {
				return 1;
			}

			@Override
			public String toString() {
				return "single instance (always the leader)";
			}

		};
	}

}
