// FilePayload and its FileMap: every byte arrives in order whatever the file size is relative to
// the read size, the mapping threshold and the pager's steps, and a file that is or becomes
// shorter than its size is Code::truncated.
#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ft/host/error.h"
#include "ft/verify/file_map.h"

namespace ft::verify {
namespace {

// The names of the former read-ahead ring's sizes, kept for the boundaries they test: a read-sized
// block, and the mapping threshold (reads at or below it use pread, above it the mapping).
constexpr std::size_t kChunk = FilePayload::kReadSize * 4;
constexpr std::size_t kRing = FilePayload::kMapThreshold;

// read_into reads like the SUIT processor (data starts as out) and copies what was lent into out,
// so that the tests can compare one buffer whichever way the bytes came.
Status read_into(suit::PayloadSource& source, std::uint64_t offset, MutableBytes out) {
  Bytes data = out;
  const Status s = source.read(offset, out, data);
  if (s.ok() && data.data() != out.data()) {
    if (data.size() != out.size()) return Status(Code::invalid_argument, "lent a view of the wrong size");
    std::copy(data.begin(), data.end(), out.begin());
  }
  return s;
}

// pattern returns size bytes that differ from chunk to chunk and within each chunk, so that a
// chunk handed out twice, skipped or out of order shows up as a mismatch.
std::vector<std::uint8_t> pattern(std::size_t size) {
  std::vector<std::uint8_t> data(size);
  std::uint32_t x = 0x9e3779b9u;
  for (auto& b : data) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return data;
}

class VerifyPayloadFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("ft-payload-file-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::vector<std::uint8_t>& data) {
    const std::string path = (dir_ / ("payload-" + std::to_string(files_++))).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return path;
  }

  // read_all reads the payload in order as the SUIT processor does, scratch_size bytes at a time.
  static Status read_all(FilePayload& payload, std::size_t scratch_size, std::vector<std::uint8_t>& got) {
    got.assign(payload.size(), 0);
    for (std::uint64_t offset = 0; offset < payload.size();) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(scratch_size, payload.size() - offset));
      if (Status s = read_into(payload, offset, MutableBytes(got.data() + offset, n)); !s.ok()) return s;
      offset += n;
    }
    return Status();
  }

  std::filesystem::path dir_;
  int files_ = 0;
};

// Up to the threshold the file is read directly, above it through the mapping (with a pager above
// two steps).
TEST_F(VerifyPayloadFile, EverySizeAroundReadMapAndPagerBoundariesReadsBackExactly) {
  const std::size_t sizes[] = {1,         kChunk - 1, kChunk,    kChunk + 1, 3 * kChunk + 17,
                               kRing - 1, kRing,      kRing + 1, 2 * kRing,  2 * kRing + kChunk / 2,
                               2 * FileMap::kStep + 1, FileMap::kAhead + 3 * FileMap::kStep + 5};
  for (const std::size_t size : sizes) {
    const auto data = pattern(size);
    const std::string path = write(data);
    // The processor's scratch is kReadSize; other sizes make reads straddle chunk ends.
    for (const std::size_t scratch : {FilePayload::kReadSize, std::size_t{4096}, kChunk + 1000, kRing + 5}) {
      SCOPED_TRACE("size " + std::to_string(size) + ", scratch " + std::to_string(scratch));
      FilePayload payload(path);
      ASSERT_EQ(payload.size(), size);
      std::vector<std::uint8_t> got;
      ASSERT_TRUE(read_all(payload, scratch, got).ok());
      EXPECT_TRUE(got == data);
    }
  }
}

TEST_F(VerifyPayloadFile, EmptyFileHasNothingToReadAndRefusesAByte) {
  FilePayload payload(write({}));
  EXPECT_EQ(payload.size(), 0u);
  EXPECT_TRUE(read_into(payload, 0, MutableBytes()).ok());
  std::uint8_t byte = 0;
  EXPECT_EQ(read_into(payload, 0, MutableBytes(&byte, 1)).code(), Code::truncated);
}

TEST_F(VerifyPayloadFile, ReadingOneBytePastTheSizeIsTruncated) {
  for (const std::size_t size : {kChunk, kRing + kChunk}) {  // read directly; read ahead
    SCOPED_TRACE("size " + std::to_string(size));
    const auto data = pattern(size);
    FilePayload payload(write(data));
    std::vector<std::uint8_t> out(size + 1);
    EXPECT_EQ(read_into(payload, 0, out).code(), Code::truncated);
    // After the refused request the payload still reads in full.
    std::vector<std::uint8_t> got;
    ASSERT_TRUE(read_all(payload, FilePayload::kReadSize, got).ok());
    EXPECT_TRUE(got == data);
  }
}

TEST_F(VerifyPayloadFile, ReadsOutOfOrderAndSecondPassesReturnTheRightBytes) {
  const auto data = pattern(2 * kRing + 3);
  FilePayload payload(write(data));
  std::vector<std::uint8_t> got;
  ASSERT_TRUE(read_all(payload, FilePayload::kReadSize, got).ok());
  ASSERT_TRUE(got == data);
  ASSERT_TRUE(read_all(payload, FilePayload::kReadSize, got).ok());  // second pass from offset 0
  EXPECT_TRUE(got == data);

  std::vector<std::uint8_t> piece(100);
  ASSERT_TRUE(read_into(payload, kRing + 7, piece).ok());
  EXPECT_TRUE(std::equal(piece.begin(), piece.end(), data.begin() + kRing + 7));
}

