//! The host-side, counter-based sample generator behind every random initializer.
//!
//! The output is split into fixed blocks of [`BLOCK_LEN`] elements. Block `b` is filled from
//! eight interleaved xoshiro256++ generators ([`Lanes`]) keyed by `(seed, b)` through SplitMix64 ([`stream_state`]):
//! element `k` of the block is made from word `k` of the interleaved stream (lane `k mod 8`).
//! A normal element takes the ziggurat's branch-free fast path on its word (the normal truncated
//! at ±2σ has a ziggurat of its own, [`TRUNCATED_AT_2`], that never leaves the cut); the ~1 % of
//! words that fail it are finished by [`slow_path`] from a
//! ninth, scalar xoshiro256++ of the block, in element order. A block's values depend only on
//! `(seed, b)`, and blocks are filled in parallel with rayon: the result is the same for any
//! number of threads and any CPU (the AVX2 path computes exactly the same integer and IEEE
//! operations as the portable one), and, since it is uploaded as data, bit-identical on every
//! burn backend. Element `i` of a tensor does not depend on the tensor's total size either, so a
//! larger tensor drawn with the same seed starts with the smaller one's values.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::distribution::Sampler;
use super::distribution::TRUNCATION_CUT;
use super::lanes::{LANES, Lanes, stream_state};
use super::ziggurat::{TABLES, TRUNCATED_AT_2, Tables, fast_path, slow_path};

/// Elements per independently seeded block.
pub const BLOCK_LEN: usize = 1 << 14;

/// Draws `len` values from `sampler` with `seed`, as `f32`.
///
/// Each value is computed in `f64` from 52 or more random bits and rounded once to `f32`;
/// rounding is monotone, so bounds that hold in `f64` hold for the rounded bounds.
pub fn sample_f32(sampler: &Sampler, seed: u64, len: usize) -> Vec<f32> {
    let mut values = fresh_buffer(len);
    fill_f32(sampler, seed, &mut values);
    values
}

/// Overwrites `values` with what [`sample_f32`] returns for `values.len()` elements: the
/// in-place form (PyTorch's `xavier_normal_(w)`), for a buffer that already exists.
pub fn fill_f32(sampler: &Sampler, seed: u64, values: &mut [f32]) {
    let tables = tables_for(sampler);
    values
        .par_chunks_mut(BLOCK_LEN)
        .enumerate()
        .for_each(|(index, block)| fill_block_dispatch(sampler, tables, seed, index as u64, block));
}

/// The ziggurat tables `sampler` draws from: for a normal truncated at 2σ, those of the normal
/// on `[-2, 2]` alone ([`TRUNCATED_AT_2`]), so no draw lands beyond the cut; the standard
/// normal's otherwise (another cut rejects what lies beyond it).
fn tables_for(sampler: &Sampler) -> &'static Tables {
    match sampler {
        Sampler::TruncatedNormal { cut, .. } if *cut == TRUNCATION_CUT => &TRUNCATED_AT_2,
        _ => &TABLES,
    }
}

