// The Functional API: graphs of layer calls against the same Sequential, central differences through merges and
// shared layers, Keras's layer order and names, the summary, and the errors.
#include <doctest/doctest.h>

#include "../support/gradient_check.hpp"
#include "../support/matrices.hpp"

#include <descent/descent.hpp>

using namespace descent;

namespace {

Matrix two_moons_like(Index rows, std::uint64_t seed, Matrix& y) {
  Matrix x = testing::uniform_matrix(rows, 4, seed);
  y.resize(rows, 1);
  for (Index i = 0; i < rows; ++i) y(i, 0) = x(i, 0) * x(i, 1) + x(i, 2) > 0 ? 1 : 0;
  return x;
}

}  // namespace

TEST_CASE("a chain written with the Functional API trains bit for bit as the same Sequential") {
  nn::Sequential sequential({.seed = 5});
  sequential.add(nn::Input(4));
  sequential.add(nn::Dense(8, {.activation = "relu"}));
  sequential.add(nn::Dense(1, {.activation = "sigmoid"}));
  nn::Input in(4);
  auto h = nn::Dense(8, {.activation = "relu"})(in);
  nn::Model functional(in, nn::Dense(1, {.activation = "sigmoid"})(h), {.seed = 5});
  CHECK(functional.class_name() == "Functional");
  CHECK(functional.name() == "functional");
  REQUIRE(functional.size() == 2);
  CHECK(functional.layer(0).name() == "dense");
  CHECK(functional.layer(1).name() == "dense_1");

  Matrix y;
  const Matrix x = two_moons_like(64, 3, y);
  for (nn::Model* m : {static_cast<nn::Model*>(&sequential), static_cast<nn::Model*>(&functional)})
    m->compile("binary_crossentropy", "adam", {"accuracy"});
  const auto a = sequential.fit(x, y, {.epochs = 3, .batch_size = 16, .verbose = 0});
  const auto b = functional.fit(x, y, {.epochs = 3, .batch_size = 16, .verbose = 0});
  CHECK(a.history.at("loss") == b.history.at("loss"));
  const auto wa = sequential.get_weights(), wb = functional.get_weights();
  REQUIRE(wa.size() == wb.size());
  for (std::size_t k = 0; k < wa.size(); ++k) CHECK(wa[k] == wb[k]);
  CHECK(sequential.predict(x) == functional.predict(x));
}

TEST_CASE("the issue's residual example: skip connection, Add, a named output; it learns") {
  nn::Input in(30, {.name = "features"});
  auto h = nn::Dense(16, {.activation = "relu"})(in);
  auto skip = nn::Dense(16)(in);
  auto merged = nn::Add()({h, skip});
  auto out = nn::Dense(1, {.activation = "sigmoid", .name = "malignant"})(merged);
  nn::Model model(in, out, {.seed = 1});
  model.compile("binary_crossentropy", "adam", {"accuracy"});
  Matrix x = testing::uniform_matrix(200, 30, 4), y(200, 1);
  for (Index i = 0; i < x.rows(); ++i) y(i, 0) = x.row(i).head(10).sum() > 0 ? 1 : 0;
  const auto history = model.fit(x, y, {.epochs = 30, .batch_size = 32, .verbose = 0});
  CHECK(history.history.at("loss").back() < 0.5 * history.history.at("loss").front());
  CHECK(model.evaluate(x, y).at("accuracy") > 0.9);
  CHECK(model.get_layer("malignant").class_name() == "Dense");
  CHECK(model.count_params() == 30 * 16 + 16 + 30 * 16 + 16 + 16 + 1);
  REQUIRE(model.inputs().size() == 1);
  CHECK(model.inputs()[0].shape() == Shape(30));
  CHECK(model.outputs()[0].shape() == Shape(1));
}

TEST_CASE("gradients through merges, a skip connection and a shared layer match central differences") {
  nn::Input in(3);
  auto a = nn::Dense(4, {.activation = "tanh"})(in);
  auto b = nn::Dense(4, {.activation = "sigmoid"})(in);
  nn::Dense shared(4, {.activation = "tanh", .name = "shared"});
  auto sa = shared(a);
  auto sb = shared(b);  // the same weights, a second call
  auto sum = nn::Add()({sa, sb, a});
  auto product = nn::Multiply()({sa, b});
  auto high = nn::Maximum()({sum, product});
  auto joined = nn::Concatenate()({high, nn::Subtract()({sum, product}), nn::Average()({a, b})});
  nn::Model model(in, nn::Dense(2)(joined), {.seed = 3});
  CHECK(model.count_params() == 16 + 16 + 20 + 26);  // the shared layer's weights once
  const Matrix x = testing::uniform_matrix(5, 3, 9);
  CHECK(testing::check_model_gradients(model, x) < testing::kTolerance);
  // Changing the shared layer's weights changes both calls: the model sees one layer.
  const Matrix before = model.predict(x);
  model.get_layer("shared").params()[1]->value.setConstant(Scalar(0.5));
  CHECK_FALSE(model.predict(x) == before);
}

