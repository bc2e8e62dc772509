#include "core/json.h"

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/error.h"

namespace dynhook::core {
namespace {

// 2^53: the largest magnitude up to which every integer is an exact JavaScript number.
constexpr uint64_t kMaxSafeMagnitude = uint64_t{1} << 53;

// Lays out the shortest round-trip digits of a finite, positive double as ECMAScript's
// Number::toString does (ECMA-262 §6.1.6.1.20): `digits` holds k significant digits and the value
// is 0.digits × 10^n.
void AppendJsLayout(std::string& out, std::string_view digits, int n) {
  const int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) {
    out.append(digits);
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits.substr(0, n));
    out.push_back('.');
    out.append(digits.substr(n));
  } else if (-6 < n && n <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-n), '0');
    out.append(digits);
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits.substr(1));
    }
    const int e = n - 1;
    out.push_back('e');
    out.push_back(e < 0 ? '-' : '+');
    char buf[8];
    auto res = std::to_chars(buf, buf + sizeof buf, e < 0 ? -e : e);
    out.append(buf, res.ptr);
  }
}

void AppendJsNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  if (value == 0) {  // both zeros
    out.push_back('0');
    return;
  }
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits in the form d[.ddd]e±XX.
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, res.ptr - buf);
  const size_t ePos = sci.find('e');
  char digits[24];
  size_t k = 0;
  for (size_t i = 0; i < ePos; ++i) {
    if (sci[i] != '.') digits[k++] = sci[i];
  }
  int exponent = 0;
  const char* expBegin = sci.data() + ePos + 1;
  if (*expBegin == '+') ++expBegin;
  std::from_chars(expBegin, sci.data() + sci.size(), exponent);
  AppendJsLayout(out, std::string_view(digits, k), exponent + 1);
}

template <class Int>
void AppendInteger(std::string& out, Int value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

// Byte classes for string escaping: 0 copies as is, 1 needs an escape, 2 starts a multi-byte
// UTF-8 sequence (validated), 3 is never valid in UTF-8.
constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int c = 0x80; c < 0x100; ++c) t[c] = 3;
  for (int c = 0xC2; c <= 0xF4; ++c) t[c] = 2;
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[0] (a lead byte 0xC2..0xF4), or 0 when it is
// ill-formed; then `*consumed` is the length of its maximal subpart, which WHATWG's decoder (and
// so TextDecoder) replaces by one U+FFFD.
size_t Utf8SequenceLength(const unsigned char* s, size_t avail, size_t* consumed) {
  const unsigned char lead = s[0];
  size_t need;
  unsigned char lower = 0x80, upper = 0xBF;
  if (lead <= 0xDF) {
    need = 1;
  } else if (lead <= 0xEF) {
    need = 2;
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;  // no UTF-16 surrogates
  } else {
    need = 3;
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;  // nothing above U+10FFFF
  }
  size_t i = 1;
  for (; i <= need; ++i) {
    if (i >= avail || s[i] < lower || s[i] > upper) {
      *consumed = i;
      return 0;
    }
    lower = 0x80;
    upper = 0xBF;
  }
  *consumed = i;
  return i;
}

void AppendEscape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out.append("\\\"");
      return;
    case '\\':
      out.append("\\\\");
      return;
    case '\b':
      out.append("\\b");
      return;
    case '\f':
      out.append("\\f");
      return;
    case '\n':
      out.append("\\n");
      return;
    case '\r':
      out.append("\\r");
      return;
    case '\t':
      out.append("\\t");
      return;
    default: {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(esc, sizeof esc);
    }
  }
}

void AppendQuoted(std::string& out, std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  out.reserve(out.size() + size + 2);
  out.push_back('"');
  size_t runStart = 0;
  size_t i = 0;
  while (i < size) {
    const uint8_t cls = kByteClass[s[i]];
    if (cls == 0) {
      ++i;
      continue;
    }
    size_t consumed = 1;
    if (cls == 2 && Utf8SequenceLength(s + i, size - i, &consumed) != 0) {
      i += consumed;  // valid: stays in the raw run
      continue;
    }
    out.append(text.data() + runStart, i - runStart);
    if (cls == 1) {
      AppendEscape(out, s[i]);
    } else {
      out.append(kReplacement);
    }
    i += consumed;
    runStart = i;
  }
  out.append(text.data() + runStart, size - runStart);
  out.push_back('"');
}

void AppendValue(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      out.append("null");
      return;
    case boost::json::kind::bool_:
      out.append(value.get_bool() ? "true" : "false");
      return;
    case boost::json::kind::int64: {
      const int64_t v = value.get_int64();
      const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      if (magnitude <= kMaxSafeMagnitude) {
        AppendInteger(out, v);
      } else {
        AppendJsNumber(out, static_cast<double>(v));
      }
      return;
    }
    case boost::json::kind::uint64: {
      const uint64_t v = value.get_uint64();
      if (v <= kMaxSafeMagnitude) {
        AppendInteger(out, v);
      } else {
        AppendJsNumber(out, static_cast<double>(v));
      }
      return;
    }
    case boost::json::kind::double_:
      AppendJsNumber(out, value.get_double());
      return;
    case boost::json::kind::string: {
      const auto& s = value.get_string();
      AppendQuoted(out, std::string_view(s.data(), s.size()));
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendValue(out, element);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendQuoted(out, std::string_view(member.key().data(), member.key().size()));
        out.push_back(':');
        AppendValue(out, member.value());
      }
      out.push_back('}');
      return;
    }
  }
}

