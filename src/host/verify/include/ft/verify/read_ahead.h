// ft/verify/read_ahead.h — sequential read-ahead of a file on a background thread, so that a
// consumer reading in order (the verifier hashing a detached payload) hashes while the next
// chunks are read: the pread copies leave the hashing thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
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
  void wait_until_free(std::uint64_t chunk) const;  // reader: chunk's slot is free, or stop_
  void wait_until_filled(std::uint64_t chunk);      // consumer: chunk is filled
  std::uint8_t* chunk_data(std::size_t index) const { return buffer_.get() + index * kChunkSize; }

  const int fd_;
  const std::uint64_t size_;
  std::unique_ptr<std::uint8_t[]> buffer_;  // kChunkCount * kChunkSize, written by the reader
  Chunk chunks_[kChunkCount];
  // produced_ counts chunks the reader has filled, consumed_chunks_ chunks the consumer has given
  // back; each store orders the chunk's data and metadata between the two threads. The consumer
  // never makes a system call to hand a chunk back: the reader, which is faster than the hashing
  // consumer and so mostly waits, polls for a free chunk with short sleeps. Waking it per chunk
  // (a futex wake, an inter-processor interrupt in a VM) cost the consumer ~30 us a chunk:
  // `fieldtrust verify` of 16 MiB took 15.5 ms that way against 13.4 ms now, 256 MiB 183 against
  // 160 ms. The consumer sleeps only when the ring is empty, and says so in consumer_waiting_ so
  // that the reader wakes it.
  std::atomic<std::uint64_t> produced_{0};
  std::atomic<std::uint64_t> consumed_chunks_{0};
  std::atomic<bool> consumer_waiting_{false};
  std::atomic<bool> stop_{false};

  // Consumer side (the thread calling read()).
  std::uint64_t position_ = 0;
  std::uint64_t taken_ = 0;   // sequence number of the chunk being consumed (index taken_ % kChunkCount)
  std::size_t consumed_ = 0;  // bytes of it already handed out
  bool holding_ = false;      // chunk taken_ is filled and not yet given back
  bool failed_ = false;

  std::thread reader_;  // last member: starts after everything it uses is constructed
};

}  // namespace ft::verify
