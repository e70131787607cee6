#!/usr/bin/env bash
# Builds the .deb, installs it with dpkg on this machine, checks the installed
# tools, the units' exposure (systemd-analyze security, at most 4.0), the two
# system users, the folders' and keys' modes, starts the kiosk and the staff
# station under cage (headless wlroots backend) sandboxed like their units,
# runs the daily purge, upgrades to a newer package over the town's own forms
# (they stay and are still served), and purges the package.
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
for program in kakanai-kiosk kakanai-staff kakanai-forms-editor; do
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
grep -q /etc/kakanai/kakanai.toml <<<"$(dpkg-query -W -f='${Conffiles}' kakanai)" || fail "kakanai.toml is not a conffile"
for tool in kakanai-kiosk kakanai-staff kakanai-forms-editor kakanai-forms kakanai-print kakanai-report; do
  [[ -x /usr/bin/$tool ]] || fail "/usr/bin/$tool missing"
done

# The units' sandbox, rated by systemd itself (offline: PID 1 need not be systemd).
max_exposure=4.0
exposure() {  # UNITFILE -> the overall exposure level, e.g. 1.6
  systemd-analyze security --offline=true "$1" 2>/dev/null | sed -n 's/^.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p'
}
check_exposure() {  # NAME UNITFILE
  local level
  level=$(exposure "$2")
  [[ -n $level ]] || fail "systemd-analyze security gave no exposure level for $1"
  echo "exposure $1: $level (at most $max_exposure)"
  awk -v l="$level" -v m="$max_exposure" 'BEGIN { exit !(l <= m) }' || fail "$1: exposure $level is above $max_exposure"
}
units=/usr/lib/systemd/system
for unit in kakanai-kiosk kakanai-staff kakanai-purge; do
  [[ -f $units/$unit.service ]] || fail "$unit.service missing"
  check_exposure "$unit.service" "$units/$unit.service"
done
# With the drop-in for a PostgreSQL store on another host (network allowed).
for unit in kakanai-kiosk kakanai-staff; do
  cat "$units/$unit.service" /usr/share/kakanai/systemd/postgresql-tcp.conf >"$work/$unit-postgresql.service"
  check_exposure "$unit.service + postgresql-tcp.conf" "$work/$unit-postgresql.service"
done
[[ -f $units/kakanai-purge.timer ]] || fail "kakanai-purge.timer missing"
grep -q '^OnCalendar=daily' $units/kakanai-purge.timer || fail "kakanai-purge.timer is not daily"
grep -q '^ExecStart=/usr/bin/kakanai-report --config /etc/kakanai/kakanai.toml purge$' $units/kakanai-purge.service ||
  fail "kakanai-purge.service does not run kakanai-report purge with the station's settings"
# cage without -s: no switching to a text console from the kiosk's keyboard.
for unit in kakanai-kiosk kakanai-staff; do
  grep -q "^ExecStart=/usr/bin/env XDG_RUNTIME_DIR=/run/$unit /usr/bin/cage -- /usr/bin/$unit " $units/$unit.service ||
    fail "$unit.service does not start cage -- $unit"
done
[[ -f /usr/lib/udev/rules.d/70-kakanai-touch.rules ]] || fail "the touch screen udev rule is missing"

# Two system users sharing group kakanai; neither in input or lpadmin.
for u in kakanai-kiosk kakanai-staff; do
  id "$u" >/dev/null || fail "no $u user"
  groups=" $(id -nG "$u") "
  echo "$u: groups$groups"
  [[ $groups == *" kakanai "* ]] || fail "$u is not in group kakanai"
  [[ $groups != *" input "* && $groups != *" lpadmin "* ]] || fail "$u is in input or lpadmin"
done
! id kakanai >/dev/null 2>&1 || fail "the old single kakanai user is still there"

