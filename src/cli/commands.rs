//! What each command does.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use burn_init::data::{
    IMAGE_PIXELS, IMAGE_SIDE, MnistDataset, MnistPaths, MnistSource, read_images,
};
use burn_init::device::DeviceChoice;
use burn_init::model::MlpConfig;
use burn_init::store::load_model;
use burn_init::training::{RunConfig, TrainOptions, check_fits_mnist, evaluate, predict, train};

use super::args::{DataArgs, DiagnoseArgs, EvaluateArgs, PredictArgs, SummaryArgs, TrainArgs};

fn locate(data: &DataArgs) -> Result<MnistPaths> {
    let mut source = MnistSource::standard(data.data_dir.clone());
    source.download = !data.offline;
    Ok(source.locate()?)
}

fn model_config(path: Option<&Path>) -> Result<MlpConfig> {
    Ok(match path {
        Some(path) => MlpConfig::load_validated(path)?,
        None => MlpConfig::new(),
    })
}

/// Makes `--device` burn's default device too, unless `BURN_DEVICE` already says otherwise.
///
/// burn-optim's `ModuleOptimizer::load_record`, which burn-train runs on `--resume`, builds the
/// optimizer state on `Device::default()` and moves it at the next step. In a build with the
/// `wgpu` feature that default is wgpu, whatever `--device` says: a CPU run would open the GPU
/// (on a machine without one, Mesa's software Vulkan, with its warnings) just to resume.
fn pin_default_device(device: &DeviceChoice) {
    if std::env::var_os("BURN_DEVICE").is_none() {
        // SAFETY: called on the main thread right after argument parsing, before anything that
        // could start a thread (no burn device, tensor or rayon pool exists yet), so no other
        // thread reads or writes the environment concurrently.
        unsafe { std::env::set_var("BURN_DEVICE", device.burn_device_name()) };
    }
}

/// `train`.
pub fn run_train(args: TrainArgs) -> Result<()> {
    pin_default_device(&args.device);
    let model = model_config(args.model_config.as_deref())?;
    let options = TrainOptions {
        epochs: args.epochs,
        batch_size: args.batch_size,
        learning_rate: args.lr,
        seed: args.seed,
        limit: args.limit,
        test_limit: args.test_limit,
        artifact_dir: args.artifact_dir,
        resume: args.resume,
        device: args.device,
        dashboard: None,
    };
    options.validate()?;
    model.validate()?;
    match &args.model_config {
        Some(path) => check_fits_mnist(&model).with_context(|| path.display().to_string())?,
        None => check_fits_mnist(&model)?,
    }
    let paths = locate(&args.data)?;
    let outcome = train(&model, &options, &paths)?;
    println!(
        "model saved to {} (test accuracy {:.4})",
        outcome.model_path.display(),
        outcome.report.test_accuracy
    );
    Ok(())
}

fn load_run(artifact_dir: &Path) -> Result<(RunConfig, PathBuf)> {
    let config_path = artifact_dir.join("config.json");
    let text = std::fs::read_to_string(&config_path).with_context(|| {
        format!(
            "{}: cannot read the run's config (run `train` first)",
            config_path.display()
        )
    })?;
    let run: RunConfig = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a run config", config_path.display()))?;
    Ok((run, artifact_dir.join("model.bpk")))
}

/// `evaluate`.
pub fn run_evaluate(args: EvaluateArgs) -> Result<()> {
    let (run, model_path) = load_run(&args.artifact_dir)?;
    let device = args.device.device()?;
    let model = load_model(&run.model, &model_path, &device)?;
    let paths = locate(&args.data)?;
    let test = MnistDataset::load(&paths.test_images, &paths.test_labels)?
        .limit(args.test_limit.unwrap_or(usize::MAX));
    let result = evaluate(&model, &test, &device, 1000)?;
    println!(
        "test accuracy {:.4}, loss {:.4} on {} images ({}, {})",
        result.accuracy,
        result.loss,
        result.examples,
        model_path.display(),
        args.device
    );
    Ok(())
}

