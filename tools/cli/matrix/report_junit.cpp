// The matrix as JUnit XML: a test suite per binary and fault, a test case per cell.
#include "matrix/report_grid.hpp"

#include <fstream>
#include <stdexcept>

namespace asyncfix::cli {

namespace fs = std::filesystem;

void write_junit(const MatrixReport& report, const fs::path& path) {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  const Grid grid(report);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"asyncfix matrix\" tests=\""
      << report.cells.size() << "\" failures=\"" << report.unexpected() << "\">\n";
  for (const auto& binary : grid.binaries) {
    std::vector<const CellResult*> cells;
    for (const auto& cell : report.cells) {
      if (cell.cell.binary == binary) cells.push_back(&cell);
    }
    const auto failures =
        std::count_if(cells.begin(), cells.end(), [](const CellResult* c) { return !c->expected; });
    out << "  <testsuite name=\"" << xml_text(grid.label(binary)) << "\" tests=\"" << cells.size()
        << "\" failures=\"" << failures << "\">\n";
    for (const auto* cell : cells) {
      std::string name = cell->cell.fault.name;
      if (cell->cell.repeat > 1) name += " #" + std::to_string(cell->cell.repeat);
      out << "    <testcase classname=\"asyncfix.matrix." << xml_text(grid.label(binary))
          << "\" name=\"" << xml_text(name) << "\" time=\"" << std::fixed << std::setprecision(3)
          << static_cast<double>(cell->duration.count()) / 1000.0 << "\">\n";
      if (!cell->expected) {
        out << "      <failure type=\"" << to_string(cell->outcome) << "\" message=\""
            << xml_text(to_string(cell->outcome) + " (expected " + allowed_text(cell->allowed) +
                        "): " + cell->reason)
            << "\"/>\n";
      }
      out << "      <system-out>"
          << xml_text("fault: " + cell->cell.fault.spec + "\nseed: " +
                      std::to_string(cell->cell.seed) + "\noutcome: " + to_string(cell->outcome) +
                      "\nexit: " + cell->exit + "\nlog: " + cell->log + "\n")
          << "</system-out>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace asyncfix::cli
