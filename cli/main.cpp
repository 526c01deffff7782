// descent: train, evaluate and use Keras-style models from JSON configs and CSV files, without writing C++.
#include "commands.hpp"

#include <descent/core/error.hpp>

#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <string>

namespace {

// Errors are one line on stderr, so scripts can show them as they are.
int report(const std::string& message, int code) {
  std::string line = message;
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "error: " << line << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  // A file-size limit (ulimit -f) then fails the write with an error, which a save turns into a clean rollback,
  // instead of killing the program half-way.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"descent: train, evaluate and use Keras-style models from JSON configs and CSV files.\n"
               "Without a command it runs the demo: the bundled breast-cancer classifier.",
               "descent"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "descent 0.1.0");
  descent::cli::add_fit_command(app);
  descent::cli::add_evaluate_command(app);
  descent::cli::add_predict_command(app);
  descent::cli::add_summary_command(app);
  descent::cli::add_split_command(app);
  CLI::App* demo = descent::cli::add_demo_command(app);
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::vector<std::string> none;
      demo->parse(none);
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report(std::string(e.what()) + " (run with --help for usage)", 2);
  } catch (const descent::Error& e) {
    return report(e.what(), 1);
  } catch (const std::bad_alloc&) {
    return report("out of memory: the model or the data is larger than this machine can hold.", 1);
  } catch (const std::exception& e) {
    return report(e.what(), 1);
  }
  return 0;
}
