package io.github.gracefulshutdown.e2e.haproxy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HaproxyConfiguration}.
 */
class HaproxyConfigurationTests {

	@Test
	void rendersAFrontendOnLoopbackAndABackendHealthCheckedOnReadiness() {
		Map<String, Integer> servers = new LinkedHashMap<>();
		servers.put("pod1", 41001);
		servers.put("pod2", 41002);

		String config = new HaproxyConfiguration(40000, Path.of("/tmp/h/admin.sock"), servers, true).render();

		assertThat(config).contains("\tstats socket /tmp/h/admin.sock level admin\n")
			.contains("\tbind 127.0.0.1:40000\n")
			.contains("\toption httpchk GET /actuator/health/readiness\n")
			.contains("\thttp-check expect status 200\n")
			.contains("\tdefault-server inter 500ms fall 2 rise 2\n")
			.contains("\toption http-keep-alive\n")
			.contains("\thttp-reuse safe\n");
		assertThat(config.indexOf("server pod1 127.0.0.1:41001 check")).isPositive()
			.isLessThan(config.indexOf("server pod2 127.0.0.1:41002 check"));
	}

	@Test
	void withoutHealthChecksTheServersAreNeitherCheckedNorProbed() {
		Map<String, Integer> servers = new LinkedHashMap<>();
		servers.put("pod1", 41001);
		servers.put("pod2", 41002);

		String config = new HaproxyConfiguration(40000, Path.of("/tmp/h/admin.sock"), servers, false).render();

		assertThat(config).contains("\tserver pod1 127.0.0.1:41001\n", "\tserver pod2 127.0.0.1:41002\n")
			.contains("\tbind 127.0.0.1:40000\n", "\toption http-keep-alive\n", "\thttp-reuse safe\n")
			.doesNotContain(" check", "httpchk", "http-check", "inter ");
	}

}
