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
    /// wgpu found no adapter at all.
    #[error(
        "no GPU adapter found: wgpu looked for Vulkan, Metal, DX12 and OpenGL (GLES) adapters \
         and found none. Install a GPU driver with Vulkan support (on Debian/Ubuntu: \
         `apt-get install mesa-vulkan-drivers libvulkan1`, which also provides lavapipe, a \
         software Vulkan adapter), or use `--device cpu`"
    )]
    NoAdapter,
    /// `wgpu:N` beyond the adapters found.
    #[error("no wgpu adapter {index}: found {}", list_adapters(found))]
    NoSuchAdapter {
        /// The index asked for.
        index: usize,
        /// The adapters found, described.
        found: Vec<String>,
    },
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
    /// The name burn's `BURN_DEVICE` variable gives this backend (`flex`, `ndarray`, `wgpu`).
    pub fn burn_device_name(&self) -> &'static str {
        match self {
            DeviceChoice::Cpu | DeviceChoice::Flex => "flex",
            DeviceChoice::Ndarray => "ndarray",
            DeviceChoice::Wgpu(_) => "wgpu",
        }
    }

    /// The burn device (without autodiff).
    ///
    /// # Errors
    /// [`DeviceError::NotCompiled`] for wgpu in a build without the `wgpu` feature,
    /// [`DeviceError::NoAdapter`] when wgpu finds no adapter, [`DeviceError::NoSuchAdapter`]
    /// for `wgpu:N` past the adapters found.
    pub fn device(self) -> Result<Device, DeviceError> {
        self.open().map(|(device, _)| device)
    }

    /// The burn device and a description of it for reports (`cpu (flex)`,
    /// `wgpu: llvmpipe (LLVM 15.0.7, 256 bits), Vulkan, Cpu`).
    ///
    /// # Errors
    /// As [`DeviceChoice::device`].
    pub fn open(self) -> Result<(Device, String), DeviceError> {
        match self {
            DeviceChoice::Cpu | DeviceChoice::Flex => {
                Ok((Device::flex(), format!("{self} (flex)")))
            }
            #[allow(deprecated)] // burn-ndarray is deprecated in 0.22 but still supported
            DeviceChoice::Ndarray => Ok((Device::ndarray(), "ndarray".to_string())),
            DeviceChoice::Wgpu(index) => wgpu::open(self, index),
        }
    }
}

fn list_adapters(found: &[String]) -> String {
    if found.is_empty() {
        "none".to_string()
    } else {
        found
            .iter()
            .enumerate()
            .map(|(index, adapter)| format!("wgpu:{index} = {adapter}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(feature = "wgpu")]
mod wgpu {
    //! Looks for adapters with wgpu itself before handing the choice to burn, whose runtime
    //! panics when it finds none.

    use burn::tensor::{Device, DeviceKind};
    use wgpu_api::{AdapterInfo, Backends, DeviceType, Instance, InstanceDescriptor};

    use super::{DeviceChoice, DeviceError};

    fn describe(info: &AdapterInfo) -> String {
        format!("{}, {:?}, {:?}", info.name, info.backend, info.device_type)
    }

    /// Every adapter wgpu can see (honouring `WGPU_BACKEND` and the like).
    pub fn adapters() -> Vec<AdapterInfo> {
        let instance = Instance::new(InstanceDescriptor::new_without_display_handle_from_env());
        pollster::block_on(instance.enumerate_adapters(Backends::all()))
            .iter()
            .map(|adapter| adapter.get_info())
            .collect()
    }

    pub fn open(
        choice: DeviceChoice,
        index: Option<usize>,
    ) -> Result<(Device, String), DeviceError> {
        let found = adapters();
        if found.is_empty() {
            return Err(DeviceError::NoAdapter);
        }
        let Some(index) = index else {
            // burn picks the adapter (a high-performance GPU first); describe the best guess.
            let best = found
                .iter()
                .min_by_key(|info| rank(info.device_type))
                .expect("found is not empty");
            return Ok((
                Device::wgpu(DeviceKind::DefaultDevice),
                format!("wgpu: {}", describe(best)),
            ));
        };
        let info = found.get(index).ok_or_else(|| DeviceError::NoSuchAdapter {
            index,
            found: found.iter().map(describe).collect(),
        })?;
        // burn numbers adapters within their type: the n-th discrete GPU, the n-th CPU, …
        let nth = found[..index]
            .iter()
            .filter(|other| other.device_type == info.device_type)
            .count();
        let kind = match info.device_type {
            DeviceType::DiscreteGpu => DeviceKind::DiscreteGpu(nth),
            DeviceType::IntegratedGpu => DeviceKind::IntegratedGpu(nth),
            DeviceType::VirtualGpu => DeviceKind::VirtualGpu(nth),
            DeviceType::Cpu => DeviceKind::Cpu,
            DeviceType::Other => DeviceKind::DefaultDevice,
        };
        Ok((Device::wgpu(kind), format!("{choice}: {}", describe(info))))
    }

    fn rank(device_type: DeviceType) -> u8 {
        match device_type {
            DeviceType::DiscreteGpu => 0,
            DeviceType::IntegratedGpu => 1,
            DeviceType::VirtualGpu => 2,
            DeviceType::Other => 3,
            DeviceType::Cpu => 4,
        }
    }
}

#[cfg(not(feature = "wgpu"))]
mod wgpu {
    use burn::tensor::Device;

    use super::{DeviceChoice, DeviceError};

    pub fn open(
        choice: DeviceChoice,
        _index: Option<usize>,
    ) -> Result<(Device, String), DeviceError> {
        Err(DeviceError::NotCompiled(choice.to_string()))
    }
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
