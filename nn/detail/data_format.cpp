// Reading and checking data_format.
#include "data_format.hpp"

#include <descent/core/config.hpp>
#include <descent/core/error.hpp>
#include <descent/core/text.hpp>

#include <algorithm>
#include <cctype>

namespace descent::nn {

std::string read_data_format(ConfigReader& r) {
  std::string data_format = "channels_last";
  r.read("data_format", data_format);
  std::transform(data_format.begin(), data_format.end(), data_format.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return data_format;
}

void check_data_format(const std::string& data_format, const char* layer) {
  if (data_format == "channels_last") return;
  if (data_format == "channels_first")
    fail(str(layer, ": data_format=\"channels_first\" is not supported. Expected data_format=\"channels_last\": ",
             "Descent lays samples out channels last, (height, width, channels); received data_format=",
             "\"channels_first\"."));
  fail(str(layer, ": invalid data_format. Expected \"channels_last\"; received data_format=", quoted(data_format),
           "."));
}

}  // namespace descent::nn
