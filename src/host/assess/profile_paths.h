// profile_paths.h — resolving paths written in profiles (private to ft_assess).
#pragma once

#include <filesystem>
#include <string>

namespace ft::assess::detail {

// resolve_path returns path as is when absolute, else base_dir/path, lexically normalised.
inline std::string resolve_path(const std::string& base_dir, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || base_dir.empty()) return p.lexically_normal().string();
  return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

// directory_of returns the directory part of file ("." when it has none).
inline std::string directory_of(const std::string& file) {
  const auto parent = std::filesystem::path(file).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace ft::assess::detail
