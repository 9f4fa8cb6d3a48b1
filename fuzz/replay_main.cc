// replay_main.cc — runs saved fuzzer inputs through a target without libFuzzer, so every host build
// (g++, and the asan preset) replays the corpora under ctest.
//
// Usage: <target>_replay PATH...   PATH is a corpus directory (every regular file in it, sorted by
// name, so runs are reproducible) or a single input file. A crash, sanitizer report or abort in the
// target fails the test; the driver itself fails when a PATH is missing or holds no input at all,
// so a moved or emptied corpus does not pass silently.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool read_whole_file(const fs::path& path, std::vector<std::uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// inputs_of lists the files to replay for one PATH argument; false when it does not exist.
bool inputs_of(const fs::path& path, std::vector<fs::path>& out) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    out.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) return false;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  if (ec) return false;
  std::sort(files.begin(), files.end());
  out.insert(out.end(), files.begin(), files.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (!inputs_of(argv[i], inputs)) {
      std::fprintf(stderr, "%s: %s: no such corpus directory or input file\n", argv[0], argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "%s: no inputs to replay (empty corpus)\n", argv[0]);
    return 2;
  }
  std::vector<std::uint8_t> data;
  for (const fs::path& input : inputs) {
    if (!read_whole_file(input, data)) {
      std::fprintf(stderr, "%s: %s: cannot read\n", argv[0], input.c_str());
      return 2;
    }
    // Announce the input first: if the target crashes, the last line names the culprit.
    std::fprintf(stderr, "replay %s (%zu bytes)\n", input.c_str(), data.size());
    // A copy in an exactly sized heap block, as libFuzzer does, so ASan sees any over-read.
    std::vector<std::uint8_t> exact(data.begin(), data.end());
    LLVMFuzzerTestOneInput(exact.data(), exact.size());
  }
  std::fprintf(stderr, "replayed %zu inputs\n", inputs.size());
  return 0;
}
