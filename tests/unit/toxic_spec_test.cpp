// Toxic::parse / to_string: the text form shared by FaultProxy::add, the CLI and ASYNCFIX_FAULTS.
#include <asyncfix/fault/toxic.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <stdexcept>
#include <string>

namespace {

using asyncfix::fault::Direction;
using asyncfix::fault::Toxic;
using asyncfix::fault::ToxicKind;
using ::testing::HasSubstr;

TEST(ToxicSpec, ParsesKindParametersStreamAndToxicity) {
  const auto t = Toxic::parse("latency:latency=50,jitter=10@upstream%0.5");
  EXPECT_EQ(t.kind, ToxicKind::latency);
  EXPECT_EQ(t.latency, 50);
  EXPECT_EQ(t.jitter, 10);
  EXPECT_EQ(t.direction, Direction::upstream);
  EXPECT_DOUBLE_EQ(t.toxicity, 0.5);
}

TEST(ToxicSpec, DefaultsAreToxiproxysDownstreamAndAlways) {
  const auto t = Toxic::parse("slicer");
  EXPECT_EQ(t.direction, Direction::downstream);
  EXPECT_DOUBLE_EQ(t.toxicity, 1.0);
  EXPECT_EQ(t.average_size, 64);
  EXPECT_EQ(t.size_variation, 0);
}

TEST(ToxicSpec, EveryKindRoundTripsThroughItsTextForm) {
  for (const auto& info : asyncfix::fault::toxic_kinds()) {
    auto t = Toxic::parse(info.name);
    t.toxicity = 0.25;
    t.direction = Direction::upstream;
    for (const auto& param : info.params) t.*param.field = 7;
    EXPECT_EQ(Toxic::parse(t.to_string()), t) << t.to_string();
  }
}

struct BadSpec {
  const char* spec;
  const char* why;
};

/// The spec's letters and digits: ctest names parameterised cases by this printed value, so it must
/// be stable across builds (gtest's default is a byte dump holding pointers).
void PrintTo(const BadSpec& c, std::ostream* os) {
  for (const char* p = c.spec; *p != '\0'; ++p) {
    if (std::isalnum(static_cast<unsigned char>(*p)) != 0) *os << *p;
  }
}

class BadToxicSpecs : public ::testing::TestWithParam<BadSpec> {};

TEST_P(BadToxicSpecs, AreOneLineErrorsNamingTheSpecTheFieldAndTheAllowedValues) {
  try {
    (void)Toxic::parse(GetParam().spec);
    FAIL() << GetParam().spec << " was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_THAT(message, HasSubstr(std::string("'") + GetParam().spec + "'"));
    EXPECT_THAT(message, HasSubstr(GetParam().why));
    EXPECT_THAT(message, HasSubstr("expected KIND[:PARAM=VALUE"));
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadToxicSpecs,
    ::testing::Values(
        BadSpec{"lag", "unknown kind 'lag' (known: latency, bandwidth"},
        BadSpec{"latency:delay=5", "latency has no parameter 'delay' (known: latency (ms)"},
        BadSpec{"latency:latency=-1", "latency='-1' is not a whole number from 0 to"},
        BadSpec{"latency:latency=5ms", "latency='5ms' is not a whole number"},
        BadSpec{"bandwidth:rate=", "rate='' is not a whole number"},
        BadSpec{"timeout@sideways", "direction 'sideways' is not upstream or downstream"},
        BadSpec{"timeout%1.5", "toxicity '1.5' is not a number from 0 to 1"},
        BadSpec{"timeout%x", "toxicity 'x' is not a number from 0 to 1"},
        BadSpec{"timeout%nan", "toxicity 'nan' is not a number from 0 to 1"},
        BadSpec{"latency:latency=5,latency=9", "latency is given twice"}),
    [](const ::testing::TestParamInfo<BadSpec>& param) { return std::to_string(param.index); });

}  // namespace
