//! Finding the MNIST files, and fetching them when they are nowhere.
//!
//! Where the files come from, in order: `--data-dir DIR`, the `MNIST_DIR` environment variable,
//! the per-user cache (`~/.cache/burn-init/mnist` on Linux). The first directory that holds all
//! four files wins. When none does, the missing files are downloaded over HTTPS from public
//! mirrors (tried in order), each streamed into a temporary file beside the cache, checked
//! against its published SHA-256, and only then renamed into the cache: a partial or corrupted
//! download never lands there.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use super::error::DataError;

/// One of the four files of the data set, with its published SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MnistFile {
    /// The file name, as published.
    pub name: &'static str,
    /// The SHA-256 of the gzipped file.
    pub sha256: &'static str,
}

/// The training images.
pub const TRAIN_IMAGES: MnistFile = MnistFile {
    name: "train-images-idx3-ubyte.gz",
    sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
};
/// The training labels.
pub const TRAIN_LABELS: MnistFile = MnistFile {
    name: "train-labels-idx1-ubyte.gz",
    sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
};
/// The test images.
pub const TEST_IMAGES: MnistFile = MnistFile {
    name: "t10k-images-idx3-ubyte.gz",
    sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
};
/// The test labels.
pub const TEST_LABELS: MnistFile = MnistFile {
    name: "t10k-labels-idx1-ubyte.gz",
    sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
};
/// All four, in the order train images, train labels, test images, test labels.
pub const MNIST_FILES: [MnistFile; 4] = [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS];

/// Public mirrors of the original files, tried in order.
pub const DEFAULT_MIRRORS: [&str; 3] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
];

/// The environment variable naming a directory with the files.
pub const MNIST_DIR_VAR: &str = "MNIST_DIR";

/// The four files, found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MnistPaths {
    /// The training images.
    pub train_images: PathBuf,
    /// The training labels.
    pub train_labels: PathBuf,
    /// The test images.
    pub test_images: PathBuf,
    /// The test labels.
    pub test_labels: PathBuf,
}

impl MnistPaths {
    fn in_dir(dir: &Path, names: [PathBuf; 4]) -> Self {
        let [train_images, train_labels, test_images, test_labels] =
            names.map(|name| dir.join(name));
        Self {
            train_images,
            train_labels,
            test_images,
            test_labels,
        }
    }
}

/// Where to look for the files and how to fetch them.
#[derive(Debug, Clone)]
pub struct MnistSource {
    /// `--data-dir`, looked at first.
    pub data_dir: Option<PathBuf>,
    /// `$MNIST_DIR`, looked at second.
    pub env_dir: Option<PathBuf>,
    /// The cache, looked at third and downloaded into.
    pub cache_dir: Option<PathBuf>,
    /// Base URLs the files are fetched from, in order.
    pub mirrors: Vec<String>,
    /// Whether to download at all.
    pub download: bool,
    /// How long a server may stay silent before the download fails.
    pub timeout: Duration,
}

impl MnistSource {
    /// The standard places: `data_dir`, `$MNIST_DIR`, the per-user cache, the public mirrors.
    pub fn standard(data_dir: Option<PathBuf>) -> Self {
        Self {
            data_dir,
            env_dir: std::env::var_os(MNIST_DIR_VAR).map(PathBuf::from),
            cache_dir: dirs::cache_dir().map(|dir| dir.join("burn-init").join("mnist")),
            mirrors: DEFAULT_MIRRORS.iter().map(|url| url.to_string()).collect(),
            download: true,
            timeout: Duration::from_secs(30),
        }
    }

    fn candidates(&self) -> Vec<(&'static str, &Path)> {
        [
            ("--data-dir", self.data_dir.as_deref()),
            (MNIST_DIR_VAR, self.env_dir.as_deref()),
            ("cache", self.cache_dir.as_deref()),
        ]
        .into_iter()
        .filter_map(|(origin, dir)| dir.map(|dir| (origin, dir)))
        .collect()
    }

    /// Finds the four files, downloading those the cache lacks when no directory has them all.
    ///
    /// # Errors
    /// [`DataError::Unavailable`] naming the missing files, the places looked in and how to
    /// provide them, when the files are nowhere and cannot be downloaded; I/O errors of the
    /// cache.
    pub fn locate(&self) -> Result<MnistPaths, DataError> {
        for (origin, dir) in self.candidates() {
            let Some(names) = complete_set(dir) else {
                continue;
            };
            // The cache is ours: its files must still be the published ones.
            if origin != "cache" || cache_is_intact(dir) {
                return Ok(MnistPaths::in_dir(dir, names));
            }
        }
        let Some(cache) = self.cache_dir.as_deref().filter(|_| self.download) else {
            return Err(self.unavailable(&[]));
        };
        let mut failures = Vec::new();
        for file in MNIST_FILES {
            let target = cache.join(file.name);
            if target.exists() {
                match verify(&target, file) {
                    Ok(()) => continue,
                    Err(error) => eprintln!("warning: {error}; fetching it again"),
                }
            }
            if let Err(error) = self.download(file, cache) {
                failures.push(error);
            }
        }
        match complete_set(cache) {
            Some(names) if failures.is_empty() => Ok(MnistPaths::in_dir(cache, names)),
            _ => Err(self.unavailable(&failures)),
        }
    }

