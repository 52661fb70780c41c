package io.github.gracefulshutdown.e2e.cluster;

/**
 * Where traffic to the pods goes, as the endpoints controller changes it: a pod is taken
 * out when it is deleted, and a replacement is put in once it is ready.
 */
public interface Endpoints {

	/**
	 * Routes traffic for the pod to the given instance and returns once it is in service.
	 * @param pod the pod, which keeps its name across restarts
	 * @param instance the name of the ready instance that now runs the pod
	 * @param port the port the instance listens on at 127.0.0.1
	 */
	void add(String pod, String instance, int port);

	/**
	 * Stops routing new traffic to the pod.
	 * @param pod the pod
	 */
	void remove(String pod);

}
