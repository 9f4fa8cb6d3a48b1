// The flash model's rules and power cuts, and the formats built on it: boot-control record, counter
// sectors, slots, log frames.
#include "ft/device/flash.h"

#include <gtest/gtest.h>

#include <string>

#include "ft/device/boot_control.h"
#include "ft/device/crc32.h"
#include "ft/device/flash_counter.h"
#include "ft/device/flash_log.h"
#include "ft/device/slot.h"
#include "ft/host/error.h"
#include "ft/ledger/chain.h"
#include "ft/ledger/verify_log.h"
#include "testing/device_testing.h"

namespace ft::device {
namespace {

FlashGeometry small_geometry() {
  FlashGeometry g;
  g.sector_size = 1024;
  g.write_size = 8;
  g.sector_count = 24;
  g.program_chunk = 256;
  return g;
}

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t v) { return std::vector<std::uint8_t>(n, v); }

TEST(Crc32, KnownVector) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32(Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())), 0xCBF43926u);
}

TEST(Flash, StartsErasedAndEnforcesWriteRules) {
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  EXPECT_TRUE(flash.is_erased(0, flash.geometry().size()));
  flash.write(16, filled(8, 0x00));
  EXPECT_EQ(flash.view(16, 8)[0], 0x00);
  // Programming cells that are not erased is a bug in the caller.
  EXPECT_THROW(flash.write(16, filled(8, 0x00)), FlashModelError);
  // Misaligned offset or length.
  EXPECT_THROW(flash.write(4, filled(8, 0x11)), FlashModelError);
  EXPECT_THROW(flash.write(32, filled(12, 0x11)), FlashModelError);
  // Beyond the end.
  EXPECT_THROW(flash.write(flash.geometry().size() - 8, filled(16, 0x11)), FlashModelError);
  EXPECT_THROW(flash.erase_sector(24), FlashModelError);
  flash.erase_sector(0);
  EXPECT_TRUE(flash.is_erased(0, 1024));
  flash.write(16, filled(8, 0x00));  // writable again after the erase
  EXPECT_EQ(flash.stats().writes, 2u);
  EXPECT_EQ(flash.stats().erases, 1u);
}

TEST(Flash, RejectsBadGeometry) {
  PowerSupply supply;
  FlashGeometry g = small_geometry();
  g.sector_size = 1000;
  EXPECT_THROW(Flash(g, supply), host::UserError);
  g = small_geometry();
  g.write_size = 3;
  EXPECT_THROW(Flash(g, supply), host::UserError);
  g = small_geometry();
  g.program_chunk = 12;
  EXPECT_THROW(Flash(g, supply), host::UserError);
}

TEST(Flash, PowerCutTearsAWriteAndSkipsAnErase) {
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  flash.write(1024, filled(8, 0x22));
  supply.cut_after(0);
  try {
    flash.write(0, filled(64, 0x00));
    FAIL() << "no power cut";
  } catch (const PowerCut& cut) {
    EXPECT_EQ(cut.operation_number(), 2u);
  }
  // The first half of the eight units is programmed, the rest still erased.
  EXPECT_FALSE(flash.is_erased(0, 32));
  EXPECT_TRUE(flash.is_erased(32, 32));
  // The supply stays off until restored.
  EXPECT_THROW(flash.erase_sector(1), PowerCut);
  EXPECT_FALSE(flash.is_erased(1024, 8));
  supply.restore();
  supply.cut_after(0);
  EXPECT_THROW(flash.erase_sector(1), PowerCut);
  EXPECT_FALSE(flash.is_erased(1024, 8));  // an interrupted erase leaves the sector as it was
  supply.restore();
  flash.erase_sector(1);
  EXPECT_TRUE(flash.is_erased(1024, 1024));
}

TEST(Flash, ImageSurvivesSaveAndLoad) {
  testing::TempDir dir;
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  flash.write(2048, filled(16, 0x5a));
  save_flash(flash, dir.path() + "/flash.bin");
  Flash reloaded(small_geometry(), supply);
  load_flash(reloaded, dir.path() + "/flash.bin");
  EXPECT_EQ(reloaded.image(), flash.image());
  FlashGeometry other = small_geometry();
  other.sector_count = 32;
  Flash bigger(other, supply);
  EXPECT_THROW(load_flash(bigger, dir.path() + "/flash.bin"), host::UserError);
}

