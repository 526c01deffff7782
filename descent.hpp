// The one include for users: #include <descent/descent.hpp>.
#pragma once

#include "nn/activation.hpp"
#include "nn/activations.hpp"
#include "nn/callbacks.hpp"
#include "nn/dense.hpp"
#include "nn/error.hpp"
#include "nn/initializers.hpp"
#include "nn/layer.hpp"
#include "nn/progress_logger.hpp"
#include "nn/random.hpp"
#include "nn/sequential.hpp"
#include "nn/tensor.hpp"

#include "losses/binary_crossentropy.hpp"
#include "losses/categorical_crossentropy.hpp"
#include "losses/loss.hpp"
#include "losses/mean_absolute_error.hpp"
#include "losses/mean_squared_error.hpp"
#include "losses/registry.hpp"
#include "losses/sparse_categorical_crossentropy.hpp"

#include "metrics/accuracy.hpp"
#include "metrics/loss_metric.hpp"
#include "metrics/metric.hpp"
#include "metrics/registry.hpp"

#include "optim/gd.hpp"
#include "optim/minimize.hpp"
#include "optim/optimizer.hpp"
#include "optim/registry.hpp"
#include "optim/sgd.hpp"

#include "data/csv.hpp"
#include "data/split.hpp"
#include "data/standard_scaler.hpp"
