#!/usr/bin/env python3
"""The same initialization and one-epoch MNIST training in PyTorch and Keras, for comparison
with `cargo bench` (burn-init).

Usage: python3 benches/peers/peers.py [--mnist DIR] [--repeats 5] [--skip-init] [--epochs 1]
Prints one line per measurement, `framework,task,shape_or_batch,median_seconds`; a framework
that is not installed is skipped with a note. Install CPU wheels with
`pip install torch --index-url https://download.pytorch.org/whl/cpu` and `pip install keras jax`.
"""
import argparse
import gzip
import os
import statistics
import struct
import time


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_mnist(directory):
    def read(name, magic):
        with gzip.open(os.path.join(directory, name), "rb") as f:
            data = f.read()
        (found,) = struct.unpack(">I", data[:4])
        assert found == magic, name
        return data
    images = read("train-images-idx3-ubyte.gz", 2051)
    labels = read("train-labels-idx1-ubyte.gz", 2049)
    return images[16:], labels[8:]


def torch_peer(args, shapes):
    try:
        import torch
    except ImportError:
        print("# torch not installed: skipped")
        return
    print(f"# torch {torch.__version__}, {os.cpu_count()} threads")
    torch.set_num_threads(os.cpu_count())
    for shape in [] if args.skip_init else shapes:
        w = torch.empty(shape)
        for name, fn in [
            ("xavier_normal_", lambda: torch.nn.init.xavier_normal_(w)),
            ("kaiming_normal_", lambda: torch.nn.init.kaiming_normal_(w)),
            ("xavier_uniform_", lambda: torch.nn.init.xavier_uniform_(w)),
            ("trunc_normal_", lambda: torch.nn.init.trunc_normal_(w, std=0.02)),
        ]:
            print(f"torch,{name},{shape[0]}x{shape[1]},{median_time(fn, args.repeats):.4f}")
    if args.mnist:
        images, labels = load_mnist(args.mnist)
        x = torch.frombuffer(bytearray(images), dtype=torch.uint8).float().view(-1, 784) / 255
        y = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
        for batch in (32, 128):
            model = torch.nn.Sequential(
                torch.nn.Linear(784, 512), torch.nn.Tanh(),
                torch.nn.Linear(512, 128), torch.nn.ReLU(),
                torch.nn.Linear(128, 10))
            opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
            loss_fn = torch.nn.CrossEntropyLoss()

            def epoch():
                perm = torch.randperm(x.shape[0])
                for i in range(0, x.shape[0], batch):
                    idx = perm[i:i + batch]
                    opt.zero_grad()
                    loss_fn(model(x[idx]), y[idx]).backward()
                    opt.step()
            for _ in range(args.epochs):
                print(f"torch,epoch,batch{batch},{median_time(epoch, 1):.4f}")


def keras_peer(args, shapes):
    try:
        if "KERAS_BACKEND" not in os.environ:
            # Keras 3 runs on any of these; take the first one installed.
            import importlib.util
            for backend, module in [("jax", "jax"), ("tensorflow", "tensorflow"), ("torch", "torch")]:
                if importlib.util.find_spec(module) is not None:
                    os.environ["KERAS_BACKEND"] = backend
                    break
        import keras
        import numpy as np
    except ImportError:
        print("# keras not installed: skipped")
        return
    print(f"# keras {keras.__version__} on {keras.backend.backend()}")
    for shape in [] if args.skip_init else shapes:
        for name, init in [
            ("GlorotNormal", keras.initializers.GlorotNormal(seed=1)),
            ("GlorotUniform", keras.initializers.GlorotUniform(seed=1)),
            ("HeNormal", keras.initializers.HeNormal(seed=1)),
        ]:
            fn = lambda: np.asarray(init(shape))
            print(f"keras,{name},{shape[0]}x{shape[1]},{median_time(fn, args.repeats):.4f}")
    if args.mnist:
        images, labels = load_mnist(args.mnist)
        x = np.frombuffer(images, dtype=np.uint8).reshape(-1, 784).astype("float32") / 255
        y = np.frombuffer(labels, dtype=np.uint8).astype("int64")
        for batch in (32, 128):
            model = keras.Sequential([
                keras.Input((784,)),
                keras.layers.Dense(512, activation="tanh", kernel_initializer="glorot_normal"),
                keras.layers.Dense(128, activation="relu", kernel_initializer="he_normal"),
                keras.layers.Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            fn = lambda: model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
            for _ in range(args.epochs):
                print(f"keras,epoch,batch{batch},{median_time(fn, 1):.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", help="directory with the MNIST .gz files")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-init", action="store_true", help="only the MNIST epochs")
    parser.add_argument("--epochs", type=int, default=1,
                        help="epochs to time per batch size, one line each (the first includes warm-up)")
    args = parser.parse_args()
    shapes = [(784, 512), (4096, 4096), (8192, 8192)]
    print("framework,task,shape_or_batch,median_seconds")
    torch_peer(args, shapes)
    keras_peer(args, shapes)


if __name__ == "__main__":
    main()
