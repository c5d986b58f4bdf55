//! Bar charts as server-rendered SVG (DESIGN.md §8, §10): a title, gridlines with tick labels,
//! axis labels, an optional dashed reference line and a tooltip per bar. The page renders the
//! table fallback beside the chart; the geometry lives in `model::chart`.

use leptos::prelude::*;

use crate::model::chart::{Frame, bars, chart_id, fit_label, label_every, plain_number, short_number};

/// A number as an SVG attribute value.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A bar per datum, values already in display units (major currency units, claims per 1000).
/// Highlighted bars (`highlight` may be shorter than `data`) are drawn in the error colour
/// with an outline; the page says what a highlight means. The figure's id is `id`, or one
/// made from the title (`model::chart::chart_id`), so a link can point at the chart.
#[component]
pub fn BarChart(
    /// The chart's accessible name (the SVG's `<title>`) and its caption.
    title: String,
    /// Under the x axis, e.g. "Month".
    x_label: String,
    /// Beside the y axis, rotated, e.g. "Claims per 1000".
    y_label: String,
    /// Label and value of each bar, in order.
    data: Vec<(String, f64)>,
    /// Which bars to draw in the error colour; missing entries are not highlighted.
    #[prop(optional)]
    highlight: Vec<bool>,
    /// A dashed horizontal line at a value, with its legend text (e.g. the baseline).
    #[prop(default = None)]
    reference: Option<(f64, String)>,
    /// The figure's element id.
    #[prop(optional)]
    id: Option<String>,
) -> impl IntoView {
    let layout = bars(&data, &highlight, reference.as_ref().map(|(value, _)| *value), Frame::standard());
    let frame = layout.frame;
    let (left, right, bottom) = (frame.plot_left(), frame.plot_right(), frame.plot_bottom());
    let id = chart_id(id.as_deref(), &title);
    let title_id = format!("{id}-title");
    // The macro builds children before their parent's attributes: clone up front.
    let (labelled_by, caption) = (title_id.clone(), title.clone());
    let every = label_every(layout.bars.len(), frame.label_capacity());
    let label_width = frame.plot_width() / layout.bars.len().max(1) as f64 * every as f64 - 4.0;

    let grid = layout
        .ticks
        .iter()
        .map(|tick| {
            view! {
                <line class="gridline" x1=n(left) x2=n(right) y1=n(tick.y) y2=n(tick.y) />
                <text class="tick-label" x=n(left - 8.0) y=n(tick.y) dy="0.32em" text-anchor="end">
                    {short_number(tick.value)}
                </text>
            }
        })
        .collect_view();
    let bar_views = layout
        .bars
        .iter()
        .map(|bar| {
            let class = if bar.highlight { "bar bar-hot" } else { "bar" };
            view! {
                <rect class=class x=n(bar.x) y=n(bar.y) width=n(bar.width) height=n(bar.height)>
                    <title>{format!("{}: {}", bar.label, plain_number(bar.value))}</title>
                </rect>
            }
        })
        .collect_view();
    let x_labels = layout
        .bars
        .iter()
        .step_by(every)
        .map(|bar| {
            view! {
                <text class="x-tick-label" x=n(bar.center()) y=n(bottom + 20.0) text-anchor="middle">
                    {fit_label(&bar.label, label_width)}
                </text>
            }
        })
        .collect_view();
    let reference_line = layout.reference.zip(reference.map(|(_, legend)| legend)).map(|((y, value), legend)| {
        view! {
            <g class="reference">
                <line x1=n(left) x2=n(right) y1=n(y) y2=n(y) stroke-dasharray="6 4" />
                <text x=n(right) y=n(y - 6.0) text-anchor="end">{format!("{legend}: {}", plain_number(value))}</text>
            </g>
        }
    });
    let (y_label_x, y_label_y) = (20.0, frame.plot_center_y());

    view! {
        <figure class="chart" id=id>
            <svg viewBox=frame.view_box() role="img" aria-labelledby=labelled_by>
                <title id=title_id>{title}</title>
                <g class="grid">{grid}</g>
                <g class="bars">{bar_views}</g>
                <line class="axis" x1=n(left) x2=n(right) y1=n(bottom) y2=n(bottom) />
                <g class="x-tick-labels">{x_labels}</g>
                {reference_line}
                <text
                    class="axis-label"
                    x=n(y_label_x)
                    y=n(y_label_y)
                    text-anchor="middle"
                    transform=format!("rotate(-90 {} {})", n(y_label_x), n(y_label_y))
                >
                    {y_label}
                </text>
                <text class="axis-label" x=n(frame.plot_center_x()) y=n(frame.height - 8.0) text-anchor="middle">
                    {x_label}
                </text>
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}
