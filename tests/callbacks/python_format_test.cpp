// python_repr and python_format against what Python 3 prints (values checked by hand against CPython's rules).
#include <doctest/doctest.h>

#include <descent/core/error.hpp>
#include <descent/callbacks/detail/python_format.hpp>

#include <cmath>
#include <limits>

using namespace descent;
using nn::python_format;
using nn::python_repr;

TEST_CASE("python_repr matches Python's repr(float)") {
  CHECK(python_repr(0.1) == "0.1");
  CHECK(python_repr(2.0) == "2.0");
  CHECK(python_repr(0.0) == "0.0");
  CHECK(python_repr(-0.0) == "-0.0");
  CHECK(python_repr(-1.5) == "-1.5");
  CHECK(python_repr(0.0001) == "0.0001");         // exponent -4: still fixed
  CHECK(python_repr(0.00001) == "1e-05");         // exponent -5: scientific, two-digit exponent
  CHECK(python_repr(1.5e-7) == "1.5e-07");
  CHECK(python_repr(123456789012345.0) == "123456789012345.0");
  CHECK(python_repr(9999999999999998.0) == "9999999999999998.0");  // exponent 15: fixed
  CHECK(python_repr(1e16) == "1e+16");                              // exponent 16: scientific
  CHECK(python_repr(1.25e22) == "1.25e+22");
  CHECK(python_repr(5e-324) == "5e-324");
  CHECK(python_repr(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(python_repr(static_cast<double>(0.1f)) == "0.10000000149011612");  // a float32 log value, as Keras logs it
  CHECK(python_repr(0.6931471805599453) == "0.6931471805599453");
  CHECK(python_repr(std::numeric_limits<double>::quiet_NaN()) == "nan");
  CHECK(python_repr(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(python_repr(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("python_format fills Keras-style path patterns as str.format does") {
  const std::map<std::string, nn::FormatValue> values = {
      {"epoch", 3LL}, {"val_loss", 0.12345}, {"loss", 12345.678}, {"accuracy", 0.123}};
  CHECK(python_format("ckpt/epoch{epoch:02d}-{val_loss:.2f}", values, "w") == "ckpt/epoch03-0.12");
  CHECK(python_format("{epoch}_{loss}", values, "w") == "3_12345.678");
  CHECK(python_format("{epoch:03}", values, "w") == "003");
  CHECK(python_format("{loss:e}", values, "w") == "1.234568e+04");
  CHECK(python_format("{loss:.3g}", values, "w") == "1.23e+04");
  CHECK(python_format("{accuracy:.1%}", values, "w") == "12.3%");
  CHECK(python_format("{epoch:.1f}", values, "w") == "3.0");  // an integer takes a float format
  CHECK(python_format("{{literal}}-{epoch}", values, "w") == "{literal}-3");
  CHECK(python_format("no fields", values, "w") == "no fields");
}

TEST_CASE("python_format names what is wrong with a pattern") {
  const std::map<std::string, nn::FormatValue> values = {{"epoch", 1LL}, {"loss", 0.5}};
  CHECK_THROWS_WITH_AS(python_format("m-{val_acc:.2f}", values, "ModelCheckpoint: filepath"),
                       doctest::Contains("ModelCheckpoint: filepath: cannot fill {val_acc} in \"m-{val_acc:.2f}\": no "
                                         "value named \"val_acc\". Available: epoch, loss."),
                       Error);
  CHECK_THROWS_WITH_AS(python_format("{loss:02d}", values, "w"),
                       doctest::Contains("format 'd' needs an integer; loss is a float (0.5)"), Error);
  CHECK_THROWS_WITH_AS(python_format("{epoch:>5}", values, "w"), doctest::Contains("unsupported format spec \">5\""),
                       Error);
  CHECK_THROWS_WITH_AS(python_format("{epoch", values, "w"), doctest::Contains("unclosed '{' at position 0"), Error);
  CHECK_THROWS_WITH_AS(python_format("a}b", values, "w"), doctest::Contains("single '}' at position 1"), Error);
  CHECK_THROWS_WITH_AS(python_format("{}", values, "w"), doctest::Contains("needs a name"), Error);
  CHECK_THROWS_WITH_AS(python_format("{epoch:.2d}", values, "w"), doctest::Contains("an integer takes no precision"),
                       Error);
  CHECK(nn::python_format_fields("a{epoch:02d}/{val_loss}", "w") == std::vector<std::string>{"epoch", "val_loss"});
}
