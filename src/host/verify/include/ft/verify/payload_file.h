// ft/verify/payload_file.h — a detached payload read from a file, for the core's SUIT processor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ft/suit/suit.h"
#include "ft/verify/file_map.h"

namespace ft::verify {

// FilePayload — suit::PayloadSource over a regular file. The file stays open for the object's
// lifetime. Throws host::UserError naming the file when it cannot be opened or is not a regular
// file.
//
// A payload larger than kMapThreshold is mapped (FileMap, started by read_ahead() or else by the
// first read at offset 0) and lent to the processor in place: the hash reads the page cache, with
// no copy, while a pager thread populates the page tables ahead of it. Smaller payloads, reads
// beyond size(), and a file that cannot be mapped are read with pread into the processor's
// scratch. A read that cannot be filled (the file shrank or became unreadable) is
// Code::truncated; so is every read after bytes lent from the mapping turned out to lie past the
// file's end (shrank()).
class FilePayload final : public suit::PayloadSource {
 public:
  // kReadSize is the scratch size the processor should read with: each read is one hash update.
  static constexpr std::size_t kReadSize = std::size_t{64} << 10;
  // Up to here pread is as fast (1 MiB: the same time either way, measured with
  // bench/verify_bench.sh), and a small file needs no mapping nor pager thread.
  static constexpr std::uint64_t kMapThreshold = std::uint64_t{1} << 20;

  explicit FilePayload(const std::string& path);
  ~FilePayload() override;
  FilePayload(const FilePayload&) = delete;
  FilePayload& operator=(const FilePayload&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override;

  // read_ahead maps a payload above kMapThreshold now and starts its pager, so that the first
  // pages are mapped before the processor asks (the verifier calls it before checking
  // signatures). No effect when already done; without a mapping (another FileMap is active, or
  // mmap failed) reads use pread.
  void read_ahead();

  // shrank is true when bytes lent from the mapping were not the file's: it shrank while being
  // read (FileMap). A verdict reached after that must not stand.
  [[nodiscard]] bool shrank() const { return map_ && map_->shrank(); }

 private:
  Status read_directly(std::uint64_t offset, MutableBytes out) const;

  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::unique_ptr<FileMap> map_;  // from read_ahead() or the first read at offset 0
  bool map_tried_ = false;        // mapped once only; without a mapping, pread
};

}  // namespace ft::verify
