#!/usr/bin/env bash
# Throughput of the sample application with the starter enabled and disabled, measured
# with wrk on this machine: the application is pinned to CPU 0 and wrk to CPU 1, and the
# two variants alternate for several rounds so that drifts of the machine hit both.
#
# Usage (after ./mvnw -pl graceful-shutdown-sample -am package -DskipTests):
#   graceful-shutdown-benchmarks/throughput.sh
# Environment: ROUNDS (default 5), DURATION of each measurement (default 20s),
# CONNECTIONS (default 32), PORT (default 18080).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=graceful-shutdown-sample/target/graceful-shutdown-sample.jar
rounds=${ROUNDS:-5}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-32}
port=${PORT:-18080}
url="http://127.0.0.1:${port}/work?millis=0"
results=$(mktemp)
app_pid=

stop_app() {
	if [[ -n "${app_pid}" ]] && kill -0 "${app_pid}" 2>/dev/null; then
		kill "${app_pid}"
		wait "${app_pid}" 2>/dev/null || true
	fi
	app_pid=
}
trap 'stop_app; rm -f "${results}"' EXIT

start_app() {
	taskset -c 0 java -Xms512m -Xmx512m -jar "${jar}" --server.port="${port}" --server.address=127.0.0.1 \
		--graceful-shutdown.enabled="$1" --logging.level.root=warn >/dev/null 2>&1 &
	app_pid=$!
	for _ in $(seq 1 120); do
		if curl -fs "http://127.0.0.1:${port}/actuator/health/readiness" >/dev/null; then
			return
		fi
		sleep 0.5
	done
	echo "The application did not become ready" >&2
	exit 1
}

measure() {
	taskset -c 1 wrk -t1 -c"${connections}" -d"$1" "${url}" | awk '/Requests\/sec/ { print $2 }'
}

for round in $(seq 1 "${rounds}"); do
	for enabled in true false; do
		start_app "${enabled}"
		measure 10s >/dev/null
		rps=$(measure "${duration}")
		stop_app
		echo "${round} ${enabled} ${rps}" | tee -a "${results}"
	done
done

median() {
	awk -v enabled="$1" '$2 == enabled { print $3 }' "${results}" | sort -n |
		awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : (values[NR / 2] + values[NR / 2 + 1]) / 2 }'
}
with=$(median true)
without=$(median false)
echo
echo "median requests/s with the starter:    ${with}"
echo "median requests/s without the starter: ${without}"
awk -v with="${with}" -v without="${without}" 'BEGIN { printf "difference: %+.2f%%\n", (with - without) / without * 100 }'
