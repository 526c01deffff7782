// The descent subcommands; each add_* registers its options and the function it runs.
#pragma once

#include <CLI/CLI.hpp>

namespace descent::cli {

void add_fit_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_summary_command(CLI::App& app);
void add_split_command(CLI::App& app);
/// Also returns the demo's runner, which plain `descent` calls.
CLI::App* add_demo_command(CLI::App& app);

}  // namespace descent::cli
