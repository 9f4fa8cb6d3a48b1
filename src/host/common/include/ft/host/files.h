// ft/host/files.h — reading and writing files with errors a user can act on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::host {

// read_file returns the whole file. Throws UserError naming the file when it is missing,
// unreadable, a directory, or larger than max_size bytes.
std::vector<std::uint8_t> read_file(const std::string& path, std::uint64_t max_size = 1ull << 32);

// read_text_file is read_file as a string.
std::string read_text_file(const std::string& path, std::uint64_t max_size = 64ull << 20);

// write_file_atomic writes data to a temporary file beside path, fsyncs it, sets mode and renames
// it over path, so a reader sees the old file or the whole new one, never a part. Throws UserError.
void write_file_atomic(const std::string& path, Bytes data, unsigned mode = 0644);
void write_file_atomic(const std::string& path, const std::string& text, unsigned mode = 0644);

// file_exists is true for an existing regular file.
bool file_exists(const std::string& path);

}  // namespace ft::host
