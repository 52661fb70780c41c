#!/usr/bin/env bash
# Startup cost of the starter: the same small web application launched with the starter
# on its classpath and without it.
#
# The application is StartupApplication of this module: one controller, no code of the
# starter. It runs on the libraries of the sample application (Spring MVC on Tomcat,
# actuator, Prometheus, WebSocket), unpacked from the sample's jar: A with all of them, B
# and C without the starter's jar, which is the only difference (the starter's other
# dependencies are optional, or needed by the application anyway). C is a control: it is
# the same as B, so its difference from B is the noise of the comparison.
#
# Each run launches the JVM, pinned to CPU 0, polls /actuator/health/readiness from CPU 1
# every 10 ms until it answers 200, then records the time since launch, the CPU time the
# process has used (/proc/<pid>/stat), its peak RSS so far (VmHWM) and the classes it has
# loaded (jstat, which reads the JVM's performance counters without attaching to it), then
# sends SIGTERM and records the time the process takes to exit and its CPU time in all
# (/usr/bin/time). After one uncounted run of each, runs rotate between the instances
# (BCA, CAB, ABC, ...) so that whatever else the machine does hits all alike; the results
# are medians and the median of the differences from B within each rotation.
#
# Usage (after ./mvnw -pl graceful-shutdown-sample,graceful-shutdown-benchmarks -am package -DskipTests):
#   graceful-shutdown-benchmarks/startup.sh
# Environment: ROTATIONS (default 6), CPU the application is pinned to (default 0; "all"
# pins nothing), JAVA_OPTS (default -Xmx512m), PORT (default 18090), CLASS_LOG, a folder
# where each run writes its -Xlog:class+load log (off by default, as logging slows startup),
# and COMPARE_STARTER, the jar of another build of the starter, run as a fourth instance D
# in place of the sample's (to compare two builds in the same conditions).
set -euo pipefail
cd "$(dirname "$0")/.."

sample_jar=graceful-shutdown-sample/target/graceful-shutdown-sample.jar
app_classes=graceful-shutdown-benchmarks/target/classes
rotations=${ROTATIONS:-6}
cpu=${CPU:-0}
read -r -a java_opts <<<"${JAVA_OPTS:--Xmx512m}"
port=${PORT:-18090}
class_log=${CLASS_LOG:-}
compare_starter=${COMPARE_STARTER:-}
ticks=$(getconf CLK_TCK)
work=$(mktemp -d)
results=${work}/results
pid=

stop_app() {
	if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
		kill "${pid}"
	fi
}
trap 'stop_app; rm -rf "${work}"' EXIT

for file in "${sample_jar}" "${app_classes}/io/github/gracefulshutdown/startup/StartupApplication.class"; do
	if [[ ! -e "${file}" ]]; then
		echo "${file} is missing: build it first (see the usage at the top of this script)" >&2
		exit 1
	fi
done
unzip -q "${sample_jar}" 'BOOT-INF/lib/*' -d "${work}/sample"
all_libs=$(find "${work}/sample/BOOT-INF/lib" -name '*.jar' | sort)
starter_jar=$(grep '/graceful-shutdown-spring-boot-starter-[^/]*\.jar$' <<<"${all_libs}")
without_starter=$(grep -v -x -F "${starter_jar}" <<<"${all_libs}")
classpath_with="${app_classes}:$(paste -s -d: <<<"${all_libs}")"
classpath_without="${app_classes}:$(paste -s -d: <<<"${without_starter}")"

if [[ "${cpu}" == all ]]; then
	pin_app=()
	pin_poller=()
else
	pin_app=(taskset -c "${cpu}")
	pin_poller=(taskset -c "$(((cpu + 1) % $(nproc)))")
fi

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

cpu_ms() {
	awk -v ticks="${ticks}" '{ print ($14 + $15) * 1000 / ticks }' "/proc/$1/stat"
}

