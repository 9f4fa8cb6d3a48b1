// ft/verify/payload_file.h — a detached payload read from a file, for the core's SUIT processor.
#pragma once

#include <cstdint>
#include <string>

#include "ft/suit/suit.h"

namespace ft::verify {

// FilePayload — suit::PayloadSource over a regular file, read with pread. The file stays open for
// the object's lifetime. Throws host::UserError naming the file when it cannot be opened.
class FilePayload final : public suit::PayloadSource {
 public:
  explicit FilePayload(const std::string& path);
  ~FilePayload() override;
  FilePayload(const FilePayload&) = delete;
  FilePayload& operator=(const FilePayload&) = delete;

  [[nodiscard]] std::uint64_t size() const override { return size_; }
  Status read(std::uint64_t offset, MutableBytes out) override;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace ft::verify
