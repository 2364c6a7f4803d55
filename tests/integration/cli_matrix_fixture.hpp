#pragma once
// What the CLI matrix tests share: a private directory per test, the CLI run against the matrix
// subject, and a minimal XML well-formedness check for the JUnit and HTML reports.
#include "asyncfix_test/child_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cli_matrix {

namespace fs = std::filesystem;

/// A private directory for one test's profile, reports and cell logs; removed at the end.
class CliMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "afx-matrix-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  /// The CLI with `args`, the subject doing `subject`; bounded so a runner bug cannot hang.
  /// TMPDIR is the test's directory: the work directories a failing run keeps go with it.
  asyncfix_test::ChildResult cli(const std::string& args, const std::string& subject = "pass") {
    return asyncfix_test::run_child("ASYNCFIX_SUBJECT=" + subject + " TMPDIR='" + dir_.string() +
                                    "' timeout 60 '" + ASYNCFIX_CLI + "' " + args);
  }
  std::string matrix_args(const fs::path& profile, const std::string& extra = "") {
    return "matrix --profile '" + profile.string() + "' --work-dir '" + (dir_ / "cells").string() +
           "' --json '" + (dir_ / "m.json").string() + "' " + extra + " -- " +
           ASYNCFIX_MATRIX_SUBJECT;
  }
  nlohmann::json report(const std::string& name = "m.json") {
    return nlohmann::json::parse(read(dir_ / name));
  }

  fs::path dir_;
};

/// Text between markup may hold '&' only as XML's own entities or a character reference.
inline bool entities_ok(std::string_view text) {
  for (auto at = text.find('&'); at != std::string_view::npos; at = text.find('&', at + 1)) {
    const auto rest = text.substr(at);
    const bool char_ref = rest.starts_with("&#") && rest.find(';') != std::string_view::npos;
    if (!char_ref && !rest.starts_with("&amp;") && !rest.starts_with("&lt;") &&
        !rest.starts_with("&gt;") && !rest.starts_with("&quot;") && !rest.starts_with("&apos;")) {
      return false;
    }
  }
  return true;
}

inline bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
         c == ':';
}

/// A minimal XML check (no std::regex: g++ 12 warns inside it under ASan): every tag closed in
/// order, attributes quoted, '<' only in markup, '&' only in XML's own entities. "" when fine.
inline std::string xml_problem(std::string_view xml) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while (at < xml.size()) {
    const auto lt = xml.find('<', at);
    if (!entities_ok(xml.substr(at, lt == std::string_view::npos ? xml.npos : lt - at))) {
      return "a bad entity near offset " + std::to_string(at);
    }
    if (lt == std::string_view::npos) break;
    if (xml.substr(lt).starts_with("<?")) {
      const auto end = xml.find("?>", lt);
      if (end == std::string_view::npos) return "an unclosed declaration";
      at = end + 2;
      continue;
    }
    std::size_t i = lt + 1;
    const bool closing = i < xml.size() && xml[i] == '/';
    if (closing) ++i;
    const auto name_begin = i;
    while (i < xml.size() && name_char(xml[i])) ++i;
    const std::string name(xml.substr(name_begin, i - name_begin));
    if (name.empty()) return "a '<' that starts no tag at offset " + std::to_string(lt);
    for (;;) {
      while (i < xml.size() && xml[i] == ' ') ++i;
      if (i >= xml.size()) return "an unclosed tag <" + name;
      if (xml[i] == '>' || xml.substr(i).starts_with("/>")) break;
      while (i < xml.size() && name_char(xml[i])) ++i;
      if (!xml.substr(i).starts_with("=\"")) return "an unquoted attribute in <" + name;
      const auto value_end = xml.find('"', i + 2);
      if (value_end == std::string_view::npos) return "an unclosed attribute in <" + name;
      const auto value = xml.substr(i + 2, value_end - i - 2);
      if (value.find('<') != std::string_view::npos || !entities_ok(value)) {
        return "a bad attribute value in <" + name;
      }
      i = value_end + 1;
    }
    const bool self_closing = xml[i] == '/';
    at = i + (self_closing ? 2 : 1);
    if (closing) {
      if (open.empty() || open.back() != name) return "a mismatched </" + name + ">";
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
  }
  if (!open.empty()) return "an unclosed <" + open.back() + ">";
  return "";
}

/// The value of attribute `name` in the tag starting at `from`.
inline std::string attribute(std::string_view text, std::size_t from, std::string_view name) {
  const auto tag_end = text.find('>', from);
  const auto at = text.find(std::string(name) + "=\"", from);
  if (at == std::string_view::npos || at > tag_end) return "";
  const auto begin = at + name.size() + 2;
  return std::string(text.substr(begin, text.find('"', begin) - begin));
}

}  // namespace cli_matrix
