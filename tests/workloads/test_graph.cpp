// SPDX-License-Identifier: Apache-2.0
// Graph edges (Layer::inputs) in workload YAML and the zoo, the YAML keys added for imported
// networks (asymmetric padding, stated output sizes), and the YAML writer's round trip.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "workloads/graph.hpp"

using namespace loom::workloads;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    (void)parse_workload_yaml(yaml, "g.yaml");
  } catch (const loom::Error& e) {
    return e.what();
  }
  return "";
}

const Layer& named(const Network& net, const std::string& name) {
  const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                               [&](const Layer& l) { return l.name == name; });
  REQUIRE(it != net.layers.end());
  return *it;
}

}  // namespace

TEST_CASE("a layer reads the previous one unless it lists its inputs") {
  const auto net = parse_workload_yaml(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8, R: 3, padding: 1}
  - {name: b, op: conv, C: 8, M: 8, H: 8, R: 3, padding: 1}
  - {name: side, op: conv, inputs: [a], C: 8, M: 8, H: 8}
  - {name: sum, op: add, inputs: [b, side], C: 8, H: 8}
  - {name: again, op: conv, inputs: [], C: 3, M: 4, H: 8}
)",
                                       "t.yaml");
  CHECK(named(net, "a").inputs.empty());
  CHECK(named(net, "b").inputs == std::vector<std::string>{"a"});
  CHECK(named(net, "sum").inputs == std::vector<std::string>{"b", "side"});
  CHECK(named(net, "again").inputs.empty());  // [] is the network input
  CHECK(channel_problems(net).empty());
}

TEST_CASE("inputs must name layers listed earlier") {
  const std::string later = error_of(R"(name: t
layers:
  - {name: a, op: conv, inputs: [b], C: 3, M: 8, H: 8}
  - {name: b, op: conv, C: 8, M: 8, H: 8}
)");
  CHECK_THAT(later, Catch::Contains("g.yaml:3 layers[0].inputs: 'b' is not the name of a layer "
                                    "listed before 'a'"));
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: a, op: conv, inputs: [a], C: 3, M: 8, H: 8}\n"),
             Catch::Contains("'a' is not the name of a layer listed before 'a'"));
}

TEST_CASE("channel_problems names a consumer whose C disagrees with its producers") {
  const auto net = parse_workload_yaml(R"(name: t
layers:
  - {name: a, op: conv, C: 3, M: 8, H: 8}
  - {name: b, op: conv, inputs: [a], C: 6, M: 8, H: 8}
  - {name: sum, op: add, inputs: [a, b], C: 16, H: 8}
)",
                                       "t.yaml");
  const auto p = channel_problems(net);
  REQUIRE(p.size() == 2);
  CHECK(p[0].layer == 1);
  CHECK_THAT(p[0].message, Catch::Contains("layer b: C = 6"));
  CHECK_THAT(p[1].message, Catch::Contains("layer sum: C = 16"));
}

TEST_CASE("every zoo network's edges explain every layer's input channels") {
  for (const auto& z : zoo_list()) {
    INFO(z.name);
    const auto net = zoo_load(z.name);
    const auto problems = channel_problems(net);
    for (const auto& p : problems) INFO(p.message);
    CHECK(problems.empty());
    // Residual adds join two different producers; ViT's position embedding is a parameter
    // added to one.
    for (const auto& l : net.layers)
      if (l.op == OpKind::add && l.name != "pos_embedding") {
        REQUIRE(l.inputs.size() == 2);
        CHECK(l.inputs[0] != l.inputs[1]);
      }
  }
}

TEST_CASE("padding takes [top, left, bottom, right] for asymmetric windows") {
  // floor((15 + 1 + 2 − 4) / 2) + 1 = 8 (ONNX SAME_UPPER of a 4×4/2 window on 15×15).
  const auto net = parse_workload_yaml(
      "name: t\nlayers:\n  - {name: c, op: conv, C: 3, M: 4, H: 15, R: 4, stride: 2, "
      "padding: [1, 1, 2, 2]}\n",
      "t.yaml");
  CHECK(net.layers[0].shape.P == 8);
  CHECK(net.layers[0].shape.pad_h == 1);
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: c, op: conv, C: 3, M: 4, H: 15, "
                      "padding: [1, 2, 3]}\n"),
             Catch::Contains("padding"));
}

TEST_CASE("resize, slice and split state their output sizes") {
  const auto net = parse_workload_yaml(R"(name: t
layers:
  - {name: up, op: resize, C: 8, H: 7, P: 14}
  - {name: half, op: slice, C: 8, M: 4, H: 14}
)",
                                       "t.yaml");
  CHECK(net.layers[0].shape.P == 14);
  CHECK(net.layers[0].shape.Q == 14);
  CHECK(net.layers[0].shape.M == 8);
  CHECK(net.layers[1].shape.M == 4);
  CHECK(net.layers[1].shape.P == 14);
  CHECK_THAT(error_of("name: t\nlayers:\n  - {name: up, op: resize, C: 8, H: 7, R: 3}\n"),
             Catch::Contains("unknown key"));
}

TEST_CASE("every zoo network survives the trip through the YAML writer unchanged") {
  for (const auto& z : zoo_list()) {
    INFO(z.name);
    const auto net = zoo_load(z.name);
    const auto back = parse_workload_yaml(to_workload_yaml(net), "rt.yaml");
    CHECK(back.layers == net.layers);
    CHECK(back.name == net.name);
  }
}

TEST_CASE("the YAML writer keeps precisions, densities and quoted names") {
  Network net;
  net.name = "odd: name";
  Layer a;
  a.name = "a {weird}, \"quoted\"\nwith a newline\tand a tab";  // ONNX names may hold any byte
  a.shape = LayerShape{.M = 8, .C = 3, .H = 9, .W = 7, .P = 9, .Q = 7, .R = 3, .S = 1, .pad_h = 1};
  a.precision = Precision{.weight_bits = 4, .activation_bits = 6};
  a.density = Density{.ifmap = 0.25, .weight = 0.5, .ofmap = 1.0};
  Layer b = a;
  b.name = "b";
  b.inputs = {a.name};
  b.shape.C = 8;
  b.density = Density{.ifmap = 0.3};
  net.layers = {a, b};
  const auto back = parse_workload_yaml(to_workload_yaml(net), "rt.yaml");
  CHECK(back.layers == net.layers);
  CHECK(back.name == net.name);
}

TEST_CASE("the workload example of docs/configuration.md loads, pruned as it says") {
  std::ifstream in(LOOM_SOURCE_DIR "/docs/configuration.md");
  std::stringstream s;
  s << in.rdbuf();
  const std::string doc = s.str();
  const auto at = doc.find("```yaml", doc.find("## Workload YAML"));
  REQUIRE(at != std::string::npos);
  const auto begin = at + 8;
  const auto net = parse_workload_yaml(doc.substr(begin, doc.find("```", begin) - begin), "doc");
  CHECK(named(net, "conv1").shape.M == 48);  // round(64 · 0.75)
  CHECK(named(net, "dw").shape.groups == 48);
  CHECK(named(net, "sum").shape.C == 48);
  CHECK(named(net, "fc").shape.C == 48);
}
