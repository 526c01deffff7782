// Strings that came from files (layer names, column names, class labels) shown safely: quoted, with control
// characters, NUL bytes and invalid UTF-8 escaped, so a message can neither drive the terminal nor stop short.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace descent {

/// `text` in double quotes, as a C++ literal would spell it: \" \\ \n \r \t, other control bytes (NUL and DEL
/// included) and bytes that are not part of valid UTF-8 as \xNN; valid UTF-8 beyond ASCII is kept as it is.
/// quoted("a\x1b[2Jb") == "\"a\\x1b[2Jb\"".
std::string quoted(std::string_view text);
/// quoted() without the quotes, for text that stands in a table (the summary's layer names).
std::string escaped(std::string_view text);

/// The byte offset of the first byte of `text` that does not start a valid UTF-8 sequence (overlong forms,
/// surrogates and code points beyond U+10FFFF are invalid), or std::string_view::npos when all of it is valid.
std::size_t invalid_utf8_at(std::string_view text);

}  // namespace descent
