package io.livesession.delivery;

import io.livesession.BroadcastTarget;
import io.livesession.Frame;

/**
 * Carries a frame and its target to every instance, where each matches the target against
 * its own registry. In one instance this is just {@link LocalDelivery}; a cluster channel
 * publishes once and delivers locally on receipt.
 *
 * @author livesession
 * @since 0.1.0
 */
@FunctionalInterface
public interface DeliveryChannel {

	/**
	 * Publish a frame.
	 * @param target who receives it
	 * @param frame the encoded frame
	 * @return the number of connections of this instance it was queued for
	 */
	int publish(BroadcastTarget target, Frame frame);

}
