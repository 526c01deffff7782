// The generic registry every family uses: lookup by class name or alias, the family's case rule, listings in
// class-name order, and the errors for unknown and duplicate names.
#include <descent/core/registry.hpp>

#include <doctest/doctest.h>

#include <functional>

using namespace descent;

namespace {

using Maker = std::function<int()>;

Registry<Maker> sample(NameMatch match) {
  return Registry<Maker>("widget", "widgets", match,
                         {{"Sprocket", {"sprocket", "spr"}, [] { return 2; }}, {"Gear", {}, [] { return 1; }}});
}

}  // namespace

TEST_CASE("A registry finds classes by class name and alias, with its family's case rule") {
  auto exact = sample(NameMatch::exact);
  REQUIRE(exact.find("Sprocket") != nullptr);
  CHECK(exact.find("spr")->make() == 2);
  CHECK(exact.find("Gear")->make() == 1);
  CHECK(exact.find("gear") == nullptr);
  CHECK(exact.find("SPR") == nullptr);
  auto loose = sample(NameMatch::ignore_case);
  REQUIRE(loose.find("gEaR") != nullptr);
  CHECK(loose.find("gEaR")->class_name == "Gear");
  CHECK(loose.find("SPROCKET")->make() == 2);
  CHECK(loose.find("gears") == nullptr);  // the whole name, not a prefix
}

TEST_CASE("A registry lists in class-name order, whatever the order of registration") {
  auto r = sample(NameMatch::exact);
  r.add({"Axle", {"axle"}, [] { return 3; }});
  CHECK(r.class_names() == std::vector<std::string>{"Axle", "Gear", "Sprocket"});
  // Aliases stand for their class; a class without aliases is listed by its class name.
  CHECK(r.names() == std::vector<std::string>{"axle", "Gear", "sprocket", "spr"});
  CHECK(r.valid_names() == "axle, Gear, sprocket, spr");
}

TEST_CASE("Unknown names name the place and list the valid ones; a taken name cannot be registered again") {
  auto r = sample(NameMatch::ignore_case);
  CHECK_THROWS_WITH_AS(r.at("cog"), "Unknown widget \"cog\". Valid widgets: Gear, sprocket, spr.", Error);
  CHECK_THROWS_WITH_AS(r.at("cog", "model.json: widget.class_name"),
                       "model.json: widget.class_name: unknown widget \"cog\". Valid widgets: Gear, sprocket, spr.",
                       Error);
  CHECK(r.at("SPR").class_name == "Sprocket");
  CHECK_THROWS_WITH_AS(r.add({"Gear", {}, [] { return 9; }}),
                       doctest::Contains("register_widget: the name \"Gear\" is already registered"), Error);
  // An alias may not shadow another class's name either, under the family's case rule.
  CHECK_THROWS_WITH_AS(r.add({"Pinion", {"gear"}, [] { return 9; }}),
                       doctest::Contains("the name \"gear\" is already registered"), Error);
  CHECK_THROWS_WITH_AS(r.add({"", {}, [] { return 9; }}), doctest::Contains("expected a class name and a factory"),
                       Error);
  CHECK(r.class_names().size() == 2);  // nothing half-added
}

TEST_CASE("An error that knows its place keeps it; one that does not gains the place of the object being read") {
  try {
    within("model.json: config.layers[1].config", [] { fail("Dropout: invalid rate."); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "model.json: config.layers[1].config: Dropout: invalid rate.");
    CHECK(e.where() == "model.json: config.layers[1].config");
  }
  try {
    within("outer", [] { fail_at("outer.units", "expected a positive integer."); });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "outer.units: expected a positive integer.");  // not "outer: outer.units: ..."
    CHECK(e.where() == "outer.units");
  }
  auto r = sample(NameMatch::exact);
  try {
    r.at("cog", "m.class_name");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.where() == "m.class_name");
  }
  CHECK(within("unused", [] { return 7; }) == 7);
}
