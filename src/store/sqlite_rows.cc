#include "store/sqlite_rows.h"

#include <boost/json.hpp>

namespace dynhook::store {

std::string EncodeList(const std::vector<std::string>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const std::string& item : items) array.emplace_back(item);
  return boost::json::serialize(array);
}

core::Result<std::vector<std::string>> DecodeList(std::string_view json, std::string_view column) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(json, error);
  if (error || !value.is_array()) {
    return core::errors::Internal("corrupt list in column " + std::string(column));
  }
  std::vector<std::string> items;
  items.reserve(value.as_array().size());
  for (const boost::json::value& item : value.as_array()) {
    if (!item.is_string()) {
      return core::errors::Internal("corrupt list in column " + std::string(column));
    }
    items.emplace_back(item.as_string());
  }
  return items;
}

}  // namespace dynhook::store
