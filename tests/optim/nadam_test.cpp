// Nadam: a hand-computed first step, a Keras-formula loop, Keras's golden run, and the restored momentum product.
#include "optim/optimizer_testing.hpp"

#include <descent/descent.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace descent;
using test::Flat;
using optim::ParamD;

namespace {

// Keras 3 nadam.py written out: the product of u_s is advanced once per step, before the weights.
struct NadamReference {
  double lr = 0.001, beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7;
  Flat m, v;
  double u_product = 1.0;
  int t = 0;

  double u(int s) const { return beta_1 * (1 - 0.5 * std::pow(0.96, s)); }

  void operator()(Flat& w, const Flat& g) {
    if (m.empty()) m = v = Flat(w.size(), 0.0);
    ++t;
    u_product *= u(t);
    const double u_next_product = u_product * u(t + 1);
    for (std::size_t k = 0; k < w.size(); ++k) {
      m[k] += (g[k] - m[k]) * (1 - beta_1);
      v[k] += (g[k] * g[k] - v[k]) * (1 - beta_2);
      const double m_hat = u(t + 1) * m[k] / (1 - u_next_product) + (1 - u(t)) * g[k] / (1 - u_product);
      const double v_hat = v[k] / (1 - std::pow(beta_2, t));
      w[k] -= m_hat * lr / (std::sqrt(v_hat) + epsilon);
    }
  }
};

}  // namespace

TEST_CASE("Nadam: the first step, derived by hand") {
  // t = 1: u_1 = 0.9 (1 - 0.5 * 0.96) = 0.468, u_2 = 0.9 (1 - 0.5 * 0.9216) = 0.48528. m = 0.1 g, v = 0.001 g^2.
  // m_hat = u_2 * 0.1 g / (1 - u_1 u_2) + (1 - u_1) g / (1 - u_1) = (0.048528 / (1 - 0.468 * 0.48528) + 1) g;
  // v_hat = g^2. The step is lr * m_hat / (|g| + eps).
  optim::Nadam nadam({.learning_rate = 0.5});
  Flat w = test::keras_single_step(nadam);
  const Flat w0 = {1, 2, 3, 4}, g = {1, 6, 7, 2};
  const double factor = 0.048528 / (1 - 0.468 * 0.48528) + 1;
  for (int k = 0; k < 4; ++k)
    CHECK(w[k] == doctest::Approx(w0[k] - 0.5 * factor * g[k] / (g[k] + 1e-7)).epsilon(1e-13));
  // Keras's nadam_test.py test_single_step: (0.4686, 1.4686, 2.4686, 3.4686).
  CHECK(w[0] == doctest::Approx(0.4686).epsilon(1e-4));
}

TEST_CASE("Nadam: ten steps on a bowl with two parameters follow the Keras formula") {
  optim::Nadam nadam({.learning_rate = 0.05, .beta_1 = 0.85, .beta_2 = 0.99, .epsilon = 1e-6});
  auto path = test::run_bowl<double>(nadam, 10);
  NadamReference reference{.lr = 0.05, .beta_1 = 0.85, .beta_2 = 0.99, .epsilon = 1e-6};
  auto expected = test::run_reference(std::ref(reference), 10);
  CHECK(test::total_movement(path) > 0.3);
  CHECK(test::max_difference(path, expected) < 1e-13);
  CHECK(nadam.iterations() == 10);

  optim::Nadam in_float({.learning_rate = 0.05, .beta_1 = 0.85, .beta_2 = 0.99, .epsilon = 1e-6});
  auto float_path = test::run_bowl<float>(in_float, 10);
  CHECK(test::max_difference(float_path, expected) < 1e-5);
}

TEST_CASE("Nadam: Keras's golden run") {
  // keras/src/optimizers/nadam_test.py: Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5).
  optim::Nadam nadam({.learning_rate = 0.5, .beta_1 = 0.5, .beta_2 = 0.67, .epsilon = 1e-5});
  auto rows = test::keras_golden_run(nadam);
  test::check_golden(rows, {
      {0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281},
      {-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717},
      {-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084},
      {-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299},
      {-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454},
  });
}

TEST_CASE("Nadam: restoring the step count and slots resumes the same trajectory") {
  // The momentum-schedule product follows from the step count, so the slots plus set_iterations are all a saved
  // model needs. Slots are public in Scalar precision, so this runs in Scalar.
  optim::Nadam full({.learning_rate = 0.05});
  auto path = test::run_bowl<Scalar>(full, 8);

  optim::Nadam first({.learning_rate = 0.05});
  test::Bowl<Scalar> bowl;
  Param* params[] = {&bowl.kernel, &bowl.bias};
  for (int s = 0; s < 5; ++s) {
    bowl.set_gradients();
    first.step(std::span<Param* const>(params));
  }
  optim::Nadam resumed({.learning_rate = 0.05});
  resumed.set_iterations(first.iterations());
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t k = 0; k < 2; ++k) resumed.slot(i, k) = first.slot(i, k);
  for (int s = 5; s < 8; ++s) {
    bowl.set_gradients();
    resumed.step(std::span<Param* const>(params));
  }
  CHECK(resumed.iterations() == 8);
  CHECK(test::max_difference({bowl.flat()}, {path.back()}) < 1e-12);
}

TEST_CASE("Nadam: config and bad options") {
  auto c = optim::Nadam().config();
  CHECK(c["name"] == "nadam");
  CHECK(c["learning_rate"] == 0.001);
  CHECK(c["beta_1"] == 0.9);
  CHECK(c["beta_2"] == 0.999);
  CHECK(c["epsilon"] == 1e-7);
  CHECK(optim::Nadam().slot_names() == std::vector<std::string>{"m", "v"});
  CHECK_THROWS_WITH_AS(optim::Nadam({.beta_1 = 1.0}), doctest::Contains("Nadam: bad beta_1"), Error);
  CHECK_THROWS_WITH_AS(optim::Nadam({.learning_rate = -1.0}), doctest::Contains("Nadam: bad learning_rate"), Error);
}
