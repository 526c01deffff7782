// Bad input at the model's public entry points: each a descent::Error naming the place and the values.
#include <doctest/doctest.h>

#include <descent/descent.hpp>
#include <limits>

using namespace descent;

namespace {

nn::Sequential binary_model() {
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "relu"}));
  model.add(nn::Dense(1, {.activation = "sigmoid"}));
  model.compile("binary_crossentropy", "sgd", {"accuracy"});
  return model;
}

nn::Sequential sparse_model() {
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(3, {.activation = "softmax"}));
  model.compile("sparse_categorical_crossentropy", "sgd", {"accuracy"});
  return model;
}

Matrix ones(Index rows, Index cols) { return Matrix::Ones(rows, cols); }

}  // namespace

TEST_CASE("x and y with different row counts") {
  auto model = binary_model();
  CHECK_THROWS_WITH_AS(model.fit(ones(4, 2), ones(3, 1), {.verbose = 0}),
                       doctest::Contains("fit: x and y must have the same number of rows; received x with 4 rows and "
                                         "y with 3 rows"),
                       Error);
  CHECK_THROWS_WITH_AS(model.evaluate(ones(4, 2), ones(5, 1)), doctest::Contains("evaluate: x and y"), Error);
  CHECK_THROWS_WITH_AS(model.train_on_batch(ones(2, 2), ones(1, 1)), doctest::Contains("train_on_batch: x and y"),
                       Error);
}

TEST_CASE("input width different from the model's names expected and received columns") {
  auto model = binary_model();
  for (auto call : {+[](nn::Sequential& m) { m.fit(ones(4, 3), ones(4, 1), {.verbose = 0}); },
                    +[](nn::Sequential& m) { m.evaluate(ones(4, 3), ones(4, 1)); },
                    +[](nn::Sequential& m) { m.predict(ones(4, 3)); }}) {
    CHECK_THROWS_WITH_AS(call(model), doctest::Contains("expected x with 2 columns"), Error);
    CHECK_THROWS_WITH_AS(call(model), doctest::Contains("received x with 3 columns"), Error);
  }
  // Also after training has built the model for 2 columns.
  model.fit(ones(4, 2), Matrix::Zero(4, 1), {.verbose = 0});
  CHECK_THROWS_WITH_AS(model.predict(ones(1, 1)), doctest::Contains("predict: expected x with 2 columns"), Error);

  // A model that learns its width from the first data keeps it.
  nn::Sequential lazy;
  lazy.add(nn::Dense(1));
  lazy.compile("mse", "sgd");
  lazy.fit(ones(3, 4), ones(3, 1), {.verbose = 0});
  CHECK_THROWS_WITH_AS(lazy.fit(ones(3, 5), ones(3, 1), {.verbose = 0}), doctest::Contains("expected x with 4 columns"),
                       Error);
  // y with the wrong number of columns.
  CHECK_THROWS_WITH_AS(lazy.fit(ones(3, 4), ones(3, 2), {.verbose = 0}), doctest::Contains("received y with 2 columns"),
                       Error);
}

TEST_CASE("binary cross-entropy targets outside [0, 1]") {
  auto model = binary_model();
  Matrix y(3, 1);
  y << 0, 2, 1;
  CHECK_THROWS_WITH_AS(
      model.fit(ones(3, 2), y, {.verbose = 0}),
      doctest::Contains("binary cross-entropy expects targets in [0, 1]; received 2 at row 1, column 0"), Error);
  y << 0, 1, -1;
  CHECK_THROWS_WITH_AS(model.evaluate(ones(3, 2), y), doctest::Contains("received -1 at row 2, column 0"), Error);
}

