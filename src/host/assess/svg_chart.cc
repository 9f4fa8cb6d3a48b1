#include "ft/assess/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ft::assess {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string open_svg(std::string_view id, std::string_view title, int width, int height) {
  return fmt::format(
      "<svg id=\"{0}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {2} {3}\" width=\"{2}\" "
      "height=\"{3}\" role=\"img\" aria-labelledby=\"{0}-title\"><title id=\"{0}-title\">{1}</title>"
      "<text x=\"{4}\" y=\"18\" text-anchor=\"middle\" class=\"chart-title\">{1}</text>",
      html_escape(id), html_escape(title), width, height, width / 2);
}

std::string legend(const std::vector<ChartSeries>& series, int x, int y) {
  std::string out;
  for (const auto& s : series) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"legend\">{}</text>",
                       x, y, html_escape(s.color), x + 16, y + 10, html_escape(s.name));
    x += 26 + static_cast<int>(s.name.size()) * 7;
  }
  return out;
}

}  // namespace

std::string svg_grouped_bars(std::string_view id, std::string_view title, const std::vector<std::string>& categories,
                             const std::vector<ChartSeries>& series, int max) {
  const int left = 40, top = 34, plot_h = 180, group_w = 70;
  const int width = left + static_cast<int>(categories.size()) * group_w + 20;
  const int height = top + plot_h + 56;
  std::string out = open_svg(id, title, width, height);
  for (int tick = 0; tick <= max; ++tick) {
    const int y = top + plot_h - plot_h * tick / std::max(max, 1);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"grid\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"tick\">{}</text>",
                       left, y, width - 10, y, left - 6, y + 4, tick);
  }
  const int bars = std::max<int>(1, static_cast<int>(series.size()));
  const int bar_w = (group_w - 16) / bars;
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const int gx = left + static_cast<int>(c) * group_w + 8;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const double value = c < series[s].values.size() ? series[s].values[c] : 0.0;
      const int h = static_cast<int>(std::lround(plot_h * std::clamp(value, 0.0, static_cast<double>(max)) / std::max(max, 1)));
      const int x = gx + static_cast<int>(s) * bar_w;
      out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                         x, top + plot_h - h, bar_w - 2, h, html_escape(series[s].color), html_escape(categories[c]),
                         html_escape(series[s].name), value);
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"value\">{}</text>", x + (bar_w - 2) / 2,
                         top + plot_h - h - 3, value);
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>", gx + (group_w - 16) / 2,
                       top + plot_h + 16, html_escape(categories[c]));
  }
  out += legend(series, left, top + plot_h + 32);
  out += "</svg>";
  return out;
}

std::string svg_stacked_bars(std::string_view id, std::string_view title, const std::vector<std::string>& categories,
                             const std::vector<ChartSeries>& series) {
  const int left = 40, top = 34, plot_h = 180, group_w = 70;
  const int width = left + static_cast<int>(categories.size()) * group_w + 20;
  const int height = top + plot_h + 56;
  double max_total = 1;
  for (std::size_t c = 0; c < categories.size(); ++c) {
    double total = 0;
    for (const auto& s : series) total += c < s.values.size() ? s.values[c] : 0.0;
    max_total = std::max(max_total, total);
  }
  const int max = static_cast<int>(std::ceil(max_total / 5.0) * 5);
  std::string out = open_svg(id, title, width, height);
  for (int tick = 0; tick <= max; tick += 5) {
    const int y = top + plot_h - plot_h * tick / max;
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"grid\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"tick\">{}</text>",
                       left, y, width - 10, y, left - 6, y + 4, tick);
  }
  for (std::size_t c = 0; c < categories.size(); ++c) {
    const int x = left + static_cast<int>(c) * group_w + 12;
    double base = 0;
    for (const auto& s : series) {
      const double value = c < s.values.size() ? s.values[c] : 0.0;
      if (value <= 0) continue;
      const int y0 = top + plot_h - static_cast<int>(std::lround(plot_h * base / max));
      const int y1 = top + plot_h - static_cast<int>(std::lround(plot_h * (base + value) / max));
      out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}: {}</title></rect>",
                         x, y1, group_w - 24, y0 - y1, html_escape(s.color), html_escape(categories[c]), html_escape(s.name), value);
      base += value;
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>", x + (group_w - 24) / 2,
                       top + plot_h + 16, html_escape(categories[c]));
  }
  out += legend(series, left, top + plot_h + 32);
  out += "</svg>";
  return out;
}

std::string svg_level_bars(std::string_view id, std::string_view title, const std::vector<std::string>& labels,
                           const std::vector<double>& values, double target, int max, std::string_view color) {
  const int left = 380, top = 34, row_h = 22, plot_w = 260;
  const int width = left + plot_w + 30;
  const int height = top + static_cast<int>(labels.size()) * row_h + 40;
  std::string out = open_svg(id, title, width, height);
  for (int tick = 0; tick <= max; ++tick) {
    const int x = left + plot_w * tick / std::max(max, 1);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"grid\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{}</text>",
                       x, top, x, top + static_cast<int>(labels.size()) * row_h, x, top + static_cast<int>(labels.size()) * row_h + 14,
                       tick);
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const int y = top + static_cast<int>(i) * row_h;
    const double value = i < values.size() ? values[i] : 0.0;
    const int w = static_cast<int>(std::lround(plot_w * std::clamp(value, 0.0, static_cast<double>(max)) / std::max(max, 1)));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text>", left - 8, y + 15,
                       html_escape(labels[i]));
    out += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                       left, y + 3, w, row_h - 6, html_escape(color), html_escape(labels[i]), value);
  }
  const int tx = left + static_cast<int>(std::lround(plot_w * target / std::max(max, 1)));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" class=\"target\"/><text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" class=\"legend\">target {4}</text>",
                     tx, top - 4, top + static_cast<int>(labels.size()) * row_h, height - 6, target);
  out += "</svg>";
  return out;
}

}  // namespace ft::assess
