# Fetches the Debian kernel package once into $VM_CACHE/kernel-<version>/ and runs depmod.
# Sets VM_KERNEL_VERSION, VM_KERNEL_ROOT (the unpacked package), VM_KERNEL_IMAGE.

vm_kernel_package() {
  # linux-image-amd64 is a metapackage; the real image is the package it depends on.
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}

vm_fetch_kernel() {
  local pkg version dir tmp deb
  pkg=$(vm_kernel_package)
  if [ -z "$pkg" ]; then
    vm_log "apt-cache knows no linux-image-amd64; running apt-get update"
    apt-get update -qq >/dev/null || true
    pkg=$(vm_kernel_package)
  fi
  [ -n "$pkg" ] || vm_die "cannot find the package linux-image-amd64 depends on"
  version=${pkg#linux-image-}
  dir=$VM_CACHE/kernel-$version
  if [ ! -f "$dir/.complete" ]; then
    vm_log "downloading $pkg (about 70 MB, once)"
    mkdir -p "$VM_CACHE"
    tmp=$(mktemp -d "$VM_CACHE/download.XXXXXX")
    # apt-get download writes into the working directory; run it as _apt-safe root in tmp.
    (cd "$tmp" && chmod 777 . && apt-get download -qq "$pkg" >/dev/null) ||
      { rm -rf "$tmp"; vm_die "apt-get download $pkg failed"; }
    deb=$(ls "$tmp"/*.deb)
    rm -rf "$dir"
    mkdir -p "$dir"
    dpkg-deb -x "$deb" "$dir" || { rm -rf "$tmp" "$dir"; vm_die "cannot unpack $deb"; }
    rm -rf "$tmp"
    depmod -b "$dir" "$version" || vm_die "depmod failed for $version"
    touch "$dir/.complete"
  fi
  VM_KERNEL_VERSION=$version
  VM_KERNEL_ROOT=$dir
  VM_KERNEL_IMAGE=$dir/boot/vmlinuz-$version
  [ -f "$VM_KERNEL_IMAGE" ] || vm_die "no kernel image at $VM_KERNEL_IMAGE"
}
