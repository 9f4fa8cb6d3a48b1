#include "ft/verify/payload_file.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
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

bool reader_thread_pays(std::string_view loadavg, int cpus) {
  if (cpus < 2) return false;
  // "0.52 0.58 0.59 1/77 4242": the fourth field is runnable/total scheduling entities.
  std::size_t field = 0;
  std::size_t pos = 0;
  while (field < 3 && (pos = loadavg.find(' ', pos)) != std::string_view::npos) {
    ++pos;
    ++field;
  }
  if (field < 3) return true;  // not the format we know: read ahead, as without the check
  int runnable = 0;
  const auto [end, error] = std::from_chars(loadavg.data() + pos, loadavg.data() + loadavg.size(), runnable);
  if (error != std::errc() || end == loadavg.data() + pos || *end != '/') return true;
  return runnable < cpus;  // this thread is one of the runnable ones
}

void FilePayload::read_ahead() {
  // An image the ring would hold whole is read on the caller's thread: a reader thread would read
  // it during the signature checks, but faulting in its 1 MiB ring (256 fresh pages, slow in a
  // VM) measured slower, and far more variable, than the 1 MiB of pread it would save.
  if (read_ahead_tried_ || size_ <= ReadAhead::kChunkCount * ReadAhead::kChunkSize) return;
  read_ahead_tried_ = true;
  // The reader thread pays only on a core that would otherwise idle: with every core busy it
  // takes its time from the hashing thread and from the other work, and a 16 MiB verify measured
  // 14.8 ms reading on the caller's thread against 17 to 20 ms with a reader (13.4 against 14.4
  // with a core idle).
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  const int usable = ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  std::string loadavg(64, '\0');
  const int fd = ::open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
  const ssize_t n = fd >= 0 ? ::read(fd, loadavg.data(), loadavg.size()) : -1;
  if (fd >= 0) ::close(fd);
  loadavg.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (!reader_thread_pays(loadavg, usable)) return;
  try {
    read_ahead_ = std::make_unique<ReadAhead>(fd_, size_);
  } catch (const std::system_error&) {
    // No thread to be had: reading on this thread is slower, not wrong.
  }
}

Status FilePayload::read(std::uint64_t offset, MutableBytes out, Bytes& /*data: filled in out*/) {
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
