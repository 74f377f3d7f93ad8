//! Front ends that turn files into span-keeping trees.

pub mod json;
pub mod text;
