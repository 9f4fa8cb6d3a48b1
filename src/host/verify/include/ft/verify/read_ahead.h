// ft/verify/read_ahead.h — sequential read-ahead of a file on a background thread, so that a
// consumer reading in order (the verifier hashing a detached payload) hashes while the next
// chunks are read: the pread copies leave the hashing thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <semaphore>
#include <thread>

#include "ft/base/bytes.h"

namespace ft::verify {

// ReadAhead — a reader thread fills a ring of kChunkCount chunks of kChunkSize bytes with bytes
// [0, size) of fd, in order, never more than the ring ahead of the consumer; read() hands them out
// in the same order.
//
// The constructor starts the thread (std::system_error when it cannot); the destructor stops and
// joins it on every path, also mid-file or after a failure. fd is borrowed: it must stay open
// until the ReadAhead is destroyed. One consumer thread at a time.
class ReadAhead {
 public:
  // A chunk and its hash stay in L2 (2 MiB per core here); 4 chunks keep the reader a whole
  // 1 MiB ahead, which covers a small image read during signature verification.
  static constexpr std::size_t kChunkSize = std::size_t{256} << 10;
  static constexpr std::size_t kChunkCount = 4;

  ReadAhead(int fd, std::uint64_t size);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // position returns the file offset of the next byte read() hands out.
  [[nodiscard]] std::uint64_t position() const { return position_; }

  // read fills out with the next out.size() bytes of the file and advances position(). Returns
  // false, without blocking, when out reaches beyond size; false when pread failed or the file
  // ended before out was filled (it shrank or became unreadable): out then holds the bytes up to
  // that point, position() stops there, and every later read fails.
  [[nodiscard]] bool read(MutableBytes out);

 private:
  struct Chunk {
    std::size_t length = 0;  // bytes read into the chunk
    bool failed = false;     // pread failed or the file ended after length bytes
  };

  void run();
  std::uint8_t* chunk_data(std::size_t index) const { return buffer_.get() + index * kChunkSize; }

  const int fd_;
  const std::uint64_t size_;
  std::unique_ptr<std::uint8_t[]> buffer_;  // kChunkCount * kChunkSize, written by the reader
  Chunk chunks_[kChunkCount];
  // free_ counts chunks the reader may fill, filled_ chunks the consumer may take; each hand-over
  // through them orders the chunk's data and metadata between the two threads.
  std::counting_semaphore<> free_{kChunkCount};
  std::counting_semaphore<> filled_{0};
  std::atomic<bool> stop_{false};

  // Consumer side (the thread calling read()).
  std::uint64_t position_ = 0;
  std::size_t current_ = 0;   // chunk being consumed
  std::size_t consumed_ = 0;  // bytes of it already handed out
  bool holding_ = false;      // current_ was taken from filled_ and not yet given back to free_
  bool failed_ = false;

  std::thread reader_;  // last member: starts after everything it uses is constructed
};

}  // namespace ft::verify
