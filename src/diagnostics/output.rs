//! The diagnosis as a terminal table, CSV, JSON and log-scale plots.

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use super::grid::{EXPLODING_ABOVE, PairingReport, VANISHING_BELOW};
use crate::files::write_atomically;

/// One row per pairing: first/last activation std, their ratio, the gradient ratio, verdict.
pub fn table(reports: &[PairingReport]) -> String {
    let mut out = String::new();
    let width = reports
        .iter()
        .map(|r| r.label().len())
        .max()
        .unwrap_or(0)
        .max(8);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>10}  verdict",
        "pairing", "act std 1", "act std L", "act ratio", "grad ratio"
    );
    for report in reports {
        let first = report.layers.first().map_or(f64::NAN, |l| l.activation_std);
        let last = report.layers.last().map_or(f64::NAN, |l| l.activation_std);
        let _ = writeln!(
            out,
            "{:<width$}  {first:>10.3e}  {last:>10.3e}  {:>10.3e}  {:>10.3e}  {}",
            report.label(),
            report.activation_ratio,
            report.gradient_ratio,
            report.verdict
        );
    }
    let _ = write!(
        out,
        "act ratio = std(a_L)/std(a_1); grad ratio = std(dL/dW_1)/std(dL/dW_L); \
         vanishing below {VANISHING_BELOW}, exploding above {EXPLODING_ABOVE}"
    );
    out
}

/// Every layer of every pairing, one CSV row each.
pub fn csv(reports: &[PairingReport]) -> String {
    let mut out = String::from(
        "initializer,activation,layer,pre_activation_std,activation_std,weight_gradient_std\n",
    );
    for report in reports {
        for layer in &report.layers {
            let _ = writeln!(
                out,
                "{},{},{},{:e},{:e},{:e}",
                report.initializer,
                report.activation,
                layer.layer,
                layer.pre_activation_std,
                layer.activation_std,
                layer.weight_gradient_std
            );
        }
    }
    out
}

/// Writes `diagnostics.csv`, `diagnostics.json`, `activation_std.png` and `gradient_std.png`
/// into `dir`.
///
/// # Errors
/// A message naming the file that could not be written.
pub fn write_outputs(reports: &[PairingReport], dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        write_atomically(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("diagnostics.csv", csv(reports).as_bytes())?;
    let json = serde_json::to_string_pretty(reports).map_err(|e| e.to_string())?;
    write("diagnostics.json", json.as_bytes())?;
    plot(
        reports,
        &dir.join("activation_std.png"),
        "activation std",
        |l| l.activation_std,
    )?;
    plot(
        reports,
        &dir.join("gradient_std.png"),
        "weight-gradient std",
        |l| l.weight_gradient_std,
    )
}

/// One log-scale line per pairing: `pick(layer)` against depth.
pub fn plot(
    reports: &[PairingReport],
    path: &Path,
    what: &str,
    pick: fn(&super::measure::LayerStats) -> f64,
) -> Result<(), String> {
    crate::training::register_fonts();
    let error = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let floor = 1e-30;
    let points: Vec<Vec<(f64, f64)>> = reports
        .iter()
        .map(|report| {
            report
                .layers
                .iter()
                .map(|layer| (layer.layer as f64, pick(layer)))
                .filter(|(_, value)| value.is_finite())
                .map(|(x, value)| (x, value.max(floor)))
                .collect()
        })
        .collect();
    let values = points.iter().flatten().map(|(_, y)| *y);
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let (low, high) = if low.is_finite() {
        (low / 2.0, high * 2.0)
    } else {
        (1e-3, 1.0)
    };
    let depth = reports.iter().map(|r| r.layers.len()).max().unwrap_or(1) as f64;

    let root = BitMapBackend::new(path, (1200, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| error(&e))?;
    let (chart_area, legend_area) = root.split_horizontally(860);
    let mut chart = ChartBuilder::on(&chart_area)
        .caption(
            format!("{what} per layer at initialization (log scale, 0 drawn at {floor:e})"),
            ("sans-serif", 20),
        )
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(1.0..depth.max(2.0), (low..high).log_scale())
        .map_err(|e| error(&e))?;
    chart
        .configure_mesh()
        .x_desc("layer")
        .y_desc(what)
        .y_label_formatter(&|y| format!("{y:.0e}"))
        .draw()
        .map_err(|e| error(&e))?;
    for (index, line) in points.into_iter().enumerate() {
        let color = Palette99::pick(index).to_rgba();
        chart
            .draw_series(LineSeries::new(line, color.stroke_width(2)))
            .map_err(|e| error(&e))?;
    }
    // The legend stands beside the chart, where it hides no line.
    for (index, report) in reports.iter().enumerate() {
        let color = Palette99::pick(index).to_rgba();
        let y = 60 + 26 * index as i32;
        legend_area
            .draw(&PathElement::new([(10, y), (40, y)], color.stroke_width(3)))
            .map_err(|e| error(&e))?;
        legend_area
            .draw(&Text::new(
                format!("{} ({})", report.label(), report.verdict),
                (48, y - 8),
                ("sans-serif", 15),
            ))
            .map_err(|e| error(&e))?;
    }
    root.present().map_err(|e| error(&e))
}
