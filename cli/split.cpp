// descent split data.csv: a seeded (stratified) train/test split written as two CSV files with the same header.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"

#include <descent/data/label_encoder.hpp>
#include <descent/data/split.hpp>
#include <descent/core/error.hpp>

#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <memory>
#include <tuple>
#include <unistd.h>

namespace descent::cli {
namespace fs = std::filesystem;
namespace {

struct SplitArgs {
  std::string data, label, train, test, delimiter;
  double test_size = 0.2;
  std::uint64_t seed = 42;
};

// A hidden name beside `target` for its new contents: ".<name>.split-<pid>-<n>".
fs::path hidden_beside(const fs::path& target) {
  static int counter = 0;
  return parent_directory(target) / str(".", target.filename().string(), ".split-", ::getpid(), "-", ++counter);
}

// Makes a rename or a removal in `dir` durable.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes the train and test files as a pair, so that whatever happens, even a crash or a power cut at any point,
// the files on disk are one of:
//   1. both files are written under hidden names beside their targets and synced. The old pair (if any) is
//      untouched; a failure here removes the hidden files and leaves just that (a crash may leave them behind).
//   2. the old test file is removed: the old train file, no test file.
//   3. the new train file is renamed over the old one: the new train file, no test file.
//   4. the new test file is renamed in: the new pair.
// So a new train file never stands beside an old test file; at worst the test file is missing.
void write_pair(const fs::path& train, const std::string& train_csv, const fs::path& test,
                const std::string& test_csv) {
  const fs::path train_temp = hidden_beside(train), test_temp = hidden_beside(test);
  std::error_code ec;
  try {
    write_file_synced(train_temp.string(), train_csv);
    write_file_synced(test_temp.string(), test_csv);
  } catch (const Error& e) {
    fs::remove(train_temp, ec);
    fs::remove(test_temp, ec);
    fail(str("split: ", e.what(), " Neither file was replaced."));
  }
  fs::remove(test, ec);
  if (ec) {
    fs::remove(train_temp, ec);
    fs::remove(test_temp, ec);
    fail(str("--test: cannot remove the old ", test.string(), ": ", ec.message(), ". Neither file was replaced."));
  }
  sync_directory(parent_directory(test));
  fs::rename(train_temp, train, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(train_temp, ec);
    fs::remove(test_temp, ec);
    fail(str("--train: cannot move the new file over ", train.string(), ": ", why, ". The old test file was ",
             "removed, so no stale pair remains; run split again."));
  }
  sync_directory(parent_directory(train));
  fs::rename(test_temp, test, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(test_temp, ec);
    fail(str("--test: cannot move the new file to ", test.string(), ": ", why, ". ", train.string(), " is new and ",
             "has no test file beside it; run split again."));
  }
  sync_directory(parent_directory(test));
}

void run_split(SplitArgs a) {
  check_input_file(a.data, "DATA");
  // Names descent makes up itself never replace a file: only names the user gave may.
  const std::string stem = fs::path(a.data).stem().string();
  for (auto [path, option, suffix] :
       {std::tuple{&a.train, "--train", "_train.csv"}, {&a.test, "--test", "_test.csv"}}) {
    if (!path->empty()) continue;
    *path = stem + suffix;
    std::error_code ec;
    check(!fs::exists(fs::symlink_status(*path, ec)), "split: ", *path, " exists, and descent split replaces only ",
          "files named with --train and --test. Expected --train FILE --test FILE (naming an existing file there ",
          "replaces it), or remove ", *path, " first; the default for ", option, " is <name>", suffix, ".");
  }
  check_output_path(a.train, "--train");
  check_output_path(a.test, "--test");
  check_no_clashes({{"DATA", a.data}}, {{"--train", a.train}, {"--test", a.test}});
  data::TextTable table = data::read_text_table(a.data, parse_delimiter(a.delimiter));
  // Row numbers travel through train_test_split as x; the label's class index, when given, stratifies.
  Matrix rows(table.size(), 1), classes = Matrix::Zero(table.size(), 1);
  for (Index i = 0; i < table.size(); ++i) rows(i, 0) = static_cast<Scalar>(i);
  if (!a.label.empty()) {
    const Index label = table.column(a.label, "label column");
    data::LabelEncoder encoder;
    classes = encoder.fit(table.text(label)).transform(table.text(label));
  }
  auto [train, test] = data::train_test_split(rows, classes,
                                              {.test_size = a.test_size, .seed = a.seed, .stratify = !a.label.empty()});
  auto pick = [&](const Matrix& ids) {
    std::vector<Index> order;
    for (Index i = 0; i < ids.rows(); ++i) order.push_back(static_cast<Index>(ids(i, 0)));
    return table.select(order);
  };
  write_pair(normalized_path(a.train), data::to_csv(pick(train.x)), normalized_path(a.test),
             data::to_csv(pick(test.x)));
  std::cout << "Wrote " << train.x.rows() << " rows to " << a.train << " and " << test.x.rows() << " rows to "
            << a.test << (a.label.empty() ? "" : " (stratified by \"" + a.label + "\")") << "\n";
}

}  // namespace

void add_split_command(CLI::App& app) {
  auto args = std::make_shared<SplitArgs>();
  CLI::App* c = app.add_subcommand(
      "split", "Split a CSV file into seeded train and test files. Both are written beside their targets first; "
               "after a crash you find the old pair, the new pair, or a train file without a test file, never a new "
               "train file beside an old test file. Default names never replace existing files.");
  c->add_option("DATA", args->data, "CSV file with a header row")->required();
  c->add_option("--label", args->label, "Label column to stratify by: each class keeps its share in both files");
  c->add_option("--test-size", args->test_size, "Fraction of the rows in the test file")->capture_default_str();
  c->add_option("--seed", args->seed, "Shuffling seed")->capture_default_str();
  c->add_option("--train", args->train, "Training file (default: <name>_train.csv here, never replacing a file)");
  c->add_option("--test", args->test, "Test file (default: <name>_test.csv here, never replacing a file)");
  add_delimiter_option(*c, args->delimiter);
  c->callback([args] { run_split(*args); });
}

}  // namespace descent::cli
