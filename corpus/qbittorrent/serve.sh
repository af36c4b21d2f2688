#!/usr/bin/env bash
# qBittorrent (Debian's qbittorrent-nox) for the discover corpus.
# Installs the package when missing, writes a fresh profile into $STATE_DIR with a known WebUI
# user/password (PBKDF2-HMAC-SHA512, as qBittorrent stores it), and runs the WebUI on
# 127.0.0.1:$PORT in the foreground until SIGTERM.
set -euo pipefail

PORT="${PORT:-18080}"
QBT_USER="${QBT_USER:-admin}"
QBITTORRENT_PASSWORD="${QBITTORRENT_PASSWORD:-corpus-secret-qbt-1}"
STATE_DIR="${STATE_DIR:-$(mktemp -d -t qbittorrent-corpus.XXXXXX)}"
TORRENT_PORT="${TORRENT_PORT:-$((PORT + 1))}"

# (a) install when missing (Debian bookworm ships 4.5.2-3+deb12u1)
if ! command -v qbittorrent-nox >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qbittorrent-nox >&2
fi

# (b) fresh state: profile, config with credentials, downloads folder
mkdir -p "$STATE_DIR/qBittorrent/config" "$STATE_DIR/downloads" "$STATE_DIR/incomplete"
PASSWORD_PBKDF2="$(QBT_PW="$QBITTORRENT_PASSWORD" python3 - <<'PY'
import base64, hashlib, os
salt = os.urandom(16)
key = hashlib.pbkdf2_hmac("sha512", os.environ["QBT_PW"].encode(), salt, 100000, dklen=64)
print(base64.b64encode(salt).decode() + ":" + base64.b64encode(key).decode())
PY
)"

cat > "$STATE_DIR/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[Application]
FileLogger\\Enabled=true
FileLogger\\Path=$STATE_DIR/logs

[BitTorrent]
Session\\DefaultSavePath=$STATE_DIR/downloads
Session\\TempPath=$STATE_DIR/incomplete
Session\\Port=$TORRENT_PORT
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\DHTEnabled=false
Session\\PeXEnabled=false
Session\\LSDEnabled=false
Session\\AddTrackersEnabled=false
Session\\AnonymousModeEnabled=true
Session\\QueueingSystemEnabled=true

[Network]
PortForwardingEnabled=false

[RSS]
Session\\EnableProcessing=false
AutoDownloader\\EnableProcessing=false

[Preferences]
General\\Locale=en
Connection\\ResolvePeerCountries=false
Connection\\ResolvePeerHostNames=false
Advanced\\updateCheck=false
WebUI\\Enabled=true
WebUI\\Address=127.0.0.1
WebUI\\Port=$PORT
WebUI\\UseUPnP=false
WebUI\\Username=$QBT_USER
WebUI\\Password_PBKDF2="@ByteArray($PASSWORD_PBKDF2)"
WebUI\\LocalHostAuth=true
WebUI\\AuthSubnetWhitelistEnabled=false
WebUI\\CSRFProtection=true
WebUI\\HostHeaderValidation=true
WebUI\\ClickjackingProtection=true
WebUI\\SecureCookie=true
WebUI\\ServerDomains=*
WebUI\\SessionTimeout=3600
WebUI\\MaxAuthenticationFailCount=1000
CONF

echo "qbittorrent: state in $STATE_DIR, WebUI on http://127.0.0.1:$PORT/ (user $QBT_USER)" >&2

# (c) run in the foreground; qbittorrent-nox shuts down cleanly on SIGTERM
exec qbittorrent-nox --profile="$STATE_DIR" --webui-port="$PORT" --torrenting-port="$TORRENT_PORT"