TEST_CASE("sparse labels out of range or not integers") {
  auto model = sparse_model();
  Matrix y(3, 1);
  y << 0, 2, 3;
  CHECK_THROWS_WITH_AS(model.fit(ones(3, 2), y, {.verbose = 0}),
                       doctest::Contains("integer labels in [0, 3) for 3 outputs; received 3 at row 2"), Error);
  y << 0.5, 1, 2;
  CHECK_THROWS_WITH_AS(model.fit(ones(3, 2), y, {.verbose = 0}), doctest::Contains("received 0.5 at row 0"), Error);
  y << 0, -1, 2;
  CHECK_THROWS_WITH_AS(model.evaluate(ones(3, 2), y), doctest::Contains("received -1 at row 1"), Error);
  CHECK_THROWS_WITH_AS(model.fit(ones(3, 2), Matrix::Zero(3, 3), {.verbose = 0}),
                       doctest::Contains("expects 1 target column(s) for a model with 3 output(s); received y with 3 "
                                         "columns"),
                       Error);
}

TEST_CASE("NaN or infinity in x or y names the row and column") {
  auto model = binary_model();
  Matrix x = ones(4, 2), y = Matrix::Zero(4, 1);
  x(2, 1) = std::numeric_limits<Scalar>::quiet_NaN();
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.verbose = 0}), doctest::Contains("fit: x has a non-finite value"), Error);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.verbose = 0}), doctest::Contains("at row 2, column 1"), Error);
  CHECK_THROWS_WITH_AS(model.predict(x), doctest::Contains("at row 2, column 1"), Error);
  // predict checks batch by batch: the row is still counted in x, not in its batch.
  CHECK_THROWS_WITH_AS(model.predict(x, {.batch_size = 2}),
                       doctest::Contains("predict: x has a non-finite value (nan) at row 2, column 1"), Error);
  x(2, 1) = 1;
  y(3, 0) = std::numeric_limits<Scalar>::infinity();
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.verbose = 0}),
                       doctest::Contains("fit: y has a non-finite value (inf) at row 3, column 0"), Error);
  y(3, 0) = 0;
  x(0, 0) = -std::numeric_limits<Scalar>::infinity();
  CHECK_THROWS_WITH_AS(model.evaluate(x, y), doctest::Contains("x has a non-finite value (-inf) at row 0, column 0"),
                       Error);
  x(0, 0) = 1;
  Matrix xv = ones(2, 2);
  xv(1, 0) = std::numeric_limits<Scalar>::quiet_NaN();
  Matrix yv = Matrix::Zero(2, 1);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.validation_data = Dataset{xv, yv}, .verbose = 0}),
                       doctest::Contains("fit: validation_data: x has a non-finite value"), Error);
}

TEST_CASE("fit, evaluate and train_on_batch before compile") {
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(1));
  CHECK_THROWS_WITH_AS(model.fit(ones(2, 2), ones(2, 1), {.verbose = 0}),
                       doctest::Contains("fit: the model is not compiled; call compile"), Error);
  CHECK_THROWS_WITH_AS(model.evaluate(ones(2, 2), ones(2, 1)), doctest::Contains("evaluate: the model is not compiled"),
                       Error);
  CHECK_THROWS_WITH_AS(model.train_on_batch(ones(2, 2), ones(2, 1)), doctest::Contains("not compiled"), Error);
  CHECK_THROWS_WITH_AS(model.optimizer(), doctest::Contains("not compiled"), Error);
  CHECK(model.predict(ones(2, 2)).rows() == 2);  // inference needs no compile, as in Keras

  nn::Sequential empty;
  CHECK_THROWS_WITH_AS(empty.compile("mse", "sgd"), doctest::Contains("add layers before compile()"), Error);
}

