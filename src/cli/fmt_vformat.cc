// fmt_vformat.cc — {fmt}'s one out-of-line function the compliance engine calls (fmt::vformat,
// behind every fmt::format), compiled into the CLI from the installed headers. With it the CLI
// needs no libfmt.so, and so no shared C++ runtime: it links libstdc++ statically (FT_CLI_STATIC,
// src/cli/CMakeLists.txt). Debian ships {fmt} 9 as a shared library only.
//
// In header-only mode vformat is an inline function; odr-using it here emits its definition (a
// weak symbol of the same name), which satisfies the compliance engine's calls before the linker
// reaches libfmt.so. A call to another out-of-line {fmt} function would link libfmt.so again; the
// cli_static_link test reports that.
#define FMT_HEADER_ONLY 1
#include <fmt/format.h>

namespace ft::cli {

// gnu::used keeps the pointer, and with it vformat's definition, through optimisation.
[[gnu::used]] std::string (*const fmt_vformat)(fmt::string_view, fmt::format_args) = &fmt::vformat;

}  // namespace ft::cli
