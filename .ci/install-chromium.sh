#!/usr/bin/env bash
# Install Debian's Chromium for the report rendering test (test/report/report.test.ts drives it
# through playwright-core at /usr/bin/chromium). Best effort: without it (no root, no network, not
# Debian) the test skips the browser part with a message and still checks the SVGs structurally,
# so this script never fails the CI run.
set -u
if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: /usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not available; the browser rendering test will be skipped"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "install-chromium: not root and no passwordless sudo; the browser rendering test will be skipped"
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
else
  echo "install-chromium: installation failed; the browser rendering test will be skipped"
fi
exit 0
