// SPDX-License-Identifier: Apache-2.0
// SCALE-Sim v2 .cfg import (INI: [general], [architecture_presets], [run_presets]). The result
// runs in compat: scalesim mode. SCALE-Sim has no clock; Loom assumes 1 GHz (docs). Its words
// are one byte. `InterfaceBandwidth: CALC` means DRAM never stalls (bandwidth unbounded here);
// `USER` takes `Bandwidth` in words per cycle per buffer interface.
#include <charconv>
#include <map>
#include <sstream>

#include "arch/accelerator.hpp"
#include "core/config.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"

namespace loom::arch {
namespace {

struct CfgValue {
  std::string text;
  int line = 0;
};

// Keys SCALE-Sim v2 defines that do not change what Loom models (address offsets, request
// buffers, trace options, topology path); accepted and ignored so real .cfg files load.
const char* const kIgnored[] = {"run_name",
                                "ifmapoffset",
                                "filteroffset",
                                "ofmapoffset",
                                "readrequestbuffer",
                                "writerequestbuffer",
                                "topologycsvloc",
                                "useramulatortrace",
                                "sparsitysupport",
                                "sparserep",
                                "optimizedmapping",
                                "blocksize",
                                "randomnumbergeneratorseed"};
const char* const kUsed[] = {"arrayheight",    "arraywidth",    "ifmapsramszkb",
                             "filtersramszkb", "ofmapsramszkb", "dataflow",
                             "bandwidth",      "memorybanks",   "interfacebandwidth"};

constexpr std::int64_t kMaxArraySide = 1 << 16;      // as pe_array.rows/cols
constexpr std::int64_t kMaxBanks = 4096;             // as a level's banks
constexpr std::int64_t kMaxSramKb = 1 << 30;         // 1 TiB, as size_kib
constexpr std::int64_t kMaxWordsPerCycle = 1 << 20;  // per interface

}  // namespace

Accelerator load_scalesim_cfg(const std::filesystem::path& path) {
  std::istringstream in(core::read_text_file(path));
  const std::string file = path.string();
  std::map<std::string, CfgValue> kv;
  std::map<std::string, std::string> run_name;
  Diagnostics diags;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string t = core::trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';' || t[0] == '[') continue;
    const auto sep = t.find_first_of(":=");
    if (sep == std::string::npos) {
      diags.add({file, "", line_no, "expected 'Key: value', got '" + t + "'"});
      continue;
    }
    const std::string key = core::to_lower(core::trim(t.substr(0, sep)));
    const std::string value = core::trim(t.substr(sep + 1));
    bool known = false;
    for (const char* k : kUsed) known = known || key == k;
    for (const char* k : kIgnored) known = known || key == k;
    if (!known) {
      diags.add({file, core::trim(t.substr(0, sep)), line_no, "unknown SCALE-Sim key"});
      continue;
    }
    if (auto it = kv.find(key); it != kv.end()) {
      diags.add({file, core::trim(t.substr(0, sep)), line_no,
                 "duplicate key (first given on line " + std::to_string(it->second.line) + ")"});
      continue;
    }
    kv[key] = {value, line_no};
  }
  // Upper bounds as for Loom's own accelerator YAML (docs/limits.md).
  auto get_int = [&](const char* key, std::int64_t fallback, bool required,
                     std::int64_t max) -> std::int64_t {
    auto it = kv.find(key);
    if (it == kv.end()) {
      if (required) diags.add({file, key, 0, "missing required key"});
      return fallback;
    }
    const std::string& s = it->second.text;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 1 || v > max) {
      diags.add({file, key, it->second.line,
                 "expected an integer > 0 and <= " + std::to_string(max) + ", got '" + s + "'"});
      return fallback;
    }
    return v;
  };

  Accelerator a;
  a.source = file;
  a.name = kv.count("run_name") ? kv["run_name"].text : path.stem().string();
  a.description = "SCALE-Sim v2 configuration " + path.filename().string();
  a.compat = Compat::scalesim;
  a.schedule = ControllerSchedule::layerwise;  // SCALE-Sim runs one layer at a time
  a.clock_hz = 1e9;
  a.array.rows = get_int("arrayheight", 32, true, kMaxArraySide);
  a.array.cols = get_int("arraywidth", 32, true, kMaxArraySide);
  a.array.pe = PeSpec{.weight_bits = 8, .activation_bits = 8, .accumulator_bits = 32};
  if (auto it = kv.find("dataflow"); it != kv.end()) {
    if (auto d = core::parse_enum(kDataflows, core::to_lower(it->second.text));
        d && is_systolic(*d))
      a.dataflow = *d;
    else
      diags.add({file, "Dataflow", it->second.line,
                 "unknown dataflow '" + it->second.text + "' (expected one of: os, ws, is)"});
  } else {
    diags.add({file, "Dataflow", 0, "missing required key"});
  }
  const int banks = static_cast<int>(get_int("memorybanks", 1, false, kMaxBanks));
  std::string mode = "calc";
  if (auto it = kv.find("interfacebandwidth"); it != kv.end()) {
    mode = core::to_lower(it->second.text);
    if (mode != "calc" && mode != "user")
      diags.add({file, "InterfaceBandwidth", it->second.line,
                 "expected CALC or USER, got '" + it->second.text + "'"});
  }
  MemoryLevel dram{.name = "dram", .kind = LevelKind::dram, .word_bits = 8, .banks = 1};
  // SCALE-Sim gives each of its three buffers (ifmap, filter, ofmap) its own DRAM interface of
  // `Bandwidth` words per cycle (its BANDWIDTH_REPORT shows all three near the limit at once);
  // Loom's DRAM level is one shared channel, so it gets the three interfaces' sum.
  if (mode == "user")
    dram.bandwidth_bytes_per_cycle =
        3.0 * static_cast<double>(get_int("bandwidth", 10, true, kMaxWordsPerCycle));
  a.levels.push_back(dram);
  const char* size_keys[3] = {"ifmapsramszkb", "filtersramszkb", "ofmapsramszkb"};
  const char* names[3] = {"ifmap_sram", "filter_sram", "ofmap_sram"};
  for (int o = 0; o < kOperands; ++o) {
    MemoryLevel l{.name = names[o], .kind = LevelKind::sram};
    l.holds = {o == 0, o == 1, o == 2};
    l.size_bytes = get_int(size_keys[o], 64, true, kMaxSramKb) * 1024;
    l.word_bits = 8;
    l.banks = banks;
    a.levels.push_back(l);
  }
  diags.throw_if_any();
  return a;
}

}  // namespace loom::arch
