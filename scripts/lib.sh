# Shared set-up steps for scripts/run and scripts/test (sourced, not executed).
# Installs what the project needs on a fresh Debian/Ubuntu machine, or says what is missing.

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

# System packages: WeasyPrint's libraries (PDF reports); the test run adds its own.
RUN_APT_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Saknade systempaket (installera dem med din pakethanterare): ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Saknade systempaket: ${missing[*]}" >&2
      echo "Kör som root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
      return 1
    fi
  fi
  echo "Installerar systempaket: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# A virtual environment with the pinned dependencies; reinstalled when pyproject.toml changes.
ensure_venv() {
  local extras="$1"
  if ! "$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
    echo "Python 3.11 krävs (Django 5.2 LTS); hittade: $("$PYTHON" --version 2>&1)" >&2
    return 1
  fi
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  local stamp="$VENV/.installed-$extras"
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  # The test set-up (dev) includes everything the app needs (run).
  if [ "$extras" = "run" ] && [ -f "$VENV/.installed-dev" ] && [ "$(cat "$VENV/.installed-dev")" = "$want" ]; then
    stamp="$VENV/.installed-dev"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installerar Python-paket ($extras) ..."
    "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
    if [ "$extras" = "run" ]; then
      "$VENV/bin/pip" install -q --disable-pip-version-check -e .
    else
      "$VENV/bin/pip" install -q --disable-pip-version-check -e ".[$extras]"
    fi
    echo "$want" > "$stamp"
  fi
  export PATH="$PWD/$VENV/bin:$PATH"
}
