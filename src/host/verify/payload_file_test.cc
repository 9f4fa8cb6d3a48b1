// FilePayload and its ReadAhead: every byte arrives in order whatever the file size is relative to
// the chunks and the ring, and a file that is or becomes shorter than its size is Code::truncated.
#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ft/host/error.h"
#include "ft/verify/read_ahead.h"

namespace ft::verify {
namespace {

constexpr std::size_t kChunk = ReadAhead::kChunkSize;
constexpr std::size_t kRing = ReadAhead::kChunkCount * ReadAhead::kChunkSize;

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

// Up to the ring's size the file is read directly, above it through the ReadAhead.
TEST_F(VerifyPayloadFile, EverySizeAroundChunkAndRingBoundariesReadsBackExactly) {
  const std::size_t sizes[] = {1,         kChunk - 1, kChunk,    kChunk + 1, 3 * kChunk + 17,
                               kRing - 1, kRing,      kRing + 1, 2 * kRing,  2 * kRing + kChunk / 2};
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

TEST_F(VerifyPayloadFile, SkippingAheadOfTheReadAheadStillReturnsTheRightBytes) {
  const auto data = pattern(2 * kRing);
  FilePayload payload(write(data));
  std::vector<std::uint8_t> head(kChunk);
  ASSERT_TRUE(read_into(payload, 0, head).ok());  // starts the read-ahead
  std::vector<std::uint8_t> tail(kChunk);
  ASSERT_TRUE(read_into(payload, 2 * kRing - kChunk, tail).ok());
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), data.end() - static_cast<std::ptrdiff_t>(kChunk)));
  std::vector<std::uint8_t> next(kChunk);  // and the in-order stream carries on where it was
  ASSERT_TRUE(read_into(payload, kChunk, next).ok());
  EXPECT_TRUE(std::equal(next.begin(), next.end(), data.begin() + static_cast<std::ptrdiff_t>(kChunk)));
}

TEST_F(VerifyPayloadFile, FileShorterThanItsSizeBeforeTheFirstReadIsTruncatedWhereItEnds) {
  for (const std::size_t cut : {std::size_t{0}, kChunk / 3, kChunk, kChunk + 1, kRing + kChunk / 2}) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    const auto data = pattern(2 * kRing);
    const std::string path = write(data);
    FilePayload payload(path);
    ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(cut)), 0);
    // Every whole scratch read before the cut succeeds with the right bytes; the one across it
    // fails, and so does every later read.
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
    for (; offset + scratch.size() <= cut; offset += scratch.size()) {
      ASSERT_TRUE(read_into(payload, offset, scratch).ok()) << "at " << offset;
      EXPECT_TRUE(std::equal(scratch.begin(), scratch.end(), data.begin() + static_cast<std::ptrdiff_t>(offset)));
    }
    EXPECT_EQ(read_into(payload, offset, scratch).code(), Code::truncated);
    EXPECT_EQ(read_into(payload, offset + scratch.size(), scratch).code(), Code::truncated);
  }
}

TEST_F(VerifyPayloadFile, FileThatShrinksWhileReadIsTruncatedAfterTheBytesItStillHad) {
  // The reader is at most the ring ahead of the last read: after the first chunk it cannot have
  // reached 4 ring lengths, so the cut there is met by the reader, not before it.
  const std::size_t size = 8 * kRing;
  const std::size_t cut = 4 * kRing + kChunk / 2;
  const auto data = pattern(size);
  const std::string path = write(data);
  FilePayload payload(path);
  std::vector<std::uint8_t> scratch(FilePayload::kReadSize);
  ASSERT_TRUE(read_into(payload, 0, scratch).ok());
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(cut)), 0);
  std::uint64_t offset = scratch.size();
  for (; offset + scratch.size() <= cut; offset += scratch.size()) {
    ASSERT_TRUE(read_into(payload, offset, scratch).ok()) << "at " << offset;
    EXPECT_TRUE(std::equal(scratch.begin(), scratch.end(), data.begin() + static_cast<std::ptrdiff_t>(offset)));
  }
  EXPECT_EQ(read_into(payload, offset, scratch).code(), Code::truncated);
}

TEST_F(VerifyPayloadFile, DestroyingMidFileStopsTheReader) {
  // Destroyed with the ring full, with a chunk half consumed, and right after the start: each
  // destructor must join its reader (a hang here is the failure).
  const auto data = pattern(4 * kRing);
  const std::string path = write(data);
  for (const std::size_t first_read : {std::size_t{0}, kChunk / 2, kChunk}) {
    FilePayload payload(path);
    std::vector<std::uint8_t> out(first_read);
    ASSERT_TRUE(read_into(payload, 0, out).ok());
    if (first_read == kChunk) usleep(20000);  // let the reader fill the ring and wait
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

// ReadAhead on its own: the consumer gets everything in order from a descriptor it lends.
TEST(VerifyReadAhead, HandsOutTheFileInOrderAndRefusesPastTheEnd) {
  const std::string path = std::filesystem::temp_directory_path() / ("ft-read-ahead-" + std::to_string(::getpid()));
  const auto data = pattern(kRing + kChunk + 1);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  {
    ReadAhead ahead(fd, data.size());
    std::vector<std::uint8_t> got(data.size());
    std::size_t offset = 0;
    for (const std::size_t n : {std::size_t{1}, kChunk - 1, kChunk, std::size_t{5}, kRing}) {
      const std::size_t take = std::min(n, data.size() - offset);
      ASSERT_TRUE(ahead.read(MutableBytes(got.data() + offset, take)));
      offset += take;
      EXPECT_EQ(ahead.position(), offset);
    }
    ASSERT_EQ(offset, data.size());
    EXPECT_TRUE(got == data);
    std::uint8_t byte = 0;
    EXPECT_FALSE(ahead.read(MutableBytes(&byte, 1)));  // past the end: refused, not waited for
  }
  ::close(fd);
  std::remove(path.c_str());
}

TEST(VerifyReaderThreadPays, OnlyWhenACpuIsIdle) {
  EXPECT_TRUE(reader_thread_pays("0.52 0.58 0.59 1/77 4242\n", 2));   // only this thread runs
  EXPECT_FALSE(reader_thread_pays("1.52 1.58 1.59 2/77 4242\n", 2));  // and one more: no core idle
  EXPECT_TRUE(reader_thread_pays("1.52 1.58 1.59 2/77 4242\n", 4));
  EXPECT_FALSE(reader_thread_pays("0.00 0.00 0.00 1/77 4242\n", 1));  // one CPU: never
  EXPECT_TRUE(reader_thread_pays("", 2));                              // unreadable: as without the check
  EXPECT_TRUE(reader_thread_pays("0.52 0.58 0.59 x/77 4242", 2));
  EXPECT_TRUE(reader_thread_pays("0.52 0.58", 2));
}

}  // namespace
}  // namespace ft::verify
