#!/usr/bin/env bash
# Builds the .deb, installs it with dpkg on this machine, checks the installed
# tools, the system user and data folder, starts the kiosk under cage
# (headless wlroots backend) as the kakanai user, and purges the package.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRC"
fail() { echo "package test: FAIL: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' kakanai 2>/dev/null | grep -q "install ok installed"; then
  fail "a kakanai package is already installed on this machine; remove it first (dpkg --purge kakanai)"
fi
deb=$(scripts/build-package build-package | tail -1)
[[ -f "$deb" ]] || fail "no package built"
echo "package: $deb"
work=$(mktemp -d /tmp/kakanai-package-test.XXXXXX)
chmod 755 "$work"
cleanup() {
  dpkg --purge kakanai >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

dpkg -i "$deb" >/dev/null || fail "dpkg -i failed"

# Installed tools answer; kakanai-card gives a clear message without readers or pcscd.
for tool in kakanai-kiosk kakanai-card; do
  [[ -x /usr/bin/$tool ]] || fail "/usr/bin/$tool missing"
done
[[ ! -e /usr/bin/kakanai-vcard ]] || fail "the virtual card must not be installed"
# The package is built without test hooks: they are unknown options (exit 2,
# one line on stderr), so no installed program can be fed a fake card or script.
for program in kakanai-kiosk kakanai-staff; do
  for hook in "--virtual-card x" "--script x" "--bench-report x" "--screenshot x"; do
    set +e
    said=$(cd / && $program $hook 2>&1 >/dev/null); rc=$?
    set -e
    echo "$program $hook -> $rc: $said"
    [[ $rc -eq 2 ]] || fail "$program $hook exited $rc, expected 2 (test hooks in the package?)"
    [[ -n $said && $(printf '%s\n' "$said" | wc -l) -eq 1 ]] || fail "$program $hook: expected one line, got: $said"
  done
done
set +e
out=$(kakanai-card list 2>&1); rc=$?
set -e
echo "kakanai-card list -> $rc: $out"
[[ $rc -eq 0 || $rc -eq 3 ]] || fail "kakanai-card list exited $rc"
if [[ -x /usr/bin/kakanai-forms ]]; then
  kakanai-forms validate /usr/share/kakanai/forms/*.toml || fail "kakanai-forms validate failed on the installed forms"
fi

grep -q '^PreserveJobFiles No' /usr/share/doc/kakanai/install.md || fail "install.md does not tell to set PreserveJobFiles No"

# The station settings are a conffile, so an administrator's edits survive upgrades.
dpkg-query -W -f='${Conffiles}' kakanai | grep -q /etc/kakanai/kakanai.toml || fail "kakanai.toml is not a conffile"
for tool in kakanai-kiosk kakanai-staff kakanai-forms kakanai-print kakanai-report; do
  [[ -x /usr/bin/$tool ]] || fail "/usr/bin/$tool missing"
done

# System user and private data folder.
id kakanai >/dev/null || fail "no kakanai user"
[[ $(stat -c %a /var/lib/kakanai) == 700 ]] || fail "/var/lib/kakanai is not 0700"
[[ $(stat -c %U /var/lib/kakanai) == kakanai ]] || fail "/var/lib/kakanai is not owned by kakanai"
for unit in kakanai-kiosk kakanai-staff; do
  [[ -f /usr/lib/systemd/system/$unit.service ]] || fail "$unit.service missing"
done

# The kiosk as the unit starts it: cage, the kakanai user, SDL on Wayland.
rt="$work/run"
install -d -m 0700 -o kakanai -g kakanai "$rt"
install -d -m 0700 -o kakanai -g kakanai "$work/data"
cd "$work"
# The package has no --screenshot (a test hook): each program must start and
# still be running under cage when timeout stops it (exit 124).
run_under_cage() {  # NAME LOG PROGRAM ARGS...
  local name=$1 log=$2 program=$3; shift 3
  set +e
  runuser -u kakanai -- env XDG_RUNTIME_DIR="$rt" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
    WLR_RENDERER=pixman SDL_VIDEODRIVER=wayland timeout 15 \
    cage -s -- "/usr/bin/$program" "$@" --config /etc/kakanai/kakanai.toml \
    --output "$work/data/out" --data "$work/data/store" >"$log" 2>&1
  local rc=$?
  set -e
  [[ $rc -eq 124 ]] || { cat "$log" >&2; fail "$name did not keep running under cage (exit $rc)"; }
  echo "$name ran under cage until stopped"
}
run_under_cage "the kiosk" "$work/cage.log" kakanai-kiosk
# The staff station as kakanai-staff.service starts it.
run_under_cage "the staff station" "$work/staff.log" kakanai-staff
cd "$SRC"

dpkg --purge kakanai >/dev/null || fail "dpkg --purge failed"
[[ ! -e /usr/bin/kakanai-kiosk && ! -e /usr/bin/kakanai-staff ]] || fail "binaries left after purge"
[[ ! -e /var/lib/kakanai ]] || fail "/var/lib/kakanai left after purge"
! id kakanai >/dev/null 2>&1 || fail "kakanai user left after purge"
echo "package test: 1 passed, 0 failed"
