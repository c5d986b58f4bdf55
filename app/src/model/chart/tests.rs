use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

fn assert_axis(axis: &Axis, max: f64, step: f64, ticks: &[f64]) {
    assert!(close(axis.max, max), "max {} != {max}", axis.max);
    assert!(close(axis.step, step), "step {} != {step}", axis.step);
    assert_eq!(axis.ticks.len(), ticks.len(), "{:?}", axis.ticks);
    for (got, want) in axis.ticks.iter().zip(ticks) {
        assert!(close(*got, *want), "{:?} != {ticks:?}", axis.ticks);
    }
}

fn data(values: &[f64]) -> Vec<(String, f64)> {
    values.iter().enumerate().map(|(i, v)| (format!("m{i}"), *v)).collect()
}

#[test]
fn an_empty_or_nonsense_max_gives_the_axis_zero_to_one() {
    for max in [0.0, -5.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_axis(&nice_axis(max, 5), 1.0, 0.2, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }
}

#[test]
fn axes_step_by_one_two_or_five_and_round_the_top_up() {
    assert_axis(&nice_axis(0.3, 5), 0.3, 0.1, &[0.0, 0.1, 0.2, 0.3]);
    assert_axis(&nice_axis(7.0, 5), 8.0, 2.0, &[0.0, 2.0, 4.0, 6.0, 8.0]);
    assert_axis(&nice_axis(10.0, 5), 10.0, 2.0, &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_axis(&nice_axis(95.0, 5), 100.0, 20.0, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_axis(&nice_axis(1234.0, 5), 1500.0, 500.0, &[0.0, 500.0, 1000.0, 1500.0]);
    assert_axis(&nice_axis(1e9, 5), 1e9, 2e8, &[0.0, 2e8, 4e8, 6e8, 8e8, 1e9]);
    assert_axis(&nice_axis(5.0, 5), 5.0, 1.0, &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
}

#[test]
fn decimal_ticks_are_the_nearest_doubles_to_the_decimals() {
    assert_eq!(nice_axis(0.3, 5).ticks, vec![0.0, 0.1, 0.2, 0.3]);
    assert_eq!(nice_axis(0.7, 5).ticks, vec![0.0, 0.2, 0.4, 0.6, 0.8]);
    assert_eq!(nice_axis(0.025, 5).ticks, vec![0.0, 0.005, 0.01, 0.015, 0.02, 0.025]);
}

#[test]
fn an_axis_never_has_more_intervals_than_asked_and_always_covers_max() {
    for max in [0.001, 0.3, 1.0, 3.3, 7.0, 9.99, 10.01, 42.0, 99.0, 101.0, 1234.0, 987_654.0, 1e300, f64::MAX] {
        for ticks in [0, 1, 2, 3, 5, 8, 10, 1000] {
            let axis = nice_axis(max, ticks);
            assert!(axis.max.is_finite() && axis.step > 0.0, "{max} {ticks}: {axis:?}");
            assert!(axis.ticks.len() >= 2 && axis.ticks.len() <= ticks.clamp(1, MAX_TICKS) + 1, "{max} {ticks}");
            assert!(axis.max >= max * (1.0 - 1e-9) || max == f64::MAX, "{max} {ticks}: {axis:?}");
            assert_eq!(axis.ticks.first(), Some(&0.0));
            assert!(axis.ticks.last().is_some_and(|t| close(*t, axis.max)));
        }
    }
}

#[test]
fn the_standard_frame_leaves_a_plot_area_inside_its_margins() {
    let f = Frame::standard();
    assert_eq!(f.view_box(), "0 0 720 320");
    assert_eq!((f.plot_left(), f.plot_right(), f.plot_top(), f.plot_bottom()), (72.0, 704.0, 24.0, 264.0));
    assert_eq!((f.plot_width(), f.plot_height()), (632.0, 240.0));
    assert_eq!((f.plot_center_x(), f.plot_center_y()), (388.0, 144.0));
    assert_eq!(f.label_capacity(), 9);
    let squeezed = Frame { width: 50.0, height: 40.0, ..f };
    assert_eq!((squeezed.plot_width(), squeezed.plot_height(), squeezed.label_capacity()), (0.0, 0.0, 1));
}

#[test]
fn bars_are_evenly_spaced_with_a_gap_and_scaled_to_the_axis() {
    let f = Frame::standard();
    let layout = bars(&data(&[10.0, 5.0, 0.0, 7.5]), &[false, true], None, f);
    assert_eq!(layout.frame, f);
    assert_eq!(layout.bars.len(), 4);
    // 632 / 4 = 158 per slot, 20% of it a gap but bars at most 64 wide, centred in the slot.
    let xs: Vec<f64> = layout.bars.iter().map(|b| b.x).collect();
    assert_eq!(xs, vec![72.0 + 47.0, 230.0 + 47.0, 388.0 + 47.0, 546.0 + 47.0]);
    assert!(layout.bars.iter().all(|b| b.width == MAX_BAR_WIDTH));
    assert_eq!(layout.bars[0].center(), 72.0 + 79.0);
    // Axis 0..10: 10 is the full 240, 5 half, 0 nothing; every bar stands on the x axis.
    let heights: Vec<f64> = layout.bars.iter().map(|b| b.height).collect();
    assert_eq!(heights, vec![240.0, 120.0, 0.0, 180.0]);
    assert!(layout.bars.iter().all(|b| b.y + b.height == f.plot_bottom()));
    assert_eq!(layout.bars[0].y, f.plot_top());
    assert_eq!(layout.bars.iter().map(|b| b.highlight).collect::<Vec<_>>(), vec![false, true, false, false]);
    assert_eq!((layout.bars[1].label.as_str(), layout.bars[1].value), ("m1", 5.0));
    let ticks: Vec<(f64, f64)> = layout.ticks.iter().map(|t| (t.value, t.y)).collect();
    assert_eq!(ticks, vec![(0.0, 264.0), (2.0, 216.0), (4.0, 168.0), (6.0, 120.0), (8.0, 72.0), (10.0, 24.0)]);
    assert_eq!(layout.reference, None);
}

#[test]
fn narrow_slots_keep_a_fifth_of_their_width_as_the_gap() {
    let layout = bars(&data(&[1.0; 20]), &[], None, Frame::standard());
    let slot = 632.0 / 20.0;
    assert!(close(layout.bars[0].width, slot * 0.8));
    assert!(close(layout.bars[1].x - layout.bars[0].x, slot));
    assert!(close(layout.bars[0].x, 72.0 + slot * 0.1));
}

#[test]
fn the_reference_line_is_placed_on_the_axis_and_raises_its_top() {
    let f = Frame::standard();
    let layout = bars(&data(&[3.0, 4.0]), &[], Some(9.0), f);
    // Axis 0..10 because of the reference, not 0..4.
    assert_eq!(layout.ticks.last().map(|t| t.value), Some(10.0));
    assert_eq!(layout.reference, Some((264.0 - 0.9 * 240.0, 9.0)));
    assert_eq!(layout.bars[1].height, 96.0);
    let below = bars(&data(&[30.0]), &[], Some(15.0), f);
    assert_eq!(below.reference, Some((144.0, 15.0)));
    assert_eq!(bars(&data(&[3.0]), &[], Some(f64::NAN), f).reference, None);
    assert_eq!(bars(&data(&[3.0]), &[], Some(-2.0), f).reference, Some((264.0, -2.0)));
}

#[test]
fn no_data_draws_the_axis_without_bars() {
    let layout = bars(&[], &[true], None, Frame::standard());
    assert!(layout.bars.is_empty());
    assert_eq!(layout.ticks.iter().map(|t| t.value).collect::<Vec<_>>(), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    let with_reference = bars(&[], &[], Some(40.0), Frame::standard());
    assert_eq!(with_reference.reference.map(|(_, v)| v), Some(40.0));
}

#[test]
fn one_bar_stands_in_the_middle_at_most_max_bar_width_wide() {
    let layout = bars(&data(&[12.0]), &[true], None, Frame::standard());
    let [bar] = layout.bars.as_slice() else { panic!("one bar expected") };
    assert_eq!(bar.width, MAX_BAR_WIDTH);
    assert_eq!(bar.center(), Frame::standard().plot_center_x());
    assert!(bar.highlight);
    // Axis 0..15 (step 5): 12 is 0.8 of the height.
    assert!(close(bar.height, 192.0));
}

#[test]
fn many_bars_stay_positive_and_inside_the_plot() {
    let f = Frame::standard();
    let values: Vec<f64> = (0..120).map(|i| f64::from(i % 7)).collect();
    let layout = bars(&data(&values), &[], None, f);
    assert_eq!(layout.bars.len(), 120);
    for bar in &layout.bars {
        assert!(bar.width > 0.0);
        assert!(bar.x >= f.plot_left() && bar.x + bar.width <= f.plot_right() + 1e-9);
        assert!(bar.height >= 0.0 && bar.y >= f.plot_top());
    }
    assert!(layout.bars.windows(2).all(|w| w[0].x + w[0].width < w[1].x));
}

#[test]
fn negative_and_nan_values_draw_no_bar_but_keep_their_value() {
    let layout = bars(&data(&[-4.0, f64::NAN, 2.0]), &[], None, Frame::standard());
    assert_eq!(layout.bars[0].height, 0.0);
    assert_eq!(layout.bars[0].y, 264.0);
    assert_eq!(layout.bars[0].value, -4.0);
    assert_eq!(layout.bars[1].height, 0.0);
    assert_eq!(layout.bars[2].height, 240.0);
}

#[test]
fn labels_are_thinned_to_fit() {
    assert_eq!(label_every(36, 12), 3);
    assert_eq!(label_every(36, 13), 3);
    assert_eq!(label_every(36, 9), 4);
    assert_eq!(label_every(12, 12), 1);
    assert_eq!(label_every(5, 12), 1);
    assert_eq!(label_every(0, 12), 1);
    assert_eq!(label_every(7, 0), 7);
    for count in 0..200 {
        for max in 1..20 {
            let every = label_every(count, max);
            assert!(count.div_ceil(every) <= max, "{count} {max}");
        }
    }
}

#[test]
fn long_labels_are_cut_with_an_ellipsis() {
    assert_eq!(fit_label("2025-01", 70.0), "2025-01");
    // 36 months on the standard frame: every 4th labelled, 4 slots wide.
    assert_eq!(fit_label("2025-01", 632.0 / 36.0 * 4.0 - 4.0), "2025-01");
    // 8.25 per ASCII character, 15 for the ellipsis: 5 characters fit in 60.
    assert_eq!(fit_label("Autohaus Müller GmbH", 60.0), "Autoh…");
    assert_eq!(fit_label("电池管理系统", 50.0), "电池…");
    assert_eq!(fit_label("abc", 0.0), "…");
}

#[test]
fn tick_labels_are_short() {
    assert_eq!(short_number(1200.0), "1.2k");
    assert_eq!(short_number(1000.0), "1k");
    assert_eq!(short_number(3_400_000.0), "3.4M");
    assert_eq!(short_number(999_950.0), "1M");
    assert_eq!(short_number(2e9), "2B");
    assert_eq!(short_number(-1500.0), "-1.5k");
    assert_eq!(short_number(0.25), "0.25");
    assert_eq!(short_number(0.30000000000000004), "0.3");
    assert_eq!(short_number(0.005), "0.005");
    assert_eq!(short_number(12.0), "12");
    assert_eq!(short_number(999.0), "999");
    assert_eq!(short_number(0.0), "0");
    assert_eq!(short_number(f64::NAN), "—");
    assert_eq!(short_number(f64::INFINITY), "—");
}

#[test]
fn tooltip_values_keep_two_decimals_at_most() {
    assert_eq!(plain_number(1234.5), "1234.5");
    assert_eq!(plain_number(1234.567), "1234.57");
    assert_eq!(plain_number(12.0), "12");
    assert_eq!(plain_number(0.25), "0.25");
    assert_eq!(plain_number(-0.00001), "0");
    assert_eq!(plain_number(-3.0), "-3");
}

#[test]
fn a_chart_id_is_the_given_id_or_the_titles_slug() {
    assert_eq!(chart_id(Some("failure-rate"), "Claims per 1000"), "failure-rate");
    assert_eq!(chart_id(None, "Claims per 1,000 vehicles (C/1000)"), "chart-claims-per-1-000-vehicles-c-1000");
    assert_eq!(chart_id(Some(" "), "  Cost by month  "), "chart-cost-by-month");
    assert_eq!(chart_id(None, "每月索赔"), "chart-每月索赔");
    assert_eq!(chart_id(None, "—"), "chart");
}
