// The one include for users: #include <descent/descent.hpp>.
#pragma once

#include <descent/core/error.hpp>
#include <descent/core/identifier.hpp>
#include <descent/core/matmul.hpp>
#include <descent/core/output.hpp>
#include <descent/core/random.hpp>
#include <descent/core/shape.hpp>
#include <descent/core/tensor.hpp>
#include <descent/core/text.hpp>
#include <descent/core/threads.hpp>

#include <descent/nn/activations.hpp>
#include <descent/nn/constraints.hpp>
#include <descent/nn/initializers.hpp>
#include <descent/nn/kernel_bias.hpp>
#include <descent/nn/layer.hpp>
#include <descent/nn/layers/convolutional/conv1d.hpp>
#include <descent/nn/layers/convolutional/conv2d.hpp>
#include <descent/nn/layers/core/activation.hpp>
#include <descent/nn/layers/core/dense.hpp>
#include <descent/nn/layers/core/identity.hpp>
#include <descent/nn/layers/normalization/batch_normalization.hpp>
#include <descent/nn/layers/normalization/layer_normalization.hpp>
#include <descent/nn/layers/normalization/scale_offset.hpp>
#include <descent/nn/layers/pooling/average_pooling.hpp>
#include <descent/nn/layers/pooling/global_pooling.hpp>
#include <descent/nn/layers/pooling/max_pooling.hpp>
#include <descent/nn/layers/regularization/dropout.hpp>
#include <descent/nn/layers/regularization/gaussian_noise.hpp>
#include <descent/nn/layers/reshaping/flatten.hpp>
#include <descent/nn/layers/reshaping/reshape.hpp>
#include <descent/nn/layers/reshaping/spatial_args.hpp>
#include <descent/nn/registry.hpp>
#include <descent/nn/regularizers.hpp>
#include <descent/nn/window.hpp>

#include <descent/models/model.hpp>
#include <descent/models/sequential.hpp>

#include <descent/trainers/options.hpp>
#include <descent/trainers/interrupt.hpp>
#include <descent/trainers/trainer.hpp>
#include <descent/trainers/training_diverged.hpp>

#include <descent/callbacks/callback.hpp>
#include <descent/callbacks/csv_logger.hpp>
#include <descent/callbacks/early_stopping.hpp>
#include <descent/callbacks/lambda_callback.hpp>
#include <descent/callbacks/learning_rate_scheduler.hpp>
#include <descent/callbacks/model_checkpoint.hpp>
#include <descent/callbacks/monitor.hpp>
#include <descent/callbacks/progress_logger.hpp>
#include <descent/callbacks/reduce_lr_on_plateau.hpp>
#include <descent/callbacks/terminate_on_nan.hpp>

#include <descent/saving/model_json.hpp>
#include <descent/saving/saving.hpp>

#include <descent/losses/binary_crossentropy.hpp>
#include <descent/losses/categorical_crossentropy.hpp>
#include <descent/losses/categorical_hinge.hpp>
#include <descent/losses/cosine_similarity.hpp>
#include <descent/losses/hinge.hpp>
#include <descent/losses/huber.hpp>
#include <descent/losses/kl_divergence.hpp>
#include <descent/losses/log_cosh.hpp>
#include <descent/losses/loss.hpp>
#include <descent/losses/mean_absolute_error.hpp>
#include <descent/losses/mean_absolute_percentage_error.hpp>
#include <descent/losses/mean_squared_error.hpp>
#include <descent/losses/mean_squared_logarithmic_error.hpp>
#include <descent/losses/poisson.hpp>
#include <descent/losses/registry.hpp>
#include <descent/losses/sparse_categorical_crossentropy.hpp>
#include <descent/losses/squared_hinge.hpp>

#include <descent/metrics/accuracy.hpp>
#include <descent/metrics/auc.hpp>
#include <descent/metrics/confusion_matrix.hpp>
#include <descent/metrics/f_score.hpp>
#include <descent/metrics/loss_metric.hpp>
#include <descent/metrics/metric.hpp>
#include <descent/metrics/precision_recall.hpp>
#include <descent/metrics/registry.hpp>
#include <descent/metrics/regression.hpp>
#include <descent/metrics/top_k_accuracy.hpp>

#include <descent/optim/adadelta.hpp>
#include <descent/optim/adagrad.hpp>
#include <descent/optim/adam.hpp>
#include <descent/optim/adamax.hpp>
#include <descent/optim/adamw.hpp>
#include <descent/optim/gd.hpp>
#include <descent/optim/learning_rate.hpp>
#include <descent/optim/minimize.hpp>
#include <descent/optim/nadam.hpp>
#include <descent/optim/optimizer.hpp>
#include <descent/optim/registry.hpp>
#include <descent/optim/rmsprop.hpp>
#include <descent/optim/schedules.hpp>
#include <descent/optim/sgd.hpp>

#include <descent/data/csv.hpp>
#include <descent/data/fashion_mnist.hpp>
#include <descent/data/idx.hpp>
#include <descent/data/label_encoder.hpp>
#include <descent/data/minmax_scaler.hpp>
#include <descent/data/one_hot.hpp>
#include <descent/data/split.hpp>
#include <descent/data/standard_scaler.hpp>
#include <descent/data/synthetic.hpp>
#include <descent/data/text_table.hpp>
