//! Every preset on a 784 × 512 Linear weight: the variance the formula promises and the one
//! the seeded samples have.
//!
//! Run: `cargo run --release --example initializers`.

use burn_init::{
    GlorotNormal, GlorotUniform, HeNormal, HeUniform, InitError, Initialize, Initializer, Layout,
    LecunNormal, LecunUniform,
};

fn main() -> Result<(), InitError> {
    let shape = [784, 512];
    let fans = Layout::Linear.fans(&shape)?;
    let presets: [Initializer; 6] = [
        GlorotNormal::new().with_seed(1).into(),
        GlorotUniform::new().with_seed(1).into(),
        HeNormal::new().with_seed(1).into(),
        HeUniform::new().with_seed(1).into(),
        LecunNormal::new().with_seed(1).into(),
        LecunUniform::new().with_seed(1).into(),
    ];
    println!(
        "{:<14} {:>12} {:>12} {:>10}",
        "preset", "formula var", "sample var", "max |w|"
    );
    for init in presets {
        let values = init.sample(&shape, Layout::Linear)?;
        let n = values.len() as f64;
        let mean = values.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let variance = values
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        let max = values.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        let formula = init.sampler(fans).map_or(f64::NAN, |law| law.variance());
        println!(
            "{:<14} {formula:>12.4e} {variance:>12.4e} {max:>10.4}",
            init.class_name()
        );
    }
    Ok(())
}
