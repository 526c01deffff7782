// descent::Error, the one exception type, and check() to throw it with a composed message.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace descent {

/// Every failure the library reports: bad input, bad configs, unreadable files.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Joins the parts with operator<< into one message.
template <class... Parts>
std::string str(Parts&&... parts) {
  std::ostringstream out;
  (out << ... << std::forward<Parts>(parts));
  return out.str();
}

/// Throws Error(str(parts...)) unless cond holds. Message style:
/// "<Where>: <what is wrong>. Expected <rule>; received <name>=<value>."
template <class... Parts>
void check(bool cond, Parts&&... parts) {
  if (!cond) throw Error(str(std::forward<Parts>(parts)...));
}

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

}  // namespace descent
