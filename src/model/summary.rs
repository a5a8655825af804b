//! `model.summary()`, Keras style: one row per layer, then the totals and their memory size.

use std::fmt;

use super::config::MlpConfig;
use crate::init::Initializer;

/// One row of the summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// Keras-style layer name (`flatten`, `dense`, `dense_1`, …).
    pub name: String,
    /// Layer type (`Flatten`, `Dense`).
    pub kind: &'static str,
    /// Output shape with the batch as `None`, e.g. `(None, 512)`.
    pub output_shape: String,
    /// Trainable parameters.
    pub params: usize,
    /// Activation name, `-` for none.
    pub activation: String,
    /// Kernel initializer, `-` for none.
    pub kernel_initializer: String,
    /// Bias initializer, `-` for none.
    pub bias_initializer: String,
}

/// The whole summary; `Display` draws Keras 3's table with two extra columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The rows, input to output.
    pub rows: Vec<SummaryRow>,
    /// Total trainable parameters (all of them are trainable).
    pub total_params: usize,
}

impl MlpConfig {
    /// The summary of the model this config builds (no device needed).
    pub fn summary(&self) -> Summary {
        let mut rows = vec![SummaryRow {
            name: "flatten".into(),
            kind: "Flatten",
            output_shape: format!("(None, {})", self.input_features()),
            params: 0,
            activation: "-".into(),
            kernel_initializer: "-".into(),
            bias_initializer: "-".into(),
        }];
        let mut d_input = self.input_features();
        for (index, layer) in self.layers.iter().enumerate() {
            rows.push(SummaryRow {
                name: if index == 0 {
                    "dense".into()
                } else {
                    format!("dense_{index}")
                },
                kind: "Dense",
                output_shape: format!("(None, {})", layer.units),
                params: d_input * layer.units + layer.units,
                activation: layer.activation.name().into(),
                kernel_initializer: describe(&layer.kernel_initializer),
                bias_initializer: describe(&layer.bias_initializer),
            });
            d_input = layer.units;
        }
        let total_params = rows.iter().map(|row| row.params).sum();
        Summary { rows, total_params }
    }

    /// The parameter count of the same layers *without* the `Flatten`: Keras then applies the
    /// first `Dense` to the last input axis only (81,802 for the default network, whose output
    /// is then `(None, 28, 10)` and cannot be fit against integer labels of shape `(None,)`).
    pub fn params_without_flatten(&self) -> usize {
        let mut d_input = self.input_shape.last().copied().unwrap_or(0);
        self.layers
            .iter()
            .map(|layer| {
                let params = d_input * layer.units + layer.units;
                d_input = layer.units;
                params
            })
            .sum()
    }
}

fn describe(init: &Initializer) -> String {
    let untruncated = init.variance_scaling().is_some_and(|scaling| {
        scaling.distribution() == crate::init::Distribution::UntruncatedNormal
    });
    let seed = init
        .seed()
        .and_then(|seed| seed.requested())
        .map_or(String::new(), |seed| format!(" (seed {seed})"));
    let suffix = if untruncated && init.class_name() != "VarianceScaling" {
        " (untruncated)"
    } else {
        ""
    };
    format!("{}{suffix}{seed}", init.class_name())
}

/// `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Keras's `readable_memory_size`: powers of 1024, two decimals (`1.79 MB`).
pub fn readable_memory_size(bytes: usize) -> String {
    let mut size = bytes as f64;
    for unit in ["B", "KB", "MB", "GB", "TB"] {
        if size / 1024.0 < 1.0 {
            return format!("{size:.2} {unit}");
        }
        size /= 1024.0;
    }
    format!("{size:.2} PB")
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = [
            "Layer (type)",
            "Output Shape",
            "Param #",
            "Activation",
            "Kernel initializer",
            "Bias initializer",
        ];
        let cells: Vec<[String; 6]> = self
            .rows
            .iter()
            .map(|row| {
                [
                    format!("{} ({})", row.name, row.kind),
                    row.output_shape.clone(),
                    thousands(row.params),
                    row.activation.clone(),
                    row.kernel_initializer.clone(),
                    row.bias_initializer.clone(),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|column| {
                cells
                    .iter()
                    .map(|row| row[column].chars().count())
                    .chain([header[column].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let rule = |left: &str, fill: &str, joint: &str, right: &str| {
            let parts: Vec<String> = widths.iter().map(|width| fill.repeat(width + 2)).collect();
            format!("{left}{}{right}", parts.join(joint))
        };
        let line = |bar: &str, row: &[String]| {
            let parts: Vec<String> = row
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(column, (cell, width))| {
                    if column == 2 {
                        format!(" {cell:>width$} ")
                    } else {
                        format!(" {cell:<width$} ")
                    }
                })
                .collect();
            format!("{bar}{}{bar}", parts.join(bar))
        };
        writeln!(f, "Model: \"sequential\"")?;
        writeln!(f, "{}", rule("┏", "━", "┳", "┓"))?;
        let header: Vec<String> = header.iter().map(|cell| cell.to_string()).collect();
        writeln!(f, "{}", line("┃", &header))?;
        writeln!(f, "{}", rule("┡", "━", "╇", "┩"))?;
        for (index, row) in cells.iter().enumerate() {
            if index > 0 {
                writeln!(f, "{}", rule("├", "─", "┼", "┤"))?;
            }
            writeln!(f, "{}", line("│", row))?;
        }
        writeln!(f, "{}", rule("└", "─", "┴", "┘"))?;
        let memory = readable_memory_size(self.total_params * std::mem::size_of::<f32>());
        writeln!(
            f,
            " Total params: {} ({memory})",
            thousands(self.total_params)
        )?;
        writeln!(
            f,
            " Trainable params: {} ({memory})",
            thousands(self.total_params)
        )?;
        write!(f, " Non-trainable params: 0 ({})", readable_memory_size(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_290), "1,290");
        assert_eq!(thousands(468_874), "468,874");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn memory_sizes_match_keras() {
        assert_eq!(readable_memory_size(0), "0.00 B");
        assert_eq!(readable_memory_size(1_875_496), "1.79 MB");
        assert_eq!(readable_memory_size(327_208), "319.54 KB");
    }

    #[test]
    fn the_literal_keras_snippet_without_flatten_has_81802_params() {
        assert_eq!(MlpConfig::new().params_without_flatten(), 81_802);
    }
}
