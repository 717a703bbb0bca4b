// SPDX-License-Identifier: Apache-2.0
// `loom sweep` and `loom report` as a user runs them: interrupted by kill -9 and resumed, under
// mpirun, and the report in a headless browser. Tests whose tool (mpirun, chromium) is absent
// exit with kSkip, which CTest reports as skipped.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "common/scratch_dir.hpp"
#include "core/features.hpp"
#include "reports/hdf5_writer.hpp"
#include "sweep_fixtures.hpp"

namespace {

constexpr int kSkip = 77;

struct Run {
  int exit_code = -1;
  std::string output;
  double seconds = 0;
};

Run shell(const std::string& cmd) {
  Run r;
  const auto t0 = std::chrono::steady_clock::now();
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;)
    r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

bool on_path(const std::string& tool) {
  return shell("command -v " + tool + " >/dev/null").exit_code == 0;
}

void skip(const std::string& why) {
  std::cout << "SKIP: " << why << std::endl;
  std::exit(kSkip);
}

// A sweep of a few seconds: 48 points with mapping search on the tiny net.
std::filesystem::path sweep_file(const std::filesystem::path& dir) {
  return sweep_test::write_sweep(dir, R"(
axes:
  - {name: rows, set: [pe_array.rows], pow2: {from: 4, to: 32}}
  - {name: cols, set: [pe_array.cols], pow2: {from: 8, to: 64}}
  - {name: df, set: [dataflow], values: [ws, os, is]}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 2000}
)");
}

const std::string kLoom = LOOM_BIN;

}  // namespace

TEST_CASE("loom sweep killed with SIGKILL at a random moment resumes to byte-identical files") {
  ScratchDir dir;
  const auto file = sweep_file(dir.path());
  const Run full = shell(kLoom + " sweep " + file.string() + " -o " + (dir / "full").string());
  REQUIRE(full.exit_code == 0);
  CHECK_THAT(full.output, Catch::Contains("ranks: 1"));
  // Kill somewhere in the middle of an identical run (fork/exec, then SIGKILL: no cleanup).
  std::random_device rd;
  const double at = std::uniform_real_distribution<double>(0.1, 0.9)(rd) * full.seconds;
  const std::string out = (dir / "cut").string();
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(kLoom.c_str(), kLoom.c_str(), "sweep", file.c_str(), "-o", out.c_str(), nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(at));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  const Run resumed = shell(kLoom + " sweep " + file.string() + " -o " + out + " --resume -q");
  REQUIRE(resumed.exit_code == 0);
  INFO("killed after " << at << " s of " << full.seconds << " s\n" << resumed.output);
  CHECK_THAT(resumed.output, Catch::Contains("resumed: skipped "));
  CHECK(slurp(dir / "full" / "points.csv") == slurp(dir / "cut" / "points.csv"));
  CHECK(slurp(dir / "full" / "pareto.csv") == slurp(dir / "cut" / "pareto.csv"));
}

TEST_CASE("loom report rebuilds the sweep's report from results.h5 alone") {
  ScratchDir dir;
  const auto file = sweep_file(dir.path());
  REQUIRE(shell(kLoom + " sweep " + file.string() + " -q -o " + (dir / "o").string()).exit_code ==
          0);
  const auto h5 = (dir / "o" / "results.h5").string();
  const Run r = shell(kLoom + " report " + h5 + " -o " + (dir / "again.html").string() +
                      " --pareto-svg " + (dir / "front.svg").string());
  REQUIRE(r.exit_code == 0);
  CHECK(slurp(dir / "again.html") == slurp(dir / "o" / "report.html"));
  CHECK_THAT(slurp(dir / "front.svg"), Catch::Contains("class='pareto-point'"));
  const Run bad = shell(kLoom + " report " + file.string());
  CHECK(bad.exit_code == 2);
}

TEST_CASE("loom sweep with a bad sweep file exits 2 and names the line") {
  ScratchDir dir;
  const auto file = sweep_test::write_sweep(dir.path(), R"(
axes:
  - {name: rows, set: [pe_array.rowz], values: [8]}
objectives: [energy]
strategy: {kind: grid}
)");
  const Run r = shell(kLoom + " sweep " + file.string() + " -o " + (dir / "o").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(file.string() + ":15 axes[0]: value '8' on"));
  CHECK_THAT(r.output, Catch::Contains("pe_array.rowz: unknown key"));
  CHECK_FALSE(std::filesystem::exists(dir / "o" / "points.csv"));
}

