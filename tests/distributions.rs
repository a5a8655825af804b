//! Goodness of fit of every random initializer, as `rand_distr` tests its distributions:
//! exact moments with relative tolerances, Kolmogorov–Smirnov against the exact CDF, bounds
//! checked exactly.
//!
//! Each case draws 10⁶ values (a `[1250, 800]` Linear weight: fan_in 1250, fan_out 800, so every
//! fan mode gives a different variance). Run in release mode (`cargo test --release`, the
//! README's test command); in a debug build it takes about a minute.

use burn_init::{
    Distribution, FanMode, Fans, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initialize,
    Initializer, Layout, LecunNormal, LecunUniform, RandomNormal, RandomUniform, Sampler,
    TruncatedNormal, VarianceScaling,
};

const SHAPE: [usize; 2] = [1250, 800];
const N: usize = SHAPE[0] * SHAPE[1];

/// The α = 0.001 critical value of the one-sample KS statistic for large n: `1.95 / sqrt(n)`.
fn ks_critical_value(n: usize) -> f64 {
    1.95 / (n as f64).sqrt()
}

/// `sup |F_n(x) - F(x)|` of the sorted samples against `cdf`.
fn ks_statistic(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// Checks the samples of `init` against the law `expected`, whose variance the caller has
/// computed independently from the preset's formula.
fn check_fit(name: &str, init: Initializer, expected_variance: f64) {
    let fans = Layout::Linear.fans(&SHAPE).unwrap();
    let law: Sampler = init.sampler(fans).expect("a random initializer");
    assert!(
        (law.variance() - expected_variance).abs() <= 1e-12 * expected_variance,
        "{name}: the law's variance {} is not the formula's {expected_variance}",
        law.variance()
    );
    let samples = init.sample(&SHAPE, Layout::Linear).unwrap();
    assert_eq!(samples.len(), N);
    let mut values: Vec<f64> = samples.iter().map(|&x| f64::from(x)).collect();

    let n = N as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let relative_variance_error = (variance - expected_variance).abs() / expected_variance;
    let standard_error = (expected_variance / n).sqrt();
    let law_mean = law.mean();
    assert!(
        relative_variance_error < 0.005,
        "{name}: variance {variance} vs {expected_variance} ({relative_variance_error:.4} relative)"
    );
    assert!(
        (mean - law_mean).abs() < 4.0 * standard_error,
        "{name}: mean {mean} is more than 4 standard errors ({standard_error}) from {law_mean}"
    );

    values.sort_unstable_by(f64::total_cmp);
    let ks = ks_statistic(&values, |x| law.cdf(x));
    assert!(
        ks < ks_critical_value(N),
        "{name}: KS statistic {ks} >= {}",
        ks_critical_value(N)
    );

    let (low, high) = law.support();
    let (min, max) = (values[0], values[N - 1]);
    // Samples are rounded once from f64 to f32, a monotone map: compare with rounded bounds.
    if low.is_finite() {
        assert!(min >= f64::from(low as f32), "{name}: {min} below {low}");
        assert!(max <= f64::from(high as f32), "{name}: {max} above {high}");
    }
    if matches!(law, Sampler::Uniform { .. }) {
        let reach = 0.001 * (high - low) / 2.0;
        assert!(
            min < low + reach && max > high - reach,
            "{name}: [{min}, {max}] short of [{low}, {high}]"
        );
    }
    println!(
        "{name:<34} var {variance:.6e} (formula {expected_variance:.6e}, rel err {relative_variance_error:.2e}) \
         mean {mean:+.2e} ({:+.2} SE) KS {ks:.2e} (crit {:.2e}) range [{min:.5}, {max:.5}]",
        (mean - law_mean) / standard_error,
        ks_critical_value(N)
    );
}

const FAN_IN: f64 = SHAPE[0] as f64;
const FAN_OUT: f64 = SHAPE[1] as f64;

#[test]
fn glorot_normal_truncated() {
    let init = GlorotNormal::new().with_seed(1).into();
    check_fit("GlorotNormal", init, 2.0 / (FAN_IN + FAN_OUT));
}

#[test]
fn glorot_normal_untruncated() {
    let init = GlorotNormal::new().with_seed(2).untruncated().into();
    check_fit("GlorotNormal.untruncated", init, 2.0 / (FAN_IN + FAN_OUT));
}

#[test]
fn glorot_uniform() {
    let init = GlorotUniform::new().with_seed(3).into();
    check_fit("GlorotUniform", init, 2.0 / (FAN_IN + FAN_OUT));
}

#[test]
fn he_normal_truncated() {
    check_fit(
        "HeNormal",
        HeNormal::new().with_seed(4).into(),
        2.0 / FAN_IN,
    );
}

#[test]
fn he_normal_untruncated() {
    let init = HeNormal::new().with_seed(5).untruncated().into();
    check_fit("HeNormal.untruncated", init, 2.0 / FAN_IN);
}

#[test]
fn he_uniform() {
    check_fit(
        "HeUniform",
        HeUniform::new().with_seed(6).into(),
        2.0 / FAN_IN,
    );
}

#[test]
fn lecun_normal_truncated() {
    check_fit(
        "LecunNormal",
        LecunNormal::new().with_seed(7).into(),
        1.0 / FAN_IN,
    );
}

#[test]
fn lecun_normal_untruncated() {
    let init = LecunNormal::new().with_seed(8).untruncated().into();
    check_fit("LecunNormal.untruncated", init, 1.0 / FAN_IN);
}

#[test]
fn lecun_uniform() {
    check_fit(
        "LecunUniform",
        LecunUniform::new().with_seed(9).into(),
        1.0 / FAN_IN,
    );
}

#[test]
fn variance_scaling_every_mode_and_distribution() {
    let fans = Fans::new(SHAPE[0], SHAPE[1]).unwrap();
    for (index, (mode, mode_name)) in FanMode::ALL.into_iter().enumerate() {
        let n = match mode {
            FanMode::FanIn => FAN_IN,
            FanMode::FanOut => FAN_OUT,
            FanMode::FanAvg => (FAN_IN + FAN_OUT) / 2.0,
            FanMode::FanGeoAvg => (FAN_IN * FAN_OUT).sqrt(),
        };
        assert_eq!(fans.select(mode), n);
        for (distribution, distribution_name) in Distribution::ALL {
            let seed = 100 + index as u64;
            let init = VarianceScaling::new(3.0, mode, distribution)
                .unwrap()
                .with_seed(seed);
            let name = format!("VS(3, {mode_name}, {distribution_name})");
            check_fit(&name, init.into(), 3.0 / n);
        }
    }
}

#[test]
fn random_normal_uniform_and_truncated_normal() {
    let normal = RandomNormal::new(0.5, 0.2).unwrap().with_seed(11);
    check_fit("RandomNormal(0.5, 0.2)", normal.into(), 0.04);
    let uniform = RandomUniform::new(-0.1, 0.3).unwrap().with_seed(12);
    check_fit(
        "RandomUniform(-0.1, 0.3)",
        uniform.into(),
        0.4f64.powi(2) / 12.0,
    );
    let truncated = TruncatedNormal::new(0.0, 0.05).unwrap().with_seed(13);
    // Keras's TruncatedNormal keeps stddev before truncation: variance 0.05² · 0.8796…².
    let expected = (0.05 * burn_init::init::distribution::TRUNCATED_STD_AT_2).powi(2);
    check_fit("TruncatedNormal(0, 0.05)", truncated.into(), expected);
}

/// The KS test must be able to fail: untruncated samples are rejected against the truncated
/// law, and samples of the wrong variance against the right one.
#[test]
fn ks_test_rejects_the_wrong_law() {
    let fans = Layout::Linear.fans(&SHAPE).unwrap();
    let truncated = Initializer::from(HeNormal::new().with_seed(21))
        .sampler(fans)
        .unwrap();
    let mut plain: Vec<f64> = HeNormal::new()
        .with_seed(21)
        .untruncated()
        .sample(&SHAPE, Layout::Linear)
        .unwrap()
        .iter()
        .map(|&x| f64::from(x))
        .collect();
    plain.sort_unstable_by(f64::total_cmp);
    let ks = ks_statistic(&plain, |x| truncated.cdf(x));
    assert!(ks > 5.0 * ks_critical_value(N), "{ks}");

    let lecun = Initializer::from(LecunNormal::new()).sampler(fans).unwrap();
    let mut he: Vec<f64> = HeNormal::new()
        .with_seed(22)
        .sample(&SHAPE, Layout::Linear)
        .unwrap()
        .iter()
        .map(|&x| f64::from(x))
        .collect();
    he.sort_unstable_by(f64::total_cmp);
    assert!(ks_statistic(&he, |x| lecun.cdf(x)) > 10.0 * ks_critical_value(N));
}
