# Builds the busybox initramfs for the test VM, cached under $VM_CACHE and rebuilt when
# its inputs change (busybox, init.sh, the kernel version, the module list).
# Needs vm_fetch_kernel first. Sets VM_INITRAMFS.

vm_find_module() {  # name -> path of its .ko in the cached kernel, empty if built in
  local name=$1 moddir=$VM_KERNEL_ROOT/lib/modules/$VM_KERNEL_VERSION path
  path=$(find "$moddir/kernel" -name "$name.ko" -print -quit)
  if [ -z "$path" ]; then
    path=$(find "$moddir/kernel" -name "${name//_/-}.ko" -print -quit)
  fi
  echo "$path"
}

vm_build_initramfs() {
  local busybox=/bin/busybox key out tmp m path
  [ -x "$busybox" ] || vm_die "no $busybox (install busybox-static)"
  key=$( { sha256sum "$busybox" "$VM_LIB_DIR/init.sh"; echo "$VM_KERNEL_VERSION ${VM_BOOT_MODULES[*]}"; } |
         sha256sum | cut -c1-16)
  out=$VM_CACHE/initramfs-$VM_KERNEL_VERSION-$key.cpio.gz
  if [ ! -s "$out" ]; then
    vm_log "building initramfs $out"
    tmp=$(mktemp -d)
    mkdir -p "$tmp"/{bin,dev,proc,sys,modules}
    cp "$busybox" "$tmp/bin/busybox"
    install -m 0755 "$VM_LIB_DIR/init.sh" "$tmp/init"
    : > "$tmp/modules.order"
    for m in "${VM_BOOT_MODULES[@]}"; do
      path=$(vm_find_module "$m")
      if [ -z "$path" ]; then
        grep -q "/${m}.ko\$" "$VM_KERNEL_ROOT/lib/modules/$VM_KERNEL_VERSION/modules.builtin" ||
          { rm -rf "$tmp"; vm_die "module $m neither in the package nor built in"; }
        continue
      fi
      cp "$path" "$tmp/modules/$m.ko"
      echo "$m" >> "$tmp/modules.order"
    done
    (cd "$tmp" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -6) > "$out.tmp" ||
      { rm -rf "$tmp" "$out.tmp"; vm_die "cannot pack the initramfs"; }
    mv "$out.tmp" "$out"
    # Older images (other inputs) are never used again.
    find "$VM_CACHE" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -path "$out" -delete
    rm -rf "$tmp"
  fi
  VM_INITRAMFS=$out
}
