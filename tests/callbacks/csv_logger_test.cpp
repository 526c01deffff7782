// CSVLogger writes what Keras's CSVLogger writes: Python's csv module output of sorted keys and repr values.
#include <doctest/doctest.h>

#include "support/scripted_callbacks.hpp"

#include <fstream>
#include <sstream>

using namespace descent;

namespace {
std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("CSVLogger: header of sorted keys, 0-based epochs, repr values, CRLF lines; append adds rows only") {
  const auto dir = testing::fresh_directory("csv-logger");
  const std::string file = (dir / "log.csv").string();
  nn::Sequential model = testing::scripted_model();
  std::vector<nn::Logs> epochs = {{{"loss", 0.25}, {"accuracy", 0.5}}, {{"loss", 0.1}, {"accuracy", 1e-05}}};
  nn::CSVLogger log(file);
  testing::run_scripted(log, model, epochs, [](int) {}, false);
  CHECK(read_all(file) == "epoch,accuracy,loss\r\n0,0.5,0.25\r\n1,1e-05,0.1\r\n");

  nn::CSVLogger more(file, {.append = true});
  testing::run_scripted(more, model, {{{"loss", 2.0}, {"accuracy", 0.75}}}, [](int) {}, false);
  CHECK(read_all(file) == "epoch,accuracy,loss\r\n0,0.5,0.25\r\n1,1e-05,0.1\r\n0,0.75,2.0\r\n");

  // Appending to a missing or empty file writes the header; without append the file is replaced.
  const std::string fresh = (dir / "fresh.csv").string();
  nn::CSVLogger appended(fresh, {.separator = ";", .append = true});
  testing::run_scripted(appended, model, {{{"loss", 0.5}}}, [](int) {}, false);
  CHECK(read_all(fresh) == "epoch;loss\r\n0;0.5\r\n");
  nn::CSVLogger replace(fresh);
  testing::run_scripted(replace, model, {{{"loss", 0.125}}}, [](int) {}, false);
  CHECK(read_all(fresh) == "epoch,loss\r\n0,0.125\r\n");
}

TEST_CASE("CSVLogger in fit: validation columns exist from the first row and hold NA until validated") {
  const auto dir = testing::fresh_directory("csv-logger-fit");
  const std::string file = (dir / "history.csv").string();
  Matrix x = Matrix::Random(20, 2);
  Matrix y = (x.col(0).array() > 0).cast<Scalar>().matrix();
  nn::Sequential model = testing::scripted_model(0.5);
  auto log = std::make_shared<nn::CSVLogger>(file);
  nn::History h = model.fit(x, y, {.epochs = 4, .batch_size = 5, .validation_split = 0.25, .verbose = 0,
                                   .callbacks = {log}, .validation_freq = 2});
  std::ifstream in(file, std::ios::binary);
  std::string line;
  std::getline(in, line);
  CHECK(line == "epoch,accuracy,loss,val_loss,val_accuracy\r");
  for (int epoch = 0; epoch < 4; ++epoch) {
    REQUIRE(std::getline(in, line));
    REQUIRE(line.ends_with("\r"));
    std::stringstream cells(line.substr(0, line.size() - 1));
    std::string epoch_cell, accuracy, loss, val_loss, val_accuracy;
    std::getline(cells, epoch_cell, ',');
    std::getline(cells, accuracy, ',');
    std::getline(cells, loss, ',');
    std::getline(cells, val_loss, ',');
    std::getline(cells, val_accuracy, ',');
    CHECK(epoch_cell == std::to_string(epoch));
    // repr round-trips: each value reads back to the double History holds.
    CHECK(std::stod(accuracy) == h["accuracy"][static_cast<std::size_t>(epoch)]);
    CHECK(std::stod(loss) == h["loss"][static_cast<std::size_t>(epoch)]);
    if (epoch % 2 == 0) {
      CHECK(val_loss == "NA");
      CHECK(val_accuracy == "NA");
    } else {
      CHECK(std::stod(val_loss) == h["val_loss"][static_cast<std::size_t>(epoch / 2)]);
    }
  }
  CHECK_FALSE(std::getline(in, line));
}

TEST_CASE("CSVLogger errors name the file and the separator") {
  nn::Sequential model = testing::scripted_model();
  nn::CSVLogger nowhere("/nonexistent-dir/log.csv");
  CHECK_THROWS_WITH_AS(testing::run_scripted(nowhere, model, {{{"loss", 1.0}}}),
                       doctest::Contains("CSVLogger: cannot open \"/nonexistent-dir/log.csv\" for writing"), Error);
  CHECK_THROWS_WITH_AS(nn::CSVLogger("x.csv", {.separator = ", "}),
                       doctest::Contains("expected a one-character separator"), Error);
}
