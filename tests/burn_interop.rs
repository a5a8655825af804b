//! Conversions into `burn::nn::Initializer`: burn gets the same std / bound, and truncated
//! normals, which burn cannot express, are a typed error.

use burn::nn::{Initializer as BurnInitializer, LinearConfig};
use burn::tensor::Device;
use burn_init::{
    Distribution, FanMode, GlorotNormal, GlorotUniform, HeNormal, HeUniform, InitError,
    Initializer, LecunNormal, LecunUniform, Ones, Orthogonal, RandomNormal, RandomUniform,
    TruncatedNormal, VarianceScaling, Zeros,
};

fn convert(init: impl Into<Initializer>) -> Result<BurnInitializer, InitError> {
    BurnInitializer::try_from(init.into())
}

#[test]
fn exact_conversions_map_to_burns_variants() {
    let sqrt2 = 2f64.sqrt();
    let cases: Vec<(Initializer, BurnInitializer)> = vec![
        (
            GlorotUniform::new().into(),
            BurnInitializer::XavierUniform { gain: 1.0 },
        ),
        (
            GlorotNormal::new().untruncated().into(),
            BurnInitializer::XavierNormal { gain: 1.0 },
        ),
        (
            HeUniform::new().into(),
            BurnInitializer::KaimingUniform {
                gain: sqrt2,
                fan_out_only: false,
            },
        ),
        (
            HeNormal::new().untruncated().into(),
            BurnInitializer::KaimingNormal {
                gain: sqrt2,
                fan_out_only: false,
            },
        ),
        (
            LecunUniform::new().into(),
            BurnInitializer::KaimingUniform {
                gain: 1.0,
                fan_out_only: false,
            },
        ),
        (
            VarianceScaling::new(4.0, FanMode::FanOut, Distribution::UntruncatedNormal)
                .unwrap()
                .into(),
            BurnInitializer::KaimingNormal {
                gain: 2.0,
                fan_out_only: true,
            },
        ),
        (
            Orthogonal::new().into(),
            BurnInitializer::Orthogonal { gain: 1.0 },
        ),
        (
            RandomNormal::new(0.1, 0.2).unwrap().into(),
            BurnInitializer::Normal {
                mean: 0.1,
                std: 0.2,
            },
        ),
        (
            RandomUniform::new(-1.0, 2.0).unwrap().into(),
            BurnInitializer::Uniform {
                min: -1.0,
                max: 2.0,
            },
        ),
        (Zeros.into(), BurnInitializer::Zeros),
        (Ones.into(), BurnInitializer::Ones),
    ];
    for (ours, burns) in cases {
        assert_eq!(convert(ours).unwrap(), burns, "{ours}");
    }
}

#[test]
fn truncated_normals_and_fan_geo_avg_are_unrepresentable() {
    for init in [
        Initializer::from(GlorotNormal::new()),
        HeNormal::new().into(),
        LecunNormal::new().into(),
        TruncatedNormal::default().into(),
        VarianceScaling::new(1.0, FanMode::FanGeoAvg, Distribution::Uniform)
            .unwrap()
            .into(),
    ] {
        let err = convert(init).unwrap_err();
        assert!(matches!(err, InitError::Unrepresentable { .. }), "{err}");
    }
    let err = BurnInitializer::try_from(HeNormal::new()).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
}

/// burn, running its own RNG, produces the std and bound our formula promises.
#[test]
fn burn_draws_the_same_std_and_bound() {
    let device = Device::flex();
    device.seed(2024);
    let (d_input, d_output) = (1000, 600);
    let weights = |init: BurnInitializer| {
        let layer = LinearConfig::new(d_input, d_output)
            .with_initializer(init)
            .init(&device);
        layer.weight.val().into_data().try_to_vec::<f32>().unwrap()
    };
    let std = |values: &[f32]| {
        let n = values.len() as f64;
        let mean = values.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        (values
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0))
            .sqrt()
    };

    let he = weights(convert(HeUniform::new()).unwrap());
    let bound = (6.0 / d_input as f64).sqrt();
    let max = he.iter().fold(0.0f64, |m, &x| m.max(f64::from(x).abs()));
    assert!(
        max <= bound * (1.0 + 1e-6) && max > 0.999 * bound,
        "{max} vs {bound}"
    );

    let glorot = weights(convert(GlorotNormal::new().untruncated()).unwrap());
    let expected = (2.0 / (d_input + d_output) as f64).sqrt();
    // The sample std of n normal values has a relative standard error of 1/√(2n) (0.09 % for
    // these 600,000): allow five of them. burn's generator is seeded above, so the draw is the
    // same on every run.
    let tolerance = 5.0 / (2.0 * glorot.len() as f64).sqrt();
    assert!(
        (std(&glorot) - expected).abs() / expected < tolerance,
        "{} vs {expected} (tolerance {tolerance:.2e})",
        std(&glorot)
    );
}