TEST_CASE("unknown loss, optimizer, metric, activation or initializer names list the valid ones") {
  nn::Sequential model;
  model.add(nn::Input(2));
  model.add(nn::Dense(1));
  CHECK_THROWS_WITH_AS(model.compile("binary_crosentropy", "sgd"),
                       doctest::Contains("Unknown loss \"binary_crosentropy\". Valid losses: binary_crossentropy"),
                       Error);
  CHECK_THROWS_WITH_AS(model.compile("mse", "sgdd"), doctest::Contains("Unknown optimizer \"sgdd\". Valid optimizers:"),
                       Error);
  CHECK_THROWS_WITH_AS(model.compile("mse", "sgdd"), doctest::Contains("sgd"), Error);
  CHECK_THROWS_WITH_AS(model.compile("mse", "sgd", {"acuracy"}),
                       doctest::Contains("Unknown metric \"acuracy\". Valid metrics: "), Error);
  CHECK_THROWS_WITH_AS(model.compile("mse", "sgd", {"acuracy"}), doctest::Contains("binary_accuracy"), Error);
  CHECK_FALSE(model.compiled());  // a failed compile leaves nothing half set
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.activation = "relux"}),
                       doctest::Contains("Unknown activation \"relux\". Valid activations:"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.activation = "relux"}), doctest::Contains("relu"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.kernel_initializer = "glorot"}),
                       doctest::Contains("Unknown initializer \"glorot\". Valid initializers:"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.kernel_initializer = "glorot"}), doctest::Contains("glorot_uniform"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2, {.bias_initializer = "zero_s"}), doctest::Contains("Unknown initializer"), Error);
}

TEST_CASE("batch_size <= 0") {
  auto model = binary_model();
  Matrix x = ones(4, 2), y = Matrix::Zero(4, 1);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.batch_size = 0, .verbose = 0}),
                       doctest::Contains("fit: expected batch_size > 0; received batch_size=0"), Error);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.batch_size = -3, .verbose = 0}), doctest::Contains("batch_size=-3"), Error);
  CHECK_THROWS_WITH_AS(model.evaluate(x, y, {.batch_size = 0}), doctest::Contains("evaluate: expected batch_size > 0"),
                       Error);
  CHECK_THROWS_WITH_AS(model.predict(x, {.batch_size = 0}), doctest::Contains("predict: expected batch_size > 0"),
                       Error);
  CHECK(model.optimizer().iterations() == 0);  // nothing trained
}

TEST_CASE("validation_split outside [0, 1)") {
  auto model = binary_model();
  Matrix x = ones(10, 2), y = Matrix::Zero(10, 1);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.validation_split = 1.0, .verbose = 0}),
                       doctest::Contains("fit: expected validation_split in [0, 1); received validation_split=1"),
                       Error);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.validation_split = -0.1, .verbose = 0}),
                       doctest::Contains("received validation_split=-0.1"), Error);
  CHECK_THROWS_WITH_AS(model.fit(x, y, {.validation_split = std::numeric_limits<double>::quiet_NaN(), .verbose = 0}),
                       doctest::Contains("validation_split"), Error);
  // In range, but leaving no training row: floor(3 * (1 - 0.7)) = 0, as Keras counts.
  CHECK_THROWS_WITH_AS(model.fit(ones(3, 2), Matrix::Zero(3, 1), {.validation_split = 0.7, .verbose = 0}),
                       doctest::Contains("leaves 0 for training and 3 for validation"), Error);
  // 10 * (1 - 0.05) = 9.5 -> 9 rows train and 1 validates.
  CHECK(model.fit(x, y, {.validation_split = 0.05, .verbose = 0}).history.count("val_loss") == 1);
}

TEST_CASE("a weight too large to allocate is an Error naming the layer and the shape, before any allocation") {
  // 61 x 2e7 floats is 4.9 GB; the check refuses it from the shape alone.
  nn::Sequential model;
  model.add(nn::Input(61));
  CHECK_THROWS_WITH_AS(model.add(nn::Dense(20000000)),
                       doctest::Contains("Dense 'dense': weight 'kernel' of shape (61, 20000000): more than the 2^28"),
                       Error);
  // An overflowing product is caught too: 2^40 x 2^40 wraps to 0 in 64 bits.
  nn::Sequential wraps;
  wraps.add(nn::Dense(Index{1} << 40));
  CHECK_THROWS_WITH_AS(wraps.build(Index{1} << 40), doctest::Contains("more than the 2^28 elements"), Error);
}
