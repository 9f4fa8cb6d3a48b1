// ft/verify/file_map.h — a whole file mapped read-only, paged in ahead of a consumer reading it in
// order and released behind it, so that the consumer (the verifier hashing a detached payload)
// hashes the page cache in place: no copy, and no page faults on its thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include <sys/types.h>

namespace ft::verify {

// FileMap — bytes [0, size) of a file descriptor, mapped with mmap. With a pager, a second thread
// at idle priority (SCHED_IDLE: it runs only on a CPU nothing else wants) populates the page tables up to kAhead bytes beyond the consumer's position (MADV_POPULATE_READ)
// and drops them behind it (MADV_DONTNEED), so that neither the faults of the first touch nor the
// unmapping of the whole file fall on the consumer. Without one, the consumer faults pages in
// itself (the kernel maps 64 KiB around each fault).
//
// A file that shrinks while mapped: touching a page past its new end raises SIGBUS. While a FileMap
// exists, a SIGBUS handler maps zero pages over the rest of the mapping instead and records it,
// shrank() turns true, and the bytes read from there on are zeros, not the file's: a consumer must
// check shrank() after its last read, and treat the bytes as unreadable if it is true. A SIGBUS at
// any other address goes to the previous disposition. One FileMap at a time may be active in a
// process: map() returns null while another exists.
class FileMap {
 public:
  static constexpr std::uint64_t kStep = std::uint64_t{2} << 20;   // populated or dropped at once
  static constexpr std::uint64_t kAhead = std::uint64_t{8} << 20;  // populated beyond the position

  // map maps size bytes of fd (size > 0; fd is borrowed and may be closed once mapped), with a
  // pager thread if pager is true and a thread can be had. Null if the file cannot be mapped
  // (mmap fails: not every file system can) or another FileMap is active.
  static std::unique_ptr<FileMap> map(int fd, std::uint64_t size, bool pager);
  ~FileMap();
  FileMap(const FileMap&) = delete;
  FileMap& operator=(const FileMap&) = delete;

  [[nodiscard]] const std::uint8_t* data() const { return base_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }

  // consumed tells the pager that the consumer has finished with bytes [0, offset) and reads on
  // from offset: it pages in ahead of offset and may drop what is below. Reading below offset
  // later is correct, only slower (the pages fault in again).
  void consumed(std::uint64_t offset) { position_.store(offset, std::memory_order_relaxed); }

  // shrank is true once a read of the mapping hit a page past the file's end.
  [[nodiscard]] bool shrank() const;

 private:
  FileMap(std::uint8_t* base, std::uint64_t size);
  void page();

  std::uint8_t* const base_;
  const std::uint64_t size_;
  std::atomic<std::uint64_t> position_{0};
  std::atomic<bool> stop_{false};
  std::atomic<pid_t> pager_tid_{0};  // set by the pager when it starts
  std::thread pager_;  // last member: starts after everything it uses is constructed
};

}  // namespace ft::verify
