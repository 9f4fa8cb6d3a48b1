#include "swtpm_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ft::device::testing {

namespace {

bool port_free(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

int ephemeral_low() {
  int low = 32768;
  if (std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
    if (std::fscanf(f, "%d", &low) != 1) low = 32768;
    std::fclose(f);
  }
  return low;
}

std::string find_swtpm() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
    const std::string path = std::string(dir) + "/swtpm";
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

}  // namespace

bool SwtpmProcess::available() { return !find_swtpm().empty(); }

SwtpmProcess::SwtpmProcess() {
  const std::string swtpm = find_swtpm();
  if (swtpm.empty()) throw std::runtime_error("swtpm is not installed (scripts/install-deps.sh installs it)");
  std::string templ = (std::filesystem::temp_directory_path() / "ft-swtpm-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory for swtpm");
  state_dir_ = templ;
  // Ports are drawn below the kernel's ephemeral range: a port in that range can be held by a
  // client connection's TIME_WAIT, and swtpm's bind then fails although nobody listens. Another
  // process may still take a pair between the check and swtpm's bind, so a start that fails is
  // retried on another pair.
  std::mt19937 rng(static_cast<unsigned>(::getpid()) ^ static_cast<unsigned>(std::random_device{}()));
  const int span = std::max(100, (ephemeral_low() - 10002) / 2);
  std::string last_error = "no free loopback port pair for swtpm";
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int candidate = 10000 + static_cast<int>(rng() % static_cast<unsigned>(span)) * 2;
    if (!port_free(candidate) || !port_free(candidate + 1)) continue;
    port_ = candidate;
    if (start(swtpm, last_error)) return;
  }
  port_ = 0;
  std::error_code ec;
  std::filesystem::remove_all(state_dir_, ec);
  throw std::runtime_error(last_error);
}

bool SwtpmProcess::start(const std::string& swtpm, std::string& error) {
  const std::vector<std::string> args = {
      swtpm, "socket", "--tpm2", "--tpmstate", "dir=" + state_dir_,
      "--server", "type=tcp,port=" + std::to_string(port_) + ",bindaddr=127.0.0.1",
      "--ctrl", "type=tcp,port=" + std::to_string(port_ + 1) + ",bindaddr=127.0.0.1",
      "--flags", "not-need-init,startup-clear"};
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed for swtpm");
  if (pid_ == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(swtpm.c_str(), argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error = "swtpm exited at start (port " + std::to_string(port_) + ")";
      return false;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill_process();
      error = "swtpm does not answer on port " + std::to_string(port_);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

SwtpmProcess::~SwtpmProcess() { stop(); }

void SwtpmProcess::kill_process() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void SwtpmProcess::stop() {
  kill_process();
  std::error_code ec;
  std::filesystem::remove_all(state_dir_, ec);
}

std::string SwtpmProcess::tcti() const { return "swtpm:host=127.0.0.1,port=" + std::to_string(port_); }

}  // namespace ft::device::testing
