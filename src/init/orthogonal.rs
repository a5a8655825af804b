//! The (semi-)orthogonal initializer.

use nalgebra::DMatrix;

use super::error::{InitError, positive};
use super::fans::Layout;
use super::generator;
use super::seed::Seed;

/// A (semi-)orthogonal matrix times `gain`.
///
/// The tensor is viewed as a matrix `[rows, cols]` (see [`Layout`]: `[shape[0], rest]` for
/// channels-first conv weights as in PyTorch, `[Π shape[..-1], shape[-1]]` otherwise as in
/// Keras). A `max × min` matrix of standard normals is factored `A = QR`; the columns of `Q`
/// are multiplied by the signs of `R`'s diagonal, which makes the result Haar-distributed
/// (Mezzadri, *How to generate random matrices from the classical compact groups*, 2007), and
/// `Q` is transposed when `rows < cols`. So `WᵀW = gain²·I` when `rows ≥ cols`, else
/// `WWᵀ = gain²·I`. Saxe, McClelland & Ganguli, *Exact solutions to the nonlinear dynamics of
/// learning in deep linear neural networks*, ICLR 2014. Keras and PyTorch `Orthogonal`;
/// a zero on `R`'s diagonal (probability 0) keeps its column instead of zeroing it as Keras's
/// `sign` would.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Orthogonal {
    gain: f64,
    seed: Seed,
}

impl Orthogonal {
    /// Gain 1, fresh seed.
    pub fn new() -> Self {
        Self {
            gain: 1.0,
            seed: Seed::fresh(),
        }
    }

    /// The same initializer with another gain.
    ///
    /// # Errors
    /// [`InitError::NotPositive`] unless `gain` is finite and > 0.
    pub fn with_gain(mut self, gain: f64) -> Result<Self, InitError> {
        self.gain = positive("gain", gain)?;
        Ok(self)
    }

    /// The same initializer with a fixed seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Seed::fixed(seed);
        self
    }

    /// The same initializer with the given seed state.
    pub fn with_seed_state(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The gain.
    pub fn gain(&self) -> f64 {
        self.gain
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The values of a tensor of `shape`, row-major.
    pub(crate) fn sample(&self, shape: &[usize], layout: Layout) -> Result<Vec<f32>, InitError> {
        let (rows, cols) = layout
            .matrix_view(shape)
            .ok_or_else(|| InitError::BadRank {
                layout: "Orthogonal",
                expected: "at least 2",
                shape: shape.to_vec(),
            })?;
        let (tall, narrow) = (rows.max(cols), rows.min(cols));
        let normals = generator::standard_normal_f64(self.seed.value(), tall * narrow);
        let qr = DMatrix::from_row_slice(tall, narrow, &normals).qr();
        let (mut q, r) = (qr.q(), qr.r());
        for (j, mut column) in q.column_iter_mut().enumerate() {
            if r[(j, j)] < 0.0 {
                column.neg_mut();
            }
        }
        let matrix = if rows < cols { q.transpose() } else { q };
        // nalgebra is column-major; the tensor is row-major.
        let row_major = matrix.transpose();
        Ok(row_major.iter().map(|&x| (self.gain * x) as f32).collect())
    }
}

impl Default for Orthogonal {
    fn default() -> Self {
        Self::new()
    }
}