TEST(BootControl, NewestValidCopyWinsAndCutsKeepTheOldOne) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 6});
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  EXPECT_EQ(read_boot_control(flash, layout).copy, -1);
  BootControl c;
  c.state[0] = SlotState::confirmed;
  c.preferred = 0;
  c = write_boot_control(flash, layout, c);
  EXPECT_EQ(c.sequence, 1u);
  EXPECT_EQ(read_boot_control(flash, layout).copy, 0);
  for (int round = 0; round < 4; ++round) {
    BootControl next = read_boot_control(flash, layout).control;
    next.state[1] = round % 2 == 0 ? SlotState::installed : SlotState::trial;
    next.time_floor = 1000 + round;
    const BootControl before = read_boot_control(flash, layout).control;
    // Every cut point of the update leaves the old record or the new one.
    for (std::uint64_t n = 0;; ++n) {
      const auto image = flash.image();
      supply.cut_after(n);
      bool cut = false;
      try {
        (void)write_boot_control(flash, layout, next);
      } catch (const PowerCut&) {
        cut = true;
      }
      supply.restore();
      const BootControl found = read_boot_control(flash, layout).control;
      if (!cut) {
        EXPECT_EQ(found.state[1], next.state[1]);
        EXPECT_EQ(found.time_floor, next.time_floor);
        EXPECT_EQ(found.sequence, before.sequence + 1);
        EXPECT_LE(n, 2u);
        break;
      }
      EXPECT_EQ(found, before) << "cut " << n;
      flash.load_image(image);
    }
  }
  // A corrupted newest copy falls back to the other one.
  const BootControlState st = read_boot_control(flash, layout);
  const std::uint32_t newest = st.control.sequence;
  std::vector<std::uint8_t> image = flash.image();
  image[layout.offset(layout.boot_control[st.copy]) + 10] ^= 1;
  flash.load_image(image);
  EXPECT_EQ(read_boot_control(flash, layout).control.sequence, newest - 1);
}

TEST(FlashCounter, MonotonicAcrossSectorsAndEveryCut) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 6});
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  FlashCounterStore counter(flash, layout);
  EXPECT_EQ(counter.read(), 0u);
  counter.advance(3);
  EXPECT_EQ(counter.read(), 3u);
  counter.advance(2);  // never lowers
  EXPECT_EQ(counter.read(), 3u);
  // 64 entries per sector: run through both sectors several times, with a cut at every point of
  // every advance.
  std::size_t cut_points = 0;
  const std::uint64_t last = 200;
  for (std::uint64_t to = 4; to <= last; ++to) {
    for (std::uint64_t n = 0;; ++n) {
      const std::uint64_t before = counter.read();
      const auto image = flash.image();
      supply.cut_after(n);
      bool cut = false;
      try {
        counter.advance(to);
      } catch (const PowerCut&) {
        cut = true;
      }
      supply.restore();
      const std::uint64_t after = counter.read();
      ASSERT_GE(after, before);
      if (!cut) {
        ASSERT_EQ(after, to);
        cut_points += n;
        break;
      }
      ASSERT_EQ(after, before) << "a cut advance must leave the old value";
      if (n % 2 == 0) flash.load_image(image);  // also retry from the torn state (odd n)
    }
  }
  // One write per advance, plus an erase at each change of sector (64 entries per sector).
  EXPECT_GE(cut_points, last - 3 + 2);
  EXPECT_GE(flash.stats().erases, 2u);
}

