//! The geometry of the report charts (DESIGN.md §8, §10): axes, bars and labels in SVG user
//! units, pure and tested, drawn by `components::chart`.
//!
//! Hand-written rather than a charting crate: plotters and its kind pull font and image stacks
//! into a wasm bundle that must stay small. The charts must also be Leptos views that render on
//! the server and hydrate, not SVG strings.

/// Intervals an axis aims for.
pub const DEFAULT_TICKS: usize = 5;

/// The most intervals `nice_axis` makes, whatever it is asked for.
pub const MAX_TICKS: usize = 50;

/// The share of a bar's slot left empty between bars.
pub const BAR_GAP: f64 = 0.2;

/// A bar is at most this wide, so one or two bars do not fill the chart.
pub const MAX_BAR_WIDTH: f64 = 64.0;

/// Horizontal room one x-axis label needs.
pub const LABEL_SPACING: f64 = 64.0;

/// The chart's text size in user units; the stylesheet sets the same (1rem = 15px).
pub const FONT_SIZE: f64 = 15.0;

/// The drawing and its margins, in SVG user units; the plot area is what the margins leave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    /// 720×320: room on the left for tick labels and the rotated y label, below for the x
    /// labels and the x-axis label, above for a reference line's legend.
    pub fn standard() -> Self {
        Self { width: 720.0, height: 320.0, left: 72.0, right: 16.0, top: 24.0, bottom: 56.0 }
    }

    /// The `viewBox` attribute: `0 0 width height`.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }

    pub fn plot_left(&self) -> f64 {
        self.left
    }

    pub fn plot_right(&self) -> f64 {
        self.left + self.plot_width()
    }

    pub fn plot_top(&self) -> f64 {
        self.top
    }

    /// The x axis: where bars stand and the value 0 is drawn.
    pub fn plot_bottom(&self) -> f64 {
        self.top + self.plot_height()
    }

    /// Never negative, even when the margins are wider than the drawing.
    pub fn plot_width(&self) -> f64 {
        (self.width - self.left - self.right).max(0.0)
    }

    pub fn plot_height(&self) -> f64 {
        (self.height - self.top - self.bottom).max(0.0)
    }

    pub fn plot_center_x(&self) -> f64 {
        self.plot_left() + self.plot_width() / 2.0
    }

    pub fn plot_center_y(&self) -> f64 {
        self.plot_top() + self.plot_height() / 2.0
    }

    /// How many x labels fit side by side (at least 1).
    pub fn label_capacity(&self) -> usize {
        ((self.plot_width() / LABEL_SPACING).floor() as usize).max(1)
    }
}

/// A value axis from 0 to `max` in steps of `step`; `ticks` are 0, step, 2·step, …, max.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub max: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

/// An axis from 0 covering `max` in at most `ticks` intervals (clamped to 1..=`MAX_TICKS`) of
/// 1, 2 or 5 × 10^k, its top rounded up to a whole step. A max that is 0, negative, NaN or
/// infinite gives the axis 0..1.
pub fn nice_axis(max: f64, ticks: usize) -> Axis {
    let intervals = ticks.clamp(1, MAX_TICKS);
    let max = if max.is_finite() && max > 0.0 { max } else { 1.0 };
    let raw = max / intervals as f64;
    let mut exp = raw.log10().floor() as i32;
    // log10 can land a hair off at exact powers of ten.
    if raw / pow10(exp) >= 10.0 {
        exp += 1;
    } else if raw / pow10(exp) < 1.0 {
        exp -= 1;
    }
    let norm = raw / pow10(exp);
    let mut multiple = [1.0, 2.0, 5.0].into_iter().find(|m| norm <= m + 1e-9).unwrap_or(10.0);
    if multiple == 10.0 {
        multiple = 1.0;
        exp += 1;
    }
    let step = scaled(multiple, exp);
    if !(step.is_finite() && step > 0.0) {
        return nice_axis(1.0, intervals);
    }
    let count = ((max / step - 1e-9).ceil().max(1.0) as usize).min(intervals);
    let top = scaled(count as f64 * multiple, exp);
    if !top.is_finite() {
        return nice_axis(1.0, intervals);
    }
    Axis { max: top, step, ticks: (0..=count).map(|i| scaled(i as f64 * multiple, exp)).collect() }
}

fn pow10(exp: i32) -> f64 {
    10f64.powi(exp)
}

// Dividing by an exact power of ten keeps 0.1, 0.2, 0.3 the nearest doubles to the decimals.
fn scaled(value: f64, exp: i32) -> f64 {
    if exp >= 0 { value * pow10(exp) } else { value / pow10(-exp) }
}

