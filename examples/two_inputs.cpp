// Two inputs, as a Keras structured-data model groups its features: the breast-cancer data's 10 "mean" measurements
// and its 20 others ("se" and "worst") each go through their own Dense branch, then Concatenate joins them before
// the output. fit, evaluate and predict take one array per input (nn::Arrays). Exits with an error below 90 %.
#include <descent/descent.hpp>

#include <iostream>

using namespace descent;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : DESCENT_DATASETS "/breast_cancer.csv";
  auto [x, y] = data::read_csv(path, {.label = "malignant"});
  auto [train, test] = data::train_test_split(x, y, {.test_size = 0.2, .seed = 7, .stratify = true});
  data::StandardScaler scaler;
  scaler.fit(train.x);
  const Matrix train_x = scaler.transform(train.x), test_x = scaler.transform(test.x);
  // The file's first 10 feature columns are the means, the last 20 the standard errors and the worst values.
  const Matrix train_mean = train_x.leftCols(10), train_rest = train_x.rightCols(20);
  const Matrix test_mean = test_x.leftCols(10), test_rest = test_x.rightCols(20);

  nn::Input means(10, {.name = "means"}), rest(20, {.name = "spread_and_worst"});
  auto a = nn::Dense(8, {.activation = "relu"})(means);
  auto b = nn::Dense(8, {.activation = "relu"})(rest);
  auto joined = nn::Concatenate()({a, b});
  auto malignant = nn::Dense(1, {.activation = "sigmoid", .name = "malignant"})(nn::Dropout(0.2)(joined));
  nn::Model model({means, rest}, {malignant}, {.name = "two_inputs", .seed = 1});
  model.compile("binary_crossentropy", "adam", {"accuracy"});
  model.summary(std::cout);

  model.fit(nn::Arrays{{"means", train_mean}, {"spread_and_worst", train_rest}}, train.y,
            {.epochs = 40, .batch_size = 32, .verbose = 2});
  nn::Logs scores = model.evaluate(nn::Arrays{test_mean, test_rest}, test.y);
  const Matrix few_mean = test_mean.topRows(3), few_rest = test_rest.topRows(3);
  const Matrix first = model.predict(nn::Arrays{few_mean, few_rest});
  std::cout << "test loss " << scores["loss"] << ", test accuracy " << scores["accuracy"] << " (" << test.x.rows()
            << " samples)\nP(malignant) of the first three test samples: " << first.transpose() << "\n";
  return scores["accuracy"] >= 0.9 ? 0 : 1;
} catch (const descent::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
