# Shared by the .ci scripts: `apt_install PKG...` installs Debian packages as root (or through
# passwordless sudo) and exits non-zero with a message naming the packages when it cannot.
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ci: apt-get not available; install $* by hand (the tests that need them fail under CI)" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "ci: not root and no passwordless sudo; cannot install $*" >&2
      return 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  echo "ci: installed $*"
}
