#include "ft/base/error.h"

namespace ft {

const char* code_name(Code code) {
  switch (code) {
#define FT_ERROR_NAME_(name, value, description) \
  case Code::name:                               \
    return #name;
    FT_ERROR_CODES(FT_ERROR_NAME_)
#undef FT_ERROR_NAME_
  }
  return "unknown";
}

const char* code_description(Code code) {
  switch (code) {
#define FT_ERROR_DESC_(name, value, description) \
  case Code::name:                               \
    return description;
    FT_ERROR_CODES(FT_ERROR_DESC_)
#undef FT_ERROR_DESC_
  }
  return "";
}

}  // namespace ft
