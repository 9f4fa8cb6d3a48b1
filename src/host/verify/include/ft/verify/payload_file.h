// ft/verify/payload_file.h — a detached payload read from a file, for the core's SUIT processor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ft/suit/suit.h"
#include "ft/verify/read_ahead.h"

namespace ft::verify {

// FilePayload — suit::PayloadSource over a regular file. The file stays open for the object's
// lifetime. Throws host::UserError naming the file when it cannot be opened or is not a regular
// file.
//
// The processor reads the image in order, one scratch buffer at a time, and hashes each; for an
// image larger than the read-ahead ring (1 MiB) a ReadAhead, started by read_ahead() or else by
// the first read at offset 0, reads the file on another thread meanwhile. Smaller images, and
// reads out of that order (a second pass, a request beyond size()), are served with pread
// directly. Either way a read that cannot be filled (the file shrank or became unreadable) is
// Code::truncated.
// reader_thread_pays tells from the text of /proc/loadavg ("0.52 0.58 0.59 1/77 4242": the fourth
// field counts runnable threads, the caller included) and the CPUs the process may use whether a
// CPU is idle now, for a reader thread to run on. True for text in another format (as before the
// check); false with fewer than two CPUs.
bool reader_thread_pays(std::string_view loadavg, int cpus);

class FilePayload final : public suit::PayloadSource {
 public:
  // kReadSize is the scratch size the processor should read with: a quarter chunk, so every read
  // is served from one chunk, and 16 fresh pages to fault in rather than 64 (measured: 0.3 to
  // 0.5 ms less for 1 MiB than a whole chunk, the same speed at 256 MiB).
  static constexpr std::size_t kReadSize = ReadAhead::kChunkSize / 4;

  explicit FilePayload(const std::string& path);
  ~FilePayload() override;
  FilePayload(const FilePayload&) = delete;
  FilePayload& operator=(const FilePayload&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override;

  // read_ahead starts reading the file from offset 0 on a background thread now, so that the
  // first ReadAhead::kChunkCount chunks are in memory before the processor asks (the verifier
  // calls it before checking signatures). No effect when already started, when the file fits in
  // the ring, or when no CPU is idle (reader_thread_pays); without a thread to be had, reads stay
  // on the caller's thread.
  void read_ahead();

 private:
  Status read_directly(std::uint64_t offset, MutableBytes out) const;

  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::unique_ptr<ReadAhead> read_ahead_;  // from read_ahead() or the first read at offset 0
  bool read_ahead_tried_ = false;          // started once only; a failed start falls back to pread
};

}  // namespace ft::verify
