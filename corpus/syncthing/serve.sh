#!/usr/bin/env bash
# Syncthing (Debian's package, bookworm: 1.19.2~ds1) for the discover corpus.
# Installs it when missing, writes a fresh home into $STATE_DIR with a known GUI user, password and
# API key, every outward connection off, and runs it in the foreground on 127.0.0.1:$PORT.
set -euo pipefail

PORT="${PORT:-8384}"
SYNC_PORT="${SYNC_PORT:-$((PORT + 1))}"
GUI_USER="${SYNCTHING_USER:-admin}"
GUI_PASSWORD="${SYNCTHING_PASSWORD:-corpus-secret-1}"
API_KEY="${SYNCTHING_API_KEY:-corpus-apikey-1}"
STATE_DIR="${STATE_DIR:-$(mktemp -d -t syncthing-corpus.XXXXXX)}"
CORPUS_HOME="${CORPUS_HOME:-$HOME/.cache/discover-corpus}/syncthing"

# (a) install when missing (Debian package; no pip/venv needed)
if ! command -v syncthing >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y syncthing
fi
mkdir -p "$CORPUS_HOME"
syncthing --version > "$CORPUS_HOME/version.txt"

# (b) fresh state: generate keys and config, then turn off everything that talks to the outside
mkdir -p "$STATE_DIR"
HOME_DIR="$STATE_DIR/home"
rm -rf "$HOME_DIR"
mkdir -p "$HOME_DIR" "$STATE_DIR/folders"
syncthing generate --home="$HOME_DIR" --no-default-folder --skip-port-probing \
    --gui-user="$GUI_USER" --gui-password="$GUI_PASSWORD" >/dev/null

CFG="$HOME_DIR/config.xml"
python3 - "$CFG" "$PORT" "$SYNC_PORT" "$API_KEY" "$STATE_DIR/folders" <<'PY'
import sys, xml.etree.ElementTree as ET
cfg, port, sync_port, api_key, folders = sys.argv[1:]
tree = ET.parse(cfg)
root = tree.getroot()
gui = root.find("gui")
gui.set("tls", "false")
gui.find("address").text = f"127.0.0.1:{port}"
gui.find("apikey").text = api_key
opts = root.find("options")
def setopt(name, value):
    el = opts.find(name)
    if el is None:
        el = ET.SubElement(opts, name)
    el.text = value
# the sync protocol listens on loopback only (tcp; no QUIC, so no STUN)
for el in opts.findall("listenAddress"):
    opts.remove(el)
ET.SubElement(opts, "listenAddress").text = f"tcp://127.0.0.1:{sync_port}"
for el in opts.findall("globalAnnounceServer"):
    opts.remove(el)
setopt("globalAnnounceEnabled", "false")
setopt("localAnnounceEnabled", "false")
setopt("relaysEnabled", "false")
setopt("natEnabled", "false")
setopt("startBrowser", "false")
setopt("urAccepted", "-1")        # usage reporting declined: no prompt, no reports
setopt("urSeen", "3")
setopt("urURL", "http://127.0.0.1:9/")
setopt("autoUpgradeIntervalH", "0")
setopt("releasesURL", "http://127.0.0.1:9/")
setopt("crashReportingEnabled", "false")
setopt("crashReportingURL", "http://127.0.0.1:9/")
setopt("stunServer", "")
setopt("stunKeepaliveStartS", "0")
setopt("announceLANAddresses", "false")
setopt("restartOnWakeup", "false")
# new folders default to a path under the state dir (the Add Folder dialog fills <this>/<label>)
root.find("defaults").find("folder").set("path", folders)
tree.write(cfg)
PY

echo "syncthing: GUI on http://127.0.0.1:$PORT/ (user $GUI_USER), state in $STATE_DIR" >&2

# (c) run in the foreground; exec so SIGTERM reaches syncthing itself (--no-restart: no monitor process)
export STNOUPGRADE=1 STNORESTART=1
exec syncthing serve --home="$HOME_DIR" --no-browser --no-restart --no-upgrade \
    --gui-address="http://127.0.0.1:$PORT" --gui-apikey="$API_KEY"
