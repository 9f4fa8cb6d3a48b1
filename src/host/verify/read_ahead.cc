#include "ft/verify/read_ahead.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ft::verify {

namespace {

// pread_fully reads up to length bytes at offset and returns how many it read: fewer only when
// pread failed or the file ended.
std::size_t pread_fully(int fd, std::uint8_t* data, std::size_t length, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, data + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

}  // namespace

ReadAhead::ReadAhead(int fd, std::uint64_t size)
    // Not value-initialised: the reader overwrites every byte handed out, and untouched pages of
    // a ring larger than a small file are never faulted in.
    : fd_(fd),
      size_(size),
      buffer_(std::make_unique_for_overwrite<std::uint8_t[]>(kChunkCount * kChunkSize)),
      reader_([this] { run(); }) {}

ReadAhead::~ReadAhead() {
  stop_.store(true);
  free_.release();  // wakes a reader waiting for a free chunk; it sees stop_ and returns
  reader_.join();
}

void ReadAhead::run() {
  std::uint64_t offset = 0;
  for (std::size_t index = 0; offset < size_; index = (index + 1) % kChunkCount) {
    free_.acquire();
    if (stop_.load()) return;
    Chunk& chunk = chunks_[index];
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(kChunkSize, size_ - offset));
    chunk.length = pread_fully(fd_, chunk_data(index), wanted, offset);
    chunk.failed = chunk.length < wanted;
    offset += chunk.length;
    filled_.release();
    if (chunk.failed) return;  // the consumer stops after this chunk's bytes; nothing later is needed
  }
}

bool ReadAhead::read(MutableBytes out) {
  // Past size the reader produces nothing: waiting for it would never end.
  if (failed_ || out.size() > size_ - position_) return false;
  std::size_t done = 0;
  while (done < out.size()) {
    if (!holding_) {
      filled_.acquire();
      holding_ = true;
    }
    const Chunk& chunk = chunks_[current_];
    if (consumed_ == chunk.length) {  // only a failed chunk is held with nothing left in it
      failed_ = true;
      return false;
    }
    const std::size_t n = std::min(chunk.length - consumed_, out.size() - done);
    std::memcpy(out.data() + done, chunk_data(current_) + consumed_, n);
    done += n;
    consumed_ += n;
    position_ += n;
    if (consumed_ == chunk.length && !chunk.failed) {
      holding_ = false;
      consumed_ = 0;
      current_ = (current_ + 1) % kChunkCount;
      free_.release();
    }
  }
  return true;
}

}  // namespace ft::verify
