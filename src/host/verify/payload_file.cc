#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ft/host/error.h"

namespace ft::verify {

namespace {

Status truncated() { return Status(Code::truncated, "payload file shorter than expected or unreadable"); }

}  // namespace

FilePayload::FilePayload(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw host::UserError(path + ": cannot open payload: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw host::UserError(path + ": payload is not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

FilePayload::~FilePayload() {
  map_.reset();  // stops the pager and unmaps before the descriptor goes
  if (fd_ >= 0) ::close(fd_);
}

void FilePayload::read_ahead() {
  if (map_tried_ || size_ <= kMapThreshold) return;
  map_tried_ = true;
  // The pager pays only above a few steps: below, the processor would catch up with it at once.
  map_ = FileMap::map(fd_, size_, /*pager=*/size_ > 2 * FileMap::kStep);
}

Status FilePayload::read(std::uint64_t offset, MutableBytes out, Bytes& data) {
  if (offset == 0) read_ahead();
  if (map_ && out.size() <= size_ - offset) {
    if (map_->shrank()) return truncated();
    map_->consumed(offset);
    data = Bytes(map_->data() + offset, out.size());
    return Status();
  }
  return read_directly(offset, out);
}

Status FilePayload::read_directly(std::uint64_t offset, MutableBytes out) const {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return truncated();
    done += static_cast<std::size_t>(n);
  }
  return Status();
}

}  // namespace ft::verify
