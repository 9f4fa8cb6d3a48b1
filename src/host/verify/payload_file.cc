#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ft/host/error.h"

namespace ft::verify {

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
  if (fd_ >= 0) ::close(fd_);
}

Status FilePayload::read(std::uint64_t offset, MutableBytes out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status(Code::truncated, "payload file shorter than expected or unreadable");
    done += static_cast<std::size_t>(n);
  }
  return Status();
}

}  // namespace ft::verify
