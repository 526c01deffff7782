// The one gradient-descent update rule, shared by SGD and GD.
#include "sgd.hpp"

#include <descent/core/error.hpp>
#include <descent/core/detail/parallel.hpp>

#include <descent/core/config.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace descent::optim {

SGD::SGD(SGDOptions options) : SGD(std::move(options), "SGD") {}

SGD::SGD(SGDOptions options, const char* name) : OptimizerWith(std::move(options), name) {
  check(std::isfinite(options_.momentum) && options_.momentum >= 0 && options_.momentum <= 1, name,
        ": expected momentum in [0, 1]; received momentum=", options_.momentum, ".");
}

template <class T>
void SGD::apply(BasicParam<T>& param, std::size_t index) {
  const T lr = static_cast<T>(current_learning_rate());
  const T mu = static_cast<T>(options_.momentum);
  double largest = 0.0;
  if (mu == T(0)) {
    param.value.noalias() -= lr * param.grad;
    if (track_updates_) largest = lr * param.grad.cwiseAbs().maxCoeff();
  } else if (!options_.nesterov && !track_updates_) {
    // Row block by row block, so that both statements run over data in cache: one sweep instead of two.
    MatrixT<T>& velocity = slot(param, index, 0);
    descent::detail::for_row_blocks(param.value.rows(), param.value.cols(), [&](Index first, Index count) {
      auto v = velocity.middleRows(first, count);
      v = mu * v - lr * param.grad.middleRows(first, count);
      param.value.middleRows(first, count) += v;
    }, descent::detail::kUpdateGrain);
  } else {
    MatrixT<T>& v = slot(param, index, 0);
    v = mu * v - lr * param.grad;
    if (options_.nesterov) {
      param.value += mu * v - lr * param.grad;
      if (track_updates_) largest = (mu * v - lr * param.grad).cwiseAbs().maxCoeff();
    } else {
      param.value += v;
      if (track_updates_) largest = v.cwiseAbs().maxCoeff();
    }
  }
  if (largest > largest_update_ || std::isnan(largest)) largest_update_ = largest;
}

std::vector<std::string> SGD::slot_names() const {
  if (options_.momentum == 0) return {};
  return {"momentum"};
}

template class OptimizerWith<SGD, SGDOptions>;

}  // namespace descent::optim