// Boost.JSON's handler for building a value, except that numbers which are not exact integers
// are re-read from their text with std::from_chars: Boost 1.81's own conversion is not correctly
// rounded (about one double in four comes back one ulp off), and the result must be the double
// JSON.parse gives, or re-serialising would change signed payloads.
struct ValueHandler {
  static constexpr size_t max_object_size = boost::json::object::max_size();
  static constexpr size_t max_array_size = boost::json::array::max_size();
  static constexpr size_t max_key_size = boost::json::string::max_size();
  static constexpr size_t max_string_size = boost::json::string::max_size();
  using ec_t = boost::json::error_code;
  using sv_t = boost::json::string_view;

  boost::json::value_stack st;
  std::string number;  // the parts of a number split across buffers (not with one buffer)

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) { return true; }
  bool on_object_end(size_t n, ec_t&) { return st.push_object(n), true; }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(size_t n, ec_t&) { return st.push_array(n), true; }
  bool on_key_part(sv_t s, size_t, ec_t&) { return st.push_chars(s), true; }
  bool on_key(sv_t s, size_t, ec_t&) { return st.push_key(s), true; }
  bool on_string_part(sv_t s, size_t, ec_t&) { return st.push_chars(s), true; }
  bool on_string(sv_t s, size_t, ec_t&) { return st.push_string(s), true; }
  bool on_number_part(sv_t s, ec_t&) { return number.append(s.data(), s.size()), true; }
  bool on_int64(int64_t i, sv_t, ec_t&) { return number.clear(), st.push_int64(i), true; }
  bool on_uint64(uint64_t u, sv_t, ec_t&) { return number.clear(), st.push_uint64(u), true; }
  bool on_double(double approx, sv_t s, ec_t&) {
    number.append(s.data(), s.size());
    st.push_double(PreciseDouble(approx));
    number.clear();
    return true;
  }
  bool on_bool(bool b, ec_t&) { return st.push_bool(b), true; }
  bool on_null(ec_t&) { return st.push_null(), true; }
  bool on_comment_part(sv_t, ec_t&) { return true; }
  bool on_comment(sv_t, ec_t&) { return true; }

  double PreciseDouble(double approx) const {
    double value = 0;
    auto res = std::from_chars(number.data(), number.data() + number.size(), value);
    if (res.ec == std::errc::result_out_of_range) {
      // Beyond the double range: JavaScript gives ±Infinity or ±0, as Boost's estimate shows.
      const bool negative = number.starts_with('-');
      value = std::fabs(approx) > 1 ? HUGE_VAL : 0.0;
      return negative ? -value : value;
    }
    return res.ec == std::errc() ? value : approx;
  }
};

std::string ParseFailure(size_t offset, const boost::json::error_code& ec) {
  return "invalid JSON at offset " + std::to_string(offset) + ": " + ec.message();
}

}  // namespace

std::string Stringify(const boost::json::value& value) {
  std::string out;
  out.reserve(256);
  AppendValue(out, value);
  return out;
}

void AppendJson(std::string& out, const boost::json::value& value) { AppendValue(out, value); }

std::string JsNumber(double value) {
  std::string out;
  AppendJsNumber(out, value);
  return out;
}

std::string JsonQuote(std::string_view text) {
  std::string out;
  AppendQuoted(out, text);
  return out;
}

Result<boost::json::value> ParseJson(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.maxBytes) {
    return errors::Validation("invalid JSON: " + std::to_string(text.size()) +
                              " bytes exceed the limit of " + std::to_string(limits.maxBytes));
  }
  boost::json::parse_options options;
  options.max_depth = limits.maxDepth;
  boost::json::basic_parser<ValueHandler> parser(options);
  parser.handler().st.reset(boost::json::storage_ptr());
  boost::json::error_code ec;
  const size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return errors::Validation(ParseFailure(consumed, ec));
  if (consumed < text.size()) {
    return errors::Validation(ParseFailure(consumed, boost::json::error::extra_data));
  }
  if (!parser.done()) {
    return errors::Validation(ParseFailure(consumed, boost::json::error::incomplete));
  }
  return parser.handler().st.release();
}

Result<boost::json::object> ParseJsonObject(std::string_view text, const ParseLimits& limits) {
  auto parsed = ParseJson(text, limits);
  if (!parsed.ok()) return parsed.take_error();
  if (!parsed->is_object()) return errors::Validation("invalid JSON: expected an object");
  return std::move(parsed->get_object());
}

}  // namespace dynhook::core