TEST_CASE("layers come in Keras's order: by depth from the inputs, then by first use") {
  nn::Input in(2);
  nn::Dense late(3, {.name = "late"});
  auto left = nn::Dense(3, {.name = "left"})(in);
  auto right = nn::Dense(3, {.name = "right"})(nn::Dense(3, {.name = "deep"})(in));
  auto out = late(nn::Add({.name = "add"})({left, right}));
  nn::Model model(in, out);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < model.size(); ++i) names.push_back(model.layer(i).name());
  // Keras 3's map_graph: deep (depth 3) first; left and right share depth 2, left visited first from the output.
  CHECK(names == std::vector<std::string>{"deep", "left", "right", "add", "late"});
}

TEST_CASE("summary: Keras's table with InputLayer rows, and 'Connected to' for a graph") {
  nn::Input in(30, {.name = "features"});
  auto h = nn::Dense(16, {.activation = "relu"})(in);
  auto skip = nn::Dense(16)(in);
  nn::Model model(in, nn::Dense(1, {.name = "malignant"})(nn::Add()({h, skip})), {.name = "residual"});
  const std::string text = model.summary_text();
  CHECK(text.find("Model: \"residual\"") == 0);
  CHECK(text.find("Connected to") != std::string::npos);
  CHECK(text.find("│ features (InputLayer)         │ (None, 30)             │         0 │ -") != std::string::npos);
  CHECK(text.find("│ dense (Dense)                 │ (None, 16)             │       496 │ features[0][0]") !=
        std::string::npos);
  CHECK(text.find("│ add (Add)                     │ (None, 16)             │         0 │ dense[0][0],") !=
        std::string::npos);
  CHECK(text.find("│                               │                        │           │ dense_1[0][0]") !=
        std::string::npos);
  CHECK(text.find(" Total params: 1,009 (") != std::string::npos);

  nn::Input single(4);
  nn::Model chain(single, nn::Dense(2)(nn::Dense(3)(single)));
  const std::string chain_text = chain.summary_text();
  CHECK(chain_text.find("Connected to") == std::string::npos);  // a chain prints as Keras prints a Sequential
  CHECK(chain_text.find("│ input_layer (InputLayer)        │ (None, 4)              │             0 │") !=
        std::string::npos);
}

TEST_CASE("Functional errors name the layers and inputs") {
  nn::Input x1(3, {.name = "x1"}), x2(3, {.name = "x2"});
  auto merged = nn::Add()({nn::Dense(2, {.name = "d1"})(x1), nn::Dense(2, {.name = "d2"})(x2)});
  CHECK_THROWS_WITH_AS(nn::Model(x1, merged),
                       doctest::Contains("graph disconnected: Dense 'd2' needs Input \"x2\", which is not among the "
                                         "model's inputs (\"x1\")"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::Add()({nn::Dense(2)(x1), nn::Dense(5)(x1)}),
                       doctest::Contains("Add (unnamed): inputs have incompatible shapes [(None, 2), (None, 5)]"), Error);
  auto twin_name = nn::Dense(2, {.name = "same"})(nn::Dense(2, {.name = "same"})(x1));
  CHECK_THROWS_WITH_AS(nn::Model(x1, twin_name), doctest::Contains("has the name of Dense 'same'"), Error);
  CHECK_THROWS_WITH_AS(nn::Dense(2)({x1, x2}), doctest::Contains("takes one input"), Error);
  CHECK_THROWS_WITH_AS(nn::Add()(x1), doctest::Contains("takes a list of inputs"), Error);
  nn::Dense used(2);
  used(x1);
  nn::Sequential sequential;
  CHECK_THROWS_WITH_AS(sequential.add(std::move(used)), doctest::Contains("was called on a symbolic tensor"), Error);
  nn::Dense reused(2, {.name = "reused"});
  auto first = reused(x1);
  auto wider = reused(nn::Input(5));
  CHECK_THROWS_WITH_AS(nn::Model(std::vector<nn::SymbolicTensor>{x1}, std::vector<nn::SymbolicTensor>{first, wider}),
                       doctest::Contains("graph disconnected"), Error);
  nn::Input x5(5);
  auto wrong = reused(x5);
  CHECK_THROWS_WITH_AS(nn::Model(std::vector<nn::SymbolicTensor>{x1, x5}, std::vector<nn::SymbolicTensor>{first, wrong}),
                       doctest::Contains("Dense 'reused' is called on inputs of shapes that need weights of other "
                                         "shapes"),
                       Error);
}
