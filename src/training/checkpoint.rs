//! Checkpoints written atomically: a kill during a save never leaves a corrupt checkpoint.
//!
//! burn-train's `FileCheckpointer` writes `name-<epoch>.bpk` in place, so a process killed in the
//! middle of a save leaves a truncated file with the final name, which `--resume` would then
//! load. This checkpointer writes the same burnpack bytes to a temporary file in the same
//! directory, flushes it to disk and renames it over the final name (see
//! [`write_atomically`]): the final name only ever holds a complete checkpoint.

use std::path::{Path, PathBuf};

use burn::train::checkpoint::{Checkpoint, Checkpointer, CheckpointerError};

use crate::files::write_atomically;

/// Saves records as `<directory>/<name>-<epoch>.bpk`, atomically.
#[derive(Debug, Clone)]
pub struct AtomicFileCheckpointer {
    directory: PathBuf,
    name: String,
}

impl AtomicFileCheckpointer {
    /// Checkpoints named `name` in `directory` (created on the first save).
    pub fn new(directory: impl AsRef<Path>, name: &str) -> Self {
        Self {
            directory: directory.as_ref().to_path_buf(),
            name: name.to_string(),
        }
    }

    /// The file of `epoch`'s checkpoint.
    pub fn path(&self, epoch: usize) -> PathBuf {
        self.directory.join(format!("{}-{epoch}.bpk", self.name))
    }
}

impl<R: Checkpoint> Checkpointer<R> for AtomicFileCheckpointer {
    fn save(&self, epoch: usize, record: R) -> Result<(), CheckpointerError> {
        let bytes = record
            .checkpoint_into_bytes()
            .map_err(CheckpointerError::Record)?;
        std::fs::create_dir_all(&self.directory).map_err(CheckpointerError::IOError)?;
        write_atomically(&self.path(epoch), &bytes).map_err(CheckpointerError::IOError)
    }

    fn delete(&self, epoch: usize) -> Result<(), CheckpointerError> {
        match std::fs::remove_file(self.path(epoch)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(CheckpointerError::IOError(error))
            }
            _ => Ok(()),
        }
    }

    fn restore(&self, epoch: usize) -> Result<R, CheckpointerError> {
        R::load(self.path(epoch))
    }
}
