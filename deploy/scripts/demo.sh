#!/usr/bin/env bash
# The Data Factory demo, on one Debian 12 machine, everything on loopback:
#   1. installs what is missing, fetches the sample street video, builds (release preset);
#   2. starts factory-sim, drift-monitor, the lab's web gateway (prints the page's URL) and a
#      real Prometheus server;
#   3. shows the simulator's Act I–III dashboards (factory-cli);
#   4. feeds vtest.avi as two doorbell streams, one with a simulated firmware
#      white-balance change half way, and prints the drift verdicts;
#   5. waits for Prometheus to fire the StreamDrifting alert (read from its alerts API);
#   6. shuts everything down cleanly and says where the logs are.
#
# Usage: bash deploy/scripts/demo.sh [--keep-running]
#   --keep-running (or DF_DEMO_KEEP=1): leave the services up for exploring until Ctrl-C.
# Ports (loopback): factory-sim 50051 (metrics 9451), drift-monitor 50061 (metrics 9461),
# the lab page 8080 (DF_GATEWAY_PORT overrides), Prometheus 9090 (DF_PROMETHEUS_PORT).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

keep=${DF_DEMO_KEEP:-0}
for arg in "$@"; do
  case "$arg" in
    --keep-running) keep=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
prom_port=${DF_PROMETHEUS_PORT:-9090}
gateway_port=${DF_GATEWAY_PORT:-8080}
python=/usr/bin/python3

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Installing what is missing, fetching the sample video, building"
bash deploy/scripts/install-deps.sh
video=$(bash deploy/scripts/fetch-sample-video.sh)
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)" \
  --target factory-sim drift_monitor lab-gateway factory-cli camera_feeder >/dev/null
bin() { find build/release -type f -perm -u+x -name "$1" -print -quit; }
factory_sim=$(bin factory-sim); drift_monitor=$(bin drift-monitor)
factory_cli=$(bin factory-cli); feeder=$(bin camera-feeder); gateway=$(bin lab-gateway)

for port in 50051 9451 50061 9461 "$gateway_port" "$prom_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "demo: port 127.0.0.1:$port is already in use (another demo running?)" >&2
    exit 1
  fi
done

run="$root/.cache/demo/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run"
pids=()
cleanup() {
  local status=$?
  if [ ${#pids[@]} -gt 0 ]; then
    step "Shutting down (SIGTERM, graceful drain)"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
  echo "Logs: $run"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting factory-sim, drift-monitor, the lab gateway and Prometheus (logs in $run)"
"$factory_sim" --audit_dir="$run/audit" >"$run/factory-sim.log" 2>&1 & pids+=($!)
"$drift_monitor" >"$run/drift-monitor.log" 2>&1 & pids+=($!)
"$gateway" --http_address="127.0.0.1:$gateway_port" >"$run/lab-gateway.log" 2>&1 & pids+=($!)
prometheus --config.file=deploy/prometheus/prometheus.yml --storage.tsdb.path="$run/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$run/prometheus.log" 2>&1 & pids+=($!)

wait_http() {  # URL, what
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "demo: $2 did not come up (see $run)" >&2
  return 1
}
wait_http http://127.0.0.1:9451/metrics factory-sim
wait_http http://127.0.0.1:9461/metrics drift-monitor
wait_http "http://127.0.0.1:$prom_port/-/ready" Prometheus
wait_http "http://127.0.0.1:$gateway_port/healthz" lab-gateway
echo "The lab in the browser: http://127.0.0.1:$gateway_port"

step "Act I — data gravity: 1 PB, 3,000 miles, 10-day deadline, 1 Gbps fiber"
"$factory_cli" evaluate --scenario act1
step "Act I — the same petabyte on shipped Snowball devices"
"$factory_cli" evaluate --scenario act1 --set transfer_method=snowball
step "Act II — the feeding tax: ResNet-50 on 8×A100 reading a 250 MB/s cloud disk"
"$factory_cli" evaluate --scenario act2
step "Act II — the same job on local NVMe"
"$factory_cli" evaluate --scenario act2 --set storage_tier=nvme
step "Act III — the drift detector on a synthetic doorbell fleet"
"$factory_cli" evaluate --scenario act3

step "Feeding vtest.avi: porto-door-1 gets a firmware update at frame 400 (blue gain ×1.08); lisbon-door-1 does not"
"$feeder" --video="$video" --stream=porto-door-1 --labels=city=porto,firmware=2.1 \
  --wb_shift_at=400 --wb_gains=1,1,1.08 --fps=50 --progress_every=200 \
  >"$run/feeder-porto.log" 2>&1 & porto=$!
"$feeder" --video="$video" --stream=lisbon-door-1 --labels=city=lisbon,firmware=2.0 \
  --fps=50 --progress_every=200 >"$run/feeder-lisbon.log" 2>&1 & lisbon=$!
feed_status=0
wait "$porto" || feed_status=$?
wait "$lisbon" || feed_status=$?
echo "-- porto-door-1 (shifted):"; tail -n 6 "$run/feeder-porto.log"
echo "-- lisbon-door-1 (unaltered):"; tail -n 6 "$run/feeder-lisbon.log"
[ "$feed_status" -eq 0 ] || { echo "demo: a feeder failed (logs in $run)" >&2; exit 1; }

step "Waiting for Prometheus to fire StreamDrifting (alerts API)"
firing=""
for _ in $(seq 1 90); do
  firing=$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/alerts" | $python -c '
import json, sys
alerts = json.load(sys.stdin)["data"]["alerts"]
print(" ".join(sorted(a["labels"].get("stream", "") for a in alerts
                      if a["labels"]["alertname"] == "StreamDrifting" and a["state"] == "firing")))
' || true)
  case " $firing " in *" porto-door-1 "*) break ;; esac
  sleep 2
done
case " $firing " in
  *" porto-door-1 "*) ;;
  *) echo "demo: StreamDrifting did not fire for porto-door-1 within 3 minutes (logs in $run)" >&2
     exit 1 ;;
esac
case " $firing " in
  *" lisbon-door-1 "*) echo "demo: StreamDrifting fired for the unaltered lisbon-door-1 (logs in $run)" >&2
     exit 1 ;;
esac
echo "StreamDrifting is FIRING for: $firing"
curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" \
  --data-urlencode 'query=drift_monitor_drift_detected' | $python -c '
import json, sys
for r in json.load(sys.stdin)["data"]["result"]:
    print("  drift_monitor_drift_detected{stream=%s} = %s" % (r["metric"].get("stream"), r["value"][1]))
'

if [ "$keep" = 1 ]; then
  step "Services are running — explore, then press Ctrl-C"
  cat <<MSG
  The lab page:    http://127.0.0.1:$gateway_port  (levers, live run, "Use my camera")
  Prometheus:      http://127.0.0.1:$prom_port  (alerts: http://127.0.0.1:$prom_port/alerts)
  drift-monitor:   grpc 127.0.0.1:50061, metrics http://127.0.0.1:9461/metrics
  factory-sim:     grpc 127.0.0.1:50051, metrics http://127.0.0.1:9451/metrics
  Try:             grpcurl -plaintext 127.0.0.1:50061 list
                   $factory_cli watch --scenario act2
MSG
  while true; do sleep 3600; done
fi
step "Demo complete"
