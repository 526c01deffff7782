// Thread control for Eigen's OpenMP-parallel products.
#include "tensor.hpp"

#include <thread>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace descent {

void set_num_threads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Eigen::setNbThreads(n);
#ifdef _OPENMP
  omp_set_num_threads(n);
#endif
}

int num_threads() { return Eigen::nbThreads(); }

}  // namespace descent
