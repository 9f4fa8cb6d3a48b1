#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

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
  read_ahead_.reset();  // joins the reader before its file descriptor goes
  if (fd_ >= 0) ::close(fd_);
}

void FilePayload::read_ahead() {
  // An image the ring would hold whole is read on the caller's thread: a reader thread would read
  // it during the signature checks, but faulting in its 1 MiB ring (256 fresh pages, slow in a
  // VM) measured slower, and far more variable, than the 1 MiB of pread it would save.
  if (read_ahead_tried_ || size_ <= ReadAhead::kChunkCount * ReadAhead::kChunkSize) return;
  read_ahead_tried_ = true;
  try {
    read_ahead_ = std::make_unique<ReadAhead>(fd_, size_);
  } catch (const std::system_error&) {
    // No thread to be had: reading on this thread is slower, not wrong.
  }
}

Status FilePayload::read(std::uint64_t offset, MutableBytes out) {
  if (offset == 0) read_ahead();
  if (read_ahead_ && offset == read_ahead_->position() && out.size() <= size_ - offset) {
    return read_ahead_->read(out) ? Status() : truncated();
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
