#!/usr/bin/env bash
# Installs what the tests need when it is missing: Chromium, its headless shell and chromedriver (for
# the tests of --webdriver) from Debian's packages,
# Xvfb (a virtual display for the test of --headed), node and tsc (Debian's node-typescript) to
# compile the generated client, stunnel4 and openssl (a real TLS terminator and the certificates for
# the tests of https:// and wss:// --connect), libssl3 (what discover's TLS loads at run time),
# openapi-spec-validator (PyPI) to check the generated OpenAPI document, and junitparser (PyPI) to read
# `--junit` files as a CI system does. Quick and silent when everything is there.
set -euo pipefail

need_apt=()
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
command -v chromium-headless-shell >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium-headless-shell ] || need_apt+=(chromium-headless-shell)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v Xvfb >/dev/null 2>&1 || need_apt+=(xvfb)
command -v tsc >/dev/null 2>&1 || need_apt+=(node-typescript)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v stunnel4 >/dev/null 2>&1 || need_apt+=(stunnel4)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
ldconfig -p 2>/dev/null | grep -q 'libssl\.so\.3 ' || need_apt+=(libssl3)

if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${need_apt[*]} and no apt-get here; install them with your package manager" >&2
    exit 3
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> installing ${need_apt[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! python3 -c "import openapi_spec_validator" >/dev/null 2>&1; then
  echo "==> installing openapi-spec-validator with pip" >&2
  python3 -m pip install -q openapi-spec-validator >&2
fi

# The flow schema tests validate flows with jsonschema (openapi-spec-validator brings it; checked on its own).
if ! python3 -c "import jsonschema" >/dev/null 2>&1; then
  echo "==> installing jsonschema with pip" >&2
  python3 -m pip install -q jsonschema >&2
fi

# The deployment examples (docs/deploy) are read as YAML, and `run --junit` as CI systems read it.
if ! python3 -c "import yaml" >/dev/null 2>&1; then
  echo "==> installing PyYAML with pip" >&2
  python3 -m pip install -q pyyaml >&2
fi
if ! python3 -c "import junitparser" >/dev/null 2>&1; then
  echo "==> installing junitparser with pip" >&2
  python3 -m pip install -q junitparser >&2
fi
