//! Building burn layers with this crate's initializers: the [`InitWith`] extension trait.

use burn::module::Param;
use burn::nn::conv::{
    Conv1d, Conv1dConfig, Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig,
};
use burn::nn::{Linear, LinearConfig, LinearLayout};
use burn::tensor::{Device, Tensor, TensorData};

use super::constant::Zeros;
use super::error::InitError;
use super::fans::{Layout, divide_by_groups};
use super::initializer::Initialize;

/// Builds a burn module from its config with a kernel initializer of this crate and a separate
/// bias initializer.
///
/// The bias defaults to zeros, as in Keras's `Dense` and `Conv`; a bias initializer sees the
/// bias as Keras does (a vector of length n has fans (n, n), [`Layout::Keras`]). The config's
/// own `initializer` field is not used. Values are generated on the host, so the same seeds
/// give the same module on every [`Device`].
///
/// ```
/// use burn::nn::LinearConfig;
/// use burn::tensor::Device;
/// use burn_init::{GlorotNormal, InitWith};
///
/// let device = Device::flex();
/// let layer = LinearConfig::new(784, 512).init_with(&GlorotNormal::new().with_seed(7), &device)?;
/// assert_eq!(layer.weight.dims(), [784, 512]);
/// # Ok::<(), burn_init::InitError>(())
/// ```
pub trait InitWith {
    /// The module the config builds.
    type Module;

    /// The module with `kernel` for its weight and zeros for its bias.
    ///
    /// # Errors
    /// What the kernel initializer rejects for the weight's shape (see [`Layout::fans`]), and
    /// [`InitError::BadGroups`] for convolutions whose channels `groups` does not divide.
    fn init_with<K: Initialize + ?Sized>(
        &self,
        kernel: &K,
        device: &Device,
    ) -> Result<Self::Module, InitError> {
        self.init_with_bias(kernel, &Zeros, device)
    }

    /// The module with `kernel` for its weight and `bias` for its bias (if it has one).
    ///
    /// # Errors
    /// As [`InitWith::init_with`], for either initializer.
    fn init_with_bias<K: Initialize + ?Sized, B: Initialize + ?Sized>(
        &self,
        kernel: &K,
        bias: &B,
        device: &Device,
    ) -> Result<Self::Module, InitError>;
}

impl InitWith for LinearConfig {
    type Module = Linear;

    fn init_with_bias<K: Initialize + ?Sized, B: Initialize + ?Sized>(
        &self,
        kernel: &K,
        bias: &B,
        device: &Device,
    ) -> Result<Linear, InitError> {
        let (d_input, d_output) = (self.d_input, self.d_output);
        let values = kernel.sample(&[d_input, d_output], Layout::Linear)?;
        let weight = match self.layout {
            LinearLayout::Row => {
                Param::from_data(TensorData::new(values, [d_input, d_output]), device)
            }
            // Stored as [d_output, d_input] and viewed transposed, as burn's own init does.
            LinearLayout::Col => {
                let stored: Vec<f32> = (0..d_output)
                    .flat_map(|o| (0..d_input).map(move |i| (i, o)))
                    .map(|(i, o)| values[i * d_output + o])
                    .collect();
                let stored = TensorData::new(stored, [d_output, d_input]);
                Param::from_tensor(Tensor::<2>::from_data(stored, device).transpose())
                    .save_mapper(|tensor| tensor.transpose())
                    .load_mapper(|tensor| tensor.transpose())
            }
        };
        let bias = self
            .bias
            .then(|| bias_param(bias, self.d_output, device))
            .transpose()?;
        Ok(Linear { weight, bias })
    }
}

impl InitWith for Conv1dConfig {
    type Module = Conv1d;

    fn init_with_bias<K: Initialize + ?Sized, B: Initialize + ?Sized>(
        &self,
        kernel: &K,
        bias: &B,
        device: &Device,
    ) -> Result<Conv1d, InitError> {
        check_groups(self.channels_in, self.channels_out, self.groups)?;
        let shape = [
            self.channels_out,
            self.channels_in / self.groups,
            self.kernel_size,
        ];
        let weight = Param::from_data(
            kernel.tensor_data(
                &shape,
                Layout::Conv {
                    groups: self.groups,
                },
            )?,
            device,
        );
        let bias = self
            .bias
            .then(|| bias_param(bias, self.channels_out, device))
            .transpose()?;
        // burn's params are lazy: `init` allocates nothing for the weights replaced here.
        Ok(Conv1d {
            weight,
            bias,
            ..self.init(device)
        })
    }
}

impl InitWith for Conv2dConfig {
    type Module = Conv2d;

    fn init_with_bias<K: Initialize + ?Sized, B: Initialize + ?Sized>(
        &self,
        kernel: &K,
        bias: &B,
        device: &Device,
    ) -> Result<Conv2d, InitError> {
        let [channels_in, channels_out] = self.channels;
        check_groups(channels_in, channels_out, self.groups)?;
        let [k0, k1] = self.kernel_size;
        let shape = [channels_out, channels_in / self.groups, k0, k1];
        let weight = Param::from_data(
            kernel.tensor_data(
                &shape,
                Layout::Conv {
                    groups: self.groups,
                },
            )?,
            device,
        );
        let bias = self
            .bias
            .then(|| bias_param(bias, channels_out, device))
            .transpose()?;
        Ok(Conv2d {
            weight,
            bias,
            ..self.init(device)
        })
    }
}

impl InitWith for ConvTranspose2dConfig {
    type Module = ConvTranspose2d;

    fn init_with_bias<K: Initialize + ?Sized, B: Initialize + ?Sized>(
        &self,
        kernel: &K,
        bias: &B,
        device: &Device,
    ) -> Result<ConvTranspose2d, InitError> {
        let [channels_in, channels_out] = self.channels;
        check_groups(channels_in, channels_out, self.groups)?;
        let [k0, k1] = self.kernel_size;
        let shape = [channels_in, channels_out / self.groups, k0, k1];
        let layout = Layout::ConvTranspose {
            groups: self.groups,
        };
        let weight = Param::from_data(kernel.tensor_data(&shape, layout)?, device);
        let bias = self
            .bias
            .then(|| bias_param(bias, channels_out, device))
            .transpose()?;
        Ok(ConvTranspose2d {
            weight,
            bias,
            ..self.init(device)
        })
    }
}

fn bias_param<B: Initialize + ?Sized>(
    bias: &B,
    len: usize,
    device: &Device,
) -> Result<Param<Tensor<1>>, InitError> {
    Ok(Param::from_data(
        bias.tensor_data(&[len], Layout::Keras)?,
        device,
    ))
}

/// burn's `init` panics unless `groups` divides both channel counts; we return an error first.
fn check_groups(channels_in: usize, channels_out: usize, groups: usize) -> Result<(), InitError> {
    divide_by_groups(channels_in, groups)?;
    divide_by_groups(channels_out, groups)?;
    Ok(())
}
