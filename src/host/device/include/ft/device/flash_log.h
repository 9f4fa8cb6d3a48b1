// ft/device/flash_log.h — the rollback-protection log in flash: ledger records in frames, in a
// ring of sectors.
//
// Frame: a 16-byte header ("FL", record length u16, CRC-32 of the record, the record's seq u64),
// the record padded to the write unit, then a commit unit ("FC" and zeros; committed only when
// all of it is programmed, since a torn write leaves the tail of a unit erased). Appending is two writes —
// header and record in one, then the commit unit — so a power cut leaves a frame without commit:
// a torn record, skipped by readers (the next append goes after it and reuses its seq). A torn
// frame whose seq follows the last committed record is the log's torn tail. When a record does not fit in the current sector, the
// next sector of the ring is erased (dropping the oldest records) and the record goes there.
#pragma once

#include <cstdint>
#include <vector>

#include "ft/device/flash.h"
#include "ft/device/layout.h"
#include "ft/ledger/chain.h"
#include "ft/ledger/record.h"

namespace ft::device {

// LogScan — the committed records in seq order, and what else the log area holds.
struct LogScan {
  std::vector<ledger::Record> records;
  std::vector<std::uint8_t> torn_tail;  // the written bytes of an uncommitted last frame, if any
  std::size_t torn_frames = 0;          // uncommitted frames anywhere (power cuts during appends)
  std::size_t unreadable_frames = 0;    // committed frames whose record does not decode (never expected)
  bool rotated = false;                 // the oldest sectors were reused (the log starts after seq 0)
  // Where the next frame goes.
  std::uint32_t write_sector = 0;        // index within the log region
  std::uint64_t write_offset = 0;        // offset within that sector
};

// scan_log reads the log area. Never throws for bad contents.
LogScan scan_log(const Flash& flash, const Layout& layout);

// append_log writes record after scan's position (updating scan: position, records). Throws
// PowerCut (the frame is torn or not started; an erased sector stays erased), FlashModelError,
// or std::length_error when the record cannot fit even an empty sector.
void append_log(Flash& flash, const Layout& layout, LogScan& scan, const ledger::Record& record);

// chain_head returns where the next record of scan's log goes.
ledger::ChainHead chain_head(const LogScan& scan);

}  // namespace ft::device
