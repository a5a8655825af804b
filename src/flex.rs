//! Helpers for the fast paths that work on burn's flex CPU tensors directly
//! ([`crate::optim::FusedAdam`], [`crate::model::tanh::tanh`]).

use burn::backend::flex::FlexTensor;

/// The f32 tensor with its elements as the whole of its storage, in order, so that
/// `storage::<f32>()` is the tensor element by element: the tensor itself when it already is,
/// else a contiguous copy (a transposed or narrowed view).
pub(crate) fn dense_f32(tensor: FlexTensor) -> FlexTensor {
    let elements = tensor.layout().num_elements();
    let whole = tensor.layout().contiguous_offsets() == Some((0, elements))
        && tensor.bytes().len() == elements * std::mem::size_of::<f32>();
    if whole {
        tensor
    } else {
        tensor.to_contiguous()
    }
}