/// A zeroed buffer of `len` values. On Linux a large one is advised to the kernel as
/// transparent-huge-page memory before it is first touched: a fresh 268 MB buffer then takes
/// 128 page faults instead of 65,536, which on the machines we measured is most of the cost of
/// a new 8192 × 8192 tensor.
fn fresh_buffer(len: usize) -> Vec<f32> {
    let values = vec![0.0f32; len];
    #[cfg(target_os = "linux")]
    advise_huge_pages(&values);
    values
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(values: &[f32]) {
    const HUGE_PAGE: usize = 2 << 20;
    let start = values.as_ptr() as usize;
    let end = start + std::mem::size_of_val(values);
    let aligned_start = start.next_multiple_of(HUGE_PAGE);
    let aligned_end = end - end % HUGE_PAGE;
    if aligned_end > aligned_start {
        // SAFETY: the range lies inside `values`' allocation, and MADV_HUGEPAGE only changes
        // how the kernel backs those pages, never their contents; an error leaves normal pages.
        unsafe {
            libc::madvise(
                aligned_start as *mut libc::c_void,
                aligned_end - aligned_start,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

/// Draws `len` standard normal values in `f64` (the raw matrix of the orthogonal initializer).
pub fn standard_normal_f64(seed: u64, len: usize) -> Vec<f64> {
    let mut values = vec![0.0f64; len];
    let tables = &*TABLES;
    values
        .par_chunks_mut(BLOCK_LEN)
        .enumerate()
        .for_each(|(index, block)| {
            let (mut lanes, mut fallback) = block_generators(seed, index as u64);
            fill_normal(
                tables,
                &mut lanes,
                Lanes::next,
                &mut fallback,
                block,
                f64::INFINITY,
                |z| z,
            );
        });
    values
}

/// Runs [`fill_block`] compiled for AVX2 when the CPU has it, the portable build otherwise.
/// Both compute the same operations, so the values are identical.
fn fill_block_dispatch(
    sampler: &Sampler,
    tables: &Tables,
    seed: u64,
    index: u64,
    block: &mut [f32],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked on the line above.
        unsafe { fill_block_avx2(sampler, tables, seed, index, block) };
        return;
    }
    fill_block(sampler, tables, seed, index, block, Lanes::next);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn fill_block_avx2(sampler: &Sampler, tables: &Tables, seed: u64, index: u64, block: &mut [f32]) {
    // The closure inherits this function's AVX2 target feature.
    fill_block(sampler, tables, seed, index, block, |lanes| {
        lanes.next_avx2()
    });
}

#[inline(always)]
fn fill_block(
    sampler: &Sampler,
    tables: &Tables,
    seed: u64,
    index: u64,
    block: &mut [f32],
    step: impl Fn(&mut Lanes) -> [u64; LANES] + Copy,
) {
    let (mut lanes, mut fallback) = block_generators(seed, index);
    match *sampler {
        Sampler::Normal { mean, std } => {
            fill_normal(
                tables,
                &mut lanes,
                step,
                &mut fallback,
                block,
                f64::INFINITY,
                |z| (mean + std * z) as f32,
            );
        }
        Sampler::TruncatedNormal { mean, std, cut } => {
            fill_normal(tables, &mut lanes, step, &mut fallback, block, cut, |z| {
                (mean + std * z) as f32
            });
        }
        Sampler::Uniform { low, high } => {
            let width = high - low;
            let mut chunks = block.chunks_exact_mut(LANES);
            for chunk in &mut chunks {
                let words = step(&mut lanes);
                for (x, word) in chunk.iter_mut().zip(words) {
                    *x = (low + width * unit_interval(word)) as f32;
                }
            }
            let words = step(&mut lanes);
            for (x, word) in chunks.into_remainder().iter_mut().zip(words) {
                *x = (low + width * unit_interval(word)) as f32;
            }
        }
    }
}

/// A uniform value in [0, 1) from the high 52 bits of `word`.
#[inline(always)]
fn unit_interval(word: u64) -> f64 {
    f64::from_bits((word >> 12) | 0x3FF0_0000_0000_0000) - 1.0
}

/// Elements whose fast-path failures are collected before they are finished.
const BATCH: usize = 256;

/// Fills `block` with `scale(z)` for standard normal `z` restricted to `|z| ≤ cut`.
///
/// Over each batch of [`BATCH`] elements, every candidate is written (eight at a time, in
/// vector registers), and the positions whose fast path failed (or whose value lies beyond
/// `cut`) are collected in a short list, which is then finished in element order from
/// `fallback`: the main loop stays free of the slow path's code.
#[inline(always)]
fn fill_normal<T: Copy>(
    tables: &Tables,
    lanes: &mut Lanes,
    step: impl Fn(&mut Lanes) -> [u64; LANES],
    fallback: &mut Xoshiro256PlusPlus,
    block: &mut [T],
    cut: f64,
    scale: impl Fn(f64) -> T,
) {
    let mut pending_position = [0u16; BATCH];
    let mut pending_word = [0u64; BATCH];
    for batch in block.chunks_mut(BATCH) {
        let mut pending = 0;
        for (chunk_index, chunk) in batch.chunks_exact_mut(LANES).enumerate() {
            let words = step(lanes);
            let mut z = [0.0f64; LANES];
            let mut rejected = 0u32;
            for lane in 0..LANES {
                let (candidate, inside) = fast_path(tables, words[lane]);
                z[lane] = candidate;
                rejected |= u32::from(!(inside & (candidate.abs() <= cut))) << lane;
            }
            for lane in 0..LANES {
                chunk[lane] = scale(z[lane]);
            }
            // One iteration per failed lane: none for most chunks.
            while rejected != 0 {
                let lane = rejected.trailing_zeros() as usize;
                rejected &= rejected - 1;
                // `pending` counts failures among the elements seen so far: always < BATCH.
                pending_position[pending % BATCH] = (chunk_index * LANES + lane) as u16;
                pending_word[pending % BATCH] = words[lane];
                pending += 1;
            }
        }
        let tail_start = batch.len() - batch.len() % LANES;
        if tail_start < batch.len() {
            let words = step(lanes);
            for (position, word) in (tail_start..batch.len()).zip(words) {
                pending_position[pending] = position as u16;
                pending_word[pending] = word;
                pending += 1;
            }
        }
        for (&position, &word) in pending_position[..pending].iter().zip(&pending_word) {
            batch[usize::from(position)] = scale(finish_normal(tables, word, fallback, cut));
        }
    }
}

/// Completes a normal draw that failed the fast path or the cut, rejecting values beyond `cut`.
fn finish_normal(tables: &Tables, word: u64, fallback: &mut Xoshiro256PlusPlus, cut: f64) -> f64 {
    use rand::Rng;
    let mut z = slow_path(tables, word, fallback);
    while z.abs() > cut {
        z = slow_path(tables, fallback.next_u64(), fallback);
    }
    z
}

/// The generators of block `block`: eight lanes and the scalar fallback, generator
/// [`LANES`] of the block (see [`stream_state`]).
fn block_generators(seed: u64, block: u64) -> (Lanes, Xoshiro256PlusPlus) {
    let mut state = [0u8; 32];
    for (chunk, word) in state
        .chunks_exact_mut(8)
        .zip(stream_state(seed, block, LANES as u64))
    {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    (
        Lanes::new(seed, block),
        Xoshiro256PlusPlus::from_seed(state),
    )
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
    fn the_dispatched_fill_equals_the_portable_fill() {
        let samplers = [
            Sampler::Normal {
                mean: 0.1,
                std: 2.0,
            },
            Sampler::TruncatedNormal {
                mean: 0.0,
                std: 1.0,
                cut: 2.0,
            },
            Sampler::Uniform {
                low: -1.0,
                high: 3.0,
            },
        ];
        for sampler in samplers {
            let tables = tables_for(&sampler);
            // Two full blocks and a partial one whose length is not a multiple of LANES.
            let len = 2 * BLOCK_LEN + 1000 + 3;
            let dispatched = sample_f32(&sampler, 5, len);
            let mut portable = vec![0.0f32; len];
            for (index, block) in portable.chunks_mut(BLOCK_LEN).enumerate() {
                fill_block(&sampler, tables, 5, index as u64, block, Lanes::next);
            }
            assert_eq!(dispatched, portable, "{sampler:?}");
        }
    }

    #[test]
    fn truncated_samples_stay_inside_the_cut() {
        let standard_cut_at = |cut| Sampler::TruncatedNormal {
            mean: 0.0,
            std: 1.0,
            cut,
        };
        let values = sample_f32(&standard_cut_at(2.0), 3, 4 * BLOCK_LEN + 17);
        assert!(values.iter().all(|x| x.abs() <= 2.0));
        // Another cut takes the standard tables and rejects what lies beyond it.
        let values = sample_f32(&standard_cut_at(1.5), 3, 4 * BLOCK_LEN + 17);
        assert!(values.iter().all(|x| x.abs() <= 1.5));
        assert!(values.iter().any(|x| x.abs() > 1.49));
    }

    #[test]
    fn empty_requests_give_empty_vectors() {
        assert!(standard_normal_f64(1, 0).is_empty());
    }
}
