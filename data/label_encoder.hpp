// LabelEncoder: class labels as written in a file ("setosa", "M", "4") to class indices 0..k-1 and back.
#pragma once

#include <descent/core/tensor.hpp>

#include <string>
#include <vector>

namespace descent::data {

/// Labels are compared as numbers when every label is a number ("1" and "1.0" are one class), as text otherwise.
/// fit() numbers the classes as scikit-learn's LabelEncoder does, in sorted order (numeric order for numbers), except
/// that labels which already are class indices keep them: with `classes` = 3, the labels 0, 2 give classes 0, 1, 2,
/// so a class missing from the data does not shift the others.
class LabelEncoder {
 public:
  /// Learns the classes of `labels`. `classes` > 0: the number of classes the model has, used only when every label
  /// is an integer in [0, classes).
  LabelEncoder& fit(const std::vector<std::string>& labels, Index classes = 0);
  /// Class indices (samples x 1). A label not seen by fit is an Error "<where>: ... Expected one of ...";
  /// `where` is called with the label's position to name its line.
  template <class Where>
  Matrix transform(const std::vector<std::string>& labels, Where&& where) const {
    Matrix out(static_cast<Index>(labels.size()), 1);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const Index c = index_of(labels[i]);
      if (c < 0) unknown(labels[i], where(i));
      out(static_cast<Index>(i), 0) = static_cast<Scalar>(c);
    }
    return out;
  }
  Matrix transform(const std::vector<std::string>& labels) const {
    return transform(labels, [](std::size_t i) { return "label " + std::to_string(i); });
  }
  /// The class index of one label, or -1.
  Index index_of(const std::string& label) const;
  /// The label of class `index`, as the classes were spelled (numbers in shortest form: "1", "2.5").
  const std::string& label(Index index) const;

  bool fitted() const { return !classes_.empty(); }
  Index size() const { return static_cast<Index>(classes_.size()); }
  const std::vector<std::string>& classes() const { return classes_; }
  /// True when every label was a number.
  bool numeric() const { return numeric_; }
  /// Restores a saved encoder: classes in index order.
  void set(std::vector<std::string> classes, bool numeric);

  /// The canonical spelling of a numeric label ("1.0" -> "1"), or "" when `label` is not a number.
  static std::string canonical_number(const std::string& label);

 private:
  [[noreturn]] void unknown(const std::string& label, const std::string& where) const;

  std::vector<std::string> classes_;
  bool numeric_ = false;
};

}  // namespace descent::data
