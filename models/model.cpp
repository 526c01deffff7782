// Model: Keras's Model API over any topology; the loops themselves are the Trainer's.
#include "model.hpp"

#include "detail/graph.hpp"

#include <descent/core/error.hpp>
#include <descent/core/text.hpp>
#include <descent/trainers/detail/data_checks.hpp>
#include <descent/trainers/trainer.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <ostream>

namespace descent::nn {

Model::Model(std::string name, std::uint64_t seed)
    : name_(std::move(name)), seed_(seed), trainer_(std::make_unique<Trainer>()) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

std::ostream& operator<<(std::ostream& out, Model::Where where) {
  return out << where.model.class_name() << " '" << escaped(where.model.name()) << "'";
}

void Model::compile(losses::LossId loss, optim::OptimizerId optimizer, std::vector<metrics::MetricId> metrics,
                    std::vector<metrics::MetricId> weighted_metrics) {
  trainer_->compile(*this, std::move(loss), std::move(optimizer), std::move(metrics), std::move(weighted_metrics));
}
bool Model::compiled() const { return trainer_->compiled(); }

History Model::fit(const Matrix& x, const Matrix& y, FitOptions options) {
  return trainer_->fit(*this, x, y, std::move(options));
}
Logs Model::evaluate(const Matrix& x, const Matrix& y, EvaluateOptions options) {
  return trainer_->evaluate(*this, x, y, std::move(options));
}
Matrix Model::predict(const Matrix& x, PredictOptions options) { return trainer_->predict(*this, x, options); }
std::vector<Index> Model::predict_classes(const Matrix& x, PredictOptions options) {
  const Matrix out = predict(x, options);
  std::vector<Index> classes(static_cast<std::size_t>(out.rows()));
  if (out.cols() == 1) {
    const nlohmann::json loss_config = compiled() ? loss().config() : nlohmann::json::object();
    const double threshold = loss_config.value("from_logits", false) ? 0.0 : 0.5;
    for (Index i = 0; i < out.rows(); ++i) classes[static_cast<std::size_t>(i)] = out(i, 0) > threshold ? 1 : 0;
  } else {
    for (Index i = 0; i < out.rows(); ++i) out.row(i).maxCoeff(&classes[static_cast<std::size_t>(i)]);
  }
  return classes;
}

Logs Model::train_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  return trainer_->train_on_batch(*this, x, y, sample_weight);
}
Logs Model::test_on_batch(const Matrix& x, const Matrix& y, const Vector& sample_weight) {
  return trainer_->test_on_batch(*this, x, y, sample_weight);
}

const losses::Loss& Model::loss() const { return trainer_->loss(*this); }
optim::Optimizer& Model::optimizer() { return trainer_->optimizer(*this); }
const optim::Optimizer& Model::optimizer() const { return trainer_->optimizer(*this); }
const std::vector<metrics::MetricId>& Model::metric_ids() const { return trainer_->metric_ids(); }
const std::vector<metrics::MetricId>& Model::weighted_metric_ids() const { return trainer_->weighted_metric_ids(); }
const std::vector<std::shared_ptr<metrics::Metric>>& Model::metrics() { return trainer_->metrics(*this); }

void Model::finish_build(const Shape& input_shape) {
  weights_.clear();
  for (auto& layer : layers_)
    for (Param* p : layer->weights()) weights_.push_back(p);
  input_shape_ = input_shape;
  built_ = true;
}

Layer& Model::layer(std::size_t index) {
  check(index < layers_.size(), where(), ": no layer ", index, "; it has ", layers_.size(), ".");
  return *layers_[index];
}
const Layer& Model::layer(std::size_t index) const { return const_cast<Model*>(this)->layer(index); }

Layer& Model::layer(const std::string& layer_name) {
  for (auto& l : layers_)
    if (l->name() == layer_name) return *l;
  std::string names;
  for (auto& l : layers_) names += (names.empty() ? "" : ", ") + descent::quoted(l->name());
  fail(str(where(), ": no layer named ", descent::quoted(layer_name), ". Layers: ", names, "."));
}

const Layer* Model::first_non_finite_layer() const {
  for (std::size_t i = 0; i < outputs_.size() && i < layers_.size(); ++i)
    if (outputs_[i] != nullptr && !outputs_[i]->allFinite()) return layers_[i].get();
  return nullptr;
}

std::string Model::first_non_finite_weight() const {
  // weights_ first, so that the check allocates nothing while every weight is finite.
  const auto bad = std::find_if(weights_.begin(), weights_.end(), [](const Param* p) { return !p->value.allFinite(); });
  if (bad == weights_.end()) return {};
  for (const auto& layer : layers_)
    for (const Param* p : layer->weights())
      if (p == *bad) return layer->name() + "/" + p->name;
  return (*bad)->name;
}

double Model::regularization_loss() const {
  double penalty = 0.0;
  for (const auto& layer : layers_) penalty += layer->regularization_loss();
  return penalty;
}

void Model::apply_constraints() {
  for (auto& layer : layers_)
    if (layer->trainable()) layer->apply_constraints();
}

std::vector<Param*> Model::trainable_weights() const {
  std::vector<Param*> out;
  for (const auto& layer : layers_)
    if (layer->trainable())
      for (Param* p : layer->params()) out.push_back(p);
  return out;
}

std::vector<Matrix> Model::get_weights() const {
  std::vector<Matrix> weights;
  for (const Param* p : weights_) weights.push_back(p->value);
  return weights;
}

void Model::set_weights(const std::vector<Matrix>& weights) {
  check(built_, "set_weights: the model is not built; add an Input or call build(input_dim) first.");
  check(weights.size() == weights_.size(), "set_weights: expected ", weights_.size(), " weights; received ",
        weights.size(), ".");
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Param& p = *weights_[i];
    check(weights[i].rows() == p.value.rows() && weights[i].cols() == p.value.cols(), "set_weights: weight ", i,
          " ('", p.name, "') expected ", p.value.rows(), " x ", p.value.cols(), "; received ", weights[i].rows(), " x ",
          weights[i].cols(), ".");
    detail::check_finite(weights[i], 0, "set_weights", str("weight ", i, " ('", p.name, "')").c_str());
  }
  for (std::size_t i = 0; i < weights.size(); ++i) weights_[i]->value = weights[i];
}

Index Model::count_params() const {
  check(built_, "count_params: the model is not built; add an Input or call build(input_dim) first.");
  Index n = 0;
  for (const Param* p : weights_) n += p->value.size();
  return n;
}

void Model::summary(std::ostream& out) const { out << summary_text(); }
void Model::summary() const { summary(std::cout); }

}  // namespace descent::nn
