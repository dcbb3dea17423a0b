# Boots the test VM and waits for it. Needs vm_fetch_kernel and vm_build_initramfs.
#   vm_boot MODE RESULTS CONSOLE_LOG TIMEOUT STREAM
# MODE is plain or systemd; RESULTS is the host folder shared writable at the same path;
# the console goes to CONSOLE_LOG (and to stdout when STREAM is 1). Returns 0 when the
# guest powered off by itself, 124 when the hard timeout killed it.

vm_boot() {
  local mode=$1 results=$2 console=$3 timeout_s=$4 stream=$5 rc
  # no_timer_check: under TCG on a busy host the IO-APIC timer check can fail and panic the boot.
  # cryptomgr.notests: the self-test of each new kernel cipher instance takes tens of seconds under TCG.
  local append="console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check cryptomgr.notests=1 vm.mode=$mode vm.results=$results"
  append+=" vm.kroot=$VM_KERNEL_ROOT vm.lib=$VM_LIB_DIR"
  local qemu=(qemu-system-x86_64
    -accel tcg,thread=multi -cpu max -smp 2 -m 2048 -nographic -no-reboot
    -kernel "$VM_KERNEL_IMAGE" -initrd "$VM_INITRAMFS" -append "$append"
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
    -virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap"
    -nic none)
  if [ "$stream" = 1 ]; then
    # The log keeps everything; the terminal gets it without the firmware's escape
    # sequences (SeaBIOS clears the screen).
    timeout --kill-after=5 "$timeout_s" "${qemu[@]}" < /dev/null 2>&1 | tee "$console" |
      sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g'
    rc=${PIPESTATUS[0]}
  else
    timeout --kill-after=5 "$timeout_s" "${qemu[@]}" < /dev/null > "$console" 2>&1
    rc=$?
  fi
  # timeout(1) says 124 after TERM and 137 after the follow-up KILL.
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then return 124; fi
  return 0
}
