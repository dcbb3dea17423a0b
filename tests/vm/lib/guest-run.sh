#!/bin/bash
# Runs inside the test VM after switch_root, as PID 1 (plain mode) or from a oneshot
# systemd unit (systemd mode): prepares the guest, runs the job that run-in-vm.sh wrote
# into the results share, records its exit status there and powers the guest off.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

results=
for arg in $(cat /proc/cmdline); do
  case "$arg" in vm.results=*) results=${arg#vm.results=} ;; esac
done

power_off() {
  sync
  echo o > /proc/sysrq-trigger
  sleep 2
  /bin/busybox poweroff -f  # if sysrq is unavailable
  sleep 60
}

if [ $$ -eq 1 ]; then
  # Plain mode: nobody else mounts these.
  mkdir -p /dev/pts /dev/shm
  mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
  mount -t tmpfs tmpfs /dev/shm
  hostname ikev2d-vm
fi

# The ESP data path and the tests' plumbing (the Debian kernel builds these as modules).
for m in esp4 esp6 xfrm_user xfrm_interface veth; do
  modprobe "$m" 2>/dev/null || echo "vm: modprobe $m failed" > /dev/console
done
ip link set lo up

status_dir=$results/.vm
if [ ! -r "$status_dir/job.sh" ]; then
  echo "vm: no job at $status_dir/job.sh" > /dev/console
  power_off
fi
echo "vm: guest up after $(cut -d' ' -f1 /proc/uptime) s, running the job" > /dev/console
bash "$status_dir/job.sh" < /dev/null 2>&1 | tee "$status_dir/job-output.log" > /dev/console
rc=${PIPESTATUS[0]}
echo "$rc" > "$status_dir/status.tmp" && mv "$status_dir/status.tmp" "$status_dir/status"
echo "vm: job exited with status $rc after $(cut -d' ' -f1 /proc/uptime) s" > /dev/console
power_off
