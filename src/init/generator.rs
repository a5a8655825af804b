//! The host-side, counter-based sample generator behind every random initializer.
//!
//! The output is split into fixed blocks of [`BLOCK_LEN`] elements. Block `b` is filled by its
//! own xoshiro256++ generator (Blackman & Vigna, *Scrambled linear pseudorandom number
//! generators*, 2021) whose 256-bit state is derived from `(seed, b)` through SplitMix64, a
//! bijection, so distinct blocks and seeds get distinct states. A block's values depend only on
//! `(seed, b)`, and blocks are filled in parallel with rayon: the result is the same for any
//! number of threads, and, since it is uploaded as data, bit-identical on every burn backend.
//! Element `i` of a tensor does not depend on the tensor's total size either, so a larger tensor
//! drawn with the same seed starts with the smaller one's values.

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution as _, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::distribution::Sampler;
use super::seed::splitmix64;

/// Elements per independently seeded block.
pub const BLOCK_LEN: usize = 1 << 14;

/// Draws `len` values from `sampler` with `seed`, as `f32`.
///
/// Each value is computed in `f64` and rounded once to `f32`; rounding is monotone, so bounds
/// that hold in `f64` hold for the rounded bounds.
pub fn sample_f32(sampler: &Sampler, seed: u64, len: usize) -> Vec<f32> {
    let mut values = vec![0.0f32; len];
    fill_blocks(&mut values, seed, |rng, block| match *sampler {
        Sampler::Normal { mean, std } => {
            block.iter_mut().for_each(|x| {
                *x = (mean + std * standard_normal(rng)) as f32;
            });
        }
        Sampler::TruncatedNormal { mean, std, cut } => {
            block.iter_mut().for_each(|x| {
                let z = loop {
                    let z = standard_normal(rng);
                    if z.abs() <= cut {
                        break z;
                    }
                };
                *x = (mean + std * z) as f32;
            });
        }
        Sampler::Uniform { low, high } => {
            let width = high - low;
            block.iter_mut().for_each(|x| {
                let unit: f64 = rng.random(); // [0, 1), 53 random bits
                *x = (low + width * unit) as f32;
            });
        }
    });
    values
}

/// Draws `len` standard normal values in `f64` (the raw matrix of the orthogonal initializer).
pub fn standard_normal_f64(seed: u64, len: usize) -> Vec<f64> {
    let mut values = vec![0.0f64; len];
    fill_blocks(&mut values, seed, |rng, block| {
        block.iter_mut().for_each(|x| *x = standard_normal(rng));
    });
    values
}

fn fill_blocks<T: Send>(
    values: &mut [T],
    seed: u64,
    fill: impl Fn(&mut Xoshiro256PlusPlus, &mut [T]) + Sync,
) {
    values
        .par_chunks_mut(BLOCK_LEN)
        .enumerate()
        .for_each(|(index, block)| {
            let mut rng = block_rng(seed, index as u64);
            fill(&mut rng, block);
        });
}

/// The generator of block `block`: state words `splitmix64` of `seed` and of `block`, then two
/// more mixed from those, so the state is a bijective image of `(seed, block)`.
fn block_rng(seed: u64, block: u64) -> Xoshiro256PlusPlus {
    let a = splitmix64(seed);
    let b = splitmix64(block ^ 0xD1B5_4A32_D192_ED03);
    let c = splitmix64(a ^ b.rotate_left(17));
    let d = splitmix64(c.wrapping_add(0x9E37_79B9_7F4A_7C15));
    let mut state = [0u8; 32];
    for (chunk, word) in state.chunks_exact_mut(8).zip([a, b, c, d]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(state)
}

fn standard_normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    StandardNormal.sample(rng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_do_not_depend_on_the_total_length() {
        let sampler = Sampler::Normal {
            mean: 0.0,
            std: 1.0,
        };
        let short = sample_f32(&sampler, 9, BLOCK_LEN + 10);
        let long = sample_f32(&sampler, 9, 3 * BLOCK_LEN);
        assert_eq!(short[..], long[..short.len()]);
    }

    #[test]
    fn blocks_are_independent_streams() {
        let sampler = Sampler::Uniform {
            low: 0.0,
            high: 1.0,
        };
        let values = sample_f32(&sampler, 1, 2 * BLOCK_LEN);
        assert_ne!(values[..16], values[BLOCK_LEN..BLOCK_LEN + 16]);
    }

    #[test]
    fn empty_requests_give_empty_vectors() {
        assert!(standard_normal_f64(1, 0).is_empty());
    }
}