# Folders and modes (docs/install.md): one shared folder for the SQLite store.
mode_is() {  # PATH MODE OWNER:GROUP
  local got
  got=$(stat -c '%a %U:%G' "$1") || fail "$1 missing"
  [[ $got == "$2 $3" ]] || fail "$1 is $got, expected $2 $3"
}
mode_is /var/lib/kakanai 710 root:kakanai
mode_is /var/lib/kakanai/data 2770 root:kakanai
mode_is /var/lib/kakanai/data/store.db 660 root:kakanai
mode_is /var/lib/kakanai/out 700 kakanai-staff:kakanai-staff
mode_is /etc/kakanai/kakanai.toml 640 root:kakanai
mode_is /etc/kakanai/keys 750 root:kakanai-kiosk
# The sealing keys postinst made: the kiosk reads only the public key, nobody
# but root the private one (the staff station gets it as a credential).
[[ -e /etc/kakanai/keys/seal.key ]] || fail "postinst made no sealing key"
mode_is /etc/kakanai/keys/seal.key 600 root:root
mode_is /etc/kakanai/keys/seal.pub 640 root:kakanai-kiosk
runuser -u kakanai-kiosk -- test -r /etc/kakanai/keys/seal.pub || fail "the kiosk cannot read the public key"
for u in kakanai-kiosk kakanai-staff; do
  ! runuser -u "$u" -- test -r /etc/kakanai/keys/seal.key || fail "$u can read the private key file"
done
! runuser -u kakanai-staff -- test -r /etc/kakanai/keys/seal.pub || fail "the staff station can read the kiosk's key"

# Each program as its unit starts it, sandboxed as far as this machine allows
# without systemd as PID 1: its user and groups, UMask=0077, NoNewPrivileges,
# an empty capability bounding set, ProtectSystem=strict with only the unit's
# ReadWritePaths (and RuntimeDirectory) writable, PrivateTmp, ProtectHome,
# WorkingDirectory and LoadCredential. cage runs on wlroots' headless backend.
# The package has no --screenshot (a test hook): each program must start and
# still be running under cage when timeout stops it (exit 124).
sandboxed() {  # USER RUNTIME_DIR "RW PATHS" CREDENTIAL_DIR COMMAND...
  local user=$1 rt=$2 rw=$3 cred=$4; shift 4
  install -d -m 0700 -o "$user" -g "$user" "$rt"
  unshare --mount --propagation private -- /bin/sh -c '
    set -e
    rt=$1 rw=$2 cred=$3 user=$4; shift 4
    for p in $rw "$rt"; do mount --bind "$p" "$p"; done
    [ -z "$cred" ] || mount --bind "$cred" "$cred"
    mount -o remount,bind,ro /
    for p in /run /var /etc /usr; do
      if mountpoint -q "$p"; then mount -o remount,bind,ro "$p" 2>/dev/null || true; fi
    done
    for p in $rw "$rt"; do mount -o remount,bind,rw "$p"; done
    mount -t tmpfs -o mode=1777 tmpfs /tmp
    mount -t tmpfs -o mode=0755 tmpfs /var/tmp
    for p in /home /root /run/user; do [ ! -d "$p" ] || mount -t tmpfs -o mode=0000 tmpfs "$p"; done
    cd /var/lib/kakanai/data
    exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
      /bin/sh -c "umask 0077; exec \"\$@\"" sh "$@"
  ' sh "$rt" "$rw" "$cred" "$user" \
    env -i PATH=/usr/bin:/bin HOME=/var/lib/kakanai USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="$rt" \
    ${cred:+CREDENTIALS_DIRECTORY=$cred} "$@"
}
unit_value() {  # UNIT KEY -> the value of KEY= in the installed unit
  sed -n "s/^$2=//p" "$units/$1.service" | tail -1
}
run_under_cage() {  # NAME LOG UNIT CREDENTIAL_DIR: the unit's ExecStart, user and ReadWritePaths
  local name=$1 log=$2 unit=$3 cred=$4 user
  user=$(unit_value "$unit" User)
  set +e
  # shellcheck disable=SC2046 # the unit's command line, split as systemd splits it (no quotes in it)
  sandboxed "$user" "/run/$unit" "$(unit_value "$unit" ReadWritePaths)" "$cred" WLR_BACKENDS=headless \
    WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman SDL_VIDEODRIVER=wayland timeout 15 \
    $(unit_value "$unit" ExecStart) >"$log" 2>&1
  local rc=$?
  set -e
  [[ $rc -eq 124 ]] || { cat "$log" >&2; fail "$name did not keep running under cage (exit $rc)"; }
  echo "$name ran under cage (sandboxed as $unit.service, user $user) until stopped; its log:"
  sed 's/^/    /' "$log" | head -20
}
# What lies in the data and output folders: the shared store 0660 in group
# kakanai, everything else 0600 (folders 0700), owned by its writer.
check_files() {
  local bad
  bad=$(find /var/lib/kakanai/data /var/lib/kakanai/out -mindepth 1 \
    \( -name 'store.db' -o -name 'store.db-wal' -o -name 'store.db-shm' \) ! -perm 0660 -printf '%p %m\n' -o \
    ! \( -name 'store.db' -o -name 'store.db-wal' -o -name 'store.db-shm' \) \
    \( -type f ! -perm 0600 -o -type d ! -perm 0700 \) -printf '%p %m\n')
  [[ -z $bad ]] || fail "files with other modes than documented: $bad"
  find /var/lib/kakanai/data /var/lib/kakanai/out -mindepth 1 -printf '  %p %m %u:%g\n'
}
run_under_cage "the kiosk" "$work/cage.log" kakanai-kiosk ""
check_files
cred=/run/credentials/kakanai-staff.service
install -d -m 0500 -o kakanai-staff -g kakanai-staff "$cred"
install -m 0400 -o kakanai-staff -g kakanai-staff /etc/kakanai/keys/seal.key "$cred/kakanai-seal.key"
# The staff station as kakanai-staff.service starts it.
run_under_cage "the staff station" "$work/staff.log" kakanai-staff "$cred"
check_files
# The daily purge as kakanai-purge.service runs it.
set +e
# shellcheck disable=SC2046
said=$(sandboxed "$(unit_value kakanai-purge User)" /run/kakanai-purge "$(unit_value kakanai-purge ReadWritePaths)" "$cred" \
  $(unit_value kakanai-purge ExecStart) 2>&1)
