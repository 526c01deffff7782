// Thread control: one thread pool at a time. With OpenBLAS, OpenBLAS and Eigen stay serial and descent::matmul
// splits large products over OpenMP threads itself; without it, Eigen's OpenMP threads do.
#include "threads.hpp"

#include <Eigen/Core>

#include <algorithm>

#include <thread>

#ifdef DESCENT_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace descent {

namespace {
int threads_in_use = 0;  // 0: not set yet, every core
}

void set_num_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads_in_use = n;
#ifdef DESCENT_HAVE_OPENBLAS
  openblas_set_num_threads(1);  // its threaded GEMM mallocs on every call; matmul splits products instead
  Eigen::setNbThreads(1);
#else
  Eigen::setNbThreads(n);
#endif
}

int num_threads() {
  if (threads_in_use == 0) set_num_threads(0);
  return threads_in_use;
}

}  // namespace descent
