#!/usr/bin/env bash
# Install Debian's Chromium for the report rendering test (test/report/report.test.ts drives it
# through playwright-core at /usr/bin/chromium). Under CI a missing browser FAILS that test
# (test/helpers/tools.ts), so this script fails loudly when it cannot install it: no root, no
# apt-get, or the installation failed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: /usr/bin/chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
source "$(dirname "$0")/apt.sh"
apt_install chromium
/usr/bin/chromium --version