# Launches one instance, waits until it is ready, and prints: ready_ms cpu_ready_ms
# hwm_ready_kib classes stop_ms cpu_total_ms max_rss_kib
run() {
	local name=$1 classpath=$2 log=()
	if [[ -n "${class_log}" ]]; then
		mkdir -p "${class_log}"
		log=("-Xlog:class+load=info:file=${class_log}/${name}-$3.log")
	fi
	local start ready stopping ended
	start=$(now_ms)
	/usr/bin/time -f '%U %S %M' -o "${work}/time" "${pin_app[@]}" java "${java_opts[@]}" "${log[@]}" \
		-cp "${classpath}" io.github.gracefulshutdown.startup.StartupApplication --server.port="${port}" \
		--server.address=127.0.0.1 --management.endpoint.health.probes.enabled=true >"${work}/out" 2>&1 &
	local time_pid=$!
	pid=
	for _ in $(seq 1 100); do
		pid=$(pgrep -P "${time_pid}" || true)
		[[ -n "${pid}" ]] && break
		sleep 0.01
	done
	until "${pin_poller[@]}" curl -fs -o /dev/null "http://127.0.0.1:${port}/actuator/health/readiness"; do
		if ! kill -0 "${pid}" 2>/dev/null; then
			echo "${name} exited before it was ready:" >&2
			cat "${work}/out" >&2
			exit 1
		fi
		sleep 0.01
	done
	ready=$(now_ms)
	local cpu_ready hwm classes
	cpu_ready=$(cpu_ms "${pid}")
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/${pid}/status")
	classes=$("${pin_poller[@]}" jstat -class "${pid}" | awk 'NR == 2 { print $1 }')
	stopping=$(now_ms)
	kill "${pid}"
	wait "${time_pid}" || true
	ended=$(now_ms)
	pid=
	echo "$((ready - start)) ${cpu_ready} ${hwm} ${classes} $((ended - stopping))" \
		"$(tail -n 1 "${work}/time" | awk '{ print ($1 + $2) * 1000, $3 }')"
}

median() {
	sort -n | awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}

names=(A B C)
classpaths=("${classpath_with}" "${classpath_without}" "${classpath_without}")
if [[ -n "${compare_starter}" ]]; then
	names+=(D)
	# In the place of the sample's starter, as the order of the classpath matters a little
	compare_libs=$(awk -v starter="${starter_jar}" -v other="$(realpath "${compare_starter}")" \
		'{ print ($0 == starter) ? other : $0 }' <<<"${all_libs}")
	classpaths+=("${app_classes}:$(paste -s -d: <<<"${compare_libs}")")
fi
count=${#names[@]}
# One run of each first, not counted: it fills the page cache.
for i in "${!names[@]}"; do
	run "${names[i]}" "${classpaths[i]}" 0 >/dev/null
done
echo "rotation instance ready_ms cpu_ready_ms hwm_ready_kib classes stop_ms cpu_total_ms max_rss_kib"
for rotation in $(seq 1 "${rotations}"); do
	for step in $(seq 0 $((count - 1))); do
		i=$(((rotation + step) % count))
		echo "${rotation} ${names[i]} $(run "${names[i]}" "${classpaths[i]}" "${rotation}")" | tee -a "${results}"
	done
done

columns=(ready_ms cpu_ready_ms hwm_ready_kib classes stop_ms cpu_total_ms max_rss_kib)
# The median of the differences within each rotation, of the given instance from B: in
# the metric's unit, and in percent.
difference() {
	awk -v other="$1" -v field="$2" -v percent="$3" '
		$2 == other { value[$1] = $field } $2 == "B" { base[$1] = $field }
		END { for (r in base) if (base[r] > 0) print percent ? (value[r] - base[r]) / base[r] * 100 : value[r] - base[r] }' \
		"${results}" | median
}
others=()
for name in "${names[@]}"; do
	[[ "${name}" != B ]] && others+=("${name}")
done
echo
printf "%-14s" metric
for name in "${names[@]}"; do
	printf " %10s" "${name}"
done
for name in "${others[@]}"; do
	printf " %18s" "${name}-B"
done
echo
for c in "${!columns[@]}"; do
	field=$((c + 3))
	printf "%-14s" "${columns[c]}"
	for name in "${names[@]}"; do
		printf " %10s" "$(awk -v name="${name}" -v field="${field}" '$2 == name { print $field }' "${results}" | median)"
	done
	for name in "${others[@]}"; do
		printf " %+8.0f (%+5.1f%%)" "$(difference "${name}" "${field}" 0)" "$(difference "${name}" "${field}" 1)"
	done
	echo
done
echo "A: the sample's libraries with the starter; B: without it; C: the same as B, a control${compare_starter:+; D: with ${compare_starter}}"
