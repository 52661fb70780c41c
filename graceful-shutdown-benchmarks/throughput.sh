#!/usr/bin/env bash
# Throughput of the sample application with the starter enabled and disabled, measured
# with wrk on this machine.
#
# Each round starts three instances pinned to CPU 0: one with the starter (A) and two
# without (B, and C as a control); wrk, pinned to CPU 1, loads one of them at a time.
# After a warm-up of each, long enough for the JIT compiler to finish (on one CPU the C2
# compiler needs one to two minutes of load), short measurements rotate between the three
# (ABC, BCA, CAB, ...) so that whatever else the machine does hits all alike. Each
# rotation gives the difference of A from B, the cost of the starter, and of C from B,
# which should be zero: two JVMs of the same application differ by a few percent for as
# long as they live, as the JIT compiler does not make the same choices twice, and the
# control shows how large that noise is. Rounds start fresh JVMs; the results are the
# medians of all the differences.
#
# Usage (after ./mvnw -pl graceful-shutdown-sample -am package -DskipTests):
#   graceful-shutdown-benchmarks/throughput.sh
# and, for WebFlux on Reactor Netty (after packaging graceful-shutdown-sample-webflux):
#   SAMPLE=graceful-shutdown-sample-webflux graceful-shutdown-benchmarks/throughput.sh
# Environment: SAMPLE module (default graceful-shutdown-sample), ROUNDS (default 3), ROTATIONS per round (default 6), MEASUREMENT length
# (default 10s), WARMUP of each instance (default 90s), CONNECTIONS (default 32), PORT of
# the first instance (default 18080; the others get the next two).
set -euo pipefail
cd "$(dirname "$0")/.."

sample=${SAMPLE:-graceful-shutdown-sample}
jar=${sample}/target/${sample}.jar
rounds=${ROUNDS:-3}
rotations=${ROTATIONS:-6}
measurement=${MEASUREMENT:-10s}
warmup=${WARMUP:-90s}
connections=${CONNECTIONS:-32}
base_port=${PORT:-18080}
ports=("${base_port}" $((base_port + 1)) $((base_port + 2)))
starter_enabled=(true false false)
results=$(mktemp)
pids=()

stop_apps() {
	for pid in "${pids[@]}"; do
		if kill -0 "${pid}" 2>/dev/null; then
			kill "${pid}"
			wait "${pid}" 2>/dev/null || true
		fi
	done
	pids=()
}
trap 'stop_apps; rm -f "${results}"' EXIT

start_app() {
	taskset -c 0 java -Xms512m -Xmx512m -jar "${jar}" --server.port="$1" --server.address=127.0.0.1 \
		--graceful-shutdown.enabled="$2" --logging.level.root=warn >/dev/null 2>&1 &
	pids+=($!)
}

await_ready() {
	for _ in $(seq 1 120); do
		if curl -fs "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; then
			return
		fi
		sleep 0.5
	done
	echo "The application on port $1 did not become ready" >&2
	exit 1
}

measure() {
	taskset -c 1 wrk -t1 -c"${connections}" -d"$2" "http://127.0.0.1:$1/work?millis=0" |
		awk '/Requests\/sec/ { print $2 }'
}

median() {
	sort -n | awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}

echo "round rotation A_with_starter B_without C_without"
for round in $(seq 1 "${rounds}"); do
	for i in 0 1 2; do
		start_app "${ports[i]}" "${starter_enabled[i]}"
	done
	for i in 0 1 2; do
		await_ready "${ports[i]}"
	done
	for i in 0 1 2; do
		measure "${ports[i]}" "${warmup}" >/dev/null
	done
	for rotation in $(seq 1 "${rotations}"); do
		rps=()
		for step in 0 1 2; do
			i=$(((rotation + step) % 3))
			rps[i]=$(measure "${ports[i]}" "${measurement}")
		done
		echo "${round} ${rotation} ${rps[0]} ${rps[1]} ${rps[2]}" | tee -a "${results}"
	done
	stop_apps
done

echo
for i in 3 4 5; do
	printf "median requests/s of %s: %s\n" "$(echo A B C | cut -d' ' -f$((i - 2)))" \
		"$(awk -v column="${i}" '{ print $column }' "${results}" | median)"
done
for round in $(seq 1 "${rounds}"); do
	printf "round %d: A (starter) %+.2f%%, C (control) %+.2f%% from B\n" "${round}" \
		"$(awk -v round="${round}" '$1 == round { print ($3 - $4) / $4 * 100 }' "${results}" | median)" \
		"$(awk -v round="${round}" '$1 == round { print ($5 - $4) / $4 * 100 }' "${results}" | median)"
done
printf "all rounds: A (starter) %+.2f%%, C (control) %+.2f%% from B\n" \
	"$(awk '{ print ($3 - $4) / $4 * 100 }' "${results}" | median)" \
	"$(awk '{ print ($5 - $4) / $4 * 100 }' "${results}" | median)"
