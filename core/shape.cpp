// Shape's products and Keras's printed forms.
#include "shape.hpp"

#include <algorithm>
#include <functional>
#include <numeric>
#include <ostream>

namespace descent {

Index Shape::size() const { return std::accumulate(dims_.begin(), dims_.end(), Index{1}, std::multiplies<>()); }

bool Shape::valid() const {
  return std::all_of(dims_.begin(), dims_.end(), [](Index d) { return d > 0; });
}

namespace {
std::string tuple(const std::vector<std::string>& items) {
  std::string out = "(";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ", " : "") + items[i];
  return out + (items.size() == 1 ? ",)" : ")");
}
std::vector<std::string> texts(const std::vector<Index>& dims) {
  std::vector<std::string> out;
  for (Index d : dims) out.push_back(std::to_string(d));
  return out;
}
}  // namespace

std::string Shape::str() const { return tuple(texts(dims_)); }

std::ostream& operator<<(std::ostream& out, const Shape& shape) { return out << shape.str(); }

std::string Shape::batch_str() const {
  std::vector<std::string> items = texts(dims_);
  items.insert(items.begin(), "None");
  return tuple(items);
}

}  // namespace descent
