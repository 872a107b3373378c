package io.livesession.group;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * {@link GroupLocks} for one instance: a fixed set of locks picked by the group id's
 * hash. Fixed, so no lock object per group has to be created and reclaimed (the same
 * trade-off as Guava's {@code Striped}, written out to avoid a dependency for thirty
 * lines). Groups that share a stripe are serialized together, which costs a little
 * concurrency, never correctness.
 *
 * @author livesession
 */
final class StripedGroupLocks implements GroupLocks {

	private final ReentrantLock[] locks;

	StripedGroupLocks(int stripes) {
		int size = Integer.highestOneBit(Math.max(1, stripes - 1)) << 1;
		this.locks = new ReentrantLock[size];
		for (int i = 0; i < size; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	@Override
	public <T> T withLock(String groupId, Supplier<T> task) {
		int hash = groupId.hashCode();
		ReentrantLock lock = this.locks[(hash ^ (hash >>> 16)) & (this.locks.length - 1)];
		lock.lock();
		try {
			return task.get();
		}
		finally {
			lock.unlock();
		}
	}

}
