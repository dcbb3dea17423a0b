# Shared settings for the qemu test-VM harness (sourced by the other files in tests/vm/lib).
# The guest boots a stock Debian kernel (this machine's kernel has no ESP) with this
# machine's / shared read-only over 9p under a tmpfs overlay.

VM_CACHE=${IKEV2D_VM_CACHE:-/var/cache/ikev2d-test}
VM_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

vm_log() { echo "vm: $*" >&2; }
vm_die() { echo "vm: error: $*" >&2; exit 1; }

# Modules the initramfs loads, in dependency order, to reach the 9p root and the overlay.
VM_BOOT_MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
                 9pnet 9pnet_virtio netfs fscache 9p overlay)
