// descent split data.csv: a seeded (stratified) train/test split written as two CSV files with the same header.
#include "commands.hpp"
#include "common.hpp"
#include "files.hpp"

#include <descent/data/label_encoder.hpp>
#include <descent/data/split.hpp>
#include <descent/core/error.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace descent::cli {
namespace {

struct SplitArgs {
  std::string data, label, train, test, delimiter;
  double test_size = 0.2;
  std::uint64_t seed = 42;
};

void run_split(SplitArgs a) {
  const std::string stem = std::filesystem::path(a.data).stem().string();
  if (a.train.empty()) a.train = stem + "_train.csv";
  if (a.test.empty()) a.test = stem + "_test.csv";
  check_output_file(a.train, "--train");
  check_output_file(a.test, "--test");
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
  write_file_atomically(a.train, data::to_csv(pick(train.x)), "--train");
  write_file_atomically(a.test, data::to_csv(pick(test.x)), "--test");
  std::cout << "Wrote " << train.x.rows() << " rows to " << a.train << " and " << test.x.rows() << " rows to "
            << a.test << (a.label.empty() ? "" : " (stratified by \"" + a.label + "\")") << "\n";
}

}  // namespace

void add_split_command(CLI::App& app) {
  auto args = std::make_shared<SplitArgs>();
  CLI::App* c = app.add_subcommand("split", "Split a CSV file into seeded train and test files");
  c->add_option("DATA", args->data, "CSV file with a header row")->required();
  c->add_option("--label", args->label, "Label column to stratify by: each class keeps its share in both files");
  c->add_option("--test-size", args->test_size, "Fraction of the rows in the test file")->capture_default_str();
  c->add_option("--seed", args->seed, "Shuffling seed")->capture_default_str();
  c->add_option("--train", args->train, "Training file (default: <name>_train.csv here)");
  c->add_option("--test", args->test, "Test file (default: <name>_test.csv here)");
  add_delimiter_option(*c, args->delimiter);
  c->callback([args] { run_split(*args); });
}

}  // namespace descent::cli
