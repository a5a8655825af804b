//! Eight interleaved xoshiro256++ generators stepped together, so the compiler can keep them in
//! SIMD registers.
//!
//! xoshiro256++ (Blackman & Vigna, *Scrambled linear pseudorandom number generators*, ACM TOMS
//! 2021) uses only additions, shifts, rotations and xors, so eight independent states laid out
//! word by word ("structure of arrays") step with vector instructions: one call yields eight
//! 64-bit outputs for about the cost of one or two scalar steps. `rand_xoshiro` provides the
//! scalar generator only; each lane here produces exactly what `Xoshiro256PlusPlus` would from
//! the same state (tested below).

use super::seed::splitmix64;

/// Number of interleaved generators.
pub const LANES: usize = 8;

/// The xoshiro256++ state of generator `generator` (0 to [`LANES`]) of block `block` of
/// `seed`: `w0 = sm(seed)`, `w1 = sm(block·(LANES+1) + generator)`, `w2 = sm(w0 ⊕ rotl(w1, 17))`,
/// `w3 = sm(w2 + γ)` with `sm` SplitMix64, a bijection. `(w0, w1)` alone determines
/// `(seed, block, generator)`, so every generator of every block of every seed starts from its
/// own state (for fewer than 2⁶⁰ blocks), and never the all-zero one.
pub fn stream_state(seed: u64, block: u64, generator: u64) -> [u64; 4] {
    let w0 = splitmix64(seed);
    let w1 = splitmix64(block.wrapping_mul(LANES as u64 + 1).wrapping_add(generator));
    let w2 = splitmix64(w0 ^ w1.rotate_left(17));
    let w3 = splitmix64(w2.wrapping_add(0x9E37_79B9_7F4A_7C15));
    [w0, w1, w2, w3]
}

/// Eight xoshiro256++ states, stored as `words[k][lane]`.
#[derive(Clone, Debug)]
pub struct Lanes {
    words: [[u64; LANES]; 4],
}

impl Lanes {
    /// The lanes of block `block` of the stream `seed`; see [`stream_state`].
    pub fn new(seed: u64, block: u64) -> Self {
        let mut words = [[0u64; LANES]; 4];
        for lane in 0..LANES {
            let state = stream_state(seed, block, lane as u64);
            for (word, value) in words.iter_mut().zip(state) {
                word[lane] = value;
            }
        }
        Self { words }
    }

    /// One output of every lane (portable: the compiler keeps it scalar).
    #[inline(always)]
    pub fn next(&mut self) -> [u64; LANES] {
        let [s0, s1, s2, s3] = &mut self.words;
        let mut out = [0u64; LANES];
        for lane in 0..LANES {
            out[lane] = s0[lane]
                .wrapping_add(s3[lane])
                .rotate_left(23)
                .wrapping_add(s0[lane]);
            let t = s1[lane] << 17;
            s2[lane] ^= s0[lane];
            s3[lane] ^= s1[lane];
            s1[lane] ^= s2[lane];
            s0[lane] ^= s3[lane];
            s2[lane] ^= t;
            s3[lane] = s3[lane].rotate_left(45);
        }
        out
    }

    /// The same step as [`Lanes::next`] with AVX2 instructions, four lanes per register: the
    /// same integer operations, so the same outputs (tested below).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    #[inline]
    pub fn next_avx2(&mut self) -> [u64; LANES] {
        use std::arch::x86_64::{
            __m256i, _mm256_add_epi64, _mm256_loadu_si256, _mm256_or_si256, _mm256_slli_epi64,
            _mm256_srli_epi64, _mm256_storeu_si256, _mm256_xor_si256,
        };
        let mut out = [0u64; LANES];
        for half in [0, LANES / 2] {
            let word = |k: usize| self.words[k][half..].as_ptr().cast::<__m256i>();
            // SAFETY: each pointer addresses four consecutive u64 inside `self.words[k]`
            // (`half + 4 ≤ LANES`) or `out`; the unaligned load and store have no alignment
            // requirement.
            unsafe {
                let mut s0 = _mm256_loadu_si256(word(0));
                let mut s1 = _mm256_loadu_si256(word(1));
                let mut s2 = _mm256_loadu_si256(word(2));
                let mut s3 = _mm256_loadu_si256(word(3));
                let sum = _mm256_add_epi64(s0, s3);
                let rotated =
                    _mm256_or_si256(_mm256_slli_epi64(sum, 23), _mm256_srli_epi64(sum, 41));
                let result = _mm256_add_epi64(rotated, s0);
                let t = _mm256_slli_epi64(s1, 17);
                s2 = _mm256_xor_si256(s2, s0);
                s3 = _mm256_xor_si256(s3, s1);
                s1 = _mm256_xor_si256(s1, s2);
                s0 = _mm256_xor_si256(s0, s3);
                s2 = _mm256_xor_si256(s2, t);
                s3 = _mm256_or_si256(_mm256_slli_epi64(s3, 45), _mm256_srli_epi64(s3, 19));
                for (k, value) in [s0, s1, s2, s3].into_iter().enumerate() {
                    _mm256_storeu_si256(self.words[k][half..].as_mut_ptr().cast(), value);
                }
                _mm256_storeu_si256(out[half..].as_mut_ptr().cast(), result);
            }
        }
        out
    }

    /// The state of one lane as `rand_xoshiro` seeds it (little-endian words).
    #[cfg(test)]
    fn lane_seed(&self, lane: usize) -> [u8; 32] {
        let mut seed = [0u8; 32];
        for (chunk, word) in seed.chunks_exact_mut(8).zip(&self.words) {
            chunk.copy_from_slice(&word[lane].to_le_bytes());
        }
        seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn every_lane_is_the_reference_xoshiro256_plus_plus() {
        let mut lanes = Lanes::new(42, 7);
        let mut reference: Vec<Xoshiro256PlusPlus> = (0..LANES)
            .map(|lane| Xoshiro256PlusPlus::from_seed(lanes.lane_seed(lane)))
            .collect();
        for _ in 0..1000 {
            let outputs = lanes.next();
            for (output, rng) in outputs.iter().zip(&mut reference) {
                assert_eq!(*output, rng.next_u64());
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_avx2_step_is_the_portable_step() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let mut portable = Lanes::new(3, 11);
        let mut vector = portable.clone();
        for _ in 0..1000 {
            // SAFETY: AVX2 support checked above.
            assert_eq!(portable.next(), unsafe { vector.next_avx2() });
        }
    }

    #[test]
    fn lanes_and_keys_start_from_distinct_states() {
        let states: std::collections::HashSet<[u64; 4]> = (0..3)
            .flat_map(|seed| {
                (0..3).flat_map(move |block| {
                    (0..=LANES as u64).map(move |g| stream_state(seed, block, g))
                })
            })
            .collect();
        assert_eq!(states.len(), 3 * 3 * (LANES + 1));
    }
}
