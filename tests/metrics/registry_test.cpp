// The metric registry: "accuracy" resolved from shapes as Keras's compile does, names, unknown-name errors.
#include "support/gradient_check.hpp"

#include <doctest/doctest.h>

using namespace descent;

TEST_CASE("\"accuracy\" resolves from the shapes: 1 output -> binary, 1 target column -> sparse, else categorical") {
  CHECK(metrics::get("accuracy", {.outputs = 1, .target_columns = 1})->class_name() == "BinaryAccuracy");
  CHECK(metrics::get("accuracy", {.outputs = 3, .target_columns = 1})->class_name() == "SparseCategoricalAccuracy");
  CHECK(metrics::get("accuracy", {.outputs = 3, .target_columns = 3})->class_name() == "CategoricalAccuracy");
  CHECK(metrics::get("acc", {.outputs = 1, .target_columns = 1})->class_name() == "BinaryAccuracy");
  CHECK(metrics::get("acc", {.outputs = 4, .target_columns = 4})->class_name() == "CategoricalAccuracy");
  // The metric keeps the name it was asked by, as the History key.
  CHECK(metrics::get("accuracy", {.outputs = 3, .target_columns = 1})->name() == "accuracy");
  CHECK(metrics::get("acc", {})->name() == "acc");
}

TEST_CASE("explicit accuracy names ignore the shapes") {
  CHECK(metrics::get("binary_accuracy", {.outputs = 3, .target_columns = 3})->class_name() == "BinaryAccuracy");
  CHECK(metrics::get("categorical_accuracy", {})->class_name() == "CategoricalAccuracy");
  CHECK(metrics::get("sparse_categorical_accuracy", {})->class_name() == "SparseCategoricalAccuracy");
  CHECK(metrics::get("sparse_categorical_accuracy", {})->name() == "sparse_categorical_accuracy");
  for (const char* name : {"accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"}) {
    auto names = metrics::names();
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}

TEST_CASE("an object passes through; unknown metric names fail listing the valid ones") {
  metrics::MetricId id = metrics::BinaryAccuracy({.name = "acc_at_0.7", .threshold = 0.7});
  auto m = metrics::get(id, {});
  CHECK(m->name() == "acc_at_0.7");
  CHECK_THROWS_WITH_AS(metrics::get("acuracy", {}), doctest::Contains("Unknown metric \"acuracy\". Valid metrics: "),
                       Error);
  CHECK_THROWS_WITH_AS(metrics::get("acuracy", {}), doctest::Contains("sparse_categorical_accuracy"), Error);
  CHECK_THROWS_WITH_AS(metrics::get("acuracy", {}), doctest::Contains("any loss name"), Error);
}