TEST_F(VerifyPayloadFile, SkippingAheadOfThePagerStillReturnsTheRightBytes) {
  const auto data = pattern(2 * kRing);
  FilePayload payload(write(data));
  std::vector<std::uint8_t> head(kChunk);
  ASSERT_TRUE(read_into(payload, 0, head).ok());  // maps the file
  std::vector<std::uint8_t> tail(kChunk);
  ASSERT_TRUE(read_into(payload, 2 * kRing - kChunk, tail).ok());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), data.end() - static_cast<std::ptrdiff_t>(kChunk)));
  std::vector<std::uint8_t> next(kChunk);  // and the in-order stream carries on where it was
  ASSERT_TRUE(read_into(payload, kChunk, next).ok());
  EXPECT_TRUE(std::equal(next.begin(), next.end(), data.begin() + static_cast<std::ptrdiff_t>(kChunk)));
}

// read_until_refused reads payload in order as the processor does, hashing (here: comparing) each
// block before asking for the next, until a read is refused; returns the offset of the refused
// read. Bytes from a mapping are compared only while shrank() is false: once a read touched a page
// past the file's new end, the bytes lent from there are zeros, and the next read is refused.
std::uint64_t read_until_refused(FilePayload& payload, const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
  std::uint64_t offset = 0;
  for (; offset + scratch.size() <= payload.size(); offset += scratch.size()) {
    if (!read_into(payload, offset, scratch).ok()) return offset;
    if (payload.shrank()) continue;  // the next read is refused
    EXPECT_TRUE(std::equal(scratch.begin(), scratch.end(), data.begin() + static_cast<std::ptrdiff_t>(offset)))
        << "at " << offset;
  }
  return offset;
}

// A file cut at `cut` is refused at the first read at or past the cut (read or ring), or one read
// later when the read across the cut was lent from the mapping: that read's bytes past the cut are
// zeros, and shrank() says so before the next.
void expect_refused_at_cut(FilePayload& payload, const std::vector<std::uint8_t>& data, std::uint64_t cut) {
  const std::uint64_t block = FilePayload::kReadSize;
  const std::uint64_t first_across = cut / block * block;  // the read that reaches past the cut
  const std::uint64_t refused = read_until_refused(payload, data);
  if (payload.shrank()) {
    EXPECT_EQ(refused, first_across + block);
  } else {
    EXPECT_EQ(refused, first_across);
  }
  std::vector<std::uint8_t> scratch(block);
  EXPECT_EQ(read_into(payload, refused, scratch).code(), Code::truncated);  // and every later read
}

TEST_F(VerifyPayloadFile, FileShorterThanItsSizeBeforeTheFirstReadIsTruncatedWhereItEnds) {
  for (const std::size_t cut : {std::size_t{0}, kChunk / 3, kChunk, kChunk + 1, kRing + kChunk / 2}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    const auto data = pattern(2 * kRing);
    const std::string path = write(data);
    FilePayload payload(path);
    ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(cut)), 0);
    expect_refused_at_cut(payload, data, cut);
  }
}

TEST_F(VerifyPayloadFile, FileThatShrinksWhileReadIsTruncatedAfterTheBytesItStillHad) {
  // The pager is at most FileMap::kAhead (plus a step) ahead of the last read: after the first
  // block it cannot have reached a cut beyond that.
  const std::size_t cut = FileMap::kAhead + 4 * kRing + kChunk / 2;
  const std::size_t size = cut + 4 * kRing;
  const auto data = pattern(size);
  const std::string path = write(data);
  FilePayload payload(path);
  std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
  ASSERT_TRUE(read_into(payload, 0, scratch).ok());
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(cut)), 0);
  expect_refused_at_cut(payload, data, cut);
}

// The verifier's files are mapped: the SIGBUS of a page past a shrunken file's end is the
// mapping's, handled (zeros, shrank()), not the process's end.
TEST_F(VerifyPayloadFile, AFileCutUnderTheMappingIsSeenAsShrunkAndNotAsACrash) {
  const auto data = pattern(4 * kRing);
  const std::string path = write(data);
  FilePayload payload(path);
  std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
  ASSERT_TRUE(read_into(payload, 0, scratch).ok());
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  Bytes lent = scratch;
  ASSERT_TRUE(payload.read(kRing, scratch, lent).ok());
  ASSERT_NE(lent.data(), scratch.data()) << "a file this large is read through the mapping";
  EXPECT_FALSE(payload.shrank());
  EXPECT_EQ(std::count(lent.begin(), lent.end(), 0), static_cast<std::ptrdiff_t>(lent.size()));  // touches it
  EXPECT_TRUE(payload.shrank());
  EXPECT_EQ(read_into(payload, kRing + scratch.size(), scratch).code(), Code::truncated);
}

