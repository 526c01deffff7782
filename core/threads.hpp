// Thread control: how many threads the matrix products and element-wise passes use.
#pragma once

namespace descent {

/// Threads for the matrix products: descent::matmul splits large products over n OpenMP threads in a DESCENT_OPENBLAS
/// build (OpenBLAS and Eigen then stay serial), else Eigen's OpenMP GEMM uses n. n <= 0 restores the default (all
/// cores). Leaves the process's other OpenMP settings alone.
void set_num_threads(int n);
int num_threads();

}  // namespace descent
