// Python's float repr and the part of str.format that Keras file names use, so that CSVLogger files and checkpoint
// paths come out as Keras writes them.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace descent::nn {

/// Python's repr(float): the shortest digits that read back to the same double, fixed notation for exponents -4..15
/// and scientific otherwise: "0.1", "2.0", "1e-05", "1.5e+16", "nan", "inf".
std::string python_repr(double value);

/// A value to substitute: an integer (epoch, batch) or a float (a log value).
using FormatValue = std::variant<long long, double>;

/// Python's pattern.format(**values) for fields "{name}" and "{name:spec}" with spec [0][width][.precision][type],
/// type one of d f e E g G %; "{{" and "}}" stand for braces. An unknown name, a bad spec or 'd' for a float is
/// an Error that starts with `where` and quotes the pattern.
std::string python_format(const std::string& pattern, const std::map<std::string, FormatValue>& values,
                          const std::string& where);

/// The names of the fields in `pattern`, checking its syntax (what python_format checks before substituting).
std::vector<std::string> python_format_fields(const std::string& pattern, const std::string& where);

}  // namespace descent::nn
