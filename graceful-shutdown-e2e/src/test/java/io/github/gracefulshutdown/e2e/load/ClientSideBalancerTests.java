package io.github.gracefulshutdown.e2e.load;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClientSideBalancer}.
 */
class ClientSideBalancerTests {

	private final ClientSideBalancer balancer = new ClientSideBalancer();

	@Test
	void withoutEndpointsThereIsNowhereToSend() {
		assertThat(this.balancer.next()).isNull();
	}

	@Test
	void sendsToEachInstanceInTurn() {
		this.balancer.add("pod1", "pod1-v1", 41001);
		this.balancer.add("pod2", "pod2-v1", 41002);

		assertThat(Stream.generate(this.balancer::next).limit(4).map(Route::instance)).containsExactly("pod1-v1",
				"pod2-v1", "pod1-v1", "pod2-v1");
	}

	@Test
	void aRemovedPodGetsNoMoreRequestsAndItsReplacementTakesItsPlace() {
		this.balancer.add("pod1", "pod1-v1", 41001);
		this.balancer.add("pod2", "pod2-v1", 41002);

		this.balancer.remove("pod1");
		assertThat(Stream.generate(this.balancer::next).limit(3).map(Route::instance)).containsOnly("pod2-v1");

		this.balancer.add("pod1", "pod1-v2", 41003);
		assertThat(Stream.generate(this.balancer::next).limit(4).map(Route::instance))
			.containsExactlyInAnyOrder("pod1-v2", "pod2-v1", "pod1-v2", "pod2-v1");
		assertThat(Stream.generate(this.balancer::next).limit(2).map((route) -> route.baseUri().toString()))
			.contains("http://127.0.0.1:41003");
	}

}
