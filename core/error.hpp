// descent::Error, the one exception type, and check() to throw it with a composed message.
#pragma once

#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace descent {

/// Every failure the library reports: bad input, bad configs, unreadable files. An error may know its place (a file,
/// a JSON path such as "model.json: config.layers[2].config.units"); one that does not gains the place of the
/// object being read as it travels up (within()), so messages name where without matching message text.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  /// what() is "<where>: <message>".
  Error(const std::string& where, const std::string& message)
      : std::runtime_error(where + ": " + message), where_(where) {}

  /// The place the error is about; empty when the thrower did not know it.
  const std::string& where() const { return where_; }

 private:
  std::string where_;
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

/// The system's words for the errno value `error` ("No such file or directory"), read right after the failing call
/// (a later call may change errno); 0, where a call failed without setting it, reads "unknown error", never
/// "Success".
inline std::string errno_text(int error) { return error ? std::strerror(error) : "unknown error"; }

/// check() for an error that knows its place: throws Error(where, str(parts...)).
template <class... Parts>
void check_at(bool cond, const std::string& where, Parts&&... parts) {
  if (!cond) throw Error(where, str(std::forward<Parts>(parts)...));
}

[[noreturn]] inline void fail_at(const std::string& where, const std::string& message) { throw Error(where, message); }

/// Runs `body`; an Error without a place (say, a constructor's check of an option) is rethrown placed at `where`,
/// the object being read. Errors that know a more precise place pass unchanged.
template <class Body>
decltype(auto) within(const std::string& where, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const Error& e) {
    if (!e.where().empty()) throw;
    throw Error(where, e.what());
  }
}

}  // namespace descent