TEST_CASE("loom sweep into a non-empty folder exits 2 and touches nothing, unless --force") {
  ScratchDir dir;
  const auto file = sweep_test::write_sweep(dir.path(), R"(
axes:
  - {name: rows, set: [pe_array.rows], values: [8, 16]}
objectives: [energy, latency]
strategy: {kind: grid}
mapper: {budget: 100}
)");
  const std::string out = (dir / "o").string();
  const std::string run = kLoom + " sweep -q " + file.string() + " -o " + out;
  REQUIRE(shell(run).exit_code == 0);
  const auto listing = [&] {
    std::map<std::string, std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "o"))
      files[e.path().string()] = e.is_regular_file() ? slurp(e.path()) : "(folder)";
    return files;
  };
  const auto before = listing();
  const Run again = shell(run);
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.output,
             Catch::Contains("loom: error: " + out + " -o: output folder is not empty"));
  CHECK_THAT(again.output, Catch::Contains("--resume"));
  CHECK_THAT(again.output, Catch::Contains("--force"));
  CHECK(listing() == before);
  // A folder holding anything at all is refused too; an empty one is used.
  std::filesystem::create_directories(dir / "other");
  std::ofstream(dir / "other" / "notes.txt") << "mine";
  CHECK(shell(kLoom + " sweep -q " + file.string() + " -o " + (dir / "other").string()).exit_code ==
        2);
  CHECK(slurp(dir / "other" / "notes.txt") == "mine");
  std::filesystem::create_directories(dir / "empty");
  CHECK(shell(kLoom + " sweep -q " + file.string() + " -o " + (dir / "empty").string()).exit_code ==
        0);
  // --resume and --force both proceed; together they are a command-line error.
  CHECK(shell(run + " --resume").exit_code == 0);
  const Run forced = shell(run + " --force");
  INFO(forced.output);
  CHECK(forced.exit_code == 0);
  CHECK_THAT(forced.output, Catch::Contains("(2 evaluated now, 0 from the journal)"));
  CHECK(shell(run + " --force --resume").exit_code == 2);
}

TEST_CASE("each Pareto point's run.sh repeats its energy and latency exactly with loom run") {
  ScratchDir dir;
  // Algorithm variants (precision), accelerator edits, a batch and non-default mapper settings:
  // all must reach the point's files for `loom run` to repeat it.
  const auto file = sweep_test::write_sweep(dir.path(), R"(
batch: 2
axes:
  - {name: rows, set: [pe_array.rows], values: [8, 16, 32]}
  - {name: df, set: [dataflow], values: [ws, os]}
  - name: precision
    precision:
      - {name: int8, weight_bits: 8, activation_bits: 8}
      - {name: int4, weight_bits: 4, activation_bits: 4}
objectives: [energy, latency, area]
strategy: {kind: grid}
mapper: {budget: 300, seed: 5, strategy: genetic, objective: energy}
)");
  const auto out = dir / "o";
  std::filesystem::create_directories(out / "pareto" / "point_99999");  // an earlier sweep's
  const Run sweep = shell(kLoom + " sweep -q --force " + file.string() + " -o " + out.string());
  INFO(sweep.output);
  REQUIRE(sweep.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(out / "pareto" / "point_99999"));
  std::istringstream pareto(slurp(out / "pareto.csv"));
  std::string line;
  std::getline(pareto, line);
  CHECK_THAT(
      line,
      Catch::EndsWith(",reason,search,mapper_budget,mapper_seed,mapper_objective,mapper_strategy"));
  const auto h5_tables = loom::reports::list_hdf5_tables(out / "results.h5");
  int points = 0;
  while (std::getline(pareto, line)) {
    const auto cells = [&] {
      std::vector<std::string> v;
      std::istringstream in(line);
      for (std::string c; std::getline(in, c, ',');) v.push_back(c);
      return v;
    }();
    // point, ..., energy_pj_tiny and latency_s_tiny are the 12th and 13th columns.
    const std::string id = cells.at(0);
    CHECK(cells.at(cells.size() - 5) == "1");
    CHECK(cells.at(cells.size() - 4) == "300");
    CHECK(cells.at(cells.size() - 3) == "5");
    CHECK(cells.at(cells.size() - 2) == "energy");
    CHECK(cells.at(cells.size() - 1) == "genetic");
    const auto folder = out / "pareto" / ("point_" + id);
    const Run run = shell("LOOM=" + kLoom + " sh " + (folder / "run.sh").string());
    INFO("point " << id << ": " << run.output);
    REQUIRE(run.exit_code == 0);
    std::ifstream in(folder / "run_tiny" / "summary.json");
    const auto totals = nlohmann::json::parse(in)["totals"];
    CHECK(totals["energy_pj"].get<double>() == std::stod(cells.at(11)));
    CHECK(totals["latency_s"].get<double>() == std::stod(cells.at(12)));
    CHECK(std::count(h5_tables.begin(), h5_tables.end(), "layers_point_" + id) == 1);
    const auto layers = loom::reports::read_hdf5_table(out / "results.h5", "layers_point_" + id);
    CHECK(layers.row_count() == 3);
    ++points;
  }
  CHECK(points >= 2);
}