// Only one mapping at a time: a second payload read meanwhile falls back to pread, correctly.
TEST_F(VerifyPayloadFile, TwoLargePayloadsReadInTurnBothReadBackExactly) {
  const auto a = pattern(3 * kRing);
  auto b = pattern(3 * kRing + 5);
  std::reverse(b.begin(), b.end());
  FilePayload first(write(a));
  FilePayload second(write(b));
  std::vector<std::uint8_t> got_a(a.size());
  std::vector<std::uint8_t> got_b(b.size());
  const std::size_t block = FilePayload::kReadSize;
  for (std::size_t offset = 0; offset < b.size(); offset += block) {
    if (offset < a.size()) {
      ASSERT_TRUE(read_into(first, offset, MutableBytes(got_a.data() + offset, std::min(block, a.size() - offset))).ok());
    }
    ASSERT_TRUE(read_into(second, offset, MutableBytes(got_b.data() + offset, std::min(block, b.size() - offset))).ok());
  }
  EXPECT_TRUE(got_a == a);
  EXPECT_TRUE(got_b == b);
  EXPECT_FALSE(first.shrank());
  EXPECT_FALSE(second.shrank());
}

// A SIGBUS that is not the mapping's still ends the process (the disposition before FileMap).
TEST_F(VerifyPayloadFile, ASigbusElsewhereIsNotSwallowedWhileAFileIsMapped) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto data = pattern(4 * kRing);
  const std::string mapped = write(data);
  const std::string other = write(pattern(65536));
  EXPECT_DEATH(
      {
        FilePayload payload(mapped);
        std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
        if (!read_into(payload, 0, scratch).ok()) std::abort();
        const int fd = ::open(other.c_str(), O_RDONLY);
        auto* p = static_cast<volatile std::uint8_t*>(::mmap(nullptr, 65536, PROT_READ, MAP_PRIVATE, fd, 0));
        if (::truncate(other.c_str(), 0) != 0) std::abort();
        std::fprintf(stderr, "byte %d\n", p[4096]);  // SIGBUS here
        std::_Exit(0);
      },
      "");
}

TEST_F(VerifyPayloadFile, DestroyingMidFileStopsThePager) {
  // Destroyed with the pager ahead, with a block half consumed, and right after the start: each
  // destructor must join its pager (a hang here is the failure).
  const auto data = pattern(FileMap::kAhead + 2 * FileMap::kStep);
  const std::string path = write(data);
  for (const std::size_t first_read : {std::size_t{0}, kChunk / 2, kChunk}) {
    FilePayload payload(path);
    std::vector<std::uint8_t> out(first_read);
    ASSERT_TRUE(read_into(payload, 0, out).ok());
    if (first_read == kChunk) usleep(20000);  // let the pager work ahead and wait
  }
}

TEST_F(VerifyPayloadFile, MissingFileAndDirectoryAreUserErrorsNamingThePath) {
  const std::string missing = (dir_ / "missing.bin").string();
  try {
    FilePayload payload(missing);
    FAIL() << "opened a missing file";
  } catch (const host::UserError& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": cannot open payload: No such file or directory");
  }
  try {
    FilePayload payload(dir_.string());
    FAIL() << "accepted a directory";
  } catch (const host::UserError& e) {
    EXPECT_EQ(std::string(e.what()), dir_.string() + ": payload is not a regular file");
  }
}

// FileMap on its own, with and without a pager: every byte in order, the pager paging ahead of
// and dropping behind a consumer that reports its position, and stopping when destroyed mid-file.
TEST_F(VerifyPayloadFile, FileMapWithAndWithoutPagerReadsBackExactly) {
  const auto data = pattern(2 * FileMap::kAhead + 3 * FileMap::kStep + 12345);
  const std::string path = write(data);
  for (const bool pager : {true, false}) {
    SCOPED_TRACE(pager ? "pager" : "no pager");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    {
      auto map = FileMap::map(fd, data.size(), pager);
      ASSERT_TRUE(map);
      EXPECT_FALSE(FileMap::map(fd, data.size(), pager)) << "one mapping at a time";
      std::uint64_t mismatches = 0;
      for (std::uint64_t offset = 0; offset < data.size(); offset += FilePayload::kReadSize) {
        map->consumed(offset);
        const std::size_t n = std::min<std::uint64_t>(FilePayload::kReadSize, data.size() - offset);
        mismatches += std::memcmp(map->data() + offset, data.data() + offset, n) != 0;
        if (offset == FileMap::kAhead) usleep(2000);  // let the pager catch up and drop behind
      }
      EXPECT_EQ(mismatches, 0u);
      // Reading again from the start after the pager dropped it: the pages fault in again.
      EXPECT_EQ(std::memcmp(map->data(), data.data(), FileMap::kStep), 0);
      EXPECT_FALSE(map->shrank());
    }
    {
      auto map = FileMap::map(fd, data.size(), pager);  // the first is gone: mapping works again
      ASSERT_TRUE(map);
      map->consumed(FileMap::kStep);  // destroyed while the pager works ahead
    }
    ::close(fd);
  }
}

}  // namespace
}  // namespace ft::verify
