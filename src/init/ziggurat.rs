//! The ziggurat method for the standard normal distribution, split into a branch-free fast
//! path over one 64-bit word and a rare slow path.
//!
//! Marsaglia & Tsang, *The Ziggurat Method for Generating Random Variables*, J. Stat. Softw.
//! 5(8), 2000, with 256 layers of equal area `v` under `f(x) = exp(-x²/2)`: layer `i` spans
//! `[0, x[i]]` horizontally and `[f(x[i]), f(x[i+1])]` vertically, layer 0 is the base strip
//! plus the tail beyond `r = x[1]`. One word gives the layer (its low 8 bits) and a uniform
//! `u ∈ [-1, 1)` (its high 52 bits); `x = u·x[i]` is a standard normal sample whenever
//! `|x| < x[i+1]` (about 99 % of words). Otherwise [`slow_path`] finishes the draw exactly:
//! the wedge test against `f`, the tail by Marsaglia's exponential method, or a fresh word.
//! This is the layout `rand_distr` uses; the tables are rebuilt here with `libm`, so they are
//! the same bits on every platform.

use std::sync::LazyLock;

use rand::{Rng, RngExt};

/// Number of layers.
const LAYERS: usize = 256;
/// Start of the tail, `x[1]` (Marsaglia & Tsang's `r` for 256 layers).
const R: f64 = 3.654_152_885_361_009;

/// Layer boundaries `x[0..=256]` and heights `f[0..=256]`: layer `i` is the rectangle
/// `[0, x[i]] × [f[i], f[i+1]]`.
pub struct Tables {
    /// `x[i]`: right edge of layer `i`; `x[256] = 0`.
    pub x: [f64; LAYERS + 1],
    /// `f[i]`: the bottom of layer `i` (`exp(-x[i]²/2)` where the layer's edge lies on the
    /// curve).
    pub f: [f64; LAYERS + 1],
    /// Whether layer 0 carries the unbounded tail beyond `x[1]` (the standard normal); bounded
    /// tables have none.
    pub tail: bool,
}

/// Unnormalized standard normal density.
fn density(x: f64) -> f64 {
    libm::exp(-0.5 * x * x)
}

/// The tables, built once.
pub static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    // Area of each layer: the base rectangle r·f(r) plus the tail ∫_r^∞ f = √(π/2)·erfc(r/√2).
    let area = R * density(R)
        + (std::f64::consts::PI / 2.0).sqrt() * libm::erfc(R / std::f64::consts::SQRT_2);
    let mut x = [0.0; LAYERS + 1];
    x[0] = area / density(R);
    x[1] = R;
    for i in 1..LAYERS - 1 {
        // Layer i has area x[i]·(f(x[i+1]) − f(x[i])) = v.
        x[i + 1] = (-2.0 * libm::log(area / x[i] + density(x[i]))).sqrt();
    }
    x[LAYERS] = 0.0;
    let f = x.map(density);
    Tables { x, f, tail: true }
});

/// The tables of the standard normal restricted to `|z| ≤ 2` (Keras's truncated normal), see
/// [`bounded_tables`].
pub static TRUNCATED_AT_2: LazyLock<Tables> = LazyLock::new(|| bounded_tables(2.0));

/// A ziggurat for `f(x) = exp(-x²/2)` on `[0, cut]` alone: the draws never leave `[-cut, cut]`,
/// so nothing is rejected for lying beyond the cut (with the untruncated tables, 4.6 % of the
/// draws would be, at a cut of 2).
///
/// Layer `i` spans heights `[y[i], y[i+1]]` with `y[0] = 0` and `y[256] = 1`, and widths
/// `x[i] = min(cut, f⁻¹(y[i]))`; every layer has the same area `v`, so
/// `y[i+1] = y[i] + v / x[i]`. `v` is found by bisection so that the recursion closes at the
/// top of the curve. A layer is still entered with probability 1/256, its rectangle's core
/// `|z| < x[i+1]` lies under the curve, and its wedge is tested against `f`: the same fast and
/// slow paths as the standard tables, without the tail.
pub fn bounded_tables(cut: f64) -> Tables {
    let inverse = |y: f64| (-2.0 * libm::log(y)).sqrt().min(cut);
    // The heights the recursion reaches with area `v`; `None` when it passes the top early.
    let heights = |v: f64| -> Option<[f64; LAYERS + 1]> {
        let mut y = [0.0; LAYERS + 1];
        for i in 0..LAYERS {
            let width = if i == 0 { cut } else { inverse(y[i]) };
            y[i + 1] = y[i] + v / width;
            if y[i + 1] >= 1.0 && i + 1 < LAYERS {
                return None;
            }
        }
        Some(y)
    };
    // The curve's area on [0, cut] is covered by 256 layers of area v: v lies between
    // area/256 (no wedges) and cut/256 (the bounding box).
    let (mut low, mut high) = (0.0, cut / LAYERS as f64);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        match heights(mid) {
            Some(y) if y[LAYERS] < 1.0 => low = mid,
            _ => high = mid,
        }
    }
    let mut f = heights(low).expect("the lower end of the bisection closes below the top");
    f[LAYERS] = 1.0;
    let mut x = f.map(|y| if y == 0.0 { cut } else { inverse(y) });
    x[LAYERS] = 0.0;
    Tables { x, f, tail: false }
}

