//! The loss and accuracy curves of a run, as a PNG (plotters, with an embedded DejaVu font so
//! it renders the same on machines without fonts).

use std::path::Path;
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use super::report::EpochMetrics;

/// Registers the embedded DejaVu Sans as plotters' `sans-serif` (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is valid TrueType shipped by the `dejavu` crate: registration cannot fail.
        let _ = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
    });
}

/// Draws loss (left) and accuracy (right) per epoch, train and validation, into `path`.
///
/// # Errors
/// A message when the PNG cannot be drawn or written.
pub fn plot_curves(epochs: &[EpochMetrics], path: &Path) -> Result<(), String> {
    register_fonts();
    let root = BitMapBackend::new(path, (1200, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(|error| error.to_string())?;
    let (left, right) = root.split_horizontally(600);
    let series = |pick: fn(&EpochMetrics) -> Option<f64>| -> Vec<(f64, f64)> {
        epochs
            .iter()
            .filter_map(|e| pick(e).map(|value| (e.epoch as f64, value)))
            .collect()
    };
    let last_epoch = epochs.iter().map(|e| e.epoch).max().unwrap_or(1).max(1) as f64;
    let loss = [series(|e| e.train_loss), series(|e| e.valid_loss)];
    draw_panel(&left, "loss", last_epoch, loss)?;
    let accuracy = [series(|e| e.train_accuracy), series(|e| e.valid_accuracy)];
    draw_panel(&right, "accuracy", last_epoch, accuracy)?;
    root.present()
        .map_err(|error| format!("{}: {error}", path.display()))
}

fn draw_panel(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    name: &str,
    last_epoch: f64,
    [train, valid]: [Vec<(f64, f64)>; 2],
) -> Result<(), String> {
    let values = train.iter().chain(&valid).map(|(_, y)| *y);
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let (low, high) = if low.is_finite() {
        (low, high)
    } else {
        (0.0, 1.0)
    };
    let pad = ((high - low) * 0.1).max(1e-3);
    let mut chart = ChartBuilder::on(area)
        .caption(format!("{name} per epoch"), ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(64)
        .build_cartesian_2d(0.5..last_epoch + 0.5, (low - pad)..(high + pad))
        .map_err(|error| error.to_string())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc(name)
        .draw()
        .map_err(|error| error.to_string())?;
    for (points, label, color) in [(train, "train", BLUE), (valid, "valid (test set)", RED)] {
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&point| Circle::new(point, 3, color.filled())),
            )
            .map_err(|error| error.to_string())?;
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|error| error.to_string())?
            .label(label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(|error| error.to_string())
}
