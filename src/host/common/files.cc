#include "ft/host/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "ft/host/error.h"

namespace ft::host {

namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::uint8_t> read_file(const std::string& path, std::uint64_t max_size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UserError(path + ": cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = errno_text();
    ::close(fd);
    throw UserError(path + ": cannot stat: " + why);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw UserError(path + ": is a directory, expected a file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    ::close(fd);
    throw UserError(path + ": file is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                    std::to_string(max_size));
  }
  std::vector<std::uint8_t> data(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? errno_text() : "file shrank while reading";
      ::close(fd);
      throw UserError(path + ": read failed: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return data;
}

std::string read_text_file(const std::string& path, std::uint64_t max_size) {
  const auto data = read_file(path, max_size);
  return std::string(data.begin(), data.end());
}

void write_file_atomic(const std::string& path, Bytes data, unsigned mode) {
  std::random_device rd;
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
  if (fd < 0) throw UserError(path + ": cannot create: " + errno_text(), kExitEnvironment);
  std::size_t done = 0;
  bool ok = true;
  std::string why;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      why = errno_text();
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (ok && ::fchmod(fd, mode & 07777) != 0) {
    ok = false;
    why = errno_text();
  }
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    why = errno_text();
  }
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    why = errno_text();
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    throw UserError(path + ": write failed: " + why, kExitEnvironment);
  }
}

void write_file_atomic(const std::string& path, const std::string& text, unsigned mode) {
  write_file_atomic(path, Bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), mode);
}

}  // namespace ft::host
