// Confusion counts (Keras 3 keras/src/metrics/metrics_utils.py): the direct comparison for arbitrary thresholds,
// and the bucket method for evenly spread ones, which gives the same counts in O(N + T).
#include "confusion_matrix.hpp"

#include <descent/core/error.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace descent::metrics {

bool evenly_distributed(const std::vector<double>& thresholds) {
  const std::size_t n = thresholds.size();
  if (n < 3) return false;
  for (std::size_t i = 0; i < n; ++i) {
    // np.arange(n, dtype=float32) / (n - 1) is computed in float32.
    double even = static_cast<float>(static_cast<float>(i) / static_cast<float>(n - 1));
    if (std::abs(thresholds[i] - even) > 1e-7 + 1e-5 * std::abs(even)) return false;
  }
  return true;
}

void ConfusionCounts::reset() {
  tp.setZero();
  fp.setZero();
  tn.setZero();
  fn.setZero();
}

void ConfusionCounts::update(const Matrix& y_true, const Matrix& y_pred, SampleWeights weights,
                             const ConfusionSetup& setup, const std::string& where) {
  check(y_true.rows() == y_pred.rows() && y_true.cols() == y_pred.cols(), where,
        ": y_true and y_pred must have the same shape; received y_true of ", y_true.rows(), " x ", y_true.cols(),
        " and y_pred of ", y_pred.rows(), " x ", y_pred.cols(), ".");
  Index first = 0, last = y_pred.cols();
  if (setup.class_id) {
    check(*setup.class_id < y_pred.cols(), where, ": class_id must be a column of y_pred. Expected class_id < ",
          y_pred.cols(), "; received class_id=", *setup.class_id, ".");
    first = *setup.class_id;
    last = first + 1;
  }
  check(setup.label_weights.empty() || static_cast<Index>(setup.label_weights.size()) == y_pred.cols(), where,
        ": expected one label weight per column of y_pred (", y_pred.cols(), "); received ",
        setup.label_weights.size(), " label_weights.");
  const Index labels = setup.multi_label ? last - first : 1;
  const Index thresholds = static_cast<Index>(setup.thresholds.size());
  if (tp.rows() != thresholds || tp.cols() != labels) {
    check(tp.size() == 0, where, ": expected y_pred with ", tp.cols(),
          " label columns (set by num_labels or the first batch); received ", labels, ".");
    for (auto* m : {&tp, &fp, &tn, &fn}) m->setZero(thresholds, labels);
  }

  const Matrix* pred = &y_pred;
  if (setup.top_k) {
    const Index k = *setup.top_k;
    check(k <= y_pred.cols(), where, ": top_k must not exceed the columns of y_pred. Expected top_k <= ",
          y_pred.cols(), "; received top_k=", k, ".");
    top_k_pred_ = y_pred;
    order_.resize(static_cast<std::size_t>(y_pred.cols()));
    auto key = [](Scalar v) { return std::isnan(v) ? -std::numeric_limits<Scalar>::infinity() : v; };
    for (Index i = 0; i < y_pred.rows(); ++i) {
      for (Index j = 0; j < y_pred.cols(); ++j) order_[static_cast<std::size_t>(j)] = j;
      // Largest first; equal values keep the lower column first, as top_k does.
      std::partial_sort(order_.begin(), order_.begin() + k, order_.end(), [&](Index a, Index b) {
        Scalar va = key(y_pred(i, a)), vb = key(y_pred(i, b));
        return va > vb || (va == vb && a < b);
      });
      for (auto it = order_.begin() + k; it != order_.end(); ++it) top_k_pred_(i, *it) = static_cast<Scalar>(kNegInf);
    }
    pred = &top_k_pred_;
  }

  // Keras multiplies the sample's weight by the label's.
  auto weight = [&](Index i, Index j) {
    return sample_weight(weights, i) * (setup.label_weights.empty() ? 1.0 : setup.label_weights[static_cast<std::size_t>(j)]);
  };

  if (setup.evenly) {
    // Bucket b holds predictions p with t_b < p <= t_(b+1); counts at t_i are sums over buckets b >= i.
    // bucket = ceil(p (T - 1)) - 1 in the working precision, as Keras; with the endpoint thresholds -eps and 1 + eps,
    // p = 0 joins bucket 0 (it is above -eps). A prediction in bucket -1 is positive at no threshold.
    const bool with_epsilon = setup.thresholds.front() < 0.0 || setup.thresholds.back() > 1.0;
    const Scalar scale = static_cast<Scalar>(thresholds - 1);
    true_bucket_.setZero(thresholds, labels);
    false_bucket_.setZero(thresholds, labels);
    total_true_.setZero(labels);
    total_false_.setZero(labels);
    for (Index i = 0; i < y_pred.rows(); ++i) {
      for (Index j = first; j < last; ++j) {
        const Index label = setup.multi_label ? j - first : 0;
        const double w = weight(i, j);
        const bool positive = y_true(i, j) != Scalar(0);
        (positive ? total_true_ : total_false_)(label) += w;
        Scalar p = (*pred)(i, j);
        if (std::isnan(p)) continue;
        p = std::clamp(p, Scalar(0), Scalar(1));
        long bucket = static_cast<long>(std::ceil(p * scale)) - 1;
        if (with_epsilon) bucket = std::max(bucket, 0L);
        if (bucket < 0) continue;
        (positive ? true_bucket_ : false_bucket_)(bucket, label) += w;
      }
    }
    for (Index label = 0; label < labels; ++label) {
      double above_true = 0.0, above_false = 0.0;
      for (Index t = thresholds - 1; t >= 0; --t) {
        above_true += true_bucket_(t, label);
        above_false += false_bucket_(t, label);
        tp(t, label) += above_true;
        fp(t, label) += above_false;
        fn(t, label) += total_true_(label) - above_true;
        tn(t, label) += total_false_(label) - above_false;
      }
    }
    return;
  }

  for (Index t = 0; t < thresholds; ++t) {
    const Scalar threshold = static_cast<Scalar>(setup.thresholds[static_cast<std::size_t>(t)]);
    for (Index i = 0; i < y_pred.rows(); ++i) {
      for (Index j = first; j < last; ++j) {
        const Index label = setup.multi_label ? j - first : 0;
        const double w = weight(i, j);
        const bool positive = y_true(i, j) != Scalar(0);
        const bool predicted = (*pred)(i, j) > threshold;
        (positive ? (predicted ? tp : fn) : (predicted ? fp : tn))(t, label) += w;
      }
    }
  }
}

}  // namespace descent::metrics
