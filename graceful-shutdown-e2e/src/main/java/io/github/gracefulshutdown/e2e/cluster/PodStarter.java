package io.github.gracefulshutdown.e2e.cluster;

import java.io.IOException;

import io.github.gracefulshutdown.e2e.process.SampleInstance;

/**
 * Starts the replacement of a pod, as the Deployment's ReplicaSet does.
 */
@FunctionalInterface
public interface PodStarter {

	/**
	 * Starts a new instance for the pod and returns once it is ready.
	 * @param pod the pod
	 * @return the ready instance
	 * @throws IOException if it cannot be started
	 */
	SampleInstance start(String pod) throws IOException;

}
