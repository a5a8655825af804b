//! `--device`: which burn backend runs the model.

use std::str::FromStr;

use burn::tensor::Device;
use thiserror::Error;

/// A backend and device named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChoice {
    /// The default CPU backend (burn's pure-Rust `flex`).
    Cpu,
    /// burn's `flex` CPU backend, by name.
    Flex,
    /// burn's `ndarray` CPU backend (deprecated in burn 0.22, still supported).
    Ndarray,
    /// burn's wgpu backend (Vulkan, Metal or DX12): the default adapter, or the `n`-th GPU.
    Wgpu(Option<usize>),
}

/// A `--device` that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceError {
    /// Not a known device name.
    #[error("unknown device `{0}`; use cpu, flex, ndarray, wgpu or wgpu:N")]
    Unknown(String),
    /// A GPU device in a build without the `wgpu` feature.
    #[error(
        "`{0}` needs the wgpu backend, which this build does not include; rebuild with \
         `cargo build --release --features wgpu`"
    )]
    NotCompiled(String),
}

impl FromStr for DeviceChoice {
    type Err = DeviceError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "cpu" => Ok(DeviceChoice::Cpu),
            "flex" => Ok(DeviceChoice::Flex),
            "ndarray" => Ok(DeviceChoice::Ndarray),
            "wgpu" | "gpu" => Ok(DeviceChoice::Wgpu(None)),
            _ => name
                .strip_prefix("wgpu:")
                .and_then(|index| index.parse().ok())
                .map(|index| DeviceChoice::Wgpu(Some(index)))
                .ok_or_else(|| DeviceError::Unknown(name.to_string())),
        }
    }
}

impl std::fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeviceChoice::Cpu => f.write_str("cpu"),
            DeviceChoice::Flex => f.write_str("flex"),
            DeviceChoice::Ndarray => f.write_str("ndarray"),
            DeviceChoice::Wgpu(None) => f.write_str("wgpu"),
            DeviceChoice::Wgpu(Some(index)) => write!(f, "wgpu:{index}"),
        }
    }
}

impl DeviceChoice {
    /// The burn device (without autodiff).
    ///
    /// # Errors
    /// [`DeviceError::NotCompiled`] for wgpu in a build without the `wgpu` feature.
    pub fn device(self) -> Result<Device, DeviceError> {
        match self {
            DeviceChoice::Cpu | DeviceChoice::Flex => Ok(Device::flex()),
            #[allow(deprecated)] // burn-ndarray is deprecated in 0.22 but still supported
            DeviceChoice::Ndarray => Ok(Device::ndarray()),
            DeviceChoice::Wgpu(index) => wgpu_device(self, index),
        }
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device(_choice: DeviceChoice, index: Option<usize>) -> Result<Device, DeviceError> {
    use burn::tensor::DeviceKind;
    let kind = index.map_or(DeviceKind::DefaultDevice, DeviceKind::DiscreteGpu);
    Ok(Device::wgpu(kind))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device(choice: DeviceChoice, _index: Option<usize>) -> Result<Device, DeviceError> {
    Err(DeviceError::NotCompiled(choice.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse() {
        assert_eq!("cpu".parse(), Ok(DeviceChoice::Cpu));
        assert_eq!("ndarray".parse(), Ok(DeviceChoice::Ndarray));
        assert_eq!("wgpu:1".parse(), Ok(DeviceChoice::Wgpu(Some(1))));
        assert!(matches!(
            "tpu".parse::<DeviceChoice>(),
            Err(DeviceError::Unknown(_))
        ));
        assert!(matches!(
            "wgpu:x".parse::<DeviceChoice>(),
            Err(DeviceError::Unknown(_))
        ));
    }
}
