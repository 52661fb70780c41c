package io.github.gracefulshutdown.shutdown;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.test.FaultTestApplication;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.MethodMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's {@code @SpringBootTest} on Kubernetes-hosted CI: closing its context does not
 * drain, so it neither waits for the window nor writes a termination message.
 */
@SpringBootTest(classes = FaultTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.cloud-platform=kubernetes", "server.address=127.0.0.1" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootTestCloseTests {

	@TempDir
	static Path temp;

	private static DrainCoordinator dirtied;

	@Autowired
	private DrainCoordinator coordinator;

	@DynamicPropertySource
	static void terminationMessage(DynamicPropertyRegistry registry) {
		registry.add("graceful-shutdown.termination-message-path", () -> temp.resolve("termination-log").toString());
	}

	@Test
	@Order(1)
	@DirtiesContext(methodMode = MethodMode.AFTER_METHOD)
	void aTestThatDirtiesItsContext() throws Exception {
		Files.createFile(temp.resolve("termination-log"));
		dirtied = this.coordinator;
	}

	@Test
	@Order(2)
	void whenATestContextClosesThenNothingDrains() {
		assertThat(this.coordinator).isNotSameAs(dirtied);
		assertThat(dirtied.state()).isEqualTo(DrainState.SERVING);
		assertThat(temp.resolve("termination-log")).isEmptyFile();
	}

}
