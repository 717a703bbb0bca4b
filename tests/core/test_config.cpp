// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "core/config.hpp"

using loom::Error;
using loom::core::ConfigNode;

namespace {

// Runs `body` on the parsed text and returns the thrown message ("" if none).
template <class F>
std::string problems(const std::string& text, F body) {
  try {
    const auto root = ConfigNode::parse(text, "t.yaml");
    body(root);
    root.finish();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("config reports a negative size with file, line and key path") {
  const std::string msg = problems("a: 1\npe_array:\n  rows: -4\n", [](const ConfigNode& r) {
    r.child("pe_array").require_int("rows", 1);
  });
  CHECK(msg == "t.yaml:3 pe_array.rows: expected an integer > 0, got -4");
}

TEST_CASE("config rejects unknown keys and lists the valid ones") {
  const std::string msg = problems("rows: 4\nrowz: 5\n", [](const ConfigNode& r) {
    r.allow_keys({"rows", "cols"});
  });
  CHECK(msg == "t.yaml:2 rowz: unknown key (expected one of: rows, cols)");
}

TEST_CASE("config collects every problem of a file before throwing") {
  try {
    const auto r = ConfigNode::parse("a: x\nb: 2.5\nc: [1]\n", "t.yaml");
    (void)r.get_int("a", 0, 0);
    (void)r.get_int("b", 0, 0);
    (void)r.get_int("c", 0, 0);
    (void)r.require_int("d", 1);
    r.finish();
    FAIL("expected an error");
  } catch (const Error& e) {
    REQUIRE(e.diagnostics().size() == 4);
    CHECK(e.diagnostics()[0].line == 1);
    CHECK(e.diagnostics()[1].message == "expected an integer >= 0, got '2.5'");
    CHECK(e.diagnostics()[2].message == "expected a single value, got a list");
    CHECK(e.diagnostics()[3].key == "d");
  }
}

TEST_CASE("config names the line of malformed YAML") {
  try {
    (void)ConfigNode::parse("a: [1, 2\nb: 3\n", "bad.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).rfind("bad.yaml:", 0) == 0);
    CHECK(std::string(e.what()).find("malformed YAML") != std::string::npos);
  }
}

TEST_CASE("config reports a missing file by name") {
  CHECK_THROWS_WITH(ConfigNode::load_file("/nonexistent/x.yaml"),
                    "/nonexistent/x.yaml: cannot open file (does it exist?)");
}

TEST_CASE("config reads pairs as one integer or [h, w]") {
  const auto r = ConfigNode::parse("s: 2\np: [1, 3]\n", "t.yaml");
  CHECK(r.get_pair("s", {1, 1}, 1) == std::pair<std::int64_t, std::int64_t>{2, 2});
  CHECK(r.get_pair("p", {0, 0}, 0) == std::pair<std::int64_t, std::int64_t>{1, 3});
  CHECK(r.get_pair("q", {7, 8}, 0) == std::pair<std::int64_t, std::int64_t>{7, 8});
  r.finish();
}

TEST_CASE("config range checks doubles") {
  const std::string msg = problems(
      "clock_mhz: 0\n", [](const ConfigNode& r) { (void)r.get_double("clock_mhz", 1, 0); });
  CHECK(msg == "t.yaml:1 clock_mhz: expected a number > 0, got 0");
}

// Issue 15: yaml-cpp keeps a repeated key and lookups see the first, so an override was
// ignored silently; devices and pipes were read until memory ran out or blocked forever.
TEST_CASE("config refuses a key given twice in one map, at every depth, with its line") {
  const std::string msg =
      problems("a: 1\nb: {c: 2, c: 3}\nlist:\n  - {d: 1}\n  - {d: 1, d: 2}\na: 4\n",
               [](const ConfigNode&) {});
  CHECK_THAT(msg, Catch::Contains("t.yaml:2 c: duplicate key (YAML allows each key once per map)"));
  CHECK_THAT(msg, Catch::Contains("t.yaml:5 d: duplicate key"));
  CHECK_THAT(msg, Catch::Contains("t.yaml:6 a: duplicate key"));
}

TEST_CASE("config refuses devices and pipes instead of reading them forever") {
  CHECK_THROWS_WITH(ConfigNode::load_file("/dev/zero"),
                    "/dev/zero: is not a regular file (a device or pipe)");
}

TEST_CASE("config numbers in a range: inf, nan and values outside are refused") {
  for (const char* v : {"inf", "nan", ".inf", "1e400", "2e5", "0"}) {
    const std::string msg =
        problems(std::string("clock_mhz: ") + v + "\n",
                 [](const ConfigNode& r) { (void)r.get_number("clock_mhz", 1, 1e-3, 1e5); });
    CHECK_THAT(msg, Catch::Contains("clock_mhz: expected a number from 0.001 to 100000, got '"));
  }
}

// Found by fuzzing: a name holding a byte that is not UTF-8 (here 0x80, a lone continuation
// byte) passed yaml-cpp and then made summary.json's writer throw: an internal error.
TEST_CASE("config refuses YAML that is not UTF-8, naming the line and the byte") {
  const auto parse = [](const std::string& text) -> std::string {
    try {
      (void)ConfigNode::parse(text, "t.yaml");
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(parse("name: n\nlayers:\n  - {name: c\x80v}\n") ==
        "t.yaml:3: not UTF-8 text: byte 28 (0x80) starts no valid UTF-8 sequence; save the file "
        "as UTF-8");
  // Overlong form of '/', a UTF-16 surrogate, a code point above U+10FFFF, a sequence cut short.
  for (const char* bad :
       {"a: \xC0\xAF\n", "a: \xED\xA0\x80\n", "a: \xF4\x90\x80\x80\n", "a: \xE2\x82"})
    CHECK_THAT(parse(bad), Catch::Contains("t.yaml:1: not UTF-8 text: byte 3 (0x"));
  // Two-, three- and four-byte characters are names like any other.
  CHECK(parse("name: conv_é_层_𝛼\n").empty());
}
