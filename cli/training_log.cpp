// history_csv and plot_history: gnuplot runs a generated script; its absence is a warning, not a failure.
#include "training_log.hpp"

#include "files.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace descent::cli {
namespace fs = std::filesystem;
namespace {

// Training keys first (loss, then metrics in name order), then their val_ counterparts.
std::vector<std::string> ordered_keys(const nn::History& history) {
  std::vector<std::string> train, val;
  for (const auto& [key, values] : history.history) (key.starts_with("val_") ? val : train).push_back(key);
  auto loss_first = [](std::vector<std::string>& keys, const std::string& loss) {
    std::stable_partition(keys.begin(), keys.end(), [&](const std::string& k) { return k == loss; });
  };
  loss_first(train, "loss");
  loss_first(val, "val_loss");
  train.insert(train.end(), val.begin(), val.end());
  return train;
}

std::string gnuplot_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The gnuplot program on PATH, or "".
std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

std::string extension(const std::string& image) {
  std::string ext = fs::path(image).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

std::string history_csv(const nn::History& history) {
  const auto keys = ordered_keys(history);
  std::ostringstream out;
  out << "epoch";
  for (const auto& k : keys) out << "," << k;
  out << "\n" << std::setprecision(9);
  for (std::size_t e = 0; e < history.size(); ++e) {
    out << history.epoch[e] + 1;
    for (const auto& k : keys) {
      const auto& values = history.history.at(k);
      out << ",";
      if (e < values.size()) out << values[e];
    }
    out << "\n";
  }
  return out.str();
}

void check_plot_name(const std::string& image) {
  const std::string ext = extension(image);
  check(ext == ".png" || ext == ".svg", "--plot: expected a file name ending in .png or .svg; received \"", image,
        "\".");
  check_output_path(image, "--plot");
}

std::string plot_history(const nn::History& history, const std::string& csv, const std::string& image) {
  const std::string gnuplot = find_gnuplot();
  if (gnuplot.empty())
    return "gnuplot is not installed (Debian: apt-get install gnuplot-nox), so no picture was drawn";
  const auto keys = ordered_keys(history);
  std::vector<std::string> panels;
  for (const auto& k : keys)
    if (!k.starts_with("val_")) panels.push_back(k);
  auto column_of = [&](const std::string& key) {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) return static_cast<int>(i) + 2;  // column 1 is the epoch
    return 0;
  };
  const bool svg = extension(image) == ".svg";
  const int width = 460 * static_cast<int>(panels.size());
  std::ostringstream script;
  script << "set datafile separator ','\n"
         << (svg ? "set terminal svg" : "set terminal pngcairo") << " size " << width << ",380 font 'sans,10'\n"
         << "set output " << gnuplot_string(image) << "\n"
         << "set multiplot layout 1," << panels.size() << "\n"
         << "set grid\nset xlabel 'epoch'\n"
         << "set style line 1 lc rgb '#1f77b4' lw 2\nset style line 2 lc rgb '#ff7f0e' lw 2 dt 2\n";
  for (const auto& p : panels) {
    // Losses fall and most metrics rise: keep the key in the corner the curves leave free.
    script << (p.ends_with("loss") ? "set key top right\n" : "set key bottom right\n")
           << "set title " << gnuplot_string(p) << " noenhanced\n"
           << "plot " << gnuplot_string(csv) << " every ::1 using 1:" << column_of(p)
           << " with lines ls 1 title 'training'";
    if (int v = column_of("val_" + p); v > 0) script << ", '' every ::1 using 1:" << v << " with lines ls 2 title 'validation'";
    script << "\n";
  }
  script << "unset multiplot\nset output\n";

  const fs::path script_path = fs::temp_directory_path() / str("descent-plot-", ::getpid(), ".gp");
  const fs::path errors_path = fs::temp_directory_path() / str("descent-plot-", ::getpid(), ".err");
  write_file_synced(script_path.string(), script.str());
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::open(errors_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execl(gnuplot.c_str(), "gnuplot", script_path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (child > 0) ::waitpid(child, &status, 0);
  std::string problem;
  if (child < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string said;
    try {
      said = read_file(errors_path.string());
    } catch (const Error&) {
    }
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    if (auto nl = said.rfind('\n'); nl != std::string::npos) said = said.substr(nl + 1);
    problem = str("gnuplot failed to draw ", image, said.empty() ? "" : ": " + said);
  }
  std::error_code ec;
  fs::remove(script_path, ec);
  fs::remove(errors_path, ec);
  return problem;
}

void write_log_and_plot(const nn::History& history, const std::string& log, const std::string& plot,
                        std::ostream& out) {
  if (!log.empty()) {
    write_file_atomically(log, history_csv(history), "--log");
    out << "Wrote the training log to " << log << "\n";
  }
  if (plot.empty()) return;
  std::string problem;
  if (log.empty()) {
    const TemporaryFile temporary(".csv");
    write_file_synced(temporary.path(), history_csv(history));
    problem = plot_history(history, temporary.path(), plot);
  } else {
    problem = plot_history(history, log, plot);
  }
  if (problem.empty())
    out << "Drew the training curves in " << plot << "\n";
  else
    std::cerr << "warning: " << problem << (log.empty() ? "; pass --log FILE to keep the training log as CSV"
                                                        : "; the training log is in " + log) << "\n";
}

}  // namespace descent::cli
