#!/usr/bin/env bash
# Install Debian's redis-server for the DSE queue tests (test/dse/queue.test.ts starts its own
# server on a free port in a temporary folder). Unlike Chromium this is required: under CI=true
# the queue tests fail when redis-server is missing, so a failed install fails the run.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: $(redis-server --version)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The package's own service is not needed (and may not start in a container): the tests start theirs.
$SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
echo "install-redis: installed $(redis-server --version)"
