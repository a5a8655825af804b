//! Seeds: fixed or fresh, and reproducibly derived per layer.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The seed of one initializer instance.
///
/// Like a Keras 3 initializer, an instance built without a seed draws a fresh random one when
/// it is created and keeps it: calling the same instance twice gives the same values, two
/// unseeded instances give different values. Serialization writes only the seed the user asked
/// for (`null` when none), so a config round-trips to an equally unseeded initializer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seed {
    requested: Option<u64>,
    value: u64,
}

impl Seed {
    /// A seed fixed by the user: the same values on every call, every machine, every backend.
    pub const fn fixed(value: u64) -> Self {
        Self {
            requested: Some(value),
            value,
        }
    }

    /// A fresh seed drawn from the operating system's entropy.
    pub fn fresh() -> Self {
        Self {
            requested: None,
            value: rand::random(),
        }
    }

    /// `Some(seed)` when the user fixed it, `None` when it was drawn.
    pub fn requested(&self) -> Option<u64> {
        self.requested
    }

    /// The seed actually used to generate values.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// A seed for the `index`-th child of this one (a layer of a model, a tensor of a layer).
    ///
    /// Distinct indices give unrelated seeds; the same `(seed, index)` always gives the same
    /// child, which is itself fixed. Mixing is SplitMix64's finalizer (Steele, Lea & Flood,
    /// *Fast splittable pseudorandom number generators*, OOPSLA 2014).
    pub fn derive(&self, index: u64) -> Seed {
        let child = splitmix64(self.value ^ splitmix64(index.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        Seed::fixed(child)
    }
}

impl Default for Seed {
    /// A fresh seed, as for an initializer built without one.
    fn default() -> Self {
        Self::fresh()
    }
}

impl From<u64> for Seed {
    fn from(value: u64) -> Self {
        Seed::fixed(value)
    }
}

impl From<Option<u64>> for Seed {
    fn from(value: Option<u64>) -> Self {
        value.map_or_else(Seed::fresh, Seed::fixed)
    }
}

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.requested.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<u64>::deserialize(deserializer).map(Seed::from)
    }
}

/// SplitMix64's output function: a bijective, avalanching mix of 64 bits.
pub(crate) fn splitmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_seeds_keep_their_value() {
        let seed = Seed::fixed(7);
        assert_eq!((seed.value(), seed.requested()), (7, Some(7)));
    }

    #[test]
    fn fresh_seeds_differ_and_are_not_requested() {
        let (a, b) = (Seed::fresh(), Seed::fresh());
        assert_ne!(a.value(), b.value());
        assert_eq!(a.requested(), None);
    }

    #[test]
    fn derived_seeds_are_reproducible_and_distinct() {
        let model = Seed::fixed(42);
        let children: Vec<u64> = (0..1000).map(|i| model.derive(i).value()).collect();
        let again: Vec<u64> = (0..1000).map(|i| model.derive(i).value()).collect();
        assert_eq!(children, again);
        let mut unique = children.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), children.len());
        assert_ne!(Seed::fixed(43).derive(0), model.derive(0));
        // Value stability: a change in the mixing would silently change every model's weights.
        /* Equivalent python code:
            M = (1 << 64) - 1
            def sm(z):
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
                return z ^ (z >> 31)
            print(sm(42 ^ sm(0 + 0x9E3779B97F4A7C15)))
        */
        assert_eq!(model.derive(0).value(), 5_006_236_285_904_387_910);
    }

    #[test]
    fn serialization_keeps_only_the_requested_seed() {
        assert_eq!(serde_json::to_string(&Seed::fixed(3)).unwrap(), "3");
        assert_eq!(serde_json::to_string(&Seed::fresh()).unwrap(), "null");
        let back: Seed = serde_json::from_str("3").unwrap();
        assert_eq!(back, Seed::fixed(3));
        let unseeded: Seed = serde_json::from_str("null").unwrap();
        assert_eq!(unseeded.requested(), None);
    }
}
