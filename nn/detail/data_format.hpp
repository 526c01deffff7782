// Keras's data_format option, which Descent supports in one value: samples are laid out channels_last.
#pragma once

#include <string>

namespace descent {
class ConfigReader;
}

namespace descent::nn {

/// "data_format" of a Keras config, lower-cased as Keras's standardize_data_format does; absent or null reads as
/// "channels_last" (Keras's default image_data_format). The layer's constructor checks the value.
std::string read_data_format(ConfigReader& r);

/// Throws unless data_format is "channels_last": Descent holds a sample of shape (height, width, channels) with the
/// channels innermost, so "channels_first" would be read with its axes confused. `layer` names the class in the
/// message ("ZeroPadding2D").
void check_data_format(const std::string& data_format, const char* layer);

}  // namespace descent::nn
