#!/usr/bin/env bash
# What the starter allocates at startup, by counts that do not depend on the load of the
# machine: the bytes the main thread allocates until the application has started (the
# context refreshed and the web server started, before the first request), the classes
# loaded by then, and the beans of the starter (its types and what its configuration
# classes declare). StartupApplication on the sample's libraries, with and without the
# starter's jar, as in startup.sh; COMPARE_STARTER=<jar> adds a run with another build
# of the starter. The JIT compiler is limited to C1 (-XX:TieredStopAtLevel=1): C2's escape
# analysis removes allocations depending on when methods were compiled, C1 leaves the
# count the same from one run to the next (within a few KB). The JVM is pinned to one CPU,
# as in startup.sh, so it picks the same (serial) collector.
#
# Usage (after ./mvnw -pl graceful-shutdown-sample,graceful-shutdown-benchmarks -am package -DskipTests):
#   graceful-shutdown-benchmarks/startup-allocation.sh [application arguments]
# for example --spring.autoconfigure.exclude=<an auto-configuration of the starter> to see
# what one part costs.
# Environment: RUNS (default 2), JAVA_OPTS (default -Xmx512m -XX:TieredStopAtLevel=1), CPU
# the JVM is pinned to (default 0), COMPARE_STARTER, and MODE: jvm (the default), aot (each
# classpath processed ahead of time by Spring Boot, then run with spring.aot.enabled), cds
# (each run from a class data sharing archive that a first, uncounted run of the same
# classpath dumped) or aot-cds (both).
set -euo pipefail
cd "$(dirname "$0")/.."

sample_jar=graceful-shutdown-sample/target/graceful-shutdown-sample.jar
app_classes=graceful-shutdown-benchmarks/target/classes
runs=${RUNS:-2}
read -r -a java_opts <<<"${JAVA_OPTS:--Xmx512m -XX:TieredStopAtLevel=1}"
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

if [[ ! -e "${sample_jar}" || ! -e "${app_classes}/io/github/gracefulshutdown/startup/StartupAllocation.class" ]]; then
	echo "Build first (see the usage at the top of this script)" >&2
	exit 1
fi
unzip -q "${sample_jar}" 'BOOT-INF/lib/*' -d "${work}/sample"
all_libs=$(find "${work}/sample/BOOT-INF/lib" -name '*.jar' | sort)
starter_jar=$(grep '/graceful-shutdown-spring-boot-starter-[^/]*\.jar$' <<<"${all_libs}")
names=("with the starter" "without it")
classpaths=("${app_classes}:$(paste -s -d: <<<"${all_libs}")"
	"${app_classes}:$(grep -v -x -F "${starter_jar}" <<<"${all_libs}" | paste -s -d:)")
if [[ -n "${COMPARE_STARTER:-}" ]]; then
	names+=("with ${COMPARE_STARTER}")
	classpaths+=("${app_classes}:$(awk -v starter="${starter_jar}" -v other="$(realpath "${COMPARE_STARTER}")" \
		'{ print ($0 == starter) ? other : $0 }' <<<"${all_libs}" | paste -s -d:)")
fi
app_args=(--server.port=0 --server.address=127.0.0.1 --management.endpoint.health.probes.enabled=true "$@")
mode=${MODE:-jvm}
case "${mode}" in
jvm) ;;
aot | cds | aot-cds)
	# Class data sharing takes jars only: the application's classes, and what AOT generates
	jar cf "${work}/app.jar" -C "${app_classes}" .
	for i in "${!names[@]}"; do
		classpaths[i]="${work}/app.jar:${classpaths[i]#"${app_classes}:"}"
		if [[ "${mode}" == aot* ]]; then
			aot="${work}/aot-${i}"
			mkdir -p "${aot}/sources" "${aot}/classes"
			java -cp "${classpaths[i]}" org.springframework.boot.SpringApplicationAotProcessor \
				io.github.gracefulshutdown.startup.StartupApplication "${aot}/sources" "${aot}/classes" "${aot}/classes" \
				io.github.gracefulshutdown startup "${app_args[@]}" > "${aot}/processing.log"
			find "${aot}/sources" -name '*.java' -print0 | xargs -0 javac -nowarn -d "${aot}/classes" -cp "${classpaths[i]}"
			jar cf "${aot}.jar" -C "${aot}/classes" .
			classpaths[i]="${aot}.jar:${classpaths[i]}"
		fi
	done
	if [[ "${mode}" == aot* ]]; then
		java_opts+=(-Dspring.aot.enabled=true)
	fi
	;;
*)
	echo "MODE is ${mode}: use jvm, aot, cds or aot-cds" >&2
	exit 1
	;;
esac
if [[ "${mode}" == *cds ]]; then
	for i in "${!names[@]}"; do
		taskset -c "${CPU:-0}" java "${java_opts[@]}" -XX:ArchiveClassesAtExit="${work}/${i}.jsa" -cp "${classpaths[i]}" \
			io.github.gracefulshutdown.startup.StartupAllocation "${app_args[@]}" > /dev/null
	done
fi
for run in $(seq 1 "${runs}"); do
	for i in "${!names[@]}"; do
		archive=()
		if [[ "${mode}" == *cds ]]; then
			archive=(-XX:SharedArchiveFile="${work}/${i}.jsa" -Xshare:on)
		fi
		result=$(taskset -c "${CPU:-0}" java "${java_opts[@]}" "${archive[@]}" -cp "${classpaths[i]}" \
			io.github.gracefulshutdown.startup.StartupAllocation "${app_args[@]}" | grep '^allocated_bytes')
		echo "${run} ${names[i]}: ${result}"
	done
done