TEST(Slot, WriteReadAndTornWrites) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 6});
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  const auto envelope = filled(1000, 0x31);
  const auto payload = filled(3000, 0x42);
  EXPECT_FALSE(read_slot(flash, layout, 1).has_value());
  const SlotContents c = write_slot(flash, layout, 1, envelope, payload);
  const auto back = read_slot(flash, layout, 1);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->envelope_size, 1000u);
  EXPECT_EQ(back->payload_size, 3000u);
  EXPECT_EQ(back->payload_offset, c.payload_offset);
  FlashPayload p(flash, *back);
  std::vector<std::uint8_t> out(3000);
  Bytes data = out;
  ASSERT_TRUE(p.read(0, out, data).ok());
  EXPECT_EQ(data.data(), out.data());  // flash is read, not lent
  EXPECT_EQ(out, payload);
  EXPECT_FALSE(p.read(2999, MutableBytes(out.data(), 2), data).ok());
  EXPECT_LT(slot_capacity(layout, 1000), 6u * 1024);
  EXPECT_THROW(write_slot(flash, layout, 0, envelope, filled(6000, 1)), FlashModelError);
  // The header goes last: a cut leaves the old contents or none, never a header over new data.
  for (std::uint64_t n = 0;; ++n) {
    const auto image = flash.image();
    supply.cut_after(n);
    bool cut = false;
    try {
      write_slot(flash, layout, 1, filled(900, 0x55), filled(2000, 0x66));
    } catch (const PowerCut&) {
      cut = true;
    }
    supply.restore();
    const auto found = read_slot(flash, layout, 1);
    if (!cut) {
      ASSERT_TRUE(found.has_value());
      EXPECT_EQ(found->envelope_size, 900u);
      break;
    }
    EXPECT_TRUE(!found.has_value() || found->envelope_size == 1000u) << "cut " << n;
    flash.load_image(image);
  }
}

TEST(FlashLog, AppendsScansTornFramesAndRotates) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 3});
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  ledger::HmacRecordSigner mac(std::vector<std::uint8_t>(32, 9));
  LogScan scan = scan_log(flash, layout);
  EXPECT_TRUE(scan.records.empty());
  auto next_record = [&](const LogScan& s) {
    return ledger::make_record(chain_head(s), 1000 + static_cast<std::int64_t>(s.records.size()), "boot_verified",
                               {{"slot", std::string("A")}, {"pad", std::string(60, 'x')}}, mac);
  };
  for (int i = 0; i < 5; ++i) append_log(flash, layout, scan, next_record(scan));
  LogScan again = scan_log(flash, layout);
  ASSERT_EQ(again.records.size(), 5u);
  EXPECT_EQ(again.write_offset, scan.write_offset);
  EXPECT_EQ(again.write_sector, scan.write_sector);
  // A cut during an append: the torn frame is the log's torn tail until the next append, which
  // does not reuse its space but reuses its seq.
  supply.cut_after(0);
  EXPECT_THROW(append_log(flash, layout, again, next_record(again)), PowerCut);
  supply.restore();
  LogScan torn = scan_log(flash, layout);
  EXPECT_EQ(torn.records.size(), 5u);
  EXPECT_EQ(torn.torn_frames, 1u);
  EXPECT_FALSE(torn.torn_tail.empty());
  EXPECT_FALSE(torn.rotated);
  append_log(flash, layout, torn, next_record(torn));
  EXPECT_TRUE(scan_log(flash, layout).torn_tail.empty()) << "the torn frame is stale now";
  // The commit unit cut (the last operation of an append): the whole record is there, uncommitted.
  std::vector<PowerSupply::Operation> ops;
  const auto image = flash.image();
  LogScan probe = torn;
  supply.trace_into(&ops);
  append_log(flash, layout, probe, next_record(probe));
  supply.trace_into(nullptr);
  flash.load_image(image);
  supply.cut_after(ops.size() - 1);
  EXPECT_THROW(append_log(flash, layout, torn, next_record(torn)), PowerCut);
  supply.restore();
  const LogScan uncommitted = scan_log(flash, layout);
  EXPECT_EQ(uncommitted.records.size(), 6u);
  EXPECT_EQ(uncommitted.torn_tail, next_record(uncommitted).encoded);  // whole, but never committed
  torn = uncommitted;
  append_log(flash, layout, torn, next_record(torn));
  LogScan after = scan_log(flash, layout);
  EXPECT_EQ(after.records.size(), 7u);
  EXPECT_EQ(after.records.back().body.seq, 6u);
  EXPECT_TRUE(after.torn_tail.empty());
  // Fill the ring: the oldest sectors are erased, sequence stays continuous.
  for (int i = 0; i < 40; ++i) append_log(flash, layout, after, next_record(after));
  const LogScan ring = scan_log(flash, layout);
  EXPECT_TRUE(ring.rotated);
  ASSERT_FALSE(ring.records.empty());
  EXPECT_EQ(ring.records.back().body.seq, 46u);
  for (std::size_t i = 1; i < ring.records.size(); ++i) {
    EXPECT_EQ(ring.records[i].body.seq, ring.records[i - 1].body.seq + 1);
    EXPECT_EQ(ring.records[i].body.prev_hash, ledger::record_hash(ring.records[i - 1].encoded));
  }
}