    /// Fetches one file into `cache`, trying each mirror in turn.
    pub fn download(&self, file: MnistFile, cache: &Path) -> Result<PathBuf, String> {
        fs::create_dir_all(cache).map_err(|error| format!("{}: {error}", cache.display()))?;
        let mut errors = Vec::new();
        for mirror in &self.mirrors {
            let url = format!("{}/{}", mirror.trim_end_matches('/'), file.name);
            match fetch_verified(&url, file, cache, self.timeout) {
                Ok(path) => return Ok(path),
                Err(error) => errors.push(format!("{url}: {error}")),
            }
        }
        Err(format!(
            "{}: every mirror failed:\n    {}",
            file.name,
            errors.join("\n    ")
        ))
    }

    fn unavailable(&self, failures: &[String]) -> DataError {
        let looked: Vec<String> = self
            .candidates()
            .iter()
            .map(|(origin, dir)| {
                let missing: Vec<&str> = MNIST_FILES
                    .iter()
                    .filter(|file| find_file(dir, file).is_none())
                    .map(|file| file.name)
                    .collect();
                format!(
                    "  {origin} {}: missing {}",
                    dir.display(),
                    missing.join(", ")
                )
            })
            .collect();
        let download = if !self.download {
            "downloading is turned off".to_string()
        } else if failures.is_empty() {
            "no cache directory to download into".to_string()
        } else {
            format!("the download failed:\n  {}", failures.join("\n  "))
        };
        DataError::Unavailable(format!(
            "the MNIST files are not available.\nLooked in:\n{}\nand {download}.\n\
             Provide the four files ({}, gzipped or not) with --data-dir DIR or {MNIST_DIR_VAR}=DIR.",
            if looked.is_empty() {
                "  (nowhere)".to_string()
            } else {
                looked.join("\n")
            },
            MNIST_FILES.map(|file| file.name).join(", "),
        ))
    }
}

/// The file in `dir`, gzipped (`name`) or not (`name` without `.gz`).
fn find_file(dir: &Path, file: &MnistFile) -> Option<PathBuf> {
    let raw = file.name.trim_end_matches(".gz");
    [file.name, raw]
        .into_iter()
        .map(PathBuf::from)
        .find(|name| dir.join(name).is_file())
}

/// Whether every file of the cache is the gzipped original with its published SHA-256.
fn cache_is_intact(dir: &Path) -> bool {
    MNIST_FILES
        .iter()
        .all(|file| verify(&dir.join(file.name), *file).is_ok())
}

fn complete_set(dir: &Path) -> Option<[PathBuf; 4]> {
    let [a, b, c, d] = MNIST_FILES.map(|file| find_file(dir, &file));
    Some([a?, b?, c?, d?])
}

/// The SHA-256 of a file, as lowercase hex.
pub fn sha256_hex(path: &Path) -> Result<String, DataError> {
    let mut reader = BufReader::new(File::open(path).map_err(|error| DataError::io(path, error))?);
    let mut hasher = Sha256::new();
    std::io::copy(&mut reader, &mut hasher).map_err(|error| DataError::io(path, error))?;
    Ok(hex(&hasher.finalize()))
}

/// Checks a file against its published SHA-256.
pub fn verify(path: &Path, file: MnistFile) -> Result<(), DataError> {
    let found = sha256_hex(path)?;
    if found == file.sha256 {
        Ok(())
    } else {
        Err(DataError::Checksum {
            path: path.to_path_buf(),
            found,
            expected: file.sha256.to_string(),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Streams `url` into a temporary file in `dir`, verifies it, and renames it into place.
fn fetch_verified(
    url: &str,
    file: MnistFile,
    dir: &Path,
    timeout: Duration,
) -> Result<PathBuf, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_recv_body(Some(timeout * 20))
        .build()
        .into();
    let response = agent.get(url).call().map_err(|error| match error {
        ureq::Error::Timeout(which) => {
            format!(
                "the server stalled: no {which} within {} s",
                timeout.as_secs_f64()
            )
        }
        other => other.to_string(),
    })?;
    let length = response.body().content_length();
    let mut body = response.into_body().into_reader();

    let mut partial = tempfile::Builder::new()
        .prefix(&format!(".{}.", file.name))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|error| format!("{}: {error}", dir.display()))?;
    let progress = progress_bar(file.name, length);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                return Err(format!("the server stalled mid-file: {error}"));
            }
            Err(error) => return Err(format!("reading the response: {error}")),
        };
        hasher.update(&buffer[..read]);
        partial
            .write_all(&buffer[..read])
            .map_err(|error| format!("{}: {error}", partial.path().display()))?;
        progress.inc(read as u64);
    }
    progress.finish_and_clear();
    let found = hex(&hasher.finalize());
    if found != file.sha256 {
        return Err(format!(
            "SHA-256 {found} does not match the published {}",
            file.sha256
        ));
    }
    partial
        .as_file()
        .sync_all()
        .map_err(|error| format!("{}: {error}", partial.path().display()))?;
    crate::files::readable_by_all(partial.path())
        .map_err(|error| format!("{}: {error}", partial.path().display()))?;
    let target = dir.join(file.name);
    partial
        .persist(&target)
        .map_err(|error| format!("{}: {}", target.display(), error.error))?;
    Ok(target)
}

fn progress_bar(name: &str, length: Option<u64>) -> ProgressBar {
    let bar = match length {
        Some(length) => ProgressBar::new(length),
        None => ProgressBar::no_length(),
    };
    let style =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})")
            .expect("the template is valid")
            .progress_chars("=> ");
    bar.with_style(style).with_message(name.to_string())
}
