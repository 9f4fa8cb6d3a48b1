// seed_tool.cc — takes SUIT envelopes apart into seeds for the other fuzz targets (used by
// fuzz/make_seeds.sh; not part of the product).
//
//   fuzz_seed_tool cose ENVELOPE OUTPREFIX      writes each COSE_Sign1 of the authentication
//                                               wrapper to OUTPREFIX-<i>.cose
//   fuzz_seed_tool manifest ENVELOPE OUTFILE    writes the encoded manifest map (CBOR)
//
// Exit status: 0 written, 2 usage, 3 the envelope does not parse or a file cannot be written.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/suit/suit.h"

namespace {

bool write(const std::string& path, ft::Bytes bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return out.good();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::strcmp(argv[1], "cose") != 0 && std::strcmp(argv[1], "manifest") != 0)) {
    std::fprintf(stderr, "usage: %s cose ENVELOPE OUTPREFIX | manifest ENVELOPE OUTFILE\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::vector<std::uint8_t> envelope((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto env = ft::suit::parse_envelope(envelope);
  if (!env.ok()) {
    std::fprintf(stderr, "%s: %s: not a SUIT envelope: %s (%s)\n", argv[0], argv[2], env.error().message,
                 ft::code_name(env.code()));
    return 3;
  }
  if (std::strcmp(argv[1], "manifest") == 0) {
    if (!write(argv[3], env->manifest)) {
      std::fprintf(stderr, "%s: %s: cannot write\n", argv[0], argv[3]);
      return 3;
    }
    return 0;
  }
  for (std::size_t i = 0; i < env->auth_block_count; ++i) {
    const std::string path = std::string(argv[3]) + "-" + std::to_string(i) + ".cose";
    if (!write(path, env->auth_blocks[i])) {
      std::fprintf(stderr, "%s: %s: cannot write\n", argv[0], path.c_str());
      return 3;
    }
  }
  return 0;
}
