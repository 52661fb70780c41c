package io.github.gracefulshutdown.sample;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

/**
 * A KEDA {@code ScaledObject} ({@code keda.sh/v1alpha1}), with the fields of KEDA's
 * ScaledObject specification (2.15 and later) that the sample's manifests use. fabric8
 * has no model for it; these records stand in for one, and read as strictly: a field that
 * is not declared here fails, so a misspelt {@code initialCooldownPeriod} cannot go
 * unseen. Declare a field here before a manifest uses it.
 *
 * @param apiVersion {@code keda.sh/v1alpha1}
 * @param kind {@code ScaledObject}
 * @param metadata the object's metadata
 * @param spec what to scale, when and on what
 */
record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

	/**
	 * The specification.
	 *
	 * @param scaleTargetRef the workload to scale
	 * @param pollingInterval seconds between two runs of the triggers
	 * @param cooldownPeriod seconds after the last active trigger before scaling to zero
	 * @param initialCooldownPeriod seconds after the creation before the first scale to
	 * zero, when no trigger has been active yet
	 * @param minReplicaCount the fewest replicas
	 * @param maxReplicaCount the most replicas
	 * @param advanced the settings of the HorizontalPodAutoscaler KEDA creates
	 * @param triggers what decides the scale
	 */
	record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
			Integer initialCooldownPeriod, Integer minReplicaCount, Integer maxReplicaCount, Advanced advanced,
			List<Trigger> triggers) {

	}

	/**
	 * The workload to scale, in the ScaledObject's namespace.
	 *
	 * @param apiVersion its API version, {@code apps/v1} when absent
	 * @param kind its kind, {@code Deployment} when absent
	 * @param name its name
	 */
	record ScaleTargetRef(String apiVersion, String kind, String name) {

	}

	/**
	 * Advanced settings.
	 *
	 * @param horizontalPodAutoscalerConfig the settings of the HorizontalPodAutoscaler
	 */
	record Advanced(HorizontalPodAutoscalerConfig horizontalPodAutoscalerConfig) {

	}

	/**
	 * The settings of the HorizontalPodAutoscaler that KEDA creates.
	 *
	 * @param behavior its scaling behaviour, in Kubernetes' own model
	 */
	record HorizontalPodAutoscalerConfig(HorizontalPodAutoscalerBehavior behavior) {

	}

	/**
	 * A trigger.
	 *
	 * @param type the scaler, such as {@code prometheus}
	 * @param metadata the scaler's settings, all strings
	 */
	record Trigger(String type, Map<String, String> metadata) {

	}

}