TEST_CASE("mpirun -np 2 loom sweep writes the same points.csv as one process") {
  if (!loom::features::kMpi.built) skip("Loom was built without MPI (LOOM_WITH_MPI=OFF)");
  if (!on_path("mpirun")) skip("mpirun not installed (apt-get install openmpi-bin)");
  ScratchDir dir;
  const auto file = sweep_file(dir.path());
  // One rank per core: each process evaluates on one thread, so the speed-up is the ranks'.
  const Run one =
      shell(kLoom + " sweep " + file.string() + " -q --threads 1 -o " + (dir / "one").string());
  REQUIRE(one.exit_code == 0);
  const Run two = shell("mpirun --allow-run-as-root --oversubscribe -np 2 " + kLoom + " sweep " +
                        file.string() + " -q --threads 1 -o " + (dir / "two").string());
  INFO(two.output);
  REQUIRE(two.exit_code == 0);
  CHECK_THAT(two.output, Catch::Contains("ranks: 2"));
  CHECK(slurp(dir / "one" / "points.csv") == slurp(dir / "two" / "points.csv"));
  CHECK(slurp(dir / "one" / "pareto.csv") == slurp(dir / "two" / "pareto.csv"));
  CHECK(slurp(dir / "one" / "journal.tsv") == slurp(dir / "two" / "journal.tsv"));
  CHECK(slurp(dir / "one" / "results.h5") == slurp(dir / "two" / "results.h5"));
  // Each distinct layer is searched on one rank only: the two ranks together search what one
  // process searches.
  const auto searched = [](const std::string& log) {
    const auto at = log.find(", searched ");
    return at == std::string::npos ? std::string("?") : log.substr(at, log.find('\n', at) - at);
  };
  CHECK(searched(two.output) == searched(one.output));
  std::cout << "MPI speed-up, 2 ranks vs 1 process (1 thread each): " << one.seconds / two.seconds
            << "x (" << one.seconds << " s vs " << two.seconds << " s, mpirun start-up included)"
            << std::endl;
}

TEST_CASE("the HTML report renders its plots in headless Chromium") {
  if (!on_path("chromium")) skip("chromium not installed (bash scripts/install-deps.sh --browser)");
  ScratchDir dir;
  const auto file = sweep_file(dir.path());
  REQUIRE(shell(kLoom + " sweep " + file.string() + " -q -o " + (dir / "o").string()).exit_code ==
          0);
  const std::string flags =
      "chromium --headless --no-sandbox --disable-gpu "
      "--disable-background-networking --no-first-run --user-data-dir=" +
      (dir / "profile").string();
  const std::string url = "file://" + (dir / "o" / "report.html").string();
  const Run dom = shell(flags + " --dump-dom " + url + " 2>/dev/null");
  REQUIRE(dom.exit_code == 0);
  for (const char* id : {"pareto-plot", "energy-plot", "util-plot", "roofline-plot"})
    CHECK_THAT(dom.output, Catch::Contains(std::string("id=\"") + id + "\""));
  for (const char* cls : {"pareto-point", "energy-bar", "util-bar", "roofline-layer"})
    CHECK_THAT(dom.output, Catch::Contains(std::string("class=\"") + cls + "\""));
  const auto png = dir / "report.png";
  const Run shot =
      shell(flags + " --screenshot=" + png.string() + " --window-size=800,2000 " + url);
  REQUIRE(shot.exit_code == 0);
  const std::string bytes = slurp(png);
  REQUIRE(bytes.size() > 10000);
  CHECK(bytes.substr(1, 3) == "PNG");
  // Keep the screenshot for a human to look at.
  std::filesystem::copy_file(png, std::filesystem::temp_directory_path() / "loom_sweep_report.png",
                             std::filesystem::copy_options::overwrite_existing);
}
