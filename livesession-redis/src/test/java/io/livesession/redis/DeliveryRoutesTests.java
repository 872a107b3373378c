package io.livesession.redis;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.livesession.BroadcastTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@link DeliveryRoutes} sends each target.
 */
class DeliveryRoutesTests {

	private final DeliveryRoutes interest = new DeliveryRoutes("ch", true);

	private final DeliveryRoutes broadcast = new DeliveryRoutes("ch", false);

	@Test
	void aBroadcastToUsersGoesToOneChannelPerUserEachCarryingOnlyThatUser() {
		assertThat(this.interest.routes(BroadcastTarget.users("alice", "bob"))).containsExactlyInAnyOrder(
				new DeliveryRoutes.Route("ch:u:{alice}", BroadcastTarget.users("alice")),
				new DeliveryRoutes.Route("ch:u:{bob}", BroadcastTarget.users("bob")));
	}

	@Test
	void aGroupsChannelHasTheHashTagOfItsKeysSoItsCommitCanPublishToIt() {
		assertThat(this.interest.routes(BroadcastTarget.groups("g1")))
			.containsExactly(new DeliveryRoutes.Route("ch:g:{g1}", BroadcastTarget.groups("g1")));
		assertThat(this.interest.stateChannel("g1")).isEqualTo("ch:g:{g1}");
		assertThat(this.broadcast.stateChannel("g1")).isEqualTo("ch");
	}

	@Test
	void aBroadcastToATopicIsOnePublishOnTheTopicsChannelWithTheHashTagOfItsHistory() {
		assertThat(this.interest.routes(BroadcastTarget.topic("room:a")))
			.containsExactly(new DeliveryRoutes.Route("ch:t:{room:a}", BroadcastTarget.topic("room:a")));
		assertThat(this.interest.topic("room:a")).isEqualTo("ch:t:{room:a}");
		assertThat(this.broadcast.routes(BroadcastTarget.topic("room:a")))
			.containsExactly(new DeliveryRoutes.Route("ch", BroadcastTarget.topic("room:a")));
		assertThat(this.broadcast.topic("room:a")).isEqualTo("ch");
	}

	@Test
	void broadcastsToAllToAnAuthorityAndToConnectionsStayOnTheSharedChannel() {
		for (BroadcastTarget target : List.of(BroadcastTarget.all(), BroadcastTarget.authority("ROLE_ADMIN"),
				BroadcastTarget.connections("c1"))) {
			assertThat(this.interest.routes(target)).containsExactly(new DeliveryRoutes.Route("ch", target));
		}
	}

	@Test
	void aTargetWithMoreRecipientsThanTheFanOutIsOnePublishOnTheSharedChannel() {
		Set<String> users = new HashSet<>();
		for (int i = 0; i <= DeliveryRoutes.FAN_OUT; i++) {
			users.add("user" + i);
		}
		BroadcastTarget many = new BroadcastTarget.Users(users);
		assertThat(this.interest.routes(many)).containsExactly(new DeliveryRoutes.Route("ch", many));
		users.remove("user0");
		assertThat(this.interest.routes(new BroadcastTarget.Users(users))).hasSize(DeliveryRoutes.FAN_OUT);
	}

	@Test
	void withoutInterestRoutingEverythingIsOnePublishOnTheSharedChannel() {
		BroadcastTarget users = BroadcastTarget.users("alice", "bob");
		assertThat(this.broadcast.routes(users)).containsExactly(new DeliveryRoutes.Route("ch", users));
	}

}
