//! The hash of the action index: `service:Action` text, ASCII case folded. build.rs and the
//! look-ups share this one definition (build.rs includes this file), so they cannot disagree.

/// FxHash's multiply-rotate step over the ASCII-lowercased bytes.
pub fn name_hash(text: &str) -> u64 {
    text.bytes().fold(0, |h: u64, b| {
        (h.rotate_left(5) ^ u64::from(b.to_ascii_lowercase()))
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    })
}

/// How many top bits of a hash pick its bucket of `ACTION_BUCKETS`: about 22,000 actions in
/// 32,768 buckets, so a look-up reads one bucket and the row or two it points to, where a
/// binary search of all the rows read fifteen places far apart (cache misses, most of them).
pub const BUCKET_BITS: u32 = 15;

/// The bucket of a hash. The hash ends with a multiplication, so its top bits are its best
/// mixed.
pub fn bucket(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}
