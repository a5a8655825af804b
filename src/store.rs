//! Saving and loading the trained model as a burnpack (`.bpk`) file, with its config beside it.

use std::path::{Path, PathBuf};

use burn::store::{BurnpackStore, ModuleSnapshot};
use burn::tensor::Device;
use thiserror::Error;

use crate::model::{Mlp, MlpConfig, ModelError};

/// A model file that cannot be written or read back.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StoreError {
    /// burn-store failed.
    #[error("{}: {message}", path.display())]
    Burnpack {
        /// The file.
        path: PathBuf,
        /// burn-store's message.
        message: String,
    },
    /// The file does not fit the model its config describes.
    #[error("{}: does not fit the model config: {message}", path.display())]
    Mismatch {
        /// The file.
        path: PathBuf,
        /// Missing, unused or mis-shaped tensors.
        message: String,
    },
    /// The model config beside it.
    #[error(transparent)]
    Config(#[from] ModelError),
}

/// Writes `model` to `path` (a temporary file renamed into place: never a torn file).
pub fn save_model(model: &Mlp, path: &Path) -> Result<(), StoreError> {
    let error = |message: String| StoreError::Burnpack {
        path: path.to_path_buf(),
        message,
    };
    let dir = path
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let partial = tempfile::Builder::new()
        .suffix(".bpk")
        .tempfile_in(dir)
        .map_err(|e| error(e.to_string()))?;
    let mut store = BurnpackStore::from_file(partial.path())
        .overwrite(true)
        .auto_extension(false);
    model
        .save_into(&mut store)
        .map_err(|e| error(e.to_string()))?;
    partial
        .persist(path)
        .map_err(|e| error(e.error.to_string()))?;
    Ok(())
}

/// Builds the model `config` describes on `device` and loads the weights of `path` into it.
///
/// # Errors
/// [`StoreError::Burnpack`] when the file cannot be read, [`StoreError::Mismatch`] when its
/// tensors do not fill the model exactly.
pub fn load_model(config: &MlpConfig, path: &Path, device: &Device) -> Result<Mlp, StoreError> {
    let mut model = config.init(device)?;
    let mut store = BurnpackStore::from_file(path).auto_extension(false);
    let result = model
        .load_from(&mut store)
        .map_err(|e| StoreError::Burnpack {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    if !result.is_success() || !result.missing.is_empty() || !result.unused.is_empty() {
        return Err(StoreError::Mismatch {
            path: path.to_path_buf(),
            message: format!(
                "missing {:?}, unused {:?}, errors {:?}",
                result.missing, result.unused, result.errors
            ),
        });
    }
    Ok(model)
}
