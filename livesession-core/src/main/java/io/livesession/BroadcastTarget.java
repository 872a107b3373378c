package io.livesession;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

import org.springframework.util.Assert;

/**
 * Who a broadcast is for. Every target except {@link Matching} is plain data, so it can
 * be sent to other instances and matched against their own registries.
 *
 * @author livesession
 * @since 0.1.0
 */
public sealed interface BroadcastTarget {

	/**
	 * Every connection.
	 * @return the target
	 */
	static BroadcastTarget all() {
		return All.INSTANCE;
	}

	/**
	 * Every connection of the given users.
	 * @param userIds the user ids
	 * @return the target
	 */
	static BroadcastTarget users(String... userIds) {
		return new Users(Set.of(distinct(userIds)));
	}

	/**
	 * Every connection of the given groups.
	 * @param groupIds the group ids
	 * @return the target
	 */
	static BroadcastTarget groups(String... groupIds) {
		return new Groups(Set.of(distinct(groupIds)));
	}

	/**
	 * The given connections.
	 * @param connectionIds the connection ids
	 * @return the target
	 */
	static BroadcastTarget connections(String... connectionIds) {
		return new Connections(Set.of(distinct(connectionIds)));
	}

	/**
	 * Every member of a topic, on every instance. The payload reaches them as a
	 * {@code publication} frame of the topic (see {@link Topics}); it must be text or an
	 * object to serialize, not bytes.
	 * @param topic the topic name
	 * @return the target
	 * @since 0.1.0
	 */
	static BroadcastTarget topic(String topic) {
		return new Topic(topic);
	}

	/**
	 * Every connection whose principal has the given authority, e.g. {@code ROLE_ADMIN}.
	 * @param authority the authority name
	 * @return the target
	 */
	static BroadcastTarget authority(String authority) {
		return new Authority(authority);
	}

	/**
	 * Every authenticated connection whose user id matches.
	 * @param filter the user id filter
	 * @return the target
	 */
	static BroadcastTarget userFilter(Predicate<String> filter) {
		return new UserFilter(filter);
	}

	/**
	 * Every connection of this instance that matches. Arbitrary predicates cannot travel
	 * to other instances, so this target is evaluated locally only.
	 * @param filter the connection filter
	 * @return the target
	 */
	static BroadcastTarget matching(Predicate<LiveConnection> filter) {
		return new Matching(filter);
	}

	private static String[] distinct(String[] ids) {
		Assert.notNull(ids, "'ids' must not be null");
		Assert.noNullElements(ids, "'ids' must not contain null elements");
		return Arrays.stream(ids).distinct().toArray(String[]::new);
	}

	/**
	 * Every connection.
	 */
	enum All implements BroadcastTarget {

		/**
		 * The only instance.
		 */
		INSTANCE

	}

	/**
	 * Connections of users.
	 *
	 * @param userIds the user ids
	 */
	record Users(Set<String> userIds) implements BroadcastTarget {

		public Users {
			userIds = Set.copyOf(userIds);
		}

	}

	/**
	 * Connections of groups.
	 *
	 * @param groupIds the group ids
	 */
	record Groups(Set<String> groupIds) implements BroadcastTarget {

		public Groups {
			groupIds = Set.copyOf(groupIds);
		}

	}

	/**
	 * Connections by id.
	 *
	 * @param connectionIds the connection ids
	 */
	record Connections(Set<String> connectionIds) implements BroadcastTarget {

		public Connections {
			connectionIds = Set.copyOf(connectionIds);
		}

	}

	/**
	 * Members of a topic.
	 *
	 * @param name the topic name
	 * @since 0.1.0
	 */
	record Topic(String name) implements BroadcastTarget {

		public Topic {
			Assert.hasText(name, "'name' must not be empty");
		}

	}

	/**
	 * Connections whose principal has an authority.
	 *
	 * @param authority the authority
	 */
	record Authority(String authority) implements BroadcastTarget {

		public Authority {
			Assert.hasText(authority, "'authority' must not be empty");
		}

	}

	/**
	 * Authenticated connections whose user id matches a predicate.
	 *
	 * @param filter the predicate
	 */
	record UserFilter(Predicate<String> filter) implements BroadcastTarget {

		public UserFilter {
			Assert.notNull(filter, "'filter' must not be null");
		}

	}

	/**
	 * Local connections matching a predicate.
	 *
	 * @param filter the predicate
	 */
	record Matching(Predicate<LiveConnection> filter) implements BroadcastTarget {

		public Matching {
			Assert.notNull(filter, "'filter' must not be null");
		}

	}

}
