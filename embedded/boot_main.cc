// boot_main.cc — a minimal bootloader around ft::trust::verify_envelope: the footprint target of
// the Cortex-M build (bench/footprint.sh, docs/embedded.md).
//
// Flow: read the provisioned anchors (ANCHORS region) and the staged update (ENVELOPE region),
// verify the envelope and the image in the slot against them, start the image when accepted,
// otherwise stay in the bootloader. Everything the verifier needs lives in static storage; the
// stack holds only call frames. The crypto backend is the one selected at compile time.
#include <cstddef>
#include <cstdint>

#include "ft/embedded/crypto_backend.h"
#include "ft/embedded/flash_layout.h"
#include "ft/suit/suit.h"
#include "ft/trust/verifier.h"

extern "C" {
// Flash regions, defined by cortex-m4.ld.
extern const std::uint8_t __ft_anchors_start[], __ft_anchors_end[];
extern const std::uint8_t __ft_envelope_start[], __ft_envelope_end[];
extern const std::uint8_t __ft_slot_start[], __ft_slot_end[];

// ft_board_rollback_floor returns the device's anti-rollback minimum (from OTP, a TPM NV counter,
// a protected flash word). The weak default, 0, accepts any sequence number: a product overrides it.
[[gnu::weak]] std::uint64_t ft_board_rollback_floor() { return 0; }
}

namespace {

// The device's identity as its manifests name it (UUIDv5 vendor and class ids; here those of the
// public SUIT examples the footprint image carries).
constexpr std::uint8_t kVendorId[16] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                        0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
constexpr std::uint8_t kClassId[16] = {0x14, 0x92, 0xaf, 0x14, 0x25, 0x69, 0x5e, 0x48,
                                       0xbf, 0x42, 0x9b, 0x2d, 0x51, 0xf2, 0xab, 0x45};

ft::Bytes region(const std::uint8_t* start, const std::uint8_t* end) {
  return ft::Bytes(start, static_cast<std::size_t>(end - start));
}

// FlashSlot — the staged image, read in place (flash is memory-mapped, so no copy and no buffer).
class FlashSlot final : public ft::suit::PayloadSource {
 public:
  explicit FlashSlot(ft::Bytes image) : image_(image) {}
  [[nodiscard]] std::uint64_t size() const override { return image_.size(); }
  [[nodiscard]] ft::Bytes view() const override { return image_; }
  ft::Status read(std::uint64_t offset, ft::MutableBytes out, ft::Bytes& data) override {
    if (offset > image_.size() || out.size() > image_.size() - offset) {
      return ft::Status(ft::Code::invalid_argument, "read past the image");
    }
    data = image_.subspan(static_cast<std::size_t>(offset), out.size());  // memory-mapped flash: lent
    return {};
  }

 private:
  // The deleting destructor PayloadSource's virtual destructor requires names this, not the heap's
  // operator delete (see PsaCrypto). Never called.
  static void operator delete(void*, std::size_t) noexcept { __builtin_trap(); }
  ft::Bytes image_;
};

// Verifier state: static, so its size shows in .bss and not on the stack. Without messages every
// default of the core's structs is zero (ft/base/reset.h), so these are constant-initialised into
// .bss: no flash image, no constructor.
ft::embedded::CryptoBackend crypto;
ft::embedded::AnchorTable anchor_table;
ft::trust::Workspace workspace;
ft::trust::Verdict verdict;

// verify_staged_update returns true when the staged envelope and image are accepted.
bool verify_staged_update() {
  if (!ft::embedded::load_anchors(region(__ft_anchors_start, __ft_anchors_end), anchor_table).ok()) return false;
  const ft::Bytes slot = region(__ft_slot_start, __ft_slot_end);
  ft::embedded::StagedUpdate staged;
  if (!ft::embedded::read_staged_update(region(__ft_envelope_start, __ft_envelope_end), slot.size(), staged).ok()) {
    return false;
  }
  FlashSlot image(slot.first(staged.image_length));

  ft::trust::Policy policy;
  policy.path.time_mode = ft::trust::TimeMode::none;  // no trusted clock in this generic bootloader
  policy.minimum_sequence = ft_board_rollback_floor();
  ft::suit::ProcessOptions options;
  options.expected_vendor_id = kVendorId;
  options.expected_class_id = kClassId;
  options.detached_payload = &image;
  options.max_image_size = slot.size();
  options.require_payload = true;

  const ft::trust::Anchors anchors = anchor_table.anchors();
  return ft::trust::verify_envelope(crypto, staged.envelope, anchors, policy, options, workspace, verdict).ok();
}

// start_image hands the core to the image at address (the slot start, 512-byte aligned as VTOR
// requires): its vector table, its initial stack pointer and its reset handler.
[[noreturn]] void start_image(std::uintptr_t address) {
  auto* const vector_table_offset = reinterpret_cast<volatile std::uint32_t*>(0xE000ED08u);  // SCB->VTOR
  const auto* const vectors = reinterpret_cast<const volatile std::uint32_t*>(address);
  *vector_table_offset = static_cast<std::uint32_t>(address);
  __asm__ volatile(
      "dsb\n"
      "isb\n"
      "msr msp, %0\n"
      "bx %1\n"
      :
      : "r"(vectors[0]), "r"(vectors[1])
      : "memory");
  __builtin_unreachable();
}

}  // namespace

[[noreturn]] void boot_main() {
  if (verify_staged_update()) start_image(reinterpret_cast<std::uintptr_t>(__ft_slot_start));
  // Rejected or nothing staged: stay in the bootloader (a product would enter recovery here).
  for (;;) __asm__ volatile("wfi");
}
