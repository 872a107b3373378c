package io.livesession.redis;

import io.livesession.event.RevocationReason;
import io.livesession.revocation.Revocation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RevocationMessage}: the wire format of cross-instance revocations.
 */
class RevocationMessageTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void aRevocationSurvivesTheRoundTripWithItsOrigin() {
		for (Revocation.Kind kind : Revocation.Kind.values()) {
			Revocation revocation = new Revocation(kind, "id-1", RevocationReason.LOGOUT);
			RevocationMessage decoded = RevocationMessage.decode(this.mapper,
					new RevocationMessage("one", revocation).encode(this.mapper));
			assertThat(decoded.origin()).isEqualTo("one");
			assertThat(decoded.revocation()).isEqualTo(revocation);
		}
	}

	@Test
	void theSparedUserTravelsOnlyWhenThereIsOne() {
		Revocation sparing = new Revocation(Revocation.Kind.USER, "dave", RevocationReason.LOGIN, "dave");
		String message = new RevocationMessage("one", sparing).encode(this.mapper);
		assertThat(message).isEqualTo("{\"o\":\"one\",\"k\":\"USER\",\"id\":\"dave\",\"r\":\"LOGIN\",\"x\":\"dave\"}");
		assertThat(RevocationMessage.decode(this.mapper, message).revocation().exceptUserId()).isEqualTo("dave");
		String plain = new RevocationMessage("one",
				new Revocation(Revocation.Kind.USER, "dave", RevocationReason.LOGIN))
			.encode(this.mapper);
		assertThat(plain).doesNotContain("\"x\"");
		assertThat(RevocationMessage.decode(this.mapper, plain).revocation().exceptUserId()).isNull();
	}

	@Test
	void aKindOrReasonThisVersionDoesNotKnowIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RevocationMessage.decode(this.mapper,
				"{\"o\":\"x\",\"k\":\"NOPE\",\"id\":\"carol\",\"r\":\"LOGOUT\"}"));
		assertThatIllegalArgumentException().isThrownBy(() -> RevocationMessage.decode(this.mapper,
				"{\"o\":\"x\",\"k\":\"USER\",\"id\":\"carol\",\"r\":\"BORED\"}"));
	}

}
