// Checks core::Stringify against the real thing: node's JSON.stringify, String(number) and
// TextDecoder, on a seeded corpus of several thousand numbers and strings. Data goes through
// files in a temporary folder; node runs a fixed script with `node -e`.
// Skipped when node is missing, unless the CI environment variable is set (then it fails).
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "support/run_command.h"

extern char** environ;

namespace dynhook::core {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNodeScript = R"js(
const fs = require('fs');
const [mode, inPath, outPath] = process.argv.slice(1);
const hexLines = () => fs.readFileSync(inPath, 'latin1').split('\n').filter(Boolean);
const lines = [];
if (mode === 'roundtrip') {
  const doc = JSON.parse(fs.readFileSync(inPath, 'utf8'));
  lines.push(JSON.stringify(doc));
  for (const item of doc) lines.push(JSON.stringify(item));
} else if (mode === 'bits') {
  for (const hex of hexLines()) lines.push(String(Buffer.from(hex, 'hex').readDoubleBE(0)));
} else if (mode === 'decode') {
  const decoder = new TextDecoder();
  for (const hex of hexLines()) lines.push(JSON.stringify(decoder.decode(Buffer.from(hex, 'hex'))));
} else {
  throw new Error('unknown mode ' + mode);
}
fs.writeFileSync(outPath, lines.join('\n') + '\n');
)js";

using ::dynhook::test::FindOnPath;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  ASSERT_TRUE(out.good()) << path;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line, '\n')) lines.push_back(line);
  return lines;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

class JsonNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = FindOnPath("node");
    if (node_.empty()) {
      if (std::getenv("CI") != nullptr) FAIL() << "node is not on PATH (required in CI)";
      GTEST_SKIP() << "node is not on PATH";
    }
    std::string pattern = (fs::temp_directory_path() / "dynhook-json-node-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  // Runs the node script in `mode` on `input`; returns its output lines.
  std::vector<std::string> RunNode(const std::string& mode, const std::string& input) {
    const fs::path in = dir_ / (mode + ".in"), out = dir_ / (mode + ".out");
    WriteFile(in, input);
    std::vector<std::string> args = {node_, "-e", kNodeScript, mode, in.string(), out.string()};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, node_.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      ADD_FAILURE() << "cannot start " << node_;
      return {};
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "node failed, mode " << mode;
    return SplitLines(ReadFile(out));
  }

  std::string node_;
  fs::path dir_;
};

// Seeded doubles across all magnitudes: random bit patterns, subnormals, integers, short
// decimals, and neighbours of every power of ten (where the layout rules switch).
std::vector<double> NumberCorpus() {
  std::mt19937_64 rng(20261126);
  std::vector<double> out;
  auto add = [&](double d) {
    if (std::isfinite(d)) out.push_back(d);
  };
  for (int i = 0; i < 2000; ++i) add(std::bit_cast<double>(rng()));
  for (int i = 0; i < 400; ++i) add(std::bit_cast<double>(rng() & ((uint64_t{1} << 52) - 1)));
  for (int i = 0; i < 400; ++i) add(static_cast<double>(rng() >> (rng() % 64)));
  for (int i = 0; i < 800; ++i) {
    add(static_cast<double>(static_cast<int64_t>(rng() % 2000000) - 1000000) /
        std::pow(10.0, static_cast<double>(rng() % 9)));
  }
  for (int e = -323; e <= 308; ++e) {
    const double p = std::strtod(("1e" + std::to_string(e)).c_str(), nullptr);
    add(p);
    add(std::nextafter(p, 0.0));
    add(-std::nextafter(p, HUGE_VAL));
  }
  for (double d : {0.0, -0.0, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308,
                   9007199254740992.0, 9007199254740994.0, 1e21, 1e-7, 0.000001, 1.5e-6}) {
    add(d);
  }
  return out;
}

