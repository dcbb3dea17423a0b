#!/bin/busybox sh
# /init of the test VM's initramfs (busybox-static). Loads the virtio/9p/overlay modules,
# mounts this host's / read-only over 9p under a tmpfs overlay, mounts the writable
# results share at the same path it has on the host, and switches root to either
# guest-run.sh (plain mode) or systemd with a oneshot unit that runs it (systemd mode).
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

fail() { echo "vm-init: $*"; echo o > /proc/sysrq-trigger; sleep 2; poweroff -f; sleep 60; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 1 > /proc/sys/kernel/sysrq

for m in $(cat /modules.order); do
  insmod "/modules/$m.ko" || fail "insmod $m failed"
done

# Parameters from the kernel command line (vm.results=PATH vm.mode=plain|systemd ...).
results= mode=plain kroot= vmlib=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    vm.results=*) results=${arg#vm.results=} ;;
    vm.mode=*) mode=${arg#vm.mode=} ;;
    vm.kroot=*) kroot=${arg#vm.kroot=} ;;
    vm.lib=*) vmlib=${arg#vm.lib=} ;;
  esac
done
[ -n "$results" ] && [ -n "$kroot" ] && [ -n "$vmlib" ] || fail "missing vm.* parameters"

mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro hostroot /lower || fail "9p root"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work,index=off,xino=off /newroot ||
  fail "overlay"

# Fresh kernel file systems and a private /run in the new root (/tmp stays the overlay:
# the results folder may live under the host's /tmp).
for d in proc sys dev; do mount --move /$d /newroot/$d || fail "move /$d"; done
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
# The guest kernel's modules, from the cached package (visible through the 9p root).
mkdir -p /newroot/lib/modules
mount --bind "/newroot$kroot/lib/modules" /newroot/lib/modules || fail "bind modules"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results "/newroot$results" || fail "9p results"
# The host's fstab names disks the guest does not have (systemd would wait for them).
: > /newroot/etc/fstab
echo ikev2d-vm > /newroot/etc/hostname

if [ "$mode" = systemd ]; then
  unitdir=/newroot/etc/systemd/system
  # Debian's tmpfiles.d/tmp.conf empties /tmp at boot, which would delete the host files
  # the job refers to (they are visible through the overlay): mask it.
  mkdir -p /newroot/etc/tmpfiles.d
  ln -sf /dev/null /newroot/etc/tmpfiles.d/tmp.conf
  mkdir -p "$unitdir"
  cat > "$unitdir/ikev2d-vm-job.service" <<UNIT
[Unit]
Description=ikev2d test VM job
After=basic.target dbus.socket
Wants=dbus.socket

[Service]
Type=oneshot
ExecStart=/bin/bash $vmlib/guest-run.sh
StandardOutput=tty
StandardError=tty
TTYPath=/dev/console
UNIT
  cat > "$unitdir/ikev2d-vm.target" <<UNIT
[Unit]
Description=ikev2d test VM
Requires=basic.target ikev2d-vm-job.service
After=basic.target
AllowIsolate=yes
UNIT
  exec switch_root /newroot /lib/systemd/systemd systemd.unit=ikev2d-vm.target systemd.show_status=error
fi
exec switch_root /newroot /bin/bash "$vmlib/guest-run.sh"
