package io.github.gracefulshutdown.e2e.haproxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ServerStatistics}.
 */
class ServerStatisticsTests {

	private static final String STATISTICS = """
			# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,
			ingress,FRONTEND,,,0,2,4096,10,1000,2000,0,0,0,,,,,OPEN,,
			pods,pod1,0,0,0,1,,5,500,1000,,0,,0,0,0,0,MAINT,1,
			pods,pod2,0,0,0,1,,5,500,1000,,0,,0,0,0,0,UP 1/2,1,
			pods,BACKEND,0,0,0,1,410,10,1000,2000,0,0,,0,0,0,0,UP,1,
			""";

	@Test
	void findsTheStatusColumnOfAServerByItsHeader() {
		assertThat(ServerStatistics.status(STATISTICS, "pods", "pod1")).isEqualTo("MAINT");
		assertThat(ServerStatistics.status(STATISTICS, "pods", "pod2")).isEqualTo("UP 1/2");
	}

	@Test
	void aServerIsInServiceWhenUpOrWhenItIsNotHealthChecked() {
		assertThat(ServerStatistics.inService("UP")).isTrue();
		assertThat(ServerStatistics.inService("UP 1/2")).isTrue();
		assertThat(ServerStatistics.inService("no check")).isTrue();
		assertThat(ServerStatistics.inService("MAINT")).isFalse();
		assertThat(ServerStatistics.inService("DOWN")).isFalse();
	}

	@Test
	void whenTheServerIsMissingThenItSaysSo() {
		assertThatIllegalStateException().isThrownBy(() -> ServerStatistics.status(STATISTICS, "pods", "pod3"))
			.withMessageContaining("pods/pod3");
	}

	@Test
	void whenTheAnswerIsNotStatisticsThenItSaysSo() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ServerStatistics.status("Unknown command.\n", "pods", "pod1"))
			.withMessageContaining("Unknown command");
	}

}
