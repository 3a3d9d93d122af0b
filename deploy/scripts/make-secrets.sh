#!/usr/bin/env bash
# Makes the secrets the compose and Kubernetes deployments read, for a lab or a test
# cluster: a throw-away CA (its key is deleted once it has signed), a server
# certificate for both services' names, a client certificate, a bearer token and the
# /metrics credentials. A real deployment puts its own PKI's files under the same
# names. Nothing here is committed: the default folders are git-ignored.
#
#   bash deploy/scripts/make-secrets.sh                      # deploy/secrets (compose)
#   bash deploy/scripts/make-secrets.sh deploy/k8s/secrets   # kustomize's secretGenerator
#
# Files: ca.pem, server.pem + server.key, client.pem + client.key, token,
# metrics-user, metrics-password, metrics-auth ("user:password", for the services'
# --metrics_basic_auth_file). An existing complete set is left alone (--force remakes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dir=${1:-deploy/secrets}
force=${2:-}
files=(ca.pem server.pem server.key client.pem client.key token metrics-user
       metrics-password metrics-auth)
complete=1
for f in "${files[@]}"; do [ -s "$dir/$f" ] || complete=0; done
if [ "$complete" = 1 ] && [ "$force" != "--force" ]; then
  echo "make-secrets: $dir is complete (--force remakes it)"
  exit 0
fi
command -v openssl >/dev/null || { echo "make-secrets: needs openssl" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -keyout "$work/ca.key" -out "$dir/ca.pem" -days 365 \
  -subj "/CN=Data Factory lab CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
names="DNS:factory-sim,DNS:drift-monitor,DNS:localhost,IP:127.0.0.1"
for svc in factory-sim drift-monitor drift-monitor-headless; do
  names+=",DNS:$svc.data-factory,DNS:$svc.data-factory.svc,DNS:$svc.data-factory.svc.cluster.local"
done
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$names" > "$work/server.ext"
printf 'extendedKeyUsage=clientAuth\n' > "$work/client.ext"
for name in server client; do
  openssl req "${ec[@]}" -keyout "$dir/$name.key" -out "$work/$name.csr" \
    -subj "/CN=data-factory-$name" 2>/dev/null
  openssl x509 -req -in "$work/$name.csr" -CA "$dir/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -CAserial "$work/ca.srl" -days 365 -extfile "$work/$name.ext" \
    -out "$dir/$name.pem" 2>/dev/null
done
openssl rand -hex 32 > "$dir/token"
echo prometheus > "$dir/metrics-user"
openssl rand -hex 16 > "$dir/metrics-password"
echo "prometheus:$(cat "$dir/metrics-password")" > "$dir/metrics-auth"
# Read inside the containers by other users (uid 10001, Prometheus' nobody): the
# folder itself stays private to its owner.
chmod 644 "$dir"/*
echo "make-secrets: wrote ${files[*]} to $dir"
