#include "ft/device/flash_log.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "be.h"
#include "ft/device/crc32.h"

namespace ft::device {

namespace {

constexpr std::uint8_t kFrameMagic0 = 'F', kFrameMagic1 = 'L';
constexpr std::uint8_t kCommit0 = 'F', kCommit1 = 'C';
constexpr std::size_t kHeaderBytes = 16;  // "FL", length u16, CRC-32 u32, seq u64

struct Frame {
  std::uint64_t offset;  // within the sector
  std::uint64_t size;    // whole frame: header, record, commit
  std::uint64_t seq;     // from the header (written with the first half of the frame)
  bool committed;
  std::vector<std::uint8_t> record;  // as stored (for uncommitted frames: trimmed of unwritten units)
};

std::uint64_t unit_of(const Flash& f) { return std::max<std::uint64_t>(f.geometry().write_size, kHeaderBytes); }

std::uint64_t frame_size(const Flash& f, std::uint64_t record_size) {
  const std::uint64_t u = unit_of(f);
  return u + round_up(record_size, u) + u;
}

// read_frames returns the frames of one sector and the offset after the last one.
std::vector<Frame> read_frames(const Flash& flash, std::uint64_t base, std::uint64_t sector_size, std::uint64_t& end) {
  std::vector<Frame> frames;
  const std::uint64_t u = unit_of(flash);
  std::uint64_t pos = 0;
  while (pos + u <= sector_size) {
    const Bytes h = flash.view(base + pos, kHeaderBytes);
    if (flash.is_erased(base + pos, u)) break;
    if (h[0] != kFrameMagic0 || h[1] != kFrameMagic1) {
      pos = sector_size;  // not a frame: the rest of this sector is unusable
      break;
    }
    const std::uint64_t len = get_be(h.data() + 2, 2);
    const std::uint64_t size = frame_size(flash, len);
    if (len == 0 || pos + size > sector_size) {
      pos = sector_size;
      break;
    }
    Frame fr{pos, size, get_be(h.data() + 8, 8), false, {}};
    const Bytes body = flash.view(base + pos + u, len);
    // The whole commit unit must be there: a torn commit write leaves its tail erased.
    const Bytes commit = flash.view(base + pos + size - u, u);
    fr.committed = commit[0] == kCommit0 && commit[1] == kCommit1 &&
                   std::all_of(commit.begin() + 2, commit.end(), [](std::uint8_t b) { return b == 0; }) &&
                   get_be(h.data() + 4, 4) == crc32(body);
    if (fr.committed) {
      fr.record.assign(body.begin(), body.end());
    } else {
      // Keep the written prefix: whole write units up to the last programmed one (a torn write
      // stops at a write unit, which may be smaller than the frame's 16-byte alignment).
      const std::uint64_t w = flash.geometry().write_size;
      std::uint64_t written = 0;
      for (std::uint64_t at = 0; at < round_up(len, u); at += w) {
        if (!flash.is_erased(base + pos + u + at, w)) written = at + w;
      }
      fr.record.assign(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(std::min(written, len)));
    }
    frames.push_back(std::move(fr));
    pos += size;
  }
  end = pos;
  return frames;
}

}  // namespace

LogScan scan_log(const Flash& flash, const Layout& layout) {
  LogScan scan;
  const std::uint64_t sector_size = layout.geometry.sector_size;
  struct SectorInfo {
    std::vector<Frame> frames;
    std::uint64_t end = 0;
    std::optional<std::uint64_t> last_seq;
  };
  std::vector<SectorInfo> sectors(layout.log.sector_count);
  std::vector<std::pair<std::uint64_t, ledger::Record>> all;
  for (std::uint32_t s = 0; s < layout.log.sector_count; ++s) {
    const std::uint64_t base = layout.offset(layout.log) + std::uint64_t{s} * sector_size;
    sectors[s].frames = read_frames(flash, base, sector_size, sectors[s].end);
    for (const Frame& fr : sectors[s].frames) {
      if (!fr.committed) {
        ++scan.torn_frames;
        continue;
      }
      auto decoded = ledger::decode_record(fr.record);
      if (auto* r = std::get_if<ledger::Record>(&decoded)) {
        sectors[s].last_seq = r->body.seq;
        all.emplace_back(r->body.seq, std::move(*r));
      } else {
        ++scan.unreadable_frames;
      }
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [seq, r] : all) scan.records.push_back(std::move(r));
  scan.rotated = !scan.records.empty() && scan.records.front().body.seq != 0;
  // The current sector holds the highest seq; on a blank log it is sector 0.
  std::uint32_t current = 0;
  std::optional<std::uint64_t> best;
  for (std::uint32_t s = 0; s < sectors.size(); ++s) {
    if (sectors[s].last_seq && (!best || *sectors[s].last_seq > *best)) {
      best = sectors[s].last_seq;
      current = s;
    }
  }
  scan.write_sector = current;
  scan.write_offset = sectors[current].end;
  // The log's torn tail: an uncommitted frame of the seq that follows the last committed record
  // (an older torn frame is stale: its seq was written again later) — at the end of the current
  // sector, or alone at the start of the next sector of the ring (the append that moved on was
  // cut).
  const std::uint64_t tail_seq = best ? *best + 1 : 0;
  const auto is_tail = [&](const Frame& f) { return !f.committed && f.seq == tail_seq; };
  const auto& frames = sectors[current].frames;
  const auto& next = sectors[(current + 1) % sectors.size()].frames;
  if (!frames.empty() && is_tail(frames.back())) {
    scan.torn_tail = frames.back().record;
  } else if (best && next.size() == 1 && is_tail(next.front())) {
    scan.torn_tail = next.front().record;
  }
  return scan;
}

void append_log(Flash& flash, const Layout& layout, LogScan& scan, const ledger::Record& record) {
  const std::uint64_t sector_size = layout.geometry.sector_size;
  const std::uint64_t u = unit_of(flash);
  const std::uint64_t size = frame_size(flash, record.encoded.size());
  if (size > sector_size || record.encoded.size() > 0xFFFF) {
    throw std::length_error("log record of " + std::to_string(record.encoded.size()) + " bytes does not fit a log sector");
  }
  if (scan.write_offset + size > sector_size) {
    const std::uint32_t next = (scan.write_sector + 1) % layout.log.sector_count;
    const std::uint32_t sector = layout.log.first_sector + next;
    const std::uint64_t base = std::uint64_t{sector} * sector_size;
    if (!flash.is_erased(base, sector_size)) {
      std::uint64_t end = 0;
      const auto frames = read_frames(flash, base, sector_size, end);
      const bool drops_records =
          std::any_of(frames.begin(), frames.end(), [](const Frame& f) { return f.committed; });
      flash.erase_sector(sector);
      if (drops_records) scan.rotated = true;
    }
    scan.write_sector = next;
    scan.write_offset = 0;
  }
  const std::uint64_t at = layout.offset(layout.log) + std::uint64_t{scan.write_sector} * sector_size + scan.write_offset;
  std::vector<std::uint8_t> frame(size - u, 0);
  frame[0] = kFrameMagic0;
  frame[1] = kFrameMagic1;
  put_be(frame.data() + 2, record.encoded.size(), 2);
  put_be(frame.data() + 4, crc32(record.encoded), 4);
  put_be(frame.data() + 8, record.body.seq, 8);
  std::copy(record.encoded.begin(), record.encoded.end(), frame.begin() + static_cast<std::ptrdiff_t>(u));
  scan.torn_tail.clear();
  // The position moves before each write: after a cut the frame's space is used, as a rescan finds.
  scan.write_offset += size;
  flash.write(at, frame);
  std::vector<std::uint8_t> commit(u, 0);
  commit[0] = kCommit0;
  commit[1] = kCommit1;
  flash.write(at + size - u, commit);
  scan.records.push_back(record);
}

ledger::ChainHead chain_head(const LogScan& scan) {
  if (scan.records.empty()) return ledger::ChainHead{};
  return ledger::head_after(scan.records.back());
}

}  // namespace ft::device
