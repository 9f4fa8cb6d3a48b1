#include "ft/verify/file_map.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace ft::verify {

namespace {

// The active mapping, for the SIGBUS handler: a handler may read only lock-free atomics.
std::atomic<bool> g_claimed{false};  // a FileMap exists
std::atomic<std::uintptr_t> g_begin{0};
std::atomic<std::uintptr_t> g_end{0};
std::atomic<bool> g_shrank{false};
std::uintptr_t g_page_mask = 0;
struct sigaction g_previous {};  // the disposition before map() installed on_sigbus

void on_sigbus(int /*signal*/, siginfo_t* info, void* /*context*/) {
  const int saved_errno = errno;
  const auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  const std::uintptr_t begin = g_begin.load();
  const std::uintptr_t end = g_end.load();
  if (begin != 0 && address >= begin && address < end) {
    // The file ended before this page: zeros from here on, so that the read completes, and the
    // consumer learns from shrank() that they are not the file's. (mmap is a plain system call
    // here; the handler touches nothing else.)
    const std::uintptr_t page = address & g_page_mask;
    void* zeros = ::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                         -1, 0);
    if (zeros != MAP_FAILED) {
      g_shrank.store(true);
      errno = saved_errno;
      return;
    }
  }
  // Not the mapping's fault, or no zeros to be had: the previous disposition takes the signal when
  // the faulting access runs again on return.
  ::sigaction(SIGBUS, &g_previous, nullptr);
  errno = saved_errno;
}

}  // namespace

std::unique_ptr<FileMap> FileMap::map(int fd, std::uint64_t size, bool pager) {
  if (size == 0 || size > SIZE_MAX || g_claimed.exchange(true)) return nullptr;
  void* base = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED) {
    g_claimed.store(false);
    return nullptr;
  }
  g_page_mask = ~(static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE)) - 1);
  g_shrank.store(false);
  g_begin.store(reinterpret_cast<std::uintptr_t>(base));
  g_end.store(reinterpret_cast<std::uintptr_t>(base) + static_cast<std::uintptr_t>(size));
  struct sigaction action {};
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGBUS, &action, &g_previous);

  std::unique_ptr<FileMap> map(new FileMap(static_cast<std::uint8_t*>(base), size));
  if (pager) {
    try {
      map->pager_ = std::thread([m = map.get()] { m->page(); });
    } catch (const std::system_error&) {
      // No thread to be had: the consumer faults the pages in itself, slower, not wrong.
    }
  }
  return map;
}

FileMap::FileMap(std::uint8_t* base, std::uint64_t size) : base_(base), size_(size) {}

FileMap::~FileMap() {
  stop_.store(true);  // a pager polling sees it within one poll
  if (pager_.joinable()) {
    // At idle priority on a busy machine the pager might wait long for a CPU to see stop_: it
    // gets back the normal priority to finish.
    if (const pid_t tid = pager_tid_.load(); tid != 0) {
      sched_param normal{};
      (void)::sched_setscheduler(tid, SCHED_OTHER, &normal);
    }
    pager_.join();
  }
  g_begin.store(0);
  g_end.store(0);
  ::sigaction(SIGBUS, &g_previous, nullptr);
  ::munmap(base_, static_cast<std::size_t>(size_));
  g_claimed.store(false);
}

bool FileMap::shrank() const { return g_shrank.load(); }

void FileMap::page() {
  // SCHED_IDLE: the pager runs only on a CPU that would otherwise idle, so it never takes time
  // from the consumer or from other work; when none is idle, the consumer faults the pages in
  // itself. (Measured, bench/verify_bench.sh: 16 and 256 MiB as fast as at normal priority.)
  pager_tid_.store(::gettid());
  sched_param idle{};
  (void)::sched_setscheduler(0, SCHED_IDLE, &idle);
  // SHA-256 takes ~1 ms for a 2 MiB step here and populating it ~0.15 ms: the pager stays ahead
  // with one wake-up per step or so.
  constexpr timespec kPoll{0, 100'000};
  std::uint64_t populated = 0;
  std::uint64_t dropped = 0;
  bool populating = true;
  while (!stop_.load(std::memory_order_relaxed)) {
    const std::uint64_t position = position_.load(std::memory_order_relaxed);
    if (populating && populated < size_ && populated < position + kAhead) {
      const std::uint64_t n = std::min(kStep, size_ - populated);
      // Fails (EFAULT) where the file has shrunk, and on kernels before 5.14 (EINVAL): the
      // consumer's own faults take over from there.
      populating = ::madvise(base_ + populated, static_cast<std::size_t>(n), MADV_POPULATE_READ) == 0;
      populated += n;
      continue;
    }
    if (dropped + kStep <= position) {
      // Below position the consumer is done: dropping those page-table entries now spares the
      // consumer's thread the unmapping of the whole file at the end (~14 ms for 256 MiB).
      ::madvise(base_ + dropped, static_cast<std::size_t>(kStep), MADV_DONTNEED);
      dropped += kStep;
      continue;
    }
    ::nanosleep(&kPoll, nullptr);
  }
}

}  // namespace ft::verify
