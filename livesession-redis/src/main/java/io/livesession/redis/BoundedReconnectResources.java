package io.livesession.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.event.EventBus;
import io.lettuce.core.event.EventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DnsResolver;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.SocketAddressResolver;
import io.lettuce.core.tracing.Tracing;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

/**
 * The application's Lettuce {@link ClientResources} (its threads, timer, event bus,
 * metrics and tracing) with a reconnect delay of livesession's own, for livesession's
 * connections. Lettuce's default delay backs off to 30 seconds, so after an outage of a
 * minute actions went on answering {@code unavailable} for up to 30 seconds once Redis
 * was back.
 *
 * <p>
 * Written by hand because Lettuce's own {@code mutate()} does not fit: its copy takes
 * over the ownership of the shared threads (it disables the original's shutdown check,
 * and shutting the copy down stops the application's threads), so it could neither be
 * shut down with livesession nor left alone without a warning when it is collected. This
 * view owns nothing: shutting it down is a no-op, the application shuts its resources
 * down as before.
 *
 * @author livesession
 */
final class BoundedReconnectResources implements ClientResources {

	private final ClientResources application;

	private final Delay reconnectDelay;

	BoundedReconnectResources(ClientResources application, Duration maxDelay) {
		this.application = application;
		// Jittered, so that the instances of a cluster do not all reconnect at once.
		this.reconnectDelay = Delay.equalJitter(Duration.ofMillis(10), maxDelay, 10, TimeUnit.MILLISECONDS);
	}

	@Override
	public Delay reconnectDelay() {
		return this.reconnectDelay;
	}

	@Override
	public Future<Boolean> shutdown() {
		return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
	}

	@Override
	public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit timeUnit) {
		return shutdown();
	}

	@Override
	public Builder mutate() {
		return this.application.mutate().reconnectDelay(this.reconnectDelay);
	}

	@Override
	public AddressResolverGroup<?> addressResolverGroup() {
		return this.application.addressResolverGroup();
	}

	@Override
	public EventPublisherOptions commandLatencyPublisherOptions() {
		return this.application.commandLatencyPublisherOptions();
	}

	@Override
	public CommandLatencyRecorder commandLatencyRecorder() {
		return this.application.commandLatencyRecorder();
	}

	@Override
	public int computationThreadPoolSize() {
		return this.application.computationThreadPoolSize();
	}

	@Override
	public DnsResolver dnsResolver() {
		return this.application.dnsResolver();
	}

	@Override
	public EventBus eventBus() {
		return this.application.eventBus();
	}

	@Override
	public EventLoopGroupProvider eventLoopGroupProvider() {
		return this.application.eventLoopGroupProvider();
	}

	@Override
	public EventExecutorGroup eventExecutorGroup() {
		return this.application.eventExecutorGroup();
	}

	@Override
	public int ioThreadPoolSize() {
		return this.application.ioThreadPoolSize();
	}

	@Override
	public NettyCustomizer nettyCustomizer() {
		return this.application.nettyCustomizer();
	}

	@Override
	public SocketAddressResolver socketAddressResolver() {
		return this.application.socketAddressResolver();
	}

	@Override
	public Timer timer() {
		return this.application.timer();
	}

	@Override
	public Tracing tracing() {
		return this.application.tracing();
	}

}