// Found by the confirmation power-cut loop (a time-dependent record length): the torn tail was
// trimmed to 16-byte units while the flash writes 8-byte units, so it ended in erased bytes and
// decoded as malformed (forged) instead of cut off (truncated). Every torn length must be a
// prefix.
TEST(FlashLog, TornTailIsAlwaysAPrefixOfTheRecord) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 3});
  ledger::HmacRecordSigner mac(std::vector<std::uint8_t>(32, 9));
  for (std::size_t pad = 0; pad < 48; ++pad) {
    PowerSupply supply;
    Flash flash(small_geometry(), supply);
    LogScan scan = scan_log(flash, layout);
    const auto record = ledger::make_record(chain_head(scan), 1000, "update_offered", {{"pad", std::string(pad + 1, 'x')}}, mac);
    supply.cut_after(0);
    EXPECT_THROW(append_log(flash, layout, scan, record), PowerCut);
    const LogScan torn = scan_log(flash, layout);
    ASSERT_FALSE(torn.torn_tail.empty()) << pad;
    ASSERT_LT(torn.torn_tail.size(), record.encoded.size()) << pad;
    EXPECT_TRUE(std::equal(torn.torn_tail.begin(), torn.torn_tail.end(), record.encoded.begin())) << pad;
    const auto decoded = ledger::decode_record(torn.torn_tail);
    ASSERT_TRUE(std::holds_alternative<ledger::DecodeError>(decoded)) << pad;
    EXPECT_TRUE(std::get<ledger::DecodeError>(decoded).truncated) << pad << ": " << std::get<ledger::DecodeError>(decoded).message;
  }
}

// Found by the random campaign (FT_SEED=9743923490651387780): a record that did not fit its
// sector was cut after its frame went into the next sector; after the reboot a smaller record
// with the same seq fitted the old sector. The stale torn frame is not the log's tail.
TEST(FlashLog, StaleTornFrameIsNotTheTail) {
  const Layout layout = make_layout(small_geometry(), LayoutConfig{6, 3});
  PowerSupply supply;
  Flash flash(small_geometry(), supply);
  ledger::HmacRecordSigner mac(std::vector<std::uint8_t>(32, 9));
  LogScan scan = scan_log(flash, layout);
  auto record = [&](const LogScan& s, std::size_t pad) {
    return ledger::make_record(chain_head(s), 1000, "update_offered", {{"pad", std::string(pad, 'x')}}, mac);
  };
  while (scan.write_offset + 600 <= layout.geometry.sector_size) append_log(flash, layout, scan, record(scan, 300));
  ASSERT_EQ(scan.write_sector, 0u);
  // Room for a small record, not for a big one.
  ASSERT_LT(scan.write_offset + 480, layout.geometry.sector_size);
  supply.cut_after(1);  // the big frame is written into sector 1, its commit is cut
  EXPECT_THROW(append_log(flash, layout, scan, record(scan, 500)), PowerCut);
  supply.restore();
  LogScan after_cut = scan_log(flash, layout);
  EXPECT_FALSE(after_cut.torn_tail.empty());
  append_log(flash, layout, after_cut, record(after_cut, 10));
  const LogScan later = scan_log(flash, layout);
  EXPECT_TRUE(later.torn_tail.empty());
  EXPECT_EQ(later.torn_frames, 1u);
  const auto report = ledger::verify_log(ledger::entries_from_records(later.records), ledger::LogKey::from_hmac(std::vector<std::uint8_t>(32, 9)));
  EXPECT_TRUE(report.findings.empty());
}

}  // namespace
}  // namespace ft::device