/// One bar: its rectangle, label and value as given (the height treats negatives and NaN as 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub value: f64,
    pub highlight: bool,
}

impl Bar {
    /// Where the bar's x label is centred.
    pub fn center(&self) -> f64 {
        self.x + self.width / 2.0
    }
}

/// A gridline at `y` for the axis value `value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    pub y: f64,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarLayout {
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub frame: Frame,
    /// The reference line: its y and its value.
    pub reference: Option<(f64, f64)>,
}

/// Lays out one bar per datum, evenly spaced across the plot area with a gap between them, on
/// a nice axis whose top covers the largest value and the reference line. Negative values
/// draw no bar; `highlight` may be shorter than `data` (missing entries are not highlighted);
/// a NaN or infinite reference is left out.
pub fn bars(data: &[(String, f64)], highlight: &[bool], reference: Option<f64>, frame: Frame) -> BarLayout {
    let reference = reference.filter(|v| v.is_finite());
    let top = data.iter().map(|(_, v)| *v).chain(reference).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let axis = nice_axis(top, DEFAULT_TICKS);
    // `f64::max` turns NaN into 0.
    let y_of = |v: f64| frame.plot_bottom() - (v.max(0.0) / axis.max).min(1.0) * frame.plot_height();
    let slot = frame.plot_width() / data.len().max(1) as f64;
    let width = (slot * (1.0 - BAR_GAP)).min(MAX_BAR_WIDTH);
    let bars = data
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let y = y_of(*value);
            Bar {
                x: frame.plot_left() + i as f64 * slot + (slot - width) / 2.0,
                y,
                width,
                height: frame.plot_bottom() - y,
                label: label.clone(),
                value: *value,
                highlight: highlight.get(i).copied().unwrap_or(false),
            }
        })
        .collect();
    let ticks = axis.ticks.iter().map(|&value| Tick { y: y_of(value), value }).collect();
    BarLayout { bars, ticks, frame, reference: reference.map(|v| (y_of(v), v)) }
}

/// Label every n-th bar so at most `max_labels` labels show (the first always does).
pub fn label_every(count: usize, max_labels: usize) -> usize {
    count.div_ceil(max_labels.max(1)).max(1)
}

/// `label` cut with `…` to fit `width` user units at `FONT_SIZE`, counting CJK and other
/// non-ASCII characters a full em wide and ASCII ones 0.55 em (a digit in most sans fonts).
/// The full label stays in the bar's tooltip and the page's table.
pub fn fit_label(label: &str, width: f64) -> String {
    let em = |c: char| if c.is_ascii() { 0.55 } else { 1.0 } * FONT_SIZE;
    if label.chars().map(em).sum::<f64>() <= width {
        return label.to_string();
    }
    let mut used = em('…');
    let mut out = String::new();
    for c in label.chars() {
        used += em(c);
        if used > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A tick label: 1200 → `1.2k`, 3 400 000 → `3.4M`, 2 000 000 000 → `2B`; below 1000 as
/// `plain_number`.
pub fn short_number(v: f64) -> String {
    const UNITS: [(f64, &str); 3] = [(1e3, "k"), (1e6, "M"), (1e9, "B")];
    let round = |v: f64, unit: f64| (v / unit * 10.0).round() / 10.0;
    let Some(mut i) = UNITS.iter().rposition(|(unit, _)| v.is_finite() && v.abs() >= *unit) else {
        return plain_number(v);
    };
    let mut scaled = round(v, UNITS[i].0);
    // 999 950 rounds to 1000k: say 1M instead.
    if scaled.abs() >= 1000.0 && i + 1 < UNITS.len() {
        i += 1;
        scaled = round(v, UNITS[i].0);
    }
    format!("{}{}", trimmed(scaled, 1), UNITS[i].1)
}

/// A value as the bar's tooltip shows it: at most 2 decimals (4 below 1), trailing zeros
/// dropped, no digit grouping: `1234.5`, `12`, `0.25`. NaN and infinities show as `—`.
pub fn plain_number(v: f64) -> String {
    if !v.is_finite() {
        return "—".to_string();
    }
    trimmed(v, if v.abs() < 1.0 { 4 } else { 2 })
}

fn trimmed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

/// The chart's element id: `id` when given, else `chart-` and the title's letters and digits
/// (lower-cased, other runs as one `-`), the same on the server and in the browser.
pub fn chart_id(id: Option<&str>, title: &str) -> String {
    if let Some(id) = id.filter(|id| !id.trim().is_empty()) {
        return id.to_string();
    }
    let mut slug = String::from("chart-");
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests;
