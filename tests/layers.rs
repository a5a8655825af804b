//! Building burn layers with `InitWith`: weights, biases, layouts and errors.

use burn::nn::conv::{Conv1dConfig, Conv2dConfig, ConvTranspose2dConfig};
use burn::nn::{LinearConfig, LinearLayout};
use burn::tensor::{Device, Tensor};
use burn_init::{
    Constant, GlorotNormal, HeUniform, InitError, InitWith, Initialize, Layout, Orthogonal,
};

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn linear_gets_the_kernel_statistics_and_a_zero_bias() {
    let device = Device::flex();
    let kernel = GlorotNormal::new().with_seed(7);
    let layer = LinearConfig::new(784, 512)
        .init_with(&kernel, &device)
        .unwrap();
    let weights = values(layer.weight.val());
    assert_eq!(weights, kernel.sample(&[784, 512], Layout::Linear).unwrap());

    let n = weights.len() as f64;
    let mean = weights.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let variance = weights
        .iter()
        .map(|&x| (f64::from(x) - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    let expected = 2.0 / (784.0 + 512.0);
    assert!(
        (variance - expected).abs() / expected < 0.005,
        "{variance} vs {expected}"
    );
    let bias = values(layer.bias.expect("a bias").val());
    assert_eq!(bias, vec![0.0; 512]);
}

#[test]
fn linear_takes_a_separate_bias_initializer_and_honours_bias_false() {
    let device = Device::flex();
    let layer = LinearConfig::new(3, 4)
        .init_with_bias(&HeUniform::new(), &Constant::new(0.5).unwrap(), &device)
        .unwrap();
    assert_eq!(values(layer.bias.unwrap().val()), vec![0.5; 4]);
    let no_bias = LinearConfig::new(3, 4)
        .with_bias(false)
        .init_with(&HeUniform::new(), &device)
        .unwrap();
    assert!(no_bias.bias.is_none());
}

#[test]
fn column_layout_computes_the_same_function_as_row_layout() {
    let device = Device::flex();
    let kernel = GlorotNormal::new().with_seed(3);
    let row = LinearConfig::new(5, 3).init_with(&kernel, &device).unwrap();
    let col = LinearConfig::new(5, 3)
        .with_layout(LinearLayout::Col)
        .init_with(&kernel, &device)
        .unwrap();
    let input = Tensor::<2>::from_floats([[1.0, -2.0, 0.5, 3.0, 0.0]], &device);
    let (row, col) = (
        values(row.forward(input.clone())),
        values(col.forward(input)),
    );
    // Same weights, other memory order: equal up to float summation order.
    for (r, c) in row.iter().zip(&col) {
        assert!(
            (r - c).abs() <= 1e-6 * r.abs().max(1.0),
            "{row:?} vs {col:?}"
        );
    }
}

#[test]
fn conv2d_with_groups_uses_conv_fans() {
    let device = Device::flex();
    let kernel = HeUniform::new().with_seed(11);
    let conv = Conv2dConfig::new([4, 6], [3, 3])
        .with_groups(2)
        .init_with(&kernel, &device)
        .unwrap();
    assert_eq!(conv.weight.dims(), [6, 2, 3, 3]);
    assert_eq!(conv.groups, 2);
    let expected = kernel
        .sample(&[6, 2, 3, 3], Layout::Conv { groups: 2 })
        .unwrap();
    assert_eq!(values(conv.weight.val()), expected);
    // He uniform bound sqrt(6 / fan_in), fan_in = 2 · 9.
    let bound = (6.0f64 / 18.0).sqrt() as f32;
    assert!(expected.iter().all(|x| x.abs() <= bound));
    assert_eq!(values(conv.bias.unwrap().val()), vec![0.0; 6]);
}

#[test]
fn conv1d_and_conv_transpose2d_build() {
    let device = Device::flex();
    let conv = Conv1dConfig::new(3, 8, 5)
        .init_with(&Orthogonal::new().with_seed(1), &device)
        .unwrap();
    assert_eq!(conv.weight.dims(), [8, 3, 5]);
    let transpose = ConvTranspose2dConfig::new([4, 6], [2, 2])
        .with_groups(2)
        .init_with(&GlorotNormal::new(), &device)
        .unwrap();
    assert_eq!(transpose.weight.dims(), [4, 3, 2, 2]);
    assert_eq!(transpose.bias.unwrap().dims(), [6]);
}

#[test]
fn bad_groups_are_an_error_not_a_panic() {
    let device = Device::flex();
    let result = Conv2dConfig::new([4, 6], [3, 3])
        .with_groups(4)
        .init_with(&GlorotNormal::new(), &device);
    assert!(matches!(
        result,
        Err(InitError::BadGroups {
            groups: 4,
            channels: 6
        })
    ));
    let result = Conv1dConfig::new(3, 6, 3)
        .with_groups(0)
        .init_with(&GlorotNormal::new(), &device);
    assert!(matches!(
        result,
        Err(InitError::BadGroups { groups: 0, .. })
    ));
}

#[test]
fn bad_shapes_are_typed_errors() {
    let init = GlorotNormal::new();
    assert!(matches!(
        init.sample(&[5], Layout::Linear),
        Err(InitError::BadRank { .. })
    ));
    assert!(matches!(
        init.sample(&[5, 0], Layout::Linear),
        Err(InitError::ZeroSizedDimension { .. })
    ));
    assert!(matches!(
        Orthogonal::new().sample(&[5], Layout::Keras),
        Err(InitError::BadRank {
            layout: "Orthogonal",
            ..
        })
    ));
    let device = Device::flex();
    assert!(matches!(
        LinearConfig::new(0, 3).init_with(&init, &device),
        Err(InitError::ZeroSizedDimension { .. })
    ));
}

#[test]
fn orthogonal_weights_are_orthonormal_times_gain() {
    for (shape, layout) in [
        (&[64, 16][..], Layout::Linear),
        (&[16, 64], Layout::Linear),
        (&[8, 4, 3], Layout::Conv { groups: 1 }),
    ] {
        let gain = 1.5;
        let init = Orthogonal::new().with_gain(gain).unwrap().with_seed(4);
        let flat = init.sample(shape, layout).unwrap();
        let (rows, cols) = match layout {
            Layout::Conv { .. } => (shape[0], flat.len() / shape[0]),
            _ => (flat.len() / shape[shape.len() - 1], shape[shape.len() - 1]),
        };
        // Gram matrix of the smaller side must be gain² · I.
        let (outer, inner) = (rows.min(cols), rows.max(cols));
        let at = |i: usize, k: usize| {
            let (r, c) = if rows < cols { (i, k) } else { (k, i) };
            f64::from(flat[r * cols + c])
        };
        for i in 0..outer {
            for j in 0..outer {
                let dot: f64 = (0..inner).map(|k| at(i, k) * at(j, k)).sum();
                let expected = if i == j { gain * gain } else { 0.0 };
                assert!(
                    (dot - expected).abs() < 1e-5,
                    "{shape:?}: <{i},{j}> = {dot}"
                );
            }
        }
    }
}
