// ft/assess/svg_chart.h — small inline SVG bar charts for the HTML reports. Each function returns
// one <svg> element with a <title>, axis labels and a legend; text is HTML-escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ft::assess {

// html_escape returns text with &, <, >, " and ' replaced by entities.
std::string html_escape(std::string_view text);

struct ChartSeries {
  std::string name;
  std::string color;          // CSS colour
  std::vector<double> values;  // one per category
};

// svg_grouped_bars draws, per category, one bar per series on a 0..max scale with integer ticks.
std::string svg_grouped_bars(std::string_view id, std::string_view title, const std::vector<std::string>& categories,
                             const std::vector<ChartSeries>& series, int max);

// svg_stacked_bars draws, per category, the series stacked into one bar (counts).
std::string svg_stacked_bars(std::string_view id, std::string_view title, const std::vector<std::string>& categories,
                             const std::vector<ChartSeries>& series);

// svg_level_bars draws one horizontal bar per label on a 0..max scale, with a dashed target line.
std::string svg_level_bars(std::string_view id, std::string_view title, const std::vector<std::string>& labels,
                           const std::vector<double>& values, double target, int max, std::string_view color);

}  // namespace ft::assess
