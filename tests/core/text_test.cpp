#include <descent/core/text.hpp>

#include <doctest/doctest.h>

#include <string>

using descent::invalid_utf8_at;
using descent::quoted;

TEST_CASE("quoted escapes what could drive a terminal or cut a message short, and keeps valid UTF-8") {
  CHECK(quoted("alcohol") == "\"alcohol\"");
  CHECK(quoted("a\x1b[2Jb") == "\"a\\x1b[2Jb\"");               // an escape sequence is shown, not run
  CHECK(quoted(std::string("x\0y", 3)) == "\"x\\x00y\"");        // a NUL byte does not end the text
  CHECK(quoted("say \"hi\"\\\n\t\r\x7f") == "\"say \\\"hi\\\"\\\\\\n\\t\\r\\x7f\"");
  CHECK(quoted("caf\xc3\xa9 \xe2\x82\xac") == "\"caf\xc3\xa9 \xe2\x82\xac\"");  // café €
  CHECK(quoted("\xc3") == "\"\\xc3\"");                         // a sequence cut short
  CHECK(quoted("\xc0\xaf") == "\"\\xc0\\xaf\"");                // an overlong '/'
  CHECK(quoted("\xe2\x80\xae") == "\"\xe2\x80\xae\"");          // valid UTF-8 stays (U+202E), only bytes are escaped
  CHECK(descent::escaped("tab\there") == "tab\\there");
}

TEST_CASE("invalid_utf8_at finds the first byte that starts no well-formed sequence (RFC 3629)") {
  CHECK(invalid_utf8_at("plain ascii") == std::string::npos);
  CHECK(invalid_utf8_at("caf\xc3\xa9") == std::string::npos);
  CHECK(invalid_utf8_at("\xf0\x9f\x98\x80") == std::string::npos);  // U+1F600, four bytes
  CHECK(invalid_utf8_at("ab\xff") == 2);
  CHECK(invalid_utf8_at("a\x80") == 1);                  // a lone continuation byte
  CHECK(invalid_utf8_at("\xe0\x80\x80") == 0);           // overlong three-byte NUL
  CHECK(invalid_utf8_at("\xed\xa0\x80") == 0);           // a UTF-16 surrogate, U+D800
  CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);       // beyond U+10FFFF
  CHECK(invalid_utf8_at("ok\xe2\x82") == 2);             // cut short at the end
}