rc=$?
set -e
echo "kakanai-report purge (sandboxed, as kakanai-staff) -> $rc: $said"
[[ $rc -eq 0 && $said == *"purged 0 applications"* ]] || fail "the purge of kakanai-purge.service failed"
check_files
rm -rf "$cred"
rm -rf /run/kakanai-kiosk /run/kakanai-staff /run/kakanai-purge
cd "$SRC"

# The town's forms survive an upgrade: a changed 住民票 form, a form taken off
# and a changed text in /etc/kakanai, then a newer package whose shipped
# 住民票 form changed too (the same .deb repacked with a higher version).
[[ -d /etc/kakanai/forms && -d /etc/kakanai/i18n ]] || fail "postinst made no /etc/kakanai/forms or /etc/kakanai/i18n"
for u in kakanai-kiosk kakanai-staff; do
  ! runuser -u "$u" -- test -w /usr/share/kakanai/forms || fail "$u can write the shipped forms"
  runuser -u "$u" -- test -r /etc/kakanai/forms || fail "$u cannot read the town's forms"
done
sed 's/^title = { ja = "住民票の写し等交付請求書/title = { ja = "住民票の写し等交付請求書（本町様式）/' \
  /usr/share/kakanai/forms/juminhyo.toml >/etc/kakanai/forms/juminhyo.toml
