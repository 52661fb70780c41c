package io.github.gracefulshutdown.sample;

import java.util.List;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A Prometheus Operator {@code PodMonitor} ({@code monitoring.coreos.com/v1}), with the
 * fields of its specification that the sample's manifests use. fabric8 has no model for
 * it; these records stand in for one, and read as strictly: a field that is not declared
 * here fails. Declare a field here before a manifest uses it.
 *
 * @param apiVersion {@code monitoring.coreos.com/v1}
 * @param kind {@code PodMonitor}
 * @param metadata the object's metadata
 * @param spec which pods to scrape, and how
 */
record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

	/**
	 * The specification.
	 *
	 * @param selector the pods to scrape, in Kubernetes' own model
	 * @param podTargetLabels the pod labels copied onto every series scraped from the pod
	 * @param podMetricsEndpoints where to scrape each pod
	 */
	record Spec(LabelSelector selector, List<String> podTargetLabels, List<Endpoint> podMetricsEndpoints) {

	}

	/**
	 * Where to scrape a pod.
	 *
	 * @param port the name of a container port
	 * @param path the path of the metrics
	 * @param interval how often to scrape
	 */
	record Endpoint(String port, String path, String interval) {

	}

}