std::vector<std::string> StringCorpus() {
  std::vector<std::string> out;
  for (int c = 0; c < 0x20; ++c) out.push_back(std::string("<") + static_cast<char>(c) + ">");
  for (const char* s :
       {"", "plain", "\"quoted\"", "back\\slash", "slash/", "\x7f", "\xE2\x80\xA8\xE2\x80\xA9",
        "\xF0\x9F\x98\x80 emoji", "\xEF\xBB\xBF bom", "\xC2\x80\xDF\xBF", "\xF4\x8F\xBF\xBF",
        "caf\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87", "</script>", "line\r\nbreak\ttab"}) {
    out.emplace_back(s);
  }
  // Random strings of tricky pieces.
  const std::vector<std::string> pieces = {"a",
                                           "\"",
                                           "\\",
                                           "\n",
                                           "\x01",
                                           "\x1f",
                                           " ",
                                           "\x7f",
                                           "\xC3\xA9",
                                           "\xE2\x80\xA8",
                                           "\xF0\x9F\x8E\x89",
                                           "0"};
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string s;
    for (int n = rng() % 12; n > 0; --n) s += pieces[rng() % pieces.size()];
    out.push_back(s);
  }
  return out;
}

TEST_F(JsonNodeTest, ParseStringifyRoundTripIsIdentity) {
  boost::json::array doc;
  for (double d : NumberCorpus()) doc.emplace_back(d);
  std::mt19937_64 rng(99);
  for (int i = 0; i < 300; ++i) {
    const int64_t v = static_cast<int64_t>(rng()) >> (rng() % 63);
    doc.emplace_back(v);
  }
  doc.emplace_back(std::numeric_limits<uint64_t>::max());
  for (const auto& s : StringCorpus()) doc.emplace_back(boost::json::string(s));
  boost::json::object nested;
  nested["z"] = 1;
  nested["\xE2\x80\xA8key\n"] = boost::json::array{1.5, nullptr, true, "x"};
  nested["a"] = boost::json::object{{"b", boost::json::array{}}, {"c", boost::json::object{}}};
  doc.emplace_back(std::move(nested));

  const std::string ours = Stringify(doc);
  const auto lines = RunNode("roundtrip", ours);
  ASSERT_EQ(lines.size(), doc.size() + 1);
  for (size_t i = 0; i < doc.size(); ++i) {
    EXPECT_EQ(Stringify(doc[i]), lines[i + 1]) << "item " << i;
  }
  EXPECT_TRUE(lines[0] == ours) << "whole document differs";
  // And our parser reads node's output back to the same doubles.
  auto reparsed = ParseJson(lines[0], ParseLimits{.maxBytes = lines[0].size()});
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().description;
  EXPECT_TRUE(Stringify(*reparsed) == ours) << "ParseJson changed a value";
}

TEST_F(JsonNodeTest, NumbersMatchStringOfTheSameBits) {
  const auto numbers = NumberCorpus();
  std::string input;
  for (double d : numbers) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(std::bit_cast<uint64_t>(d)));
    input.append(hex).push_back('\n');
  }
  const auto lines = RunNode("bits", input);
  ASSERT_EQ(lines.size(), numbers.size());
  int mismatches = 0;
  for (size_t i = 0; i < numbers.size() && mismatches < 20; ++i) {
    if (JsNumber(numbers[i]) != lines[i]) ++mismatches;
    EXPECT_EQ(JsNumber(numbers[i]), lines[i]) << "bits of item " << i;
  }
}

TEST_F(JsonNodeTest, InvalidUtf8DecodesAsTextDecoder) {
  std::vector<std::string> samples = {"\xFF",
                                      "\x80",
                                      "a\xC0\xAF",
                                      "\xE0\x80\x80",
                                      "\xED\xA0\x80",
                                      "\xED\xBF\xBF",
                                      "\xF4\x90\x80\x80",
                                      "\xF0\x9F\x98",
                                      "\xF0\x9F\x98x",
                                      "\xE2\x80\"",
                                      "\xF8\x88\x80\x80\x80",
                                      "\xC2",
                                      "ok\xC3\xA9\xC3"};
  std::mt19937 rng(3);
  for (int i = 0; i < 500; ++i) {
    std::string s;
    for (int n = rng() % 8; n > 0; --n) s.push_back(static_cast<char>(rng() % 256));
    samples.push_back(s);
  }
  std::string input;
  for (const auto& s : samples) input += Hex(s) + "\n";
  // An empty sample would be an empty line, which the script skips.
  const auto lines = RunNode("decode", input);
  size_t line = 0;
  for (const auto& s : samples) {
    if (s.empty()) continue;
    ASSERT_LT(line, lines.size());
    EXPECT_EQ(JsonQuote(s), lines[line++]) << "bytes " << Hex(s);
  }
  EXPECT_EQ(line, lines.size());
}

}  // namespace
}  // namespace dynhook::core