printf 'id = "koseki"\ndisabled = true\n' >/etc/kakanai/forms/koseki.toml
printf '"welcome.title" = "本町の書かない窓口へようこそ"\n' >/etc/kakanai/i18n/ja.toml
town_sums=$(cd /etc/kakanai && sha256sum forms/* i18n/*)
served() {  # -> kakanai-forms list as the stations see the catalogue
  (cd / && kakanai-forms list) || fail "kakanai-forms list failed"
}
check_town_served() {  # WHEN
  local list
  list=$(served)
  grep -q $'^juminhyo\t.*（本町様式）\toverridden$' <<<"$list" || fail "$1: the town's juminhyo is not served: $(grep juminhyo <<<"$list")"
  grep -q $'^koseki\t-\t-\t-\tdisabled$' <<<"$list" || fail "$1: koseki is not shown disabled"
  ! grep -q $'^koseki\t1' <<<"$list" || fail "$1: the disabled koseki is still served"
  grep -q $'^inkan\t.*\tshipped$' <<<"$list" || fail "$1: the shipped inkan is not served"
  kakanai-forms preview juminhyo --out "$work/juminhyo.pdf" >/dev/null || fail "$1: preview of the town's juminhyo failed"
  # Read whole before grep: grep -q stops early and, under pipefail, a writer cut off by SIGPIPE fails the check.
  grep -q '本町様式' <<<"$(pdftotext "$work/juminhyo.pdf" -)" || fail "$1: the printed juminhyo is not the town's"
  echo "$1: the town's juminhyo is served (overridden), koseki disabled"
}
check_town_served "before the upgrade"
repack=$work/repack
dpkg-deb -R "$deb" "$repack"
old_version=$(sed -n 's/^Version: //p' "$repack/DEBIAN/control")
new_version="$old_version+town1"
sed -i "s/^Version: .*/Version: $new_version/" "$repack/DEBIAN/control"
sed -i 's/^title = { ja = "住民票の写し等交付請求書/title = { ja = "住民票の写し等交付請求書（新版）/' \
  "$repack/usr/share/kakanai/forms/juminhyo.toml"
if [[ -f $repack/DEBIAN/md5sums ]]; then
  (cd "$repack" && awk '{ print $2 }' DEBIAN/md5sums | xargs md5sum >"$work/md5sums" && cat "$work/md5sums" >DEBIAN/md5sums)
fi
dpkg-deb --root-owner-group -b "$repack" "$work/kakanai_${new_version}_amd64.deb" >/dev/null || fail "cannot repack the package"
dpkg -i "$work/kakanai_${new_version}_amd64.deb" >/dev/null || fail "dpkg -i of the newer package failed"
[[ $(dpkg-query -W -f='${Version}' kakanai) == "$new_version" ]] || fail "the upgrade did not install $new_version"
grep -q '（新版）' /usr/share/kakanai/forms/juminhyo.toml || fail "the upgrade did not replace the shipped juminhyo"
[[ $(cd /etc/kakanai && sha256sum forms/* i18n/*) == "$town_sums" ]] || fail "the upgrade changed the town's files"
check_town_served "after the upgrade $old_version -> $new_version"
rm -f /etc/kakanai/forms/koseki.toml  # the town puts koseki back
grep -q $'^koseki\t1\t.*\tshipped$' <<<"$(cd / && kakanai-forms list)" || fail "koseki is not served again once its town file is gone"

dpkg --purge kakanai >/dev/null || fail "dpkg --purge failed"
[[ ! -e /usr/bin/kakanai-kiosk && ! -e /usr/bin/kakanai-staff ]] || fail "binaries left after purge"
[[ ! -e /var/lib/kakanai && ! -e /etc/kakanai/keys ]] || fail "/var/lib/kakanai or the keys left after purge"
[[ ! -e /etc/kakanai/forms && ! -e /etc/kakanai/i18n ]] || fail "the town's forms or texts left after purge"
for u in kakanai-kiosk kakanai-staff; do
  ! id "$u" >/dev/null 2>&1 || fail "$u user left after purge"
done
! getent group kakanai >/dev/null || fail "group kakanai left after purge"
echo "package test: 1 passed, 0 failed"