/// Reads a PNG as a 28×28 MNIST-like image: grayscale, resized, white digit on black.
fn png_pixels(path: &Path) -> Result<Vec<u8>> {
    let image = image::open(path)
        .with_context(|| format!("{}: cannot read the PNG", path.display()))?
        .to_luma8();
    let side = IMAGE_SIDE as u32;
    let image = if image.dimensions() == (side, side) {
        image
    } else {
        image::imageops::resize(&image, side, side, image::imageops::FilterType::Triangle)
    };
    let mut pixels = image.into_raw();
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / pixels.len() as f64;
    if mean > 127.0 {
        // A dark digit on a light background: MNIST digits are light on dark.
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Ok(pixels)
}

fn is_png(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut magic = [0u8; 8];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let read = file
        .read(&mut magic)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(read == 8 && magic == *b"\x89PNG\r\n\x1a\n")
}

/// `predict`.
pub fn run_predict(args: PredictArgs) -> Result<()> {
    let images: Vec<(String, Vec<u8>)> = if is_png(&args.input)? {
        vec![(args.input.display().to_string(), png_pixels(&args.input)?)]
    } else {
        let idx = read_images(&args.input)?;
        if args.count == 0 || args.index >= idx.count {
            bail!(
                "{}: holds {} images; --index {} --count {} selects none",
                args.input.display(),
                idx.count,
                args.index,
                args.count
            );
        }
        let end = (args.index + args.count).min(idx.count);
        (args.index..end)
            .map(|i| {
                let pixels = idx.pixels[i * IMAGE_PIXELS..(i + 1) * IMAGE_PIXELS].to_vec();
                (format!("image {i}"), pixels)
            })
            .collect()
    };
    let (run, model_path) = load_run(&args.artifact_dir)?;
    let device = args.device.device()?;
    let model = load_model(&run.model, &model_path, &device)?;
    let pixels: Vec<Vec<u8>> = images.iter().map(|(_, pixels)| pixels.clone()).collect();
    let probabilities = predict(&model, &pixels, &device)?;
    for ((name, _), row) in images.iter().zip(&probabilities) {
        let (class, best) =
            row.iter().enumerate().fold(
                (0, f32::MIN),
                |(bc, bp), (c, &p)| if p > bp { (c, p) } else { (bc, bp) },
            );
        let all: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, p)| format!("{c}:{p:.4}"))
            .collect();
        println!("{name}: {class} (p = {best:.4})  [{}]", all.join(" "));
    }
    Ok(())
}

/// `summary`.
pub fn run_summary(args: SummaryArgs) -> Result<()> {
    let model = model_config(args.model_config.as_deref())?;
    println!("{}", model.summary());
    if args.model_config.is_none() {
        println!(
            "\nNote: the literal Keras snippet without Flatten applies the first Dense to the last \
             axis of the 28x28 input: {} params and an output of shape (None, 28, 10), which \
             cannot be fit against integer labels of shape (None,).",
            burn_init::model::summary_thousands(model.params_without_flatten())
        );
    }
    Ok(())
}

/// `diagnose`.
pub fn run_diagnose(args: DiagnoseArgs) -> Result<()> {
    use burn_init::diagnostics::{
        DiagnoseOptions, Inputs, default_activations, default_initializers, diagnose_config,
        diagnose_grid, table, write_outputs,
    };
    use burn_init::model::Activation;
    use burn_init::{Initializer, RandomNormal};

    let options = DiagnoseOptions {
        depth: args.depth,
        width: args.width,
        batch: args.batch,
        seed: args.seed,
    };
    let initializers = if args.initializer.is_empty() {
        default_initializers()
    } else {
        args.initializer
            .iter()
            .map(|name| {
                let init: Initializer = match name.as_str() {
                    "small_normal" => RandomNormal::new(0.0, 0.01)?.into(),
                    other => other.parse()?,
                };
                Ok((name.clone(), init))
            })
            .collect::<Result<Vec<_>>>()?
    };
    let activations = if args.activation.is_empty() {
        default_activations()
    } else {
        args.activation
            .iter()
            .map(|name| name.parse::<Activation>())
            .collect::<Result<Vec<_>, _>>()?
    };
    let inputs = match &args.data_dir {
        Some(dir) => {
            let mut source = MnistSource::standard(Some(dir.clone()));
            source.download = false;
            let paths = source.locate()?;
            Inputs::Mnist(MnistDataset::load(
                &paths.train_images,
                &paths.train_labels,
            )?)
        }
        None => Inputs::Normal,
    };
    let device = args.device.device()?.autodiff();
    let reports = match &args.model_config {
        Some(path) => vec![diagnose_config(
            &MlpConfig::load_validated(path)?,
            &options,
            &inputs,
            &device,
        )?],
        None => diagnose_grid(&initializers, &activations, &options, &inputs, &device)?,
    };
    println!(
        "{} inputs, batch {}, {}\n{}",
        inputs.name(),
        options.batch,
        match &args.model_config {
            Some(path) => format!("model config {}", path.display()),
            None => format!("depth {}, width {}", options.depth, options.width),
        },
        table(&reports)
    );
    write_outputs(&reports, &args.out_dir).map_err(anyhow::Error::msg)?;
    println!(
        "wrote diagnostics.csv, diagnostics.json, activation_std.png, gradient_std.png to {}",
        args.out_dir.display()
    );
    Ok(())
}