/// The fast path: the candidate `z` of `word`, and whether it is a sample (it lies inside its
/// layer's rectangle).
#[inline(always)]
pub fn fast_path(tables: &Tables, word: u64) -> (f64, bool) {
    let layer = (word & 0xff) as usize;
    // [2, 4) − 3 = [−1, 1), 52 random bits.
    let u = f64::from_bits((word >> 12) | 0x4000_0000_0000_0000) - 3.0;
    let z = u * tables.x[layer];
    (z, z.abs() < tables.x[layer + 1])
}

/// Finishes a draw whose fast path failed on `word`, taking any further randomness from `rng`.
pub fn slow_path(tables: &Tables, mut word: u64, rng: &mut impl Rng) -> f64 {
    loop {
        let (z, inside) = fast_path(tables, word);
        if inside {
            return z;
        }
        let layer = (word & 0xff) as usize;
        if layer == 0 && tables.tail {
            return tail(rng, z < 0.0);
        }
        // Wedge between the rectangles of layers i and i+1: accept under the curve.
        let height: f64 = rng.random();
        if tables.f[layer] + (tables.f[layer + 1] - tables.f[layer]) * height < density(z) {
            return z;
        }
        word = rng.next_u64();
    }
}

/// A sample of the normal tail beyond `R` (Marsaglia, *Generating a variable from the tail of
/// the normal distribution*, Technometrics 6, 1964).
fn tail(rng: &mut impl Rng, negative: bool) -> f64 {
    loop {
        let a = -libm::log(open_unit(rng)) / R;
        let b = -libm::log(open_unit(rng));
        if 2.0 * b > a * a {
            return if negative { -(R + a) } else { R + a };
        }
    }
}

/// A uniform value in (0, 1].
fn open_unit(rng: &mut impl Rng) -> f64 {
    1.0 - rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_have_equal_area_and_close_at_zero() {
        let t = &*TABLES;
        let area = t.x[0] * t.f[1];
        let base = R * t.f[1] + (std::f64::consts::PI / 2.0).sqrt() * libm::erfc(R / 2f64.sqrt());
        assert!((area - base).abs() < 1e-15, "{area} {base}");
        for i in 1..LAYERS {
            let layer = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!(
                (layer / base - 1.0).abs() < 1e-9,
                "layer {i}: {layer} vs {base}"
            );
        }
        assert!(t.x.windows(2).all(|w| w[0] > w[1]));
        // The recursion lands on the top of the curve: the last layer reaches f = 1.
        assert!(t.x[LAYERS - 1] < 0.3 && t.x[LAYERS - 1] > 0.2);
    }

    #[test]
    fn bounded_layers_have_equal_area_and_close_at_the_top() {
        let t = bounded_tables(2.0);
        let v = t.x[0] * (t.f[1] - t.f[0]);
        for i in 0..LAYERS {
            let layer = t.x[i] * (t.f[i + 1] - t.f[i]);
            assert!((layer / v - 1.0).abs() < 1e-9, "layer {i}: {layer} vs {v}");
            // Each edge lies on the curve, or at the cut below the curve's height there.
            if t.x[i] == 2.0 {
                assert!(t.f[i] <= density(2.0), "layer {i}");
            } else {
                assert!((density(t.x[i]) - t.f[i]).abs() < 1e-12, "layer {i}");
            }
        }
        assert_eq!(
            (t.f[0], t.f[LAYERS], t.x[0], t.x[LAYERS]),
            (0.0, 1.0, 2.0, 0.0)
        );
        assert!(t.x.windows(2).all(|w| w[0] >= w[1]));
        // 256 layers of area v cover the curve's area on [0, 2], wedges included.
        let area = (std::f64::consts::PI / 2.0).sqrt() * libm::erf(2.0 / 2f64.sqrt());
        let covered = v * (LAYERS as f64);
        assert!(covered > area && covered < 1.02 * area, "{v}");
    }
}
